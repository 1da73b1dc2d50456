#pragma once
// RocksDB behind a small interface: named column families, point reads, ordered scans and one
// atomic WriteBatch per block (DESIGN.md "Storage").
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "btt/common/bytes.h"
#include "btt/common/status.h"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
class WriteBatch;
class Snapshot;
}  // namespace rocksdb

namespace btt::storage {

enum class Column : int {
  kBlocks = 0,  // height (u64 BE) -> Block bytes
  kBlockIndex,  // block hash -> height (u64 BE)
  kState,       // module-prefixed state keys -> values (the ledger's state)
  kTxIndex,     // tx id -> height (u64 BE) | index (u32 BE)
  kResults,     // height (u64 BE) -> BlockResult bytes (tx results and events)
  kAccountTxs,  // address (20) | height (u64 BE) | index (u32 BE) -> tx id
  kConsensus,   // chain tip, signer state, genesis record
  kCount,
};
[[nodiscard]] const char* column_name(Column c);

// A storage failure (I/O error, corruption). The node cannot go on safely and stops.
class StorageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class WriteBatch {
 public:
  WriteBatch();
  ~WriteBatch();
  WriteBatch(const WriteBatch&) = delete;
  WriteBatch& operator=(const WriteBatch&) = delete;

  void put(Column c, std::string_view key, std::string_view value);
  void erase(Column c, std::string_view key);
  [[nodiscard]] size_t count() const;

 private:
  friend class Database;
  std::unique_ptr<rocksdb::WriteBatch> batch_;
  class Database* db_ = nullptr;  // set by Database::new_batch (handles live in the db)
};

struct DatabaseOptions {
  bool sync_writes = true;  // fsync the WAL at every block commit
  size_t block_cache_mb = 256;
};

// A consistent read view of the whole database at one instant (a RocksDB snapshot): what a
// query reads through it never mixes two blocks.
class Snapshot {
 public:
  ~Snapshot();
  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;
  [[nodiscard]] std::optional<Bytes> get(Column c, std::string_view key) const;
  void scan(Column c, std::string_view prefix,
            const std::function<bool(std::string_view, std::string_view)>& fn) const;
  // As Database::scan_back.
  void scan_back(Column c, std::string_view prefix, std::string_view from,
                 const std::function<bool(std::string_view, std::string_view)>& fn) const;

 private:
  friend class Database;
  Snapshot(const class Database& db, const rocksdb::Snapshot* snapshot)
      : db_(db), snapshot_(snapshot) {}
  const class Database& db_;
  const rocksdb::Snapshot* snapshot_;
};

class Database {
 public:
  // Opens or creates the database under `dir` with every column family.
  [[nodiscard]] static Result<std::unique_ptr<Database>> open(const std::filesystem::path& dir,
                                                              const DatabaseOptions& options);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // nullopt when absent; throws StorageError on I/O failure.
  [[nodiscard]] std::optional<Bytes> get(Column c, std::string_view key) const;
  // Calls fn(key, value) for every key starting with prefix, in byte order (reverse order if
  // `reverse`), until fn returns false.
  void scan(Column c, std::string_view prefix,
            const std::function<bool(std::string_view, std::string_view)>& fn,
            bool reverse = false) const;
  // As scan, from `start` (inclusive) to the end of prefix.
  void scan_from(Column c, std::string_view prefix, std::string_view start,
                 const std::function<bool(std::string_view, std::string_view)>& fn) const;
  // Keys starting with prefix, in descending byte order from the greatest key <= `from`.
  void scan_back(Column c, std::string_view prefix, std::string_view from,
                 const std::function<bool(std::string_view, std::string_view)>& fn) const;

  [[nodiscard]] std::unique_ptr<Snapshot> snapshot() const;
  [[nodiscard]] std::unique_ptr<WriteBatch> new_batch();
  // Atomic: every put and erase of the batch lands, or none does. Throws StorageError.
  void write(WriteBatch& batch);

  rocksdb::ColumnFamilyHandle* handle(Column c) const;

 private:
  friend class Snapshot;
  [[nodiscard]] std::optional<Bytes> get_at(const rocksdb::Snapshot* snapshot, Column c,
                                            std::string_view key) const;
  void scan_at(const rocksdb::Snapshot* snapshot, Column c, std::string_view prefix,
               const std::function<bool(std::string_view, std::string_view)>& fn,
               bool reverse) const;
  void scan_back_at(const rocksdb::Snapshot* snapshot, Column c, std::string_view prefix,
                    std::string_view from,
                    const std::function<bool(std::string_view, std::string_view)>& fn) const;
  Database() = default;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  DatabaseOptions options_;
};

}  // namespace btt::storage

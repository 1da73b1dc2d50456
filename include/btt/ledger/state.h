#pragma once
// State access in layers: the committed database at the bottom, a block overlay above it that
// collects every write of the block, and per-tx sandboxes above that which are kept or dropped
// whole. Every layer iterates in key byte order, so what reaches state is deterministic.
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "btt/common/bytes.h"
#include "btt/common/status.h"

namespace btt::storage {
class Database;
class Snapshot;
}  // namespace btt::storage

namespace btt::ledger {

using ScanFn = std::function<bool(std::string_view key, std::string_view value)>;

class StateReader {
 public:
  virtual ~StateReader() = default;
  [[nodiscard]] virtual std::optional<Bytes> get(std::string_view key) const = 0;
  // Every live key with this prefix in ascending byte order, until fn returns false.
  virtual void scan(std::string_view prefix, const ScanFn& fn) const = 0;
  // Every live key with this prefix at or below `from` (which starts with `prefix`), in
  // descending byte order, until fn returns false: the last entry of a history at or before a
  // point (the validator set of a height) in one seek.
  virtual void scan_back(std::string_view prefix, std::string_view from,
                         const ScanFn& fn) const = 0;
  // This reader as a base for a new layer: `Overlay sandbox(block.reader())`.
  [[nodiscard]] const StateReader& reader() const { return *this; }
};

// A protobuf record stored at `key`; nullopt when absent or undecodable. Every module's typed
// reads go through it.
template <typename Record>
[[nodiscard]] std::optional<Record> read_record(const StateReader& state, std::string_view key) {
  auto raw = state.get(key);
  if (!raw) return std::nullopt;
  Record out;
  if (!out.ParseFromArray(raw->data(), static_cast<int>(raw->size()))) return std::nullopt;
  return out;
}

// Every protobuf record stored under `prefix`, in key order. An undecodable one is corrupt state
// and throws (queries and exports answer from these; skipping one would hide the corruption).
template <typename Record>
[[nodiscard]] std::vector<Record> read_records(const StateReader& state, std::string_view prefix) {
  std::vector<Record> out;
  state.scan(prefix, [&](std::string_view, std::string_view value) {
    if (!out.emplace_back().ParseFromArray(value.data(), static_cast<int>(value.size()))) {
      throw std::logic_error("unreadable " + Record::descriptor()->full_name() + " under " +
                             to_hex(prefix));
    }
    return true;
  });
  return out;
}

// A u64be value stored at `key`; 0 when absent or malformed.
[[nodiscard]] uint64_t read_u64(const StateReader& state, std::string_view key);

// The page size of a list query: 0 asks for kDefaultPageLimit; above kMaxPageLimit is refused
// (INVALID_ARGUMENT), so one answer stays far below gRPC's message limit.
inline constexpr uint32_t kDefaultPageLimit = 100;
inline constexpr uint32_t kMaxPageLimit = 1000;
[[nodiscard]] Result<uint32_t> page_limit(uint32_t requested);

// The committed state column of the database.
class DatabaseState final : public StateReader {
 public:
  explicit DatabaseState(const storage::Database& db) : db_(db) {}
  [[nodiscard]] std::optional<Bytes> get(std::string_view key) const override;
  void scan(std::string_view prefix, const ScanFn& fn) const override;
  void scan_back(std::string_view prefix, std::string_view from, const ScanFn& fn) const override;

 private:
  const storage::Database& db_;
};

// The state column as of a database snapshot.
class SnapshotState final : public StateReader {
 public:
  explicit SnapshotState(const storage::Snapshot& snapshot) : snapshot_(snapshot) {}
  [[nodiscard]] std::optional<Bytes> get(std::string_view key) const override;
  void scan(std::string_view prefix, const ScanFn& fn) const override;
  void scan_back(std::string_view prefix, std::string_view from, const ScanFn& fn) const override;

 private:
  const storage::Snapshot& snapshot_;
};

// Buffered writes over a base reader. A write of nullopt is a deletion.
class Overlay : public StateReader {
 public:
  explicit Overlay(const StateReader& base) : base_(base) {}
  // Copying would duplicate every buffered write (and a layer built on another Overlay must name
  // it as its base with reader()).
  Overlay(const Overlay&) = delete;
  Overlay& operator=(const Overlay&) = delete;

  [[nodiscard]] std::optional<Bytes> get(std::string_view key) const override;
  void scan(std::string_view prefix, const ScanFn& fn) const override;
  void scan_back(std::string_view prefix, std::string_view from, const ScanFn& fn) const override;

  void put(std::string_view key, std::string_view value);
  void erase(std::string_view key);

  // Moves every buffered write into `parent` (the layer this overlay was built on) and clears.
  void commit_to(Overlay& parent);
  void discard() { writes_.clear(); }

  [[nodiscard]] const std::map<Bytes, std::optional<Bytes>, std::less<>>& writes() const {
    return writes_;
  }

 private:
  const StateReader& base_;
  std::map<Bytes, std::optional<Bytes>, std::less<>> writes_;
};

// Writes `v` as the u64be value read_u64 reads.
void write_u64(Overlay& state, std::string_view key, uint64_t v);
// An id sequence at `key` (u64be, the next id; absent: 1): returns the next id and advances it.
[[nodiscard]] uint64_t take_next_id(Overlay& state, std::string_view key);

// The block overlay: an Overlay that also caches what it read from the database, so a key read
// by many txs of a block costs one database lookup.
class BlockOverlay final : public Overlay {
 public:
  explicit BlockOverlay(const StateReader& base) : Overlay(base) {}
  [[nodiscard]] std::optional<Bytes> get(std::string_view key) const override;

 private:
  mutable std::map<Bytes, std::optional<Bytes>, std::less<>> read_cache_;
};

}  // namespace btt::ledger

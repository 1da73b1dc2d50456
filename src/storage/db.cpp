#include "btt/storage/db.h"

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/options.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

namespace btt::storage {

const char* column_name(Column c) {
  switch (c) {
    case Column::kBlocks:
      return "blocks";
    case Column::kBlockIndex:
      return "block_index";
    case Column::kState:
      return "state";
    case Column::kTxIndex:
      return "tx_index";
    case Column::kResults:
      return "results";
    case Column::kAccountTxs:
      return "account_txs";
    case Column::kConsensus:
      return "consensus";
    case Column::kCount:
      break;
  }
  return "?";
}

WriteBatch::WriteBatch() : batch_(std::make_unique<rocksdb::WriteBatch>()) {}
WriteBatch::~WriteBatch() = default;

void WriteBatch::put(Column c, std::string_view key, std::string_view value) {
  auto s = batch_->Put(db_->handle(c), rocksdb::Slice(key.data(), key.size()),
                       rocksdb::Slice(value.data(), value.size()));
  if (!s.ok()) throw StorageError("write batch put: " + s.ToString());
}

void WriteBatch::erase(Column c, std::string_view key) {
  auto s = batch_->Delete(db_->handle(c), rocksdb::Slice(key.data(), key.size()));
  if (!s.ok()) throw StorageError("write batch delete: " + s.ToString());
}

size_t WriteBatch::count() const {
  return static_cast<size_t>(batch_->Count());
}

Result<std::unique_ptr<Database>> Database::open(const std::filesystem::path& dir,
                                                 const DatabaseOptions& options) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status(Code::kStorage, "cannot create " + dir.string() + ": " + ec.message());

  rocksdb::Options db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  db_options.max_background_jobs = 2;
  db_options.keep_log_file_num = 5;

  rocksdb::BlockBasedTableOptions table;
  table.block_cache = rocksdb::NewLRUCache(options.block_cache_mb << 20);
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10, false));
  rocksdb::ColumnFamilyOptions cf_options;
  cf_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  cf_options.compression = rocksdb::kNoCompression;
  // A Bloom filter over each memtable's whole keys: a Get of an absent key (a new tx's id in the
  // tx index, an account seen for the first time) skips the memtable's skip list.
  cf_options.memtable_whole_key_filtering = true;
  cf_options.memtable_prefix_bloom_size_ratio = 0.02;

  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  descriptors.emplace_back(rocksdb::kDefaultColumnFamilyName, cf_options);
  for (int i = 0; i < static_cast<int>(Column::kCount); ++i) {
    descriptors.emplace_back(column_name(static_cast<Column>(i)), cf_options);
  }

  std::unique_ptr<Database> db(new Database());
  db->options_ = options;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  auto s = rocksdb::DB::Open(db_options, dir.string(), descriptors, &handles, &raw);
  if (!s.ok()) {
    std::string msg = s.ToString();
    if (s.IsIOError() && msg.find("lock") != std::string::npos) {
      return Status(Code::kUnavailable,
                    "database " + dir.string() + " is in use by another process: " + msg);
    }
    return Status(Code::kStorage, "cannot open database " + dir.string() + ": " + msg);
  }
  db->db_.reset(raw);
  db->handles_ = std::move(handles);
  return db;
}

Database::~Database() {
  if (db_) {
    for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
    db_->Close();
  }
}

rocksdb::ColumnFamilyHandle* Database::handle(Column c) const {
  return handles_.at(static_cast<size_t>(c) + 1);  // [0] is RocksDB's default family
}

std::optional<Bytes> Database::get(Column c, std::string_view key) const {
  return get_at(nullptr, c, key);
}

std::optional<Bytes> Database::get_at(const rocksdb::Snapshot* snapshot, Column c,
                                      std::string_view key) const {
  std::string value;
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot;
  auto s = db_->Get(ro, handle(c), rocksdb::Slice(key.data(), key.size()), &value);
  if (s.IsNotFound()) return std::nullopt;
  if (!s.ok()) throw StorageError(std::string("read ") + column_name(c) + ": " + s.ToString());
  return value;
}

namespace {
// The smallest key greater than every key with this prefix; empty when there is none.
std::string prefix_end(std::string_view prefix) {
  std::string end(prefix);
  while (!end.empty()) {
    auto& last = reinterpret_cast<unsigned char&>(end.back());
    if (last != 0xff) {
      ++last;
      return end;
    }
    end.pop_back();
  }
  return end;
}
}  // namespace

void Database::scan(Column c, std::string_view prefix,
                    const std::function<bool(std::string_view, std::string_view)>& fn,
                    bool reverse) const {
  scan_at(nullptr, c, prefix, fn, reverse);
}

void Database::scan_at(const rocksdb::Snapshot* snapshot, Column c, std::string_view prefix,
                       const std::function<bool(std::string_view, std::string_view)>& fn,
                       bool reverse) const {
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, handle(c)));
  rocksdb::Slice p(prefix.data(), prefix.size());
  if (!reverse) {
    for (it->Seek(p); it->Valid() && it->key().starts_with(p); it->Next()) {
      if (!fn({it->key().data(), it->key().size()}, {it->value().data(), it->value().size()}))
        break;
    }
  } else {
    std::string end = prefix_end(prefix);
    if (end.empty()) {
      it->SeekToLast();
    } else {
      it->SeekForPrev(end);
      if (it->Valid() && it->key() == rocksdb::Slice(end)) it->Prev();
    }
    for (; it->Valid() && it->key().starts_with(p); it->Prev()) {
      if (!fn({it->key().data(), it->key().size()}, {it->value().data(), it->value().size()}))
        break;
    }
  }
  if (!it->status().ok()) throw StorageError("scan: " + it->status().ToString());
}

void Database::scan_from(Column c, std::string_view prefix, std::string_view start,
                         const std::function<bool(std::string_view, std::string_view)>& fn) const {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), handle(c)));
  rocksdb::Slice p(prefix.data(), prefix.size());
  for (it->Seek(rocksdb::Slice(start.data(), start.size()));
       it->Valid() && it->key().starts_with(p); it->Next()) {
    if (!fn({it->key().data(), it->key().size()}, {it->value().data(), it->value().size()})) break;
  }
  if (!it->status().ok()) throw StorageError("scan: " + it->status().ToString());
}

void Database::scan_back(Column c, std::string_view prefix, std::string_view from,
                         const std::function<bool(std::string_view, std::string_view)>& fn) const {
  scan_back_at(nullptr, c, prefix, from, fn);
}

void Database::scan_back_at(
    const rocksdb::Snapshot* snapshot, Column c, std::string_view prefix, std::string_view from,
    const std::function<bool(std::string_view, std::string_view)>& fn) const {
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, handle(c)));
  rocksdb::Slice p(prefix.data(), prefix.size());
  for (it->SeekForPrev(rocksdb::Slice(from.data(), from.size()));
       it->Valid() && it->key().starts_with(p); it->Prev()) {
    if (!fn({it->key().data(), it->key().size()}, {it->value().data(), it->value().size()})) break;
  }
  if (!it->status().ok()) throw StorageError("scan_back: " + it->status().ToString());
}

std::unique_ptr<Snapshot> Database::snapshot() const {
  return std::unique_ptr<Snapshot>(new Snapshot(*this, db_->GetSnapshot()));
}

Snapshot::~Snapshot() {
  db_.db_->ReleaseSnapshot(snapshot_);
}

std::optional<Bytes> Snapshot::get(Column c, std::string_view key) const {
  return db_.get_at(snapshot_, c, key);
}

void Snapshot::scan(Column c, std::string_view prefix,
                    const std::function<bool(std::string_view, std::string_view)>& fn) const {
  db_.scan_at(snapshot_, c, prefix, fn, false);
}

void Snapshot::scan_back(Column c, std::string_view prefix, std::string_view from,
                         const std::function<bool(std::string_view, std::string_view)>& fn) const {
  db_.scan_back_at(snapshot_, c, prefix, from, fn);
}

std::unique_ptr<WriteBatch> Database::new_batch() {
  auto batch = std::make_unique<WriteBatch>();
  batch->db_ = this;
  return batch;
}

void Database::write(WriteBatch& batch) {
  rocksdb::WriteOptions wo;
  wo.sync = options_.sync_writes;
  auto s = db_->Write(wo, batch.batch_.get());
  if (!s.ok()) throw StorageError("commit: " + s.ToString());
}

}  // namespace btt::storage

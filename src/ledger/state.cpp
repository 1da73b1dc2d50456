#include "btt/ledger/state.h"

#include <functional>
#include <iterator>

#include "btt/storage/db.h"

namespace btt::ledger {

uint64_t read_u64(const StateReader& state, std::string_view key) {
  auto raw = state.get(key);
  if (!raw) return 0;
  std::string_view in = *raw;
  uint64_t out = 0;
  return get_u64_be(in, out) ? out : 0;
}

void write_u64(Overlay& state, std::string_view key, uint64_t v) {
  Bytes b;
  put_u64_be(b, v);
  state.put(key, b);
}

uint64_t take_next_id(Overlay& state, std::string_view key) {
  uint64_t id = read_u64(state, key);
  if (id == 0) id = 1;
  write_u64(state, key, id + 1);
  return id;
}

Result<uint32_t> page_limit(uint32_t requested) {
  if (requested > kMaxPageLimit) {
    return Status(Code::kInvalidArgument,
                  "limit " + std::to_string(requested) + " above " + std::to_string(kMaxPageLimit));
  }
  return requested == 0 ? kDefaultPageLimit : requested;
}

std::optional<Bytes> DatabaseState::get(std::string_view key) const {
  return db_.get(storage::Column::kState, key);
}

void DatabaseState::scan(std::string_view prefix, const ScanFn& fn) const {
  db_.scan(storage::Column::kState, prefix, fn);
}

void DatabaseState::scan_back(std::string_view prefix, std::string_view from,
                              const ScanFn& fn) const {
  db_.scan_back(storage::Column::kState, prefix, from, fn);
}

std::optional<Bytes> SnapshotState::get(std::string_view key) const {
  return snapshot_.get(storage::Column::kState, key);
}

void SnapshotState::scan(std::string_view prefix, const ScanFn& fn) const {
  snapshot_.scan(storage::Column::kState, prefix, fn);
}

void SnapshotState::scan_back(std::string_view prefix, std::string_view from,
                              const ScanFn& fn) const {
  snapshot_.scan_back(storage::Column::kState, prefix, from, fn);
}

std::optional<Bytes> Overlay::get(std::string_view key) const {
  auto it = writes_.find(key);
  if (it != writes_.end()) return it->second;
  return base_.get(key);
}

namespace {

// One layer's ordered writes merged into its base's ordered keys, in the base scan's direction:
// `own` .. `end` are the layer's writes in that order from where the base scan starts, `before`
// the order, `base_scan` the base's scan; the layer wins on ties and its erasures hide keys.
template <typename It, typename Before, typename BaseScan>
void merge_scan(It own, It end, std::string_view prefix, Before before, const BaseScan& base_scan,
                const ScanFn& fn) {
  auto has_own = [&] {
    return own != end && std::string_view(own->first).substr(0, prefix.size()) == prefix;
  };
  bool stopped = false;
  base_scan([&](std::string_view key, std::string_view value) {
    while (has_own() && before(std::string_view(own->first), key)) {
      if (own->second && !fn(own->first, *own->second)) {
        stopped = true;
        return false;
      }
      ++own;
    }
    if (has_own() && own->first == key) {
      const auto& mine = own->second;
      ++own;
      if (mine && !fn(key, *mine)) {
        stopped = true;
        return false;
      }
      return true;
    }
    if (!fn(key, value)) {
      stopped = true;
      return false;
    }
    return true;
  });
  for (; !stopped && has_own(); ++own) {
    if (own->second && !fn(own->first, *own->second)) return;
  }
}

}  // namespace

void Overlay::scan(std::string_view prefix, const ScanFn& fn) const {
  merge_scan(
      writes_.lower_bound(prefix), writes_.end(), prefix, std::less<std::string_view>(),
      [&](const ScanFn& merged) { base_.scan(prefix, merged); }, fn);
}

void Overlay::scan_back(std::string_view prefix, std::string_view from, const ScanFn& fn) const {
  // The writes at or below `from`, descending: reverse iteration from upper_bound(from).
  merge_scan(
      std::make_reverse_iterator(writes_.upper_bound(from)), writes_.rend(), prefix,
      std::greater<std::string_view>(),
      [&](const ScanFn& merged) { base_.scan_back(prefix, from, merged); }, fn);
}

void Overlay::put(std::string_view key, std::string_view value) {
  auto it = writes_.find(key);
  if (it != writes_.end()) {
    it->second = Bytes(value);
  } else {
    writes_.emplace(Bytes(key), Bytes(value));
  }
}

void Overlay::erase(std::string_view key) {
  auto it = writes_.find(key);
  if (it != writes_.end()) {
    it->second.reset();
  } else {
    writes_.emplace(Bytes(key), std::nullopt);
  }
}

void Overlay::commit_to(Overlay& parent) {
  for (auto& [key, value] : writes_) {
    if (value) {
      parent.put(key, *value);
    } else {
      parent.erase(key);
    }
  }
  writes_.clear();
}

std::optional<Bytes> BlockOverlay::get(std::string_view key) const {
  const auto& w = writes();
  auto it = w.find(key);
  if (it != w.end()) return it->second;
  auto cached = read_cache_.find(key);
  if (cached != read_cache_.end()) return cached->second;
  auto value = Overlay::get(key);
  read_cache_.emplace(Bytes(key), value);
  return value;
}

}  // namespace btt::ledger

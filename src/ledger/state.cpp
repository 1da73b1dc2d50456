#include "btt/ledger/state.h"

#include "btt/storage/db.h"

namespace btt::ledger {

uint64_t read_u64(const StateReader& state, std::string_view key) {
  auto raw = state.get(key);
  if (!raw) return 0;
  std::string_view in = *raw;
  uint64_t out = 0;
  return get_u64_be(in, out) ? out : 0;
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

void Overlay::scan(std::string_view prefix, const ScanFn& fn) const {
  // Merge the base's ordered keys with this layer's ordered writes; this layer wins on ties.
  auto it = writes_.lower_bound(prefix);
  auto in_prefix = [&](const Bytes& k) { return k.compare(0, prefix.size(), prefix) == 0; };
  bool stopped = false;
  base_.scan(prefix, [&](std::string_view key, std::string_view value) {
    while (it != writes_.end() && in_prefix(it->first) && std::string_view(it->first) < key) {
      if (it->second && !fn(it->first, *it->second)) {
        stopped = true;
        return false;
      }
      ++it;
    }
    if (it != writes_.end() && it->first == key) {
      bool live = it->second.has_value();
      std::string_view v = live ? std::string_view(*it->second) : std::string_view();
      ++it;
      if (live && !fn(key, v)) {
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
  if (stopped) return;
  for (; it != writes_.end() && in_prefix(it->first); ++it) {
    if (it->second && !fn(it->first, *it->second)) return;
  }
}

void Overlay::scan_back(std::string_view prefix, std::string_view from, const ScanFn& fn) const {
  // scan's merge, descending: this layer's writes at or below `from` (upper_bound, then back)
  // interleaved with the base's keys; this layer wins on ties.
  auto in_prefix = [&](std::string_view k) { return k.substr(0, prefix.size()) == prefix; };
  auto it = writes_.upper_bound(from);  // one past the greatest write <= from
  auto has_own = [&] { return it != writes_.begin() && in_prefix(std::prev(it)->first); };
  bool stopped = false;
  base_.scan_back(prefix, from, [&](std::string_view key, std::string_view value) {
    while (has_own() && std::string_view(std::prev(it)->first) > key) {
      --it;
      if (it->second && !fn(it->first, *it->second)) {
        stopped = true;
        return false;
      }
    }
    if (has_own() && std::prev(it)->first == key) {
      --it;
      if (it->second && !fn(key, *it->second)) {
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
  if (stopped) return;
  while (has_own()) {
    --it;
    if (it->second && !fn(it->first, *it->second)) return;
  }
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

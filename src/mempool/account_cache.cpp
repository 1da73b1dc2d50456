#include "btt/mempool/account_cache.h"

namespace btt::mempool {

AccountState AccountCache::get(const crypto::Address& address, uint64_t height, const Loader& load,
                               const std::function<uint64_t()>& current_height) {
  {
    std::lock_guard lock(mu_);
    if (height > height_) {
      entries_.clear();
      height_ = height;
    }
    if (height == height_) {
      if (auto it = entries_.find(address); it != entries_.end()) {
        ++counters_.hits;
        return it->second;
      }
    }
    ++counters_.misses;
  }
  const AccountState state = load(address);
  // A commit that landed during the read may have changed what was read: answer, keep nothing.
  if (current_height() != height) return state;
  std::lock_guard lock(mu_);
  if (height == height_ && entries_.size() < max_entries_) entries_.emplace(address, state);
  return state;
}

AccountCache::Counters AccountCache::counters() const {
  std::lock_guard lock(mu_);
  return counters_;
}

size_t AccountCache::size() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

}  // namespace btt::mempool

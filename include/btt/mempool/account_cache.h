#pragma once
// The committed nonce, spendable BTT and priority of the accounts admission looks at, read from
// the database once per committed height: between two blocks the same senders send again and
// again (each admission and each relayed copy asks), and every read is several RocksDB lookups.
//
// Entries belong to the tip height they were read at and are forgotten once the chain moves on.
// A read that raced a commit (started at height h, finished after the commit) is not kept. What
// a lookup returns is what a database read at that moment would return, except in the instant
// between a block's write and the tip height moving, when it may still answer for the previous
// block; the pool's update() after every block re-reads every pending sender, so a tx admitted
// in that instant against the old state is dropped then (as it would be had it arrived just
// before the block).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>

#include "btt/crypto/address.h"

namespace btt::mempool {

// The committed state of one account as the pool needs it.
struct AccountState {
  uint64_t next_nonce = 0;
  uint64_t spendable_btt = 0;
  // How its txs rank among pending txs of equal fee, higher first
  // (chain::ModuleRegistry::tx_priority: its stake-lock tier on a staking chain, else 0).
  uint32_t priority = 0;
};

class AccountCache {
 public:
  using Loader = std::function<AccountState(const crypto::Address&)>;
  // Beyond max_entries accounts at one height, further reads are not kept.
  explicit AccountCache(size_t max_entries = 100'000) : max_entries_(max_entries) {}

  // The state of `address` at tip height `height` (the caller's chain.tip_height() just before),
  // from the cache or from `load` (called without the cache's lock held). `current_height` is
  // asked again after a load to tell whether a commit raced it.
  [[nodiscard]] AccountState get(const crypto::Address& address, uint64_t height,
                                 const Loader& load,
                                 const std::function<uint64_t()>& current_height);

  struct Counters {
    uint64_t hits = 0;
    uint64_t misses = 0;
  };
  [[nodiscard]] Counters counters() const;
  [[nodiscard]] size_t size() const;

 private:
  size_t max_entries_;
  mutable std::mutex mu_;
  uint64_t height_ = 0;
  std::map<crypto::Address, AccountState> entries_;
  Counters counters_;
};

}  // namespace btt::mempool

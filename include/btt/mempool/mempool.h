#pragma once
// The mempool: signed txs waiting for a block.
//
// Rules (doc/operator.md has the operator's view):
// - Admission: the caller has already decoded, checked and signature-verified the tx. The pool
//   refuses a tx id it holds (kDuplicateTx), a nonce below the account's next nonce
//   (kNonceTooLow), a nonce more than max_nonce_gap ahead (kNonceTooHigh), and a sender whose
//   spendable BTT does not cover the fees of all its pending txs plus this one
//   (kInsufficientFeeBalance).
// - Same sender and nonce as a pending tx: the new one replaces it only if its fee is at least
//   replace_fee_bump_pct percent higher; otherwise kNonceConflict.
// - Priority: each tx carries its sender's AccountState::priority as read when it was admitted
//   (the stake-lock tier on a staking chain, else 0); update() refreshes it after every block.
// - Full (max_txs or max_bytes): the tx with the lowest fee that is last in its sender's queue
//   (among equal fees the lowest priority, then the latest arrival) is evicted if the newcomer
//   pays strictly more; otherwise kMempoolFull. Evicting only queue tails keeps every sender's
//   nonces contiguous.
// - reap: txs whose nonces follow on from their account's next nonce without a gap, by fee
//   (highest first), among equal fees by priority (highest first), then arrival order; each
//   sender's txs in nonce order.
// - update after every committed block: drops txs the block included and txs whose nonce is now
//   stale, then re-checks the rest against the new state (fee balance, priority) and drops what
//   fails.
// Thread-safe: every method takes the pool's lock. The AccountView is called under that lock, so
// it must not call back into the pool.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <unordered_map>
#include <vector>

#include "btt/chain/tx.h"
#include "btt/common/status.h"
#include "btt/mempool/account_cache.h"

namespace btt::mempool {

struct Limits {
  size_t max_txs = 20000;
  size_t max_bytes = 64u << 20;
  uint64_t max_nonce_gap = 64;
  uint32_t replace_fee_bump_pct = 10;
};

using AccountView = std::function<AccountState(const crypto::Address&)>;

struct Stats {
  size_t txs = 0;
  size_t bytes = 0;
  size_t senders = 0;
};

class Mempool {
 public:
  explicit Mempool(Limits limits);

  [[nodiscard]] Status add(chain::TxPtr tx, const AccountView& accounts);
  [[nodiscard]] std::vector<chain::TxPtr> reap(size_t max_txs, size_t max_bytes,
                                               const AccountView& accounts) const;
  void update(const std::vector<Hash32>& committed_ids, const AccountView& accounts);

  [[nodiscard]] bool contains(const Hash32& id) const;
  [[nodiscard]] chain::TxPtr get(const Hash32& id) const;
  [[nodiscard]] Stats stats() const;
  // The nonce a new tx from `sender` should carry to follow its pending txs: one past the end of
  // the run of pending nonces that starts at `committed_next` (committed_next if none is pending).
  [[nodiscard]] uint64_t pending_next_nonce(const crypto::Address& sender,
                                            uint64_t committed_next) const;
  [[nodiscard]] const Limits& limits() const { return limits_; }
  // Committed account state for the admission paths that share this pool (admission.h); the
  // pool itself only ever uses the AccountView it is given.
  [[nodiscard]] AccountCache& account_cache() const { return account_cache_; }

 private:
  struct Entry {
    chain::TxPtr tx;
    uint64_t seq = 0;       // arrival order: the tie-break wherever fee and priority are equal
    uint32_t priority = 0;  // the sender's AccountState::priority (admission, then update())
  };
  struct SenderQueue {
    std::map<uint64_t, Entry> txs;  // by nonce
    uint64_t fee_sum = 0;           // fees of every tx in txs
  };
  struct TxKey {
    crypto::Address sender;
    uint64_t nonce = 0;
  };
  // One per sender: its highest-nonce tx. Ordered cheapest first, among equal fees the lowest
  // priority first, then the latest arrival first, so begin() is the next eviction victim.
  struct TailKey {
    uint64_t fee = 0;
    uint32_t priority = 0;
    uint64_t seq = 0;
    crypto::Address sender;
    uint64_t nonce = 0;
    bool operator<(const TailKey& o) const {
      if (fee != o.fee) return fee < o.fee;
      if (priority != o.priority) return priority < o.priority;
      return seq > o.seq;
    }
  };

  static TailKey tail_key(const crypto::Address& sender, const SenderQueue& queue);
  void insert_entry(const crypto::Address& sender, Entry entry);
  Entry remove_entry(const crypto::Address& sender, uint64_t nonce);
  std::optional<TailKey> pick_victim(const crypto::Address& sender, uint64_t nonce) const;

  Limits limits_;
  mutable std::mutex mu_;
  std::map<crypto::Address, SenderQueue> senders_;  // only senders with at least one tx
  // Tx ids are hashes, but the sender chooses them: buckets are picked by a per-pool secret
  // seed so nobody can aim txs at one bucket. Never iterated (lookups only), so its order
  // cannot reach anything.
  struct IdHash {
    uint64_t seed = 0;
    size_t operator()(const Hash32& id) const;
  };
  std::unordered_map<Hash32, TxKey, IdHash> by_id_;
  std::set<TailKey> tails_;
  size_t bytes_ = 0;
  uint64_t next_seq_ = 0;
  mutable AccountCache account_cache_;
};

}  // namespace btt::mempool

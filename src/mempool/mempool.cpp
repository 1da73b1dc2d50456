#include "btt/mempool/mempool.h"

#include <cstring>
#include <iterator>
#include <string>
#include <utility>

#include "btt/common/checked.h"
#include "btt/crypto/hash.h"

namespace btt::mempool {

namespace {

// new_fee >= old_fee * (100 + pct) / 100, exactly (no rounding), and strictly above old_fee so a
// zero bump percentage still needs a higher fee.
bool pays_replacement_bump(uint64_t old_fee, uint64_t new_fee, uint32_t pct) {
  if (new_fee <= old_fee) return false;
  const unsigned __int128 lhs = static_cast<unsigned __int128>(new_fee) * 100;
  const unsigned __int128 rhs = static_cast<unsigned __int128>(old_fee) * (100u + uint64_t{pct});
  return lhs >= rhs;
}

}  // namespace

size_t Mempool::IdHash::operator()(const Hash32& id) const {
  uint64_t a;
  uint64_t b;
  std::memcpy(&a, id.data(), sizeof(a));
  std::memcpy(&b, id.data() + 8, sizeof(b));
  uint64_t h = (a ^ seed) * 0x9e3779b97f4a7c15ULL;
  h = (h ^ (h >> 29) ^ b) * 0xbf58476d1ce4e5b9ULL;
  return static_cast<size_t>(h ^ (h >> 32));
}

Mempool::Mempool(Limits limits)
    : limits_(limits), by_id_(1024, IdHash{crypto::hash_table_seed()}) {}

Mempool::TailKey Mempool::tail_key(const crypto::Address& sender, const SenderQueue& queue) {
  const auto& [nonce, entry] = *queue.txs.rbegin();
  return TailKey{entry.tx->fee(), entry.priority, entry.seq, sender, nonce};
}

void Mempool::insert_entry(const crypto::Address& sender, Entry entry) {
  SenderQueue& queue = senders_[sender];
  if (!queue.txs.empty()) tails_.erase(tail_key(sender, queue));
  const chain::TxPtr tx = entry.tx;
  // Cannot overflow: admission keeps every queue's fee sum within a uint64 balance.
  queue.fee_sum = checked_add(queue.fee_sum, tx->fee()).value();
  queue.txs.emplace(tx->nonce(), std::move(entry));
  tails_.insert(tail_key(sender, queue));
  by_id_.emplace(tx->id, TxKey{sender, tx->nonce()});
  bytes_ += tx->size();
}

Mempool::Entry Mempool::remove_entry(const crypto::Address& sender, uint64_t nonce) {
  auto sit = senders_.find(sender);
  SenderQueue& queue = sit->second;
  auto it = queue.txs.find(nonce);
  const bool was_tail = std::next(it) == queue.txs.end();
  if (was_tail) tails_.erase(tail_key(sender, queue));
  Entry entry = std::move(it->second);
  queue.txs.erase(it);
  queue.fee_sum = checked_sub(queue.fee_sum, entry.tx->fee()).value();
  by_id_.erase(entry.tx->id);
  bytes_ -= entry.tx->size();
  if (queue.txs.empty()) {
    senders_.erase(sit);
  } else if (was_tail) {
    tails_.insert(tail_key(sender, queue));
  }
  return entry;
}

// The cheapest tail, except the newcomer's own sender's tail when it sits below the newcomer's
// nonce: evicting it would open a gap right before the newcomer.
std::optional<Mempool::TailKey> Mempool::pick_victim(const crypto::Address& sender,
                                                     uint64_t nonce) const {
  for (const TailKey& key : tails_) {
    if (key.sender == sender && key.nonce < nonce) continue;  // at most one such key
    return key;
  }
  return std::nullopt;
}

Status Mempool::add(chain::TxPtr tx, const AccountView& accounts) {
  std::lock_guard lock(mu_);
  if (!tx) return {Code::kMalformed, "no tx"};
  if (by_id_.contains(tx->id)) return {Code::kDuplicateTx, "tx already in the mempool"};

  const AccountState account = accounts(tx->sender);
  const uint64_t nonce = tx->nonce();
  const uint64_t fee = tx->fee();
  if (nonce < account.next_nonce) {
    return {Code::kNonceTooLow, "nonce " + std::to_string(nonce) + " below the account's next " +
                                    std::to_string(account.next_nonce)};
  }
  if (nonce - account.next_nonce > limits_.max_nonce_gap) {
    return {Code::kNonceTooHigh, "nonce " + std::to_string(nonce) + " more than " +
                                     std::to_string(limits_.max_nonce_gap) +
                                     " ahead of the account's next " +
                                     std::to_string(account.next_nonce)};
  }

  uint64_t pending_fees = 0;
  bool replaces = false;
  if (auto sit = senders_.find(tx->sender); sit != senders_.end()) {
    const SenderQueue& queue = sit->second;
    pending_fees = queue.fee_sum;
    if (auto it = queue.txs.find(nonce); it != queue.txs.end()) {
      const uint64_t old_fee = it->second.tx->fee();
      if (!pays_replacement_bump(old_fee, fee, limits_.replace_fee_bump_pct)) {
        return {Code::kNonceConflict, "a pending tx holds nonce " + std::to_string(nonce) +
                                          " with fee " + std::to_string(old_fee) +
                                          "; a replacement must pay " +
                                          std::to_string(limits_.replace_fee_bump_pct) + "% more"};
      }
      replaces = true;
      pending_fees = checked_sub(pending_fees, old_fee).value();  // old_fee is part of fee_sum
    }
  }
  const std::optional<uint64_t> needed = checked_add(pending_fees, fee);
  if (!needed || *needed > account.spendable_btt) {
    return {Code::kInsufficientFeeBalance,
            "spendable BTT does not cover the fees of the sender's pending txs and this one"};
  }
  if (tx->size() > limits_.max_bytes || limits_.max_txs == 0) {
    return {Code::kMempoolFull, "tx larger than the whole mempool"};
  }

  // Make room. Everything removed is kept so a refusal can put it all back as it was.
  std::optional<Entry> replaced;
  if (replaces) replaced = remove_entry(tx->sender, nonce);
  std::vector<Entry> evicted;
  std::vector<crypto::Address> evicted_senders;
  while (by_id_.size() + 1 > limits_.max_txs || bytes_ + tx->size() > limits_.max_bytes) {
    const std::optional<TailKey> victim = pick_victim(tx->sender, nonce);
    if (!victim || victim->fee >= fee) {
      for (size_t i = evicted.size(); i-- > 0;) {
        insert_entry(evicted_senders[i], std::move(evicted[i]));
      }
      if (replaced) insert_entry(tx->sender, std::move(*replaced));
      return {Code::kMempoolFull, "mempool full and the fee does not beat the cheapest tx"};
    }
    evicted.push_back(remove_entry(victim->sender, victim->nonce));
    evicted_senders.push_back(victim->sender);
  }

  const crypto::Address sender = tx->sender;
  insert_entry(sender, Entry{std::move(tx), next_seq_++, account.priority});
  return Status::ok();
}

std::vector<chain::TxPtr> Mempool::reap(size_t max_txs, size_t max_bytes,
                                        const AccountView& accounts) const {
  std::lock_guard lock(mu_);
  using QueueIt = std::map<uint64_t, Entry>::const_iterator;
  struct Cursor {
    QueueIt it;
    QueueIt end;
  };
  // The next includable tx of each sender, best first: highest fee, then highest priority, then
  // earliest arrival.
  struct HeadOrder {
    bool operator()(const Entry* a, const Entry* b) const {
      if (a->tx->fee() != b->tx->fee()) return a->tx->fee() > b->tx->fee();
      if (a->priority != b->priority) return a->priority > b->priority;
      return a->seq < b->seq;
    }
  };
  std::vector<Cursor> cursors;
  std::map<const Entry*, size_t, HeadOrder> heads;  // head entry -> index in cursors
  for (const auto& [sender, queue] : senders_) {
    const uint64_t next_nonce = accounts(sender).next_nonce;
    auto it = queue.txs.find(next_nonce);  // a sender whose next nonce is missing waits
    if (it == queue.txs.end()) continue;
    heads.emplace(&it->second, cursors.size());
    cursors.push_back(Cursor{it, queue.txs.end()});
  }

  std::vector<chain::TxPtr> out;
  size_t bytes = 0;
  while (!heads.empty() && out.size() < max_txs) {
    const size_t index = heads.begin()->second;
    heads.erase(heads.begin());
    Cursor& cursor = cursors[index];
    const chain::TxPtr& tx = cursor.it->second.tx;
    // A tx that does not fit ends its sender's run (its later nonces depend on it); smaller txs of
    // other senders may still fit.
    if (tx->size() > max_bytes - bytes) continue;
    out.push_back(tx);
    bytes += tx->size();
    const uint64_t nonce = cursor.it->first;
    ++cursor.it;
    if (cursor.it != cursor.end && cursor.it->first - nonce == 1) {
      heads.emplace(&cursor.it->second, index);
    }
  }
  return out;
}

void Mempool::update(const std::vector<Hash32>& committed_ids, const AccountView& accounts) {
  std::lock_guard lock(mu_);
  for (const Hash32& id : committed_ids) {
    auto it = by_id_.find(id);
    if (it == by_id_.end()) continue;
    const TxKey key = it->second;
    (void)remove_entry(key.sender, key.nonce);
  }
  for (auto sit = senders_.begin(); sit != senders_.end();) {
    // Removals below only ever erase this sender's node.
    const auto next = std::next(sit);
    const crypto::Address sender = sit->first;
    const AccountState account = accounts(sender);
    bool alive = true;
    while (alive) {
      const SenderQueue& queue = sit->second;
      const uint64_t first = queue.txs.begin()->first;
      if (first >= account.next_nonce) break;
      alive = queue.txs.size() > 1;
      (void)remove_entry(sender, first);
    }
    // Drop from the tail: the lowest nonces run first, so they keep their claim on the balance.
    while (alive) {
      const SenderQueue& queue = sit->second;
      if (queue.fee_sum <= account.spendable_btt) break;
      alive = queue.txs.size() > 1;
      (void)remove_entry(sender, queue.txs.rbegin()->first);
    }
    // The priority of the new state (a lock began or ended); the tail's key moves with it.
    if (alive) {
      SenderQueue& queue = sit->second;
      const bool tail_moves = queue.txs.rbegin()->second.priority != account.priority;
      if (tail_moves) tails_.erase(tail_key(sender, queue));
      for (auto& [nonce, entry] : queue.txs) entry.priority = account.priority;
      if (tail_moves) tails_.insert(tail_key(sender, queue));
    }
    sit = next;
  }
}

bool Mempool::contains(const Hash32& id) const {
  std::lock_guard lock(mu_);
  return by_id_.contains(id);
}

chain::TxPtr Mempool::get(const Hash32& id) const {
  std::lock_guard lock(mu_);
  auto it = by_id_.find(id);
  if (it == by_id_.end()) return nullptr;
  return senders_.at(it->second.sender).txs.at(it->second.nonce).tx;
}

uint64_t Mempool::pending_next_nonce(const crypto::Address& sender, uint64_t committed_next) const {
  std::lock_guard lock(mu_);
  uint64_t next = committed_next;
  auto it = senders_.find(sender);
  if (it == senders_.end()) return next;
  for (auto tx = it->second.txs.find(next); tx != it->second.txs.end() && tx->first == next; ++tx) {
    ++next;
  }
  return next;
}

Stats Mempool::stats() const {
  std::lock_guard lock(mu_);
  return Stats{by_id_.size(), bytes_, senders_.size()};
}

}  // namespace btt::mempool

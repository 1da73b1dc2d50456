#include "btt/node/tx_relay.h"

#include <pthread.h>

#include <algorithm>
#include <cstring>

#include "btt/crypto/hash.h"
#include "btt/mempool/admission.h"

namespace btt::node {

using Clock = std::chrono::steady_clock;
// Most queued txs admitted between two looks at the outgoing batch.
constexpr size_t kAdmitSlice = 256;
// Peers remembered per waiting tx as having sent it too (more than a node's peers is pointless).
constexpr size_t kMaxAlsoFrom = 16;

// Keyed by a per-process seed, so peers cannot aim txs at one bucket.
size_t TxRelay::SeenHash::operator()(const std::string& s) const {
  uint64_t h = seed ^ s.size();
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
    h ^= h >> 29;
  }
  uint64_t tail = 0;
  std::memcpy(&tail, s.data() + i, s.size() - i);
  h = (h ^ tail) * 0x9e3779b97f4a7c15ULL;
  return h ^ (h >> 32);
}

TxRelay::TxRelay(chain::Chain& chain, mempool::Mempool& pool, p2p::Network* transport,
                 TxRelayOptions options)
    : chain_(chain),
      pool_(pool),
      transport_(transport),
      options_(options),
      seen_(1024, SeenHash{crypto::hash_table_seed()}) {}

void TxRelay::remember(const std::string& raw) {
  if (options_.max_seen == 0) return;
  auto [it, inserted] = seen_.insert(raw);
  if (!inserted) return;
  seen_order_.push_back(&*it);  // set elements do not move on rehash
  if (seen_order_.size() > options_.max_seen) {
    outgoing_index_.erase(seen_order_.front());
    seen_.erase(seen_.find(*seen_order_.front()));
    seen_order_.pop_front();
  }
}

void TxRelay::queue_outgoing(Queued q) {
  if (auto it = seen_.find(q.raw); it != seen_.end()) {
    outgoing_index_[&*it] = outgoing_.size();
  }
  outgoing_.push_back(std::move(q));
}

void TxRelay::take_outgoing(std::vector<Queued>& out) {
  out.swap(outgoing_);
  outgoing_index_.clear();
}

void TxRelay::set_on_admitted(std::function<void()> on_admitted) {
  on_admitted_ = std::move(on_admitted);
}

size_t TxRelay::run_ready() {
  std::vector<Queued> batch;
  std::vector<Queued> out;
  {
    std::lock_guard lock(mu_);
    batch.assign(std::make_move_iterator(incoming_.begin()),
                 std::make_move_iterator(incoming_.end()));
    incoming_.clear();
  }
  std::vector<Queued> admitted = admit_all(batch);
  {
    std::lock_guard lock(mu_);
    if (transport_) {
      for (auto& q : admitted) queue_outgoing(std::move(q));
    }
    take_outgoing(out);
  }
  flush(out);
  return batch.size() + out.size();
}

TxRelay::~TxRelay() {
  stop();
}

void TxRelay::start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable() || stopping_) return;
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "tx-relay");
    run();
  });
}

void TxRelay::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  idle_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void TxRelay::on_gossip(const p2p::NodeId& from, const v1::TxGossip& gossip) {
  const size_t n =
      std::min<size_t>(static_cast<size_t>(gossip.txs_size()), options_.max_txs_per_message);
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    for (size_t i = 0; i < n; ++i) {
      const std::string& raw = gossip.txs(static_cast<int>(i));
      if (auto it = seen_.find(raw); it != seen_.end()) {
        ++counters_.duplicates;
        // Still waiting to go out: that peer has it already.
        if (auto out = outgoing_index_.find(&*it); out != outgoing_index_.end()) {
          Queued& q = outgoing_[out->second];
          if (q.from != from && q.also_from.size() < kMaxAlsoFrom &&
              std::find(q.also_from.begin(), q.also_from.end(), from) == q.also_from.end()) {
            q.also_from.push_back(from);
          }
        }
        continue;
      }
      if (incoming_.size() >= options_.max_pending) {
        counters_.dropped += n - i;
        break;
      }
      incoming_.push_back(Queued{from, raw, {}});
    }
  }
  cv_.notify_one();
}

void TxRelay::gossip(const v1::Tx& tx) {
  if (!transport_) return;
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    if (outgoing_.empty()) {
      flush_due_ = Clock::now() + std::chrono::milliseconds(options_.flush_interval_ms);
    }
    Queued q{std::nullopt, tx.SerializeAsString(), {}};
    remember(q.raw);
    queue_outgoing(std::move(q));
  }
  cv_.notify_one();
}

void TxRelay::on_committed(const std::vector<chain::TxPtr>& txs) {
  std::lock_guard lock(mu_);
  for (const auto& tx : txs) remember(tx->raw);
}

bool TxRelay::admit(const std::string& raw) {
  auto decoded = chain::decode_tx(raw, chain_.params().max_tx_bytes());
  if (!decoded) {
    std::lock_guard lock(mu_);
    ++counters_.refused;
    return false;
  }
  // Most gossip is a tx this node already holds (every peer relays it): skip those before the
  // checks and the signature.
  if (pool_.contains((*decoded)->id)) {
    std::lock_guard lock(mu_);
    ++counters_.duplicates;
    return false;
  }
  // Admission deduplicates by tx id (pending or committed), so a tx is relayed once.
  const bool ok = mempool::admit_decoded(*decoded, chain_, pool_).is_ok();
  std::lock_guard lock(mu_);
  ++(ok ? counters_.admitted : counters_.refused);
  if (ok) remember(raw);
  return ok;
}

std::vector<TxRelay::Queued> TxRelay::admit_all(std::vector<Queued>& batch) {
  std::vector<Queued> admitted;
  for (auto& q : batch) {
    if (admit(q.raw)) admitted.push_back(std::move(q));
  }
  if (!admitted.empty() && on_admitted_) on_admitted_();
  return admitted;
}

void TxRelay::run() {
  std::vector<Queued> batch;
  std::vector<Queued> out;
  std::unique_lock lock(mu_);
  while (true) {
    if (stopping_) return;
    if (incoming_.empty()) {
      if (outgoing_.empty()) {
        cv_.wait(lock);
        continue;
      }
      if (Clock::now() < flush_due_) {
        cv_.wait_until(lock, flush_due_);
        continue;
      }
    }
    busy_ = true;
    // A bounded slice at a time, so the batch to peers goes out on time behind a long queue.
    const size_t take = std::min(incoming_.size(), kAdmitSlice);
    batch.assign(std::make_move_iterator(incoming_.begin()),
                 std::make_move_iterator(incoming_.begin() + static_cast<std::ptrdiff_t>(take)));
    incoming_.erase(incoming_.begin(), incoming_.begin() + static_cast<std::ptrdiff_t>(take));
    lock.unlock();

    std::vector<Queued> admitted = admit_all(batch);
    batch.clear();

    lock.lock();
    if (!admitted.empty() && transport_) {
      if (outgoing_.empty()) {
        flush_due_ = Clock::now() + std::chrono::milliseconds(options_.flush_interval_ms);
      }
      for (auto& q : admitted) queue_outgoing(std::move(q));
    }
    if (!outgoing_.empty() &&
        (Clock::now() >= flush_due_ || outgoing_.size() >= options_.max_batch_txs)) {
      take_outgoing(out);
      lock.unlock();
      flush(out);
      out.clear();
      lock.lock();
    }
    busy_ = false;
    if (incoming_.empty() && outgoing_.empty()) idle_cv_.notify_all();
  }
}

void TxRelay::flush(std::vector<Queued>& out) {
  if (!transport_) return;
  uint64_t not_sent = 0;
  for (const auto& peer : transport_->peers()) {
    v1::P2pMessage msg;
    size_t bytes = 0;
    auto send = [&] {
      if (msg.tx_gossip().txs_size() == 0) return;
      transport_->send(peer.id, msg);
      msg.mutable_tx_gossip()->clear_txs();
      bytes = 0;
    };
    for (const auto& q : out) {
      if (q.from && *q.from == peer.id) continue;  // it came from there
      if (std::find(q.also_from.begin(), q.also_from.end(), peer.id) != q.also_from.end()) {
        ++not_sent;
        continue;
      }
      if (static_cast<size_t>(msg.tx_gossip().txs_size()) >= options_.max_batch_txs ||
          bytes + q.raw.size() > options_.max_batch_bytes) {
        send();
      }
      msg.mutable_tx_gossip()->add_txs(q.raw);
      bytes += q.raw.size();
    }
    send();
  }
  if (not_sent > 0) {
    std::lock_guard lock(mu_);
    counters_.not_sent += not_sent;
  }
}

void TxRelay::wait_idle() {
  std::unique_lock lock(mu_);
  idle_cv_.wait(lock, [&] {
    return stopping_ || !thread_.joinable() || (incoming_.empty() && outgoing_.empty() && !busy_);
  });
}

TxRelayCounters TxRelay::counters() const {
  std::lock_guard lock(mu_);
  return counters_;
}

}  // namespace btt::node

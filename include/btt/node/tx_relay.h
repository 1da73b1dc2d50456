#pragma once
// Tx gossip off the consensus thread (doc/consensus.md, "The reactor"). Txs that peers gossip are
// admitted on this class's own thread (decode, stateless checks, signature, mempool rules), so
// proposals and votes never wait behind signature verification on the reactor's thread. Txs
// admitted here or through gRPC go out in batches: at most one TxGossip per peer every
// flush_interval_ms, each without the txs that peer sent us, instead of one frame per tx.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "btt/chain/chain.h"
#include "btt/mempool/mempool.h"
#include "btt/p2p/transport.h"
#include "btt/v1/p2p.pb.h"

namespace btt::node {

struct TxRelayOptions {
  // A tx waits at most this long for the next batch to its peers.
  uint32_t flush_interval_ms = 5;
  // One TxGossip holds at most this many txs and bytes; a larger batch goes out in several.
  size_t max_batch_txs = 2000;
  size_t max_batch_bytes = 1u << 20;
  // Txs from peers waiting for admission; more are dropped (gossip is best effort: a dropped tx
  // still reaches this node in a proposal).
  size_t max_pending = 50'000;
  // Most txs taken from one TxGossip message; the rest is ignored.
  size_t max_txs_per_message = 10'000;
  // The serialized bytes of this many recently admitted or committed txs are remembered (about
  // 10 MB), so the copies every other peer relays are dropped on arrival without being parsed.
  size_t max_seen = 40'000;
};

struct TxRelayCounters {
  uint64_t admitted = 0;    // new txs from peers that entered the mempool
  uint64_t duplicates = 0;  // already admitted or in the mempool when they arrived
  uint64_t refused = 0;     // refused by admission (bad signature, nonce, ...)
  uint64_t dropped = 0;     // over max_pending
  uint64_t not_sent = 0;    // copies not sent to a peer because that peer had sent the tx here
};

class TxRelay {
 public:
  // transport may be null (no peers: txs are admitted, nothing is sent).
  TxRelay(chain::Chain& chain, mempool::Mempool& pool, p2p::Network* transport,
          TxRelayOptions options = {});
  ~TxRelay();
  TxRelay(const TxRelay&) = delete;
  TxRelay& operator=(const TxRelay&) = delete;

  // Called on the relay's thread after txs from peers entered the mempool (before start()).
  void set_on_admitted(std::function<void()> on_admitted);
  void start();
  void stop();
  // Without start() (tests driving everything by hand): admits every queued tx and sends every
  // batch now, on the caller's thread; how many txs it handled.
  size_t run_ready();

  // A TxGossip from a peer (any thread): queued for admission.
  void on_gossip(const p2p::NodeId& from, const v1::TxGossip& gossip);
  // A tx admitted elsewhere (gRPC, any thread): sent to every peer with the next batch.
  void gossip(const v1::Tx& tx);
  // The txs of a committed block (any thread): copies that peers still relay are dropped on
  // arrival like those of admitted txs (a tx whose block came before its gossip is common).
  void on_committed(const std::vector<chain::TxPtr>& txs);

  // Blocks until every tx queued so far has been admitted (or refused) and sent (tests).
  void wait_idle();
  [[nodiscard]] TxRelayCounters counters() const;

 private:
  struct Queued {
    std::optional<p2p::NodeId> from;  // none: admitted through gRPC, nothing to admit
    std::string raw;                  // the serialized Tx
    // Other peers that sent this tx here while it waited to go out: they have it, so it is not
    // sent back to them (in a full mesh every peer relays every tx; this saves those copies).
    std::vector<p2p::NodeId> also_from;
  };

  void run();
  // Admits one tx from a peer; true if it is new and entered the mempool.
  bool admit(const std::string& raw);
  // Admits each of batch (moving out the admitted ones), tells on_admitted_ if any got in; those.
  std::vector<Queued> admit_all(std::vector<Queued>& batch);
  void flush(std::vector<Queued>& out);
  // Under mu_: queues an admitted tx for the next batch / takes the batch.
  void queue_outgoing(Queued q);
  void take_outgoing(std::vector<Queued>& out);
  // Under mu_: remembers the bytes of a recently admitted tx (a bounded set, oldest out first).
  void remember(const std::string& raw);
  struct SeenHash {
    uint64_t seed;
    size_t operator()(const std::string& s) const;
  };

  chain::Chain& chain_;
  mempool::Mempool& pool_;
  p2p::Network* transport_;
  TxRelayOptions options_;
  std::function<void()> on_admitted_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::condition_variable idle_cv_;
  std::deque<Queued> incoming_;   // from peers, to admit
  std::vector<Queued> outgoing_;  // admitted, to send
  std::chrono::steady_clock::time_point flush_due_{};
  bool busy_ = false;
  bool stopping_ = false;
  TxRelayCounters counters_;
  std::unordered_set<std::string, SeenHash> seen_;
  std::deque<const std::string*> seen_order_;  // elements of seen_, oldest first
  // Elements of seen_ that are in outgoing_, and where.
  std::unordered_map<const std::string*, size_t> outgoing_index_;
  std::thread thread_;
};

}  // namespace btt::node

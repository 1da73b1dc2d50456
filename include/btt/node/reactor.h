#pragma once
// The consensus reactor (doc/consensus.md, "The reactor"): drives the Tendermint state machine on
// one thread, with the chain as its proposal source and block store, the p2p transport as its
// network, and a timer queue for the step timeouts. It also runs tx gossip (TxGossip into the
// mempool) and block sync (StatusMessage, BlockRequest, BlockResponse).
//
// Threading: every consensus and block-sync input (p2p message, peer event, timeout) is posted to
// the reactor's queue and handled on its one thread, so the state machine, the chain's proposal
// cache and the sync state need no locks. Tx gossip goes to a TxRelay (tx_relay.h), which admits
// gossiped txs on its own thread, so consensus never waits behind signature verification. state(),
// evidence() and peer_heights() are thread-safe snapshots.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "btt/chain/block_hub.h"
#include "btt/chain/chain.h"
#include "btt/consensus/clock.h"
#include "btt/consensus/state_machine.h"
#include "btt/mempool/mempool.h"
#include "btt/node/tx_relay.h"
#include "btt/p2p/transport.h"
#include "btt/v1/consensus_query.pb.h"
#include "btt/v1/p2p.pb.h"

namespace btt::node {

struct ReactorOptions {
  consensus::TimeoutConfig timeouts;
  // Pause after a decision before the next height starts (Tendermint's timeout_commit): the
  // least time between blocks.
  uint32_t block_time_ms = 1000;
  // A proposal whose block time is further than this ahead of the local clock is not valid.
  uint64_t max_future_drift_ms = 10'000;
  // Status to peers and block requests this often; consensus messages are sent again when the
  // round has not moved for this long.
  uint32_t gossip_interval_ms = 500;
};

class Reactor final : private consensus::ProposalSource, private consensus::Actions {
 public:
  using OnCommit = std::function<void(const chain::CommittedBlock&)>;
  using OnFatal = std::function<void(const std::string&)>;

  // signer/proposer_key: null for a node that follows without voting. transport may be null
  // (no network: a single validator).
  Reactor(chain::Chain& chain, mempool::Mempool& pool, p2p::Transport* transport,
          chain::Signer* signer, const crypto::KeyPair* proposer_key, const consensus::Clock& clock,
          ReactorOptions options, OnCommit on_commit, OnFatal on_fatal);
  ~Reactor() override;
  Reactor(const Reactor&) = delete;
  Reactor& operator=(const Reactor&) = delete;

  // Registers the p2p handlers; call before transport->start().
  void attach();
  void start();
  void stop();

  // A tx admitted through gRPC: gossiped to peers with the next batch (from any thread).
  void gossip_tx(const v1::Tx& tx);
  [[nodiscard]] TxRelay& relay() { return relay_; }

  [[nodiscard]] v1::ConsensusState state() const;
  [[nodiscard]] std::vector<v1::Evidence> evidence() const;
  [[nodiscard]] std::map<std::string, uint64_t> peer_heights() const;

 private:
  // consensus::ProposalSource
  [[nodiscard]] Result<consensus::ProposedBlock> propose(uint64_t height,
                                                         chain::Round round) override;
  [[nodiscard]] bool validate(uint64_t height, const Bytes& block_id, const Bytes& block) override;
  // consensus::Actions
  void broadcast_proposal(const v1::Proposal& proposal) override;
  void broadcast_vote(const v1::Vote& vote) override;
  void schedule_timeout(uint64_t duration_ms, uint64_t height, chain::Round round,
                        chain::Step step) override;
  void decide(uint64_t height, chain::Round round, const Bytes& block_id, const Bytes& block,
              const v1::Commit& commit) override;
  void report_evidence(const v1::Evidence& evidence) override;
  void signing_failed(const Status& status) override;

  using Task = std::function<void()>;
  void post(Task task);
  void post_after(uint64_t delay_ms, Task task);
  void run();

  // On the reactor thread.
  void on_message(const p2p::NodeId& from, const v1::P2pMessage& msg);
  void on_consensus(const p2p::NodeId& from, const std::string& payload);
  void on_block_request(const p2p::NodeId& from, const v1::BlockRequest& req);
  void on_block_response(const p2p::NodeId& from, const v1::BlockResponse& resp);
  void on_evidence(const v1::Evidence& evidence);
  void commit_decided(uint64_t height, const Bytes& block_id, const Bytes& block,
                      const v1::Commit& commit);
  void after_commit(const chain::CommittedBlock& block);
  void start_next_height();
  void tick();
  void tick_sync();
  void send_consensus(const v1::ConsensusEnvelope& env, const p2p::NodeId* to);
  void update_snapshot();
  [[nodiscard]] Result<chain::ValidatorSet> current_validators() const;
  // The mempool's decoded copy of a block tx, for Chain::prepare / apply.
  [[nodiscard]] chain::Chain::KnownTx known_tx() const;

  chain::Chain& chain_;
  mempool::Mempool& pool_;
  p2p::Transport* transport_;
  chain::Signer* signer_;
  const crypto::KeyPair* proposer_key_;
  const consensus::Clock& clock_;
  ReactorOptions options_;
  OnCommit on_commit_;
  OnFatal on_fatal_;
  std::unique_ptr<consensus::StateMachine> sm_;
  TxRelay relay_;

  // Blocks executed for the current height (proposed or validated), by block id.
  std::map<Bytes, chain::PreparedBlock> prepared_;
  bool next_height_pending_ = false;
  bool may_join_ = false;  // set once the first-height delay has passed
  std::map<std::string, uint64_t> peer_heights_guarded_;  // copy for peer_heights()
  std::map<std::string, uint64_t> peer_heights_;          // node id -> last reported height
  std::optional<uint64_t> sync_requested_;                // height asked for, if any
  std::chrono::steady_clock::time_point sync_requested_at_{};
  size_t sync_rotation_ = 0;
  std::tuple<uint64_t, chain::Round, chain::Step> last_progress_{};
  std::chrono::steady_clock::time_point last_progress_at_{};

  mutable std::mutex mu_;  // guards the queue, timers and the snapshots below
  std::condition_variable cv_;
  std::deque<Task> queue_;
  std::multimap<std::chrono::steady_clock::time_point, Task> timers_;
  bool stopping_ = false;
  std::thread thread_;
  v1::ConsensusState snapshot_;
  std::vector<v1::Evidence> evidence_;
};

}  // namespace btt::node

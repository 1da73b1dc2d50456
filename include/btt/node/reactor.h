#pragma once
// The consensus reactor (doc/consensus.md, "The reactor"): drives the Tendermint state machine on
// one thread, with the chain as its proposal source and block store, the p2p transport as its
// network, and a timer queue for the step timeouts. It also runs tx gossip (TxGossip into the
// mempool, tx_relay.h), block sync (StatusMessage, BlockRequest, BlockResponse; block_sync.h)
// and keeps the pending evidence (evidence_pool.h); proposals arrive as parts
// (part_collector.h).
//
// Threading: every consensus and block-sync input (p2p message, peer event, timeout) is posted to
// the reactor's queue and handled on its one thread, so the state machine, the chain's proposal
// cache and the sync state need no locks. Tx gossip goes to a TxRelay (tx_relay.h), which admits
// gossiped txs on its own thread, so consensus never waits behind signature verification. state(),
// evidence() and peer_heights() are thread-safe snapshots. With ReactorOptions::manual_drive there
// is no thread (the relay's included): the caller runs what is due with run_ready(), and timers
// follow the consensus clock (tests).
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
#include <tuple>
#include <vector>

#include "btt/chain/block_hub.h"
#include "btt/chain/chain.h"
#include "btt/chain/part_set.h"
#include "btt/consensus/clock.h"
#include "btt/consensus/state_machine.h"
#include "btt/consensus/wal.h"
#include "btt/mempool/mempool.h"
#include "btt/node/block_sync.h"
#include "btt/node/evidence_pool.h"
#include "btt/node/part_collector.h"
#include "btt/node/tx_relay.h"
#include "btt/p2p/transport.h"
#include "btt/v1/block.pb.h"
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
  // false: a height does not start (round 0, propose timeout) while the mempool holds nothing
  // to include and no evidence is pending, unless a peer's proposal or vote for it arrives or
  // create_empty_blocks_interval_ms (0: never) has passed since the last block's time
  // (doc/consensus.md, "Empty blocks").
  bool create_empty_blocks = true;
  uint64_t create_empty_blocks_interval_ms = 0;
  // Tests: no thread; run_ready() runs the queued tasks and the timers due by `clock`.
  bool manual_drive = false;
  // Block sync's guess of a block's size before it has seen any (0: max_block_bytes + 1 MiB, the
  // safe guess). Tests of the window over small blocks set it small (doc/p2p.md, "Limits").
  uint64_t sync_initial_block_estimate = 0;
};

class Reactor final : private consensus::ProposalSource,
                      private consensus::Actions,
                      private consensus::WalSink {
 public:
  using OnCommit = std::function<void(const chain::CommittedBlock&)>;
  using OnFatal = std::function<void(const std::string&)>;

  // signer/proposer_key: null for a node that follows without voting. transport may be null
  // (no network: a single validator).
  Reactor(chain::Chain& chain, mempool::Mempool& pool, p2p::Network* transport,
          chain::Signer* signer, const crypto::KeyPair* proposer_key, const consensus::Clock& clock,
          ReactorOptions options, OnCommit on_commit, OnFatal on_fatal);
  ~Reactor() override;
  Reactor(const Reactor&) = delete;
  Reactor& operator=(const Reactor&) = delete;

  // The consensus WAL (doc/consensus.md, "The consensus WAL"), before start(): the state machine
  // writes to it, the first height resumes from its records if they are of that height, and it
  // is rotated whenever a height starts afresh. A failed write stops the node (on_fatal).
  void set_wal(consensus::Wal* wal);
  // Registers the p2p handlers; call before transport->start().
  void attach();
  void start();
  void stop();

  // A tx admitted through gRPC: gossiped to peers with the next batch (from any thread).
  void gossip_tx(const v1::Tx& tx);
  // manual_drive: runs queued tasks, due timers and the relay's queue until none is left; how
  // many ran.
  size_t run_ready();
  [[nodiscard]] TxRelay& relay() { return relay_; }

  [[nodiscard]] v1::ConsensusState state() const;
  // Pending evidence: verified, not committed yet, in (height, validator) order.
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
  // consensus::WalSink
  [[nodiscard]] Status append(const v1::WalRecord& record) override;
  void wal_failure(const Status& status);  // stops the node, once

  using Task = std::function<void()>;
  void post(Task task);
  void post_after(uint64_t delay_ms, Task task);
  void run();
  // A queued task or a due timer, if any (mu_ held).
  [[nodiscard]] std::optional<Task> take_ready_locked();
  // false when the reactor must stop (a storage failure).
  [[nodiscard]] bool run_task(Task& task);
  // Milliseconds of the timer clock: steady, or the consensus clock with manual_drive.
  [[nodiscard]] uint64_t now_ms() const;
  [[nodiscard]] v1::ConsensusState make_state() const;

  // On the reactor thread.
  void on_message(const p2p::NodeId& from, const v1::P2pMessage& msg);
  void on_consensus(const p2p::NodeId& from, const std::string& payload);
  // A proposal header (block empty) from a peer: authenticated if it is of the current height,
  // then collected with its parts (part_collector.h).
  void on_proposal_header(const p2p::NodeId& from, const v1::Proposal& header);
  void on_block_part(const p2p::NodeId& from, const v1::BlockPart& part);
  // The collector follows the state machine's height; complete proposals go to it.
  void collect_height();
  void feed_proposal(const v1::Proposal& proposal);
  // A complete proposal leaves as its header (block cleared) followed by its parts; to `to`, or
  // to every peer. The bytes sent to one peer.
  uint64_t send_proposal(const v1::Proposal& proposal, const p2p::NodeId* to);
  // The parts of a proposal's block, cut (hashed, with proofs) once and kept for re-gossip and
  // new peers; nullptr if it cannot be cut.
  const chain::PartSet* part_set_of(const v1::Proposal& proposal);
  void on_evidence(const v1::Evidence& evidence);
  void commit_decided(uint64_t height, const Bytes& block_id, const Bytes& block,
                      const v1::Commit& commit);
  void after_commit(const chain::CommittedBlock& block);
  void start_next_height();
  // create_empty_blocks = false: whether the next height has something to decide.
  [[nodiscard]] bool has_work(const v1::ChainTip& tip);
  void wake();
  void tick();
  void send_consensus(const v1::ConsensusEnvelope& env, const p2p::NodeId* to);
  void update_snapshot();
  // The validator set of `height` (Chain::validators_at).
  [[nodiscard]] Result<chain::ValidatorSet> validators_of(uint64_t height) const;
  // The mempool's decoded copy of a block tx, for Chain::prepare / apply.
  [[nodiscard]] chain::Chain::KnownTx known_tx() const;

  chain::Chain& chain_;
  mempool::Mempool& pool_;
  p2p::Network* transport_;
  chain::Signer* signer_;
  const crypto::KeyPair* proposer_key_;
  const consensus::Clock& clock_;
  ReactorOptions options_;
  OnCommit on_commit_;
  OnFatal on_fatal_;
  std::unique_ptr<consensus::StateMachine> sm_;
  consensus::Wal* wal_ = nullptr;
  std::vector<v1::WalRecord> wal_records_;  // read at start, replayed by the first height
  bool wal_failed_ = false;
  TxRelay relay_;
  BlockSync sync_;  // on the reactor thread; peer_heights() reads the copy below
  EvidencePool evidence_;

  // Blocks executed for the current height (proposed or validated), by block id.
  std::map<Bytes, chain::PreparedBlock> prepared_;
  bool next_height_pending_ = false;
  bool may_join_ = false;  // set once the first-height delay has passed
  std::map<std::string, uint64_t> peer_heights_guarded_;  // copy for peer_heights()
  // Proposals received as header and parts, until complete.
  PartCollector parts_{PartCollectorLimits{}};
  // By (height, round, block id): the part sets of proposals sent, of the latest height only.
  std::map<std::tuple<uint64_t, uint32_t, Bytes>, chain::PartSet> sent_part_sets_;
  // Proposal parts sent: when re-gossip may send parts again (now_ms()), so that re-sent
  // proposals stay under a peer's receive rate limit.
  uint64_t proposal_gossip_free_at_ = 0;
  std::tuple<uint64_t, chain::Round, chain::Step> last_progress_{};
  uint64_t last_progress_at_ = 0;
  // create_empty_blocks = false: the next height waits for txs, evidence or a peer.
  bool waiting_for_txs_ = false;
  uint64_t peer_started_ = 0;  // a height a validator has started that this node has not
  // Whether the signer's key was in the set of the last height started (unset before the first).
  std::optional<bool> signing_;

  mutable std::mutex mu_;  // guards the queue, timers and the snapshots below
  std::condition_variable cv_;
  std::deque<Task> queue_;
  std::multimap<uint64_t, Task> timers_;  // by due time (now_ms())
  bool stopping_ = false;
  std::thread thread_;
  v1::ConsensusState snapshot_;
};

}  // namespace btt::node

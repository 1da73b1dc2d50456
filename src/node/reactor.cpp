#include "btt/node/reactor.h"

#include <spdlog/spdlog.h>

#include <pthread.h>

#include <algorithm>
#include <future>

#include "btt/chain/vote_set.h"
#include "btt/common/checked.h"
#include "btt/mempool/admission.h"
#include "btt/storage/db.h"
#include "transfer.h"

namespace btt::node {
namespace {

using Clock = std::chrono::steady_clock;

// Time a starting node gives its peers to report their heights before it joins consensus.
constexpr uint64_t kFirstHeightDelayMs = 1000;
// Proposal parts re-sent (stuck rounds) stay below this rate per peer on average; a fresh
// proposal is always sent, and counts.
constexpr uint64_t kProposalGossipBytesPerS = 2u << 20;
// Proposals sent to a peer that just connected: newest first, up to this many bytes (at least
// one).
constexpr uint64_t kConnectProposalBytes = 8u << 20;

v1::P2pMessage consensus_message(const v1::ConsensusEnvelope& env) {
  v1::P2pMessage msg;
  msg.mutable_consensus()->set_payload(env.SerializeAsString());
  return msg;
}

std::string short_hex(const std::string& bytes) {
  return to_hex(bytes).substr(0, 16);
}

}  // namespace

Reactor::Reactor(chain::Chain& chain, mempool::Mempool& pool, p2p::Network* transport,
                 chain::Signer* signer, const crypto::KeyPair* proposer_key,
                 const consensus::Clock& clock, ReactorOptions options, OnCommit on_commit,
                 OnFatal on_fatal)
    : chain_(chain),
      pool_(pool),
      transport_(transport),
      signer_(signer),
      proposer_key_(proposer_key),
      clock_(clock),
      options_(options),
      on_commit_(std::move(on_commit)),
      on_fatal_(std::move(on_fatal)),
      relay_(chain, pool, transport),
      sync_(
          chain, transport, known_tx(), [this] { return now_ms(); },
          options_.sync_initial_block_estimate,
          [this](const chain::CommittedBlock& block) {
            after_commit(block);
            // Join consensus at the new tip (no pause: catching up) once no peer is ahead.
            start_next_height();
          }),
      evidence_(chain) {
  consensus::StateMachineConfig config;
  config.chain_id = chain_.chain_id();
  config.timeouts = options_.timeouts;
  consensus::ProposalSource& source = *this;
  consensus::Actions& actions = *this;
  sm_ = std::make_unique<consensus::StateMachine>(config, signer_, source, actions, clock_);
  // A waiting height (create_empty_blocks = false) starts once a gossiped tx is there.
  if (!options_.create_empty_blocks) relay_.set_on_admitted([this] { post([this] { wake(); }); });
}

Reactor::~Reactor() {
  stop();
}

void Reactor::set_wal(consensus::Wal* wal) {
  wal_ = wal;
  wal_records_ = wal_ != nullptr ? wal_->take_records() : std::vector<v1::WalRecord>();
  consensus::WalSink& sink = *this;
  sm_->set_wal(wal_ != nullptr ? &sink : nullptr);
}

Status Reactor::append(const v1::WalRecord& record) {
  Status s = wal_->append(record);
  if (!s && wal_->failed()) wal_failure(s);
  return s;
}

void Reactor::wal_failure(const Status& status) {
  if (wal_failed_) return;
  wal_failed_ = true;
  spdlog::critical("consensus stopped: {}", status.message());
  if (on_fatal_) on_fatal_(status.message());
}

void Reactor::attach() {
  if (!transport_) return;
  auto handler = [this](const p2p::NodeId& from, const v1::P2pMessage& msg) {
    // Copies: the transport's message is gone once the handler returns.
    post([this, from, msg] { on_message(from, msg); });
  };
  transport_->set_handler(p2p::Channel::kConsensus, handler);
  transport_->set_handler(p2p::Channel::kMempool,
                          [this](const p2p::NodeId& from, const v1::P2pMessage& msg) {
                            if (msg.has_tx_gossip()) relay_.on_gossip(from, msg.tx_gossip());
                          });
  transport_->set_handler(p2p::Channel::kBlockSync, handler);
  transport_->set_event_handler([this](const p2p::PeerEvent& ev) {
    if (!ev.id) return;
    const p2p::NodeId id = *ev.id;
    if (ev.kind == p2p::PeerEvent::Kind::kConnected) {
      post([this, id] {
        v1::P2pMessage status;
        status.mutable_status()->set_height(chain_.tip().height());
        status.mutable_status()->set_chain_id(chain_.chain_id());
        transport_->send(id, status);
        auto messages = sm_->messages();
        // Newest first, within a byte budget: a peer that connects is not flooded with every
        // round's block.
        uint64_t sent = 0;
        for (auto p = messages.proposals.rbegin(); p != messages.proposals.rend(); ++p) {
          if (sent > 0 && sent + p->block().size() > kConnectProposalBytes) break;
          sent += send_proposal(*p, &id);
        }
        for (const auto& v : messages.votes) {
          v1::ConsensusEnvelope env;
          *env.mutable_vote() = v;
          send_consensus(env, &id);
        }
        for (const auto& e : evidence()) {
          v1::ConsensusEnvelope env;
          *env.mutable_evidence() = e;
          send_consensus(env, &id);
        }
      });
    } else if (ev.kind == p2p::PeerEvent::Kind::kDisconnected ||
               ev.kind == p2p::PeerEvent::Kind::kBanned) {
      post([this, id] {
        sync_.remove_peer(id.to_string());
        {
          std::lock_guard lock(mu_);
          peer_heights_guarded_ = sync_.peer_heights();
        }
        // What it was asked for goes to other peers.
        sync_.fill();
      });
    }
  });
}

void Reactor::start() {
  if (!options_.manual_drive) {
    relay_.start();
    thread_ = std::thread([this] {
      pthread_setname_np(pthread_self(), "reactor");
      run();
    });
  }
  // With peers, first learn their heights (they send a status on connect), so a node that is
  // behind syncs before it signs anything (start_next_height waits while a peer is ahead).
  post_after(transport_ ? kFirstHeightDelayMs : 0, [this] {
    may_join_ = true;
    start_next_height();
  });
  post([this] { tick(); });
}

void Reactor::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  relay_.stop();
}

void Reactor::post(Task task) {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    queue_.push_back(std::move(task));
  }
  cv_.notify_one();
}

void Reactor::post_after(uint64_t delay_ms, Task task) {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    timers_.emplace(now_ms() + delay_ms, std::move(task));
  }
  cv_.notify_one();
}

uint64_t Reactor::now_ms() const {
  if (options_.manual_drive) return clock_.now_ms();
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch())
          .count());
}

std::optional<Reactor::Task> Reactor::take_ready_locked() {
  if (!queue_.empty()) {
    Task task = std::move(queue_.front());
    queue_.pop_front();
    return task;
  }
  if (!timers_.empty() && timers_.begin()->first <= now_ms()) {
    Task task = std::move(timers_.begin()->second);
    timers_.erase(timers_.begin());
    return task;
  }
  return std::nullopt;
}

bool Reactor::run_task(Task& task) {
  try {
    task();
  } catch (const storage::StorageError& e) {
    // Nothing half-written was committed; stopping is the only safe thing.
    spdlog::critical("consensus stopped: {}", e.what());
    if (on_fatal_) on_fatal_(e.what());
    return false;
  } catch (const std::exception& e) {
    spdlog::error("consensus: {}", e.what());
  }
  return true;
}

void Reactor::run() {
  while (true) {
    std::optional<Task> task;
    {
      std::unique_lock lock(mu_);
      while (true) {
        if (stopping_) return;
        task = take_ready_locked();
        if (task) break;
        if (timers_.empty()) {
          cv_.wait(lock);
        } else {
          cv_.wait_until(lock,
                         Clock::time_point(std::chrono::milliseconds(timers_.begin()->first)));
        }
      }
    }
    if (!run_task(*task)) return;
  }
}

size_t Reactor::run_ready() {
  size_t ran = relay_.run_ready();
  while (true) {
    std::optional<Task> task;
    {
      std::lock_guard lock(mu_);
      if (stopping_) return ran;
      task = take_ready_locked();
    }
    if (!task) return ran;
    ++ran;
    if (!run_task(*task)) {
      std::lock_guard lock(mu_);
      stopping_ = true;
      return ran;
    }
  }
}

Result<chain::ValidatorSet> Reactor::validators_of(uint64_t height) const {
  auto validators = chain_.validators_at(height);
  if (!validators) {
    return Status(Code::kNotFound, "no validator set for height " + std::to_string(height));
  }
  return chain::ValidatorSet::create(*validators);
}

void Reactor::start_next_height() {
  if (!may_join_) return;
  next_height_pending_ = false;
  const v1::ChainTip tip = chain_.tip();
  const uint64_t height = tip.height() + 1;
  if (sm_->height() >= height && sm_->height() != 0) return;
  if (sync_.peer_ahead(tip.height())) {
    // A peer is ahead: block sync applies the missing blocks first and calls this again, so
    // the node never signs at heights the network has decided (which also protects a validator
    // whose data directory, signer guard included, was wiped).
    if (sync_.idle()) sync_.fill();
    return;
  }
  if (!options_.create_empty_blocks && !has_work(tip)) {
    if (!waiting_for_txs_) {
      waiting_for_txs_ = true;
      spdlog::debug("height {} waits for txs", height);
      const uint64_t interval = options_.create_empty_blocks_interval_ms;
      if (interval > 0) {
        // Saturating: the wake-up is only a check, so an early or late one is harmless.
        const uint64_t due =
            tip.time_ms() > UINT64_MAX - interval ? UINT64_MAX : tip.time_ms() + interval;
        const uint64_t now = clock_.now_ms();
        post_after(due > now ? due - now : 0, [this] { wake(); });
      }
    }
    return;
  }
  waiting_for_txs_ = false;
  // The height's own set (it signs, proposes and counts votes), and the next height's, fixed
  // already, for proposals that arrive early (doc/consensus.md, "Validator set changes").
  auto set = validators_of(height);
  if (!set) {
    if (on_fatal_) on_fatal_("validator set: " + set.status().message());
    return;
  }
  auto next_set = validators_of(height + 1);
  std::optional<chain::ValidatorSet> next;
  if (next_set) next = std::move(*next_set);
  if (signer_) {
    const bool member = set->find(signer_->address()) != nullptr;
    if (member != signing_) {
      spdlog::info("{} is {} the validator set of height {}: {}", signer_->address(),
                   member ? "in" : "not in", height,
                   member ? "it signs from this height on" : "it follows without signing");
      signing_ = member;
    }
  }
  prepared_.clear();
  // After a restart the WAL may hold this height's inputs: resume the round from them.
  const auto records = std::exchange(wal_records_, {});
  const bool resume = std::any_of(records.begin(), records.end(), [&](const auto& r) {
    return !r.has_committed() && consensus::Wal::height_of(r) == height;
  });
  if (resume) {
    const auto stats = sm_->replay(height, std::move(*set), records, std::move(next));
    spdlog::info(
        "consensus WAL: replayed {} inputs of height {}: round {} step {} locked_round {} "
        "valid_round {}; {} own messages re-sent, {} not reached, {} where the replay chose "
        "another block",
        stats.inputs, height, sm_->round(), chain::step_name(sm_->step()), sm_->locked_round(),
        sm_->valid_round(), stats.own_reused, stats.own_unused, stats.own_changed);
  } else {
    // A height started afresh: the WAL keeps only its records from here on.
    if (wal_ != nullptr) {
      if (Status s = wal_->rotate(tip.height()); !s) {
        wal_failure(s);
        return;
      }
    }
    sm_->start_height(height, std::move(*set), std::move(next));
  }
  // Proposals of this height collected before it started are checked now, and fed if complete.
  collect_height();
  last_progress_ = {sm_->height(), sm_->round(), sm_->step()};
  last_progress_at_ = now_ms();
}

bool Reactor::has_work(const v1::ChainTip& tip) {
  if (peer_started_ == tip.height() + 1) return true;
  const uint64_t interval = options_.create_empty_blocks_interval_ms;
  const uint64_t now = clock_.now_ms();
  if (interval > 0 && now >= tip.time_ms() && now - tip.time_ms() >= interval) return true;
  // Evidence of a height below the next one can go into its block.
  if (evidence_.has_up_to(tip.height())) return true;
  const auto params = chain_.params();
  return !pool_.reap(1, params.max_block_bytes(), mempool::committed_accounts(chain_, pool_))
              .empty();
}

void Reactor::wake() {
  if (waiting_for_txs_ && !next_height_pending_) start_next_height();
}

// --- proposal source -----------------------------------------------------------------------

Result<consensus::ProposedBlock> Reactor::propose(uint64_t height, chain::Round round) {
  const v1::ChainTip tip = chain_.tip();
  if (height != tip.height() + 1 || !proposer_key_) {
    return Status(Code::kUnavailable, "cannot propose height " + std::to_string(height));
  }
  const auto params = chain_.params();
  auto accounts = mempool::committed_accounts(chain_, pool_);
  // The block travels in parts (doc/p2p.md), so any size up to max_block_bytes goes.
  auto candidates = pool_.reap(params.max_block_txs(), params.max_block_bytes(), accounts);
  v1::Commit last_commit;
  // The first block (initial_height, above 1 for a chain started from an export) has none.
  if (height > chain_.genesis().initial_height) {
    auto c = chain_.commit_at(tip.height());
    if (!c) {
      return Status(Code::kUnavailable,
                    "no stored commit for height " + std::to_string(tip.height()));
    }
    last_commit = *c;
    // Precommits that arrived after the decision count too (StateMachine::previous_commit).
    if (auto fuller = sm_->previous_commit(static_cast<chain::Round>(c->round()), c->block_id());
        fuller && fuller->signatures_size() > c->signatures_size()) {
      last_commit = std::move(*fuller);
    }
  }
  // Block time: the proposer's clock, at least the previous block's time + 1 ms (Chain::build).
  auto prepared =
      chain_.build(candidates, clock_.now_ms(), *proposer_key_, last_commit, evidence());
  if (!prepared) return prepared.status();
  consensus::ProposedBlock out;
  out.block_id = to_bytes(prepared->block.hash);
  out.block = prepared->block.block.SerializeAsString();
  spdlog::debug("proposing height={} round={} txs={} id={}", height, round,
                prepared->block.txs.size(), short_hex(out.block_id));
  prepared_.insert_or_assign(out.block_id, std::move(*prepared));
  return out;
}

bool Reactor::validate(uint64_t height, const Bytes& block_id, const Bytes& block_bytes) {
  const v1::ChainTip tip = chain_.tip();
  if (height != tip.height() + 1) return false;
  if (prepared_.count(block_id)) return true;
  v1::Block block;
  if (!block.ParseFromString(block_bytes)) return false;
  if (to_bytes(chain::block_hash(block.header())) != block_id) return false;
  v1::BlockHeader header;
  if (!header.ParseFromString(block.header())) return false;
  if (header.time_ms() > clock_.now_ms() + options_.max_future_drift_ms) {
    spdlog::warn("proposal for height {} has a time {} ms ahead of this node's clock", height,
                 header.time_ms() - clock_.now_ms());
    return false;
  }
  auto prepared = chain_.prepare(block, known_tx());
  if (!prepared) {
    spdlog::warn("proposal for height {} is not valid: {}", height, prepared.status().to_string());
    return false;
  }
  prepared_.insert_or_assign(block_id, std::move(*prepared));
  return true;
}

chain::Chain::KnownTx Reactor::known_tx() const {
  return [this](const Hash32& id) { return pool_.get(id); };
}

// --- actions -------------------------------------------------------------------------------

void Reactor::send_consensus(const v1::ConsensusEnvelope& env, const p2p::NodeId* to) {
  if (!transport_) return;
  auto msg = consensus_message(env);
  if (to) {
    transport_->send(*to, msg);
  } else {
    transport_->broadcast(msg);
  }
}

const chain::PartSet* Reactor::part_set_of(const v1::Proposal& proposal) {
  std::erase_if(sent_part_sets_,
                [&](const auto& e) { return std::get<0>(e.first) < proposal.height(); });
  auto key = std::make_tuple(proposal.height(), proposal.round(), proposal.block_id());
  if (auto it = sent_part_sets_.find(key); it != sent_part_sets_.end()) return &it->second;
  auto parts = chain::make_part_set(proposal.block(), proposal.height(), proposal.round());
  if (!parts) {
    spdlog::warn("proposal for height {} not sent: {}", proposal.height(),
                 parts.status().message());
    return nullptr;
  }
  return &sent_part_sets_.emplace(std::move(key), std::move(*parts)).first->second;
}

uint64_t Reactor::send_proposal(const v1::Proposal& proposal, const p2p::NodeId* to) {
  if (!transport_) return 0;
  const chain::PartSet* parts = part_set_of(proposal);
  if (parts == nullptr) return 0;
  v1::ConsensusEnvelope env;
  v1::Proposal* header = env.mutable_proposal();
  header->CopyFrom(proposal);
  header->clear_block();
  send_consensus(env, to);
  for (const auto& part : parts->parts) {
    v1::ConsensusEnvelope penv;
    *penv.mutable_block_part() = part;
    send_consensus(penv, to);
  }
  // Sent at the pace of the re-gossip budget from now on.
  const uint64_t bytes = proposal.block().size();
  proposal_gossip_free_at_ =
      std::max(proposal_gossip_free_at_, now_ms()) + transfer_ms(bytes, kProposalGossipBytesPerS);
  return bytes;
}

void Reactor::broadcast_proposal(const v1::Proposal& proposal) {
  (void)send_proposal(proposal, nullptr);
}

void Reactor::broadcast_vote(const v1::Vote& vote) {
  v1::ConsensusEnvelope env;
  *env.mutable_vote() = vote;
  send_consensus(env, nullptr);
}

void Reactor::schedule_timeout(uint64_t duration_ms, uint64_t height, chain::Round round,
                               chain::Step step) {
  post_after(duration_ms, [this, height, round, step] { sm_->on_timeout(height, round, step); });
}

void Reactor::decide(uint64_t height, chain::Round round, const Bytes& block_id, const Bytes& block,
                     const v1::Commit& commit) {
  spdlog::debug("decided height={} round={} id={}", height, round, short_hex(block_id));
  // Not from inside the state machine's call: the commit runs as the next task.
  post(
      [this, height, block_id, block, commit] { commit_decided(height, block_id, block, commit); });
}

void Reactor::report_evidence(const v1::Evidence& reported) {
  const auto evidence = evidence_.add(reported);
  if (!evidence) return;
  spdlog::warn("evidence of a double vote: {}", evidence->ShortDebugString());
  v1::ConsensusEnvelope env;
  *env.mutable_evidence() = *evidence;
  send_consensus(env, nullptr);
  // Not from inside the state machine's call (this is one of its actions).
  post([this] { wake(); });
}

void Reactor::signing_failed(const Status& status) {
  spdlog::warn("signer refused: {}", status.to_string());
}

// --- committing ----------------------------------------------------------------------------

void Reactor::commit_decided(uint64_t height, const Bytes& block_id, const Bytes& block_bytes,
                             const v1::Commit& commit) {
  const v1::ChainTip tip = chain_.tip();
  if (tip.height() >= height) {
    // Block sync got there first.
    if (!next_height_pending_) start_next_height();
    return;
  }
  std::optional<chain::CommittedBlock> committed;
  if (auto it = prepared_.find(block_id); it != prepared_.end()) {
    auto r = chain_.commit(std::move(it->second), &commit);
    prepared_.erase(it);
    if (r) committed = std::move(*r);
  }
  if (!committed) {
    v1::Block block;
    if (!block.ParseFromString(block_bytes)) {
      spdlog::error("decided block {} does not decode", height);
      return;
    }
    auto r = chain_.apply(block, &commit, known_tx());
    if (!r) {
      spdlog::error("decided block {} cannot be applied: {}", height, r.status().to_string());
      return;
    }
    committed = std::move(*r);
  }
  const auto& b = *committed;
  spdlog::info(
      "committed block height={} round={} txs={} evidence={} hash={} execute_ms={}.{} "
      "commit_ms={}.{}",
      b.header.height(), commit.round(), b.txs.size(), b.block.evidence_size(),
      to_hex(b.hash).substr(0, 16), b.execute_us / 1000, b.execute_us % 1000 / 100,
      b.commit_us / 1000, b.commit_us % 1000 / 100);
  after_commit(b);
  prepared_.clear();
  next_height_pending_ = true;
  post_after(options_.block_time_ms, [this] { start_next_height(); });
}

void Reactor::after_commit(const chain::CommittedBlock& block) {
  std::vector<Hash32> ids;
  ids.reserve(block.txs.size());
  for (const auto& tx : block.txs) ids.push_back(tx->id);
  pool_.update(ids, mempool::committed_accounts(chain_, pool_));
  relay_.on_committed(block.txs);
  evidence_.prune();
  if (on_commit_) on_commit_(block);
}

// --- p2p -----------------------------------------------------------------------------------

void Reactor::on_message(const p2p::NodeId& from, const v1::P2pMessage& msg) {
  switch (msg.msg_case()) {
    case v1::P2pMessage::kConsensus:
      on_consensus(from, msg.consensus().payload());
      break;
    case v1::P2pMessage::kBlockRequest:
      sync_.on_request(from, msg.block_request());
      break;
    case v1::P2pMessage::kBlockResponse:
      sync_.on_response(from, msg.block_response());
      break;
    case v1::P2pMessage::kStatus:
      if (msg.status().chain_id() == chain_.chain_id()) {
        sync_.set_peer_height(from.to_string(), msg.status().height());
        std::lock_guard lock(mu_);
        peer_heights_guarded_ = sync_.peer_heights();
      }
      break;
    default:
      break;
  }
}

void Reactor::on_consensus(const p2p::NodeId& from, const std::string& payload) {
  v1::ConsensusEnvelope env;
  if (!env.ParseFromString(payload)) {
    spdlog::debug("peer {}: consensus message does not decode", from.to_string());
    return;
  }
  if (!options_.create_empty_blocks) {
    // A validator's proposal or vote for the next height, which this node has not started (it
    // waits for txs, or pauses after the last block): that validator started it, so this node
    // starts it too when it would otherwise wait (and follows).
    const uint64_t next = chain_.tip().height() + 1;
    const std::string* signer = nullptr;
    if (env.has_proposal() && env.proposal().height() == next) signer = &env.proposal().proposer();
    // (A header's proposer is not authenticated here: the wake-up only starts the height, where
    // the header is then checked.)
    if (env.has_vote() && env.vote().height() == next) signer = &env.vote().validator();
    if (signer && sm_->height() < next && peer_started_ != next) {
      auto set = validators_of(next);
      if (set && set->find(*signer)) {
        peer_started_ = next;
        wake();
      }
    }
  }
  consensus::Verdict verdict;
  switch (env.msg_case()) {
    case v1::ConsensusEnvelope::kProposal:
      on_proposal_header(from, env.proposal());
      return;
    case v1::ConsensusEnvelope::kBlockPart:
      on_block_part(from, env.block_part());
      return;
    case v1::ConsensusEnvelope::kVote:
      verdict = sm_->on_vote(env.vote());
      break;
    case v1::ConsensusEnvelope::kEvidence:
      on_evidence(env.evidence());
      return;
    default:
      return;
  }
  if (verdict.dropped()) {
    spdlog::debug("peer {}: consensus message dropped: {}", from.to_string(), verdict.reason);
  }
}

void Reactor::on_proposal_header(const p2p::NodeId& from, const v1::Proposal& header) {
  const std::string peer = from.to_string();
  if (!header.block().empty()) {
    spdlog::debug("peer {}: proposal dropped: its block travels in parts, not inline", peer);
    return;
  }
  collect_height();
  bool checked = false;
  if (header.height() == sm_->height()) {
    consensus::Verdict v = sm_->check_proposal_header(header);
    if (v.kind == consensus::Verdict::Kind::kDuplicate) return;
    if (v.dropped()) {
      spdlog::debug("peer {}: proposal header dropped: {}", peer, v.reason);
      return;
    }
    checked = true;
  } else if (header.height() == sm_->height() + 1) {
    // Kept unchecked until that height starts, but only if this height's validators would have
    // signed it (anyone else could fill the few slots for early proposals).
    if (consensus::Verdict v = sm_->check_next_height_header(header); v.dropped()) {
      spdlog::debug("peer {}: next-height proposal header dropped: {}", peer, v.reason);
      return;
    }
  }
  if (Status s = parts_.add_header(header, checked); !s && s.code() != Code::kAlreadyExists) {
    spdlog::debug("peer {}: proposal header for height {} round {} not collected: {}", peer,
                  header.height(), header.round(), s.message());
  }
}

void Reactor::on_block_part(const p2p::NodeId& from, const v1::BlockPart& part) {
  auto complete = parts_.add_part(part);
  if (!complete) {
    if (complete.status().code() != Code::kAlreadyExists) {
      spdlog::debug("peer {}: block part {} of height {} round {} dropped: {}", from.to_string(),
                    part.index(), part.height(), part.round(), complete.status().message());
    }
    return;
  }
  if (*complete) feed_proposal(**complete);
}

void Reactor::collect_height() {
  if (parts_.height() == sm_->height()) return;
  const auto params = chain_.params();
  PartCollectorLimits limits;
  limits.max_parts = chain::max_parts(params.max_block_bytes() + chain::kBlockEnvelopeBytes);
  limits.max_bytes = std::max<uint64_t>(
      limits.max_bytes,
      checked_mul(params.max_block_bytes() + chain::kBlockEnvelopeBytes, 4).value_or(UINT64_MAX));
  parts_.set_limits(limits);
  auto complete = parts_.start_height(sm_->height(), [this](const v1::Proposal& p) {
    const auto v = sm_->check_proposal_header(p);
    return v.kind == consensus::Verdict::Kind::kAccepted ||
           v.kind == consensus::Verdict::Kind::kDuplicate;
  });
  for (const auto& p : complete) feed_proposal(p);
}

void Reactor::feed_proposal(const v1::Proposal& proposal) {
  consensus::Verdict v = sm_->on_proposal(proposal);
  if (v.dropped()) {
    spdlog::debug("assembled proposal for height {} round {} dropped: {}", proposal.height(),
                  proposal.round(), v.reason);
  }
}

void Reactor::on_evidence(const v1::Evidence& evidence) {
  if (auto verified = evidence_.verify(evidence)) report_evidence(*verified);
}

void Reactor::gossip_tx(const v1::Tx& tx) {
  // A waiting height (create_empty_blocks = false) starts once a tx is there.
  if (!options_.create_empty_blocks) post([this] { wake(); });
  relay_.gossip(tx);
}

void Reactor::tick() {
  post_after(options_.gossip_interval_ms, [this] { tick(); });
  if (!transport_) return;
  const v1::ChainTip tip = chain_.tip();
  v1::P2pMessage status;
  status.mutable_status()->set_height(tip.height());
  status.mutable_status()->set_chain_id(chain_.chain_id());
  transport_->broadcast(status);

  // (Applies what is buffered for the tip, should consensus have moved it, and fills the window.)
  sync_.apply();

  // Consensus messages again when the round is stuck (a peer may have missed them).
  const uint64_t now = now_ms();
  std::tuple<uint64_t, chain::Round, chain::Step> progress{sm_->height(), sm_->round(),
                                                           sm_->step()};
  if (progress != last_progress_) {
    last_progress_ = progress;
    last_progress_at_ = now;
  } else if (!waiting_for_txs_ && now - last_progress_at_ >= options_.gossip_interval_ms) {
    // (Not while waiting for txs: the height is decided everywhere it matters, and a peer that
    // missed it catches up by block sync.)
    auto messages = sm_->messages();
    // Proposals (their parts are most of the bytes) at the re-gossip pace only.
    if (now >= proposal_gossip_free_at_) {
      for (const auto& p : messages.proposals) (void)send_proposal(p, nullptr);
    }
    for (const auto& v : messages.votes) broadcast_vote(v);
    last_progress_at_ = now;
  }
  // A node held back because a peer was ahead joins once sync has caught up.
  if (!next_height_pending_ && sm_->height() <= tip.height()) start_next_height();
}

// --- queries -------------------------------------------------------------------------------

v1::ConsensusState Reactor::make_state() const {
  v1::ConsensusState s;
  // A node with a key outside the height's set follows like any other.
  s.set_mode(signer_ && sm_->validators().find(signer_->address()) != nullptr ? "validator"
                                                                              : "follower");
  if (waiting_for_txs_) {
    s.set_height(chain_.tip().height() + 1);
    s.set_step("waiting_for_txs");
    s.set_locked_round(chain::kNoRound);
    s.set_valid_round(chain::kNoRound);
  } else {
    s.set_height(sm_->height());
    s.set_round(static_cast<uint32_t>(sm_->round()));
    s.set_step(chain::step_name(sm_->step()));
    s.set_locked_round(sm_->locked_round());
    s.set_valid_round(sm_->valid_round());
  }
  if (signer_) s.set_validator_address(signer_->address());
  if (!waiting_for_txs_) {
    std::map<uint32_t, std::pair<uint32_t, uint32_t>> counts;
    for (const auto& v : sm_->messages().votes) {
      if (v.height() != sm_->height()) continue;
      auto& c = counts[v.round()];
      (v.type() == v1::PREVOTE ? c.first : c.second)++;
    }
    for (const auto& [round, c] : counts) {
      auto* vc = s.add_votes();
      vc->set_round(round);
      vc->set_prevotes(c.first);
      vc->set_precommits(c.second);
    }
  }
  if (auto c = chain_.commit_at(chain_.tip().height())) s.set_last_commit_round(c->round());
  return s;
}

v1::ConsensusState Reactor::state() const {
  // With manual_drive the caller is the reactor's only thread.
  if (options_.manual_drive) return make_state();
  auto promise = std::make_shared<std::promise<v1::ConsensusState>>();
  auto future = promise->get_future();
  const_cast<Reactor*>(this)->post([this, promise] { promise->set_value(make_state()); });
  if (future.wait_for(std::chrono::seconds(5)) != std::future_status::ready) {
    v1::ConsensusState s;
    s.set_mode("busy");
    return s;
  }
  return future.get();
}

std::vector<v1::Evidence> Reactor::evidence() const {
  return evidence_.pending();
}

std::map<std::string, uint64_t> Reactor::peer_heights() const {
  std::lock_guard lock(mu_);
  return peer_heights_guarded_;
}

}  // namespace btt::node

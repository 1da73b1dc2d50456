#pragma once
// The Tendermint consensus algorithm for one validator (Buchman, Kwon, Milosevic, "The latest
// gossip on BFT consensus", arXiv:1807.04938, Algorithm 1), as a pure event-driven state machine:
// no sockets, threads, wall clock or storage. Inputs are calls (start_height, on_proposal,
// on_vote, on_timeout, on_commit); outputs go through Actions. doc/consensus.md maps each rule
// of the paper to the code.
//
// The caller serializes calls (one thread or one strand) and Actions must not call back into the
// state machine synchronously; a decision is followed by start_height(height + 1) when the node
// has applied the block.
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

#include "btt/chain/consensus_signing.h"
#include "btt/chain/validator_set.h"
#include "btt/chain/vote_set.h"
#include "btt/common/bytes.h"
#include "btt/common/status.h"
#include "btt/consensus/clock.h"
#include "btt/v1/consensus.pb.h"

namespace btt::consensus {

// Each step's timeout grows with the round, base + round * delta, so that after GST the timeouts
// eventually exceed the real message delay and a round succeeds (the paper's assumption).
struct TimeoutConfig {
  uint64_t propose_ms = 3000;
  uint64_t propose_delta_ms = 500;
  uint64_t prevote_ms = 1000;
  uint64_t prevote_delta_ms = 500;
  uint64_t precommit_ms = 1000;
  uint64_t precommit_delta_ms = 500;

  // Saturates at UINT64_MAX instead of wrapping.
  [[nodiscard]] uint64_t duration_ms(chain::Step step, chain::Round round) const;
};

struct StateMachineConfig {
  std::string chain_id;
  TimeoutConfig timeouts;
  // Messages for heights above the current one are kept (up to this many, first come first
  // kept) and replayed by start_height; beyond height + max_future_heights they are dropped.
  size_t max_buffered_messages = 4096;
  uint64_t max_future_heights = 1;
  // Messages for rounds more than this far above the current round are dropped, so one faulty
  // validator cannot make the node allocate a vote set for every round number.
  chain::Round max_rounds_ahead = 1000;
};

struct ProposedBlock {
  Bytes block_id;  // 32 bytes
  Bytes block;     // serialized btt.v1.Block (opaque to the state machine)
};

// Where proposal values come from and how received ones are judged (the node plugs in
// Chain::propose and block verification).
class ProposalSource {
 public:
  virtual ~ProposalSource() = default;
  // A new block for (height, round) when this node proposes and holds no valid value.
  [[nodiscard]] virtual Result<ProposedBlock> propose(uint64_t height, chain::Round round) = 0;
  // valid(v) of the paper: `block` has id `block_id` and may be decided at `height`. Called at
  // most once per received proposal.
  [[nodiscard]] virtual bool validate(uint64_t height, const Bytes& block_id,
                                      const Bytes& block) = 0;
};

class Actions {
 public:
  virtual ~Actions() = default;
  virtual void broadcast_proposal(const v1::Proposal& proposal) = 0;
  virtual void broadcast_vote(const v1::Vote& vote) = 0;
  // Call on_timeout(height, round, step) after duration_ms.
  virtual void schedule_timeout(uint64_t duration_ms, uint64_t height, chain::Round round,
                                chain::Step step) = 0;
  // `block_id` is final at `height`; `commit` proves it. Called at most once per height.
  virtual void decide(uint64_t height, chain::Round round, const Bytes& block_id,
                      const Bytes& block, const v1::Commit& commit) = 0;
  virtual void report_evidence(const v1::Evidence& evidence) = 0;
  // The signer refused or failed (e.g. the double-sign guard); the message was not sent.
  virtual void signing_failed(const Status& status) {}
};

// Where the state machine writes the consensus WAL (wal.h): every input it is about to act on (a
// proposal or vote that passed verification and changes its tallies, a step timeout that takes
// effect) and every message it signed, before that message is broadcast. A failed write: the
// input is dropped and the message is not sent.
class WalSink {
 public:
  virtual ~WalSink() = default;
  [[nodiscard]] virtual Status append(const v1::WalRecord& record) = 0;
};

// What became of an input message (for logs and peer scoring).
struct Verdict {
  enum class Kind {
    kAccepted,   // counted
    kBuffered,   // for a later height: kept for start_height
    kDuplicate,  // already known
    kDropped,    // refused; `reason` says why
  };
  Kind kind = Kind::kAccepted;
  std::string reason;

  [[nodiscard]] bool dropped() const { return kind == Kind::kDropped; }
};

class StateMachine {
 public:
  // signer: nullptr for a node that follows without voting. verifier: nullptr for BIP340.
  StateMachine(StateMachineConfig config, chain::Signer* signer, ProposalSource& source,
               Actions& actions, const Clock& clock, chain::SignatureVerifier* verifier = nullptr);
  StateMachine(const StateMachine&) = delete;
  StateMachine& operator=(const StateMachine&) = delete;

  // Starts `height` (round 0) with its validator set, then replays buffered messages for it.
  // Heights only go up. `next`: the set of height + 1, known before this height starts (it was
  // fixed at the end of height - 1; doc/consensus.md, "Validator set changes"), which
  // check_next_height_header checks against; without it, this height's set is taken.
  void start_height(uint64_t height, chain::ValidatorSet validators,
                    std::optional<chain::ValidatorSet> next = std::nullopt);

  // Writes inputs and own messages to `wal` from now on (nullptr: none).
  void set_wal(WalSink* wal) { wal_ = wal; }

  struct ReplayStats {
    size_t inputs = 0;       // recorded proposals, votes and timeouts fed again
    size_t own_reused = 0;   // own messages taken from the WAL instead of being signed again
    size_t own_unused = 0;   // own messages the replay did not reach
    size_t own_changed = 0;  // reused although the replay chose another block id (recorded wins)
  };
  // Starts `height` as start_height does, then feeds the WAL records of that height (in the
  // order written; other heights are skipped) through the same inputs, so that the state machine
  // ends in the round and step it had, with its locked and valid values. Where it signs, it uses
  // the message the WAL recorded as its own at that height/round/step (same signature and
  // timestamp, broadcast again) instead of signing anew, and it signs nothing at or below the last
  // recorded own message. The replayed inputs are not written again; a message it signs anew
  // while replaying (one the WAL lost) is. Buffered messages for the height are handled
  // afterwards, as new inputs.
  ReplayStats replay(uint64_t height, chain::ValidatorSet validators,
                     const std::vector<v1::WalRecord>& records,
                     std::optional<chain::ValidatorSet> next = std::nullopt);

  // A complete proposal (its block set): checked as check_proposal_header does, and its `parts`
  // must be the header recomputed from its block.
  [[nodiscard]] Verdict on_proposal(const v1::Proposal& proposal);
  // Authenticates a proposal header (block not needed) without changing state: the current
  // height, not decided, round bounds, field forms, the round's proposer and its signature.
  // kDuplicate if the round holds this very proposal; kDropped with the reason otherwise. For
  // the reactor, before it collects the parts of a proposal.
  [[nodiscard]] Verdict check_proposal_header(const v1::Proposal& proposal) const;
  // The same for a header of the next height, as far as it can be checked now: against the next
  // height's validator set (start_height's `next`; the reactor checks again with
  // check_proposal_header once the next height starts). Keeps peers that are not that round's
  // proposer from taking the reactor's few slots for early proposals.
  [[nodiscard]] Verdict check_next_height_header(const v1::Proposal& proposal) const;
  [[nodiscard]] Verdict on_vote(const v1::Vote& vote);
  void on_timeout(uint64_t height, chain::Round round, chain::Step step);
  // A commit (with its block) learned from a peer or block sync for the current height: verified
  // against the validator set, then decided. How a node that missed a height's messages catches
  // up.
  [[nodiscard]] Verdict on_commit(const v1::Commit& commit, const Bytes& block);

  [[nodiscard]] uint64_t height() const { return height_; }
  [[nodiscard]] chain::Round round() const { return round_; }
  [[nodiscard]] chain::Step step() const { return step_; }
  [[nodiscard]] bool decided() const { return decided_; }
  [[nodiscard]] chain::Round locked_round() const { return locked_round_; }
  [[nodiscard]] const Bytes& locked_block_id() const { return locked_block_id_; }
  [[nodiscard]] chain::Round valid_round() const { return valid_round_; }
  [[nodiscard]] const Bytes& valid_block_id() const { return valid_block_id_; }
  [[nodiscard]] const chain::ValidatorSet& validators() const { return *validators_; }
  [[nodiscard]] size_t buffered() const { return buffer_.size(); }

  // What to gossip to a peer: the previous height's precommits, then every proposal and vote held
  // for the current height, in round order.
  struct Messages {
    std::vector<v1::Proposal> proposals;
    std::vector<v1::Vote> votes;
  };
  [[nodiscard]] Messages messages() const;

  // The commit of the previous height (the one before height()) for `block_id` in `round`, from
  // every precommit for it held now: the decision's +2/3 and the precommits that came after it,
  // during the pause between blocks. The next proposer puts this in its block's last_commit
  // (CometBFT's LastCommit), so a validator whose precommit arrives a little late still counts as
  // signing, for rewards and liveness. nullopt when this node did not hold that round's
  // precommits (it learned the height from block sync) or they give no +2/3 for `block_id`.
  [[nodiscard]] std::optional<v1::Commit> previous_commit(chain::Round round,
                                                          const Bytes& block_id) const;

 private:
  struct RoundState {
    RoundState(const chain::ValidatorSet& vals, uint64_t height, chain::Round round);
    std::optional<v1::Proposal> proposal;  // from the round's proposer, signature checked
    std::optional<bool> proposal_valid;    // valid(v), asked once
    chain::VoteSet prevotes;
    chain::VoteSet precommits;
    std::vector<bool> heard_from;  // by validator index: any message in this round
    uint64_t heard_power = 0;
  };
  using Buffered = std::variant<v1::Proposal, v1::Vote>;
  using Hrs = std::tuple<uint64_t, chain::Round, uint8_t>;  // height, round, step

  void begin_height(uint64_t height, chain::ValidatorSet validators,
                    std::optional<chain::ValidatorSet> next);
  void handle_buffered();
  // Writes a proposal or vote to the WAL (an input not while replaying).
  template <typename Message>
  [[nodiscard]] Status record(const Message& message, bool own);
  // Signs this node's proposal or vote at `hrs` and writes it to the WAL before it may be sent;
  // false, after signing_failed, if either fails.
  template <typename Message>
  [[nodiscard]] bool sign_own(Message& message, const Hrs& hrs);
  [[nodiscard]] std::optional<Buffered> take_recorded(const Hrs& hrs);
  [[nodiscard]] Verdict on_previous_vote(const v1::Vote& vote);
  [[nodiscard]] Verdict check_height(uint64_t height, const Buffered& message);
  RoundState& round_state(chain::Round round);
  [[nodiscard]] RoundState* find_round(chain::Round round);
  void heard(RoundState& rs, std::string_view address);
  [[nodiscard]] bool proposal_valid(RoundState& rs);
  [[nodiscard]] bool is_validator() const;
  [[nodiscard]] bool is_proposed(const Bytes& block_id) const;

  void start_round(chain::Round round);
  void run_rules();
  [[nodiscard]] bool try_decide();
  [[nodiscard]] std::optional<chain::Round> round_to_skip_to() const;
  void send_vote(v1::VoteType type, const Bytes& block_id);
  void send_proposal();
  void schedule(chain::Step step);

  StateMachineConfig config_;
  chain::Signer* signer_;
  ProposalSource& source_;
  Actions& actions_;
  const Clock& clock_;
  chain::Bip340Verifier default_verifier_;
  chain::SignatureVerifier& verifier_;

  bool started_ = false;
  uint64_t height_ = 0;
  std::shared_ptr<const chain::ValidatorSet> validators_ =
      std::make_shared<const chain::ValidatorSet>();
  chain::Round round_ = 0;
  chain::Step step_ = chain::Step::kPropose;
  bool decided_ = false;
  Bytes locked_block_id_;
  chain::Round locked_round_ = chain::kNoRound;
  Bytes valid_block_id_;
  Bytes valid_block_;
  chain::Round valid_round_ = chain::kNoRound;
  // "for the first time" conditions of the paper, for the current round.
  bool prevote_timeout_scheduled_ = false;
  bool precommit_timeout_scheduled_ = false;
  bool locked_or_updated_valid_ = false;  // rule of line 36

  std::map<chain::Round, RoundState> rounds_;
  // The height just decided, kept for gossip and evidence (on_previous_vote).
  std::map<chain::Round, RoundState> prev_rounds_;
  std::shared_ptr<const chain::ValidatorSet> prev_validators_;
  // The set of height + 1, for headers of proposals that arrive early.
  std::shared_ptr<const chain::ValidatorSet> next_validators_ =
      std::make_shared<const chain::ValidatorSet>();
  // (height, validator, round, type, block id) of conflicts already reported.
  std::set<std::tuple<uint64_t, std::string, chain::Round, int, Bytes>> evidence_seen_;
  std::deque<Buffered> buffer_;
  // The last (height, round, step) this state machine signed: never sign at or below it again.
  std::optional<Hrs> last_signed_;

  WalSink* wal_ = nullptr;
  // While replaying: the WAL is not written, and own messages come from here.
  bool replaying_ = false;
  std::map<Hrs, Buffered> recorded_own_;
  ReplayStats replay_stats_;
};

}  // namespace btt::consensus

#include "btt/consensus/state_machine.h"

#include <type_traits>

#include "btt/chain/part_set.h"
#include "btt/common/checked.h"

namespace btt::consensus {
namespace {

Verdict accepted() {
  return {Verdict::Kind::kAccepted, {}};
}
Verdict duplicate() {
  return {Verdict::Kind::kDuplicate, "already known"};
}
Verdict dropped(std::string reason) {
  return {Verdict::Kind::kDropped, std::move(reason)};
}

uint64_t saturating_linear(uint64_t base, uint64_t delta, chain::Round round) {
  auto grow = checked_mul(delta, static_cast<uint64_t>(round < 0 ? 0 : round));
  if (!grow) return UINT64_MAX;
  return checked_add(base, *grow).value_or(UINT64_MAX);
}

}  // namespace

uint64_t TimeoutConfig::duration_ms(chain::Step step, chain::Round round) const {
  switch (step) {
    case chain::Step::kPropose:
      return saturating_linear(propose_ms, propose_delta_ms, round);
    case chain::Step::kPrevote:
      return saturating_linear(prevote_ms, prevote_delta_ms, round);
    case chain::Step::kPrecommit:
      return saturating_linear(precommit_ms, precommit_delta_ms, round);
  }
  return UINT64_MAX;
}

StateMachine::RoundState::RoundState(const chain::ValidatorSet& vals, uint64_t height,
                                     chain::Round round)
    : prevotes(vals, height, round, v1::PREVOTE),
      precommits(vals, height, round, v1::PRECOMMIT),
      heard_from(vals.size(), false) {}

StateMachine::StateMachine(StateMachineConfig config, chain::Signer* signer, ProposalSource& source,
                           Actions& actions, const Clock& clock, chain::SignatureVerifier* verifier)
    : config_(std::move(config)),
      signer_(signer),
      source_(source),
      actions_(actions),
      clock_(clock),
      verifier_(verifier != nullptr ? *verifier : default_verifier_) {}

// --- inputs -----------------------------------------------------------------------------------

void StateMachine::start_height(uint64_t height, chain::ValidatorSet validators,
                                std::optional<chain::ValidatorSet> next) {
  if (started_ && height <= height_) return;
  begin_height(height, std::move(validators), std::move(next));
  handle_buffered();
}

StateMachine::ReplayStats StateMachine::replay(uint64_t height, chain::ValidatorSet validators,
                                               const std::vector<v1::WalRecord>& records,
                                               std::optional<chain::ValidatorSet> next) {
  if (started_ && height <= height_) return {};
  replay_stats_ = {};
  recorded_own_.clear();
  const std::string self = signer_ != nullptr ? signer_->address() : std::string();
  for (const auto& r : records) {
    if (self.empty()) break;
    if (r.has_own_proposal() && r.own_proposal().height() == height &&
        r.own_proposal().proposer() == self) {
      const v1::Proposal& p = r.own_proposal();
      recorded_own_.try_emplace(Hrs{height, p.round(), static_cast<uint8_t>(chain::Step::kPropose)},
                                p);
    } else if (r.has_own_vote() && r.own_vote().height() == height &&
               r.own_vote().validator() == self) {
      const v1::Vote& v = r.own_vote();
      if (auto step = chain::vote_step(v.type())) {
        recorded_own_.try_emplace(Hrs{height, v.round(), static_cast<uint8_t>(*step)}, v);
      }
    }
  }
  // What the WAL says this node signed is never signed anew (only re-sent as recorded).
  if (!recorded_own_.empty()) {
    const Hrs last = recorded_own_.rbegin()->first;
    if (!last_signed_ || *last_signed_ < last) last_signed_ = last;
  }
  replaying_ = true;
  begin_height(height, std::move(validators), std::move(next));
  for (const auto& r : records) {
    if (r.has_proposal() && r.proposal().height() == height) {
      (void)on_proposal(r.proposal());
    } else if (r.has_vote() && r.vote().height() == height) {
      (void)on_vote(r.vote());
    } else if (r.has_timeout() && r.timeout().height() == height && r.timeout().step() >= 1 &&
               r.timeout().step() <= 3) {
      on_timeout(height, r.timeout().round(), static_cast<chain::Step>(r.timeout().step()));
    } else {
      continue;
    }
    ++replay_stats_.inputs;
  }
  replaying_ = false;
  replay_stats_.own_unused = recorded_own_.size();
  recorded_own_.clear();
  handle_buffered();
  return replay_stats_;
}

void StateMachine::begin_height(uint64_t height, chain::ValidatorSet validators,
                                std::optional<chain::ValidatorSet> next) {
  // The previous height's votes stay for late precommits and equivocation evidence; the vote
  // sets point into the shared validator set, which moves with them.
  if (started_ && height == height_ + 1) {
    prev_rounds_ = std::move(rounds_);
    prev_validators_ = validators_;
  } else {
    prev_rounds_.clear();
    prev_validators_.reset();
  }
  rounds_.clear();
  started_ = true;
  height_ = height;
  validators_ = std::make_shared<const chain::ValidatorSet>(std::move(validators));
  next_validators_ =
      next ? std::make_shared<const chain::ValidatorSet>(std::move(*next)) : validators_;
  round_ = 0;
  step_ = chain::Step::kPropose;
  decided_ = false;
  locked_block_id_.clear();
  locked_round_ = chain::kNoRound;
  valid_block_id_.clear();
  valid_block_.clear();
  valid_round_ = chain::kNoRound;
  // Evidence keys of heights below the previous one can no longer recur.
  std::erase_if(evidence_seen_, [&](const auto& k) { return std::get<0>(k) + 1 < height_; });
  start_round(0);
  run_rules();
}

// Replays what arrived early, in arrival order; keeps what is still ahead.
void StateMachine::handle_buffered() {
  std::deque<Buffered> later;
  std::vector<Buffered> now;
  for (auto& m : buffer_) {
    const uint64_t h = std::visit([](const auto& msg) -> uint64_t { return msg.height(); }, m);
    if (h == height_) {
      now.push_back(std::move(m));
    } else if (h > height_) {
      later.push_back(std::move(m));
    }
  }
  buffer_ = std::move(later);
  for (const auto& m : now) {
    if (const auto* p = std::get_if<v1::Proposal>(&m)) {
      (void)on_proposal(*p);
    } else {
      (void)on_vote(std::get<v1::Vote>(m));
    }
  }
}

Verdict StateMachine::check_height(uint64_t height, const Buffered& message) {
  if (started_ && height < height_) {
    return dropped("old height " + std::to_string(height) + " (at " + std::to_string(height_) +
                   ")");
  }
  if (started_ && height == height_) return accepted();
  // Ahead (or not started yet): keep a bounded number for start_height.
  const uint64_t base = started_ ? height_ : 0;
  if (height - base > config_.max_future_heights && started_) {
    return dropped("height " + std::to_string(height) + " is too far ahead of " +
                   std::to_string(height_));
  }
  if (buffer_.size() >= config_.max_buffered_messages) {
    return dropped("future-height buffer is full");
  }
  buffer_.push_back(message);
  return {Verdict::Kind::kBuffered, "for height " + std::to_string(height)};
}

namespace {
// What a proposal header must be before anything else is looked at: sizes, pol_round, parts.
std::optional<Verdict> header_form_problem(const v1::Proposal& p) {
  if (p.block_id().size() != chain::kBlockIdSize)
    return dropped("proposal block id is not 32 bytes");
  if (p.signature().size() != chain::kSignatureSize)
    return dropped("proposal signature is not 64 bytes");
  if (p.pol_round() < chain::kNoRound || p.pol_round() >= static_cast<chain::Round>(p.round())) {
    return dropped("proposal pol_round " + std::to_string(p.pol_round()) +
                   " is not in [-1, round)");
  }
  if (p.parts().total() == 0 || p.parts().root().size() != 32) {
    return dropped("proposal parts header is malformed");
  }
  return std::nullopt;
}
}  // namespace

Verdict StateMachine::check_proposal_header(const v1::Proposal& p) const {
  if (!started_ || p.height() != height_) {
    return dropped("proposal for height " + std::to_string(p.height()) + ", not the current " +
                   std::to_string(height_));
  }
  if (decided_) return dropped("height " + std::to_string(height_) + " is already decided");
  const chain::Round r = p.round();
  if (r > round_ + config_.max_rounds_ahead) {
    return dropped("round " + std::to_string(r) + " is too far ahead");
  }
  if (auto problem = header_form_problem(p)) return *problem;
  const chain::ValidatorInfo& proposer = validators_->proposer(height_, r);
  if (p.proposer() != proposer.address) {
    return dropped("proposal from " + excerpt(p.proposer()) + ", not the proposer of round " +
                   std::to_string(r));
  }
  if (auto it = rounds_.find(r); it != rounds_.end() && it->second.proposal) {
    if (it->second.proposal->signature() == p.signature()) return duplicate();
    return dropped("a second proposal for round " + std::to_string(r) + " (the first is kept)");
  }
  if (!verifier_.verify(proposer.public_key, chain::proposal_digest(config_.chain_id, p),
                        p.signature())) {
    return dropped("proposal signature does not verify");
  }
  return accepted();
}

Verdict StateMachine::check_next_height_header(const v1::Proposal& p) const {
  if (!started_ || p.height() != height_ + 1) {
    return dropped("proposal for height " + std::to_string(p.height()) + ", not the next " +
                   std::to_string(height_ + 1));
  }
  const chain::Round r = p.round();
  if (r > config_.max_rounds_ahead)
    return dropped("round " + std::to_string(r) + " is too far ahead");
  if (auto problem = header_form_problem(p)) return *problem;
  const chain::ValidatorInfo& proposer = next_validators_->proposer(height_ + 1, r);
  if (p.proposer() != proposer.address) {
    return dropped("proposal from " + excerpt(p.proposer()) + ", not the proposer of round " +
                   std::to_string(r) + " of the next height");
  }
  if (!verifier_.verify(proposer.public_key, chain::proposal_digest(config_.chain_id, p),
                        p.signature())) {
    return dropped("proposal signature does not verify");
  }
  return accepted();
}

Verdict StateMachine::on_proposal(const v1::Proposal& p) {
  if (Verdict v = check_height(p.height(), p); v.kind != Verdict::Kind::kAccepted) return v;
  if (Verdict v = check_proposal_header(p); v.kind != Verdict::Kind::kAccepted) return v;
  // The signed parts header must describe this block, or peers assembling the parts would build
  // another one.
  auto parts = chain::part_set_header(p.block());
  if (!parts || !chain::same_header(*parts, p.parts())) {
    return dropped("proposal parts header does not match its block");
  }
  if (Status s = record(p, false); !s) return dropped("consensus WAL: " + s.message());
  RoundState& rs = round_state(p.round());
  rs.proposal = p;
  heard(rs, p.proposer());
  run_rules();
  return accepted();
}

Verdict StateMachine::on_vote(const v1::Vote& v) {
  if (started_ && prev_validators_ && v.height() + 1 == height_) return on_previous_vote(v);
  if (Verdict verdict = check_height(v.height(), v); verdict.kind != Verdict::Kind::kAccepted) {
    return verdict;
  }
  // Votes are still taken after the decision (run_rules does nothing then): they are gossiped
  // to peers that have not decided and may reveal equivocation.
  if (Status s = chain::check_vote_form(v); !s) return dropped(s.message());
  const chain::Round r = v.round();
  if (r > round_ + config_.max_rounds_ahead) {
    return dropped("round " + std::to_string(r) + " is too far ahead");
  }
  if (validators_->find(v.validator()) == nullptr) {
    return dropped("vote from " + excerpt(v.validator()) + ", not a validator");
  }
  // A vote already held is answered without verifying it again.
  if (RoundState* rs = find_round(r)) {
    const chain::VoteSet& set = v.type() == v1::PREVOTE ? rs->prevotes : rs->precommits;
    if (set.holds(v)) return duplicate();
  }
  if (Status s = chain::verify_vote(*validators_, config_.chain_id, v, verifier_); !s) {
    return dropped(s.message());
  }
  RoundState& rs = round_state(r);
  chain::VoteSet& set = v.type() == v1::PREVOTE ? rs.prevotes : rs.precommits;
  auto added = set.add(v, v.block_id().empty() || is_proposed(v.block_id()));
  if (!added) return dropped(added.status().message());
  if (added->added == chain::VoteSet::Added::kDuplicate) return duplicate();
  // Written once the vote is known to change a tally (an uncounted conflict changes none), so
  // that only votes that matter take room in the WAL.
  if (added->added == chain::VoteSet::Added::kAdded || added->counted) {
    if (Status s = record(v, false); !s) return dropped("consensus WAL: " + s.message());
  }
  heard(rs, v.validator());
  if (added->added == chain::VoteSet::Added::kConflict) {
    auto key = std::make_tuple(height_, v.validator(), r, static_cast<int>(v.type()), v.block_id());
    if (!evidence_seen_.insert(key).second) return duplicate();  // reported already
    actions_.report_evidence(*added->evidence);
    if (added->counted) run_rules();
    return {Verdict::Kind::kAccepted, "conflicting vote: evidence reported"};
  }
  run_rules();
  return accepted();
}

// A vote for the height just decided: only held (for gossip) and checked for equivocation, in
// the rounds that height had; it cannot change anything.
Verdict StateMachine::on_previous_vote(const v1::Vote& v) {
  auto it = prev_rounds_.find(v.round());
  if (it == prev_rounds_.end()) return dropped("old height " + std::to_string(v.height()));
  chain::VoteSet& set = v.type() == v1::PREVOTE ? it->second.prevotes : it->second.precommits;
  if (set.holds(v)) return duplicate();
  if (Status s = chain::verify_vote(*prev_validators_, config_.chain_id, v, verifier_); !s) {
    return dropped(s.message());
  }
  auto added = set.add(v);
  if (!added) return dropped(added.status().message());
  if (added->added == chain::VoteSet::Added::kConflict) {
    auto key = std::make_tuple(v.height(), v.validator(), static_cast<chain::Round>(v.round()),
                               static_cast<int>(v.type()), v.block_id());
    if (!evidence_seen_.insert(key).second) return duplicate();
    actions_.report_evidence(*added->evidence);
    return {Verdict::Kind::kAccepted, "conflicting vote: evidence reported"};
  }
  return added->added == chain::VoteSet::Added::kDuplicate ? duplicate() : accepted();
}

void StateMachine::on_timeout(uint64_t height, chain::Round round, chain::Step step) {
  if (!started_ || decided_ || height != height_ || round != round_) return;
  // A propose or prevote timeout takes effect only in its own step; others change nothing.
  if (step != chain::Step::kPrecommit && step != step_) return;
  if (wal_ != nullptr && !replaying_) {
    v1::WalRecord rec;
    rec.mutable_timeout()->set_height(height);
    rec.mutable_timeout()->set_round(static_cast<uint32_t>(round));
    rec.mutable_timeout()->set_step(static_cast<uint32_t>(step));
    if (!wal_->append(rec)) return;
  }
  switch (step) {
    case chain::Step::kPropose:  // line 57
      if (step_ == chain::Step::kPropose) send_vote(v1::PREVOTE, Bytes());
      break;
    case chain::Step::kPrevote:  // line 61
      if (step_ == chain::Step::kPrevote) send_vote(v1::PRECOMMIT, Bytes());
      break;
    case chain::Step::kPrecommit:  // line 65
      start_round(round_ + 1);
      break;
  }
  run_rules();
}

Verdict StateMachine::on_commit(const v1::Commit& commit, const Bytes& block) {
  if (!started_ || commit.height() != height_) {
    return dropped("commit for height " + std::to_string(commit.height()) + " (at " +
                   std::to_string(height_) + ")");
  }
  if (decided_) return duplicate();
  if (Status s = chain::verify_commit(*validators_, config_.chain_id, height_, commit.block_id(),
                                      commit, verifier_);
      !s) {
    return dropped(s.message());
  }
  if (!source_.validate(height_, commit.block_id(), block)) {
    return dropped("the committed block does not validate");
  }
  decided_ = true;
  actions_.decide(height_, commit.round(), commit.block_id(), block, commit);
  return accepted();
}

StateMachine::Messages StateMachine::messages() const {
  Messages out;
  // The previous height's precommits first: a peer still at that height can decide with them.
  for (const auto& [r, rs] : prev_rounds_) {
    for (const auto& [addr, v] : rs.precommits.votes()) out.votes.push_back(v);
  }
  for (const auto& [r, rs] : rounds_) {
    if (rs.proposal) out.proposals.push_back(*rs.proposal);
    for (const chain::VoteSet* set : {&rs.prevotes, &rs.precommits}) {
      for (const auto& [addr, v] : set->votes()) out.votes.push_back(v);
      // Conflicting votes are passed on too: a peer may need them for a proof of lock.
      for (const auto& [key, v] : set->conflicting()) out.votes.push_back(v);
    }
  }
  return out;
}

std::optional<v1::Commit> StateMachine::previous_commit(chain::Round round,
                                                        const Bytes& block_id) const {
  auto it = prev_rounds_.find(round);
  if (it == prev_rounds_.end()) return std::nullopt;
  auto commit = it->second.precommits.make_commit();
  if (!commit || commit->block_id() != block_id) return std::nullopt;
  return std::move(*commit);
}

// --- helpers ----------------------------------------------------------------------------------

StateMachine::RoundState& StateMachine::round_state(chain::Round round) {
  auto it = rounds_.find(round);
  if (it == rounds_.end()) {
    it = rounds_
             .emplace(std::piecewise_construct, std::forward_as_tuple(round),
                      std::forward_as_tuple(*validators_, height_, round))
             .first;
  }
  return it->second;
}

StateMachine::RoundState* StateMachine::find_round(chain::Round round) {
  auto it = rounds_.find(round);
  return it == rounds_.end() ? nullptr : &it->second;
}

void StateMachine::heard(RoundState& rs, std::string_view address) {
  auto i = validators_->index_of(address);
  if (!i || rs.heard_from[*i]) return;
  rs.heard_from[*i] = true;
  rs.heard_power += validators_->validators()[*i].power;  // bounded by the checked total
}

bool StateMachine::proposal_valid(RoundState& rs) {
  if (!rs.proposal) return false;
  if (!rs.proposal_valid) {
    rs.proposal_valid = source_.validate(height_, rs.proposal->block_id(), rs.proposal->block());
  }
  return *rs.proposal_valid;
}

bool StateMachine::is_proposed(const Bytes& block_id) const {
  for (const auto& [r, rs] : rounds_) {
    if (rs.proposal && rs.proposal->block_id() == block_id) return true;
  }
  return false;
}

bool StateMachine::is_validator() const {
  return signer_ != nullptr && validators_->find(signer_->address()) != nullptr;
}

void StateMachine::schedule(chain::Step step) {
  actions_.schedule_timeout(config_.timeouts.duration_ms(step, round_), height_, round_, step);
}

// --- the algorithm ----------------------------------------------------------------------------

// Lines 11-21: StartRound.
void StateMachine::start_round(chain::Round round) {
  round_ = round;
  step_ = chain::Step::kPropose;
  prevote_timeout_scheduled_ = false;
  precommit_timeout_scheduled_ = false;
  locked_or_updated_valid_ = false;
  (void)round_state(round);
  // Scheduled by the proposer too: harmless (it fires only while still in the propose step) and
  // it covers a proposer whose proposal source or signer fails.
  schedule(chain::Step::kPropose);
  if (is_validator() && validators_->proposer(height_, round_).address == signer_->address()) {
    send_proposal();
  }
}

void StateMachine::send_proposal() {
  const Hrs hrs{height_, round_, static_cast<uint8_t>(chain::Step::kPropose)};
  v1::Proposal p;
  if (auto recorded = take_recorded(hrs)) {
    p = std::get<v1::Proposal>(std::move(*recorded));
  } else {
    if (last_signed_ && hrs <= *last_signed_) return;
    p.set_height(height_);
    p.set_round(static_cast<uint32_t>(round_));
    if (valid_round_ != chain::kNoRound) {
      // line 15: re-propose the valid value with its proof of lock
      p.set_pol_round(valid_round_);
      p.set_block_id(valid_block_id_);
      p.set_block(valid_block_);
    } else {
      auto value = source_.propose(height_, round_);
      if (!value || value->block_id.size() != chain::kBlockIdSize) {
        actions_.signing_failed(value ? Status(Code::kInternal, "proposed block id is not 32 bytes")
                                      : value.status());
        return;
      }
      p.set_pol_round(chain::kNoRound);
      p.set_block_id(value->block_id);
      p.set_block(value->block);
    }
    auto parts = chain::part_set_header(p.block());
    if (!parts) {
      actions_.signing_failed(parts.status());
      return;
    }
    *p.mutable_parts() = std::move(*parts);
    p.set_proposer(signer_->address());
    p.set_timestamp_ms(clock_.now_ms());
    if (!sign_own(p, hrs)) return;
  }
  RoundState& rs = round_state(round_);
  rs.proposal = p;
  rs.proposal_valid = true;  // our own value (or the valid value, already validated)
  heard(rs, p.proposer());
  actions_.broadcast_proposal(p);
}

void StateMachine::send_vote(v1::VoteType type, const Bytes& block_id) {
  const chain::Step step = type == v1::PREVOTE ? chain::Step::kPrevote : chain::Step::kPrecommit;
  step_ = step;  // the step advances whether or not this node votes
  if (!is_validator()) return;
  const Hrs hrs{height_, round_, static_cast<uint8_t>(step)};
  v1::Vote v;
  if (auto recorded = take_recorded(hrs)) {
    v = std::get<v1::Vote>(std::move(*recorded));
    // What was signed and sent stands, even if this replay would choose otherwise.
    if (v.block_id() != block_id) ++replay_stats_.own_changed;
  } else {
    if (last_signed_ && hrs <= *last_signed_) return;
    v.set_type(type);
    v.set_height(height_);
    v.set_round(static_cast<uint32_t>(round_));
    v.set_block_id(block_id);
    v.set_validator(signer_->address());
    v.set_timestamp_ms(clock_.now_ms());
    if (!sign_own(v, hrs)) return;
  }
  RoundState& rs = round_state(round_);
  auto added = (type == v1::PREVOTE ? rs.prevotes : rs.precommits).add(v);
  if (added && added->added == chain::VoteSet::Added::kAdded) heard(rs, v.validator());
  actions_.broadcast_vote(v);
}

std::optional<StateMachine::Buffered> StateMachine::take_recorded(const Hrs& hrs) {
  if (!replaying_) return std::nullopt;
  auto it = recorded_own_.find(hrs);
  if (it == recorded_own_.end()) return std::nullopt;
  Buffered out = std::move(it->second);
  recorded_own_.erase(it);
  ++replay_stats_.own_reused;
  return out;
}

template <typename Message>
Status StateMachine::record(const Message& message, bool own) {
  // Replayed inputs are in the WAL already; a message signed anew while replaying is not.
  if (wal_ == nullptr || (replaying_ && !own)) return Status::ok();
  v1::WalRecord rec;
  if constexpr (std::is_same_v<Message, v1::Proposal>) {
    *(own ? rec.mutable_own_proposal() : rec.mutable_proposal()) = message;
  } else {
    *(own ? rec.mutable_own_vote() : rec.mutable_vote()) = message;
  }
  return wal_->append(rec);
}

template <typename Message>
bool StateMachine::sign_own(Message& message, const Hrs& hrs) {
  Status s;
  if constexpr (std::is_same_v<Message, v1::Proposal>) {
    s = signer_->sign_proposal(config_.chain_id, message);
  } else {
    s = signer_->sign_vote(config_.chain_id, message);
  }
  if (s) {
    last_signed_ = hrs;
    s = record(message, true);  // durable in the WAL before anyone sees it
  }
  if (!s) actions_.signing_failed(s);
  return s.is_ok();
}

// Lines 49-54 (any round): a block with +2/3 precommits whose value we hold and find valid.
bool StateMachine::try_decide() {
  for (auto& [r, rs] : rounds_) {
    auto maj = rs.precommits.two_thirds_majority();
    if (!maj || maj->empty()) continue;
    for (auto& [pr, prs] : rounds_) {
      if (!prs.proposal || prs.proposal->block_id() != *maj || !proposal_valid(prs)) continue;
      auto commit = rs.precommits.make_commit();
      if (!commit) return false;  // cannot happen with a +2/3 majority for a block
      decided_ = true;
      actions_.decide(height_, r, *maj, prs.proposal->block(), *commit);
      return true;
    }
  }
  return false;
}

// Line 55: messages of a higher round from more than 1/3 of the power.
std::optional<chain::Round> StateMachine::round_to_skip_to() const {
  for (auto it = rounds_.rbegin(); it != rounds_.rend() && it->first > round_; ++it) {
    if (validators_->is_one_third(it->second.heard_power)) return it->first;
  }
  return std::nullopt;
}

void StateMachine::run_rules() {
  if (!started_) return;
  for (;;) {
    if (decided_ || try_decide()) return;
    if (auto r = round_to_skip_to()) {
      start_round(*r);
      continue;
    }
    RoundState& rs = round_state(round_);
    const v1::Proposal* p = rs.proposal ? &*rs.proposal : nullptr;

    if (step_ == chain::Step::kPropose && p != nullptr) {
      if (p->pol_round() == chain::kNoRound) {  // line 22
        const bool ok = proposal_valid(rs) &&
                        (locked_round_ == chain::kNoRound || locked_block_id_ == p->block_id());
        send_vote(v1::PREVOTE, ok ? p->block_id() : Bytes());
        continue;
      }
      RoundState* pol = find_round(p->pol_round());
      if (pol != nullptr && pol->prevotes.has_two_thirds_for(p->block_id())) {  // line 28
        const bool ok = proposal_valid(rs) &&
                        (locked_round_ <= p->pol_round() || locked_block_id_ == p->block_id());
        send_vote(v1::PREVOTE, ok ? p->block_id() : Bytes());
        continue;
      }
    }
    if (step_ == chain::Step::kPrevote && !prevote_timeout_scheduled_ &&
        rs.prevotes.has_two_thirds_any()) {  // line 34
      prevote_timeout_scheduled_ = true;
      schedule(chain::Step::kPrevote);
    }
    if (step_ != chain::Step::kPropose && !locked_or_updated_valid_ && p != nullptr &&
        rs.prevotes.has_two_thirds_for(p->block_id()) && proposal_valid(rs)) {  // line 36
      locked_or_updated_valid_ = true;
      valid_block_id_ = p->block_id();
      valid_block_ = p->block();
      valid_round_ = round_;
      if (step_ == chain::Step::kPrevote) {
        locked_block_id_ = p->block_id();
        locked_round_ = round_;
        send_vote(v1::PRECOMMIT, p->block_id());
      }
      continue;
    }
    if (step_ == chain::Step::kPrevote && rs.prevotes.has_two_thirds_nil()) {  // line 44
      send_vote(v1::PRECOMMIT, Bytes());
      continue;
    }
    if (!precommit_timeout_scheduled_ && rs.precommits.has_two_thirds_any()) {  // line 47
      precommit_timeout_scheduled_ = true;
      schedule(chain::Step::kPrecommit);
    }
    return;
  }
}

}  // namespace btt::consensus

// The governance keeper (doc/governance.md): proposals, deposits, votes, the budgeted tally,
// sandboxed execution, treasury streams and Foundation acts.
#include "keeper.h"

#include <exception>

#include "btt/common/amount.h"
#include "btt/common/checked.h"
#include "btt/modules/governance/errors.h"
#include "btt/modules/governance/events.h"
#include "btt/modules/roles/roles.h"
#include "btt/modules/tokenomics/tokenomics.h"
#include "keys.h"
#include "module.h"
#include "tally.h"

namespace btt::modules::governance {
namespace {

constexpr std::string_view kTreasury = "treasury";
constexpr std::string_view kEcosystemGrowth = "ecosystem_growth";

std::string options_text(const v1::VoteRecord& v) {
  std::string out;
  for (const auto& o : v.options()) {
    if (!out.empty()) out += ",";
    out += v1::VoteOption_Name(o.option()) + ":" + std::to_string(o.weight_bps());
  }
  return out;
}

crypto::Address address_of(const std::string& text) {
  auto a = crypto::Address::parse(text);
  if (!a) throw std::logic_error("governance: stored address '" + text + "' does not decode");
  return *a;
}

}  // namespace

crypto::Address deposits_address() {
  return crypto::Address::for_module("governance/deposits");
}

crypto::Address governance_address() {
  return crypto::Address::for_module("governance");
}

std::optional<v1::UpgradePlanRecord> upgrade_plan(const ledger::StateReader& state) {
  return ledger::read_record<v1::UpgradePlanRecord>(state, keys::upgrade());
}

bool enabled(const ledger::StateReader& state) {
  return state.get(keys::params()).has_value();
}

GovernanceKeeper::GovernanceKeeper(ledger::Overlay& state, ledger::Events& events,
                                   const ledger::LockProviders* locks,
                                   const ledger::BlockInfo& block, const ParamsSetter* setter)
    : state_(state),
      events_(events),
      locks_(locks),
      block_(block),
      setter_(setter),
      params_(params_spec().get(state)) {}

void GovernanceKeeper::set_params(const v1::GovernanceParams& p) {
  params_spec().set(state_, p);
  params_ = p;
}

uint64_t GovernanceKeeper::next_id(const Bytes& key) {
  const uint64_t id = std::max<uint64_t>(1, ledger::read_u64(state_, key));
  ledger::write_u64(state_, key, id + 1);
  return id;
}

void GovernanceKeeper::put(const v1::ProposalRecord& p) {
  state_.put(keys::proposal(p.id()), p.SerializeAsString());
  const bool active = p.status() == v1::PROPOSAL_STATUS_DEPOSIT_PERIOD ||
                      p.status() == v1::PROPOSAL_STATUS_VOTING_PERIOD ||
                      p.status() == v1::PROPOSAL_STATUS_TALLYING;
  if (active) {
    state_.put(keys::active(p.id()), "");
  } else {
    state_.erase(keys::active(p.id()));
  }
}

Result<uint64_t> GovernanceKeeper::submit(const crypto::Address& proposer,
                                          const v1::MsgSubmitProposal& m) {
  v1::ProposalRecord p;
  p.set_id(next_id(keys::next_proposal()));
  p.set_proposer(proposer.to_string());
  p.set_title(m.title());
  p.set_summary(m.summary());
  *p.mutable_actions() = m.actions();
  p.set_expedited(m.expedited());
  p.set_status(v1::PROPOSAL_STATUS_DEPOSIT_PERIOD);
  p.set_submit_height(block_.height);
  p.set_submit_ms(block_.time_ms);
  p.set_deposit_end_ms(saturating_add(block_.time_ms, params_.max_deposit_period_ms()));
  put(p);
  events_.emit(events::kSubmitted)
      .attr("proposal_id", p.id())
      .attr("proposer", p.proposer())
      .attr("actions", static_cast<uint64_t>(p.actions_size()))
      .attr("expedited", p.expedited() ? "true" : "false");
  if (m.initial_deposit() > 0) {
    if (auto s = deposit(p.id(), proposer, m.initial_deposit()); !s) return s;
  }
  return p.id();
}

Status GovernanceKeeper::deposit(uint64_t id, const crypto::Address& depositor, uint64_t amount) {
  auto p = *view().proposal(id);  // preclaim found it
  if (auto s =
          ledger::Ledger(state_, events_, locks_)
              .move(depositor, deposits_address(), ledger::kNativeAsset, amount, block_.time_ms);
      !s) {
    return s;
  }
  v1::DepositRecord d;
  if (auto old = ledger::read_record<v1::DepositRecord>(state_, keys::deposit(id, depositor))) {
    d = *old;
  }
  d.set_proposal_id(id);
  d.set_depositor(depositor.to_string());
  auto sum = checked_add(d.amount(), amount);
  auto total = checked_add(p.total_deposit(), amount);
  if (!sum || !total) return {errors::kBadField, "deposit: the total would overflow"};
  d.set_amount(*sum);
  state_.put(keys::deposit(id, depositor), d.SerializeAsString());
  p.set_total_deposit(*total);
  events_.emit(events::kDeposited)
      .attr("proposal_id", id)
      .attr("depositor", d.depositor())
      .attr("amount", amount)
      .attr("total", p.total_deposit());
  const uint64_t needed = p.expedited() ? params_.expedited_min_deposit() : params_.min_deposit();
  if (p.status() == v1::PROPOSAL_STATUS_DEPOSIT_PERIOD && p.total_deposit() >= needed) {
    start_voting(p);
  }
  put(p);
  return Status::ok();
}

void GovernanceKeeper::start_voting(v1::ProposalRecord& p) {
  p.set_status(v1::PROPOSAL_STATUS_VOTING_PERIOD);
  p.set_voting_start_ms(block_.time_ms);
  const uint64_t period =
      p.expedited() ? params_.expedited_voting_period_ms() : params_.voting_period_ms();
  p.set_voting_end_ms(saturating_add(block_.time_ms, period));
  events_.emit(events::kVotingStarted)
      .attr("proposal_id", p.id())
      .attr("voting_end_ms", p.voting_end_ms());
}

void GovernanceKeeper::vote(
    uint64_t id, const crypto::Address& voter,
    const google::protobuf::RepeatedPtrField<v1::WeightedVoteOption>& options) {
  v1::VoteRecord v;
  v.set_proposal_id(id);
  v.set_voter(voter.to_string());
  *v.mutable_options() = options;
  state_.put(keys::vote(id, voter), v.SerializeAsString());
  events_.emit(events::kVoted)
      .attr("proposal_id", id)
      .attr("voter", v.voter())
      .attr("options", options_text(v));
}

Status GovernanceKeeper::cancel(uint64_t id) {
  auto p = *view().proposal(id);
  const auto [refunded, burned] = settle_deposits(p, params_.cancel_burn_ratio_bps());
  end(p, v1::PROPOSAL_STATUS_CANCELLED);
  events_.emit(events::kCancelled)
      .attr("proposal_id", id)
      .attr("burned", burned)
      .attr("refunded", refunded);
  return Status::ok();
}

std::pair<uint64_t, uint64_t> GovernanceKeeper::settle_deposits(v1::ProposalRecord& p,
                                                                uint32_t burn_bps) {
  uint64_t refunded = 0;
  uint64_t burned = 0;
  ledger::Ledger ledger(state_, events_, locks_);
  for (const auto& d : view().deposits(p.id())) {
    const uint64_t burn = bps_of(d.amount(), burn_bps);
    const uint64_t refund = d.amount() - burn;
    if (refund > 0) {
      auto s = ledger.move(deposits_address(), address_of(d.depositor()), ledger::kNativeAsset,
                           refund, block_.time_ms);
      if (!s) throw std::logic_error("governance: deposit refund failed: " + s.to_string());
    }
    refunded += refund;
    burned += burn;
  }
  if (burned > 0) {
    auto s = tokenomics::burn(state_, events_, locks_, deposits_address(), burned,
                              kDepositBurnSource, block_.time_ms);
    if (!s) throw std::logic_error("governance: deposit burn failed: " + s.to_string());
  }
  p.set_deposits_burned(burned > 0);
  events_.emit(events::kDepositsSettled)
      .attr("proposal_id", p.id())
      .attr("refunded", refunded)
      .attr("burned", burned);
  return {refunded, burned};
}

void GovernanceKeeper::end(v1::ProposalRecord& p, v1::ProposalStatus status) {
  p.set_status(status);
  p.set_end_height(block_.height);
  put(p);
}

void GovernanceKeeper::queue_foundation_act(const crypto::Address& sender,
                                            const v1::MsgFoundationAct& act) {
  v1::FoundationActRecord r;
  r.set_id(next_id(keys::next_act()));
  r.set_sender(sender.to_string());
  *r.mutable_act() = act;
  r.set_submit_height(block_.height);
  r.set_execute_ms(saturating_add(block_.time_ms, params_.foundation_veto_period_ms()));
  state_.put(keys::foundation_act(r.id()), r.SerializeAsString());
  events_.emit(events::kFoundationActQueued)
      .attr("act_id", r.id())
      .attr("sender", r.sender())
      .attr("execute_ms", r.execute_ms());
}

// --- end block ---------------------------------------------------------------------------------

void GovernanceKeeper::begin_block() {
  // Only a binary that handles the plan (or skips it by the operator's flag) gets here: every
  // other one stopped before this block (chain::Chain::upgrade_needed). Both do the same.
  auto r = upgrade_plan(state_);
  if (!r || r->plan().height() != block_.height) return;
  v1::AppliedUpgrade done;
  done.set_name(r->plan().name());
  done.set_height(block_.height);
  done.set_proposal_id(r->proposal_id());
  state_.put(keys::applied_upgrade(done.name()), done.SerializeAsString());
  state_.erase(keys::upgrade());
  events_.emit(events::kUpgradeApplied).attr("name", done.name()).attr("height", block_.height);
}

void GovernanceKeeper::end_block() {
  // Periods that ended: at most max_active_proposals records.
  std::vector<uint64_t> active;
  state_.scan(keys::active(), [&](std::string_view key, std::string_view) {
    ledger::KeyReader r(key.substr(keys::active().size()));
    uint64_t id = 0;
    if (r.u64(id)) active.push_back(id);
    return true;
  });
  for (uint64_t id : active) {
    auto p = *view().proposal(id);
    if (p.status() == v1::PROPOSAL_STATUS_DEPOSIT_PERIOD && block_.time_ms >= p.deposit_end_ms()) {
      settle_deposits(p, 0);
      end(p, v1::PROPOSAL_STATUS_DEPOSIT_EXPIRED);
    } else if (p.status() == v1::PROPOSAL_STATUS_VOTING_PERIOD &&
               block_.time_ms >= p.voting_end_ms()) {
      p.set_status(v1::PROPOSAL_STATUS_TALLYING);
      put(p);
      v1::TallyProgress t;
      t.set_proposal_id(id);
      state_.put(keys::tally(id), t.SerializeAsString());
    }
  }
  uint64_t budget = params_.tally_budget_per_block();
  count(budget);
  pay_streams();
  run_foundation_acts();
}

void GovernanceKeeper::count(uint64_t& budget) {
  std::vector<v1::TallyProgress> tallies =
      ledger::read_records<v1::TallyProgress>(state_, keys::tallies());
  for (auto& t : tallies) {
    if (budget == 0) return;
    auto p = *view().proposal(t.proposal_id());
    if (count_one(p, t, budget)) {
      state_.erase(keys::tally(p.id()));
      std::vector<Bytes> ded;
      state_.scan(keys::deductions(p.id()), [&](std::string_view key, std::string_view) {
        ded.emplace_back(key);
        return true;
      });
      for (const auto& k : ded) state_.erase(k);
      finish(p, t.tally());
    } else {
      state_.put(keys::tally(p.id()), t.SerializeAsString());
    }
  }
}

bool GovernanceKeeper::count_one(v1::ProposalRecord& p, v1::TallyProgress& t, uint64_t& budget) {
  const Bytes prefix = keys::votes(p.id());
  // Votes are counted from the highest key down: the cursor is the last one counted, and
  // scan_back seeks to it in one step however many came before.
  while (!t.votes_done() && budget > 0) {
    Bytes from = t.cursor().empty() ? prefix + Bytes(21, '\xff') : t.cursor();
    std::optional<std::pair<Bytes, v1::VoteRecord>> next;
    state_.scan_back(prefix, from, [&](std::string_view key, std::string_view value) {
      if (key == t.cursor()) return true;  // counted already
      v1::VoteRecord v;
      if (!v.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
        throw std::logic_error("governance: unreadable vote record");
      }
      next.emplace(Bytes(key), std::move(v));
      return false;
    });
    if (!next) {
      t.set_votes_done(true);
      break;
    }
    auto power = direct_power(state_, address_of(next->second.voter()), p.voting_end_ms());
    add_vote(*t.mutable_tally(), next->second, power.power);
    for (const auto& [v, shares] : power.deducted) {
      const Bytes key = keys::deduction(p.id(), v);
      ledger::write_u64(state_, key, saturating_add(ledger::read_u64(state_, key), shares));
    }
    budget -= std::min(budget, 1 + power.reads);
    t.set_cursor(next->first);
  }
  if (!t.votes_done() || budget == 0) return false;
  // The validators' votes: one read per member of the active set.
  const uint64_t id = p.id();
  add_validators(
      state_, *t.mutable_tally(),
      [&](const crypto::Address& v) { return ledger::read_u64(state_, keys::deduction(id, v)); },
      [&](const crypto::Address& op) { return view().vote(id, op); });
  budget -= std::min<uint64_t>(budget, 1);
  return true;
}

void GovernanceKeeper::finish(v1::ProposalRecord& p, const v1::TallyResult& tally) {
  const Outcome o = decide(tally, params_, p.expedited());
  if (p.expedited() && !o.passed) {
    // Failed its expedited tally: a normal proposal from now on, its votes kept.
    p.set_expedited(false);
    p.set_was_expedited(true);
    p.set_status(v1::PROPOSAL_STATUS_VOTING_PERIOD);
    p.set_voting_end_ms(saturating_add(p.voting_start_ms(), params_.voting_period_ms()));
    put(p);
    events_.emit(events::kExpeditedToNormal)
        .attr("proposal_id", p.id())
        .attr("voting_end_ms", p.voting_end_ms());
    return;
  }
  *p.mutable_final_tally() = tally;
  p.set_reject_reason(o.reason);
  events_.emit(events::kTallied)
      .attr("proposal_id", p.id())
      .attr("status", o.passed ? "passed" : "rejected")
      .attr("reason", o.passed ? "" : v1::RejectReason_Name(o.reason))
      .attr("yes", tally.yes())
      .attr("abstain", tally.abstain())
      .attr("no", tally.no())
      .attr("no_with_veto", tally.no_with_veto())
      .attr("total_bonded", tally.total_bonded());
  settle_deposits(p, o.burn ? kBps : 0);
  if (!o.passed) {
    end(p, v1::PROPOSAL_STATUS_REJECTED);
    return;
  }
  auto s = execute(p.actions(), p.id());
  if (!s) p.set_error(s.to_string());
  end(p, s ? v1::PROPOSAL_STATUS_PASSED : v1::PROPOSAL_STATUS_FAILED);
  events_.emit(events::kExecuted)
      .attr("proposal_id", p.id())
      .attr("status", s ? "passed" : "failed")
      .attr("error", p.error());
}

// --- execution -----------------------------------------------------------------------------

Status GovernanceKeeper::execute(
    const google::protobuf::RepeatedPtrField<v1::ProposalAction>& actions, uint64_t proposal_id) {
  ledger::Overlay sandbox(state_.reader());
  ledger::Events sandbox_events;
  try {
    for (int i = 0; i < actions.size(); ++i) {
      if (auto s = run(sandbox, sandbox_events, actions[i], proposal_id); !s) {
        return s.prefixed("action " + std::to_string(i));
      }
    }
  } catch (const std::exception& e) {
    // A bug in an action must not halt the chain: nothing of the sandbox is kept.
    return {errors::kActionFailed, std::string("execution threw: ") + e.what()};
  }
  sandbox.commit_to(state_);
  events_.append(std::move(sandbox_events));
  return Status::ok();
}

Status GovernanceKeeper::run(ledger::Overlay& state, ledger::Events& events,
                             const v1::ProposalAction& a, uint64_t proposal_id) {
  const std::string by = governance_address().to_string();
  switch (a.action_case()) {
    case v1::ProposalAction::kText:
      return Status::ok();
    case v1::ProposalAction::kParamChange:
      if (!setter_) return {errors::kActionFailed, "param_change: no params path on this node"};
      return setter_->set_params_json(state, events, a.param_change().module(),
                                      a.param_change().params_json());
    case v1::ProposalAction::kTreasurySpend: {
      const auto& t = a.treasury_spend();
      const auto to = address_of(t.recipient());
      if (t.blocks() == 0) {
        return tokenomics::release_from_pool(state, events, locks_, kTreasury, to, t.amount(),
                                             block_.time_ms);
      }
      if (GovernanceView(state).streams().size() >= params_.max_active_streams()) {
        return {errors::kActionFailed,
                "treasury_spend: " + std::to_string(params_.max_active_streams()) +
                    " streams run already (max_active_streams)"};
      }
      v1::TreasuryStream s;
      const uint64_t id = std::max<uint64_t>(1, ledger::read_u64(state, keys::next_stream()));
      ledger::write_u64(state, keys::next_stream(), id + 1);
      s.set_id(id);
      s.set_proposal_id(proposal_id);
      s.set_recipient(t.recipient());
      s.set_amount(t.amount());
      s.set_blocks(t.blocks());
      s.set_per_block(t.amount() / t.blocks());
      state.put(keys::stream(id), s.SerializeAsString());
      return Status::ok();
    }
    case v1::ProposalAction::kCancelStream: {
      const uint64_t id = a.cancel_stream().stream_id();
      auto s = ledger::read_record<v1::TreasuryStream>(state, keys::stream(id));
      if (!s) return {errors::kActionFailed, "cancel_stream: no stream " + std::to_string(id)};
      state.erase(keys::stream(id));
      events.emit(events::kStreamEnded)
          .attr("stream_id", id)
          .attr("paid", s->paid())
          .attr("cancelled", "true");
      return Status::ok();
    }
    case v1::ProposalAction::kMilestoneApproval: {
      const auto& m = a.milestone_approval();
      return tokenomics::approve_milestone(state, events, locks_, block_, m.category(),
                                           m.milestone(), m.amount());
    }
    case v1::ProposalAction::kEcosystemRelease:
      return tokenomics::release_from_pool(state, events, locks_, kEcosystemGrowth,
                                           address_of(a.ecosystem_release().recipient()),
                                           a.ecosystem_release().amount(), block_.time_ms);
    case v1::ProposalAction::kGrantRole:
      return roles::grant_by_governance(state, events, a.grant_role().role(),
                                        address_of(a.grant_role().address()), block_.height, by);
    case v1::ProposalAction::kRevokeRole:
      return roles::revoke_by_governance(state, events, a.revoke_role().role(),
                                         address_of(a.revoke_role().address()), by);
    case v1::ProposalAction::kSoftwareUpgrade: {
      const auto& plan = a.software_upgrade();
      if (state.get(keys::applied_upgrade(plan.name()))) {
        return {errors::kActionFailed, "software_upgrade: '" + plan.name() +
                                           "' was applied already; a plan needs a new name"};
      }
      if (plan.height() <= block_.height) {
        return {errors::kActionFailed, "software_upgrade: height " + std::to_string(plan.height()) +
                                           " is not above the execution height " +
                                           std::to_string(block_.height)};
      }
      v1::UpgradePlanRecord r;
      *r.mutable_plan() = plan;
      r.set_proposal_id(proposal_id);
      state.put(keys::upgrade(), r.SerializeAsString());
      events.emit(events::kUpgradeScheduled)
          .attr("name", plan.name())
          .attr("height", plan.height())
          .attr("info", plan.info());
      return Status::ok();
    }
    case v1::ProposalAction::kCancelUpgrade: {
      auto r = upgrade_plan(state);
      if (!r) return {errors::kActionFailed, "cancel_upgrade: no upgrade is planned"};
      state.erase(keys::upgrade());
      events.emit(events::kUpgradeCancelled).attr("name", r->plan().name());
      return Status::ok();
    }
    case v1::ProposalAction::kVetoFoundationAct: {
      const uint64_t id = a.veto_foundation_act().act_id();
      if (!GovernanceView(state).foundation_act(id)) {
        return {errors::kActionFailed,
                "veto_foundation_act: no pending Foundation act " + std::to_string(id)};
      }
      state.erase(keys::foundation_act(id));
      events.emit(events::kFoundationActDone)
          .attr("act_id", id)
          .attr("status", "vetoed")
          .attr("error", "");
      return Status::ok();
    }
    case v1::ProposalAction::ACTION_NOT_SET:
      break;
  }
  return {errors::kBadAction, "an action without a kind"};
}

void GovernanceKeeper::pay_streams() {
  ledger::Ledger ledger(state_, events_, locks_);
  for (auto s : GovernanceView(state_).streams()) {
    const bool last = s.blocks_paid() + 1 >= s.blocks();
    const uint64_t amount = last ? s.amount() - s.paid() : s.per_block();
    if (amount > 0) {
      ledger::Overlay sandbox(state_.reader());
      ledger::Events ev;
      auto st = tokenomics::release_from_pool(sandbox, ev, locks_, kTreasury,
                                              address_of(s.recipient()), amount, block_.time_ms);
      if (!st) continue;  // the treasury is short: this block pays nothing, the next tries again
      sandbox.commit_to(state_);
      events_.append(std::move(ev));
    }
    s.set_paid(s.paid() + amount);
    s.set_blocks_paid(s.blocks_paid() + 1);
    events_.emit(events::kStreamPaid)
        .attr("stream_id", s.id())
        .attr("recipient", s.recipient())
        .attr("amount", amount)
        .attr("paid", s.paid());
    if (last) {
      state_.erase(keys::stream(s.id()));
      events_.emit(events::kStreamEnded)
          .attr("stream_id", s.id())
          .attr("paid", s.paid())
          .attr("cancelled", "false");
    } else {
      state_.put(keys::stream(s.id()), s.SerializeAsString());
    }
  }
}

void GovernanceKeeper::run_foundation_acts() {
  for (const auto& r : GovernanceView(state_).foundation_acts()) {
    if (block_.time_ms < r.execute_ms()) continue;
    v1::ProposalAction a;
    if (r.act().has_treasury_spend()) {
      *a.mutable_treasury_spend() = r.act().treasury_spend();
    } else {
      *a.mutable_milestone_approval() = r.act().milestone_approval();
    }
    google::protobuf::RepeatedPtrField<v1::ProposalAction> actions;
    *actions.Add() = a;
    state_.erase(keys::foundation_act(r.id()));
    auto s = execute(actions, 0);
    events_.emit(events::kFoundationActDone)
        .attr("act_id", r.id())
        .attr("status", s ? "executed" : "failed")
        .attr("error", s ? "" : s.to_string());
  }
}

void GovernanceKeeper::import_state(const v1::GovernanceGenesisState& st) {
  set_params(st.params());
  if (st.next_proposal_id() != 0)
    ledger::write_u64(state_, keys::next_proposal(), st.next_proposal_id());
  for (const auto& p : st.proposals()) put(p);
  for (const auto& d : st.deposits()) {
    state_.put(keys::deposit(d.proposal_id(), address_of(d.depositor())), d.SerializeAsString());
  }
  for (const auto& v : st.votes()) {
    state_.put(keys::vote(v.proposal_id(), address_of(v.voter())), v.SerializeAsString());
  }
  for (const auto& t : st.tallies())
    state_.put(keys::tally(t.proposal_id()), t.SerializeAsString());
  for (const auto& s : st.streams()) state_.put(keys::stream(s.id()), s.SerializeAsString());
  if (st.next_stream_id() != 0) ledger::write_u64(state_, keys::next_stream(), st.next_stream_id());
  for (const auto& a : st.foundation_acts()) {
    state_.put(keys::foundation_act(a.id()), a.SerializeAsString());
  }
  if (st.next_act_id() != 0) ledger::write_u64(state_, keys::next_act(), st.next_act_id());
  for (const auto& d : st.deductions()) {
    ledger::write_u64(state_, keys::deduction(d.proposal_id(), address_of(d.validator())),
                      d.shares());
  }
  if (st.has_upgrade()) state_.put(keys::upgrade(), st.upgrade().SerializeAsString());
  for (const auto& u : st.applied_upgrades()) {
    state_.put(keys::applied_upgrade(u.name()), u.SerializeAsString());
  }
}

}  // namespace btt::modules::governance

// Governance handlers, one per message (doc/governance.md has each one's phase table). Check
// refuses malformed proposals and votes; preclaim what the state decides (the proposal's
// status, the deposit floor, the sender's role, the sunset height); the keeper writes.
#include "handlers.h"

#include <set>

#include "btt/common/amount.h"
#include "btt/ledger/field_checks.h"
#include "btt/ledger/ledger.h"
#include "btt/modules/governance/errors.h"
#include "btt/modules/governance/view.h"
#include "btt/modules/roles/roles.h"
#include "keeper.h"
#include "keys.h"

namespace btt::modules::governance {
namespace {

using ledger::MsgContext;
using ledger::ReadContext;

constexpr size_t kMaxTitle = 140;
constexpr size_t kMaxSummary = 10'000;
constexpr size_t kMaxText = 10'000;
constexpr size_t kMaxUpgradeName = 64;
constexpr size_t kMaxUpgradeInfo = 1'024;
constexpr size_t kMaxParamsJson = 64 * 1024;

Status check_address(const std::string& text, const std::string& what) {
  return ledger::check_address_field(text, what, errors::kBadAddress);
}

Status check_spend(const v1::TreasurySpendAction& t, const std::string& what) {
  if (auto s = check_address(t.recipient(), what + ".recipient"); !s) return s;
  if (t.amount() == 0) return {errors::kZeroAmount, what + ": amount must be positive"};
  if (t.blocks() > t.amount()) {
    return {errors::kBadAction, what + ": a stream of " + std::to_string(t.blocks()) +
                                    " blocks pays at least one unit a block"};
  }
  return Status::ok();
}

Status check_milestone(const v1::MilestoneApprovalAction& m, const std::string& what) {
  if (m.category().empty() || m.milestone().empty()) {
    return {errors::kBadAction, what + ": category and milestone are required"};
  }
  if (m.amount() == 0) return {errors::kZeroAmount, what + ": amount must be positive"};
  return Status::ok();
}

Status require_enabled(const ReadContext& ctx, const char* what) {
  if (!ctx.state.get(keys::params())) {
    return {errors::kNotEnabled,
            std::string(what) + ": governance is not enabled on this chain (no genesis section)"};
  }
  return Status::ok();
}

Result<v1::ProposalRecord> require_proposal(const ReadContext& ctx, uint64_t id, const char* what) {
  auto p = GovernanceView(ctx.state).proposal(id);
  if (!p)
    return Status{errors::kNoProposal, std::string(what) + ": no proposal " + std::to_string(id)};
  return *p;
}

Status check_options(const google::protobuf::RepeatedPtrField<v1::WeightedVoteOption>& options,
                     const char* what) {
  if (options.empty() || options.size() > 4) {
    return {errors::kBadVote, std::string(what) + ": 1..4 options"};
  }
  std::set<int> seen;
  uint64_t total = 0;
  for (const auto& o : options) {
    if (o.option() < v1::VOTE_OPTION_YES || o.option() > v1::VOTE_OPTION_NO_WITH_VETO) {
      return {errors::kBadVote, std::string(what) + ": option " +
                                    std::to_string(static_cast<int>(o.option())) +
                                    " is not yes, abstain, no or no_with_veto"};
    }
    if (!seen.insert(o.option()).second) {
      return {errors::kBadVote,
              std::string(what) + ": option " + v1::VoteOption_Name(o.option()) + " listed twice"};
    }
    if (o.weight_bps() == 0) {
      return {errors::kBadVote, std::string(what) + ": every weight must be positive"};
    }
    total += o.weight_bps();
  }
  if (total != kBps) {
    return {errors::kBadVote,
            std::string(what) + ": weights sum to " + std::to_string(total) + " bps, not 10000"};
  }
  return Status::ok();
}

Status preclaim_vote(const ReadContext& ctx, uint64_t id, const char* what) {
  if (auto s = require_enabled(ctx, what); !s) return s;
  auto p = require_proposal(ctx, id, what);
  if (!p) return p.status();
  if (p->status() != v1::PROPOSAL_STATUS_VOTING_PERIOD || ctx.block.time_ms >= p->voting_end_ms()) {
    return {errors::kNotInVotingPeriod, std::string(what) + ": proposal " + std::to_string(id) +
                                            " is not in its voting period"};
  }
  return Status::ok();
}

class SubmitHandler final : public ledger::Handler<v1::MsgSubmitProposal> {
 public:
  explicit SubmitHandler(const ParamsSetter* setter) : setter_(setter) {}

 protected:
  Status check(const v1::MsgSubmitProposal& m, const v1::LedgerParams&) const override {
    if (m.title().empty() || m.title().size() > kMaxTitle) {
      return {errors::kBadField,
              "submit_proposal: title must be 1.." + std::to_string(kMaxTitle) + " bytes"};
    }
    if (m.summary().size() > kMaxSummary) {
      return {errors::kBadField,
              "submit_proposal: summary must be at most " + std::to_string(kMaxSummary) + " bytes"};
    }
    if (m.actions().empty()) {
      return {errors::kBadAction, "submit_proposal: a proposal carries at least one action"};
    }
    for (int i = 0; i < m.actions_size(); ++i) {
      if (auto s = check_action(m.actions(i), i); !s) return s;
    }
    return Status::ok();
  }

  Status preclaim(const v1::MsgSubmitProposal& m, const ReadContext& ctx) const override {
    if (auto s = require_enabled(ctx, "submit_proposal"); !s) return s;
    GovernanceView view(ctx.state);
    const auto p = view.params();
    if (static_cast<uint64_t>(m.actions_size()) > p.max_actions()) {
      return {errors::kTooManyActions, "submit_proposal: " + std::to_string(m.actions_size()) +
                                           " actions, at most " + std::to_string(p.max_actions())};
    }
    if (view.active_count() >= p.max_active_proposals()) {
      return {errors::kTooManyProposals,
              "submit_proposal: " + std::to_string(p.max_active_proposals()) +
                  " proposals are open already (max_active_proposals)"};
    }
    const uint64_t min = m.expedited() ? p.expedited_min_deposit() : p.min_deposit();
    // min x ratio / 10000, rounded up: a deposit just below the ratio never passes.
    const uint64_t floor = static_cast<uint64_t>(
        (static_cast<unsigned __int128>(min) * p.min_initial_deposit_ratio_bps() + kBps - 1) /
        kBps);
    if (m.initial_deposit() < floor) {
      return {errors::kInitialDepositTooLow,
              "submit_proposal: initial deposit " + std::to_string(m.initial_deposit()) +
                  " is below " + std::to_string(floor) + " (min_initial_deposit_ratio_bps of " +
                  std::to_string(min) + ")"};
    }
    if (m.initial_deposit() > 0) {
      if (auto s = ledger::require_spendable(ctx.ledger(), ctx.sender, ledger::kNativeAsset,
                                             m.initial_deposit(), ctx.block.time_ms);
          !s) {
        return s;
      }
    }
    // A param change the module would refuse is refused now, not after the vote.
    for (int i = 0; i < m.actions_size(); ++i) {
      if (!m.actions(i).has_param_change()) continue;
      if (!setter_) return {errors::kBadAction, "submit_proposal: no params path on this node"};
      ledger::Overlay scratch(ctx.state);
      ledger::Events scratch_events;
      const auto& pc = m.actions(i).param_change();
      if (auto s = setter_->set_params_json(scratch, scratch_events, pc.module(), pc.params_json());
          !s) {
        return {errors::kActionFailed,
                "submit_proposal: action " + std::to_string(i) + ": " + s.message()};
      }
    }
    return Status::ok();
  }

  Status apply(const v1::MsgSubmitProposal& m, MsgContext& ctx) const override {
    GovernanceKeeper keeper(ctx.state, ctx.events, ctx.locks, ctx.block, setter_);
    auto id = keeper.submit(ctx.sender, m);
    return id ? Status::ok() : id.status();
  }

 private:
  const ParamsSetter* setter_;
};

class DepositHandler final : public ledger::Handler<v1::MsgDeposit> {
 protected:
  Status check(const v1::MsgDeposit& m, const v1::LedgerParams&) const override {
    if (m.amount() == 0) return {errors::kZeroAmount, "deposit: amount must be positive"};
    return Status::ok();
  }
  Status preclaim(const v1::MsgDeposit& m, const ReadContext& ctx) const override {
    if (auto s = require_enabled(ctx, "deposit"); !s) return s;
    auto p = require_proposal(ctx, m.proposal_id(), "deposit");
    if (!p) return p.status();
    if (p->status() != v1::PROPOSAL_STATUS_DEPOSIT_PERIOD &&
        p->status() != v1::PROPOSAL_STATUS_VOTING_PERIOD) {
      return {errors::kNotInDepositPeriod,
              "deposit: proposal " + std::to_string(m.proposal_id()) + " takes no more deposits"};
    }
    return ledger::require_spendable(ctx.ledger(), ctx.sender, ledger::kNativeAsset, m.amount(),
                                     ctx.block.time_ms);
  }
  Status apply(const v1::MsgDeposit& m, MsgContext& ctx) const override {
    return GovernanceKeeper(ctx.state, ctx.events, ctx.locks, ctx.block, nullptr)
        .deposit(m.proposal_id(), ctx.sender, m.amount());
  }
};

class VoteHandler final : public ledger::Handler<v1::MsgVote> {
 protected:
  Status check(const v1::MsgVote& m, const v1::LedgerParams&) const override {
    google::protobuf::RepeatedPtrField<v1::WeightedVoteOption> one;
    auto* o = one.Add();
    o->set_option(m.option());
    o->set_weight_bps(kBps);
    return check_options(one, "vote");
  }
  Status preclaim(const v1::MsgVote& m, const ReadContext& ctx) const override {
    return preclaim_vote(ctx, m.proposal_id(), "vote");
  }
  Status apply(const v1::MsgVote& m, MsgContext& ctx) const override {
    google::protobuf::RepeatedPtrField<v1::WeightedVoteOption> one;
    auto* o = one.Add();
    o->set_option(m.option());
    o->set_weight_bps(kBps);
    GovernanceKeeper(ctx.state, ctx.events, ctx.locks, ctx.block, nullptr)
        .vote(m.proposal_id(), ctx.sender, one);
    return Status::ok();
  }
};

class WeightedVoteHandler final : public ledger::Handler<v1::MsgWeightedVote> {
 protected:
  Status check(const v1::MsgWeightedVote& m, const v1::LedgerParams&) const override {
    return check_options(m.options(), "weighted_vote");
  }
  Status preclaim(const v1::MsgWeightedVote& m, const ReadContext& ctx) const override {
    return preclaim_vote(ctx, m.proposal_id(), "weighted_vote");
  }
  Status apply(const v1::MsgWeightedVote& m, MsgContext& ctx) const override {
    GovernanceKeeper(ctx.state, ctx.events, ctx.locks, ctx.block, nullptr)
        .vote(m.proposal_id(), ctx.sender, m.options());
    return Status::ok();
  }
};

class CancelHandler final : public ledger::Handler<v1::MsgCancelProposal> {
 protected:
  Status check(const v1::MsgCancelProposal&, const v1::LedgerParams&) const override {
    return Status::ok();
  }
  Status preclaim(const v1::MsgCancelProposal& m, const ReadContext& ctx) const override {
    if (auto s = require_enabled(ctx, "cancel_proposal"); !s) return s;
    auto p = require_proposal(ctx, m.proposal_id(), "cancel_proposal");
    if (!p) return p.status();
    if (p->proposer() != ctx.sender.to_string()) {
      return {errors::kNotProposer, "cancel_proposal: only the proposer " + p->proposer() +
                                        " may cancel proposal " + std::to_string(p->id())};
    }
    const bool open = p->status() == v1::PROPOSAL_STATUS_DEPOSIT_PERIOD ||
                      (p->status() == v1::PROPOSAL_STATUS_VOTING_PERIOD &&
                       ctx.block.time_ms < p->voting_end_ms());
    if (!open) {
      return {errors::kCannotCancel, "cancel_proposal: proposal " + std::to_string(p->id()) +
                                         " is past its voting period"};
    }
    return Status::ok();
  }
  Status apply(const v1::MsgCancelProposal& m, MsgContext& ctx) const override {
    return GovernanceKeeper(ctx.state, ctx.events, ctx.locks, ctx.block, nullptr)
        .cancel(m.proposal_id());
  }
};

class FoundationActHandler final : public ledger::Handler<v1::MsgFoundationAct> {
 protected:
  Status check(const v1::MsgFoundationAct& m, const v1::LedgerParams&) const override {
    switch (m.act_case()) {
      case v1::MsgFoundationAct::kTreasurySpend:
        return check_spend(m.treasury_spend(), "foundation_act.treasury_spend");
      case v1::MsgFoundationAct::kMilestoneApproval:
        return check_milestone(m.milestone_approval(), "foundation_act.milestone_approval");
      case v1::MsgFoundationAct::ACT_NOT_SET:
        break;
    }
    return {errors::kBadAction, "foundation_act: no act given"};
  }
  Status preclaim(const v1::MsgFoundationAct& m, const ReadContext& ctx) const override {
    if (auto s = require_enabled(ctx, "foundation_act"); !s) return s;
    if (!roles::has_role(ctx.state, roles::kMilestoneAuthority, ctx.sender)) {
      return {errors::kNotFoundation, "foundation_act: " + ctx.sender.to_string() +
                                          " does not hold milestone_authority (the Foundation)"};
    }
    const auto p = GovernanceView(ctx.state).params();
    if (ctx.block.height >= p.foundation_sunset_height()) {
      return {errors::kFoundationSunset,
              "foundation_act: the Foundation acts directly only below height " +
                  std::to_string(p.foundation_sunset_height()) + "; use a proposal"};
    }
    if (GovernanceView(ctx.state).foundation_acts().size() >= p.max_active_proposals()) {
      return {errors::kTooManyProposals, "foundation_act: too many acts pending"};
    }
    return Status::ok();
  }
  Status apply(const v1::MsgFoundationAct& m, MsgContext& ctx) const override {
    GovernanceKeeper(ctx.state, ctx.events, ctx.locks, ctx.block, nullptr)
        .queue_foundation_act(ctx.sender, m);
    return Status::ok();
  }
};

}  // namespace

bool upgrade_name_ok(std::string_view name) {
  if (name.empty() || name.size() > kMaxUpgradeName) return false;
  for (char c : name) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Status check_action(const v1::ProposalAction& a, size_t index) {
  const std::string what = "action " + std::to_string(index);
  switch (a.action_case()) {
    case v1::ProposalAction::kText:
      if (a.text().size() > kMaxText) {
        return {errors::kBadAction,
                what + ": text must be at most " + std::to_string(kMaxText) + " bytes"};
      }
      return Status::ok();
    case v1::ProposalAction::kParamChange:
      if (a.param_change().module().empty() || a.param_change().params_json().empty() ||
          a.param_change().params_json().size() > kMaxParamsJson) {
        return {errors::kBadAction, what + ": param_change needs a module and its params_json"};
      }
      return Status::ok();
    case v1::ProposalAction::kTreasurySpend:
      return check_spend(a.treasury_spend(), what + ".treasury_spend");
    case v1::ProposalAction::kCancelStream:
      if (a.cancel_stream().stream_id() == 0) {
        return {errors::kBadAction, what + ": cancel_stream needs a stream_id"};
      }
      return Status::ok();
    case v1::ProposalAction::kMilestoneApproval:
      return check_milestone(a.milestone_approval(), what + ".milestone_approval");
    case v1::ProposalAction::kEcosystemRelease:
      if (auto s = check_address(a.ecosystem_release().recipient(), what + ".recipient"); !s) {
        return s;
      }
      if (a.ecosystem_release().amount() == 0) {
        return {errors::kZeroAmount, what + ": amount must be positive"};
      }
      return Status::ok();
    case v1::ProposalAction::kGrantRole:
    case v1::ProposalAction::kRevokeRole: {
      const auto& r = a.has_grant_role() ? a.grant_role() : a.revoke_role();
      if (!roles::is_known_role(r.role())) {
        return {errors::kBadAction, what + ": '" + excerpt(r.role()) + "' is not a known role"};
      }
      return check_address(r.address(), what + ".address");
    }
    case v1::ProposalAction::kSoftwareUpgrade: {
      const auto& u = a.software_upgrade();
      if (!upgrade_name_ok(u.name())) {
        return {errors::kBadAction, what + ": upgrade name must be 1.." +
                                        std::to_string(kMaxUpgradeName) +
                                        " characters of [a-z0-9_.-]"};
      }
      if (u.height() == 0) return {errors::kBadAction, what + ": upgrade height is required"};
      if (u.info().size() > kMaxUpgradeInfo) {
        return {errors::kBadAction, what + ": upgrade info must be at most " +
                                        std::to_string(kMaxUpgradeInfo) + " bytes"};
      }
      return Status::ok();
    }
    case v1::ProposalAction::kCancelUpgrade:
      return Status::ok();
    case v1::ProposalAction::kVetoFoundationAct:
      if (a.veto_foundation_act().act_id() == 0) {
        return {errors::kBadAction, what + ": veto_foundation_act needs an act_id"};
      }
      return Status::ok();
    case v1::ProposalAction::ACTION_NOT_SET:
      break;
  }
  return {errors::kBadAction, what + ": no action kind given"};
}

GovernanceHandlers::GovernanceHandlers(const ParamsSetter* setter) {
  handlers_.push_back(std::make_unique<SubmitHandler>(setter));
  handlers_.push_back(std::make_unique<DepositHandler>());
  handlers_.push_back(std::make_unique<VoteHandler>());
  handlers_.push_back(std::make_unique<WeightedVoteHandler>());
  handlers_.push_back(std::make_unique<CancelHandler>());
  handlers_.push_back(std::make_unique<FoundationActHandler>());
}

GovernanceHandlers::~GovernanceHandlers() = default;

std::vector<const ledger::MsgHandler*> GovernanceHandlers::list() const {
  std::vector<const ledger::MsgHandler*> out;
  for (const auto& h : handlers_) out.push_back(h.get());
  return out;
}

}  // namespace btt::modules::governance

// Tokenomics handlers: holders burn spendable BTT; the milestone authority (a role) approves
// Foundation milestones under the category's time ceiling.
#include "handlers.h"

#include <algorithm>

#include "btt/modules/governance/governance.h"
#include "btt/modules/roles/roles.h"
#include "btt/modules/tokenomics/errors.h"
#include "btt/modules/tokenomics/events.h"
#include "btt/modules/tokenomics/tokenomics.h"
#include "keeper.h"

namespace btt::modules::tokenomics {
namespace {

constexpr size_t kMaxMilestoneName = 64;

// Milestone names: printable ASCII, no leading or trailing space.
bool valid_milestone_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxMilestoneName) return false;
  if (name.front() == ' ' || name.back() == ' ') return false;
  return std::all_of(name.begin(), name.end(), [](char c) { return c >= 0x20 && c <= 0x7e; });
}

// What refuses approving `milestone` of `category` worth `amount` (the sender's role aside).
Status milestone_refusal(const ledger::StateReader& state, std::string_view category,
                         std::string_view milestone, uint64_t amount) {
  TokenomicsView view(state);
  auto c = view.category(std::string(category));
  if (!c || c->kind() != v1::CATEGORY_KIND_MILESTONES) {
    return {errors::kUnknownCategory, "no milestones category '" + std::string(category) + "'"};
  }
  if (view.milestone(std::string(category), std::string(milestone))) {
    return {errors::kMilestoneApproved, "milestone '" + std::string(milestone) + "' of '" +
                                            std::string(category) + "' is approved already"};
  }
  if (c->milestones().milestone_count() >= kMaxMilestones) {
    return {errors::kTooManyMilestones, "'" + std::string(category) + "' has " +
                                            std::to_string(kMaxMilestones) +
                                            " milestones, the most a category may have"};
  }
  // approved <= amount is a tokenomics invariant.
  const uint64_t room = checked_sub(c->amount(), c->milestones().approved()).value_or(0);
  if (amount > room) {
    return {errors::kAboveCeiling, "'" + std::string(category) + "' has " + std::to_string(room) +
                                       " units left to approve of " + std::to_string(c->amount()) +
                                       ", milestone asks " + std::to_string(amount)};
  }
  return Status::ok();
}

void record_milestone(ledger::Overlay& state, ledger::Events& out,
                      const ledger::LockProviders* locks, const ledger::BlockInfo& block,
                      const v1::MsgApproveMilestone& m) {
  TokenomicsKeeper keeper(state, out, locks);
  auto c = *keeper.view().category(m.category());  // preclaim found it
  auto* terms = c.mutable_milestones();
  terms->set_approved(*checked_add(terms->approved(), m.amount()));  // preclaim: <= amount
  terms->set_milestone_count(terms->milestone_count() + 1);          // < kMaxMilestones
  keeper.put_category(c);

  v1::MilestoneRecord rec;
  rec.set_category(m.category());
  rec.set_milestone(m.milestone());
  rec.set_amount(m.amount());
  rec.set_height(block.height);
  rec.set_time_ms(block.time_ms);
  keeper.put_milestone(rec);

  const uint64_t released = milestones_of(c).released(terms->approved(), block.time_ms / 1000);
  out.emit(events::kMilestoneApproved)
      .attr("category", m.category())
      .attr("milestone", m.milestone())
      .attr("amount", m.amount())
      .attr("approved", terms->approved())
      .attr("released", released);
}

}  // namespace

Status BurnHandler::check(const v1::MsgBurn& m, const v1::LedgerParams&) const {
  if (m.amount() == 0) return {errors::kZeroAmount, "burn: amount must be positive"};
  return Status::ok();
}

Status BurnHandler::preclaim(const v1::MsgBurn& m, const ledger::ReadContext& ctx) const {
  return ledger::require_spendable(ctx.ledger(), ctx.sender, ledger::kNativeAsset, m.amount(),
                                   ctx.block.time_ms);
}

Status BurnHandler::apply(const v1::MsgBurn& m, ledger::MsgContext& ctx) const {
  TokenomicsKeeper keeper(ctx.state, ctx.events, ctx.locks);
  if (auto s = keeper.burn(ctx.sender, m.amount(), kHolderBurnSource, ctx.block.time_ms); !s) {
    return s;
  }
  ctx.events.emit(events::kBurn)
      .attr("from", crypto::Address::canonical(ctx.body.sender()))
      .attr("amount", m.amount())
      .attr("source", std::string(kHolderBurnSource));
  return Status::ok();
}

Status ApproveMilestoneHandler::check(const v1::MsgApproveMilestone& m,
                                      const v1::LedgerParams&) const {
  if (!is_valid_id(m.category())) {
    return {errors::kBadCategory, "approve_milestone: category '" + excerpt(m.category()) +
                                      "' must be 2..32 characters of [a-z_]"};
  }
  if (!valid_milestone_name(m.milestone())) {
    return {errors::kBadMilestone, "approve_milestone: milestone '" + excerpt(m.milestone()) +
                                       "' must be 1..64 printable ASCII characters without "
                                       "leading or trailing spaces"};
  }
  if (m.amount() == 0) return {errors::kZeroAmount, "approve_milestone: amount must be positive"};
  return Status::ok();
}

Status ApproveMilestoneHandler::preclaim(const v1::MsgApproveMilestone& m,
                                         const ledger::ReadContext& ctx) const {
  if (!TokenomicsView(ctx.state).params()) {
    return {errors::kNoState, "this chain has no tokenomics state"};
  }
  if (!roles::has_role(ctx.state, roles::kMilestoneAuthority, ctx.sender)) {
    return {errors::kNotAuthority, ctx.sender.to_string() +
                                       " does not hold the milestone_authority role, which "
                                       "approves milestones"};
  }
  if (governance::enabled(ctx.state)) {
    // Every Foundation act is open to a veto (doc/governance.md "Decentralization timeline").
    return {errors::kGovernanceControls,
            "this chain runs governance: the Foundation approves milestones with MsgFoundationAct "
            "(before foundation_sunset_height, open to a veto) and after it only a proposal can"};
  }
  return milestone_refusal(ctx.state, m.category(), m.milestone(), m.amount());
}

Status ApproveMilestoneHandler::apply(const v1::MsgApproveMilestone& m,
                                      ledger::MsgContext& ctx) const {
  record_milestone(ctx.state, ctx.events, ctx.locks, ctx.block, m);
  return Status::ok();
}

Status approve_milestone(ledger::Overlay& state, ledger::Events& events,
                         const ledger::LockProviders* locks, const ledger::BlockInfo& block,
                         std::string_view category, std::string_view milestone, uint64_t amount) {
  v1::Message msg;
  auto& m = *msg.mutable_approve_milestone();
  m.set_category(std::string(category));
  m.set_milestone(std::string(milestone));
  m.set_amount(amount);
  const ApproveMilestoneHandler handler;
  if (auto s =
          static_cast<const ledger::MsgHandler&>(handler).check_message(msg, v1::LedgerParams());
      !s) {
    return s;
  }
  if (!TokenomicsView(state).params()) {
    return {errors::kNoState, "this chain has no tokenomics state"};
  }
  if (auto s = milestone_refusal(state, category, milestone, amount); !s) return s;
  record_milestone(state, events, locks, block, m);
  return Status::ok();
}

}  // namespace btt::modules::tokenomics

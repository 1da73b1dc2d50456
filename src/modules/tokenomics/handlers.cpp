// Tokenomics handlers: holders burn spendable BTT; the milestone authority (a role) approves
// Foundation milestones under the category's time ceiling.
#include "handlers.h"

#include <algorithm>

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
  TokenomicsView view(ctx.state);
  if (!view.params()) return {errors::kNoState, "this chain has no tokenomics state"};
  if (!roles::has_role(ctx.state, roles::kMilestoneAuthority, ctx.sender)) {
    return {errors::kNotAuthority, ctx.sender.to_string() +
                                       " does not hold the milestone_authority role, which "
                                       "approves milestones"};
  }
  auto c = view.category(m.category());
  if (!c || c->kind() != v1::CATEGORY_KIND_MILESTONES) {
    return {errors::kUnknownCategory, "no milestones category '" + m.category() + "'"};
  }
  if (view.milestone(m.category(), m.milestone())) {
    return {errors::kMilestoneApproved,
            "milestone '" + m.milestone() + "' of '" + m.category() + "' is approved already"};
  }
  if (c->milestones().milestone_count() >= kMaxMilestones) {
    return {errors::kTooManyMilestones, "'" + m.category() + "' has " +
                                            std::to_string(kMaxMilestones) +
                                            " milestones, the most a category may have"};
  }
  // approved <= amount is a tokenomics invariant.
  const uint64_t room = checked_sub(c->amount(), c->milestones().approved()).value_or(0);
  if (m.amount() > room) {
    return {errors::kAboveCeiling, "'" + m.category() + "' has " + std::to_string(room) +
                                       " units left to approve of " + std::to_string(c->amount()) +
                                       ", milestone asks " + std::to_string(m.amount())};
  }
  return Status::ok();
}

Status ApproveMilestoneHandler::apply(const v1::MsgApproveMilestone& m,
                                      ledger::MsgContext& ctx) const {
  TokenomicsKeeper keeper(ctx.state, ctx.events, ctx.locks);
  auto c = *keeper.view().category(m.category());  // preclaim found it
  auto* terms = c.mutable_milestones();
  terms->set_approved(*checked_add(terms->approved(), m.amount()));  // preclaim: <= amount
  terms->set_milestone_count(terms->milestone_count() + 1);          // < kMaxMilestones
  keeper.put_category(c);

  v1::MilestoneRecord rec;
  rec.set_category(m.category());
  rec.set_milestone(m.milestone());
  rec.set_amount(m.amount());
  rec.set_height(ctx.block.height);
  rec.set_time_ms(ctx.block.time_ms);
  keeper.put_milestone(rec);

  const uint64_t released = milestones_of(c).released(terms->approved(), ctx.block.time_ms / 1000);
  ctx.events.emit(events::kMilestoneApproved)
      .attr("category", m.category())
      .attr("milestone", m.milestone())
      .attr("amount", m.amount())
      .attr("approved", terms->approved())
      .attr("released", released);
  return Status::ok();
}

}  // namespace btt::modules::tokenomics

// Governance module (doc/governance.md): wiring and the end-block hook.
#include "module.h"

#include "btt/modules/governance/errors.h"
#include "btt/modules/governance/events.h"
#include "keeper.h"
#include "keys.h"

namespace btt::modules::governance {

GovernanceModule::GovernanceModule(std::unique_ptr<ParamsSetter> setter)
    : setter_(std::move(setter)), handlers_(setter_.get()) {}

std::vector<const ledger::MsgHandler*> GovernanceModule::handlers() const {
  return handlers_.list();
}

std::vector<const ledger::EventDef*> GovernanceModule::events() const {
  return {&events::kSubmitted,         &events::kDeposited,
          &events::kVotingStarted,     &events::kVoted,
          &events::kCancelled,         &events::kTallied,
          &events::kExpeditedToNormal, &events::kExecuted,
          &events::kDepositsSettled,   &events::kStreamPaid,
          &events::kStreamEnded,       &events::kFoundationActQueued,
          &events::kFoundationActDone, &events::kUpgradeScheduled,
          &events::kUpgradeCancelled,  &events::kUpgradeApplied};
}

std::vector<const ErrorDef*> GovernanceModule::errors() const {
  return {&errors::kBadField,       &errors::kBadAddress,           &errors::kBadAction,
          &errors::kTooManyActions, &errors::kInitialDepositTooLow, &errors::kTooManyProposals,
          &errors::kNoProposal,     &errors::kNotInDepositPeriod,   &errors::kNotInVotingPeriod,
          &errors::kBadVote,        &errors::kNotProposer,          &errors::kCannotCancel,
          &errors::kZeroAmount,     &errors::kNotFoundation,        &errors::kFoundationSunset,
          &errors::kBadParams,      &errors::kBadGenesis,           &errors::kActionFailed,
          &errors::kNotEnabled};
}

void GovernanceModule::begin_block(ledger::BlockContext& ctx) {
  if (!ctx.state.get(keys::upgrade())) return;
  GovernanceKeeper(ctx.state, ctx.events, ctx.locks, ctx.block, setter_.get()).begin_block();
}

void GovernanceModule::end_block(ledger::BlockContext& ctx) {
  if (!ctx.state.get(keys::params())) return;
  GovernanceKeeper(ctx.state, ctx.events, ctx.locks, ctx.block, setter_.get()).end_block();
}

std::unique_ptr<ledger::Module> make_governance_module(std::unique_ptr<ParamsSetter> setter) {
  return std::make_unique<GovernanceModule>(std::move(setter));
}

}  // namespace btt::modules::governance

// Staking module (doc/staking.md): wiring and the block hooks.
#include "module.h"

#include "btt/modules/staking/errors.h"
#include "btt/modules/staking/events.h"
#include "btt/modules/staking/view.h"
#include "keeper.h"

namespace btt::modules::staking {

std::vector<const ledger::EventDef*> StakingModule::events() const {
  return {&events::kValidatorCreated,
          &events::kValidatorEdited,
          &events::kDelegated,
          &events::kUnbondingStarted,
          &events::kUnbondingCompleted,
          &events::kUnbondingCancelled,
          &events::kRedelegated,
          &events::kRewardsWithdrawn,
          &events::kCommissionWithdrawn,
          &events::kFeesDistributed,
          &events::kSlashed,
          &events::kJailed,
          &events::kUnjailed,
          &events::kStakeLocked,
          &events::kStakeUnlocked,
          &events::kSetChanged};
}

std::vector<const ErrorDef*> StakingModule::errors() const {
  return {&errors::kNotEnabled,
          &errors::kBadField,
          &errors::kBadAddress,
          &errors::kZeroAmount,
          &errors::kBadCommission,
          &errors::kValidatorExists,
          &errors::kNoValidator,
          &errors::kSelfStakeTooLow,
          &errors::kNotOperator,
          &errors::kCommissionChangeTooLarge,
          &errors::kCommissionChangeTooSoon,
          &errors::kNoDelegation,
          &errors::kInsufficientDelegation,
          &errors::kTooManyEntries,
          &errors::kAmountTooSmall,
          &errors::kSelfRedelegation,
          &errors::kRedelegationHop,
          &errors::kNoUnbonding,
          &errors::kShareOverflow,
          &errors::kKeyInUse,
          &errors::kBadGenesis,
          &errors::kOperatorLeaving,
          &errors::kNotJailed,
          &errors::kStillJailed,
          &errors::kTombstoned,
          &errors::kNoLock,
          &errors::kLockNotEnded};
}

void StakingModule::begin_block(ledger::BlockContext& ctx) {
  if (!enabled(ctx.state)) return;
  StakingKeeper keeper(ctx.state, ctx.events, ctx.locks, ctx.block);
  keeper.distribute_fees();
  keeper.punish_double_signs();
  keeper.track_liveness();
}

void StakingModule::end_block(ledger::BlockContext& ctx) {
  if (!enabled(ctx.state)) return;
  StakingKeeper keeper(ctx.state, ctx.events, ctx.locks, ctx.block);
  keeper.complete_matured();
  auto set = keeper.choose_set();
  if (set && ctx.next_validators) *ctx.next_validators = std::move(*set);
}

uint64_t StakeLockProvider::locked(const ledger::StateReader& state, const crypto::Address& addr,
                                   std::string_view asset, uint64_t time_ms) const {
  if (asset != ledger::kNativeAsset) return 0;
  return StakingView(state).stake_locks(addr, time_ms).locked();
}

uint64_t StakeLockProvider::staked(const ledger::StateReader& state, const crypto::Address& addr,
                                   std::string_view asset) const {
  if (asset != ledger::kNativeAsset) return 0;
  return StakingView(state).own_stake(addr);
}

std::unique_ptr<ledger::Module> make_staking_module() {
  return std::make_unique<StakingModule>();
}

}  // namespace btt::modules::staking

// RWA module (doc/rwa.md): wiring and the lock that keeps fractions inside the module.
#include "module.h"

#include "btt/ledger/ledger.h"
#include "btt/modules/rwa/errors.h"
#include "btt/modules/rwa/events.h"
#include "keeper.h"
#include "keys.h"

namespace btt::modules::rwa {

uint64_t RwaLocks::locked(const ledger::StateReader& state, const crypto::Address& addr,
                          std::string_view asset, uint64_t) const {
  if (!is_rwa_asset(asset)) return 0;
  return ledger::Ledger(state).balance(addr, asset);
}

RwaModule::RwaModule() = default;

std::vector<const ledger::MsgHandler*> RwaModule::handlers() const {
  return handlers_.list();
}

std::vector<const ledger::EventDef*> RwaModule::events() const {
  return {&events::kClaimSet,
          &events::kClaimRevoked,
          &events::kAssetRegistered,
          &events::kRulesSet,
          &events::kDocumentSet,
          &events::kAgentSet,
          &events::kFrozen,
          &events::kUnfrozen,
          &events::kTransfer,
          &events::kForcedTransfer,
          &events::kRecovered,
          &events::kPaused,
          &events::kRevalued,
          &events::kDistributionDeposited,
          &events::kDistributionClaimed,
          &events::kDistributionReclaimed,
          &events::kRedeemed,
          &events::kRetired,
          &events::kOrderPlaced,
          &events::kOrderClosed,
          &events::kTrade,
          &events::kPoolCreated,
          &events::kPoolDeposit,
          &events::kPoolWithdraw,
          &events::kPoolSwap,
          &events::kPoolFeeAccrued};
}

std::vector<const ErrorDef*> RwaModule::errors() const {
  return {&errors::kBadField,
          &errors::kBadAddress,
          &errors::kZeroAmount,
          &errors::kNotAttester,
          &errors::kNoClaim,
          &errors::kNotValuer,
          &errors::kAssetExists,
          &errors::kUnknownAsset,
          &errors::kNotIssuer,
          &errors::kNotAgent,
          &errors::kPaused,
          &errors::kLockup,
          &errors::kFrozen,
          &errors::kKycRequired,
          &errors::kClaimExpired,
          &errors::kAccreditedRequired,
          &errors::kCountryNotAllowed,
          &errors::kCountryDenied,
          &errors::kMaxHolding,
          &errors::kMaxHolders,
          &errors::kInsufficientFractions,
          &errors::kRetired,
          &errors::kNoDocument,
          &errors::kTooManyDocuments,
          &errors::kSelfTransfer,
          &errors::kNotFrozen,
          &errors::kFreezeExceeds,
          &errors::kNothingToRecover,
          &errors::kNoDistribution,
          &errors::kDistributionExpired,
          &errors::kAlreadyClaimed,
          &errors::kNotExpired,
          &errors::kNothingToClaim,
          &errors::kNotAllHeld,
          &errors::kDistributionsOpen,
          &errors::kBadParams,
          &errors::kBadGenesis,
          &errors::kNotEnabled,
          &errors::kBadPayAsset,
          &errors::kAlreadyReclaimed,
          &errors::kNoChange,
          &errors::kFeeOverflow,
          &errors::kTooManyFractions,
          &errors::kTooManyCountries,
          &errors::kWholeSupply,
          &errors::kNoOrder,
          &errors::kNotOrderOwner,
          &errors::kBadPair,
          &errors::kBlockFillBudget,
          &errors::kTooManyOrders,
          &errors::kKilled,
          &errors::kNoPool,
          &errors::kPoolExists,
          &errors::kSlippage,
          &errors::kBadPoolFee,
          &errors::kInsufficientShares,
          &errors::kSharesFrozen,
          &errors::kExpiryPast};
}

void RwaModule::end_block(ledger::BlockContext& ctx) {
  if (!enabled(ctx.state)) return;
  RwaKeeper k(ctx.state, ctx.events, ctx.locks, ctx.block);
  k.end_block();
  k.expire_orders();
  k.end_block_fills();
}

std::unique_ptr<ledger::Module> make_rwa_module() {
  return std::make_unique<RwaModule>();
}

}  // namespace btt::modules::rwa

// Tokenomics module (doc/tokenomics.md): genesis allocation, vesting locks, milestone approvals,
// the mining emission and burns.
#include "module.h"

#include <stdexcept>

#include "btt/modules/tokenomics/errors.h"
#include "btt/modules/tokenomics/events.h"
#include "keeper.h"

namespace btt::modules::tokenomics {

uint64_t VestingLocks::unvested(const ledger::StateReader& state, const crypto::Address& addr,
                                std::string_view asset, uint64_t time_ms) const {
  if (asset != ledger::kNativeAsset) return 0;
  return TokenomicsView(state).locked(addr, time_ms);
}

std::vector<const ledger::EventDef*> TokenomicsModule::events() const {
  return {&events::kBurn, &events::kMilestoneApproved, &events::kEmission};
}

std::vector<const ErrorDef*> TokenomicsModule::errors() const {
  return {&errors::kZeroAmount,        &errors::kBadBurnSource,     &errors::kBadCategory,
          &errors::kBadMilestone,      &errors::kNoState,           &errors::kNotAuthority,
          &errors::kUnknownCategory,   &errors::kMilestoneApproved, &errors::kTooManyMilestones,
          &errors::kAboveCeiling,      &errors::kBurnOverflow,      &errors::kBadParams,
          &errors::kGovernanceControls};
}

std::optional<v1::CategoryRecord> mining_category(const TokenomicsView& view) {
  for (auto& c : view.categories()) {
    if (c.kind() == v1::CATEGORY_KIND_EMISSION) return std::move(c);
  }
  return std::nullopt;
}

std::optional<EmissionCurve> mining_curve(const TokenomicsView& view) {
  auto c = mining_category(view);
  if (!c) return std::nullopt;
  return emission_of(*c);
}

// Pays every epoch that has started since the last block from the mining pool to the escrow: a
// stalled chain catches up in one payment, and nothing is paid after the last epoch.
void TokenomicsModule::end_block(ledger::BlockContext& ctx) {
  TokenomicsKeeper keeper(ctx.state, ctx.events, ctx.locks);
  const TokenomicsView view = keeper.view();
  const auto pool_category = mining_category(view);
  if (!pool_category) return;
  const EmissionCurve curve = emission_of(*pool_category);
  v1::EmissionState state = view.emission_state();
  const uint64_t due = epochs_due(curve, ctx.block.time_ms / 1000);
  if (due <= state.epochs_paid()) return;
  const uint64_t through = curve.emitted_through(due - 1);
  // emitted_through grows with the epoch and paid = emitted_through(epochs_paid - 1).
  const uint64_t amount = *checked_sub(through, state.paid());
  auto l = ctx.ledger();
  // The pool always holds what is left to pay (an invariant); a failure would mean the state is
  // corrupt, and paying less than the curve says is never right.
  if (!l.debit(pool_address(pool_category->id()), ledger::kNativeAsset, amount) ||
      !l.credit(mining_escrow_address(), ledger::kNativeAsset, amount)) {
    throw std::logic_error("tokenomics: mining pool cannot pay epochs up to " +
                           std::to_string(due));
  }
  ctx.events.emit(events::kEmission)
      .attr("first_epoch", state.epochs_paid())
      .attr("last_epoch", due - 1)
      .attr("amount", amount)
      .attr("escrow", mining_escrow_address().to_string());
  state.set_epochs_paid(due);
  state.set_paid(through);
  keeper.set_emission_state(state);
}

crypto::Address pool_address(std::string_view category_id) {
  return crypto::Address::for_module(std::string("tokenomics/").append(category_id));
}

crypto::Address mining_escrow_address() {
  return crypto::Address::for_module(kMiningEscrowModule);
}

std::optional<uint64_t> mining_epoch_at(const ledger::StateReader& state, uint64_t time_ms) {
  auto curve = mining_curve(TokenomicsView(state));
  const uint64_t t_s = time_ms / 1000;
  if (!curve || t_s < curve->start_s) return std::nullopt;
  return curve->epoch_at(t_s).value_or(curve->total_epochs());
}

uint64_t mining_distributable(const ledger::StateReader& state, uint64_t epoch) {
  TokenomicsView view(state);
  auto curve = mining_curve(view);
  if (!curve) return 0;
  const uint64_t balance =
      ledger::Ledger(state).balance(mining_escrow_address(), ledger::kNativeAsset);
  const uint64_t paid = view.emission_state().paid();
  const uint64_t later = paid - std::min(paid, curve->emitted_through(epoch));
  return balance - std::min(balance, later);
}

Status burn(ledger::Overlay& state, ledger::Events& events, const ledger::LockProviders* locks,
            const crypto::Address& from, uint64_t amount, std::string_view source,
            uint64_t time_ms) {
  return TokenomicsKeeper(state, events, locks).burn(from, amount, source, time_ms);
}

Status release_from_pool(ledger::Overlay& state, ledger::Events& events,
                         const ledger::LockProviders* locks, std::string_view pool_id,
                         const crypto::Address& to, uint64_t amount, uint64_t time_ms) {
  auto c = TokenomicsView(state).category(std::string(pool_id));
  if (!c || c->kind() != v1::CATEGORY_KIND_POOL || !c->governance_controlled()) {
    return {Code::kInvalidArgument,
            "'" + std::string(pool_id) + "' is not a pool that governance spends"};
  }
  return ledger::Ledger(state, events, locks)
      .move(pool_address(pool_id), to, ledger::kNativeAsset, amount, time_ms);
}

std::unique_ptr<ledger::Module> make_tokenomics_module() {
  return std::make_unique<TokenomicsModule>();
}

}  // namespace btt::modules::tokenomics

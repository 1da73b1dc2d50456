// PayFi module (doc/payfi.md): wiring, the freeze lock and the end-block hook.
#include "module.h"

#include "btt/ledger/ledger.h"
#include "btt/modules/payfi/errors.h"
#include "btt/modules/payfi/events.h"
#include "keeper.h"
#include "keys.h"

namespace btt::modules::payfi {

crypto::Address pending_address() {
  static const crypto::Address kAddr = crypto::Address::for_module("payfi/pending");
  return kAddr;
}
crypto::Address holds_address() {
  static const crypto::Address kAddr = crypto::Address::for_module("payfi/holds");
  return kAddr;
}
crypto::Address development_address() {
  static const crypto::Address kAddr = crypto::Address::for_module("payfi/development");
  return kAddr;
}

bool enabled(const ledger::StateReader& state) {
  return state.get(keys::params()).has_value();
}

bool is_frozen(const ledger::StateReader& state, std::string_view asset,
               const crypto::Address& account) {
  if (asset == ledger::kNativeAsset) return false;
  return state.get(keys::frozen(asset, account)).has_value();
}

uint64_t FreezeLocks::locked(const ledger::StateReader& state, const crypto::Address& addr,
                             std::string_view asset, uint64_t) const {
  if (!is_frozen(state, asset, addr)) return 0;
  return ledger::Ledger(state).balance(addr, asset);
}

bool subscription_active(const ledger::StateReader& state, const crypto::Address& payer,
                         const crypto::Address& payee) {
  bool active = false;
  const Bytes prefix = keys::subscriptions_of_payer(payer);
  state.scan(prefix, [&](std::string_view key, std::string_view) {
    std::string_view rest = key.substr(prefix.size());
    uint64_t id = 0;
    if (!get_u64_be(rest, id)) return true;
    auto s = ledger::read_record<v1::SubscriptionRecord>(state, keys::subscription(id));
    if (s && s->payee() == payee.to_string() &&
        (s->status() == v1::SUBSCRIPTION_STATUS_ACTIVE ||
         s->status() == v1::SUBSCRIPTION_STATUS_PAST_DUE)) {
      active = true;
    }
    return !active;
  });
  return active;
}

PayFiModule::PayFiModule() = default;

std::vector<const ledger::MsgHandler*> PayFiModule::handlers() const {
  return handlers_.list();
}

std::vector<const ledger::EventDef*> PayFiModule::events() const {
  return {&events::kAssetRegistered,
          &events::kDeposit,
          &events::kWithdrawal,
          &events::kFrozen,
          &events::kUnfrozen,
          &events::kClawback,
          &events::kPayeeRegistered,
          &events::kInvoiceCreated,
          &events::kInvoiceCancelled,
          &events::kPayment,
          &events::kReplayed,
          &events::kRefund,
          &events::kHoldPlaced,
          &events::kHoldCaptured,
          &events::kHoldReleased,
          &events::kSettled,
          &events::kPlanCreated,
          &events::kSubscribed,
          &events::kSubscriptionCharged,
          &events::kSubscriptionPastDue,
          &events::kSubscriptionLapsed,
          &events::kSubscriptionCancelled,
          &events::kFxOffered,
          &events::kConverted};
}

std::vector<const ErrorDef*> PayFiModule::errors() const {
  return {&errors::kBadField,
          &errors::kBadAddress,
          &errors::kZeroAmount,
          &errors::kNotGateway,
          &errors::kAssetExists,
          &errors::kUnknownPaymentAsset,
          &errors::kDuplicateReference,
          &errors::kNotFrozen,
          &errors::kAlreadyFrozen,
          &errors::kNotPayee,
          &errors::kWrongAsset,
          &errors::kNoInvoice,
          &errors::kInvoiceNotOpen,
          &errors::kInvoiceExpired,
          &errors::kWrongAmount,
          &errors::kIdempotencyConflict,
          &errors::kNoPayment,
          &errors::kNotPaymentPayee,
          &errors::kRefundExceeds,
          &errors::kNoHold,
          &errors::kHoldNotOpen,
          &errors::kCaptureExceeds,
          &errors::kBadExpiry,
          &errors::kBadParams,
          &errors::kBadGenesis,
          &errors::kNotEnabled,
          &errors::kBadPeriod,
          &errors::kNoPlan,
          &errors::kCapBelowAmount,
          &errors::kNoSubscription,
          &errors::kNotSubscriptionParty,
          &errors::kSubscriptionEnded,
          &errors::kNoFxOffer,
          &errors::kTooManyFxOffers,
          &errors::kBelowMinDelivered};
}

void PayFiModule::end_block(ledger::BlockContext& ctx) {
  if (!enabled(ctx.state)) return;
  PayFiKeeper(ctx.state, ctx.events, ctx.locks, ctx.block).end_block();
}

std::unique_ptr<ledger::Module> make_payfi_module() {
  return std::make_unique<PayFiModule>();
}

}  // namespace btt::modules::payfi

#pragma once
// PayFi state keys (prefix "pay/", big-endian numbers; doc/payfi.md "State"):
//   "pay/params"                           -> PayFiParams (present iff PayFi is on)
//   "pay/next/" name                       -> u64be next id ("payment", "invoice", "hold",
//                                             "settlement"; first is 1)
//   "pay/cycle"                            -> u64be the settlement cycle taking payments
//   "pay/cycle_end"                        -> u64be block time (ms) at which it closes
//   "pay/asset/" asset                     -> PaymentAssetRecord
//   "pay/flow/" asset kind ref             -> GatewayFlowRecord (deposits and withdrawals by
//                                             reference; clawbacks by height and account)
//   "pay/frozen/" asset addr20             -> FreezeRecord
//   "pay/payee/" addr20                    -> PayeeRecord
//   "pay/inv/" id                          -> InvoiceRecord
//   "pay/inv_ref/" payee20 ref             -> u64be invoice id
//   "pay/pmt/" id                          -> PaymentRecord
//   "pay/by_payee/" payee20 id             -> ""   (payments of a payee, in id order)
//   "pay/by_payer/" payer20 id             -> ""
//   "pay/by_ref/" payee20 ref id           -> ""
//   "pay/pending/" payee20 asset           -> u64be owed, not yet settled
//   "pay/queue/" cycle payee20 asset       -> SettlementGroup (keeper.h): the totals of that
//                                             cycle's payments to the payee in the asset, while
//                                             they await settlement
//   "pay/settled/" payee20 asset cycle     -> u64be the settlement that paid that group: a
//                                             payment is settled iff its group's key exists
//   "pay/refund/" payment seq              -> RefundRecord
//   "pay/idem/" payer20 hex(client_id)     -> IdempotencyRecord
//   "pay/idem_exp/" expires payer20 hex    -> ""   (pruned once past)
//   "pay/hold/" id                         -> HoldRecord
//   "pay/hold_exp/" expiry id              -> ""   (open holds by expiry)
//   "pay/settle/" id                       -> SettlementRecord
//   "pay/settle_by/" payee20 id            -> ""
//   "pay/vol/" payee20 asset day           -> u64be settled gross of that day (trailing 30)
//   "pay/plan/" id                         -> PlanRecord
//   "pay/plan_by/" payee20 id              -> ""
//   "pay/sub/" id                          -> SubscriptionRecord
//   "pay/sub_payer/" payer20 id            -> ""
//   "pay/sub_payee/" payee20 id            -> ""
//   "pay/sub_due/" attempt_ms id           -> ""   (active and past-due, by next attempt)
//   "pay/fx/" from to provider20           -> FxOfferRecord
#include "btt/ledger/keys.h"

namespace btt::modules::payfi::keys {

inline constexpr std::string_view kPrefix = "pay/";

inline ledger::StateKey key() {
  return ledger::StateKey(kPrefix);
}

[[nodiscard]] inline Bytes params() {
  return key().last_str("params");
}
[[nodiscard]] inline Bytes next_id(std::string_view name) {
  return key().table("next").last_str(name);
}
[[nodiscard]] inline Bytes cycle() {
  return key().last_str("cycle");
}
[[nodiscard]] inline Bytes cycle_end() {
  return key().last_str("cycle_end");
}
[[nodiscard]] inline Bytes assets() {
  return key().table("asset");
}
[[nodiscard]] inline Bytes asset(std::string_view a) {
  return key().table("asset").last_str(a);
}
[[nodiscard]] inline Bytes flows() {
  return key().table("flow");
}
[[nodiscard]] inline Bytes flows(std::string_view a) {
  return key().table("flow").str(a);
}
[[nodiscard]] inline Bytes flow(std::string_view a, uint64_t kind, std::string_view ref) {
  return key().table("flow").str(a).u64(kind).last_str(ref);
}
[[nodiscard]] inline Bytes frozen_all() {
  return key().table("frozen");
}
[[nodiscard]] inline Bytes frozen(std::string_view a, const crypto::Address& who) {
  return key().table("frozen").str(a).addr(who);
}
[[nodiscard]] inline Bytes payees() {
  return key().table("payee");
}
[[nodiscard]] inline Bytes payee(const crypto::Address& p) {
  return key().table("payee").addr(p);
}
[[nodiscard]] inline Bytes invoices() {
  return key().table("inv");
}
[[nodiscard]] inline Bytes invoice(uint64_t id) {
  return key().table("inv").u64(id);
}
[[nodiscard]] inline Bytes invoice_ref(const crypto::Address& payee, std::string_view ref) {
  return key().table("inv_ref").addr(payee).last_str(ref);
}
[[nodiscard]] inline Bytes payments() {
  return key().table("pmt");
}
[[nodiscard]] inline Bytes payment(uint64_t id) {
  return key().table("pmt").u64(id);
}
[[nodiscard]] inline Bytes by_payee(const crypto::Address& p) {
  return key().table("by_payee").addr(p);
}
[[nodiscard]] inline Bytes by_payee(const crypto::Address& p, uint64_t id) {
  return key().table("by_payee").addr(p).u64(id);
}
[[nodiscard]] inline Bytes by_payer(const crypto::Address& p) {
  return key().table("by_payer").addr(p);
}
[[nodiscard]] inline Bytes by_payer(const crypto::Address& p, uint64_t id) {
  return key().table("by_payer").addr(p).u64(id);
}
[[nodiscard]] inline Bytes by_ref(const crypto::Address& p, std::string_view ref) {
  return key().table("by_ref").addr(p).str(ref);
}
[[nodiscard]] inline Bytes by_ref(const crypto::Address& p, std::string_view ref, uint64_t id) {
  return key().table("by_ref").addr(p).str(ref).u64(id);
}
[[nodiscard]] inline Bytes pending_all() {
  return key().table("pending");
}
[[nodiscard]] inline Bytes pending(const crypto::Address& p, std::string_view a) {
  return key().table("pending").addr(p).last_str(a);
}
[[nodiscard]] inline Bytes queue() {
  return key().table("queue");
}
[[nodiscard]] inline Bytes queued(uint64_t cycle, const crypto::Address& p, std::string_view a) {
  return key().table("queue").u64(cycle).addr(p).last_str(a);
}
[[nodiscard]] inline Bytes settled(const crypto::Address& p, std::string_view a, uint64_t cycle) {
  return key().table("settled").addr(p).str(a).u64(cycle);
}
[[nodiscard]] inline Bytes refunds() {
  return key().table("refund");
}
[[nodiscard]] inline Bytes refunds(uint64_t payment) {
  return key().table("refund").u64(payment);
}
[[nodiscard]] inline Bytes refund(uint64_t payment, uint64_t seq) {
  return key().table("refund").u64(payment).u64(seq);
}
[[nodiscard]] inline Bytes idempotency_all() {
  return key().table("idem");
}
[[nodiscard]] inline Bytes idempotency(const crypto::Address& payer, std::string_view hex_id) {
  return key().table("idem").addr(payer).last_str(hex_id);
}
[[nodiscard]] inline Bytes idempotency_expiries() {
  return key().table("idem_exp");
}
[[nodiscard]] inline Bytes idempotency_expiry(uint64_t expires, const crypto::Address& payer,
                                              std::string_view hex_id) {
  return key().table("idem_exp").u64(expires).addr(payer).last_str(hex_id);
}
[[nodiscard]] inline Bytes holds() {
  return key().table("hold");
}
[[nodiscard]] inline Bytes hold(uint64_t id) {
  return key().table("hold").u64(id);
}
[[nodiscard]] inline Bytes hold_expiries() {
  return key().table("hold_exp");
}
[[nodiscard]] inline Bytes hold_expiry(uint64_t expiry, uint64_t id) {
  return key().table("hold_exp").u64(expiry).u64(id);
}
[[nodiscard]] inline Bytes settlements() {
  return key().table("settle");
}
[[nodiscard]] inline Bytes settlement(uint64_t id) {
  return key().table("settle").u64(id);
}
[[nodiscard]] inline Bytes settlements_of(const crypto::Address& p) {
  return key().table("settle_by").addr(p);
}
[[nodiscard]] inline Bytes settlement_of(const crypto::Address& p, uint64_t id) {
  return key().table("settle_by").addr(p).u64(id);
}
[[nodiscard]] inline Bytes volumes() {
  return key().table("vol");
}
[[nodiscard]] inline Bytes volume(const crypto::Address& p, std::string_view a, uint64_t day) {
  return key().table("vol").addr(p).str(a).u64(day);
}

[[nodiscard]] inline Bytes plans() {
  return key().table("plan");
}
[[nodiscard]] inline Bytes plan(uint64_t id) {
  return key().table("plan").u64(id);
}
[[nodiscard]] inline Bytes plans_of(const crypto::Address& payee) {
  return key().table("plan_by").addr(payee);
}
[[nodiscard]] inline Bytes plan_of(const crypto::Address& payee, uint64_t id) {
  return key().table("plan_by").addr(payee).u64(id);
}
[[nodiscard]] inline Bytes subscriptions() {
  return key().table("sub");
}
[[nodiscard]] inline Bytes subscription(uint64_t id) {
  return key().table("sub").u64(id);
}
[[nodiscard]] inline Bytes subscriptions_of_payer(const crypto::Address& payer) {
  return key().table("sub_payer").addr(payer);
}
[[nodiscard]] inline Bytes subscription_of_payer(const crypto::Address& payer, uint64_t id) {
  return key().table("sub_payer").addr(payer).u64(id);
}
[[nodiscard]] inline Bytes subscriptions_of_payee(const crypto::Address& payee) {
  return key().table("sub_payee").addr(payee);
}
[[nodiscard]] inline Bytes subscription_of_payee(const crypto::Address& payee, uint64_t id) {
  return key().table("sub_payee").addr(payee).u64(id);
}
[[nodiscard]] inline Bytes subscriptions_due() {
  return key().table("sub_due");
}
[[nodiscard]] inline Bytes subscription_due(uint64_t attempt_ms, uint64_t id) {
  return key().table("sub_due").u64(attempt_ms).u64(id);
}

[[nodiscard]] inline Bytes fx_offers() {
  return key().table("fx");
}
[[nodiscard]] inline Bytes fx_offers(std::string_view from, std::string_view to) {
  return key().table("fx").str(from).str(to);
}
[[nodiscard]] inline Bytes fx_offer(std::string_view from, std::string_view to,
                                    const crypto::Address& provider) {
  return key().table("fx").str(from).str(to).addr(provider);
}

}  // namespace btt::modules::payfi::keys

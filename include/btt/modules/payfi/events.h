#pragma once
// The PayFi module's events (doc/payfi.md "Events").
#include "btt/ledger/events.h"

namespace btt::modules::payfi::events {

inline constexpr ledger::EventDef kAssetRegistered{"payfi.asset_registered",
                                                   {"asset", "gateway", "decimals"}};
inline constexpr ledger::EventDef kDeposit{"payfi.gateway_deposit",
                                           {"asset", "to", "amount", "deposit_ref", "supply"}};
inline constexpr ledger::EventDef kWithdrawal{"payfi.gateway_withdrawal",
                                              {"asset", "from", "amount", "payout_ref", "supply"}};
inline constexpr ledger::EventDef kFrozen{"payfi.holding_frozen",
                                          {"asset", "account", "reason_code"}};
inline constexpr ledger::EventDef kUnfrozen{"payfi.holding_unfrozen",
                                            {"asset", "account", "reason_code"}};
inline constexpr ledger::EventDef kClawback{
    "payfi.clawback", {"asset", "account", "amount", "reason_code", "supply"}};
inline constexpr ledger::EventDef kPayeeRegistered{
    "payfi.payee_registered", {"payee", "category", "settlement_account", "settlement_asset"}};
inline constexpr ledger::EventDef kInvoiceCreated{
    "payfi.invoice_created", {"invoice_id", "payee", "reference", "amount", "asset", "expiry_ms"}};
inline constexpr ledger::EventDef kInvoiceCancelled{"payfi.invoice_cancelled",
                                                    {"invoice_id", "payee"}};
inline constexpr ledger::EventDef kPayment{
    "payfi.payment",
    {"payment_id", "payer", "payee", "asset", "amount", "delivered", "delivered_asset",
     "invoice_id", "reference", "hold_id"}};
inline constexpr ledger::EventDef kReplayed{"payfi.payment_replayed",
                                            {"payer", "payment_id", "hold_id"}};
inline constexpr ledger::EventDef kRefund{
    "payfi.refund", {"payment_id", "payee", "amount", "reason_code", "refunded", "from_pending"}};
inline constexpr ledger::EventDef kHoldPlaced{
    "payfi.hold_placed", {"hold_id", "payer", "payee", "asset", "amount", "expiry_ms"}};
inline constexpr ledger::EventDef kHoldCaptured{
    "payfi.hold_captured", {"hold_id", "payee", "payment_id", "amount", "captured"}};
inline constexpr ledger::EventDef kHoldReleased{"payfi.hold_released",
                                                {"hold_id", "payee", "returned", "status"}};
inline constexpr ledger::EventDef kSettled{"payfi.settled",
                                           {"settlement_id", "payee", "asset", "cycle", "payments",
                                            "gross", "refunded", "fee", "net", "fee_bps"}};

inline constexpr ledger::EventDef kPlanCreated{
    "payfi.plan_created", {"plan_id", "payee", "name", "amount", "asset", "period_ms"}};
inline constexpr ledger::EventDef kSubscribed{
    "payfi.subscribed",
    {"subscription_id", "plan_id", "payer", "payee", "cap_per_period", "first_charge_ms"}};
inline constexpr ledger::EventDef kSubscriptionCharged{
    "payfi.subscription_charged",
    {"subscription_id", "payee", "payment_id", "amount", "paid_through_ms"}};
inline constexpr ledger::EventDef kSubscriptionPastDue{
    "payfi.subscription_past_due", {"subscription_id", "payee", "due_ms", "error"}};
inline constexpr ledger::EventDef kSubscriptionLapsed{"payfi.subscription_lapsed",
                                                      {"subscription_id", "payee", "due_ms"}};
inline constexpr ledger::EventDef kSubscriptionCancelled{"payfi.subscription_cancelled",
                                                         {"subscription_id", "payee", "by"}};

inline constexpr ledger::EventDef kFxOffered{"payfi.fx_offered",
                                             {"provider", "from_asset", "to_asset", "withdrawn"}};
inline constexpr ledger::EventDef kConverted{
    "payfi.converted",
    {"payment_id", "payee", "provider", "from_asset", "amount", "to_asset", "converted", "fee",
     "delivered", "rate_num", "rate_den"}};

}  // namespace btt::modules::payfi::events

#pragma once
// The RWA module's events (doc/rwa.md "Events").
#include "btt/ledger/events.h"

namespace btt::modules::rwa::events {

inline constexpr ledger::EventDef kClaimSet{
    "rwa.claim_set", {"account", "attester", "kyc", "accredited", "country", "expiry_ms"}};
inline constexpr ledger::EventDef kClaimRevoked{"rwa.claim_revoked",
                                                {"account", "attester", "reason_code"}};
inline constexpr ledger::EventDef kAssetRegistered{
    "rwa.asset_registered",
    {"asset", "issuer", "asset_class", "total_fractions", "tier", "appraised_value", "currency",
     "valuer", "mint_fee", "burned", "listing_fee"}};
inline constexpr ledger::EventDef kRulesSet{"rwa.rules_set", {"asset"}};
inline constexpr ledger::EventDef kDocumentSet{"rwa.document_set",
                                               {"asset", "name", "version", "removed"}};
inline constexpr ledger::EventDef kAgentSet{
    "rwa.agent_set", {"asset", "agent", "freeze", "force", "recover", "pause"}};
inline constexpr ledger::EventDef kFrozen{
    "rwa.frozen", {"asset", "account", "amount", "whole", "frozen", "reason_code", "by"}};
inline constexpr ledger::EventDef kUnfrozen{
    "rwa.unfrozen", {"asset", "account", "amount", "frozen", "reason_code", "by"}};
inline constexpr ledger::EventDef kTransfer{"rwa.transfer", {"asset", "from", "to", "amount"}};
inline constexpr ledger::EventDef kForcedTransfer{
    "rwa.forced_transfer",
    {"asset", "from", "to", "amount", "frozen_moved", "reason_code", "agent"}};
inline constexpr ledger::EventDef kRecovered{
    "rwa.recovered", {"asset", "lost_account", "new_account", "amount", "reason_code", "agent"}};
inline constexpr ledger::EventDef kPaused{"rwa.paused", {"asset", "paused", "by"}};
inline constexpr ledger::EventDef kRevalued{
    "rwa.revalued", {"asset", "seq", "appraised_value", "currency", "valuer", "fee"}};
inline constexpr ledger::EventDef kDistributionDeposited{
    "rwa.distribution_deposited",
    {"distribution_id", "asset", "pay_asset", "amount", "record_supply", "expiry_ms"}};
inline constexpr ledger::EventDef kDistributionClaimed{
    "rwa.distribution_claimed", {"distribution_id", "account", "record_balance", "amount"}};
inline constexpr ledger::EventDef kDistributionReclaimed{"rwa.distribution_reclaimed",
                                                         {"distribution_id", "issuer", "amount"}};
inline constexpr ledger::EventDef kRedeemed{"rwa.redeemed", {"asset", "amount", "supply"}};
inline constexpr ledger::EventDef kRetired{"rwa.retired", {"asset", "amount", "reason_code"}};
// The exchange (doc/rwa-exchange.md "Events").
inline constexpr ledger::EventDef kOrderPlaced{
    "rwa.order_placed",
    {"order_id", "owner", "asset", "quote_asset", "side", "price", "amount", "time_in_force",
     "expiry_ms", "filled", "rested", "cancelled", "stop"}};
inline constexpr ledger::EventDef kOrderClosed{"rwa.order_closed",
                                               {"order_id", "owner", "reason", "open", "refund"}};
inline constexpr ledger::EventDef kTrade{
    "rwa.trade",
    {"trade_id", "asset", "quote_asset", "maker_order_id", "taker_order_id", "maker", "taker",
     "taker_side", "price", "amount", "quote", "fee"}};
inline constexpr ledger::EventDef kPoolCreated{
    "rwa.pool_created", {"pool_id", "asset", "quote_asset", "manager", "fee_bps"}};
inline constexpr ledger::EventDef kPoolDeposit{
    "rwa.pool_deposit", {"pool_id", "account", "asset_amount", "quote_amount", "shares"}};
inline constexpr ledger::EventDef kPoolWithdraw{
    "rwa.pool_withdraw", {"pool_id", "account", "asset_amount", "quote_amount", "shares"}};
inline constexpr ledger::EventDef kPoolSwap{
    "rwa.pool_swap",
    {"pool_id", "trader", "offer_asset", "amount_in", "pool_fee", "trading_fee", "amount_out"}};
inline constexpr ledger::EventDef kPoolFeeAccrued{"rwa.pool_fee_accrued",
                                                  {"pool_id", "manager", "shares", "elapsed_ms"}};

}  // namespace btt::modules::rwa::events

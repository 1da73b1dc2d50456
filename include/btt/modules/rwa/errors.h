#pragma once
// The RWA module's error details (code space 9; doc/rwa.md "Errors"). Released details never
// change meaning. The compliance_* details name the transfer rule that refused a movement.
#include "btt/common/status.h"

namespace btt::modules::rwa::errors {

inline constexpr ErrorDef kBadField{9001, Code::kInvalidArgument, "bad_field"};
inline constexpr ErrorDef kBadAddress{9002, Code::kInvalidAddress, "bad_address"};
inline constexpr ErrorDef kZeroAmount{9003, Code::kInvalidAmount, "zero_amount"};
inline constexpr ErrorDef kNotAttester{9004, Code::kUnauthorized, "not_attester"};
inline constexpr ErrorDef kNoClaim{9005, Code::kUnknownRecord, "no_claim"};
inline constexpr ErrorDef kNotValuer{9006, Code::kUnauthorized, "not_valuer"};
inline constexpr ErrorDef kAssetExists{9007, Code::kAlreadyExists, "asset_exists"};
inline constexpr ErrorDef kUnknownAsset{9008, Code::kUnknownRecord, "unknown_rwa_asset"};
inline constexpr ErrorDef kNotIssuer{9009, Code::kUnauthorized, "not_issuer"};
inline constexpr ErrorDef kNotAgent{9010, Code::kUnauthorized, "not_agent"};
inline constexpr ErrorDef kPaused{9011, Code::kWrongState, "compliance_paused"};
inline constexpr ErrorDef kLockup{9012, Code::kWrongState, "compliance_lockup"};
inline constexpr ErrorDef kFrozen{9013, Code::kLockedFunds, "compliance_frozen"};
inline constexpr ErrorDef kKycRequired{9014, Code::kWrongState, "compliance_kyc_required"};
inline constexpr ErrorDef kClaimExpired{9015, Code::kWrongState, "compliance_claim_expired"};
inline constexpr ErrorDef kAccreditedRequired{9016, Code::kWrongState,
                                              "compliance_accredited_required"};
inline constexpr ErrorDef kCountryNotAllowed{9017, Code::kWrongState,
                                             "compliance_country_not_allowed"};
inline constexpr ErrorDef kCountryDenied{9018, Code::kWrongState, "compliance_country_denied"};
inline constexpr ErrorDef kMaxHolding{9019, Code::kLimitExceeded, "compliance_max_holding"};
inline constexpr ErrorDef kMaxHolders{9020, Code::kLimitExceeded, "compliance_max_holders"};
inline constexpr ErrorDef kInsufficientFractions{9021, Code::kInsufficientFunds,
                                                 "insufficient_fractions"};
inline constexpr ErrorDef kRetired{9022, Code::kWrongState, "asset_retired"};
inline constexpr ErrorDef kNoDocument{9023, Code::kUnknownRecord, "no_document"};
inline constexpr ErrorDef kTooManyDocuments{9024, Code::kLimitExceeded, "too_many_documents"};
inline constexpr ErrorDef kSelfTransfer{9025, Code::kWrongState, "self_transfer"};
inline constexpr ErrorDef kNotFrozen{9026, Code::kWrongState, "not_frozen"};
inline constexpr ErrorDef kFreezeExceeds{9027, Code::kLimitExceeded, "freeze_exceeds_balance"};
inline constexpr ErrorDef kNothingToRecover{9028, Code::kWrongState, "nothing_to_recover"};
inline constexpr ErrorDef kNoDistribution{9029, Code::kUnknownRecord, "no_distribution"};
inline constexpr ErrorDef kDistributionExpired{9030, Code::kWrongState, "distribution_expired"};
inline constexpr ErrorDef kAlreadyClaimed{9031, Code::kAlreadyExists, "already_claimed"};
inline constexpr ErrorDef kNotExpired{9032, Code::kWrongState, "distribution_not_expired"};
inline constexpr ErrorDef kNothingToClaim{9033, Code::kWrongState, "nothing_to_claim"};
inline constexpr ErrorDef kNotAllHeld{9034, Code::kWrongState, "issuer_not_sole_holder"};
inline constexpr ErrorDef kDistributionsOpen{9035, Code::kWrongState, "distributions_open"};
inline constexpr ErrorDef kBadParams{9036, Code::kInvalidArgument, "bad_params"};
inline constexpr ErrorDef kBadGenesis{9037, Code::kInvalidArgument, "bad_genesis"};
inline constexpr ErrorDef kNotEnabled{9038, Code::kWrongState, "rwa_not_enabled"};
inline constexpr ErrorDef kBadPayAsset{9039, Code::kUnknownRecord, "unsupported_pay_asset"};
inline constexpr ErrorDef kAlreadyReclaimed{9040, Code::kWrongState, "already_reclaimed"};
inline constexpr ErrorDef kNoChange{9041, Code::kWrongState, "no_change"};
inline constexpr ErrorDef kFeeOverflow{9042, Code::kLimitExceeded, "fee_overflow"};
inline constexpr ErrorDef kTooManyFractions{9043, Code::kLimitExceeded, "too_many_fractions"};
inline constexpr ErrorDef kTooManyCountries{9044, Code::kLimitExceeded, "too_many_countries"};
inline constexpr ErrorDef kWholeSupply{9045, Code::kWrongState, "redeem_whole_supply"};
// The exchange (doc/rwa-exchange.md).
inline constexpr ErrorDef kNoOrder{9046, Code::kUnknownRecord, "no_order"};
inline constexpr ErrorDef kNotOrderOwner{9047, Code::kUnauthorized, "not_order_owner"};
inline constexpr ErrorDef kBadPair{9048, Code::kUnknownRecord, "unsupported_pair"};
inline constexpr ErrorDef kBlockFillBudget{9049, Code::kLimitExceeded, "block_fill_budget_spent"};
inline constexpr ErrorDef kTooManyOrders{9050, Code::kLimitExceeded, "too_many_open_orders"};
inline constexpr ErrorDef kKilled{9051, Code::kWrongState, "fill_or_kill_unfilled"};
inline constexpr ErrorDef kNoPool{9052, Code::kUnknownRecord, "no_pool"};
inline constexpr ErrorDef kPoolExists{9053, Code::kAlreadyExists, "pool_exists"};
inline constexpr ErrorDef kSlippage{9054, Code::kLimitExceeded, "slippage_bound"};
inline constexpr ErrorDef kBadPoolFee{9055, Code::kLimitExceeded, "bad_pool_fee"};
inline constexpr ErrorDef kInsufficientShares{9056, Code::kInsufficientFunds,
                                              "insufficient_lp_shares"};
inline constexpr ErrorDef kSharesFrozen{9057, Code::kWrongState, "lp_shares_frozen"};
inline constexpr ErrorDef kExpiryPast{9058, Code::kWrongState, "order_expiry_past"};

}  // namespace btt::modules::rwa::errors

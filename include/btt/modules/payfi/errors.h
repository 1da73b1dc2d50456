#pragma once
// The PayFi module's error details (code space 8; doc/payfi.md "Errors"). Released details never
// change meaning.
#include "btt/common/status.h"

namespace btt::modules::payfi::errors {

inline constexpr ErrorDef kBadField{8001, Code::kInvalidArgument, "bad_field"};
inline constexpr ErrorDef kBadAddress{8002, Code::kInvalidAddress, "bad_address"};
inline constexpr ErrorDef kZeroAmount{8003, Code::kInvalidAmount, "zero_amount"};
inline constexpr ErrorDef kNotGateway{8004, Code::kUnauthorized, "not_gateway"};
inline constexpr ErrorDef kAssetExists{8005, Code::kAlreadyExists, "asset_exists"};
inline constexpr ErrorDef kUnknownPaymentAsset{8006, Code::kUnknownRecord, "unknown_payment_asset"};
inline constexpr ErrorDef kDuplicateReference{8007, Code::kAlreadyExists, "duplicate_reference"};
inline constexpr ErrorDef kNotFrozen{8008, Code::kWrongState, "not_frozen"};
inline constexpr ErrorDef kAlreadyFrozen{8009, Code::kWrongState, "already_frozen"};
inline constexpr ErrorDef kNotPayee{8010, Code::kUnknownRecord, "not_payee"};
inline constexpr ErrorDef kWrongAsset{8011, Code::kWrongState, "wrong_asset"};
inline constexpr ErrorDef kNoInvoice{8012, Code::kUnknownRecord, "no_invoice"};
inline constexpr ErrorDef kInvoiceNotOpen{8013, Code::kWrongState, "invoice_not_open"};
inline constexpr ErrorDef kInvoiceExpired{8014, Code::kWrongState, "invoice_expired"};
inline constexpr ErrorDef kWrongAmount{8015, Code::kWrongState, "wrong_amount"};
inline constexpr ErrorDef kIdempotencyConflict{8016, Code::kAlreadyExists, "idempotency_conflict"};
inline constexpr ErrorDef kNoPayment{8017, Code::kUnknownRecord, "no_payment"};
inline constexpr ErrorDef kNotPaymentPayee{8018, Code::kUnauthorized, "not_payment_payee"};
inline constexpr ErrorDef kRefundExceeds{8019, Code::kLimitExceeded, "refund_exceeds_captured"};
inline constexpr ErrorDef kNoHold{8020, Code::kUnknownRecord, "no_hold"};
inline constexpr ErrorDef kHoldNotOpen{8021, Code::kWrongState, "hold_not_open"};
inline constexpr ErrorDef kCaptureExceeds{8022, Code::kLimitExceeded, "capture_exceeds_hold"};
inline constexpr ErrorDef kBadExpiry{8023, Code::kWrongState, "bad_expiry"};
inline constexpr ErrorDef kBadParams{8024, Code::kInvalidArgument, "bad_params"};
inline constexpr ErrorDef kBadGenesis{8025, Code::kInvalidArgument, "bad_genesis"};
inline constexpr ErrorDef kNotEnabled{8026, Code::kWrongState, "payfi_not_enabled"};
inline constexpr ErrorDef kBadPeriod{8027, Code::kWrongState, "bad_period"};
inline constexpr ErrorDef kNoPlan{8028, Code::kUnknownRecord, "no_plan"};
inline constexpr ErrorDef kCapBelowAmount{8029, Code::kWrongState, "cap_below_amount"};
inline constexpr ErrorDef kNoSubscription{8030, Code::kUnknownRecord, "no_subscription"};
inline constexpr ErrorDef kNotSubscriptionParty{8031, Code::kUnauthorized,
                                                "not_subscription_party"};
inline constexpr ErrorDef kSubscriptionEnded{8032, Code::kWrongState, "subscription_ended"};
inline constexpr ErrorDef kNoFxOffer{8033, Code::kUnknownRecord, "no_fx_offer"};
inline constexpr ErrorDef kTooManyFxOffers{8034, Code::kLimitExceeded, "too_many_fx_offers"};
inline constexpr ErrorDef kBelowMinDelivered{8035, Code::kWrongState, "below_min_delivered"};

}  // namespace btt::modules::payfi::errors

#pragma once
// The bank module's error details (code space 1; doc/bank.md "Errors"). Released details never
// change meaning.
#include "btt/common/status.h"

namespace btt::modules::bank::errors {

inline constexpr ErrorDef kBadRecipient{1001, Code::kInvalidAddress, "bad_recipient"};
inline constexpr ErrorDef kBadAsset{1002, Code::kInvalidAsset, "bad_asset"};
inline constexpr ErrorDef kZeroAmount{1003, Code::kInvalidAmount, "zero_amount"};
inline constexpr ErrorDef kNoOutputs{1004, Code::kInvalidArgument, "no_outputs"};
inline constexpr ErrorDef kTooManyOutputs{1005, Code::kTooManyOutputs, "too_many_outputs"};
inline constexpr ErrorDef kUnknownAsset{1006, Code::kUnknownAsset, "unknown_asset"};
inline constexpr ErrorDef kTotalOverflow{1007, Code::kBalanceOverflow, "total_overflow"};

}  // namespace btt::modules::bank::errors

#pragma once
// The oracle module's error details (code space 7; doc/oracle.md "Errors"). Released details
// never change meaning.
#include "btt/common/status.h"

namespace btt::modules::oracle::errors {

inline constexpr ErrorDef kBadPair{7001, Code::kInvalidArgument, "bad_pair"};
inline constexpr ErrorDef kBadPrice{7002, Code::kInvalidArgument, "bad_price"};
inline constexpr ErrorDef kNotPriceOracle{7003, Code::kUnauthorized, "not_price_oracle"};
inline constexpr ErrorDef kNoPrice{7004, Code::kWrongState, "no_price"};
inline constexpr ErrorDef kConversionOverflow{7005, Code::kBalanceOverflow, "conversion_overflow"};
inline constexpr ErrorDef kBadParams{7006, Code::kInvalidArgument, "bad_params"};
inline constexpr ErrorDef kBadGenesis{7007, Code::kInvalidArgument, "bad_genesis"};

}  // namespace btt::modules::oracle::errors

#pragma once
// The staking module's error details (code space 5; doc/staking.md "Errors"). Released details
// never change meaning.
#include "btt/common/status.h"

namespace btt::modules::staking::errors {

inline constexpr ErrorDef kNotEnabled{5001, Code::kWrongState, "staking_not_enabled"};
inline constexpr ErrorDef kBadField{5002, Code::kInvalidArgument, "bad_field"};
inline constexpr ErrorDef kBadAddress{5003, Code::kInvalidAddress, "bad_address"};
inline constexpr ErrorDef kZeroAmount{5004, Code::kInvalidAmount, "zero_amount"};
inline constexpr ErrorDef kBadCommission{5005, Code::kInvalidArgument, "bad_commission"};
inline constexpr ErrorDef kValidatorExists{5006, Code::kAlreadyExists, "validator_exists"};
inline constexpr ErrorDef kNoValidator{5007, Code::kUnknownRecord, "no_validator"};
inline constexpr ErrorDef kSelfStakeTooLow{5008, Code::kLimitExceeded, "self_stake_too_low"};
inline constexpr ErrorDef kNotOperator{5009, Code::kUnauthorized, "not_operator"};
inline constexpr ErrorDef kCommissionChangeTooLarge{5010, Code::kLimitExceeded,
                                                    "commission_change_too_large"};
inline constexpr ErrorDef kCommissionChangeTooSoon{5011, Code::kLimitExceeded,
                                                   "commission_change_too_soon"};
inline constexpr ErrorDef kNoDelegation{5012, Code::kUnknownRecord, "no_delegation"};
inline constexpr ErrorDef kInsufficientDelegation{5013, Code::kInsufficientFunds,
                                                  "insufficient_delegation"};
inline constexpr ErrorDef kTooManyEntries{5014, Code::kLimitExceeded, "too_many_entries"};
inline constexpr ErrorDef kAmountTooSmall{5015, Code::kInvalidAmount, "amount_too_small"};
inline constexpr ErrorDef kSelfRedelegation{5016, Code::kInvalidArgument, "self_redelegation"};
inline constexpr ErrorDef kRedelegationHop{5017, Code::kWrongState, "redelegation_hop"};
inline constexpr ErrorDef kNoUnbonding{5018, Code::kUnknownRecord, "no_unbonding_entry"};
inline constexpr ErrorDef kShareOverflow{5019, Code::kLimitExceeded, "share_overflow"};
inline constexpr ErrorDef kKeyInUse{5020, Code::kAlreadyExists, "consensus_key_in_use"};
inline constexpr ErrorDef kBadGenesis{5021, Code::kInvalidArgument, "bad_genesis"};
inline constexpr ErrorDef kOperatorLeaving{5022, Code::kWrongState, "operator_below_minimum"};
inline constexpr ErrorDef kNotJailed{5023, Code::kWrongState, "not_jailed"};
inline constexpr ErrorDef kStillJailed{5024, Code::kWrongState, "still_jailed"};
inline constexpr ErrorDef kTombstoned{5025, Code::kWrongState, "tombstoned"};
inline constexpr ErrorDef kNoLock{5026, Code::kUnknownRecord, "no_lock"};
inline constexpr ErrorDef kLockNotEnded{5027, Code::kWrongState, "lock_not_ended"};

}  // namespace btt::modules::staking::errors

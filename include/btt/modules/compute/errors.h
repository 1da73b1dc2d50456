#pragma once
// The compute module's error details (code space 3; doc/compute.md "Errors"). Released details
// never change meaning.
#include "btt/common/status.h"

namespace btt::modules::compute::errors {

inline constexpr ErrorDef kBadField{3001, Code::kInvalidArgument, "bad_field"};
inline constexpr ErrorDef kZeroPrice{3002, Code::kInvalidAmount, "zero_price"};
inline constexpr ErrorDef kZeroBond{3003, Code::kInvalidAmount, "zero_bond"};
inline constexpr ErrorDef kNoNode{3004, Code::kUnknownRecord, "no_node"};
inline constexpr ErrorDef kNodeUnbonding{3005, Code::kWrongState, "node_unbonding"};
inline constexpr ErrorDef kNodeExists{3006, Code::kAlreadyExists, "node_exists"};
inline constexpr ErrorDef kBondBelowMinimum{3007, Code::kLimitExceeded, "bond_below_minimum"};
inline constexpr ErrorDef kBondOverflow{3008, Code::kBalanceOverflow, "bond_overflow"};
inline constexpr ErrorDef kOpenReplicas{3009, Code::kWrongState, "open_replicas"};
inline constexpr ErrorDef kHeartbeatTooSoon{3010, Code::kLimitExceeded, "heartbeat_too_soon"};
inline constexpr ErrorDef kUnknownJobKind{3011, Code::kUnknownRecord, "unknown_job_kind"};
inline constexpr ErrorDef kCostOverflow{3012, Code::kLimitExceeded, "cost_overflow"};
inline constexpr ErrorDef kNoJob{3013, Code::kUnknownRecord, "no_job"};
inline constexpr ErrorDef kNotJobProvider{3014, Code::kUnauthorized, "not_job_provider"};
inline constexpr ErrorDef kJobNotCancellable{3015, Code::kWrongState, "job_not_cancellable"};
inline constexpr ErrorDef kJobNotRunning{3016, Code::kWrongState, "job_not_running"};
inline constexpr ErrorDef kNotAssigned{3017, Code::kUnauthorized, "not_assigned"};
inline constexpr ErrorDef kAlreadyCommitted{3018, Code::kWrongState, "already_committed"};
inline constexpr ErrorDef kCommitClosed{3019, Code::kWrongState, "commit_window_closed"};
inline constexpr ErrorDef kNotCommitted{3020, Code::kWrongState, "not_committed"};
inline constexpr ErrorDef kRevealNotOpen{3021, Code::kWrongState, "reveal_not_open"};
inline constexpr ErrorDef kRevealClosed{3022, Code::kWrongState, "reveal_window_closed"};
inline constexpr ErrorDef kRevealMismatch{3023, Code::kWrongState, "reveal_mismatch"};
inline constexpr ErrorDef kBadNodeAddress{3024, Code::kInvalidAddress, "bad_node_address"};
inline constexpr ErrorDef kNotAttester{3025, Code::kUnauthorized, "not_attester"};
inline constexpr ErrorDef kBadParams{3026, Code::kInvalidArgument, "bad_params"};

}  // namespace btt::modules::compute::errors

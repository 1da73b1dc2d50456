#pragma once
// The governance module's error details (code space 6; doc/governance.md "Errors"). Released
// details never change meaning.
#include "btt/common/status.h"

namespace btt::modules::governance::errors {

inline constexpr ErrorDef kBadField{6001, Code::kInvalidArgument, "bad_field"};
inline constexpr ErrorDef kBadAddress{6002, Code::kInvalidAddress, "bad_address"};
inline constexpr ErrorDef kBadAction{6003, Code::kInvalidArgument, "bad_action"};
inline constexpr ErrorDef kTooManyActions{6004, Code::kLimitExceeded, "too_many_actions"};
inline constexpr ErrorDef kInitialDepositTooLow{6005, Code::kInvalidAmount,
                                                "initial_deposit_too_low"};
inline constexpr ErrorDef kTooManyProposals{6006, Code::kLimitExceeded, "too_many_proposals"};
inline constexpr ErrorDef kNoProposal{6007, Code::kUnknownRecord, "no_proposal"};
inline constexpr ErrorDef kNotInDepositPeriod{6008, Code::kWrongState, "not_in_deposit_period"};
inline constexpr ErrorDef kNotInVotingPeriod{6009, Code::kWrongState, "not_in_voting_period"};
inline constexpr ErrorDef kBadVote{6010, Code::kInvalidArgument, "bad_vote"};
inline constexpr ErrorDef kNotProposer{6011, Code::kUnauthorized, "not_proposer"};
inline constexpr ErrorDef kCannotCancel{6012, Code::kWrongState, "cannot_cancel"};
inline constexpr ErrorDef kZeroAmount{6013, Code::kInvalidAmount, "zero_amount"};
inline constexpr ErrorDef kNotFoundation{6014, Code::kUnauthorized, "not_foundation"};
inline constexpr ErrorDef kFoundationSunset{6015, Code::kWrongState, "foundation_sunset"};
inline constexpr ErrorDef kBadParams{6016, Code::kInvalidArgument, "bad_params"};
inline constexpr ErrorDef kBadGenesis{6017, Code::kInvalidArgument, "bad_genesis"};
inline constexpr ErrorDef kActionFailed{6018, Code::kWrongState, "action_failed"};
inline constexpr ErrorDef kNotEnabled{6019, Code::kWrongState, "governance_not_enabled"};

}  // namespace btt::modules::governance::errors

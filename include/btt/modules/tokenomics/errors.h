#pragma once
// The tokenomics module's error details (code space 2; doc/tokenomics.md "Errors"). Released
// details never change meaning.
#include "btt/common/status.h"

namespace btt::modules::tokenomics::errors {

inline constexpr ErrorDef kZeroAmount{2001, Code::kInvalidAmount, "zero_amount"};
inline constexpr ErrorDef kBadBurnSource{2002, Code::kInvalidArgument, "bad_burn_source"};
inline constexpr ErrorDef kBadCategory{2003, Code::kInvalidArgument, "bad_category"};
inline constexpr ErrorDef kBadMilestone{2004, Code::kInvalidArgument, "bad_milestone"};
inline constexpr ErrorDef kNoState{2005, Code::kUnknownRecord, "no_tokenomics_state"};
inline constexpr ErrorDef kNotAuthority{2006, Code::kUnauthorized, "not_milestone_authority"};
inline constexpr ErrorDef kUnknownCategory{2007, Code::kUnknownRecord, "unknown_category"};
inline constexpr ErrorDef kMilestoneApproved{2008, Code::kAlreadyExists, "milestone_approved"};
inline constexpr ErrorDef kTooManyMilestones{2009, Code::kLimitExceeded, "too_many_milestones"};
inline constexpr ErrorDef kAboveCeiling{2010, Code::kLimitExceeded, "above_ceiling"};
inline constexpr ErrorDef kBurnOverflow{2011, Code::kBalanceOverflow, "burn_overflow"};
inline constexpr ErrorDef kBadParams{2012, Code::kInvalidArgument, "bad_params"};
inline constexpr ErrorDef kGovernanceControls{2013, Code::kWrongState,
                                              "governance_controls_milestones"};

}  // namespace btt::modules::tokenomics::errors

#pragma once
// The consent module's error details (code space 11; doc/consent.md "Errors"). Released details
// never change meaning.
#include "btt/common/status.h"

namespace btt::modules::consent::errors {

inline constexpr ErrorDef kBadField{11001, Code::kInvalidArgument, "bad_field"};
inline constexpr ErrorDef kBadAddress{11002, Code::kInvalidAddress, "bad_address"};
inline constexpr ErrorDef kBadRecordHash{11003, Code::kInvalidArgument, "bad_record_hash"};
inline constexpr ErrorDef kBadScope{11004, Code::kInvalidArgument, "bad_scope"};
inline constexpr ErrorDef kBadPurpose{11005, Code::kInvalidArgument, "bad_purpose"};
inline constexpr ErrorDef kBadExpiry{11006, Code::kInvalidArgument, "bad_expiry"};
inline constexpr ErrorDef kSelfGrant{11007, Code::kInvalidArgument, "self_grant"};
inline constexpr ErrorDef kSelfDelegate{11008, Code::kInvalidArgument, "self_delegate"};
inline constexpr ErrorDef kNotPatientOrDelegate{11009, Code::kUnauthorized,
                                                "not_patient_or_delegate"};
inline constexpr ErrorDef kNotPatient{11010, Code::kUnauthorized, "not_patient"};
inline constexpr ErrorDef kExpiryOutOfRange{11011, Code::kWrongState, "expiry_out_of_range"};
inline constexpr ErrorDef kTooManyGrants{11012, Code::kLimitExceeded, "too_many_grants"};
inline constexpr ErrorDef kNoGrant{11013, Code::kUnknownRecord, "no_grant"};
inline constexpr ErrorDef kGrantRevoked{11014, Code::kWrongState, "grant_revoked"};
inline constexpr ErrorDef kGrantExpired{11015, Code::kWrongState, "grant_expired"};
inline constexpr ErrorDef kPurposeNotCovered{11016, Code::kWrongState, "purpose_not_covered"};
inline constexpr ErrorDef kScopeNotCovered{11017, Code::kWrongState, "scope_not_covered"};
inline constexpr ErrorDef kNotGranteeOrCustodian{11018, Code::kUnauthorized,
                                                 "not_grantee_or_custodian"};
inline constexpr ErrorDef kDelegateExists{11019, Code::kAlreadyExists, "delegate_exists"};
inline constexpr ErrorDef kNoDelegate{11020, Code::kUnknownRecord, "no_delegate"};
inline constexpr ErrorDef kTooManyDelegates{11021, Code::kLimitExceeded, "too_many_delegates"};
inline constexpr ErrorDef kNotDelegateParty{11022, Code::kUnauthorized, "not_delegate_party"};
inline constexpr ErrorDef kBadParams{11023, Code::kInvalidArgument, "bad_params"};
inline constexpr ErrorDef kBadGenesis{11024, Code::kInvalidArgument, "bad_genesis"};

}  // namespace btt::modules::consent::errors

#pragma once
// The roles module's error details (code space 4; doc/roles.md "Errors"). Released details never
// change meaning.
#include "btt/common/status.h"

namespace btt::modules::roles::errors {

inline constexpr ErrorDef kUnknownRole{4001, Code::kInvalidArgument, "unknown_role"};
inline constexpr ErrorDef kBadAddress{4002, Code::kInvalidAddress, "bad_address"};
inline constexpr ErrorDef kNotAdmin{4003, Code::kUnauthorized, "not_role_admin"};
inline constexpr ErrorDef kAlreadyHeld{4004, Code::kAlreadyExists, "already_held"};
inline constexpr ErrorDef kNotHeld{4005, Code::kUnknownRecord, "not_held"};
inline constexpr ErrorDef kLastAdmin{4006, Code::kWrongState, "last_role_admin"};
inline constexpr ErrorDef kBadGenesis{4007, Code::kInvalidArgument, "bad_genesis"};

}  // namespace btt::modules::roles::errors

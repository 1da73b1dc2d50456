#pragma once
// Roles state keys (prefix "rol/"; doc/roles.md "State"):
//   "rol/grant/" role NUL addr20  -> RoleGrant
#include "btt/ledger/keys.h"

namespace btt::modules::roles::keys {

inline constexpr std::string_view kPrefix = "rol/";

[[nodiscard]] inline Bytes grant(std::string_view role, const crypto::Address& account) {
  return ledger::StateKey(kPrefix).table("grant").str(role).addr(account);
}
// Every grant of one role.
[[nodiscard]] inline Bytes grants_of(std::string_view role) {
  return ledger::StateKey(kPrefix).table("grant").str(role);
}
// Every grant.
[[nodiscard]] inline Bytes all_grants() {
  return ledger::StateKey(kPrefix).table("grant");
}

}  // namespace btt::modules::roles::keys

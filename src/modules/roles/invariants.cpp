// Roles invariants: every grant record names a known role and the account its key is for.
#include "btt/ledger/keys.h"
#include "keys.h"
#include "module.h"

namespace btt::modules::roles {

std::vector<std::string> RolesModule::check_invariants(const ledger::StateReader& state) const {
  std::vector<std::string> out;
  const Bytes prefix = keys::all_grants();
  state.scan(prefix, [&](std::string_view key, std::string_view value) {
    v1::RoleGrant g;
    ledger::KeyReader k(key.substr(prefix.size()));
    std::string role;
    crypto::Address account;
    if (!g.ParseFromArray(value.data(), static_cast<int>(value.size())) || !k.str(role) ||
        !k.addr(account) || !k.done()) {
      out.push_back("roles: undecodable grant record");
      return true;
    }
    if (!is_known_role(role) || g.role() != role || g.address() != account.to_string()) {
      out.push_back("roles: grant record of " + g.role() + " to " + g.address() +
                    " does not match its key");
    }
    return true;
  });
  return out;
}

}  // namespace btt::modules::roles

#pragma once
// Reads of the roles registry and the answers of its queries. The gRPC service is a thin adapter.
#include <optional>
#include <string>
#include <vector>

#include "btt/crypto/address.h"
#include "btt/ledger/state.h"
#include "btt/v1/roles.pb.h"

namespace btt::modules::roles {

class RolesView {
 public:
  explicit RolesView(const ledger::StateReader& state) : state_(state) {}
  [[nodiscard]] std::optional<v1::RoleGrant> grant(std::string_view role,
                                                   const crypto::Address& account) const;
  // Grants of `role` in address byte order.
  [[nodiscard]] std::vector<v1::RoleGrant> grants(std::string_view role) const;
  // Every grant, by role name then address.
  [[nodiscard]] std::vector<v1::RoleGrant> all_grants() const;
  // Roles `account` holds, in name order.
  [[nodiscard]] std::vector<std::string> roles_of(const crypto::Address& account) const;

  // --- query answers ---
  [[nodiscard]] v1::ListRolesResponse list_roles(uint64_t height) const;
  // kInvalidArgument for an unknown role.
  [[nodiscard]] Result<v1::GetRoleResponse> get_role(std::string_view role, uint64_t height) const;
  // kInvalidArgument for a malformed address.
  [[nodiscard]] Result<v1::GetAccountRolesResponse> account_roles(std::string_view address,
                                                                  uint64_t height) const;

 private:
  const ledger::StateReader& state_;
};

}  // namespace btt::modules::roles

#include "keeper.h"

#include "btt/modules/roles/events.h"
#include "btt/modules/roles/roles.h"
#include "keys.h"

namespace btt::modules::roles {

void RolesKeeper::grant(std::string_view role, const crypto::Address& account, uint64_t height,
                        std::string_view by) {
  v1::RoleGrant g;
  g.set_role(std::string(role));
  g.set_address(account.to_string());
  g.set_granted_height(height);
  g.set_granted_by(std::string(by));
  put(g, account);
  events_.emit(events::kGranted)
      .attr("role", std::string(role))
      .attr("address", account.to_string())
      .attr("by", std::string(by));
}

void RolesKeeper::revoke(std::string_view role, const crypto::Address& account,
                         std::string_view by) {
  state_.erase(keys::grant(role, account));
  events_.emit(events::kRevoked)
      .attr("role", std::string(role))
      .attr("address", account.to_string())
      .attr("by", std::string(by));
}

void RolesKeeper::put(const v1::RoleGrant& grant, const crypto::Address& account) {
  state_.put(keys::grant(grant.role(), account), grant.SerializeAsString());
}

void grant_at_genesis(ledger::Overlay& state, ledger::Events& events, std::string_view role,
                      const crypto::Address& account) {
  RolesKeeper(state, events).grant(role, account, 0, "");
}

}  // namespace btt::modules::roles

#pragma once
// The roles keeper: the only code that writes the module's keys.
#include "btt/ledger/module.h"
#include "btt/modules/roles/view.h"

namespace btt::modules::roles {

class RolesKeeper {
 public:
  RolesKeeper(ledger::Overlay& state, ledger::Events& events) : state_(state), events_(events) {}
  [[nodiscard]] RolesView view() const { return RolesView(state_); }
  // Writes the grant and emits roles.granted (`by` empty at genesis).
  void grant(std::string_view role, const crypto::Address& account, uint64_t height,
             std::string_view by);
  void revoke(std::string_view role, const crypto::Address& account, std::string_view by);
  // Genesis import: the record as exported.
  void put(const v1::RoleGrant& grant, const crypto::Address& account);

 private:
  ledger::Overlay& state_;
  ledger::Events& events_;
};

}  // namespace btt::modules::roles

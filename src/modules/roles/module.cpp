// Roles module (doc/roles.md): the one registry of authorities.
#include "module.h"

#include "btt/modules/roles/errors.h"
#include "btt/modules/roles/events.h"

namespace btt::modules::roles {

std::vector<const ledger::EventDef*> RolesModule::events() const {
  return {&events::kGranted, &events::kRevoked};
}

std::vector<const ErrorDef*> RolesModule::errors() const {
  return {&errors::kUnknownRole, &errors::kBadAddress, &errors::kNotAdmin,  &errors::kAlreadyHeld,
          &errors::kNotHeld,     &errors::kLastAdmin,  &errors::kBadGenesis};
}

std::unique_ptr<ledger::Module> make_roles_module() {
  return std::make_unique<RolesModule>();
}

}  // namespace btt::modules::roles

// btt-cli roles ...: grant and revoke roles (doc/roles.md); the sender must hold role_admin.
#include "app/cli/commands.h"

namespace btt::cli {

namespace {

struct RoleOptions {
  std::string role;
  std::string address;
};

// One tx command per roles message: both take --role and --address.
template <typename Fill>
void add_role_tx(Commands& cmds, CLI::App* group, const char* name, const char* help,
                 const char* kind, Fill fill) {
  cmds.add_tx(group, name, help, {kind},
              [fill](CLI::App* sub, const CommonTxOptions&) -> BuildMessages {
                auto o = std::make_shared<RoleOptions>();
                sub->add_option("--role", o->role, "Role name (doc/roles.md)")->required();
                sub->add_option("--address", o->address, "Account (btt1...)")->required();
                return [o, fill] {
                  v1::Message m;
                  fill(m, *o);
                  return std::vector<v1::Message>{m};
                };
              });
}

void register_roles(Commands& cmds) {
  auto* g = cmds.group("roles", "Grant and revoke roles (doc/roles.md)");
  add_role_tx(cmds, g, "grant", "Grant a role to an account (role_admin only)", "grant_role",
              [](v1::Message& m, const RoleOptions& o) {
                m.mutable_grant_role()->set_role(o.role);
                m.mutable_grant_role()->set_address(o.address);
              });
  add_role_tx(cmds, g, "revoke", "Revoke a role from an account (role_admin only)", "revoke_role",
              [](v1::Message& m, const RoleOptions& o) {
                m.mutable_revoke_role()->set_role(o.role);
                m.mutable_revoke_role()->set_address(o.address);
              });
}

const CommandFile kRoles{60, &register_roles};

}  // namespace

}  // namespace btt::cli

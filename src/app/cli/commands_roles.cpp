// btt-cli roles ...: grant and revoke roles (doc/roles.md; the sender must hold role_admin), and
// the queries of btt.v1.Roles: list, get, account.
#include "app/cli/commands.h"
#include "btt/v1/roles.grpc.pb.h"

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

// A query of btt.v1.Roles printed with the generic printer.
template <typename Request, typename Response>
int query(Context& ctx,
          grpc::Status (v1::Roles::Stub::*method)(grpc::ClientContext*, const Request&, Response*),
          const Request& req) {
  auto stub = v1::Roles::NewStub(ctx.client().channel());
  return print_record(ctx, ctx.client().unary(*stub, method, req));
}

void register_roles(Commands& cmds) {
  auto* g = cmds.group("roles", "Roles and their holders; grant and revoke (doc/roles.md)");
  cmds.add(g, "list", "Every known role with its holders", CommandKind::kQuery,
           [&cmds](CLI::App*) -> Action {
             return [&cmds] {
               return query(cmds.ctx(), &v1::Roles::Stub::ListRoles, v1::ListRolesRequest());
             };
           });
  cmds.add(
      g, "get", "One role: its holders and their grants (height, by whom)", CommandKind::kQuery,
      [&cmds](CLI::App* sub) -> Action {
        auto role = std::make_shared<std::string>();
        sub->add_option("role", *role, "Role name, e.g. role_admin (doc/roles.md)")->required();
        return [&cmds, role] {
          v1::GetRoleRequest req;
          req.set_role(*role);
          return query(cmds.ctx(), &v1::Roles::Stub::GetRole, req);
        };
      });
  cmds.add(g, "account", "The roles an account holds", CommandKind::kQuery,
           [&cmds](CLI::App* sub) -> Action {
             auto address = std::make_shared<std::string>();
             sub->add_option("address", *address, "Account (btt1...)")->required();
             return [&cmds, address] {
               v1::GetAccountRolesRequest req;
               req.set_address(parse_address(*address, "ADDRESS"));
               return query(cmds.ctx(), &v1::Roles::Stub::GetAccountRoles, req);
             };
           });
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

// Roles genesis: "modules": {"roles": {"grants": [{"role": "role_admin", "address": "btt1..."},
// ...]}} (doc/roles.md "Genesis"). The section is RolesGenesis in protobuf JSON; an export writes
// the same form with every record's granted_height and granted_by.
#include <set>

#include <nlohmann/json.hpp>

#include "btt/ledger/proto_json.h"
#include "btt/modules/roles/errors.h"
#include "keeper.h"
#include "module.h"

namespace btt::modules::roles {
namespace {

Result<v1::RolesGenesis> parse(const nlohmann::json& section) {
  v1::RolesGenesis out;
  if (section.is_null()) return out;
  if (!section.is_object()) return Status(errors::kBadGenesis, "modules.roles: must be an object");
  if (auto parsed = ledger::json_to_proto(section, out); !parsed) {
    return Status(errors::kBadGenesis, "modules.roles: " + parsed.message());
  }
  std::set<std::pair<std::string, std::string>> seen;
  for (int i = 0; i < out.grants_size(); ++i) {
    const auto& g = out.grants(i);
    const std::string where = "modules.roles.grants[" + std::to_string(i) + "]";
    if (!is_known_role(g.role())) {
      return Status(errors::kBadGenesis, where + ": '" + excerpt(g.role()) + "' is not a role");
    }
    auto a = crypto::Address::parse(g.address());
    if (!a) {
      return Status(errors::kBadGenesis,
                    where + ": '" + excerpt(g.address()) + "' is not a btt address");
    }
    if (!g.granted_by().empty() && !crypto::Address::parse(g.granted_by())) {
      return Status(errors::kBadGenesis, where + ": granted_by is not a btt address");
    }
    if (!seen.emplace(g.role(), a->to_string()).second) {
      return Status(errors::kBadGenesis,
                    where + ": " + g.role() + " granted twice to " + a->to_string());
    }
  }
  return out;
}

}  // namespace

Status RolesModule::validate_genesis(const nlohmann::json& section,
                                     const ledger::GenesisInfo&) const {
  return parse(section).status();
}

Status RolesModule::init_genesis(const nlohmann::json& section, const ledger::GenesisInfo&,
                                 ledger::BlockContext& ctx) {
  auto g = parse(section);
  if (!g) return g.status();
  RolesKeeper keeper(ctx.state, ctx.events);
  for (auto grant : g->grants()) {
    const auto account = *crypto::Address::parse(grant.address());
    grant.set_address(account.to_string());  // canonical form
    keeper.put(grant, account);
  }
  return Status::ok();
}

Result<nlohmann::json> RolesModule::export_genesis(const ledger::StateReader& state) const {
  v1::RolesGenesis out;
  for (auto& g : RolesView(state).all_grants()) *out.add_grants() = std::move(g);
  return ledger::proto_to_json(out);
}

}  // namespace btt::modules::roles

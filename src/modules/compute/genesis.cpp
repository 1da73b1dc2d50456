// Compute genesis: the section is the compute params (doc/compute.md "Parameters"); its
// `attesters` become holders of the roles module's compute_attester role, which is what
// MsgAttestEnergy checks, so the stored params keep none.
#include <nlohmann/json.hpp>

#include "btt/modules/compute/params.h"
#include "btt/modules/roles/roles.h"
#include "keeper.h"
#include "module.h"

namespace btt::modules::compute {

Status ComputeModule::validate_genesis(const nlohmann::json& section,
                                       const ledger::GenesisInfo&) const {
  return parse_params(section).status();
}

Status ComputeModule::init_genesis(const nlohmann::json& section, const ledger::GenesisInfo&,
                                   ledger::BlockContext& ctx) {
  auto p = parse_params(section);
  if (!p) return p.status();
  for (const auto& a : p->attesters()) {
    roles::grant_at_genesis(ctx.state, ctx.events, roles::kComputeAttester,
                            *crypto::Address::parse(a));  // parse_params checked it
  }
  p->clear_attesters();
  ComputeKeeper(ctx.state, ctx.locks, ctx.block, ctx.events).init(*p);
  return Status::ok();
}

Result<nlohmann::json> ComputeModule::export_genesis(const ledger::StateReader&) const {
  // The section holds params only; nodes, jobs and epochs of a running chain have no form in it
  // yet (doc/modules.md "Status").
  return Status(Code::kInternal, "compute: genesis export is not built yet");
}

}  // namespace btt::modules::compute

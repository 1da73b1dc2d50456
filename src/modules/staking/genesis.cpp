// Staking genesis (doc/staking.md "Genesis"): "modules.staking" = StakingGenesis in protobuf
// JSON. Absent: staking is off, and the validator set stays the genesis set. Present: every
// genesis validator is a staking validator from block 1, its self stake taken from its
// operator's genesis balance, and its power in the top-level list must be
// self_stake / power_unit.
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "btt/ledger/proto_json.h"
#include "btt/modules/staking/errors.h"
#include "keeper.h"
#include "module.h"

namespace btt::modules::staking {
namespace {

Status bad(const std::string& what) {
  return {errors::kBadGenesis, "staking: " + what};
}

Result<v1::StakingGenesis> parse(const nlohmann::json& section, const ledger::GenesisInfo& info) {
  v1::StakingGenesis g;
  if (!section.is_object()) return bad("the section must be an object");
  // Params fields left out take their defaults (an explicit 0 stays 0).
  auto merged = section;
  auto params_json = ledger::proto_to_json(default_params());
  if (!params_json) return params_json.status();
  if (section.contains("params")) {
    if (!section["params"].is_object()) return bad("params must be an object");
    params_json->update(section["params"]);
  }
  merged["params"] = *params_json;
  if (auto s = ledger::json_to_proto(merged, g); !s) return bad(s.message());
  const v1::StakingParams& params = g.params();
  if (auto s = validate_params(params); !s) return s;
  std::map<std::string, const v1::Validator*> genesis_set;
  for (const auto& v : info.validators) genesis_set[v.address()] = &v;
  std::set<std::string> seen;
  for (int i = 0; i < g.validators_size(); ++i) {
    const auto& v = g.validators(i);
    const std::string where = "validators[" + std::to_string(i) + "]";
    auto it = genesis_set.find(v.address());
    if (it == genesis_set.end()) {
      return bad(where + ": '" + excerpt(v.address()) + "' is not a validator of the genesis file");
    }
    if (!seen.insert(v.address()).second) return bad(where + ": " + v.address() + " twice");
    if (!crypto::Address::parse(v.operator_())) return bad(where + ".operator: not a btt address");
    if (v.self_stake() < params.min_self_stake()) {
      return bad(where + ".self_stake: below min_self_stake " +
                 std::to_string(params.min_self_stake()));
    }
    if (v.self_stake() / params.power_unit() != it->second->power()) {
      return bad(where + ": power " + std::to_string(it->second->power()) +
                 " in the validators list, but self_stake / power_unit is " +
                 std::to_string(v.self_stake() / params.power_unit()));
    }
    if (v.max_commission_bps() > 10'000 || v.commission_bps() > v.max_commission_bps() ||
        v.max_change_bps_per_day() > v.max_commission_bps()) {
      return bad(where +
                 ": need commission <= max_commission <= 10000 bps and "
                 "max_change_per_day <= max_commission");
    }
  }
  if (seen.size() != genesis_set.size()) {
    return bad("every genesis validator needs an entry (" + std::to_string(seen.size()) + " of " +
               std::to_string(genesis_set.size()) + ")");
  }
  return g;
}

}  // namespace

Status StakingModule::validate_genesis(const nlohmann::json& section,
                                       const ledger::GenesisInfo& info) const {
  if (section.is_null()) return Status::ok();
  return parse(section, info).status();
}

Status StakingModule::init_genesis(const nlohmann::json& section, const ledger::GenesisInfo& info,
                                   ledger::BlockContext& ctx) {
  if (section.is_null()) return Status::ok();
  auto g = parse(section, info);
  if (!g) return g.status();
  StakingKeeper keeper(ctx.state, ctx.events, ctx.locks, ctx.block);
  keeper.set_params(g->params());
  std::map<std::string, std::string> keys;
  for (const auto& v : info.validators) keys[v.address()] = v.public_key();
  for (const auto& v : g->validators()) {
    auto key = crypto::public_key_from_bytes(keys[v.address()]);
    if (auto s = keeper.create_genesis_validator(v, *key); !s) {
      return Status(s.code(), "staking: validator " + v.address() + ": " + s.message());
    }
  }
  keeper.adopt_genesis_set();
  return Status::ok();
}

Result<nlohmann::json> StakingModule::export_genesis(const ledger::StateReader& state) const {
  if (!enabled(state)) return nlohmann::json();
  // Delegations, entries and reward accumulators have no genesis form yet (doc/staking.md
  // "Not built yet").
  return Status(Code::kInternal, "staking: genesis export of a staking chain is not built yet");
}

}  // namespace btt::modules::staking

// Compute genesis, in two forms. A new chain's section is the compute params (doc/compute.md
// "Parameters"); its `attesters` become holders of the roles module's compute_attester role,
// which is what MsgAttestEnergy checks, so the stored params keep none. A running chain's export
// is {"state": ComputeGenesisState}: every node, job, schedule and epoch record as it stands
// (doc/compute.md "Genesis export").
#include <set>

#include <nlohmann/json.hpp>

#include "btt/ledger/proto_json.h"
#include "btt/modules/compute/params.h"
#include "btt/modules/roles/roles.h"
#include "keeper.h"
#include "module.h"

namespace btt::modules::compute {
namespace {

bool is_state_form(const nlohmann::json& section) {
  return section.is_object() && section.contains("state");
}

Status bad_state(const std::string& what) {
  return {Code::kInvalidArgument, "compute.state: " + what};
}

// Addresses in the state form are canonical (lower case), as the module writes them.
bool canonical(const std::string& text) {
  auto a = crypto::Address::parse(text);
  return a && a->to_string() == text;
}

Result<v1::ComputeGenesisState> parse_state(const nlohmann::json& section) {
  if (section.size() != 1) return bad_state("the exported form holds \"state\" and nothing else");
  v1::ComputeGenesisState st;
  if (auto s = ledger::json_to_proto(section["state"], st); !s) return bad_state(s.message());
  if (auto s = validate_params(st.params()); !s) return bad_state("params: " + s.message());
  if (st.params().attesters_size() > 0) {
    return bad_state("params.attesters: attesters are roles (modules.roles), not params");
  }
  std::set<std::string> nodes;
  for (const auto& n : st.nodes()) {
    if (!canonical(n.operator_()) || !nodes.insert(n.operator_()).second) {
      return bad_state("nodes: '" + excerpt(n.operator_()) + "' is not a new canonical address");
    }
  }
  std::set<uint64_t> jobs;
  for (const auto& j : st.jobs()) {
    if (j.id() == 0 || j.id() >= st.next_job() || !jobs.insert(j.id()).second) {
      return bad_state("jobs: id " + std::to_string(j.id()) + " is zero, repeated or not below " +
                       "next_job " + std::to_string(st.next_job()));
    }
    if (!canonical(j.provider())) return bad_state("jobs[" + std::to_string(j.id()) + "].provider");
  }
  auto known_job = [&](uint64_t id, const char* where) -> Status {
    if (!jobs.count(id)) return bad_state(std::string(where) + ": no job " + std::to_string(id));
    return Status::ok();
  };
  auto known_node = [&](const std::string& node, const char* where) -> Status {
    if (!nodes.count(node))
      return bad_state(std::string(where) + ": no node '" + excerpt(node) + "'");
    return Status::ok();
  };
  for (const auto& e : st.node_jobs()) {
    if (auto s = known_node(e.node(), "node_jobs"); !s) return s;
    if (auto s = known_job(e.job(), "node_jobs"); !s) return s;
  }
  for (const auto& e : st.bans()) {
    if (!canonical(e.provider())) return bad_state("bans: provider is not a canonical address");
    if (!canonical(e.node())) return bad_state("bans: node is not a canonical address");
  }
  for (const auto& e : st.unbonds()) {
    if (auto s = known_node(e.node(), "unbonds"); !s) return s;
  }
  for (const auto& e : st.due()) {
    if (auto s = known_job(e.job(), "due"); !s) return s;
  }
  for (const auto& e : st.epoch_stats()) {
    if (!canonical(e.address())) return bad_state("epoch_stats: not a canonical address");
  }
  for (const auto& r : st.rewards()) {
    if (!canonical(r.node())) return bad_state("rewards: node is not a canonical address");
  }
  for (const auto& m : st.stats()) {
    if (m.accelerator_kind().empty()) return bad_state("stats: an empty accelerator kind");
  }
  return st;
}

}  // namespace

Status ComputeModule::validate_genesis(const nlohmann::json& section,
                                       const ledger::GenesisInfo&) const {
  if (is_state_form(section)) return parse_state(section).status();
  return parse_params(section).status();
}

Status ComputeModule::init_genesis(const nlohmann::json& section, const ledger::GenesisInfo&,
                                   ledger::BlockContext& ctx) {
  if (is_state_form(section)) {
    auto st = parse_state(section);
    if (!st) return st.status();
    ComputeKeeper(ctx.state, ctx.locks, ctx.block, ctx.events).import_state(*st);
    return Status::ok();
  }
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

Result<nlohmann::json> ComputeModule::export_genesis(const ledger::StateReader& state) const {
  auto j = ledger::proto_to_json(ComputeView(state).genesis_state());
  if (!j) return j.status();
  return nlohmann::json{{"state", std::move(*j)}};
}

}  // namespace btt::modules::compute

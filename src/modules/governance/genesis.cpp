// Governance genesis (doc/governance.md "Genesis"), in two forms. A new chain's section is
// {"params": GovernanceParams} in protobuf JSON (fields left out take their defaults). A running
// chain's export is {"state": GovernanceGenesisState}: every record under "gov/", checked
// against the deposits account of the file. Absent: governance is off.
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "btt/ledger/genesis_section.h"
#include "btt/ledger/proto_json.h"
#include "btt/modules/governance/errors.h"
#include "handlers.h"
#include "keeper.h"
#include "keys.h"
#include "module.h"

namespace btt::modules::governance {
namespace {

Status bad(const std::string& what) {
  return {errors::kBadGenesis, "governance: " + what};
}

bool active(v1::ProposalStatus s) {
  return s == v1::PROPOSAL_STATUS_DEPOSIT_PERIOD || s == v1::PROPOSAL_STATUS_VOTING_PERIOD ||
         s == v1::PROPOSAL_STATUS_TALLYING;
}

Result<v1::GovernanceParams> parse_params(const nlohmann::json& section) {
  return ledger::parse_params_section(section, default_params(), validate_params, bad);
}

Result<v1::GovernanceGenesisState> parse_state(const nlohmann::json& section,
                                               const ledger::GenesisInfo& info) {
  v1::GovernanceGenesisState st;
  if (auto s = ledger::parse_state_section(section, st, bad); !s) return s;
  if (auto s = validate_params(st.params()); !s) return s;
  std::map<uint64_t, const v1::ProposalRecord*> proposals;
  for (const auto& p : st.proposals()) {
    if (p.id() == 0 || p.id() >= std::max<uint64_t>(1, st.next_proposal_id())) {
      return bad("proposal " + std::to_string(p.id()) + " is not below next_proposal_id");
    }
    if (!proposals.emplace(p.id(), &p).second)
      return bad("proposal " + std::to_string(p.id()) + " twice");
    for (int i = 0; i < p.actions_size(); ++i) {
      if (auto s = check_action(p.actions(i), i); !s)
        return bad("proposal " + std::to_string(p.id()) + ": " + s.message());
    }
  }
  uint64_t held = 0;
  for (const auto& d : st.deposits()) {
    auto it = proposals.find(d.proposal_id());
    if (it == proposals.end())
      return bad("a deposit of unknown proposal " + std::to_string(d.proposal_id()));
    if (!crypto::Address::parse(d.depositor()))
      return bad("a deposit's depositor is not an address");
    if (active(it->second->status())) held += d.amount();
  }
  for (const auto& v : st.votes()) {
    if (!proposals.count(v.proposal_id()))
      return bad("a vote on unknown proposal " + std::to_string(v.proposal_id()));
    if (!crypto::Address::parse(v.voter())) return bad("a vote's voter is not an address");
  }
  for (const auto& d : st.deductions()) {
    if (!crypto::Address::parse(d.validator()))
      return bad("a deduction's validator is not an address");
  }
  for (const auto& s : st.streams()) {
    if (!crypto::Address::parse(s.recipient()))
      return bad("a stream's recipient is not an address");
  }
  for (const auto& a : st.foundation_acts()) {
    if (!crypto::Address::parse(a.sender()))
      return bad("a Foundation act's sender is not an address");
  }
  std::set<std::string> applied;
  for (const auto& u : st.applied_upgrades()) {
    if (!upgrade_name_ok(u.name()) || !applied.insert(u.name()).second) {
      return bad("an applied upgrade's name is not a plan name, or twice");
    }
  }
  const uint64_t balance = info.balance(deposits_address(), ledger::kNativeAsset);
  if (balance != held) {
    return bad("the deposits account holds " + std::to_string(balance) +
               ", the open proposals' deposits sum to " + std::to_string(held));
  }
  return st;
}

}  // namespace

Status GovernanceModule::validate_genesis(const nlohmann::json& section,
                                          const ledger::GenesisInfo& info) const {
  if (section.is_null()) return Status::ok();
  if (!section.is_object()) return bad("the section must be an object");
  if (ledger::is_exported_section(section)) {
    auto st = parse_state(section, info);
    return st ? Status::ok() : st.status();
  }
  auto p = parse_params(section);
  return p ? Status::ok() : p.status();
}

Status GovernanceModule::init_genesis(const nlohmann::json& section,
                                      const ledger::GenesisInfo& info, ledger::BlockContext& ctx) {
  if (section.is_null()) return Status::ok();
  GovernanceKeeper keeper(ctx.state, ctx.events, ctx.locks, ctx.block, setter_.get());
  if (ledger::is_exported_section(section)) {
    auto st = parse_state(section, info);
    if (!st) return st.status();
    keeper.import_state(*st);
    return Status::ok();
  }
  auto p = parse_params(section);
  if (!p) return p.status();
  keeper.set_params(*p);
  return Status::ok();
}

Result<nlohmann::json> GovernanceModule::export_genesis(const ledger::StateReader& state) const {
  if (!state.get(keys::params())) return nlohmann::json();
  auto j = ledger::proto_to_json(GovernanceView(state).genesis_state());
  if (!j) return j.status();
  return nlohmann::json{{"state", std::move(*j)}};
}

}  // namespace btt::modules::governance

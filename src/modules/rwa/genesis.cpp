// RWA genesis (doc/rwa.md "Genesis"), in two forms. A new chain's section is
// {"params": RwaParams} in protobuf JSON (fields left out take their defaults). A running
// chain's export is {"state": RwaGenesisState}: every record under "rwa/", checked against the
// balances of the file (each asset's supply, the distributions account). Absent: RWA is off.
#include <map>

#include <nlohmann/json.hpp>

#include "btt/ledger/genesis_section.h"
#include "btt/ledger/proto_json.h"
#include "btt/modules/rwa/errors.h"
#include "btt/modules/rwa/view.h"
#include "keeper.h"
#include "keys.h"
#include "module.h"

namespace btt::modules::rwa {
namespace {

Status bad(const std::string& what) {
  return {errors::kBadGenesis, "rwa: " + what};
}

bool addr_ok(const std::string& a) {
  return crypto::Address::parse(a).has_value();
}

Result<v1::RwaParams> parse_params(const nlohmann::json& section) {
  return ledger::parse_params_section(section, default_params(), validate_params, bad);
}

Result<v1::RwaGenesisState> parse_state(const nlohmann::json& section,
                                        const ledger::GenesisInfo& info) {
  v1::RwaGenesisState st;
  if (auto s = ledger::parse_state_section(section, st, bad); !s) return s;
  if (auto s = validate_params(st.params()); !s) return s;
  for (const auto& c : st.claims()) {
    if (!addr_ok(c.account())) return bad("a claim's account is not an address");
  }
  std::map<std::string, const v1::RwaAssetRecord*> assets;
  for (const auto& a : st.assets()) {
    if (!is_rwa_asset(a.asset()) || !ledger::is_valid_asset_name(a.asset()) ||
        !addr_ok(a.issuer()) || !assets.emplace(a.asset(), &a).second) {
      return bad("asset '" + excerpt(a.asset()) + "' has a bad name or issuer, or is repeated");
    }
    if (info.account_total(a.asset()) != a.supply() ||
        a.supply() != a.total_fractions() - std::min(a.total_fractions(), a.redeemed())) {
      return bad("the accounts' " + a.asset() + " do not sum to its supply");
    }
  }
  auto known = [&](const std::string& asset) { return assets.count(asset) == 1; };
  for (const auto& d : st.documents()) {
    if (!known(d.asset())) return bad("a document of an unknown asset");
  }
  for (const auto& a : st.agents()) {
    if (!known(a.asset()) || !addr_ok(a.agent())) return bad("an agent is malformed");
  }
  for (const auto& f : st.freezes()) {
    if (!known(f.asset()) || !addr_ok(f.account())) return bad("a freeze is malformed");
  }
  for (const auto& a : st.appraisals()) {
    if (!known(a.asset())) return bad("an appraisal of an unknown asset");
  }
  std::map<std::string, uint64_t> owed;
  for (const auto& d : st.distributions()) {
    if (d.id() == 0 || d.id() >= std::max<uint64_t>(1, st.next_distribution_id()) ||
        !known(d.asset()) || !addr_ok(d.issuer()) || d.claimed() > d.amount()) {
      return bad("distribution " + std::to_string(d.id()) + " is malformed");
    }
    if (!d.reclaimed()) owed[d.pay_asset()] += d.amount() - d.claimed();
  }
  for (const auto& s : st.snapshots()) {
    if (!known(s.asset()) || !addr_ok(s.account())) return bad("a snapshot is malformed");
  }
  for (const auto& c : st.claimed()) {
    if (!addr_ok(c.account())) return bad("a claim of a distribution is malformed");
  }
  std::map<std::string, uint64_t> have;
  if (auto it = info.balances.find(distributions_address()); it != info.balances.end()) {
    for (const auto& [asset, amount] : it->second) {
      if (amount > 0) have[asset] = amount;
    }
  }
  std::erase_if(owed, [](const auto& kv) { return kv.second == 0; });
  if (have != owed) return bad("the distributions account's balances do not match");
  return st;
}

}  // namespace

void RwaKeeper::import_state(const v1::RwaGenesisState& st, const ledger::GenesisInfo& info) {
  init(st.params());
  auto put = [&](const Bytes& key, const auto& r) { state_.put(key, r.SerializeAsString()); };
  for (const auto& c : st.claims()) put(keys::claim(addr_of(c.account())), c);
  for (const auto& a : st.assets()) put(keys::asset(a.asset()), a);
  for (const auto& d : st.documents()) put(keys::document(d.asset(), d.name()), d);
  for (const auto& a : st.agents()) put(keys::agent(a.asset(), addr_of(a.agent())), a);
  for (const auto& f : st.freezes()) put(keys::freeze(f.asset(), addr_of(f.account())), f);
  for (const auto& a : st.appraisals()) put(keys::appraisal(a.asset(), a.seq()), a);
  for (const auto& d : st.distributions()) {
    put(keys::distribution(d.id()), d);
    state_.put(keys::distribution_of(d.asset(), d.id()), "");
    if (!d.reclaimed()) state_.put(keys::distribution_expiry(d.expiry_ms(), d.id()), "");
  }
  for (const auto& s : st.snapshots()) {
    ledger::write_u64(state_, keys::snapshot(s.asset(), addr_of(s.account()), s.epoch()),
                      s.balance());
  }
  for (const auto& c : st.claimed()) {
    ledger::write_u64(state_, keys::claimed(c.distribution_id(), addr_of(c.account())), c.amount());
  }
  if (st.next_distribution_id() > 0) {
    ledger::write_u64(state_, keys::next_id("distribution"), st.next_distribution_id());
  }
  // The holder index is rebuilt from the file's balances.
  for (const auto& [account, coins] : info.balances) {
    for (const auto& [asset, amount] : coins) {
      if (amount > 0 && is_rwa_asset(asset)) state_.put(keys::holder(asset, account), "");
    }
  }
}

Status RwaModule::validate_genesis(const nlohmann::json& section,
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

Status RwaModule::init_genesis(const nlohmann::json& section, const ledger::GenesisInfo& info,
                               ledger::BlockContext& ctx) {
  if (section.is_null()) return Status::ok();
  RwaKeeper keeper(ctx.state, ctx.events, ctx.locks, ctx.block);
  if (ledger::is_exported_section(section)) {
    auto st = parse_state(section, info);
    if (!st) return st.status();
    keeper.import_state(*st, info);
    return Status::ok();
  }
  auto p = parse_params(section);
  if (!p) return p.status();
  keeper.init(*p);
  return Status::ok();
}

Result<nlohmann::json> RwaModule::export_genesis(const ledger::StateReader& state) const {
  if (!enabled(state)) return nlohmann::json();
  auto j = ledger::proto_to_json(RwaView(state).genesis_state());
  if (!j) return j.status();
  return nlohmann::json{{"state", std::move(*j)}};
}

}  // namespace btt::modules::rwa

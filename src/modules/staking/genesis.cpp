// Staking genesis (doc/staking.md "Genesis"), in two forms. A new chain's section is
// StakingGenesis in protobuf JSON: every genesis validator is a staking validator from block 1,
// its self stake taken from its operator's genesis balance, and its power in the top-level list
// must be self_stake / power_unit. A running chain's export is {"state": StakingGenesisState}:
// every record under "stk/" as it stands, checked against itself and the pools of the file, with
// the queues and indexes rebuilt on import. Absent: staking is off, and the validator set stays
// the genesis set.
#include <map>
#include <set>
#include <tuple>

#include <nlohmann/json.hpp>

#include "btt/common/json_fields.h"
#include "btt/common/u128.h"
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

// --- the exported form -------------------------------------------------------------------

bool is_state_form(const nlohmann::json& section) {
  return section.is_object() && section.contains("state");
}

// Addresses in the state form are canonical (lower case), as the module writes them.
std::optional<crypto::Address> canonical(const std::string& text) {
  auto a = crypto::Address::parse(text);
  if (!a || a->to_string() != text) return std::nullopt;
  return a;
}

Status bad_state(const std::string& where, const std::string& what) {
  return bad("state." + where + ": " + what);
}

// An accumulator field: empty or 16 bytes.
Status check_u128(const std::string& bytes, const std::string& where) {
  if (!u128_from(bytes)) return bad_state(where, "a 128-bit field must be empty or 16 bytes");
  return Status::ok();
}

// The records of an exported state, checked against each other and the pools of the file; what
// the reward equalities say is checked once the state is written (check_invariants).
Result<v1::StakingGenesisState> parse_state(const nlohmann::json& section,
                                            const ledger::GenesisInfo& info) {
  if (auto s = json_fields::only_keys(section, "the exported section", {"state"}); !s) {
    return bad(s.message());
  }
  v1::StakingGenesisState st;
  if (auto s = ledger::json_to_proto(section["state"], st); !s) return bad("state: " + s.message());
  if (auto s = validate_params(st.params()); !s) return bad_state("params", s.message());

  std::map<std::string, const v1::ValidatorRecord*> validators;
  u128 bonded = 0, outstanding = 0;
  for (int i = 0; i < st.validators_size(); ++i) {
    const auto& v = st.validators(i);
    const std::string where = "validators[" + std::to_string(i) + "]";
    const auto addr = canonical(v.address());
    if (!addr) return bad_state(where + ".address", "not a canonical btt address");
    const auto key = crypto::public_key_from_bytes(v.consensus_key());
    if (!key || crypto::Address::from_public_key(*key) != *addr) {
      return bad_state(where + ".consensus_key", "not the key of " + v.address());
    }
    if (!canonical(v.operator_())) {
      return bad_state(where + ".operator", "not a canonical btt address");
    }
    if (!validators.emplace(v.address(), &v).second) {
      return bad_state(where + ".address", v.address() + " twice");
    }
    if ((v.shares() == 0) != (v.tokens() == 0)) {
      return bad_state(where + ".shares", "shares and tokens must be zero together");
    }
    if (v.max_commission_bps() > kBps || v.commission_bps() > v.max_commission_bps() ||
        v.max_change_bps_per_day() > v.max_commission_bps()) {
      return bad_state(where + ".commission_bps",
                       "need commission <= max_commission <= 10000 bps and "
                       "max_change_per_day <= max_commission");
    }
    for (const auto& [field, bytes] :
         {std::pair<const char*, const std::string*>{"global_checkpoint", &v.global_checkpoint()},
          {"missed_scaled", &v.missed_scaled()},
          {"reward_per_share", &v.reward_per_share()},
          {"owed_scaled", &v.owed_scaled()},
          {"dust_scaled", &v.dust_scaled()}}) {
      if (auto s = check_u128(*bytes, where + "." + field); !s) return s;
    }
    bonded += v.tokens();
    outstanding += v.outstanding();
  }
  auto known = [&](const std::string& text, const std::string& where) -> Status {
    if (!canonical(text)) return bad_state(where, "not a canonical btt address");
    if (!validators.count(text)) return bad_state(where, "no validator " + text);
    return Status::ok();
  };

  std::map<std::string, u128> shares;
  std::set<std::pair<std::string, std::string>> delegations;
  for (int i = 0; i < st.delegations_size(); ++i) {
    const auto& d = st.delegations(i);
    const std::string where = "delegations[" + std::to_string(i) + "]";
    if (auto s = known(d.validator(), where + ".validator"); !s) return s;
    if (!canonical(d.delegator())) {
      return bad_state(where + ".delegator", "not a canonical btt address");
    }
    if (!delegations.emplace(d.validator(), d.delegator()).second) {
      return bad_state(where, d.delegator() + " delegates to " + d.validator() + " twice");
    }
    if (d.shares() == 0) return bad_state(where + ".shares", "a delegation holds shares");
    if (auto s = check_u128(d.reward_start(), where + ".reward_start"); !s) return s;
    shares[d.validator()] += d.shares();
  }
  for (int i = 0; i < st.validators_size(); ++i) {
    const auto& v = st.validators(i);
    if (shares[v.address()] != v.shares()) {
      return bad_state("validators[" + std::to_string(i) + "].shares",
                       std::to_string(v.shares()) + ", but its delegations hold " +
                           u128_decimal(shares[v.address()]));
    }
  }

  u128 unbonding = 0;
  std::set<std::tuple<std::string, std::string, uint64_t>> entries;
  for (int i = 0; i < st.unbonding_size(); ++i) {
    const auto& e = st.unbonding(i);
    const std::string where = "unbonding[" + std::to_string(i) + "]";
    if (auto s = known(e.validator(), where + ".validator"); !s) return s;
    if (!canonical(e.delegator())) {
      return bad_state(where + ".delegator", "not a canonical btt address");
    }
    if (!entries.emplace(e.delegator(), e.validator(), e.creation_height()).second) {
      return bad_state(where, "a second entry of that delegator, validator and height");
    }
    if (e.balance() > e.initial_balance()) {
      return bad_state(where + ".balance", "above its initial_balance");
    }
    unbonding += e.balance();
  }
  std::set<std::tuple<std::string, std::string, uint64_t, std::string>> moved;
  for (int i = 0; i < st.redelegations_size(); ++i) {
    const auto& e = st.redelegations(i);
    const std::string where = "redelegations[" + std::to_string(i) + "]";
    if (auto s = known(e.from_validator(), where + ".from_validator"); !s) return s;
    if (auto s = known(e.to_validator(), where + ".to_validator"); !s) return s;
    if (!canonical(e.delegator())) {
      return bad_state(where + ".delegator", "not a canonical btt address");
    }
    if (!moved.emplace(e.delegator(), e.to_validator(), e.creation_height(), e.from_validator())
             .second) {
      return bad_state(where, "a second entry of that delegator, pair and height");
    }
  }
  for (int i = 0; i < st.chosen_set().validators_size(); ++i) {
    const auto& v = st.chosen_set().validators(i);
    const std::string where = "chosen_set.validators[" + std::to_string(i) + "]";
    if (auto s = known(v.address(), where + ".address"); !s) return s;
    if (validators[v.address()]->consensus_key() != v.public_key()) {
      return bad_state(where + ".public_key", "not the consensus key of " + v.address());
    }
  }
  std::set<std::pair<uint64_t, std::string>> changes;
  for (int i = 0; i < st.power_changes_size(); ++i) {
    const auto& c = st.power_changes(i);
    const std::string where = "power_changes[" + std::to_string(i) + "]";
    if (auto s = known(c.validator(), where + ".validator"); !s) return s;
    if (!changes.emplace(c.height(), c.validator()).second) {
      return bad_state(where, "a second change of that validator and height");
    }
  }
  const auto& dist = st.distribution();
  if (auto s = check_u128(dist.global_per_power(), "distribution.global_per_power"); !s) return s;
  if (auto s = check_u128(dist.owed_scaled(), "distribution.owed_scaled"); !s) return s;
  if (auto s = check_u128(dist.dust_scaled(), "distribution.dust_scaled"); !s) return s;
  if (outstanding != dist.total_outstanding()) {
    return bad_state("distribution.total_outstanding", std::to_string(dist.total_outstanding()) +
                                                           ", but the validators hold " +
                                                           u128_decimal(outstanding));
  }
  std::set<std::pair<std::string, uint64_t>> locks;
  for (int i = 0; i < st.locks_size(); ++i) {
    const auto& l = st.locks(i);
    const std::string where = "locks[" + std::to_string(i) + "]";
    if (!canonical(l.owner())) return bad_state(where + ".owner", "not a canonical btt address");
    if (l.id() == 0 || l.id() >= st.next_lock() || !locks.emplace(l.owner(), l.id()).second) {
      return bad_state(where + ".id", std::to_string(l.id()) +
                                          " is zero, repeated or not below next_lock " +
                                          std::to_string(st.next_lock()));
    }
    if (l.amount() == 0 || l.end_ms() < l.start_ms()) {
      return bad_state(where, "a lock holds an amount and ends after it starts");
    }
  }
  std::map<std::string, uint64_t> missed;
  std::set<std::pair<uint64_t, std::string>> misses;
  for (int i = 0; i < st.misses_size(); ++i) {
    const auto& m = st.misses(i);
    const std::string where = "misses[" + std::to_string(i) + "]";
    if (auto s = known(m.validator(), where + ".validator"); !s) return s;
    if (!misses.emplace(m.height(), m.validator()).second) {
      return bad_state(where, "a second miss of that validator and height");
    }
    ++missed[m.validator()];
  }
  for (int i = 0; i < st.validators_size(); ++i) {
    const auto& v = st.validators(i);
    if (missed[v.address()] != v.missed_blocks()) {
      return bad_state("validators[" + std::to_string(i) + "].missed_blocks",
                       std::to_string(v.missed_blocks()) + ", but misses lists " +
                           std::to_string(missed[v.address()]));
    }
  }
  // The validators of the file's first block are staking validators with those keys.
  for (const auto& g : info.validators) {
    auto it = validators.find(g.address());
    if (it == validators.end() || it->second->consensus_key() != g.public_key()) {
      return bad("state.validators: the genesis validator " + excerpt(g.address()) +
                 " is not one of them with its key");
    }
  }
  // The pools hold exactly what the records say they hold.
  const uint64_t bonded_pool = info.balance(bonded_pool_address(), ledger::kNativeAsset);
  if (bonded_pool != bonded) {
    return bad("state.validators: their tokens sum to " + u128_decimal(bonded) +
               ", the bonded pool account holds " + std::to_string(bonded_pool));
  }
  const uint64_t unbonding_pool = info.balance(unbonding_pool_address(), ledger::kNativeAsset);
  if (unbonding_pool != unbonding) {
    return bad("state.unbonding: the entries hold " + u128_decimal(unbonding) +
               ", the unbonding pool account holds " + std::to_string(unbonding_pool));
  }
  const uint64_t rewards = info.balance(rewards_pool_address(), ledger::kNativeAsset);
  if (static_cast<u128>(rewards) * kRewardScale !=
      static_cast<u128>(dist.total_outstanding()) * kRewardScale + *u128_from(dist.owed_scaled()) +
          *u128_from(dist.dust_scaled())) {
    return bad("state.distribution: the rewards pool account holds " + std::to_string(rewards) +
               ", not total_outstanding + owed + dust exactly");
  }
  return st;
}

}  // namespace

Status StakingModule::validate_genesis(const nlohmann::json& section,
                                       const ledger::GenesisInfo& info) const {
  if (section.is_null()) return Status::ok();
  if (is_state_form(section)) return parse_state(section, info).status();
  return parse(section, info).status();
}

Status StakingModule::init_genesis(const nlohmann::json& section, const ledger::GenesisInfo& info,
                                   ledger::BlockContext& ctx) {
  if (section.is_null()) return Status::ok();
  if (is_state_form(section)) {
    auto st = parse_state(section, info);
    if (!st) return st.status();
    StakingKeeper(ctx.state, ctx.events, ctx.locks, ctx.block).import_state(*st);
    // The reward equalities and every other invariant hold, or the file is not a staking state.
    for (std::string_view violation : check_invariants(ctx.state)) {
      if (violation.starts_with("staking: ")) violation.remove_prefix(9);
      return bad("state: " + std::string(violation));
    }
    return Status::ok();
  }
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
  auto j = ledger::proto_to_json(StakingView(state).genesis_state());
  if (!j) return j.status();
  return nlohmann::json{{"state", std::move(*j)}};
}

}  // namespace btt::modules::staking

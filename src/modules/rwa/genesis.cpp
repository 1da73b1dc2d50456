// RWA genesis (doc/rwa.md "Genesis"), in two forms. A new chain's section is
// {"params": RwaParams} in protobuf JSON (fields left out take their defaults). A running
// chain's export is {"state": RwaGenesisState}: every record under "rwa/", checked against the
// balances of the file (each asset's supply, the distributions account). Absent: RWA is off.
#include <map>

#include <nlohmann/json.hpp>

#include "btt/common/checked.h"
#include "btt/ledger/genesis_section.h"
#include "btt/ledger/proto_json.h"
#include "btt/modules/rwa/errors.h"
#include "btt/modules/rwa/view.h"
#include "keeper.h"
#include "keys.h"
#include "market.h"
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

// The balances `info` gives `who`, without zeros.
std::map<std::string, uint64_t> balances_of(const ledger::GenesisInfo& info,
                                            const crypto::Address& who) {
  std::map<std::string, uint64_t> out;
  if (auto it = info.balances.find(who); it != info.balances.end()) {
    for (const auto& [asset, amount] : it->second) {
      if (amount > 0) out[asset] = amount;
    }
  }
  return out;
}

// Resting orders, pools and LP shares against the escrow and pools accounts of the file.
template <typename Known>
Status check_exchange(const v1::RwaGenesisState& st, const ledger::GenesisInfo& info,
                      const Known& known) {
  std::map<std::string, uint64_t> escrow;
  for (const auto& o : st.orders()) {
    if (o.id() == 0 || o.id() >= std::max<uint64_t>(1, st.next_order_id()) || !known(o.asset()) ||
        !addr_ok(o.owner()) || o.open() == 0 || o.open() > o.amount() || o.price() == 0 ||
        (o.side() != v1::ORDER_SIDE_BUY && o.side() != v1::ORDER_SIDE_SELL)) {
      return bad("order " + std::to_string(o.id()) + " is malformed");
    }
    if (o.side() == v1::ORDER_SIDE_BUY) {
      auto n = checked_mul(o.price(), o.open());
      if (!n) return bad("order " + std::to_string(o.id()) + " escrows past uint64");
      escrow[o.quote_asset()] += *n;
    }
  }
  if (balances_of(info, exchange_address()) != escrow) {
    return bad("the exchange account's balances are not the resting buys' escrow");
  }
  std::map<std::string, uint64_t> reserves;
  std::map<uint64_t, uint64_t> shares;
  for (const auto& p : st.pools()) {
    if (p.id() == 0 || p.id() >= std::max<uint64_t>(1, st.next_pool_id()) || !known(p.asset()) ||
        !addr_ok(p.manager()) || shares.count(p.id()) == 1 ||
        (p.shares() == 0) != (p.asset_reserve() == 0 && p.quote_reserve() == 0)) {
      return bad("pool " + std::to_string(p.id()) + " is malformed");
    }
    shares[p.id()] = 0;
    reserves[p.asset()] += p.asset_reserve();
    reserves[p.quote_asset()] += p.quote_reserve();
  }
  for (const auto& l : st.lp_positions()) {
    if (!addr_ok(l.account()) || l.shares() == 0 || shares.count(l.pool_id()) == 0) {
      return bad("an LP position is malformed");
    }
    shares[l.pool_id()] += l.shares();
  }
  for (const auto& p : st.pools()) {
    if (shares[p.id()] != p.shares()) {
      return bad("the LP positions of pool " + std::to_string(p.id()) + " miss its shares");
    }
  }
  std::erase_if(reserves, [](const auto& kv) { return kv.second == 0; });
  if (balances_of(info, pools_address()) != reserves) {
    return bad("the pools account's balances are not the pools' reserves");
  }
  return Status::ok();
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
  if (auto s = check_exchange(st, info, known); !s) return s;
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
  import_exchange(st);
  // The holder index is rebuilt from the file's balances.
  for (const auto& [account, coins] : info.balances) {
    for (const auto& [asset, amount] : coins) {
      if (amount > 0 && is_rwa_asset(asset)) state_.put(keys::holder(asset, account), "");
    }
  }
}

void RwaKeeper::import_exchange(const v1::RwaGenesisState& st) {
  for (const auto& o : st.orders()) {
    v1::OrderRecord rec = o;
    rec.set_open(0);  // the book entry holds it
    put_record(state_, keys::order(o.id()), rec);
    const auto owner = addr_of(o.owner());
    state_.put(keys::order_of(owner, o.id()), "");
    if (o.expiry_ms() != 0) state_.put(keys::order_expiry(o.expiry_ms(), o.id()), "");
    StateBookStore(state_, &state_, o.asset(), o.quote_asset(), 1)
        .insert({o.id(), owner, side_of(o.side()), o.price(), o.open(), tif_of(o.time_in_force()),
                 o.expiry_ms()});
    if (o.side() == v1::ORDER_SIDE_SELL) {
      add_counter(keys::on_book(o.asset(), owner), o.open());
    }
  }
  for (const auto& t : st.trades()) {
    put_record(state_, keys::trade(t.asset(), t.quote_asset(), t.id()), t);
  }
  for (const auto& p : st.pools()) {
    put_record(state_, keys::pool(p.id()), p);
    ledger::write_u64(state_, keys::pool_of(p.asset(), p.quote_asset()), p.id());
  }
  for (const auto& l : st.lp_positions()) {
    ledger::write_u64(state_, keys::lp(l.pool_id(), addr_of(l.account())), l.shares());
  }
  for (const auto& [name, next] : {std::pair<const char*, uint64_t>{"order", st.next_order_id()},
                                   {"trade", st.next_trade_id()},
                                   {"pool", st.next_pool_id()}}) {
    if (next > 0) ledger::write_u64(state_, keys::next_id(name), next);
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

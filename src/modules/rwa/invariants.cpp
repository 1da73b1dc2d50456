// RWA invariants (doc/rwa.md "Invariants"), checked after every tx in tests: per asset, the
// record's supply = the ledger's supply = the sum of balances = total_fractions less redeemed,
// the holder index is exactly the accounts with a balance, partial freezes stay within the
// balance; the distributions account holds exactly what open distributions have not paid.
#include <map>

#include "btt/ledger/ledger.h"
#include "btt/modules/rwa/view.h"
#include "keeper.h"
#include "keys.h"
#include "market.h"
#include "module.h"

namespace btt::modules::rwa {

std::vector<std::string> RwaModule::check_invariants(const ledger::StateReader& state) const {
  std::vector<std::string> out;
  if (!enabled(state)) return out;
  const ledger::Ledger ledger(state);
  const RwaView view(state);
  for (const auto& a : view.assets()) {
    const std::string& id = a.asset();
    if (a.total_fractions() < a.redeemed() || a.supply() != a.total_fractions() - a.redeemed()) {
      out.push_back("rwa: " + id + " supply " + std::to_string(a.supply()) +
                    " is not total_fractions less redeemed");
    }
    if (ledger.supply(id) != a.supply()) {
      out.push_back("rwa: the ledger supply of " + id + " is " + std::to_string(ledger.supply(id)) +
                    ", the record says " + std::to_string(a.supply()));
    }
    const auto sum = ledger.sum_balances(id);
    if (!sum || *sum != a.supply()) {
      out.push_back("rwa: the balances of " + id + " do not sum to its supply");
    }
    uint64_t indexed = 0;
    uint64_t holders = 0;
    for (const auto& h : view.holders(id)) {
      if (h.balance() == 0) out.push_back("rwa: " + h.account() + " is indexed without " + id);
      indexed += h.balance();
      if (h.account() != a.issuer() && !is_module_account(addr_of(h.account()))) ++holders;
    }
    if (indexed != a.supply()) out.push_back("rwa: the holder index of " + id + " misses balances");
    if (holders != a.holders()) {
      out.push_back("rwa: " + id + " counts " + std::to_string(a.holders()) + " holders, " +
                    std::to_string(holders) + " hold it");
    }
    for (const auto& f : view.freezes(id)) {
      if (!f.whole() && f.amount() > ledger.balance(addr_of(f.account()), id)) {
        out.push_back("rwa: " + f.account() + "'s freeze of " + id + " exceeds its balance");
      }
    }
  }
  std::map<std::string, uint64_t> owed;
  for (const auto& d : ledger::read_records<v1::DistributionRecord>(state, keys::distributions())) {
    if (d.claimed() > d.amount()) {
      out.push_back("rwa: distribution " + std::to_string(d.id()) + " paid past its amount");
      continue;
    }
    if (!d.reclaimed()) owed[d.pay_asset()] += d.amount() - d.claimed();
    if (d.reclaimed() == state.get(keys::distribution_expiry(d.expiry_ms(), d.id())).has_value()) {
      out.push_back("rwa: distribution " + std::to_string(d.id()) +
                    " is not in the expiry index exactly while open");
    }
  }
  for (const auto& b : ledger.balances(distributions_address())) {
    if (owed[b.asset()] != b.amount()) {
      out.push_back("rwa: the distributions account holds " + std::to_string(b.amount()) + " " +
                    b.asset() + ", open distributions owe " + std::to_string(owed[b.asset()]));
    }
    owed.erase(b.asset());
  }
  for (const auto& [asset, amount] : owed) {
    if (amount != 0) out.push_back("rwa: open distributions of " + asset + " without their funds");
  }
  check_exchange(state, out);
  return out;
}

// The exchange: every book entry has its order and index keys and back; the escrow account holds
// exactly the resting buys' price x open, per quote asset; on_book is each seller's resting
// sells; the pools account holds exactly the pools' reserves; LP positions sum to each pool's
// shares.
void RwaModule::check_exchange(const ledger::StateReader& state, std::vector<std::string>& out) {
  const ledger::Ledger ledger(state);
  std::map<std::string, uint64_t> escrow;
  std::map<std::pair<std::string, crypto::Address>, uint64_t> listed;
  size_t entries = 0;
  const Bytes books = keys::books();
  state.scan(books, [&](std::string_view, std::string_view) {
    ++entries;
    return true;
  });
  size_t orders = 0;
  for (const auto& rec : ledger::read_records<v1::OrderRecord>(state, keys::orders())) {
    ++orders;
    auto o = read_order(state, rec.id());
    if (!o || o->open() == 0) {
      out.push_back("rwa: order " + std::to_string(rec.id()) + " has no book entry");
      continue;
    }
    const auto owner = addr_of(o->owner());
    if (!state.get(keys::order_of(owner, o->id()))) {
      out.push_back("rwa: order " + std::to_string(o->id()) + " is not indexed by its owner");
    }
    if (o->expiry_ms() != 0 && !state.get(keys::order_expiry(o->expiry_ms(), o->id()))) {
      out.push_back("rwa: order " + std::to_string(o->id()) + " is not indexed by its expiry");
    }
    if (o->side() == v1::ORDER_SIDE_BUY) {
      escrow[o->quote_asset()] += o->price() * o->open();
    } else {
      listed[{o->asset(), owner}] += o->open();
    }
  }
  if (entries != orders) out.push_back("rwa: the book holds entries without orders");
  std::map<std::string, uint64_t> held;
  for (const auto& b : ledger.balances(exchange_address())) {
    if (b.amount() > 0) held[b.asset()] = b.amount();
  }
  if (held != escrow) out.push_back("rwa: the exchange account is not the resting buys' escrow");
  const Bytes ob = keys::on_book_all();
  size_t on_book_keys = 0;
  state.scan(ob, [&](std::string_view key, std::string_view value) {
    ++on_book_keys;
    ledger::KeyReader r(key.substr(ob.size()));
    std::string asset;
    crypto::Address who;
    uint64_t amount = 0;
    std::string_view in = value;
    if (!r.str(asset) || !r.addr(who) || !get_u64_be(in, amount) ||
        listed[{asset, who}] != amount || amount == 0) {
      out.push_back("rwa: on_book of " + who.to_string() + " is not its resting sells");
    }
    return true;
  });
  std::erase_if(listed, [](const auto& kv) { return kv.second == 0; });
  if (on_book_keys != listed.size()) out.push_back("rwa: resting sells without their on_book");
  std::map<std::string, uint64_t> reserves;
  std::map<uint64_t, uint64_t> shares;
  for (const auto& p : ledger::read_records<v1::PoolRecord>(state, keys::pools())) {
    reserves[p.asset()] += p.asset_reserve();
    reserves[p.quote_asset()] += p.quote_reserve();
    shares[p.id()] = p.shares();
    if ((p.shares() == 0) != (p.asset_reserve() == 0 && p.quote_reserve() == 0)) {
      out.push_back("rwa: pool " + std::to_string(p.id()) + " has reserves without shares");
    }
  }
  const Bytes lp = keys::lp_all();
  state.scan(lp, [&](std::string_view key, std::string_view value) {
    ledger::KeyReader r(key.substr(lp.size()));
    uint64_t id = 0;
    uint64_t n = 0;
    std::string_view in = value;
    if (!r.u64(id) || !get_u64_be(in, n) || n == 0 || shares.count(id) == 0 || shares[id] < n) {
      out.push_back("rwa: an LP position exceeds its pool's shares");
    } else {
      shares[id] -= n;
    }
    return true;
  });
  for (const auto& [id, left] : shares) {
    if (left != 0)
      out.push_back("rwa: the LP positions of pool " + std::to_string(id) + " miss shares");
  }
  std::erase_if(reserves, [](const auto& kv) { return kv.second == 0; });
  std::map<std::string, uint64_t> pooled;
  for (const auto& b : ledger.balances(pools_address())) {
    if (b.amount() > 0) pooled[b.asset()] = b.amount();
  }
  if (pooled != reserves) out.push_back("rwa: the pools account is not the pools' reserves");
}

}  // namespace btt::modules::rwa

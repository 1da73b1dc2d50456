// RWA invariants (doc/rwa.md "Invariants"), checked after every tx in tests: per asset, the
// record's supply = the ledger's supply = the sum of balances = total_fractions less redeemed,
// the holder index is exactly the accounts with a balance, partial freezes stay within the
// balance; the distributions account holds exactly what open distributions have not paid.
#include <map>

#include "btt/ledger/ledger.h"
#include "btt/modules/rwa/view.h"
#include "keeper.h"
#include "keys.h"
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
      if (h.account() != a.issuer()) ++holders;
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
  return out;
}

}  // namespace btt::modules::rwa

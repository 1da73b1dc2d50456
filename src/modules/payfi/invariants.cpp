// PayFi invariants (doc/payfi.md "Invariants"), checked after every block in tests: the module
// accounts hold exactly what the records owe, to the base unit, per asset; every payment asset's
// supply equals its minted less its burned; refunds never pass what was delivered.
#include <map>

#include "btt/ledger/ledger.h"
#include "btt/modules/payfi/view.h"
#include "keeper.h"
#include "keys.h"
#include "module.h"

namespace btt::modules::payfi {

std::vector<std::string> PayFiModule::check_invariants(const ledger::StateReader& state) const {
  std::vector<std::string> out;
  if (!enabled(state)) return out;
  const ledger::Ledger ledger(state);
  std::map<std::string, uint64_t> pending;  // per asset, from the pending balances
  const Bytes pre = keys::pending_all();
  state.scan(pre, [&](std::string_view key, std::string_view value) {
    ledger::KeyReader r(key.substr(pre.size()));
    crypto::Address payee;
    std::string_view in = value;
    uint64_t v = 0;
    if (!r.addr(payee) || !get_u64_be(in, v)) {
      out.push_back("payfi: unreadable pending entry");
      return true;
    }
    pending[std::string(r.rest())] += v;
    return true;
  });
  std::map<std::string, uint64_t> owed;  // per asset, from the unsettled payments
  for (const auto& p : ledger::read_records<v1::PaymentRecord>(state, keys::payments())) {
    if (p.refunded() > p.delivered()) {
      out.push_back("payfi: payment " + std::to_string(p.id()) + " refunded past its delivery");
    }
    if (settlement_id_of(state, p) == 0) owed[payee_asset(p)] += p.delivered() - p.refunded();
  }
  if (pending != owed) out.push_back("payfi: pending balances differ from unsettled payments");
  std::map<std::string, uint64_t> queued;  // per asset, from the settlement groups
  const Bytes queue = keys::queue();
  state.scan(queue, [&](std::string_view key, std::string_view value) {
    ledger::KeyReader r(key.substr(queue.size()));
    uint64_t cycle = 0;
    crypto::Address payee;
    if (!r.u64(cycle) || !r.addr(payee)) {
      out.push_back("payfi: unreadable settlement group key");
      return true;
    }
    const auto g = SettlementGroup::decode(value);
    if (g.refunded > g.gross) out.push_back("payfi: a settlement group refunded past its gross");
    queued[std::string(r.rest())] += g.gross - g.refunded;
    return true;
  });
  if (queued != owed) out.push_back("payfi: settlement groups differ from unsettled payments");
  for (const auto& [asset, amount] : pending) {
    if (ledger.balance(pending_address(), asset) != amount) {
      out.push_back("payfi: the pending account holds " +
                    std::to_string(ledger.balance(pending_address(), asset)) + " " + asset +
                    ", payees are owed " + std::to_string(amount));
    }
  }
  std::map<std::string, uint64_t> held;
  for (const auto& h : ledger::read_records<v1::HoldRecord>(state, keys::holds())) {
    if (h.captured() > h.amount()) {
      out.push_back("payfi: hold " + std::to_string(h.id()) + " captured past its amount");
    }
    if (h.status() == v1::HOLD_STATUS_OPEN) held[h.asset()] += h.amount() - h.captured();
  }
  for (const auto& b : ledger.balances(holds_address())) {
    if (held[b.asset()] != b.amount()) {
      out.push_back("payfi: the holds account holds " + std::to_string(b.amount()) + " " +
                    b.asset() + ", open holds reserve " + std::to_string(held[b.asset()]));
    }
    held.erase(b.asset());
  }
  for (const auto& [asset, amount] : held) {
    if (amount != 0) out.push_back("payfi: open holds of " + asset + " without their funds");
  }
  for (const auto& a : PayFiView(state).assets()) {
    const uint64_t burned = a.withdrawn() + a.clawed_back();
    if (a.minted() < burned || ledger.supply(a.asset()) != a.minted() - burned) {
      out.push_back("payfi: supply of " + a.asset() + " is " +
                    std::to_string(ledger.supply(a.asset())) + ", minted " +
                    std::to_string(a.minted()) + " less burned " + std::to_string(burned));
    }
    const auto sum = ledger.sum_balances(a.asset());
    if (!sum || *sum != ledger.supply(a.asset())) {
      out.push_back("payfi: the balances of " + a.asset() + " do not sum to its supply");
    }
  }
  return out;
}

}  // namespace btt::modules::payfi

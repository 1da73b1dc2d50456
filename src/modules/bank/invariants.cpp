// Bank invariants, checked after every tx in tests: every asset's balances sum to its recorded
// supply.
#include "module.h"

namespace btt::modules::bank {

std::vector<std::string> BankModule::check_invariants(const ledger::StateReader& state) const {
  std::vector<std::string> out;
  BankView view(state);
  ledger::Ledger l(state);
  for (const auto& info : view.assets()) {
    auto sum = l.sum_balances(info.asset());
    const uint64_t supply = view.supply(info.asset());
    if (!sum) {
      out.push_back("bank: balances of " + info.asset() + " overflow");
    } else if (*sum != supply) {
      out.push_back("bank: balances of " + info.asset() + " sum to " + std::to_string(*sum) +
                    " but supply is " + std::to_string(supply));
    }
  }
  return out;
}

}  // namespace btt::modules::bank

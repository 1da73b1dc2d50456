// Tokenomics invariants, checked after every tx in tests: the fixed supply is conserved (supply
// and balances plus burns), burns by source sum to the total, the emission paid matches the curve
// and the pool still holds the rest, and milestones sum to what their category approved.
#include "btt/common/amount.h"
#include "btt/common/checked.h"
#include "module.h"

namespace btt::modules::tokenomics {

std::vector<std::string> TokenomicsModule::check_invariants(
    const ledger::StateReader& state) const {
  std::vector<std::string> out;
  TokenomicsView view(state);
  auto params = view.params();
  if (!params) return out;  // a chain without tokenomics state (never from a valid genesis)
  ledger::Ledger l(state);
  const uint64_t burned = view.burned();
  const uint64_t supply = l.supply(ledger::kNativeAsset);
  if (checked_add(supply, burned) != params->fixed_supply()) {
    out.push_back("tokenomics: BTT supply " + std::to_string(supply) + " + burned " +
                  std::to_string(burned) + " != fixed supply " +
                  std::to_string(params->fixed_supply()));
  }
  auto balances = l.sum_balances(ledger::kNativeAsset);
  if (!balances || checked_add(*balances, burned) != params->fixed_supply()) {
    out.push_back(
        "tokenomics: BTT balances (pools and escrows included) + burned != fixed "
        "supply " +
        std::to_string(params->fixed_supply()));
  }
  uint64_t by_source = 0;
  for (const auto& b : view.burned_by_source()) {
    by_source = saturating_add(by_source, b.amount());
  }
  if (by_source != burned) {
    out.push_back("tokenomics: burns by source sum to " + std::to_string(by_source) +
                  ", burned total is " + std::to_string(burned));
  }
  for (const auto& c : view.categories()) {
    if (c.kind() == v1::CATEGORY_KIND_EMISSION) {
      const EmissionCurve curve = emission_of(c);
      const v1::EmissionState e = view.emission_state();
      const uint64_t expected =
          e.epochs_paid() == 0 ? 0 : curve.emitted_through(e.epochs_paid() - 1);
      if (e.paid() != expected || e.paid() > c.amount()) {
        out.push_back("tokenomics: emission paid " + std::to_string(e.paid()) + " for " +
                      std::to_string(e.epochs_paid()) + " epochs, the curve says " +
                      std::to_string(expected));
      }
      // paid > amount is reported above; the subtraction must not wrap into a false "holds less".
      const uint64_t left = checked_sub(c.amount(), e.paid()).value_or(0);
      if (l.balance(pool_address(c.id()), ledger::kNativeAsset) < left) {
        out.push_back("tokenomics: mining pool holds less than the emission left to pay");
      }
    }
    if (c.kind() == v1::CATEGORY_KIND_MILESTONES) {
      uint64_t sum = 0;
      uint32_t count = 0;
      for (const auto& m : view.milestones(c.id())) {
        sum = saturating_add(sum, m.amount());
        ++count;
      }
      if (sum != c.milestones().approved() || count != c.milestones().milestone_count() ||
          sum > c.amount()) {
        out.push_back("tokenomics: milestones of '" + c.id() + "' sum to " + std::to_string(sum) +
                      " over " + std::to_string(count) + ", the category records " +
                      std::to_string(c.milestones().approved()));
      }
    }
  }
  return out;
}

}  // namespace btt::modules::tokenomics

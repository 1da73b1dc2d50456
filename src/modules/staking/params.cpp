// Staking params (doc/staking.md "Parameters"): one StakingParams record, changed only through
// the generic params path (chain::set_params), which runs validate_params first.
#include <utility>

#include "btt/common/amount.h"
#include "btt/modules/staking/errors.h"
#include "keys.h"
#include "module.h"

namespace btt::modules::staking {

v1::StakingParams default_params() {
  v1::StakingParams p;
  p.set_max_validators(100);
  p.set_unbonding_time_ms(21ULL * 86'400'000);  // 21 days of block time
  p.set_max_entries(7);
  p.set_min_self_stake(kUnitsPerBtt);
  p.set_community_tax_bps(200);
  p.set_proposer_bonus_bps(100);
  p.set_power_unit(kUnitsPerBtt);
  p.set_slash_fraction_double_sign_bps(500);  // 5%
  p.set_slash_fraction_downtime_bps(1);       // 0.01%
  p.set_signed_blocks_window(10'000);
  p.set_min_signed_per_window_bps(5'000);
  p.set_downtime_jail_duration_ms(600'000);  // 10 minutes of block time
  // The seed's stake locks: 3, 6, 12, 24 months (30-day months) for 1.1, 1.25, 1.5, 2.0.
  constexpr uint64_t kMonthMs = 30ULL * 86'400'000;
  const std::pair<uint64_t, uint32_t> terms[] = {
      {3, 11'000}, {6, 12'500}, {12, 15'000}, {24, 20'000}};
  uint32_t tier = 0;
  for (const auto& [months, multiplier] : terms) {
    auto* t = p.add_lock_terms();
    t->set_duration_ms(months * kMonthMs);
    t->set_multiplier_bps(multiplier);
    t->set_tier(++tier);
  }
  return p;
}

Status validate_params(const v1::StakingParams& p) {
  auto bad = [](const std::string& what) {
    return Status(errors::kBadField, "staking params: " + what);
  };
  if (p.max_validators() < 1 || p.max_validators() > 1000)
    return bad("max_validators in [1, 1000]");
  if (p.unbonding_time_ms() == 0) return bad("unbonding_time_ms must be positive");
  if (p.max_entries() < 1 || p.max_entries() > 100) return bad("max_entries in [1, 100]");
  if (p.community_tax_bps() > kBps) return bad("community_tax_bps at most 10000");
  if (p.proposer_bonus_bps() > kBps) return bad("proposer_bonus_bps at most 10000");
  if (p.power_unit() == 0) return bad("power_unit must be positive");
  if (p.min_self_stake() < p.power_unit()) return bad("min_self_stake below one power_unit");
  if (p.slash_fraction_double_sign_bps() > kBps || p.slash_fraction_downtime_bps() > kBps) {
    return bad("slash fractions at most 10000 bps");
  }
  if (p.signed_blocks_window() < 1 || p.signed_blocks_window() > 1'000'000) {
    return bad("signed_blocks_window in [1, 1000000]");
  }
  if (p.min_signed_per_window_bps() > kBps) return bad("min_signed_per_window_bps at most 10000");
  if (p.lock_terms_size() > 16) return bad("at most 16 lock_terms");
  for (int i = 0; i < p.lock_terms_size(); ++i) {
    const auto& t = p.lock_terms(i);
    if (t.duration_ms() == 0 || t.tier() == 0 || t.multiplier_bps() < kBps ||
        t.multiplier_bps() > 10 * kBps) {
      return bad("lock_terms[" + std::to_string(i) +
                 "]: duration > 0, tier >= 1, multiplier in [10000, 100000] bps");
    }
  }
  return Status::ok();
}

const ledger::ParamsSpec* StakingModule::params() const {
  static const ledger::TypedParams<v1::StakingParams> kSpec(keys::params(), &default_params,
                                                            &validate_params);
  return &kSpec;
}

}  // namespace btt::modules::staking

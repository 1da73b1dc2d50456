// PayFi params (doc/payfi.md "Parameters"): one PayFiParams record, changed only through the
// generic params path (chain::set_params), which runs validate_params first.
#include <set>

#include "btt/common/amount.h"
#include "btt/ledger/ledger.h"
#include "btt/modules/payfi/errors.h"
#include "keys.h"
#include "module.h"

namespace btt::modules::payfi {

v1::PayFiParams default_params() {
  constexpr uint64_t kHourMs = 3'600'000;
  constexpr uint64_t kDayMs = 24 * kHourMs;
  v1::PayFiParams p;
  p.set_settlement_cycle_ms(kHourMs);
  p.set_base_fee_bps(80);
  auto tier = [&](uint64_t btt, uint32_t bps) {
    auto* t = p.add_volume_tiers();
    t->set_asset(std::string(ledger::kNativeAsset));
    t->set_min_volume(btt * kUnitsPerBtt);
    t->set_fee_bps(bps);
  };
  tier(100'000, 70);
  tier(1'000'000, 60);
  tier(10'000'000, 50);
  for (uint32_t d : {5u, 10u, 20u}) p.add_staker_discount_bps(d);
  p.set_min_fee_bps(40);
  p.set_development_share_bps(2'000);
  p.set_idempotency_window_ms(kDayMs);
  p.set_max_hold_duration_ms(7 * kDayMs);
  p.set_max_invoice_duration_ms(90 * kDayMs);
  p.set_settlement_budget_per_block(2'000);
  p.set_prune_budget_per_block(1'000);
  p.set_min_plan_period_ms(kHourMs);
  p.set_subscription_grace_ms(7 * kDayMs);
  p.set_subscription_retry_ms(kDayMs);
  p.set_subscription_budget_per_block(1'000);
  p.set_fx_fee_bps(75);
  p.set_fx_provider_share_bps(5'000);
  p.set_max_fx_offers_per_pair(16);
  return p;
}

Status validate_params(const v1::PayFiParams& p) {
  auto bad = [](const std::string& what) {
    return Status{errors::kBadParams, "payfi params: " + what};
  };
  if (p.settlement_cycle_ms() == 0) return bad("settlement_cycle_ms must be positive");
  if (p.base_fee_bps() > kBps || p.min_fee_bps() > kBps || p.development_share_bps() > kBps) {
    return bad("fees and shares are basis points, at most 10000");
  }
  if (p.min_fee_bps() > p.base_fee_bps()) return bad("min_fee_bps must be at most base_fee_bps");
  std::set<std::pair<std::string, uint64_t>> seen;
  for (const auto& t : p.volume_tiers()) {
    if (!ledger::is_valid_asset_name(t.asset())) {
      return bad("volume_tiers: '" + excerpt(t.asset()) + "' is not an asset name");
    }
    if (t.min_volume() == 0) return bad("volume_tiers: min_volume must be positive");
    if (t.fee_bps() > p.base_fee_bps() || t.fee_bps() < p.min_fee_bps()) {
      return bad("volume_tiers: a tier's fee_bps must be within min_fee_bps..base_fee_bps");
    }
    if (!seen.emplace(t.asset(), t.min_volume()).second) {
      return bad("volume_tiers: two tiers of " + t.asset() + " at one min_volume");
    }
  }
  if (p.staker_discount_bps_size() > 16) return bad("staker_discount_bps: at most 16 tiers");
  for (uint32_t d : p.staker_discount_bps()) {
    if (d > kBps) return bad("staker_discount_bps: at most 10000");
  }
  if (p.idempotency_window_ms() == 0 || p.max_hold_duration_ms() == 0 ||
      p.max_invoice_duration_ms() == 0) {
    return bad(
        "idempotency_window_ms, max_hold_duration_ms and max_invoice_duration_ms must be "
        "positive");
  }
  if (p.settlement_budget_per_block() == 0 || p.prune_budget_per_block() == 0 ||
      p.subscription_budget_per_block() == 0) {
    return bad(
        "settlement_budget_per_block, prune_budget_per_block and "
        "subscription_budget_per_block must be positive");
  }
  if (p.fx_fee_bps() > kBps || p.fx_provider_share_bps() > kBps) {
    return bad("fx_fee_bps and fx_provider_share_bps are basis points, at most 10000");
  }
  if (p.max_fx_offers_per_pair() == 0) return bad("max_fx_offers_per_pair must be positive");
  if (p.min_plan_period_ms() == 0 || p.subscription_retry_ms() == 0) {
    return bad("min_plan_period_ms and subscription_retry_ms must be positive");
  }
  return Status::ok();
}

const ledger::TypedParams<v1::PayFiParams>& params_spec() {
  static const ledger::TypedParams<v1::PayFiParams> kSpec(keys::params(), &default_params,
                                                          &validate_params);
  return kSpec;
}

const ledger::ParamsSpec* PayFiModule::params() const {
  return &params_spec();
}

}  // namespace btt::modules::payfi

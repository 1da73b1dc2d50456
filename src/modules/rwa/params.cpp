// RWA params (doc/rwa.md "Parameters"): one RwaParams record, changed only through the generic
// params path (chain::set_params), which runs validate_params first.
#include "btt/common/amount.h"
#include "btt/ledger/ledger.h"
#include "btt/modules/rwa/errors.h"
#include "keys.h"
#include "market.h"
#include "module.h"

namespace btt::modules::rwa {

v1::RwaParams default_params() {
  constexpr uint64_t kDayMs = 86'400'000;
  v1::RwaParams p;
  for (uint32_t bps : {100u, 200u, 300u}) p.add_mint_fee_bps(bps);
  p.set_mint_burn_share_bps(5'000);
  p.set_revaluation_fee_bps(25);
  p.set_premium_listing_fee(1'000 * kUnitsPerBtt);
  p.set_distribution_expiry_ms(365 * kDayMs);
  p.set_max_total_fractions(1'000'000'000'000ULL);
  p.set_max_documents(32);
  p.set_max_countries(64);
  p.set_trading_fee_bps(50);
  for (uint32_t d : {5u, 10u, 20u}) p.add_staker_discount_bps(d);
  p.set_pool_management_fee_bps_per_year(100);
  p.set_max_fills_per_tx(100);
  p.set_max_fills_per_block(10'000);
  p.set_max_pool_fee_bps(100);
  p.set_max_open_orders(100);
  return p;
}

Status validate_params(const v1::RwaParams& p) {
  auto bad = [](const std::string& what) {
    return Status{errors::kBadParams, "rwa params: " + what};
  };
  if (p.mint_fee_bps_size() != 3) return bad("mint_fee_bps: exactly 3 tiers");
  for (uint32_t b : p.mint_fee_bps()) {
    if (b > kBps) return bad("mint_fee_bps: at most 10000");
  }
  if (p.mint_burn_share_bps() > kBps || p.revaluation_fee_bps() > kBps ||
      p.trading_fee_bps() > kBps || p.pool_management_fee_bps_per_year() > kBps ||
      p.max_pool_fee_bps() > kBps) {
    return bad("fees and shares are basis points, at most 10000");
  }
  if (p.staker_discount_bps_size() > 16) return bad("staker_discount_bps: at most 16 tiers");
  for (uint32_t d : p.staker_discount_bps()) {
    if (d > kBps) return bad("staker_discount_bps: at most 10000");
  }
  if (p.distribution_expiry_ms() == 0) return bad("distribution_expiry_ms must be positive");
  if (p.max_total_fractions() == 0 || p.max_documents() == 0 || p.max_countries() == 0) {
    return bad("max_total_fractions, max_documents and max_countries must be positive");
  }
  if (p.max_fills_per_tx() == 0 || p.max_fills_per_block() == 0) {
    return bad("max_fills_per_tx and max_fills_per_block must be positive");
  }
  // Bounded matching work: a tx walks at most 2 x max_fills_per_tx + 1 orders.
  if (p.max_fills_per_tx() > kMaxFillsPerTx) {
    return bad("max_fills_per_tx: at most " + std::to_string(kMaxFillsPerTx));
  }
  if (p.max_pool_fee_bps() >= kBps) return bad("max_pool_fee_bps: below 10000");
  if (p.max_open_orders() == 0) return bad("max_open_orders must be positive");
  return Status::ok();
}

const ledger::TypedParams<v1::RwaParams>& params_spec() {
  static const ledger::TypedParams<v1::RwaParams> kSpec(keys::params(), &default_params,
                                                        &validate_params);
  return kSpec;
}

const ledger::ParamsSpec* RwaModule::params() const {
  return &params_spec();
}

}  // namespace btt::modules::rwa

// Governance params (doc/governance.md "Parameters"): one GovernanceParams record, changed only
// through the generic params path (chain::set_params), which runs validate_params first.
#include "btt/common/amount.h"
#include "btt/modules/governance/errors.h"
#include "keys.h"
#include "module.h"

namespace btt::modules::governance {

v1::GovernanceParams default_params() {
  constexpr uint64_t kDayMs = 86'400'000;
  v1::GovernanceParams p;
  p.set_min_deposit(1'000 * kUnitsPerBtt);
  p.set_min_initial_deposit_ratio_bps(2'500);
  p.set_max_deposit_period_ms(14 * kDayMs);
  p.set_voting_period_ms(14 * kDayMs);
  p.set_expedited_voting_period_ms(1 * kDayMs);
  p.set_expedited_min_deposit(5'000 * kUnitsPerBtt);
  p.set_quorum_bps(3'340);
  p.set_threshold_bps(5'000);
  p.set_veto_threshold_bps(3'340);
  p.set_expedited_threshold_bps(6'670);
  p.set_cancel_burn_ratio_bps(5'000);
  p.set_burn_vote_quorum(false);
  p.set_foundation_sunset_height(0);
  p.set_foundation_veto_period_ms(7 * kDayMs);
  p.set_max_active_proposals(100);
  p.set_max_actions(16);
  p.set_tally_budget_per_block(2'000);
  p.set_max_active_streams(32);
  return p;
}

Status validate_params(const v1::GovernanceParams& p) {
  auto bad = [](const std::string& what) {
    return Status{errors::kBadParams, "governance params: " + what};
  };
  if (p.min_deposit() == 0) return bad("min_deposit must be positive");
  if (p.expedited_min_deposit() < p.min_deposit()) {
    return bad("expedited_min_deposit must be at least min_deposit");
  }
  if (p.min_initial_deposit_ratio_bps() > kBps) {
    return bad("min_initial_deposit_ratio_bps must be at most 10000");
  }
  if (p.max_deposit_period_ms() == 0 || p.voting_period_ms() == 0 ||
      p.expedited_voting_period_ms() == 0) {
    return bad("periods must be positive");
  }
  if (p.expedited_voting_period_ms() >= p.voting_period_ms()) {
    return bad("expedited_voting_period_ms must be below voting_period_ms");
  }
  for (uint32_t bps : {p.quorum_bps(), p.threshold_bps(), p.veto_threshold_bps(),
                       p.expedited_threshold_bps(), p.cancel_burn_ratio_bps()}) {
    if (bps > kBps) return bad("ratios are basis points, at most 10000");
  }
  if (p.quorum_bps() == 0 || p.threshold_bps() == 0 || p.veto_threshold_bps() == 0) {
    return bad("quorum_bps, threshold_bps and veto_threshold_bps must be positive");
  }
  if (p.expedited_threshold_bps() <= p.threshold_bps()) {
    return bad("expedited_threshold_bps must be above threshold_bps");
  }
  if (p.max_active_proposals() == 0 || p.max_actions() == 0 || p.tally_budget_per_block() == 0) {
    return bad("max_active_proposals, max_actions and tally_budget_per_block must be positive");
  }
  return Status::ok();
}

const ledger::TypedParams<v1::GovernanceParams>& params_spec() {
  static const ledger::TypedParams<v1::GovernanceParams> kSpec(keys::params(), &default_params,
                                                               &validate_params);
  return kSpec;
}

const ledger::ParamsSpec* GovernanceModule::params() const {
  return &params_spec();
}

}  // namespace btt::modules::governance

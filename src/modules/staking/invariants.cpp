// Staking invariants (doc/staking.md "Invariants"), exact to the base unit and, for rewards, to
// the 10^-18 unit of the accumulators.
#include "btt/ledger/ledger.h"
#include "btt/modules/staking/staking.h"
#include "btt/modules/staking/view.h"
#include "keys.h"
#include "module.h"

namespace btt::modules::staking {

std::vector<std::string> StakingModule::check_invariants(const ledger::StateReader& state) const {
  std::vector<std::string> out;
  if (!enabled(state)) return out;
  const StakingView view(state);
  const ledger::Ledger ledger(state);
  const auto params = *view.params();
  const uint64_t unit = params.power_unit();
  const v1::DistributionState dist = view.distribution();
  const u128 global = u128_field(dist.global_per_power());

  u128 tokens = 0, outstanding = 0, global_owed = 0;
  for (const auto& v : view.validators()) {
    const std::string who = "staking: validator " + v.address();
    tokens += v.tokens();
    outstanding += v.outstanding();
    u128 shares = 0, owed = 0;
    const u128 per_share = u128_field(v.reward_per_share());
    for (const auto& d : view.delegations_to(*crypto::Address::parse(v.address()))) {
      shares += d.shares();
      owed += (per_share - u128_field(d.reward_start())) * d.shares();
      if (!state.get(keys::delegation_by(*crypto::Address::parse(d.delegator()),
                                         *crypto::Address::parse(v.address())))) {
        out.push_back(who + ": delegation of " + d.delegator() + " is missing from its index");
      }
    }
    if (shares != v.shares()) {
      out.push_back(who + ": delegations hold " + u128_decimal(shares) + " shares, the record " +
                    std::to_string(v.shares()));
    }
    if ((v.shares() == 0) != (v.tokens() == 0)) {
      out.push_back(who + ": shares and tokens must be zero together");
    }
    if (owed != u128_field(v.owed_scaled())) {
      out.push_back(who + ": delegations are owed " + u128_decimal(owed) +
                    " (x10^-18), the record " + u128_decimal(u128_field(v.owed_scaled())));
    }
    const u128 dust = u128_field(v.dust_scaled());
    if (dust >= kRewardScale) out.push_back(who + ": dust of a whole unit or more");
    // What it holds is exactly what its delegators and operator can withdraw plus its dust.
    if (static_cast<u128>(v.outstanding()) * kRewardScale !=
        u128_field(v.owed_scaled()) + dust + static_cast<u128>(v.commission()) * kRewardScale) {
      out.push_back(who + ": outstanding " + std::to_string(v.outstanding()) +
                    " is not owed + commission + dust exactly");
    }
    global_owed += (global - u128_field(v.global_checkpoint())) * v.earning_power() -
                   u128_field(v.missed_scaled());
    const uint64_t power = v.tokens() / unit;
    if (power > 0 && !state.get(keys::power_entry(power, *crypto::Address::parse(v.address())))) {
      out.push_back(who + ": missing from the power index at power " + std::to_string(power));
    }
  }
  const uint64_t bonded = ledger.balance(bonded_pool_address(), ledger::kNativeAsset);
  if (static_cast<u128>(bonded) != tokens) {
    out.push_back("staking: bonded pool holds " + std::to_string(bonded) + ", validators " +
                  u128_decimal(tokens));
  }
  u128 unbonding = 0;
  state.scan(keys::unbondings(), [&](std::string_view, std::string_view value) {
    v1::UnbondingEntry e;
    if (e.ParseFromArray(value.data(), static_cast<int>(value.size()))) unbonding += e.balance();
    return true;
  });
  const uint64_t unbonding_pool = ledger.balance(unbonding_pool_address(), ledger::kNativeAsset);
  if (static_cast<u128>(unbonding_pool) != unbonding) {
    out.push_back("staking: unbonding pool holds " + std::to_string(unbonding_pool) + ", entries " +
                  u128_decimal(unbonding));
  }
  if (outstanding != dist.total_outstanding()) {
    out.push_back("staking: validators hold " + u128_decimal(outstanding) +
                  " outstanding, the total says " + std::to_string(dist.total_outstanding()));
  }
  if (global_owed != u128_field(dist.owed_scaled())) {
    out.push_back("staking: unsettled rewards are " + u128_decimal(global_owed) +
                  " (x10^-18), the accumulator says " +
                  u128_decimal(u128_field(dist.owed_scaled())));
  }
  const u128 global_dust = u128_field(dist.dust_scaled());
  if (global_dust >= kRewardScale) out.push_back("staking: global dust of a whole unit or more");
  const uint64_t rewards = ledger.balance(rewards_pool_address(), ledger::kNativeAsset);
  if (static_cast<u128>(rewards) * kRewardScale !=
      static_cast<u128>(dist.total_outstanding()) * kRewardScale + u128_field(dist.owed_scaled()) +
          global_dust) {
    out.push_back("staking: rewards pool holds " + std::to_string(rewards) +
                  ", not outstanding + unsettled + dust exactly");
  }
  return out;
}

}  // namespace btt::modules::staking

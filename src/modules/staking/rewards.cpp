// The F1 arithmetic on a validator's record (rewards.h).
#include "rewards.h"

#include <stdexcept>

#include "btt/common/amount.h"
#include "btt/modules/staking/staking.h"
#include "btt/modules/staking/view.h"

namespace btt::modules::staking {

uint64_t to_u64(u128 v) {
  if (v > UINT64_MAX) throw std::logic_error("staking: an amount left the 64-bit range");
  return static_cast<uint64_t>(v);
}

u128 accrued_scaled(const v1::ValidatorRecord& v, u128 global_per_power) {
  if (v.earning_power() == 0) return 0;
  return (global_per_power - u128_field(v.global_checkpoint())) * v.earning_power() -
         u128_field(v.missed_scaled());
}

uint64_t credit_rewards(v1::ValidatorRecord& v, uint64_t amount) {
  const uint64_t commission = v.shares() == 0 ? amount : bps_of(amount, v.commission_bps());
  const uint64_t to_delegators = amount - commission;
  if (to_delegators > 0) {
    const u128 scaled = static_cast<u128>(to_delegators) * kRewardScale;
    const u128 per_share = scaled / v.shares();
    *v.mutable_reward_per_share() = u128_bytes(u128_field(v.reward_per_share()) + per_share);
    *v.mutable_owed_scaled() = u128_bytes(u128_field(v.owed_scaled()) + per_share * v.shares());
    *v.mutable_dust_scaled() =
        u128_bytes(u128_field(v.dust_scaled()) + (scaled - per_share * v.shares()));
  }
  v.set_outstanding(v.outstanding() + amount);
  v.set_commission(v.commission() + commission);
  return take_whole_dust(v);
}

uint64_t take_whole_dust(v1::ValidatorRecord& v) {
  const u128 dust = u128_field(v.dust_scaled());
  const uint64_t whole = to_u64(dust / kRewardScale);
  if (whole > 0)
    *v.mutable_dust_scaled() = u128_bytes(dust - static_cast<u128>(whole) * kRewardScale);
  return whole;
}

u128 owed_scaled(const v1::ValidatorRecord& v, const v1::DelegationRecord& d) {
  return (u128_field(v.reward_per_share()) - u128_field(d.reward_start())) * d.shares();
}

v1::ValidatorRecord settled(v1::ValidatorRecord v, u128 global_per_power) {
  const uint64_t amount = to_u64(accrued_scaled(v, global_per_power) / kRewardScale);
  if (amount > 0) {
    const uint64_t swept = credit_rewards(v, amount);
    v.set_outstanding(v.outstanding() - swept);  // the keeper releases it to the treasury
  }
  *v.mutable_global_checkpoint() = u128_bytes(global_per_power);
  v.clear_missed_scaled();
  return v;
}

}  // namespace btt::modules::staking

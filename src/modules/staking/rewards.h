#pragma once
// The F1 arithmetic on a validator's record (doc/staking.md "Rewards"), shared by the keeper,
// which writes the record and moves the money, and the view, which applies it to a copy to answer
// what a withdraw would pay now: the query and the payment are one computation.
#include "btt/common/u128.h"
#include "btt/v1/staking.pb.h"

namespace btt::modules::staking {

// A 128-bit amount that must fit 64 bits (anything else is corrupt state: throws).
[[nodiscard]] uint64_t to_u64(u128 v);

// What settling `v` against the global accumulator credits it, x 10^18: its earning power times
// the accumulator's growth since its checkpoint, less the increments of the blocks it missed.
[[nodiscard]] u128 accrued_scaled(const v1::ValidatorRecord& v, u128 global_per_power);

// Credits `amount` units to `v`: its commission (all of it while it has no shares), the rest per
// share with the rounding into its dust; outstanding grows by `amount`. Returns the whole units
// taken out of the dust, which the caller releases to the treasury (still in outstanding).
[[nodiscard]] uint64_t credit_rewards(v1::ValidatorRecord& v, uint64_t amount);

// Takes the whole units out of `v`'s rounding dust and returns them (they go to the treasury).
[[nodiscard]] uint64_t take_whole_dust(v1::ValidatorRecord& v);

// What a delegation is owed, x 10^18: shares x (reward_per_share - reward_start).
[[nodiscard]] u128 owed_scaled(const v1::ValidatorRecord& v, const v1::DelegationRecord& d);

// `v` as the keeper's settle() would leave it against `global_per_power`: outstanding,
// commission and reward_per_share include what it earned since its last settlement.
[[nodiscard]] v1::ValidatorRecord settled(v1::ValidatorRecord v, u128 global_per_power);

}  // namespace btt::modules::staking

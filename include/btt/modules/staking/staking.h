#pragma once
// Staking module (doc/staking.md): validators chosen by bonded stake, delegation with shares,
// unbonding and redelegation, and the distribution of each block's fees to the validators that
// signed the previous one (F1 with exact remainders). The active set it chooses at the end of
// block H is in force from H+2 (BlockContext::next_validators).
//
// State keys: src/modules/staking/keys.h (doc/staking.md "State").
#include <memory>
#include <string_view>

#include "btt/common/u128.h"
#include "btt/crypto/address.h"
#include "btt/ledger/module.h"

namespace btt::modules::staking {

inline constexpr std::string_view kModuleName = "staking";
inline constexpr uint32_t kCodespace = 5;
// Reward accumulators count in units x 10^18 (doc/staking.md "Rewards").
inline constexpr u128 kRewardScale = static_cast<u128>(1'000'000'000'000'000'000ULL);
inline constexpr size_t kMaxMoniker = 64;
inline constexpr size_t kMaxDetails = 256;
// Burn source of slashed stake (tokenomics burn record; the supply breakdown lists it).
inline constexpr std::string_view kSlashBurnSource = "staking_slash";

// Module accounts: bonded stake, stake unbonding, and rewards not yet withdrawn.
[[nodiscard]] crypto::Address bonded_pool_address();
[[nodiscard]] crypto::Address unbonding_pool_address();
[[nodiscard]] crypto::Address rewards_pool_address();

// Whether the chain runs staking (its genesis section was given); without it the validator set
// stays the genesis set and fees stay in the fee pool.
[[nodiscard]] bool enabled(const ledger::StateReader& state);

// Stake locks (doc/staking.md "Stake locks"): the highest tier of `account`'s locks in force at
// `time_ms` (0: none), which PayFi and RWA fee discounts and compute priority read, and the
// governance weight multiplier of its locked BTT (basis points; 10000 when nothing is locked).
[[nodiscard]] uint32_t tier_of(const ledger::StateReader& state, const crypto::Address& account,
                               uint64_t time_ms);
// Voting weight of the account's locks: sum of amount x multiplier / 10000 over active locks.
[[nodiscard]] uint64_t locked_vote_weight(const ledger::StateReader& state,
                                          const crypto::Address& account, uint64_t time_ms);

[[nodiscard]] std::unique_ptr<ledger::Module> make_staking_module();

}  // namespace btt::modules::staking

#pragma once
// The staking module's events (doc/staking.md "Events").
#include "btt/ledger/events.h"

namespace btt::modules::staking::events {

inline constexpr ledger::EventDef kValidatorCreated{
    "staking.validator_created", {"validator", "operator", "self_stake", "commission_bps"}};
inline constexpr ledger::EventDef kValidatorEdited{"staking.validator_edited",
                                                   {"validator", "commission_bps"}};
inline constexpr ledger::EventDef kDelegated{"staking.delegated",
                                             {"delegator", "validator", "amount", "shares"}};
inline constexpr ledger::EventDef kUnbondingStarted{
    "staking.unbonding_started",
    {"delegator", "validator", "amount", "shares", "completion_ms", "creation_height"}};
inline constexpr ledger::EventDef kUnbondingCompleted{"staking.unbonding_completed",
                                                      {"delegator", "validator", "amount"}};
inline constexpr ledger::EventDef kUnbondingCancelled{"staking.unbonding_cancelled",
                                                      {"delegator", "validator", "amount"}};
inline constexpr ledger::EventDef kRedelegated{
    "staking.redelegated",
    {"delegator", "from_validator", "to_validator", "amount", "completion_ms"}};
inline constexpr ledger::EventDef kRewardsWithdrawn{"staking.rewards_withdrawn",
                                                    {"delegator", "validator", "amount"}};
inline constexpr ledger::EventDef kCommissionWithdrawn{"staking.commission_withdrawn",
                                                       {"validator", "operator", "amount"}};
inline constexpr ledger::EventDef kFeesDistributed{
    "staking.fees_distributed",
    {"fees", "community_tax", "proposer_bonus", "signers", "signed_power", "to_treasury"}};
inline constexpr ledger::EventDef kSlashed{"staking.slashed",
                                           {"validator", "reason", "infraction_height", "amount"}};
inline constexpr ledger::EventDef kJailed{"staking.jailed",
                                          {"validator", "until_ms", "tombstoned"}};
inline constexpr ledger::EventDef kUnjailed{"staking.unjailed", {"validator"}};
inline constexpr ledger::EventDef kStakeLocked{"staking.stake_locked",
                                               {"owner", "lock_id", "amount", "end_ms", "tier"}};
inline constexpr ledger::EventDef kStakeUnlocked{"staking.stake_unlocked", {"owner", "lock_id"}};
inline constexpr ledger::EventDef kSetChanged{"staking.set_changed",
                                              {"from_height", "validators", "total_power"}};

}  // namespace btt::modules::staking::events

#pragma once
// Staking state keys (prefix "stk/", big-endian numbers; doc/staking.md "State"):
//   "stk/params"                                  -> StakingParams (present iff staking is on)
//   "stk/val/" val20                              -> ValidatorRecord
//   "stk/pow/" u64be(~power) val20                -> "" (eligible validators, most power first)
//   "stk/del/" val20 delegator20                  -> DelegationRecord
//   "stk/dby/" delegator20 val20                  -> "" (a delegator's delegations)
//   "stk/ubd/" delegator20 val20 height           -> UnbondingEntry
//   "stk/ubq/" completion_ms height delegator20 val20 -> "" (unbonding queue)
//   "stk/red/" delegator20 dst20 height src20     -> RedelegationEntry
//   "stk/rdq/" completion_ms height delegator20 dst20 src20 -> "" (redelegation queue)
//   "stk/set"                                     -> ValidatorSetRecord-like list: the last set
//                                                    chosen (what next_validators last carried)
//   "stk/pwr/" height val20                       -> u64be power: earning power from that
//                                                    rewarded height on
//   "stk/dist"                                    -> DistributionState
//   "stk/dirty"                                   -> "" (stake changed in this block)
//   "stk/lock/" owner20 id                        -> StakeLock
//   "stk/lkq/" end_ms owner20 id                  -> "" (locks ending then: released at end_block)
//   "stk/next_lock"                               -> u64be, the next lock id (first is 1)
//   "stk/miss/" height val20                      -> "" (a validator missed that height)
//   "stk/msv/" val20 height                       -> "" (the same, by validator)
#include "btt/ledger/keys.h"

namespace btt::modules::staking::keys {

inline constexpr std::string_view kPrefix = "stk/";

inline ledger::StateKey key() {
  return ledger::StateKey(kPrefix);
}

[[nodiscard]] inline Bytes params() {
  return key().last_str("params");
}
[[nodiscard]] inline Bytes validators() {
  return key().table("val");
}
[[nodiscard]] inline Bytes validator(const crypto::Address& v) {
  return key().table("val").addr(v);
}
[[nodiscard]] inline Bytes power_index() {
  return key().table("pow");
}
[[nodiscard]] inline Bytes power_entry(uint64_t power, const crypto::Address& v) {
  return key().table("pow").u64(~power).addr(v);
}
[[nodiscard]] inline Bytes delegations() {
  return key().table("del");
}
[[nodiscard]] inline Bytes delegations_to(const crypto::Address& v) {
  return key().table("del").addr(v);
}
[[nodiscard]] inline Bytes delegation(const crypto::Address& v, const crypto::Address& d) {
  return key().table("del").addr(v).addr(d);
}
[[nodiscard]] inline Bytes delegations_by(const crypto::Address& d) {
  return key().table("dby").addr(d);
}
[[nodiscard]] inline Bytes delegation_by(const crypto::Address& d, const crypto::Address& v) {
  return key().table("dby").addr(d).addr(v);
}
[[nodiscard]] inline Bytes unbondings() {
  return key().table("ubd");
}
[[nodiscard]] inline Bytes unbondings_of(const crypto::Address& d) {
  return key().table("ubd").addr(d);
}
[[nodiscard]] inline Bytes unbondings_of(const crypto::Address& d, const crypto::Address& v) {
  return key().table("ubd").addr(d).addr(v);
}
[[nodiscard]] inline Bytes unbonding(const crypto::Address& d, const crypto::Address& v,
                                     uint64_t height) {
  return key().table("ubd").addr(d).addr(v).u64(height);
}
[[nodiscard]] inline Bytes unbonding_queue() {
  return key().table("ubq");
}
[[nodiscard]] inline Bytes unbonding_queued(uint64_t completion_ms, uint64_t height,
                                            const crypto::Address& d, const crypto::Address& v) {
  return key().table("ubq").u64(completion_ms).u64(height).addr(d).addr(v);
}
[[nodiscard]] inline Bytes redelegations() {
  return key().table("red");
}
[[nodiscard]] inline Bytes redelegations_of(const crypto::Address& d) {
  return key().table("red").addr(d);
}
[[nodiscard]] inline Bytes redelegations_to(const crypto::Address& d, const crypto::Address& dst) {
  return key().table("red").addr(d).addr(dst);
}
[[nodiscard]] inline Bytes redelegation(const crypto::Address& d, const crypto::Address& dst,
                                        uint64_t height, const crypto::Address& src) {
  return key().table("red").addr(d).addr(dst).u64(height).addr(src);
}
[[nodiscard]] inline Bytes redelegation_queue() {
  return key().table("rdq");
}
[[nodiscard]] inline Bytes redelegation_queued(uint64_t completion_ms, uint64_t height,
                                               const crypto::Address& d, const crypto::Address& dst,
                                               const crypto::Address& src) {
  return key().table("rdq").u64(completion_ms).u64(height).addr(d).addr(dst).addr(src);
}
[[nodiscard]] inline Bytes chosen_set() {
  return key().last_str("set");
}
[[nodiscard]] inline Bytes power_changes() {
  return key().table("pwr");
}
[[nodiscard]] inline Bytes power_changes_at(uint64_t height) {
  return key().table("pwr").u64(height);
}
[[nodiscard]] inline Bytes power_change(uint64_t height, const crypto::Address& v) {
  return key().table("pwr").u64(height).addr(v);
}
[[nodiscard]] inline Bytes distribution() {
  return key().last_str("dist");
}
[[nodiscard]] inline Bytes dirty() {
  return key().last_str("dirty");
}

[[nodiscard]] inline Bytes locks() {
  return key().table("lock");
}
[[nodiscard]] inline Bytes locks_of(const crypto::Address& owner) {
  return key().table("lock").addr(owner);
}
[[nodiscard]] inline Bytes lock(const crypto::Address& owner, uint64_t id) {
  return key().table("lock").addr(owner).u64(id);
}
[[nodiscard]] inline Bytes lock_queue() {
  return key().table("lkq");
}
[[nodiscard]] inline Bytes lock_queued(uint64_t end_ms, const crypto::Address& owner, uint64_t id) {
  return key().table("lkq").u64(end_ms).addr(owner).u64(id);
}
[[nodiscard]] inline Bytes next_lock() {
  return key().last_str("next_lock");
}
[[nodiscard]] inline Bytes misses() {
  return key().table("miss");
}
[[nodiscard]] inline Bytes misses_at(uint64_t height) {
  return key().table("miss").u64(height);
}
[[nodiscard]] inline Bytes miss(uint64_t height, const crypto::Address& v) {
  return key().table("miss").u64(height).addr(v);
}
[[nodiscard]] inline Bytes misses_of(const crypto::Address& v) {
  return key().table("msv").addr(v);
}
[[nodiscard]] inline Bytes miss_of(const crypto::Address& v, uint64_t height) {
  return key().table("msv").addr(v).u64(height);
}

}  // namespace btt::modules::staking::keys

#pragma once
// Governance state keys (prefix "gov/", big-endian numbers; doc/governance.md "State"):
//   "gov/params"                    -> GovernanceParams (present iff governance is on)
//   "gov/next"                      -> u64be, the next proposal id (first is 1)
//   "gov/prop/" id                  -> ProposalRecord
//   "gov/active/" id                -> "" (in deposit, voting or tallying)
//   "gov/dep/" id depositor20       -> DepositRecord
//   "gov/vote/" id voter20          -> VoteRecord
//   "gov/tally/" id                 -> TallyProgress (status TALLYING)
//   "gov/ded/" id val20             -> u64be shares of the validator whose holders voted
//                                      themselves (counted apart from the validator's vote)
//   "gov/stream/" id                -> TreasuryStream
//   "gov/next_stream"               -> u64be
//   "gov/fact/" id                  -> FoundationActRecord (pending)
//   "gov/next_act"                  -> u64be
//   "gov/upgrade"                   -> UpgradePlanRecord
//   "gov/upgrade_done/" name        -> AppliedUpgrade
#include "btt/ledger/keys.h"

namespace btt::modules::governance::keys {

inline constexpr std::string_view kPrefix = "gov/";

inline ledger::StateKey key() {
  return ledger::StateKey(kPrefix);
}

[[nodiscard]] inline Bytes params() {
  return key().last_str("params");
}
[[nodiscard]] inline Bytes next_proposal() {
  return key().last_str("next");
}
[[nodiscard]] inline Bytes proposals() {
  return key().table("prop");
}
[[nodiscard]] inline Bytes proposal(uint64_t id) {
  return key().table("prop").u64(id);
}
[[nodiscard]] inline Bytes active() {
  return key().table("active");
}
[[nodiscard]] inline Bytes active(uint64_t id) {
  return key().table("active").u64(id);
}
[[nodiscard]] inline Bytes all_deposits() {
  return key().table("dep");
}
[[nodiscard]] inline Bytes deposits(uint64_t id) {
  return key().table("dep").u64(id);
}
[[nodiscard]] inline Bytes deposit(uint64_t id, const crypto::Address& d) {
  return key().table("dep").u64(id).addr(d);
}
[[nodiscard]] inline Bytes all_votes() {
  return key().table("vote");
}
[[nodiscard]] inline Bytes votes(uint64_t id) {
  return key().table("vote").u64(id);
}
[[nodiscard]] inline Bytes vote(uint64_t id, const crypto::Address& v) {
  return key().table("vote").u64(id).addr(v);
}
[[nodiscard]] inline Bytes tallies() {
  return key().table("tally");
}
[[nodiscard]] inline Bytes tally(uint64_t id) {
  return key().table("tally").u64(id);
}
[[nodiscard]] inline Bytes all_deductions() {
  return key().table("ded");
}
[[nodiscard]] inline Bytes deductions(uint64_t id) {
  return key().table("ded").u64(id);
}
[[nodiscard]] inline Bytes deduction(uint64_t id, const crypto::Address& v) {
  return key().table("ded").u64(id).addr(v);
}
[[nodiscard]] inline Bytes streams() {
  return key().table("stream");
}
[[nodiscard]] inline Bytes stream(uint64_t id) {
  return key().table("stream").u64(id);
}
[[nodiscard]] inline Bytes next_stream() {
  return key().last_str("next_stream");
}
[[nodiscard]] inline Bytes foundation_acts() {
  return key().table("fact");
}
[[nodiscard]] inline Bytes foundation_act(uint64_t id) {
  return key().table("fact").u64(id);
}
[[nodiscard]] inline Bytes next_act() {
  return key().last_str("next_act");
}
[[nodiscard]] inline Bytes upgrade() {
  return key().last_str("upgrade");
}
[[nodiscard]] inline Bytes applied_upgrades() {
  return key().table("upgrade_done");
}
[[nodiscard]] inline Bytes applied_upgrade(std::string_view name) {
  return key().table("upgrade_done").last_str(name);
}

}  // namespace btt::modules::governance::keys

#pragma once
// Tokenomics state keys (prefix "tok/"; doc/tokenomics.md "State"):
//   "tok/params"                        -> TokenomicsParams
//   "tok/cat/" id                       -> CategoryRecord
//   "tok/emission"                      -> EmissionState
//   "tok/ms/" category NUL milestone    -> MilestoneRecord
//   "tok/lock/" addr20                  -> AccountLocks (categories locking the account's BTT)
//   "tok/burn/" source                  -> u64 BE, burned under that source
//   "tok/burned"                        -> u64 BE, burned in all
#include "btt/ledger/keys.h"

namespace btt::modules::tokenomics::keys {

inline constexpr std::string_view kPrefix = "tok/";

[[nodiscard]] inline Bytes params() {
  return ledger::StateKey(kPrefix).last_str("params");
}
[[nodiscard]] inline Bytes categories() {
  return ledger::StateKey(kPrefix).table("cat");
}
[[nodiscard]] inline Bytes category(std::string_view id) {
  return ledger::StateKey(kPrefix).table("cat").last_str(id);
}
[[nodiscard]] inline Bytes emission() {
  return ledger::StateKey(kPrefix).last_str("emission");
}
[[nodiscard]] inline Bytes milestones(std::string_view category) {
  return ledger::StateKey(kPrefix).table("ms").str(category);
}
[[nodiscard]] inline Bytes milestone(std::string_view category, std::string_view name) {
  return ledger::StateKey(kPrefix).table("ms").str(category).last_str(name);
}
[[nodiscard]] inline Bytes locks() {
  return ledger::StateKey(kPrefix).table("lock");
}
[[nodiscard]] inline Bytes lock(const crypto::Address& addr) {
  return ledger::StateKey(kPrefix).table("lock").addr(addr);
}
[[nodiscard]] inline Bytes burns() {
  return ledger::StateKey(kPrefix).table("burn");
}
[[nodiscard]] inline Bytes burn(std::string_view source) {
  return ledger::StateKey(kPrefix).table("burn").last_str(source);
}
[[nodiscard]] inline Bytes burned() {
  return ledger::StateKey(kPrefix).last_str("burned");
}

}  // namespace btt::modules::tokenomics::keys

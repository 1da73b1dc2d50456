#pragma once
// RWA state keys (prefix "rwa/", big-endian numbers; doc/rwa.md "State"). The ledger asset of
// an asset's fractions is also named "rwa/" symbol, but it lives in the ledger's own tables
// ("bal/", "ast/", "sup/"), so the two never meet.
//   "rwa/params"                        -> RwaParams (present iff RWA is on)
//   "rwa/next/" name                    -> u64be next id ("distribution"; first is 1)
//   "rwa/claim/" addr20                 -> ClaimRecord
//   "rwa/asset/" asset                  -> RwaAssetRecord
//   "rwa/doc/" asset NUL name           -> DocumentRecord
//   "rwa/agent/" asset NUL addr20       -> AgentRecord
//   "rwa/frozen/" asset NUL addr20      -> RwaFreezeRecord
//   "rwa/holder/" asset NUL addr20      -> ""  (accounts with a non-zero balance)
//   "rwa/apr/" asset NUL seq            -> AppraisalRecord (the NAV history)
//   "rwa/dist/" id                      -> DistributionRecord
//   "rwa/dist_by/" asset NUL id         -> ""  (distributions of an asset)
//   "rwa/dist_exp/" expiry_ms id        -> ""  (distributions not yet returned, by expiry)
//   "rwa/snap/" asset NUL addr20 epoch  -> u64be balance after the last change at that epoch
//   "rwa/claimed/" id addr20            -> u64be amount claimed
#include "btt/ledger/keys.h"

namespace btt::modules::rwa::keys {

inline constexpr std::string_view kPrefix = "rwa/";

inline ledger::StateKey key() {
  return ledger::StateKey(kPrefix);
}

[[nodiscard]] inline Bytes params() {
  return key().last_str("params");
}
[[nodiscard]] inline Bytes next_id(std::string_view name) {
  return key().table("next").last_str(name);
}
[[nodiscard]] inline Bytes claims() {
  return key().table("claim");
}
[[nodiscard]] inline Bytes claim(const crypto::Address& a) {
  return key().table("claim").addr(a);
}
[[nodiscard]] inline Bytes assets() {
  return key().table("asset");
}
[[nodiscard]] inline Bytes asset(std::string_view a) {
  return key().table("asset").last_str(a);
}
[[nodiscard]] inline Bytes documents() {
  return key().table("doc");
}
[[nodiscard]] inline Bytes documents(std::string_view a) {
  return key().table("doc").str(a);
}
[[nodiscard]] inline Bytes document(std::string_view a, std::string_view name) {
  return key().table("doc").str(a).last_str(name);
}
[[nodiscard]] inline Bytes agents() {
  return key().table("agent");
}
[[nodiscard]] inline Bytes agents(std::string_view a) {
  return key().table("agent").str(a);
}
[[nodiscard]] inline Bytes agent(std::string_view a, const crypto::Address& who) {
  return key().table("agent").str(a).addr(who);
}
[[nodiscard]] inline Bytes freezes() {
  return key().table("frozen");
}
[[nodiscard]] inline Bytes freezes(std::string_view a) {
  return key().table("frozen").str(a);
}
[[nodiscard]] inline Bytes freeze(std::string_view a, const crypto::Address& who) {
  return key().table("frozen").str(a).addr(who);
}
[[nodiscard]] inline Bytes holders(std::string_view a) {
  return key().table("holder").str(a);
}
[[nodiscard]] inline Bytes holder(std::string_view a, const crypto::Address& who) {
  return key().table("holder").str(a).addr(who);
}
[[nodiscard]] inline Bytes appraisals() {
  return key().table("apr");
}
[[nodiscard]] inline Bytes appraisals(std::string_view a) {
  return key().table("apr").str(a);
}
[[nodiscard]] inline Bytes appraisal(std::string_view a, uint64_t seq) {
  return key().table("apr").str(a).u64(seq);
}
[[nodiscard]] inline Bytes distributions() {
  return key().table("dist");
}
[[nodiscard]] inline Bytes distribution(uint64_t id) {
  return key().table("dist").u64(id);
}
[[nodiscard]] inline Bytes distributions_of(std::string_view a) {
  return key().table("dist_by").str(a);
}
[[nodiscard]] inline Bytes distribution_of(std::string_view a, uint64_t id) {
  return key().table("dist_by").str(a).u64(id);
}
[[nodiscard]] inline Bytes distribution_expiries() {
  return key().table("dist_exp");
}
[[nodiscard]] inline Bytes distribution_expiry(uint64_t expiry_ms, uint64_t id) {
  return key().table("dist_exp").u64(expiry_ms).u64(id);
}
[[nodiscard]] inline Bytes snapshots() {
  return key().table("snap");
}
[[nodiscard]] inline Bytes snapshots(std::string_view a, const crypto::Address& who) {
  return key().table("snap").str(a).addr(who);
}
[[nodiscard]] inline Bytes snapshot(std::string_view a, const crypto::Address& who,
                                    uint64_t epoch) {
  return key().table("snap").str(a).addr(who).u64(epoch);
}
[[nodiscard]] inline Bytes claimed_all() {
  return key().table("claimed");
}
[[nodiscard]] inline Bytes claimed(uint64_t id) {
  return key().table("claimed").u64(id);
}
[[nodiscard]] inline Bytes claimed(uint64_t id, const crypto::Address& who) {
  return key().table("claimed").u64(id).addr(who);
}

}  // namespace btt::modules::rwa::keys

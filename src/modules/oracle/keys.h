#pragma once
// Oracle state keys (prefix "orc/"; doc/oracle.md "State"):
//   "orc/params"                               -> OracleParams (absent: the defaults)
//   "orc/pair/" base NUL quote NUL             -> OraclePair (seq counters, history bounds)
//   "orc/post/" base NUL quote NUL feeder20    -> PricePost, the feeder's latest
//   "orc/hist/" base NUL quote NUL seq         -> PricePost, the pair's history
#include "btt/ledger/keys.h"

namespace btt::modules::oracle::keys {

inline constexpr std::string_view kPrefix = "orc/";

inline ledger::StateKey key() {
  return ledger::StateKey(kPrefix);
}

[[nodiscard]] inline Bytes params() {
  return key().last_str("params");
}
[[nodiscard]] inline Bytes pairs() {
  return key().table("pair");
}
[[nodiscard]] inline Bytes pair(std::string_view base, std::string_view quote) {
  return key().table("pair").str(base).str(quote);
}
[[nodiscard]] inline Bytes all_posts() {
  return key().table("post");
}
[[nodiscard]] inline Bytes posts(std::string_view base, std::string_view quote) {
  return key().table("post").str(base).str(quote);
}
[[nodiscard]] inline Bytes post(std::string_view base, std::string_view quote,
                                const crypto::Address& feeder) {
  return key().table("post").str(base).str(quote).addr(feeder);
}
[[nodiscard]] inline Bytes all_history() {
  return key().table("hist");
}
[[nodiscard]] inline Bytes history(std::string_view base, std::string_view quote) {
  return key().table("hist").str(base).str(quote);
}
[[nodiscard]] inline Bytes history(std::string_view base, std::string_view quote, uint64_t seq) {
  return key().table("hist").str(base).str(quote).u64(seq);
}

}  // namespace btt::modules::oracle::keys

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
// The exchange (doc/rwa-exchange.md "State"):
//   "rwa/order/" id                     -> OrderRecord (a resting order's placement)
//   "rwa/order_by/" addr20 id           -> ""  (resting orders of an account)
//   "rwa/order_exp/" expiry_ms id       -> ""  (resting orders with an expiry)
//   "rwa/book/" asset NUL quote NUL p17 -> book entry: owner20 open u64be tif u8 expiry u64be
//                                          (p17: exchange::priority_key_bytes)
//   "rwa/on_book/" asset NUL addr20     -> u64be fractions the account's sell orders hold
//   "rwa/trade/" asset NUL quote NUL ~id-> TradeRecord (~id = UINT64_MAX - id: newest first)
//   "rwa/block_fills"                   -> u64be height u64be fills (the per-block budget)
//   "rwa/pool/" id                      -> PoolRecord
//   "rwa/pool_of/" asset NUL quote      -> u64be pool id (one pool per pair)
//   "rwa/lp/" id addr20                 -> u64be LP shares
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

[[nodiscard]] inline Bytes orders() {
  return key().table("order");
}
[[nodiscard]] inline Bytes order(uint64_t id) {
  return key().table("order").u64(id);
}
[[nodiscard]] inline Bytes orders_of(const crypto::Address& who) {
  return key().table("order_by").addr(who);
}
[[nodiscard]] inline Bytes order_of(const crypto::Address& who, uint64_t id) {
  return key().table("order_by").addr(who).u64(id);
}
[[nodiscard]] inline Bytes order_expiries() {
  return key().table("order_exp");
}
[[nodiscard]] inline Bytes order_expiry(uint64_t expiry_ms, uint64_t id) {
  return key().table("order_exp").u64(expiry_ms).u64(id);
}
[[nodiscard]] inline Bytes books() {
  return key().table("book");
}
// The book of a pair; the side's entries follow with its first priority byte.
[[nodiscard]] inline Bytes book(std::string_view asset, std::string_view quote) {
  return key().table("book").str(asset).str(quote);
}
[[nodiscard]] inline Bytes on_book_all() {
  return key().table("on_book");
}
[[nodiscard]] inline Bytes on_book(std::string_view asset, const crypto::Address& who) {
  return key().table("on_book").str(asset).addr(who);
}
[[nodiscard]] inline Bytes trades_all() {
  return key().table("trade");
}
[[nodiscard]] inline Bytes trades(std::string_view asset, std::string_view quote) {
  return key().table("trade").str(asset).str(quote);
}
[[nodiscard]] inline Bytes trade(std::string_view asset, std::string_view quote, uint64_t id) {
  return key().table("trade").str(asset).str(quote).u64(UINT64_MAX - id);
}
[[nodiscard]] inline Bytes block_fills() {
  return key().last_str("block_fills");
}
[[nodiscard]] inline Bytes pools() {
  return key().table("pool");
}
[[nodiscard]] inline Bytes pool(uint64_t id) {
  return key().table("pool").u64(id);
}
[[nodiscard]] inline Bytes pools_of(std::string_view asset) {
  return key().table("pool_of").str(asset);
}
[[nodiscard]] inline Bytes pool_of(std::string_view asset, std::string_view quote) {
  return key().table("pool_of").str(asset).last_str(quote);
}
[[nodiscard]] inline Bytes lp_all() {
  return key().table("lp");
}
[[nodiscard]] inline Bytes lp_of(uint64_t id) {
  return key().table("lp").u64(id);
}
[[nodiscard]] inline Bytes lp(uint64_t id, const crypto::Address& who) {
  return key().table("lp").u64(id).addr(who);
}

}  // namespace btt::modules::rwa::keys

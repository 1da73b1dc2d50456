#pragma once
// Compute state keys (prefix "cmp/", big-endian numbers; doc/compute.md "State"):
//   "cmp/params"                        -> ComputeParams
//   "cmp/node/" addr20                  -> NodeRecord
//   "cmp/job/" id                       -> JobRecord
//   "cmp/next_job"                      -> u64 BE, the next job id (first is 1)
//   "cmp/open/" id                      -> "" (pending, assigned and auditing jobs)
//   "cmp/jp/" provider20 id             -> "" (a provider's jobs)
//   "cmp/jn/" node20 id                 -> "" (jobs a node held a replica of)
//   "cmp/ban/" provider20 node20        -> ""
//   "cmp/unbond/" height addr20         -> "" (bonds returning at that height)
//   "cmp/epoch"                         -> EpochState
//   "cmp/ens/" addr20                   -> NodeEpochStats (the epoch being scored)
//   "cmp/rew/" epoch addr20             -> NodeReward
//   "cmp/eps/" epoch                    -> EpochSummary
//   "cmp/stats/" accelerator kind       -> MarketStats
//   "cmp/price/" kind NUL price addr20  -> "" (assignment index, nodes not unregistered)
//   "cmp/pending/" id                   -> "" (jobs waiting for nodes: retried every block)
//   "cmp/due/" height id                -> "" (jobs to process in that height's end-block)
#include "btt/ledger/keys.h"

namespace btt::modules::compute::keys {

inline constexpr std::string_view kPrefix = "cmp/";

inline ledger::StateKey key() {
  return ledger::StateKey(kPrefix);
}

[[nodiscard]] inline Bytes params() {
  return key().last_str("params");
}
[[nodiscard]] inline Bytes nodes() {
  return key().table("node");
}
[[nodiscard]] inline Bytes node(const crypto::Address& a) {
  return key().table("node").addr(a);
}
[[nodiscard]] inline Bytes jobs() {
  return key().table("job");
}
[[nodiscard]] inline Bytes job(uint64_t id) {
  return key().table("job").u64(id);
}
[[nodiscard]] inline Bytes next_job() {
  return key().last_str("next_job");
}
[[nodiscard]] inline Bytes opens() {
  return key().table("open");
}
[[nodiscard]] inline Bytes open(uint64_t id) {
  return key().table("open").u64(id);
}
[[nodiscard]] inline Bytes provider_jobs(const crypto::Address& p) {
  return key().table("jp").addr(p);
}
[[nodiscard]] inline Bytes provider_job(const crypto::Address& p, uint64_t id) {
  return key().table("jp").addr(p).u64(id);
}
[[nodiscard]] inline Bytes all_node_jobs() {
  return key().table("jn");
}
[[nodiscard]] inline Bytes node_jobs(const crypto::Address& n) {
  return key().table("jn").addr(n);
}
[[nodiscard]] inline Bytes node_job(const crypto::Address& n, uint64_t id) {
  return key().table("jn").addr(n).u64(id);
}
[[nodiscard]] inline Bytes bans() {
  return key().table("ban");
}
[[nodiscard]] inline Bytes ban(const crypto::Address& provider, const crypto::Address& node) {
  return key().table("ban").addr(provider).addr(node);
}
[[nodiscard]] inline Bytes unbonds() {
  return key().table("unbond");
}
[[nodiscard]] inline Bytes unbond(uint64_t height, const crypto::Address& node) {
  return key().table("unbond").u64(height).addr(node);
}
[[nodiscard]] inline Bytes epoch() {
  return key().last_str("epoch");
}
[[nodiscard]] inline Bytes all_epoch_stats() {
  return key().table("ens");
}
[[nodiscard]] inline Bytes epoch_stats(const crypto::Address& n) {
  return key().table("ens").addr(n);
}
[[nodiscard]] inline Bytes all_rewards() {
  return key().table("rew");
}
[[nodiscard]] inline Bytes rewards(uint64_t epoch) {
  return key().table("rew").u64(epoch);
}
[[nodiscard]] inline Bytes reward(uint64_t epoch, const crypto::Address& n) {
  return key().table("rew").u64(epoch).addr(n);
}
[[nodiscard]] inline Bytes epoch_summaries() {
  return key().table("eps");
}
[[nodiscard]] inline Bytes epoch_summary(uint64_t epoch) {
  return key().table("eps").u64(epoch);
}
[[nodiscard]] inline Bytes all_stats() {
  return key().table("stats");
}
[[nodiscard]] inline Bytes stats(std::string_view kind) {
  return key().table("stats").last_str(kind);
}
[[nodiscard]] inline Bytes all_pending() {
  return key().table("pending");
}
[[nodiscard]] inline Bytes pending(uint64_t id) {
  return key().table("pending").u64(id);
}
[[nodiscard]] inline Bytes all_due() {
  return key().table("due");
}
[[nodiscard]] inline Bytes due(uint64_t height, uint64_t id) {
  return key().table("due").u64(height).u64(id);
}
// Assignment index: kind NUL price node (kinds never hold NUL), every node not unregistered.
[[nodiscard]] inline Bytes price_indexes() {
  return key().table("price");
}
[[nodiscard]] inline Bytes price_index(std::string_view kind) {
  return key().table("price").str(kind);
}
[[nodiscard]] inline Bytes price_entry(std::string_view kind, uint64_t price,
                                       const crypto::Address& node) {
  return key().table("price").str(kind).u64(price).addr(node);
}

}  // namespace btt::modules::compute::keys

#pragma once
// Reads of the compute state and the answers of its queries (nodes, jobs, market statistics,
// epoch rewards). The gRPC service is a thin adapter over them.
#include <optional>
#include <string>
#include <vector>

#include "btt/crypto/address.h"
#include "btt/ledger/state.h"
#include "btt/v1/compute.pb.h"

namespace btt::modules::compute {

class ComputeView {
 public:
  explicit ComputeView(const ledger::StateReader& state) : state_(state) {}

  // Defaults when the chain has no compute state.
  [[nodiscard]] v1::ComputeParams params() const;
  [[nodiscard]] std::optional<v1::NodeRecord> node(const crypto::Address& addr) const;
  [[nodiscard]] std::optional<v1::JobRecord> job(uint64_t id) const;
  [[nodiscard]] uint64_t next_job_id() const;
  [[nodiscard]] bool banned(const crypto::Address& provider, const crypto::Address& node) const;
  [[nodiscard]] v1::EpochState epoch() const;
  [[nodiscard]] v1::NodeEpochStats epoch_stats(const crypto::Address& node) const;
  // Every node in address order.
  [[nodiscard]] std::vector<v1::NodeRecord> nodes() const;
  // Ids of pending, assigned and auditing jobs, ascending.
  [[nodiscard]] std::vector<uint64_t> open_jobs() const;
  [[nodiscard]] std::optional<v1::MarketStats> stats(std::string_view kind) const;

  // --- query answers ---
  [[nodiscard]] Result<v1::ListNodesResponse> list_nodes(const v1::ListNodesRequest& req,
                                                         uint64_t height) const;
  [[nodiscard]] Result<v1::ListJobsResponse> list_jobs(const v1::ListJobsRequest& req,
                                                       uint64_t height) const;
  [[nodiscard]] v1::MarketStatsResponse market_stats(uint64_t height) const;
  [[nodiscard]] v1::EpochRewards epoch_rewards(uint64_t epoch) const;
  // A node's record with `online` filled in for this height.
  [[nodiscard]] v1::NodeRecord with_liveness(v1::NodeRecord n, uint64_t height) const;

 private:
  const ledger::StateReader& state_;
};

// Whether a node's last heartbeat is recent enough at `height` (within two intervals).
[[nodiscard]] bool is_online(const v1::NodeRecord& n, const v1::ComputeParams& p, uint64_t height);

// State keys.
[[nodiscard]] Bytes params_key();
[[nodiscard]] Bytes node_key(const crypto::Address& addr);
[[nodiscard]] Bytes node_prefix();
[[nodiscard]] Bytes job_key(uint64_t id);
[[nodiscard]] Bytes next_job_key();
[[nodiscard]] Bytes open_key(uint64_t id);
[[nodiscard]] Bytes open_prefix();
[[nodiscard]] Bytes provider_job_key(const crypto::Address& provider, uint64_t id);
[[nodiscard]] Bytes provider_job_prefix(const crypto::Address& provider);
[[nodiscard]] Bytes node_job_key(const crypto::Address& node, uint64_t id);
[[nodiscard]] Bytes node_job_prefix(const crypto::Address& node);
[[nodiscard]] Bytes ban_key(const crypto::Address& provider, const crypto::Address& node);
[[nodiscard]] Bytes unbond_key(uint64_t height, const crypto::Address& node);
[[nodiscard]] Bytes unbond_prefix();
[[nodiscard]] Bytes epoch_key();
[[nodiscard]] Bytes epoch_stats_key(const crypto::Address& node);
[[nodiscard]] Bytes epoch_stats_prefix();
[[nodiscard]] Bytes reward_key(uint64_t epoch, const crypto::Address& node);
[[nodiscard]] Bytes reward_prefix(uint64_t epoch);
[[nodiscard]] Bytes epoch_summary_key(uint64_t epoch);
[[nodiscard]] Bytes stats_key(std::string_view kind);
[[nodiscard]] Bytes stats_prefix();
[[nodiscard]] Bytes pending_key(uint64_t id);
[[nodiscard]] Bytes pending_prefix();
[[nodiscard]] Bytes due_key(uint64_t height, uint64_t id);
[[nodiscard]] Bytes due_prefix();
// Assignment index: kind NUL price node (kinds never hold NUL), every node not unregistered.
[[nodiscard]] Bytes price_index_prefix(std::string_view kind);
[[nodiscard]] Bytes price_index_key(std::string_view kind, uint64_t price,
                                    const crypto::Address& node);

}  // namespace btt::modules::compute

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
  // The module's whole state in its genesis form (bttd export; the indexes that follow from a
  // record are left out, the import rebuilds them).
  [[nodiscard]] v1::ComputeGenesisState genesis_state() const;

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

}  // namespace btt::modules::compute

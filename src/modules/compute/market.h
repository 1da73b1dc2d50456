#pragma once
// The compute keeper: the only code that writes the module's keys. Handlers and block hooks call
// it over a tx sandbox or the block overlay (doc/compute.md).
#include <optional>
#include <string>
#include <vector>

#include "btt/ledger/ledger.h"
#include "btt/ledger/module.h"
#include "btt/modules/compute/view.h"
#include "btt/v1/compute.pb.h"

namespace btt::modules::compute {

// Cost of one replica: floor(cu x ask x hardware_bps x urgency_bps / 10^8); nullopt on overflow.
[[nodiscard]] std::optional<uint64_t> replica_price(uint64_t cu, uint64_t ask, uint32_t hw_bps,
                                                    uint32_t urgency_bps);
// ceil(input_size / 1 MiB) x data_fee_per_mib; nullopt on overflow.
[[nodiscard]] std::optional<uint64_t> data_fee(uint64_t input_size, uint64_t per_mib);
// What a job escrows at posting: redundancy x replica_price(max price) + data fee.
[[nodiscard]] std::optional<uint64_t> max_cost(const v1::ComputeParams& p, const v1::MsgPostJob& m);

// Settlement split of `cost`: 70% nodes, 15% development fund, 10% Foundation, the rest (5% and
// every rounding remainder) operational reserve. Node share split equally among `payees`; its
// remainder goes to the reserve too.
struct Split {
  uint64_t per_node = 0;
  uint64_t nodes_total = 0;  // per_node x payees
  uint64_t development = 0;
  uint64_t foundation = 0;
  uint64_t reserve = 0;
};
[[nodiscard]] Split split_cost(uint64_t cost, uint64_t payees);

// Score of one node for an epoch (doc/compute.md "Mining rewards"): cu x 10^4 scaled by four bps
// factors, each step floored; saturates at 2^64-1.
[[nodiscard]] uint64_t score(uint64_t cu, uint32_t uptime_bps, uint32_t quality_bps,
                             uint32_t geography_bps, uint32_t energy_bps);

class Market {
 public:
  Market(ledger::Overlay& state, const ledger::LockProviders* locks, const ledger::BlockInfo& block,
         ledger::Events& events);

  [[nodiscard]] const v1::ComputeParams& params() const { return params_; }
  [[nodiscard]] ComputeView view() const { return ComputeView(state_); }
  void put_node(const crypto::Address& addr, const v1::NodeRecord& n);
  void put_job(v1::JobRecord& j);  // sets updated_height
  void count_heartbeat(const crypto::Address& node);

  // Posts an escrowed job and tries to assign it at once.
  [[nodiscard]] Status post(const crypto::Address& provider, const v1::MsgPostJob& m);
  // Refunds a job's whole escrow and ends it with `status`.
  [[nodiscard]] Status refund(v1::JobRecord& j, v1::JobStatus status);

  // Block hooks.
  void process_due_jobs();
  // The job is processed in the end-block of `height` (a deadline, or all replicas revealed).
  void schedule(uint64_t job_id, uint64_t height);
  void release_bonds();
  void close_epoch_if_due();

 private:
  // Picks `n` eligible nodes for the job, cheapest first, ties by hash(entropy, node); empty when
  // fewer than n are eligible.
  [[nodiscard]] std::vector<v1::NodeRecord> pick(const v1::JobRecord& j, size_t n, uint64_t stage);
  [[nodiscard]] v1::Replica make_replica(const v1::JobRecord& j, const v1::NodeRecord& node,
                                         v1::ReplicaRole role);
  [[nodiscard]] bool assign_primaries(v1::JobRecord& j);
  void start_stage(v1::JobRecord& j);
  void process(v1::JobRecord& j);
  void resolve_primaries(v1::JobRecord& j);
  void resolve_audit(v1::JobRecord& j);
  void no_majority(v1::JobRecord& j);
  void accept(v1::JobRecord& j, const std::string& result, uint64_t charge,
              const std::vector<v1::Replica*>& payees);
  void finalize(const v1::JobRecord& j, v1::Replica& r, v1::ReplicaStatus status);
  void slash(const v1::JobRecord& j, v1::Replica& r, const char* reason);
  [[nodiscard]] Bytes entropy(uint64_t job_id, uint64_t stage) const;
  void move(const crypto::Address& from, const crypto::Address& to, uint64_t amount);
  void close_job(v1::JobRecord& j);

  ledger::Overlay& state_;
  const ledger::LockProviders* locks_;
  const ledger::BlockInfo& block_;
  ledger::Events& events_;
  v1::ComputeParams params_;
};

}  // namespace btt::modules::compute

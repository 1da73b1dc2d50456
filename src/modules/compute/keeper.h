#pragma once
// The compute keeper: the only code that writes the module's keys (keys.h). Handlers and block
// hooks call it over a tx sandbox or the block overlay (doc/compute.md).
#include <optional>
#include <string>
#include <vector>

#include "btt/ledger/ledger.h"
#include "btt/ledger/module.h"
#include "btt/modules/compute/view.h"
#include "btt/v1/compute.pb.h"
#include "pricing.h"

namespace btt::modules::compute {

class ComputeKeeper {
 public:
  ComputeKeeper(ledger::Overlay& state, const ledger::LockProviders* locks,
                const ledger::BlockInfo& block, ledger::Events& events);

  [[nodiscard]] const v1::ComputeParams& params() const { return params_; }
  [[nodiscard]] ComputeView view() const { return ComputeView(state_); }
  void put_node(const crypto::Address& addr, const v1::NodeRecord& n);
  void put_job(v1::JobRecord& j);  // sets updated_height
  void count_heartbeat(const crypto::Address& node);
  // The node's bond returns in the end-block of `height`.
  void schedule_unbond(uint64_t height, const crypto::Address& node);
  // A provider's ban of a node (banned = false lifts it).
  void set_ban(const crypto::Address& provider, const crypto::Address& node, bool banned);
  // Genesis: the params and an empty epoch.
  void init(const v1::ComputeParams& params);
  // Genesis from an export (genesis.cpp checked it): every record as it was, and the indexes
  // that follow from the records rebuilt the way the life cycle keeps them.
  void import_state(const v1::ComputeGenesisState& state);

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

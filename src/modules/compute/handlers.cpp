// Compute handlers, one per message (doc/compute.md has each one's phase table). Apply runs only
// after its own preclaim passed over the same state, so it reads what preclaim checked without
// checking again.
#include <algorithm>

#include "btt/common/checked.h"
#include "btt/crypto/hash.h"
#include "btt/ledger/ledger.h"
#include "btt/modules/compute/compute.h"
#include "btt/modules/compute/errors.h"
#include "btt/modules/compute/events.h"
#include "btt/modules/compute/params.h"
#include "btt/modules/compute/view.h"
#include "btt/modules/roles/roles.h"
#include "btt/modules/tokenomics/tokenomics.h"
#include "handlers.h"
#include "keeper.h"

#include "keys.h"

namespace btt::modules::compute {
namespace {

using ledger::MsgContext;

Status bad(const std::string& what) {
  return {errors::kBadField, what};
}

Status check_hardware(const v1::HardwareClass& hw, const char* where) {
  if (!valid_name(hw.accelerator_kind())) {
    return bad(std::string(where) + ": accelerator_kind '" + excerpt(hw.accelerator_kind()) +
               "' must be 1..64 characters of [a-z0-9-_.]");
  }
  if (!valid_model(hw.model())) {
    return bad(std::string(where) + ": model must be 1..64 printable characters without spaces");
  }
  if (hw.count() == 0) return bad(std::string(where) + ": count must be at least 1");
  return Status::ok();
}

Status check_node_fields(const v1::HardwareClass& hw, const std::string& region, uint64_t price,
                         const char* where) {
  if (auto s = check_hardware(hw, where); !s) return s;
  if (!valid_region(region)) {
    return bad(std::string(where) + ": region '" + excerpt(region) +
               "' is not an ISO 3166-1 alpha-2 code in upper case");
  }
  if (price == 0)
    return {errors::kZeroPrice, std::string(where) + ": price_per_cu must be positive"};
  return Status::ok();
}

// The sender's node, registered and not unbonding.
Result<v1::NodeRecord> live_node(const ledger::ReadContext& ctx, const char* what) {
  auto n = ComputeView(ctx.state).node(ctx.sender);
  if (!n || n->status() == v1::NODE_STATUS_UNREGISTERED) {
    return Status(errors::kNoNode,
                  std::string(what) + ": " + ctx.sender.to_string() + " has no compute node");
  }
  if (n->status() == v1::NODE_STATUS_UNBONDING) {
    return Status(errors::kNodeUnbonding, std::string(what) + ": the node is unbonding");
  }
  return *n;
}

class RegisterHandler final : public ledger::Handler<v1::MsgRegisterNode> {
 protected:
  Status check(const v1::MsgRegisterNode& msg, const v1::LedgerParams&) const override {
    const auto& m = msg;
    if (auto s = check_node_fields(m.hardware(), m.region(), m.price_per_cu(), "register_node"); !s)
      return s;
    if (m.bond() == 0) return {errors::kZeroBond, "register_node: bond must be positive"};
    return Status::ok();
  }
  Status preclaim(const v1::MsgRegisterNode& msg, const ledger::ReadContext& ctx) const override {
    const auto& m = msg;
    ComputeView v(ctx.state);
    auto n = v.node(ctx.sender);
    if (n && n->status() != v1::NODE_STATUS_UNREGISTERED) {
      return {errors::kNodeExists, ctx.sender.to_string() + " has a compute node already"};
    }
    const auto p = v.params();
    if (m.bond() < p.min_bond()) {
      return {errors::kBondBelowMinimum, "register_node: bond " + std::to_string(m.bond()) +
                                             " is below the minimum " +
                                             std::to_string(p.min_bond())};
    }
    return ledger::require_spendable(ctx.ledger(), ctx.sender, ledger::kNativeAsset, m.bond(),
                                     ctx.block.time_ms);
  }
  Status apply(const v1::MsgRegisterNode& msg, MsgContext& ctx) const override {
    const auto& m = msg;
    ComputeKeeper keeper(ctx.state, ctx.locks, ctx.block, ctx.events);
    auto l = ctx.ledger();
    if (auto s =
            l.move(ctx.sender, bonds_address(), ledger::kNativeAsset, m.bond(), ctx.block.time_ms);
        !s)
      return s;
    // A re-registering operator keeps its history (faults, reputation) but starts a new bond.
    v1::NodeRecord n = keeper.view().node(ctx.sender).value_or(v1::NodeRecord{});
    if (n.operator_().empty()) n.set_reputation_bps(keeper.params().reputation_initial_bps());
    n.set_operator_(ctx.sender.to_string());
    *n.mutable_hardware() = m.hardware();
    n.set_region(m.region());
    n.set_energy_efficiency(m.energy_efficiency());
    n.set_energy_attested(false);
    n.set_price_per_cu(m.price_per_cu());
    n.set_bond(m.bond());
    n.set_status(v1::NODE_STATUS_ACTIVE);
    n.set_last_heartbeat_height(ctx.block.height);
    n.set_registered_height(ctx.block.height);
    n.set_unbond_height(0);
    keeper.put_node(ctx.sender, n);
    keeper.count_heartbeat(ctx.sender);
    ctx.events.emit(events::kNodeRegistered)
        .attr("node", n.operator_())
        .attr("accelerator_kind", n.hardware().accelerator_kind())
        .attr("model", n.hardware().model())
        .attr("region", n.region())
        .attr("price_per_cu", n.price_per_cu())
        .attr("bond", n.bond());
    return Status::ok();
  }
};

class UpdateHandler final : public ledger::Handler<v1::MsgUpdateNode> {
 protected:
  Status check(const v1::MsgUpdateNode& msg, const v1::LedgerParams&) const override {
    const auto& m = msg;
    return check_node_fields(m.hardware(), m.region(), m.price_per_cu(), "update_node");
  }
  Status preclaim(const v1::MsgUpdateNode& msg, const ledger::ReadContext& ctx) const override {
    auto n = live_node(ctx, "update_node");
    if (!n) return n.status();
    if (!checked_add(n->bond(), msg.add_bond())) {
      return {errors::kBondOverflow, "update_node: bond overflows"};
    }
    return ledger::require_spendable(ctx.ledger(), ctx.sender, ledger::kNativeAsset, msg.add_bond(),
                                     ctx.block.time_ms);
  }
  Status apply(const v1::MsgUpdateNode& msg, MsgContext& ctx) const override {
    const auto& m = msg;
    ComputeKeeper keeper(ctx.state, ctx.locks, ctx.block, ctx.events);
    auto n = live_node(ctx.read(), "update_node");
    if (!n) return n.status();
    if (m.add_bond() > 0) {
      auto l = ctx.ledger();
      if (auto s = l.move(ctx.sender, bonds_address(), ledger::kNativeAsset, m.add_bond(),
                          ctx.block.time_ms);
          !s)
        return s;
      n->set_bond(n->bond() + m.add_bond());
    }
    if (m.energy_efficiency() != n->energy_efficiency()) n->set_energy_attested(false);
    *n->mutable_hardware() = m.hardware();
    n->set_region(m.region());
    n->set_energy_efficiency(m.energy_efficiency());
    n->set_price_per_cu(m.price_per_cu());
    keeper.put_node(ctx.sender, *n);
    ctx.events.emit(events::kNodeUpdated)
        .attr("node", n->operator_())
        .attr("price_per_cu", n->price_per_cu())
        .attr("bond", n->bond());
    return Status::ok();
  }
};

class PauseHandler final : public ledger::Handler<v1::MsgPauseNode> {
 protected:
  Status check(const v1::MsgPauseNode&, const v1::LedgerParams&) const override {
    return Status::ok();
  }
  Status preclaim(const v1::MsgPauseNode&, const ledger::ReadContext& ctx) const override {
    auto n = live_node(ctx, "pause_node");
    return n ? Status::ok() : n.status();
  }
  Status apply(const v1::MsgPauseNode& msg, MsgContext& ctx) const override {
    ComputeKeeper keeper(ctx.state, ctx.locks, ctx.block, ctx.events);
    auto n = live_node(ctx.read(), "pause_node");
    if (!n) return n.status();
    n->set_status(msg.paused() ? v1::NODE_STATUS_PAUSED : v1::NODE_STATUS_ACTIVE);
    keeper.put_node(ctx.sender, *n);
    ctx.events.emit(events::kNodePaused)
        .attr("node", n->operator_())
        .attr("paused", msg.paused() ? "true" : "false");
    return Status::ok();
  }
};

class UnregisterHandler final : public ledger::Handler<v1::MsgUnregisterNode> {
 protected:
  Status check(const v1::MsgUnregisterNode&, const v1::LedgerParams&) const override {
    return Status::ok();
  }
  Status preclaim(const v1::MsgUnregisterNode&, const ledger::ReadContext& ctx) const override {
    auto n = live_node(ctx, "unregister_node");
    if (!n) return n.status();
    if (n->open_replicas() > 0) {
      return {errors::kOpenReplicas, "unregister_node: the node holds " +
                                         std::to_string(n->open_replicas()) + " open replicas"};
    }
    return Status::ok();
  }
  Status apply(const v1::MsgUnregisterNode& msg, MsgContext& ctx) const override {
    ComputeKeeper keeper(ctx.state, ctx.locks, ctx.block, ctx.events);
    auto n = keeper.view().node(ctx.sender);
    const uint64_t at = ctx.block.height + keeper.params().unbonding_blocks();
    n->set_status(v1::NODE_STATUS_UNBONDING);
    n->set_unbond_height(at);
    keeper.put_node(ctx.sender, *n);
    keeper.schedule_unbond(at, ctx.sender);
    ctx.events.emit(events::kNodeUnbonding)
        .attr("node", n->operator_())
        .attr("bond", n->bond())
        .attr("unbond_height", at);
    return Status::ok();
  }
};

class HeartbeatHandler final : public ledger::Handler<v1::MsgHeartbeat> {
 protected:
  Status check(const v1::MsgHeartbeat&, const v1::LedgerParams&) const override {
    return Status::ok();
  }
  Status preclaim(const v1::MsgHeartbeat&, const ledger::ReadContext& ctx) const override {
    auto n = live_node(ctx, "heartbeat");
    if (!n) return n.status();
    const uint64_t interval = ComputeView(ctx.state).params().heartbeat_interval_blocks();
    const uint64_t next = checked_add(n->last_heartbeat_height(), interval).value_or(UINT64_MAX);
    if (ctx.block.height < next) {
      return {errors::kHeartbeatTooSoon, "heartbeat: at most one per " + std::to_string(interval) +
                                             " blocks; next at height " + std::to_string(next)};
    }
    return Status::ok();
  }
  Status apply(const v1::MsgHeartbeat& msg, MsgContext& ctx) const override {
    ComputeKeeper keeper(ctx.state, ctx.locks, ctx.block, ctx.events);
    auto n = keeper.view().node(ctx.sender);
    n->set_last_heartbeat_height(ctx.block.height);
    keeper.put_node(ctx.sender, *n);
    keeper.count_heartbeat(ctx.sender);
    ctx.events.emit(events::kHeartbeat).attr("node", n->operator_());
    return Status::ok();
  }
};

class PostJobHandler final : public ledger::Handler<v1::MsgPostJob> {
 protected:
  Status check(const v1::MsgPostJob& msg, const v1::LedgerParams&) const override {
    const auto& m = msg;
    if (!valid_name(m.kind())) {
      return bad("post_job: kind '" + excerpt(m.kind()) + "' must be 1..64 of [a-z0-9-_.]");
    }
    if (m.input_hash().size() != 32) return bad("post_job: input_hash must be 32 bytes");
    if (m.input_size() == 0) return bad("post_job: input_size must be positive");
    if (m.locator().empty() || m.locator().size() > kMaxLocator ||
        !std::all_of(m.locator().begin(), m.locator().end(),
                     [](char c) { return c > 0x20 && c < 0x7f; })) {
      return bad("post_job: locator must be 1..512 printable characters without spaces");
    }
    const auto& r = m.requirements();
    if (!valid_name(r.accelerator_kind())) {
      return bad("post_job: requirements.accelerator_kind must be 1..64 of [a-z0-9-_.]");
    }
    if (static_cast<size_t>(r.models_size()) > kMaxModels) {
      return bad("post_job: at most 16 models");
    }
    for (const auto& model : r.models()) {
      if (!valid_model(model)) return bad("post_job: model '" + excerpt(model) + "' is invalid");
    }
    if (m.compute_units() == 0 || m.compute_units() > kMaxComputeUnits) {
      return bad("post_job: compute_units must be 1..1000000000");
    }
    if (!v1::Urgency_IsValid(m.urgency())) return bad("post_job: unknown urgency");
    if (m.redundancy() < 1 || m.redundancy() > kMaxRedundancy) {
      return bad("post_job: redundancy must be 1..3");
    }
    if (m.max_price_per_cu() == 0) {
      return {errors::kZeroPrice, "post_job: max_price_per_cu must be positive"};
    }
    return Status::ok();
  }
  Status preclaim(const v1::MsgPostJob& msg, const ledger::ReadContext& ctx) const override {
    const auto& m = msg;
    const auto p = ComputeView(ctx.state).params();
    if (!is_job_kind(p, m.kind())) {
      return {errors::kUnknownJobKind, "post_job: job kind '" + m.kind() + "' is not registered"};
    }
    auto cost = max_cost(p, m);
    if (!cost) return {errors::kCostOverflow, "post_job: maximum cost overflows"};
    return ledger::require_spendable(ctx.ledger(), ctx.sender, ledger::kNativeAsset, *cost,
                                     ctx.block.time_ms);
  }
  Status apply(const v1::MsgPostJob& msg, MsgContext& ctx) const override {
    ComputeKeeper keeper(ctx.state, ctx.locks, ctx.block, ctx.events);
    return keeper.post(ctx.sender, msg);
  }
};

// A job the sender provided.
Result<v1::JobRecord> own_job(const ledger::ReadContext& ctx, uint64_t id, const char* what) {
  auto j = ComputeView(ctx.state).job(id);
  if (!j) return Status(errors::kNoJob, std::string(what) + ": no job " + std::to_string(id));
  if (j->provider() != ctx.sender.to_string()) {
    return Status(errors::kNotJobProvider, std::string(what) + ": job " + std::to_string(id) +
                                               " belongs to " + j->provider());
  }
  return *j;
}

class CancelJobHandler final : public ledger::Handler<v1::MsgCancelJob> {
 protected:
  Status check(const v1::MsgCancelJob& msg, const v1::LedgerParams&) const override {
    if (msg.job_id() == 0) return bad("cancel_job: job_id must be positive");
    return Status::ok();
  }
  Status preclaim(const v1::MsgCancelJob& msg, const ledger::ReadContext& ctx) const override {
    auto j = own_job(ctx, msg.job_id(), "cancel_job");
    if (!j) return j.status();
    if (j->status() != v1::JOB_STATUS_PENDING) {
      return {errors::kJobNotCancellable, "cancel_job: job " + std::to_string(j->id()) + " is " +
                                              v1::JobStatus_Name(j->status()) +
                                              "; only pending jobs can be cancelled"};
    }
    return Status::ok();
  }
  Status apply(const v1::MsgCancelJob& msg, MsgContext& ctx) const override {
    ComputeKeeper keeper(ctx.state, ctx.locks, ctx.block, ctx.events);
    auto j = *keeper.view().job(msg.job_id());  // preclaim: the sender's open job
    return keeper.refund(j, v1::JOB_STATUS_CANCELLED);
  }
};

// The sender's replica in the job's current stage.
v1::Replica* own_replica(v1::JobRecord& j, const crypto::Address& sender) {
  auto* list =
      j.status() == v1::JOB_STATUS_AUDITING ? j.mutable_audit_replicas() : j.mutable_replicas();
  const std::string me = sender.to_string();
  for (auto& r : *list) {
    if (r.node() == me) return &r;
  }
  return nullptr;
}

Result<v1::JobRecord> running_job(const ledger::ReadContext& ctx, uint64_t id, const char* what) {
  auto j = ComputeView(ctx.state).job(id);
  if (!j) return Status(errors::kNoJob, std::string(what) + ": no job " + std::to_string(id));
  if (j->status() != v1::JOB_STATUS_ASSIGNED && j->status() != v1::JOB_STATUS_AUDITING) {
    return Status(errors::kJobNotRunning, std::string(what) + ": job " + std::to_string(id) +
                                              " is " + v1::JobStatus_Name(j->status()));
  }
  if (!own_replica(*j, ctx.sender)) {
    return Status(errors::kNotAssigned, std::string(what) + ": " + ctx.sender.to_string() +
                                            " holds no replica of job " + std::to_string(id) +
                                            " in its current stage");
  }
  return *j;
}

class CommitHandler final : public ledger::Handler<v1::MsgCommitResult> {
 protected:
  Status check(const v1::MsgCommitResult& msg, const v1::LedgerParams&) const override {
    const auto& m = msg;
    if (m.job_id() == 0) return bad("commit_result: job_id must be positive");
    if (m.commitment().size() != 32) return bad("commit_result: commitment must be 32 bytes");
    return Status::ok();
  }
  Status preclaim(const v1::MsgCommitResult& msg, const ledger::ReadContext& ctx) const override {
    auto j = running_job(ctx, msg.job_id(), "commit_result");
    if (!j) return j.status();
    if (own_replica(*j, ctx.sender)->status() != v1::REPLICA_STATUS_ASSIGNED) {
      return {errors::kAlreadyCommitted, "commit_result: committed already"};
    }
    if (ctx.block.height > j->commit_deadline()) {
      return {errors::kCommitClosed, "commit_result: the commit deadline " +
                                         std::to_string(j->commit_deadline()) + " has passed"};
    }
    return Status::ok();
  }
  Status apply(const v1::MsgCommitResult& msg, MsgContext& ctx) const override {
    ComputeKeeper keeper(ctx.state, ctx.locks, ctx.block, ctx.events);
    auto j = keeper.view().job(msg.job_id());  // preclaim: running, the sender assigned
    auto* r = own_replica(*j, ctx.sender);
    r->set_commitment(msg.commitment());
    r->set_status(v1::REPLICA_STATUS_COMMITTED);
    keeper.put_job(*j);
    ctx.events.emit(events::kResultCommitted).attr("job_id", j->id()).attr("node", r->node());
    return Status::ok();
  }
};

class RevealHandler final : public ledger::Handler<v1::MsgRevealResult> {
 protected:
  Status check(const v1::MsgRevealResult& msg, const v1::LedgerParams&) const override {
    const auto& m = msg;
    if (m.job_id() == 0) return bad("reveal_result: job_id must be positive");
    if (m.result_hash().size() != 32) return bad("reveal_result: result_hash must be 32 bytes");
    if (m.salt().size() < kMinSalt || m.salt().size() > kMaxSalt) {
      return bad("reveal_result: salt must be 16..64 bytes");
    }
    return Status::ok();
  }
  Status preclaim(const v1::MsgRevealResult& msg, const ledger::ReadContext& ctx) const override {
    const auto& m = msg;
    auto j = running_job(ctx, m.job_id(), "reveal_result");
    if (!j) return j.status();
    const auto* r = own_replica(*j, ctx.sender);
    if (r->status() != v1::REPLICA_STATUS_COMMITTED) {
      return {errors::kNotCommitted, "reveal_result: the replica is " +
                                         v1::ReplicaStatus_Name(r->status()) + ", not committed"};
    }
    // Reveals open once every replica of the stage committed, or the commit deadline passed.
    const auto& stage =
        j->status() == v1::JOB_STATUS_AUDITING ? j->audit_replicas() : j->replicas();
    const bool all_committed = std::none_of(stage.begin(), stage.end(), [](const auto& x) {
      return x.status() == v1::REPLICA_STATUS_ASSIGNED;
    });
    if (!all_committed && ctx.block.height <= j->commit_deadline()) {
      return {errors::kRevealNotOpen,
              "reveal_result: reveals open when every replica committed or "
              "after height " +
                  std::to_string(j->commit_deadline())};
    }
    if (ctx.block.height > j->reveal_deadline()) {
      return {errors::kRevealClosed, "reveal_result: the reveal deadline " +
                                         std::to_string(j->reveal_deadline()) + " has passed"};
    }
    if (commitment(m.result_hash(), ctx.sender, m.salt()) != r->commitment()) {
      return {errors::kRevealMismatch,
              "reveal_result: result and salt do not match the commitment"};
    }
    return Status::ok();
  }
  Status apply(const v1::MsgRevealResult& msg, MsgContext& ctx) const override {
    ComputeKeeper keeper(ctx.state, ctx.locks, ctx.block, ctx.events);
    auto j = keeper.view().job(msg.job_id());  // preclaim: running, the sender committed
    auto* r = own_replica(*j, ctx.sender);
    r->set_result_hash(msg.result_hash());
    r->set_status(v1::REPLICA_STATUS_REVEALED);
    r->set_revealed_height(ctx.block.height);
    keeper.put_job(*j);
    const auto& stage =
        j->status() == v1::JOB_STATUS_AUDITING ? j->audit_replicas() : j->replicas();
    // Every replica of the stage revealed or missed: resolve in this block's end-block.
    const bool open = std::any_of(stage.begin(), stage.end(), [](const v1::Replica& x) {
      return x.status() == v1::REPLICA_STATUS_ASSIGNED ||
             x.status() == v1::REPLICA_STATUS_COMMITTED;
    });
    if (!open) keeper.schedule(j->id(), ctx.block.height);
    ctx.events.emit(events::kResultRevealed)
        .attr("job_id", j->id())
        .attr("node", r->node())
        .attr("result_hash", to_hex(r->result_hash()));
    return Status::ok();
  }
};

class AttestHandler final : public ledger::Handler<v1::MsgAttestEnergy> {
 protected:
  Status check(const v1::MsgAttestEnergy& msg, const v1::LedgerParams&) const override {
    if (!crypto::Address::parse(msg.node())) {
      return {errors::kBadNodeAddress, "attest_energy: node is not a btt address"};
    }
    return Status::ok();
  }
  Status preclaim(const v1::MsgAttestEnergy& msg, const ledger::ReadContext& ctx) const override {
    ComputeView v(ctx.state);
    if (!roles::has_role(ctx.state, roles::kComputeAttester, ctx.sender)) {
      return {errors::kNotAttester, ctx.sender.to_string() + " is not an energy attester"};
    }
    auto n = v.node(*crypto::Address::parse(msg.node()));
    if (!n || n->status() == v1::NODE_STATUS_UNREGISTERED) {
      return {errors::kNoNode, "attest_energy: no node " + msg.node()};
    }
    return Status::ok();
  }
  Status apply(const v1::MsgAttestEnergy& msg, MsgContext& ctx) const override {
    ComputeKeeper keeper(ctx.state, ctx.locks, ctx.block, ctx.events);
    const auto addr = *crypto::Address::parse(msg.node());
    auto n = keeper.view().node(addr);
    n->set_energy_efficiency(msg.energy_efficiency());
    n->set_energy_attested(true);
    keeper.put_node(addr, *n);
    ctx.events.emit(events::kEnergyAttested)
        .attr("node", n->operator_())
        .attr("energy_efficiency", n->energy_efficiency())
        .attr("attester", ctx.sender.to_string());
    return Status::ok();
  }
};

class BanHandler final : public ledger::Handler<v1::MsgBanNode> {
 protected:
  Status check(const v1::MsgBanNode& msg, const v1::LedgerParams&) const override {
    if (!crypto::Address::parse(msg.node())) {
      return {errors::kBadNodeAddress, "ban_node: node is not a btt address"};
    }
    return Status::ok();
  }
  Status preclaim(const v1::MsgBanNode& msg, const ledger::ReadContext& ctx) const override {
    if (!ComputeView(ctx.state).node(*crypto::Address::parse(msg.node()))) {
      return {errors::kNoNode, "ban_node: no node " + msg.node()};
    }
    return Status::ok();
  }
  Status apply(const v1::MsgBanNode& msg, MsgContext& ctx) const override {
    const auto node = *crypto::Address::parse(msg.node());
    ComputeKeeper(ctx.state, ctx.locks, ctx.block, ctx.events)
        .set_ban(ctx.sender, node, msg.banned());
    ctx.events.emit(events::kNodeBanned)
        .attr("provider", ctx.sender.to_string())
        .attr("node", node.to_string())
        .attr("banned", msg.banned() ? "true" : "false");
    return Status::ok();
  }
};

}  // namespace

const std::vector<const ledger::MsgHandler*>& compute_handlers() {
  static const RegisterHandler kRegister;
  static const UpdateHandler kUpdate;
  static const PauseHandler kPause;
  static const UnregisterHandler kUnregister;
  static const HeartbeatHandler kHeartbeat;
  static const PostJobHandler kPost;
  static const CancelJobHandler kCancel;
  static const CommitHandler kCommit;
  static const RevealHandler kReveal;
  static const AttestHandler kAttest;
  static const BanHandler kBan;
  static const std::vector<const ledger::MsgHandler*> kAll = {
      &kRegister, &kUpdate, &kPause,  &kUnregister, &kHeartbeat, &kPost,
      &kCancel,   &kCommit, &kReveal, &kAttest,     &kBan};
  return kAll;
}

}  // namespace btt::modules::compute

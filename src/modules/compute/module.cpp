// Compute module: message handlers, genesis, block hooks and invariants (doc/compute.md).
#include <algorithm>

#include "btt/common/checked.h"
#include "btt/crypto/hash.h"
#include "btt/ledger/ledger.h"
#include "btt/modules/compute/compute.h"
#include "btt/modules/compute/events.h"
#include "btt/modules/compute/params.h"
#include "btt/modules/compute/view.h"
#include "btt/modules/tokenomics/tokenomics.h"
#include "market.h"

namespace btt::modules::compute {
namespace {

using ledger::MsgContext;

Status bad(const std::string& what) {
  return {Code::kInvalidArgument, what};
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
    return {Code::kInvalidAmount, std::string(where) + ": price_per_cu must be positive"};
  return Status::ok();
}

Status check_spendable(const ledger::ReadContext& ctx, uint64_t amount, const char* what) {
  auto l = ctx.ledger();
  const uint64_t have = l.balance(ctx.sender, ledger::kNativeAsset);
  if (have < amount) {
    return {Code::kInsufficientFunds, ctx.sender.to_string() + " has " + std::to_string(have) +
                                          " units of BTT, " + what + " needs " +
                                          std::to_string(amount)};
  }
  if (l.spendable(ctx.sender, ledger::kNativeAsset, ctx.block.time_ms) < amount) {
    return {Code::kLockedFunds,
            std::string(what) + " of " + std::to_string(amount) + " units: part is locked"};
  }
  return Status::ok();
}

// The sender's node, registered and not unbonding.
Result<v1::NodeRecord> live_node(const ledger::ReadContext& ctx, const char* what) {
  auto n = ComputeView(ctx.state).node(ctx.sender);
  if (!n || n->status() == v1::NODE_STATUS_UNREGISTERED) {
    return Status(Code::kUnknownRecord,
                  std::string(what) + ": " + ctx.sender.to_string() + " has no compute node");
  }
  if (n->status() == v1::NODE_STATUS_UNBONDING) {
    return Status(Code::kWrongState, std::string(what) + ": the node is unbonding");
  }
  return *n;
}

class RegisterHandler final : public ledger::Handler<v1::MsgRegisterNode> {
 protected:
  Status check(const v1::MsgRegisterNode& msg, const v1::LedgerParams&) const override {
    const auto& m = msg;
    if (auto s = check_node_fields(m.hardware(), m.region(), m.price_per_cu(), "register_node"); !s)
      return s;
    if (m.bond() == 0) return {Code::kInvalidAmount, "register_node: bond must be positive"};
    return Status::ok();
  }
  Status preclaim(const v1::MsgRegisterNode& msg, const ledger::ReadContext& ctx) const override {
    const auto& m = msg;
    ComputeView v(ctx.state);
    auto n = v.node(ctx.sender);
    if (n && n->status() != v1::NODE_STATUS_UNREGISTERED) {
      return {Code::kAlreadyExists, ctx.sender.to_string() + " has a compute node already"};
    }
    const auto p = v.params();
    if (m.bond() < p.min_bond()) {
      return {Code::kLimitExceeded, "register_node: bond " + std::to_string(m.bond()) +
                                        " is below the minimum " + std::to_string(p.min_bond())};
    }
    return check_spendable(ctx, m.bond(), "register_node bond");
  }
  Status apply(const v1::MsgRegisterNode& msg, MsgContext& ctx) const override {
    const auto& m = msg;
    Market market(ctx.state, ctx.locks, ctx.block, ctx.events);
    auto l = ctx.ledger();
    if (auto s =
            l.move(ctx.sender, bonds_address(), ledger::kNativeAsset, m.bond(), ctx.block.time_ms);
        !s)
      return s;
    // A re-registering operator keeps its history (faults, reputation) but starts a new bond.
    v1::NodeRecord n = market.view().node(ctx.sender).value_or(v1::NodeRecord{});
    if (n.operator_().empty()) n.set_reputation_bps(market.params().reputation_initial_bps());
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
    market.put_node(ctx.sender, n);
    market.count_heartbeat(ctx.sender);
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
      return {Code::kBalanceOverflow, "update_node: bond overflows"};
    }
    return check_spendable(ctx, msg.add_bond(), "update_node add_bond");
  }
  Status apply(const v1::MsgUpdateNode& msg, MsgContext& ctx) const override {
    const auto& m = msg;
    Market market(ctx.state, ctx.locks, ctx.block, ctx.events);
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
    market.put_node(ctx.sender, *n);
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
    Market market(ctx.state, ctx.locks, ctx.block, ctx.events);
    auto n = live_node(ctx.read(), "pause_node");
    if (!n) return n.status();
    n->set_status(msg.paused() ? v1::NODE_STATUS_PAUSED : v1::NODE_STATUS_ACTIVE);
    market.put_node(ctx.sender, *n);
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
      return {Code::kWrongState, "unregister_node: the node holds " +
                                     std::to_string(n->open_replicas()) + " open replicas"};
    }
    return Status::ok();
  }
  Status apply(const v1::MsgUnregisterNode& msg, MsgContext& ctx) const override {
    if (auto s = preclaim(msg, ctx.read()); !s) return s;
    Market market(ctx.state, ctx.locks, ctx.block, ctx.events);
    auto n = market.view().node(ctx.sender);
    const uint64_t at = ctx.block.height + market.params().unbonding_blocks();
    n->set_status(v1::NODE_STATUS_UNBONDING);
    n->set_unbond_height(at);
    market.put_node(ctx.sender, *n);
    ctx.state.put(unbond_key(at, ctx.sender), "");
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
      return {Code::kLimitExceeded, "heartbeat: at most one per " + std::to_string(interval) +
                                        " blocks; next at height " + std::to_string(next)};
    }
    return Status::ok();
  }
  Status apply(const v1::MsgHeartbeat& msg, MsgContext& ctx) const override {
    if (auto s = preclaim(msg, ctx.read()); !s) return s;
    Market market(ctx.state, ctx.locks, ctx.block, ctx.events);
    auto n = market.view().node(ctx.sender);
    n->set_last_heartbeat_height(ctx.block.height);
    market.put_node(ctx.sender, *n);
    market.count_heartbeat(ctx.sender);
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
      return {Code::kInvalidAmount, "post_job: max_price_per_cu must be positive"};
    }
    return Status::ok();
  }
  Status preclaim(const v1::MsgPostJob& msg, const ledger::ReadContext& ctx) const override {
    const auto& m = msg;
    const auto p = ComputeView(ctx.state).params();
    if (!is_job_kind(p, m.kind())) {
      return {Code::kUnknownRecord, "post_job: job kind '" + m.kind() + "' is not registered"};
    }
    auto cost = max_cost(p, m);
    if (!cost) return {Code::kLimitExceeded, "post_job: maximum cost overflows"};
    return check_spendable(ctx, *cost, "post_job escrow");
  }
  Status apply(const v1::MsgPostJob& msg, MsgContext& ctx) const override {
    Market market(ctx.state, ctx.locks, ctx.block, ctx.events);
    return market.post(ctx.sender, msg);
  }
};

// A job the sender provided.
Result<v1::JobRecord> own_job(const ledger::ReadContext& ctx, uint64_t id, const char* what) {
  auto j = ComputeView(ctx.state).job(id);
  if (!j) return Status(Code::kUnknownRecord, std::string(what) + ": no job " + std::to_string(id));
  if (j->provider() != ctx.sender.to_string()) {
    return Status(Code::kUnauthorized, std::string(what) + ": job " + std::to_string(id) +
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
      return {Code::kWrongState, "cancel_job: job " + std::to_string(j->id()) + " is " +
                                     v1::JobStatus_Name(j->status()) +
                                     "; only pending jobs can be cancelled"};
    }
    return Status::ok();
  }
  Status apply(const v1::MsgCancelJob& msg, MsgContext& ctx) const override {
    if (auto s = preclaim(msg, ctx.read()); !s) return s;
    Market market(ctx.state, ctx.locks, ctx.block, ctx.events);
    auto j = own_job(ctx.read(), msg.job_id(), "cancel_job");
    return market.refund(*j, v1::JOB_STATUS_CANCELLED);
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
  if (!j) return Status(Code::kUnknownRecord, std::string(what) + ": no job " + std::to_string(id));
  if (j->status() != v1::JOB_STATUS_ASSIGNED && j->status() != v1::JOB_STATUS_AUDITING) {
    return Status(Code::kWrongState, std::string(what) + ": job " + std::to_string(id) + " is " +
                                         v1::JobStatus_Name(j->status()));
  }
  if (!own_replica(*j, ctx.sender)) {
    return Status(Code::kUnauthorized, std::string(what) + ": " + ctx.sender.to_string() +
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
      return {Code::kWrongState, "commit_result: committed already"};
    }
    if (ctx.block.height > j->commit_deadline()) {
      return {Code::kWrongState, "commit_result: the commit deadline " +
                                     std::to_string(j->commit_deadline()) + " has passed"};
    }
    return Status::ok();
  }
  Status apply(const v1::MsgCommitResult& msg, MsgContext& ctx) const override {
    if (auto s = preclaim(msg, ctx.read()); !s) return s;
    Market market(ctx.state, ctx.locks, ctx.block, ctx.events);
    auto j = running_job(ctx.read(), msg.job_id(), "commit_result");
    auto* r = own_replica(*j, ctx.sender);
    r->set_commitment(msg.commitment());
    r->set_status(v1::REPLICA_STATUS_COMMITTED);
    market.put_job(*j);
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
      return {Code::kWrongState, "reveal_result: the replica is " +
                                     v1::ReplicaStatus_Name(r->status()) + ", not committed"};
    }
    // Reveals open once every replica of the stage committed, or the commit deadline passed.
    const auto& stage =
        j->status() == v1::JOB_STATUS_AUDITING ? j->audit_replicas() : j->replicas();
    const bool all_committed = std::none_of(stage.begin(), stage.end(), [](const auto& x) {
      return x.status() == v1::REPLICA_STATUS_ASSIGNED;
    });
    if (!all_committed && ctx.block.height <= j->commit_deadline()) {
      return {Code::kWrongState,
              "reveal_result: reveals open when every replica committed or "
              "after height " +
                  std::to_string(j->commit_deadline())};
    }
    if (ctx.block.height > j->reveal_deadline()) {
      return {Code::kWrongState, "reveal_result: the reveal deadline " +
                                     std::to_string(j->reveal_deadline()) + " has passed"};
    }
    if (commitment(m.result_hash(), ctx.sender, m.salt()) != r->commitment()) {
      return {Code::kWrongState, "reveal_result: result and salt do not match the commitment"};
    }
    return Status::ok();
  }
  Status apply(const v1::MsgRevealResult& msg, MsgContext& ctx) const override {
    if (auto s = preclaim(msg, ctx.read()); !s) return s;
    Market market(ctx.state, ctx.locks, ctx.block, ctx.events);
    auto j = running_job(ctx.read(), msg.job_id(), "reveal_result");
    auto* r = own_replica(*j, ctx.sender);
    r->set_result_hash(msg.result_hash());
    r->set_status(v1::REPLICA_STATUS_REVEALED);
    r->set_revealed_height(ctx.block.height);
    market.put_job(*j);
    const auto& stage =
        j->status() == v1::JOB_STATUS_AUDITING ? j->audit_replicas() : j->replicas();
    // Every replica of the stage revealed or missed: resolve in this block's end-block.
    const bool open = std::any_of(stage.begin(), stage.end(), [](const v1::Replica& x) {
      return x.status() == v1::REPLICA_STATUS_ASSIGNED ||
             x.status() == v1::REPLICA_STATUS_COMMITTED;
    });
    if (!open) market.schedule(j->id(), ctx.block.height);
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
      return {Code::kInvalidAddress, "attest_energy: node is not a btt address"};
    }
    return Status::ok();
  }
  Status preclaim(const v1::MsgAttestEnergy& msg, const ledger::ReadContext& ctx) const override {
    ComputeView v(ctx.state);
    if (!is_attester(v.params(), ctx.sender.to_string())) {
      return {Code::kUnauthorized, ctx.sender.to_string() + " is not an energy attester"};
    }
    auto n = v.node(*crypto::Address::parse(msg.node()));
    if (!n || n->status() == v1::NODE_STATUS_UNREGISTERED) {
      return {Code::kUnknownRecord, "attest_energy: no node " + msg.node()};
    }
    return Status::ok();
  }
  Status apply(const v1::MsgAttestEnergy& msg, MsgContext& ctx) const override {
    if (auto s = preclaim(msg, ctx.read()); !s) return s;
    Market market(ctx.state, ctx.locks, ctx.block, ctx.events);
    const auto addr = *crypto::Address::parse(msg.node());
    auto n = market.view().node(addr);
    n->set_energy_efficiency(msg.energy_efficiency());
    n->set_energy_attested(true);
    market.put_node(addr, *n);
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
      return {Code::kInvalidAddress, "ban_node: node is not a btt address"};
    }
    return Status::ok();
  }
  Status preclaim(const v1::MsgBanNode& msg, const ledger::ReadContext& ctx) const override {
    if (!ComputeView(ctx.state).node(*crypto::Address::parse(msg.node()))) {
      return {Code::kUnknownRecord, "ban_node: no node " + msg.node()};
    }
    return Status::ok();
  }
  Status apply(const v1::MsgBanNode& msg, MsgContext& ctx) const override {
    if (auto s = preclaim(msg, ctx.read()); !s) return s;
    const auto node = *crypto::Address::parse(msg.node());
    if (msg.banned()) {
      ctx.state.put(ban_key(ctx.sender, node), "");
    } else {
      ctx.state.erase(ban_key(ctx.sender, node));
    }
    ctx.events.emit(events::kNodeBanned)
        .attr("provider", ctx.sender.to_string())
        .attr("node", node.to_string())
        .attr("banned", msg.banned() ? "true" : "false");
    return Status::ok();
  }
};

class ComputeModule final : public ledger::Module {
 public:
  std::string_view name() const override { return kModuleName; }
  uint32_t codespace() const override { return kCodespace; }
  std::vector<std::string_view> hooks_after() const override { return {tokenomics::kModuleName}; }
  std::vector<const ledger::MsgHandler*> handlers() const override {
    return {&register_, &update_, &pause_,  &unregister_, &heartbeat_, &post_,
            &cancel_,   &commit_, &reveal_, &attest_,     &ban_};
  }
  Result<nlohmann::json> export_genesis(const ledger::StateReader&) const override {
    return Status(Code::kInternal, "compute: genesis export is not built yet");
  }

  Status validate_genesis(const nlohmann::json& section,
                          const ledger::GenesisInfo&) const override {
    auto p = parse_params(section);
    return p ? Status::ok() : p.status();
  }

  Status init_genesis(const nlohmann::json& section, const ledger::GenesisInfo&,
                      ledger::BlockContext& ctx) override {
    auto p = parse_params(section);
    if (!p) return p.status();
    ctx.state.put(params_key(), p->SerializeAsString());
    ctx.state.put(epoch_key(), v1::EpochState{}.SerializeAsString());
    return Status::ok();
  }

  void end_block(ledger::BlockContext& ctx) override {
    if (!ctx.state.get(params_key())) return;  // a chain without compute state
    Market market(ctx.state, ctx.locks, ctx.block, ctx.events);
    market.process_due_jobs();
    market.release_bonds();
    market.close_epoch_if_due();
  }

  // The escrow account holds exactly the open jobs' escrow; the bonds account exactly the bonds.
  std::vector<std::string> check_invariants(const ledger::StateReader& state) const override {
    std::vector<std::string> out;
    if (!state.get(params_key())) return out;
    ComputeView v(state);
    ledger::Ledger l(state);
    uint64_t escrow = 0;
    for (uint64_t id : v.open_jobs()) {
      auto j = v.job(id);
      if (!j) {
        out.push_back("compute: open job " + std::to_string(id) + " has no record");
        continue;
      }
      escrow = checked_add(escrow, j->escrow()).value_or(UINT64_MAX);
    }
    const uint64_t held = l.balance(escrow_address(), ledger::kNativeAsset);
    if (held != escrow) {
      out.push_back("compute: escrow account holds " + std::to_string(held) +
                    ", open jobs escrow " + std::to_string(escrow));
    }
    uint64_t bonds = 0;
    size_t indexed = 0;
    state.scan("cmp/price/", [&](std::string_view, std::string_view) {
      ++indexed;
      return true;
    });
    size_t live = 0;
    for (const auto& n : v.nodes()) {
      if (n.status() != v1::NODE_STATUS_UNREGISTERED) {
        ++live;
        auto addr = crypto::Address::parse(n.operator_());
        if (!addr ||
            !state.get(price_index_key(n.hardware().accelerator_kind(), n.price_per_cu(), *addr))) {
          out.push_back("compute: node " + n.operator_() + " missing from the price index");
        }
      }
      bonds = checked_add(bonds, n.bond()).value_or(UINT64_MAX);
      if (n.reputation_bps() > kBps) {
        out.push_back("compute: node " + n.operator_() + " reputation above 10000");
      }
    }
    if (indexed != live) {
      out.push_back("compute: price index holds " + std::to_string(indexed) + " entries for " +
                    std::to_string(live) + " nodes");
    }
    const uint64_t bonded = l.balance(bonds_address(), ledger::kNativeAsset);
    if (bonded != bonds) {
      out.push_back("compute: bonds account holds " + std::to_string(bonded) +
                    ", node bonds sum to " + std::to_string(bonds));
    }
    return out;
  }

 private:
  RegisterHandler register_;
  UpdateHandler update_;
  PauseHandler pause_;
  UnregisterHandler unregister_;
  HeartbeatHandler heartbeat_;
  PostJobHandler post_;
  CancelJobHandler cancel_;
  CommitHandler commit_;
  RevealHandler reveal_;
  AttestHandler attest_;
  BanHandler ban_;
};

}  // namespace

crypto::Address escrow_address() {
  return crypto::Address::for_module("compute/escrow");
}
crypto::Address bonds_address() {
  return crypto::Address::for_module("compute/bonds");
}
crypto::Address development_fund_address() {
  return crypto::Address::for_module("compute/development_fund");
}
crypto::Address foundation_address() {
  return crypto::Address::for_module("compute/foundation");
}
crypto::Address operational_reserve_address() {
  return crypto::Address::for_module("compute/operational_reserve");
}

Bytes commitment(std::string_view result_hash, const crypto::Address& node, std::string_view salt) {
  Bytes data(result_hash);
  data.append(node.raw());
  data.append(salt);
  return to_bytes(crypto::tagged_hash(kCommitTag, data));
}

std::unique_ptr<ledger::Module> make_compute_module() {
  return std::make_unique<ComputeModule>();
}

}  // namespace btt::modules::compute

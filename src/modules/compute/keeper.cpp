// The compute keeper: escrow, assignment, commit-reveal resolution, audits, settlement, slashing,
// unbonding and the epoch distribution of the mining emission (doc/compute.md).
#include "keeper.h"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

#include "btt/common/amount.h"
#include "btt/common/checked.h"
#include "btt/crypto/hash.h"
#include "btt/modules/compute/compute.h"
#include "btt/modules/compute/errors.h"
#include "btt/modules/compute/events.h"
#include "btt/modules/compute/params.h"
#include "btt/modules/tokenomics/tokenomics.h"
#include "btt/modules/tokenomics/view.h"

#include "keys.h"

namespace btt::modules::compute {
namespace {

constexpr uint64_t kPriceIndexScale = 1'000'000;
// Stage numbers mixed into the entropy so each draw of a job differs.
constexpr uint64_t kStagePrimary = 0;
constexpr uint64_t kStageReassign = 1;
constexpr uint64_t kStageAuditDraw = 2;
constexpr uint64_t kStageAuditor = 3;
constexpr uint64_t kStageReferee = 4;

bool is_open(v1::ReplicaStatus s) {
  return s == v1::REPLICA_STATUS_ASSIGNED || s == v1::REPLICA_STATUS_COMMITTED ||
         s == v1::REPLICA_STATUS_REVEALED;
}

crypto::Address addr_of(const std::string& text) {
  // Only addresses this module wrote reach here.
  auto a = crypto::Address::from_own_canonical(text);
  if (!a) throw std::logic_error("compute: stored address '" + text + "' does not decode");
  return *a;
}

google::protobuf::RepeatedPtrField<v1::Replica>* stage_of(v1::JobRecord& j) {
  return j.status() == v1::JOB_STATUS_AUDITING ? j.mutable_audit_replicas() : j.mutable_replicas();
}

}  // namespace

ComputeKeeper::ComputeKeeper(ledger::Overlay& state, const ledger::LockProviders* locks,
                             const ledger::BlockInfo& block, ledger::Events& events)
    : state_(state), locks_(locks), block_(block), events_(events) {
  params_ = ComputeView(state_).params();
}

void ComputeKeeper::put_node(const crypto::Address& addr, const v1::NodeRecord& n) {
  // Keep the price index (kind, price, node) in step: assignment scans it cheapest first.
  auto index_of = [&](const v1::NodeRecord& r) -> std::optional<Bytes> {
    if (r.operator_().empty() || r.status() == v1::NODE_STATUS_UNREGISTERED) return std::nullopt;
    return keys::price_entry(r.hardware().accelerator_kind(), r.price_per_cu(), addr);
  };
  const auto old = view().node(addr);
  const auto old_key = old ? index_of(*old) : std::nullopt;
  const auto new_key = index_of(n);
  if (old_key != new_key) {
    if (old_key) state_.erase(*old_key);
    if (new_key) state_.put(*new_key, "");
  }
  v1::NodeRecord copy = n;
  copy.clear_online();  // a query-only field
  state_.put(keys::node(addr), copy.SerializeAsString());
}

void ComputeKeeper::put_job(v1::JobRecord& j) {
  j.set_updated_height(block_.height);
  // Pending jobs retry assignment every block; the index keeps that scan to pending jobs.
  if (j.status() == v1::JOB_STATUS_PENDING) {
    state_.put(keys::pending(j.id()), "");
  } else {
    state_.erase(keys::pending(j.id()));
  }
  state_.put(keys::job(j.id()), j.SerializeAsString());
}

void ComputeKeeper::schedule(uint64_t job_id, uint64_t height) {
  state_.put(keys::due(height, job_id), "");
}

void ComputeKeeper::schedule_unbond(uint64_t height, const crypto::Address& node) {
  state_.put(keys::unbond(height, node), "");
}

void ComputeKeeper::set_ban(const crypto::Address& provider, const crypto::Address& node,
                            bool banned) {
  if (banned) {
    state_.put(keys::ban(provider, node), "");
  } else {
    state_.erase(keys::ban(provider, node));
  }
}

void ComputeKeeper::init(const v1::ComputeParams& params) {
  params_ = params;
  state_.put(keys::params(), params.SerializeAsString());
  state_.put(keys::epoch(), v1::EpochState{}.SerializeAsString());
}

void ComputeKeeper::import_state(const v1::ComputeGenesisState& st) {
  params_ = st.params();
  state_.put(keys::params(), st.params().SerializeAsString());
  state_.put(keys::epoch(), st.epoch().SerializeAsString());
  for (const auto& n : st.nodes()) put_node(addr_of(n.operator_()), n);
  for (const auto& j : st.jobs()) {
    // As post(), put_job() and close_job() leave them: every job on its provider's list, open
    // while pending, assigned or auditing, on the pending list while pending.
    state_.put(keys::job(j.id()), j.SerializeAsString());
    state_.put(keys::provider_job(addr_of(j.provider()), j.id()), "");
    if (j.status() == v1::JOB_STATUS_PENDING || j.status() == v1::JOB_STATUS_ASSIGNED ||
        j.status() == v1::JOB_STATUS_AUDITING) {
      state_.put(keys::open(j.id()), "");
    }
    if (j.status() == v1::JOB_STATUS_PENDING) state_.put(keys::pending(j.id()), "");
  }
  if (st.next_job() != 0) state_.put(keys::next_job(), u64_be(st.next_job()));
  for (const auto& e : st.node_jobs()) state_.put(keys::node_job(addr_of(e.node()), e.job()), "");
  for (const auto& e : st.bans()) set_ban(addr_of(e.provider()), addr_of(e.node()), true);
  for (const auto& e : st.unbonds()) schedule_unbond(e.height(), addr_of(e.node()));
  for (const auto& e : st.due()) schedule(e.job(), e.height());
  for (const auto& e : st.epoch_stats()) {
    state_.put(keys::epoch_stats(addr_of(e.address())), e.stats().SerializeAsString());
  }
  for (const auto& r : st.rewards()) {
    state_.put(keys::reward(r.epoch(), addr_of(r.node())), r.SerializeAsString());
  }
  for (const auto& e : st.epoch_summaries()) {
    state_.put(keys::epoch_summary(e.epoch()), e.SerializeAsString());
  }
  for (const auto& m : st.stats())
    state_.put(keys::stats(m.accelerator_kind()), m.SerializeAsString());
}

void ComputeKeeper::count_heartbeat(const crypto::Address& node) {
  v1::NodeEpochStats s = view().epoch_stats(node);
  s.set_heartbeats(s.heartbeats() + 1);
  state_.put(keys::epoch_stats(node), s.SerializeAsString());
}

void ComputeKeeper::move(const crypto::Address& from, const crypto::Address& to, uint64_t amount) {
  if (amount == 0) return;
  ledger::Ledger l(state_, events_, locks_);
  // Module accounts hold what the invariants say they hold; a failure means corrupt state.
  if (auto s = l.move(from, to, ledger::kNativeAsset, amount, block_.time_ms); !s) {
    throw std::logic_error("compute: cannot move " + std::to_string(amount) + ": " + s.to_string());
  }
}

Bytes ComputeKeeper::entropy(uint64_t job_id, uint64_t stage) const {
  Bytes data = block_.prev_hash;
  put_u64_be(data, job_id);
  put_u64_be(data, stage);
  return to_bytes(crypto::tagged_hash(kEntropyTag, data));
}

Status ComputeKeeper::post(const crypto::Address& provider, const v1::MsgPostJob& m) {
  auto cost = max_cost(params_, m);
  if (!cost) return {errors::kCostOverflow, "post_job: maximum cost overflows"};
  const uint64_t id = view().next_job_id();
  ledger::Ledger l(state_, events_, locks_);
  if (auto s = l.move(provider, escrow_address(), ledger::kNativeAsset, *cost, block_.time_ms); !s)
    return s;
  state_.put(keys::next_job(), u64_be(id + 1));
  v1::JobRecord j;
  j.set_id(id);
  j.set_provider(provider.to_string());
  j.set_kind(m.kind());
  j.set_input_hash(m.input_hash());
  j.set_input_size(m.input_size());
  j.set_locator(m.locator());
  *j.mutable_requirements() = m.requirements();
  j.set_compute_units(m.compute_units());
  j.set_urgency(m.urgency());
  j.set_redundancy(m.redundancy());
  j.set_max_price_per_cu(m.max_price_per_cu());
  j.set_escrow(*cost);
  j.set_max_cost(*cost);
  j.set_data_fee(*data_fee(m.input_size(), params_.data_fee_per_mib()));
  j.set_status(v1::JOB_STATUS_PENDING);
  j.set_posted_height(block_.height);
  j.set_expires_height(block_.height + params_.urgency(m.urgency()).deadline_blocks());
  state_.put(keys::open(id), "");
  state_.put(keys::provider_job(provider, id), "");
  events_.emit(events::kJobPosted)
      .attr("job_id", id)
      .attr("provider", j.provider())
      .attr("kind", j.kind())
      .attr("escrow", *cost);
  if (!assign_primaries(j)) put_job(j);
  return Status::ok();
}

std::vector<v1::NodeRecord> ComputeKeeper::pick(const v1::JobRecord& j, size_t n, uint64_t stage) {
  std::set<std::string> taken(j.excluded().begin(), j.excluded().end());
  for (const auto& r : j.replicas()) taken.insert(r.node());
  for (const auto& r : j.audit_replicas()) taken.insert(r.node());
  const auto provider = addr_of(j.provider());
  const auto& req = j.requirements();
  const Bytes seed = entropy(j.id(), stage);
  ComputeView v = view();
  // (price, tie hash, node): a total order, so the pick is the same on every node. The index is in
  // price order, so the scan stops at the job's maximum price, or once n nodes are eligible and
  // the price moved past the n-th one's (later nodes could not be picked).
  std::vector<std::tuple<uint64_t, Bytes, v1::NodeRecord>> eligible;
  const Bytes prefix = keys::price_index(req.accelerator_kind());
  state_.scan(prefix, [&](std::string_view key, std::string_view) {
    std::string_view rest = key.substr(prefix.size());
    uint64_t price = 0;
    if (!get_u64_be(rest, price)) return true;
    if (price > j.max_price_per_cu()) return false;
    if (eligible.size() >= n && price > std::get<0>(eligible[n - 1])) return false;
    auto addr = crypto::Address::from_bytes(rest);
    if (!addr) return true;
    auto node = v.node(*addr);
    if (!node) return true;
    if (node->status() != v1::NODE_STATUS_ACTIVE) return true;
    if (!is_online(*node, params_, block_.height)) return true;
    if (node->bond() < params_.min_bond()) return true;
    if (node->reputation_bps() < params_.reputation_floor_bps()) return true;
    const auto& hw = node->hardware();
    if (!req.models().empty() &&
        std::find(req.models().begin(), req.models().end(), hw.model()) == req.models().end())
      return true;
    if (hw.memory_gb() < req.min_memory_gb() || hw.count() < req.min_count()) return true;
    if (node->operator_() == j.provider() || taken.count(node->operator_())) return true;
    if (v.banned(provider, *addr)) return true;
    Bytes tie = to_bytes(crypto::tagged_hash(kEntropyTag, seed + std::string(addr->raw())));
    eligible.emplace_back(price, std::move(tie), std::move(*node));
    return true;
  });
  if (eligible.size() < n) return {};
  std::sort(eligible.begin(), eligible.end(), [](const auto& a, const auto& b) {
    if (std::get<0>(a) != std::get<0>(b)) return std::get<0>(a) < std::get<0>(b);
    return std::get<1>(a) < std::get<1>(b);
  });
  std::vector<v1::NodeRecord> out;
  for (size_t i = 0; i < n; ++i) out.push_back(std::get<2>(eligible[i]));
  return out;
}

v1::Replica ComputeKeeper::make_replica(const v1::JobRecord& j, const v1::NodeRecord& node,
                                        v1::ReplicaRole role) {
  v1::Replica r;
  r.set_node(node.operator_());
  r.set_role(role);
  // max_cost bounded this product at posting with a price >= this node's ask.
  r.set_price(replica_price(j.compute_units(), node.price_per_cu(),
                            hardware_multiplier(params_, j.requirements().accelerator_kind()),
                            params_.urgency(j.urgency()).multiplier_bps())
                  .value_or(0));
  r.set_status(v1::REPLICA_STATUS_ASSIGNED);
  r.set_assigned_height(block_.height);
  const auto addr = addr_of(node.operator_());
  v1::NodeRecord n = node;
  n.set_open_replicas(n.open_replicas() + 1);
  put_node(addr, n);
  state_.put(keys::node_job(addr, j.id()), "");
  events_.emit(events::kReplicaAssigned)
      .attr("job_id", j.id())
      .attr("node", node.operator_())
      .attr("role", v1::ReplicaRole_Name(role))
      .attr("price", r.price());
  return r;
}

void ComputeKeeper::start_stage(v1::JobRecord& j) {
  const uint64_t deadline = params_.urgency(j.urgency()).deadline_blocks();
  j.set_commit_deadline(block_.height + deadline);
  j.set_reveal_deadline(block_.height + deadline + params_.reveal_blocks());
  // Misses are decided at the end of each deadline's block.
  schedule(j.id(), j.commit_deadline());
  schedule(j.id(), j.reveal_deadline());
}

bool ComputeKeeper::assign_primaries(v1::JobRecord& j) {
  auto nodes = pick(j, j.redundancy(), j.round() == 0 ? kStagePrimary : kStageReassign);
  if (nodes.empty()) return false;
  j.clear_replicas();
  for (const auto& n : nodes) *j.add_replicas() = make_replica(j, n, v1::REPLICA_ROLE_PRIMARY);
  j.set_status(v1::JOB_STATUS_ASSIGNED);
  start_stage(j);
  put_job(j);
  return true;
}

Status ComputeKeeper::refund(v1::JobRecord& j, v1::JobStatus status) {
  const uint64_t amount = j.escrow();
  move(escrow_address(), addr_of(j.provider()), amount);
  j.set_refunded(saturating_add(j.refunded(), amount));
  j.set_escrow(0);
  j.set_status(status);
  for (auto* list : {j.mutable_replicas(), j.mutable_audit_replicas()}) {
    for (auto& r : *list) {
      if (is_open(r.status())) finalize(j, r, v1::REPLICA_STATUS_MISSED);
    }
  }
  close_job(j);
  events_.emit(events::kJobRefunded)
      .attr("job_id", j.id())
      .attr("status", v1::JobStatus_Name(status))
      .attr("amount", amount);
  return Status::ok();
}

void ComputeKeeper::close_job(v1::JobRecord& j) {
  j.set_settled_height(block_.height);
  state_.erase(keys::open(j.id()));
  put_job(j);
}

void ComputeKeeper::finalize(const v1::JobRecord& j, v1::Replica& r, v1::ReplicaStatus status) {
  if (is_open(r.status())) {
    const auto addr = addr_of(r.node());
    if (auto n = view().node(addr)) {
      n->set_open_replicas(n->open_replicas() > 0 ? n->open_replicas() - 1 : 0);
      put_node(addr, *n);
    }
  }
  r.set_status(status);
  // Misses and disagreements count against the node's quality (a result worth 0).
  if (status == v1::REPLICA_STATUS_MISSED || status == v1::REPLICA_STATUS_DISAGREED) {
    const auto addr = addr_of(r.node());
    v1::NodeEpochStats s = view().epoch_stats(addr);
    s.set_results(s.results() + 1);
    state_.put(keys::epoch_stats(addr), s.SerializeAsString());
  }
}

void ComputeKeeper::slash(const v1::JobRecord& j, v1::Replica& r, const char* reason) {
  const auto addr = addr_of(r.node());
  auto n = view().node(addr);
  if (!n) return;
  const uint64_t amount = *mul_div_floor(n->bond(), params_.slash_bps(), kBps);
  if (amount > 0) {
    // Slashed bond is burned: nobody profits from a fault, so nobody is paid to provoke one.
    if (auto s = tokenomics::burn(state_, events_, locks_, bonds_address(), amount,
                                  kSlashBurnSource, block_.time_ms);
        !s) {
      throw std::logic_error("compute: slash burn failed: " + s.to_string());
    }
  }
  n->set_bond(*checked_sub(n->bond(), amount));  // amount = slash_bps of the bond
  n->set_slashed(saturating_add(n->slashed(), amount));
  n->set_faults(n->faults() + 1);
  n->set_reputation_bps(n->reputation_bps() > params_.reputation_penalty_bps()
                            ? n->reputation_bps() - params_.reputation_penalty_bps()
                            : 0);
  put_node(addr, *n);
  r.set_slashed(saturating_add(r.slashed(), amount));
  events_.emit(events::kNodeSlashed)
      .attr("job_id", j.id())
      .attr("node", r.node())
      .attr("amount", amount)
      .attr("reason", reason);
}

void ComputeKeeper::process_due_jobs() {
  // Work is proportional to the jobs due now, not to every open job: pending jobs (waiting for
  // nodes), then jobs whose deadline is this block or whose last replica revealed in it.
  std::vector<uint64_t> ids;
  state_.scan(keys::all_pending(), [&](std::string_view key, std::string_view) {
    std::string_view in = key.substr(keys::all_pending().size());
    uint64_t id = 0;
    if (get_u64_be(in, id)) ids.push_back(id);
    return true;
  });
  std::vector<Bytes> done;
  state_.scan(keys::all_due(), [&](std::string_view key, std::string_view) {
    std::string_view in = key.substr(keys::all_due().size());
    uint64_t h = 0, id = 0;
    if (!get_u64_be(in, h) || h > block_.height) return false;
    if (get_u64_be(in, id)) ids.push_back(id);
    done.emplace_back(key);
    return true;
  });
  for (const auto& k : done) state_.erase(k);
  std::set<uint64_t> seen;
  for (uint64_t id : ids) {
    if (!seen.insert(id).second) continue;
    auto j = view().job(id);
    if (!j || !state_.get(keys::open(id))) continue;  // settled or refunded already
    process(*j);
  }
}

void ComputeKeeper::process(v1::JobRecord& j) {
  if (j.status() == v1::JOB_STATUS_PENDING) {
    if (assign_primaries(j)) return;
    if (block_.height >= j.expires_height()) {
      (void)refund(j, j.round() == 0 ? v1::JOB_STATUS_EXPIRED : v1::JOB_STATUS_FAILED);
    }
    return;
  }
  auto* stage = stage_of(j);
  bool changed = false;
  if (block_.height >= j.commit_deadline()) {  // no commit can arrive after this block
    for (auto& r : *stage) {
      if (r.status() == v1::REPLICA_STATUS_ASSIGNED) {
        slash(j, r, "missed_commit");
        finalize(j, r, v1::REPLICA_STATUS_MISSED);
        changed = true;
      }
    }
  }
  bool all_done = true;
  for (const auto& r : *stage) {
    if (r.status() == v1::REPLICA_STATUS_ASSIGNED || r.status() == v1::REPLICA_STATUS_COMMITTED) {
      all_done = false;
    }
  }
  if (!all_done && block_.height >= j.reveal_deadline()) {
    for (auto& r : *stage) {
      if (r.status() == v1::REPLICA_STATUS_COMMITTED) {
        slash(j, r, "missed_reveal");
        finalize(j, r, v1::REPLICA_STATUS_MISSED);
      }
    }
    all_done = true;
  }
  if (!all_done) {
    if (changed) put_job(j);
    return;
  }
  if (j.status() == v1::JOB_STATUS_ASSIGNED) {
    resolve_primaries(j);
  } else {
    resolve_audit(j);
  }
}

void ComputeKeeper::resolve_primaries(v1::JobRecord& j) {
  std::map<std::string, uint32_t> counts;
  for (const auto& r : j.replicas()) {
    if (r.status() == v1::REPLICA_STATUS_REVEALED) ++counts[r.result_hash()];
  }
  std::optional<std::string> majority;
  for (const auto& [result, count] : counts) {
    if (count * 2 > static_cast<uint32_t>(j.replicas_size())) majority = result;
  }
  if (!majority) {
    no_majority(j);
    return;
  }
  for (auto& r : *j.mutable_replicas()) {
    if (r.status() == v1::REPLICA_STATUS_REVEALED && r.result_hash() != *majority) {
      slash(j, r, "disagreed");
      finalize(j, r, v1::REPLICA_STATUS_DISAGREED);
    }
  }
  // A single result may be audited: entropy decides, with probability audit_bps / 10^4.
  if (j.redundancy() == 1 && !j.audited() && params_.audit_bps() > 0) {
    const Bytes draw = entropy(j.id(), kStageAuditDraw);
    std::string_view in(draw);
    uint64_t x = 0;
    (void)get_u64_be(in, x);
    if (x % kBps < params_.audit_bps()) {
      j.set_audited(true);
      auto auditor = pick(j, 1, kStageAuditor);
      if (!auditor.empty()) {
        *j.add_audit_replicas() = make_replica(j, auditor[0], v1::REPLICA_ROLE_AUDITOR);
        j.set_status(v1::JOB_STATUS_AUDITING);
        start_stage(j);
        events_.emit(events::kJobAudited)
            .attr("job_id", j.id())
            .attr("auditor", auditor[0].operator_());
        put_job(j);
        return;
      }
    }
  }
  std::vector<v1::Replica*> payees;
  uint64_t charge = 0;
  for (auto& r : *j.mutable_replicas()) {
    if (r.status() == v1::REPLICA_STATUS_REVEALED && r.result_hash() == *majority) {
      payees.push_back(&r);
      charge += r.price();  // each <= the escrowed replica price, their sum <= escrow
    }
  }
  accept(j, *majority, charge, payees);
}

void ComputeKeeper::resolve_audit(v1::JobRecord& j) {
  v1::Replica& primary = *j.mutable_replicas(0);
  const std::string original = primary.result_hash();
  v1::Replica& auditor = *j.mutable_audit_replicas(0);
  auto accept_original = [&] {
    std::vector<v1::Replica*> payees{&primary};
    accept(j, original, primary.price(), payees);
  };
  if (j.audit_replicas_size() == 1) {
    if (auditor.status() != v1::REPLICA_STATUS_REVEALED) {  // missed: slashed in process()
      accept_original();
      return;
    }
    if (auditor.result_hash() == original) {
      accept_original();
      return;
    }
    // A mismatch goes to a third node.
    auto referee = pick(j, 1, kStageReferee);
    if (referee.empty()) {  // nobody to decide: the original stands, nobody is slashed
      finalize(j, auditor, v1::REPLICA_STATUS_UNDECIDED);
      accept_original();
      return;
    }
    *j.add_audit_replicas() = make_replica(j, referee[0], v1::REPLICA_ROLE_REFEREE);
    start_stage(j);
    events_.emit(events::kAuditDisputed)
        .attr("job_id", j.id())
        .attr("referee", referee[0].operator_());
    put_job(j);
    return;
  }
  v1::Replica& referee = *j.mutable_audit_replicas(1);
  v1::Replica& auditor2 = *j.mutable_audit_replicas(0);
  if (referee.status() != v1::REPLICA_STATUS_REVEALED) {  // missed: the original stands
    finalize(j, auditor2, v1::REPLICA_STATUS_UNDECIDED);
    accept_original();
    return;
  }
  if (referee.result_hash() == original) {
    slash(j, auditor2, "audit_lost");
    finalize(j, auditor2, v1::REPLICA_STATUS_DISAGREED);
    accept_original();
    return;
  }
  if (referee.result_hash() == auditor2.result_hash()) {
    slash(j, primary, "audit_lost");
    finalize(j, primary, v1::REPLICA_STATUS_DISAGREED);
    // The provider pays what it agreed to for one replica; auditor and referee share it.
    std::vector<v1::Replica*> payees{&auditor2, &referee};
    accept(j, auditor2.result_hash(), primary.price(), payees);
    return;
  }
  no_majority(j);
}

void ComputeKeeper::no_majority(v1::JobRecord& j) {
  for (auto* list : {j.mutable_replicas(), j.mutable_audit_replicas()}) {
    for (auto& r : *list) {
      if (is_open(r.status())) finalize(j, r, v1::REPLICA_STATUS_UNDECIDED);
    }
  }
  events_.emit(events::kNoMajority).attr("job_id", j.id()).attr("round", j.round());
  if (j.round() > 0) {
    (void)refund(j, v1::JOB_STATUS_FAILED);
    return;
  }
  // Reassigned once, to nodes that did not hold this job before.
  j.set_round(1);
  for (const auto& list : {j.replicas(), j.audit_replicas()}) {
    for (const auto& r : list) j.add_excluded(r.node());
  }
  j.clear_replicas();
  j.clear_audit_replicas();
  j.set_audited(false);
  j.set_status(v1::JOB_STATUS_PENDING);
  j.set_expires_height(block_.height + params_.urgency(j.urgency()).deadline_blocks());
  if (!assign_primaries(j)) put_job(j);
}

void ComputeKeeper::accept(v1::JobRecord& j, const std::string& result, uint64_t charge,
                           const std::vector<v1::Replica*>& payees) {
  const uint64_t cost = std::min(saturating_add(charge, j.data_fee()), j.escrow());
  const Split split = split_cost(cost, payees.size());
  auto fund = [](const std::string& text) { return addr_of(text); };
  for (auto* r : payees) {
    const auto addr = addr_of(r->node());
    move(escrow_address(), addr, split.per_node);
    r->set_paid(split.per_node);
  }
  move(escrow_address(), fund(params_.development_fund()), split.development);
  move(escrow_address(), fund(params_.foundation()), split.foundation);
  move(escrow_address(), fund(params_.operational_reserve()), split.reserve);
  const uint64_t refund_amount = *checked_sub(j.escrow(), cost);  // cost <= escrow
  move(escrow_address(), addr_of(j.provider()), refund_amount);
  j.set_cost(cost);
  j.set_refunded(refund_amount);
  j.set_escrow(0);
  j.set_result_hash(result);
  j.set_status(v1::JOB_STATUS_ACCEPTED);
  // Priority share: the urgency premium within the charged replicas' prices.
  const uint32_t urg = params_.urgency(j.urgency()).multiplier_bps();
  j.set_priority_share(urg <= kBps ? 0 : *checked_sub(charge, *mul_div_floor(charge, kBps, urg)));

  // Every replica that revealed the accepted result earns reputation and score.
  for (auto* list : {j.mutable_replicas(), j.mutable_audit_replicas()}) {
    for (auto& r : *list) {
      if (!is_open(r.status())) continue;
      if (r.status() != v1::REPLICA_STATUS_REVEALED || r.result_hash() != result) {
        finalize(j, r, v1::REPLICA_STATUS_UNDECIDED);
        continue;
      }
      finalize(j, r, v1::REPLICA_STATUS_AGREED);
      const auto addr = addr_of(r.node());
      auto n = view().node(addr);
      if (n) {
        n->set_results_accepted(n->results_accepted() + 1);
        n->set_reputation_bps(static_cast<uint32_t>(std::min<uint64_t>(
            kBps, static_cast<uint64_t>(n->reputation_bps()) + params_.reputation_reward_bps())));
        n->set_earned(saturating_add(n->earned(), r.paid()));
        put_node(addr, *n);
      }
      // Quality of this result: 1.0 revealed at once, falling linearly to 0.5 at the deadline.
      const uint64_t span =
          params_.urgency(j.urgency()).deadline_blocks() + params_.reveal_blocks();
      const uint64_t latency = std::min(span, r.revealed_height() - r.assigned_height());
      const uint64_t quality = kBps - *mul_div_floor(latency, kBps / 2, span);
      v1::NodeEpochStats s = view().epoch_stats(addr);
      s.set_compute_units(saturating_add(s.compute_units(), j.compute_units()));
      s.set_results(s.results() + 1);
      s.set_quality_sum_bps(saturating_add(s.quality_sum_bps(), quality));
      state_.put(keys::epoch_stats(addr), s.SerializeAsString());
    }
  }
  // Market statistics of the hardware class.
  const std::string& kind = j.requirements().accelerator_kind();
  v1::MarketStats st = view().stats(kind).value_or(v1::MarketStats{});
  st.set_accelerator_kind(kind);
  const uint64_t unit_price = mul_div_floor(cost, kPriceIndexScale, j.compute_units()).value_or(0);
  // Moving average over recent accepted jobs: each new job weighs 1/8.
  const auto blended = (static_cast<unsigned __int128>(st.price_index()) * 7 + unit_price) / 8;
  st.set_price_index(st.accepted_jobs() == 0 ? unit_price : static_cast<uint64_t>(blended));
  st.set_accepted_jobs(st.accepted_jobs() + 1);
  st.set_compute_units(saturating_add(st.compute_units(), j.compute_units()));
  st.set_volume(saturating_add(st.volume(), cost));
  state_.put(keys::stats(kind), st.SerializeAsString());

  events_.emit(events::kJobAccepted)
      .attr("job_id", j.id())
      .attr("result_hash", to_hex(result))
      .attr("cost", cost)
      .attr("per_node", split.per_node)
      .attr("nodes", static_cast<uint64_t>(payees.size()))
      .attr("development", split.development)
      .attr("foundation", split.foundation)
      .attr("reserve", split.reserve)
      .attr("refund", refund_amount);
  close_job(j);
}

void ComputeKeeper::release_bonds() {
  std::vector<std::pair<Bytes, crypto::Address>> due;
  state_.scan(keys::unbonds(), [&](std::string_view key, std::string_view) {
    std::string_view in = key.substr(keys::unbonds().size());
    uint64_t h = 0;
    if (!get_u64_be(in, h) || h > block_.height) return false;
    if (auto a = crypto::Address::from_bytes(in)) due.emplace_back(Bytes(key), *a);
    return true;
  });
  for (const auto& [key, addr] : due) {
    state_.erase(key);
    auto n = view().node(addr);
    if (!n) continue;
    move(bonds_address(), addr, n->bond());
    events_.emit(events::kBondReturned).attr("node", n->operator_()).attr("amount", n->bond());
    n->set_bond(0);
    n->set_status(v1::NODE_STATUS_UNREGISTERED);
    put_node(addr, *n);
  }
}

}  // namespace btt::modules::compute

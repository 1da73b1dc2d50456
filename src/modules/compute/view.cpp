// Reads of the compute state and the figures of its queries (doc/compute.md "Queries").
#include "btt/modules/compute/view.h"

#include <stdexcept>

#include "btt/common/checked.h"
#include "btt/ledger/keys.h"
#include "btt/modules/compute/compute.h"
#include "btt/modules/compute/params.h"

#include "keys.h"

namespace btt::modules::compute {
namespace {

// The id encoded in the last 8 bytes of an index key.
uint64_t trailing_id(std::string_view key) {
  if (key.size() < 8) return 0;
  std::string_view in = key.substr(key.size() - 8);
  uint64_t v = 0;
  return get_u64_be(in, v) ? v : 0;
}

}  // namespace

bool is_online(const v1::NodeRecord& n, const v1::ComputeParams& p, uint64_t height) {
  const uint64_t window = checked_mul(p.heartbeat_interval_blocks(), 2).value_or(UINT64_MAX);
  return height <= checked_add(n.last_heartbeat_height(), window).value_or(UINT64_MAX);
}

v1::ComputeParams ComputeView::params() const {
  auto p = ledger::read_record<v1::ComputeParams>(state_, keys::params());
  return p ? *p : default_params();
}

std::optional<v1::NodeRecord> ComputeView::node(const crypto::Address& addr) const {
  return ledger::read_record<v1::NodeRecord>(state_, keys::node(addr));
}

std::optional<v1::JobRecord> ComputeView::job(uint64_t id) const {
  return ledger::read_record<v1::JobRecord>(state_, keys::job(id));
}

uint64_t ComputeView::next_job_id() const {
  auto raw = state_.get(keys::next_job());
  if (!raw) return 1;
  std::string_view in(*raw);
  uint64_t v = 1;
  return get_u64_be(in, v) ? v : 1;
}

bool ComputeView::banned(const crypto::Address& provider, const crypto::Address& node) const {
  return state_.get(keys::ban(provider, node)).has_value();
}

v1::EpochState ComputeView::epoch() const {
  auto e = ledger::read_record<v1::EpochState>(state_, keys::epoch());
  return e ? *e : v1::EpochState{};
}

v1::NodeEpochStats ComputeView::epoch_stats(const crypto::Address& node) const {
  auto s = ledger::read_record<v1::NodeEpochStats>(state_, keys::epoch_stats(node));
  return s ? *s : v1::NodeEpochStats{};
}

std::vector<v1::NodeRecord> ComputeView::nodes() const {
  std::vector<v1::NodeRecord> out;
  state_.scan(keys::nodes(), [&](std::string_view, std::string_view value) {
    v1::NodeRecord n;
    if (n.ParseFromArray(value.data(), static_cast<int>(value.size()))) out.push_back(n);
    return true;
  });
  return out;
}

std::vector<uint64_t> ComputeView::open_jobs() const {
  std::vector<uint64_t> out;
  state_.scan(keys::opens(), [&](std::string_view key, std::string_view) {
    out.push_back(trailing_id(key));
    return true;
  });
  return out;
}

std::optional<v1::MarketStats> ComputeView::stats(std::string_view kind) const {
  return ledger::read_record<v1::MarketStats>(state_, keys::stats(kind));
}

v1::ComputeGenesisState ComputeView::genesis_state() const {
  v1::ComputeGenesisState out;
  *out.mutable_params() = params();
  // Records keyed by something they also hold (operator, id, epoch, kind): the value says it all.
  auto records = [&](auto* field, const Bytes& prefix) {
    using Record = typename std::remove_pointer_t<decltype(field)>::value_type;
    for (auto& r : ledger::read_records<Record>(state_, prefix)) *field->Add() = std::move(r);
  };
  records(out.mutable_nodes(), keys::nodes());
  records(out.mutable_jobs(), keys::jobs());
  records(out.mutable_rewards(), keys::all_rewards());
  records(out.mutable_epoch_summaries(), keys::epoch_summaries());
  records(out.mutable_stats(), keys::all_stats());
  if (state_.get(keys::next_job())) out.set_next_job(next_job_id());
  *out.mutable_epoch() = epoch();
  // Entries whose key is all there is.
  auto entries = [&](const Bytes& prefix, auto add) {
    state_.scan(prefix, [&](std::string_view key, std::string_view value) {
      ledger::KeyReader in(key.substr(prefix.size()));
      if (!add(in, value) || !in.done()) {
        throw std::logic_error("compute: unreadable key under " + to_hex(prefix));
      }
      return true;
    });
  };
  entries(keys::all_node_jobs(), [&](ledger::KeyReader& in, std::string_view) {
    crypto::Address node;
    uint64_t job = 0;
    if (!in.addr(node) || !in.u64(job)) return false;
    auto* e = out.add_node_jobs();
    e->set_node(node.to_string());
    e->set_job(job);
    return true;
  });
  entries(keys::bans(), [&](ledger::KeyReader& in, std::string_view) {
    crypto::Address provider, node;
    if (!in.addr(provider) || !in.addr(node)) return false;
    auto* e = out.add_bans();
    e->set_provider(provider.to_string());
    e->set_node(node.to_string());
    return true;
  });
  entries(keys::unbonds(), [&](ledger::KeyReader& in, std::string_view) {
    uint64_t height = 0;
    crypto::Address node;
    if (!in.u64(height) || !in.addr(node)) return false;
    auto* e = out.add_unbonds();
    e->set_height(height);
    e->set_node(node.to_string());
    return true;
  });
  entries(keys::all_due(), [&](ledger::KeyReader& in, std::string_view) {
    uint64_t height = 0, job = 0;
    if (!in.u64(height) || !in.u64(job)) return false;
    auto* e = out.add_due();
    e->set_height(height);
    e->set_job(job);
    return true;
  });
  entries(keys::all_epoch_stats(), [&](ledger::KeyReader& in, std::string_view value) {
    crypto::Address node;
    if (!in.addr(node)) return false;
    auto* e = out.add_epoch_stats();
    e->set_address(node.to_string());
    return e->mutable_stats()->ParseFromArray(value.data(), static_cast<int>(value.size()));
  });
  return out;
}

v1::NodeRecord ComputeView::with_liveness(v1::NodeRecord n, uint64_t height) const {
  n.set_online(is_online(n, params(), height));
  return n;
}

Result<v1::ListNodesResponse> ComputeView::list_nodes(const v1::ListNodesRequest& req,
                                                      uint64_t height) const {
  auto limit = ledger::page_limit(req.limit());
  if (!limit) return limit.status();
  std::optional<crypto::Address> after;
  if (!req.start_after().empty()) {
    after = crypto::Address::parse(req.start_after());
    if (!after) return Status(Code::kInvalidArgument, "start_after is not a btt address");
  }
  const v1::ComputeParams p = params();
  v1::ListNodesResponse out;
  out.set_height(height);
  state_.scan(keys::nodes(), [&](std::string_view key, std::string_view value) {
    if (after && key.substr(keys::nodes().size()) <= after->raw()) return true;
    v1::NodeRecord n;
    if (!n.ParseFromArray(value.data(), static_cast<int>(value.size()))) return true;
    if (!req.accelerator_kind().empty() &&
        n.hardware().accelerator_kind() != req.accelerator_kind())
      return true;
    if (!req.region().empty() && n.region() != req.region()) return true;
    if (req.filter_status() && n.status() != req.status()) return true;
    n.set_online(is_online(n, p, height));
    *out.add_nodes() = n;
    return static_cast<uint32_t>(out.nodes_size()) < *limit;
  });
  return out;
}

Result<v1::ListJobsResponse> ComputeView::list_jobs(const v1::ListJobsRequest& req,
                                                    uint64_t height) const {
  auto limit = ledger::page_limit(req.limit());
  if (!limit) return limit.status();
  Bytes prefix = keys::jobs();
  if (!req.provider().empty() && !req.node().empty()) {
    return Status(Code::kInvalidArgument, "give provider or node, not both");
  }
  if (!req.provider().empty()) {
    auto a = crypto::Address::parse(req.provider());
    if (!a) return Status(Code::kInvalidArgument, "provider is not a btt address");
    prefix = keys::provider_jobs(*a);
  } else if (!req.node().empty()) {
    auto a = crypto::Address::parse(req.node());
    if (!a) return Status(Code::kInvalidArgument, "node is not a btt address");
    prefix = keys::node_jobs(*a);
  }
  v1::ListJobsResponse out;
  out.set_height(height);
  state_.scan(prefix, [&](std::string_view key, std::string_view) {
    const uint64_t id = trailing_id(key);
    if (id <= req.start_after()) return true;
    auto j = job(id);
    if (!j) return true;
    if (req.filter_status() && j->status() != req.status()) return true;
    *out.add_jobs() = *j;
    return static_cast<uint32_t>(out.jobs_size()) < *limit;
  });
  return out;
}

v1::MarketStatsResponse ComputeView::market_stats(uint64_t height) const {
  v1::MarketStatsResponse out;
  out.set_height(height);
  std::map<std::string, v1::MarketStats> by_kind;
  state_.scan(keys::all_stats(), [&](std::string_view, std::string_view value) {
    v1::MarketStats s;
    if (s.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
      by_kind[s.accelerator_kind()] = s;
    }
    return true;
  });
  // Jobs by status per class: one pass over every job (a query, never consensus).
  std::map<std::string, std::map<int, uint64_t>> counts;
  state_.scan(keys::jobs(), [&](std::string_view, std::string_view value) {
    v1::JobRecord j;
    if (j.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
      ++counts[j.requirements().accelerator_kind()][j.status()];
    }
    return true;
  });
  for (const auto& [kind, c] : counts) {
    auto& s = by_kind[kind];
    s.set_accelerator_kind(kind);
    for (const auto& [status, n] : c) {
      auto* row = s.add_jobs_by_status();
      row->set_status(static_cast<v1::JobStatus>(status));
      row->set_count(n);
    }
  }
  for (auto& [kind, s] : by_kind) *out.add_classes() = s;
  return out;
}

v1::EpochRewards ComputeView::epoch_rewards(uint64_t epoch) const {
  v1::EpochRewards out;
  out.set_current_epoch(this->epoch().epoch());
  if (auto s = ledger::read_record<v1::EpochSummary>(state_, keys::epoch_summary(epoch))) {
    *out.mutable_summary() = *s;
  } else {
    out.mutable_summary()->set_epoch(epoch);
  }
  state_.scan(keys::rewards(epoch), [&](std::string_view, std::string_view value) {
    v1::NodeReward r;
    if (r.ParseFromArray(value.data(), static_cast<int>(value.size()))) *out.add_rewards() = r;
    return true;
  });
  return out;
}

}  // namespace btt::modules::compute

// btt.v1.Compute: a thin adapter over modules::compute::ComputeView (doc/compute.md "Queries").
#include <charconv>
#include <set>

#include "btt/modules/compute/view.h"
#include "services.h"

namespace btt::rpc {
namespace {

using modules::compute::ComputeView;

// Answers from one snapshot, so a figure and the height it describes always agree.
template <typename T, typename Fn>
grpc::Status answer(RpcContext& ctx, grpc::ServerContext* context, T* out, const Fn& fn) {
  auto view = ctx.chain.read_view();
  ComputeView compute(*view.state);
  Result<T> r = fn(compute, view.tip.height());
  if (!r) {
    // The view's own wording for bad arguments and absent records, with the trailers.
    add_error_trailers(context, r.status());
    if (r.status().code() == Code::kInvalidArgument) return invalid(r.status().message());
    if (r.status().code() == Code::kNotFound) return not_found(r.status().message());
    return to_grpc(context, r.status());
  }
  *out = std::move(*r);
  return grpc::Status::OK;
}

// Job ids named by compute events of one block (in the order they occur, each once).
std::vector<uint64_t> changed_jobs(const v1::BlockResult& result) {
  std::vector<uint64_t> ids;
  std::set<uint64_t> seen;
  auto scan = [&](const v1::Event& e) {
    if (e.type().rfind("compute.", 0) != 0) return;
    for (const auto& a : e.attributes()) {
      if (a.key() != "job_id") continue;
      uint64_t id = 0;
      const auto& v = a.value();
      auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), id);
      if (ec == std::errc() && end == v.data() + v.size() && seen.insert(id).second) {
        ids.push_back(id);
      }
    }
  };
  for (const auto& tx : result.txs()) {
    if (tx.code() != 0) continue;
    for (const auto& e : tx.events()) scan(e);
  }
  for (const auto& e : result.events()) scan(e);
  return ids;
}

bool involves(const v1::JobRecord& j, const std::string& node) {
  for (const auto& list : {j.replicas(), j.audit_replicas()}) {
    for (const auto& r : list) {
      if (r.node() == node) return true;
    }
  }
  return false;
}

}  // namespace

grpc::Status ComputeService::GetParams(grpc::ServerContext* context,
                                       const v1::GetComputeParamsRequest*, v1::ComputeParams* out) {
  return answer(
      ctx_, context, out,
      [](const ComputeView& v, uint64_t) -> Result<v1::ComputeParams> { return v.params(); });
}

grpc::Status ComputeService::ListNodes(grpc::ServerContext* context,
                                       const v1::ListNodesRequest* req,
                                       v1::ListNodesResponse* out) {
  return answer(ctx_, context, out, [req](const ComputeView& v, uint64_t height) {
    return v.list_nodes(*req, height);
  });
}

grpc::Status ComputeService::GetNode(grpc::ServerContext* context, const v1::GetNodeRequest* req,
                                     v1::NodeRecord* out) {
  auto addr = crypto::Address::parse(req->node());
  if (!addr) return invalid("node '" + excerpt(req->node()) + "' is not a btt address");
  return answer(ctx_, context, out,
                [&](const ComputeView& v, uint64_t height) -> Result<v1::NodeRecord> {
                  auto n = v.node(*addr);
                  if (!n) return Status(Code::kNotFound, "no compute node " + addr->to_string());
                  return v.with_liveness(*n, height);
                });
}

grpc::Status ComputeService::ListJobs(grpc::ServerContext* context, const v1::ListJobsRequest* req,
                                      v1::ListJobsResponse* out) {
  return answer(ctx_, context, out,
                [req](const ComputeView& v, uint64_t height) { return v.list_jobs(*req, height); });
}

grpc::Status ComputeService::GetJob(grpc::ServerContext* context, const v1::GetJobRequest* req,
                                    v1::JobRecord* out) {
  return answer(ctx_, context, out, [req](const ComputeView& v, uint64_t) -> Result<v1::JobRecord> {
    auto j = v.job(req->job_id());
    if (!j) return Status(Code::kNotFound, "no job " + std::to_string(req->job_id()));
    return *j;
  });
}

grpc::Status ComputeService::GetMarketStats(grpc::ServerContext* context,
                                            const v1::GetMarketStatsRequest*,
                                            v1::MarketStatsResponse* out) {
  return answer(ctx_, context, out,
                [](const ComputeView& v, uint64_t height) -> Result<v1::MarketStatsResponse> {
                  return v.market_stats(height);
                });
}

grpc::Status ComputeService::GetEpochRewards(grpc::ServerContext* context,
                                             const v1::GetEpochRewardsRequest* req,
                                             v1::EpochRewards* out) {
  return answer(ctx_, context, out,
                [req](const ComputeView& v, uint64_t) -> Result<v1::EpochRewards> {
                  return v.epoch_rewards(req->epoch());
                });
}

grpc::Status ComputeService::WatchJobs(grpc::ServerContext* context,
                                       const v1::WatchJobsRequest* req,
                                       grpc::ServerWriter<v1::JobRecord>* writer) {
  if (req->provider().empty() == req->node().empty()) {
    return invalid("give exactly one of provider and node");
  }
  const std::string& who = req->provider().empty() ? req->node() : req->provider();
  auto addr = crypto::Address::parse(who);
  if (!addr) return invalid("'" + excerpt(who) + "' is not a btt address");
  const std::string canonical = addr->to_string();
  const bool by_provider = !req->provider().empty();
  return follow_chain(ctx_, context, req->from_height(), [&](uint64_t height, bool& keep_going) {
    auto result = ctx_.chain.result_at(height);
    if (!result) {
      return grpc::Status(grpc::StatusCode::INTERNAL,
                          "results of block " + std::to_string(height) + " missing");
    }
    const auto ids = changed_jobs(*result);
    if (ids.empty()) return grpc::Status::OK;
    // The job's record as it is now (a later block may have moved it on already).
    auto view = ctx_.chain.read_view();
    ComputeView compute(*view.state);
    for (uint64_t id : ids) {
      auto j = compute.job(id);
      if (!j) continue;
      if (by_provider ? j->provider() != canonical : !involves(*j, canonical)) continue;
      keep_going = writer->Write(*j);
      if (!keep_going) break;
    }
    return grpc::Status::OK;
  });
}

}  // namespace btt::rpc

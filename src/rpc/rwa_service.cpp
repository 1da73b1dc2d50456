// btt.v1.Rwa: a thin adapter over modules::rwa::RwaView (doc/rwa.md "Queries"). The exchange's
// rpcs answer UNIMPLEMENTED until the exchange is wired into the module.
#include "btt/modules/rwa/rwa.h"
#include "btt/modules/rwa/view.h"
#include "services.h"

namespace btt::rpc {
namespace {

using modules::rwa::RwaView;

// Answers from one committed snapshot (its tip's block time is "now").
template <typename T, typename Fn>
grpc::Status answer(RpcContext& ctx, grpc::ServerContext* context, T* out, const Fn& fn) {
  return answer_snapshot(ctx, context, out, [&](const chain::ReadView& v) -> Result<T> {
    return fn(RwaView(*v.state), *v.state, v.tip.time_ms());
  });
}

Result<v1::RwaAssetRecord> find_asset(const RwaView& v, const std::string& asset) {
  auto a = v.asset(asset);
  if (!a) return missing("no rwa asset '" + excerpt(asset) + "'");
  return *a;
}

grpc::Status not_yet(const char* rpc) {
  return {grpc::StatusCode::UNIMPLEMENTED,
          std::string("Rwa.") + rpc +
              ": the rwa exchange (order book and pools) is not wired into this node yet"};
}

}  // namespace

grpc::Status RwaService::GetParams(grpc::ServerContext* context, const v1::GetRwaParamsRequest*,
                                   v1::RwaParams* out) {
  return answer(
      ctx_, context, out,
      [](const RwaView& v, const ledger::StateReader& state, uint64_t) -> Result<v1::RwaParams> {
        if (!modules::rwa::enabled(state)) {
          return missing("RWA is not enabled on this chain");
        }
        return v.params();
      });
}

grpc::Status RwaService::ListAssets(grpc::ServerContext* context, const v1::ListRwaAssetsRequest*,
                                    v1::ListRwaAssetsResponse* out) {
  return answer(ctx_, context, out,
                [](const RwaView& v, const ledger::StateReader&,
                   uint64_t) -> Result<v1::ListRwaAssetsResponse> {
                  v1::ListRwaAssetsResponse r;
                  for (const auto& a : v.assets()) *r.add_assets() = v.info(a);
                  return r;
                });
}

grpc::Status RwaService::GetAsset(grpc::ServerContext* context, const v1::GetRwaAssetRequest* req,
                                  v1::RwaAssetInfo* out) {
  return answer(
      ctx_, context, out,
      [req](const RwaView& v, const ledger::StateReader&, uint64_t) -> Result<v1::RwaAssetInfo> {
        auto a = find_asset(v, req->asset());
        if (!a) return a.status();
        return v.info(a.value());
      });
}

grpc::Status RwaService::ListDocuments(grpc::ServerContext* context,
                                       const v1::ListDocumentsRequest* req,
                                       v1::ListDocumentsResponse* out) {
  return answer(ctx_, context, out,
                [req](const RwaView& v, const ledger::StateReader&,
                      uint64_t) -> Result<v1::ListDocumentsResponse> {
                  auto a = find_asset(v, req->asset());
                  if (!a) return a.status();
                  v1::ListDocumentsResponse r;
                  for (auto& d : v.documents(a.value().asset(), req->include_removed())) {
                    *r.add_documents() = std::move(d);
                  }
                  return r;
                });
}

grpc::Status RwaService::ListHolders(grpc::ServerContext* context,
                                     const v1::ListHoldersRequest* req,
                                     v1::ListHoldersResponse* out) {
  return answer(ctx_, context, out,
                [req](const RwaView& v, const ledger::StateReader&,
                      uint64_t) -> Result<v1::ListHoldersResponse> {
                  auto a = find_asset(v, req->asset());
                  if (!a) return a.status();
                  v1::ListHoldersResponse r;
                  for (auto& h : v.holders(a.value().asset())) *r.add_holders() = std::move(h);
                  return r;
                });
}

grpc::Status RwaService::GetClaim(grpc::ServerContext* context, const v1::GetClaimRequest* req,
                                  v1::ClaimInfo* out) {
  return answer(
      ctx_, context, out,
      [req](const RwaView& v, const ledger::StateReader&, uint64_t now) -> Result<v1::ClaimInfo> {
        auto who = request_address(req->account(), "account");
        if (!who) return who.status();
        auto c = v.claim(who.value());
        if (!c) return missing("no claim of " + req->account());
        v1::ClaimInfo r;
        *r.mutable_claim() = *c;
        r.set_in_force(c->expiry_ms() > now);
        return r;
      });
}

grpc::Status RwaService::ListAgents(grpc::ServerContext* context, const v1::ListAgentsRequest* req,
                                    v1::ListAgentsResponse* out) {
  return answer(ctx_, context, out,
                [req](const RwaView& v, const ledger::StateReader&,
                      uint64_t) -> Result<v1::ListAgentsResponse> {
                  auto a = find_asset(v, req->asset());
                  if (!a) return a.status();
                  v1::ListAgentsResponse r;
                  for (auto& x : v.agents(a.value().asset())) *r.add_agents() = std::move(x);
                  for (auto& f : v.freezes(a.value().asset())) *r.add_freezes() = std::move(f);
                  return r;
                });
}

grpc::Status RwaService::CheckTransfer(grpc::ServerContext* context,
                                       const v1::CheckTransferRequest* req,
                                       v1::CheckTransferResponse* out) {
  return answer(ctx_, context, out,
                [req](const RwaView& v, const ledger::StateReader&,
                      uint64_t now) -> Result<v1::CheckTransferResponse> {
                  auto from = request_address(req->from(), "from");
                  if (!from) return from.status();
                  auto to = request_address(req->to(), "to");
                  if (!to) return to.status();
                  auto a = find_asset(v, req->asset());
                  if (!a) return a.status();
                  return v.check(a.value().asset(), from.value(), to.value(), req->amount(), now);
                });
}

grpc::Status RwaService::ListNavHistory(grpc::ServerContext* context,
                                        const v1::ListNavHistoryRequest* req,
                                        v1::ListNavHistoryResponse* out) {
  return answer(ctx_, context, out,
                [req](const RwaView& v, const ledger::StateReader&,
                      uint64_t) -> Result<v1::ListNavHistoryResponse> {
                  auto a = find_asset(v, req->asset());
                  if (!a) return a.status();
                  v1::ListNavHistoryResponse r;
                  for (auto& x : v.appraisals(a.value().asset())) {
                    *r.add_appraisals() = std::move(x);
                  }
                  return r;
                });
}

grpc::Status RwaService::ListDistributions(grpc::ServerContext* context,
                                           const v1::ListDistributionsRequest* req,
                                           v1::ListDistributionsResponse* out) {
  return answer(ctx_, context, out,
                [req](const RwaView& v, const ledger::StateReader&,
                      uint64_t) -> Result<v1::ListDistributionsResponse> {
                  auto a = find_asset(v, req->asset());
                  if (!a) return a.status();
                  v1::ListDistributionsResponse r;
                  for (auto& d : v.distributions(a.value().asset())) {
                    *r.add_distributions() = std::move(d);
                  }
                  return r;
                });
}

grpc::Status RwaService::GetClaimable(grpc::ServerContext* context,
                                      const v1::GetClaimableRequest* req, v1::Claimable* out) {
  return answer(
      ctx_, context, out,
      [req](const RwaView& v, const ledger::StateReader&, uint64_t) -> Result<v1::Claimable> {
        auto who = request_address(req->account(), "account");
        if (!who) return who.status();
        auto d = v.distribution(req->distribution_id());
        if (!d) return missing("no distribution " + std::to_string(req->distribution_id()));
        return v.claimable(*d, who.value());
      });
}

grpc::Status RwaService::GetBookDepth(grpc::ServerContext*, const v1::GetBookDepthRequest*,
                                      v1::BookDepth*) {
  return not_yet("GetBookDepth");
}
grpc::Status RwaService::ListOrders(grpc::ServerContext*, const v1::ListOrdersRequest*,
                                    v1::ListOrdersResponse*) {
  return not_yet("ListOrders");
}
grpc::Status RwaService::ListTrades(grpc::ServerContext*, const v1::ListTradesRequest*,
                                    v1::ListTradesResponse*) {
  return not_yet("ListTrades");
}
grpc::Status RwaService::ListPools(grpc::ServerContext*, const v1::ListPoolsRequest*,
                                   v1::ListPoolsResponse*) {
  return not_yet("ListPools");
}

}  // namespace btt::rpc

// btt.v1.Consent: a thin adapter over modules::consent::ConsentView (doc/consent.md "Queries").
#include "btt/modules/consent/view.h"
#include "services.h"

namespace btt::rpc {
namespace {

using modules::consent::ConsentView;

// Answers from one committed snapshot; `fn` gets the view and the latest block's time.
template <typename T, typename Fn>
grpc::Status answer(RpcContext& ctx, grpc::ServerContext* context, T* out, const Fn& fn) {
  return answer_snapshot(ctx, context, out, [&](const chain::ReadView& v) -> Result<T> {
    return fn(ConsentView(*v.state), v.tip.time_ms());
  });
}

}  // namespace

grpc::Status ConsentService::GetParams(grpc::ServerContext* context,
                                       const v1::GetConsentParamsRequest*, v1::ConsentParams* out) {
  return answer(ctx_, context, out, [](const ConsentView& v, uint64_t) {
    return Result<v1::ConsentParams>(v.params());
  });
}

grpc::Status ConsentService::CheckAccess(grpc::ServerContext* context,
                                         const v1::CheckAccessRequest* req,
                                         v1::CheckAccessResponse* out) {
  return answer(ctx_, context, out,
                [req](const ConsentView& v, uint64_t now) { return v.check_access(*req, now); });
}

grpc::Status ConsentService::GetGrant(grpc::ServerContext* context, const v1::GetGrantRequest* req,
                                      v1::GrantInfo* out) {
  return answer(ctx_, context, out, [req](const ConsentView& v, uint64_t now) {
    return v.get_grant(req->grant_id(), now);
  });
}

grpc::Status ConsentService::ListGrants(grpc::ServerContext* context,
                                        const v1::ListGrantsRequest* req,
                                        v1::ListGrantsResponse* out) {
  return answer(ctx_, context, out,
                [req](const ConsentView& v, uint64_t now) { return v.list_grants(*req, now); });
}

grpc::Status ConsentService::ListAccesses(grpc::ServerContext* context,
                                          const v1::ListAccessesRequest* req,
                                          v1::ListAccessesResponse* out) {
  return answer(ctx_, context, out,
                [req](const ConsentView& v, uint64_t) { return v.list_accesses(*req); });
}

grpc::Status ConsentService::ListDelegates(grpc::ServerContext* context,
                                           const v1::ListDelegatesRequest* req,
                                           v1::ListDelegatesResponse* out) {
  return answer(ctx_, context, out,
                [req](const ConsentView& v, uint64_t) { return v.list_delegates(*req); });
}

}  // namespace btt::rpc

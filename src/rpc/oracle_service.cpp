// btt.v1.Oracle: a thin adapter over modules::oracle::OracleView (doc/oracle.md "Queries").
#include "btt/modules/oracle/view.h"
#include "services.h"

namespace btt::rpc {
namespace {

using modules::oracle::OracleView;

// Answers from one committed snapshot; `fn` gets the view and the latest block's time.
template <typename T, typename Fn>
grpc::Status answer(RpcContext& ctx, grpc::ServerContext* context, T* out, const Fn& fn) {
  return answer_snapshot(ctx, context, out, [&](const chain::ReadView& v) -> Result<T> {
    return fn(OracleView(*v.state), v.tip.time_ms());
  });
}

}  // namespace

grpc::Status OracleService::GetPrice(grpc::ServerContext* context, const v1::GetPriceRequest* req,
                                     v1::GetPriceResponse* out) {
  return answer(ctx_, context, out, [req](const OracleView& v, uint64_t now) {
    return v.price(req->base(), req->quote(), req->time_ms() == 0 ? now : req->time_ms());
  });
}

grpc::Status OracleService::ListPosts(grpc::ServerContext* context, const v1::ListPostsRequest* req,
                                      v1::ListPostsResponse* out) {
  return answer(ctx_, context, out,
                [req](const OracleView& v, uint64_t) { return v.list_posts(*req); });
}

grpc::Status OracleService::ListHistory(grpc::ServerContext* context,
                                        const v1::ListHistoryRequest* req,
                                        v1::ListHistoryResponse* out) {
  return answer(ctx_, context, out,
                [req](const OracleView& v, uint64_t) { return v.list_history(*req); });
}

grpc::Status OracleService::ListPairs(grpc::ServerContext* context, const v1::ListPairsRequest*,
                                      v1::ListPairsResponse* out) {
  return answer(ctx_, context, out, [](const OracleView& v, uint64_t) {
    return Result<v1::ListPairsResponse>(v.list_pairs());
  });
}

}  // namespace btt::rpc

#include "btt/modules/tokenomics/view.h"
#include "services.h"

namespace btt::rpc {
namespace {

using modules::tokenomics::TokenomicsView;

// Answers from one snapshot: the figures and the height/time they describe always agree.
template <typename T, typename Fn>
grpc::Status answer(RpcContext& ctx, grpc::ServerContext* context, T* out, const Fn& fn) {
  auto view = ctx.chain.read_view();
  TokenomicsView tokenomics(*view.state);
  Result<T> r = fn(tokenomics, view.tip.height(), view.tip.time_ms());
  if (!r) return to_grpc(context, r.status());
  *out = std::move(*r);
  return grpc::Status::OK;
}

}  // namespace

grpc::Status TokenomicsService::GetSupplyBreakdown(grpc::ServerContext* context,
                                                   const v1::GetSupplyBreakdownRequest*,
                                                   v1::SupplyBreakdown* out) {
  return answer(ctx_, context, out, [](const TokenomicsView& v, uint64_t height, uint64_t time_ms) {
    return v.supply_breakdown(height, time_ms);
  });
}

grpc::Status TokenomicsService::GetAllocations(grpc::ServerContext* context,
                                               const v1::GetAllocationsRequest* req,
                                               v1::Allocations* out) {
  return answer(ctx_, context, out,
                [req](const TokenomicsView& v, uint64_t height, uint64_t time_ms) {
                  return v.allocations(height, time_ms, req->at_time_ms());
                });
}

grpc::Status TokenomicsService::GetVesting(grpc::ServerContext* context,
                                           const v1::GetVestingRequest* req, v1::Vesting* out) {
  auto addr = crypto::Address::parse(req->address());
  if (!addr) return invalid("address '" + excerpt(req->address()) + "' is not a btt address");
  return answer(
      ctx_, context, out, [&](const TokenomicsView& v, uint64_t height, uint64_t time_ms) {
        return v.vesting(*addr, height, time_ms, req->at_time_ms(), ctx_.chain.registry().locks());
      });
}

grpc::Status TokenomicsService::GetEmission(grpc::ServerContext* context,
                                            const v1::GetEmissionRequest* req,
                                            v1::EmissionSchedule* out) {
  return answer(ctx_, context, out,
                [req](const TokenomicsView& v, uint64_t height, uint64_t time_ms) {
                  return v.emission(height, time_ms, req->from_epoch(), req->limit());
                });
}

}  // namespace btt::rpc

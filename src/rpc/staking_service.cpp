// btt.v1.Staking: a thin adapter over modules::staking::StakingView (doc/staking.md "Queries").
#include "btt/modules/staking/errors.h"
#include "btt/modules/staking/view.h"
#include "services.h"

namespace btt::rpc {
namespace {

using modules::staking::StakingView;

// Answers from one snapshot; a chain without staking says so.
template <typename T, typename Fn>
grpc::Status answer(RpcContext& ctx, grpc::ServerContext* context, T* out, const Fn& fn) {
  auto view = ctx.chain.read_view();
  const StakingView staking(*view.state);
  if (!staking.params()) {
    return to_grpc(context, Status(modules::staking::errors::kNotEnabled,
                                   "staking is not enabled on this chain (no staking genesis)"));
  }
  Result<T> r = fn(staking, view.tip.time_ms());
  if (!r) return to_grpc(context, r.status());
  *out = std::move(*r);
  return grpc::Status::OK;
}

}  // namespace

grpc::Status StakingService::ListValidators(grpc::ServerContext* context,
                                            const v1::ListValidatorsRequest* req,
                                            v1::ListValidatorsResponse* out) {
  return answer(ctx_, context, out,
                [req](const StakingView& v, uint64_t) -> Result<v1::ListValidatorsResponse> {
                  return v.list_validators(*req);
                });
}

grpc::Status StakingService::GetDelegations(grpc::ServerContext* context,
                                            const v1::GetDelegationsRequest* req,
                                            v1::GetDelegationsResponse* out) {
  return answer(ctx_, context, out,
                [req](const StakingView& v, uint64_t) { return v.delegations(*req); });
}

grpc::Status StakingService::GetParams(grpc::ServerContext* context,
                                       const v1::GetStakingParamsRequest*, v1::StakingParams* out) {
  return answer(
      ctx_, context, out,
      [](const StakingView& v, uint64_t) -> Result<v1::StakingParams> { return *v.params(); });
}

grpc::Status StakingService::GetStakeLocks(grpc::ServerContext* context,
                                           const v1::GetStakeLocksRequest* req,
                                           v1::StakeLocks* out) {
  const auto& locks = ctx_.chain.registry().locks();
  return answer(ctx_, context, out,
                [req, &locks](const StakingView& v, uint64_t time_ms) -> Result<v1::StakeLocks> {
                  auto a = crypto::Address::parse(req->address());
                  if (!a) return Status(Code::kInvalidAddress, "address is not a btt address");
                  return v.stake_locks(*a, time_ms, locks);
                });
}

}  // namespace btt::rpc

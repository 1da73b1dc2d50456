// btt.v1.Staking: a thin adapter over modules::staking::StakingView (doc/staking.md "Queries").
#include "btt/modules/staking/errors.h"
#include "btt/modules/staking/view.h"
#include "services.h"

namespace btt::rpc {
namespace {

using modules::staking::StakingView;

// Answers from one snapshot (so every figure is of the height it names); a chain without
// staking says so.
template <typename T, typename Fn>
grpc::Status answer(RpcContext& ctx, grpc::ServerContext* context, T* out, const Fn& fn) {
  auto view = ctx.chain.read_view();
  const StakingView staking(*view.state);
  if (!staking.params()) {
    return to_grpc(context, Status(modules::staking::errors::kNotEnabled,
                                   "staking is not enabled on this chain (no staking genesis)"));
  }
  Result<T> r = fn(staking, view.tip);
  if (!r) return to_grpc(context, r.status());
  *out = std::move(*r);
  return grpc::Status::OK;
}

}  // namespace

grpc::Status StakingService::ListValidators(grpc::ServerContext* context,
                                            const v1::ListValidatorsRequest* req,
                                            v1::ListValidatorsResponse* out) {
  return answer(ctx_, context, out, [req](const StakingView& v, const v1::ChainTip& tip) {
    return v.list_validators(*req, tip.height());
  });
}

grpc::Status StakingService::GetValidator(grpc::ServerContext* context,
                                          const v1::GetValidatorRequest* req,
                                          v1::GetValidatorResponse* out) {
  return answer(ctx_, context, out, [req](const StakingView& v, const v1::ChainTip& tip) {
    return v.get_validator(*req, tip.height());
  });
}

grpc::Status StakingService::GetDelegations(grpc::ServerContext* context,
                                            const v1::GetDelegationsRequest* req,
                                            v1::GetDelegationsResponse* out) {
  return answer(ctx_, context, out,
                [req](const StakingView& v, const v1::ChainTip&) { return v.delegations(*req); });
}

grpc::Status StakingService::GetUnbondings(grpc::ServerContext* context,
                                           const v1::GetUnbondingsRequest* req,
                                           v1::GetUnbondingsResponse* out) {
  return answer(ctx_, context, out, [req](const StakingView& v, const v1::ChainTip& tip) {
    return v.unbondings(*req, tip.height());
  });
}

grpc::Status StakingService::GetRedelegations(grpc::ServerContext* context,
                                              const v1::GetRedelegationsRequest* req,
                                              v1::GetRedelegationsResponse* out) {
  return answer(ctx_, context, out, [req](const StakingView& v, const v1::ChainTip& tip) {
    return v.redelegations(*req, tip.height());
  });
}

grpc::Status StakingService::GetValidatorRewards(grpc::ServerContext* context,
                                                 const v1::GetValidatorRewardsRequest* req,
                                                 v1::ValidatorRewards* out) {
  return answer(ctx_, context, out, [req](const StakingView& v, const v1::ChainTip& tip) {
    return v.validator_rewards(*req, tip.height());
  });
}

grpc::Status StakingService::GetDelegationRewards(grpc::ServerContext* context,
                                                  const v1::GetDelegationRewardsRequest* req,
                                                  v1::DelegationRewards* out) {
  return answer(ctx_, context, out, [req](const StakingView& v, const v1::ChainTip& tip) {
    return v.delegation_rewards(*req, tip.height());
  });
}

grpc::Status StakingService::GetSigningInfo(grpc::ServerContext* context,
                                            const v1::GetSigningInfoRequest* req,
                                            v1::SigningInfo* out) {
  return answer(ctx_, context, out, [req](const StakingView& v, const v1::ChainTip& tip) {
    return v.signing_info(*req, tip.height());
  });
}

grpc::Status StakingService::GetParams(grpc::ServerContext* context,
                                       const v1::GetStakingParamsRequest*, v1::StakingParams* out) {
  return answer(ctx_, context, out,
                [](const StakingView& v, const v1::ChainTip&) -> Result<v1::StakingParams> {
                  return *v.params();
                });
}

grpc::Status StakingService::GetStakeLocks(grpc::ServerContext* context,
                                           const v1::GetStakeLocksRequest* req,
                                           v1::StakeLocks* out) {
  const auto& locks = ctx_.chain.registry().locks();
  return answer(
      ctx_, context, out,
      [req, &locks](const StakingView& v, const v1::ChainTip& tip) -> Result<v1::StakeLocks> {
        auto a = crypto::Address::parse(req->address());
        if (!a) {
          return Status(modules::staking::errors::kBadAddress,
                        "address '" + excerpt(req->address()) + "' is not a btt address");
        }
        return v.stake_locks(*a, tip.time_ms(), locks);
      });
}

}  // namespace btt::rpc

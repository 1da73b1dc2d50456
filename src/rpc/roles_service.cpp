// btt.v1.Roles: a thin adapter over modules::roles::RolesView (doc/roles.md "Queries").
#include "btt/modules/roles/view.h"
#include "services.h"

namespace btt::rpc {
namespace {

using modules::roles::RolesView;

// Answers from one snapshot, so the holders and the height they describe always agree.
template <typename T, typename Fn>
grpc::Status answer(RpcContext& ctx, grpc::ServerContext* context, T* out, const Fn& fn) {
  return answer_snapshot(ctx, context, out, [&](const chain::ReadView& v) -> Result<T> {
    return fn(RolesView(*v.state), v.tip.height());
  });
}

}  // namespace

grpc::Status RolesService::ListRoles(grpc::ServerContext* context, const v1::ListRolesRequest*,
                                     v1::ListRolesResponse* out) {
  return answer(ctx_, context, out,
                [](const RolesView& v, uint64_t height) -> Result<v1::ListRolesResponse> {
                  return v.list_roles(height);
                });
}

grpc::Status RolesService::GetRole(grpc::ServerContext* context, const v1::GetRoleRequest* req,
                                   v1::GetRoleResponse* out) {
  return answer(ctx_, context, out, [req](const RolesView& v, uint64_t height) {
    return v.get_role(req->role(), height);
  });
}

grpc::Status RolesService::GetAccountRoles(grpc::ServerContext* context,
                                           const v1::GetAccountRolesRequest* req,
                                           v1::GetAccountRolesResponse* out) {
  return answer(ctx_, context, out, [req](const RolesView& v, uint64_t height) {
    return v.account_roles(req->address(), height);
  });
}

}  // namespace btt::rpc

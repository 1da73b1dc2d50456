// Roles handlers: a role_admin grants or revokes any known role.
#include "handlers.h"

#include "btt/modules/roles/errors.h"
#include "btt/modules/roles/roles.h"
#include "keeper.h"

namespace btt::modules::roles {
namespace {

Status check_role_and_address(std::string_view role, std::string_view address,
                              std::string_view what) {
  if (!is_known_role(role)) {
    return {errors::kUnknownRole,
            std::string(what) + ": '" + excerpt(role) + "' is not a known role"};
  }
  if (!crypto::Address::parse(address)) {
    return {errors::kBadAddress,
            std::string(what) + ": '" + excerpt(address) + "' is not a btt address"};
  }
  return Status::ok();
}

Status require_admin(const ledger::ReadContext& ctx, std::string_view what) {
  if (!has_role(ctx.state, kRoleAdmin, ctx.sender)) {
    return {errors::kNotAdmin,
            std::string(what) + ": " + ctx.sender.to_string() + " does not hold role_admin"};
  }
  return Status::ok();
}

// What refuses a grant or a revoke of `role` to `account` in `state` (the admin check aside).
Status grant_refusal(const ledger::StateReader& state, std::string_view role,
                     const crypto::Address& account) {
  if (has_role(state, role, account)) {
    return {errors::kAlreadyHeld,
            "grant_role: " + account.to_string() + " holds " + std::string(role) + " already"};
  }
  return Status::ok();
}

Status revoke_refusal(const ledger::StateReader& state, std::string_view role,
                      const crypto::Address& account) {
  if (!has_role(state, role, account)) {
    return {errors::kNotHeld,
            "revoke_role: " + account.to_string() + " does not hold " + std::string(role)};
  }
  if (role == kRoleAdmin && holders(state, kRoleAdmin).size() == 1) {
    return {errors::kLastAdmin,
            "revoke_role: " + account.to_string() + " is the last role_admin; grant another first"};
  }
  return Status::ok();
}

}  // namespace

Status grant_by_governance(ledger::Overlay& state, ledger::Events& events, std::string_view role,
                           const crypto::Address& account, uint64_t height, std::string_view by) {
  if (auto s = check_role_and_address(role, account.to_string(), "grant_role"); !s) return s;
  if (auto s = grant_refusal(state, role, account); !s) return s;
  RolesKeeper(state, events).grant(role, account, height, by);
  return Status::ok();
}

Status revoke_by_governance(ledger::Overlay& state, ledger::Events& events, std::string_view role,
                            const crypto::Address& account, std::string_view by) {
  if (auto s = check_role_and_address(role, account.to_string(), "revoke_role"); !s) return s;
  if (auto s = revoke_refusal(state, role, account); !s) return s;
  RolesKeeper(state, events).revoke(role, account, by);
  return Status::ok();
}

Status GrantRoleHandler::check(const v1::MsgGrantRole& m, const v1::LedgerParams&) const {
  return check_role_and_address(m.role(), m.address(), "grant_role");
}

Status GrantRoleHandler::preclaim(const v1::MsgGrantRole& m, const ledger::ReadContext& ctx) const {
  if (auto s = require_admin(ctx, "grant_role"); !s) return s;
  return grant_refusal(ctx.state, m.role(), *crypto::Address::parse(m.address()));
}

Status GrantRoleHandler::apply(const v1::MsgGrantRole& m, ledger::MsgContext& ctx) const {
  RolesKeeper(ctx.state, ctx.events)
      .grant(m.role(), *crypto::Address::parse(m.address()), ctx.block.height,
             ctx.sender.to_string());
  return Status::ok();
}

Status RevokeRoleHandler::check(const v1::MsgRevokeRole& m, const v1::LedgerParams&) const {
  return check_role_and_address(m.role(), m.address(), "revoke_role");
}

Status RevokeRoleHandler::preclaim(const v1::MsgRevokeRole& m,
                                   const ledger::ReadContext& ctx) const {
  if (auto s = require_admin(ctx, "revoke_role"); !s) return s;
  return revoke_refusal(ctx.state, m.role(), *crypto::Address::parse(m.address()));
}

Status RevokeRoleHandler::apply(const v1::MsgRevokeRole& m, ledger::MsgContext& ctx) const {
  RolesKeeper(ctx.state, ctx.events)
      .revoke(m.role(), *crypto::Address::parse(m.address()), ctx.sender.to_string());
  return Status::ok();
}

}  // namespace btt::modules::roles

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

}  // namespace

Status GrantRoleHandler::check(const v1::MsgGrantRole& m, const v1::LedgerParams&) const {
  return check_role_and_address(m.role(), m.address(), "grant_role");
}

Status GrantRoleHandler::preclaim(const v1::MsgGrantRole& m, const ledger::ReadContext& ctx) const {
  if (auto s = require_admin(ctx, "grant_role"); !s) return s;
  if (has_role(ctx.state, m.role(), *crypto::Address::parse(m.address()))) {
    return {errors::kAlreadyHeld, "grant_role: " + m.address() + " holds " + m.role() + " already"};
  }
  return Status::ok();
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
  if (!has_role(ctx.state, m.role(), *crypto::Address::parse(m.address()))) {
    return {errors::kNotHeld, "revoke_role: " + m.address() + " does not hold " + m.role()};
  }
  if (m.role() == kRoleAdmin && holders(ctx.state, kRoleAdmin).size() == 1) {
    return {errors::kLastAdmin,
            "revoke_role: " + m.address() + " is the last role_admin; grant another first"};
  }
  return Status::ok();
}

Status RevokeRoleHandler::apply(const v1::MsgRevokeRole& m, ledger::MsgContext& ctx) const {
  RolesKeeper(ctx.state, ctx.events)
      .revoke(m.role(), *crypto::Address::parse(m.address()), ctx.sender.to_string());
  return Status::ok();
}

}  // namespace btt::modules::roles

#pragma once
// The roles module's message handlers (doc/roles.md has each one's phase table).
#include "btt/ledger/module.h"
#include "btt/v1/roles.pb.h"

namespace btt::modules::roles {

class GrantRoleHandler final : public ledger::Handler<v1::MsgGrantRole> {
 protected:
  Status check(const v1::MsgGrantRole& msg, const v1::LedgerParams& params) const override;
  Status preclaim(const v1::MsgGrantRole& msg, const ledger::ReadContext& ctx) const override;
  Status apply(const v1::MsgGrantRole& msg, ledger::MsgContext& ctx) const override;
};

class RevokeRoleHandler final : public ledger::Handler<v1::MsgRevokeRole> {
 protected:
  Status check(const v1::MsgRevokeRole& msg, const v1::LedgerParams& params) const override;
  Status preclaim(const v1::MsgRevokeRole& msg, const ledger::ReadContext& ctx) const override;
  Status apply(const v1::MsgRevokeRole& msg, ledger::MsgContext& ctx) const override;
};

}  // namespace btt::modules::roles

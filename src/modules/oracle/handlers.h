#pragma once
// The oracle module's message handlers (doc/oracle.md has each one's phase table).
#include "btt/ledger/module.h"
#include "btt/v1/oracle.pb.h"

namespace btt::modules::oracle {

class PostPriceHandler final : public ledger::Handler<v1::MsgPostPrice> {
 protected:
  Status check(const v1::MsgPostPrice& msg, const v1::LedgerParams& params) const override;
  Status preclaim(const v1::MsgPostPrice& msg, const ledger::ReadContext& ctx) const override;
  Status apply(const v1::MsgPostPrice& msg, ledger::MsgContext& ctx) const override;
};

}  // namespace btt::modules::oracle

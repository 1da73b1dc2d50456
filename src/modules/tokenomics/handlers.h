#pragma once
// The tokenomics module's message handlers (doc/tokenomics.md has each one's phase table).
#include "btt/ledger/module.h"
#include "btt/v1/tokenomics.pb.h"

namespace btt::modules::tokenomics {

class BurnHandler final : public ledger::Handler<v1::MsgBurn> {
 protected:
  Status check(const v1::MsgBurn& msg, const v1::LedgerParams& params) const override;
  Status preclaim(const v1::MsgBurn& msg, const ledger::ReadContext& ctx) const override;
  Status apply(const v1::MsgBurn& msg, ledger::MsgContext& ctx) const override;
};

class ApproveMilestoneHandler final : public ledger::Handler<v1::MsgApproveMilestone> {
 protected:
  Status check(const v1::MsgApproveMilestone& msg, const v1::LedgerParams& params) const override;
  Status preclaim(const v1::MsgApproveMilestone& msg,
                  const ledger::ReadContext& ctx) const override;
  Status apply(const v1::MsgApproveMilestone& msg, ledger::MsgContext& ctx) const override;
};

}  // namespace btt::modules::tokenomics

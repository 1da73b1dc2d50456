#pragma once
// The bank's message handlers, one per message (doc/bank.md has each one's phase table).
#include "btt/ledger/module.h"

namespace btt::modules::bank {

class TransferHandler final : public ledger::Handler<v1::MsgTransfer> {
 protected:
  Status check(const v1::MsgTransfer& msg, const v1::LedgerParams& params) const override;
  Status preclaim(const v1::MsgTransfer& msg, const ledger::ReadContext& ctx) const override;
  Status apply(const v1::MsgTransfer& msg, ledger::MsgContext& ctx) const override;
};

class MultiTransferHandler final : public ledger::Handler<v1::MsgMultiTransfer> {
 protected:
  Status check(const v1::MsgMultiTransfer& msg, const v1::LedgerParams& params) const override;
  Status preclaim(const v1::MsgMultiTransfer& msg, const ledger::ReadContext& ctx) const override;
  Status apply(const v1::MsgMultiTransfer& msg, ledger::MsgContext& ctx) const override;
};

}  // namespace btt::modules::bank

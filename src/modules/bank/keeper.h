#pragma once
// The bank keeper: moves outputs from the sender through ledger::Ledger (which owns the balance
// keys and records every balance change) and emits bank.transfer.
#include "btt/ledger/module.h"

namespace btt::modules::bank {

class BankKeeper {
 public:
  explicit BankKeeper(ledger::MsgContext& ctx) : ctx_(ctx) {}
  [[nodiscard]] Status send(const v1::Output& output);

 private:
  ledger::MsgContext& ctx_;
};

}  // namespace btt::modules::bank

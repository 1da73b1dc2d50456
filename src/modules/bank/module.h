#pragma once
// The bank module: its messages, events and errors declared in one place.
#include "btt/modules/bank/bank.h"
#include "btt/modules/bank/view.h"
#include "handlers.h"

namespace btt::modules::bank {

class BankModule final : public ledger::Module {
 public:
  [[nodiscard]] std::string_view name() const override { return kModuleName; }
  [[nodiscard]] uint32_t codespace() const override { return kCodespace; }
  [[nodiscard]] std::vector<const ledger::MsgHandler*> handlers() const override {
    return {&transfer_, &multi_transfer_};
  }
  [[nodiscard]] std::vector<const ledger::EventDef*> events() const override;
  [[nodiscard]] std::vector<const ErrorDef*> errors() const override;

  [[nodiscard]] Result<nlohmann::json> export_genesis(
      const ledger::StateReader& state) const override;
  [[nodiscard]] std::vector<std::string> check_invariants(
      const ledger::StateReader& state) const override;

 private:
  TransferHandler transfer_;
  MultiTransferHandler multi_transfer_;
};

}  // namespace btt::modules::bank

#pragma once
// The compute module: its messages, events, errors, params and hooks declared in one place.
#include "btt/modules/compute/compute.h"
#include "handlers.h"

namespace btt::modules::compute {

class ComputeModule final : public ledger::Module {
 public:
  [[nodiscard]] std::string_view name() const override { return kModuleName; }
  [[nodiscard]] uint32_t codespace() const override { return kCodespace; }
  // tokenomics' end_block pays the epoch that this end_block distributes.
  [[nodiscard]] std::vector<std::string_view> hooks_after() const override {
    return {"roles", "tokenomics"};
  }
  [[nodiscard]] std::vector<const ledger::MsgHandler*> handlers() const override {
    return compute_handlers();
  }
  [[nodiscard]] std::vector<const ledger::EventDef*> events() const override;
  [[nodiscard]] std::vector<const ErrorDef*> errors() const override;
  [[nodiscard]] const ledger::ParamsSpec* params() const override;

  [[nodiscard]] Status validate_genesis(const nlohmann::json& section,
                                        const ledger::GenesisInfo& info) const override;
  [[nodiscard]] Status init_genesis(const nlohmann::json& section, const ledger::GenesisInfo& info,
                                    ledger::BlockContext& ctx) override;
  [[nodiscard]] Result<nlohmann::json> export_genesis(
      const ledger::StateReader& state) const override;
  void end_block(ledger::BlockContext& ctx) override;
  [[nodiscard]] std::vector<std::string> check_invariants(
      const ledger::StateReader& state) const override;
};

}  // namespace btt::modules::compute

#pragma once
// The governance module: its messages, events, errors, params and hooks declared in one place.
#include <memory>

#include "btt/modules/governance/governance.h"
#include "handlers.h"

namespace btt::modules::governance {

class GovernanceModule final : public ledger::Module {
 public:
  explicit GovernanceModule(std::unique_ptr<ParamsSetter> setter);
  [[nodiscard]] std::string_view name() const override { return kModuleName; }
  [[nodiscard]] uint32_t codespace() const override { return kCodespace; }
  // Voting power comes from staking; deposits burn and pools pay through tokenomics.
  [[nodiscard]] std::vector<std::string_view> hooks_after() const override {
    return {"tokenomics", "staking"};
  }
  [[nodiscard]] std::vector<const ledger::MsgHandler*> handlers() const override;
  [[nodiscard]] std::vector<const ledger::EventDef*> events() const override;
  [[nodiscard]] std::vector<const ErrorDef*> errors() const override;
  [[nodiscard]] const ledger::ParamsSpec* params() const override;

  [[nodiscard]] Status validate_genesis(const nlohmann::json& section,
                                        const ledger::GenesisInfo& info) const override;
  [[nodiscard]] Status init_genesis(const nlohmann::json& section, const ledger::GenesisInfo& info,
                                    ledger::BlockContext& ctx) override;
  [[nodiscard]] Result<nlohmann::json> export_genesis(
      const ledger::StateReader& state) const override;
  void begin_block(ledger::BlockContext& ctx) override;
  void end_block(ledger::BlockContext& ctx) override;
  [[nodiscard]] std::vector<std::string> check_invariants(
      const ledger::StateReader& state) const override;

 private:
  std::unique_ptr<ParamsSetter> setter_;
  GovernanceHandlers handlers_;
};

// Defaults and validation of GovernanceParams (params.cpp).
[[nodiscard]] v1::GovernanceParams default_params();
[[nodiscard]] Status validate_params(const v1::GovernanceParams& p);
[[nodiscard]] const ledger::TypedParams<v1::GovernanceParams>& params_spec();

}  // namespace btt::modules::governance

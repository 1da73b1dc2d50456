#pragma once
// The roles module: its messages, events and errors declared in one place.
#include "btt/modules/roles/roles.h"
#include "handlers.h"

namespace btt::modules::roles {

class RolesModule final : public ledger::Module {
 public:
  [[nodiscard]] std::string_view name() const override { return kModuleName; }
  [[nodiscard]] uint32_t codespace() const override { return kCodespace; }
  [[nodiscard]] std::vector<const ledger::MsgHandler*> handlers() const override {
    return {&grant_, &revoke_};
  }
  [[nodiscard]] std::vector<const ledger::EventDef*> events() const override;
  [[nodiscard]] std::vector<const ErrorDef*> errors() const override;

  [[nodiscard]] Status validate_genesis(const nlohmann::json& section,
                                        const ledger::GenesisInfo& info) const override;
  [[nodiscard]] Status init_genesis(const nlohmann::json& section, const ledger::GenesisInfo& info,
                                    ledger::BlockContext& ctx) override;
  [[nodiscard]] Result<nlohmann::json> export_genesis(
      const ledger::StateReader& state) const override;
  [[nodiscard]] std::vector<std::string> check_invariants(
      const ledger::StateReader& state) const override;

 private:
  GrantRoleHandler grant_;
  RevokeRoleHandler revoke_;
};

}  // namespace btt::modules::roles

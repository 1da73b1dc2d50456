#pragma once
// The consent module: its messages, events, errors and params declared in one place.
#include <string>
#include <vector>

#include "btt/modules/consent/consent.h"
#include "btt/v1/consent.pb.h"
#include "handlers.h"

namespace btt::modules::consent {

class ConsentModule final : public ledger::Module {
 public:
  [[nodiscard]] std::string_view name() const override { return kModuleName; }
  [[nodiscard]] uint32_t codespace() const override { return kCodespace; }
  // No hooks_after: consent reads no other module's state. Its end_block marks expired grants.
  [[nodiscard]] std::vector<const ledger::MsgHandler*> handlers() const override {
    return {&grant_, &revoke_, &declare_, &set_delegate_, &remove_delegate_};
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

 private:
  GrantConsentHandler grant_;
  RevokeConsentHandler revoke_;
  DeclareAccessHandler declare_;
  SetConsentDelegateHandler set_delegate_;
  RemoveConsentDelegateHandler remove_delegate_;
};

// Defaults and validation of ConsentParams (params.cpp).
[[nodiscard]] v1::ConsentParams default_params();
[[nodiscard]] Status validate_params(const v1::ConsentParams& p);
[[nodiscard]] const ledger::TypedParams<v1::ConsentParams>& params_spec();

// The short names events and messages use: "treatment", "full" (the enum name without its
// prefix, lower case).
[[nodiscard]] std::string purpose_name(v1::ConsentPurpose p);
[[nodiscard]] std::string scope_name(v1::RecordScope s);
// "treatment,research" in the grant's order.
[[nodiscard]] std::string purposes_text(const google::protobuf::RepeatedField<int>& purposes);

// The stateless checks handlers and genesis share: a valid, specified scope (bad_scope); a
// valid, specified purpose (bad_purpose); 1..5 distinct valid purposes (bad_purpose).
[[nodiscard]] Status check_scope(int scope, const std::string& what);
[[nodiscard]] Status check_purpose(int purpose, const std::string& what);
[[nodiscard]] Status check_purposes(const google::protobuf::RepeatedField<int>& purposes,
                                    const std::string& what);

// What is wrong with a consent state (genesis.cpp): the genesis check of an exported section
// and the record checks of the invariants; empty when it holds.
[[nodiscard]] std::vector<std::string> state_problems(const v1::ConsentGenesisState& st);

}  // namespace btt::modules::consent

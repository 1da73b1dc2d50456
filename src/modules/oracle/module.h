#pragma once
// The oracle module: its messages, events, errors and params declared in one place.
#include "btt/modules/oracle/oracle.h"
#include "btt/v1/oracle.pb.h"
#include "handlers.h"

namespace btt::modules::oracle {

class OracleModule final : public ledger::Module {
 public:
  [[nodiscard]] std::string_view name() const override { return kModuleName; }
  [[nodiscard]] uint32_t codespace() const override { return kCodespace; }
  // Feeders are price_oracle holders (roles); no block hooks of its own.
  [[nodiscard]] std::vector<std::string_view> hooks_after() const override { return {"roles"}; }
  [[nodiscard]] std::vector<const ledger::MsgHandler*> handlers() const override {
    return {&post_};
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
  [[nodiscard]] std::vector<std::string> check_invariants(
      const ledger::StateReader& state) const override;

 private:
  PostPriceHandler post_;
};

// Defaults and validation of OracleParams (params.cpp).
[[nodiscard]] v1::OracleParams default_params();
[[nodiscard]] Status validate_params(const v1::OracleParams& p);
[[nodiscard]] const ledger::TypedParams<v1::OracleParams>& params_spec();

// The stateless checks of a pair and a price (handlers and genesis): bad_pair, bad_price.
[[nodiscard]] Status check_pair(std::string_view base, std::string_view quote,
                                std::string_view what);
[[nodiscard]] Status check_price(uint64_t num, uint64_t den, std::string_view what);

// What is wrong with an oracle state (genesis.cpp): the genesis check of an exported section
// and the invariants over the live state; empty when it holds.
[[nodiscard]] std::vector<std::string> state_problems(const v1::OracleGenesisState& st);

}  // namespace btt::modules::oracle

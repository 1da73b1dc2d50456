#pragma once
// The PayFi module: its messages, events, errors, params, lock and hooks declared in one place.
#include <memory>

#include "btt/modules/payfi/payfi.h"
#include "btt/v1/payfi.pb.h"
#include "handlers.h"

namespace btt::modules::payfi {

// A frozen holding of a payment asset is held back whole (doc/payfi.md "Freeze and clawback").
class FreezeLocks final : public ledger::LockProvider {
 public:
  [[nodiscard]] uint64_t locked(const ledger::StateReader& state, const crypto::Address& addr,
                                std::string_view asset, uint64_t time_ms) const override;
};

class PayFiModule final : public ledger::Module {
 public:
  PayFiModule();
  [[nodiscard]] std::string_view name() const override { return kModuleName; }
  [[nodiscard]] uint32_t codespace() const override { return kCodespace; }
  // Fee discounts read staking's tiers; the treasury share is a tokenomics pool.
  [[nodiscard]] std::vector<std::string_view> hooks_after() const override {
    return {"tokenomics", "staking"};
  }
  [[nodiscard]] std::vector<const ledger::MsgHandler*> handlers() const override;
  [[nodiscard]] std::vector<const ledger::EventDef*> events() const override;
  [[nodiscard]] std::vector<const ErrorDef*> errors() const override;
  [[nodiscard]] const ledger::ParamsSpec* params() const override;
  [[nodiscard]] const ledger::LockProvider* lock_provider() const override { return &locks_; }

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
  PayFiHandlers handlers_;
  FreezeLocks locks_;
};

// Defaults and validation of PayFiParams (params.cpp).
[[nodiscard]] v1::PayFiParams default_params();
[[nodiscard]] Status validate_params(const v1::PayFiParams& p);
[[nodiscard]] const ledger::TypedParams<v1::PayFiParams>& params_spec();

}  // namespace btt::modules::payfi

#pragma once
// The RWA module: its messages, events, errors, params and lock declared in one place.
#include <memory>

#include "btt/modules/rwa/rwa.h"
#include "btt/v1/rwa.pb.h"
#include "handlers.h"

namespace btt::modules::rwa {

// Fractions move only through this module (doc/rwa.md "Compliance"): every balance of an rwa
// asset is held back whole from the ledger's move, so bank transfers, payments and every other
// module's move refuse them (303); the module itself debits and credits after check_transfer.
class RwaLocks final : public ledger::LockProvider {
 public:
  [[nodiscard]] uint64_t locked(const ledger::StateReader& state, const crypto::Address& addr,
                                std::string_view asset, uint64_t time_ms) const override;
};

class RwaModule final : public ledger::Module {
 public:
  RwaModule();
  [[nodiscard]] std::string_view name() const override { return kModuleName; }
  [[nodiscard]] uint32_t codespace() const override { return kCodespace; }
  // Fees read the oracle and staking's tiers, burn through tokenomics; distributions pay in
  // payfi's payment assets. end_block returns expired distributions.
  [[nodiscard]] std::vector<std::string_view> hooks_after() const override {
    return {"tokenomics", "staking", "oracle", "payfi"};
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
  // The exchange's part of check_invariants (invariants.cpp).
  static void check_exchange(const ledger::StateReader& state, std::vector<std::string>& out);
  RwaHandlers handlers_;
  RwaLocks locks_;
};

// Defaults and validation of RwaParams (params.cpp).
[[nodiscard]] v1::RwaParams default_params();
[[nodiscard]] Status validate_params(const v1::RwaParams& p);
[[nodiscard]] const ledger::TypedParams<v1::RwaParams>& params_spec();

}  // namespace btt::modules::rwa

#pragma once
// The staking module: its messages, events, errors, params and hooks declared in one place.
#include "btt/modules/staking/staking.h"
#include "handlers.h"

namespace btt::modules::staking {

// Stake locks hold BTT back on the owner's account until their term ends; the account's own
// stake (delegations, unbonding entries) covers its unvested BTT (doc/staking.md "Delegating
// vesting BTT").
class StakeLockProvider final : public ledger::LockProvider {
 public:
  [[nodiscard]] uint64_t locked(const ledger::StateReader& state, const crypto::Address& addr,
                                std::string_view asset, uint64_t time_ms) const override;
  [[nodiscard]] uint64_t staked(const ledger::StateReader& state, const crypto::Address& addr,
                                std::string_view asset) const override;
};

class StakingModule final : public ledger::Module {
 public:
  [[nodiscard]] std::string_view name() const override { return kModuleName; }
  [[nodiscard]] uint32_t codespace() const override { return kCodespace; }
  // Fees reach the fee pool in txs; begin_block hands the previous blocks' to the signers.
  // Slashed stake is burned through tokenomics.
  [[nodiscard]] std::vector<std::string_view> hooks_after() const override {
    return {"tokenomics"};
  }
  [[nodiscard]] std::vector<const ledger::MsgHandler*> handlers() const override {
    return staking_handlers();
  }
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
  void begin_block(ledger::BlockContext& ctx) override;
  void end_block(ledger::BlockContext& ctx) override;
  // The mempool orders equal fees by the sender's stake-lock tier (doc/staking.md).
  [[nodiscard]] uint32_t tx_priority(const ledger::StateReader& state,
                                     const crypto::Address& sender,
                                     uint64_t time_ms) const override {
    return tier_of(state, sender, time_ms);
  }
  [[nodiscard]] std::vector<std::string> check_invariants(
      const ledger::StateReader& state) const override;

 private:
  StakeLockProvider locks_;
};

// Defaults and validation of StakingParams (params.cpp).
[[nodiscard]] v1::StakingParams default_params();
[[nodiscard]] Status validate_params(const v1::StakingParams& p);

}  // namespace btt::modules::staking

#pragma once
// The tokenomics module: its messages, events, errors, params and hooks declared in one place.
#include "btt/modules/tokenomics/tokenomics.h"
#include "btt/modules/tokenomics/view.h"
#include "handlers.h"

namespace btt::modules::tokenomics {

// Vesting and milestone categories hold their beneficiaries' BTT back until released, in the
// balance or, once delegated, in the stake (the ledger's rule; doc/tokenomics.md "Locks").
class VestingLocks final : public ledger::LockProvider {
 public:
  [[nodiscard]] uint64_t unvested(const ledger::StateReader& state, const crypto::Address& addr,
                                  std::string_view asset, uint64_t time_ms) const override;
};

class TokenomicsModule final : public ledger::Module {
 public:
  [[nodiscard]] std::string_view name() const override { return kModuleName; }
  [[nodiscard]] uint32_t codespace() const override { return kCodespace; }
  [[nodiscard]] std::vector<const ledger::MsgHandler*> handlers() const override {
    return {&burn_, &approve_};
  }
  [[nodiscard]] std::vector<const ledger::EventDef*> events() const override;
  [[nodiscard]] std::vector<const ErrorDef*> errors() const override;
  [[nodiscard]] const ledger::ParamsSpec* params() const override;
  [[nodiscard]] const ledger::LockProvider* lock_provider() const override { return &locks_; }
  // roles first: genesis grants the milestone authority its role.
  [[nodiscard]] std::vector<std::string_view> hooks_after() const override { return {"roles"}; }

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
  BurnHandler burn_;
  ApproveMilestoneHandler approve_;
  VestingLocks locks_;
};

// The chain's mining emission: its first emission category (the default allocation has one), the
// one end_block pays and mining_distributable() answers for.
[[nodiscard]] std::optional<v1::CategoryRecord> mining_category(const TokenomicsView& view);
[[nodiscard]] std::optional<EmissionCurve> mining_curve(const TokenomicsView& view);

}  // namespace btt::modules::tokenomics

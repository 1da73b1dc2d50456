#include "btt/chain/registry.h"

#include <algorithm>
#include <stdexcept>

#include "btt/chain/genesis.h"
#include "btt/chain/params.h"
#include "btt/modules/bank/bank.h"
#include "btt/modules/compute/compute.h"
#include "btt/modules/consent/consent.h"
#include "btt/modules/governance/governance.h"
#include "btt/modules/oracle/oracle.h"
#include "btt/modules/payfi/payfi.h"
#include "btt/modules/roles/roles.h"
#include "btt/modules/rwa/rwa.h"
#include "btt/modules/staking/staking.h"
#include "btt/modules/tokenomics/tokenomics.h"

namespace btt::chain {
namespace {

// Governance's way to the one params path (chain::set_params_json), which sits above modules.
class RegistryParamsSetter final : public modules::governance::ParamsSetter {
 public:
  explicit RegistryParamsSetter(const ModuleRegistry& registry) : registry_(registry) {}
  [[nodiscard]] Status set_params_json(ledger::Overlay& state, ledger::Events& events,
                                       std::string_view module,
                                       std::string_view json) const override {
    return chain::set_params_json(registry_, state, events, module, json);
  }

 private:
  const ModuleRegistry& registry_;
};

}  // namespace

void ModuleRegistry::add(std::unique_ptr<ledger::Module> module) {
  const std::string name(module->name());
  if (name == "ledger" || find(name)) {
    throw std::logic_error("module name '" + name + "' registered twice");
  }
  for (const auto& m : modules_) {
    if (m->codespace() == module->codespace()) {
      throw std::logic_error("modules '" + std::string(m->name()) + "' and '" + name +
                             "' share code space " + std::to_string(module->codespace()));
    }
  }
  if (codespace_name(module->codespace()) != module->name()) {
    throw std::logic_error("module '" + name + "' claims code space " +
                           std::to_string(module->codespace()) + ", which common/status.h names '" +
                           std::string(codespace_name(module->codespace())) + "'");
  }
  for (std::string_view before : module->hooks_after()) {
    if (!find(before)) {
      throw std::logic_error("module '" + name + "' runs its block hooks after '" +
                             std::string(before) + "', which is not registered before it");
    }
  }
  for (const auto* handler : module->handlers()) {
    if (!handlers_.emplace(handler->msg_case(), handler).second) {
      throw std::logic_error("message kind " + std::to_string(handler->msg_case()) +
                             " registered twice");
    }
  }
  if (const auto* locks = module->lock_provider()) locks_.push_back(locks);
  modules_.push_back(std::move(module));
}

const ledger::MsgHandler* ModuleRegistry::handler(int msg_case) const {
  auto it = handlers_.find(msg_case);
  return it == handlers_.end() ? nullptr : it->second;
}

ledger::Module* ModuleRegistry::find(std::string_view name) const {
  for (const auto& m : modules_) {
    if (m->name() == name) return m.get();
  }
  return nullptr;
}

uint32_t ModuleRegistry::tx_priority(const ledger::StateReader& state,
                                     const crypto::Address& sender, uint64_t time_ms) const {
  uint32_t priority = 0;
  for (const auto& m : modules_)
    priority = std::max(priority, m->tx_priority(state, sender, time_ms));
  return priority;
}

const ledger::ParamsSpec* ModuleRegistry::params(std::string_view name) const {
  if (name == "ledger") return &ledger_params();
  const auto* m = find(name);
  return m ? m->params() : nullptr;
}

std::vector<std::pair<std::string_view, const ledger::ParamsSpec*>> ModuleRegistry::all_params()
    const {
  std::vector<std::pair<std::string_view, const ledger::ParamsSpec*>> out;
  out.emplace_back("ledger", &ledger_params());
  for (const auto& m : modules_) {
    if (const auto* p = m->params()) out.emplace_back(m->name(), p);
  }
  return out;
}

const std::vector<std::string_view>& default_module_order() {
  // bank: no hooks. roles: no hooks, and every module that checks a role reads it.
  // tokenomics: its end_block pays the epoch's mining emission into the mining escrow...
  // compute: ...which compute's end_block then distributes (compute.hooks_after() = tokenomics).
  // staking: begin_block hands the fee pool to the signers of the previous block; end_block
  // pays matured unbondings and chooses the set in force from H+2 (after tokenomics, whose
  // burns slashing will use).
  // governance: end_block counts votes over the stake staking left, then executes (after
  // tokenomics and staking, whose state its actions change).
  // oracle: no hooks; its feeders are price_oracle holders (after roles).
  // payfi: end_block settles closed cycles (fees read staking's tiers, the treasury share goes
  // to a tokenomics pool; conversions read the oracle).
  // rwa: no hooks yet (the exchange's pool fee accrual will be one); its fees read the oracle
  // and staking's tiers, burn through tokenomics, and distributions pay in payfi's assets.
  // consent: end_block marks expired grants; it reads no other module.
  static const std::vector<std::string_view> kOrder = {
      "bank",       "roles",  "tokenomics", "compute", "staking",
      "governance", "oracle", "payfi",      "rwa",     "consent"};
  return kOrder;
}

std::unique_ptr<ModuleRegistry> make_default_registry() {
  auto registry = std::make_unique<ModuleRegistry>();
  registry->add(modules::bank::make_bank_module());
  registry->add(modules::roles::make_roles_module());
  registry->add(modules::tokenomics::make_tokenomics_module());
  registry->add(modules::compute::make_compute_module());
  registry->add(modules::staking::make_staking_module());
  registry->add(modules::governance::make_governance_module(
      std::make_unique<RegistryParamsSetter>(*registry)));
  registry->add(modules::oracle::make_oracle_module());
  registry->add(modules::payfi::make_payfi_module());
  registry->add(modules::rwa::make_rwa_module());
  registry->add(modules::consent::make_consent_module());
  return registry;
}

const ledger::TypedParams<v1::LedgerParams>& ledger_params() {
  static const ledger::TypedParams<v1::LedgerParams> kSpec(
      Bytes(ledger::kLedgerParamsKey), &ledger::default_ledger_params, &validate_ledger_params);
  return kSpec;
}

}  // namespace btt::chain

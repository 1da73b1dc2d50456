#include "btt/chain/registry.h"

#include <stdexcept>

#include "btt/modules/bank.h"
#include "btt/modules/compute/compute.h"
#include "btt/modules/tokenomics/tokenomics.h"

namespace btt::chain {

void ModuleRegistry::add(std::unique_ptr<ledger::Module> module) {
  for (const auto& [msg_case, handler] : module->handlers()) {
    if (!handlers_.emplace(msg_case, handler).second) {
      throw std::logic_error("message kind " + std::to_string(msg_case) + " registered twice");
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

std::unique_ptr<ModuleRegistry> make_default_registry() {
  auto registry = std::make_unique<ModuleRegistry>();
  registry->add(modules::make_bank_module());
  registry->add(modules::tokenomics::make_tokenomics_module());
  // After tokenomics: its end_block pays the epoch's emission that compute's end_block shares.
  registry->add(modules::compute::make_compute_module());
  return registry;
}

}  // namespace btt::chain

#pragma once
// The module registry: routes each Message kind to its module's handler, runs the block hooks in
// their declared order, and finds each module's params.
#include <map>
#include <memory>
#include <string_view>
#include <vector>

#include "btt/ledger/module.h"

namespace btt::chain {

class ModuleRegistry {
 public:
  // Refuses (throws std::logic_error) a wiring bug: a message kind claimed twice, a module name or
  // code space taken twice, or a module whose hooks_after() names a module not added before it.
  void add(std::unique_ptr<ledger::Module> module);
  [[nodiscard]] const ledger::MsgHandler* handler(int msg_case) const;
  // In hook order: begin_block and end_block run in this order.
  [[nodiscard]] const std::vector<std::unique_ptr<ledger::Module>>& modules() const {
    return modules_;
  }
  [[nodiscard]] const ledger::LockProviders& locks() const { return locks_; }
  // The mempool's rank of `sender`'s txs among equal fees: the highest Module::tx_priority of
  // any module (0 on a chain whose modules give none, e.g. without staking).
  [[nodiscard]] uint32_t tx_priority(const ledger::StateReader& state,
                                     const crypto::Address& sender, uint64_t time_ms) const;
  [[nodiscard]] ledger::Module* find(std::string_view name) const;
  // The params of module `name` ("ledger" for the ledger's own LedgerParams); nullptr when the
  // module does not exist or has no params.
  [[nodiscard]] const ledger::ParamsSpec* params(std::string_view name) const;
  // Every (name, params) pair, ledger first, then the modules in order.
  [[nodiscard]] std::vector<std::pair<std::string_view, const ledger::ParamsSpec*>> all_params()
      const;

 private:
  std::vector<std::unique_ptr<ledger::Module>> modules_;
  std::map<int, const ledger::MsgHandler*> handlers_;
  ledger::LockProviders locks_;
};

// The module names of this release in hook order (chain/registry.cpp says why each is where it
// is). make_default_registry adds them in this order, and a test checks every module's
// hooks_after() against it.
[[nodiscard]] const std::vector<std::string_view>& default_module_order();

// The registry with every module of this release, in default_module_order().
[[nodiscard]] std::unique_ptr<ModuleRegistry> make_default_registry();

// The ledger's own params (LedgerParams at "par/ledger") as a ParamsSpec.
[[nodiscard]] const ledger::TypedParams<v1::LedgerParams>& ledger_params();

}  // namespace btt::chain

#pragma once
// The module registry: routes each Message kind to its module's handler.
#include <map>
#include <memory>
#include <vector>

#include "btt/ledger/module.h"

namespace btt::chain {

class ModuleRegistry {
 public:
  // Refuses (throws std::logic_error) a message kind claimed twice: a wiring bug.
  void add(std::unique_ptr<ledger::Module> module);
  [[nodiscard]] const ledger::MsgHandler* handler(int msg_case) const;
  [[nodiscard]] const std::vector<std::unique_ptr<ledger::Module>>& modules() const {
    return modules_;
  }
  [[nodiscard]] const ledger::LockProviders& locks() const { return locks_; }
  [[nodiscard]] ledger::Module* find(std::string_view name) const;

 private:
  std::vector<std::unique_ptr<ledger::Module>> modules_;
  std::map<int, const ledger::MsgHandler*> handlers_;
  ledger::LockProviders locks_;
};

// The registry with every module of this release, in their fixed order.
[[nodiscard]] std::unique_ptr<ModuleRegistry> make_default_registry();

}  // namespace btt::chain

#pragma once
// The governance module's message handlers: one ledger::Handler<Msg> per message, defined in
// handlers.cpp (doc/governance.md has each one's phase table).
#include <memory>
#include <vector>

#include "btt/ledger/module.h"
#include "btt/modules/governance/governance.h"

namespace btt::modules::governance {

// Submit, deposit, vote, weighted vote, cancel, Foundation act; built over the module's params
// setter (submission dry-runs a param change through it).
class GovernanceHandlers {
 public:
  explicit GovernanceHandlers(const ParamsSetter* setter);
  ~GovernanceHandlers();
  [[nodiscard]] std::vector<const ledger::MsgHandler*> list() const;

 private:
  std::vector<std::unique_ptr<ledger::MsgHandler>> handlers_;
};

// The stateless checks of one action (also run on a genesis proposal).
[[nodiscard]] Status check_action(const v1::ProposalAction& a, size_t index);
// [a-z0-9_.-]{1,64}: an upgrade plan's name (also a state key's last field).
[[nodiscard]] bool upgrade_name_ok(std::string_view name);

}  // namespace btt::modules::governance

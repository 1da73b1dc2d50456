#pragma once
// Governance module (doc/governance.md): proposals with a list of actions, deposits,
// stake-weighted votes (delegators inherit their validator's vote), a tally counted within a
// per-block budget, and the actions executed in a sandbox, all or none.
//
// State keys: src/modules/governance/keys.h (doc/governance.md "State").
#include <memory>
#include <optional>
#include <string_view>

#include "btt/common/status.h"
#include "btt/crypto/address.h"
#include "btt/ledger/module.h"
#include "btt/v1/governance.pb.h"

namespace btt::modules::governance {

inline constexpr std::string_view kModuleName = "governance";
inline constexpr uint32_t kCodespace = 6;
// Burn source of burned deposits (tokenomics burn record).
inline constexpr std::string_view kDepositBurnSource = "gov_deposit";

// The module account holding every deposit of a proposal not yet settled.
[[nodiscard]] crypto::Address deposits_address();
// The name governance acts under (roles granted_by, the upgrade plan's proposer).
[[nodiscard]] crypto::Address governance_address();

// The one params path of the chain (chain::set_params_json), which lives above the modules:
// the registry hands it to make_governance_module, so governance never includes chain/.
class ParamsSetter {
 public:
  virtual ~ParamsSetter() = default;
  [[nodiscard]] virtual Status set_params_json(ledger::Overlay& state, ledger::Events& events,
                                               std::string_view module,
                                               std::string_view json) const = 0;
};

// The software upgrade plan in force (nullopt: none). A node whose binary does not handle it
// stops before applying its height (chain::Chain::upgrade_needed, doc/governance.md "Software
// upgrades"); the begin-block of that height removes it and records it as applied.
[[nodiscard]] std::optional<v1::UpgradePlanRecord> upgrade_plan(const ledger::StateReader& state);

// Whether the chain runs governance (its genesis had a governance section). Then the Foundation
// approves milestones only through MsgFoundationAct (before the sunset) or proposals.
[[nodiscard]] bool enabled(const ledger::StateReader& state);

// `setter` may be null (unit tests of a registry without chain/): param changes then fail.
[[nodiscard]] std::unique_ptr<ledger::Module> make_governance_module(
    std::unique_ptr<ParamsSetter> setter);

}  // namespace btt::modules::governance

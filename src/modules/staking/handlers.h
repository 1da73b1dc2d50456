#pragma once
// The staking module's message handlers: one ledger::Handler<Msg> per message, defined in
// handlers.cpp (doc/staking.md has each one's phase table).
#include <vector>

#include "btt/ledger/module.h"

namespace btt::modules::staking {

// Create and edit validator, delegate, undelegate, redelegate, cancel unbonding, withdraw.
[[nodiscard]] const std::vector<const ledger::MsgHandler*>& staking_handlers();

}  // namespace btt::modules::staking

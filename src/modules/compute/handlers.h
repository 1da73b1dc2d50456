#pragma once
// The compute module's message handlers: one ledger::Handler<Msg> per message, defined in
// handlers.cpp (doc/compute.md has each one's phase table).
#include <vector>

#include "btt/ledger/module.h"

namespace btt::modules::compute {

// Register, update, pause, unregister, heartbeat, post, cancel, commit, reveal, attest, ban.
[[nodiscard]] const std::vector<const ledger::MsgHandler*>& compute_handlers();

}  // namespace btt::modules::compute

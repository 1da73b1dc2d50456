#pragma once
// The bank module's events (doc/bank.md "Events").
#include "btt/ledger/events.h"

namespace btt::modules::bank::events {

// One per output moved: from the sender to `to`.
inline constexpr ledger::EventDef kTransfer{"bank.transfer", {"from", "to", "asset", "amount"}};

}  // namespace btt::modules::bank::events

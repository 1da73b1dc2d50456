#pragma once
// The roles module's events (doc/roles.md "Events").
#include "btt/ledger/events.h"

namespace btt::modules::roles::events {

inline constexpr ledger::EventDef kGranted{"roles.granted", {"role", "address", "by"}};
inline constexpr ledger::EventDef kRevoked{"roles.revoked", {"role", "address", "by"}};

}  // namespace btt::modules::roles::events

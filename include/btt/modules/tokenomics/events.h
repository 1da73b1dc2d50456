#pragma once
// The tokenomics module's events (doc/tokenomics.md "Events").
#include "btt/ledger/events.h"

namespace btt::modules::tokenomics::events {

inline constexpr ledger::EventDef kBurn{"tokenomics.burn", {"from", "amount", "source"}};
inline constexpr ledger::EventDef kMilestoneApproved{
    "tokenomics.milestone_approved", {"category", "milestone", "amount", "approved", "released"}};
// Block-level: the epochs first_epoch..last_epoch paid into the mining escrow.
inline constexpr ledger::EventDef kEmission{"tokenomics.emission",
                                            {"first_epoch", "last_epoch", "amount", "escrow"}};

}  // namespace btt::modules::tokenomics::events

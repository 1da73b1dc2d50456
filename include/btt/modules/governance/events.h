#pragma once
// The governance module's events (doc/governance.md "Events").
#include "btt/ledger/events.h"

namespace btt::modules::governance::events {

inline constexpr ledger::EventDef kSubmitted{"governance.proposal_submitted",
                                             {"proposal_id", "proposer", "actions", "expedited"}};
inline constexpr ledger::EventDef kDeposited{"governance.deposited",
                                             {"proposal_id", "depositor", "amount", "total"}};
inline constexpr ledger::EventDef kVotingStarted{"governance.voting_started",
                                                 {"proposal_id", "voting_end_ms"}};
inline constexpr ledger::EventDef kVoted{"governance.voted", {"proposal_id", "voter", "options"}};
inline constexpr ledger::EventDef kCancelled{"governance.proposal_cancelled",
                                             {"proposal_id", "burned", "refunded"}};
inline constexpr ledger::EventDef kTallied{
    "governance.proposal_tallied",
    {"proposal_id", "status", "reason", "yes", "abstain", "no", "no_with_veto", "total_bonded"}};
inline constexpr ledger::EventDef kExpeditedToNormal{"governance.expedited_to_normal",
                                                     {"proposal_id", "voting_end_ms"}};
inline constexpr ledger::EventDef kExecuted{"governance.proposal_executed",
                                            {"proposal_id", "status", "error"}};
inline constexpr ledger::EventDef kDepositsSettled{"governance.deposits_settled",
                                                   {"proposal_id", "refunded", "burned"}};
inline constexpr ledger::EventDef kStreamPaid{"governance.stream_paid",
                                              {"stream_id", "recipient", "amount", "paid"}};
inline constexpr ledger::EventDef kStreamEnded{"governance.stream_ended",
                                               {"stream_id", "paid", "cancelled"}};
inline constexpr ledger::EventDef kFoundationActQueued{"governance.foundation_act_queued",
                                                       {"act_id", "sender", "execute_ms"}};
inline constexpr ledger::EventDef kFoundationActDone{"governance.foundation_act_done",
                                                     {"act_id", "status", "error"}};
inline constexpr ledger::EventDef kUpgradeScheduled{"governance.upgrade_scheduled",
                                                    {"name", "height", "info"}};
inline constexpr ledger::EventDef kUpgradeCancelled{"governance.upgrade_cancelled", {"name"}};
inline constexpr ledger::EventDef kUpgradeApplied{"governance.upgrade_applied", {"name", "height"}};

}  // namespace btt::modules::governance::events

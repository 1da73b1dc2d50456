#pragma once
// The compute module's events (doc/compute.md "Events"), attributes in emission order.
#include "btt/ledger/events.h"

namespace btt::modules::compute::events {

inline constexpr ledger::EventDef kNodeRegistered{
    "compute.node_registered",
    {"node", "accelerator_kind", "model", "region", "price_per_cu", "bond"}};
inline constexpr ledger::EventDef kNodeUpdated{"compute.node_updated",
                                               {"node", "price_per_cu", "bond"}};
inline constexpr ledger::EventDef kNodePaused{"compute.node_paused", {"node", "paused"}};
inline constexpr ledger::EventDef kNodeUnbonding{"compute.node_unbonding",
                                                 {"node", "bond", "unbond_height"}};
inline constexpr ledger::EventDef kHeartbeat{"compute.heartbeat", {"node"}};
inline constexpr ledger::EventDef kResultCommitted{"compute.result_committed", {"job_id", "node"}};
inline constexpr ledger::EventDef kResultRevealed{"compute.result_revealed",
                                                  {"job_id", "node", "result_hash"}};
inline constexpr ledger::EventDef kEnergyAttested{"compute.energy_attested",
                                                  {"node", "energy_efficiency", "attester"}};
inline constexpr ledger::EventDef kNodeBanned{"compute.node_banned",
                                              {"provider", "node", "banned"}};
inline constexpr ledger::EventDef kJobPosted{"compute.job_posted",
                                             {"job_id", "provider", "kind", "escrow"}};
inline constexpr ledger::EventDef kReplicaAssigned{"compute.replica_assigned",
                                                   {"job_id", "node", "role", "price"}};
inline constexpr ledger::EventDef kJobRefunded{"compute.job_refunded",
                                               {"job_id", "status", "amount"}};
inline constexpr ledger::EventDef kNodeSlashed{"compute.node_slashed",
                                               {"job_id", "node", "amount", "reason"}};
inline constexpr ledger::EventDef kJobAudited{"compute.job_audited", {"job_id", "auditor"}};
inline constexpr ledger::EventDef kAuditDisputed{"compute.audit_disputed", {"job_id", "referee"}};
inline constexpr ledger::EventDef kNoMajority{"compute.no_majority", {"job_id", "round"}};
inline constexpr ledger::EventDef kJobAccepted{
    "compute.job_accepted",
    {"job_id", "result_hash", "cost", "per_node", "nodes", "development", "foundation", "reserve",
     "refund"}};
inline constexpr ledger::EventDef kBondReturned{"compute.bond_returned", {"node", "amount"}};
inline constexpr ledger::EventDef kEpochRewards{"compute.epoch_rewards",
                                                {"epoch", "distributed", "rolled_over", "nodes"}};

}  // namespace btt::modules::compute::events

// Compute module (doc/compute.md): bonded compute nodes, clinics' jobs with escrow, commit-reveal
// with majority and audits, settlement, slashing and the epoch distribution of mining rewards.
#include "module.h"

#include "btt/crypto/hash.h"
#include "btt/modules/compute/errors.h"
#include "btt/modules/compute/events.h"
#include "keeper.h"
#include "keys.h"

namespace btt::modules::compute {

std::vector<const ledger::EventDef*> ComputeModule::events() const {
  return {&events::kNodeRegistered, &events::kNodeUpdated,     &events::kNodePaused,
          &events::kNodeUnbonding,  &events::kHeartbeat,       &events::kResultCommitted,
          &events::kResultRevealed, &events::kEnergyAttested,  &events::kNodeBanned,
          &events::kJobPosted,      &events::kReplicaAssigned, &events::kJobRefunded,
          &events::kNodeSlashed,    &events::kJobAudited,      &events::kAuditDisputed,
          &events::kNoMajority,     &events::kJobAccepted,     &events::kBondReturned,
          &events::kEpochRewards};
}

std::vector<const ErrorDef*> ComputeModule::errors() const {
  return {&errors::kBadField,
          &errors::kZeroPrice,
          &errors::kZeroBond,
          &errors::kNoNode,
          &errors::kNodeUnbonding,
          &errors::kNodeExists,
          &errors::kBondBelowMinimum,
          &errors::kBondOverflow,
          &errors::kOpenReplicas,
          &errors::kHeartbeatTooSoon,
          &errors::kUnknownJobKind,
          &errors::kCostOverflow,
          &errors::kNoJob,
          &errors::kNotJobProvider,
          &errors::kJobNotCancellable,
          &errors::kJobNotRunning,
          &errors::kNotAssigned,
          &errors::kAlreadyCommitted,
          &errors::kCommitClosed,
          &errors::kNotCommitted,
          &errors::kRevealNotOpen,
          &errors::kRevealClosed,
          &errors::kRevealMismatch,
          &errors::kBadNodeAddress,
          &errors::kNotAttester,
          &errors::kBadParams};
}

void ComputeModule::end_block(ledger::BlockContext& ctx) {
  if (!ctx.state.get(keys::params())) return;  // a chain without compute state
  ComputeKeeper keeper(ctx.state, ctx.locks, ctx.block, ctx.events);
  keeper.process_due_jobs();
  keeper.release_bonds();
  keeper.close_epoch_if_due();
}

crypto::Address escrow_address() {
  return crypto::Address::for_module("compute/escrow");
}
crypto::Address bonds_address() {
  return crypto::Address::for_module("compute/bonds");
}
crypto::Address development_fund_address() {
  return crypto::Address::for_module("compute/development_fund");
}
crypto::Address foundation_address() {
  return crypto::Address::for_module("compute/foundation");
}
crypto::Address operational_reserve_address() {
  return crypto::Address::for_module("compute/operational_reserve");
}

Bytes commitment(std::string_view result_hash, const crypto::Address& node, std::string_view salt) {
  Bytes data(result_hash);
  data.append(node.raw());
  data.append(salt);
  return to_bytes(crypto::tagged_hash(kCommitTag, data));
}

std::unique_ptr<ledger::Module> make_compute_module() {
  return std::make_unique<ComputeModule>();
}

}  // namespace btt::modules::compute

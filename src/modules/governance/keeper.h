#pragma once
// The governance keeper: the only code that writes the module's keys (keys.h). Handlers,
// genesis and the end-block hook go through it (doc/governance.md).
#include <string>
#include <utility>

#include "btt/ledger/ledger.h"
#include "btt/ledger/module.h"
#include "btt/modules/governance/governance.h"
#include "btt/modules/governance/view.h"
#include "btt/v1/governance.pb.h"

namespace btt::modules::governance {

class GovernanceKeeper {
 public:
  GovernanceKeeper(ledger::Overlay& state, ledger::Events& events,
                   const ledger::LockProviders* locks, const ledger::BlockInfo& block,
                   const ParamsSetter* setter);

  [[nodiscard]] GovernanceView view() const { return GovernanceView(state_); }
  [[nodiscard]] const v1::GovernanceParams& params() const { return params_; }

  // Genesis: params, or an exported state written back (genesis.cpp checked it).
  void set_params(const v1::GovernanceParams& p);
  void import_state(const v1::GovernanceGenesisState& st);

  // Messages (handlers checked fields and preclaim what the state decides up front).
  [[nodiscard]] Result<uint64_t> submit(const crypto::Address& proposer,
                                        const v1::MsgSubmitProposal& m);
  [[nodiscard]] Status deposit(uint64_t id, const crypto::Address& depositor, uint64_t amount);
  void vote(uint64_t id, const crypto::Address& voter,
            const google::protobuf::RepeatedPtrField<v1::WeightedVoteOption>& options);
  [[nodiscard]] Status cancel(uint64_t id);
  void queue_foundation_act(const crypto::Address& sender, const v1::MsgFoundationAct& act);

  // begin_block: the upgrade plan of this height is applied (removed, recorded by name).
  void begin_block();
  // end_block: deposit and voting periods that ended, the tally within its budget, execution,
  // treasury streams, Foundation acts past their veto window.
  void end_block();

 private:
  [[nodiscard]] uint64_t next_id(const Bytes& key);
  void put(const v1::ProposalRecord& p);
  void start_voting(v1::ProposalRecord& p);
  // Counts votes of TALLYING proposals until `budget` reads are spent.
  void count(uint64_t& budget);
  // One proposal's votes from its cursor on; true once its tally is whole.
  bool count_one(v1::ProposalRecord& p, v1::TallyProgress& t, uint64_t& budget);
  void finish(v1::ProposalRecord& p, const v1::TallyResult& tally);
  void end(v1::ProposalRecord& p, v1::ProposalStatus status);
  // Refunds every deposit of `p`, less `burn_bps` of each, which is burned.
  // Returns (refunded, burned).
  std::pair<uint64_t, uint64_t> settle_deposits(v1::ProposalRecord& p, uint32_t burn_bps);
  // Runs `actions` in a sandbox: all apply or none; the error of the first failing one.
  [[nodiscard]] Status execute(
      const google::protobuf::RepeatedPtrField<v1::ProposalAction>& actions, uint64_t proposal_id);
  [[nodiscard]] Status run(ledger::Overlay& state, ledger::Events& events,
                           const v1::ProposalAction& a, uint64_t proposal_id);
  void pay_streams();
  void run_foundation_acts();

  ledger::Overlay& state_;
  ledger::Events& events_;
  const ledger::LockProviders* locks_;
  const ledger::BlockInfo& block_;
  const ParamsSetter* setter_;
  v1::GovernanceParams params_;
};

}  // namespace btt::modules::governance

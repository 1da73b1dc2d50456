#pragma once
// The tally's arithmetic (doc/governance.md "Tally"), shared by the end-block count and the live
// query: a voter's own power, the validators' inherited votes, the split of a weighted vote and
// the outcome, all in exact integers.
#include <functional>
#include <utility>
#include <vector>

#include "btt/crypto/address.h"
#include "btt/ledger/state.h"
#include "btt/v1/governance.pb.h"

namespace btt::modules::governance {

struct VoterPower {
  uint64_t power = 0;  // bonded tokens of its delegations (not to its own validator) + lock weight
  // Shares of validators the voter holds and voted itself: the validator's vote leaves them out.
  std::vector<std::pair<crypto::Address, uint64_t>> deducted;
  uint64_t reads = 0;  // delegations read: the budget this voter cost
};

// The power `voter` votes with itself: its delegations to bonded validators it does not operate
// (a validator's operator votes for the validator, its own delegation included) at their value
// now, plus staking::locked_vote_weight of its locks still in force at `voting_end_ms`.
[[nodiscard]] VoterPower direct_power(const ledger::StateReader& state,
                                      const crypto::Address& voter, uint64_t voting_end_ms);

// Adds `power` split over the vote's options: each option floor(power x weight / 10000), the
// rounding remainder to the first option listed.
void add_vote(v1::TallyResult& tally, const v1::VoteRecord& vote, uint64_t power);

// Adds every bonded validator whose operator voted: the tokens of its shares less `deducted(v)`,
// split as its operator voted; and sets total_bonded. `operator_vote(v)` finds the vote.
void add_validators(
    const ledger::StateReader& state, v1::TallyResult& tally,
    const std::function<uint64_t(const crypto::Address&)>& deducted,
    const std::function<std::optional<v1::VoteRecord>(const crypto::Address&)>& operator_vote);

struct Outcome {
  bool passed = false;
  v1::RejectReason reason = v1::REJECT_REASON_UNSPECIFIED;
  bool burn = false;  // deposits burned (veto; no quorum when burn_vote_quorum)
};

// Quorum: turnout x 10000 >= quorum_bps x total_bonded. Veto: no_with_veto x 10000 >=
// veto_threshold_bps x turnout. Pass: yes x 10000 > threshold_bps x (yes + no + no_with_veto)
// (the expedited threshold for an expedited proposal). Abstain counts for quorum only.
[[nodiscard]] Outcome decide(const v1::TallyResult& t, const v1::GovernanceParams& p,
                             bool expedited);

}  // namespace btt::modules::governance

// The tally's arithmetic (doc/governance.md "Tally").
#include "tally.h"

#include "btt/common/amount.h"
#include "btt/common/checked.h"
#include "btt/modules/staking/staking.h"
#include "btt/modules/staking/view.h"

namespace btt::modules::governance {
namespace {

using u128 = unsigned __int128;

bool counts(const v1::ValidatorRecord& v) {
  return v.status() == v1::VALIDATOR_STATUS_BONDED && !v.jailed() && v.tokens() > 0;
}

void add_to(v1::TallyResult& t, v1::VoteOption o, uint64_t amount) {
  switch (o) {
    case v1::VOTE_OPTION_YES:
      t.set_yes(saturating_add(t.yes(), amount));
      break;
    case v1::VOTE_OPTION_ABSTAIN:
      t.set_abstain(saturating_add(t.abstain(), amount));
      break;
    case v1::VOTE_OPTION_NO:
      t.set_no(saturating_add(t.no(), amount));
      break;
    case v1::VOTE_OPTION_NO_WITH_VETO:
      t.set_no_with_veto(saturating_add(t.no_with_veto(), amount));
      break;
    default:
      break;  // check refused it
  }
}

}  // namespace

VoterPower direct_power(const ledger::StateReader& state, const crypto::Address& voter,
                        uint64_t voting_end_ms) {
  VoterPower out;
  staking::StakingView view(state);
  for (const auto& d : view.delegations_of(voter)) {
    ++out.reads;
    auto vaddr = crypto::Address::parse(d.validator());
    if (!vaddr) continue;
    auto v = view.validator(*vaddr);
    if (!v || !counts(*v)) continue;
    if (v->operator_() == voter.to_string()) continue;  // counted with the validator's vote
    out.power = saturating_add(out.power, staking::StakingView::tokens_of(*v, d.shares()));
    out.deducted.emplace_back(*vaddr, d.shares());
  }
  out.power = saturating_add(out.power, staking::locked_vote_weight(state, voter, voting_end_ms));
  return out;
}

void add_vote(v1::TallyResult& tally, const v1::VoteRecord& vote, uint64_t power) {
  if (vote.options().empty()) return;
  uint64_t given = 0;
  for (const auto& o : vote.options()) {
    const uint64_t part = bps_of(power, o.weight_bps());
    add_to(tally, o.option(), part);
    given += part;  // <= power: the weights sum to 10000
  }
  add_to(tally, vote.options(0).option(), power - given);
}

void add_validators(
    const ledger::StateReader& state, v1::TallyResult& tally,
    const std::function<uint64_t(const crypto::Address&)>& deducted,
    const std::function<std::optional<v1::VoteRecord>(const crypto::Address&)>& operator_vote) {
  staking::StakingView view(state);
  uint64_t total = 0;
  const v1::ChosenSet set = view.chosen_set();
  for (const auto& member : set.validators()) {
    auto vaddr = crypto::Address::parse(member.address());
    if (!vaddr) continue;
    auto v = view.validator(*vaddr);
    if (!v || !counts(*v)) continue;
    total = saturating_add(total, v->tokens());
    auto op = crypto::Address::parse(v->operator_());
    if (!op) continue;
    auto vote = operator_vote(*op);
    if (!vote) continue;
    const uint64_t away = std::min(deducted(*vaddr), v->shares());
    add_vote(tally, *vote, staking::StakingView::tokens_of(*v, v->shares() - away));
  }
  tally.set_total_bonded(total);
}

Outcome decide(const v1::TallyResult& t, const v1::GovernanceParams& p, bool expedited) {
  Outcome out;
  const u128 turnout = static_cast<u128>(t.yes()) + t.abstain() + t.no() + t.no_with_veto();
  if (t.total_bonded() == 0 ||
      turnout * kBps < static_cast<u128>(p.quorum_bps()) * t.total_bonded()) {
    out.reason = v1::REJECT_REASON_NO_QUORUM;
    out.burn = p.burn_vote_quorum();
    return out;
  }
  if (static_cast<u128>(t.no_with_veto()) * kBps >=
      static_cast<u128>(p.veto_threshold_bps()) * turnout) {
    out.reason = v1::REJECT_REASON_VETO;
    out.burn = true;
    return out;
  }
  const u128 deciding = static_cast<u128>(t.yes()) + t.no() + t.no_with_veto();
  const uint32_t threshold = expedited ? p.expedited_threshold_bps() : p.threshold_bps();
  if (deciding > 0 && static_cast<u128>(t.yes()) * kBps > static_cast<u128>(threshold) * deciding) {
    out.passed = true;
    return out;
  }
  out.reason = v1::REJECT_REASON_THRESHOLD;
  return out;
}

}  // namespace btt::modules::governance

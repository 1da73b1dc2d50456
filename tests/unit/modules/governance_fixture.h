#pragma once
// Shared helpers of the governance tests: a staking genesis (staking_fixture.h) with a governance
// section of short periods (deposit 60 s, voting 60 s, expedited 10 s, veto window 5 s,
// min_deposit 100 BTT, Foundation sunset at height 100), one builder per common message, and the
// GovernanceTest fixture.
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "btt/common/amount.h"
#include "btt/modules/governance/governance.h"
#include "btt/modules/governance/view.h"
#include "btt/modules/tokenomics/view.h"
#include "staking_fixture.h"

namespace btt::testkit {

namespace gov = modules::governance;
inline constexpr uint64_t kVotingMs = 60'000;

inline nlohmann::json gov_sections(const nlohmann::json& extra = nlohmann::json::object()) {
  auto s = staking_section();
  nlohmann::json p = {{"min_deposit", std::to_string(100 * kUnitsPerBtt)},
                      {"min_initial_deposit_ratio_bps", 2'500},
                      {"max_deposit_period_ms", "60000"},
                      {"voting_period_ms", std::to_string(kVotingMs)},
                      {"expedited_voting_period_ms", "10000"},
                      {"expedited_min_deposit", std::to_string(200 * kUnitsPerBtt)},
                      {"cancel_burn_ratio_bps", 2'000},
                      {"foundation_sunset_height", "100"},
                      {"foundation_veto_period_ms", "5000"}};
  p.update(extra);
  s["governance"] = {{"params", p}};
  return s;
}

inline v1::ProposalAction text(const std::string& t) {
  v1::ProposalAction a;
  a.set_text(t);
  return a;
}

inline v1::Message submit(std::vector<v1::ProposalAction> actions, uint64_t deposit,
                          bool expedited = false) {
  v1::Message m;
  auto* s = m.mutable_submit_proposal();
  s->set_title("a proposal");
  for (auto& a : actions) *s->add_actions() = a;
  s->set_initial_deposit(deposit);
  s->set_expedited(expedited);
  return m;
}

inline v1::Message vote(uint64_t id, v1::VoteOption o) {
  v1::Message m;
  m.mutable_vote()->set_proposal_id(id);
  m.mutable_vote()->set_option(o);
  return m;
}

inline v1::Message deposit_msg(uint64_t id, uint64_t amount) {
  v1::Message m;
  m.mutable_deposit()->set_proposal_id(id);
  m.mutable_deposit()->set_amount(amount);
  return m;
}

inline v1::Message cancel_msg(uint64_t id) {
  v1::Message m;
  m.mutable_cancel_proposal()->set_proposal_id(id);
  return m;
}

// A weighted vote of (option, weight_bps) pairs, in that order.
inline v1::Message weighted_vote(uint64_t id,
                                 const std::vector<std::pair<v1::VoteOption, uint32_t>>& options) {
  v1::Message m;
  m.mutable_weighted_vote()->set_proposal_id(id);
  for (const auto& [o, w] : options) {
    auto* opt = m.mutable_weighted_vote()->add_options();
    opt->set_option(o);
    opt->set_weight_bps(w);
  }
  return m;
}

class GovernanceTest : public StakingTest {
 protected:
  explicit GovernanceTest(const nlohmann::json& extra = nlohmann::json::object())
      : StakingTest(gov_sections(extra)) {}

  gov::GovernanceView gview() { return gov::GovernanceView(env.ledger_state()); }
  v1::ProposalRecord proposal(uint64_t id) {
    return gview().proposal(id).value_or(v1::ProposalRecord{});
  }
  // Closes blocks until the voting period of `id` has ended and its tally is done.
  void run_to_end(uint64_t id) {
    for (int i = 0; i < 200; ++i) {
      env.advance_time(kVotingMs);
      env.close_block();
      const auto st = proposal(id).status();
      if (st != v1::PROPOSAL_STATUS_VOTING_PERIOD && st != v1::PROPOSAL_STATUS_TALLYING) return;
    }
    FAIL() << "proposal " << id << " never ended";
  }
  uint64_t treasury_balance() { return env.balance(modules::tokenomics::pool_address("treasury")); }
  const Account& faucet() { return faucet_account(); }
  // The Foundation (funded for fees) queues a direct treasury spend to `to`; the message.
  v1::Message queue_treasury_act(const Account& authority, const Account& to, uint64_t amount) {
    env.apply(env.tx(faucet()).transfer(authority, 10 * kUnitsPerBtt).sign());
    v1::Message m;
    m.mutable_foundation_act()->mutable_treasury_spend()->set_recipient(to.addr());
    m.mutable_foundation_act()->mutable_treasury_spend()->set_amount(amount);
    env.apply(env.tx(authority).message(m).sign());
    return m;
  }
};

}  // namespace btt::testkit

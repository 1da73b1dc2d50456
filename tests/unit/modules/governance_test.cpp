// Governance: submission and deposits, votes with delegator inheritance and override, the tally
// at its exact boundaries, deposit refunds and burns per case, execution all-or-none with a
// failure recorded, treasury streams, milestone release, the per-block tally budget.
#include <gtest/gtest.h>

#include "btt/chain/params.h"
#include "btt/modules/governance/errors.h"
#include "btt/modules/governance/governance.h"
#include "btt/modules/governance/view.h"
#include "btt/modules/tokenomics/errors.h"
#include "btt/modules/tokenomics/view.h"
#include "governance_fixture.h"
#include "modules/governance/module.h"
#include "modules/governance/tally.h"

namespace btt::testkit {
namespace {

constexpr uint64_t kBtt = kUnitsPerBtt;

TEST_F(GovernanceTest, SubmitRefusalsAndDepositFloorExactly) {
  const Account& alice = env.account("alice", 1'000 * kBtt);
  env.apply(env.tx(alice).message(submit({}, 25 * kBtt)).sign(), Code::kInvalidArgument);
  v1::ProposalAction empty;
  env.apply(env.tx(alice).message(submit({empty}, 25 * kBtt)).sign(), Code::kInvalidArgument);
  // min_deposit 100 BTT x 25% = 25 BTT: one unit below is refused (fee paid), 25 BTT accepted.
  env.apply(env.tx(alice).message(submit({text("x")}, 25 * kBtt - 1)).sign(), Code::kInvalidAmount);
  const uint64_t before = env.balance(alice);
  const uint64_t fee =
      env.apply(env.tx(alice).message(submit({text("x")}, 25 * kBtt)).sign()).fee_paid;
  EXPECT_EQ(env.balance(alice), before - fee - 25 * kBtt);
  EXPECT_EQ(env.balance(gov::deposits_address()), 25 * kBtt);
  auto p = proposal(1);
  EXPECT_EQ(p.status(), v1::PROPOSAL_STATUS_DEPOSIT_PERIOD);
  // 75 BTT more reaches min_deposit: voting starts.
  v1::Message d;
  d.mutable_deposit()->set_proposal_id(1);
  d.mutable_deposit()->set_amount(75 * kBtt);
  env.apply(env.tx(alice).message(d).sign());
  EXPECT_EQ(proposal(1).status(), v1::PROPOSAL_STATUS_VOTING_PERIOD);
  EXPECT_EQ(proposal(1).total_deposit(), 100 * kBtt);
  d.mutable_deposit()->set_proposal_id(9);
  env.apply(env.tx(alice).message(d).sign(), Code::kUnknownRecord);
  env.apply(env.tx(alice).message(vote(9, v1::VOTE_OPTION_YES)).sign(), Code::kUnknownRecord);
  env.apply(env.tx(alice).message(vote(1, v1::VOTE_OPTION_UNSPECIFIED)).sign(),
            Code::kInvalidArgument);
  env.close_block();
  env.expect_supply_conserved();
}

TEST_F(GovernanceTest, DelegatorsInheritTheirValidatorsVoteUnlessTheyVote) {
  const Account& alice = env.account("alice", 1'000 * kBtt);
  env.apply(env.tx(alice).message(delegate_msg(a, 500 * kBtt)).sign());
  env.close_block();
  env.apply(env.tx(alice).message(submit({text("x")}, 100 * kBtt)).sign());
  env.apply(env.tx(faucet()).message(vote(1, v1::VOTE_OPTION_YES)).sign());
  // The operator's vote carries val-a's 1,500 BTT (alice's 500 inherited) and val-b's 500.
  auto live = gview().live_tally(1, env.time_ms());
  EXPECT_EQ(live.yes(), 2'000 * kBtt);
  EXPECT_EQ(live.total_bonded(), 2'000 * kBtt);
  // Alice overrides with her own vote: her 500 BTT leave val-a's.
  env.apply(env.tx(alice).message(vote(1, v1::VOTE_OPTION_NO)).sign());
  live = gview().live_tally(1, env.time_ms());
  EXPECT_EQ(live.yes(), 1'500 * kBtt);
  EXPECT_EQ(live.no(), 500 * kBtt);
  // A changed vote replaces the old one.
  env.apply(env.tx(alice).message(vote(1, v1::VOTE_OPTION_ABSTAIN)).sign());
  run_to_end(1);
  auto p = proposal(1);
  EXPECT_EQ(p.status(), v1::PROPOSAL_STATUS_PASSED);
  EXPECT_EQ(p.final_tally().yes(), 1'500 * kBtt);
  EXPECT_EQ(p.final_tally().abstain(), 500 * kBtt);
  EXPECT_EQ(p.final_tally().no(), 0u);
  EXPECT_EQ(env.balance(gov::deposits_address()), 0u);  // refunded
  env.expect_supply_conserved();
}

TEST(GovernanceTally, QuorumVetoThresholdAtExactBoundaries) {
  auto p = modules::governance::default_params();
  v1::TallyResult t;
  t.set_total_bonded(10'000);
  t.set_yes(3'339);  // turnout 3339 < 33.40% of 10000
  EXPECT_EQ(gov::decide(t, p, false).reason, v1::REJECT_REASON_NO_QUORUM);
  t.set_yes(3'340);  // exactly the quorum: counted
  EXPECT_TRUE(gov::decide(t, p, false).passed);
  // Threshold 50%: yes must be above half of yes + no + veto; a tie fails.
  t.set_yes(2'000);
  t.set_no(2'000);
  EXPECT_EQ(gov::decide(t, p, false).reason, v1::REJECT_REASON_THRESHOLD);
  t.set_yes(2'001);
  EXPECT_TRUE(gov::decide(t, p, false).passed);
  // Abstain counts for quorum, not the threshold.
  t.set_yes(1'000);
  t.set_no(999);
  t.set_abstain(5'000);
  EXPECT_TRUE(gov::decide(t, p, false).passed);
  // Veto at exactly 33.40% of the turnout rejects and burns; one below does not.
  v1::TallyResult v;
  v.set_total_bonded(10'000);
  v.set_yes(6'660);
  v.set_no_with_veto(3'340);
  auto o = gov::decide(v, p, false);
  EXPECT_EQ(o.reason, v1::REJECT_REASON_VETO);
  EXPECT_TRUE(o.burn);
  v.set_yes(6'661);
  v.set_no_with_veto(3'339);
  EXPECT_TRUE(gov::decide(v, p, false).passed);
  // Expedited: above 66.70% of the deciding votes.
  v1::TallyResult e;
  e.set_total_bonded(10'000);
  e.set_yes(6'670);
  e.set_no(3'330);
  EXPECT_FALSE(gov::decide(e, p, true).passed);
  EXPECT_TRUE(gov::decide(e, p, false).passed);
  e.set_yes(6'671);
  e.set_no(3'329);
  EXPECT_TRUE(gov::decide(e, p, true).passed);
  // No quorum burns only with burn_vote_quorum.
  v1::TallyResult n;
  n.set_total_bonded(10'000);
  EXPECT_FALSE(gov::decide(n, p, false).burn);
  p.set_burn_vote_quorum(true);
  EXPECT_TRUE(gov::decide(n, p, false).burn);
}

TEST_F(GovernanceTest, WeightedVoteSplitsPowerWithTheRemainderToTheFirstOption) {
  v1::VoteRecord v;
  auto* o1 = v.add_options();
  o1->set_option(v1::VOTE_OPTION_NO);
  o1->set_weight_bps(3'333);
  auto* o2 = v.add_options();
  o2->set_option(v1::VOTE_OPTION_YES);
  o2->set_weight_bps(6'667);
  v1::TallyResult t;
  gov::add_vote(t, v, 10'001);
  EXPECT_EQ(t.yes(), 6'667u);     // floor(10001 x 0.6667) = 6667
  EXPECT_EQ(t.no(), 3'333u + 1);  // floor(3333.33) + the remainder 1
  // A weighted vote whose weights do not sum to 10000 is malformed.
  v1::Message m;
  m.mutable_weighted_vote()->set_proposal_id(1);
  *m.mutable_weighted_vote()->add_options() = *o1;
  env.apply(env.tx(env.account("w")).message(m).sign(), Code::kInvalidArgument);
}

TEST_F(GovernanceTest, VetoBurnsEveryDeposit) {
  const Account& alice = env.account("alice", 1'000 * kBtt);
  env.apply(env.tx(alice).message(submit({text("x")}, 100 * kBtt)).sign());
  env.apply(env.tx(faucet()).message(vote(1, v1::VOTE_OPTION_NO_WITH_VETO)).sign());
  const uint64_t before = env.balance(alice);
  run_to_end(1);
  auto p = proposal(1);
  EXPECT_EQ(p.status(), v1::PROPOSAL_STATUS_REJECTED);
  EXPECT_EQ(p.reject_reason(), v1::REJECT_REASON_VETO);
  EXPECT_TRUE(p.deposits_burned());
  EXPECT_EQ(env.balance(alice), before);
  EXPECT_EQ(env.balance(gov::deposits_address()), 0u);
  env.expect_supply_conserved();
}

TEST_F(GovernanceTest, NoQuorumRefundsByDefault) {
  const Account& alice = env.account("alice", 1'000 * kBtt);
  env.apply(env.tx(alice).message(submit({text("x")}, 100 * kBtt)).sign());
  const uint64_t before = env.balance(alice);
  run_to_end(1);
  EXPECT_EQ(proposal(1).reject_reason(), v1::REJECT_REASON_NO_QUORUM);
  EXPECT_EQ(env.balance(alice), before + 100 * kBtt);
}

TEST_F(GovernanceTest, CancelBurnsTheRatioAndRefundsTheRest) {
  const Account& alice = env.account("alice", 1'000 * kBtt);
  const Account& bob = env.account("bob", 1'000 * kBtt);
  env.apply(env.tx(alice).message(submit({text("x")}, 30 * kBtt)).sign());
  v1::Message d;
  d.mutable_deposit()->set_proposal_id(1);
  d.mutable_deposit()->set_amount(7);  // 20% of 7 units is 1.4: 1 burned, 6 back
  env.apply(env.tx(bob).message(d).sign());
  v1::Message c;
  c.mutable_cancel_proposal()->set_proposal_id(1);
  env.apply(env.tx(bob).message(c).sign(), Code::kUnauthorized);
  const uint64_t a0 = env.balance(alice);
  const uint64_t b0 = env.balance(bob);
  const uint64_t fee = env.apply(env.tx(alice).message(c).sign()).fee_paid;
  EXPECT_EQ(env.balance(alice), a0 - fee + 24 * kBtt);
  EXPECT_EQ(env.balance(bob), b0 + 6);
  EXPECT_EQ(proposal(1).status(), v1::PROPOSAL_STATUS_CANCELLED);
  env.apply(env.tx(alice).message(c).sign(), Code::kWrongState);
  env.close_block();
  env.expect_supply_conserved();
}

TEST_F(GovernanceTest, ParamChangeTakesEffectAndAFailingActionChangesNothing) {
  auto json = chain::params_json(env.registry(), env.ledger_state(), "governance");
  ASSERT_TRUE(json.is_ok());
  auto j = nlohmann::json::parse(*json);
  const bool snake = j.contains("max_actions");
  auto field = [&](const char* snake_name, const char* camel) {
    return snake ? snake_name : camel;
  };
  j[field("max_actions", "maxActions")] = 7;
  v1::ProposalAction pc;
  pc.mutable_param_change()->set_module("governance");
  pc.mutable_param_change()->set_params_json(j.dump());
  // A change the module refuses is refused at submission.
  v1::ProposalAction badpc = pc;
  auto jb = j;
  jb[field("quorum_bps", "quorumBps")] = 0;
  badpc.mutable_param_change()->set_params_json(jb.dump());
  env.apply(env.tx(faucet()).message(submit({badpc}, 100 * kBtt)).sign(), Code::kWrongState);

  env.apply(env.tx(faucet()).message(submit({pc}, 100 * kBtt)).sign());
  // Proposal 2: the param change and a treasury spend above the treasury: all or none.
  v1::ProposalAction spend;
  spend.mutable_treasury_spend()->set_recipient(env.account("r", 0).addr());
  spend.mutable_treasury_spend()->set_amount(treasury_balance() + 1);
  auto pc2 = pc;
  auto j2 = j;
  j2[field("max_actions", "maxActions")] = 9;
  pc2.mutable_param_change()->set_params_json(j2.dump());
  env.apply(env.tx(faucet()).message(submit({pc2, spend}, 100 * kBtt)).sign());
  env.apply(env.tx(faucet()).message(vote(1, v1::VOTE_OPTION_YES)).sign());
  env.apply(env.tx(faucet()).message(vote(2, v1::VOTE_OPTION_YES)).sign());
  run_to_end(1);
  run_to_end(2);
  EXPECT_EQ(proposal(1).status(), v1::PROPOSAL_STATUS_PASSED);
  EXPECT_EQ(proposal(2).status(), v1::PROPOSAL_STATUS_FAILED);
  EXPECT_NE(proposal(2).error().find("action 1"), std::string::npos) << proposal(2).error();
  EXPECT_EQ(gview().params().max_actions(), 7u);  // 1 applied, 2 changed nothing
  env.close_block();                              // the chain goes on
  env.expect_supply_conserved();
}

TEST_F(GovernanceTest, TreasuryStreamPaysPerBlockWithTheRemainderLast) {
  const Account& r = env.account("recipient", 0);
  v1::ProposalAction spend;
  spend.mutable_treasury_spend()->set_recipient(r.addr());
  spend.mutable_treasury_spend()->set_amount(10);
  spend.mutable_treasury_spend()->set_blocks(3);
  env.apply(env.tx(faucet()).message(submit({spend}, 100 * kBtt)).sign());
  env.apply(env.tx(faucet()).message(vote(1, v1::VOTE_OPTION_YES)).sign());
  run_to_end(1);
  ASSERT_EQ(proposal(1).status(), v1::PROPOSAL_STATUS_PASSED);
  // The executing block pays the first part.
  ASSERT_EQ(gview().streams().size(), 1u);
  EXPECT_EQ(env.balance(r), 3u);
  env.close_block();
  EXPECT_EQ(env.balance(r), 6u);
  env.close_block();
  EXPECT_EQ(env.balance(r), 10u);  // 3 + 3 + 4
  EXPECT_TRUE(gview().streams().empty());
  env.expect_supply_conserved();
}

TEST_F(GovernanceTest, MilestoneApprovalActionApprovesUnderTheCeiling) {
  v1::ProposalAction ms;
  ms.mutable_milestone_approval()->set_category("foundation");
  ms.mutable_milestone_approval()->set_milestone("m1");
  ms.mutable_milestone_approval()->set_amount(1'000 * kBtt);
  env.apply(env.tx(faucet()).message(submit({ms}, 100 * kBtt)).sign());
  env.apply(env.tx(faucet()).message(vote(1, v1::VOTE_OPTION_YES)).sign());
  run_to_end(1);
  EXPECT_EQ(proposal(1).status(), v1::PROPOSAL_STATUS_PASSED) << proposal(1).error();
  EXPECT_TRUE(
      modules::tokenomics::TokenomicsView(env.ledger_state()).milestone("foundation", "m1"));
}

TEST_F(GovernanceTest, ExpeditedThatFailsBecomesNormalAndKeepsItsVotes) {
  const Account& alice = env.account("alice", 2'000 * kBtt);
  env.apply(env.tx(alice).message(delegate_msg(a, 900 * kBtt)).sign());
  env.close_block();
  env.apply(env.tx(alice).message(submit({text("x")}, 200 * kBtt, true)).sign());
  // yes 1,500 (faucet's validators less alice), no 900: 62.5% passes normal, not expedited.
  env.apply(env.tx(faucet()).message(vote(1, v1::VOTE_OPTION_YES)).sign());
  env.apply(env.tx(alice).message(vote(1, v1::VOTE_OPTION_NO)).sign());
  env.advance_time(10'000);
  env.close_block();
  auto p = proposal(1);
  EXPECT_EQ(p.status(), v1::PROPOSAL_STATUS_VOTING_PERIOD);
  EXPECT_TRUE(p.was_expedited());
  EXPECT_FALSE(p.expedited());
  EXPECT_EQ(p.voting_end_ms(), p.voting_start_ms() + kVotingMs);
  run_to_end(1);
  EXPECT_EQ(proposal(1).status(), v1::PROPOSAL_STATUS_PASSED);
  EXPECT_EQ(proposal(1).final_tally().no(), 900 * kBtt);
}

class GovernanceBudgetTest : public GovernanceTest {
 protected:
  GovernanceBudgetTest() : GovernanceTest({{"tally_budget_per_block", 2}}) {}
};

TEST_F(GovernanceBudgetTest, TheTallySpreadsOverBlocksWithinItsBudget) {
  env.apply(env.tx(faucet()).message(submit({text("x")}, 100 * kBtt)).sign());
  for (int i = 0; i < 5; ++i) {
    const Account& v = env.account("voter" + std::to_string(i), 10 * kBtt);
    env.apply(env.tx(v).message(vote(1, v1::VOTE_OPTION_NO)).sign());
  }
  env.apply(env.tx(faucet()).message(vote(1, v1::VOTE_OPTION_YES)).sign());
  env.advance_time(kVotingMs);
  env.close_block();
  // Six votes at one read each, two a block: still counting after the first blocks.
  EXPECT_EQ(proposal(1).status(), v1::PROPOSAL_STATUS_TALLYING);
  env.close_block();
  EXPECT_EQ(proposal(1).status(), v1::PROPOSAL_STATUS_TALLYING);
  for (int i = 0; i < 3; ++i) env.close_block();
  EXPECT_EQ(proposal(1).status(), v1::PROPOSAL_STATUS_PASSED);
  EXPECT_EQ(proposal(1).final_tally().yes(), 1'500 * kBtt);
}

TEST_F(GovernanceTest, FoundationActWaitsItsVetoWindowThenExecutes) {
  const Account& authority = env.account(TestEnv::kAuthority, 0);
  const Account& r = env.account("grantee", 0);
  v1::Message m;
  m.mutable_foundation_act()->mutable_treasury_spend()->set_recipient(r.addr());
  m.mutable_foundation_act()->mutable_treasury_spend()->set_amount(5 * kBtt);
  env.apply(env.tx(env.account("nobody")).message(m).sign(), Code::kUnauthorized);
  // The authority has no BTT for fees: fund it.
  env.apply(env.tx(faucet()).transfer(authority, kBtt).sign());
  env.apply(env.tx(authority).message(m).sign());
  env.close_block();
  EXPECT_EQ(env.balance(r), 0u);
  env.advance_time(5'000);
  env.close_block();
  EXPECT_EQ(env.balance(r), 5 * kBtt);
  env.expect_supply_conserved();
}

v1::ProposalAction upgrade(const std::string& name, uint64_t height) {
  v1::ProposalAction a;
  a.mutable_software_upgrade()->set_name(name);
  a.mutable_software_upgrade()->set_height(height);
  a.mutable_software_upgrade()->set_info("https://example.org/btt-next sha256:00");
  return a;
}

TEST_F(GovernanceTest, UpgradeIsAppliedInTheBeginBlockOfItsHeightAndItsNameNeverReturns) {
  const uint64_t at = env.height() + 40;
  env.apply(env.tx(faucet()).message(submit({upgrade("btt-next", at)}, 100 * kBtt)).sign());
  env.apply(env.tx(faucet()).message(vote(1, v1::VOTE_OPTION_YES)).sign());
  run_to_end(1);
  ASSERT_EQ(proposal(1).status(), v1::PROPOSAL_STATUS_PASSED) << proposal(1).error();
  auto plan = gov::upgrade_plan(env.ledger_state());
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->plan().name(), "btt-next");
  EXPECT_EQ(plan->plan().height(), at);
  EXPECT_EQ(plan->proposal_id(), 1u);
  while (env.height() < at - 1) env.close_block();
  EXPECT_TRUE(gov::upgrade_plan(env.ledger_state()));  // still planned in block at - 1
  EXPECT_TRUE(gview().applied_upgrades().empty());
  env.close_block();  // the begin-block of `at` applies it
  ASSERT_EQ(env.height(), at);
  EXPECT_FALSE(gov::upgrade_plan(env.ledger_state()));
  auto applied = gview().applied_upgrades();
  ASSERT_EQ(applied.size(), 1u);
  EXPECT_EQ(applied[0].name(), "btt-next");
  EXPECT_EQ(applied[0].height(), at);
  EXPECT_EQ(applied[0].proposal_id(), 1u);
  EXPECT_EQ(gview().genesis_state().applied_upgrades_size(), 1);

  // A plan of the same name again: the proposal passes its vote and fails at execution.
  env.apply(env.tx(faucet())
                .message(submit({upgrade("btt-next", env.height() + 1'000)}, 100 * kBtt))
                .sign());
  env.apply(env.tx(faucet()).message(vote(2, v1::VOTE_OPTION_YES)).sign());
  run_to_end(2);
  EXPECT_EQ(proposal(2).status(), v1::PROPOSAL_STATUS_FAILED);
  EXPECT_NE(proposal(2).error().find("applied already"), std::string::npos) << proposal(2).error();
  EXPECT_FALSE(gov::upgrade_plan(env.ledger_state()));
  env.expect_supply_conserved();
}

TEST_F(GovernanceTest, CancelUpgradeRemovesThePlanAndFailsWithoutOne) {
  env.apply(env.tx(faucet())
                .message(submit({upgrade("btt-next", env.height() + 1'000)}, 100 * kBtt))
                .sign());
  env.apply(env.tx(faucet()).message(vote(1, v1::VOTE_OPTION_YES)).sign());
  run_to_end(1);
  ASSERT_TRUE(gov::upgrade_plan(env.ledger_state()));
  v1::ProposalAction cancel;
  cancel.mutable_cancel_upgrade();
  for (uint64_t id : {2u, 3u}) {
    env.apply(env.tx(faucet()).message(submit({cancel}, 100 * kBtt)).sign());
    env.apply(env.tx(faucet()).message(vote(id, v1::VOTE_OPTION_YES)).sign());
    run_to_end(id);
  }
  EXPECT_EQ(proposal(2).status(), v1::PROPOSAL_STATUS_PASSED) << proposal(2).error();
  EXPECT_FALSE(gov::upgrade_plan(env.ledger_state()));
  EXPECT_EQ(proposal(3).status(), v1::PROPOSAL_STATUS_FAILED);
  EXPECT_NE(proposal(3).error().find("no upgrade is planned"), std::string::npos);
  EXPECT_TRUE(gview().applied_upgrades().empty());
}

TEST_F(GovernanceTest, WithGovernanceTheFoundationApprovesMilestonesOnlyThroughIt) {
  const Account& authority = env.account(TestEnv::kAuthority, 0);
  env.apply(env.tx(faucet()).transfer(authority, kBtt).sign());
  v1::Message direct;
  direct.mutable_approve_milestone()->set_category("foundation");
  direct.mutable_approve_milestone()->set_milestone("m1");
  direct.mutable_approve_milestone()->set_amount(1'000 * kBtt);
  auto out = env.apply(env.tx(authority).message(direct).sign(), Code::kWrongState);
  EXPECT_EQ(out.status.detail(), modules::tokenomics::errors::kGovernanceControls.detail);
  EXPECT_FALSE(
      modules::tokenomics::TokenomicsView(env.ledger_state()).milestone("foundation", "m1"));
  // The same approval as a Foundation act waits out its veto window, then applies.
  v1::Message act;
  *act.mutable_foundation_act()->mutable_milestone_approval() = [] {
    v1::MilestoneApprovalAction m;
    m.set_category("foundation");
    m.set_milestone("m1");
    m.set_amount(1'000 * kBtt);
    return m;
  }();
  env.apply(env.tx(authority).message(act).sign());
  env.close_block();
  env.advance_time(5'000);
  env.close_block();
  EXPECT_TRUE(
      modules::tokenomics::TokenomicsView(env.ledger_state()).milestone("foundation", "m1"));
}

TEST_F(GovernanceTest, AFoundationActIsVetoedInItsWindowAndRefusedFromTheSunset) {
  const Account& authority = env.account(TestEnv::kAuthority, 0);
  const Account& r = env.account("grantee", 0);
  const v1::Message m = queue_treasury_act(authority, r, 5 * kBtt);
  ASSERT_EQ(gview().foundation_acts().size(), 1u);
  const uint64_t act_id = gview().foundation_acts()[0].id();
  // A veto whose vote (60 s) outlasts the act's window (5 s) comes too late: the act executed
  // in the first block after its window.
  env.advance_time(5'000);
  env.close_block();
  v1::ProposalAction veto;
  veto.mutable_veto_foundation_act()->set_act_id(act_id);
  env.apply(env.tx(faucet()).message(submit({veto}, 100 * kBtt)).sign());
  env.apply(env.tx(faucet()).message(vote(1, v1::VOTE_OPTION_YES)).sign());
  run_to_end(1);
  // The window (5 s) ended before the vote (60 s): the act executed, the veto found nothing.
  EXPECT_EQ(env.balance(r), 5 * kBtt);
  EXPECT_EQ(proposal(1).status(), v1::PROPOSAL_STATUS_FAILED);
  EXPECT_NE(proposal(1).error().find("no pending Foundation act"), std::string::npos);
  // From foundation_sunset_height (100) on, the Foundation acts only through proposals.
  while (env.height() < 100) env.close_block();
  auto out = env.apply(env.tx(authority).message(m).sign(), Code::kWrongState);
  EXPECT_EQ(out.status.detail(), gov::errors::kFoundationSunset.detail);
  env.expect_supply_conserved();
}

class GovernanceVetoTest : public GovernanceTest {
 protected:
  // A veto window longer than a vote, so a veto proposal can land inside it.
  GovernanceVetoTest() : GovernanceTest({{"foundation_veto_period_ms", "600000"}}) {}
};

TEST_F(GovernanceVetoTest, AVetoInsideTheWindowRemovesTheActAndNothingIsPaid) {
  const Account& authority = env.account(TestEnv::kAuthority, 0);
  const Account& r = env.account("grantee", 0);
  const v1::Message m = queue_treasury_act(authority, r, 5 * kBtt);
  const uint64_t act_id = gview().foundation_acts()[0].id();
  const uint64_t treasury = treasury_balance();
  v1::ProposalAction veto;
  veto.mutable_veto_foundation_act()->set_act_id(act_id);
  env.apply(env.tx(faucet()).message(submit({veto}, 100 * kBtt)).sign());
  env.apply(env.tx(faucet()).message(vote(1, v1::VOTE_OPTION_YES)).sign());
  run_to_end(1);
  EXPECT_EQ(proposal(1).status(), v1::PROPOSAL_STATUS_PASSED) << proposal(1).error();
  EXPECT_TRUE(gview().foundation_acts().empty());
  env.advance_time(600'000);
  env.close_block();
  EXPECT_EQ(env.balance(r), 0u);
  EXPECT_GE(treasury_balance(), treasury);  // nothing left it (fees may come in)
  env.expect_supply_conserved();
}

}  // namespace
}  // namespace btt::testkit

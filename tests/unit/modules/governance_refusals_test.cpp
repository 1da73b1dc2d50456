// Governance refusals: every error of include/btt/modules/governance/errors.h (6001-6019) is
// produced here (6015 foundation_sunset in governance_test.cpp) and checked by its module detail.
// A malformed message (1xx, check) changes nothing at all; a preclaim failure (3xx) pays the fee
// and bumps the nonce and changes nothing else (the governance state, the deposits account).
// Also: the voting power of stake-locked BTT, locked amount x the term's multiplier, exactly.
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "btt/chain/params.h"
#include "btt/modules/governance/errors.h"
#include "btt/modules/governance/governance.h"
#include "btt/modules/governance/view.h"
#include "governance_fixture.h"
#include "modules/governance/keys.h"
#include "modules/governance/module.h"

namespace btt::testkit {
namespace {

namespace errs = gov::errors;
constexpr uint64_t kBtt = kUnitsPerBtt;

// The details this file produces, each in the TEST_F named after it; 6015 (foundation_sunset) is
// GovernanceTest.AFoundationActIsVetoedInItsWindowAndRefusedFromTheSunset.
const std::set<uint32_t> kProducedByATest = {6001, 6002, 6003, 6004, 6005, 6006, 6007,
                                             6008, 6009, 6010, 6011, 6012, 6013, 6014,
                                             6015, 6016, 6017, 6018, 6019};

// "[governance 6018]": how Status::to_string names a detail (a failed proposal's error).
std::string detail_tag(const ErrorDef& e) {
  return "[governance " + std::to_string(e.detail) + "]";
}

// Applies `m` from `who`; expects `err`'s kind and detail and that the refusal changed nothing
// but, for a 3xx, the fee and the nonce.
chain::TxOutcome expect_refused(TestEnv& env, const Account& who, const v1::Message& m,
                                const ErrorDef& err) {
  gov::GovernanceView view(env.ledger_state());
  const std::string gov_before = view.genesis_state().SerializeAsString();
  const uint64_t balance = env.balance(who);
  const uint64_t nonce = env.next_nonce(who);
  const uint64_t deposits = env.balance(gov::deposits_address());
  const uint64_t treasury = env.balance(modules::tokenomics::pool_address("treasury"));
  auto out = env.apply(env.tx(who).message(m).sign(), err.kind);
  EXPECT_EQ(out.status.detail(), err.detail) << out.status.to_string();
  EXPECT_EQ(view.genesis_state().SerializeAsString(), gov_before) << err.name;
  EXPECT_EQ(env.balance(gov::deposits_address()), deposits);
  EXPECT_EQ(env.balance(modules::tokenomics::pool_address("treasury")), treasury);
  // 6005 is a preclaim failure whose kind is INVALID_AMOUNT (108): included with its fee
  // (doc/governance.md "Errors").
  if (is_failed_with_fee(err.kind) || err.detail == gov::errors::kInitialDepositTooLow.detail) {
    EXPECT_TRUE(out.included);
    EXPECT_GT(out.fee_paid, 0u);
    EXPECT_EQ(env.balance(who), balance - out.fee_paid);
    EXPECT_EQ(env.next_nonce(who), nonce + 1);
  } else {
    EXPECT_FALSE(out.included);
    EXPECT_EQ(out.fee_paid, 0u);
    EXPECT_EQ(env.balance(who), balance);
    EXPECT_EQ(env.next_nonce(who), nonce);
  }
  return out;
}

const ledger::Module& governance_module(const TestEnv& env) {
  for (const auto& m : env.registry().modules()) {
    if (m->name() == gov::kModuleName) return *m;
  }
  throw std::logic_error("no governance module");
}

class GovernanceRefusals : public GovernanceTest {
 protected:
  explicit GovernanceRefusals(const nlohmann::json& extra = nlohmann::json::object())
      : GovernanceTest(extra) {}

  chain::TxOutcome refused(const Account& who, const v1::Message& m, const ErrorDef& err) {
    return expect_refused(env, who, m, err);
  }
  chain::TxOutcome refused(const v1::Message& m, const ErrorDef& err) {
    return refused(faucet(), m, err);
  }
  // A submission of one action (deposit 100 BTT: voting starts at once).
  static v1::Message submit_one(const v1::ProposalAction& a) { return submit({a}, 100 * kBtt); }
  // Proposal `id` from the faucet (100 BTT deposit), voted yes, in its voting period.
  uint64_t open_voting() {
    env.apply(env.tx(faucet()).message(submit({text("x")}, 100 * kBtt)).sign());
    const uint64_t id = gview().genesis_state().next_proposal_id() - 1;
    EXPECT_EQ(proposal(id).status(), v1::PROPOSAL_STATUS_VOTING_PERIOD);
    return id;
  }
  // The milestone authority (the Foundation), made once and funded for fees.
  const Account& authority() {
    if (!authority_) authority_ = &env.account(TestEnv::kAuthority, 0);
    if (env.balance(*authority_) < kBtt) {
      env.apply(env.tx(faucet()).transfer(*authority_, 10 * kBtt).sign());
    }
    return *authority_;
  }
  const Account* authority_ = nullptr;
};

TEST_F(GovernanceRefusals, EveryErrorIsProducedByATest) {
  const auto list = governance_module(env).errors();
  ASSERT_EQ(list.size(), 19u);
  std::set<uint32_t> declared;
  for (const auto* e : list) {
    declared.insert(e->detail);
    EXPECT_TRUE(kProducedByATest.count(e->detail)) << e->name << " has no refusal test";
  }
  EXPECT_EQ(declared, kProducedByATest);
}

TEST_F(GovernanceRefusals, BadField6001TitleAndSummary) {
  auto m = submit({text("x")}, 25 * kBtt);
  m.mutable_submit_proposal()->set_title("");
  refused(m, errs::kBadField);
  m.mutable_submit_proposal()->set_title(std::string(141, 't'));
  refused(m, errs::kBadField);
  m.mutable_submit_proposal()->set_title("ok");
  m.mutable_submit_proposal()->set_summary(std::string(10'001, 's'));
  refused(m, errs::kBadField);
  // At the limits: accepted.
  m.mutable_submit_proposal()->set_title(std::string(140, 't'));
  m.mutable_submit_proposal()->set_summary(std::string(10'000, 's'));
  env.apply(env.tx(faucet()).message(m).sign());
  EXPECT_EQ(proposal(1).title().size(), 140u);
}

TEST_F(GovernanceRefusals, BadAddress6002InEveryAddressField) {
  const std::string bad = "btt1notanaddress";
  v1::ProposalAction spend;
  spend.mutable_treasury_spend()->set_recipient(bad);
  spend.mutable_treasury_spend()->set_amount(1);
  refused(submit_one(spend), errs::kBadAddress);
  v1::ProposalAction eco;
  eco.mutable_ecosystem_release()->set_recipient(bad);
  eco.mutable_ecosystem_release()->set_amount(1);
  refused(submit_one(eco), errs::kBadAddress);
  v1::ProposalAction grant;
  grant.mutable_grant_role()->set_role("milestone_authority");
  grant.mutable_grant_role()->set_address(bad);
  refused(submit_one(grant), errs::kBadAddress);
  v1::ProposalAction revoke;
  revoke.mutable_revoke_role()->set_role("milestone_authority");
  revoke.mutable_revoke_role()->set_address("");
  refused(submit_one(revoke), errs::kBadAddress);
  v1::Message act;
  act.mutable_foundation_act()->mutable_treasury_spend()->set_recipient(bad);
  act.mutable_foundation_act()->mutable_treasury_spend()->set_amount(1);
  refused(authority(), act, errs::kBadAddress);
}

TEST_F(GovernanceRefusals, BadAction6003ForEachMalformedAction) {
  refused(submit({}, 100 * kBtt), errs::kBadAction);            // no action
  refused(submit_one(v1::ProposalAction{}), errs::kBadAction);  // an action without a kind
  refused(submit_one(text(std::string(10'001, 'x'))), errs::kBadAction);
  v1::ProposalAction pc;
  pc.mutable_param_change()->set_params_json("{}");  // no module
  refused(submit_one(pc), errs::kBadAction);
  pc.mutable_param_change()->set_module("governance");
  pc.mutable_param_change()->set_params_json("");  // no params
  refused(submit_one(pc), errs::kBadAction);
  v1::ProposalAction cs;
  cs.mutable_cancel_stream()->set_stream_id(0);
  refused(submit_one(cs), errs::kBadAction);
  v1::ProposalAction ms;
  ms.mutable_milestone_approval()->set_milestone("m1");  // no category
  ms.mutable_milestone_approval()->set_amount(1);
  refused(submit_one(ms), errs::kBadAction);
  v1::ProposalAction role;
  role.mutable_grant_role()->set_role("wizard");
  role.mutable_grant_role()->set_address(faucet().addr());
  refused(submit_one(role), errs::kBadAction);
  v1::ProposalAction up;
  up.mutable_software_upgrade()->set_name("Not A Name");
  up.mutable_software_upgrade()->set_height(1'000);
  refused(submit_one(up), errs::kBadAction);
  up.mutable_software_upgrade()->set_name(std::string(65, 'a'));
  refused(submit_one(up), errs::kBadAction);
  up.mutable_software_upgrade()->set_name("btt-next");
  up.mutable_software_upgrade()->set_height(0);
  refused(submit_one(up), errs::kBadAction);
  up.mutable_software_upgrade()->set_height(1'000);
  up.mutable_software_upgrade()->set_info(std::string(1'025, 'i'));
  refused(submit_one(up), errs::kBadAction);
  v1::ProposalAction veto;
  veto.mutable_veto_foundation_act()->set_act_id(0);
  refused(submit_one(veto), errs::kBadAction);
  // A stream of more blocks than units.
  v1::ProposalAction stream;
  stream.mutable_treasury_spend()->set_recipient(faucet().addr());
  stream.mutable_treasury_spend()->set_amount(2);
  stream.mutable_treasury_spend()->set_blocks(3);
  refused(submit_one(stream), errs::kBadAction);
  // The error names the action's index.
  auto out = refused(submit({text("ok"), cs}, 100 * kBtt), errs::kBadAction);
  EXPECT_NE(out.status.message().find("action 1"), std::string::npos) << out.status.message();
  v1::Message no_act;
  no_act.mutable_foundation_act();
  refused(authority(), no_act, errs::kBadAction);
  EXPECT_EQ(gview().genesis_state().proposals_size(), 0);
}

TEST_F(GovernanceRefusals, TooManyActions6004AboveMaxActions) {
  ASSERT_EQ(gview().params().max_actions(), 16u);
  std::vector<v1::ProposalAction> actions(17, text("x"));
  auto out = refused(submit(actions, 100 * kBtt), errs::kTooManyActions);
  EXPECT_NE(out.status.message().find("17 actions, at most 16"), std::string::npos);
  actions.pop_back();
  env.apply(env.tx(faucet()).message(submit(actions, 100 * kBtt)).sign());
  EXPECT_EQ(proposal(1).actions_size(), 16);
}

TEST_F(GovernanceRefusals, InitialDepositTooLow6005BelowTheFloor) {
  const Account& alice = env.account("alice", 1'000 * kBtt);
  // min_deposit 100 BTT x 25% = 25 BTT; expedited 200 BTT x 25% = 50 BTT.
  refused(alice, submit({text("x")}, 25 * kBtt - 1), errs::kInitialDepositTooLow);
  refused(alice, submit({text("x")}, 0), errs::kInitialDepositTooLow);
  refused(alice, submit({text("x")}, 50 * kBtt - 1, true), errs::kInitialDepositTooLow);
  env.apply(env.tx(alice).message(submit({text("x")}, 50 * kBtt, true)).sign());
  EXPECT_EQ(env.balance(gov::deposits_address()), 50 * kBtt);
}

class GovernanceRefusalsCapped : public GovernanceRefusals {
 protected:
  GovernanceRefusalsCapped() : GovernanceRefusals({{"max_active_proposals", 2}}) {}
};

TEST_F(GovernanceRefusalsCapped, TooManyProposals6006ForProposalsAndFoundationActs) {
  const Account& alice = env.account("alice", 1'000 * kBtt);
  env.apply(env.tx(alice).message(submit({text("1")}, 25 * kBtt)).sign());
  env.apply(env.tx(alice).message(submit({text("2")}, 100 * kBtt)).sign());
  ASSERT_EQ(gview().active_count(), 2u);
  refused(alice, submit({text("3")}, 25 * kBtt), errs::kTooManyProposals);
  // A cancelled proposal leaves the count: the next one is accepted.
  env.apply(env.tx(alice).message(cancel_msg(1)).sign());
  env.apply(env.tx(alice).message(submit({text("3")}, 25 * kBtt)).sign());
  EXPECT_EQ(gview().active_count(), 2u);

  // Pending Foundation acts are bounded by the same cap.
  const Account& grantee = env.account("grantee", 0);
  queue_treasury_act(authority(), grantee, 1);
  queue_treasury_act(authority(), grantee, 2);
  ASSERT_EQ(gview().foundation_acts().size(), 2u);
  v1::Message act;
  act.mutable_foundation_act()->mutable_treasury_spend()->set_recipient(grantee.addr());
  act.mutable_foundation_act()->mutable_treasury_spend()->set_amount(3);
  auto out = refused(authority(), act, errs::kTooManyProposals);
  EXPECT_NE(out.status.message().find("too many acts pending"), std::string::npos);
}

TEST_F(GovernanceRefusals, NoProposal6007ForEveryMessageNamingOne) {
  const uint64_t id = open_voting();
  const uint64_t missing = id + 1;
  refused(deposit_msg(missing, kBtt), errs::kNoProposal);
  refused(vote(missing, v1::VOTE_OPTION_YES), errs::kNoProposal);
  refused(weighted_vote(missing, {{v1::VOTE_OPTION_YES, 10'000}}), errs::kNoProposal);
  refused(cancel_msg(missing), errs::kNoProposal);
  refused(cancel_msg(0), errs::kNoProposal);
}

TEST_F(GovernanceRefusals, NotInDepositPeriod6008AfterTheProposalEnded) {
  const Account& alice = env.account("alice", 1'000 * kBtt);
  env.apply(env.tx(alice).message(submit({text("x")}, 25 * kBtt)).sign());
  env.apply(env.tx(alice).message(cancel_msg(1)).sign());
  refused(alice, deposit_msg(1, kBtt), errs::kNotInDepositPeriod);
  // A passed proposal takes no deposit either; one in its voting period does.
  const uint64_t id = open_voting();
  env.apply(env.tx(faucet()).message(vote(id, v1::VOTE_OPTION_YES)).sign());
  env.apply(env.tx(alice).message(deposit_msg(id, 1)).sign());
  run_to_end(id);
  ASSERT_EQ(proposal(id).status(), v1::PROPOSAL_STATUS_PASSED);
  refused(alice, deposit_msg(id, kBtt), errs::kNotInDepositPeriod);
}

TEST_F(GovernanceRefusals, NotInVotingPeriod6009BeforeAtAndAfterTheVote) {
  const Account& alice = env.account("alice", 1'000 * kBtt);
  // In its deposit period.
  env.apply(env.tx(alice).message(submit({text("x")}, 25 * kBtt)).sign());
  refused(alice, vote(1, v1::VOTE_OPTION_YES), errs::kNotInVotingPeriod);
  refused(alice, weighted_vote(1, {{v1::VOTE_OPTION_NO, 10'000}}), errs::kNotInVotingPeriod);
  // Cancelled.
  env.apply(env.tx(alice).message(cancel_msg(1)).sign());
  refused(alice, vote(1, v1::VOTE_OPTION_YES), errs::kNotInVotingPeriod);
  // At voting_end_ms exactly, still VOTING_PERIOD until the block ends: refused.
  const uint64_t id = open_voting();
  const auto p = proposal(id);
  env.advance_time(p.voting_end_ms() - env.time_ms());
  ASSERT_EQ(proposal(id).status(), v1::PROPOSAL_STATUS_VOTING_PERIOD);
  refused(alice, vote(id, v1::VOTE_OPTION_YES), errs::kNotInVotingPeriod);
  // Ended.
  run_to_end(id);
  refused(alice, vote(id, v1::VOTE_OPTION_YES), errs::kNotInVotingPeriod);
}

TEST_F(GovernanceRefusals, BadVote6010ForMalformedOptionsAndWeights) {
  const uint64_t id = open_voting();
  using O = v1::VoteOption;
  refused(vote(id, v1::VOTE_OPTION_UNSPECIFIED), errs::kBadVote);
  refused(vote(id, static_cast<O>(9)), errs::kBadVote);
  refused(weighted_vote(id, {}), errs::kBadVote);  // no option
  refused(weighted_vote(id, {{v1::VOTE_OPTION_YES, 6'000}, {v1::VOTE_OPTION_NO, 3'999}}),
          errs::kBadVote);  // 9,999 bps
  refused(weighted_vote(id, {{v1::VOTE_OPTION_YES, 6'000}, {v1::VOTE_OPTION_NO, 4'001}}),
          errs::kBadVote);  // 10,001 bps
  refused(weighted_vote(id, {{v1::VOTE_OPTION_YES, 5'000}, {v1::VOTE_OPTION_YES, 5'000}}),
          errs::kBadVote);  // twice
  refused(weighted_vote(id, {{v1::VOTE_OPTION_YES, 10'000}, {v1::VOTE_OPTION_NO, 0}}),
          errs::kBadVote);  // zero weight
  refused(weighted_vote(id, {{v1::VOTE_OPTION_YES, 2'500},
                             {v1::VOTE_OPTION_NO, 2'500},
                             {v1::VOTE_OPTION_ABSTAIN, 2'500},
                             {v1::VOTE_OPTION_NO_WITH_VETO, 2'000},
                             {v1::VOTE_OPTION_YES, 500}}),
          errs::kBadVote);  // five options
  refused(weighted_vote(id, {{v1::VOTE_OPTION_UNSPECIFIED, 10'000}}), errs::kBadVote);
  EXPECT_TRUE(gview().votes(id).empty());
  // Four distinct options summing to 10,000: accepted.
  env.apply(env.tx(faucet())
                .message(weighted_vote(id, {{v1::VOTE_OPTION_YES, 2'500},
                                            {v1::VOTE_OPTION_NO, 2'500},
                                            {v1::VOTE_OPTION_ABSTAIN, 2'500},
                                            {v1::VOTE_OPTION_NO_WITH_VETO, 2'500}}))
                .sign());
  EXPECT_EQ(gview().votes(id).size(), 1u);
}

TEST_F(GovernanceRefusals, NotProposer6011AndCannotCancel6012) {
  const Account& alice = env.account("alice", 1'000 * kBtt);
  const Account& bob = env.account("bob", 1'000 * kBtt);
  env.apply(env.tx(alice).message(submit({text("x")}, 100 * kBtt)).sign());
  refused(bob, cancel_msg(1), errs::kNotProposer);
  refused(faucet(), cancel_msg(1), errs::kNotProposer);
  // At voting_end_ms the proposal can no longer be cancelled, nor once it ended.
  env.apply(env.tx(faucet()).message(vote(1, v1::VOTE_OPTION_YES)).sign());
  env.advance_time(proposal(1).voting_end_ms() - env.time_ms());
  refused(alice, cancel_msg(1), errs::kCannotCancel);
  run_to_end(1);
  ASSERT_EQ(proposal(1).status(), v1::PROPOSAL_STATUS_PASSED);
  refused(alice, cancel_msg(1), errs::kCannotCancel);
  // A cancelled one cannot be cancelled again.
  env.apply(env.tx(alice).message(submit({text("y")}, 25 * kBtt)).sign());
  env.apply(env.tx(alice).message(cancel_msg(2)).sign());
  refused(alice, cancel_msg(2), errs::kCannotCancel);
}

TEST_F(GovernanceRefusals, ZeroAmount6013WhereAnAmountMustBePositive) {
  const uint64_t id = open_voting();
  refused(deposit_msg(id, 0), errs::kZeroAmount);
  v1::ProposalAction spend;
  spend.mutable_treasury_spend()->set_recipient(faucet().addr());
  refused(submit_one(spend), errs::kZeroAmount);
  v1::ProposalAction ms;
  ms.mutable_milestone_approval()->set_category("foundation");
  ms.mutable_milestone_approval()->set_milestone("m1");
  refused(submit_one(ms), errs::kZeroAmount);
  v1::ProposalAction eco;
  eco.mutable_ecosystem_release()->set_recipient(faucet().addr());
  refused(submit_one(eco), errs::kZeroAmount);
  v1::Message act;
  act.mutable_foundation_act()->mutable_treasury_spend()->set_recipient(faucet().addr());
  refused(authority(), act, errs::kZeroAmount);
  v1::Message act_ms;
  *act_ms.mutable_foundation_act()->mutable_milestone_approval() = ms.milestone_approval();
  refused(authority(), act_ms, errs::kZeroAmount);
}

TEST_F(GovernanceRefusals, NotFoundation6014WithoutMilestoneAuthority) {
  v1::Message act;
  act.mutable_foundation_act()->mutable_treasury_spend()->set_recipient(faucet().addr());
  act.mutable_foundation_act()->mutable_treasury_spend()->set_amount(kBtt);
  refused(env.account("nobody"), act, errs::kNotFoundation);
  refused(faucet(), act, errs::kNotFoundation);
  EXPECT_TRUE(gview().foundation_acts().empty());
}

TEST_F(GovernanceRefusals, BadParams6016FromTheParamsCheckEverywhereItRuns) {
  // The module's params check itself.
  auto p = gview().params();
  ASSERT_TRUE(gov::validate_params(p).is_ok());
  auto broken = [&](auto change) {
    auto q = p;
    change(q);
    const Status s = gov::validate_params(q);
    EXPECT_EQ(s.detail(), errs::kBadParams.detail) << s.to_string();
    EXPECT_EQ(s.code(), Code::kInvalidArgument);
  };
  broken([](v1::GovernanceParams& q) { q.set_quorum_bps(0); });
  broken([](v1::GovernanceParams& q) { q.set_min_deposit(0); });
  broken([](v1::GovernanceParams& q) { q.set_threshold_bps(10'001); });
  broken([](v1::GovernanceParams& q) { q.set_expedited_threshold_bps(q.threshold_bps()); });
  broken([](v1::GovernanceParams& q) { q.set_expedited_voting_period_ms(q.voting_period_ms()); });
  broken([](v1::GovernanceParams& q) { q.set_expedited_min_deposit(q.min_deposit() - 1); });
  broken([](v1::GovernanceParams& q) { q.set_min_initial_deposit_ratio_bps(10'001); });
  broken([](v1::GovernanceParams& q) { q.set_max_actions(0); });
  broken([](v1::GovernanceParams& q) { q.set_tally_budget_per_block(0); });

  // Through the chain's one params path (chain::set_params_json): refused with the detail,
  // nothing written.
  auto json = chain::params_json(env.registry(), env.ledger_state(), "governance");
  ASSERT_TRUE(json.is_ok());
  auto j = nlohmann::json::parse(*json);
  j["quorum_bps"] = 0;
  const size_t writes = env.ledger_state().writes().size();
  ledger::Events events;
  const Status s =
      chain::set_params_json(env.registry(), env.ledger_state(), events, "governance", j.dump());
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(s.detail(), errs::kBadParams.detail) << s.to_string();
  EXPECT_NE(s.message().find("governance params: quorum_bps"), std::string::npos) << s.to_string();
  EXPECT_EQ(env.ledger_state().writes().size(), writes);
  EXPECT_TRUE(events.list().empty());
  EXPECT_EQ(gview().params().quorum_bps(), p.quorum_bps());

  // A new chain's genesis section with such params: refused with the detail.
  const auto& module = governance_module(env);
  const ledger::GenesisInfo info;
  nlohmann::json section = {{"params", {{"quorum_bps", 0}}}};
  Status g = module.validate_genesis(section, info);
  EXPECT_EQ(g.detail(), errs::kBadParams.detail) << g.to_string();
  section = {{"params", {{"voting_period_ms", "10000"}, {"expedited_voting_period_ms", "10000"}}}};
  g = module.validate_genesis(section, info);
  EXPECT_EQ(g.detail(), errs::kBadParams.detail) << g.to_string();
  EXPECT_TRUE(module.validate_genesis({{"params", nlohmann::json::object()}}, info).is_ok());

  // A proposal carrying the change is refused at submission (6018, below), so a governance
  // param change never reaches its execution with params the check refuses: the check reads
  // nothing but the params, and the submission ran it already.
  v1::ProposalAction pc;
  pc.mutable_param_change()->set_module("governance");
  pc.mutable_param_change()->set_params_json(j.dump());
  auto out = refused(submit_one(pc), errs::kActionFailed);
  EXPECT_NE(out.status.message().find("governance params: quorum_bps"), std::string::npos)
      << out.status.to_string();
}

TEST_F(GovernanceRefusals, BadGenesis6017ForATamperedExport) {
  const Account& alice = env.account("alice", 1'000 * kBtt);
  env.apply(env.tx(alice).message(submit({text("x")}, 25 * kBtt)).sign());
  const uint64_t id = open_voting();
  env.apply(env.tx(faucet()).message(vote(id, v1::VOTE_OPTION_YES)).sign());
  env.close_block();
  const auto& module = governance_module(env);
  auto exported = module.export_genesis(env.ledger_state());
  ASSERT_TRUE(exported.is_ok()) << exported.status().to_string();
  const nlohmann::json file = *exported;
  ASSERT_TRUE(file.contains("state"));
  ledger::GenesisInfo info;
  const uint64_t held = env.balance(gov::deposits_address());
  ASSERT_EQ(held, 125 * kBtt);
  info.balances[gov::deposits_address()][std::string(ledger::kNativeAsset)] = held;
  ASSERT_TRUE(module.validate_genesis(file, info).is_ok())
      << module.validate_genesis(file, info).to_string();

  auto expect_bad = [&](const nlohmann::json& f, const ledger::GenesisInfo& i,
                        const std::string& what) {
    const Status s = module.validate_genesis(f, i);
    EXPECT_EQ(s.detail(), errs::kBadGenesis.detail) << s.to_string();
    EXPECT_EQ(s.code(), Code::kInvalidArgument);
    EXPECT_NE(s.message().find(what), std::string::npos) << s.message();
  };
  {
    auto f = file;
    f["state"]["votes"][0]["proposal_id"] = "99";
    expect_bad(f, info, "a vote on unknown proposal 99");
  }
  {
    auto f = file;
    f["state"]["votes"][0]["voter"] = "nobody";
    expect_bad(f, info, "a vote's voter is not an address");
  }
  {
    // A deposit total that does not match the deposits account.
    auto f = file;
    f["state"]["deposits"][0]["amount"] =
        std::to_string(std::stoull(f["state"]["deposits"][0]["amount"].get<std::string>()) + 1);
    expect_bad(f, info, "the deposits account holds " + std::to_string(held));
    auto more = info;
    more.balances[gov::deposits_address()][std::string(ledger::kNativeAsset)] = held - 1;
    expect_bad(file, more, "the open proposals' deposits sum to " + std::to_string(held));
  }
  {
    auto f = file;
    f["state"]["deposits"][0]["proposal_id"] = "99";
    expect_bad(f, info, "a deposit of unknown proposal 99");
  }
  {
    auto f = file;
    f["state"]["next_proposal_id"] = "1";
    expect_bad(f, info, "is not below next_proposal_id");
  }
  {
    auto f = file;
    f["state"]["proposals"].push_back(f["state"]["proposals"][0]);
    expect_bad(f, info, "twice");
  }
  {
    auto f = file;
    f["state"]["proposals"][0]["actions"][0] = nlohmann::json::object();
    expect_bad(f, info, "no action kind given");
  }
  {
    auto f = file;
    f["state"]["no_such_field"] = 1;
    expect_bad(f, info, "state: ");
  }
  {
    auto f = file;
    f["extra"] = 1;
    expect_bad(f, info, "unknown field 'extra'");
  }
  expect_bad(nlohmann::json::array(), info, "the section must be an object");
  expect_bad({{"params", 5}}, info, "params must be an object");
  expect_bad({{"params", {{"no_such_param", 1}}}}, info, "params");
}

TEST_F(GovernanceRefusals, ActionFailed6018AtSubmissionAndAtExecution) {
  // At submission: a param change the module refuses (a 3xx: fee paid, nothing else).
  auto json = chain::params_json(env.registry(), env.ledger_state(), "governance");
  ASSERT_TRUE(json.is_ok());
  auto j = nlohmann::json::parse(*json);
  auto bad = j;
  bad["threshold_bps"] = 0;
  v1::ProposalAction badpc;
  badpc.mutable_param_change()->set_module("governance");
  badpc.mutable_param_change()->set_params_json(bad.dump());
  auto out = refused(submit({text("x"), badpc}, 100 * kBtt), errs::kActionFailed);
  EXPECT_NE(out.status.message().find("action 1"), std::string::npos) << out.status.message();
  v1::ProposalAction unknown = badpc;
  unknown.mutable_param_change()->set_module("nosuchmodule");
  refused(submit_one(unknown), errs::kActionFailed);

  // At execution: a param change then a cancel of a stream that does not exist. The proposal
  // passes its vote, fails, records the failure with its detail, and its param change is not
  // applied; the deposit is refunded (passed votes refund).
  j["max_actions"] = 7;
  v1::ProposalAction pc;
  pc.mutable_param_change()->set_module("governance");
  pc.mutable_param_change()->set_params_json(j.dump());
  v1::ProposalAction cs;
  cs.mutable_cancel_stream()->set_stream_id(99);
  const Account& alice = env.account("alice", 1'000 * kBtt);
  env.apply(env.tx(alice).message(submit({pc, cs}, 100 * kBtt)).sign());
  env.apply(env.tx(faucet()).message(vote(1, v1::VOTE_OPTION_YES)).sign());
  const uint64_t alice_before = env.balance(alice);
  const uint64_t treasury = treasury_balance();
  run_to_end(1);
  const auto p = proposal(1);
  EXPECT_EQ(p.status(), v1::PROPOSAL_STATUS_FAILED);
  EXPECT_NE(p.error().find("action 1"), std::string::npos) << p.error();
  EXPECT_NE(p.error().find("cancel_stream: no stream 99"), std::string::npos) << p.error();
  EXPECT_NE(p.error().find(detail_tag(errs::kActionFailed)), std::string::npos) << p.error();
  EXPECT_EQ(gview().params().max_actions(), 16u);  // nothing of its actions applied
  EXPECT_TRUE(gview().streams().empty());
  EXPECT_EQ(env.balance(alice), alice_before + 100 * kBtt);
  EXPECT_GE(treasury_balance(), treasury);
  env.expect_supply_conserved();
}

TEST_F(GovernanceRefusals, ActionFailed6018ForEachExecutionCheck) {
  // Execution checks that read the state at execution: each proposal passes and fails.
  v1::ProposalAction veto;
  veto.mutable_veto_foundation_act()->set_act_id(5);
  v1::ProposalAction cancel_up;
  cancel_up.mutable_cancel_upgrade();
  v1::ProposalAction low;  // an upgrade height the execution has passed
  low.mutable_software_upgrade()->set_name("btt-low");
  low.mutable_software_upgrade()->set_height(2);
  const std::vector<std::pair<v1::ProposalAction, std::string>> cases = {
      {veto, "no pending Foundation act 5"},
      {cancel_up, "no upgrade is planned"},
      {low, "is not above the execution height"}};
  uint64_t id = 0;
  for (const auto& [action, why] : cases) {
    env.apply(env.tx(faucet()).message(submit_one(action)).sign());
    ++id;
    env.apply(env.tx(faucet()).message(vote(id, v1::VOTE_OPTION_YES)).sign());
    run_to_end(id);
    const auto p = proposal(id);
    EXPECT_EQ(p.status(), v1::PROPOSAL_STATUS_FAILED) << why;
    EXPECT_NE(p.error().find(why), std::string::npos) << p.error();
    EXPECT_NE(p.error().find(detail_tag(errs::kActionFailed)), std::string::npos) << p.error();
  }
  EXPECT_FALSE(gov::upgrade_plan(env.ledger_state()));
}

// A chain without a governance section.
class GovernanceOff : public StakingTest {};

TEST_F(GovernanceOff, NotEnabled6019ForEveryMessage) {
  const Account& f = faucet_account();
  auto refused = [&](const Account& who, const v1::Message& m) {
    expect_refused(env, who, m, errs::kNotEnabled);
  };
  refused(f, submit({text("x")}, 100 * kBtt));
  refused(f, deposit_msg(1, kBtt));
  refused(f, vote(1, v1::VOTE_OPTION_YES));
  refused(f, weighted_vote(1, {{v1::VOTE_OPTION_YES, 10'000}}));
  refused(f, cancel_msg(1));
  const Account& authority = env.account(TestEnv::kAuthority, 0);
  env.apply(env.tx(f).transfer(authority, kBtt).sign());
  v1::Message act;
  act.mutable_foundation_act()->mutable_treasury_spend()->set_recipient(f.addr());
  act.mutable_foundation_act()->mutable_treasury_spend()->set_amount(kBtt);
  refused(authority, act);
  EXPECT_FALSE(env.ledger_state().get(gov::keys::params()).has_value());
}

TEST_F(GovernanceTest, StakeLockedBttVotesWithItsTermsMultiplier) {
  // Default lock_terms: 3/6/12/24 months at 11000/12500/15000/20000 bps.
  const auto terms = view().params()->lock_terms();
  ASSERT_EQ(terms.size(), 4);
  EXPECT_EQ(terms[0].multiplier_bps(), 11'000u);
  EXPECT_EQ(terms[2].multiplier_bps(), 15'000u);
  EXPECT_EQ(terms[3].multiplier_bps(), 20'000u);
  const Account& alice = env.account("alice", 1'000 * kBtt);
  const Account& bob = env.account("bob", 10 * kBtt);
  const Account& carol = env.account("carol", kBtt);
  env.apply(env.tx(alice).message(delegate_msg(a, 200 * kBtt)).sign());
  env.apply(env.tx(alice).message(lock_msg(100 * kBtt, 0)).sign());  // x1.1: 110 BTT
  env.apply(env.tx(alice).message(lock_msg(7, 2)).sign());           // x1.5: 10.5 -> 10 units
  env.apply(env.tx(bob).message(lock_msg(3 * kBtt, 3)).sign());      // x2.0: 6 BTT
  env.apply(env.tx(carol).message(lock_msg(9, 0)).sign());           // x1.1: 9.9 -> 9 units
  env.close_block();
  env.apply(env.tx(faucet()).message(submit({text("x")}, 100 * kBtt)).sign());
  // The operator's vote: val-a's 1,200 BTT less alice's 200 (she votes herself) and val-b's 500.
  env.apply(env.tx(faucet()).message(vote(1, v1::VOTE_OPTION_YES)).sign());
  // Alice: her 200 BTT delegated and her locks, 110 BTT + 10 units.
  env.apply(env.tx(alice).message(vote(1, v1::VOTE_OPTION_NO)).sign());
  // Bob: 6 BTT of lock weight split half yes, half abstain.
  env.apply(env.tx(bob)
                .message(weighted_vote(
                    1, {{v1::VOTE_OPTION_YES, 5'000}, {v1::VOTE_OPTION_ABSTAIN, 5'000}}))
                .sign());
  env.apply(env.tx(carol).message(vote(1, v1::VOTE_OPTION_NO_WITH_VETO)).sign());
  auto expect_tally = [&](const v1::TallyResult& t) {
    EXPECT_EQ(t.yes(), 1'500 * kBtt + 3 * kBtt);
    EXPECT_EQ(t.abstain(), 3 * kBtt);
    EXPECT_EQ(t.no(), 200 * kBtt + 110 * kBtt + 10);
    EXPECT_EQ(t.no_with_veto(), 9u);
    EXPECT_EQ(t.total_bonded(), 1'700 * kBtt);  // bonded stake only; locks add weight, not bond
  };
  expect_tally(gview().live_tally(1, env.time_ms()));
  run_to_end(1);
  const auto p = proposal(1);
  EXPECT_EQ(p.status(), v1::PROPOSAL_STATUS_PASSED);
  expect_tally(p.final_tally());
  env.expect_supply_conserved();
}

}  // namespace
}  // namespace btt::testkit

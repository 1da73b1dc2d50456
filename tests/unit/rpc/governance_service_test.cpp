// btt.v1.Governance through real gRPC calls over an in-process chain: a submitted proposal in
// every query with exact fields, paging and filters, and NOT_FOUND for an unknown proposal.
#include <gtest/gtest.h>

#include "btt/common/amount.h"
#include "btt/ledger/proto_json.h"
#include "btt/v1/governance.grpc.pb.h"
#include "modules/governance/module.h"
#include "testkit/rpc_harness.h"
#include "testkit/test_env.h"

namespace btt::testkit {
namespace {

class GovernanceServiceTest : public ::testing::Test {
 protected:
  template <typename Request, typename Response>
  grpc::Status call(grpc::Status (v1::Governance::Stub::*method)(grpc::ClientContext*,
                                                                 const Request&, Response*),
                    const Request& req, Response* out) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    return (stub_.get()->*method)(&ctx, req, out);
  }

  RpcHarness node_{RpcHarnessOptions{
      .funded = {"alice"},
      .governance = {{"params", {{"min_deposit", std::to_string(10 * kUnitsPerBtt)}}}}}};
  std::unique_ptr<v1::Governance::Stub> stub_ = v1::Governance::NewStub(node_.channel());
  const crypto::KeyPair alice_ = test_key("alice");
};

TEST_F(GovernanceServiceTest, ASubmittedProposalShowsInEveryQuery) {
  for (uint64_t deposit : {10 * kUnitsPerBtt, 5 * kUnitsPerBtt}) {
    v1::Message m;
    m.mutable_submit_proposal()->set_title("signal");
    m.mutable_submit_proposal()->add_actions()->set_text("hello");
    m.mutable_submit_proposal()->set_initial_deposit(deposit);
    const auto block = node_.commit({node_.sign(alice_, node_.body(alice_, m))});
    ASSERT_EQ(block.result.txs(0).code(), 0u) << block.result.txs(0).log();
  }
  v1::ListProposalsRequest list;
  v1::ListProposalsResponse all;
  ASSERT_TRUE(call(&v1::Governance::Stub::ListProposals, list, &all).ok());
  ASSERT_EQ(all.proposals_size(), 2);
  EXPECT_EQ(all.proposals(0).status(), v1::PROPOSAL_STATUS_VOTING_PERIOD);
  EXPECT_EQ(all.proposals(1).status(), v1::PROPOSAL_STATUS_DEPOSIT_PERIOD);
  list.set_status(v1::PROPOSAL_STATUS_DEPOSIT_PERIOD);
  v1::ListProposalsResponse filtered;
  ASSERT_TRUE(call(&v1::Governance::Stub::ListProposals, list, &filtered).ok());
  ASSERT_EQ(filtered.proposals_size(), 1);
  EXPECT_EQ(filtered.proposals(0).id(), 2u);
  v1::ListProposalsRequest page;
  page.set_limit(1);
  v1::ListProposalsResponse first;
  ASSERT_TRUE(call(&v1::Governance::Stub::ListProposals, page, &first).ok());
  EXPECT_EQ(first.proposals_size(), 1);
  EXPECT_EQ(first.next_start_after(), 1u);

  v1::GetProposalRequest get;
  get.set_proposal_id(1);
  v1::ProposalRecord p;
  ASSERT_TRUE(call(&v1::Governance::Stub::GetProposal, get, &p).ok());
  EXPECT_EQ(p.proposer(), alice_.address.to_string());
  EXPECT_EQ(p.actions(0).text(), "hello");
  EXPECT_EQ(p.total_deposit(), 10 * kUnitsPerBtt);

  v1::GetDepositsRequest dreq;
  dreq.set_proposal_id(2);
  v1::GetDepositsResponse deps;
  ASSERT_TRUE(call(&v1::Governance::Stub::GetDeposits, dreq, &deps).ok());
  ASSERT_EQ(deps.deposits_size(), 1);
  EXPECT_EQ(deps.deposits(0).amount(), 5 * kUnitsPerBtt);

  v1::GetTallyRequest treq;
  treq.set_proposal_id(1);
  v1::TallyResult tally;
  ASSERT_TRUE(call(&v1::Governance::Stub::GetTally, treq, &tally).ok());
  EXPECT_EQ(tally.yes(), 0u);

  v1::GovernanceParams params;
  ASSERT_TRUE(
      call(&v1::Governance::Stub::GetParams, v1::GetGovernanceParamsRequest(), &params).ok());
  EXPECT_EQ(params.min_deposit(), 10 * kUnitsPerBtt);
  EXPECT_EQ(params.quorum_bps(), 3'340u);
}

TEST_F(GovernanceServiceTest, UnknownProposalIsNotFound) {
  v1::GetProposalRequest get;
  get.set_proposal_id(7);
  v1::ProposalRecord p;
  EXPECT_EQ(call(&v1::Governance::Stub::GetProposal, get, &p).error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::GetVotesRequest votes;
  votes.set_proposal_id(7);
  v1::GetVotesResponse vout;
  EXPECT_EQ(call(&v1::Governance::Stub::GetVotes, votes, &vout).error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::GetTallyRequest t;
  t.set_proposal_id(7);
  v1::TallyResult tout;
  EXPECT_EQ(call(&v1::Governance::Stub::GetTally, t, &tout).error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::UpgradePlanRecord plan;
  ASSERT_TRUE(call(&v1::Governance::Stub::GetUpgradePlan, v1::GetUpgradePlanRequest(), &plan).ok());
  EXPECT_FALSE(plan.has_plan());
}

// The plan in force and the upgrades applied, from an exported governance state.
nlohmann::json state_with_upgrades() {
  v1::GovernanceGenesisState st;
  *st.mutable_params() = modules::governance::default_params();
  st.mutable_upgrade()->mutable_plan()->set_name("btt-2");
  st.mutable_upgrade()->mutable_plan()->set_height(1'000);
  st.mutable_upgrade()->mutable_plan()->set_info("https://example.org/btt-2");
  st.mutable_upgrade()->set_proposal_id(4);
  for (const char* name : {"btt-1b", "btt-1a"}) {
    auto* u = st.add_applied_upgrades();
    u->set_name(name);
    u->set_height(name[5] == 'a' ? 10 : 20);
    u->set_proposal_id(name[5] == 'a' ? 1 : 2);
  }
  return {{"state", *ledger::proto_to_json(st)}};
}

TEST(GovernanceUpgradeServiceTest, ThePlanAndTheAppliedUpgradesByName) {
  RpcHarness node{RpcHarnessOptions{.governance = state_with_upgrades()}};
  auto stub = v1::Governance::NewStub(node.channel());
  {
    grpc::ClientContext ctx;
    v1::UpgradePlanRecord plan;
    ASSERT_TRUE(stub->GetUpgradePlan(&ctx, v1::GetUpgradePlanRequest(), &plan).ok());
    EXPECT_EQ(plan.plan().name(), "btt-2");
    EXPECT_EQ(plan.plan().height(), 1'000u);
    EXPECT_EQ(plan.plan().info(), "https://example.org/btt-2");
    EXPECT_EQ(plan.proposal_id(), 4u);
  }
  grpc::ClientContext ctx;
  v1::ListAppliedUpgradesResponse applied;
  ASSERT_TRUE(stub->ListAppliedUpgrades(&ctx, v1::ListAppliedUpgradesRequest(), &applied).ok());
  ASSERT_EQ(applied.upgrades_size(), 2);
  EXPECT_EQ(applied.upgrades(0).name(), "btt-1a");
  EXPECT_EQ(applied.upgrades(0).height(), 10u);
  EXPECT_EQ(applied.upgrades(0).proposal_id(), 1u);
  EXPECT_EQ(applied.upgrades(1).name(), "btt-1b");
  EXPECT_EQ(applied.upgrades(1).height(), 20u);
}

TEST_F(GovernanceServiceTest, NoUpgradeAppliedIsAnEmptyList) {
  v1::ListAppliedUpgradesResponse applied;
  ASSERT_TRUE(
      call(&v1::Governance::Stub::ListAppliedUpgrades, v1::ListAppliedUpgradesRequest(), &applied)
          .ok());
  EXPECT_EQ(applied.upgrades_size(), 0);
}

}  // namespace
}  // namespace btt::testkit

// Governance on real processes (issue 13, doc/governance.md "Software upgrades"): a 4-validator
// loopback net with governance on (`bttd testnet --governance`, votes shortened in the genesis).
// 1. A parameter change (the ledger's min_fee) and a Foundation milestone release pass by the
//    validators' votes; the new fee is in force on every node and the release pays the
//    Foundation exactly the approved amount.
// 2. A software upgrade plan passes; every node stops before applying its height with exit
//    status 3 and the plan in data/upgrade-info.json; the same binary refuses to start again;
//    three nodes restart with bttd-next (which declares the plan) and one with the old binary
//    and --unsafe-skip-upgrade, and the chain goes on past the plan with equal blocks.
// One scenario, so the network starts once.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "btt/common/amount.h"
#include "btt/common/status.h"
#include "btt/crypto/keyfile.h"
#include "btt/node/init.h"
#include "btt/node/node.h"
#include "btt/v1/governance.grpc.pb.h"
#include "btt/v1/params.grpc.pb.h"
#include "testkit/node_api.h"
#include "testkit/process.h"
#include "testkit/temp_dir.h"

namespace btt::testkit {
namespace {

using Json = nlohmann::json;
namespace fs = std::filesystem;
constexpr const char* kChainId = "btt-governance-it";
constexpr int kNodes = 4;
constexpr uint64_t kVotingMs = 20'000;
constexpr uint64_t kExpeditedVotingMs = 10'000;
constexpr uint64_t kMilestone = kUnitsPerBtt;  // 1 BTT: far below the linear ceiling
constexpr const char* kPlan = "btt-next";

// Every home holds the same genesis: shorter votes than the dev nets' minute, in all of them.
void shorten_votes(const fs::path& dir) {
  Json g;
  {
    std::ifstream in(dir / "node0" / "genesis.json");
    g = Json::parse(in);
  }
  auto& p = g["modules"]["governance"]["params"];
  p["voting_period_ms"] = std::to_string(kVotingMs);
  p["expedited_voting_period_ms"] = std::to_string(kExpeditedVotingMs);
  for (int i = 0; i < kNodes; ++i) {
    std::ofstream out(dir / ("node" + std::to_string(i)) / "genesis.json", std::ios::trunc);
    out << g.dump(2) << "\n";
  }
}

v1::ProposalRecord proposal(NodeApi& api, uint64_t id) {
  auto stub = v1::Governance::NewStub(api.channel());
  grpc::ClientContext ctx;
  set_deadline(ctx);
  v1::GetProposalRequest req;
  req.set_proposal_id(id);
  v1::ProposalRecord out;
  auto s = stub->GetProposal(&ctx, req, &out);
  if (!s.ok()) throw std::runtime_error("GetProposal: " + s.error_message());
  return out;
}

// Waits until proposal `id` has left voting and tallying; its final record.
v1::ProposalRecord wait_decided(NodeApi& api, uint64_t id, int timeout_s) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  while (std::chrono::steady_clock::now() < deadline) {
    auto p = proposal(api, id);
    if (p.status() != v1::PROPOSAL_STATUS_VOTING_PERIOD &&
        p.status() != v1::PROPOSAL_STATUS_TALLYING &&
        p.status() != v1::PROPOSAL_STATUS_DEPOSIT_PERIOD) {
      return p;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  throw std::runtime_error("proposal " + std::to_string(id) + " undecided after " +
                           std::to_string(timeout_s) + " s");
}

Json ledger_params(NodeApi& api) {
  auto stub = v1::Params::NewStub(api.channel());
  grpc::ClientContext ctx;
  set_deadline(ctx);
  v1::GetParamsRequest req;
  req.set_module("ledger");
  v1::GetParamsResponse out;
  auto s = stub->GetParams(&ctx, req, &out);
  if (!s.ok()) throw std::runtime_error("GetParams: " + s.error_message());
  return Json::parse(out.params().json());
}

// The Foundation's vesting at a fixed time, so only the milestone release moves it.
v1::Vesting vesting_at(NodeApi& api, const std::string& address, uint64_t time_ms) {
  grpc::ClientContext ctx;
  set_deadline(ctx);
  v1::GetVestingRequest req;
  req.set_address(address);
  req.set_at_time_ms(time_ms);
  v1::Vesting out;
  auto s = api.tokenomics->GetVesting(&ctx, req, &out);
  if (!s.ok()) throw std::runtime_error("GetVesting: " + s.error_message());
  return out;
}

const v1::AllocationState* foundation_schedule(const v1::Vesting& v) {
  for (const auto& s : v.schedules()) {
    if (s.id() == "foundation") return &s;
  }
  return nullptr;
}

std::string write_proposal(const fs::path& file, const Json& proposal) {
  std::ofstream out(file, std::ios::trunc);
  out << proposal.dump(2) << "\n";
  return file.string();
}

std::string read_file(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(GovernanceNetTest, ParamChangeAndMilestoneEverywhereThenTheUpgradeHaltAndRestart) {
  TempDir dir("btt-governance-it");
  const std::vector<uint16_t> ports = init_testnet(dir.path(), kNodes, 0, kChainId, 100,
                                                   /*staking=*/true, /*governance=*/true);
  ASSERT_EQ(ports.size(), static_cast<size_t>(kNodes));
  shorten_votes(dir.path());
  std::vector<std::unique_ptr<NodeProcess>> n;
  std::vector<std::unique_ptr<NodeApi>> a;
  for (int i = 0; i < kNodes; ++i) {
    n.push_back(std::make_unique<NodeProcess>(dir.path() / ("node" + std::to_string(i)),
                                              ports[static_cast<size_t>(i)]));
    a.push_back(std::make_unique<NodeApi>(n.back()->address()));
    n.back()->start();
  }
  ASSERT_TRUE(wait_height(*a[0], 2, 60)) << n[0]->log_tail();
  const std::string node0 = n[0]->address();
  const std::string dev_key = (dir.path() / "dev.json").string();
  auto validator_key = [&](int i) {
    return (dir.path() / ("node" + std::to_string(i)) / "keys" / "validator.json").string();
  };
  auto vote_yes = [&](uint64_t id, int validators) {
    for (int i = 0; i < validators; ++i) {
      const Json v = cli_json(
          n[static_cast<size_t>(i)]->address(),
          {"gov", "vote", std::to_string(id), "--option", "yes", "--key", validator_key(i)});
      ASSERT_EQ(v.value("code", 99u), 0u) << v.dump(2);
    }
  };
  // The Foundation (the first validator's address in a test net's allocation).
  auto node0_key = crypto::read_key_file(validator_key(0));
  ASSERT_TRUE(node0_key.is_ok());
  const std::string foundation = node0_key->address.to_string();
  const uint64_t later_ms = vesting_at(*a[0], foundation, 0).time_ms() + 3'600'000;
  const v1::Vesting before = vesting_at(*a[0], foundation, later_ms);
  ASSERT_NE(foundation_schedule(before), nullptr);
  EXPECT_EQ(foundation_schedule(before)->approved(), 0u);

  // 1. Proposal 1: min_fee 1000 -> 2000. Proposal 2: a 1 BTT Foundation milestone.
  Json fee_params = ledger_params(*a[0]);
  ASSERT_EQ(fee_params["min_fee"], "1000");
  fee_params["min_fee"] = "2000";
  const std::string deposit = std::to_string(node::kDevGovMinDeposit);
  const Json fee_change = {
      {"title", "min_fee 2000"},
      {"actions", {{{"param_change", {{"module", "ledger"}, {"params_json", fee_params.dump()}}}}}},
      {"initial_deposit", deposit}};
  const Json milestone = {{"title", "Foundation milestone m1"},
                          {"actions",
                           {{{"milestone_approval",
                              {{"category", "foundation"},
                               {"milestone", "m1"},
                               {"amount", std::to_string(kMilestone)}}}}}},
                          {"initial_deposit", deposit}};
  for (const Json* p : {&fee_change, &milestone}) {
    const Json sub = cli_json(node0, {"gov", "submit", "--key", dev_key, "--file",
                                      write_proposal(dir.path() / "proposal.json", *p)});
    ASSERT_EQ(sub.value("code", 99u), 0u) << sub.dump(2);
  }
  vote_yes(1, 3);
  vote_yes(2, 3);
  const auto p1 = wait_decided(*a[0], 1, 90);
  const auto p2 = wait_decided(*a[0], 2, 90);
  EXPECT_EQ(p1.status(), v1::PROPOSAL_STATUS_PASSED) << p1.error();
  EXPECT_EQ(p2.status(), v1::PROPOSAL_STATUS_PASSED) << p2.error();
  const uint64_t decided = height_of(*a[0]);
  for (int i = 0; i < kNodes; ++i) {
    ASSERT_TRUE(wait_height(*a[static_cast<size_t>(i)], decided, 60));
    EXPECT_EQ(ledger_params(*a[static_cast<size_t>(i)])["min_fee"], "2000") << "node " << i;
    EXPECT_EQ(proposal(*a[static_cast<size_t>(i)], 1).status(), v1::PROPOSAL_STATUS_PASSED);
    const v1::Vesting after = vesting_at(*a[static_cast<size_t>(i)], foundation, later_ms);
    ASSERT_NE(foundation_schedule(after), nullptr);
    EXPECT_EQ(foundation_schedule(after)->approved(), kMilestone) << "node " << i;
    EXPECT_EQ(foundation_schedule(after)->released(),
              foundation_schedule(before)->released() + kMilestone);
    // Released BTT leaves the lock: the balance held back shrinks by exactly the milestone
    // (the balance itself moves with the validator's fees and rewards).
    EXPECT_EQ(after.locked(), before.locked() - kMilestone) << "node " << i;
    EXPECT_EQ(after.balance() - after.spendable(),
              before.balance() - before.spendable() - kMilestone)
        << "node " << i;
  }
  // The old fee is refused now, on another node than the one that took the votes.
  {
    auto r = run_command({btt_cli_path(), "--node", n[2]->address(), "--json", "send", "--key",
                          dev_key, "--to", foundation, "--amount", "1", "--fee", "1000"},
                         60);
    EXPECT_NE(r.exit_code, 0) << r.out;
    const Json err = Json::parse(r.out, nullptr, false);
    ASSERT_TRUE(err.is_object()) << r.out << r.err;
    EXPECT_EQ(err["error"].value("btt_code", 0u), static_cast<uint32_t>(Code::kFeeTooLow)) << r.out;
  }

  // 2. Proposal 3, expedited (3 of 4 yes passes its 66.7%): upgrade btt-next at a height the
  // chain reaches a little after the vote ends, by the block rate seen so far.
  const uint64_t h_now = height_of(*a[0]);
  std::this_thread::sleep_for(std::chrono::seconds(2));
  const uint64_t per_s = std::max<uint64_t>(1, (height_of(*a[0]) - h_now) / 2);
  const uint64_t plan_height = height_of(*a[0]) + per_s * (kExpeditedVotingMs / 1000 + 12) + 20;
  const Json upgrade = {{"title", "upgrade to btt-next"},
                        {"actions",
                         {{{"software_upgrade",
                            {{"name", kPlan},
                             {"height", std::to_string(plan_height)},
                             {"info", "https://example.org/btt-next"}}}}}},
                        {"initial_deposit", std::to_string(5 * node::kDevGovMinDeposit)},
                        {"expedited", true}};
  const Json sub3 = cli_json(node0, {"gov", "submit", "--key", dev_key, "--file",
                                     write_proposal(dir.path() / "proposal.json", upgrade)});
  ASSERT_EQ(sub3.value("code", 99u), 0u) << sub3.dump(2);
  for (int i = 0; i < 3; ++i) {
    const Json v = cli_json(n[static_cast<size_t>(i)]->address(),
                            {"gov", "vote", "3", "--option", "yes", "--key", validator_key(i)});
    ASSERT_EQ(v.value("code", 99u), 0u) << v.dump(2);
  }
  const auto p3 = wait_decided(*a[0], 3, 60);
  ASSERT_EQ(p3.status(), v1::PROPOSAL_STATUS_PASSED) << p3.error();
  ASSERT_LT(height_of(*a[0]), plan_height) << "the plan's height passed before the vote ended";
  {
    const Json plan = cli_json(node0, {"gov", "upgrade-plan"}, false);
    EXPECT_EQ(plan["plan"]["name"], kPlan) << plan.dump(2);
  }

  // Every node stops by itself before applying plan_height: exit 3, the plan on disk.
  for (int i = 0; i < kNodes; ++i) {
    auto& node = *n[static_cast<size_t>(i)];
    EXPECT_EQ(node.wait_for_exit(180'000), node::kExitUpgradeNeeded) << node.log_tail();
    const Json info = Json::parse(read_file(node.home() / "data" / "upgrade-info.json"));
    EXPECT_EQ(info["name"], kPlan);
    EXPECT_EQ(info["height"], plan_height);
    const std::string log = read_file(node.log_path());
    const size_t halt = log.find("UPGRADE NEEDED: governance plan 'btt-next' is due at height " +
                                 std::to_string(plan_height));
    ASSERT_NE(halt, std::string::npos) << node.log_tail();
    const std::string before_halt = log.substr(0, halt);
    EXPECT_EQ(before_halt.find("block height=" + std::to_string(plan_height) + " "),
              std::string::npos)
        << "node " << i << " applied the plan's height";
  }
  // The same binary refuses to go on, at once.
  {
    auto r = run_command(
        {bttd_path(), "start", "--home", n[1]->home().string(), "--grpc-addr", n[1]->address()},
        60);
    EXPECT_EQ(r.exit_code, node::kExitUpgradeNeeded) << r.err;
    EXPECT_NE(r.err.find("UPGRADE NEEDED"), std::string::npos) << r.err;
  }
  // bttd-next declares the plan; node 3 skips it with the old binary. The chain goes on.
  for (int i = 0; i < 3; ++i) n[static_cast<size_t>(i)]->set_binary(binary_path("bttd-next"));
  for (int i = 0; i < 3; ++i) n[static_cast<size_t>(i)]->start();
  n[3]->start({"--unsafe-skip-upgrade", kPlan});
  for (int i = 0; i < kNodes; ++i) {
    ASSERT_TRUE(wait_height(*a[static_cast<size_t>(i)], plan_height + 3, 90))
        << n[static_cast<size_t>(i)]->log_tail();
  }
  for (uint64_t h = plan_height - 1; h <= plan_height + 3; ++h) {
    const std::string want = block_hash_at(*a[0], h);
    ASSERT_FALSE(want.empty());
    for (int i = 1; i < kNodes; ++i) {
      EXPECT_EQ(block_hash_at(*a[static_cast<size_t>(i)], h), want) << "node " << i << " h " << h;
    }
  }
  for (int i = 0; i < kNodes; ++i) {
    const Json applied =
        cli_json(n[static_cast<size_t>(i)]->address(), {"gov", "applied-upgrades"}, false);
    ASSERT_EQ(applied["upgrades"].size(), 1u) << applied.dump(2);
    EXPECT_EQ(applied["upgrades"][0]["name"], kPlan);
    EXPECT_EQ(applied["upgrades"][0]["height"], plan_height);
    const Json plan =
        cli_json(n[static_cast<size_t>(i)]->address(), {"gov", "upgrade-plan"}, false);
    EXPECT_FALSE(plan.contains("plan")) << plan.dump(2);
  }
  for (auto& node : n) EXPECT_EQ(node->stop(), 0);
}

}  // namespace
}  // namespace btt::testkit

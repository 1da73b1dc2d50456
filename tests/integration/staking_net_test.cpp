// Staking on real processes (issue 12, doc/staking.md "Tests"): a 4-validator loopback net with
// staking on, where a fifth node creates a validator by a tx and signs from H+2 without a
// restart, then a genesis validator unbonds everything and leaves the set, the chain goes on
// without a fork, a late non-validator block-syncs across both changes, and double-sign
// evidence slashes, jails and tombstones the offender on every node. One scenario, so the
// network starts once.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <thread>

#include <nlohmann/json.hpp>

#include "btt/crypto/keyfile.h"
#include "btt/node/init.h"
#include "btt/v1/consensus_query.grpc.pb.h"
#include "btt/v1/staking.grpc.pb.h"
#include "testkit/evidence_peer.h"
#include "testkit/node_api.h"
#include "testkit/process.h"
#include "testkit/temp_dir.h"

namespace btt::testkit {
namespace {

using Json = nlohmann::json;
constexpr const char* kChainId = "btt-staking-it";
constexpr uint64_t kSelfStake = node::kDevSelfStake;  // 100 BTT: power 100

// The set of `height` as the node reports it: addresses, sorted.
std::vector<std::string> set_at(NodeApi& api, uint64_t height) {
  auto stub = v1::Consensus::NewStub(api.channel());
  grpc::ClientContext ctx;
  set_deadline(ctx);
  v1::GetValidatorsRequest req;
  req.set_height(height);
  v1::Validators out;
  auto s = stub->GetValidators(&ctx, req, &out);
  if (!s.ok()) throw std::runtime_error("GetValidators: " + s.error_message());
  std::vector<std::string> addresses;
  for (const auto& v : out.validators()) addresses.push_back(v.address());
  std::sort(addresses.begin(), addresses.end());
  return addresses;
}

bool in_set(const std::vector<std::string>& set, const std::string& address) {
  return std::find(set.begin(), set.end(), address) != set.end();
}

std::string consensus_mode(NodeApi& api) {
  auto stub = v1::Consensus::NewStub(api.channel());
  grpc::ClientContext ctx;
  set_deadline(ctx);
  v1::ConsensusState out;
  auto s = stub->GetConsensusState(&ctx, v1::GetConsensusStateRequest(), &out);
  return s.ok() ? out.mode() : "";
}

// Every validator the node's staking module knows, by address.
std::map<std::string, v1::ValidatorInfo> staking_validators(NodeApi& api) {
  auto stub = v1::Staking::NewStub(api.channel());
  grpc::ClientContext ctx;
  set_deadline(ctx);
  v1::ListValidatorsRequest req;
  req.set_all(true);
  v1::ListValidatorsResponse out;
  auto s = stub->ListValidators(&ctx, req, &out);
  if (!s.ok()) throw std::runtime_error("ListValidators: " + s.error_message());
  std::map<std::string, v1::ValidatorInfo> by_address;
  for (const auto& v : out.validators()) by_address[v.validator().address()] = v;
  return by_address;
}

// Whether the commit of `height` (in block height + 1) carries a signature of `address`.
bool signed_commit_of(NodeApi& api, uint64_t height, const std::string& address) {
  auto b = api.block(height + 1);
  if (!b) throw std::runtime_error("no block " + std::to_string(height + 1));
  for (const auto& sig : b->block().last_commit().signatures()) {
    if (sig.validator() == address) return true;
  }
  return false;
}

// btt-cli --json ... --wait: the committed tx's document (code 0 expected by the caller).
Json cli_tx(const std::string& node, std::vector<std::string> args) {
  return cli_json(node, std::move(args));
}

TEST(StakingNetTest, ValidatorJoinsAndLeavesByTxAndDoubleSignIsSlashedEverywhere) {
  TempDir dir("btt-staking-it");
  // Nodes 0-3: genesis validators; node 4: becomes one by a tx; node 5: joins late.
  const std::vector<uint16_t> ports = init_testnet(dir.path(), 4, 2, kChainId, 100, true);
  ASSERT_EQ(ports.size(), 6u);
  auto key_of = [&](int i) {
    auto k = crypto::read_key_file(dir.path() / ("node" + std::to_string(i)) / "keys" /
                                   "validator.json");
    if (!k) throw std::runtime_error(k.status().to_string());
    return *k;
  };
  // Node 4's block-signing key (also its operator key): outside the set, the node follows.
  const auto joiner = crypto::KeyPair::generate();
  const auto joiner_key_file = dir.path() / "node4" / "keys" / "validator.json";
  ASSERT_TRUE(crypto::write_key_file(joiner_key_file, joiner).is_ok());
  const std::string joiner_addr = joiner.address.to_string();

  std::vector<std::unique_ptr<NodeProcess>> n;
  std::vector<std::unique_ptr<NodeApi>> a;
  for (int i = 0; i < 6; ++i) {
    n.push_back(std::make_unique<NodeProcess>(dir.path() / ("node" + std::to_string(i)),
                                              ports[static_cast<size_t>(i)]));
    a.push_back(std::make_unique<NodeApi>(n.back()->address()));
  }
  for (int i = 0; i < 5; ++i) n[static_cast<size_t>(i)]->start();
  ASSERT_TRUE(wait_height(*a[0], 3, 60)) << n[0]->log_tail();

  // Genesis: four staking validators of power 100 each, bonded from block 1.
  {
    auto vals = staking_validators(*a[0]);
    ASSERT_EQ(vals.size(), 4u);
    for (int i = 0; i < 4; ++i) {
      const auto& v = vals.at(key_of(i).address.to_string());
      EXPECT_EQ(v.power(), 100u);
      EXPECT_EQ(v.validator().tokens(), kSelfStake);
      EXPECT_EQ(v.validator().status(), v1::VALIDATOR_STATUS_BONDED);
    }
    EXPECT_EQ(consensus_mode(*a[4]), "follower");
  }

  // 1. Node 4 joins: funded by the dev key, it creates a validator with 100 BTT of self stake in
  // block H. The set of H+1 is still the genesis set; from H+2 it is five, and node 4 signs.
  const std::string dev_key = (dir.path() / "dev.json").string();
  const Json funded =
      cli_tx(n[0]->address(), {"send", "--key", dev_key, "--to", joiner_addr, "--amount",
                               std::to_string(kSelfStake + 1'000'000'000)});
  ASSERT_EQ(funded.value("code", 99u), 0u) << funded.dump(2);
  const Json created =
      cli_tx(n[0]->address(),
             {"staking", "create-validator", "--key", joiner_key_file.string(),
              "--consensus-key-file", joiner_key_file.string(), "--self-stake",
              std::to_string(kSelfStake), "--commission-bps", "500", "--max-commission-bps", "2000",
              "--max-change-bps-per-day", "100", "--moniker", "joiner"});
  ASSERT_EQ(created.value("code", 99u), 0u) << created.dump(2);
  const uint64_t h_join = created.value("height", 0ull);
  ASSERT_GT(h_join, 0u);
  // Node 4 may first catch up by block sync (it follows until then), so it has a few heights to
  // sign one; a precommit that arrives after the decision still reaches the next block's
  // last_commit (StateMachine::previous_commit).
  ASSERT_TRUE(wait_height(*a[0], h_join + 10, 60)) << n[0]->log_tail();
  EXPECT_EQ(set_at(*a[0], h_join + 1).size(), 4u);
  const auto joined = set_at(*a[0], h_join + 2);
  EXPECT_EQ(joined.size(), 5u);
  EXPECT_TRUE(in_set(joined, joiner_addr));
  EXPECT_FALSE(signed_commit_of(*a[0], h_join + 1, joiner_addr)) << "signed before its set";
  bool joiner_signed = false;
  for (uint64_t h = h_join + 2; h <= h_join + 9; ++h) {
    joiner_signed |= signed_commit_of(*a[0], h, joiner_addr);
  }
  EXPECT_TRUE(joiner_signed) << n[4]->log_tail();
  EXPECT_EQ(consensus_mode(*a[4]), "validator");

  // 2. Validator 3 unbonds its whole self stake in block L and leaves the set from L+2; the
  // chain goes on with the other four.
  const auto leaver = key_of(3);
  const std::string leaver_key_file = (dir.path() / "node3" / "keys" / "validator.json").string();
  const Json left =
      cli_tx(n[0]->address(), {"staking", "undelegate", "--key", leaver_key_file, "--validator",
                               leaver.address.to_string(), "--amount", std::to_string(kSelfStake)});
  ASSERT_EQ(left.value("code", 99u), 0u) << left.dump(2);
  const uint64_t h_leave = left.value("height", 0ull);
  ASSERT_TRUE(wait_height(*a[0], h_leave + 8, 60)) << n[0]->log_tail();
  EXPECT_TRUE(in_set(set_at(*a[0], h_leave + 1), leaver.address.to_string()));
  const auto after_leave = set_at(*a[0], h_leave + 2);
  EXPECT_EQ(after_leave.size(), 4u);
  EXPECT_FALSE(in_set(after_leave, leaver.address.to_string()));
  EXPECT_TRUE(in_set(after_leave, joiner_addr));
  for (uint64_t h = h_leave + 2; h <= h_leave + 6; ++h) {
    EXPECT_FALSE(signed_commit_of(*a[0], h, leaver.address.to_string())) << "height " << h;
  }
  {
    auto vals = staking_validators(*a[1]);
    EXPECT_EQ(vals.at(leaver.address.to_string()).validator().tokens(), 0u);
  }

  // 3. A late non-validator block-syncs across both changes and agrees with every node.
  n[5]->start();
  const uint64_t tip = height_of(*a[0]);
  ASSERT_TRUE(wait_height(*a[5], tip, 120)) << n[5]->log_tail();
  for (uint64_t h = 1; h <= tip; ++h) {
    const std::string want = block_hash_at(*a[0], h);
    ASSERT_FALSE(want.empty()) << "height " << h;
    for (size_t i = 1; i < 6; ++i)
      ASSERT_EQ(block_hash_at(*a[i], h), want) << "node" << i << " h" << h;
  }
  EXPECT_EQ(set_at(*a[5], h_join + 2), joined);
  EXPECT_EQ(set_at(*a[5], h_leave + 2), after_leave);

  // 4. Double sign: validator 2's key signs two prevotes for one height and round, a peer hands
  // them to node 0, a block includes them, and on every node validator 2 is slashed 5% of its
  // power at the infraction (5 BTT of 100), jailed, tombstoned and out of the set.
  const auto byzantine = key_of(2);
  const std::string byz = byzantine.address.to_string();
  {
    auto peer = send_double_vote(dir.path() / "node0", kChainId, byzantine, height_of(*a[0]) - 1);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    std::vector<bool> slashed(6, false);
    while (std::chrono::steady_clock::now() < deadline &&
           std::find(slashed.begin(), slashed.end(), false) != slashed.end()) {
      for (size_t i = 0; i < 6; ++i) {
        if (slashed[i]) continue;
        auto vals = staking_validators(*a[i]);
        slashed[i] = vals.at(byz).validator().tombstoned();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    peer->stop();
    for (size_t i = 0; i < 6; ++i) ASSERT_TRUE(slashed[i]) << "node" << i << n[i]->log_tail();
  }
  const uint64_t after_slash = height_of(*a[0]);
  ASSERT_TRUE(wait_height(*a[0], after_slash + 4, 60)) << n[0]->log_tail();
  for (size_t i = 0; i < 6; ++i) {
    auto vals = staking_validators(*a[i]);
    const auto& v = vals.at(byz).validator();
    EXPECT_TRUE(v.jailed()) << "node" << i;
    EXPECT_TRUE(v.tombstoned()) << "node" << i;
    EXPECT_EQ(v.tokens(), kSelfStake - kSelfStake / 20) << "node" << i;
    EXPECT_EQ(v.slashed(), kSelfStake / 20) << "node" << i;
    EXPECT_FALSE(in_set(set_at(*a[i], height_of(*a[i]) + 1), byz)) << "node" << i;
  }
  // The chain goes on with validators 0, 1 and the joiner, and every node agrees.
  const uint64_t end = height_of(*a[0]);
  ASSERT_TRUE(wait_height(*a[5], end, 60)) << n[5]->log_tail();
  for (size_t i = 1; i < 6; ++i) EXPECT_EQ(block_hash_at(*a[i], end), block_hash_at(*a[0], end));

  for (auto& node : n) {
    if (node->running()) {
      EXPECT_EQ(node->stop(), 0) << node->log_tail();
    }
  }
}

}  // namespace
}  // namespace btt::testkit

// bttd as a process: clean stop, the home lock, and crash safety under load (kill -9 at random
// moments, then restart: the node resumes at its last committed block with the same state hash
// and no committed tx lost).
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <map>
#include <random>
#include <thread>

#include <nlohmann/json.hpp>

#include "btt/chain/tx.h"
#include "btt/common/file_io.h"
#include "btt/crypto/hash.h"
#include "btt/crypto/keyfile.h"
#include "btt/node/init.h"
#include "btt/v1/bank.grpc.pb.h"
#include "btt/v1/node.grpc.pb.h"
#include "testkit/node_api.h"
#include "testkit/process.h"
#include "testkit/temp_dir.h"
#include "testkit/txs.h"

namespace btt::testkit {
namespace {

constexpr const char* kChainId = "btt-node-test";

using Api = NodeApi;

v1::Tx transfer(const crypto::KeyPair& from, const std::string& to, uint64_t amount,
                uint64_t nonce) {
  return signed_transfer(from, {.chain_id = kChainId, .to = to, .amount = amount, .nonce = nonce});
}

class NodeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    init_home(dir_.path() / "node", kChainId);
    home_ = dir_.path() / "node";
    dev_ = *crypto::read_key_file(home_ / "keys" / "dev.json");
  }
  TempDir dir_{"btt-node-test"};
  std::filesystem::path home_;
  crypto::KeyPair dev_;
};

TEST_F(NodeTest, SigtermStopsCleanlyAndRestartContinuesTheChain) {
  NodeProcess node(home_, free_port());
  node.start({"--block-time-ms", "200"});
  Api api(node.address());
  while (api.status().height() < 3) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(node.stop(), 0) << node.log_tail();
  EXPECT_NE(node.log_tail().find("stopped cleanly"), std::string::npos);

  // The height and state hash where it stopped are exactly where it resumes.
  node.start({"--block-time-ms", "200"});
  Api again(node.address());
  auto s = again.status();
  ASSERT_GE(s.height(), 3u);
  auto stopped_at = again.block(3);
  ASSERT_TRUE(stopped_at.has_value());
  while (again.status().height() < s.height() + 2) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(again.block(3)->hash(), stopped_at->hash());
  EXPECT_EQ(node.stop(), 0);
}

// Export of a stopped node, import into a new home with the same validator key, and the chain
// goes on from the next height with every balance and nonce (doc/genesis.md "Export and import").
TEST_F(NodeTest, ExportImportRestartsTheChain) {
  const auto recipient = crypto::KeyPair::generate().address.to_string();
  NodeProcess node(home_, free_port());
  node.start({"--block-time-ms", "150"});
  {
    Api api(node.address());
    v1::BroadcastTxResponse out;
    ASSERT_TRUE(api.broadcast(transfer(dev_, recipient, 5'000, 0), false, &out).ok());
    ASSERT_TRUE(api.broadcast(transfer(dev_, recipient, 7'000, 1), true, &out).ok());
    while (api.status().height() < 3) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    // A running node holds its home: export refuses rather than read data under it.
    auto busy = run_command({bttd_path(), "export", "--home", home_.string()}, 60);
    EXPECT_EQ(busy.exit_code, 1);
    EXPECT_NE(busy.err.find("already running"), std::string::npos) << busy.err;
  }
  ASSERT_EQ(node.stop(), 0) << node.log_tail();

  const auto exported = dir_.path() / "exported.json";
  auto r = run_command(
      {bttd_path(), "export", "--home", home_.string(), "--out", exported.string()}, 120);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto file = nlohmann::json::parse(*read_text_file(exported));
  const uint64_t height = std::stoull(file["initial_height"].get<std::string>()) - 1;
  ASSERT_GE(height, 2u);
  const std::string announced = "exported height " + std::to_string(height);
  EXPECT_NE(r.err.find(announced), std::string::npos) << r.err;
  const std::string hash_line = r.err.substr(r.err.find("state hash "));

  // A lower height replays the stored blocks; a height not committed is refused.
  auto low = run_command({bttd_path(), "export", "--home", home_.string(), "--height", "1"}, 120);
  ASSERT_EQ(low.exit_code, 0) << low.err;
  EXPECT_EQ(nlohmann::json::parse(low.out)["initial_height"], "2");
  EXPECT_FALSE(std::filesystem::exists(home_ / "export.tmp"));
  auto high = run_command(
      {bttd_path(), "export", "--home", home_.string(), "--height", std::to_string(height + 1)});
  EXPECT_EQ(high.exit_code, 1);
  EXPECT_NE(high.err.find("is not committed"), std::string::npos) << high.err;

  const auto next_home = dir_.path() / "next";
  r = run_command({bttd_path(), "init", "--home", next_home.string(), "--genesis",
                   exported.string(), "--validator-key",
                   (home_ / "keys" / "validator.json").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(*read_text_file(next_home / "genesis.json"), *read_text_file(exported));
  // Before its first block the new chain holds exactly what was exported: exporting it again
  // gives the same file and the announced state hash.
  auto again = run_command({bttd_path(), "export", "--home", next_home.string()}, 120);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(nlohmann::json::parse(again.out), file);
  EXPECT_NE(again.err.find(hash_line), std::string::npos) << again.err << " vs " << hash_line;

  NodeProcess next(next_home, free_port());
  next.start({"--block-time-ms", "150"});
  Api api(next.address());
  while (api.status().height() < height + 2) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_FALSE(api.block(height).has_value());  // the exported chain's blocks are not here
  EXPECT_TRUE(api.block(height + 1).has_value());
  EXPECT_EQ(api.balance(recipient), 12'000u);
  EXPECT_EQ(api.account(dev_.address.to_string()).nonce(), 2u);
  v1::BroadcastTxResponse out;
  EXPECT_FALSE(api.broadcast(transfer(dev_, recipient, 1, 1), false, &out).ok());  // used nonce
  ASSERT_TRUE(api.broadcast(transfer(dev_, recipient, 1, 2), true, &out).ok());
  EXPECT_EQ(api.balance(recipient), 12'001u);
  EXPECT_EQ(next.stop(), 0) << next.log_tail();
}

TEST_F(NodeTest, SecondNodeOnTheSameHomeRefuses) {
  NodeProcess first(home_, free_port());
  first.start();
  auto r = run_command({bttd_path(), "start", "--home", home_.string(), "--grpc-addr",
                        "127.0.0.1:" + std::to_string(free_port())},
                       30);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("another bttd"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(home_.string()), std::string::npos) << r.err;
  EXPECT_TRUE(first.running());
  Api api(first.address());
  EXPECT_NO_THROW(api.status());
  EXPECT_EQ(first.stop(), 0);
}

TEST_F(NodeTest, SecondNodeOnTheSamePortRefuses) {
  NodeProcess first(home_, free_port());
  first.start();
  init_home(dir_.path() / "other", kChainId);
  auto r = run_command({bttd_path(), "start", "--home", (dir_.path() / "other").string(),
                        "--grpc-addr", first.address()},
                       30);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("cannot listen for gRPC on " + first.address()), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("stopped cleanly"), std::string::npos) << r.err;
  EXPECT_EQ(first.stop(), 0);
}

TEST_F(NodeTest, RefusesToStartOnBadConfigOrGenesis) {
  {
    std::ofstream(home_ / "config.toml", std::ios::app) << "\n[bogus]\nkey = 1\n";
    auto r = run_command({bttd_path(), "start", "--home", home_.string()}, 30);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("unknown section [bogus]"), std::string::npos) << r.err;
  }
  std::filesystem::remove(home_ / "config.toml");
  std::ofstream(home_ / "genesis.json", std::ios::trunc) << R"({"chain_id": "x"})";
  auto r = run_command({bttd_path(), "start", "--home", home_.string(), "--grpc-addr",
                        "127.0.0.1:" + std::to_string(free_port())},
                       30);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("genesis"), std::string::npos) << r.err;
}

// The crash loop: load from several senders, kill -9 at a random moment, restart, check.
TEST_F(NodeTest, KillDashNineUnderLoadLosesNothingCommitted) {
  constexpr int kSenders = 4;
  constexpr int kRounds = 6;
  NodeProcess node(home_, free_port());
  node.start({"--block-time-ms", "150"});

  // Fund the senders.
  std::vector<crypto::KeyPair> senders;
  {
    Api api(node.address());
    uint64_t nonce = api.account(dev_.address.to_string()).nonce();
    for (int i = 0; i < kSenders; ++i) {
      senders.push_back(crypto::KeyPair::generate());
      v1::BroadcastTxResponse out;
      auto s =
          api.broadcast(transfer(dev_, senders.back().address.to_string(), 1'000'000'000, nonce++),
                        i == kSenders - 1, &out);
      ASSERT_TRUE(s.ok()) << s.error_message();
    }
  }
  std::vector<std::string> accounts{dev_.address.to_string()};
  for (const auto& s : senders) accounts.push_back(s.address.to_string());
  accounts.push_back(crypto::Address::for_module("fee_pool").to_string());

  std::mt19937 rng(20261124);
  // What we saw committed before each crash: tx id -> height, and block height -> hash.
  std::map<Hash32, uint64_t> committed;
  std::map<uint64_t, std::string> block_hashes;
  uint64_t max_height_seen = 0;

  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    Api api(node.address());
    std::atomic<bool> stop{false};
    std::vector<Hash32> sent;
    std::mutex sent_mu;
    std::vector<std::thread> loaders;
    for (int i = 0; i < kSenders; ++i) {
      loaders.emplace_back([&, i] {
        Api own(node.address());
        uint64_t nonce = 0;
        try {
          nonce = own.account(senders[i].address.to_string()).nonce();
        } catch (const std::exception&) {
          return;
        }
        while (!stop) {
          auto tx = transfer(senders[i], accounts[(i + 1) % accounts.size()], 1 + nonce, nonce);
          v1::BroadcastTxResponse out;
          if (own.broadcast(tx, false, &out).ok()) {
            std::lock_guard lock(sent_mu);
            sent.push_back(chain::tx_id_of_body(tx.body()));
            ++nonce;
          } else {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
          }
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(400 + rng() % 1200));
    // Record what is committed right now, then crash without warning.
    auto before = api.status();
    {
      std::lock_guard lock(sent_mu);
      for (const auto& id : sent) {
        if (auto info = api.tx(id)) committed[id] = info->result().height();
      }
    }
    for (uint64_t h = std::max<uint64_t>(1, max_height_seen); h <= before.height(); ++h) {
      if (auto b = api.block(h)) block_hashes[h] = b->hash();
    }
    max_height_seen = std::max(max_height_seen, before.height());
    node.kill9();
    stop = true;
    for (auto& t : loaders) t.join();

    node.start({"--block-time-ms", "150"});
    Api after(node.address());
    auto s = after.status();
    EXPECT_GE(s.height(), before.height()) << "the node lost committed blocks";
    for (const auto& [h, hash] : block_hashes) {
      auto b = after.block(h);
      ASSERT_TRUE(b.has_value()) << "block " << h << " missing after restart";
      EXPECT_EQ(b->hash(), hash) << "block " << h << " changed after restart";
    }
    for (const auto& [id, height] : committed) {
      auto info = after.tx(id);
      ASSERT_TRUE(info.has_value()) << "committed tx " << to_hex(id) << " lost";
      EXPECT_EQ(info->result().height(), height);
    }
    // Supply is conserved across every crash: the dev account's genesis BTT only moved among
    // the tracked accounts and the fee pool, and the whole fixed supply is still there.
    uint64_t sum = 0;
    for (const auto& a : accounts) sum += after.balance(a);
    EXPECT_EQ(sum, node::kDevAccountBalance);
    EXPECT_EQ(after.supply_of(), 210'000'000ULL * 100'000'000ULL);
  }
  EXPECT_GT(committed.size(), 20u) << "the load did not reach the chain";
  EXPECT_EQ(node.stop(), 0);
}

}  // namespace
}  // namespace btt::testkit

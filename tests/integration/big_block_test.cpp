// A block larger than a p2p frame with real bttd processes on 127.0.0.1 (doc/p2p.md, "Block
// parts and sync chunks"; doc/consensus.md, "Tests"): four validators whose genesis allows 1 MiB
// txs commit one block of about 6 MB (more than p2p::kMaxFramePayload) sent as 64 KiB proposal
// parts, all with the same block and state hash, nobody bans anybody, the chain goes on, and a
// non-validator that starts afterwards block-syncs it in 1 MiB chunks. The block is read back
// over gRPC, whose default message limit is 4 MiB.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "btt/chain/tx.h"
#include "btt/crypto/keyfile.h"
#include "btt/p2p/frame.h"
#include "btt/v1/consensus_query.grpc.pb.h"
#include "testkit/node_api.h"
#include "testkit/process.h"
#include "testkit/temp_dir.h"
#include "testkit/txs.h"

namespace btt::testkit {
namespace {

constexpr const char* kChainId = "btt-bigblock-it";
constexpr size_t kBigTxs = 6;               // nonces 1..6, each just under 1,000,000 bytes
constexpr size_t kTargetTxBytes = 1000000;  // max_tx_bytes is 1 MiB (1,048,576)
constexpr uint32_t kOutputsPerMessage = 4096;
constexpr size_t kRecipients = 5;

bool wait_for(const std::function<bool()>& done, int timeout_s) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

// GetBlock with its status (NodeApi::block hides it): the answer for the big block is larger
// than gRPC's default 4 MiB.
v1::BlockInfo get_block(NodeApi& api, uint64_t height) {
  grpc::ClientContext ctx;
  set_deadline(ctx, 10000);
  v1::GetBlockRequest req;
  req.set_height(height);
  v1::BlockInfo out;
  const grpc::Status s = api.blocks->GetBlock(&ctx, req, &out);
  EXPECT_TRUE(s.ok()) << "GetBlock(" << height << "): " << s.error_code() << " "
                      << s.error_message();
  return out;
}

v1::Peers get_peers(NodeApi& api) {
  auto stub = v1::Consensus::NewStub(api.channel());
  grpc::ClientContext ctx;
  set_deadline(ctx);
  v1::Peers out;
  const grpc::Status s = stub->GetPeers(&ctx, v1::GetPeersRequest(), &out);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return out;
}

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Every node's genesis gets the same params: txs up to 1 MiB with up to 4096 outputs per
// MultiTransfer, blocks up to 8 MiB.
void allow_big_txs(const std::filesystem::path& home) {
  const auto path = home / "genesis.json";
  auto g = nlohmann::json::parse(slurp(path));
  g["params"]["max_tx_bytes"] = "1048576";
  g["params"]["max_outputs"] = "4096";
  g["params"]["max_block_bytes"] = std::to_string(8u << 20);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << g.dump(2) << "\n";
}

// A MultiTransfer tx of `dev` with nonce `nonce`, just under kTargetTxBytes: outputs of
// 1..kRecipients units go round the recipients, 4096 per message. Adds what each recipient gets
// to `expected`.
v1::Tx big_tx(const crypto::KeyPair& dev, uint64_t nonce,
              const std::vector<crypto::KeyPair>& recipients,
              std::map<std::string, uint64_t>& expected) {
  v1::TxBody body = transfer_body(dev, {.chain_id = kChainId, .to = "", .nonce = nonce});
  body.clear_messages();
  v1::Output one;
  one.set_to(recipients[0].address.to_string());
  one.set_asset("BTT");
  one.set_amount(1);
  // An output costs its bytes plus a tag and a one-byte length in the message; a message costs
  // about 3 + 1 + 4 bytes of framing.
  const size_t per_output = one.ByteSizeLong() + 3;
  const size_t outputs = (kTargetTxBytes - body.ByteSizeLong() - 200) / per_output;
  v1::MsgMultiTransfer* mt = nullptr;
  for (size_t i = 0; i < outputs; ++i) {
    if (i % kOutputsPerMessage == 0) mt = body.add_messages()->mutable_multi_transfer();
    const auto& to = recipients[i % kRecipients].address.to_string();
    const uint64_t amount = 1 + i % kRecipients;
    auto* o = mt->add_outputs();
    o->set_to(to);
    o->set_asset("BTT");
    o->set_amount(amount);
    expected[to] += amount;
  }
  return chain::sign_tx(body, dev.secret_key);
}

TEST(BigBlockTest, BlockLargerThanAFrameCommitsOnFourValidatorsAndSyncsToALateNode) {
  const auto started = std::chrono::steady_clock::now();
  TempDir dir("btt-bigblock-it");
  const std::vector<uint16_t> ports = init_testnet(dir.path(), 4, 1, kChainId, 100);
  ASSERT_EQ(ports.size(), 5u);
  std::vector<std::unique_ptr<NodeProcess>> n;
  std::vector<std::unique_ptr<NodeApi>> a;
  for (size_t i = 0; i < 5; ++i) {
    n.push_back(std::make_unique<NodeProcess>(dir.path() / ("node" + std::to_string(i)), ports[i]));
    a.push_back(std::make_unique<NodeApi>(n[i]->address()));
    allow_big_txs(n[i]->home());
  }
  for (size_t i = 0; i < 4; ++i) n[i]->start();
  ASSERT_TRUE(wait_height(*a[0], 2, 30)) << n[0]->log_tail();

  // 1. The big txs have nonces 1..6, so no block can take them before nonce 0 is there. Sent to
  // node 0 (three per BroadcastTxs, under its 4 MiB request limit), they reach every mempool by
  // gossip; then the small nonce-0 tx makes all seven includable at once, in one block.
  const auto dev = *crypto::read_key_file(dir.path() / "dev.json");
  std::vector<crypto::KeyPair> recipients;
  for (size_t i = 0; i < kRecipients; ++i) recipients.push_back(crypto::KeyPair::generate());
  std::map<std::string, uint64_t> expected;
  std::vector<v1::Tx> big;
  size_t big_bytes = 0;
  for (uint64_t nonce = 1; nonce <= kBigTxs; ++nonce) {
    big.push_back(big_tx(dev, nonce, recipients, expected));
    ASSERT_LE(big.back().ByteSizeLong(), size_t{1} << 20);
    big_bytes += big.back().ByteSizeLong();
  }
  ASSERT_GT(big_bytes, size_t{5} << 20);
  for (size_t first = 0; first < big.size(); first += 3) {
    grpc::ClientContext ctx;
    set_deadline(ctx, 20000);
    v1::BroadcastTxsRequest req;
    for (size_t i = first; i < first + 3; ++i) *req.add_txs() = big[i];
    v1::BroadcastTxsResponse resp;
    const grpc::Status s = a[0]->txs->BroadcastTxs(&ctx, req, &resp);
    ASSERT_TRUE(s.ok()) << s.error_message();
    ASSERT_EQ(resp.results_size(), 3);
    for (const auto& r : resp.results()) EXPECT_EQ(r.code(), 0u) << r.log();
  }
  for (size_t i = 0; i < 4; ++i) {
    ASSERT_TRUE(wait_for([&] { return a[i]->status().mempool_txs() == kBigTxs; }, 30))
        << "node" << i << " mempool " << a[i]->status().ShortDebugString() << n[i]->log_tail();
  }
  const auto carol = crypto::KeyPair::generate();
  const v1::Tx first = signed_transfer(
      dev, {.chain_id = kChainId, .to = carol.address.to_string(), .amount = 5, .nonce = 0});
  v1::BroadcastTxResponse resp;
  {
    const grpc::Status s = a[0]->broadcast(first, true, &resp);
    ASSERT_TRUE(s.ok()) << s.error_message() << n[0]->log_tail();
    ASSERT_TRUE(resp.committed());
  }
  const auto first_info = a[0]->tx(chain::tx_id_of_body(first.body()));
  ASSERT_TRUE(first_info.has_value());
  const uint64_t h = first_info->result().height();
  ASSERT_GT(h, 0u);

  // 2. Every validator has that block, read back over gRPC (more than 4 MiB), with the same hash
  // and state hash, all seven txs in it.
  for (size_t i = 0; i < 4; ++i) {
    ASSERT_TRUE(wait_height(*a[i], h + 1, 30)) << "node" << i << n[i]->log_tail();
  }
  const v1::BlockInfo b0 = get_block(*a[0], h);
  ASSERT_EQ(b0.block().txs_size(), static_cast<int>(kBigTxs + 1));
  size_t tx_bytes = 0;
  for (const auto& tx : b0.block().txs()) tx_bytes += tx.ByteSizeLong();
  EXPECT_GT(tx_bytes, size_t{5} << 20);
  EXPECT_GT(b0.block().ByteSizeLong(), size_t{5} << 20);
  EXPECT_GT(b0.block().ByteSizeLong(), size_t{p2p::kMaxFramePayload});
  EXPECT_GT(b0.ByteSizeLong(), size_t{4} << 20);  // gRPC's default message limit
  const v1::BlockInfo next0 = get_block(*a[0], h + 1);
  for (size_t i = 1; i < 4; ++i) {
    const v1::BlockInfo b = get_block(*a[i], h);
    EXPECT_EQ(b.hash(), b0.hash()) << "node" << i;
    EXPECT_EQ(b.header().state_hash(), b0.header().state_hash()) << "node" << i;
    EXPECT_EQ(b.block().SerializeAsString(), b0.block().SerializeAsString()) << "node" << i;
    // The state after the big block is in the next header.
    EXPECT_EQ(get_block(*a[i], h + 1).header().state_hash(), next0.header().state_hash());
  }
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(a[i]->balance(carol.address.to_string()), 5u) << "node" << i;
    for (const auto& r : recipients) {
      const auto addr = r.address.to_string();
      EXPECT_EQ(a[i]->balance(addr), expected.at(addr)) << "node" << i;
    }
  }

  // 3. Nobody banned anybody: each validator still has the other three connected.
  std::vector<std::string> ids;
  for (size_t i = 0; i < 4; ++i) ids.push_back(get_peers(*a[i]).node_id());
  for (size_t i = 0; i < 4; ++i) {
    const v1::Peers peers = get_peers(*a[i]);
    std::set<std::string> got;
    for (const auto& p : peers.peers()) got.insert(p.node_id());
    std::set<std::string> want(ids.begin(), ids.end());
    want.erase(ids[i]);
    EXPECT_EQ(got, want) << "node" << i;
    EXPECT_EQ(slurp(n[i]->log_path()).find("p2p: banned"), std::string::npos)
        << "node" << i << n[i]->log_tail();
  }

  // 4. The chain goes on: a later small transfer commits everywhere.
  {
    const v1::Tx later = signed_transfer(
        dev, {.chain_id = kChainId, .to = carol.address.to_string(), .amount = 7, .nonce = 7});
    const grpc::Status s = a[2]->broadcast(later, true, &resp);
    ASSERT_TRUE(s.ok()) << s.error_message() << n[2]->log_tail();
    ASSERT_TRUE(resp.committed());
  }
  const uint64_t h_later = height_of(*a[2]);
  ASSERT_GT(h_later, h);
  for (size_t i = 0; i < 4; ++i) {
    ASSERT_TRUE(wait_height(*a[i], h_later, 20)) << "node" << i;
    EXPECT_EQ(a[i]->balance(carol.address.to_string()), 12u) << "node" << i;
  }

  // 5. A non-validator started now, with the genesis and the validators as peers, block-syncs
  // past the big block (1 MiB chunks) to the same block and state.
  n[4]->start();
  ASSERT_TRUE(wait_height(*a[4], h_later, 60)) << n[4]->log_tail();
  {
    const v1::BlockInfo b = get_block(*a[4], h);
    EXPECT_EQ(b.hash(), b0.hash());
    EXPECT_EQ(b.header().state_hash(), b0.header().state_hash());
    EXPECT_EQ(get_block(*a[4], h + 1).header().state_hash(), next0.header().state_hash());
    EXPECT_EQ(get_block(*a[4], h_later).hash(), get_block(*a[0], h_later).hash());
  }
  EXPECT_EQ(a[4]->balance(carol.address.to_string()), 12u);
  for (const auto& r : recipients) {
    const auto addr = r.address.to_string();
    EXPECT_EQ(a[4]->balance(addr), expected.at(addr));
  }
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(slurp(n[i]->log_path()).find("p2p: banned"), std::string::npos)
        << "node" << i << n[i]->log_tail();
  }

  for (auto& node : n) {
    if (node->running()) {
      EXPECT_EQ(node->stop(), 0) << node->log_tail();
    }
  }
  std::cout << "[ big block ] height " << h << ", " << b0.block().ByteSizeLong()
            << " block bytes, test took "
            << std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now() - started)
                   .count()
            << " ms\n";
}

}  // namespace
}  // namespace btt::testkit

// Block sync's window on its own (no reactor): how requests are spread over the peers that have
// each height, and how the per-peer budget bounds them. Answers and applying are covered by the
// reactor tests (reactor_test.cpp, BlockSyncTest).
#include "btt/node/block_sync.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "testkit/chain_node.h"
#include "testkit/test_env.h"

namespace btt::node {
namespace {

// Records what is sent; every peer is "connected".
class RecordingNetwork final : public p2p::Network {
 public:
  void set_handler(p2p::Channel, p2p::MessageHandler) override {}
  void set_event_handler(p2p::EventHandler) override {}
  bool send(const p2p::NodeId& to, const v1::P2pMessage& msg) override {
    if (msg.has_block_request())
      requests.emplace_back(to.to_string(), msg.block_request().height());
    return true;
  }
  size_t broadcast(const v1::P2pMessage&) override { return 0; }
  [[nodiscard]] std::vector<p2p::PeerInfo> peers() const override { return {}; }
  std::vector<std::pair<std::string, uint64_t>> requests;  // (peer, height)
};

class BlockSyncWindowTest : public ::testing::Test {
 protected:
  // 1 MiB a block: 250 ms of a peer's 4 MiB/s budget, 8 requests fill its 8 MiB burst.
  static constexpr uint64_t kEstimate = 1u << 20;

  BlockSyncWindowTest()
      : g(testkit::make_multi_genesis({.validators = 1})),
        node(g.genesis, *g.registry),
        sync(
            *node.chain, &net, nullptr, [this] { return now; }, kEstimate,
            [](const chain::CommittedBlock&) {}) {}

  static std::string peer(int i) {
    return testkit::test_key("peer" + std::to_string(i)).address.to_string();
  }
  std::vector<uint64_t> heights_of(const std::string& id) const {
    std::vector<uint64_t> out;
    for (const auto& [p, h] : net.requests) {
      if (p == id) out.push_back(h);
    }
    return out;
  }

  testkit::MultiGenesis g;
  testkit::ChainNode node;
  RecordingNetwork net;
  uint64_t now = 1'000'000;
  BlockSync sync;
};

TEST_F(BlockSyncWindowTest, RequestsAlternateOverPeersThatHaveTheHeight) {
  // Sorted by node id, as the sync's peer table is.
  std::vector<std::string> peers = {peer(0), peer(1)};
  std::sort(peers.begin(), peers.end());
  sync.set_peer_height(peers[0], 100);
  sync.set_peer_height(peers[1], 100);
  EXPECT_TRUE(sync.peer_ahead(0));
  EXPECT_FALSE(sync.peer_ahead(100));
  sync.fill();
  // The whole window, round-robin: odd heights of the first peer, even of the second, 8 each,
  // which is just each one's budget.
  ASSERT_EQ(net.requests.size(), kSyncWindow);
  EXPECT_EQ(heights_of(peers[0]), (std::vector<uint64_t>{1, 3, 5, 7, 9, 11, 13, 15}));
  EXPECT_EQ(heights_of(peers[1]), (std::vector<uint64_t>{2, 4, 6, 8, 10, 12, 14, 16}));
  ASSERT_EQ(sync.window().size(), kSyncWindow);
  EXPECT_EQ(sync.window().at(1).peer, peers[0]);
  EXPECT_EQ(sync.window().at(1).deadline, now + kSyncRetryMs);
  EXPECT_EQ(sync.window().at(1).estimate, kEstimate);
  EXPECT_FALSE(sync.has_budget(peers[0], kEstimate));
  EXPECT_FALSE(sync.has_budget(peers[1], kEstimate));
  // Nothing more while they are outstanding.
  sync.fill();
  EXPECT_EQ(net.requests.size(), kSyncWindow);
}

TEST_F(BlockSyncWindowTest, OnlyPeersThatHaveAHeightAreAskedForIt) {
  sync.set_peer_height(peer(0), 3);
  sync.set_peer_height(peer(1), 0);
  sync.fill();
  EXPECT_EQ(heights_of(peer(0)), (std::vector<uint64_t>{1, 2, 3}));
  EXPECT_TRUE(heights_of(peer(1)).empty());
  EXPECT_EQ(sync.window().size(), 3u);
}

TEST_F(BlockSyncWindowTest, OnePeersBudgetBoundsItsRequestsAndRefillsOverTime) {
  sync.set_peer_height(peer(0), 100);
  sync.fill();
  // 8 MiB of burst at 1 MiB a request.
  EXPECT_EQ(heights_of(peer(0)), (std::vector<uint64_t>{1, 2, 3, 4, 5, 6, 7, 8}));
  EXPECT_EQ(sync.window().size(), 8u);
  // 250 ms later the budget takes one more block.
  now += 250;
  sync.fill();
  EXPECT_EQ(heights_of(peer(0)), (std::vector<uint64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9}));
  now += 249;
  sync.fill();
  EXPECT_EQ(net.requests.size(), 9u);
}

TEST_F(BlockSyncWindowTest, UnansweredRequestsGoToAnotherPeerAfterTheDeadline) {
  std::vector<std::string> peers = {peer(0), peer(1)};
  std::sort(peers.begin(), peers.end());
  sync.set_peer_height(peers[0], 1);
  sync.fill();
  ASSERT_EQ(sync.window().at(1).peer, peers[0]);
  sync.set_peer_height(peers[1], 1);
  now += kSyncRetryMs - 1;
  sync.fill();
  EXPECT_EQ(sync.window().at(1).peer, peers[0]);
  now += 1;
  sync.fill();
  // Asked again, of the peer that was not just asked.
  EXPECT_EQ(sync.window().at(1).peer, peers[1]);
  EXPECT_EQ(net.requests.back(), std::make_pair(peers[1], uint64_t{1}));
  // A peer that leaves: its heights go to the other one.
  sync.remove_peer(peers[1]);
  sync.fill();
  EXPECT_EQ(sync.window().at(1).peer, peers[0]);
}

TEST_F(BlockSyncWindowTest, EstimateIsTheInitialGuessBeforeAnyBlock) {
  EXPECT_EQ(sync.block_estimate(), kEstimate);
  // At least one request even when it is larger than the burst.
  EXPECT_TRUE(sync.has_budget(peer(0), kSyncBurstBytes * 4));
  sync.charge(peer(0), kSyncBurstBytes);
  EXPECT_FALSE(sync.has_budget(peer(0), kSyncMinEstimate));
}

}  // namespace
}  // namespace btt::node

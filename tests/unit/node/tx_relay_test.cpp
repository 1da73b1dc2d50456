// TxRelay admits gossiped txs on its own thread: the caller (the p2p io thread) only queues them;
// a good tx reaches the mempool, a badly signed one is refused and never does, and a repeat is
// counted as a duplicate.
#include <gtest/gtest.h>

#include "btt/chain/chain.h"
#include "btt/mempool/admission.h"
#include "btt/node/tx_relay.h"
#include "testkit/genesis_json.h"
#include "testkit/temp_dir.h"
#include "testkit/test_env.h"
#include "testkit/txs.h"

namespace btt::node {
namespace {

constexpr uint64_t kBtt = 100'000'000;

class TxRelayTest : public ::testing::Test {
 protected:
  std::unique_ptr<chain::ModuleRegistry> registry = chain::make_default_registry();
  crypto::KeyPair val = testkit::test_key("validator");
  crypto::KeyPair alice = testkit::test_key("alice");
  crypto::KeyPair bob = testkit::test_key("bob");
  p2p::NodeId peer = testkit::test_key("peer").address;
  testkit::TempDir dir{"btt-relay"};
  std::unique_ptr<storage::Database> db;
  std::unique_ptr<chain::Chain> chain;
  mempool::Mempool pool{mempool::Limits{}};

  void SetUp() override {
    auto g = chain::Genesis::parse(
        testkit::one_validator_genesis(val, alice.address, 1000 * kBtt).dump(), *registry);
    ASSERT_TRUE(g.is_ok()) << g.status().to_string();
    auto d = storage::Database::open(dir.path() / "db", {});
    ASSERT_TRUE(d.is_ok()) << d.status().to_string();
    db = std::move(*d);
    auto c = chain::Chain::open(*db, *registry, *g);
    ASSERT_TRUE(c.is_ok()) << c.status().to_string();
    chain = std::move(*c);
  }

  v1::Tx transfer(uint64_t nonce) const {
    return testkit::signed_transfer(
        alice, {.chain_id = "btt-test-1", .to = bob.address.to_string(), .nonce = nonce});
  }
};

TEST_F(TxRelayTest, AdmitsOnItsOwnThreadAndRefusesBadSignatures) {
  const v1::Tx good = transfer(0);
  v1::Tx bad = transfer(1);
  std::string sig = bad.signature();
  sig[0] = static_cast<char>(sig[0] ^ 1);
  bad.set_signature(sig);
  const Hash32 good_id = chain::tx_id_of_body(good.body());
  const Hash32 bad_id = chain::tx_id_of_body(bad.body());

  TxRelay relay(*chain, pool, nullptr);
  v1::TxGossip gossip;
  gossip.add_txs(good.SerializeAsString());
  gossip.add_txs(bad.SerializeAsString());
  gossip.add_txs("not a tx");
  // Not started: on_gossip only queues, so the calling thread does no admission work.
  relay.on_gossip(peer, gossip);
  EXPECT_FALSE(pool.contains(good_id));

  relay.start();
  relay.wait_idle();
  EXPECT_TRUE(pool.contains(good_id));
  EXPECT_FALSE(pool.contains(bad_id));
  EXPECT_EQ(pool.stats().txs, 1u);
  auto c = relay.counters();
  EXPECT_EQ(c.admitted, 1u);
  EXPECT_EQ(c.refused, 2u);
  EXPECT_EQ(c.duplicates, 0u);

  // The same tx again (as every peer relays it): a duplicate, dropped on arrival (its bytes were
  // admitted), not admitted twice.
  v1::TxGossip again;
  again.add_txs(good.SerializeAsString());
  relay.on_gossip(peer, again);
  relay.wait_idle();
  c = relay.counters();
  EXPECT_EQ(c.admitted, 1u);
  EXPECT_EQ(c.duplicates, 1u);
  EXPECT_EQ(pool.stats().txs, 1u);
  relay.stop();
}

TEST_F(TxRelayTest, RemembersOnlyABoundedNumberOfAdmittedTxs) {
  TxRelayOptions options;
  options.max_seen = 2;
  TxRelay relay(*chain, pool, nullptr, options);
  relay.start();
  v1::TxGossip gossip;
  for (uint64_t n = 0; n < 3; ++n) gossip.add_txs(transfer(n).SerializeAsString());
  relay.on_gossip(peer, gossip);
  relay.wait_idle();
  ASSERT_EQ(relay.counters().admitted, 3u);
  // Nonce 0 fell out of the remembered set: its copy is parsed and found in the pool; nonces 1
  // and 2 are dropped on arrival. Either way a duplicate.
  relay.on_gossip(peer, gossip);
  relay.wait_idle();
  EXPECT_EQ(relay.counters().duplicates, 3u);
  EXPECT_EQ(relay.counters().admitted, 3u);
  EXPECT_EQ(pool.stats().txs, 3u);
}

TEST_F(TxRelayTest, KeepsEachSendersOrderAndDropsPastTheQueueBound) {
  TxRelayOptions options;
  options.max_pending = 3;
  TxRelay relay(*chain, pool, nullptr, options);
  v1::TxGossip gossip;
  for (uint64_t n = 0; n < 5; ++n) gossip.add_txs(transfer(n).SerializeAsString());
  relay.on_gossip(peer, gossip);
  relay.start();
  relay.wait_idle();
  // Nonces 0..2 were queued in order and admitted; 3 and 4 were over the bound.
  EXPECT_EQ(pool.stats().txs, 3u);
  EXPECT_EQ(relay.counters().admitted, 3u);
  EXPECT_EQ(relay.counters().dropped, 2u);
  EXPECT_EQ(pool.pending_next_nonce(alice.address, 0), 3u);
}

// A network that records what the relay sends, to a fixed set of peers.
class RecordingNet final : public p2p::Network {
 public:
  explicit RecordingNet(std::vector<p2p::NodeId> peers) : peers_(std::move(peers)) {}
  void set_handler(p2p::Channel, p2p::MessageHandler) override {}
  void set_event_handler(p2p::EventHandler) override {}
  bool send(const p2p::NodeId& to, const v1::P2pMessage& msg) override {
    for (const auto& raw : msg.tx_gossip().txs()) sent[to.to_string()].push_back(raw);
    return true;
  }
  size_t broadcast(const v1::P2pMessage& msg) override {
    for (const auto& p : peers_) send(p, msg);
    return peers_.size();
  }
  [[nodiscard]] std::vector<p2p::PeerInfo> peers() const override {
    std::vector<p2p::PeerInfo> out;
    for (const auto& p : peers_) out.push_back({p, "127.0.0.1:1", true, true, 0});
    return out;
  }
  std::map<std::string, std::vector<std::string>> sent;  // by peer: the txs' bytes

 private:
  std::vector<p2p::NodeId> peers_;
};

// A tx goes to every peer except the one it came from and any other peer that sent it here
// before it went out (they have it); a peer that sends it after it went out changes nothing.
TEST_F(TxRelayTest, DoesNotSendATxBackToPeersThatSentIt) {
  const p2p::NodeId a = testkit::test_key("peer-a").address;
  const p2p::NodeId b = testkit::test_key("peer-b").address;
  const p2p::NodeId c = testkit::test_key("peer-c").address;
  RecordingNet net({a, b, c});
  TxRelay relay(*chain, pool, &net);
  const v1::Tx own_tx = transfer(0);
  const std::string own = own_tx.SerializeAsString();
  const std::string relayed = transfer(1).SerializeAsString();

  // Admitted through gRPC, then b relays it here before the batch leaves.
  ASSERT_TRUE(mempool::admit(own_tx, *chain, pool).is_ok());
  relay.gossip(own_tx);
  v1::TxGossip from_b;
  from_b.add_txs(own);
  relay.on_gossip(b, from_b);
  relay.run_ready();
  EXPECT_EQ(net.sent[a.to_string()], std::vector<std::string>{own});
  EXPECT_TRUE(net.sent[b.to_string()].empty());
  EXPECT_EQ(net.sent[c.to_string()], std::vector<std::string>{own});
  EXPECT_EQ(relay.counters().not_sent, 1u);
  EXPECT_EQ(relay.counters().duplicates, 1u);

  // From a (admitted from there), then c sends it too after it went out: only b gets it.
  v1::TxGossip from_a;
  from_a.add_txs(relayed);
  relay.on_gossip(a, from_a);
  relay.run_ready();
  relay.on_gossip(c, from_a);
  relay.run_ready();
  EXPECT_EQ(net.sent[a.to_string()], std::vector<std::string>{own});
  EXPECT_EQ(net.sent[b.to_string()], std::vector<std::string>{relayed});
  EXPECT_EQ(net.sent[c.to_string()], (std::vector<std::string>{own, relayed}));
  EXPECT_EQ(relay.counters().admitted, 1u);
  EXPECT_EQ(relay.counters().duplicates, 2u);
  EXPECT_EQ(pool.stats().txs, 2u);
}

// Copies of a committed block's txs that peers still relay are dropped on arrival, unparsed.
TEST_F(TxRelayTest, DropsCopiesOfCommittedTxsOnArrival) {
  TxRelay relay(*chain, pool, nullptr);
  const v1::Tx tx = transfer(0);
  auto decoded = chain::decode_tx(tx.SerializeAsString(), 16 * 1024);
  ASSERT_TRUE(decoded.is_ok());
  relay.on_committed({*decoded});
  v1::TxGossip gossip;
  gossip.add_txs(tx.SerializeAsString());
  relay.on_gossip(peer, gossip);
  EXPECT_EQ(relay.run_ready(), 0u);  // nothing was queued
  EXPECT_EQ(relay.counters().duplicates, 1u);
  EXPECT_EQ(relay.counters().admitted, 0u);
  EXPECT_EQ(relay.counters().refused, 0u);
  EXPECT_EQ(pool.stats().txs, 0u);
}

}  // namespace
}  // namespace btt::node

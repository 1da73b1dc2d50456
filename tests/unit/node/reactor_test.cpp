// The consensus reactor driven by hand (ReactorOptions::manual_drive): a manual clock, no
// threads, and a fake network that carries P2pMessages between reactors in this process and to
// peers the test plays itself. Chains are real (RocksDB in temp dirs), signatures real.
#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <set>

#include "btt/chain/evidence.h"
#include "btt/chain/validator_history.h"
#include "btt/chain/vote_set.h"
#include "btt/consensus/clock.h"
#include "btt/mempool/admission.h"
#include "btt/node/reactor.h"
#include "btt/v1/p2p.pb.h"
#include "testkit/chain_node.h"
#include "testkit/set_changer.h"
#include "testkit/test_env.h"
#include "testkit/txs.h"
#include "testkit/validators.h"

namespace btt::node {
namespace {

class ManualClock final : public consensus::Clock {
 public:
  [[nodiscard]] uint64_t now_ms() const override { return now; }
  uint64_t now = testkit::TestEnv::kGenesisTimeMs + 10'000;
};

// Reactors' networks in one process: send and broadcast queue messages on links; deliver()
// hands them to the receiver's channel handler (or its inbox when it registered none: a peer the
// test plays).
class FakeNet {
 public:
  struct Received {
    p2p::NodeId from;
    v1::P2pMessage msg;
  };

  class Endpoint final : public p2p::Network {
   public:
    Endpoint(FakeNet& net, p2p::NodeId id) : net_(net), id_(id) {}
    void set_handler(p2p::Channel channel, p2p::MessageHandler handler) override {
      handlers_[static_cast<size_t>(channel)] = std::move(handler);
    }
    void set_event_handler(p2p::EventHandler handler) override { events_ = std::move(handler); }
    bool send(const p2p::NodeId& to, const v1::P2pMessage& msg) override {
      if (!net_.linked(id_, to)) return false;
      // As the real transport: nothing larger than a frame leaves.
      if (msg.ByteSizeLong() > p2p::kMaxFramePayload) {
        ++net_.oversized;
        return false;
      }
      net_.bytes_sent[{id_, to}] += msg.ByteSizeLong();
      net_.queue_.push_back({id_, to, msg});
      return true;
    }
    size_t broadcast(const v1::P2pMessage& msg) override {
      size_t n = 0;
      for (const auto& peer : net_.peers_of(id_)) n += send(peer, msg) ? 1 : 0;
      return n;
    }
    [[nodiscard]] std::vector<p2p::PeerInfo> peers() const override {
      std::vector<p2p::PeerInfo> out;
      for (const auto& peer : net_.peers_of(id_)) out.push_back({peer, "127.0.0.1:1", true, true});
      return out;
    }
    [[nodiscard]] const p2p::NodeId& id() const { return id_; }
    std::vector<Received> inbox;  // what arrived for a peer without handlers

   private:
    friend class FakeNet;
    FakeNet& net_;
    p2p::NodeId id_;
    std::array<p2p::MessageHandler, p2p::kChannelCount> handlers_;
    p2p::EventHandler events_;
  };

  Endpoint& add(const p2p::NodeId& id) {
    auto [it, _] = endpoints_.emplace(id, std::make_unique<Endpoint>(*this, id));
    return *it->second;
  }
  void connect(const p2p::NodeId& a, const p2p::NodeId& b) {
    links_.insert({a, b});
    links_.insert({b, a});
    for (const auto& [self, other] : {std::pair{a, b}, std::pair{b, a}}) {
      auto& ep = *endpoints_.at(self);
      if (ep.events_)
        ep.events_({p2p::PeerEvent::Kind::kConnected, other, "127.0.0.1:1", true, ""});
    }
  }
  void disconnect(const p2p::NodeId& a, const p2p::NodeId& b) {
    links_.erase({a, b});
    links_.erase({b, a});
    for (const auto& [self, other] : {std::pair{a, b}, std::pair{b, a}}) {
      auto& ep = *endpoints_.at(self);
      if (ep.events_)
        ep.events_({p2p::PeerEvent::Kind::kDisconnected, other, "127.0.0.1:1", true, ""});
    }
  }
  [[nodiscard]] bool linked(const p2p::NodeId& a, const p2p::NodeId& b) const {
    return links_.count({a, b}) > 0;
  }
  [[nodiscard]] std::vector<p2p::NodeId> peers_of(const p2p::NodeId& id) const {
    std::vector<p2p::NodeId> out;
    for (const auto& [a, b] : links_) {
      if (a == id) out.push_back(b);
    }
    return out;
  }
  // Delivers everything queued (and what that queues); how many messages.
  size_t deliver() {
    size_t n = 0;
    while (!queue_.empty()) {
      InFlight f = std::move(queue_.front());
      queue_.pop_front();
      ++n;
      if (tamper && !tamper(f.from, f.to, f.msg)) continue;
      if (f.msg.has_consensus()) ++consensus_messages;
      if (f.msg.has_block_response() && f.msg.block_response().total() > 1) ++chunked_responses;
      auto& ep = *endpoints_.at(f.to);
      auto channel = p2p::channel_of(f.msg);
      if (channel && ep.handlers_[static_cast<size_t>(*channel)]) {
        ep.handlers_[static_cast<size_t>(*channel)](f.from, f.msg);
      } else {
        ep.inbox.push_back({f.from, f.msg});
      }
    }
    return n;
  }
  size_t consensus_messages = 0;
  size_t oversized = 0;          // messages refused for being larger than a frame
  size_t chunked_responses = 0;  // BlockResponses of blocks in more than one chunk
  // Sees (and may change) every message delivered; false drops it.
  std::function<bool(const p2p::NodeId& from, const p2p::NodeId& to, v1::P2pMessage& msg)> tamper;
  std::map<std::pair<p2p::NodeId, p2p::NodeId>, uint64_t> bytes_sent;  // by (from, to)

 private:
  struct InFlight {
    p2p::NodeId from, to;
    v1::P2pMessage msg;
  };
  std::deque<InFlight> queue_;
  std::map<p2p::NodeId, std::unique_ptr<Endpoint>> endpoints_;
  std::set<std::pair<p2p::NodeId, p2p::NodeId>> links_;
};

// A consensus message carrying a vote or a piece of evidence.
v1::P2pMessage consensus_message(const v1::Vote* vote, const v1::Evidence* evidence) {
  v1::ConsensusEnvelope env;
  if (vote) *env.mutable_vote() = *vote;
  if (evidence) *env.mutable_evidence() = *evidence;
  v1::P2pMessage msg;
  msg.mutable_consensus()->set_payload(env.SerializeAsString());
  return msg;
}

// One node: a chain, a mempool, maybe a validator key, and its reactor.
struct TestNode {
  TestNode(const testkit::MultiGenesis& g, const ManualClock& clock, p2p::Network* net,
           const crypto::KeyPair* key, ReactorOptions options)
      : chain(g.genesis, *g.registry), pool(mempool::Limits{}) {
    if (key) {
      validator_key = *key;
      signer = std::make_unique<chain::KeySigner>(*key, true);
    }
    options.manual_drive = true;
    reactor = std::make_unique<Reactor>(
        *chain.chain, pool, net, signer.get(), validator_key ? &*validator_key : nullptr, clock,
        options, [this](const chain::CommittedBlock& b) { committed.push_back(b.header.height()); },
        [this](const std::string& why) { fatal = why; });
    reactor->attach();
  }
  [[nodiscard]] uint64_t height() const { return chain.chain->tip().height(); }

  testkit::ChainNode chain;
  mempool::Mempool pool;
  std::optional<crypto::KeyPair> validator_key;
  std::unique_ptr<chain::KeySigner> signer;
  std::unique_ptr<Reactor> reactor;
  std::vector<uint64_t> committed;
  std::string fatal;
};

class ReactorTest : public ::testing::Test {
 protected:
  void TearDown() override { EXPECT_EQ(net.oversized, 0u) << "a message larger than a frame"; }
  void make_genesis(size_t validators, nlohmann::json params = nullptr) {
    testkit::MultiGenesisOptions o;
    o.validators = validators;
    o.params = std::move(params);
    g = testkit::make_multi_genesis(o);
  }

  // A node of validator `index` (or a follower for -1), on the fake network when `networked`.
  TestNode& add_node(int index, ReactorOptions options = {}, bool networked = true) {
    p2p::Network* ep = nullptr;
    if (networked) {
      ep = &net.add(testkit::test_key("node" + std::to_string(nodes.size())).address);
    }
    const crypto::KeyPair* key =
        index >= 0 ? &g.validators.at(static_cast<size_t>(index)) : nullptr;
    nodes.push_back(std::make_unique<TestNode>(g, clock, ep, key, options));
    return *nodes.back();
  }
  p2p::NodeId node_id(size_t i) const {
    return testkit::test_key("node" + std::to_string(i)).address;
  }
  void connect_all() {
    for (size_t i = 0; i < nodes.size(); ++i)
      for (size_t j = i + 1; j < nodes.size(); ++j) net.connect(node_id(i), node_id(j));
  }
  void start_all() {
    for (auto& n : nodes) n->reactor->start();
  }
  // The first `running` validators, each a node, all connected and started.
  void run_validators(size_t running, const ReactorOptions& options) {
    for (size_t i = 0; i < running; ++i) add_node(static_cast<int>(i), options);
    connect_all();
    start_all();
  }
  // Block time 200 ms; with create_empty_blocks as given.
  static ReactorOptions fast(bool create_empty_blocks) {
    ReactorOptions o;
    o.block_time_ms = 200;
    o.create_empty_blocks = create_empty_blocks;
    return o;
  }

  // Runs every reactor and the network until nothing is left to do at this instant.
  void settle() {
    for (int i = 0; i < 100'000; ++i) {
      size_t work = net.deliver();
      for (auto& n : nodes) work += n->reactor->run_ready();
      if (work == 0) return;
    }
    FAIL() << "the reactors never went quiet";
  }
  // Moves the clock on by `ms` in steps of 10 ms, settling at each.
  void run_for(uint64_t ms) {
    settle();
    for (uint64_t t = 0; t < ms; t += 10) {
      clock.now += 10;
      settle();
    }
  }
  // Runs until `done` or `max_ms` of clock time; whether `done` held.
  bool run_until(const std::function<bool()>& done, uint64_t max_ms = 60'000) {
    settle();
    for (uint64_t t = 0; t < max_ms && !done(); t += 10) {
      clock.now += 10;
      settle();
    }
    return done();
  }
  bool all_at(uint64_t height) {
    for (const auto& n : nodes) {
      if (n->height() < height) return false;
    }
    return true;
  }

  v1::Tx transfer(uint64_t nonce, uint64_t amount = 5) {
    return testkit::signed_transfer(testkit::test_key("alice"),
                                    {.chain_id = testkit::kMultiChainId,
                                     .to = testkit::test_key("bob").address.to_string(),
                                     .amount = amount,
                                     .nonce = nonce});
  }
  // As the gRPC BroadcastTx does: admit into the node's pool, then tell the reactor.
  void broadcast(TestNode& n, const v1::Tx& tx) {
    auto admitted = mempool::admit(tx, *n.chain.chain, n.pool);
    ASSERT_TRUE(admitted.is_ok()) << admitted.status().to_string();
    n.reactor->gossip_tx(tx);
  }
  uint64_t bob_balance(const TestNode& n) const {
    return ledger::Ledger(n.chain.chain->state()).balance(testkit::test_key("bob").address, "BTT");
  }

  ManualClock clock;
  FakeNet net;
  testkit::MultiGenesis g;
  std::vector<std::unique_ptr<TestNode>> nodes;
};

TEST_F(ReactorTest, SingleValidatorCommitsEveryBlockTime) {
  make_genesis(1);
  ReactorOptions o;
  o.block_time_ms = 1000;
  auto& n = add_node(0, o, /*networked=*/false);
  n.reactor->start();
  const uint64_t t0 = clock.now;
  settle();
  ASSERT_EQ(n.height(), 1u) << n.fatal;
  EXPECT_EQ(n.chain.chain->block_at(1).has_value(), true);
  ASSERT_TRUE(n.chain.chain->commit_at(1).has_value());

  // The next height starts block_time_ms after the commit, not a millisecond earlier.
  clock.now += 999;
  settle();
  EXPECT_EQ(n.height(), 1u);
  clock.now += 1;
  settle();
  ASSERT_EQ(n.height(), 2u);
  v1::BlockHeader h2;
  ASSERT_TRUE(h2.ParseFromString(n.chain.chain->block_at(2)->header()));
  EXPECT_EQ(h2.time_ms(), t0 + 1000);
  EXPECT_TRUE(n.chain.chain->block_at(2)->has_last_commit());

  // A tx admitted as gRPC does is in the next block and leaves the pool.
  broadcast(n, transfer(0, 7));
  run_for(1000);
  EXPECT_EQ(n.height(), 3u);
  EXPECT_EQ(bob_balance(n), 7u);
  EXPECT_EQ(n.pool.stats().txs, 0u);
  EXPECT_EQ(n.committed, (std::vector<uint64_t>{1, 2, 3}));
  EXPECT_EQ(n.reactor->state().mode(), "validator");
  EXPECT_TRUE(n.fatal.empty());
}

TEST_F(ReactorTest, NoEmptyBlocksWaitsForATxThenForTheInterval) {
  make_genesis(1);
  ReactorOptions o;
  o.block_time_ms = 1000;
  o.create_empty_blocks = false;
  auto& n = add_node(0, o, false);
  n.reactor->start();
  run_for(20'000);
  EXPECT_EQ(n.height(), 0u);
  auto s = n.reactor->state();
  EXPECT_EQ(s.step(), "waiting_for_txs");
  EXPECT_EQ(s.height(), 1u);
  EXPECT_EQ(s.round(), 0u);

  broadcast(n, transfer(0));
  settle();
  ASSERT_EQ(n.height(), 1u);  // at once: the height was only waiting for the tx
  EXPECT_EQ(bob_balance(n), 5u);
  run_for(20'000);
  EXPECT_EQ(n.height(), 1u);

  // A tx that cannot be included (its nonce leaves a gap) is not a reason for a block.
  broadcast(n, transfer(2));
  run_for(5'000);
  EXPECT_EQ(n.height(), 1u);
  broadcast(n, transfer(1));
  run_for(2'000);
  EXPECT_EQ(n.height(), 2u);
  EXPECT_EQ(bob_balance(n), 15u);
  EXPECT_EQ(n.pool.stats().txs, 0u);
}

TEST_F(ReactorTest, NoEmptyBlocksStillCommitsEveryInterval) {
  make_genesis(1);
  ReactorOptions o;
  o.block_time_ms = 1000;
  o.create_empty_blocks = false;
  o.create_empty_blocks_interval_ms = 30'000;
  auto& n = add_node(0, o, false);
  n.reactor->start();
  // Genesis time is 10 s behind the clock: the first empty block comes 20 s in.
  run_for(19'000);
  EXPECT_EQ(n.height(), 0u);
  run_for(1'010);
  ASSERT_EQ(n.height(), 1u);
  const uint64_t t1 = n.chain.chain->tip().time_ms();
  run_for(29'000);
  EXPECT_EQ(n.height(), 1u);
  run_for(1'010);
  ASSERT_EQ(n.height(), 2u);
  EXPECT_GE(n.chain.chain->tip().time_ms(), t1 + 30'000);
}

TEST_F(ReactorTest, FourValidatorsCommitAndWaitWithoutRoundChurn) {
  make_genesis(4);
  run_validators(4, fast(false));
  const size_t before = net.consensus_messages;
  run_for(20'000);
  // Nobody proposed or voted: no timeouts, no rounds.
  for (auto& n : nodes) {
    EXPECT_EQ(n->height(), 0u);
    auto s = n->reactor->state();
    EXPECT_EQ(s.step(), "waiting_for_txs");
    EXPECT_EQ(s.round(), 0u);
  }
  EXPECT_EQ(net.consensus_messages, before);

  // A tx sent to one node is gossiped; everyone starts and the block commits everywhere.
  broadcast(*nodes[2], transfer(0, 11));
  ASSERT_TRUE(run_until([&] { return all_at(1); }, 10'000));
  for (auto& n : nodes) {
    EXPECT_EQ(bob_balance(*n), 11u);
    EXPECT_EQ(n->chain.chain->tip().block_hash(), nodes[0]->chain.chain->tip().block_hash());
  }
  // Then everyone waits again, quietly.
  run_for(2'000);
  const size_t after = net.consensus_messages;
  run_for(20'000);
  for (auto& n : nodes) EXPECT_EQ(n->height(), 1u);
  EXPECT_EQ(net.consensus_messages, after);
}

TEST_F(ReactorTest, FollowerStartsAHeightWhenAValidatorDoes) {
  // One validator sees the tx, the others only its proposal (tx gossip lost): they follow it.
  make_genesis(4);
  run_validators(4, fast(false));
  run_for(2'000);
  // The proposer of height 1, round 0 gets the tx directly (not via gossip).
  auto set = chain::ValidatorSet::create(nodes[0]->chain.chain->validators());
  ASSERT_TRUE(set.is_ok());
  const std::string proposer = set->proposer(1, 0).address;
  TestNode* p = nullptr;
  for (auto& n : nodes) {
    if (n->validator_key->address.to_string() == proposer) p = n.get();
  }
  ASSERT_NE(p, nullptr);
  ASSERT_TRUE(mempool::admit(transfer(0, 3), *p->chain.chain, p->pool).is_ok());
  run_for(600);  // the reactor's tick notices its pool
  ASSERT_TRUE(run_until([&] { return all_at(1); }, 10'000));
  for (auto& n : nodes) EXPECT_EQ(bob_balance(*n), 3u);
}

// The validator set changes under running reactors (doc/consensus.md, "Validator set changes"):
// a node whose key is in no set yet starts signing at the height its key joins, one that leaves
// stops and follows, each commit verifies with its height's set, and a late node block-syncs
// across both changes.
TEST_F(ReactorTest, AValidatorJoinsAndAnotherLeavesWithoutARestart) {
  testkit::SetChanger* changer = nullptr;
  testkit::MultiGenesisOptions o;
  o.validators = 4;
  o.extend = testkit::add_set_changer(&changer);
  g = testkit::make_multi_genesis(o);
  const crypto::KeyPair newcomer = testkit::test_key("val4");
  const crypto::KeyPair leaver = g.validators[0];
  std::vector<v1::Validator> changed = {testkit::validator_of(newcomer, 10)};
  for (size_t i = 1; i < 4; ++i) changed.push_back(testkit::validator_of(g.validators[i], 10));
  std::vector<v1::Validator> back = changed;
  back.push_back(testkit::validator_of(leaver, 10));
  changer->schedule[3] = changed;  // heights 5..10
  changer->schedule[9] = back;     // from 11
  g.validators.push_back(newcomer);
  for (int i = 0; i < 5; ++i) add_node(i, fast(true));
  connect_all();
  start_all();
  TestNode& leaving = *nodes[0];
  TestNode& joining = *nodes[4];
  ASSERT_TRUE(run_until([&] { return all_at(6); }, 60'000)) << nodes[0]->height();
  EXPECT_EQ(leaving.reactor->state().mode(), "follower");
  EXPECT_EQ(joining.reactor->state().mode(), "validator");
  ASSERT_TRUE(run_until([&] { return all_at(12); }, 60'000)) << nodes[0]->height();
  EXPECT_EQ(leaving.reactor->state().mode(), "validator");
  for (auto& n : nodes) EXPECT_TRUE(n->fatal.empty()) << n->fatal;

  const chain::Chain& c = *nodes[1]->chain.chain;
  std::set<std::string> proposers_while_changed;
  for (uint64_t h = 1; h <= 12; ++h) {
    for (auto& n : nodes) {
      EXPECT_EQ(n->chain.chain->block_at(h)->header(), c.block_at(h)->header()) << h;
    }
    const auto set = chain::ValidatorSet::create(*c.validators_at(h));
    ASSERT_TRUE(set.is_ok());
    auto block = c.block_at(h);
    auto commit = c.commit_at(h);
    ASSERT_TRUE(block && commit) << h;
    EXPECT_TRUE(chain::verify_commit(*set, c.chain_id(), h,
                                     to_bytes(chain::block_hash(block->header())), *commit)
                    .is_ok())
        << h;
    v1::BlockHeader header;
    ASSERT_TRUE(header.ParseFromString(block->header()));
    EXPECT_EQ(header.validators_hash(), to_bytes(chain::validator_set_hash(*set))) << h;
    EXPECT_NE(set->find(header.proposer()), nullptr) << h;
    if (h >= 5 && h <= 10) proposers_while_changed.insert(header.proposer());
    if (h <= 4) {
      EXPECT_NE(header.proposer(), newcomer.address.to_string()) << h;
    }
  }
  // Four equal validators over six heights: each proposed at least once, the leaver never.
  EXPECT_EQ(proposers_while_changed.count(newcomer.address.to_string()), 1u);
  EXPECT_EQ(proposers_while_changed.count(leaver.address.to_string()), 0u);

  // A node without a key that starts now syncs every block, verifying each commit with the set
  // of its height across both changes.
  auto& late = add_node(-1, fast(true));
  for (size_t i = 0; i < 5; ++i) net.connect(node_id(i), node_id(5));
  late.reactor->start();
  ASSERT_TRUE(run_until([&] { return late.height() >= 12; }, 60'000)) << late.height();
  EXPECT_EQ(late.chain.chain->block_at(12)->header(), c.block_at(12)->header());
  EXPECT_EQ(late.reactor->state().mode(), "follower");
}

// A chain started from an export (initial_height 10): its first block carries no last commit,
// and proposers build it without looking for a stored commit of height 9.
TEST_F(ReactorTest, AChainStartedFromAnExportProposesItsFirstBlock) {
  make_genesis(4);
  g.genesis.initial_height = 10;
  run_validators(4, fast(true));
  ASSERT_TRUE(run_until([&] { return all_at(12); }, 30'000)) << nodes[0]->height();
  auto first = nodes[0]->chain.chain->block_at(10);
  ASSERT_TRUE(first.has_value());
  EXPECT_FALSE(first->has_last_commit());
  EXPECT_FALSE(nodes[0]->chain.chain->block_at(9).has_value());
  EXPECT_EQ(nodes[3]->chain.chain->tip().block_hash(), nodes[0]->chain.chain->tip().block_hash());
}

TEST_F(ReactorTest, GossipedTxsAreAdmittedAndRelayedOnce) {
  make_genesis(1);
  ReactorOptions o;
  auto& n = add_node(-1, o);
  auto& peer_a = net.add(testkit::test_key("peer-a").address);
  auto& peer_b = net.add(testkit::test_key("peer-b").address);
  net.connect(node_id(0), peer_a.id());
  net.connect(node_id(0), peer_b.id());
  n.reactor->start();
  settle();

  v1::P2pMessage gossip;
  const v1::Tx good = transfer(0);
  gossip.mutable_tx_gossip()->add_txs(good.SerializeAsString());
  gossip.mutable_tx_gossip()->add_txs("garbage");
  v1::Tx bad_sig = transfer(1);
  bad_sig.mutable_signature()->at(3) ^= 1;
  gossip.mutable_tx_gossip()->add_txs(bad_sig.SerializeAsString());
  peer_a.inbox.clear();
  peer_b.inbox.clear();
  ASSERT_TRUE(peer_a.send(node_id(0), gossip));
  settle();
  EXPECT_EQ(n.pool.stats().txs, 1u);
  auto relayed = [](const FakeNet::Endpoint& ep) {
    std::vector<std::string> out;
    for (const auto& r : ep.inbox) {
      for (const auto& t : r.msg.tx_gossip().txs()) out.push_back(t);
    }
    return out;
  };
  // Relayed to the other peer only, and only the tx that was admitted.
  EXPECT_EQ(relayed(peer_b), (std::vector<std::string>{good.SerializeAsString()}));
  EXPECT_TRUE(relayed(peer_a).empty());
  // The same tx again is not new: not relayed again.
  peer_b.inbox.clear();
  ASSERT_TRUE(peer_a.send(node_id(0), gossip));
  settle();
  EXPECT_TRUE(relayed(peer_b).empty());
  EXPECT_EQ(n.pool.stats().txs, 1u);
}

TEST_F(ReactorTest, BlockSyncAppliesVerifiedBlocksAndRefusesBadCommits) {
  make_genesis(4);
  // The network's blocks, made by hand with full commits.
  testkit::ChainNode source(g.genesis, *g.registry);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(testkit::commit_next(source, g.validators).is_ok());

  ReactorOptions small_blocks;
  small_blocks.sync_initial_block_estimate = 64 << 10;
  auto& n = add_node(-1, small_blocks);  // a follower
  auto& peer = net.add(testkit::test_key("peer").address);
  net.connect(node_id(0), peer.id());
  n.reactor->start();
  settle();
  // The peer reports height 3: the node asks it for block 1.
  v1::P2pMessage status;
  status.mutable_status()->set_height(3);
  status.mutable_status()->set_chain_id(testkit::kMultiChainId);
  ASSERT_TRUE(peer.send(node_id(0), status));
  run_for(1'000);
  auto requested = [&] {
    std::vector<uint64_t> out;
    for (const auto& r : peer.inbox) {
      if (r.msg.has_block_request()) out.push_back(r.msg.block_request().height());
    }
    peer.inbox.clear();
    return out;
  };
  auto asked = requested();
  ASSERT_FALSE(asked.empty());
  EXPECT_EQ(asked.front(), 1u);

  auto response = [&](uint64_t height, const std::function<void(v1::BlockWithCommit&)>& mutate) {
    v1::BlockWithCommit bwc;
    *bwc.mutable_block() = *source.chain->block_at(height);
    *bwc.mutable_commit() = *source.chain->commit_at(height);
    mutate(bwc);
    v1::P2pMessage msg;
    msg.mutable_block_response()->set_height(height);
    msg.mutable_block_response()->set_block(bwc.SerializeAsString());
    msg.mutable_block_response()->set_total(1);
    return msg;
  };
  auto keep = [](v1::BlockWithCommit&) {};
  // A commit with a bad signature, one without quorum, one for another block: refused.
  ASSERT_TRUE(peer.send(node_id(0), response(1, [](v1::BlockWithCommit& b) {
                          b.mutable_commit()->mutable_signatures(0)->mutable_signature()->at(7) ^=
                              1;
                        })));
  ASSERT_TRUE(peer.send(node_id(0), response(1, [](v1::BlockWithCommit& b) {
                          while (b.commit().signatures_size() > 2)
                            b.mutable_commit()->mutable_signatures()->RemoveLast();
                        })));
  ASSERT_TRUE(peer.send(node_id(0), response(1, [&](v1::BlockWithCommit& b) {
                          *b.mutable_commit() = *source.chain->commit_at(2);
                        })));
  settle();
  EXPECT_EQ(n.height(), 0u);
  // The right one is applied, and the next block is asked for.
  peer.inbox.clear();
  ASSERT_TRUE(peer.send(node_id(0), response(1, keep)));
  settle();
  ASSERT_EQ(n.height(), 1u);
  EXPECT_EQ(n.chain.chain->tip().block_hash(),
            to_bytes(chain::block_hash(source.chain->block_at(1)->header())));
  EXPECT_TRUE(n.chain.chain->commit_at(1).has_value());
  asked = requested();
  ASSERT_FALSE(asked.empty());
  EXPECT_EQ(asked.front(), 2u);
  // A block that does not follow the tip is ignored; then 2 and 3 apply.
  ASSERT_TRUE(peer.send(node_id(0), response(3, keep)));
  settle();
  EXPECT_EQ(n.height(), 1u);
  ASSERT_TRUE(peer.send(node_id(0), response(2, keep)));
  ASSERT_TRUE(peer.send(node_id(0), response(3, keep)));
  settle();
  EXPECT_EQ(n.height(), 3u);
  EXPECT_EQ(n.chain.chain->tip().state_hash(), source.chain->tip().state_hash());
  EXPECT_EQ(n.committed, (std::vector<uint64_t>{1, 2, 3}));
}

// Block sync's window against peers the test plays, each reporting height 20 of `source`.
class BlockSyncTest : public ReactorTest {
 protected:
  static constexpr uint64_t kTop = 20;
  static constexpr size_t kWindow = 16;

  void setup(size_t peer_count) {
    make_genesis(4);
    source = std::make_unique<testkit::ChainNode>(g.genesis, *g.registry);
    for (uint64_t i = 0; i < kTop; ++i)
      ASSERT_TRUE(testkit::commit_next(*source, g.validators).is_ok());
    // A follower; the window's logic is the subject here, so block sync may expect small blocks
    // from the start.
    ReactorOptions small_blocks;
    small_blocks.sync_initial_block_estimate = 64 << 10;
    add_node(-1, small_blocks);
    for (size_t i = 0; i < peer_count; ++i) {
      peers.push_back(&net.add(testkit::test_key("peer" + std::to_string(i)).address));
      net.connect(node_id(0), peers.back()->id());
    }
    nodes[0]->reactor->start();
    settle();
    for (auto* p : peers) {
      v1::P2pMessage status;
      status.mutable_status()->set_height(kTop);
      status.mutable_status()->set_chain_id(testkit::kMultiChainId);
      ASSERT_TRUE(p->send(node_id(0), status));
    }
    run_for(1'000);
  }
  TestNode& node() { return *nodes[0]; }

  v1::P2pMessage response(uint64_t height, bool bad_commit = false) const {
    v1::BlockWithCommit bwc;
    *bwc.mutable_block() = *source->chain->block_at(height);
    *bwc.mutable_commit() = *source->chain->commit_at(height);
    if (bad_commit) bwc.mutable_commit()->mutable_signatures(0)->mutable_signature()->at(7) ^= 1;
    v1::P2pMessage msg;
    msg.mutable_block_response()->set_height(height);
    msg.mutable_block_response()->set_block(bwc.SerializeAsString());
    msg.mutable_block_response()->set_total(1);
    return msg;
  }
  // The heights peer i was asked for since the last call; also records them in `pending`
  // (height -> peer asked) and `asked_of` and checks the window bound.
  std::vector<uint64_t> take_requests(size_t i) {
    std::vector<uint64_t> out;
    for (const auto& r : peers[i]->inbox) {
      if (!r.msg.has_block_request()) continue;
      const uint64_t h = r.msg.block_request().height();
      out.push_back(h);
      pending[h] = i;
      asked_of[i].insert(h);
    }
    peers[i]->inbox.clear();
    return out;
  }
  void collect() {
    for (size_t i = 0; i < peers.size(); ++i) take_requests(i);
    const uint64_t tip = node().height();
    std::erase_if(pending, [&](const auto& p) { return p.first <= tip; });
    EXPECT_LE(pending.size(), kWindow);
    for (const auto& [h, peer] : pending) {
      EXPECT_GT(h, tip);
      EXPECT_LE(h, tip + kWindow) << "requested outside the window";
    }
  }
  // Peer i answers what it was asked (highest first: out of order), bad commits when `bad`.
  void answer(size_t i, bool bad = false) {
    std::vector<uint64_t> heights;
    for (const auto& [h, peer] : pending) {
      if (peer == i) heights.push_back(h);
    }
    std::reverse(heights.begin(), heights.end());
    for (uint64_t h : heights) {
      ASSERT_TRUE(peers[i]->send(node_id(0), response(h, bad)));
      pending.erase(h);
    }
  }
  // Peers in `answering` answer every request (others stay silent) until the node is at kTop.
  bool sync_to_top(const std::set<size_t>& answering, const std::set<size_t>& bad = {},
                   uint64_t max_ms = 30'000) {
    return run_until(
        [&] {
          collect();
          for (size_t i : answering) answer(i, bad.count(i) > 0);
          settle();
          collect();
          return node().height() >= kTop;
        },
        max_ms);
  }

  std::unique_ptr<testkit::ChainNode> source;
  std::vector<FakeNet::Endpoint*> peers;
  std::map<uint64_t, size_t> pending;
  std::map<size_t, std::set<uint64_t>> asked_of;
};

TEST_F(BlockSyncTest, RequestsAWindowSpreadOverSeveralPeers) {
  setup(3);
  collect();
  // 16 heights asked at once (tip+1..tip+16), each of one peer, spread over all three.
  EXPECT_EQ(pending.size(), kWindow);
  EXPECT_EQ(pending.begin()->first, 1u);
  EXPECT_EQ(pending.rbegin()->first, kWindow);
  size_t peers_asked = 0;
  for (size_t i = 0; i < peers.size(); ++i) peers_asked += asked_of[i].empty() ? 0 : 1;
  EXPECT_EQ(peers_asked, 3u);
  // Nothing more is asked while they are outstanding.
  run_for(1'000);
  collect();
  EXPECT_EQ(pending.size(), kWindow);
  for (size_t i = 0; i < peers.size(); ++i) EXPECT_LE(asked_of[i].size(), kWindow);
  ASSERT_TRUE(sync_to_top({0, 1, 2}));
  EXPECT_EQ(node().chain.chain->tip().state_hash(), source->chain->tip().state_hash());
}

TEST_F(BlockSyncTest, OutOfOrderResponsesAreBufferedAndAppliedInOrder) {
  setup(2);
  collect();
  ASSERT_EQ(pending.size(), kWindow);
  // Everything but height 1, highest first: buffered, nothing applies.
  const size_t first = pending.at(1);
  pending.erase(1);
  answer(0);
  answer(1);
  settle();
  EXPECT_EQ(node().height(), 0u);
  EXPECT_TRUE(node().committed.empty());
  // Height 1 comes: 1..16 apply in order, and 17..20 are asked for.
  ASSERT_TRUE(peers[first]->send(node_id(0), response(1)));
  settle();
  EXPECT_EQ(node().height(), kWindow);
  collect();
  EXPECT_EQ(pending.size(), kTop - kWindow);
  ASSERT_TRUE(sync_to_top({0, 1}));
  std::vector<uint64_t> expected;
  for (uint64_t h = 1; h <= kTop; ++h) expected.push_back(h);
  EXPECT_EQ(node().committed, expected);
  EXPECT_EQ(node().chain.chain->tip().state_hash(), source->chain->tip().state_hash());
  // At the tip, with no peer ahead, it joins consensus at the next height.
  run_for(1'000);
  EXPECT_EQ(node().reactor->state().height(), kTop + 1);
}

TEST_F(BlockSyncTest, SilentPeersHeightsAreAskedOfAnotherPeerAfterTheDeadline) {
  setup(3);
  collect();
  const std::set<uint64_t> silent = asked_of[1];
  ASSERT_FALSE(silent.empty());
  asked_of.clear();
  // Peers 0 and 2 answer; peer 1 never does, so its lowest height holds the chain back.
  answer(0);
  answer(2);
  run_for(1'000);
  collect();
  EXPECT_LT(node().height(), *silent.begin());
  for (uint64_t h : silent) {
    EXPECT_FALSE(asked_of[0].count(h) || asked_of[2].count(h)) << "asked again too early: " << h;
  }
  // After the 2 s deadline they go to the other peers.
  run_for(1'500);
  collect();
  for (uint64_t h : silent) {
    EXPECT_TRUE(asked_of[0].count(h) || asked_of[2].count(h)) << "not asked again: " << h;
  }
  ASSERT_TRUE(sync_to_top({0, 2}));
  EXPECT_EQ(node().chain.chain->tip().state_hash(), source->chain->tip().state_hash());
}

TEST_F(BlockSyncTest, PeersDisconnectingSendsItsHeightsToAnotherPeer) {
  setup(2);
  collect();
  const std::set<uint64_t> gone = asked_of[1];
  ASSERT_FALSE(gone.empty());
  asked_of.clear();
  net.disconnect(node_id(0), peers[1]->id());
  settle();  // no time passes
  collect();
  for (uint64_t h : gone) EXPECT_TRUE(asked_of[0].count(h)) << h;
  ASSERT_TRUE(sync_to_top({0}));
}

TEST_F(BlockSyncTest, BadBlockIsRefusedAndFetchedFromAnotherPeer) {
  setup(2);
  collect();
  const std::set<uint64_t> from_bad = asked_of[0];
  ASSERT_FALSE(from_bad.empty());
  asked_of.clear();
  // Peer 0 answers with bad commits, peer 1 with good blocks.
  ASSERT_TRUE(sync_to_top({0, 1}, /*bad=*/{0}));
  EXPECT_EQ(node().chain.chain->tip().state_hash(), source->chain->tip().state_hash());
  for (uint64_t h = 1; h <= kTop; ++h) {
    EXPECT_EQ(node().chain.chain->block_at(h)->SerializeAsString(),
              source->chain->block_at(h)->SerializeAsString());
  }
  // Every height it was asked went to peer 1, and peer 0 was not asked again.
  for (uint64_t h : from_bad) EXPECT_TRUE(asked_of[1].count(h)) << h;
  EXPECT_TRUE(asked_of[0].empty());
}

TEST_F(BlockSyncTest, UnsolicitedResponsesAreIgnored) {
  setup(2);
  collect();
  const size_t owner = pending.at(1);
  const size_t other = 1 - owner;
  // The other peer answers heights it was not asked, and heights beyond the window; a peer that
  // was never asked anything answers everything.
  auto& stranger = net.add(testkit::test_key("stranger").address);
  net.connect(node_id(0), stranger.id());
  for (uint64_t h : asked_of[owner]) ASSERT_TRUE(peers[other]->send(node_id(0), response(h)));
  for (uint64_t h = kWindow + 1; h <= kTop; ++h)
    ASSERT_TRUE(peers[other]->send(node_id(0), response(h)));
  for (uint64_t h = 1; h <= kTop; ++h) ASSERT_TRUE(stranger.send(node_id(0), response(h)));
  settle();
  EXPECT_EQ(node().height(), 0u);
  // The owner's answer applies only height 1: nothing unsolicited was kept.
  ASSERT_TRUE(peers[owner]->send(node_id(0), response(1)));
  pending.erase(1);
  settle();
  EXPECT_EQ(node().height(), 1u);
  ASSERT_TRUE(sync_to_top({0, 1}));
}

TEST_F(ReactorTest, EvidenceFromDoubleVotesIsCommittedOnEveryNode) {
  make_genesis(4);
  // Three of the four validators run (30 of 40 power); the fourth's key double-signs.
  run_validators(3, fast(true));
  auto& peer = net.add(testkit::test_key("peer").address);
  net.connect(node_id(0), peer.id());
  net.connect(node_id(1), peer.id());
  ASSERT_TRUE(run_until([&] { return all_at(2); }));
  const crypto::KeyPair& byzantine = g.validators[3];

  // 1. Two conflicting prevotes for the next height, sent to node 0: its state machine finds the
  // conflict (at once, or when it starts the height and replays them) and reports it.
  const uint64_t h = nodes[0]->height() + 1;
  for (const char* block : {"x", "y"}) {
    const v1::Vote vote =
        testkit::signed_vote(byzantine, v1::PREVOTE, h, 0, testkit::block_id_of(block), clock.now,
                             testkit::kMultiChainId);
    ASSERT_TRUE(peer.send(node_id(0), consensus_message(&vote, nullptr)));
  }
  // 2. Evidence received as such (from a peer) and verified, sent to node 1; a forged piece
  // (bad signature) beside it is dropped.
  {
    v1::Evidence forged = testkit::double_vote(byzantine, 1, 4);
    forged.mutable_duplicate_vote()->mutable_vote_a()->mutable_signature()->at(0) ^= 1;
    for (const auto& e : {testkit::double_vote(byzantine, 1, 7), forged}) {
      ASSERT_TRUE(peer.send(node_id(1), consensus_message(nullptr, &e)));
    }
  }
  settle();
  EXPECT_FALSE(nodes[1]->reactor->evidence().empty());

  auto committed_everywhere = [&] {
    for (const auto& n : nodes) {
      const auto& state = n->chain.chain->state();
      if (!chain::committed_evidence(state, h, byzantine.address) ||
          !chain::committed_evidence(state, 1, byzantine.address)) {
        return false;
      }
    }
    return true;
  };
  ASSERT_TRUE(run_until(committed_everywhere));
  for (const auto& n : nodes) {
    bool truncated = false;
    auto records = chain::list_committed_evidence(n->chain.chain->state(), 0, 10, &truncated);
    ASSERT_EQ(records.size(), 2u);
    for (const auto& r : records) {
      EXPECT_EQ(r.validator(), byzantine.address.to_string());
      EXPECT_GT(r.included_height(), r.height());
      EXPECT_EQ(r.power(), 10u);
      auto block = n->chain.chain->block_at(r.included_height());
      ASSERT_TRUE(block.has_value());
      bool carried = false;
      for (const auto& e : block->evidence())
        carried |= to_bytes(chain::evidence_id(e)) == r.evidence_id();
      EXPECT_TRUE(carried);
    }
    // Nothing is pending once committed; the round-7 piece at height 1 is the one recorded.
    EXPECT_TRUE(n->reactor->evidence().empty());
    EXPECT_EQ(chain::committed_evidence(n->chain.chain->state(), 1, byzantine.address)
                  ->evidence()
                  .duplicate_vote()
                  .vote_a()
                  .round(),
              7u);
  }
  // The chain goes on, and the same evidence offered again is not taken.
  const uint64_t now = nodes[0]->height();
  const v1::Evidence again = testkit::double_vote(byzantine, 1, 7);
  ASSERT_TRUE(peer.send(node_id(0), consensus_message(nullptr, &again)));
  settle();
  EXPECT_TRUE(nodes[0]->reactor->evidence().empty());
  ASSERT_TRUE(run_until([&] { return all_at(now + 2); }));
  for (const auto& n : nodes) EXPECT_TRUE(n->fatal.empty());
}

TEST_F(ReactorTest, EvidenceWakesAChainThatWaitsForTxs) {
  make_genesis(4);
  run_validators(4, fast(false));
  auto& peer = net.add(testkit::test_key("peer").address);
  net.connect(node_id(3), peer.id());
  broadcast(*nodes[0], transfer(0));
  ASSERT_TRUE(run_until([&] { return all_at(1); }, 10'000));
  run_for(5'000);
  ASSERT_EQ(nodes[0]->height(), 1u);
  // Evidence of height 1 arrives at one node: it is reason enough for a block.
  const v1::Evidence e = testkit::double_vote(g.validators[1], 1, 2, v1::PRECOMMIT);
  ASSERT_TRUE(peer.send(node_id(3), consensus_message(nullptr, &e)));
  ASSERT_TRUE(run_until([&] { return all_at(2); }, 10'000));
  for (const auto& n : nodes) {
    EXPECT_TRUE(
        chain::committed_evidence(n->chain.chain->state(), 1, g.validators[1].address).has_value());
  }
  run_for(5'000);
  for (const auto& n : nodes) EXPECT_EQ(n->height(), 2u);
}

// --- block parts ---------------------------------------------------------------------------

// Genesis params that allow txs of up to 1 MiB with 4096 outputs: a block of a few big txs is
// larger than a p2p frame.
nlohmann::json big_tx_params() {
  return {{"max_tx_bytes", "1048576"}, {"max_outputs", "4096"}};
}

// One MultiTransfer of 4000 outputs of 1 unit to bob (about 240 KB).
v1::Tx big_tx(uint64_t nonce) {
  const auto alice = testkit::test_key("alice");
  v1::TxBody body =
      testkit::transfer_body(alice, {.chain_id = testkit::kMultiChainId,
                                     .to = testkit::test_key("bob").address.to_string(),
                                     .nonce = nonce});
  body.clear_messages();
  auto* mt = body.add_messages()->mutable_multi_transfer();
  for (int i = 0; i < 4000; ++i) {
    auto* o = mt->add_outputs();
    o->set_to(testkit::test_key("bob").address.to_string());
    o->set_asset("BTT");
    o->set_amount(1);
  }
  static constexpr std::array<uint8_t, 32> kZeroAux{};
  return chain::sign_tx(body, alice.secret_key, kZeroAux.data());
}

TEST_F(ReactorTest, BlockLargerThanAFrameCommitsInPartsAndSyncsInChunks) {
  make_genesis(4, big_tx_params());
  run_validators(4, fast(false));
  run_for(2'000);
  std::vector<v1::Tx> txs;
  for (uint64_t nonce = 0; nonce < 22; ++nonce) txs.push_back(big_tx(nonce));
  for (auto& n : nodes) {
    for (const auto& tx : txs) {
      auto admitted = mempool::admit(tx, *n->chain.chain, n->pool);
      ASSERT_TRUE(admitted.is_ok()) << admitted.status().to_string();
    }
  }
  ASSERT_TRUE(run_until([&] { return all_at(1); }, 20'000));
  auto block = nodes[0]->chain.chain->block_at(1);
  ASSERT_TRUE(block.has_value());
  EXPECT_EQ(block->txs_size(), 22);
  EXPECT_GT(block->ByteSizeLong(), p2p::kMaxFramePayload);
  for (auto& n : nodes) {
    EXPECT_EQ(n->chain.chain->tip().block_hash(), nodes[0]->chain.chain->tip().block_hash());
    EXPECT_EQ(n->chain.chain->tip().state_hash(), nodes[0]->chain.chain->tip().state_hash());
    EXPECT_EQ(bob_balance(*n), 22u * 4000u);
  }
  EXPECT_EQ(net.oversized, 0u);

  // A follower that connects afterwards syncs height 1 in chunks, to the same state.
  auto& late = add_node(-1, fast(false));
  for (size_t i = 0; i < 4; ++i) net.connect(node_id(4), node_id(i));
  late.reactor->start();
  ASSERT_TRUE(run_until([&] { return late.height() >= 1; }, 20'000));
  EXPECT_EQ(late.chain.chain->tip().state_hash(), nodes[0]->chain.chain->tip().state_hash());
  EXPECT_GE(net.chunked_responses, 5u);
  EXPECT_EQ(net.oversized, 0u);
}

TEST_F(ReactorTest, TamperedPartsAreRefusedAndTheGoodOnesAssemble) {
  make_genesis(4);
  run_validators(4, fast(false));
  run_for(2'000);
  // Node 3 gets every block part with a flipped byte, and no block sync answers.
  size_t tampered = 0;
  net.tamper = [&](const p2p::NodeId&, const p2p::NodeId& to, v1::P2pMessage& msg) {
    if (to != node_id(3)) return true;
    if (msg.has_block_response()) return false;
    if (!msg.has_consensus()) return true;
    v1::ConsensusEnvelope env;
    if (!env.ParseFromString(msg.consensus().payload()) || !env.has_block_part()) return true;
    env.mutable_block_part()->mutable_data()->back() ^= 1;
    msg.mutable_consensus()->set_payload(env.SerializeAsString());
    ++tampered;
    return true;
  };
  broadcast(*nodes[0], transfer(0, 9));
  ASSERT_TRUE(run_until(
      [&] { return nodes[0]->height() >= 1 && nodes[1]->height() >= 1 && nodes[2]->height() >= 1; },
      10'000));
  run_for(1'000);
  EXPECT_GT(tampered, 0u);
  // Node 3 never had a proposal for height 1: it did not prevote for a block.
  EXPECT_EQ(nodes[3]->height(), 0u);
  EXPECT_EQ(bob_balance(*nodes[3]), 0u);
  // Untampered, it catches up to the same state.
  net.tamper = nullptr;
  ASSERT_TRUE(run_until([&] { return nodes[3]->height() >= 1; }, 10'000));
  EXPECT_EQ(nodes[3]->chain.chain->tip().state_hash(), nodes[0]->chain.chain->tip().state_hash());
}

TEST_F(ReactorTest, ProposalWithItsBlockInlineIsDropped) {
  make_genesis(4);
  run_validators(4, fast(false));
  run_for(2'000);
  // Every proposal header reaching node 3 gets its block put back inline (the old wire form):
  // node 3 drops them; the others commit without it.
  net.tamper = [&](const p2p::NodeId&, const p2p::NodeId& to, v1::P2pMessage& msg) {
    if (to != node_id(3)) return true;
    if (msg.has_block_response()) return false;
    if (!msg.has_consensus()) return true;
    v1::ConsensusEnvelope env;
    if (!env.ParseFromString(msg.consensus().payload())) return true;
    if (env.has_block_part()) return false;
    if (env.has_proposal()) env.mutable_proposal()->set_block("inline block bytes");
    msg.mutable_consensus()->set_payload(env.SerializeAsString());
    return true;
  };
  broadcast(*nodes[0], transfer(0, 9));
  ASSERT_TRUE(run_until([&] { return nodes[0]->height() >= 1; }, 10'000));
  run_for(1'000);
  EXPECT_EQ(nodes[3]->height(), 0u);
}

TEST_F(BlockSyncTest, OutOfOrderOrOversizedChunksAreRefused) {
  setup(4);
  collect();
  const Bytes whole = response(1).block_response().block();
  ASSERT_LT(whole.size(), 1u << 20);
  auto chunk = [&](uint32_t part, uint32_t total, Bytes data) {
    v1::P2pMessage msg;
    msg.mutable_block_response()->set_height(1);
    msg.mutable_block_response()->set_part(part);
    msg.mutable_block_response()->set_total(total);
    msg.mutable_block_response()->set_block(std::move(data));
    return msg;
  };
  // Each owner of height 1 in turn answers badly: out of order, too many chunks (8 MiB blocks
  // allow at most 10), a first chunk shorter than 1 MiB. Nothing applies, and each is not asked
  // again while others remain.
  std::set<size_t> bad;
  for (const auto& msg : {chunk(1, 2, whole), chunk(0, 11, whole), chunk(0, 2, whole)}) {
    const size_t owner = pending.at(1);
    EXPECT_FALSE(bad.count(owner)) << "a peer that answered badly was asked again";
    bad.insert(owner);
    ASSERT_TRUE(peers[owner]->send(node_id(0), msg));
    settle();
    EXPECT_EQ(node().height(), 0u);
    collect();
  }
  const size_t good = pending.at(1);
  EXPECT_FALSE(bad.count(good));
  ASSERT_TRUE(sync_to_top({0, 1, 2, 3}));
  EXPECT_EQ(node().chain.chain->tip().state_hash(), source->chain->tip().state_hash());
}

}  // namespace
}  // namespace btt::node

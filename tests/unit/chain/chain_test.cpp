// Block production, verification and commit over a real RocksDB.
#include <gtest/gtest.h>

#include <map>

#include "btt/chain/chain.h"
#include "btt/crypto/hash.h"
#include "btt/ledger/proto_json.h"
#include "btt/modules/governance/governance.h"
#include "btt/modules/governance/view.h"
#include "btt/modules/tokenomics/schedule.h"
#include "modules/governance/module.h"
#include "testkit/genesis_json.h"
#include "testkit/temp_dir.h"
#include "testkit/test_env.h"
#include "testkit/txs.h"

namespace btt::chain {
namespace {

using json = nlohmann::json;
constexpr uint64_t kBtt = 100'000'000;

struct Node {
  testkit::TempDir dir{"btt-chain"};
  std::unique_ptr<storage::Database> db;
  std::unique_ptr<Chain> chain;
};

class ChainTest : public ::testing::Test {
 protected:
  std::unique_ptr<ModuleRegistry> registry = make_default_registry();
  crypto::KeyPair val = testkit::test_key("validator");
  crypto::KeyPair alice = testkit::test_key("alice");
  crypto::KeyPair bob = testkit::test_key("bob");
  Genesis genesis;

  void SetUp() override {
    auto g = Genesis::parse(testkit::one_validator_genesis(val, alice.address, 1000 * kBtt).dump(),
                            *registry);
    ASSERT_TRUE(g.is_ok()) << g.status().to_string();
    genesis = *g;
  }

  void open(Node& n) {
    auto db = storage::Database::open(n.dir.path() / "db", {});
    ASSERT_TRUE(db.is_ok()) << db.status().to_string();
    n.db = std::move(*db);
    auto c = Chain::open(*n.db, *registry, genesis);
    ASSERT_TRUE(c.is_ok()) << c.status().to_string();
    n.chain = std::move(*c);
  }

  TxPtr transfer(const crypto::KeyPair& from, const crypto::KeyPair& to, uint64_t amount,
                 uint64_t nonce, uint64_t fee = 1000, std::string chain_id = "btt-test-1") {
    auto tx = decode_tx(testkit::signed_transfer(from, {.chain_id = chain_id,
                                                        .to = to.address.to_string(),
                                                        .amount = amount,
                                                        .nonce = nonce,
                                                        .fee = fee}),
                        1 << 20);
    EXPECT_TRUE(tx.is_ok());
    return *tx;
  }

  static void expect_supply(const Chain& c) {
    ledger::Ledger l(c.state());
    EXPECT_EQ(l.sum_balances("BTT").value(), l.supply("BTT"));
    EXPECT_EQ(l.supply("BTT"), modules::tokenomics::kFixedSupply);
    // Every module's invariants hold on committed state (tokenomics: balances + burned = fixed).
    const auto registry = make_default_registry();
    for (const auto& m : registry->modules()) {
      EXPECT_TRUE(m->check_invariants(c.state()).empty()) << m->name();
    }
  }
};

TEST_F(ChainTest, GenesisThenBlocksCommitAndIndex) {
  Node n;
  open(n);
  EXPECT_EQ(n.chain->tip().height(), 0u);
  expect_supply(*n.chain);

  auto t0 = transfer(alice, bob, 5 * kBtt, 0);
  auto t1 = transfer(alice, bob, 7 * kBtt, 1);
  auto b1 = n.chain->propose({t0, t1}, genesis.genesis_time_ms + 1000, val);
  ASSERT_TRUE(b1.is_ok()) << b1.status().to_string();
  EXPECT_EQ(b1->header.height(), 1u);
  EXPECT_EQ(b1->header.tx_count(), 2u);
  EXPECT_EQ(b1->header.prev_hash(), to_bytes(Hash32{}));
  EXPECT_EQ(n.chain->tip().height(), 1u);
  EXPECT_EQ(n.chain->tip().block_hash(), to_bytes(b1->hash));
  expect_supply(*n.chain);

  ledger::Ledger l(n.chain->state());
  EXPECT_EQ(l.balance(bob.address, "BTT"), 12 * kBtt);
  EXPECT_EQ(l.balance(alice.address, "BTT"), 1000 * kBtt - 12 * kBtt - 2000);
  EXPECT_EQ(l.next_nonce(alice.address), 2u);

  auto loc = n.chain->find_tx(t1->id);
  ASSERT_TRUE(loc.has_value());
  EXPECT_EQ(loc->height, 1u);
  EXPECT_EQ(loc->index, 1u);
  auto result = n.chain->result_at(1);
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->txs(1).code(), 0u);
  EXPECT_EQ(result->txs(1).fee_paid(), 1000u);
  EXPECT_EQ(n.chain->height_of(b1->hash).value(), 1u);
  EXPECT_EQ(n.chain->account_txs(bob.address, 0, 10).size(), 2u);  // bob appears in events
  EXPECT_EQ(n.chain->account_txs(alice.address, 0, 1).size(), 1u);

  // An empty block follows.
  auto b2 = n.chain->propose({}, genesis.genesis_time_ms + 2000, val);
  ASSERT_TRUE(b2.is_ok());
  EXPECT_EQ(b2->header.prev_hash(), to_bytes(b1->hash));
  EXPECT_NE(b2->header.state_hash(), b1->header.state_hash());
}

TEST_F(ChainTest, ProposerDropsWhatCannotBeIncluded) {
  Node n;
  open(n);
  auto good = transfer(alice, bob, kBtt, 0);
  auto replay = good;                        // same nonce again
  auto gap = transfer(alice, bob, kBtt, 5);  // nonce gap
  auto broke = transfer(bob, alice, 1, 0);   // bob cannot pay the fee
  auto wrong_chain = transfer(alice, bob, 1, 1, 1000, "other");
  auto bad_sig = std::make_shared<DecodedTx>(*transfer(alice, bob, 1, 1));
  bad_sig->signature[10] ^= 0x40;
  auto failing = transfer(alice, bob, 5000 * kBtt, 1);  // included, fails with fee
  // broke comes first: after `good`, bob could pay.
  auto b = n.chain->propose({broke, good, replay, gap, wrong_chain, bad_sig, failing},
                            genesis.genesis_time_ms + 1000, val);
  ASSERT_TRUE(b.is_ok());
  ASSERT_EQ(b->txs.size(), 2u) << b->result.DebugString();
  EXPECT_EQ(b->result.txs(1).code(), static_cast<uint32_t>(Code::kInsufficientFunds));
  EXPECT_EQ(b->result.txs(1).fee_paid(), 1000u);
  expect_supply(*n.chain);
}

TEST_F(ChainTest, FollowerVerifiesAndReachesSameStateHash) {
  Node leader, follower;
  open(leader);
  open(follower);
  EXPECT_EQ(leader.chain->tip().state_hash(), follower.chain->tip().state_hash());
  for (uint64_t h = 1; h <= 3; ++h) {
    auto b = leader.chain->propose({transfer(alice, bob, h * kBtt, h - 1)},
                                   genesis.genesis_time_ms + h * 1000, val);
    ASSERT_TRUE(b.is_ok());
    auto applied = follower.chain->apply(b->block);
    ASSERT_TRUE(applied.is_ok()) << applied.status().to_string();
    EXPECT_EQ(applied->hash, b->hash);
  }
  EXPECT_EQ(leader.chain->tip().state_hash(), follower.chain->tip().state_hash());
  EXPECT_EQ(leader.chain->tip().block_hash(), follower.chain->tip().block_hash());
  expect_supply(*follower.chain);
}

// Txs the follower already holds decoded (its mempool's copies) are taken as they are when the
// block carries exactly their bytes; anything else is decoded. Either way the block verifies to
// the same hash and state, and a known tx with other bytes than the block's is not used.
TEST_F(ChainTest, FollowerReusesKnownTxsOnlyWhenTheBytesMatch) {
  Node leader, follower;
  open(leader);
  open(follower);
  std::map<Hash32, TxPtr> pool;
  size_t asked = 0;
  Chain::KnownTx known = [&](const Hash32& id) -> TxPtr {
    ++asked;
    auto it = pool.find(id);
    return it == pool.end() ? nullptr : it->second;
  };
  // Height 1: the follower knows the tx. Height 2: it does not. Height 3: it knows a tx with the
  // same id but other bytes (an unknown field appended), which must not be taken for the block's.
  for (uint64_t h = 1; h <= 3; ++h) {
    TxPtr tx = transfer(alice, bob, h * kBtt, h - 1);
    if (h == 1) pool[tx->id] = tx;
    if (h == 3) {
      const std::string other = tx->raw + std::string("\x78\x01");  // field 15, varint 1
      auto decoded = decode_tx(std::string_view(other), 1 << 20);
      ASSERT_TRUE(decoded.is_ok());
      ASSERT_EQ((*decoded)->id, tx->id);
      ASSERT_NE((*decoded)->raw, tx->raw);
      pool[tx->id] = *decoded;
    }
    auto b = leader.chain->propose({tx}, genesis.genesis_time_ms + h * 1000, val);
    ASSERT_TRUE(b.is_ok());
    auto prepared = follower.chain->prepare(b->block, known);
    ASSERT_TRUE(prepared.is_ok()) << prepared.status().to_string();
    if (h == 1) {
      EXPECT_EQ(prepared->block.txs.at(0), pool[tx->id]);  // the very same object
    }
    if (h == 3) {
      EXPECT_NE(prepared->block.txs.at(0), pool[tx->id]);
    }
    EXPECT_EQ(prepared->block.txs.at(0)->raw, tx->raw);
    auto committed = follower.chain->commit(std::move(*prepared));
    ASSERT_TRUE(committed.is_ok()) << committed.status().to_string();
    EXPECT_EQ(committed->hash, b->hash);
  }
  EXPECT_EQ(asked, 3u);
  EXPECT_EQ(leader.chain->tip().state_hash(), follower.chain->tip().state_hash());
}

TEST_F(ChainTest, FollowerRefusesTamperedBlocksAndWritesNothing) {
  Node leader, follower;
  open(leader);
  open(follower);
  auto b =
      leader.chain->propose({transfer(alice, bob, kBtt, 0)}, genesis.genesis_time_ms + 1000, val);
  ASSERT_TRUE(b.is_ok());
  auto before = follower.chain->tip().SerializeAsString();

  auto with_header = [&](auto mutate) {
    v1::Block copy = b->block;
    v1::BlockHeader h = b->header;
    mutate(h);
    copy.set_header(h.SerializeAsString());
    auto sig = crypto::schnorr_sign(val.secret_key, block_hash(copy.header()));
    copy.set_signature(std::string(as_view(*sig)));
    return copy;
  };
  std::vector<v1::Block> bad;
  {
    v1::Block copy = b->block;
    copy.mutable_signature()->at(0) ^= 1;
    bad.push_back(copy);
  }
  bad.push_back(with_header([](v1::BlockHeader& h) { h.set_state_hash(std::string(32, 'x')); }));
  bad.push_back(with_header([](v1::BlockHeader& h) { h.set_height(2); }));
  bad.push_back(with_header([](v1::BlockHeader& h) { h.set_prev_hash(std::string(32, 'y')); }));
  bad.push_back(with_header([](v1::BlockHeader& h) { h.set_tx_root(std::string(32, 'z')); }));
  bad.push_back(with_header([](v1::BlockHeader& h) { h.set_time_ms(0); }));
  bad.push_back(with_header([](v1::BlockHeader& h) { h.set_chain_id("other"); }));
  {
    // A tx the block cannot include (replayed nonce) makes the whole block invalid.
    v1::Block copy = with_header([](v1::BlockHeader&) {});
    *copy.add_txs() = copy.txs(0);
    bad.push_back(copy);
  }
  {
    // Signed by someone who is not a validator.
    v1::Block copy = b->block;
    v1::BlockHeader h = b->header;
    h.set_proposer(alice.address.to_string());
    copy.set_header(h.SerializeAsString());
    auto sig = crypto::schnorr_sign(alice.secret_key, block_hash(copy.header()));
    copy.set_signature(std::string(as_view(*sig)));
    bad.push_back(copy);
  }
  {
    v1::Block copy;
    copy.set_header("garbage");
    bad.push_back(copy);
  }
  for (size_t i = 0; i < bad.size(); ++i) {
    auto r = follower.chain->apply(bad[i]);
    EXPECT_FALSE(r.is_ok()) << "tampered block " << i << " was accepted";
    EXPECT_EQ(follower.chain->tip().SerializeAsString(), before);
  }
  ledger::Ledger l(follower.chain->state());
  EXPECT_EQ(l.balance(bob.address, "BTT"), 0u);
  EXPECT_TRUE(follower.chain->apply(b->block).is_ok());
}

TEST_F(ChainTest, BlocksCarryTheLastCommitAndFollowersVerifyIt) {
  Node leader, follower;
  open(leader);
  open(follower);
  auto b1 = leader.chain->propose({}, genesis.genesis_time_ms + 1000, val);
  ASSERT_TRUE(b1.is_ok());
  EXPECT_FALSE(b1->block.has_last_commit());
  auto c1 = leader.chain->commit_at(1);
  ASSERT_TRUE(c1.has_value());
  EXPECT_EQ(c1->block_id(), to_bytes(b1->hash));
  auto b2 = leader.chain->propose({}, genesis.genesis_time_ms + 2000, val);
  ASSERT_TRUE(b2.is_ok());
  ASSERT_TRUE(b2->block.has_last_commit());
  EXPECT_EQ(b2->block.last_commit().SerializeAsString(), c1->SerializeAsString());

  ASSERT_TRUE(follower.chain->apply(b1->block, &*c1).is_ok());
  EXPECT_TRUE(follower.chain->commit_at(1).has_value());
  const auto before = follower.chain->tip().SerializeAsString();
  {
    v1::Block missing = b2->block;
    missing.clear_last_commit();
    auto r = follower.chain->apply(missing);
    ASSERT_FALSE(r.is_ok());
    EXPECT_NE(r.status().message().find("last_commit"), std::string::npos);
  }
  {
    v1::Block bad = b2->block;
    bad.mutable_last_commit()->mutable_signatures(0)->mutable_signature()->at(3) ^= 1;
    EXPECT_FALSE(follower.chain->apply(bad).is_ok());
  }
  {
    v1::Block wrong_height = b2->block;
    wrong_height.mutable_last_commit()->set_height(2);
    EXPECT_FALSE(follower.chain->apply(wrong_height).is_ok());
  }
  EXPECT_EQ(follower.chain->tip().SerializeAsString(), before);
  EXPECT_TRUE(follower.chain->apply(b2->block).is_ok());

  // build + prepare + commit: nothing is written before commit, and a stale prepared block is
  // refused once the tip moved.
  auto built =
      leader.chain->build({}, genesis.genesis_time_ms + 3000, val, *leader.chain->commit_at(2));
  ASSERT_TRUE(built.is_ok());
  EXPECT_EQ(leader.chain->tip().height(), 2u);
  auto prepared = follower.chain->prepare(built->block.block);
  ASSERT_TRUE(prepared.is_ok()) << prepared.status().to_string();
  EXPECT_EQ(follower.chain->tip().height(), 2u);
  auto prepared_again = follower.chain->prepare(built->block.block);
  ASSERT_TRUE(prepared_again.is_ok());
  ASSERT_TRUE(follower.chain->commit(std::move(*prepared)).is_ok());
  EXPECT_EQ(follower.chain->tip().height(), 3u);
  EXPECT_FALSE(follower.chain->commit(std::move(*prepared_again)).is_ok());
  ASSERT_TRUE(leader.chain->commit(std::move(*built)).is_ok());
  EXPECT_EQ(leader.chain->tip().block_hash(), follower.chain->tip().block_hash());
}

TEST_F(ChainTest, ReopenResumesAtTipAndRefusesOtherGenesis) {
  testkit::TempDir dir("btt-reopen");
  std::string tip_before;
  {
    auto db = storage::Database::open(dir.path(), {});
    ASSERT_TRUE(db.is_ok());
    auto c = Chain::open(**db, *registry, genesis);
    ASSERT_TRUE(c.is_ok());
    ASSERT_TRUE(
        (*c)->propose({transfer(alice, bob, kBtt, 0)}, genesis.genesis_time_ms + 1, val).is_ok());
    tip_before = (*c)->tip().SerializeAsString();
  }
  {
    auto db = storage::Database::open(dir.path(), {});
    ASSERT_TRUE(db.is_ok());
    auto c = Chain::open(**db, *registry, genesis);
    ASSERT_TRUE(c.is_ok());
    EXPECT_EQ((*c)->tip().SerializeAsString(), tip_before);
    EXPECT_EQ(ledger::Ledger((*c)->state()).balance(bob.address, "BTT"), kBtt);

    Genesis other = genesis;
    other.file_hash[0] ^= 1;
    auto refused = Chain::open(**db, *registry, other);
    ASSERT_FALSE(refused.is_ok());
    EXPECT_NE(refused.status().message().find("another genesis"), std::string::npos);
  }
}

TEST_F(ChainTest, SimulateWritesNothing) {
  Node n;
  open(n);
  auto tx = transfer(alice, bob, kBtt, 0);
  auto out = n.chain->simulate(*tx, true);
  EXPECT_TRUE(out.status.is_ok()) << out.status.to_string();
  EXPECT_EQ(out.fee_paid, 1000u);
  EXPECT_EQ(ledger::Ledger(n.chain->state()).balance(bob.address, "BTT"), 0u);
  auto too_much = n.chain->simulate(*transfer(alice, bob, 2000 * kBtt, 0), true);
  EXPECT_EQ(too_much.status.code(), Code::kInsufficientFunds);
}

TEST_F(ChainTest, TimeAlwaysIncreases) {
  Node n;
  open(n);
  auto b1 = n.chain->propose({}, genesis.genesis_time_ms - 5000, val);  // clock behind genesis
  ASSERT_TRUE(b1.is_ok());
  EXPECT_EQ(b1->header.time_ms(), genesis.genesis_time_ms + 1);
  auto b2 = n.chain->propose({}, b1->header.time_ms(), val);
  EXPECT_EQ(b2->header.time_ms(), b1->header.time_ms() + 1);
}

// A governance upgrade plan for height 3 (doc/governance.md "Software upgrades"): a chain whose
// binary does not handle it builds and accepts blocks 1 and 2, then refuses block 3 either way;
// one that handles it, or skips it by the operator's flag, applies block 3, whose begin-block
// removes the plan and records it, to the same state.
class ChainUpgradeTest : public ChainTest {
 protected:
  void SetUp() override {
    json g = testkit::one_validator_genesis(val, alice.address, 1000 * kBtt);
    v1::GovernanceGenesisState st;
    *st.mutable_params() = modules::governance::default_params();
    st.mutable_upgrade()->mutable_plan()->set_name("btt-next");
    st.mutable_upgrade()->mutable_plan()->set_height(3);
    st.mutable_upgrade()->set_proposal_id(7);
    auto state = ledger::proto_to_json(st);
    ASSERT_TRUE(state.is_ok());
    g["modules"]["governance"] = {{"state", *state}};
    auto parsed = Genesis::parse(g.dump(), *registry);
    ASSERT_TRUE(parsed.is_ok()) << parsed.status().to_string();
    genesis = *parsed;
  }
  uint64_t time(uint64_t h) const { return genesis.genesis_time_ms + h * 1000; }
};

TEST_F(ChainUpgradeTest, TheHeightOfAPlanIsRefusedUnlessTheBinaryHandlesOrSkipsIt) {
  Node old_binary, new_binary, skipping;
  open(old_binary);
  open(new_binary);
  open(skipping);
  new_binary.chain->set_upgrades({"btt-next"}, {});
  skipping.chain->set_upgrades({}, {"btt-next"});
  for (uint64_t h = 1; h <= 2; ++h) {
    EXPECT_FALSE(old_binary.chain->upgrade_needed()) << h;
    auto b = old_binary.chain->propose({}, time(h), val);
    ASSERT_TRUE(b.is_ok()) << b.status().to_string();
    const auto commit = old_binary.chain->commit_at(h);  // the next proposer's last_commit
    ASSERT_TRUE(commit);
    ASSERT_TRUE(new_binary.chain->apply(b->block, &*commit).is_ok());
    ASSERT_TRUE(skipping.chain->apply(b->block, &*commit).is_ok());
  }
  auto due = old_binary.chain->upgrade_needed();
  ASSERT_TRUE(due);
  EXPECT_EQ(due->name(), "btt-next");
  EXPECT_EQ(due->height(), 3u);
  EXPECT_FALSE(new_binary.chain->upgrade_needed());
  EXPECT_FALSE(skipping.chain->upgrade_needed());

  // The old binary neither builds block 3 nor accepts one built elsewhere.
  auto refused = old_binary.chain->propose({}, time(3), val);
  ASSERT_FALSE(refused.is_ok());
  EXPECT_NE(refused.status().message().find("upgrade 'btt-next' is due at height 3"),
            std::string::npos)
      << refused.status().message();
  auto b3 = new_binary.chain->propose({transfer(alice, bob, kBtt, 0)}, time(3), val);
  ASSERT_TRUE(b3.is_ok()) << b3.status().to_string();
  EXPECT_FALSE(old_binary.chain->prepare(b3->block).is_ok());
  EXPECT_EQ(old_binary.chain->tip().height(), 2u);

  // The skipping binary applies it to the same state: the plan is gone, recorded as applied.
  const auto commit3 = new_binary.chain->commit_at(3);
  ASSERT_TRUE(commit3);
  auto applied = skipping.chain->apply(b3->block, &*commit3);
  ASSERT_TRUE(applied.is_ok()) << applied.status().to_string();
  EXPECT_EQ(skipping.chain->tip().state_hash(), new_binary.chain->tip().state_hash());
  for (Node* n : {&new_binary, &skipping}) {
    EXPECT_FALSE(modules::governance::upgrade_plan(n->chain->state()));
    auto done = modules::governance::GovernanceView(n->chain->state()).applied_upgrades();
    ASSERT_EQ(done.size(), 1u);
    EXPECT_EQ(done[0].name(), "btt-next");
    EXPECT_EQ(done[0].height(), 3u);
    EXPECT_EQ(done[0].proposal_id(), 7u);
    EXPECT_FALSE(n->chain->upgrade_needed());
    expect_supply(*n->chain);
  }
  // Past the plan's height nothing stops the old binary's chain any more than the others.
  auto b4 = new_binary.chain->propose({}, time(4), val);
  ASSERT_TRUE(b4.is_ok());
  EXPECT_TRUE(skipping.chain->apply(b4->block).is_ok());
}

}  // namespace
}  // namespace btt::chain

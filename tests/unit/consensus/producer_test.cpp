// Single-validator block production over a real chain and mempool, with a manual clock.
#include <gtest/gtest.h>

#include "btt/consensus/producer.h"
#include "btt/mempool/admission.h"
#include "btt/node/mempool_tx_source.h"
#include "testkit/genesis_json.h"
#include "testkit/temp_dir.h"
#include "testkit/test_env.h"
#include "testkit/txs.h"

namespace btt::consensus {
namespace {

constexpr uint64_t kBtt = 100'000'000;

class ManualClock final : public Clock {
 public:
  uint64_t now_ms() const override { return now; }
  uint64_t now = 0;
};

class ProducerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    nlohmann::json j = {
        {"chain_id", "btt-producer-1"},
        {"genesis_time", "2026-01-01T00:00:00Z"},
        {"validators", {{{"public_key", to_hex(val.public_key)}, {"power", "1"}}}},
        {"accounts",
         {{{"address", alice.address.to_string()},
           {"balances", {{{"asset", "BTT"}, {"amount", std::to_string(10 * kBtt)}}}}}}}};
    auto g = chain::Genesis::parse(testkit::add_tokenomics(j).dump(), *registry);
    ASSERT_TRUE(g.is_ok());
    genesis = *g;
    auto d = storage::Database::open(dir.path(), {});
    ASSERT_TRUE(d.is_ok());
    db = std::move(*d);
    auto c = chain::Chain::open(*db, *registry, genesis);
    ASSERT_TRUE(c.is_ok());
    chain = std::move(*c);
    clock.now = genesis.genesis_time_ms + 1000;
  }

  v1::Tx transfer(uint64_t amount, uint64_t nonce, uint64_t fee = 1000) {
    return testkit::signed_transfer(alice, {.chain_id = "btt-producer-1",
                                            .to = bob.address.to_string(),
                                            .amount = amount,
                                            .nonce = nonce,
                                            .fee = fee});
  }

  testkit::TempDir dir{"btt-producer"};
  std::unique_ptr<chain::ModuleRegistry> registry = chain::make_default_registry();
  crypto::KeyPair val = testkit::test_key("validator");
  crypto::KeyPair alice = testkit::test_key("alice");
  crypto::KeyPair bob = testkit::test_key("bob");
  chain::Genesis genesis;
  std::unique_ptr<storage::Database> db;
  std::unique_ptr<chain::Chain> chain;
  mempool::Mempool pool{mempool::Limits{}};
  // The pool as the producer's tx source, as the node wires it.
  node::MempoolTxSource& txs() {
    if (!txs_) txs_ = std::make_unique<node::MempoolTxSource>(*chain, pool);
    return *txs_;
  }
  std::unique_ptr<node::MempoolTxSource> txs_;
  ManualClock clock;
};

TEST_F(ProducerTest, AdmittedTxsCommitInOrderAndLeaveThePool) {
  std::vector<uint64_t> committed_heights;
  BlockProducer producer(
      *chain, txs(), val, {1000, true}, clock,
      [&](const chain::CommittedBlock& b) { committed_heights.push_back(b.header.height()); });
  // Nonce 1 arrives before nonce 0: both wait, then commit in nonce order.
  ASSERT_TRUE(mempool::admit(transfer(2 * kBtt, 1), *chain, pool).is_ok());
  ASSERT_TRUE(mempool::admit(transfer(kBtt, 0), *chain, pool).is_ok());
  auto dup = mempool::admit(transfer(kBtt, 0), *chain, pool);
  EXPECT_EQ(dup.status().code(), Code::kDuplicateTx);

  auto b = producer.produce_once();
  ASSERT_TRUE(b.is_ok());
  ASSERT_TRUE(b->has_value());
  EXPECT_EQ((*b)->header.time_ms(), clock.now);
  ASSERT_EQ((*b)->txs.size(), 2u);
  EXPECT_EQ((*b)->txs[0]->nonce(), 0u);
  EXPECT_EQ((*b)->txs[1]->nonce(), 1u);
  EXPECT_EQ(pool.stats().txs, 0u);
  EXPECT_EQ(committed_heights, std::vector<uint64_t>{1});
  ledger::Ledger l(chain->state());
  EXPECT_EQ(l.balance(bob.address, "BTT"), 3 * kBtt);
  EXPECT_EQ(l.balance(alice.address, "BTT"), 7 * kBtt - 2000);

  // A committed tx cannot be admitted again.
  EXPECT_EQ(mempool::admit(transfer(kBtt, 0), *chain, pool).status().code(), Code::kDuplicateTx);
  // A stale nonce with a new body is refused as too low.
  EXPECT_EQ(mempool::admit(transfer(5, 0), *chain, pool).status().code(), Code::kNonceTooLow);
}

TEST_F(ProducerTest, EmptyBlocksOnlyWhenEnabled) {
  BlockProducer quiet(*chain, txs(), val, {1000, false}, clock, nullptr);
  auto none = quiet.produce_once();
  ASSERT_TRUE(none.is_ok());
  EXPECT_FALSE(none->has_value());
  EXPECT_EQ(chain->tip().height(), 0u);

  BlockProducer busy(*chain, txs(), val, {1000, true}, clock, nullptr);
  auto empty = busy.produce_once();
  ASSERT_TRUE(empty.is_ok());
  ASSERT_TRUE(empty->has_value());
  EXPECT_EQ((*empty)->txs.size(), 0u);
  EXPECT_EQ(chain->tip().height(), 1u);
}

TEST_F(ProducerTest, NoEmptyBlocksButOneEveryInterval) {
  BlockProducer quiet(*chain, txs(), val, {1000, false, 60'000}, clock, nullptr);
  const uint64_t genesis_ms = chain->tip().time_ms();
  clock.now = genesis_ms + 59'999;
  auto none = quiet.produce_once();
  ASSERT_TRUE(none.is_ok());
  EXPECT_FALSE(none->has_value());
  clock.now = genesis_ms + 60'000;
  auto empty = quiet.produce_once();
  ASSERT_TRUE(empty.is_ok());
  ASSERT_TRUE(empty->has_value());
  EXPECT_EQ(chain->tip().height(), 1u);
  // The interval counts from the last block's time.
  clock.now += 30'000;
  ASSERT_FALSE(quiet.produce_once()->has_value());
  clock.now += 30'000;
  ASSERT_TRUE(quiet.produce_once()->has_value());
  EXPECT_EQ(chain->tip().height(), 2u);
}

TEST_F(ProducerTest, AdmissionRefusesMalformedTxsWithTheirCodes) {
  auto bad_sig = transfer(1, 0);
  bad_sig.mutable_signature()->at(5) ^= 1;
  EXPECT_EQ(mempool::admit(bad_sig, *chain, pool).status().code(), Code::kBadSignature);
  v1::Tx garbage;
  garbage.set_body("not a body");
  EXPECT_EQ(mempool::admit(garbage, *chain, pool).status().code(), Code::kMalformed);
  EXPECT_EQ(mempool::admit(transfer(1, 0, 999), *chain, pool).status().code(), Code::kFeeTooLow);
  EXPECT_EQ(mempool::admit(transfer(1, 1000), *chain, pool).status().code(), Code::kNonceTooHigh);
  EXPECT_EQ(pool.stats().txs, 0u);
}

}  // namespace
}  // namespace btt::consensus

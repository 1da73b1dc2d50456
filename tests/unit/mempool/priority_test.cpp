// The mempool's priority among equal fees, end to end over a real chain: admission reads each
// sender's priority through chain::ModuleRegistry::tx_priority, which on a staking chain is the
// sender's stake-lock tier (doc/staking.md "Stake locks") and without staking is 0, so the pool
// orders exactly as before.
#include <gtest/gtest.h>

#include "btt/chain/chain.h"
#include "btt/mempool/admission.h"
#include "btt/modules/staking/staking.h"
#include "testkit/genesis_json.h"
#include "testkit/temp_dir.h"
#include "testkit/test_env.h"
#include "testkit/txs.h"

namespace btt::mempool {
namespace {

constexpr uint64_t kBtt = 100'000'000;
constexpr const char* kChainId = "btt-priority-1";

class PriorityTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    const std::string op = val.address.to_string();
    nlohmann::json j = {{"chain_id", kChainId},
                        {"genesis_time", "2026-01-01T00:00:00Z"},
                        {"validators", {{{"public_key", to_hex(val.public_key)}, {"power", "1"}}}},
                        {"accounts", nlohmann::json::array()}};
    for (const auto* k : {&val, &alice, &bob, &carol}) {
      j["accounts"].push_back({{"address", k->address.to_string()},
                               {"balances", {{{"asset", "BTT"}, {"amount", "1000000000"}}}}});
    }
    testkit::add_tokenomics(j);
    if (staking()) {
      j["modules"]["staking"] = {{"validators",
                                  {{{"address", op},
                                    {"operator", op},
                                    {"self_stake", std::to_string(kBtt)},
                                    {"commission_bps", 1'000},
                                    {"max_commission_bps", 2'000},
                                    {"max_change_bps_per_day", 100},
                                    {"moniker", "v0"}}}}};
    }
    auto g = chain::Genesis::parse(j.dump(), *registry);
    ASSERT_TRUE(g.is_ok()) << g.status().to_string();
    genesis = *g;
    auto d = storage::Database::open(dir.path(), {});
    ASSERT_TRUE(d.is_ok());
    db = std::move(*d);
    auto c = chain::Chain::open(*db, *registry, genesis);
    ASSERT_TRUE(c.is_ok()) << c.status().to_string();
    chain = std::move(*c);
  }

  bool staking() const { return GetParam(); }

  v1::Tx transfer(const crypto::KeyPair& from, uint64_t nonce, uint64_t fee) {
    return testkit::signed_transfer(
        from, {.chain_id = kChainId, .to = val.address.to_string(), .nonce = nonce, .fee = fee});
  }
  // Alice locks 5 BTT for 12 months (tier 3) in block 1; refused without staking (5001).
  void commit_alices_lock() {
    v1::TxBody body;
    body.set_chain_id(kChainId);
    body.set_sender(alice.address.to_string());
    body.set_public_key(std::string(as_view(alice.public_key)));
    body.set_fee(1000);
    auto* lock = body.add_messages()->mutable_lock_stake();
    lock->set_amount(5 * kBtt);
    lock->set_term(2);
    auto tx = chain::decode_tx(chain::sign_tx(body, alice.secret_key), 1 << 20);
    ASSERT_TRUE(tx.is_ok());
    auto b = chain->propose({*tx}, genesis.genesis_time_ms + 1000, val);
    ASSERT_TRUE(b.is_ok()) << b.status().to_string();
    ASSERT_EQ(b->result.txs_size(), 1);
    EXPECT_EQ(b->result.txs(0).code(), staking() ? 0u : static_cast<uint32_t>(Code::kWrongState));
  }
  // Who sent each reaped tx, in order.
  std::vector<std::string> reaped() {
    std::vector<std::string> out;
    for (const auto& t : pool.reap(100, 1 << 20, committed_accounts(*chain, pool))) {
      out.push_back(t->sender == alice.address ? "alice"
                    : t->sender == bob.address ? "bob"
                                               : "carol");
    }
    return out;
  }

  testkit::TempDir dir{"btt-priority"};
  std::unique_ptr<chain::ModuleRegistry> registry = chain::make_default_registry();
  crypto::KeyPair val = testkit::test_key("validator");
  crypto::KeyPair alice = testkit::test_key("alice");
  crypto::KeyPair bob = testkit::test_key("bob");
  crypto::KeyPair carol = testkit::test_key("carol");
  chain::Genesis genesis;
  std::unique_ptr<storage::Database> db;
  std::unique_ptr<chain::Chain> chain;
  Mempool pool{Limits{}};
};

TEST_P(PriorityTest, EqualFeesGoByTheSendersStakeLockTier) {
  commit_alices_lock();
  const uint32_t tier = staking() ? 3 : 0;
  const uint64_t now = chain->tip().time_ms();
  EXPECT_EQ(chain->registry().tx_priority(chain->state(), alice.address, now), tier);
  EXPECT_EQ(chain->registry().tx_priority(chain->state(), bob.address, now), 0u);
  if (staking()) {
    EXPECT_EQ(modules::staking::tier_of(chain->state(), alice.address, now), 3u);
  }
  // Bob and alice pay the same fee, bob first; carol pays one unit more, last.
  ASSERT_TRUE(admit(transfer(bob, 0, 1000), *chain, pool).is_ok());
  ASSERT_TRUE(admit(transfer(alice, 1, 1000), *chain, pool).is_ok());
  ASSERT_TRUE(admit(transfer(alice, 2, 1000), *chain, pool).is_ok());
  ASSERT_TRUE(admit(transfer(carol, 0, 1001), *chain, pool).is_ok());
  if (staking()) {
    // A higher fee beats a tier; among equal fees the tier goes first, its nonces in order.
    EXPECT_EQ(reaped(), (std::vector<std::string>{"carol", "alice", "alice", "bob"}));
  } else {
    // Without staking: by fee, then arrival, as before.
    EXPECT_EQ(reaped(), (std::vector<std::string>{"carol", "bob", "alice", "alice"}));
  }
}

INSTANTIATE_TEST_SUITE_P(StakingOnAndOff, PriorityTest, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "Staking" : "NoStaking"; });

}  // namespace
}  // namespace btt::mempool

#include "btt/mempool/mempool.h"

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace btt::mempool {
namespace {

constexpr uint64_t kRich = 1'000'000'000'000;

crypto::Address addr(uint8_t i) {
  std::array<uint8_t, crypto::Address::kSize> b{};
  b[0] = i;
  return crypto::Address(b);
}

// Txs are built directly: the pool trusts its caller to have decoded and verified them.
class MempoolTest : public ::testing::Test {
 protected:
  chain::TxPtr tx(uint8_t sender, uint64_t nonce, uint64_t fee, size_t size = 100) {
    auto t = std::make_shared<chain::DecodedTx>();
    t->sender = addr(sender);
    t->body.set_nonce(nonce);
    t->body.set_fee(fee);
    t->raw = std::string(size, 'x');
    const uint64_t n = ++next_id_;
    for (size_t i = 0; i < 8; ++i) t->id[i] = static_cast<uint8_t>(n >> (8 * i));
    return t;
  }

  // Accounts the test has not set start at nonce 0 with plenty of BTT.
  AccountView view() const {
    return [this](const crypto::Address& a) {
      auto it = accounts_.find(a);
      return it == accounts_.end() ? AccountState{0, kRich} : it->second;
    };
  }
  void set_account(uint8_t sender, uint64_t next_nonce, uint64_t spendable) {
    accounts_[addr(sender)] = AccountState{next_nonce, spendable};
  }
  // The sender's priority (its stake-lock tier on a staking chain), nonce and balance kept.
  void set_priority(uint8_t sender, uint32_t priority) {
    auto [it, fresh] = accounts_.try_emplace(addr(sender), AccountState{0, kRich});
    it->second.priority = priority;
  }

  Code add(Mempool& pool, const chain::TxPtr& t) { return pool.add(t, view()).code(); }

  // (sender byte, nonce) of each reaped tx, in order.
  std::vector<std::pair<int, uint64_t>> reap(const Mempool& pool, size_t max_txs = 1000,
                                             size_t max_bytes = 1u << 30) {
    std::vector<std::pair<int, uint64_t>> out;
    for (const auto& t : pool.reap(max_txs, max_bytes, view())) {
      out.emplace_back(t->sender.bytes()[0], t->nonce());
    }
    return out;
  }

  std::map<crypto::Address, AccountState> accounts_;
  uint64_t next_id_ = 0;
};

using Reaped = std::vector<std::pair<int, uint64_t>>;

void expect_stats(const Mempool& pool, size_t txs, size_t bytes, size_t senders) {
  const Stats s = pool.stats();
  EXPECT_EQ(s.txs, txs);
  EXPECT_EQ(s.bytes, bytes);
  EXPECT_EQ(s.senders, senders);
}

// --- admission ---------------------------------------------------------------------------------

TEST_F(MempoolTest, AdmitsAndIndexes) {
  Mempool pool(Limits{});
  auto a0 = tx(1, 0, 10, 120);
  auto a1 = tx(1, 1, 10, 80);
  auto b0 = tx(2, 0, 10, 50);
  EXPECT_EQ(add(pool, a0), Code::kOk);
  EXPECT_EQ(add(pool, a1), Code::kOk);
  EXPECT_EQ(add(pool, b0), Code::kOk);
  EXPECT_TRUE(pool.contains(a0->id));
  EXPECT_TRUE(pool.contains(b0->id));
  EXPECT_EQ(pool.get(a1->id), a1);
  EXPECT_EQ(pool.get(tx(9, 0, 1)->id), nullptr);
  EXPECT_FALSE(pool.contains(tx(9, 0, 1)->id));
  expect_stats(pool, 3, 250, 2);
  EXPECT_EQ(add(pool, nullptr), Code::kMalformed);
  expect_stats(pool, 3, 250, 2);
}

TEST_F(MempoolTest, PendingNextNonceFollowsTheContiguousRun) {
  Mempool pool(Limits{});
  EXPECT_EQ(pool.pending_next_nonce(addr(1), 0), 0u);
  ASSERT_EQ(add(pool, tx(1, 0, 10)), Code::kOk);
  ASSERT_EQ(add(pool, tx(1, 1, 10)), Code::kOk);
  ASSERT_EQ(add(pool, tx(1, 3, 10)), Code::kOk);  // behind a gap: not counted
  EXPECT_EQ(pool.pending_next_nonce(addr(1), 0), 2u);
  EXPECT_EQ(pool.pending_next_nonce(addr(1), 1), 2u);  // nonce 0 committed meanwhile
  EXPECT_EQ(pool.pending_next_nonce(addr(1), 3), 4u);
  EXPECT_EQ(pool.pending_next_nonce(addr(2), 7), 7u);
}

TEST_F(MempoolTest, RefusesDuplicateId) {
  Mempool pool(Limits{});
  auto a0 = tx(1, 0, 10);
  EXPECT_EQ(add(pool, a0), Code::kOk);
  EXPECT_EQ(add(pool, a0), Code::kDuplicateTx);
  // Same id, even with a bumped fee, is still a duplicate.
  auto copy = std::make_shared<chain::DecodedTx>(*a0);
  copy->body.set_fee(1000);
  EXPECT_EQ(add(pool, copy), Code::kDuplicateTx);
  expect_stats(pool, 1, 100, 1);
  EXPECT_EQ(pool.get(a0->id)->fee(), 10u);
}

TEST_F(MempoolTest, RefusesNonceBelowNext) {
  Mempool pool(Limits{});
  set_account(1, 5, kRich);
  EXPECT_EQ(add(pool, tx(1, 0, 10)), Code::kNonceTooLow);
  EXPECT_EQ(add(pool, tx(1, 4, 10)), Code::kNonceTooLow);
  EXPECT_EQ(add(pool, tx(1, 5, 10)), Code::kOk);
  expect_stats(pool, 1, 100, 1);
}

TEST_F(MempoolTest, RefusesNonceBeyondMaxGap) {
  Limits limits;
  limits.max_nonce_gap = 64;
  Mempool pool(limits);
  set_account(1, 3, kRich);
  EXPECT_EQ(add(pool, tx(1, 3 + 65, 10)), Code::kNonceTooHigh);
  EXPECT_EQ(add(pool, tx(1, 3 + 64, 10)), Code::kOk);
  EXPECT_EQ(add(pool, tx(1, 3 + 10, 10)), Code::kOk);  // gaps within the limit are held
  // Huge nonces cannot wrap around the gap check.
  EXPECT_EQ(add(pool, tx(1, std::numeric_limits<uint64_t>::max(), 10)), Code::kNonceTooHigh);
  expect_stats(pool, 2, 200, 1);
}

TEST_F(MempoolTest, FeeBalanceCoversAllPendingFees) {
  Mempool pool(Limits{});
  set_account(1, 0, 300);
  EXPECT_EQ(add(pool, tx(1, 0, 100)), Code::kOk);
  EXPECT_EQ(add(pool, tx(1, 1, 100)), Code::kOk);
  EXPECT_EQ(add(pool, tx(1, 2, 101)), Code::kInsufficientFeeBalance);  // one unit short
  EXPECT_EQ(add(pool, tx(1, 2, 100)), Code::kOk);                      // exactly covered
  EXPECT_EQ(add(pool, tx(1, 3, 1)), Code::kInsufficientFeeBalance);
  expect_stats(pool, 3, 300, 1);

  // Another sender's balance is its own.
  set_account(2, 0, 99);
  EXPECT_EQ(add(pool, tx(2, 0, 100)), Code::kInsufficientFeeBalance);
  EXPECT_EQ(add(pool, tx(2, 0, 99)), Code::kOk);
}

TEST_F(MempoolTest, FeeBalanceCountsReplacementOnce) {
  Mempool pool(Limits{});
  set_account(1, 0, 320);
  EXPECT_EQ(add(pool, tx(1, 0, 100)), Code::kOk);
  EXPECT_EQ(add(pool, tx(1, 1, 100)), Code::kOk);
  // Replacing nonce 1 needs 100 + 221 = 321 > 320; 100 + 220 = 320 fits.
  EXPECT_EQ(add(pool, tx(1, 1, 221)), Code::kInsufficientFeeBalance);
  EXPECT_EQ(add(pool, tx(1, 1, 220)), Code::kOk);
  expect_stats(pool, 2, 200, 1);
}

TEST_F(MempoolTest, FeeSumOverflowIsRefused) {
  Mempool pool(Limits{});
  const uint64_t max = std::numeric_limits<uint64_t>::max();
  set_account(1, 0, max);
  EXPECT_EQ(add(pool, tx(1, 0, max - 1)), Code::kOk);
  EXPECT_EQ(add(pool, tx(1, 1, 1)), Code::kOk);
  EXPECT_EQ(add(pool, tx(1, 2, 1)), Code::kInsufficientFeeBalance);  // sum would wrap
}

// --- replace-by-fee ----------------------------------------------------------------------------

TEST_F(MempoolTest, ReplaceNeedsTenPercentMore) {
  Mempool pool(Limits{});
  auto old_tx = tx(1, 0, 100, 100);
  ASSERT_EQ(add(pool, old_tx), Code::kOk);
  EXPECT_EQ(add(pool, tx(1, 0, 100)), Code::kNonceConflict);
  EXPECT_EQ(add(pool, tx(1, 0, 50)), Code::kNonceConflict);
  EXPECT_EQ(add(pool, tx(1, 0, 109)), Code::kNonceConflict);
  EXPECT_TRUE(pool.contains(old_tx->id));

  auto new_tx = tx(1, 0, 110, 70);  // exactly +10%
  EXPECT_EQ(add(pool, new_tx), Code::kOk);
  EXPECT_FALSE(pool.contains(old_tx->id));
  EXPECT_EQ(pool.get(new_tx->id), new_tx);
  EXPECT_EQ(pool.get(old_tx->id), nullptr);
  expect_stats(pool, 1, 70, 1);
  EXPECT_EQ(reap(pool), (Reaped{{1, 0}}));
  // The replaced id is forgotten: it may come back if it pays enough.
  EXPECT_EQ(add(pool, old_tx), Code::kNonceConflict);
}

TEST_F(MempoolTest, ReplaceThresholdIsExactForUnevenFees) {
  Mempool pool(Limits{});
  ASSERT_EQ(add(pool, tx(1, 0, 105)), Code::kOk);
  EXPECT_EQ(add(pool, tx(1, 0, 115)), Code::kNonceConflict);  // 115.5 needed
  EXPECT_EQ(add(pool, tx(1, 0, 116)), Code::kOk);
}

TEST_F(MempoolTest, ReplaceWithZeroBumpStillNeedsHigherFee) {
  Limits limits;
  limits.replace_fee_bump_pct = 0;
  Mempool pool(limits);
  ASSERT_EQ(add(pool, tx(1, 0, 100)), Code::kOk);
  EXPECT_EQ(add(pool, tx(1, 0, 100)), Code::kNonceConflict);
  EXPECT_EQ(add(pool, tx(1, 0, 101)), Code::kOk);
}

TEST_F(MempoolTest, ReplaceInMiddleKeepsQueue) {
  Mempool pool(Limits{});
  ASSERT_EQ(add(pool, tx(1, 0, 10)), Code::kOk);
  ASSERT_EQ(add(pool, tx(1, 1, 10)), Code::kOk);
  ASSERT_EQ(add(pool, tx(1, 2, 10)), Code::kOk);
  auto mid = tx(1, 1, 50, 30);
  EXPECT_EQ(add(pool, mid), Code::kOk);
  expect_stats(pool, 3, 230, 1);
  EXPECT_EQ(reap(pool), (Reaped{{1, 0}, {1, 1}, {1, 2}}));
  EXPECT_EQ(pool.reap(10, 1000, view())[1], mid);
}

TEST_F(MempoolTest, ReplacedTailLeavesEvictionIndex) {
  Limits limits;
  limits.max_txs = 2;
  Mempool pool(limits);
  ASSERT_EQ(add(pool, tx(1, 0, 10)), Code::kOk);
  ASSERT_EQ(add(pool, tx(2, 0, 40)), Code::kOk);
  ASSERT_EQ(add(pool, tx(1, 0, 100)), Code::kOk);  // replaces the cheap tail
  // The old fee 10 no longer counts: the cheapest tail is now sender 2 at 40.
  EXPECT_EQ(add(pool, tx(3, 0, 30)), Code::kMempoolFull);
  EXPECT_EQ(add(pool, tx(3, 0, 41)), Code::kOk);
  EXPECT_EQ(reap(pool), (Reaped{{1, 0}, {3, 0}}));
}

// --- eviction ----------------------------------------------------------------------------------

TEST_F(MempoolTest, FullByCountEvictsCheapestTail) {
  Limits limits;
  limits.max_txs = 3;
  Mempool pool(limits);
  auto a0 = tx(1, 0, 50);
  auto a1 = tx(1, 1, 10);
  auto b0 = tx(2, 0, 30);
  ASSERT_EQ(add(pool, a0), Code::kOk);
  ASSERT_EQ(add(pool, a1), Code::kOk);
  ASSERT_EQ(add(pool, b0), Code::kOk);
  auto c0 = tx(3, 0, 20);
  EXPECT_EQ(add(pool, c0), Code::kOk);
  EXPECT_FALSE(pool.contains(a1->id));
  EXPECT_TRUE(pool.contains(a0->id));
  expect_stats(pool, 3, 300, 3);

  // Cheapest tail is now c0 at 20: an equal fee is refused, and so is a lower one.
  EXPECT_EQ(add(pool, tx(4, 0, 20)), Code::kMempoolFull);
  EXPECT_EQ(add(pool, tx(4, 0, 5)), Code::kMempoolFull);
  expect_stats(pool, 3, 300, 3);
  EXPECT_TRUE(pool.contains(c0->id));

  EXPECT_EQ(add(pool, tx(4, 0, 21)), Code::kOk);
  EXPECT_FALSE(pool.contains(c0->id));
  expect_stats(pool, 3, 300, 3);
  EXPECT_EQ(reap(pool), (Reaped{{1, 0}, {2, 0}, {4, 0}}));
}

TEST_F(MempoolTest, EvictionKeepsVictimNoncesContiguous) {
  Limits limits;
  limits.max_txs = 3;
  Mempool pool(limits);
  auto a0 = tx(1, 0, 5);  // the cheapest tx, but not a tail
  auto a1 = tx(1, 1, 100);
  auto b0 = tx(2, 0, 50);
  ASSERT_EQ(add(pool, a0), Code::kOk);
  ASSERT_EQ(add(pool, a1), Code::kOk);
  ASSERT_EQ(add(pool, b0), Code::kOk);
  EXPECT_EQ(add(pool, tx(3, 0, 60)), Code::kOk);
  EXPECT_TRUE(pool.contains(a0->id));
  EXPECT_TRUE(pool.contains(a1->id));
  EXPECT_FALSE(pool.contains(b0->id));

  // Once a sender's tail goes, its next tx becomes its tail and is evicted from the end too.
  Limits small;
  small.max_txs = 3;
  Mempool pool2(small);
  ASSERT_EQ(add(pool2, tx(1, 0, 10)), Code::kOk);
  ASSERT_EQ(add(pool2, tx(1, 1, 11)), Code::kOk);
  ASSERT_EQ(add(pool2, tx(1, 2, 12)), Code::kOk);
  EXPECT_EQ(add(pool2, tx(2, 0, 100)), Code::kOk);  // evicts 1/2
  EXPECT_EQ(add(pool2, tx(3, 0, 100)), Code::kOk);  // evicts 1/1
  EXPECT_EQ(reap(pool2), (Reaped{{2, 0}, {3, 0}, {1, 0}}));
}

TEST_F(MempoolTest, EqualFeeTailsEvictLatestArrivalFirst) {
  Limits limits;
  limits.max_txs = 2;
  Mempool pool(limits);
  auto a0 = tx(1, 0, 10);
  auto b0 = tx(2, 0, 10);
  ASSERT_EQ(add(pool, a0), Code::kOk);
  ASSERT_EQ(add(pool, b0), Code::kOk);
  EXPECT_EQ(add(pool, tx(3, 0, 11)), Code::kOk);
  EXPECT_TRUE(pool.contains(a0->id));
  EXPECT_FALSE(pool.contains(b0->id));
}

TEST_F(MempoolTest, NewcomerNeverEvictsItsOwnPredecessor) {
  Limits limits;
  limits.max_txs = 2;
  Mempool pool(limits);
  auto a0 = tx(1, 0, 1);
  auto b0 = tx(2, 0, 50);
  ASSERT_EQ(add(pool, a0), Code::kOk);
  ASSERT_EQ(add(pool, b0), Code::kOk);
  // a0 is the cheapest tail, but evicting it would leave a1 behind a gap.
  EXPECT_EQ(add(pool, tx(1, 1, 100)), Code::kOk);
  EXPECT_TRUE(pool.contains(a0->id));
  EXPECT_FALSE(pool.contains(b0->id));
  EXPECT_EQ(reap(pool), (Reaped{{1, 0}, {1, 1}}));

  // With only its own predecessor to evict, the newcomer is refused.
  Limits one;
  one.max_txs = 1;
  Mempool pool1(one);
  ASSERT_EQ(add(pool1, tx(1, 0, 1)), Code::kOk);
  EXPECT_EQ(add(pool1, tx(1, 1, 100)), Code::kMempoolFull);
  expect_stats(pool1, 1, 100, 1);
}

TEST_F(MempoolTest, FullByBytesEvictsAsManyAsNeeded) {
  Limits limits;
  limits.max_bytes = 1000;
  Mempool pool(limits);
  auto a0 = tx(1, 0, 10, 400);
  auto b0 = tx(2, 0, 20, 400);
  ASSERT_EQ(add(pool, a0), Code::kOk);
  ASSERT_EQ(add(pool, b0), Code::kOk);
  expect_stats(pool, 2, 800, 2);

  EXPECT_EQ(add(pool, tx(3, 0, 10, 300)), Code::kMempoolFull);  // equal to the cheapest
  EXPECT_EQ(add(pool, tx(3, 0, 1, 200)), Code::kOk);            // fits without eviction
  expect_stats(pool, 3, 1000, 3);

  // 600 bytes need two evictions: 3/0 (fee 1) then 1/0 (fee 10); 2/0 stays.
  auto c = tx(4, 0, 15, 600);
  EXPECT_EQ(add(pool, c), Code::kOk);
  EXPECT_FALSE(pool.contains(a0->id));
  EXPECT_TRUE(pool.contains(b0->id));
  expect_stats(pool, 2, 1000, 2);
}

TEST_F(MempoolTest, RefusalRestoresEverythingTentativelyEvicted) {
  Limits limits;
  limits.max_bytes = 1000;
  Mempool pool(limits);
  auto a0 = tx(1, 0, 10, 500);
  auto a1 = tx(1, 1, 5, 250);
  auto b0 = tx(2, 0, 40, 250);
  ASSERT_EQ(add(pool, a0), Code::kOk);
  ASSERT_EQ(add(pool, a1), Code::kOk);
  ASSERT_EQ(add(pool, b0), Code::kOk);
  // 900 bytes would need a1, a0 and b0 out; b0 pays 40 >= 30, so nothing is evicted.
  EXPECT_EQ(add(pool, tx(3, 0, 30, 900)), Code::kMempoolFull);
  expect_stats(pool, 3, 1000, 2);
  EXPECT_EQ(reap(pool), (Reaped{{2, 0}, {1, 0}, {1, 1}}));
  // The eviction order survived the rollback: a1 (fee 5) is still the first victim.
  EXPECT_EQ(add(pool, tx(3, 0, 6, 250)), Code::kOk);
  EXPECT_FALSE(pool.contains(a1->id));
  expect_stats(pool, 3, 1000, 3);
}

TEST_F(MempoolTest, ReplacementWhenFullByBytes) {
  Limits limits;
  limits.max_bytes = 500;
  Mempool pool(limits);
  auto a0 = tx(1, 0, 100, 300);
  auto b0 = tx(2, 0, 200, 200);
  ASSERT_EQ(add(pool, a0), Code::kOk);
  ASSERT_EQ(add(pool, b0), Code::kOk);
  // A same-size replacement frees its own space.
  auto a0b = tx(1, 0, 110, 300);
  EXPECT_EQ(add(pool, a0b), Code::kOk);
  expect_stats(pool, 2, 500, 2);
  // A larger one needs room the pool cannot free for 150: refused, and a0b is kept.
  EXPECT_EQ(add(pool, tx(1, 0, 150, 400)), Code::kMempoolFull);
  EXPECT_TRUE(pool.contains(a0b->id));
  EXPECT_TRUE(pool.contains(b0->id));
  expect_stats(pool, 2, 500, 2);
  // Paying more than b0 evicts it.
  auto a0c = tx(1, 0, 250, 400);
  EXPECT_EQ(add(pool, a0c), Code::kOk);
  EXPECT_FALSE(pool.contains(b0->id));
  EXPECT_FALSE(pool.contains(a0b->id));
  expect_stats(pool, 1, 400, 1);
}

TEST_F(MempoolTest, TxLargerThanPoolIsRefused) {
  Limits limits;
  limits.max_bytes = 1000;
  Mempool pool(limits);
  ASSERT_EQ(add(pool, tx(1, 0, 1, 10)), Code::kOk);
  EXPECT_EQ(add(pool, tx(2, 0, 1000, 1001)), Code::kMempoolFull);
  expect_stats(pool, 1, 10, 1);
  EXPECT_EQ(add(pool, tx(2, 0, 1000, 990)), Code::kOk);
  expect_stats(pool, 2, 1000, 2);
}

// --- reap --------------------------------------------------------------------------------------

TEST_F(MempoolTest, ReapByFeeAcrossSendersInNonceOrder) {
  Mempool pool(Limits{});
  ASSERT_EQ(add(pool, tx(1, 1, 100)), Code::kOk);  // high fee behind a low-fee nonce 0
  ASSERT_EQ(add(pool, tx(1, 0, 10)), Code::kOk);
  ASSERT_EQ(add(pool, tx(2, 0, 50)), Code::kOk);
  ASSERT_EQ(add(pool, tx(3, 0, 20)), Code::kOk);
  ASSERT_EQ(add(pool, tx(3, 1, 5)), Code::kOk);
  EXPECT_EQ(reap(pool), (Reaped{{2, 0}, {3, 0}, {1, 0}, {1, 1}, {3, 1}}));
  expect_stats(pool, 5, 500, 3);  // reap leaves the pool as it is
}

TEST_F(MempoolTest, ReapBreaksFeeTiesByArrival) {
  Mempool pool(Limits{});
  ASSERT_EQ(add(pool, tx(5, 0, 10)), Code::kOk);
  ASSERT_EQ(add(pool, tx(2, 0, 10)), Code::kOk);
  ASSERT_EQ(add(pool, tx(9, 0, 10)), Code::kOk);
  EXPECT_EQ(reap(pool), (Reaped{{5, 0}, {2, 0}, {9, 0}}));
}

// --- priority (the stake-lock tier, doc/staking.md) ------------------------------------------

TEST_F(MempoolTest, ReapOrdersEqualFeesByPriorityThenArrival) {
  Mempool pool(Limits{});
  set_priority(2, 2);
  set_priority(3, 4);
  set_priority(4, 2);
  set_priority(5, 1);
  for (uint8_t sender : {1, 2, 3, 4, 5}) ASSERT_EQ(add(pool, tx(sender, 0, 10)), Code::kOk);
  // Tier 4, the two tier 2 in arrival order, tier 1, none.
  EXPECT_EQ(reap(pool), (Reaped{{3, 0}, {2, 0}, {4, 0}, {5, 0}, {1, 0}}));
}

TEST_F(MempoolTest, AHigherFeeWinsOverAHigherPriority) {
  Mempool pool(Limits{});
  set_priority(2, 4);
  set_priority(3, 4);
  ASSERT_EQ(add(pool, tx(3, 0, 9)), Code::kOk);
  ASSERT_EQ(add(pool, tx(2, 0, 10)), Code::kOk);
  ASSERT_EQ(add(pool, tx(1, 0, 11)), Code::kOk);
  ASSERT_EQ(add(pool, tx(4, 0, 10)), Code::kOk);
  EXPECT_EQ(reap(pool), (Reaped{{1, 0}, {2, 0}, {4, 0}, {3, 0}}));
}

TEST_F(MempoolTest, PriorityKeepsEachSendersNonceOrder) {
  Mempool pool(Limits{});
  set_priority(1, 4);
  set_priority(3, 2);
  // Sender 1 (tier 4): a cheap nonce 0 in front of an expensive nonce 1, then two at 10.
  ASSERT_EQ(add(pool, tx(1, 1, 100)), Code::kOk);
  ASSERT_EQ(add(pool, tx(1, 0, 5)), Code::kOk);
  ASSERT_EQ(add(pool, tx(1, 3, 10)), Code::kOk);
  ASSERT_EQ(add(pool, tx(1, 2, 10)), Code::kOk);
  ASSERT_EQ(add(pool, tx(2, 0, 10)), Code::kOk);
  ASSERT_EQ(add(pool, tx(3, 0, 10)), Code::kOk);
  ASSERT_EQ(add(pool, tx(3, 1, 10)), Code::kOk);
  EXPECT_EQ(reap(pool), (Reaped{{3, 0}, {3, 1}, {2, 0}, {1, 0}, {1, 1}, {1, 2}, {1, 3}}));
}

TEST_F(MempoolTest, EqualFeeTailsEvictTheLowestPriorityFirst) {
  Limits limits;
  limits.max_txs = 2;
  Mempool pool(limits);
  set_priority(2, 3);
  auto a0 = tx(1, 0, 10);  // earlier, but no tier
  auto b0 = tx(2, 0, 10);
  ASSERT_EQ(add(pool, a0), Code::kOk);
  ASSERT_EQ(add(pool, b0), Code::kOk);
  EXPECT_EQ(add(pool, tx(3, 0, 10)), Code::kMempoolFull);  // a tier buys no place, a fee does
  EXPECT_EQ(add(pool, tx(3, 0, 11)), Code::kOk);
  EXPECT_FALSE(pool.contains(a0->id));
  EXPECT_TRUE(pool.contains(b0->id));
}

TEST_F(MempoolTest, PriorityIsReadAtAdmissionAndRefreshedByUpdate) {
  Limits limits;
  limits.max_txs = 3;
  Mempool pool(limits);
  auto a0 = tx(1, 0, 10);
  auto a1 = tx(1, 1, 10);
  auto b0 = tx(2, 0, 10);
  for (const auto& t : {a0, a1, b0}) ASSERT_EQ(add(pool, t), Code::kOk);
  set_priority(2, 3);  // a lock committed after b0 was admitted
  EXPECT_EQ(reap(pool), (Reaped{{1, 0}, {1, 1}, {2, 0}}));
  pool.update({}, view());
  EXPECT_EQ(reap(pool), (Reaped{{2, 0}, {1, 0}, {1, 1}}));
  // The eviction order moved with it: sender 1's tail goes, not b0.
  EXPECT_EQ(add(pool, tx(3, 0, 11)), Code::kOk);
  EXPECT_FALSE(pool.contains(a1->id));
  EXPECT_TRUE(pool.contains(b0->id));
  // The lock ended: sender 2 ranks by arrival again.
  set_priority(2, 0);
  pool.update({}, view());
  EXPECT_EQ(reap(pool), (Reaped{{3, 0}, {1, 0}, {2, 0}}));
  expect_stats(pool, 3, 300, 3);
}

TEST_F(MempoolTest, ReapLimitsByCount) {
  Mempool pool(Limits{});
  ASSERT_EQ(add(pool, tx(1, 0, 30)), Code::kOk);
  ASSERT_EQ(add(pool, tx(2, 0, 20)), Code::kOk);
  ASSERT_EQ(add(pool, tx(3, 0, 10)), Code::kOk);
  EXPECT_EQ(reap(pool, 2), (Reaped{{1, 0}, {2, 0}}));
  EXPECT_EQ(reap(pool, 0), Reaped{});
}

TEST_F(MempoolTest, ReapLimitsByBytes) {
  Mempool pool(Limits{});
  ASSERT_EQ(add(pool, tx(1, 0, 30, 400)), Code::kOk);
  ASSERT_EQ(add(pool, tx(2, 0, 20, 500)), Code::kOk);
  ASSERT_EQ(add(pool, tx(2, 1, 20, 50)), Code::kOk);
  ASSERT_EQ(add(pool, tx(3, 0, 10, 300)), Code::kOk);
  ASSERT_EQ(add(pool, tx(4, 0, 5, 100)), Code::kOk);
  // 400 taken; 2/0 (500) does not fit, so 2/1 cannot follow; 3/0 fits (700); 4/0 would be 800.
  EXPECT_EQ(reap(pool, 100, 700), (Reaped{{1, 0}, {3, 0}}));
  EXPECT_EQ(reap(pool, 100, 800), (Reaped{{1, 0}, {3, 0}, {4, 0}}));
  EXPECT_EQ(reap(pool, 100, 900), (Reaped{{1, 0}, {2, 0}}));  // exactly full
  // Only 3/0 fits in 399; 2/1 (50 bytes) would fit too but cannot skip its nonce 0.
  EXPECT_EQ(reap(pool, 100, 399), (Reaped{{3, 0}}));
}

TEST_F(MempoolTest, ReapStopsSenderAtGap) {
  Mempool pool(Limits{});
  ASSERT_EQ(add(pool, tx(1, 0, 10)), Code::kOk);
  ASSERT_EQ(add(pool, tx(1, 1, 10)), Code::kOk);
  ASSERT_EQ(add(pool, tx(1, 3, 1000)), Code::kOk);  // gap at 2
  ASSERT_EQ(add(pool, tx(2, 1, 1000)), Code::kOk);  // next nonce 0 missing
  ASSERT_EQ(add(pool, tx(2, 2, 1000)), Code::kOk);
  EXPECT_EQ(reap(pool), (Reaped{{1, 0}, {1, 1}}));

  ASSERT_EQ(add(pool, tx(1, 2, 1)), Code::kOk);  // the gap is filled
  EXPECT_EQ(reap(pool), (Reaped{{1, 0}, {1, 1}, {1, 2}, {1, 3}}));
}

TEST_F(MempoolTest, ReapStartsAtCommittedNextNonce) {
  Mempool pool(Limits{});
  ASSERT_EQ(add(pool, tx(1, 0, 10)), Code::kOk);
  ASSERT_EQ(add(pool, tx(1, 1, 10)), Code::kOk);
  ASSERT_EQ(add(pool, tx(1, 2, 10)), Code::kOk);
  // A block committed nonce 0 but update has not run yet: the stale tx is not reaped.
  set_account(1, 1, kRich);
  EXPECT_EQ(reap(pool), (Reaped{{1, 1}, {1, 2}}));
  set_account(1, 3, kRich);
  EXPECT_EQ(reap(pool), Reaped{});
  expect_stats(pool, 3, 300, 1);
}

// --- update ------------------------------------------------------------------------------------

TEST_F(MempoolTest, UpdateDropsCommittedAndStale) {
  Mempool pool(Limits{});
  auto a0 = tx(1, 0, 10);
  auto a1 = tx(1, 1, 10);
  auto a2 = tx(1, 2, 10);
  auto b0 = tx(2, 0, 10);
  auto c0 = tx(3, 0, 10);
  for (const auto& t : {a0, a1, a2, b0, c0}) ASSERT_EQ(add(pool, t), Code::kOk);

  // The block included a0, a1 (by id) and b0; a stale-nonce tx of sender 1 is also dropped even
  // if its id was not listed (another tx with that nonce won).
  set_account(1, 2, kRich);
  set_account(2, 1, kRich);
  pool.update({a0->id, b0->id, tx(7, 0, 1)->id}, view());
  EXPECT_FALSE(pool.contains(a0->id));
  EXPECT_FALSE(pool.contains(a1->id));
  EXPECT_FALSE(pool.contains(b0->id));
  EXPECT_TRUE(pool.contains(a2->id));
  EXPECT_TRUE(pool.contains(c0->id));
  expect_stats(pool, 2, 200, 2);
  EXPECT_EQ(reap(pool), (Reaped{{1, 2}, {3, 0}}));
  // A committed nonce cannot come back.
  EXPECT_EQ(add(pool, tx(1, 1, 500)), Code::kNonceTooLow);
}

TEST_F(MempoolTest, UpdateDropsTailsTheBalanceNoLongerCovers) {
  Mempool pool(Limits{});
  set_account(1, 0, 300);
  auto a0 = tx(1, 0, 100);
  auto a1 = tx(1, 1, 100);
  auto a2 = tx(1, 2, 100);
  for (const auto& t : {a0, a1, a2}) ASSERT_EQ(add(pool, t), Code::kOk);
  ASSERT_EQ(add(pool, tx(2, 0, 100)), Code::kOk);

  set_account(1, 0, 200);  // exactly covers two
  pool.update({}, view());
  EXPECT_TRUE(pool.contains(a0->id));
  EXPECT_TRUE(pool.contains(a1->id));
  EXPECT_FALSE(pool.contains(a2->id));
  expect_stats(pool, 3, 300, 2);

  set_account(1, 0, 99);  // covers none
  pool.update({}, view());
  EXPECT_FALSE(pool.contains(a0->id));
  expect_stats(pool, 1, 100, 1);
  EXPECT_EQ(reap(pool), (Reaped{{2, 0}}));

  // The freed balance is usable again.
  set_account(1, 0, 300);
  EXPECT_EQ(add(pool, tx(1, 0, 300)), Code::kOk);
}

TEST_F(MempoolTest, UpdateOnEmptyPoolAndEmptiedSenders) {
  Mempool pool(Limits{});
  pool.update({}, view());
  expect_stats(pool, 0, 0, 0);
  auto a0 = tx(1, 0, 10);
  ASSERT_EQ(add(pool, a0), Code::kOk);
  pool.update({a0->id}, view());
  expect_stats(pool, 0, 0, 0);
  EXPECT_EQ(reap(pool), Reaped{});
  // The emptied sender holds no stale tail in the eviction index.
  Limits limits;
  limits.max_txs = 1;
  Mempool small(limits);
  auto b0 = tx(2, 0, 50);
  ASSERT_EQ(add(small, b0), Code::kOk);
  small.update({b0->id}, view());
  EXPECT_EQ(add(small, tx(3, 0, 1)), Code::kOk);
  EXPECT_EQ(add(small, tx(4, 0, 2)), Code::kOk);
  expect_stats(small, 1, 100, 1);
}

// --- stats and concurrency ---------------------------------------------------------------------

TEST_F(MempoolTest, StatsTrackEveryChange) {
  Limits limits;
  limits.max_txs = 4;
  Mempool pool(limits);
  expect_stats(pool, 0, 0, 0);
  ASSERT_EQ(add(pool, tx(1, 0, 10, 10)), Code::kOk);
  ASSERT_EQ(add(pool, tx(1, 1, 10, 20)), Code::kOk);
  ASSERT_EQ(add(pool, tx(2, 0, 10, 30)), Code::kOk);
  expect_stats(pool, 3, 60, 2);
  ASSERT_EQ(add(pool, tx(2, 0, 20, 5)), Code::kOk);  // replace: 30 -> 5 bytes
  expect_stats(pool, 3, 35, 2);
  ASSERT_EQ(add(pool, tx(3, 0, 30, 40)), Code::kOk);
  expect_stats(pool, 4, 75, 3);
  ASSERT_EQ(add(pool, tx(4, 0, 30, 50)), Code::kOk);  // evicts 1/1 (fee 10, 20 bytes)
  expect_stats(pool, 4, 105, 4);
  ASSERT_EQ(add(pool, tx(5, 0, 30, 60)), Code::kOk);  // evicts 1/0: sender 1 is gone
  expect_stats(pool, 4, 155, 4);
  set_account(3, 1, kRich);
  pool.update({}, view());
  expect_stats(pool, 3, 115, 3);
}

TEST_F(MempoolTest, ConcurrentAddsKeepConsistentStats) {
  Mempool pool(Limits{});
  constexpr int kThreads = 4;
  constexpr uint64_t kPerSender = 50;
  constexpr uint8_t kShared = 100;
  constexpr uint64_t kSharedNonces = 64;
  // Txs are built up front: the fixture's id counter is not thread-safe. Each thread feeds two
  // senders of its own in nonce order, and every thread feeds one shared sender, nonces
  // interleaved (t, t + 4, ...) so its queue has gaps until all threads are done.
  std::vector<std::vector<chain::TxPtr>> txs(kThreads);
  size_t expected_bytes = 0;
  for (int t = 0; t < kThreads; ++t) {
    const size_t size = 10 + static_cast<size_t>(t);
    for (uint64_t n = 0; n < kPerSender; ++n) {
      for (int k = 0; k < 2; ++k) {
        txs[t].push_back(tx(static_cast<uint8_t>(t * 2 + k), n, 10 + n, size));
        expected_bytes += size;
      }
    }
    for (uint64_t n = static_cast<uint64_t>(t); n < kSharedNonces; n += kThreads) {
      txs[t].push_back(tx(kShared, n, 1, size));
      expected_bytes += size;
    }
  }
  const AccountView accounts = [](const crypto::Address&) { return AccountState{0, kRich}; };
  std::atomic<bool> done{false};
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (const auto& x : txs[t]) {
        if (!pool.add(x, accounts).is_ok()) failures.fetch_add(1);
      }
    });
  }
  std::thread reader([&] {
    while (!done.load()) {
      const Stats s = pool.stats();
      if (s.senders > s.txs) failures.fetch_add(1);
      if (pool.reap(1000, 1u << 20, accounts).size() > s.txs + 1000) failures.fetch_add(1);
    }
  });
  for (auto& th : threads) th.join();
  done.store(true);
  reader.join();

  EXPECT_EQ(failures.load(), 0);
  const size_t expected_txs = kThreads * 2 * kPerSender + kSharedNonces;
  expect_stats(pool, expected_txs, expected_bytes, kThreads * 2 + 1);
  const auto all = pool.reap(expected_txs, 1u << 30, accounts);
  ASSERT_EQ(all.size(), expected_txs);
  std::map<crypto::Address, uint64_t> next;
  size_t bytes = 0;
  for (const auto& x : all) {
    EXPECT_EQ(x->nonce(), next[x->sender]++);  // each sender in nonce order, no gap
    bytes += x->size();
  }
  EXPECT_EQ(bytes, expected_bytes);
}

}  // namespace
}  // namespace btt::mempool

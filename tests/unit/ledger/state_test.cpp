#include <gtest/gtest.h>

#include "btt/ledger/ledger.h"
#include "btt/ledger/state.h"
#include "btt/storage/db.h"
#include "testkit/temp_dir.h"
#include "testkit/test_env.h"

namespace btt::ledger {
namespace {

std::vector<std::pair<std::string, std::string>> scan_all(const StateReader& s,
                                                          std::string_view prefix) {
  std::vector<std::pair<std::string, std::string>> out;
  s.scan(prefix, [&](std::string_view k, std::string_view v) {
    out.emplace_back(k, v);
    return true;
  });
  return out;
}

std::vector<std::pair<std::string, std::string>> scan_back_all(const StateReader& s,
                                                               std::string_view prefix,
                                                               std::string_view from) {
  std::vector<std::pair<std::string, std::string>> out;
  s.scan_back(prefix, from, [&](std::string_view k, std::string_view v) {
    out.emplace_back(k, v);
    return true;
  });
  return out;
}

// What scan_back must answer: the forward scan's keys at or below `from`, reversed.
std::vector<std::pair<std::string, std::string>> expected_back(const StateReader& s,
                                                               std::string_view prefix,
                                                               std::string_view from) {
  auto all = scan_all(s, prefix);
  std::vector<std::pair<std::string, std::string>> out;
  for (auto it = all.rbegin(); it != all.rend(); ++it) {
    if (it->first <= from) out.push_back(*it);
  }
  return out;
}

// Layers of random puts and erases over a base: at every `from`, scan_back of each layer equals
// its forward scan reversed, and stopping early stops.
TEST(Overlay, ScanBackMergesLayersInDescendingOrder) {
  testkit::MemoryState base;
  std::map<Bytes, std::optional<Bytes>, std::less<>> seed;
  for (int i = 0; i < 40; i += 2)
    seed.emplace("p/" + std::to_string(10 + i), "b" + std::to_string(i));
  seed.emplace("o/1", "outside");
  seed.emplace("q/1", "outside");
  base.apply(seed);
  Overlay block(base);
  Overlay sandbox(block.reader());
  uint64_t x = 12345;
  auto next = [&] { return x = x * 6364136223846793005ULL + 1442695040888963407ULL; };
  for (int step = 0; step < 60; ++step) {
    Overlay& layer = (next() >> 33) % 2 ? block : sandbox;
    const std::string key = "p/" + std::to_string(10 + (next() >> 33) % 45);
    if ((next() >> 33) % 3 == 0) {
      layer.erase(key);
    } else {
      layer.put(key, "v" + std::to_string(step));
    }
  }
  for (const StateReader* s :
       {static_cast<const StateReader*>(&base), static_cast<const StateReader*>(&block),
        static_cast<const StateReader*>(&sandbox)}) {
    for (int f = 5; f < 60; ++f) {
      const std::string from = "p/" + std::to_string(f);
      EXPECT_EQ(scan_back_all(*s, "p/", from), expected_back(*s, "p/", from)) << from;
    }
    EXPECT_EQ(scan_back_all(*s, "p/", "p/\xff"), expected_back(*s, "p/", "p/\xff"));
    int seen = 0;
    s->scan_back("p/", "p/\xff", [&](std::string_view, std::string_view) { return ++seen < 2; });
    EXPECT_EQ(seen, 2);
  }
}

// The database's scan_back (RocksDB SeekForPrev) as an overlay's base, committed and through a
// snapshot.
TEST(Overlay, ScanBackOverTheDatabase) {
  testkit::TempDir dir;
  auto db = storage::Database::open(dir.path() / "db", {});
  ASSERT_TRUE(db.is_ok()) << db.status().to_string();
  auto batch = (*db)->new_batch();
  for (const char* k : {"o/9", "p/1", "p/3", "p/5", "q/0"})
    batch->put(storage::Column::kState, k, k);
  (*db)->write(*batch);
  DatabaseState state(**db);
  using KV = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(scan_back_all(state, "p/", "p/4"), (KV{{"p/3", "p/3"}, {"p/1", "p/1"}}));
  EXPECT_EQ(scan_back_all(state, "p/", "p/5"),
            (KV{{"p/5", "p/5"}, {"p/3", "p/3"}, {"p/1", "p/1"}}));
  EXPECT_TRUE(scan_back_all(state, "p/", "p/0").empty());
  Overlay o(state);
  o.put("p/4", "new");
  o.erase("p/3");
  EXPECT_EQ(scan_back_all(o, "p/", "p/9"), (KV{{"p/5", "p/5"}, {"p/4", "new"}, {"p/1", "p/1"}}));
  auto snap = (*db)->snapshot();
  SnapshotState at(*snap);
  EXPECT_EQ(scan_back_all(at, "p/", "p/2"), (KV{{"p/1", "p/1"}}));
}

TEST(Overlay, ReadsThroughAndShadowsBase) {
  testkit::MemoryState base;
  base.apply({{"a/1", "x"}, {"a/2", "y"}, {"b/1", "z"}});
  Overlay o(base);
  EXPECT_EQ(o.get("a/1").value(), "x");
  o.put("a/1", "X");
  o.erase("a/2");
  o.put("a/3", "w");
  EXPECT_EQ(o.get("a/1").value(), "X");
  EXPECT_FALSE(o.get("a/2").has_value());
  auto all = scan_all(o, "a/");
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0], (std::pair<std::string, std::string>{"a/1", "X"}));
  EXPECT_EQ(all[1], (std::pair<std::string, std::string>{"a/3", "w"}));
  EXPECT_EQ(base.get("a/1").value(), "x");  // base untouched until committed
}

TEST(Overlay, SandboxCommitAndDiscard) {
  testkit::MemoryState base;
  Overlay block(base);
  Overlay sandbox(block.reader());
  sandbox.put("k", "v");
  sandbox.discard();
  EXPECT_FALSE(block.get("k").has_value());
  sandbox.put("k", "v2");
  sandbox.erase("gone");
  sandbox.commit_to(block);
  EXPECT_EQ(block.get("k").value(), "v2");
  EXPECT_TRUE(sandbox.writes().empty());
  EXPECT_EQ(block.writes().size(), 2u);
}

TEST(Overlay, ScanStopsEarlyAndMergesInOrder) {
  testkit::MemoryState base;
  base.apply({{"p/b", "1"}, {"p/d", "2"}});
  Overlay o(base);
  o.put("p/a", "0");
  o.put("p/c", "1.5");
  o.put("p/e", "3");
  auto all = scan_all(o, "p/");
  ASSERT_EQ(all.size(), 5u);
  EXPECT_EQ(all[0].first, "p/a");
  EXPECT_EQ(all[2].first, "p/c");
  EXPECT_EQ(all[4].first, "p/e");
  int seen = 0;
  o.scan("p/", [&](std::string_view, std::string_view) { return ++seen < 2; });
  EXPECT_EQ(seen, 2);
}

TEST(Ledger, CreditDebitMoveChecked) {
  testkit::MemoryState base;
  Overlay o(base);
  Events events;
  Ledger l(o, events);
  auto a = testkit::test_key("a").address;
  auto b = testkit::test_key("b").address;
  ASSERT_TRUE(l.credit(a, "BTT", 100).is_ok());
  EXPECT_EQ(l.credit(a, "BTT", UINT64_MAX).code(), Code::kBalanceOverflow);
  EXPECT_EQ(l.balance(a, "BTT"), 100u);
  EXPECT_EQ(l.debit(a, "BTT", 101).code(), Code::kInsufficientFunds);
  EXPECT_EQ(l.move(a, b, "BTT", 101, 0).code(), Code::kInsufficientFunds);
  ASSERT_TRUE(l.move(a, b, "BTT", 100, 0).is_ok());
  EXPECT_EQ(l.balance(a, "BTT"), 0u);
  EXPECT_FALSE(o.get(balance_key(a, "BTT")).has_value());  // zero balances are deleted
  EXPECT_EQ(l.balance(b, "BTT"), 100u);
  EXPECT_EQ(l.sum_balances("BTT").value(), 100u);
  // Every write was recorded, the refused ones not: credit a 100, debit a 100, credit b 100.
  ASSERT_EQ(events.balance_changes().size(), 3u);
  EXPECT_EQ(events.balance_changes()[0].direction(), v1::BALANCE_DIRECTION_CREDIT);
  EXPECT_EQ(events.balance_changes()[1].address(), a.to_string());
  EXPECT_EQ(events.balance_changes()[1].direction(), v1::BALANCE_DIRECTION_DEBIT);
  EXPECT_EQ(events.balance_changes()[2].address(), b.to_string());
  EXPECT_EQ(events.balance_changes()[2].amount(), 100u);
}

class FixedLock final : public LockProvider {
 public:
  uint64_t locked(const StateReader&, const crypto::Address&, std::string_view,
                  uint64_t) const override {
    return 60;
  }
};

TEST(Ledger, LockedFundsAreNotSpendable) {
  testkit::MemoryState base;
  Overlay o(base);
  FixedLock lock;
  LockProviders locks{&lock};
  Events events;
  Ledger l(o, events, &locks);
  auto a = testkit::test_key("a").address;
  auto b = testkit::test_key("b").address;
  ASSERT_TRUE(l.credit(a, "BTT", 100).is_ok());
  EXPECT_EQ(l.spendable(a, "BTT", 0), 40u);
  EXPECT_EQ(l.move(a, b, "BTT", 41, 0).code(), Code::kLockedFunds);
  EXPECT_TRUE(l.move(a, b, "BTT", 40, 0).is_ok());
}

// A stand-in for vesting (unvested) and for the stake that covers it (staked), with a lock on
// top, to check the one rule: held back = max(0, unvested - staked) + locked.
class VestingAndStake final : public LockProvider {
 public:
  uint64_t unvested_ = 0, staked_ = 0, locked_ = 0;
  mutable int staked_asked = 0;
  uint64_t locked(const StateReader&, const crypto::Address&, std::string_view,
                  uint64_t) const override {
    return locked_;
  }
  uint64_t unvested(const StateReader&, const crypto::Address&, std::string_view,
                    uint64_t) const override {
    return unvested_;
  }
  uint64_t staked(const StateReader&, const crypto::Address&, std::string_view) const override {
    ++staked_asked;
    return staked_;
  }
};

TEST(Ledger, OwnStakeCoversUnvestedTokensAndLocksHoldOnTop) {
  testkit::MemoryState base;
  Overlay o(base);
  VestingAndStake p;
  LockProviders locks{&p};
  Events events;
  Ledger l(o, events, &locks);
  const auto a = testkit::test_key("a").address;
  const auto pool = testkit::test_key("pool").address;
  ASSERT_TRUE(l.credit(a, "BTT", 100).is_ok());
  // Nothing unvested: the stake is never read for a spend check.
  p.locked_ = 10;
  EXPECT_EQ(l.spendable(a, "BTT", 0), 90u);
  EXPECT_EQ(p.staked_asked, 0);
  // 70 unvested, nothing staked: 70 + 10 held back; 90 may still be bonded.
  p.unvested_ = 70;
  EXPECT_EQ(l.spendable(a, "BTT", 0), 20u);
  EXPECT_EQ(l.bondable(a, "BTT", 0), 90u);
  EXPECT_EQ(require_bondable(l, a, "BTT", 91, 0).code(), Code::kLockedFunds);
  EXPECT_EQ(require_bondable(l, a, "BTT", 101, 0).code(), Code::kInsufficientFunds);
  // Bonding 50 of the vesting tokens leaves what is spendable as it was.
  ASSERT_TRUE(l.bond(a, pool, "BTT", 50, 0).is_ok());
  p.staked_ = 50;
  EXPECT_EQ(l.balance(a, "BTT"), 50u);
  EXPECT_EQ(l.spendable(a, "BTT", 0), 20u);
  Holds h = l.holds(a, "BTT", 0);
  EXPECT_EQ(h.delegated_vesting(), 50u);
  EXPECT_EQ(h.delegated_free(), 0u);
  EXPECT_EQ(h.vesting_held(), 20u);
  EXPECT_EQ(h.held_back(), 30u);
  // A slash of 10 of the stake holds 10 more back: it never frees anything.
  p.staked_ = 40;
  EXPECT_EQ(l.spendable(a, "BTT", 0), 10u);
  // Staking more than is unvested: the rest is delegated free.
  p.staked_ = 90;
  h = l.holds(a, "BTT", 0);
  EXPECT_EQ(h.delegated_vesting(), 70u);
  EXPECT_EQ(h.delegated_free(), 20u);
  EXPECT_EQ(h.spendable(), 40u);
  // move() keeps the spend rule; bond() refuses what the lock holds.
  EXPECT_EQ(l.move(a, pool, "BTT", 41, 0).code(), Code::kLockedFunds);
  EXPECT_EQ(l.bond(a, pool, "BTT", 41, 0).code(), Code::kLockedFunds);
  EXPECT_TRUE(l.bond(a, pool, "BTT", 40, 0).is_ok());
  // The query asks for the stake even with nothing unvested.
  p.unvested_ = 0;
  const int asked = p.staked_asked;
  EXPECT_EQ(l.holds(a, "BTT", 0).staked, 90u);
  EXPECT_EQ(p.staked_asked, asked + 1);
}

TEST(Ledger, AssetNames) {
  EXPECT_TRUE(is_valid_asset_name("BTT"));
  EXPECT_TRUE(is_valid_asset_name("rwa/clinic-42.eq_1"));
  EXPECT_FALSE(is_valid_asset_name("B"));
  EXPECT_FALSE(is_valid_asset_name("1BTT"));
  EXPECT_FALSE(is_valid_asset_name("BT T"));
  EXPECT_FALSE(is_valid_asset_name(std::string(33, 'A')));
}

}  // namespace
}  // namespace btt::ledger

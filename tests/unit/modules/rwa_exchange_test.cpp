// The RWA exchange core (modules/rwa/exchange): the order book's matching rules with exact
// amounts, the engine against a linear-scan reference model on seeded random order streams, and
// the constant-product pool math with its invariants on random sequences (doc/rwa-exchange.md).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "modules/rwa/exchange/book.h"
#include "modules/rwa/exchange/pool.h"
#include "testkit/rwa_book_model.h"

namespace btt::modules::rwa::exchange {
namespace {

constexpr uint64_t kNow = 1'767'225'600'000;  // 2026-01-01T00:00:00Z, block time in ms

crypto::Address addr(uint8_t n) {
  std::array<uint8_t, crypto::Address::kSize> b{};
  b[0] = 0xa0;
  b[19] = n;
  return crypto::Address(b);
}
const crypto::Address kAlice = addr(1);
const crypto::Address kBob = addr(2);
const crypto::Address kCarol = addr(3);
const crypto::Address kDave = addr(4);

Order order(uint64_t id, crypto::Address owner, Side side, uint64_t price, uint64_t amount,
            TimeInForce tif = TimeInForce::kGtc, uint64_t expiry_ms = 0) {
  return Order{id, owner, side, price, amount, tif, expiry_ms};
}
Order buy(uint64_t id, crypto::Address owner, uint64_t price, uint64_t amount,
          TimeInForce tif = TimeInForce::kGtc, uint64_t expiry_ms = 0) {
  return order(id, owner, Side::kBuy, price, amount, tif, expiry_ms);
}
Order sell(uint64_t id, crypto::Address owner, uint64_t price, uint64_t amount,
           TimeInForce tif = TimeInForce::kGtc, uint64_t expiry_ms = 0) {
  return order(id, owner, Side::kSell, price, amount, tif, expiry_ms);
}

// A book with a config and a clock: place() matches and checks the totals of every result.
struct Book {
  BookConfig config;
  InMemoryBookStore store;
  uint64_t now = kNow;

  MatchResult place(const Order& o, const FillCheck& check = {}) {
    auto r = match(store, config, o, now, check);
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    if (!r) return {};
    const MatchResult& m = *r;
    uint64_t filled = 0, quote = 0;
    for (const Fill& f : m.fills) {
      filled += f.amount;
      quote += f.quote;
    }
    EXPECT_EQ(filled, m.filled);
    EXPECT_EQ(quote, m.quote);
    EXPECT_EQ(m.filled + (m.rested ? m.rested->amount : 0) + m.cancelled, o.amount);
    return m;
  }
  // A resting order placed against an empty opposite side.
  void rest(const Order& o) {
    auto m = place(o);
    EXPECT_TRUE(m.fills.empty());
    EXPECT_TRUE(m.rested.has_value());
  }
  std::vector<Order> sells() const { return store.orders(Side::kSell); }
  std::vector<Order> buys() const { return store.orders(Side::kBuy); }
};

// ------------------------------------------------------------------ matching rules

TEST(RwaExchangeBook, ATakerFillsAtTheMakersPriceAndTheMakerKeepsTheRest) {
  Book b;
  b.rest(sell(1, kAlice, 100, 10));
  const auto m = b.place(buy(2, kBob, 105, 4));
  ASSERT_EQ(m.fills.size(), 1u);
  EXPECT_EQ(m.fills[0], (Fill{1, kAlice, kBob, Side::kBuy, 100, 4, 400, 6}));
  EXPECT_EQ(m.filled, 4u);
  EXPECT_EQ(m.quote, 400u);
  EXPECT_EQ(m.stop, Stop::kFilled);
  EXPECT_FALSE(m.rested);
  EXPECT_EQ(m.cancelled, 0u);
  ASSERT_EQ(b.sells().size(), 1u);
  EXPECT_EQ(b.sells()[0].amount, 6u);
  EXPECT_TRUE(b.buys().empty());
}

TEST(RwaExchangeBook, BestPriceFirstThenOldest) {
  Book b;
  b.rest(sell(1, kAlice, 101, 10));
  b.rest(sell(2, kBob, 100, 10));
  b.rest(sell(3, kCarol, 100, 10));
  b.rest(sell(4, kCarol, 102, 10));
  const auto m = b.place(buy(5, kDave, 101, 25));
  ASSERT_EQ(m.fills.size(), 3u);
  EXPECT_EQ(m.fills[0], (Fill{2, kBob, kDave, Side::kBuy, 100, 10, 1000, 0}));
  EXPECT_EQ(m.fills[1], (Fill{3, kCarol, kDave, Side::kBuy, 100, 10, 1000, 0}));
  EXPECT_EQ(m.fills[2], (Fill{1, kAlice, kDave, Side::kBuy, 101, 5, 505, 5}));
  EXPECT_EQ(m.quote, 2505u);
  EXPECT_EQ(b.sells().size(), 2u);
  EXPECT_EQ(b.sells()[0], sell(1, kAlice, 101, 5));
  EXPECT_EQ(b.sells()[1], sell(4, kCarol, 102, 10));
}

TEST(RwaExchangeBook, ASellTakerMeetsTheHighestBidFirst) {
  Book b;
  b.rest(buy(1, kAlice, 99, 10));
  b.rest(buy(2, kBob, 100, 3));
  b.rest(buy(3, kCarol, 100, 3));
  const auto m = b.place(sell(4, kDave, 98, 8));
  ASSERT_EQ(m.fills.size(), 3u);
  EXPECT_EQ(m.fills[0], (Fill{2, kBob, kDave, Side::kSell, 100, 3, 300, 0}));
  EXPECT_EQ(m.fills[1], (Fill{3, kCarol, kDave, Side::kSell, 100, 3, 300, 0}));
  EXPECT_EQ(m.fills[2], (Fill{1, kAlice, kDave, Side::kSell, 99, 2, 198, 8}));
  EXPECT_EQ(m.quote, 798u);
  EXPECT_EQ(b.buys(), std::vector<Order>{buy(1, kAlice, 99, 8)});
}

TEST(RwaExchangeBook, NoCrossRestsAGtcAndCancelsAnIoc) {
  Book b;
  b.rest(sell(1, kAlice, 100, 10));
  auto m = b.place(buy(2, kBob, 99, 5));
  EXPECT_TRUE(m.fills.empty());
  EXPECT_EQ(m.stop, Stop::kNoCross);
  EXPECT_EQ(m.rested, buy(2, kBob, 99, 5));
  m = b.place(buy(3, kBob, 99, 5, TimeInForce::kIoc));
  EXPECT_FALSE(m.rested);
  EXPECT_EQ(m.cancelled, 5u);
  EXPECT_EQ(b.buys(), std::vector<Order>{buy(2, kBob, 99, 5)});
}

TEST(RwaExchangeBook, GtcRemainderRestsAtItsLimitAfterPartialFills) {
  Book b;
  b.rest(sell(1, kAlice, 100, 4));
  const auto m = b.place(buy(2, kBob, 101, 10, TimeInForce::kGtc, kNow + 60'000));
  EXPECT_EQ(m.filled, 4u);
  EXPECT_EQ(m.quote, 400u);
  EXPECT_EQ(m.stop, Stop::kNoCross);
  EXPECT_EQ(m.rested, buy(2, kBob, 101, 6, TimeInForce::kGtc, kNow + 60'000));
  EXPECT_TRUE(b.sells().empty());
}

TEST(RwaExchangeBook, IocCancelsWhatDidNotFill) {
  Book b;
  b.rest(sell(1, kAlice, 100, 4));
  const auto m = b.place(buy(2, kBob, 100, 10, TimeInForce::kIoc));
  EXPECT_EQ(m.filled, 4u);
  EXPECT_EQ(m.cancelled, 6u);
  EXPECT_FALSE(m.rested);
  EXPECT_EQ(b.store.size(), 0u);
}

TEST(RwaExchangeBook, FokFillsWholly) {
  Book b;
  b.rest(sell(1, kAlice, 100, 4));
  b.rest(sell(2, kBob, 101, 6));
  const auto m = b.place(buy(3, kCarol, 101, 10, TimeInForce::kFok));
  EXPECT_FALSE(m.killed);
  EXPECT_EQ(m.filled, 10u);
  EXPECT_EQ(m.quote, 400u + 606u);
  EXPECT_EQ(b.store.size(), 0u);
}

TEST(RwaExchangeBook, AKilledFokChangesNothingNotEvenExpiredOrSelfTradeMakers) {
  Book b;
  b.rest(sell(1, kAlice, 99, 5, TimeInForce::kGtc, kNow + 1000));
  b.rest(sell(2, kCarol, 100, 4));
  b.rest(sell(3, kAlice, 100, 4));
  b.now = kNow + 1000;  // order 1 has expired
  const auto before = b.sells();
  const auto m = b.place(buy(4, kCarol, 100, 5, TimeInForce::kFok));
  EXPECT_TRUE(m.killed);
  EXPECT_TRUE(m.fills.empty());
  EXPECT_TRUE(m.removed.empty());
  EXPECT_EQ(m.cancelled, 5u);
  EXPECT_EQ(m.stop, Stop::kNoCross);
  EXPECT_EQ(b.sells(), before);
}

TEST(RwaExchangeBook, SelfTradeCancelsTheRestingOrderAndGoesOn) {
  Book b;
  b.rest(sell(1, kAlice, 100, 5));
  b.rest(sell(2, kBob, 100, 5));
  const auto m = b.place(buy(3, kAlice, 100, 5));
  ASSERT_EQ(m.removed.size(), 1u);
  EXPECT_EQ(m.removed[0], (Removal{sell(1, kAlice, 100, 5), RemovalReason::kSelfTrade}));
  ASSERT_EQ(m.fills.size(), 1u);
  EXPECT_EQ(m.fills[0], (Fill{2, kBob, kAlice, Side::kBuy, 100, 5, 500, 0}));
  EXPECT_EQ(b.store.size(), 0u);
}

TEST(RwaExchangeBook, ExpiredMakersAreRemovedAndReported) {
  Book b;
  b.rest(sell(1, kAlice, 100, 5, TimeInForce::kGtc, kNow + 500));
  b.rest(sell(2, kBob, 100, 5, TimeInForce::kGtc, kNow + 2000));
  b.now = kNow + 500;  // expiry_ms <= block time: order 1 is dead, order 2 alive
  const auto m = b.place(buy(3, kCarol, 100, 3));
  ASSERT_EQ(m.removed.size(), 1u);
  EXPECT_EQ(m.removed[0].order.id, 1u);
  EXPECT_EQ(m.removed[0].reason, RemovalReason::kExpired);
  ASSERT_EQ(m.fills.size(), 1u);
  EXPECT_EQ(m.fills[0].maker_id, 2u);
  EXPECT_EQ(b.sells(), std::vector<Order>{sell(2, kBob, 100, 2, TimeInForce::kGtc, kNow + 2000)});
}

TEST(RwaExchangeBook, AVetoedMakerIsCancelledAndAVetoedTakerStops) {
  Book b;
  b.rest(sell(1, kAlice, 100, 5));
  b.rest(sell(2, kBob, 100, 5));
  b.rest(sell(3, kCarol, 100, 5));
  std::vector<uint64_t> asked;
  auto check = [&](const FillProposal& p) {
    asked.push_back(p.maker.id);
    EXPECT_EQ(p.taker.id, 4u);
    if (p.maker.owner == kAlice) return Verdict::kCancelMaker;
    if (p.maker.owner == kCarol) return Verdict::kStopTaker;
    return Verdict::kAllow;
  };
  const auto m = b.place(buy(4, kDave, 100, 12), check);
  EXPECT_EQ(asked, (std::vector<uint64_t>{1, 2, 3}));
  ASSERT_EQ(m.removed.size(), 1u);
  EXPECT_EQ(m.removed[0], (Removal{sell(1, kAlice, 100, 5), RemovalReason::kVetoed}));
  ASSERT_EQ(m.fills.size(), 1u);
  EXPECT_EQ(m.fills[0].maker_id, 2u);
  EXPECT_EQ(m.stop, Stop::kTakerVetoed);
  // A GTC stopped by a veto does not rest: its remainder is cancelled.
  EXPECT_FALSE(m.rested);
  EXPECT_EQ(m.cancelled, 7u);
  EXPECT_EQ(b.sells(), std::vector<Order>{sell(3, kCarol, 100, 5)});
}

TEST(RwaExchangeBook, TheFillCheckSeesTheFillsAmountAndQuote) {
  Book b;
  b.config.price_scale = 3;
  b.rest(sell(1, kAlice, 10, 5));
  uint64_t amount = 0, quote = 0;
  b.place(buy(2, kBob, 10, 4), [&](const FillProposal& p) {
    amount = p.amount;
    quote = p.quote;
    return Verdict::kAllow;
  });
  EXPECT_EQ(amount, 4u);
  EXPECT_EQ(quote, 14u);  // ceil(10 x 4 / 3) = ceil(13.33)
}

TEST(RwaExchangeBook, TheFillBoundStopsAndCancelsACrossingRemainder) {
  Book b;
  b.config.max_fills = 2;
  b.rest(sell(1, kAlice, 100, 1));
  b.rest(sell(2, kBob, 100, 1));
  b.rest(sell(3, kCarol, 100, 1));
  const auto m = b.place(buy(4, kDave, 100, 5));
  EXPECT_EQ(m.fills.size(), 2u);
  EXPECT_EQ(m.stop, Stop::kFillLimit);
  EXPECT_FALSE(m.rested);  // it would cross order 3
  EXPECT_EQ(m.cancelled, 3u);
  EXPECT_EQ(b.sells(), std::vector<Order>{sell(3, kCarol, 100, 1)});
}

TEST(RwaExchangeBook, TheFillBoundLeavesAGtcRestingWhenNothingCrossesAnyMore) {
  Book b;
  b.config.max_fills = 2;
  b.rest(sell(1, kAlice, 100, 1));
  b.rest(sell(2, kBob, 100, 1));
  b.rest(sell(3, kCarol, 101, 1));
  const auto m = b.place(buy(4, kDave, 100, 5));
  EXPECT_EQ(m.fills.size(), 2u);
  EXPECT_EQ(m.stop, Stop::kNoCross);
  EXPECT_EQ(m.rested, buy(4, kDave, 100, 3));
}

TEST(RwaExchangeBook, TheRemovalBoundStopsAndLeavesTheRestForLaterCalls) {
  Book b;
  b.config.max_removed = 2;
  for (uint64_t id = 1; id <= 3; ++id) {
    b.rest(sell(id, kAlice, 100, 1, TimeInForce::kGtc, kNow + 10));
  }
  b.rest(sell(4, kBob, 100, 1));
  b.now = kNow + 10;
  auto m = b.place(buy(5, kCarol, 100, 1));
  EXPECT_EQ(m.removed.size(), 2u);
  EXPECT_TRUE(m.fills.empty());
  EXPECT_EQ(m.stop, Stop::kRemoveLimit);
  EXPECT_EQ(m.cancelled, 1u);
  EXPECT_FALSE(m.rested);
  EXPECT_EQ(b.sells().size(), 2u);
  // The next taker removes the last expired one and fills.
  m = b.place(buy(6, kCarol, 100, 1));
  EXPECT_EQ(m.removed.size(), 1u);
  EXPECT_EQ(m.removed[0].order.id, 3u);
  EXPECT_EQ(m.fills.size(), 1u);
  EXPECT_EQ(b.store.size(), 0u);
}

TEST(RwaExchangeBook, QuotesRoundInTheMakersFavour) {
  Book b;
  b.config.price_scale = 3;  // price: quote units per 3 fractions
  b.rest(sell(1, kAlice, 10, 5));
  // The maker sells: the buyer pays ceil(10 x 1 / 3) = ceil(3.33) = 4 for one fraction.
  auto m = b.place(buy(2, kBob, 10, 1));
  EXPECT_EQ(m.fills[0].quote, 4u);
  b.store.erase(key_of(sell(1, kAlice, 10, 4)));
  b.rest(buy(3, kCarol, 10, 5));
  // The maker buys: it pays floor(10 x 1 / 3) = 3 for one fraction, and 10 for three (exact).
  m = b.place(sell(4, kDave, 10, 1));
  EXPECT_EQ(m.fills[0].quote, 3u);
  m = b.place(sell(5, kDave, 10, 3));
  EXPECT_EQ(m.fills[0].quote, 10u);
  EXPECT_EQ(b.buys(), std::vector<Order>{buy(3, kCarol, 10, 1)});
}

TEST(RwaExchangeBook, ARestingBuysEscrowAtItsLimitNeverRunsShort) {
  // The module escrows notional_of(order) = ceil(price x amount / scale) for a resting buy; every
  // fill pays floor() of its part, so the escrow left always covers the rest at the limit.
  Book b;
  b.config.price_scale = 7;
  const Order maker = buy(1, kAlice, 10, 20);
  b.rest(maker);
  uint64_t escrow = *notional_of(maker, 7);
  EXPECT_EQ(escrow, 29u);  // ceil(200 / 7)
  uint64_t open = 20;
  for (uint64_t id = 2; open > 0; ++id) {
    const uint64_t amount = std::min<uint64_t>(open, id % 3 + 1);
    const auto m = b.place(sell(id, kBob, 10, amount));
    ASSERT_EQ(m.fills.size(), 1u);
    escrow -= m.fills[0].quote;
    open -= amount;
    EXPECT_GE(escrow, *quote_of(10, open, 7, true)) << "open " << open;
  }
}

TEST(RwaExchangeBook, InvalidOrdersAndConfigsAreRefusedAndWriteNothing) {
  Book b;
  b.rest(sell(1, kAlice, 100, 5));
  auto refused = [&](const Order& o) {
    auto r = match(b.store, b.config, o, b.now);
    EXPECT_FALSE(r.is_ok());
    return r.status().code();
  };
  EXPECT_EQ(refused(buy(0, kBob, 100, 5)), Code::kInvalidArgument);
  EXPECT_EQ(refused(buy(2, kBob, 0, 5)), Code::kInvalidArgument);
  EXPECT_EQ(refused(buy(2, kBob, 100, 0)), Code::kInvalidAmount);
  EXPECT_EQ(refused(buy(2, kBob, 100, 5, TimeInForce::kGtc, kNow)), Code::kInvalidArgument);
  EXPECT_EQ(refused(order(2, kBob, static_cast<Side>(2), 100, 5)), Code::kInvalidArgument);
  EXPECT_EQ(refused(buy(2, kBob, 100, 5, static_cast<TimeInForce>(3))), Code::kInvalidArgument);
  b.config.max_notional = 499;
  EXPECT_EQ(refused(buy(2, kBob, 100, 5)), Code::kLimitExceeded);
  EXPECT_TRUE(validate_order(b.config, buy(2, kBob, 499, 1), b.now));
  EXPECT_EQ(refused(buy(2, kBob, UINT64_MAX, UINT64_MAX)), Code::kLimitExceeded);
  b.config = BookConfig{};
  b.config.price_scale = 0;
  EXPECT_EQ(refused(buy(2, kBob, 100, 5)), Code::kInvalidArgument);
  b.config = BookConfig{};
  b.config.max_fills = 0;
  EXPECT_FALSE(validate_config(b.config));
  b.config = BookConfig{};
  b.config.max_removed = 0;
  EXPECT_FALSE(validate_config(b.config));
  b.config = BookConfig{};
  b.config.max_notional = UINT64_MAX / 64;  // (n + 1) x 64 overflows
  EXPECT_FALSE(validate_config(b.config));
  EXPECT_TRUE(validate_config(BookConfig{}));
  EXPECT_EQ(b.sells(), std::vector<Order>{sell(1, kAlice, 100, 5)});
}

TEST(RwaExchangeBook, QuoteArithmeticAtTheEdges) {
  EXPECT_EQ(quote_of(UINT64_MAX, 1, 1, true), UINT64_MAX);
  EXPECT_EQ(quote_of(UINT64_MAX, 2, 1, false), std::nullopt);
  EXPECT_EQ(quote_of(UINT64_MAX, 2, 2, true), UINT64_MAX);
  EXPECT_EQ(quote_of(UINT64_MAX, UINT64_MAX, UINT64_MAX, false), UINT64_MAX);
  EXPECT_EQ(quote_of(1, 1, 0, false), std::nullopt);
  EXPECT_EQ(quote_of(7, 3, 10, false), 2u);
  EXPECT_EQ(quote_of(7, 3, 10, true), 3u);
  EXPECT_EQ(quote_of(7, 10, 10, true), 7u);
}

TEST(RwaExchangeBook, PriorityKeyBytesSortInPriorityOrder) {
  std::mt19937_64 rng(7);
  for (Side side : {Side::kBuy, Side::kSell}) {
    std::vector<OrderKey> keys;
    for (int i = 0; i < 200; ++i) {
      const uint64_t price = i % 5 == 0 ? (i % 2 ? UINT64_MAX : 1) : 90 + rng() % 20;
      keys.push_back(OrderKey{side, price, 1 + rng() % 50});
    }
    for (const auto& a : keys) {
      for (const auto& c : keys) {
        if (a == c) continue;
        EXPECT_EQ(before(a, c), priority_key_bytes(a) < priority_key_bytes(c));
      }
    }
  }
  EXPECT_LT(priority_key_bytes({Side::kBuy, 1, 1}), priority_key_bytes({Side::kSell, 1, 1}));
  EXPECT_EQ(priority_key_bytes({Side::kSell, 0x0102, 0x03}).size(), 17u);
}

TEST(RwaExchangeBook, TheInMemoryStoreWalksInPriorityOrder) {
  InMemoryBookStore s;
  s.insert(buy(3, kAlice, 100, 5));
  s.insert(buy(1, kAlice, 99, 5));
  s.insert(buy(2, kAlice, 100, 5));
  EXPECT_EQ(s.best(Side::kBuy)->id, 2u);
  EXPECT_EQ(s.next_after({Side::kBuy, 100, 2})->id, 3u);
  EXPECT_EQ(s.next_after({Side::kBuy, 100, 3})->id, 1u);
  EXPECT_EQ(s.next_after({Side::kBuy, 99, 1}), std::nullopt);
  EXPECT_EQ(s.next_after({Side::kBuy, 100, 0})->id, 2u);  // a key that does not rest
  EXPECT_EQ(s.best(Side::kSell), std::nullopt);
  s.reduce({Side::kBuy, 100, 3}, 2);
  s.erase({Side::kBuy, 100, 2});
  EXPECT_EQ(s.best(Side::kBuy), buy(3, kAlice, 100, 2));
  EXPECT_EQ(s.size(), 2u);
}

// ------------------------------------------------------------------ engine vs reference model

// A store kept the way the module keeps it: each order under its priority_key_bytes in one
// byte-ordered map (RocksDB's order), best = the first key of the side, next_after = a seek past
// the key. The random streams run through it beside InMemoryBookStore.
class ByteKeyedStore final : public BookStore {
 public:
  std::optional<Order> best(Side side) const override {
    return at(kv_.lower_bound(std::string(1, static_cast<char>(side))), side);
  }
  std::optional<Order> next_after(const OrderKey& key) const override {
    return at(kv_.upper_bound(priority_key_bytes(key)), key.side);
  }
  void insert(const Order& order) override { kv_[priority_key_bytes(key_of(order))] = order; }
  void reduce(const OrderKey& key, uint64_t amount) override {
    kv_.at(priority_key_bytes(key)).amount = amount;
  }
  void erase(const OrderKey& key) override { kv_.erase(priority_key_bytes(key)); }
  std::vector<Order> orders(Side side) const {
    std::vector<Order> out;
    for (auto o = best(side); o; o = next_after(key_of(*o))) out.push_back(*o);
    return out;
  }

 private:
  using Map = std::map<std::string, Order>;
  std::optional<Order> at(Map::const_iterator it, Side side) const {
    if (it == kv_.end() || it->first[0] != static_cast<char>(side)) return std::nullopt;
    return it->second;
  }
  Map kv_;
};

// A deterministic compliance check of both sides (pure in the proposal, as the module's is).
Verdict pseudo_check(const FillProposal& p, uint64_t salt) {
  const uint64_t h = (p.maker.id * 0x9e3779b97f4a7c15ULL) ^ (p.taker.id * 0xc2b2ae3d27d4eb4fULL) ^
                     (p.amount * 0x165667b19e3779f9ULL) ^ salt;
  const uint64_t r = (h ^ (h >> 29)) % 100;
  if (r < 4) return Verdict::kCancelMaker;
  if (r < 6) return Verdict::kStopTaker;
  return Verdict::kAllow;
}

// Balances from fills: fractions and quote per owner; each pair must sum to zero.
struct Balances {
  std::map<crypto::Address, std::pair<int64_t, int64_t>> by_owner;  // (fractions, quote)
  void apply(const std::vector<Fill>& fills) {
    for (const Fill& f : fills) {
      const int64_t a = static_cast<int64_t>(f.amount), q = static_cast<int64_t>(f.quote);
      const int64_t dir = f.taker_side == Side::kBuy ? 1 : -1;
      by_owner[f.taker_owner].first += dir * a;
      by_owner[f.taker_owner].second -= dir * q;
      by_owner[f.maker_owner].first -= dir * a;
      by_owner[f.maker_owner].second += dir * q;
    }
  }
  bool operator==(const Balances&) const = default;
};

struct StreamStats {
  uint64_t fills = 0, removed = 0, killed = 0, rested = 0, vetoed = 0, bounded = 0;
};

// One seeded random stream through the engine and the model; every result, book and balance
// compared after every step.
void run_stream(uint64_t seed, StreamStats& stats) {
  std::mt19937_64 rng(seed);
  auto pick = [&](uint64_t n) { return rng() % n; };
  BookConfig config;
  config.price_scale = std::vector<uint64_t>{1, 1, 3, 100}[pick(4)];
  config.max_fills = static_cast<uint32_t>(1 + pick(6));
  config.max_removed = static_cast<uint32_t>(1 + pick(4));
  config.max_notional = 1'000'000'000;
  const uint64_t owners = 2 + pick(5);
  const bool with_check = pick(3) != 0;
  InMemoryBookStore store;
  ByteKeyedStore bytes_store;
  testkit::RwaBookModel model;
  Balances engine_bal, model_bal;
  uint64_t now = kNow, next_id = 1;
  std::vector<OrderKey> placed;
  FillCheck check;
  if (with_check) check = [seed](const FillProposal& p) { return pseudo_check(p, seed); };
  for (int step = 0; step < 300; ++step) {
    now += pick(3) * 250;
    if (!placed.empty() && pick(10) == 0) {  // a cancel, as the module does it
      const OrderKey k = placed[pick(placed.size())];
      store.erase(k);
      bytes_store.erase(k);
      model.erase(k.id);
      continue;
    }
    Order o;
    o.id = next_id++;
    o.owner = addr(static_cast<uint8_t>(pick(owners)));
    o.side = pick(2) == 0 ? Side::kBuy : Side::kSell;
    o.price = 95 + pick(11);
    o.amount = 1 + pick(pick(4) == 0 ? 60 : 12);
    o.tif = static_cast<TimeInForce>(std::vector<int>{0, 0, 0, 1, 2}[pick(5)]);
    o.expiry_ms = pick(3) == 0 ? now + 1 + pick(3000) : 0;
    placed.push_back(key_of(o));
    ASSERT_TRUE(validate_order(config, o, now));
    auto got = match(store, config, o, now, check);
    ASSERT_TRUE(got.is_ok()) << got.status().to_string();
    const MatchResult want = model.match(config, o, now, check);
    ASSERT_EQ(*got, want) << "seed " << seed << " step " << step;
    auto got_bytes = match(bytes_store, config, o, now, check);
    ASSERT_TRUE(got_bytes.is_ok());
    ASSERT_EQ(*got_bytes, want) << "seed " << seed << " step " << step;
    ASSERT_EQ(store.orders(Side::kBuy), model.orders(Side::kBuy)) << "seed " << seed;
    ASSERT_EQ(store.orders(Side::kSell), model.orders(Side::kSell)) << "seed " << seed;
    ASSERT_EQ(bytes_store.orders(Side::kBuy), model.orders(Side::kBuy)) << "seed " << seed;
    ASSERT_EQ(bytes_store.orders(Side::kSell), model.orders(Side::kSell)) << "seed " << seed;
    engine_bal.apply(got->fills);
    model_bal.apply(want.fills);
    ASSERT_EQ(engine_bal, model_bal);
    // The book never crosses, and a call never does more work than its bounds.
    const auto bids = store.orders(Side::kBuy), asks = store.orders(Side::kSell);
    if (!bids.empty() && !asks.empty()) {
      ASSERT_LT(bids.front().price, asks.front().price);
    }
    ASSERT_LE(got->fills.size(), config.max_fills);
    ASSERT_LE(got->removed.size(), config.max_removed);
    ASSERT_EQ(got->filled + (got->rested ? got->rested->amount : 0) + got->cancelled, o.amount);
    // A taker buy pays at most its notional plus one unit of rounding per extra fill.
    if (o.side == Side::kBuy && !got->fills.empty()) {
      ASSERT_LE(got->quote, *notional_of(o, config.price_scale) + got->fills.size() - 1);
    }
    stats.fills += got->fills.size();
    stats.removed += got->removed.size();
    stats.killed += got->killed;
    stats.rested += got->rested.has_value();
    stats.vetoed += got->stop == Stop::kTakerVetoed;
    stats.bounded += got->stop == Stop::kFillLimit || got->stop == Stop::kRemoveLimit;
  }
  int64_t fractions = 0, quote = 0;
  for (const auto& [owner, b] : engine_bal.by_owner) {
    fractions += b.first;
    quote += b.second;
  }
  EXPECT_EQ(fractions, 0);
  EXPECT_EQ(quote, 0);
}

TEST(RwaExchangeBook, TheEngineMatchesTheReferenceModelOnRandomStreams) {
  StreamStats stats;
  for (uint64_t seed = 1; seed <= 300; ++seed) {
    run_stream(seed, stats);
    if (HasFatalFailure()) return;
  }
  // The streams reach every path.
  EXPECT_GT(stats.fills, 10'000u);
  EXPECT_GT(stats.removed, 1'000u);
  EXPECT_GT(stats.killed, 100u);
  EXPECT_GT(stats.rested, 1'000u);
  EXPECT_GT(stats.vetoed, 100u);
  EXPECT_GT(stats.bounded, 100u);
}

// ------------------------------------------------------------------ pool

TEST(RwaExchangePool, IsqrtIsTheFloorOfTheSquareRoot) {
  EXPECT_EQ(isqrt(0), 0u);
  EXPECT_EQ(isqrt(1), 1u);
  EXPECT_EQ(isqrt(3), 1u);
  EXPECT_EQ(isqrt(4), 2u);
  EXPECT_EQ(isqrt(~u128{0}), UINT64_MAX);
  EXPECT_EQ(isqrt(static_cast<u128>(UINT64_MAX) * UINT64_MAX), UINT64_MAX);
  EXPECT_EQ(isqrt(static_cast<u128>(UINT64_MAX) * UINT64_MAX - 1), UINT64_MAX - 1);
  std::mt19937_64 rng(11);
  for (int i = 0; i < 20000; ++i) {
    const u128 n = (static_cast<u128>(rng()) << (rng() % 65)) ^ rng();
    const u128 r = isqrt(n);
    ASSERT_LE(r * r, n);
    ASSERT_GT((r + 1) * (r + 1), n);
  }
}

TEST(RwaExchangePool, InitialDepositMintsTheGeometricMean) {
  auto d = initial_deposit(Pool{}, 1000, 4000);
  ASSERT_TRUE(d.is_ok());
  EXPECT_EQ(d->shares, 2000u);
  EXPECT_EQ(d->after, (Pool{1000, 4000, 2000, 0}));
  d = initial_deposit(Pool{}, 10, 11);  // sqrt(110) = 10.48
  EXPECT_EQ(d->shares, 10u);
  EXPECT_EQ(initial_deposit(Pool{}, 10, 11, 11).status().code(), Code::kInvalidAmount);
  EXPECT_EQ(initial_deposit(Pool{}, 0, 11).status().code(), Code::kInvalidAmount);
  EXPECT_EQ(initial_deposit(Pool{1, 1, 1, 0}, 10, 10).status().code(), Code::kWrongState);
  d = initial_deposit(Pool{}, UINT64_MAX, UINT64_MAX);
  EXPECT_EQ(d->shares, UINT64_MAX);
}

TEST(RwaExchangePool, DepositsRoundInThePoolsFavour) {
  auto d = deposit(Pool{1000, 4000, 2000, 0}, 100, 500);
  ASSERT_TRUE(d.is_ok());
  EXPECT_EQ(d->shares, 200u);  // min(100 x 2000 / 1000, 500 x 2000 / 4000)
  EXPECT_EQ(d->used_a, 100u);
  EXPECT_EQ(d->used_b, 400u);
  EXPECT_EQ(d->after, (Pool{1100, 4400, 2200, 0}));
  // Inexact: pool (3, 7) with 4 shares; offering (1, 10) mints floor(4/3) = 1 share for
  // ceil(3/4) = 1 and ceil(7/4) = 2.
  d = deposit(Pool{3, 7, 4, 0}, 1, 10);
  EXPECT_EQ(d->shares, 1u);
  EXPECT_EQ(d->used_a, 1u);
  EXPECT_EQ(d->used_b, 2u);
  EXPECT_EQ(deposit(Pool{3, 7, 4, 0}, 0, 10).status().code(), Code::kInvalidAmount);
  EXPECT_EQ(deposit(Pool{}, 1, 1).status().code(), Code::kWrongState);
  EXPECT_EQ(deposit(Pool{UINT64_MAX, 1, 1, 0}, UINT64_MAX, 1).status().code(),
            Code::kBalanceOverflow);
}

TEST(RwaExchangePool, WithdrawalsRoundDownAndTheLastProviderTakesTheRest) {
  auto w = withdraw(Pool{1100, 4400, 2200, 0}, 1000);
  ASSERT_TRUE(w.is_ok());
  EXPECT_EQ(w->out_a, 500u);
  EXPECT_EQ(w->out_b, 2000u);
  EXPECT_EQ(w->after, (Pool{600, 2400, 1200, 0}));
  w = withdraw(Pool{10, 10, 3, 5}, 1);  // floor(10 / 3) each
  EXPECT_EQ(w->out_a, 3u);
  EXPECT_EQ(w->out_b, 3u);
  EXPECT_EQ(w->after, (Pool{7, 7, 2, 5}));
  w = withdraw(w->after, 2);  // the last provider: exactly what is left, no dust
  EXPECT_EQ(w->out_a, 7u);
  EXPECT_EQ(w->out_b, 7u);
  EXPECT_EQ(w->after, Pool{});
  EXPECT_EQ(withdraw(Pool{10, 10, 3, 0}, 4).status().code(), Code::kInsufficientFunds);
  EXPECT_EQ(withdraw(Pool{10, 10, 3, 0}, 0).status().code(), Code::kInvalidAmount);
}

TEST(RwaExchangePool, SwapsChargeTheFeeUpAndPayTheOutputDown) {
  const Pool p{1000, 1000, 1000, 0};
  auto s = swap_exact_in(p, true, 100, 30);
  ASSERT_TRUE(s.is_ok());
  EXPECT_EQ(s->fee, 1u);   // ceil(100 x 30 / 10,000) = ceil(0.3)
  EXPECT_EQ(s->out, 90u);  // floor(1000 x 99 / 1099) = floor(90.08)
  EXPECT_EQ(s->after, (Pool{1100, 910, 1000, 0}));
  EXPECT_GE(invariant_k(s->after), invariant_k(p));
  s = swap_exact_in(p, false, 100, 0);
  EXPECT_EQ(s->out, 90u);  // floor(100,000 / 1100) = 90.9
  EXPECT_EQ(s->after, (Pool{910, 1100, 1000, 0}));
  EXPECT_EQ(swap_exact_in(p, true, 1, 30).status().code(), Code::kLimitExceeded);  // pays 0
  EXPECT_EQ(swap_exact_in(p, true, 100, 30, 91).status().code(), Code::kLimitExceeded);
  EXPECT_EQ(swap_exact_in(p, true, 100, 10'000).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(swap_exact_in(Pool{}, true, 100, 30).status().code(), Code::kWrongState);
  EXPECT_EQ(swap_exact_in(Pool{UINT64_MAX, 5, 1, 0}, true, 1, 0).status().code(),
            Code::kBalanceOverflow);
  s = swap_exact_in(Pool{UINT64_MAX - 1, UINT64_MAX, 1, 0}, true, 1, 0);  // 128-bit products
  EXPECT_EQ(s->out, 1u);
}

TEST(RwaExchangePool, QuoteInForOutIsTheLeastSufficientInput) {
  std::mt19937_64 rng(5);
  for (int i = 0; i < 2000; ++i) {
    const Pool p{2 + rng() % 100'000, 2 + rng() % 100'000, 1, 0};
    const bool a_in = rng() % 2;
    const uint64_t fee = rng() % 300;
    const uint64_t r_out = a_in ? p.reserve_b : p.reserve_a;
    const uint64_t out = 1 + rng() % (r_out - 1);
    auto in = quote_in_for_out(p, a_in, out, fee);
    ASSERT_TRUE(in.is_ok());
    auto s = swap_exact_in(p, a_in, *in, fee);
    ASSERT_TRUE(s.is_ok());
    ASSERT_GE(s->out, out);
    if (*in > 1) {
      auto less = swap_exact_in(p, a_in, *in - 1, fee);
      ASSERT_TRUE(!less.is_ok() || less->out < out);
    }
  }
  EXPECT_EQ(*quote_in_for_out(Pool{1000, 1000, 1000, 0}, true, 90, 30), 100u);
  EXPECT_EQ(quote_in_for_out(Pool{1000, 1000, 1000, 0}, true, 1000, 30).status().code(),
            Code::kInvalidAmount);
}

TEST(RwaExchangePool, TheManagementFeeDilutesExactlyWithACarry) {
  // 2% a year on 10^10 shares: a whole year mints 2 x 10^8 shares.
  auto a = accrue_management_fee(Pool{5, 5, 10'000'000'000, 0}, 200, kYearMs);
  ASSERT_TRUE(a.is_ok());
  EXPECT_EQ(a->minted, 200'000'000u);
  EXPECT_EQ(a->after.shares, 10'200'000'000u);
  EXPECT_EQ(a->after.fee_carry, 0u);
  // One 2-second block on 10^8 shares is worth 0.127 of a share: nothing is minted, the carry
  // keeps it. The shares held fixed, 10,000 blocks mint exactly floor(10^8 x 200 x 2 x 10^7 /
  // (10^4 x kYearMs)) = 1268 shares (1268.39), the rest stays in the carry.
  Pool p{5, 5, 100'000'000, 0};
  uint64_t minted = 0;
  for (int i = 0; i < 10'000; ++i) {
    auto step = accrue_management_fee(p, 200, 2000);
    ASSERT_TRUE(step.is_ok());
    minted += step->minted;
    p.fee_carry = step->after.fee_carry;
  }
  EXPECT_EQ(minted, 1268u);
  EXPECT_EQ(p.fee_carry, 100'000'000ULL * 200 * 20'000'000 - 1268 * 10'000 * kYearMs);
  EXPECT_EQ(accrue_management_fee(Pool{}, 200, 2000)->minted, 0u);
  EXPECT_EQ(accrue_management_fee(p, 10'001, 2000).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(accrue_management_fee(Pool{1, 1, UINT64_MAX, 0}, 10'000, kYearMs).status().code(),
            Code::kBalanceOverflow);
}

TEST(RwaExchangePool, RandomSequencesKeepTheInvariants) {
  for (uint64_t seed = 1; seed <= 200; ++seed) {
    std::mt19937_64 rng(seed);
    auto pick = [&](uint64_t n) { return rng() % n; };
    const uint64_t fee = pick(100);
    Pool p;
    std::map<int, uint64_t> held;  // provider -> shares; provider 0 is the manager
    uint64_t in_a = 0, in_b = 0, out_a = 0, out_b = 0;
    auto first = initial_deposit(p, 1 + pick(1'000'000), 1 + pick(1'000'000));
    if (!first) continue;
    p = first->after;
    held[1] = first->shares;
    in_a += first->used_a;
    in_b += first->used_b;
    for (int step = 0; step < 400; ++step) {
      const auto op = pick(10);
      if (op < 4) {
        const bool a_in = pick(2);
        auto s = swap_exact_in(p, a_in, 1 + pick(200'000), fee);
        if (!s) continue;
        ASSERT_GE(invariant_k(s->after), invariant_k(p)) << "seed " << seed;
        (a_in ? in_a : in_b) += s->in;
        (a_in ? out_b : out_a) += s->out;
        p = s->after;
      } else if (op < 7) {
        const int who = 1 + static_cast<int>(pick(4));
        auto d = deposit(p, pick(500'000), pick(500'000));
        if (!d) continue;
        // A deposit never lowers the reserves per share.
        ASSERT_GE(static_cast<u128>(d->after.reserve_a) * p.shares,
                  static_cast<u128>(p.reserve_a) * d->after.shares);
        ASSERT_GE(static_cast<u128>(d->after.reserve_b) * p.shares,
                  static_cast<u128>(p.reserve_b) * d->after.shares);
        held[who] += d->shares;
        in_a += d->used_a;
        in_b += d->used_b;
        p = d->after;
      } else if (op < 9) {
        std::vector<int> holders;
        for (const auto& [who, s] : held) {
          if (s > 0) holders.push_back(who);
        }
        if (holders.empty()) break;
        const int who = holders[pick(holders.size())];
        const uint64_t w = 1 + pick(held[who]);
        auto r = withdraw(p, w);
        ASSERT_TRUE(r.is_ok());
        if (w < p.shares) {  // a withdrawal never lowers the reserves per share of the rest
          ASSERT_GE(static_cast<u128>(r->after.reserve_a) * p.shares,
                    static_cast<u128>(p.reserve_a) * r->after.shares);
        }
        held[who] -= w;
        out_a += r->out_a;
        out_b += r->out_b;
        p = r->after;
        if (p.shares == 0) break;
      } else {
        auto acc = accrue_management_fee(p, 150, 2000 * (1 + pick(100'000)));
        ASSERT_TRUE(acc.is_ok());
        held[0] += acc->minted;
        p = acc->after;
      }
      uint64_t sum = 0;
      for (const auto& [who, s] : held) sum += s;
      ASSERT_EQ(sum, p.shares) << "seed " << seed;
      ASSERT_EQ(in_a - out_a, p.reserve_a);
      ASSERT_EQ(in_b - out_b, p.reserve_b);
      ASSERT_EQ(p.shares == 0, p.reserve_a == 0 && p.reserve_b == 0);
    }
    // Everyone leaves: the last one takes exactly what is left, nothing stays in the pool.
    for (auto& [who, s] : held) {
      if (s == 0) continue;
      auto r = withdraw(p, s);
      ASSERT_TRUE(r.is_ok());
      out_a += r->out_a;
      out_b += r->out_b;
      p = r->after;
      s = 0;
    }
    EXPECT_EQ(p, Pool{});
    EXPECT_EQ(in_a, out_a);
    EXPECT_EQ(in_b, out_b);
  }
}

}  // namespace
}  // namespace btt::modules::rwa::exchange

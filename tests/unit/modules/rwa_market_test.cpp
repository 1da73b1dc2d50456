// The RWA exchange on chain (doc/rwa-exchange.md "The exchange on chain"): orders rest, match at
// the maker's price and settle exactly (fractions, quote, escrow, the taker's fee to the
// treasury); IOC, FOK, self-trade, expiry, replace; compliance vetoes the maker or stops the
// taker and names the rule; bounded work per block; constant-product pools with LP shares, the
// management fee, frozen shares and recovery. Every amount is exact.
#include <gtest/gtest.h>

#include "btt/modules/rwa/events.h"
#include "modules/rwa/exchange/pool.h"
#include "rwa_fixture.h"

namespace btt::testkit {
namespace {

namespace errors = modules::rwa::errors;

v1::Message order_msg(v1::OrderSide side, uint64_t price, uint64_t amount,
                      v1::TimeInForce tif = v1::TIME_IN_FORCE_GTC, uint64_t expiry_ms = 0) {
  v1::Message m;
  auto* o = m.mutable_place_order();
  o->set_asset(kDic);
  o->set_quote_asset("BTT");
  o->set_side(side);
  o->set_price(price);
  o->set_amount(amount);
  o->set_time_in_force(tif);
  o->set_expiry_ms(expiry_ms);
  return m;
}
v1::Message sell(uint64_t price, uint64_t amount, v1::TimeInForce tif = v1::TIME_IN_FORCE_GTC,
                 uint64_t expiry_ms = 0) {
  return order_msg(v1::ORDER_SIDE_SELL, price, amount, tif, expiry_ms);
}
v1::Message buy(uint64_t price, uint64_t amount, v1::TimeInForce tif = v1::TIME_IN_FORCE_GTC,
                uint64_t expiry_ms = 0) {
  return order_msg(v1::ORDER_SIDE_BUY, price, amount, tif, expiry_ms);
}
v1::Message cancel(uint64_t id) {
  v1::Message m;
  m.mutable_cancel_order()->set_order_id(id);
  return m;
}
v1::Message replace(uint64_t id, uint64_t price, uint64_t amount) {
  v1::Message m;
  m.mutable_replace_order()->set_order_id(id);
  m.mutable_replace_order()->set_price(price);
  m.mutable_replace_order()->set_amount(amount);
  return m;
}
v1::Message create_pool(uint64_t fractions, uint64_t quote, uint32_t fee_bps = 30) {
  v1::Message m;
  auto* p = m.mutable_create_pool();
  p->set_asset(kDic);
  p->set_quote_asset("BTT");
  p->set_asset_amount(fractions);
  p->set_quote_amount(quote);
  p->set_fee_bps(fee_bps);
  return m;
}
v1::Message pool_deposit(uint64_t pool, uint64_t max_a, uint64_t max_b, uint64_t min_shares = 0) {
  v1::Message m;
  auto* d = m.mutable_pool_deposit();
  d->set_pool_id(pool);
  d->set_max_asset_amount(max_a);
  d->set_max_quote_amount(max_b);
  d->set_min_shares(min_shares);
  return m;
}
v1::Message pool_withdraw(uint64_t pool, uint64_t shares) {
  v1::Message m;
  m.mutable_pool_withdraw()->set_pool_id(pool);
  m.mutable_pool_withdraw()->set_shares(shares);
  return m;
}
v1::Message pool_swap(uint64_t pool, const std::string& offer, uint64_t in, uint64_t min_out = 0) {
  v1::Message m;
  auto* s = m.mutable_pool_swap();
  s->set_pool_id(pool);
  s->set_offer_asset(offer);
  s->set_amount_in(in);
  s->set_min_amount_out(min_out);
  return m;
}

const v1::Event* last_event(const chain::TxOutcome& out, const std::string& type) {
  for (auto it = out.events.rbegin(); it != out.events.rend(); ++it) {
    if (it->type() == type) return &*it;
  }
  return nullptr;
}

class RwaMarketTest : public RwaTest {
 protected:
  explicit RwaMarketTest(const nlohmann::json& params = nlohmann::json::object())
      : RwaTest(params) {}

  // The centre issued; alice and bob verified; alice holds 10,000 fractions.
  void list() {
    issue();
    verify(alice);
    verify(bob);
    run(clinic, transfer_msg(alice, 10'000));
  }
  uint64_t escrow() { return env.balance(rwa::exchange_address(), "BTT"); }
  uint64_t pooled(const std::string& asset) { return env.balance(rwa::pools_address(), asset); }
  uint64_t free(const Account& a) {
    return rwa::free_fractions(env.ledger_state(), kDic, a.address());
  }
  v1::OrderInfo order(uint64_t id) {
    auto o = view().order(id);
    EXPECT_TRUE(o) << "order " << id;
    return o.value_or(v1::OrderInfo{});
  }
};

// --- orders ------------------------------------------------------------------------------------

TEST_F(RwaMarketTest, ARestingSellFillsAtItsPriceAndTheTakerPaysTheFee) {
  list();
  run(alice, sell(50, 1'000));
  EXPECT_EQ(order(1).open(), 1'000u);
  EXPECT_EQ(free(alice), 9'000u);  // the order holds 1,000 of alice's 10,000
  refused(alice, transfer_msg(bob, 9'001), errors::kInsufficientFractions);
  auto depth = view().depth(kDic, "BTT", 10);
  ASSERT_EQ(depth.asks_size(), 1);
  EXPECT_EQ(depth.asks(0).price(), 50u);
  EXPECT_EQ(depth.asks(0).amount(), 1'000u);
  EXPECT_EQ(depth.bids_size(), 0);

  const uint64_t bob_before = env.balance(bob);
  const uint64_t alice_before = env.balance(alice);
  const uint64_t treasury_before = treasury();
  auto out = run(bob, buy(60, 600));
  // 600 at the maker's 50 = 30,000; the taker's fee 0.5% = 150 to the treasury.
  EXPECT_EQ(env.balance(bob), bob_before - out.fee_paid - 30'000 - 150);
  EXPECT_EQ(env.balance(alice), alice_before + 30'000);
  EXPECT_EQ(treasury(), treasury_before + 150);
  EXPECT_EQ(fractions(bob), 600u);
  EXPECT_EQ(fractions(alice), 9'400u);
  EXPECT_EQ(order(1).open(), 400u);
  EXPECT_EQ(order(1).filled(), 600u);
  EXPECT_EQ(rwa::free_fractions(env.ledger_state(), kDic, alice.address()), 9'000u);
  EXPECT_TRUE(view().orders_of(bob.address(), "", "").empty());  // filled whole, nothing rests
  EXPECT_EQ(asset().holders(), 2u);
  const auto* placed = last_event(out, "rwa.order_placed");
  ASSERT_TRUE(placed);
  EXPECT_EQ(ledger::attribute(*placed, "filled"), "600");
  EXPECT_EQ(ledger::attribute(*placed, "rested"), "0");
  EXPECT_EQ(ledger::attribute(*placed, "stop"), "filled");
  const auto trades = view().trades(kDic, "BTT", 10);
  ASSERT_EQ(trades.size(), 1u);
  EXPECT_EQ(trades[0].trade_id(), 1u);
  EXPECT_EQ(trades[0].maker_order_id(), 1u);
  EXPECT_EQ(trades[0].taker_order_id(), 2u);
  EXPECT_EQ(trades[0].price(), 50u);
  EXPECT_EQ(trades[0].amount(), 600u);
  EXPECT_EQ(trades[0].quote(), 30'000u);
  EXPECT_EQ(trades[0].fee(), 150u);
  EXPECT_EQ(trades[0].taker_side(), v1::ORDER_SIDE_BUY);
  env.close_block();
}

TEST_F(RwaMarketTest, ARestingBuyEscrowsItsQuoteAndPaysATakerSellFromIt) {
  list();
  const uint64_t bob_before = env.balance(bob);
  auto out = run(bob, buy(40, 500));
  EXPECT_EQ(escrow(), 20'000u);
  EXPECT_EQ(env.balance(bob), bob_before - out.fee_paid - 20'000);
  EXPECT_EQ(order(1).escrow(), 20'000u);

  const uint64_t alice_before = env.balance(alice);
  const uint64_t treasury_before = treasury();
  out = run(alice, sell(30, 300, v1::TIME_IN_FORCE_IOC));
  // 300 at the maker's 40 = 12,000 from the escrow; 60 of it is the seller's fee.
  EXPECT_EQ(env.balance(alice), alice_before - out.fee_paid + 12'000 - 60);
  EXPECT_EQ(treasury(), treasury_before + 60);
  EXPECT_EQ(fractions(bob), 300u);
  EXPECT_EQ(order(1).open(), 200u);
  EXPECT_EQ(order(1).escrow(), 8'000u);
  EXPECT_EQ(escrow(), 8'000u);

  // An IOC that crosses nothing is cancelled whole; nothing rests.
  out = run(alice, sell(45, 100, v1::TIME_IN_FORCE_IOC));
  const auto* placed = last_event(out, "rwa.order_placed");
  ASSERT_TRUE(placed);
  EXPECT_EQ(ledger::attribute(*placed, "cancelled"), "100");
  EXPECT_EQ(ledger::attribute(*placed, "stop"), "no_cross");
  EXPECT_TRUE(view().orders_of(alice.address(), "", "").empty());
  EXPECT_EQ(free(alice), 9'700u);

  refused(alice, cancel(1), errors::kNotOrderOwner);
  const uint64_t bob_mid = env.balance(bob);
  out = run(bob, cancel(1));
  EXPECT_EQ(env.balance(bob), bob_mid - out.fee_paid + 8'000);
  EXPECT_EQ(escrow(), 0u);
  const auto* closed = last_event(out, "rwa.order_closed");
  ASSERT_TRUE(closed);
  EXPECT_EQ(ledger::attribute(*closed, "reason"), "cancelled");
  EXPECT_EQ(ledger::attribute(*closed, "refund"), "8000");
  refused(bob, cancel(1), errors::kNoOrder);
  env.close_block();
}

TEST_F(RwaMarketTest, AStakersTierLowersItsTakerFee) {
  list();
  // A 12-month stake lock (tier 3): 20 bps off the 50, so 0.30%.
  v1::Message lock;
  lock.mutable_lock_stake()->set_amount(10 * kUnitsPerBtt);
  lock.mutable_lock_stake()->set_term(2);
  run(bob, lock);
  run(alice, sell(100, 1'000));
  const uint64_t treasury_before = treasury();
  run(bob, buy(100, 1'000));
  EXPECT_EQ(treasury(), treasury_before + 300);  // 100,000 x 0.30%
  EXPECT_EQ(view().trades(kDic, "BTT", 1)[0].fee(), 300u);
  env.close_block();
}

TEST_F(RwaMarketTest, FillOrKillFillsWholeOrChangesNothing) {
  list();
  run(alice, sell(10, 100));
  run(alice, sell(12, 100));
  refused(bob, buy(12, 250, v1::TIME_IN_FORCE_FOK), errors::kKilled);
  EXPECT_EQ(order(1).open(), 100u);
  const uint64_t treasury_before = treasury();
  run(bob, buy(12, 200, v1::TIME_IN_FORCE_FOK));
  EXPECT_EQ(fractions(bob), 200u);
  // Fees per fill, each rounded down: 1,000 x 0.5% = 5 and 1,200 x 0.5% = 6.
  EXPECT_EQ(treasury(), treasury_before + 11);
  EXPECT_FALSE(view().order(1));
  EXPECT_FALSE(view().order(2));
  env.close_block();
}

TEST_F(RwaMarketTest, ASelfTradeCancelsTheRestingOrder) {
  list();
  run(alice, sell(10, 100));
  auto out = run(alice, buy(10, 50));
  const auto* closed = last_event(out, "rwa.order_closed");
  ASSERT_TRUE(closed);
  EXPECT_EQ(ledger::attribute(*closed, "reason"), "self_trade");
  EXPECT_FALSE(view().order(1));
  EXPECT_EQ(order(2).open(), 50u);  // the buy rests: nothing else crossed it
  EXPECT_EQ(escrow(), 500u);
  EXPECT_EQ(free(alice), 10'000u);
  env.close_block();
}

TEST_F(RwaMarketTest, ComplianceCancelsAFrozenMakerAndNamesTheRule) {
  list();
  appoint_agent();
  run(alice, sell(10, 100));
  run(agent, freeze_msg(alice, 0));  // whole
  auto out = run(bob, buy(10, 100));
  const auto* closed = last_event(out, "rwa.order_closed");
  ASSERT_TRUE(closed);
  EXPECT_EQ(ledger::attribute(*closed, "reason"), "compliance");
  EXPECT_FALSE(view().order(1));
  EXPECT_EQ(fractions(alice), 10'000u);  // frozen fractions never moved
  EXPECT_EQ(order(2).open(), 100u);      // bob's buy rests
  // The taker's own side is checked before it trades.
  const Account& carol = env.account("carol", 1'000 * kUnitsPerBtt);
  refused(carol, buy(10, 10), errors::kKycRequired);
  refused(alice, sell(10, 10), errors::kFrozen);
  run(agent, unfreeze_msg(alice, 0));
  run(agent, pause_msg(true));
  refused(alice, sell(10, 10), errors::kPaused);
  env.close_block();
}

TEST_F(RwaMarketTest, AHoldingLimitStopsTheTakerMidwayAndKeepsItsFills) {
  list();
  v1::TransferRules rules;
  rules.set_require_kyc(true);
  rules.set_max_holding(150);
  run(clinic, rules_msg(rules));
  run(alice, sell(10, 100));
  run(alice, sell(11, 100));
  auto out = run(bob, buy(11, 200, v1::TIME_IN_FORCE_IOC));
  EXPECT_EQ(fractions(bob), 100u);
  const auto* placed = last_event(out, "rwa.order_placed");
  ASSERT_TRUE(placed);
  EXPECT_EQ(ledger::attribute(*placed, "filled"), "100");
  EXPECT_EQ(ledger::attribute(*placed, "cancelled"), "100");
  EXPECT_EQ(ledger::attribute(*placed, "stop"), "compliance");
  EXPECT_EQ(order(2).open(), 100u);  // the maker stays: the taker's side failed
  env.close_block();
}

TEST_F(RwaMarketTest, ExpiredOrdersCloseAtEndBlockAndTakersSkipThem) {
  list();
  run(alice, sell(10, 100, v1::TIME_IN_FORCE_GTC, env.time_ms() + 1'000));
  run(bob, buy(5, 100, v1::TIME_IN_FORCE_GTC, env.time_ms() + 5'000));
  EXPECT_EQ(escrow(), 500u);
  env.advance_time(1'500);
  env.close_block();
  EXPECT_FALSE(view().order(1));
  EXPECT_EQ(free(alice), 10'000u);
  EXPECT_EQ(order(2).open(), 100u);
  env.advance_time(5'000);
  const uint64_t bob_before = env.balance(bob);
  env.close_block();
  EXPECT_FALSE(view().order(2));
  EXPECT_EQ(env.balance(bob), bob_before + 500);
  EXPECT_EQ(escrow(), 0u);

  // A taker meets an expired maker before end_block closes it: removed, never filled.
  run(alice, sell(10, 100, v1::TIME_IN_FORCE_GTC, env.time_ms() + 1'000));
  env.advance_time(2'000);
  auto out = run(bob, buy(10, 100, v1::TIME_IN_FORCE_IOC));
  EXPECT_EQ(fractions(bob), 0u);
  const auto* closed = last_event(out, "rwa.order_closed");
  ASSERT_TRUE(closed);
  EXPECT_EQ(ledger::attribute(*closed, "reason"), "expired");
  refused(alice, sell(10, 1, v1::TIME_IN_FORCE_GTC, env.time_ms()), errors::kExpiryPast);
  env.close_block();
}

TEST_F(RwaMarketTest, ReplaceLosesTimePriorityAndChecksTheNewAmount) {
  list();
  run(alice, sell(10, 100));        // 1
  run(alice, sell(10, 100));        // 2
  run(alice, replace(1, 10, 150));  // 3, behind 2
  EXPECT_FALSE(view().order(1));
  EXPECT_EQ(order(3).open(), 150u);
  run(bob, buy(10, 100));
  EXPECT_FALSE(view().order(2));
  EXPECT_EQ(order(3).open(), 150u);
  refused(alice, replace(3, 10, 9'901), errors::kInsufficientFractions);  // 9,750 free + 150
  refused(bob, replace(3, 10, 10), errors::kNotOrderOwner);
  refused(alice, replace(99, 10, 10), errors::kNoOrder);
  run(bob, buy(9, 100));  // 5: escrow 900
  const uint64_t bob_before = env.balance(bob);
  auto out = run(bob, replace(5, 8, 100));  // escrow 800: 100 back
  EXPECT_EQ(env.balance(bob), bob_before - out.fee_paid + 100);
  EXPECT_EQ(escrow(), 800u);
  env.close_block();
}

TEST_F(RwaMarketTest, MalformedOrdersAreRefusedWithTheField) {
  list();
  auto m = sell(10, 1);
  m.mutable_place_order()->set_side(v1::ORDER_SIDE_UNSPECIFIED);
  refused(alice, m, errors::kBadField);
  refused(alice, sell(0, 1), errors::kBadField);
  refused(alice, sell(10, 0), errors::kZeroAmount);
  m = sell(10, 1);
  m.mutable_place_order()->set_client_order_id(std::string(33, 'c'));
  refused(alice, m, errors::kBadField);
  m = sell(10, 1);
  m.mutable_place_order()->set_quote_asset("rwa/OTHER");  // fractions never quote fractions
  env.apply(env.tx(alice).message(m).sign(), Code::kInvalidAsset);
  m = sell(10, 1);
  m.mutable_place_order()->set_quote_asset("USDZ");
  refused(alice, m, errors::kBadPair);
  refused(alice, sell(UINT64_MAX / 2, 10), errors::kFeeOverflow);
  refused(alice, cancel(0), errors::kBadField);
  // A buy needs price x amount and the fee spendable.
  env.apply(env.tx(bob).message(buy(1'000 * kUnitsPerBtt, 2)).sign(), Code::kInsufficientFunds);
}

class RwaMarketLimits : public RwaMarketTest {
 protected:
  RwaMarketLimits()
      : RwaMarketTest(
            {{"max_open_orders", 2}, {"max_fills_per_block", 2}, {"max_fills_per_tx", 2}}) {}
};

TEST_F(RwaMarketLimits, OpenOrdersAndFillsPerBlockAreBounded) {
  list();
  run(alice, sell(10, 10));
  run(alice, sell(11, 10));
  refused(alice, sell(12, 10), errors::kTooManyOrders);
  run(alice, sell(12, 10, v1::TIME_IN_FORCE_IOC));  // an IOC never rests: no room needed
  // max_fills_per_tx 2: a taker crossing three makers fills two; the rest is cancelled.
  const Account& dave = env.account("dave", 1'000 * kUnitsPerBtt);
  verify(dave);
  run(clinic, transfer_msg(dave, 10));
  run(dave, sell(12, 10));
  run(bob, buy(12, 30, v1::TIME_IN_FORCE_IOC));
  EXPECT_EQ(fractions(bob), 20u);
  // The block's 2 fills are spent: a crossing order waits for the next block.
  refused(bob, buy(12, 10), errors::kBlockFillBudget);
  run(bob, buy(1, 10));  // one that crosses nothing still rests
  env.close_block();
  run(bob, buy(12, 10, v1::TIME_IN_FORCE_IOC));
  EXPECT_EQ(fractions(bob), 30u);
  env.close_block();
}

// --- pools -------------------------------------------------------------------------------------

TEST_F(RwaMarketTest, PoolsMintSharesSwapAndTheLastProviderTakesWhatIsLeft) {
  list();
  run(clinic, create_pool(1'000, 100'000));  // 100 base units per fraction
  auto p = view().pool(1);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->shares(), 10'000u);  // isqrt(1,000 x 100,000)
  EXPECT_EQ(view().lp_shares(1, clinic.address()).shares(), 10'000u);
  EXPECT_EQ(pooled(kDic), 1'000u);
  EXPECT_EQ(pooled("BTT"), 100'000u);
  EXPECT_EQ(asset().holders(), 1u);  // alice; the pools account is not a holder

  // At the pool's ratio: min(100 x 10,000 / 1,000, 20,000 x 10,000 / 100,000) = 1,000 shares
  // for 100 fractions and 10,000 BTT units.
  const uint64_t alice_before = env.balance(alice);
  auto out = run(alice, pool_deposit(1, 100, 20'000));
  EXPECT_EQ(view().lp_shares(1, alice.address()).shares(), 1'000u);
  EXPECT_EQ(env.balance(alice), alice_before - out.fee_paid - 10'000);
  EXPECT_EQ(fractions(alice), 9'900u);

  // Bob swaps 10,000 BTT units in: 50 trading fee to the treasury, 9,950 into the pool, of
  // which 30 pool fee; out = floor(1,100 x 9,920 / (110,000 + 9,920)) = 90 fractions.
  auto q = view().quote_swap(1, "BTT", 10'000);
  ASSERT_TRUE(q);
  EXPECT_EQ(q.value().trading_fee(), 50u);
  EXPECT_EQ(q.value().pool_fee(), 30u);
  EXPECT_EQ(q.value().amount_out(), 90u);
  refused(bob, pool_swap(1, "BTT", 10'000, 91), errors::kSlippage);
  const uint64_t treasury_before = treasury();
  run(bob, pool_swap(1, "BTT", 10'000, 90));
  EXPECT_EQ(fractions(bob), 90u);
  EXPECT_EQ(treasury(), treasury_before + 50);
  p = view().pool(1);
  EXPECT_EQ(p->asset_reserve(), 1'010u);
  EXPECT_EQ(p->quote_reserve(), 119'950u);

  // Withdrawals round down for the leaver; the last provider gets exactly the rest.
  run(alice, pool_withdraw(1, 1'000));
  EXPECT_EQ(fractions(alice), 9'900u + 91);
  run(clinic, pool_withdraw(1, 10'000));
  p = view().pool(1);
  EXPECT_EQ(p->shares(), 0u);
  EXPECT_EQ(p->asset_reserve(), 0u);
  EXPECT_EQ(p->quote_reserve(), 0u);
  EXPECT_EQ(pooled(kDic), 0u);
  EXPECT_EQ(pooled("BTT"), 0u);
  EXPECT_EQ(fractions(clinic), 1'000'000u - 10'000 - 1'000 + 919);
  // An empty pool takes a new first deposit.
  run(alice, pool_deposit(1, 10, 1'000));
  EXPECT_EQ(view().pool(1)->shares(), 100u);
  env.close_block();
}

TEST_F(RwaMarketTest, TheManagementFeeAccruesToTheManagerAsShares) {
  list();
  run(clinic, create_pool(1'000, 100'000));
  run(alice, pool_deposit(1, 100, 10'000));  // 1,000 shares: 11,000 in all
  env.advance_time(modules::rwa::exchange::kYearMs);
  auto out = run(alice, pool_deposit(1, 100, 10'000));
  // 1% a year of 11,000 shares = 110 new shares to the manager, before the deposit.
  const auto* accrued = last_event(out, "rwa.pool_fee_accrued");
  ASSERT_TRUE(accrued);
  EXPECT_EQ(ledger::attribute(*accrued, "shares"), "110");
  EXPECT_EQ(view().pool(1)->management_shares(), 110u);
  EXPECT_EQ(view().lp_shares(1, clinic.address()).shares(), 10'110u);
  env.close_block();
}

TEST_F(RwaMarketTest, FrozenHoldersKeepTheirSharesInThePoolAndRecoveryMovesThemWhole) {
  list();
  appoint_agent();
  run(clinic, create_pool(1'000, 100'000));
  run(alice, pool_deposit(1, 100, 10'000));
  run(agent, freeze_msg(alice, 1));
  refused(alice, pool_withdraw(1, 1'000), errors::kSharesFrozen);
  const Account& dave = env.account("dave", 10 * kUnitsPerBtt);
  verify(dave);
  run(alice, sell(100, 10));  // a resting order ends with the recovery
  run(agent, recover_msg(alice, dave));
  EXPECT_EQ(view().lp_shares(1, alice.address()).shares(), 0u);
  EXPECT_EQ(view().lp_shares(1, dave.address()).shares(), 1'000u);
  EXPECT_FALSE(view().order(1));
  EXPECT_EQ(fractions(dave), 9'900u);
  refused(dave, pool_withdraw(1, 1'000), errors::kSharesFrozen);  // the freeze went with them
  run(agent, unfreeze_msg(dave, 0));
  run(dave, pool_withdraw(1, 1'000));
  EXPECT_EQ(fractions(dave), 10'000u);
  env.close_block();
}

TEST_F(RwaMarketTest, PoolRefusals) {
  list();
  refused(clinic, create_pool(1'000, 100'000, 101), errors::kBadPoolFee);
  run(clinic, create_pool(1'000, 100'000));
  refused(clinic, create_pool(1'000, 100'000), errors::kPoolExists);
  refused(alice, pool_deposit(9, 1, 1), errors::kNoPool);
  refused(alice, pool_deposit(1, 100, 20'000, 1'001), errors::kSlippage);
  refused(bob, pool_withdraw(1, 1), errors::kInsufficientShares);
  refused(bob, pool_swap(1, "rwa/OTHER", 10), errors::kBadPair);
  auto m = create_pool(1, 1);
  m.mutable_create_pool()->set_quote_asset("rwa/DIC");
  env.apply(env.tx(clinic).message(m).sign(), Code::kInvalidAsset);
  m = create_pool(1, 1);
  m.mutable_create_pool()->set_quote_asset("USDZ");  // not a payment asset
  refused(clinic, m, errors::kBadPair);
  env.close_block();
}

}  // namespace
}  // namespace btt::testkit

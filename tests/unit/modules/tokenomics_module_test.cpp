// Tokenomics module on chain: genesis allocation, vesting locks, milestones, emission and burns,
// through the test environment (which checks every invariant after every tx and block,
// including balances + burned = 210,000,000 BTT).
#include <gtest/gtest.h>

#include "btt/modules/tokenomics/tokenomics.h"
#include "btt/modules/tokenomics/view.h"
#include "testkit/test_env.h"

namespace btt::testkit {
namespace {

namespace tok = modules::tokenomics;

constexpr uint64_t kBtt = 100'000'000;
constexpr uint64_t kMonthMs = 2'592'000'000;
constexpr uint64_t kDayMs = 86'400'000;
constexpr uint64_t kGenesisMs = TestEnv::kGenesisTimeMs;

class TokenomicsModuleTest : public ::testing::Test {
 protected:
  TestEnv env;
  const Account& beneficiary = env.account(TestEnv::kBeneficiary, 10 * kBtt);  // + liquid fees
  const Account& authority = env.account(TestEnv::kAuthority, 10 * kBtt);
  const Account& alice = env.account("alice", 1'000 * kBtt);
  const uint64_t fee = env.params().min_fee();

  tok::TokenomicsView view() { return tok::TokenomicsView(env.ledger_state()); }
  // Moves the open block's time to genesis + offset_ms.
  void at(uint64_t offset_ms) {
    ASSERT_GE(kGenesisMs + offset_ms, env.time_ms());
    env.advance_time(kGenesisMs + offset_ms - env.time_ms());
  }
  uint64_t locked(const Account& a) { return view().locked(a.address(), env.time_ms()); }
  v1::AllocationState allocation(std::string_view id, uint64_t at_ms) {
    auto all = view().allocations(env.height(), env.time_ms(), at_ms);
    EXPECT_TRUE(all.is_ok());
    for (const auto& c : all->categories()) {
      if (c.id() == id) return c;
    }
    ADD_FAILURE() << "no category " << id;
    return {};
  }
  v1::Message burn_msg(uint64_t amount) {
    v1::Message m;
    m.mutable_burn()->set_amount(amount);
    return m;
  }
  v1::Message milestone_msg(std::string category, std::string name, uint64_t amount) {
    v1::Message m;
    auto* a = m.mutable_approve_milestone();
    a->set_category(std::move(category));
    a->set_milestone(std::move(name));
    a->set_amount(amount);
    return m;
  }
};

TEST_F(TokenomicsModuleTest, GenesisAllocatesTheWholeFixedSupply) {
  auto b = view().supply_breakdown(env.height(), env.time_ms());
  ASSERT_TRUE(b.is_ok());
  EXPECT_EQ(b->fixed_supply(), 210'000'000 * kBtt);
  EXPECT_EQ(b->total_supply(), 210'000'000 * kBtt);
  EXPECT_EQ(b->burned(), 0u);
  // Vesting 39,900,000 + Foundation 35,700,000, all locked at genesis.
  EXPECT_EQ(b->locked(), 75'600'000 * kBtt);
  ASSERT_EQ(b->locked_by_category_size(), 6);
  EXPECT_EQ(b->locked_by_category(0).id(), "china_oral");
  EXPECT_EQ(b->locked_by_category(0).amount(), 21'000'000 * kBtt);
  EXPECT_EQ(b->locked_by_category(5).id(), "foundation");
  EXPECT_EQ(b->locked_by_category(5).amount(), 35'700'000 * kBtt);
  // Pools: mining 63,000,000; community 25,200,000 - 20,000,000 carved for the test faucet;
  // ecosystem 14,700,000; treasury 31,500,000; the escrow and fee pool still empty.
  ASSERT_EQ(b->pool_balances_size(), 6);
  EXPECT_EQ(b->pool_balances(0).name(), "mining_rewards");
  EXPECT_EQ(b->pool_balances(0).balance(), 63'000'000 * kBtt);
  EXPECT_EQ(b->pool_balances(1).name(), "community_incentives");
  EXPECT_EQ(b->pool_balances(1).balance(), 5'200'000 * kBtt);
  EXPECT_EQ(b->pool_balances(2).balance(), 14'700'000 * kBtt);
  EXPECT_EQ(b->pool_balances(3).name(), "treasury");
  EXPECT_EQ(b->pool_balances(3).balance(), 31'500'000 * kBtt);
  EXPECT_EQ(b->pool_balances(4).name(), "mining_escrow");
  EXPECT_EQ(b->pool_balances(5).name(), "fee_pool");
  EXPECT_EQ(b->pools(), 114'400'000 * kBtt);
  // Circulating: the 20,000,000 BTT of genesis accounts.
  EXPECT_EQ(b->circulating(), 20'000'000 * kBtt);
  EXPECT_EQ(env.balance(beneficiary), 75'600'000 * kBtt + 10 * kBtt);
  EXPECT_EQ(b->pool_balances(0).address(), tok::pool_address("mining_rewards").to_string());
  env.close_block();
}

TEST_F(TokenomicsModuleTest, LockedTokensCannotBeTransferred) {
  EXPECT_EQ(locked(beneficiary), 75'600'000 * kBtt);
  auto out = env.apply(env.tx(beneficiary).transfer(alice, 10 * kBtt).sign(), Code::kLockedFunds);
  EXPECT_EQ(out.fee_paid, fee);
  EXPECT_EQ(out.status.message(),
            "message 0: " + beneficiary.addr() + " has " + std::to_string(10 * kBtt - fee) +
                " units of BTT spendable (the rest is locked), needs " + std::to_string(10 * kBtt));
  EXPECT_EQ(env.balance(alice), 1'000 * kBtt);
  // What is spendable moves.
  env.apply(env.tx(beneficiary).transfer(alice, 10 * kBtt - 2 * fee).sign());
  EXPECT_EQ(env.balance(beneficiary), 75'600'000 * kBtt);
  env.close_block();
}

TEST_F(TokenomicsModuleTest, CliffsReleaseExactlyOnChain) {
  // One second before three months: nothing of any schedule is released.
  at(3 * kMonthMs - 1000);
  EXPECT_EQ(locked(beneficiary), 75'600'000 * kBtt);
  env.close_block();
  // At three months the four 30-month rows release 3/30 each: 630,000 + 630,000 + 420,000 +
  // 210,000 = 1,890,000 BTT; China Oral (6-month cliff) and the Foundation (no milestone) none.
  at(3 * kMonthMs);
  EXPECT_EQ(locked(beneficiary), (75'600'000 - 1'890'000) * kBtt);
  const uint64_t spendable = 1'890'000 * kBtt + 10 * kBtt;
  env.apply(env.tx(beneficiary).transfer(alice, spendable - fee + 1).sign(), Code::kLockedFunds);
  env.apply(env.tx(beneficiary).transfer(alice, spendable - 2 * fee).sign());
  EXPECT_EQ(env.balance(alice), 1'000 * kBtt + spendable - 2 * fee);
  env.close_block();
  // At six months China Oral's cliff adds 3,500,000 BTT, the others 6/30.
  at(6 * kMonthMs);
  EXPECT_EQ(
      locked(beneficiary),
      (75'600'000 - 3'500'000 - 2 * 630'000 - 2 * 630'000 - 2 * 420'000 - 2 * 210'000) * kBtt);
  env.close_block();
}

TEST_F(TokenomicsModuleTest, AllocationsAtNowAndProjected) {
  // China Oral: 0 one second before the 6-month cliff, 3,500,000 at it, 10,500,000 at 18
  // months, all 21,000,000 at 36 months.
  EXPECT_EQ(allocation("china_oral", kGenesisMs + 6 * kMonthMs - 1000).released(), 0u);
  auto cliff = allocation("china_oral", kGenesisMs + 6 * kMonthMs);
  EXPECT_EQ(cliff.released(), 3'500'000 * kBtt);
  EXPECT_EQ(cliff.locked(), 17'500'000 * kBtt);
  EXPECT_EQ(cliff.next_release_ms(), kGenesisMs + 6 * kMonthMs + 1000);
  EXPECT_EQ(allocation("china_oral", kGenesisMs + 18 * kMonthMs).released(), 10'500'000 * kBtt);
  auto end = allocation("china_oral", kGenesisMs + 36 * kMonthMs);
  EXPECT_EQ(end.released(), 21'000'000 * kBtt);
  EXPECT_EQ(end.locked(), 0u);
  EXPECT_EQ(end.next_release_ms(), 0u);
  // A 30-month row with a 3-month cliff: 630,000 at 3 months, 3,150,000 at 15, 6,300,000 at 30.
  EXPECT_EQ(allocation("vision_future", kGenesisMs + 3 * kMonthMs).released(), 630'000 * kBtt);
  EXPECT_EQ(allocation("vision_future", kGenesisMs + 15 * kMonthMs).released(), 3'150'000 * kBtt);
  EXPECT_EQ(allocation("vision_future", kGenesisMs + 30 * kMonthMs).released(), 6'300'000 * kBtt);
  // Now (time 0 = the open block's time): China Oral before its cliff.
  auto all = view().allocations(env.height(), env.time_ms(), 0);
  ASSERT_TRUE(all.is_ok());
  EXPECT_FALSE(all->projected());
  ASSERT_EQ(all->categories_size(), 11);  // the ten categories and the carved genesis accounts
  EXPECT_EQ(all->categories(0).next_release_ms(), kGenesisMs + 6 * kMonthMs);
  EXPECT_EQ(all->categories(0).cliff_ms(), kGenesisMs + 6 * kMonthMs);
  EXPECT_EQ(all->categories(0).holder(), beneficiary.addr());
  // The emission projected to 8 years: everything paid.
  EXPECT_EQ(allocation("mining_rewards", kGenesisMs + 2'920 * kDayMs).released(),
            63'000'000 * kBtt);
  // The vesting query of the beneficiary, projected to 3 months.
  auto v = view().vesting(beneficiary.address(), env.height(), env.time_ms(),
                          kGenesisMs + 3 * kMonthMs, env.registry().locks());
  ASSERT_TRUE(v.is_ok());
  EXPECT_TRUE(v->projected());
  EXPECT_EQ(v->schedules_size(), 6);
  EXPECT_EQ(v->locked(), (75'600'000 - 1'890'000) * kBtt);
  EXPECT_EQ(v->spendable(), (1'890'000 + 10) * kBtt);
  env.close_block();
}

TEST_F(TokenomicsModuleTest, MilestonesReleaseUnderTheCeiling) {
  at(kMonthMs);
  // The ceiling after one month: 35,700,000 / 48 = 743,750 BTT.
  auto out = env.apply(env.tx(authority)
                           .message(milestone_msg("foundation", "testnet launch", 5'000'000 * kBtt))
                           .sign());
  ASSERT_EQ(out.events.size(), 2u);
  EXPECT_EQ(out.events[1].type(), "tokenomics.milestone_approved");
  EXPECT_EQ(out.events[1].attributes(4).value(), std::to_string(743'750 * kBtt));
  EXPECT_EQ(locked(beneficiary), (75'600'000 - 743'750) * kBtt);
  auto f = allocation("foundation", env.time_ms());
  EXPECT_EQ(f.approved(), 5'000'000 * kBtt);
  EXPECT_EQ(f.ceiling(), 743'750 * kBtt);
  EXPECT_EQ(f.released(), 743'750 * kBtt);
  EXPECT_EQ(f.next_release_ms(), env.time_ms() + 1000);
  ASSERT_EQ(f.milestones_size(), 1);
  EXPECT_EQ(f.milestones(0).milestone(), "testnet launch");
  EXPECT_EQ(f.milestones(0).height(), env.height());
  env.close_block();
  // Later, the approved amount caps the release: at 12 months the ceiling is 8,925,000.
  at(12 * kMonthMs);
  // Vesting by then: China Oral 12/36 of 21,000,000 and the 30-month rows 12/30 of 18,900,000.
  EXPECT_EQ(locked(beneficiary), (75'600'000 - 5'000'000 - 7'000'000 - 7'560'000) * kBtt);

  // Refusals, each paying its fee.
  env.apply(env.tx(alice).message(milestone_msg("foundation", "mine", kBtt)).sign(),
            Code::kUnauthorized);
  env.apply(env.tx(authority).message(milestone_msg("foundation", "testnet launch", kBtt)).sign(),
            Code::kAlreadyExists);
  env.apply(env.tx(authority)
                .message(milestone_msg("foundation", "too much", 30'700'000 * kBtt + 1))
                .sign(),
            Code::kLimitExceeded);
  env.apply(env.tx(authority).message(milestone_msg("china_oral", "x", kBtt)).sign(),
            Code::kUnknownRecord);
  env.apply(env.tx(authority).message(milestone_msg("no_such", "x", kBtt)).sign(),
            Code::kUnknownRecord);
  // Malformed: nothing written, no fee.
  env.apply(env.tx(authority).message(milestone_msg("Foundation", "x", kBtt)).sign(),
            Code::kInvalidArgument);
  env.apply(env.tx(authority).message(milestone_msg("foundation", " x", kBtt)).sign(),
            Code::kInvalidArgument);
  env.apply(env.tx(authority).message(milestone_msg("foundation", "x", 0)).sign(),
            Code::kInvalidAmount);
  // The rest of the total, exactly, is accepted.
  env.apply(
      env.tx(authority).message(milestone_msg("foundation", "mainnet", 30'700'000 * kBtt)).sign());
  EXPECT_EQ(allocation("foundation", env.time_ms()).approved(), 35'700'000 * kBtt);
  env.close_block();
  at(48 * kMonthMs);
  EXPECT_EQ(allocation("foundation", env.time_ms()).locked(), 0u);
  env.close_block();
}

TEST_F(TokenomicsModuleTest, EmissionPaysEachEpochIntoTheEscrow) {
  const auto escrow = tok::mining_escrow_address();
  EXPECT_EQ(env.balance(escrow), 0u);
  env.close_block();  // block 1 is in epoch 0: it pays epoch 0
  // Year 0's budget is 1,514,008,471,526,258 units over 365 epochs.
  EXPECT_EQ(env.balance(escrow), 4'147'968'415'140u);
  EXPECT_EQ(view().emission_state().epochs_paid(), 1u);
  env.close_block();  // still epoch 0: nothing more
  EXPECT_EQ(env.balance(escrow), 4'147'968'415'140u);
  // A chain that stalls for ten days catches up in one payment: epochs 1..10.
  at(10 * kDayMs + 5000);
  env.close_block();
  EXPECT_EQ(view().emission_state().epochs_paid(), 11u);
  EXPECT_EQ(env.balance(escrow), 11 * 4'147'968'415'140u);
  auto e = view().emission(env.height(), env.time_ms(), 364, 3);
  ASSERT_TRUE(e.is_ok());
  EXPECT_EQ(e->total_epochs(), 2'920u);
  ASSERT_EQ(e->by_year_size(), 8);
  EXPECT_EQ(e->by_year(0).budget(), 1'514'008'471'526'258u);
  EXPECT_EQ(e->by_year(0).epoch_amount(), 4'147'968'415'140u);
  EXPECT_EQ(e->by_year(0).last_epoch_amount(), 4'147'968'415'298u);
  EXPECT_EQ(e->by_year(0).paid(), 11 * 4'147'968'415'140u);
  EXPECT_EQ(e->by_year(1).paid(), 0u);
  ASSERT_EQ(e->epochs_size(), 3);
  EXPECT_EQ(e->epochs(0).epoch(), 364u);
  EXPECT_EQ(e->epochs(0).amount(), 4'147'968'415'298u);
  EXPECT_EQ(e->epochs(1).start_ms(), kGenesisMs + 365 * kDayMs);
  EXPECT_FALSE(e->epochs(0).paid());
  EXPECT_EQ(e->escrow_balance(), 11 * 4'147'968'415'140u);
  EXPECT_EQ(e->pool_balance(), 63'000'000 * kBtt - 11 * 4'147'968'415'140u);
  EXPECT_FALSE(view().emission(env.height(), env.time_ms(), 0, 1001).is_ok());
  // After eight years everything has been paid, and nothing after.
  at(2'920 * kDayMs + 1000);
  env.close_block();
  EXPECT_EQ(env.balance(escrow), 63'000'000 * kBtt);
  EXPECT_EQ(env.balance(tok::pool_address("mining_rewards")), 0u);
  at(3'000 * kDayMs);
  env.close_block();
  EXPECT_EQ(env.balance(escrow), 63'000'000 * kBtt);
  EXPECT_EQ(view().emission_state().epochs_paid(), 2'920u);
}

TEST_F(TokenomicsModuleTest, BurnsShrinkSupplyAndAreTrackedPerSource) {
  auto out = env.apply(env.tx(alice).message(burn_msg(250 * kBtt)).sign());
  ASSERT_EQ(out.events.size(), 2u);
  EXPECT_EQ(out.events[1].type(), "tokenomics.burn");
  EXPECT_EQ(env.balance(alice), 750 * kBtt - fee);
  EXPECT_EQ(env.ledger().supply("BTT"), 210'000'000 * kBtt - 250 * kBtt);
  // The internal burn another module calls, under its own source.
  {
    EXPECT_TRUE(tok::burn(env.ledger_state(), env.direct_events(), &env.registry().locks(),
                          alice.address(), 5 * kBtt, "rwa_fee", env.time_ms())
                    .is_ok());
    EXPECT_EQ(tok::burn(env.ledger_state(), env.direct_events(), &env.registry().locks(),
                        alice.address(), kBtt, "RWA fee", env.time_ms())
                  .code(),
              Code::kInvalidArgument);
    EXPECT_EQ(tok::burn(env.ledger_state(), env.direct_events(), &env.registry().locks(),
                        beneficiary.address(), 11 * kBtt, "rwa_fee", env.time_ms())
                  .code(),
              Code::kLockedFunds);
  }
  EXPECT_TRUE(env.invariant_violations().empty());
  auto b = view().supply_breakdown(env.height(), env.time_ms());
  ASSERT_TRUE(b.is_ok());
  EXPECT_EQ(b->burned(), 255 * kBtt);
  EXPECT_EQ(b->total_supply(), 210'000'000 * kBtt - 255 * kBtt);
  ASSERT_EQ(b->burned_by_source_size(), 2);
  EXPECT_EQ(b->burned_by_source(0).source(), "holder");
  EXPECT_EQ(b->burned_by_source(0).amount(), 250 * kBtt);
  EXPECT_EQ(b->burned_by_source(1).source(), "rwa_fee");
  EXPECT_EQ(b->burned_by_source(1).amount(), 5 * kBtt);
  // Refusals: more than the balance, locked tokens, zero.
  env.apply(env.tx(alice).message(burn_msg(746 * kBtt)).sign(), Code::kInsufficientFunds);
  env.apply(env.tx(beneficiary).message(burn_msg(10 * kBtt)).sign(), Code::kLockedFunds);
  env.apply(env.tx(alice).message(burn_msg(0)).sign(), Code::kInvalidAmount);
  EXPECT_EQ(view().burned(), 255 * kBtt);
  env.close_block();
}

}  // namespace
}  // namespace btt::testkit

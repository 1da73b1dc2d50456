// Staking: validators, delegation with shares, unbonding and redelegation, the set chosen at H
// in force from H+2, and the exact distribution of fees (doc/staking.md). TestEnv runs every
// invariant (the exact reward accounting included) after every tx and block.
#include <gtest/gtest.h>

#include "btt/ledger/events.h"
#include "btt/modules/tokenomics/view.h"
#include "staking_fixture.h"

namespace btt::testkit {
namespace {

constexpr uint64_t kBtt = kUnitsPerBtt;

TEST_F(StakingTest, GenesisValidatorsAreBondedFromTheirOperatorsBalance) {
  EXPECT_TRUE(stk::enabled(env.ledger_state()));
  const auto va = validator(a);
  EXPECT_EQ(va.tokens(), 1'000 * kBtt);
  EXPECT_EQ(va.shares(), 1'000 * kBtt);
  EXPECT_EQ(va.status(), v1::VALIDATOR_STATUS_BONDED);
  EXPECT_EQ(va.earning_power(), 1'000u);
  EXPECT_EQ(validator(b).earning_power(), 500u);
  EXPECT_EQ(env.balance(stk::bonded_pool_address()), 1'500 * kBtt);
  EXPECT_EQ(env.balance(test_key(TestEnv::kFaucet).address), TestEnv::kFaucetUnits - 1'500 * kBtt);
  const auto set = view().chosen_set();
  ASSERT_EQ(set.validators_size(), 2);
  EXPECT_EQ(set.validators(0).address(), a.to_string());  // most power first
  EXPECT_EQ(set.validators(0).power(), 1'000u);
}

TEST_F(StakingTest, FeesGoToSignersByPowerWithCommissionTaxAndBonusExactly) {
  settle_fees();
  const Account& payer = env.account("payer");
  settle_fees();
  const uint64_t treasury_before = treasury();
  // One tx with a fee of 1,500,000 units in this block, handed out at the start of the next.
  env.apply(env.tx(payer).transfer(payer, 1).fee(1'500'000).sign());
  ASSERT_EQ(env.fee_pool(), 1'500'000u);
  env.close_block();
  EXPECT_EQ(env.fee_pool(), 0u);
  // tax 2% = 30,000; bonus 1% of the rest = 14,700 (val-a proposes); 1,455,300 by power
  // 1000:500 = 970,200 and 485,100; commission 10%.
  EXPECT_EQ(treasury() - treasury_before, 30'000u);
  const auto& faucet = faucet_account();
  const uint64_t before = env.balance(faucet);
  env.apply(env.tx(faucet).message(withdraw_msg(a, true)).sign());
  const uint64_t fee = env.params().min_fee();
  EXPECT_EQ(env.balance(faucet) + fee - before, 984'900u);  // 886,410 + commission 98,490
  const uint64_t mid = env.balance(faucet);
  env.apply(env.tx(faucet).message(withdraw_msg(b, true)).sign());
  EXPECT_EQ(env.balance(faucet) + fee - mid, 485'100u);  // 436,590 + commission 48,510
  EXPECT_EQ(validator(a).outstanding(), 0u);
  EXPECT_EQ(validator(b).outstanding(), 0u);
  EXPECT_EQ(env.balance(stk::rewards_pool_address()), 0u);
  const auto& fees_event = env.block_events();
  (void)fees_event;
}

TEST_F(StakingTest, AnAbsentValidatorEarnsNothingForThatBlock) {
  settle_fees();
  const Account& payer = env.account("payer");
  settle_fees();
  env.set_absent({b});
  env.apply(env.tx(payer).transfer(payer, 1).fee(1'500'000).sign());
  env.close_block();
  env.set_absent({});
  const auto& faucet = faucet_account();
  uint64_t before = env.balance(faucet);
  env.apply(env.tx(faucet).message(withdraw_msg(b, true)).sign());
  EXPECT_EQ(env.balance(faucet) + env.params().min_fee(), before);  // nothing from b
  before = env.balance(faucet);
  env.apply(env.tx(faucet).message(withdraw_msg(a, true)).sign());
  // 1,455,300 to the only signer plus the bonus 14,700.
  EXPECT_EQ(env.balance(faucet) + env.params().min_fee() - before, 1'470'000u);
}

TEST_F(StakingTest, DelegationMovesPowerAtHPlusTwoAndRewardsSplitByShares) {
  settle_fees();
  const Account& alice = env.account("alice", 600 * kBtt);
  env.apply(env.tx(alice).message(delegate_msg(b, 500 * kBtt)).sign());
  EXPECT_EQ(delegated(alice, b), 500 * kBtt);
  EXPECT_EQ(validator(b).tokens(), 1'000 * kBtt);
  const uint64_t chosen_at = env.height();
  env.close_block();
  // Chosen at H, in force from H+2; b still earns at power 500 until the commit of H+2.
  EXPECT_EQ(env.validators_at(chosen_at + 1)[1].power(), 500u);
  ASSERT_EQ(env.validators_at(chosen_at + 2).size(), 2u);
  EXPECT_EQ(env.validators_at(chosen_at + 2)[0].power(), 1'000u);
  EXPECT_EQ(env.validators_at(chosen_at + 2)[1].power(), 1'000u);
  EXPECT_EQ(validator(b).earning_power(), 500u);
  while (env.height() <= chosen_at + 3) env.close_block();
  EXPECT_EQ(validator(b).earning_power(), 1'000u);
  // Half of b's delegator rewards are alice's now.
  const Account& payer = env.account("payer");
  settle_fees();
  // Alice takes what she earned so far; this block's fees are her withdraw's and the payer's.
  env.apply(env.tx(alice).message(withdraw_msg(b, false)).sign());
  env.apply(env.tx(payer).transfer(payer, 1).fee(1'999'000).sign());
  ASSERT_EQ(env.fee_pool(), 2'000'000u);
  env.close_block();
  const uint64_t before = env.balance(alice);
  env.apply(env.tx(alice).message(withdraw_msg(b, false)).sign());
  // tax 40,000; bonus 19,600 to a; 1,940,400 by 1000:1000 -> b 970,200; commission 97,020;
  // delegators 873,180, alice half: 436,590.
  EXPECT_EQ(env.balance(alice) + env.params().min_fee() - before, 436'590u);
}

TEST_F(StakingTest, UndelegationMaturesAfterTheUnbondingTimeAndCanBeCancelled) {
  const Account& alice = env.account("alice", 600 * kBtt);
  env.apply(env.tx(alice).message(delegate_msg(a, 300 * kBtt)).sign());
  env.close_block();
  const uint64_t start = env.balance(alice);
  uint64_t rewards = 0;
  auto count = [&](const chain::TxOutcome& out) {
    for (const auto& e : out.events) {
      if (e.type() == "staking.rewards_withdrawn") {
        rewards += std::stoull(std::string(ledger::attribute(e, "amount")));
      }
    }
  };
  count(env.apply(env.tx(alice).message(undelegate_msg(a, 100 * kBtt)).sign()));
  const uint64_t created = env.height();
  EXPECT_EQ(delegated(alice, a), 200 * kBtt);
  EXPECT_EQ(env.balance(stk::unbonding_pool_address()), 100 * kBtt);
  auto entries = view().unbondings_of(alice.address());
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].balance(), 100 * kBtt);
  EXPECT_EQ(entries[0].completion_ms(), env.time_ms() + kUnbondingMs);
  // Cancel 40 back into the delegation.
  v1::Message cancel;
  cancel.mutable_cancel_unbonding()->set_validator(a.to_string());
  cancel.mutable_cancel_unbonding()->set_creation_height(created);
  cancel.mutable_cancel_unbonding()->set_amount(40 * kBtt);
  count(env.apply(env.tx(alice).message(cancel).sign()));
  EXPECT_EQ(delegated(alice, a), 240 * kBtt);
  EXPECT_EQ(view().unbondings_of(alice.address())[0].balance(), 60 * kBtt);
  cancel.mutable_cancel_unbonding()->set_amount(61 * kBtt);
  env.apply(env.tx(alice).message(cancel).sign(), Code::kInsufficientFunds);
  env.close_block();
  env.advance_time(kUnbondingMs);
  env.close_block();
  EXPECT_TRUE(view().unbondings_of(alice.address()).empty());
  EXPECT_EQ(env.balance(stk::unbonding_pool_address()), 0u);
  // Paid: the 60 left in the entry, and the rewards each change withdrew; three fees (the
  // undelegate, the cancel, the refused cancel).
  EXPECT_GT(rewards, 0u);
  EXPECT_EQ(env.balance(alice) + 3 * env.params().min_fee(), start + 60 * kBtt + rewards);
}

TEST_F(StakingTest, RefusalsSayWhatIsWrong) {
  const Account& alice = env.account("alice", 600 * kBtt);
  env.apply(env.tx(alice).message(delegate_msg(a, 700 * kBtt)).sign(), Code::kInsufficientFunds);
  env.apply(env.tx(alice).message(delegate_msg(test_key("nobody").address, kBtt)).sign(),
            Code::kUnknownRecord);
  env.apply(env.tx(alice).message(delegate_msg(a, 0)).sign(), Code::kInvalidAmount);
  env.apply(env.tx(alice).message(undelegate_msg(a, kBtt)).sign(), Code::kUnknownRecord);
  env.apply(env.tx(alice).message(delegate_msg(a, 10 * kBtt)).sign());
  env.apply(env.tx(alice).message(undelegate_msg(a, 11 * kBtt)).sign(), Code::kInsufficientFunds);
  env.apply(env.tx(alice).message(redelegate_msg(a, a, kBtt)).sign(), Code::kInvalidArgument);
  // At most 7 unbonding entries per pair (each block makes a new one).
  for (int i = 0; i < 7; ++i) {
    env.apply(env.tx(alice).message(undelegate_msg(a, kBtt)).sign());
    env.close_block();
  }
  env.apply(env.tx(alice).message(undelegate_msg(a, kBtt)).sign(), Code::kLimitExceeded);
  // Validators.
  env.apply(env.tx(alice).message(create_msg("val-a", 100 * kBtt)).sign(), Code::kAlreadyExists);
  auto low = create_msg("val-c", 100 * kBtt);
  low.mutable_create_validator()->set_min_self_delegation(200 * kBtt);
  env.apply(env.tx(alice).message(low).sign(), Code::kLimitExceeded);
  auto commission = create_msg("val-c", 100 * kBtt);
  commission.mutable_create_validator()->set_commission_bps(2'000);
  env.apply(env.tx(alice).message(commission).sign(), Code::kInvalidArgument);
  v1::Message edit;
  edit.mutable_edit_validator()->set_validator(a.to_string());
  edit.mutable_edit_validator()->set_moniker("mine");
  env.apply(env.tx(alice).message(edit).sign(), Code::kUnauthorized);
}

TEST_F(StakingTest, CommissionChangesAreBoundedPerDay) {
  const auto& faucet = faucet_account();
  v1::Message edit;
  edit.mutable_edit_validator()->set_validator(a.to_string());
  edit.mutable_edit_validator()->set_change_commission(true);
  edit.mutable_edit_validator()->set_commission_bps(1'100);
  env.apply(env.tx(faucet).message(edit).sign(), Code::kLimitExceeded);  // less than a day
  env.advance_time(kDayMs);
  env.close_block();
  edit.mutable_edit_validator()->set_commission_bps(1'200);
  env.apply(env.tx(faucet).message(edit).sign(), Code::kLimitExceeded);  // 200 > 100 a day
  edit.mutable_edit_validator()->set_commission_bps(1'100);
  env.apply(env.tx(faucet).message(edit).sign());
  EXPECT_EQ(validator(a).commission_bps(), 1'100u);
  edit.mutable_edit_validator()->set_commission_bps(2'100);
  env.apply(env.tx(faucet).message(edit).sign(), Code::kInvalidArgument);  // above its maximum
}

TEST_F(StakingTest, RedelegationCannotHopWhileItMatures) {
  const Account& alice = env.account("alice", 600 * kBtt);
  env.apply(env.tx(alice).message(delegate_msg(a, 100 * kBtt)).sign());
  env.apply(env.tx(alice).message(redelegate_msg(a, b, 60 * kBtt)).sign());
  EXPECT_EQ(delegated(alice, a), 40 * kBtt);
  EXPECT_EQ(delegated(alice, b), 60 * kBtt);
  EXPECT_EQ(view().redelegations_of(alice.address()).size(), 1u);
  env.apply(env.tx(alice).message(redelegate_msg(b, a, 10 * kBtt)).sign(), Code::kWrongState);
  env.close_block();
  env.advance_time(kUnbondingMs);
  env.close_block();
  EXPECT_TRUE(view().redelegations_of(alice.address()).empty());
  env.apply(env.tx(alice).message(redelegate_msg(b, a, 10 * kBtt)).sign());
  EXPECT_EQ(delegated(alice, a), 50 * kBtt);
}

TEST_F(StakingTest, ANewValidatorJoinsTheSetAtHPlusTwo) {
  const Account& carol = env.account("carol", 3'000 * kBtt);
  env.apply(env.tx(carol).message(create_msg("val-c", 2'000 * kBtt)).sign());
  const auto c = test_key("val-c").address;
  EXPECT_EQ(validator(c).status(), v1::VALIDATOR_STATUS_UNBONDED);
  const uint64_t h = env.height();
  env.close_block();
  EXPECT_EQ(validator(c).status(), v1::VALIDATOR_STATUS_BONDED);
  EXPECT_EQ(env.validators_at(h + 1).size(), 2u);
  const auto set = env.validators_at(h + 2);
  ASSERT_EQ(set.size(), 3u);
  EXPECT_EQ(set[0].address(), c.to_string());
  EXPECT_EQ(set[0].power(), 2'000u);
  // The operator leaves by undelegating all of its stake; it drops out at the next choice.
  env.apply(env.tx(carol).message(undelegate_msg(c, 1'500 * kBtt)).sign(), Code::kWrongState);
  env.apply(env.tx(carol).message(undelegate_msg(c, 2'000 * kBtt)).sign());
  const uint64_t left = env.height();
  env.close_block();
  EXPECT_EQ(env.validators_at(left + 2).size(), 2u);
  EXPECT_EQ(validator(c).status(), v1::VALIDATOR_STATUS_UNBONDED);
}

TEST(StakingOff, WithoutAGenesisSectionMessagesAreRefusedAndFeesStay) {
  TestEnv env;
  EXPECT_FALSE(stk::enabled(env.ledger_state()));
  const Account& alice = env.account("alice");
  v1::Message m;
  m.mutable_delegate()->set_validator(alice.addr());
  m.mutable_delegate()->set_amount(1);
  env.apply(env.tx(alice).message(m).sign(), Code::kWrongState);
  const uint64_t pool = env.fee_pool();
  env.close_block();
  EXPECT_EQ(env.fee_pool(), pool);
}

}  // namespace
}  // namespace btt::testkit

namespace btt::testkit {
namespace {

using StakingSlashTest = StakingTest;

// Double sign at height h: 5% of what b had bonded at h (its power then), taken first from the
// unbonding entry and the redelegation created after h, then from b's tokens; b is jailed and
// tombstoned. The redelegated stake cannot escape (GHSA-86h5-xcpx-cfqc), and an unbonding from
// the destination is not slashed a second time (cosmos-sdk #20688).
TEST_F(StakingSlashTest, DoubleSignSlashesBondedUnbondingAndRedelegatedStakeOnce) {
  const Account& alice = env.account("alice", 600 * kBtt);
  env.apply(env.tx(alice).message(delegate_msg(b, 100 * kBtt)).sign());
  for (int i = 0; i < 3; ++i) env.close_block();
  const uint64_t infraction = env.height();
  const uint64_t power = env.validators_at(infraction)[1].power();
  ASSERT_EQ(power, 600u);  // 500 self + alice's 100, in force since H+2
  env.close_block();
  env.apply(env.tx(alice).message(undelegate_msg(b, 40 * kBtt)).sign());
  env.apply(env.tx(alice).message(redelegate_msg(b, a, 20 * kBtt)).sign());
  env.apply(env.tx(alice).message(undelegate_msg(a, 10 * kBtt)).sign());  // from the destination
  env.close_block();
  const uint64_t supply_before = env.ledger().supply("BTT");
  const uint64_t b_tokens = validator(b).tokens();
  const uint64_t a_tokens = validator(a).tokens();
  env.set_next_misbehaviour({{b, infraction, 0, power}});
  env.close_block();

  // 5% of 600 BTT = 30 BTT: 2 from the 40 unbonding, 1 from the 20 redelegated (alice's shares
  // at a), 27 from b's tokens.
  EXPECT_EQ(burned_by_slashes(), 30 * kBtt);
  EXPECT_EQ(env.ledger().supply("BTT"), supply_before - 30 * kBtt);
  const auto entries = view().unbondings_of(alice.address());
  ASSERT_EQ(entries.size(), 2u);
  for (const auto& e : entries) {
    if (e.validator() == b.to_string()) {
      EXPECT_EQ(e.balance(), 38 * kBtt);
    } else {
      EXPECT_EQ(e.balance(), 10 * kBtt);  // from a: not slashed a second time
    }
  }
  EXPECT_EQ(validator(a).tokens(), a_tokens - 1 * kBtt);
  EXPECT_EQ(delegated(alice, a), 9 * kBtt);
  EXPECT_EQ(validator(b).tokens(), b_tokens - 27 * kBtt);
  EXPECT_TRUE(validator(b).tombstoned());
  EXPECT_TRUE(validator(b).jailed());
  EXPECT_EQ(validator(b).slashed(), 30 * kBtt);
  // Out of the set from H+2 (jailed in this block's begin_block), for good.
  const uint64_t h = env.height();
  env.close_block();
  const auto set = env.validators_at(h + 2);
  ASSERT_EQ(set.size(), 1u);
  EXPECT_EQ(set[0].address(), a.to_string());
  env.advance_time(kDayMs);
  env.apply(env.tx(faucet_account()).message(unjail_msg(b)).sign(), Code::kWrongState);
  // Evidence of the same validator again punishes nothing more.
  env.set_next_misbehaviour({{b, infraction, 0, power}});
  env.close_block();
  EXPECT_EQ(burned_by_slashes(), 30 * kBtt);
}

TEST_F(StakingSlashTest, DowntimeJailsAfterAWindowAndUnjailReturnsToTheSet) {
  // Parameters for a short window: 10 blocks, at least 50% signed.
  auto p = *view().params();
  p.set_signed_blocks_window(10);
  p.set_min_signed_per_window_bps(5'000);
  env.ledger_state().put(Bytes("stk/params"), p.SerializeAsString());
  env.close_block();
  // Everyone signing writes no miss at all.
  for (int i = 0; i < 3; ++i) env.close_block();
  EXPECT_EQ(validator(b).missed_blocks(), 0u);
  env.set_absent({b});
  uint64_t blocks = 0;
  while (!validator(b).jailed() && blocks < 30) {
    env.close_block();
    ++blocks;
  }
  ASSERT_TRUE(validator(b).jailed());
  // Watched for a whole window (10 blocks) with more than 5 misses: jailed at the 10th miss.
  EXPECT_EQ(blocks, 10u);
  EXPECT_EQ(burned_by_slashes(), 500 * kBtt / 10'000);  // 0.01% of 500 BTT
  EXPECT_EQ(validator(b).missed_blocks(), 0u);          // a fresh window after the jail
  EXPECT_FALSE(validator(b).tombstoned());
  env.set_absent({});
  const uint64_t h = env.height();
  env.close_block();
  EXPECT_EQ(env.validators_at(h + 2).size(), 1u);
  env.apply(env.tx(faucet_account()).message(unjail_msg(b)).sign(), Code::kWrongState);  // too soon
  env.advance_time(600'000);
  env.close_block();
  // The slash left the operator below its min_self_delegation (its whole genesis stake): it
  // tops up before it may return.
  env.apply(env.tx(faucet_account()).message(unjail_msg(b)).sign(), Code::kLimitExceeded);
  env.apply(env.tx(faucet_account()).message(delegate_msg(b, kBtt)).sign());
  env.apply(env.tx(faucet_account()).message(unjail_msg(b)).sign());
  EXPECT_FALSE(validator(b).jailed());
  const uint64_t back = env.height();
  env.close_block();
  EXPECT_EQ(env.validators_at(back + 2).size(), 2u);
}

}  // namespace
}  // namespace btt::testkit

namespace btt::testkit {
namespace {

TEST_F(StakingTest, StakeLocksHoldBttBackForTheirTermAndGiveATier) {
  const Account& alice = env.account("alice", 100 * kBtt);
  v1::Message lock;
  lock.mutable_lock_stake()->set_amount(60 * kBtt);
  lock.mutable_lock_stake()->set_term(2);  // 12 months: 1.5, tier 3
  env.apply(env.tx(alice).message(lock).sign());
  const uint64_t t0 = env.time_ms();
  EXPECT_EQ(stk::tier_of(env.ledger_state(), alice.address(), t0), 3u);
  EXPECT_EQ(stk::locked_vote_weight(env.ledger_state(), alice.address(), t0), 90 * kBtt);
  // The mempool's priority among equal fees is the tier (ModuleRegistry::tx_priority).
  EXPECT_EQ(env.registry().tx_priority(env.ledger_state(), alice.address(), t0), 3u);
  EXPECT_EQ(env.registry().tx_priority(env.ledger_state(), faucet_account().address(), t0), 0u);
  // 100 - 60 locked - the fee: 40 BTT less a fee spendable; more is refused.
  env.apply(env.tx(alice).transfer(alice, 40 * kBtt).sign(), Code::kLockedFunds);
  env.apply(env.tx(alice).message(delegate_msg(a, 40 * kBtt)).sign(), Code::kLockedFunds);
  lock.mutable_lock_stake()->set_term(9);
  lock.mutable_lock_stake()->set_amount(kBtt);
  env.apply(env.tx(alice).message(lock).sign(), Code::kInvalidArgument);
  v1::Message unlock;
  unlock.mutable_unlock_stake()->set_lock_id(1);
  env.apply(env.tx(alice).message(unlock).sign(), Code::kWrongState);  // no early unlock
  unlock.mutable_unlock_stake()->set_lock_id(7);
  env.apply(env.tx(alice).message(unlock).sign(), Code::kUnknownRecord);
  // A year of 30-day months later the lock ends and the end_block releases it.
  env.close_block();
  env.advance_time(12ULL * 30 * kDayMs);
  env.close_block();
  EXPECT_TRUE(view().locks_of(alice.address()).empty());
  EXPECT_EQ(stk::tier_of(env.ledger_state(), alice.address(), env.time_ms()), 0u);
  EXPECT_EQ(env.registry().tx_priority(env.ledger_state(), alice.address(), env.time_ms()), 0u);
  env.apply(env.tx(alice).transfer(alice, 60 * kBtt).sign());
}

}  // namespace
}  // namespace btt::testkit

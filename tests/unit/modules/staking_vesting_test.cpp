// Delegating vesting BTT (doc/staking.md "Delegating vesting BTT"): the ledger holds back
// max(0, unvested - staked) + stake locks, with `staked` the account's own BTT outside its
// balance (delegations at their value now, unbonding entries). So vesting BTT can be delegated,
// stays locked in the stake and back in the balance until it vests, and a slash (which lowers
// `staked`) only ever holds more back. The vesting account is the test genesis' beneficiary:
// 75,600,000 BTT locked until 3 months, 1,890,000 BTT released at 3 months, 7,280,000 at 6.
// Every fee goes to the treasury (community tax 100%), so no rewards reach the accounts and
// every figure below is exact; TestEnv checks supply and every invariant after every block.
#include <gtest/gtest.h>

#include "staking_fixture.h"

namespace btt::testkit {
namespace {

constexpr uint64_t kBtt = kUnitsPerBtt;
constexpr uint64_t kMonthMs = 2'592'000'000;
constexpr uint64_t kVesting = 75'600'000 * kBtt;
constexpr uint64_t kReleasedAt3 = 1'890'000 * kBtt;
constexpr uint64_t kReleasedAt6 = 7'280'000 * kBtt;

nlohmann::json no_rewards() {
  return staking_section({{"community_tax_bps", 10'000}});
}

v1::StakeLocks holds_of(TestEnv& env, const Account& who) {
  return modules::staking::StakingView(env.ledger_state())
      .stake_locks(who.address(), env.time_ms(), env.registry().locks());
}

// Moves the open block's time to genesis + offset_ms.
void at(TestEnv& env, uint64_t offset_ms) {
  ASSERT_GE(TestEnv::kGenesisTimeMs + offset_ms, env.time_ms());
  env.advance_time(TestEnv::kGenesisTimeMs + offset_ms - env.time_ms());
}

// Lets every unbonding entry and redelegation open now mature.
void mature(TestEnv& env) {
  env.close_block();
  env.advance_time(kStakingUnbondingMs);
  env.close_block();
}

class StakingVestingTest : public StakingTest {
 protected:
  StakingVestingTest() : StakingTest(no_rewards()) {}

  const uint64_t fee = env.params().min_fee();
  v1::StakeLocks holds(const Account& who) { return holds_of(env, who); }
  // A transfer of everything spendable before its fee: refused (303), the fee paid.
  void refused_transfer(const Account& from, const Account& to) {
    const uint64_t spendable = holds(from).spendable();
    env.apply(env.tx(from).transfer(to, spendable).sign(), Code::kLockedFunds);
    EXPECT_EQ(holds(from).spendable(), spendable - fee);
  }
};

TEST_F(StakingVestingTest, VestingBttIsDelegatedAndStaysLockedUntilItVests) {
  const Account& ben = env.account(TestEnv::kBeneficiary, 100 * kBtt);
  const Account& alice = env.account("alice", 0);
  uint64_t free = 100 * kBtt;
  auto h = holds(ben);
  EXPECT_EQ(h.balance(), kVesting + free);
  EXPECT_EQ(h.unvested(), kVesting);
  EXPECT_EQ(h.staked(), 0u);
  EXPECT_EQ(h.spendable(), free);

  // 1,000,000 BTT of the vesting BTT delegated: allowed, and what is spendable stays as it was.
  env.apply(env.tx(ben).message(delegate_msg(b, 1'000'000 * kBtt)).sign());
  free -= fee;
  h = holds(ben);
  EXPECT_EQ(delegated(ben, b), 1'000'000 * kBtt);
  EXPECT_EQ(h.balance(), kVesting - 1'000'000 * kBtt + free);
  EXPECT_EQ(h.staked(), 1'000'000 * kBtt);
  EXPECT_EQ(h.delegated_vesting(), 1'000'000 * kBtt);
  EXPECT_EQ(h.delegated_free(), 0u);
  EXPECT_EQ(h.vesting_held(), kVesting - 1'000'000 * kBtt);
  EXPECT_EQ(h.spendable(), free);
  // The free part moves; the vesting part does not.
  refused_transfer(ben, alice);
  env.apply(env.tx(ben).transfer(alice, kBtt).sign());
  free -= 2 * fee + kBtt;
  EXPECT_EQ(holds(ben).spendable(), free);
  env.close_block();

  // Undelegated: the unbonding entry still covers the vesting BTT, then the balance holds it.
  env.apply(env.tx(ben).message(undelegate_msg(b, 1'000'000 * kBtt)).sign());
  free -= fee;
  h = holds(ben);
  EXPECT_EQ(h.staked(), 1'000'000 * kBtt);
  EXPECT_EQ(h.delegated_vesting(), 1'000'000 * kBtt);
  EXPECT_EQ(h.spendable(), free);
  refused_transfer(ben, alice);
  free -= fee;
  mature(env);
  h = holds(ben);
  EXPECT_EQ(h.staked(), 0u);
  EXPECT_EQ(h.balance(), kVesting + free);
  EXPECT_EQ(h.vesting_held(), kVesting);
  EXPECT_EQ(h.spendable(), free);
  refused_transfer(ben, alice);
  free -= fee;

  // At 3 months 1,890,000 BTT vest, and only they.
  at(env, 3 * kMonthMs);
  h = holds(ben);
  EXPECT_EQ(h.unvested(), kVesting - kReleasedAt3);
  EXPECT_EQ(h.spendable(), free + kReleasedAt3);
  env.apply(env.tx(ben).transfer(alice, free + kReleasedAt3).sign(), Code::kLockedFunds);
  env.apply(env.tx(ben).transfer(alice, kReleasedAt3).sign());
  free -= 2 * fee;
  EXPECT_EQ(holds(ben).spendable(), free);

  // Delegated again, 2,000,000 BTT, until 6 months: the release reaches the balance all the same.
  env.apply(env.tx(ben).message(delegate_msg(a, 2'000'000 * kBtt)).sign());
  free -= fee;
  EXPECT_EQ(holds(ben).spendable(), free);
  env.close_block();
  at(env, 6 * kMonthMs);
  h = holds(ben);
  EXPECT_EQ(h.unvested(), kVesting - kReleasedAt6);
  EXPECT_EQ(h.balance(), kVesting - kReleasedAt3 - 2'000'000 * kBtt + free);
  EXPECT_EQ(h.delegated_vesting(), 2'000'000 * kBtt);
  EXPECT_EQ(h.vesting_held(), kVesting - kReleasedAt6 - 2'000'000 * kBtt);
  EXPECT_EQ(h.spendable(), free + kReleasedAt6 - kReleasedAt3);
  env.close_block();
}

TEST_F(StakingVestingTest, StakeBeyondTheVestingBttIsDelegatedFree) {
  const Account& ben = env.account(TestEnv::kBeneficiary, 1'000 * kBtt);
  // All the vesting BTT and 500 BTT of the free BTT.
  env.apply(env.tx(ben).message(delegate_msg(a, kVesting + 500 * kBtt)).sign());
  uint64_t free = 500 * kBtt - fee;
  auto h = holds(ben);
  EXPECT_EQ(h.balance(), free);
  EXPECT_EQ(h.staked(), kVesting + 500 * kBtt);
  EXPECT_EQ(h.delegated_vesting(), kVesting);
  EXPECT_EQ(h.delegated_free(), 500 * kBtt);
  EXPECT_EQ(h.vesting_held(), 0u);
  EXPECT_EQ(h.spendable(), free);
  // More than the balance: 300.
  env.apply(env.tx(ben).message(delegate_msg(a, free)).sign(), Code::kInsufficientFunds);
  free -= fee;

  // The free part comes back spendable; one BTT more comes back locked.
  env.apply(env.tx(ben).message(undelegate_msg(a, 501 * kBtt)).sign());
  free -= fee;
  mature(env);
  h = holds(ben);
  EXPECT_EQ(h.staked(), kVesting - kBtt);
  EXPECT_EQ(h.delegated_free(), 0u);
  EXPECT_EQ(h.balance(), free + 501 * kBtt);
  EXPECT_EQ(h.vesting_held(), kBtt);
  EXPECT_EQ(h.spendable(), free + 500 * kBtt);

  // A stake lock holds BTT back on top, and stake-locked BTT cannot be delegated.
  env.apply(env.tx(ben).message(lock_msg(100 * kBtt, 0)).sign());
  free -= fee;
  h = holds(ben);
  EXPECT_EQ(h.locked(), 100 * kBtt);
  EXPECT_EQ(h.spendable(), free + 400 * kBtt);
  const uint64_t bondable = h.balance() - fee - 100 * kBtt;  // after the next tx's fee
  env.apply(env.tx(ben).message(delegate_msg(a, bondable + 1)).sign(), Code::kLockedFunds);
  env.apply(env.tx(ben).message(delegate_msg(a, bondable - fee)).sign());
  const uint64_t staked = kVesting - kBtt + bondable - fee;
  h = holds(ben);
  EXPECT_EQ(h.balance(), 100 * kBtt);
  EXPECT_EQ(h.staked(), staked);
  EXPECT_EQ(h.delegated_free(), staked - kVesting);  // the 1 BTT went back to vesting
  EXPECT_EQ(h.spendable(), 0u);
  env.close_block();

  // At 3 months the released BTT is delegated free; the lock still holds the balance.
  at(env, 3 * kMonthMs);
  h = holds(ben);
  EXPECT_EQ(h.delegated_vesting(), kVesting - kReleasedAt3);
  EXPECT_EQ(h.delegated_free(), staked - kVesting + kReleasedAt3);
  EXPECT_EQ(h.vesting_held(), 0u);
  EXPECT_EQ(h.spendable(), 0u);
  env.close_block();
}

// The same account on two chains, one where b double signs: after the slash, after the full
// undelegation and as vesting goes on, the slashed chain's spendable BTT is never above the
// other's, and below it by exactly the slash.
TEST(StakingVestingSlash, ASlashOfDelegatedVestingBttNeverUnlocksAnything) {
  TestEnv slashed(no_rewards(), staking_validators());
  TestEnv clean(no_rewards(), staking_validators());
  const auto b = test_key("val-b").address;
  const uint64_t fee = slashed.params().min_fee();
  std::vector<TestEnv*> both = {&slashed, &clean};
  std::map<const TestEnv*, const Account*> bens;
  for (TestEnv* e : both) {
    const Account& ben = e->account(TestEnv::kBeneficiary, 100'000 * kBtt);
    bens[e] = &ben;
    e->apply(e->tx(ben).message(delegate_msg(b, 1'000'000 * kBtt)).sign());
    for (int i = 0; i < 3; ++i) e->close_block();
  }
  auto ben = [&](const TestEnv& e) -> const Account& { return *bens.at(&e); };
  uint64_t free = 100'000 * kBtt - fee;
  auto expect = [&](uint64_t slashed_spendable, uint64_t clean_spendable) {
    const uint64_t s = holds_of(slashed, ben(slashed)).spendable();
    const uint64_t c = holds_of(clean, ben(clean)).spendable();
    EXPECT_EQ(s, slashed_spendable);
    EXPECT_EQ(c, clean_spendable);
    EXPECT_LE(s, c);
  };
  expect(free, free);

  // b double signs at a height where the delegation gave it 1,000,500 BTT of power: 5% of that,
  // 50,025 BTT, is burned from its tokens; the vesting account's 1,000,000 BTT are worth 950,000.
  const uint64_t infraction = slashed.height();
  uint64_t power = 0;
  for (const auto& v : slashed.validators_at(infraction)) {
    if (v.address() == b.to_string()) power = v.power();
  }
  ASSERT_EQ(power, 1'000'500u);
  for (TestEnv* e : both) e->close_block();
  slashed.set_next_misbehaviour({{b, infraction, 0, power}});
  for (TestEnv* e : both) e->close_block();
  const auto stake = [&](TestEnv& e) {
    return modules::staking::StakingView(e.ledger_state()).own_stake(ben(e).address());
  };
  EXPECT_EQ(stake(slashed), 950'000 * kBtt);
  EXPECT_EQ(stake(clean), 1'000'000 * kBtt);
  auto h = holds_of(slashed, ben(slashed));
  EXPECT_EQ(h.delegated_vesting(), 950'000 * kBtt);
  EXPECT_EQ(h.vesting_held(), kVesting - 950'000 * kBtt);
  expect(free - 50'000 * kBtt, free);

  // Everything undelegated: the unbonding entry, then the balance, hold the same back.
  slashed.apply(slashed.tx(ben(slashed)).message(undelegate_msg(b, 950'000 * kBtt)).sign());
  clean.apply(clean.tx(ben(clean)).message(undelegate_msg(b, 1'000'000 * kBtt)).sign());
  free -= fee;
  expect(free - 50'000 * kBtt, free);
  for (TestEnv* e : both) mature(*e);
  EXPECT_EQ(stake(slashed), 0u);
  h = holds_of(slashed, ben(slashed));
  EXPECT_EQ(h.balance(), kVesting + free - 50'000 * kBtt);
  EXPECT_EQ(h.vesting_held(), kVesting);
  expect(free - 50'000 * kBtt, free);

  // As vesting goes on, the difference stays the slash.
  for (TestEnv* e : both) at(*e, 3 * kMonthMs);
  expect(free - 50'000 * kBtt + kReleasedAt3, free + kReleasedAt3);
  for (TestEnv* e : both) e->close_block();
  for (TestEnv* e : both) at(*e, 6 * kMonthMs);
  expect(free - 50'000 * kBtt + kReleasedAt6, free + kReleasedAt6);
  for (TestEnv* e : both) e->close_block();
}

// Redelegated vesting BTT stays delegated vesting, and the redelegated part answers for a slash
// of its source (the slash holds back 5% more, never less).
TEST_F(StakingVestingTest, RedelegatedVestingBttStaysLockedAndAnswersForItsSource) {
  const Account& ben = env.account(TestEnv::kBeneficiary, 100'000 * kBtt);
  const Account& alice = env.account("alice", 0);
  env.apply(env.tx(ben).message(delegate_msg(a, 1'000'000 * kBtt)).sign());
  uint64_t free = 100'000 * kBtt - fee;
  for (int i = 0; i < 3; ++i) env.close_block();
  const uint64_t infraction = env.height();
  ASSERT_EQ(env.validators_at(infraction)[0].address(), a.to_string());
  const uint64_t power = env.validators_at(infraction)[0].power();
  ASSERT_EQ(power, 1'001'000u);
  env.close_block();

  env.apply(env.tx(ben).message(redelegate_msg(a, b, 400'000 * kBtt)).sign());
  free -= fee;
  auto h = holds(ben);
  EXPECT_EQ(delegated(ben, a), 600'000 * kBtt);
  EXPECT_EQ(delegated(ben, b), 400'000 * kBtt);
  EXPECT_EQ(h.staked(), 1'000'000 * kBtt);
  EXPECT_EQ(h.delegated_vesting(), 1'000'000 * kBtt);
  EXPECT_EQ(h.spendable(), free);
  refused_transfer(ben, alice);
  free -= fee;
  env.close_block();

  // a double signed before the redelegation: 5% of 1,001,000 BTT = 50,050 BTT, 20,000 of them
  // from the 400,000 redelegated to b, 30,050 from a's 601,000 (its delegators keep 95%).
  env.set_next_misbehaviour({{a, infraction, 0, power}});
  env.close_block();
  EXPECT_EQ(burned_by_slashes(), 50'050 * kBtt);
  EXPECT_EQ(delegated(ben, b), 380'000 * kBtt);
  EXPECT_EQ(delegated(ben, a), 570'000 * kBtt);
  h = holds(ben);
  EXPECT_EQ(h.staked(), 950'000 * kBtt);
  EXPECT_EQ(h.vesting_held(), kVesting - 950'000 * kBtt);
  EXPECT_EQ(h.spendable(), free - 50'000 * kBtt);

  env.apply(env.tx(ben).message(undelegate_msg(b, 380'000 * kBtt)).sign());
  env.apply(env.tx(ben).message(undelegate_msg(a, 570'000 * kBtt)).sign());
  free -= 2 * fee;
  mature(env);
  h = holds(ben);
  EXPECT_EQ(h.staked(), 0u);
  EXPECT_EQ(h.vesting_held(), kVesting);
  EXPECT_EQ(h.spendable(), free - 50'000 * kBtt);
  EXPECT_EQ(h.balance(), kVesting + free - 50'000 * kBtt);
}

}  // namespace
}  // namespace btt::testkit

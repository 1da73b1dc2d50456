// The answers of btt.v1.Staking through StakingView (doc/staking.md "Queries"): a validator, the
// lists with their filters and pages, unbonding and redelegation entries, rewards as a withdraw
// would pay them now (asserted against the withdraw that follows), and signing info, with exact
// values; and each refusal.
#include <gtest/gtest.h>

#include <algorithm>

#include "btt/modules/staking/errors.h"
#include "staking_fixture.h"

namespace btt::testkit {
namespace {

constexpr uint64_t kBtt = kUnitsPerBtt;

class StakingQueryTest : public StakingTest {
 protected:
  uint64_t h() { return env.height(); }
  // What `tx` paid `who`: its balance after, plus the fee, less before.
  uint64_t paid_by(const Account& who, const v1::Message& m) {
    const uint64_t before = env.balance(who);
    env.apply(env.tx(who).message(m).sign());
    return env.balance(who) + env.params().min_fee() - before;
  }
  v1::DelegationRewards rewards_of(const Account& who, const crypto::Address& v) {
    v1::GetDelegationRewardsRequest req;
    req.set_delegator(who.addr());
    req.set_validator(v.to_string());
    auto r = view().delegation_rewards(req, h());
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    return r ? *r : v1::DelegationRewards{};
  }
  v1::ValidatorRewards validator_rewards(const crypto::Address& v) {
    v1::GetValidatorRewardsRequest req;
    req.set_validator(v.to_string());
    auto r = view().validator_rewards(req, h());
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    return r ? *r : v1::ValidatorRewards{};
  }
};

// The worked example of doc/staking.md (alice holds half of b's shares; fees 2,000,000), asked
// before anyone withdraws: every figure the queries give is what the withdraws then pay.
TEST_F(StakingQueryTest, RewardsAreWhatAWithdrawThenPaysToTheUnit) {
  settle_fees();
  const Account& alice = env.account("alice", 600 * kBtt);
  const Account& payer = env.account("payer");
  const Account& faucet = faucet_account();
  env.apply(env.tx(alice).message(delegate_msg(b, 500 * kBtt)).sign());
  const uint64_t chosen_at = h();
  while (h() <= chosen_at + 3) env.close_block();
  settle_fees();
  // Everyone takes what they earned so far; with the payer's tx this block's fees are 2,000,000.
  env.apply(env.tx(alice).message(withdraw_msg(b, false)).sign());
  env.apply(env.tx(faucet).message(withdraw_msg(a, true)).sign());
  env.apply(env.tx(faucet).message(withdraw_msg(b, true)).sign());
  env.apply(env.tx(payer).transfer(payer, 1).fee(1'997'000).sign());
  ASSERT_EQ(env.fee_pool(), 2'000'000u);
  EXPECT_EQ(rewards_of(alice, b).total(), 0u);
  EXPECT_EQ(validator_rewards(b).commission(), 0u);
  // Every delegation paid and the commission taken: nothing is outstanding but dust below a unit.
  EXPECT_EQ(validator_rewards(a).outstanding(), 0u);
  EXPECT_EQ(validator_rewards(b).outstanding(), 0u);
  env.close_block();

  // tax 40,000; bonus 19,600 to a; 1,940,400 by power 1000:1000. b: 970,200, commission 97,020,
  // delegators 873,180 by halves. a: 989,800, commission 98,980, its operator alone 890,820.
  EXPECT_EQ(rewards_of(alice, b).total(), 436'590u);
  EXPECT_EQ(rewards_of(faucet, b).total(), 436'590u);
  EXPECT_EQ(rewards_of(faucet, a).total(), 890'820u);
  const auto vb = validator_rewards(b);
  EXPECT_EQ(vb.validator(), b.to_string());
  EXPECT_EQ(vb.height(), h());
  EXPECT_EQ(vb.commission(), 97'020u);
  EXPECT_EQ(vb.outstanding(), 970'200u);
  const auto va = validator_rewards(a);
  EXPECT_EQ(va.commission(), 98'980u);
  EXPECT_EQ(va.outstanding(), 989'800u);
  // The stored records are as of the last settlement: they know nothing of this block yet.
  EXPECT_EQ(validator(b).commission(), 0u);

  // Every delegation of the faucet, by validator address, with the total.
  v1::GetDelegationRewardsRequest all;
  all.set_delegator(faucet.addr());
  const auto every = view().delegation_rewards(all, h());
  ASSERT_TRUE(every.is_ok());
  ASSERT_EQ(every->rewards_size(), 2);
  EXPECT_EQ(every->total(), 436'590u + 890'820u);
  EXPECT_EQ(every->delegator(), faucet.addr());
  // GetDelegations' pending_rewards are the same figures.
  v1::GetDelegationsRequest dreq;
  dreq.set_validator(b.to_string());
  const auto dels = view().delegations(dreq);
  ASSERT_TRUE(dels.is_ok());
  ASSERT_EQ(dels->delegations_size(), 2);
  for (const auto& d : dels->delegations()) {
    EXPECT_EQ(d.pending_rewards(), 436'590u) << d.delegation().delegator();
    EXPECT_EQ(d.tokens(), 500 * kBtt);
  }

  // The withdraws pay exactly that.
  EXPECT_EQ(paid_by(alice, withdraw_msg(b, false)), 436'590u);
  EXPECT_EQ(paid_by(faucet, withdraw_msg(b, true)), 436'590u + 97'020u);
  EXPECT_EQ(paid_by(faucet, withdraw_msg(a, true)), 890'820u + 98'980u);
  EXPECT_EQ(validator_rewards(b).commission(), 0u);
  EXPECT_EQ(rewards_of(alice, b).total(), 0u);
  EXPECT_EQ(validator_rewards(a).outstanding(), 0u);
  EXPECT_EQ(validator_rewards(b).outstanding(), 0u);
}

// An uneven split (rounding dust in every division) still matches the withdraw to the unit.
TEST_F(StakingQueryTest, RewardsMatchTheWithdrawWithRoundingDust) {
  const Account& alice = env.account("alice", 600 * kBtt);
  const Account& bob = env.account("bob", 600 * kBtt);
  env.apply(env.tx(alice).message(delegate_msg(a, 333 * kBtt + 7)).sign());
  env.apply(env.tx(bob).message(delegate_msg(a, 77 * kBtt + 3)).sign());
  const Account& payer = env.account("payer");
  for (uint64_t fee : {1'234'567u, 999'999u, 31'337u}) {
    env.apply(env.tx(payer).transfer(payer, 1).fee(fee).sign());
    env.close_block();
  }
  const uint64_t alice_owed = rewards_of(alice, a).total();
  const uint64_t bob_owed = rewards_of(bob, a).total();
  const uint64_t commission = validator_rewards(a).commission();
  EXPECT_GT(alice_owed, 0u);
  EXPECT_GT(bob_owed, 0u);
  EXPECT_EQ(paid_by(alice, withdraw_msg(a, false)), alice_owed);
  EXPECT_EQ(paid_by(bob, withdraw_msg(a, false)), bob_owed);
  EXPECT_EQ(validator_rewards(a).commission(), commission);  // untouched by delegators
  const uint64_t operator_owed = rewards_of(faucet_account(), a).total();
  EXPECT_EQ(paid_by(faucet_account(), withdraw_msg(a, true)), operator_owed + commission);
}

TEST_F(StakingQueryTest, GetValidatorByAddressOrOperator) {
  v1::GetValidatorRequest req;
  req.set_validator(a.to_string());
  auto r = view().get_validator(req, h());
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r->height(), h());
  const auto& info = r->validator();
  EXPECT_EQ(info.validator().address(), a.to_string());
  EXPECT_EQ(info.validator().operator_(), faucet_account().addr());
  EXPECT_EQ(info.validator().tokens(), 1'000 * kBtt);
  EXPECT_EQ(info.validator().shares(), 1'000 * kBtt);
  EXPECT_EQ(info.validator().commission_bps(), 1'000u);
  EXPECT_EQ(info.validator().status(), v1::VALIDATOR_STATUS_BONDED);
  EXPECT_FALSE(info.validator().jailed());
  EXPECT_EQ(info.power(), 1'000u);
  EXPECT_EQ(info.self_stake(), 1'000 * kBtt);

  // Carol operates one validator; the faucet operates two.
  const Account& carol = env.account("carol", 3'000 * kBtt);
  env.apply(env.tx(carol).message(create_msg("val-c", 2'000 * kBtt)).sign());
  const auto c = test_key("val-c").address;
  const Account& alice = env.account("alice", 600 * kBtt);
  env.apply(env.tx(alice).message(delegate_msg(c, 100 * kBtt)).sign());
  req.Clear();
  req.set_operator_(carol.addr());
  r = view().get_validator(req, h());
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r->validator().validator().address(), c.to_string());
  EXPECT_EQ(r->validator().validator().tokens(), 2'100 * kBtt);
  EXPECT_EQ(r->validator().self_stake(), 2'000 * kBtt);
  EXPECT_EQ(r->validator().power(), 2'100u);
  EXPECT_EQ(r->validator().validator().status(), v1::VALIDATOR_STATUS_UNBONDED);

  req.set_operator_(faucet_account().addr());
  r = view().get_validator(req, h());
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(r.status().detail(), stk::errors::kBadField.detail);
  EXPECT_NE(r.status().message().find("operates 2 validators"), std::string::npos);
  req.set_operator_(alice.addr());
  EXPECT_EQ(view().get_validator(req, h()).status().code(), Code::kNotFound);
  req.Clear();
  req.set_validator(test_key("nobody").address.to_string());
  r = view().get_validator(req, h());
  EXPECT_EQ(r.status().code(), Code::kNotFound);
  EXPECT_EQ(r.status().message(), "no validator " + test_key("nobody").address.to_string());
  req.set_validator("btt1nope");
  r = view().get_validator(req, h());
  EXPECT_EQ(r.status().code(), Code::kInvalidAddress);
  EXPECT_EQ(r.status().detail(), stk::errors::kBadAddress.detail);
  req.set_operator_(carol.addr());
  EXPECT_EQ(view().get_validator(req, h()).status().detail(), stk::errors::kBadField.detail);
  EXPECT_EQ(view().get_validator({}, h()).status().detail(), stk::errors::kBadField.detail);
}

TEST_F(StakingQueryTest, ListValidatorsFiltersAndPages) {
  const Account& carol = env.account("carol", 3'000 * kBtt);
  env.apply(env.tx(carol).message(create_msg("val-c", 200 * kBtt)).sign());
  const auto c = test_key("val-c").address;
  std::vector<std::string> by_address = {a.to_string(), b.to_string(), c.to_string()};
  std::sort(by_address.begin(), by_address.end(), [](const std::string& x, const std::string& y) {
    return crypto::Address::parse(x)->raw() < crypto::Address::parse(y)->raw();
  });
  auto list = [&](v1::ListValidatorsRequest req) {
    std::vector<std::string> out;
    auto r = view().list_validators(req, h());
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    if (r) {
      EXPECT_EQ(r->height(), h());
      for (const auto& v : r->validators()) out.push_back(v.validator().address());
    }
    return out;
  };
  v1::ListValidatorsRequest all;
  all.set_all(true);
  EXPECT_EQ(list(all), by_address);
  v1::ListValidatorsRequest unbonded;  // status UNBONDED (0) by default
  EXPECT_EQ(list(unbonded), std::vector<std::string>{c.to_string()});
  v1::ListValidatorsRequest bonded;
  bonded.set_status(v1::VALIDATOR_STATUS_BONDED);
  EXPECT_EQ(list(bonded).size(), 2u);
  auto mine = all;
  mine.set_operator_(carol.addr());
  EXPECT_EQ(list(mine), std::vector<std::string>{c.to_string()});
  // Pages of one, each after the last of the previous page.
  auto page = all;
  page.set_limit(1);
  std::vector<std::string> paged;
  for (int i = 0; i < 4; ++i) {
    const auto got = list(page);
    if (got.empty()) break;
    ASSERT_EQ(got.size(), 1u);
    paged.push_back(got[0]);
    page.set_start_after(got[0]);
  }
  EXPECT_EQ(paged, by_address);
  // Values of a row: power and self stake.
  auto r = view().list_validators(mine, h());
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(r->validators(0).power(), 200u);
  EXPECT_EQ(r->validators(0).self_stake(), 200 * kBtt);

  // Jailed: b double signs.
  env.close_block();
  env.set_next_misbehaviour({{b, h() - 1, 0, 500}});
  env.close_block();
  auto jailed = all;
  jailed.set_filter_jailed(true);
  jailed.set_jailed(true);
  EXPECT_EQ(list(jailed), std::vector<std::string>{b.to_string()});
  jailed.set_jailed(false);
  EXPECT_EQ(list(jailed).size(), 2u);

  auto bad = all;
  bad.set_limit(1'001);
  EXPECT_EQ(view().list_validators(bad, h()).status().code(), Code::kInvalidArgument);
  bad = all;
  bad.set_start_after("nope");
  EXPECT_EQ(view().list_validators(bad, h()).status().detail(), stk::errors::kBadAddress.detail);
  bad = all;
  bad.set_operator_("nope");
  EXPECT_EQ(view().list_validators(bad, h()).status().detail(), stk::errors::kBadAddress.detail);
}

TEST_F(StakingQueryTest, UnbondingAndRedelegationEntriesByDelegatorAndValidator) {
  const Account& alice = env.account("alice", 600 * kBtt);
  const Account& bob = env.account("bob", 600 * kBtt);
  env.apply(env.tx(alice).message(delegate_msg(a, 100 * kBtt)).sign());
  env.apply(env.tx(bob).message(delegate_msg(a, 50 * kBtt)).sign());
  env.apply(env.tx(alice).message(undelegate_msg(a, 30 * kBtt)).sign());
  env.apply(env.tx(bob).message(undelegate_msg(a, 10 * kBtt)).sign());
  env.apply(env.tx(alice).message(redelegate_msg(a, b, 20 * kBtt)).sign());
  const uint64_t created = h();
  const uint64_t completion = env.time_ms() + kUnbondingMs;
  env.close_block();

  auto unbondings = [&](const std::string& d, const std::string& v) {
    v1::GetUnbondingsRequest req;
    req.set_delegator(d);
    req.set_validator(v);
    return view().unbondings(req, h());
  };
  auto r = unbondings(alice.addr(), "");
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r->height(), h());
  ASSERT_EQ(r->entries_size(), 1);
  EXPECT_EQ(r->entries(0).delegator(), alice.addr());
  EXPECT_EQ(r->entries(0).validator(), a.to_string());
  EXPECT_EQ(r->entries(0).creation_height(), created);
  EXPECT_EQ(r->entries(0).completion_ms(), completion);
  EXPECT_EQ(r->entries(0).initial_balance(), 30 * kBtt);
  EXPECT_EQ(r->entries(0).balance(), 30 * kBtt);
  EXPECT_EQ(r->total_balance(), 30 * kBtt);
  r = unbondings("", a.to_string());  // from a: alice's and bob's
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(r->entries_size(), 2);
  EXPECT_EQ(r->total_balance(), 40 * kBtt);
  r = unbondings(bob.addr(), a.to_string());
  ASSERT_TRUE(r.is_ok());
  ASSERT_EQ(r->entries_size(), 1);
  EXPECT_EQ(r->entries(0).balance(), 10 * kBtt);
  r = unbondings(bob.addr(), b.to_string());
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(r->entries_size(), 0);
  EXPECT_EQ(unbondings("", "").status().detail(), stk::errors::kBadField.detail);
  EXPECT_EQ(unbondings("nope", "").status().detail(), stk::errors::kBadAddress.detail);
  EXPECT_EQ(unbondings("", test_key("nobody").address.to_string()).status().code(),
            Code::kNotFound);

  auto redelegations = [&](const std::string& d, const std::string& from, const std::string& to) {
    v1::GetRedelegationsRequest req;
    req.set_delegator(d);
    req.set_from_validator(from);
    req.set_to_validator(to);
    auto out = view().redelegations(req, h());
    return out;
  };
  for (const auto& [d, from, to] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {alice.addr(), "", ""},
           {"", a.to_string(), ""},
           {"", "", b.to_string()},
           {alice.addr(), a.to_string(), b.to_string()}}) {
    auto red = redelegations(d, from, to);
    ASSERT_TRUE(red.is_ok()) << red.status().to_string();
    ASSERT_EQ(red->entries_size(), 1) << d << " " << from << " " << to;
    const auto& e = red->entries(0);
    EXPECT_EQ(e.delegator(), alice.addr());
    EXPECT_EQ(e.from_validator(), a.to_string());
    EXPECT_EQ(e.to_validator(), b.to_string());
    EXPECT_EQ(e.creation_height(), created);
    EXPECT_EQ(e.completion_ms(), completion);
    EXPECT_EQ(e.initial_balance(), 20 * kBtt);
    EXPECT_EQ(e.shares(), 20 * kBtt);  // b's shares are worth one unit each
  }
  EXPECT_EQ(redelegations(bob.addr(), "", "")->entries_size(), 0);
  EXPECT_EQ(redelegations("", b.to_string(), "")->entries_size(), 0);
  EXPECT_EQ(redelegations(alice.addr(), "", a.to_string())->entries_size(), 0);
  EXPECT_EQ(redelegations("", "", "").status().detail(), stk::errors::kBadField.detail);
  EXPECT_EQ(redelegations("", "nope", "").status().detail(), stk::errors::kBadAddress.detail);
  EXPECT_EQ(redelegations("", "", test_key("nobody").address.to_string()).status().code(),
            Code::kNotFound);

  // A validator's delegations; an unknown one is not found.
  v1::GetDelegationsRequest dreq;
  dreq.set_validator(a.to_string());
  const auto dels = view().delegations(dreq);
  ASSERT_TRUE(dels.is_ok());
  EXPECT_EQ(dels->delegations_size(), 3);  // the faucet, alice (50 left) and bob (40)
  dreq.set_validator(test_key("nobody").address.to_string());
  EXPECT_EQ(view().delegations(dreq).status().code(), Code::kNotFound);
  EXPECT_EQ(view().delegations({}).status().detail(), stk::errors::kBadField.detail);

  // Matured: gone from every answer.
  env.advance_time(kUnbondingMs);
  env.close_block();
  EXPECT_EQ(unbondings("", a.to_string())->entries_size(), 0);
  EXPECT_EQ(redelegations(alice.addr(), "", "")->entries_size(), 0);
}

TEST_F(StakingQueryTest, DelegationRewardsRefusals) {
  const Account& alice = env.account("alice", 600 * kBtt);
  v1::GetDelegationRewardsRequest req;
  req.set_delegator(alice.addr());
  auto r = view().delegation_rewards(req, h());
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(r->rewards_size(), 0);
  EXPECT_EQ(r->total(), 0u);
  req.set_validator(a.to_string());
  r = view().delegation_rewards(req, h());
  EXPECT_EQ(r.status().code(), Code::kNotFound);
  EXPECT_EQ(r.status().message(), alice.addr() + " has no delegation to " + a.to_string());
  req.set_validator(test_key("nobody").address.to_string());
  EXPECT_EQ(view().delegation_rewards(req, h()).status().code(), Code::kNotFound);
  req.set_delegator("nope");
  EXPECT_EQ(view().delegation_rewards(req, h()).status().detail(), stk::errors::kBadAddress.detail);
  v1::GetValidatorRewardsRequest vreq;
  vreq.set_validator(test_key("nobody").address.to_string());
  EXPECT_EQ(view().validator_rewards(vreq, h()).status().code(), Code::kNotFound);
  vreq.set_validator("");
  EXPECT_EQ(view().validator_rewards(vreq, h()).status().detail(), stk::errors::kBadAddress.detail);
}

// Misses counted in the window, the window's start and judgement height, then the jail of a
// downtime and the tombstone of a double sign.
TEST_F(StakingQueryTest, SigningInfoFollowsMissesJailAndTombstone) {
  auto p = *view().params();
  p.set_signed_blocks_window(10);
  p.set_min_signed_per_window_bps(5'000);
  env.ledger_state().put(Bytes("stk/params"), p.SerializeAsString());
  env.close_block();
  auto info = [&](const crypto::Address& v) {
    v1::GetSigningInfoRequest req;
    req.set_validator(v.to_string());
    auto r = view().signing_info(req, h());
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    return r ? *r : v1::SigningInfo{};
  };
  auto s = info(b);
  EXPECT_EQ(s.height(), h());
  EXPECT_EQ(s.validator(), b.to_string());
  EXPECT_EQ(s.missed_blocks(), 0u);
  EXPECT_EQ(s.window_start(), 0u);
  EXPECT_EQ(s.judged_from_height(), 0u);
  EXPECT_EQ(s.signed_blocks_window(), 10u);
  EXPECT_EQ(s.max_missed(), 5u);
  EXPECT_FALSE(s.jailed());

  env.set_absent({b});
  env.close_block();  // this block's commit of the previous height lacks b
  const uint64_t first_miss = h() - 1;
  for (int i = 0; i < 3; ++i) env.close_block();
  s = info(b);
  EXPECT_EQ(s.missed_blocks(), 4u);
  EXPECT_EQ(s.window_start(), first_miss);
  EXPECT_EQ(s.judged_from_height(), first_miss + 9);
  EXPECT_EQ(info(a).missed_blocks(), 0u);

  while (!info(b).jailed() && h() < first_miss + 20) env.close_block();
  s = info(b);
  ASSERT_TRUE(s.jailed());
  EXPECT_EQ(h() - 1, first_miss + 9);  // jailed at the miss of the judgement height
  EXPECT_EQ(s.jailed_until_ms(), env.time_ms() + 600'000);
  EXPECT_EQ(s.slashed(), 500 * kBtt / 10'000);  // 0.01% of 500 BTT
  EXPECT_EQ(s.missed_blocks(), 0u);             // a fresh window
  EXPECT_EQ(s.window_start(), 0u);
  EXPECT_FALSE(s.tombstoned());

  env.set_absent({});
  env.set_next_misbehaviour({{a, h() - 1, 0, 1'000}});
  env.close_block();
  s = info(a);
  EXPECT_TRUE(s.jailed());
  EXPECT_TRUE(s.tombstoned());
  EXPECT_EQ(s.jailed_until_ms(), UINT64_MAX);
  EXPECT_EQ(s.slashed(), 50 * kBtt);  // 5% of 1,000 BTT

  v1::GetSigningInfoRequest req;
  req.set_validator(test_key("nobody").address.to_string());
  EXPECT_EQ(view().signing_info(req, h()).status().code(), Code::kNotFound);
  req.set_validator("btt1nope");
  EXPECT_EQ(view().signing_info(req, h()).status().detail(), stk::errors::kBadAddress.detail);
}

}  // namespace
}  // namespace btt::testkit

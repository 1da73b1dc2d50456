#pragma once
// Shared helpers of the staking tests: a genesis with two staking validators operated by the
// faucet (val-a 1,000 BTT, val-b 500 BTT), one builder per staking message, and the StakingTest
// fixture over a TestEnv that runs every invariant after every tx and block.
#include <gtest/gtest.h>

#include "btt/common/amount.h"
#include "btt/modules/staking/staking.h"
#include "btt/modules/staking/view.h"
#include "btt/modules/tokenomics/tokenomics.h"
#include "btt/modules/tokenomics/view.h"
#include "testkit/test_env.h"

namespace btt::testkit {

namespace stk = modules::staking;

inline constexpr uint64_t kStakingUnbondingMs = 600'000;  // 10 minutes of block time
inline constexpr uint64_t kUnbondingMs = kStakingUnbondingMs;
inline constexpr uint64_t kDayMs = 86'400'000;

inline v1::Validator genesis_validator(const std::string& name, uint64_t power) {
  const auto key = test_key(name);
  v1::Validator v;
  v.set_address(key.address.to_string());
  v.set_public_key(std::string(as_view(key.public_key)));
  v.set_power(power);
  v.set_name(name);
  return v;
}

// val-a (1,000 BTT) and val-b (500 BTT), in that order: the genesis set of staking_section().
inline std::vector<v1::Validator> staking_validators() {
  return {genesis_validator("val-a", 1'000), genesis_validator("val-b", 500)};
}

// {"staking": {...}}: the two validators above, operated by the faucet, commission 10% (at most
// 20%, 1% a day), unbonding 10 minutes, community tax 2%, proposer bonus 1%; `params` overrides.
inline nlohmann::json staking_section(const nlohmann::json& params = nlohmann::json::object()) {
  const std::string op = test_key(TestEnv::kFaucet).address.to_string();
  auto row = [&](const std::string& name, uint64_t btt) {
    return nlohmann::json{{"address", test_key(name).address.to_string()},
                          {"operator", op},
                          {"self_stake", std::to_string(btt * kUnitsPerBtt)},
                          {"commission_bps", 1'000},
                          {"max_commission_bps", 2'000},
                          {"max_change_bps_per_day", 100},
                          {"moniker", name}};
  };
  nlohmann::json p = {{"unbonding_time_ms", std::to_string(kStakingUnbondingMs)},
                      {"community_tax_bps", 200},
                      {"proposer_bonus_bps", 100}};
  p.update(params);
  return {{"staking", {{"params", p}, {"validators", {row("val-a", 1'000), row("val-b", 500)}}}}};
}

inline v1::Message delegate_msg(const crypto::Address& v, uint64_t amount) {
  v1::Message m;
  m.mutable_delegate()->set_validator(v.to_string());
  m.mutable_delegate()->set_amount(amount);
  return m;
}
inline v1::Message undelegate_msg(const crypto::Address& v, uint64_t amount) {
  v1::Message m;
  m.mutable_undelegate()->set_validator(v.to_string());
  m.mutable_undelegate()->set_amount(amount);
  return m;
}
inline v1::Message redelegate_msg(const crypto::Address& from, const crypto::Address& to,
                                  uint64_t amount) {
  v1::Message m;
  m.mutable_redelegate()->set_from_validator(from.to_string());
  m.mutable_redelegate()->set_to_validator(to.to_string());
  m.mutable_redelegate()->set_amount(amount);
  return m;
}
inline v1::Message withdraw_msg(const crypto::Address& v, bool commission) {
  v1::Message m;
  m.mutable_withdraw_rewards()->set_validator(v.to_string());
  m.mutable_withdraw_rewards()->set_commission(commission);
  return m;
}
inline v1::Message create_msg(const std::string& key_name, uint64_t self_stake) {
  v1::Message m;
  auto* c = m.mutable_create_validator();
  c->set_consensus_key(std::string(as_view(test_key(key_name).public_key)));
  c->set_self_stake(self_stake);
  c->set_min_self_delegation(self_stake / 2);
  c->set_commission_bps(500);
  c->set_max_commission_bps(1'000);
  c->set_max_change_bps_per_day(100);
  c->set_moniker(key_name);
  return m;
}
inline v1::Message unjail_msg(const crypto::Address& v) {
  v1::Message m;
  m.mutable_unjail()->set_validator(v.to_string());
  return m;
}
inline v1::Message lock_msg(uint64_t amount, uint32_t term) {
  v1::Message m;
  m.mutable_lock_stake()->set_amount(amount);
  m.mutable_lock_stake()->set_term(term);
  return m;
}

class StakingTest : public ::testing::Test {
 protected:
  explicit StakingTest(const nlohmann::json& sections = staking_section())
      : env(sections, staking_validators()) {}

  TestEnv env;
  const crypto::Address a = test_key("val-a").address;
  const crypto::Address b = test_key("val-b").address;
  const Account& faucet_account() {
    if (!faucet_) faucet_ = &env.account(TestEnv::kFaucet, 0);
    return *faucet_;
  }

  modules::staking::StakingView view() { return modules::staking::StakingView(env.ledger_state()); }
  v1::ValidatorRecord validator(const crypto::Address& v) {
    auto r = view().validator(v);
    EXPECT_TRUE(r.has_value());
    return r.value_or(v1::ValidatorRecord{});
  }
  uint64_t treasury() { return env.balance(modules::tokenomics::pool_address("treasury")); }
  uint64_t delegated(const Account& who, const crypto::Address& v) {
    auto d = view().delegation(v, who.address());
    return d ? modules::staking::StakingView::tokens_of(validator(v), d->shares()) : 0;
  }
  // What slashes burned so far (the tokenomics burn record of source staking_slash).
  uint64_t burned_by_slashes() {
    for (const auto& b :
         modules::tokenomics::TokenomicsView(env.ledger_state()).burned_by_source()) {
      if (b.source() == modules::staking::kSlashBurnSource) return b.amount();
    }
    return 0;
  }
  // Closes blocks until the fee pool is empty at the start of a block (the fees of the
  // previous blocks were handed out).
  void settle_fees() {
    env.close_block();
    ASSERT_EQ(env.fee_pool(), 0u);
  }

 private:
  const Account* faucet_ = nullptr;
};

}  // namespace btt::testkit

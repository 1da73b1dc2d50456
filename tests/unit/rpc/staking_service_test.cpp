// btt.v1.Staking through real gRPC calls over an in-process chain with staking: every query's
// answer with exact stake figures, rewards equal to what the next withdraw pays, and each refusal
// with its status and trailers; on a chain without staking every rpc answers 5001.
#include <gtest/gtest.h>

#include <functional>
#include <map>

#include "btt/ledger/events.h"
#include "btt/rpc/error_trailers.h"
#include "btt/v1/staking.grpc.pb.h"
#include "testkit/rpc_harness.h"
#include "testkit/test_env.h"

namespace btt::testkit {
namespace {

constexpr uint64_t kBtt = 100'000'000;

using Trailers = std::map<std::string, std::string>;

// One validator (test_key("validator"), 10 BTT staked by alice) and a set of one.
RpcHarnessOptions staking_chain() {
  RpcHarnessOptions o;
  o.funded = {"alice", "bob"};
  o.validator_power = 10;
  o.staking = {{"params", {{"unbonding_time_ms", "600000"}, {"max_validators", 1}}},
               {"validators",
                {{{"address", test_key("validator").address.to_string()},
                  {"operator", test_key("alice").address.to_string()},
                  {"self_stake", std::to_string(10 * kBtt)},
                  {"commission_bps", 1'000},
                  {"max_commission_bps", 2'000},
                  {"max_change_bps_per_day", 100},
                  {"moniker", "v0"}}}}};
  return o;
}

class StakingServiceTest : public ::testing::Test {
 protected:
  template <typename Request, typename Response>
  grpc::Status call(grpc::Status (v1::Staking::Stub::*method)(grpc::ClientContext*, const Request&,
                                                              Response*),
                    const Request& req, Response* out, Trailers* trailers = nullptr) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    auto s = (stub_.get()->*method)(&ctx, req, out);
    if (trailers) *trailers = btt_trailers(ctx);
    return s;
  }
  // Commits one tx of `from` and expects it to succeed; returns its events.
  std::vector<v1::Event> commit(const crypto::KeyPair& from, const v1::Message& m) {
    const auto block = node_.commit({node_.sign(from, node_.body(from, m))});
    EXPECT_EQ(block.result.txs_size(), 1);
    if (block.result.txs_size() != 1) return {};
    EXPECT_EQ(block.result.txs(0).code(), 0u) << block.result.txs(0).log();
    const auto& events = block.result.txs(0).events();
    return {events.begin(), events.end()};
  }
  static uint64_t amount_of(const std::vector<v1::Event>& events, const std::string& type) {
    for (const auto& e : events) {
      if (e.type() == type) return std::stoull(std::string(ledger::attribute(e, "amount")));
    }
    return 0;
  }
  uint64_t tip() { return node_.chain().tip().height(); }

  RpcHarness node_{staking_chain()};
  std::unique_ptr<v1::Staking::Stub> stub_ = v1::Staking::NewStub(node_.channel());
  const crypto::KeyPair validator_ = test_key("validator");
  const crypto::KeyPair alice_ = test_key("alice");
  const crypto::KeyPair bob_ = test_key("bob");
  const crypto::KeyPair c_ = test_key("val-c");
};

TEST_F(StakingServiceTest, EveryQueryAnswersWithExactFigures) {
  const std::string v = validator_.address.to_string();
  const std::string c = c_.address.to_string();
  v1::Message create;
  auto* cv = create.mutable_create_validator();
  cv->set_consensus_key(std::string(as_view(c_.public_key)));
  cv->set_self_stake(2 * kBtt);
  cv->set_min_self_delegation(kBtt);
  cv->set_commission_bps(500);
  cv->set_max_commission_bps(1'000);
  cv->set_max_change_bps_per_day(100);
  cv->set_moniker("c");
  commit(bob_, create);
  v1::Message m;
  m.mutable_delegate()->set_validator(v);
  m.mutable_delegate()->set_amount(5 * kBtt);
  commit(bob_, m);
  m.Clear();
  m.mutable_undelegate()->set_validator(v);
  m.mutable_undelegate()->set_amount(kBtt);
  commit(bob_, m);
  const uint64_t unbonded_at = tip();
  m.Clear();
  m.mutable_redelegate()->set_from_validator(v);
  m.mutable_redelegate()->set_to_validator(c);
  m.mutable_redelegate()->set_amount(kBtt);
  commit(bob_, m);
  const uint64_t redelegated_at = tip();

  // One validator, by address and by operator.
  v1::GetValidatorRequest vreq;
  vreq.set_validator(v);
  v1::GetValidatorResponse one;
  ASSERT_TRUE(call(&v1::Staking::Stub::GetValidator, vreq, &one).ok());
  EXPECT_EQ(one.height(), tip());
  EXPECT_EQ(one.validator().validator().address(), v);
  EXPECT_EQ(one.validator().validator().operator_(), alice_.address.to_string());
  EXPECT_EQ(one.validator().validator().tokens(), 13 * kBtt);  // 10 + 5 - 1 - 1
  EXPECT_EQ(one.validator().validator().status(), v1::VALIDATOR_STATUS_BONDED);
  EXPECT_EQ(one.validator().power(), 13u);
  EXPECT_EQ(one.validator().self_stake(), 10 * kBtt);
  vreq.Clear();
  vreq.set_operator_(bob_.address.to_string());
  ASSERT_TRUE(call(&v1::Staking::Stub::GetValidator, vreq, &one).ok());
  EXPECT_EQ(one.validator().validator().address(), c);
  EXPECT_EQ(one.validator().validator().tokens(), 3 * kBtt);  // 2 own + 1 redelegated
  EXPECT_EQ(one.validator().validator().status(), v1::VALIDATOR_STATUS_UNBONDED);  // a set of 1
  EXPECT_EQ(one.validator().self_stake(), 3 * kBtt);  // bob operates c: the redelegation is his

  // Pages of one.
  v1::ListValidatorsRequest lreq;
  lreq.set_all(true);
  lreq.set_limit(1);
  v1::ListValidatorsResponse page;
  std::vector<std::string> seen;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(call(&v1::Staking::Stub::ListValidators, lreq, &page).ok());
    EXPECT_EQ(page.height(), tip());
    if (page.validators_size() == 0) break;
    seen.push_back(page.validators(0).validator().address());
    lreq.set_start_after(seen.back());
  }
  EXPECT_EQ(seen.size(), 2u);
  EXPECT_NE(seen[0], seen[1]);

  // Entries.
  v1::GetUnbondingsRequest ureq;
  ureq.set_delegator(bob_.address.to_string());
  v1::GetUnbondingsResponse ubd;
  ASSERT_TRUE(call(&v1::Staking::Stub::GetUnbondings, ureq, &ubd).ok());
  ASSERT_EQ(ubd.entries_size(), 1);
  EXPECT_EQ(ubd.entries(0).validator(), v);
  EXPECT_EQ(ubd.entries(0).creation_height(), unbonded_at);
  EXPECT_EQ(ubd.entries(0).balance(), kBtt);
  EXPECT_EQ(ubd.total_balance(), kBtt);
  v1::GetRedelegationsRequest rreq;
  rreq.set_to_validator(c);
  v1::GetRedelegationsResponse red;
  ASSERT_TRUE(call(&v1::Staking::Stub::GetRedelegations, rreq, &red).ok());
  ASSERT_EQ(red.entries_size(), 1);
  EXPECT_EQ(red.entries(0).delegator(), bob_.address.to_string());
  EXPECT_EQ(red.entries(0).from_validator(), v);
  EXPECT_EQ(red.entries(0).creation_height(), redelegated_at);
  EXPECT_EQ(red.entries(0).initial_balance(), kBtt);

  // Rewards: after a block without fees, what the next block's withdraw pays.
  node_.commit();
  v1::GetDelegationRewardsRequest dreq;
  dreq.set_delegator(bob_.address.to_string());
  dreq.set_validator(v);
  v1::DelegationRewards rewards;
  ASSERT_TRUE(call(&v1::Staking::Stub::GetDelegationRewards, dreq, &rewards).ok());
  ASSERT_EQ(rewards.rewards_size(), 1);
  EXPECT_GT(rewards.total(), 0u);
  EXPECT_EQ(rewards.rewards(0).amount(), rewards.total());
  m.Clear();
  m.mutable_withdraw_rewards()->set_validator(v);
  EXPECT_EQ(amount_of(commit(bob_, m), "staking.rewards_withdrawn"), rewards.total());

  node_.commit();
  v1::GetValidatorRewardsRequest wreq;
  wreq.set_validator(v);
  v1::ValidatorRewards vr;
  ASSERT_TRUE(call(&v1::Staking::Stub::GetValidatorRewards, wreq, &vr).ok());
  EXPECT_EQ(vr.validator(), v);
  EXPECT_EQ(vr.height(), tip());
  EXPECT_GT(vr.commission(), 0u);
  EXPECT_GT(vr.outstanding(), vr.commission());
  dreq.set_delegator(alice_.address.to_string());
  ASSERT_TRUE(call(&v1::Staking::Stub::GetDelegationRewards, dreq, &rewards).ok());
  m.mutable_withdraw_rewards()->set_commission(true);
  const auto events = commit(alice_, m);
  EXPECT_EQ(amount_of(events, "staking.commission_withdrawn"), vr.commission());
  EXPECT_EQ(amount_of(events, "staking.rewards_withdrawn"), rewards.total());

  // Signing info: the validator signed every block.
  v1::GetSigningInfoRequest sreq;
  sreq.set_validator(v);
  v1::SigningInfo info;
  ASSERT_TRUE(call(&v1::Staking::Stub::GetSigningInfo, sreq, &info).ok());
  EXPECT_EQ(info.validator(), v);
  EXPECT_EQ(info.missed_blocks(), 0u);
  EXPECT_EQ(info.window_start(), 0u);
  EXPECT_EQ(info.signed_blocks_window(), 10'000u);
  EXPECT_EQ(info.max_missed(), 5'000u);
  EXPECT_FALSE(info.jailed());
  EXPECT_FALSE(info.tombstoned());
  EXPECT_EQ(info.slashed(), 0u);
}

TEST_F(StakingServiceTest, RefusalsCarryTheirStatusAndTrailers) {
  Trailers t;
  v1::GetValidatorRequest vreq;
  vreq.set_validator(test_key("nobody").address.to_string());
  v1::GetValidatorResponse one;
  auto s = call(&v1::Staking::Stub::GetValidator, vreq, &one, &t);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_NE(s.error_message().find("no validator btt1"), std::string::npos) << s.error_message();
  EXPECT_EQ(t, (Trailers{{"btt-code", "500"}}));

  vreq.set_validator("btt1nope");
  s = call(&v1::Staking::Stub::GetValidator, vreq, &one, &t);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(t,
            (Trailers{{"btt-code", "107"}, {"btt-detail", "5003"}, {"btt-codespace", "staking"}}));

  v1::GetUnbondingsResponse ubd;
  s = call(&v1::Staking::Stub::GetUnbondings, v1::GetUnbondingsRequest(), &ubd, &t);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(t,
            (Trailers{{"btt-code", "114"}, {"btt-detail", "5002"}, {"btt-codespace", "staking"}}));

  v1::GetDelegationRewardsRequest dreq;
  dreq.set_delegator(bob_.address.to_string());
  dreq.set_validator(validator_.address.to_string());
  v1::DelegationRewards rewards;
  s = call(&v1::Staking::Stub::GetDelegationRewards, dreq, &rewards, &t);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_NE(s.error_message().find("has no delegation to"), std::string::npos);

  v1::ListValidatorsRequest lreq;
  lreq.set_limit(1'001);
  v1::ListValidatorsResponse list;
  s = call(&v1::Staking::Stub::ListValidators, lreq, &list, &t);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("limit 1001 above 1000"), std::string::npos);

  v1::GetStakeLocksRequest locks;
  locks.set_address("nope");
  v1::StakeLocks out;
  s = call(&v1::Staking::Stub::GetStakeLocks, locks, &out, &t);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(t.at("btt-detail"), "5003");
}

// Without a staking genesis every rpc says so: FAILED_PRECONDITION, staking_not_enabled (5001).
TEST(StakingServiceOff, EveryRpcAnswersNotEnabled) {
  RpcHarness node;
  auto stub = v1::Staking::NewStub(node.channel());
  const std::string someone = test_key("alice").address.to_string();
  std::vector<std::pair<std::string, std::function<grpc::Status(grpc::ClientContext*)>>> calls = {
      {"ListValidators",
       [&](grpc::ClientContext* c) {
         v1::ListValidatorsResponse o;
         return stub->ListValidators(c, {}, &o);
       }},
      {"GetValidator",
       [&](grpc::ClientContext* c) {
         v1::GetValidatorRequest r;
         r.set_validator(someone);
         v1::GetValidatorResponse o;
         return stub->GetValidator(c, r, &o);
       }},
      {"GetDelegations",
       [&](grpc::ClientContext* c) {
         v1::GetDelegationsRequest r;
         r.set_delegator(someone);
         v1::GetDelegationsResponse o;
         return stub->GetDelegations(c, r, &o);
       }},
      {"GetUnbondings",
       [&](grpc::ClientContext* c) {
         v1::GetUnbondingsRequest r;
         r.set_delegator(someone);
         v1::GetUnbondingsResponse o;
         return stub->GetUnbondings(c, r, &o);
       }},
      {"GetRedelegations",
       [&](grpc::ClientContext* c) {
         v1::GetRedelegationsRequest r;
         r.set_delegator(someone);
         v1::GetRedelegationsResponse o;
         return stub->GetRedelegations(c, r, &o);
       }},
      {"GetValidatorRewards",
       [&](grpc::ClientContext* c) {
         v1::GetValidatorRewardsRequest r;
         r.set_validator(someone);
         v1::ValidatorRewards o;
         return stub->GetValidatorRewards(c, r, &o);
       }},
      {"GetDelegationRewards",
       [&](grpc::ClientContext* c) {
         v1::GetDelegationRewardsRequest r;
         r.set_delegator(someone);
         v1::DelegationRewards o;
         return stub->GetDelegationRewards(c, r, &o);
       }},
      {"GetSigningInfo",
       [&](grpc::ClientContext* c) {
         v1::GetSigningInfoRequest r;
         r.set_validator(someone);
         v1::SigningInfo o;
         return stub->GetSigningInfo(c, r, &o);
       }},
      {"GetParams",
       [&](grpc::ClientContext* c) {
         v1::StakingParams o;
         return stub->GetParams(c, {}, &o);
       }},
      {"GetStakeLocks",
       [&](grpc::ClientContext* c) {
         v1::GetStakeLocksRequest r;
         r.set_address(someone);
         v1::StakeLocks o;
         return stub->GetStakeLocks(c, r, &o);
       }},
  };
  // Every rpc of the service is in the list.
  const auto* service = v1::StakingParams::descriptor()->file()->FindServiceByName("Staking");
  ASSERT_NE(service, nullptr);
  EXPECT_EQ(static_cast<int>(calls.size()), service->method_count());
  for (const auto& [name, fn] : calls) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    const auto s = fn(&ctx);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << name;
    EXPECT_NE(s.error_message().find("staking is not enabled"), std::string::npos) << name;
    EXPECT_EQ(btt_trailers(ctx),
              (Trailers{{"btt-code", "308"}, {"btt-detail", "5001"}, {"btt-codespace", "staking"}}))
        << name;
  }
}

}  // namespace
}  // namespace btt::testkit

// btt.v1.Staking's GetStakeLocks through real gRPC calls over an in-process staking chain: the
// delegated vesting and delegated free BTT of an account with exact figures (doc/staking.md
// "Delegating vesting BTT"), Tokenomics.GetVesting's spendable under the same rule, and the
// refusals.
#include <gtest/gtest.h>

#include "btt/common/amount.h"
#include "btt/v1/staking.grpc.pb.h"
#include "btt/v1/tokenomics.grpc.pb.h"
#include "testkit/rpc_harness.h"
#include "testkit/test_env.h"

namespace btt::testkit {
namespace {

constexpr uint64_t kBtt = kUnitsPerBtt;
constexpr uint64_t kVesting = 75'600'000 * kBtt;  // the beneficiary's, all locked at genesis

template <typename Stub, typename Request, typename Response>
grpc::Status call(Stub& stub,
                  grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                  const Request& req, Response* out) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  return (stub.*method)(&ctx, req, out);
}

TEST(StakingLocksService, GetStakeLocksShowsDelegatedVestingAndFreeBtt) {
  RpcHarness node({"alice", TestEnv::kBeneficiary}, RpcHarness::staking_section("alice"));
  auto stub = v1::Staking::NewStub(node.channel());
  const auto ben = test_key(TestEnv::kBeneficiary);
  const uint64_t liquid = RpcHarness::kFundedUnits;  // 1,000 BTT beside the vesting BTT
  v1::Message m;
  m.mutable_delegate()->set_validator(test_key("validator").address.to_string());
  m.mutable_delegate()->set_amount(1'000'000 * kBtt);
  const auto block = node.commit({node.sign(ben, node.body(ben, m, 1000))});
  ASSERT_EQ(block.result.txs_size(), 1);
  ASSERT_EQ(block.result.txs(0).code(), 0u) << block.result.txs(0).log();

  v1::GetStakeLocksRequest req;
  req.set_address(ben.address.to_string());
  v1::StakeLocks out;
  ASSERT_TRUE(call(*stub, &v1::Staking::Stub::GetStakeLocks, req, &out).ok());
  EXPECT_EQ(out.balance(), kVesting + liquid - 1'000'000 * kBtt - 1000);
  EXPECT_EQ(out.unvested(), kVesting);
  EXPECT_EQ(out.staked(), 1'000'000 * kBtt);
  EXPECT_EQ(out.delegated_vesting(), 1'000'000 * kBtt);
  EXPECT_EQ(out.delegated_free(), 0u);
  EXPECT_EQ(out.vesting_held(), kVesting - 1'000'000 * kBtt);
  EXPECT_EQ(out.locked(), 0u);
  EXPECT_EQ(out.spendable(), liquid - 1000);
  EXPECT_EQ(out.tier(), 0u);

  // GetVesting's spendable follows the same rule (balance - locked would say 0).
  auto tok = v1::Tokenomics::NewStub(node.channel());
  v1::GetVestingRequest vreq;
  vreq.set_address(ben.address.to_string());
  v1::Vesting vesting;
  ASSERT_TRUE(call(*tok, &v1::Tokenomics::Stub::GetVesting, vreq, &vesting).ok());
  EXPECT_EQ(vesting.locked(), kVesting);
  EXPECT_EQ(vesting.spendable(), liquid - 1000);

  // An account without vesting: all of its stake is delegated free.
  req.set_address(test_key("alice").address.to_string());
  ASSERT_TRUE(call(*stub, &v1::Staking::Stub::GetStakeLocks, req, &out).ok());
  EXPECT_EQ(out.staked(), kBtt);
  EXPECT_EQ(out.delegated_vesting(), 0u);
  EXPECT_EQ(out.delegated_free(), kBtt);
  EXPECT_EQ(out.spendable(), liquid - kBtt);

  req.set_address("btt1nope");
  EXPECT_EQ(call(*stub, &v1::Staking::Stub::GetStakeLocks, req, &out).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST(StakingLocksService, AChainWithoutStakingSaysSo) {
  RpcHarness node;
  auto stub = v1::Staking::NewStub(node.channel());
  v1::GetStakeLocksRequest req;
  req.set_address(test_key("alice").address.to_string());
  v1::StakeLocks out;
  grpc::ClientContext ctx;
  const auto status = stub->GetStakeLocks(&ctx, req, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(status.error_message().find("staking is not enabled"), std::string::npos);
  EXPECT_EQ(ctx.GetServerTrailingMetadata().find("btt-detail")->second, "5001");
}

}  // namespace
}  // namespace btt::testkit

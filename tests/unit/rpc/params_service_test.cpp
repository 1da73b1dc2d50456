// btt.v1.Params through real gRPC calls over an in-process chain: each module's params in force
// as protobuf JSON that parses back to exactly the params the chain uses, the list of every
// module with params, and the refusals.
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "btt/chain/params.h"
#include "btt/modules/compute/view.h"
#include "btt/v1/params.grpc.pb.h"
#include "testkit/rpc_harness.h"

namespace btt::testkit {
namespace {

using google::protobuf::util::MessageDifferencer;

class ParamsServiceTest : public ::testing::Test {
 protected:
  grpc::Status get(const std::string& module, v1::GetParamsResponse* out) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    v1::GetParamsRequest req;
    req.set_module(module);
    return stub_->GetParams(&ctx, req, out);
  }

  template <typename P>
  P parse(const std::string& json) {
    P p;
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = false;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json, &p, options).ok()) << json;
    return p;
  }

  RpcHarness node_;
  std::unique_ptr<v1::Params::Stub> stub_ = v1::Params::NewStub(node_.channel());
};

TEST_F(ParamsServiceTest, LedgerParamsAreTheChainsAsJson) {
  node_.commit();
  v1::GetParamsResponse out;
  ASSERT_TRUE(get("ledger", &out).ok());
  EXPECT_EQ(out.height(), 1u);
  EXPECT_EQ(out.params().module(), "ledger");
  EXPECT_EQ(out.params().type(), "btt.v1.LedgerParams");
  // Proto field names, every field printed, 64-bit integers as strings (protobuf JSON).
  const auto j = nlohmann::json::parse(out.params().json());
  EXPECT_EQ(j.at("min_fee"), "1000");
  EXPECT_EQ(j.at("max_tx_bytes"), 16384);
  EXPECT_EQ(j.at("max_messages"), 16);
  EXPECT_EQ(j.at("max_memo_bytes"), 256);
  EXPECT_EQ(j.at("max_outputs"), 64);
  EXPECT_EQ(j.at("max_block_txs"), 10000);
  EXPECT_EQ(j.at("max_block_bytes"), "8388608");
  EXPECT_EQ(j.at("max_evidence_age"), "100000");
  EXPECT_EQ(j.at("max_block_evidence"), 64);
  EXPECT_EQ(j.size(), 9u) << j.dump();
  EXPECT_TRUE(MessageDifferencer::Equals(parse<v1::LedgerParams>(out.params().json()),
                                         node_.chain().params()));
}

TEST_F(ParamsServiceTest, ModuleParamsParseBackToTheModulesOwn) {
  v1::GetParamsResponse out;
  ASSERT_TRUE(get("compute", &out).ok());
  EXPECT_EQ(out.params().type(), "btt.v1.ComputeParams");
  EXPECT_TRUE(
      MessageDifferencer::Equals(parse<v1::ComputeParams>(out.params().json()),
                                 modules::compute::ComputeView(node_.chain().state()).params()));
  ASSERT_TRUE(get("tokenomics", &out).ok());
  EXPECT_EQ(out.params().module(), "tokenomics");
  EXPECT_EQ(out.params().type(), "btt.v1.TokenomicsParams");
  auto expected = chain::params_json(node_.chain().registry(), node_.chain().state(), "tokenomics");
  ASSERT_TRUE(expected.is_ok());
  EXPECT_EQ(out.params().json(), *expected);
  parse<v1::TokenomicsParams>(out.params().json());
}

TEST_F(ParamsServiceTest, ListParamsHasEveryModuleWithParamsInOrder) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  v1::ListParamsResponse out;
  ASSERT_TRUE(stub_->ListParams(&ctx, v1::ListParamsRequest(), &out).ok());
  EXPECT_EQ(out.height(), 0u);
  std::vector<std::string> names;
  for (const auto& p : out.modules()) {
    names.push_back(p.module());
    v1::GetParamsResponse one;
    ASSERT_TRUE(get(p.module(), &one).ok()) << p.module();
    EXPECT_TRUE(MessageDifferencer::Equals(one.params(), p)) << p.module();
  }
  EXPECT_EQ(names, (std::vector<std::string>{"ledger", "tokenomics", "compute", "staking",
                                             "governance", "oracle", "payfi", "rwa", "consent"}));
}

TEST_F(ParamsServiceTest, UnknownModuleIsNotFoundAndSaysWhatExists) {
  v1::GetParamsResponse out;
  auto s = get("incentives", &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(s.error_message(),
            "no module 'incentives'; modules with params: ledger, tokenomics, compute, staking, "
            "governance, oracle, payfi, rwa, consent");
  s = get("bank", &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(s.error_message(),
            "module 'bank' has no params; modules with params: ledger, tokenomics, compute, "
            "staking, governance, oracle, payfi, rwa, consent");
  s = get("Ledger", &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND) << "module names are case-sensitive";
  s = get(std::string(5'000, 'm'), &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_LT(s.error_message().size(), 200u);
  s = get("", &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(),
            "module is missing; modules with params: ledger, tokenomics, compute, staking, "
            "governance, oracle, payfi, rwa, consent");
}

}  // namespace
}  // namespace btt::testkit

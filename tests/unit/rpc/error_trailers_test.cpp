// Error details in gRPC (doc/api.md "Error details in gRPC trailers"): a failure with a bttd
// Status carries btt-code, and btt-detail with btt-codespace when it has a module detail; the
// responses that report outcomes in fields (SimulateTx, BroadcastTxs) carry the same detail.
#include <gtest/gtest.h>

#include <map>

#include "btt/rpc/error_trailers.h"
#include "btt/v1/compute.grpc.pb.h"
#include "btt/v1/node.grpc.pb.h"
#include "btt/v1/roles.grpc.pb.h"
#include "testkit/rpc_harness.h"
#include "testkit/test_env.h"

namespace btt::testkit {
namespace {

using Trailers = std::map<std::string, std::string>;

class ErrorTrailersTest : public ::testing::Test {
 protected:
  static void deadline(grpc::ClientContext& ctx) {
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  }
  static v1::Message grant(const std::string& role, const crypto::Address& to) {
    v1::Message m;
    m.mutable_grant_role()->set_role(role);
    m.mutable_grant_role()->set_address(to.to_string());
    return m;
  }
  static v1::Message transfer(const crypto::Address& to, uint64_t amount) {
    v1::Message m;
    m.mutable_transfer()->set_to(to.to_string());
    m.mutable_transfer()->set_asset("BTT");
    m.mutable_transfer()->set_amount(amount);
    return m;
  }
  grpc::Status broadcast(const v1::Tx& tx, grpc::ClientContext& ctx) {
    deadline(ctx);
    v1::BroadcastTxRequest req;
    *req.mutable_tx() = tx;
    v1::BroadcastTxResponse out;
    return txs_->BroadcastTx(&ctx, req, &out);
  }
  v1::SimulateTxResponse simulate(const v1::Tx& tx) {
    grpc::ClientContext ctx;
    deadline(ctx);
    v1::SimulateTxRequest req;
    *req.mutable_tx() = tx;
    v1::SimulateTxResponse out;
    EXPECT_TRUE(txs_->SimulateTx(&ctx, req, &out).ok());
    EXPECT_EQ(btt_trailers(ctx), Trailers()) << "SimulateTx answers OK, without trailers";
    return out;
  }

  RpcHarness node_;
  std::unique_ptr<v1::Txs::Stub> txs_ = v1::Txs::NewStub(node_.channel());
  std::unique_ptr<v1::Roles::Stub> roles_ = v1::Roles::NewStub(node_.channel());
  const crypto::KeyPair admin_ = test_key(TestEnv::kRoleAdmin);
  const crypto::KeyPair alice_ = test_key("alice");
  const crypto::KeyPair broke_ = test_key("broke");  // holds nothing
};

TEST_F(ErrorTrailersTest, TheTrailerNamesAreTheDocumentedOnes) {
  EXPECT_STREQ(rpc::kCodeTrailer, "btt-code");
  EXPECT_STREQ(rpc::kDetailTrailer, "btt-detail");
  EXPECT_STREQ(rpc::kCodespaceTrailer, "btt-codespace");
}

TEST_F(ErrorTrailersTest, AdmissionRefusalWithAModuleDetail) {
  // MsgGrantRole's check refuses an unknown role: malformed (114) with roles detail 4001.
  grpc::ClientContext ctx;
  const auto s =
      broadcast(node_.sign(admin_, node_.body(admin_, grant("wizard", alice_.address))), ctx);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().rfind("INVALID_ARGUMENT (114): ", 0), 0u) << s.error_message();
  EXPECT_NE(s.error_message().find("[roles 4001]"), std::string::npos) << s.error_message();
  EXPECT_EQ(btt_trailers(ctx),
            (Trailers{{"btt-code", "114"}, {"btt-detail", "4001"}, {"btt-codespace", "roles"}}));
}

TEST_F(ErrorTrailersTest, AdmissionRefusalWithoutADetailHasTheCodeOnly) {
  // Nothing to pay the fee with: rejected (202), a ledger code with no module detail.
  grpc::ClientContext ctx;
  const auto s =
      broadcast(node_.sign(broke_, node_.body(broke_, transfer(alice_.address, 1))), ctx);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(s.error_message().rfind("INSUFFICIENT_FEE_BALANCE (202): ", 0), 0u)
      << s.error_message();
  EXPECT_EQ(btt_trailers(ctx), (Trailers{{"btt-code", "202"}}));

  // A request refused by the adapter itself has no bttd Status and no trailers.
  grpc::ClientContext missing;
  deadline(missing);
  v1::BroadcastTxResponse out;
  EXPECT_EQ(txs_->BroadcastTx(&missing, v1::BroadcastTxRequest(), &out).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(btt_trailers(missing), Trailers());
}

TEST_F(ErrorTrailersTest, QueryRefusalsCarryTheViewsDetail) {
  grpc::ClientContext ctx;
  deadline(ctx);
  v1::GetRoleRequest role;
  role.set_role("wizard");
  v1::GetRoleResponse role_out;
  EXPECT_EQ(roles_->GetRole(&ctx, role, &role_out).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(btt_trailers(ctx),
            (Trailers{{"btt-code", "114"}, {"btt-detail", "4001"}, {"btt-codespace", "roles"}}));

  grpc::ClientContext acc_ctx;
  deadline(acc_ctx);
  v1::GetAccountRolesRequest acc;
  acc.set_address("btt1nope");
  v1::GetAccountRolesResponse acc_out;
  EXPECT_EQ(roles_->GetAccountRoles(&acc_ctx, acc, &acc_out).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(btt_trailers(acc_ctx),
            (Trailers{{"btt-code", "107"}, {"btt-detail", "4002"}, {"btt-codespace", "roles"}}));

  // Compute's view keeps its plain wording and carries the code.
  auto compute = v1::Compute::NewStub(node_.channel());
  grpc::ClientContext node_ctx;
  deadline(node_ctx);
  v1::GetNodeRequest node;
  node.set_node(alice_.address.to_string());
  v1::NodeRecord node_out;
  const auto s = compute->GetNode(&node_ctx, node, &node_out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(s.error_message(), "no compute node " + alice_.address.to_string());
  EXPECT_EQ(btt_trailers(node_ctx), (Trailers{{"btt-code", "500"}}));
}

TEST_F(ErrorTrailersTest, SimulateTxReportsTheDetailInItsFields) {
  // A grant from an account that is not role_admin fails with fee: 304, roles detail 4003.
  auto sim =
      simulate(node_.sign(alice_, node_.body(alice_, grant("price_oracle", alice_.address))));
  EXPECT_EQ(sim.code(), 304u) << sim.log();
  EXPECT_EQ(sim.detail(), 4003u);
  EXPECT_EQ(sim.codespace(), "roles");
  EXPECT_EQ(sim.fee(), 1000u);

  // More than the balance: 300 from the ledger, no module detail.
  sim = simulate(
      node_.sign(alice_, node_.body(alice_, transfer(admin_.address, RpcHarness::kFundedUnits))));
  EXPECT_EQ(sim.code(), 300u) << sim.log();
  EXPECT_EQ(sim.detail(), 0u);
  EXPECT_EQ(sim.codespace(), "");

  // Malformed: the check's detail.
  sim = simulate(node_.sign(admin_, node_.body(admin_, grant("wizard", alice_.address))));
  EXPECT_EQ(sim.code(), 114u) << sim.log();
  EXPECT_EQ(sim.detail(), 4001u);
  EXPECT_EQ(sim.codespace(), "roles");

  // Committed, the same failure is in the TxResult.
  const auto block =
      node_.commit({node_.sign(alice_, node_.body(alice_, grant("price_oracle", alice_.address)))});
  ASSERT_EQ(block.result.txs_size(), 1);
  EXPECT_EQ(block.result.txs(0).code(), 304u);
  EXPECT_EQ(block.result.txs(0).detail(), 4003u);
  EXPECT_EQ(block.result.txs(0).codespace(), "roles");
}

TEST_F(ErrorTrailersTest, BroadcastTxsReportsEachRefusalsDetail) {
  grpc::ClientContext ctx;
  deadline(ctx);
  v1::BroadcastTxsRequest req;
  *req.add_txs() = node_.sign(admin_, node_.body(admin_, grant("wizard", alice_.address)));
  *req.add_txs() = node_.sign(broke_, node_.body(broke_, transfer(alice_.address, 1)));
  *req.add_txs() = node_.sign(alice_, node_.body(alice_, transfer(admin_.address, 5)));
  v1::BroadcastTxsResponse out;
  ASSERT_TRUE(txs_->BroadcastTxs(&ctx, req, &out).ok());
  ASSERT_EQ(out.results_size(), 3);
  EXPECT_EQ(out.results(0).code(), 114u);
  EXPECT_EQ(out.results(0).detail(), 4001u);
  EXPECT_EQ(out.results(0).codespace(), "roles");
  EXPECT_EQ(out.results(1).code(), 202u);
  EXPECT_EQ(out.results(1).detail(), 0u);
  EXPECT_EQ(out.results(1).codespace(), "");
  EXPECT_EQ(out.results(2).code(), 0u) << out.results(2).log();
  EXPECT_EQ(btt_trailers(ctx), Trailers());
}

}  // namespace
}  // namespace btt::testkit

// btt.v1.Rwa through real gRPC calls over an in-process chain: an asset issued to a verified
// clinic, its holders, claim, NAV history and params; the compliance query naming the rule that
// refuses; NOT_FOUND / INVALID_ARGUMENT answers; the exchange's book, orders, trades and pools.
#include <gtest/gtest.h>

#include "btt/common/amount.h"
#include "btt/modules/roles/roles.h"
#include "btt/v1/rwa_query.grpc.pb.h"
#include "testkit/rpc_harness.h"
#include "testkit/test_env.h"

namespace btt::testkit {
namespace {

constexpr uint64_t kBtt = kUnitsPerBtt;

class RwaServiceTest : public ::testing::Test {
 protected:
  template <typename Request, typename Response>
  grpc::Status call(grpc::Status (v1::Rwa::Stub::*method)(grpc::ClientContext*, const Request&,
                                                          Response*),
                    const Request& req, Response* out) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    return (stub_.get()->*method)(&ctx, req, out);
  }
  void commit(const crypto::KeyPair& from, const v1::Message& m) {
    const auto block = node_.commit({node_.sign(from, node_.body(from, m))});
    ASSERT_EQ(block.result.txs_size(), 1);
    ASSERT_EQ(block.result.txs(0).code(), 0u) << block.result.txs(0).log();
  }
  void grant(std::string_view role, const crypto::KeyPair& to) {
    v1::Message m;
    m.mutable_grant_role()->set_role(std::string(role));
    m.mutable_grant_role()->set_address(to.address.to_string());
    commit(admin_, m);
  }
  // Alice attests and values; the clinic, verified, issues rwa/IMG: 1,000 fractions appraised
  // at 100 BTT (tier 1: a 1 BTT fee), KYC required.
  void issue() {
    grant(modules::roles::kKycAttester, alice_);
    grant(modules::roles::kAssetValuer, alice_);
    v1::Message c;
    auto* claim = c.mutable_set_claim();
    claim->set_account(clinic_.address.to_string());
    claim->set_kyc(true);
    claim->set_country("DE");
    claim->set_expiry_ms(UINT64_MAX / 2);
    claim->set_record_hash(std::string(32, 'k'));
    commit(alice_, c);
    v1::Message m;
    auto* r = m.mutable_register_rwa_asset();
    r->set_asset_class(v1::RWA_ASSET_CLASS_EQUIPMENT);
    r->set_name("imaging suite");
    r->set_symbol("IMG");
    r->set_total_fractions(1'000);
    r->set_tier(1);
    r->set_appraised_value(100 * kBtt);
    r->set_currency("BTT");
    r->set_valuer(alice_.address.to_string());
    r->set_appraisal_hash(std::string(32, 'a'));
    r->mutable_rules()->set_require_kyc(true);
    commit(clinic_, m);
  }

  RpcHarness node_{RpcHarnessOptions{.funded = {"alice", "clinic"},
                                     .rwa = {{"params", nlohmann::json::object()}}}};
  std::unique_ptr<v1::Rwa::Stub> stub_ = v1::Rwa::NewStub(node_.channel());
  const crypto::KeyPair alice_ = test_key("alice");
  const crypto::KeyPair clinic_ = test_key("clinic");
  const crypto::KeyPair admin_ = test_key(TestEnv::kRoleAdmin);
};

TEST_F(RwaServiceTest, AssetsHoldersClaimsNavAndTheComplianceRule) {
  issue();
  v1::GetRwaAssetRequest ga;
  ga.set_asset("IMG");
  v1::RwaAssetInfo info;
  ASSERT_TRUE(call(&v1::Rwa::Stub::GetAsset, ga, &info).ok());
  EXPECT_EQ(info.record().asset(), "rwa/IMG");
  EXPECT_EQ(info.ledger_supply(), 1'000u);
  EXPECT_EQ(info.record().mint_fee(), kBtt);
  EXPECT_EQ(info.nav_per_fraction(), 100 * kBtt / 1'000);
  v1::ListRwaAssetsResponse assets;
  ASSERT_TRUE(call(&v1::Rwa::Stub::ListAssets, v1::ListRwaAssetsRequest(), &assets).ok());
  EXPECT_EQ(assets.assets_size(), 1);

  v1::ListHoldersRequest lh;
  lh.set_asset("rwa/IMG");
  v1::ListHoldersResponse holders;
  ASSERT_TRUE(call(&v1::Rwa::Stub::ListHolders, lh, &holders).ok());
  ASSERT_EQ(holders.holders_size(), 1);
  EXPECT_EQ(holders.holders(0).account(), clinic_.address.to_string());
  EXPECT_EQ(holders.holders(0).balance(), 1'000u);

  v1::GetClaimRequest gc;
  gc.set_account(clinic_.address.to_string());
  v1::ClaimInfo claim;
  ASSERT_TRUE(call(&v1::Rwa::Stub::GetClaim, gc, &claim).ok());
  EXPECT_TRUE(claim.in_force());
  EXPECT_EQ(claim.claim().country(), "DE");
  gc.set_account(alice_.address.to_string());
  EXPECT_EQ(call(&v1::Rwa::Stub::GetClaim, gc, &claim).error_code(), grpc::StatusCode::NOT_FOUND);
  gc.set_account("nope");
  EXPECT_EQ(call(&v1::Rwa::Stub::GetClaim, gc, &claim).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  v1::CheckTransferRequest ct;
  ct.set_asset("rwa/IMG");
  ct.set_from(clinic_.address.to_string());
  ct.set_to(alice_.address.to_string());
  ct.set_amount(10);
  v1::CheckTransferResponse answer;
  ASSERT_TRUE(call(&v1::Rwa::Stub::CheckTransfer, ct, &answer).ok());
  EXPECT_FALSE(answer.allowed());
  EXPECT_EQ(answer.rule(), "compliance_kyc_required");
  EXPECT_EQ(answer.detail(), 9014u);
  ct.set_to(clinic_.address.to_string());
  ct.set_amount(1'001);
  ASSERT_TRUE(call(&v1::Rwa::Stub::CheckTransfer, ct, &answer).ok());
  EXPECT_EQ(answer.rule(), "insufficient_fractions");

  v1::ListNavHistoryRequest nh;
  nh.set_asset("IMG");
  v1::ListNavHistoryResponse history;
  ASSERT_TRUE(call(&v1::Rwa::Stub::ListNavHistory, nh, &history).ok());
  ASSERT_EQ(history.appraisals_size(), 1);
  EXPECT_EQ(history.appraisals(0).appraised_value(), 100 * kBtt);

  v1::RwaParams params;
  ASSERT_TRUE(call(&v1::Rwa::Stub::GetParams, v1::GetRwaParamsRequest(), &params).ok());
  EXPECT_EQ(params.mint_fee_bps_size(), 3);
  ga.set_asset("NOPE");
  EXPECT_EQ(call(&v1::Rwa::Stub::GetAsset, ga, &info).error_code(), grpc::StatusCode::NOT_FOUND);
  v1::GetClaimableRequest gcl;
  gcl.set_distribution_id(1);
  gcl.set_account(alice_.address.to_string());
  v1::Claimable claimable;
  EXPECT_EQ(call(&v1::Rwa::Stub::GetClaimable, gcl, &claimable).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(RwaServiceTest, ExchangeQueriesAnswerFromTheBookAndThePools) {
  issue();
  v1::Message m;
  auto* o = m.mutable_place_order();
  o->set_asset("rwa/IMG");
  o->set_quote_asset("BTT");
  o->set_side(v1::ORDER_SIDE_SELL);
  o->set_price(100);
  o->set_amount(10);
  commit(clinic_, m);
  m.Clear();
  auto* p = m.mutable_create_pool();
  p->set_asset("rwa/IMG");
  p->set_quote_asset("BTT");
  p->set_asset_amount(100);
  p->set_quote_amount(10'000);
  p->set_fee_bps(30);
  commit(clinic_, m);

  v1::GetBookDepthRequest gd;
  gd.set_asset("IMG");
  v1::BookDepth depth;
  ASSERT_TRUE(call(&v1::Rwa::Stub::GetBookDepth, gd, &depth).ok());
  ASSERT_EQ(depth.asks_size(), 1);
  EXPECT_EQ(depth.asks(0).price(), 100u);
  EXPECT_EQ(depth.asks(0).amount(), 10u);
  EXPECT_EQ(depth.asks(0).orders(), 1u);
  gd.set_levels(101);
  EXPECT_EQ(call(&v1::Rwa::Stub::GetBookDepth, gd, &depth).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  gd.set_asset("NOPE");
  EXPECT_EQ(call(&v1::Rwa::Stub::GetBookDepth, gd, &depth).error_code(),
            grpc::StatusCode::NOT_FOUND);

  v1::ListOrdersRequest lo;
  lo.set_account(clinic_.address.to_string());
  v1::ListOrdersResponse orders;
  ASSERT_TRUE(call(&v1::Rwa::Stub::ListOrders, lo, &orders).ok());
  ASSERT_EQ(orders.orders_size(), 1);
  EXPECT_EQ(orders.orders(0).open(), 10u);
  lo.set_account("btt1nope");
  EXPECT_EQ(call(&v1::Rwa::Stub::ListOrders, lo, &orders).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  v1::GetOrderRequest go;
  go.set_order_id(1);
  v1::OrderInfo info;
  ASSERT_TRUE(call(&v1::Rwa::Stub::GetOrder, go, &info).ok());
  EXPECT_EQ(info.side(), v1::ORDER_SIDE_SELL);
  go.set_order_id(99);
  EXPECT_EQ(call(&v1::Rwa::Stub::GetOrder, go, &info).error_code(), grpc::StatusCode::NOT_FOUND);

  v1::ListTradesRequest lt;
  lt.set_asset("IMG");
  v1::ListTradesResponse trades;
  ASSERT_TRUE(call(&v1::Rwa::Stub::ListTrades, lt, &trades).ok());
  EXPECT_EQ(trades.trades_size(), 0);

  v1::ListPoolsResponse pools;
  ASSERT_TRUE(call(&v1::Rwa::Stub::ListPools, v1::ListPoolsRequest(), &pools).ok());
  ASSERT_EQ(pools.pools_size(), 1);
  v1::GetPoolRequest gp;
  gp.set_asset("IMG");
  v1::PoolInfo pool;
  ASSERT_TRUE(call(&v1::Rwa::Stub::GetPool, gp, &pool).ok());
  EXPECT_EQ(pool.pool_id(), 1u);
  EXPECT_EQ(pool.shares(), 1'000u);  // isqrt(100 x 10,000)
  v1::GetLpSharesRequest gl;
  gl.set_pool_id(1);
  gl.set_account(clinic_.address.to_string());
  v1::LpShares lp;
  ASSERT_TRUE(call(&v1::Rwa::Stub::GetLpShares, gl, &lp).ok());
  EXPECT_EQ(lp.shares(), 1'000u);
  EXPECT_EQ(lp.asset_amount(), 100u);
  EXPECT_EQ(lp.quote_amount(), 10'000u);
  v1::QuoteSwapRequest qs;
  qs.set_pool_id(1);
  qs.set_offer_asset("BTT");
  qs.set_amount_in(1'000);
  v1::SwapQuote quote;
  ASSERT_TRUE(call(&v1::Rwa::Stub::QuoteSwap, qs, &quote).ok());
  // 5 to the treasury; 995 in, 3 of it the pool's fee: floor(100 x 992 / 10,992) = 9.
  EXPECT_EQ(quote.trading_fee(), 5u);
  EXPECT_EQ(quote.pool_fee(), 3u);
  EXPECT_EQ(quote.amount_out(), 9u);
  qs.set_pool_id(7);
  EXPECT_EQ(call(&v1::Rwa::Stub::QuoteSwap, qs, &quote).error_code(), grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace btt::testkit

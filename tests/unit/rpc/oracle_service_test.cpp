// btt.v1.Oracle through real gRPC calls over an in-process chain: a feeder's posts in every
// query with exact fields, the price in force now and at a time, history paging, no_price and
// bad_pair with their details.
#include <gtest/gtest.h>

#include "btt/common/amount.h"
#include "btt/modules/oracle/errors.h"
#include "btt/modules/roles/roles.h"
#include "btt/v1/oracle.grpc.pb.h"
#include "testkit/rpc_harness.h"
#include "testkit/test_env.h"

namespace btt::testkit {
namespace {

namespace orc = modules::oracle;

class OracleServiceTest : public ::testing::Test {
 protected:
  OracleServiceTest() {
    v1::Message grant;
    grant.mutable_grant_role()->set_role(std::string(modules::roles::kPriceOracle));
    for (const auto* k : {&alice_, &bob_}) {
      grant.mutable_grant_role()->set_address(k->address.to_string());
      const auto block = node_.commit({node_.sign(admin_, node_.body(admin_, grant))});
      EXPECT_EQ(block.result.txs(0).code(), 0u) << block.result.txs(0).log();
    }
  }

  template <typename Request, typename Response>
  grpc::Status call(grpc::Status (v1::Oracle::Stub::*method)(grpc::ClientContext*, const Request&,
                                                             Response*),
                    const Request& req, Response* out, std::string* detail = nullptr) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    auto s = (stub_.get()->*method)(&ctx, req, out);
    if (detail) {
      auto it = ctx.GetServerTrailingMetadata().find("btt-detail");
      *detail = it == ctx.GetServerTrailingMetadata().end()
                    ? ""
                    : std::string(it->second.data(), it->second.size());
    }
    return s;
  }

  chain::CommittedBlock post(const crypto::KeyPair& from, uint64_t num, uint64_t den) {
    v1::Message m;
    m.mutable_post_price()->set_base("BTT");
    m.mutable_post_price()->set_quote("CNY");
    m.mutable_post_price()->set_num(num);
    m.mutable_post_price()->set_den(den);
    auto block = node_.commit({node_.sign(from, node_.body(from, m))});
    EXPECT_EQ(block.result.txs(0).code(), 0u) << block.result.txs(0).log();
    return block;
  }

  static v1::GetPriceRequest price_req(uint64_t time_ms = 0) {
    v1::GetPriceRequest r;
    r.set_base("BTT");
    r.set_quote("CNY");
    r.set_time_ms(time_ms);
    return r;
  }

  RpcHarness node_{RpcHarnessOptions{.funded = {"alice", "bob"}}};
  std::unique_ptr<v1::Oracle::Stub> stub_ = v1::Oracle::NewStub(node_.channel());
  const crypto::KeyPair admin_ = test_key(TestEnv::kRoleAdmin);
  const crypto::KeyPair alice_ = test_key("alice");
  const crypto::KeyPair bob_ = test_key("bob");
};

TEST_F(OracleServiceTest, PostsShowInEveryQuery) {
  v1::GetPriceResponse price;
  std::string detail;
  auto s = call(&v1::Oracle::Stub::GetPrice, price_req(), &price, &detail);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(detail, std::to_string(orc::errors::kNoPrice.detail));
  EXPECT_NE(s.error_message().find("BTT/CNY"), std::string::npos) << s.error_message();

  post(alice_, 35, kUnitsPerBtt);
  const uint64_t t_alice = node_.chain().read_view().tip.time_ms();
  post(alice_, 36, kUnitsPerBtt);
  post(bob_, 30, kUnitsPerBtt);
  const uint64_t now = node_.chain().read_view().tip.time_ms();

  ASSERT_TRUE(call(&v1::Oracle::Stub::GetPrice, price_req(), &price).ok());
  EXPECT_EQ(price.num(), 30u);  // two posts: the lower of 30 and 36
  EXPECT_EQ(price.den(), kUnitsPerBtt);
  EXPECT_EQ(price.posts(), 2u);
  EXPECT_EQ(price.median_feeder(), bob_.address.to_string());
  EXPECT_EQ(price.time_ms(), now);
  EXPECT_EQ(price.newest_time_ms(), now);
  // At alice's first post's time only that one existed... but it was replaced: the posts in
  // state are alice's 36 (later) and bob's 30 (later), so no price then.
  s = call(&v1::Oracle::Stub::GetPrice, price_req(t_alice), &price, &detail);
  EXPECT_EQ(detail, std::to_string(orc::errors::kNoPrice.detail));

  v1::ListPostsRequest preq;
  preq.set_base("BTT");
  preq.set_quote("CNY");
  v1::ListPostsResponse posts;
  ASSERT_TRUE(call(&v1::Oracle::Stub::ListPosts, preq, &posts).ok());
  ASSERT_EQ(posts.posts_size(), 2);
  for (const auto& p : posts.posts()) {
    EXPECT_EQ(p.num(), p.feeder() == alice_.address.to_string() ? 36u : 30u);
  }

  v1::ListHistoryRequest hreq;
  hreq.set_base("BTT");
  hreq.set_quote("CNY");
  hreq.set_limit(2);
  v1::ListHistoryResponse history;
  ASSERT_TRUE(call(&v1::Oracle::Stub::ListHistory, hreq, &history).ok());
  ASSERT_EQ(history.history_size(), 2);
  EXPECT_EQ(history.history(0).num(), 35u);
  EXPECT_EQ(history.history(0).time_ms(), t_alice);
  EXPECT_EQ(history.history(1).num(), 36u);
  EXPECT_EQ(history.next_start_after(), 2u);
  hreq.set_start_after(2);
  ASSERT_TRUE(call(&v1::Oracle::Stub::ListHistory, hreq, &history).ok());
  ASSERT_EQ(history.history_size(), 1);
  EXPECT_EQ(history.history(0).seq(), 3u);
  EXPECT_EQ(history.next_start_after(), 0u);

  v1::ListPairsResponse pairs;
  ASSERT_TRUE(call(&v1::Oracle::Stub::ListPairs, v1::ListPairsRequest(), &pairs).ok());
  ASSERT_EQ(pairs.pairs_size(), 1);
  EXPECT_EQ(pairs.pairs(0).base(), "BTT");
  EXPECT_EQ(pairs.pairs(0).quote(), "CNY");
  EXPECT_EQ(pairs.pairs(0).next_seq(), 4u);
}

TEST_F(OracleServiceTest, ABadPairIsInvalidArgumentWithItsDetail) {
  auto req = price_req();
  req.set_quote("BTT");
  v1::GetPriceResponse price;
  std::string detail;
  auto s = call(&v1::Oracle::Stub::GetPrice, req, &price, &detail);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(detail, std::to_string(orc::errors::kBadPair.detail));
  v1::ListPostsRequest preq;
  preq.set_base("");
  preq.set_quote("CNY");
  v1::ListPostsResponse posts;
  s = call(&v1::Oracle::Stub::ListPosts, preq, &posts, &detail);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(detail, std::to_string(orc::errors::kBadPair.detail));
}

}  // namespace
}  // namespace btt::testkit

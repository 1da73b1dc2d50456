// btt.v1.Consent through real gRPC calls over an in-process chain: a grant in every query, the
// check allowed and then denied after revocation, and malformed requests as INVALID_ARGUMENT
// with their details.
#include <gtest/gtest.h>

#include "btt/modules/consent/errors.h"
#include "btt/v1/consent_query.grpc.pb.h"
#include "testkit/rpc_harness.h"
#include "testkit/test_env.h"

namespace btt::testkit {
namespace {

namespace err = modules::consent::errors;

class ConsentServiceTest : public ::testing::Test {
 protected:
  template <typename Request, typename Response>
  grpc::Status call(grpc::Status (v1::Consent::Stub::*method)(grpc::ClientContext*, const Request&,
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
  void commit(const crypto::KeyPair& from, const v1::Message& m) {
    auto block = node_.commit({node_.sign(from, node_.body(from, m))});
    EXPECT_EQ(block.result.txs(0).code(), 0u) << block.result.txs(0).log();
  }
  v1::CheckAccessRequest check_req() const {
    v1::CheckAccessRequest r;
    r.set_patient(patient_.address.to_string());
    r.set_record_hash(std::string(32, 'r'));
    r.set_grantee(clinic_.address.to_string());
    r.set_purpose(v1::CONSENT_PURPOSE_TREATMENT);
    return r;
  }

  RpcHarness node_{RpcHarnessOptions{.funded = {"patient", "clinic"}}};
  std::unique_ptr<v1::Consent::Stub> stub_ = v1::Consent::NewStub(node_.channel());
  const crypto::KeyPair patient_ = test_key("patient");
  const crypto::KeyPair clinic_ = test_key("clinic");
};

TEST_F(ConsentServiceTest, AGrantShowsInEveryQueryUntilRevoked) {
  v1::CheckAccessResponse answer;
  ASSERT_TRUE(call(&v1::Consent::Stub::CheckAccess, check_req(), &answer).ok());
  EXPECT_FALSE(answer.allowed());
  EXPECT_EQ(answer.denial(), v1::CONSENT_DENIAL_NO_GRANT);

  const uint64_t now = node_.chain().read_view().tip.time_ms();
  v1::Message m;
  auto* g = m.mutable_grant_consent();
  g->set_patient(patient_.address.to_string());
  g->set_grantee(clinic_.address.to_string());
  g->set_record_hash(std::string(32, 'r'));
  g->set_custodian(clinic_.address.to_string());
  g->set_scope(v1::RECORD_SCOPE_SUMMARY);
  g->add_purposes(v1::CONSENT_PURPOSE_TREATMENT);
  g->set_expiry_ms(now + 3'600'000);
  commit(patient_, m);

  ASSERT_TRUE(call(&v1::Consent::Stub::CheckAccess, check_req(), &answer).ok());
  EXPECT_TRUE(answer.allowed()) << answer.message();
  EXPECT_EQ(answer.grant_id(), 1u);
  EXPECT_EQ(answer.expiry_ms(), now + 3'600'000);
  EXPECT_EQ(answer.time_ms(), node_.chain().read_view().tip.time_ms());

  v1::GetGrantRequest get;
  get.set_grant_id(1);
  v1::GrantInfo info;
  ASSERT_TRUE(call(&v1::Consent::Stub::GetGrant, get, &info).ok());
  EXPECT_TRUE(info.in_force());
  EXPECT_EQ(info.grant().scope(), v1::RECORD_SCOPE_SUMMARY);
  get.set_grant_id(2);
  EXPECT_EQ(call(&v1::Consent::Stub::GetGrant, get, &info).error_code(),
            grpc::StatusCode::NOT_FOUND);

  v1::ListGrantsRequest list;
  list.set_grantee(clinic_.address.to_string());
  v1::ListGrantsResponse grants;
  ASSERT_TRUE(call(&v1::Consent::Stub::ListGrants, list, &grants).ok());
  ASSERT_EQ(grants.grants_size(), 1);

  v1::Message d;
  d.mutable_declare_access()->set_grant_id(1);
  d.mutable_declare_access()->set_purpose(v1::CONSENT_PURPOSE_TREATMENT);
  commit(clinic_, d);
  v1::ListAccessesRequest acc;
  acc.set_record_hash(std::string(32, 'r'));
  v1::ListAccessesResponse accesses;
  ASSERT_TRUE(call(&v1::Consent::Stub::ListAccesses, acc, &accesses).ok());
  ASSERT_EQ(accesses.accesses_size(), 1);
  EXPECT_EQ(accesses.accesses(0).scope(), v1::RECORD_SCOPE_SUMMARY);

  v1::Message r;
  r.mutable_revoke_consent()->set_grant_id(1);
  commit(patient_, r);
  ASSERT_TRUE(call(&v1::Consent::Stub::CheckAccess, check_req(), &answer).ok());
  EXPECT_FALSE(answer.allowed());
  EXPECT_EQ(answer.denial(), v1::CONSENT_DENIAL_REVOKED);

  v1::ConsentParams params;
  ASSERT_TRUE(call(&v1::Consent::Stub::GetParams, v1::GetConsentParamsRequest(), &params).ok());
  EXPECT_EQ(params.max_delegates(), 5u);
  v1::ListDelegatesRequest dl;
  dl.set_patient(patient_.address.to_string());
  v1::ListDelegatesResponse delegates;
  ASSERT_TRUE(call(&v1::Consent::Stub::ListDelegates, dl, &delegates).ok());
  EXPECT_EQ(delegates.delegates_size(), 0);
}

TEST_F(ConsentServiceTest, MalformedRequestsAreInvalidArgumentWithTheirDetail) {
  std::string detail;
  v1::CheckAccessResponse answer;
  auto req = check_req();
  req.set_record_hash("short");
  EXPECT_EQ(call(&v1::Consent::Stub::CheckAccess, req, &answer, &detail).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(detail, std::to_string(err::kBadRecordHash.detail));
  req = check_req();
  req.set_grantee("nope");
  EXPECT_EQ(call(&v1::Consent::Stub::CheckAccess, req, &answer, &detail).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(detail, std::to_string(err::kBadAddress.detail));
  v1::ListGrantsRequest neither;
  v1::ListGrantsResponse grants;
  EXPECT_EQ(call(&v1::Consent::Stub::ListGrants, neither, &grants, &detail).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(detail, std::to_string(err::kBadField.detail));
}

}  // namespace
}  // namespace btt::testkit

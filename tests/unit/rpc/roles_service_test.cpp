// btt.v1.Roles through real gRPC calls over an in-process chain: every query's answer with exact
// holders and heights, and each refusal with its status, detail and code space.
#include <gtest/gtest.h>

#include "btt/v1/roles.grpc.pb.h"
#include "testkit/rpc_harness.h"
#include "testkit/test_env.h"

namespace btt::testkit {
namespace {

class RolesServiceTest : public ::testing::Test {
 protected:
  template <typename Request, typename Response>
  grpc::Status call(grpc::Status (v1::Roles::Stub::*method)(grpc::ClientContext*, const Request&,
                                                            Response*),
                    const Request& req, Response* out) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    return (stub_.get()->*method)(&ctx, req, out);
  }

  RpcHarness node_;
  std::unique_ptr<v1::Roles::Stub> stub_ = v1::Roles::NewStub(node_.channel());
  const crypto::KeyPair admin_ = test_key(TestEnv::kRoleAdmin);
  const crypto::KeyPair authority_ = test_key(TestEnv::kAuthority);
  const crypto::KeyPair alice_ = test_key("alice");
};

TEST_F(RolesServiceTest, ListRolesNamesEveryKnownRoleWithItsHolders) {
  v1::ListRolesResponse out;
  ASSERT_TRUE(call(&v1::Roles::Stub::ListRoles, v1::ListRolesRequest(), &out).ok());
  EXPECT_EQ(out.height(), 0u);
  std::vector<std::string> names;
  for (const auto& r : out.roles()) names.push_back(r.role());
  EXPECT_EQ(names, (std::vector<std::string>{"asset_valuer", "compute_attester", "kyc_attester",
                                             "milestone_authority", "payment_gateway",
                                             "price_oracle", "provider_registrar", "role_admin"}));
  for (const auto& r : out.roles()) {
    if (r.role() == "role_admin") {
      EXPECT_EQ(std::vector<std::string>(r.addresses().begin(), r.addresses().end()),
                std::vector<std::string>{admin_.address.to_string()});
    } else if (r.role() == "milestone_authority") {
      EXPECT_EQ(std::vector<std::string>(r.addresses().begin(), r.addresses().end()),
                std::vector<std::string>{authority_.address.to_string()});
    } else {
      EXPECT_EQ(r.addresses_size(), 0) << r.role();
    }
  }
}

TEST_F(RolesServiceTest, AGrantInABlockShowsInEveryQuery) {
  v1::Message m;
  m.mutable_grant_role()->set_role("price_oracle");
  m.mutable_grant_role()->set_address(alice_.address.to_string());
  const auto block = node_.commit({node_.sign(admin_, node_.body(admin_, m))});
  ASSERT_EQ(block.result.txs_size(), 1);
  ASSERT_EQ(block.result.txs(0).code(), 0u) << block.result.txs(0).log();

  v1::GetRoleRequest req;
  req.set_role("price_oracle");
  v1::GetRoleResponse role;
  ASSERT_TRUE(call(&v1::Roles::Stub::GetRole, req, &role).ok());
  EXPECT_EQ(role.height(), 1u);
  EXPECT_EQ(role.role().role(), "price_oracle");
  ASSERT_EQ(role.role().addresses_size(), 1);
  EXPECT_EQ(role.role().addresses(0), alice_.address.to_string());
  ASSERT_EQ(role.grants_size(), 1);
  EXPECT_EQ(role.grants(0).address(), alice_.address.to_string());
  EXPECT_EQ(role.grants(0).granted_height(), 1u);
  EXPECT_EQ(role.grants(0).granted_by(), admin_.address.to_string());

  v1::GetAccountRolesRequest acc;
  acc.set_address(alice_.address.to_string());
  v1::GetAccountRolesResponse roles;
  ASSERT_TRUE(call(&v1::Roles::Stub::GetAccountRoles, acc, &roles).ok());
  EXPECT_EQ(roles.height(), 1u);
  EXPECT_EQ(std::vector<std::string>(roles.roles().begin(), roles.roles().end()),
            std::vector<std::string>{"price_oracle"});

  // Genesis grants carry height 0 and no granter; an account with no role answers none.
  req.set_role("role_admin");
  ASSERT_TRUE(call(&v1::Roles::Stub::GetRole, req, &role).ok());
  ASSERT_EQ(role.grants_size(), 1);
  EXPECT_EQ(role.grants(0).granted_height(), 0u);
  EXPECT_EQ(role.grants(0).granted_by(), "");
  acc.set_address(test_key("nobody").address.to_string());
  ASSERT_TRUE(call(&v1::Roles::Stub::GetAccountRoles, acc, &roles).ok());
  EXPECT_EQ(roles.roles_size(), 0);
}

TEST_F(RolesServiceTest, UnknownRoleIsInvalidArgument) {
  for (const std::string& role :
       std::vector<std::string>{"", "wizard", "ROLE_ADMIN", std::string(10'000, 'r')}) {
    v1::GetRoleRequest req;
    req.set_role(role);
    v1::GetRoleResponse out;
    const auto s = call(&v1::Roles::Stub::GetRole, req, &out);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << role.substr(0, 20);
    EXPECT_NE(s.error_message().find("is not a known role [roles 4001]"), std::string::npos)
        << s.error_message();
    EXPECT_LT(s.error_message().size(), 300u);
  }
}

TEST_F(RolesServiceTest, BadAddressIsInvalidArgument) {
  std::string upper = alice_.address.to_string();
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::string mixed = alice_.address.to_string();
  const size_t letter = mixed.find_first_of("acdefghjklmnpqrstuvwxyz", 4);
  mixed[letter] = static_cast<char>(std::toupper(static_cast<unsigned char>(mixed[letter])));
  for (const std::string& address : std::vector<std::string>{"", "alice", mixed}) {
    v1::GetAccountRolesRequest req;
    req.set_address(address);
    v1::GetAccountRolesResponse out;
    const auto s = call(&v1::Roles::Stub::GetAccountRoles, req, &out);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << address;
    EXPECT_NE(s.error_message().find("is not a btt address [roles 4002]"), std::string::npos)
        << s.error_message();
  }
  // An all upper-case address is valid bech32m and names the same account.
  v1::GetAccountRolesRequest req;
  req.set_address(upper);
  v1::GetAccountRolesResponse out;
  EXPECT_TRUE(call(&v1::Roles::Stub::GetAccountRoles, req, &out).ok());
}

}  // namespace
}  // namespace btt::testkit

// Roles module: every handler path through the test environment; genesis export round trip; the
// registry's hook order and the generic params path.
#include <gtest/gtest.h>

#include "btt/chain/params.h"
#include "btt/chain/registry.h"
#include "btt/modules/bank/bank.h"
#include "btt/modules/compute/compute.h"
#include "btt/modules/roles/errors.h"
#include "btt/modules/roles/roles.h"
#include "btt/modules/roles/view.h"
#include "btt/modules/tokenomics/tokenomics.h"
#include "testkit/test_env.h"

namespace btt::testkit {
namespace {

namespace roles = modules::roles;

v1::Message grant(std::string_view role, const Account& to) {
  v1::Message m;
  m.mutable_grant_role()->set_role(std::string(role));
  m.mutable_grant_role()->set_address(to.addr());
  return m;
}

v1::Message revoke(std::string_view role, const std::string& address) {
  v1::Message m;
  m.mutable_revoke_role()->set_role(std::string(role));
  m.mutable_revoke_role()->set_address(address);
  return m;
}

class RolesTest : public ::testing::Test {
 protected:
  TestEnv env;
  const Account& admin = env.account(TestEnv::kRoleAdmin);
  const Account& alice = env.account("alice");
  const Account& bob = env.account("bob");
  bool holds(std::string_view role, const Account& a) {
    return roles::has_role(env.ledger_state(), role, a.address());
  }
};

TEST_F(RolesTest, AdminGrantsAndRevokesWithEvents) {
  auto out = env.apply(env.tx(admin).message(grant(roles::kPriceOracle, alice)).sign());
  EXPECT_TRUE(holds(roles::kPriceOracle, alice));
  ASSERT_EQ(out.events.size(), 2u);
  EXPECT_EQ(out.events[1].type(), "roles.granted");
  EXPECT_EQ(ledger::attribute(out.events[1], "role"), "price_oracle");
  EXPECT_EQ(ledger::attribute(out.events[1], "address"), alice.addr());
  EXPECT_EQ(ledger::attribute(out.events[1], "by"), admin.addr());
  auto g = roles::RolesView(env.ledger_state()).grant(roles::kPriceOracle, alice.address());
  ASSERT_TRUE(g.has_value());
  EXPECT_EQ(g->granted_height(), env.height());
  env.close_block();

  out = env.apply(env.tx(admin).message(revoke(roles::kPriceOracle, alice.addr())).sign());
  EXPECT_FALSE(holds(roles::kPriceOracle, alice));
  EXPECT_EQ(out.events[1].type(), "roles.revoked");
  env.close_block();
}

TEST_F(RolesTest, OnlyAdminsGrantAndFailuresChangeNothingButTheFee) {
  auto out =
      env.apply(env.tx(alice).message(grant(roles::kRoleAdmin, alice)).sign(), Code::kUnauthorized);
  EXPECT_EQ(out.status.detail(), roles::errors::kNotAdmin.detail);
  EXPECT_EQ(out.fee_paid, env.params().min_fee());
  EXPECT_FALSE(holds(roles::kRoleAdmin, alice));
  env.apply(env.tx(admin).message(grant(roles::kKycAttester, bob)).sign());
  out = env.apply(env.tx(admin).message(grant(roles::kKycAttester, bob)).sign(),
                  Code::kAlreadyExists);
  EXPECT_EQ(out.status.detail(), roles::errors::kAlreadyHeld.detail);
  out = env.apply(env.tx(admin).message(revoke(roles::kAssetValuer, bob.addr())).sign(),
                  Code::kUnknownRecord);
  EXPECT_EQ(out.status.detail(), roles::errors::kNotHeld.detail);
  env.close_block();
}

TEST_F(RolesTest, MalformedGrantsNeverEnterABlock) {
  auto out =
      env.apply(env.tx(admin).message(grant("janitor", alice)).sign(), Code::kInvalidArgument);
  EXPECT_FALSE(out.included);
  EXPECT_EQ(out.status.detail(), roles::errors::kUnknownRole.detail);
  out = env.apply(env.tx(admin).message(revoke(roles::kRoleAdmin, "btt1nope")).sign(),
                  Code::kInvalidAddress);
  EXPECT_FALSE(out.included);
  EXPECT_EQ(env.next_nonce(admin), 0u);
}

TEST_F(RolesTest, TheLastRoleAdminCannotBeRevoked) {
  auto out = env.apply(env.tx(admin).message(revoke(roles::kRoleAdmin, admin.addr())).sign(),
                       Code::kWrongState);
  EXPECT_EQ(out.status.detail(), roles::errors::kLastAdmin.detail);
  EXPECT_NE(out.status.to_string().find("[roles 4006]"), std::string::npos);
  env.apply(env.tx(admin).message(grant(roles::kRoleAdmin, alice)).sign());
  env.apply(env.tx(alice).message(revoke(roles::kRoleAdmin, admin.addr())).sign());
  EXPECT_FALSE(holds(roles::kRoleAdmin, admin));
  EXPECT_EQ(roles::holders(env.ledger_state(), roles::kRoleAdmin).size(), 1u);
  env.close_block();
}

TEST_F(RolesTest, GenesisExportReimportsToTheSameBytes) {
  env.apply(env.tx(admin).message(grant(roles::kPaymentGateway, bob)).sign());
  env.close_block();
  const auto* module = env.registry().find("roles");
  ASSERT_NE(module, nullptr);
  auto exported = module->export_genesis(env.ledger_state());
  ASSERT_TRUE(exported.is_ok()) << exported.status().to_string();
  ASSERT_EQ((*exported)["grants"].size(), 3u);  // role_admin, milestone_authority, the new one

  MemoryState empty;
  ledger::Overlay fresh(empty);
  ledger::Events events;
  ledger::BlockInfo block{"btt-test", 0, 0, 0, {}, {}, {}, {}};
  ledger::BlockContext ctx{block, fresh, events, nullptr};
  auto copy = roles::make_roles_module();
  ASSERT_TRUE(copy->validate_genesis(*exported, {}).is_ok());
  ASSERT_TRUE(copy->init_genesis(*exported, {}, ctx).is_ok());
  std::map<Bytes, Bytes> original, imported;
  env.ledger_state().scan("rol/", [&](std::string_view k, std::string_view v) {
    original.emplace(Bytes(k), Bytes(v));
    return true;
  });
  fresh.scan("rol/", [&](std::string_view k, std::string_view v) {
    imported.emplace(Bytes(k), Bytes(v));
    return true;
  });
  EXPECT_EQ(original, imported);
  EXPECT_TRUE(copy->check_invariants(fresh).empty());
}

TEST(RolesGenesis, RefusesWhatItCannotDescribe) {
  auto m = roles::make_roles_module();
  const auto addr = test_key("x").address.to_string();
  auto refused = [&](const nlohmann::json& j) { return !m->validate_genesis(j, {}).is_ok(); };
  EXPECT_FALSE(refused(nlohmann::json()));
  EXPECT_TRUE(refused({{"grants", {{{"role", "janitor"}, {"address", addr}}}}}));
  EXPECT_TRUE(refused({{"grants", {{{"role", "role_admin"}, {"address", "btt1x"}}}}}));
  EXPECT_TRUE(refused({{"grants",
                        {{{"role", "role_admin"}, {"address", addr}},
                         {{"role", "role_admin"}, {"address", addr}}}}}));
  EXPECT_TRUE(refused({{"admins", nlohmann::json::array()}}));
  EXPECT_TRUE(refused(nlohmann::json::array()));
}

TEST(ModuleRegistry, HookOrderIsDeclaredAndChecked) {
  auto registry = chain::make_default_registry();
  std::vector<std::string_view> names;
  for (const auto& m : registry->modules()) names.push_back(m->name());
  EXPECT_EQ(names, chain::default_module_order());
  // Every module's hooks_after() names a module before it.
  for (size_t i = 0; i < names.size(); ++i) {
    for (auto before : registry->modules()[i]->hooks_after()) {
      auto it = std::find(names.begin(), names.end(), before);
      ASSERT_NE(it, names.end());
      EXPECT_LT(static_cast<size_t>(it - names.begin()), i);
    }
  }
  chain::ModuleRegistry wrong;
  wrong.add(modules::bank::make_bank_module());
  EXPECT_THROW(wrong.add(modules::compute::make_compute_module()), std::logic_error);
  EXPECT_THROW(wrong.add(modules::bank::make_bank_module()), std::logic_error);
}

TEST(ModuleRegistry, EveryMessageKindHasOneHandler) {
  auto registry = chain::make_default_registry();
  const auto* oneof = v1::Message::descriptor()->FindOneofByName("msg");
  ASSERT_NE(oneof, nullptr);
  for (int i = 0; i < oneof->field_count(); ++i) {
    const auto* f = oneof->field(i);
    const auto* h = registry->handler(f->number());
    ASSERT_NE(h, nullptr) << f->name() << " has no handler";
    EXPECT_EQ(h->msg_name(), f->name());
  }
}

TEST(Params, TheGenericPathValidatesAndRefusedChangesWriteNothing) {
  auto registry = chain::make_default_registry();
  MemoryState base;
  ledger::Overlay state(base);
  ledger::Events events;
  auto p = ledger::default_ledger_params();
  p.set_max_memo_bytes(512);
  ASSERT_TRUE(chain::set_params(*registry, state, events, "ledger", p.SerializeAsString()).is_ok());
  EXPECT_EQ(ledger::Ledger(state.reader()).params().max_memo_bytes(), 512u);
  ASSERT_EQ(events.list().size(), 1u);
  EXPECT_EQ(ledger::attribute(events.list()[0], "module"), "ledger");

  const size_t writes = state.writes().size();
  p.set_max_messages(0);  // out of range
  EXPECT_EQ(chain::set_params(*registry, state, events, "ledger", p.SerializeAsString()).code(),
            Code::kInvalidArgument);
  EXPECT_EQ(chain::set_params(*registry, state, events, "ledger", "\xff\xff").code(),
            Code::kInvalidArgument);
  EXPECT_EQ(chain::set_params(*registry, state, events, "nobody", "").code(),
            Code::kInvalidArgument);
  EXPECT_EQ(chain::set_params_json(*registry, state, events, "ledger", R"({"min_fe": "1"})").code(),
            Code::kInvalidArgument);
  EXPECT_EQ(state.writes().size(), writes);
  EXPECT_EQ(ledger::Ledger(state.reader()).params().max_memo_bytes(), 512u);
  EXPECT_EQ(events.list().size(), 1u);

  ASSERT_TRUE(chain::set_params_json(*registry, state, events, "ledger", R"({"min_fee": "5000",
        "max_tx_bytes": 16384, "max_messages": 16, "max_memo_bytes": 256, "max_outputs": 64,
        "max_block_txs": 10000, "max_block_bytes": "8388608", "max_evidence_age": "100000",
        "max_block_evidence": 64})")
                  .is_ok());
  EXPECT_EQ(ledger::Ledger(state.reader()).params().min_fee(), 5000u);
  auto json = chain::params_json(*registry, state, "ledger");
  ASSERT_TRUE(json.is_ok());
  EXPECT_NE(json->find("\"min_fee\":\"5000\""), std::string::npos) << *json;
}

}  // namespace
}  // namespace btt::testkit

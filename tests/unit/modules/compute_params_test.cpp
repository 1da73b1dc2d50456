// The compute genesis section: defaults, overrides and refusals (doc/compute.md "Parameters").
#include <gtest/gtest.h>

#include "btt/modules/compute/compute.h"
#include "btt/modules/compute/params.h"
#include "btt/modules/compute/view.h"
#include "testkit/test_env.h"

namespace btt::modules::compute {
namespace {

using nlohmann::json;

Code code_of(const json& section) {
  auto p = parse_params(section);
  return p ? Code::kOk : p.status().code();
}

TEST(ComputeParams, AbsentSectionGivesTheDocumentedDefaults) {
  auto p = parse_params(json());
  ASSERT_TRUE(p.is_ok()) << p.status().to_string();
  EXPECT_EQ(p->min_bond(), 100'000'000'000u);
  EXPECT_EQ(p->slash_bps(), 1'000u);
  EXPECT_EQ(p->audit_bps(), 1'000u);
  EXPECT_EQ(p->heartbeat_interval_blocks(), 100u);
  EXPECT_EQ(p->unbonding_blocks(), 1'000u);
  EXPECT_EQ(p->reveal_blocks(), 50u);
  EXPECT_EQ(p->urgency(0).multiplier_bps(), 10'000u);
  EXPECT_EQ(p->urgency(1).multiplier_bps(), 15'000u);
  EXPECT_EQ(p->urgency(2).multiplier_bps(), 25'000u);
  EXPECT_EQ(p->urgency(2).deadline_blocks(), 50u);
  EXPECT_EQ(region_factor(*p, "NG"), 15'000u);
  EXPECT_EQ(region_factor(*p, "DE"), 10'000u);
  EXPECT_EQ(energy_factor(*p, 0, false), 8'000u);
  EXPECT_EQ(energy_factor(*p, 250, false), 10'000u);  // unattested: no bonus
  EXPECT_EQ(energy_factor(*p, 250, true), 15'000u);
  EXPECT_EQ(hardware_multiplier(*p, "gpu"), 10'000u);
  EXPECT_EQ(hardware_multiplier(*p, "fpga"), 10'000u);
  EXPECT_TRUE(is_job_kind(*p, "panoramic-caries-v1"));
  EXPECT_TRUE(is_job_kind(*p, "image-stats-v1"));
  EXPECT_TRUE(is_job_kind(*p, "panoramic-lesions-v1"));
  EXPECT_FALSE(is_job_kind(*p, "unknown"));
  EXPECT_EQ(p->development_fund(), development_fund_address().to_string());
  EXPECT_EQ(p->escrow(), escrow_address().to_string());
}

TEST(ComputeParams, OverridesReplaceFieldsAndTables) {
  const auto dev = testkit::test_key("dev").address.to_string();
  auto p = parse_params(
      json{{"min_bond", "5"},
           {"urgency", {{"urgent", {{"multiplier_bps", 30'000}}}}},
           {"hardware_multipliers", {{"gpu", 12'000}}},
           {"region_factors", {{"KE", 20'000}}},
           {"energy_tiers", json::array({{{"min_efficiency", 0}, {"factor_bps", 10'000}}})},
           {"job_kinds", json::array({"b-kind", "a-kind"})},
           {"development_fund", dev}});
  ASSERT_TRUE(p.is_ok()) << p.status().to_string();
  EXPECT_EQ(p->min_bond(), 5u);
  EXPECT_EQ(p->urgency(2).multiplier_bps(), 30'000u);
  EXPECT_EQ(p->urgency(2).deadline_blocks(), 50u);  // untouched
  EXPECT_EQ(hardware_multiplier(*p, "gpu"), 12'000u);
  EXPECT_EQ(hardware_multiplier(*p, "cpu"), 10'000u);  // the table was replaced whole
  EXPECT_EQ(region_factor(*p, "NG"), 10'000u);
  EXPECT_EQ(region_factor(*p, "KE"), 20'000u);
  EXPECT_TRUE(is_job_kind(*p, "a-kind"));
  EXPECT_EQ(p->development_fund(), dev);
}

TEST(ComputeParams, Refusals) {
  EXPECT_EQ(code_of(json::array()), Code::kInvalidArgument);
  EXPECT_EQ(code_of(json{{"unknown", 1}}), Code::kInvalidArgument);
  EXPECT_EQ(code_of(json{{"min_bond", 0}}), Code::kInvalidArgument);
  EXPECT_EQ(code_of(json{{"slash_bps", 10'001}}), Code::kInvalidArgument);
  EXPECT_EQ(code_of(json{{"min_bond", -1}}), Code::kInvalidArgument);
  EXPECT_EQ(code_of(json{{"heartbeat_interval_blocks", 0}}), Code::kInvalidArgument);
  EXPECT_EQ(code_of(json{{"urgency", {{"standard", {{"deadline_blocks", 0}}}}}}),
            Code::kInvalidArgument);
  EXPECT_EQ(code_of(json{{"urgency", {{"later", {}}}}}), Code::kInvalidArgument);
  EXPECT_EQ(code_of(json{{"region_factors", {{"de", 10'000}}}}), Code::kInvalidArgument);
  EXPECT_EQ(code_of(json{{"energy_tiers", json::array()}}), Code::kInvalidArgument);
  EXPECT_EQ(
      code_of(json{{"energy_tiers", json::array({{{"min_efficiency", 5}, {"factor_bps", 1}}})}}),
      Code::kInvalidArgument);
  EXPECT_EQ(code_of(json{{"job_kinds", json::array({"Bad Kind"})}}), Code::kInvalidArgument);
  EXPECT_EQ(code_of(json{{"job_kinds", json::array({"a", "a"})}}), Code::kInvalidArgument);
  EXPECT_EQ(code_of(json{{"attesters", json::array({"nope"})}}), Code::kInvalidArgument);
  EXPECT_EQ(code_of(json{{"foundation", "btt1nope"}}), Code::kInvalidArgument);
  EXPECT_EQ(code_of(json{{"hardware_multipliers", {{"gpu", 0}}}}), Code::kInvalidArgument);
}

TEST(ComputeParams, TestEnvGenesisWritesParams) {
  testkit::TestEnv env;
  ComputeView v(env.ledger_state());
  EXPECT_EQ(v.params().SerializeAsString(), default_params().SerializeAsString());
  EXPECT_EQ(v.next_job_id(), 1u);
  EXPECT_EQ(v.epoch().epoch(), 0u);
}

TEST(ComputeParams, CommitmentBindsResultNodeAndSalt) {
  const auto a = testkit::test_key("a").address;
  const auto b = testkit::test_key("b").address;
  const Bytes r(32, 'r');
  EXPECT_EQ(commitment(r, a, "salt-salt-salt-1").size(), 32u);
  EXPECT_NE(commitment(r, a, "salt-salt-salt-1"), commitment(r, b, "salt-salt-salt-1"));
  EXPECT_NE(commitment(r, a, "salt-salt-salt-1"), commitment(r, a, "salt-salt-salt-2"));
}

}  // namespace
}  // namespace btt::modules::compute

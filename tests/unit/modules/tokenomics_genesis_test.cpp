// The tokenomics genesis section: the default allocation round-trips, and every malformed
// section is refused with a message naming the field.
#include <gtest/gtest.h>

#include "btt/chain/genesis.h"
#include "btt/modules/tokenomics/genesis.h"
#include "testkit/genesis_json.h"
#include "testkit/test_env.h"

namespace btt::modules::tokenomics {
namespace {

using json = nlohmann::json;

constexpr uint64_t kGenesisS = 1'767'225'600;
constexpr uint64_t kBtt = 100'000'000;

class TokenomicsGenesisTest : public ::testing::Test {
 protected:
  crypto::Address who = testkit::test_key("beneficiary").address;
  crypto::Address boss = testkit::test_key("authority").address;
  json section = to_json(default_genesis(kGenesisS, who, boss));

  json& row(std::string_view id) {
    for (auto& r : section["categories"]) {
      if (r["id"] == id) return r;
    }
    throw std::logic_error("no row");
  }
  std::string refusal(uint64_t accounts_btt = 0) {
    auto r = parse_genesis(section, kGenesisS, accounts_btt);
    EXPECT_FALSE(r.is_ok()) << section.dump(1);
    if (r) return "";
    EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
    return r.status().message();
  }
};

TEST_F(TokenomicsGenesisTest, DefaultRoundTripsWithTheTableFigures) {
  auto parsed = parse_genesis(section, kGenesisS, 0);
  ASSERT_TRUE(parsed.is_ok()) << parsed.status().to_string();
  ASSERT_EQ(parsed->rows.size(), 10u);
  EXPECT_EQ(parsed->month_s, 2'592'000u);
  EXPECT_EQ(parsed->milestone_authority, boss);
  EXPECT_EQ(parsed->rows[0].category.id, "china_oral");
  EXPECT_EQ(parsed->rows[0].beneficiary, who);
  EXPECT_EQ(parsed->rows[0].category.vesting->cliff_s, 6 * 2'592'000u);
  EXPECT_EQ(parsed->rows[0].category.vesting->duration_s, 36 * 2'592'000u);
  EXPECT_EQ(parsed->rows[5].category.milestones->duration_s, 48 * 2'592'000u);
  EXPECT_EQ(parsed->rows[6].category.emission->years, 8u);
  EXPECT_EQ(parsed->rows[9].category.id, "treasury");
  EXPECT_TRUE(parsed->rows[9].category.governance_controlled);
  EXPECT_FALSE(parsed->rows[7].category.governance_controlled);  // community: its module
  EXPECT_EQ(to_json(*parsed), section);
}

TEST_F(TokenomicsGenesisTest, CarvedAccountsCategoryMustMatchTheAccountsList) {
  section = to_json(default_genesis(kGenesisS, who, boss, 2'100'000 * kBtt));
  auto parsed = parse_genesis(section, kGenesisS, 2'100'000 * kBtt);
  ASSERT_TRUE(parsed.is_ok()) << parsed.status().to_string();
  EXPECT_EQ(parsed->rows[7].category.share_bps, 1'100u);
  EXPECT_EQ(parsed->rows[8].category.id, "genesis_accounts");
  EXPECT_EQ(parsed->rows[8].category.share_bps, 100u);
  EXPECT_EQ(refusal(2'100'000 * kBtt + 1),
            "the genesis accounts hold 210000000000001 BTT units but the accounts category "
            "allocates 210000000000000 (BTT at genesis comes only from this allocation)");
  // Any amount works: the shares stay within a basis point.
  for (uint64_t units : {uint64_t{1}, 12'345 * kBtt + 67, 25'199'999 * kBtt}) {
    auto p = parse_genesis(to_json(default_genesis(kGenesisS, who, boss, units)), kGenesisS, units);
    EXPECT_TRUE(p.is_ok()) << units << ": " << p.status().to_string();
  }
}

TEST_F(TokenomicsGenesisTest, RefusesMalformedSchedules) {
  EXPECT_EQ(parse_genesis(json(), kGenesisS, 0).status().message(),
            "missing: the tokenomics section allocates the fixed BTT supply and is required");
  row("china_oral")["cliff_months"] = 37;
  EXPECT_EQ(refusal(),
            "allocation 'china_oral': vesting: cliff 95904000 s is longer than the duration "
            "93312000 s");
  section = to_json(default_genesis(kGenesisS, who, boss));
  row("vision_future")["duration_months"] = 0;
  row("vision_future")["cliff_months"] = 0;
  EXPECT_NE(refusal().find("allocation 'vision_future': vesting: duration"), std::string::npos);
  section = to_json(default_genesis(kGenesisS, who, boss));
  row("bellasmile")["beneficiary"] = "btt1qqqq";
  EXPECT_EQ(refusal(), "categories[3].beneficiary: 'btt1qqqq' is not a btt address");
  row("bellasmile").erase("beneficiary");
  EXPECT_EQ(refusal(), "categories[3]: missing field 'beneficiary'");
  section = to_json(default_genesis(kGenesisS, who, boss));
  row("treasury")["kind"] = "lottery";
  EXPECT_EQ(refusal(),
            "categories[9].kind: 'lottery' is not one of vesting, milestones, emission, pool, "
            "accounts");
  row("treasury")["kind"] = "pool";
  row("treasury")["cliff_months"] = 3;
  EXPECT_EQ(refusal(), "categories[9]: unknown field 'cliff_months'");
  row("treasury").erase("cliff_months");
  row("treasury")["spender"] = "anyone";
  EXPECT_EQ(refusal(), "categories[9].spender: 'anyone' is not 'governance' or 'module'");
  section = to_json(default_genesis(kGenesisS, who, boss));
  row("treasury")["amount"] = std::to_string(31'500'000 * kBtt - 1);
  EXPECT_EQ(refusal(),
            "allocation: amounts sum to 20999999999999999 units, 1 below the fixed supply "
            "21000000000000000");
  section = to_json(default_genesis(kGenesisS, who, boss));
  row("mining_rewards")["epoch_seconds"] = "86401";
  EXPECT_NE(refusal().find("mining_rewards"), std::string::npos);
  section = to_json(default_genesis(kGenesisS, who, boss));
  section["typo"] = 1;
  EXPECT_EQ(refusal(), "tokenomics: unknown field 'typo'");
}

TEST_F(TokenomicsGenesisTest, RefusesBadMonthsAuthorityAndCounts) {
  section["month_seconds"] = "0";
  EXPECT_EQ(refusal(), "month_seconds: 0 outside 1..2678400");
  section["month_seconds"] = "2678401";
  EXPECT_EQ(refusal(), "month_seconds: 2678401 outside 1..2678400");
  // A minute-long month (a dev net that shows vesting in an afternoon) is fine.
  section["month_seconds"] = "60";
  auto parsed = parse_genesis(section, kGenesisS, 0);
  ASSERT_TRUE(parsed.is_ok()) << parsed.status().to_string();
  EXPECT_EQ(parsed->rows[0].category.vesting->cliff_s, 360u);

  section = to_json(default_genesis(kGenesisS, who, boss));
  section.erase("milestone_authority");
  EXPECT_EQ(refusal(), "milestone_authority: missing (a milestones category needs one)");

  // A second emission category.
  section = to_json(default_genesis(kGenesisS, who, boss));
  json second = row("mining_rewards");
  second["id"] = "mining_two";
  second["share_bps"] = 1'500;
  second["amount"] = std::to_string(31'500'000 * kBtt);
  for (auto& r : section["categories"]) {
    if (r["id"] == "treasury") r = second;
  }
  EXPECT_EQ(refusal(), "categories: at most one emission category");

  // Seventeen schedules for one beneficiary.
  section = json{{"categories", json::array()}};
  for (int i = 0; i < 17; ++i) {
    section["categories"].push_back({{"id", "row_" + std::string(1, char('a' + i))},
                                     {"name", "Row"},
                                     {"share_bps", 100},
                                     {"amount", std::to_string(2'100'000 * kBtt)},
                                     {"kind", "vesting"},
                                     {"beneficiary", who.to_string()},
                                     {"cliff_months", 1},
                                     {"duration_months", 2}});
  }
  section["categories"].push_back({{"id", "treasury"},
                                   {"name", "Treasury"},
                                   {"share_bps", 8'300},
                                   {"amount", std::to_string(174'300'000 * kBtt)},
                                   {"kind", "pool"},
                                   {"spender", "governance"}});
  EXPECT_EQ(refusal(), "allocation 'row_q': " + who.to_string() +
                           " would be the beneficiary of more than 16 schedules");
}

TEST_F(TokenomicsGenesisTest, GenesisFileRefusesBttMintedOutsideTheAllocation) {
  auto registry = chain::make_default_registry();
  json g = {
      {"chain_id", "btt-test-1"},
      {"genesis_time", "2026-01-01T00:00:00Z"},
      {"validators", {{{"public_key", to_hex(testkit::test_key("v").public_key)}, {"power", "1"}}}},
      {"accounts",
       {{{"address", who.to_string()}, {"balances", {{{"asset", "BTT"}, {"amount", "100"}}}}}}}};
  auto missing = chain::Genesis::parse(g.dump(), *registry);
  ASSERT_FALSE(missing.is_ok());
  EXPECT_EQ(missing.status().message(),
            "genesis: modules.tokenomics: missing: the tokenomics section allocates the fixed BTT "
            "supply and is required");
  g["modules"]["tokenomics"] = section;  // no accounts category, yet the accounts hold 100
  auto doubled = chain::Genesis::parse(g.dump(), *registry);
  ASSERT_FALSE(doubled.is_ok());
  EXPECT_NE(doubled.status().message().find("the genesis accounts hold 100 BTT units"),
            std::string::npos)
      << doubled.status().message();
  auto ok = chain::Genesis::parse(testkit::add_tokenomics(g).dump(), *registry);
  EXPECT_TRUE(ok.is_ok()) << ok.status().to_string();
}

}  // namespace
}  // namespace btt::modules::tokenomics

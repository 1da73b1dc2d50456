#include <gtest/gtest.h>

#include "btt/chain/genesis.h"
#include "btt/chain/validator_history.h"
#include "btt/ledger/ledger.h"
#include "testkit/genesis_json.h"
#include "testkit/test_env.h"

namespace btt::chain {
namespace {

using json = nlohmann::json;

class GenesisTest : public ::testing::Test {
 protected:
  std::unique_ptr<ModuleRegistry> registry = make_default_registry();
  crypto::KeyPair val = testkit::test_key("validator");
  crypto::KeyPair alice = testkit::test_key("alice");

  json valid() const {
    json j = {{"chain_id", "btt-test-1"},
              {"genesis_time", "2026-01-01T00:00:00Z"},
              {"params", {{"min_fee", "1000"}}},
              {"validators",
               {{{"name", "v0"},
                 {"address", val.address.to_string()},
                 {"public_key", to_hex(val.public_key)},
                 {"power", "10"}}}},
              {"accounts",
               {{{"address", alice.address.to_string()},
                 {"balances", {{{"asset", "BTT"}, {"amount", "100000000000"}}}}}}}};
    return testkit::add_tokenomics(j);
  }
  Status parse(const json& j) const { return Genesis::parse(j.dump(), *registry).status(); }
};

TEST_F(GenesisTest, ValidGenesisParses) {
  auto g = Genesis::parse(valid().dump(), *registry);
  ASSERT_TRUE(g.is_ok()) << g.status().to_string();
  EXPECT_EQ(g->chain_id, "btt-test-1");
  EXPECT_EQ(g->genesis_time_ms, 1'767'225'600'000u);
  EXPECT_EQ(g->params.min_fee(), 1000u);
  EXPECT_EQ(g->validators.size(), 1u);
  EXPECT_EQ(g->total("BTT"), 100'000'000'000u);
  // Round trip through to_json parses to the same content.
  auto again = Genesis::parse(g->to_json().dump(), *registry);
  ASSERT_TRUE(again.is_ok()) << again.status().to_string();
  EXPECT_EQ(again->total("BTT"), g->total("BTT"));
}

TEST_F(GenesisTest, InitialHeightAndNoncesStartTheStateWhereAnExportLeftIt) {
  auto j = valid();
  j["initial_height"] = "1235";
  j["accounts"][0]["nonce"] = "17";
  // An account with a nonce and nothing else (all it had was spent).
  j["accounts"].push_back(
      {{"address", val.address.to_string()}, {"balances", json::array()}, {"nonce", "3"}});
  auto g = Genesis::parse(j.dump(), *registry);
  ASSERT_TRUE(g.is_ok()) << g.status().to_string();
  EXPECT_EQ(g->initial_height, 1235u);
  testkit::MemoryState base;
  ledger::Overlay state(base);
  ASSERT_TRUE(init_genesis_state(*g, state, *registry).is_ok());
  const ledger::Ledger ledger(static_cast<const ledger::StateReader&>(state));
  EXPECT_EQ(ledger.next_nonce(alice.address), 17u);
  EXPECT_EQ(ledger.next_nonce(val.address), 3u);
  // to_json keeps both; a new chain's file has neither.
  const json out = g->to_json();
  EXPECT_EQ(out["initial_height"], "1235");
  std::map<std::string, std::string> nonces;
  for (const auto& a : out["accounts"]) nonces[a["address"]] = a.value("nonce", "");
  EXPECT_EQ(nonces[alice.address.to_string()], "17");
  EXPECT_EQ(nonces[val.address.to_string()], "3");
  EXPECT_FALSE(Genesis::parse(valid().dump(), *registry)->to_json().contains("initial_height"));
  for (const char* bad : {"0", "-1", "x"}) {
    auto k = valid();
    k["initial_height"] = bad;
    auto s = parse(k);
    EXPECT_FALSE(s.is_ok()) << bad;
    EXPECT_NE(s.message().find("initial_height"), std::string::npos) << s.message();
  }
  auto k = valid();
  k["accounts"][0]["nonce"] = 1.5;
  EXPECT_NE(parse(k).message().find("accounts[0].nonce"), std::string::npos);
}

TEST_F(GenesisTest, RefusesBadInputWithClearMessages) {
  auto expect_refused = [&](json j, const std::string& needle) {
    auto s = parse(j);
    EXPECT_FALSE(s.is_ok()) << j.dump();
    EXPECT_NE(s.message().find(needle), std::string::npos) << s.message();
  };
  expect_refused(json::parse("[]"), "must be an object");
  {
    auto j = valid();
    j["accounts"][0]["address"] = "btt1qqqq";
    expect_refused(j, "accounts[0].address");
  }
  {
    auto j = valid();
    j["accounts"].push_back(j["accounts"][0]);
    expect_refused(j, "duplicate account");
  }
  {
    auto j = valid();
    j["accounts"][0]["balances"][0]["amount"] = "18446744073709551616";
    expect_refused(j, "exceeds 2^64-1");
  }
  {
    auto j = valid();
    json second = {{"address", val.address.to_string()},
                   {"balances", {{{"asset", "BTT"}, {"amount", "18446744073709551615"}}}}};
    j["accounts"].push_back(second);
    expect_refused(j, "overflows");
  }
  {
    auto j = valid();
    j["accounts"][0]["balances"][0]["amount"] = -5;
    expect_refused(j, "negative");
  }
  {
    auto j = valid();
    j["accounts"][0]["balances"][0]["amount"] = "0";
    expect_refused(j, "positive");
  }
  {
    auto j = valid();
    j["accounts"][0]["balances"][0]["asset"] = "DOGE";
    expect_refused(j, "not registered");
  }
  {
    auto j = valid();
    j["validators"].push_back(j["validators"][0]);
    expect_refused(j, "duplicate validator");
  }
  {
    auto j = valid();
    j["validators"][0]["address"] = alice.address.to_string();
    expect_refused(j, "does not match public_key");
  }
  {
    auto j = valid();
    j["validators"] = json::array();
    expect_refused(j, "at least one validator");
  }
  {
    auto j = valid();
    j["validators"][0]["power"] = "0";
    expect_refused(j, "power");
  }
  {
    auto j = valid();
    j["chain_id"] = "Bad Chain!";
    expect_refused(j, "chain_id");
  }
  {
    auto j = valid();
    j["genesis_time"] = "2026-02-30T00:00:00Z";
    expect_refused(j, "genesis_time");
  }
  {
    auto j = valid();
    j["params"]["max_tx_bytes"] = 10;
    expect_refused(j, "params.max_tx_bytes");
  }
  {
    auto j = valid();
    j["typo_field"] = 1;
    expect_refused(j, "unknown field 'typo_field'");
  }
  {
    auto j = valid();
    j["modules"] = {{"nosuchmodule", json::object()}};
    expect_refused(j, "no module named");
  }
  EXPECT_FALSE(Genesis::parse("{not json", *registry).is_ok());
  {
    auto j = valid();
    j["validators"][0]["name"] = 7;
    expect_refused(j, "must be a string");
  }
  {
    auto j = valid();
    j["accounts"][0]["balances"][0]["asset"] = json::array();
    expect_refused(j, "must be a string");
  }
}

// Fields of the wrong JSON type are refused with the field's name (they used to throw
// nlohmann::json::type_error out of parse and end bttd with std::terminate).
// An export's validator set history (doc/genesis.md, "validator_sets"): written as it is, and
// `validators` is written at initial_height only when no entry is in force there.
TEST_F(GenesisTest, ValidatorSetsAreTheHistoryAnExportCarries) {
  const crypto::KeyPair other = testkit::test_key("other");
  const json val_json = valid()["validators"][0];
  const json other_json = {{"public_key", to_hex(other.public_key)}, {"power", "4"}};
  auto with_sets = [&](json sets, std::string initial_height = "10") {
    auto j = valid();
    j["initial_height"] = std::move(initial_height);
    j["validator_sets"] = std::move(sets);
    return j;
  };
  auto history = [&](const json& file) {
    auto g = Genesis::parse(file.dump(), *registry);
    EXPECT_TRUE(g.is_ok()) << g.status().to_string();
    testkit::MemoryState base;
    ledger::Overlay state(base);
    EXPECT_TRUE(init_genesis_state(*g, state, *registry).is_ok());
    std::vector<std::pair<uint64_t, size_t>> out;
    for (const auto& e : validator_set_history(state)) {
      out.emplace_back(e.from_height, e.validators.size());
    }
    return out;
  };
  using History = std::vector<std::pair<uint64_t, size_t>>;
  // The entry in force at 10 started at 3; the next one (from 11) was set by the last block.
  const json file =
      with_sets(json::array({{{"from_height", "3"}, {"validators", {val_json}}},
                             {{"from_height", "11"}, {"validators", {val_json, other_json}}}}));
  EXPECT_EQ(history(file), (History{{3, 1}, {11, 2}}));
  // Without an entry at or below initial_height, `validators` is the entry of initial_height.
  EXPECT_EQ(history(with_sets(
                json::array({{{"from_height", "11"}, {"validators", {val_json, other_json}}}}))),
            (History{{10, 1}, {11, 2}}));
  EXPECT_EQ(history(valid()), (History{{1, 1}}));
  // to_json writes them back; a new chain's file has none.
  auto g = Genesis::parse(file.dump(), *registry);
  ASSERT_TRUE(g.is_ok());
  const json out = g->to_json();
  ASSERT_EQ(out["validator_sets"].size(), 2u);
  EXPECT_EQ(out["validator_sets"][1]["from_height"], "11");
  EXPECT_EQ(out["validator_sets"][1]["validators"].size(), 2u);
  EXPECT_FALSE(Genesis::parse(valid().dump(), *registry)->to_json().contains("validator_sets"));

  auto refused = [&](const json& j, const std::string& needle) {
    auto s = parse(j);
    ASSERT_FALSE(s.is_ok()) << needle;
    EXPECT_NE(s.message().find(needle), std::string::npos) << s.message();
  };
  refused(with_sets(json::object()), "validator_sets: must be an array");
  refused(with_sets(json::array({{{"from_height", "0"}, {"validators", {val_json}}}})),
          "validator_sets[0].from_height: must be in [1, initial_height + 1]");
  refused(with_sets(json::array({{{"from_height", "12"}, {"validators", {val_json}}}})),
          "validator_sets[0].from_height: must be in [1, initial_height + 1]");
  refused(with_sets(json::array({{{"from_height", "5"}, {"validators", {val_json}}},
                                 {{"from_height", "5"}, {"validators", {val_json}}}})),
          "validator_sets[1].from_height: must be above the previous entry's");
  refused(with_sets(json::array({{{"validators", {val_json}}}})), "validator_sets[0].from_height");
  refused(with_sets(json::array({{{"from_height", "5"}, {"validators", json::array()}}})),
          "validator_sets[0].validators: at least one validator is required");
  json zero = other_json;
  zero["power"] = "0";
  refused(with_sets(json::array({{{"from_height", "5"}, {"validators", {zero}}}})),
          "validator_sets[0].validators[0].power: must be positive");
  refused(with_sets(json::array({{{"from_height", "5"}, {"validators", {val_json}}, {"x", 1}}})),
          "validator_sets[0]: unknown field 'x'");
  // The entry in force at initial_height must be `validators`.
  refused(with_sets(json::array({{{"from_height", "4"}, {"validators", {other_json}}}})),
          "is not the set of `validators`");
  json renamed = val_json;
  renamed["name"] = "another name";
  refused(with_sets(json::array({{{"from_height", "10"}, {"validators", {renamed}}}})),
          "is not the set of `validators`");
}

TEST_F(GenesisTest, RefusesWrongTypesInsteadOfThrowing) {
  auto expect_refused = [&](json j, const std::string& needle) {
    Status s;
    EXPECT_NO_THROW(s = parse(j)) << j.dump();
    EXPECT_FALSE(s.is_ok()) << j.dump();
    EXPECT_EQ(s.code(), Code::kInvalidArgument);
    EXPECT_NE(s.message().find(needle), std::string::npos) << s.message();
  };
  {
    auto j = valid();
    j["validators"][0]["name"] = 7;
    expect_refused(j, "validators[0].name: must be a string");
  }
  {
    auto j = valid();
    j["accounts"][0]["balances"][0]["asset"] = json::array();
    expect_refused(j, "accounts[0].balances[0].asset: must be a string");
  }
  for (const json& bad : {json(5), json(true), json::object(), json::array(), json()}) {
    for (const char* field :
         {"chain_id", "genesis_time", "params", "assets", "validators", "accounts", "modules"}) {
      auto j = valid();
      j[field] = bad;
      Status s;
      EXPECT_NO_THROW(s = parse(j)) << j.dump();
      if (std::string(field) != "params" && std::string(field) != "modules" &&
          std::string(field) != "accounts" && std::string(field) != "assets") {
        EXPECT_FALSE(s.is_ok()) << j.dump();
      }
    }
  }
}

// Deeply nested JSON is refused before parsing: copying or dumping it (recursive in
// nlohmann::json) would overflow the stack and crash bttd at start.
TEST_F(GenesisTest, RefusesDeepNesting) {
  std::string deep(100'000, '[');
  deep.append(100'000, ']');
  std::string text = valid().dump();
  text.pop_back();
  text += R"(,"modules":{"bank":)" + deep + "}}";
  auto g = Genesis::parse(text, *registry);
  ASSERT_FALSE(g.is_ok());
  EXPECT_NE(g.status().message().find("nest deeper than 64"), std::string::npos)
      << g.status().message();
  // Brackets inside strings do not count, and ordinary nesting is fine.
  auto j = valid();
  j["validators"][0]["name"] = std::string(60, '[');
  j["modules"]["bank"] = {{"a", {{"b", {{"c", json::array({json::array({1})})}}}}}};
  auto ok = Genesis::parse(j.dump(), *registry);
  EXPECT_TRUE(ok.is_ok()) << ok.status().to_string();
}

TEST(Rfc3339, ParsesAndFormats) {
  EXPECT_EQ(parse_rfc3339_ms("1970-01-01T00:00:00Z").value(), 0u);
  EXPECT_EQ(parse_rfc3339_ms("2026-01-01T00:00:00Z").value(), 1'767'225'600'000u);
  EXPECT_EQ(parse_rfc3339_ms("2024-02-29T12:00:00.5Z").value(), 1'709'208'000'500u);
  EXPECT_FALSE(parse_rfc3339_ms("2023-02-29T00:00:00Z").has_value());
  EXPECT_FALSE(parse_rfc3339_ms("2026-01-01 00:00:00").has_value());
  EXPECT_FALSE(parse_rfc3339_ms("2026-01-01T00:00:00+01:00").has_value());
  EXPECT_EQ(format_rfc3339_ms(1'709'208'000'500u), "2024-02-29T12:00:00.500Z");
  EXPECT_EQ(format_rfc3339_ms(1'767'225'600'000u), "2026-01-01T00:00:00Z");
}

}  // namespace
}  // namespace btt::chain

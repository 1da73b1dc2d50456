// Oracle module: posts by price_oracle holders only, refusals with their details, a feeder's
// post replacing its earlier one, the median of 1..4 feeders exactly (even: the lower middle),
// stale and revoked posts ignored, min_posts, exact conversion and its overflow, history
// pruned to max_history, params through the generic path, genesis export round trip.
#include <gtest/gtest.h>

#include "btt/chain/params.h"
#include "btt/common/amount.h"
#include "btt/modules/oracle/errors.h"
#include "btt/modules/oracle/oracle.h"
#include "btt/modules/oracle/view.h"
#include "btt/modules/roles/roles.h"
#include "testkit/test_env.h"

namespace btt::testkit {
namespace {

namespace orc = modules::oracle;
namespace roles = modules::roles;
constexpr uint64_t kBtt = kUnitsPerBtt;

v1::Message post_msg(const std::string& base, const std::string& quote, uint64_t num,
                     uint64_t den) {
  v1::Message m;
  auto* p = m.mutable_post_price();
  p->set_base(base);
  p->set_quote(quote);
  p->set_num(num);
  p->set_den(den);
  return m;
}

v1::Message role_msg(bool grant, std::string_view role, const Account& to) {
  v1::Message m;
  if (grant) {
    m.mutable_grant_role()->set_role(std::string(role));
    m.mutable_grant_role()->set_address(to.addr());
  } else {
    m.mutable_revoke_role()->set_role(std::string(role));
    m.mutable_revoke_role()->set_address(to.addr());
  }
  return m;
}

orc::Price rational(uint64_t num, uint64_t den) {
  orc::Price p;
  p.num = num;
  p.den = den;
  return p;
}

nlohmann::json oracle_sections(const nlohmann::json& params = nlohmann::json::object()) {
  if (params.empty()) return nlohmann::json::object();
  return {{"oracle", {{"params", params}}}};
}

class OracleTest : public ::testing::Test {
 protected:
  explicit OracleTest(const nlohmann::json& params = nlohmann::json::object())
      : env(oracle_sections(params)) {
    for (const char* name : {"f1", "f2", "f3", "f4"}) {
      const Account& f = env.account(name, 10 * kBtt);
      env.apply(env.tx(admin).message(role_msg(true, roles::kPriceOracle, f)).sign());
      feeders.push_back(&f);
    }
    env.close_block();
  }

  chain::TxOutcome post(const Account& from, uint64_t num, uint64_t den, Code expected = Code::kOk,
                        const std::string& base = "BTT", const std::string& quote = "CNY") {
    return env.apply(env.tx(from).message(post_msg(base, quote, num, den)).sign(), expected);
  }
  orc::OracleView view() { return orc::OracleView(env.ledger_state()); }
  Result<orc::Price> price(uint64_t time_ms) {
    return orc::price_in_force(env.ledger_state(), "BTT", "CNY", time_ms);
  }
  Result<orc::Price> price_now() { return price(env.time_ms()); }

  TestEnv env;
  const Account& admin = env.account(TestEnv::kRoleAdmin);
  const Account& outsider = env.account("outsider", 10 * kBtt);
  std::vector<const Account*> feeders;
};

TEST_F(OracleTest, AFeederPostsAndThePostIsStampedWithTheBlock) {
  // 1 BTT = 10^8 base units costs 0.35 CNY = 35 fen: num/den = 35 / 10^8.
  auto out = post(*feeders[0], 35, kBtt);
  ASSERT_EQ(out.events.size(), 2u);  // the fee, then the post
  const auto& e = out.events[1];
  EXPECT_EQ(e.type(), "oracle.price_posted");
  EXPECT_EQ(ledger::attribute(e, "base"), "BTT");
  EXPECT_EQ(ledger::attribute(e, "quote"), "CNY");
  EXPECT_EQ(ledger::attribute(e, "feeder"), feeders[0]->addr());
  EXPECT_EQ(ledger::attribute(e, "num"), "35");
  EXPECT_EQ(ledger::attribute(e, "den"), "100000000");
  EXPECT_EQ(ledger::attribute(e, "seq"), "1");
  EXPECT_EQ(ledger::attribute(e, "pruned"), "0");
  auto p = view().post("BTT", "CNY", feeders[0]->address());
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->num(), 35u);
  EXPECT_EQ(p->den(), kBtt);
  EXPECT_EQ(p->time_ms(), env.time_ms());
  EXPECT_EQ(p->height(), env.height());
  EXPECT_EQ(p->seq(), 1u);
  auto pr = price_now();
  ASSERT_TRUE(pr.is_ok()) << pr.status().to_string();
  EXPECT_EQ(pr->num, 35u);
  EXPECT_EQ(pr->den, kBtt);
  EXPECT_EQ(pr->posts, 1u);
  EXPECT_EQ(pr->oldest_time_ms, env.time_ms());
  EXPECT_EQ(pr->median_feeder, feeders[0]->address());
  // 10 BTT convert to exactly 350 fen.
  EXPECT_EQ(*orc::convert(10 * kBtt, *pr), 350u);
  ASSERT_EQ(view().pairs().size(), 1u);
  EXPECT_EQ(view().pairs()[0].next_seq(), 2u);
  env.close_block();
}

TEST_F(OracleTest, ANonFeederIsRefusedAndPaysOnlyTheFee) {
  const uint64_t before = env.balance(outsider);
  auto out = post(outsider, 35, kBtt, Code::kUnauthorized);
  EXPECT_EQ(out.status.detail(), orc::errors::kNotPriceOracle.detail);
  EXPECT_NE(out.status.message().find("does not hold price_oracle"), std::string::npos);
  EXPECT_EQ(out.fee_paid, env.params().min_fee());
  EXPECT_EQ(env.balance(outsider), before - out.fee_paid);
  EXPECT_TRUE(view().pairs().empty());
  EXPECT_TRUE(view().posts("BTT", "CNY").empty());
  // A revoked feeder is refused from then on.
  env.apply(env.tx(admin).message(role_msg(false, roles::kPriceOracle, *feeders[3])).sign());
  out = post(*feeders[3], 35, kBtt, Code::kUnauthorized);
  EXPECT_EQ(out.status.detail(), orc::errors::kNotPriceOracle.detail);
  env.close_block();
}

TEST_F(OracleTest, BadPairsAndPricesNeverEnterABlock) {
  struct Case {
    std::string base, quote;
    uint64_t num, den;
    uint32_t detail;
  };
  const uint32_t pair = orc::errors::kBadPair.detail, bad_price = orc::errors::kBadPrice.detail;
  for (const auto& c : std::vector<Case>{{"BTT", "BTT", 1, 1, pair},
                                         {"", "CNY", 1, 1, pair},
                                         {"BTT", "9X", 1, 1, pair},
                                         {"BTT", "C NY", 1, 1, pair},
                                         {"BTT", "CNY", 0, 1, bad_price},
                                         {"BTT", "CNY", 1, 0, bad_price}}) {
    auto out = post(*feeders[0], c.num, c.den, Code::kInvalidArgument, c.base, c.quote);
    EXPECT_EQ(out.status.detail(), c.detail) << c.base << "/" << c.quote;
    EXPECT_FALSE(out.included);
  }
  EXPECT_TRUE(view().pairs().empty());
  // An unregistered quote (a fiat code) is fine.
  post(*feeders[0], 1, 1, Code::kOk, "BTT", "USD");
  EXPECT_EQ(orc::price_in_force(env.ledger_state(), "BTT", "BTT", env.time_ms()).status().detail(),
            pair);
  env.close_block();
}

TEST_F(OracleTest, AFeedersNewPostReplacesItsEarlierOne) {
  post(*feeders[0], 35, kBtt);
  env.close_block();
  post(*feeders[0], 36, kBtt);
  const auto posts = view().posts("BTT", "CNY");
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].num(), 36u);
  EXPECT_EQ(posts[0].seq(), 2u);
  EXPECT_EQ(posts[0].height(), env.height());
  const auto history = view().history("BTT", "CNY");
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].num(), 35u);
  EXPECT_EQ(history[1].num(), 36u);
  EXPECT_EQ(price_now()->num, 36u);
  env.close_block();
}

TEST_F(OracleTest, TheMedianOfOneToFourFeedersEvenTakesTheLower) {
  // f1 0.30, then f2 0.40: two posts, the lower middle 0.30.
  post(*feeders[0], 30, 100);
  EXPECT_EQ(price_now()->num, 30u);
  post(*feeders[1], 40, 100);
  auto p = price_now();
  EXPECT_EQ(p->num, 30u);
  EXPECT_EQ(p->den, 100u);
  EXPECT_EQ(p->posts, 2u);
  EXPECT_EQ(p->median_feeder, feeders[0]->address());
  // f3 0.35 as 7/20: three posts, the middle one, kept exactly as posted.
  post(*feeders[2], 7, 20);
  p = price_now();
  EXPECT_EQ(p->num, 7u);
  EXPECT_EQ(p->den, 20u);
  EXPECT_EQ(p->posts, 3u);
  // f4 1.00: 0.30 < 0.35 < 0.40 < 1.00, the lower middle is 0.35.
  post(*feeders[3], 1, 1);
  p = price_now();
  EXPECT_EQ(p->num, 7u);
  EXPECT_EQ(p->den, 20u);
  EXPECT_EQ(p->posts, 4u);
  EXPECT_EQ(p->median_feeder, feeders[2]->address());
  // f4 down to 0.01: 0.01 < 0.30 < 0.35 < 0.40, the lower middle is 0.30.
  post(*feeders[3], 1, 100);
  EXPECT_EQ(price_now()->num, 30u);
  env.close_block();
}

TEST_F(OracleTest, EqualValuesAreOrderedByFeederAddress) {
  // 3/10 = 30/100 = 6/20: the median of three equal values is the middle feeder by address.
  post(*feeders[0], 3, 10);
  post(*feeders[1], 30, 100);
  post(*feeders[2], 6, 20);
  std::vector<const Account*> by_addr(feeders.begin(), feeders.begin() + 3);
  std::sort(by_addr.begin(), by_addr.end(),
            [](const Account* a, const Account* b) { return a->address() < b->address(); });
  auto p = price_now();
  EXPECT_EQ(p->median_feeder, by_addr[1]->address());
  EXPECT_TRUE(!orc::price_less(3, 10, 30, 100) && !orc::price_less(30, 100, 3, 10));
  EXPECT_TRUE(orc::price_less(UINT64_MAX - 1, UINT64_MAX, 1, 1));  // exact in 128 bits
  env.close_block();
}

TEST_F(OracleTest, StaleAndRevokedPostsAreIgnoredNeverDeleted) {
  post(*feeders[0], 30, 100);
  const uint64_t t0 = env.time_ms();
  env.close_block();
  post(*feeders[1], 40, 100);
  const uint64_t t1 = env.time_ms();
  // Default max_age 300,000 ms: f1's post counts until t0 + 299,999.
  EXPECT_EQ(price(t0 + 299'999)->posts, 2u);
  auto p = price(t0 + 300'000);
  ASSERT_TRUE(p.is_ok());
  EXPECT_EQ(p->posts, 1u);
  EXPECT_EQ(p->num, 40u);
  EXPECT_EQ(p->oldest_time_ms, t1);
  // A post after the time asked about does not count.
  EXPECT_EQ(price(t0)->posts, 1u);
  EXPECT_EQ(price(t0)->num, 30u);
  auto none = price(t1 + 300'000);
  EXPECT_EQ(none.status().code(), Code::kWrongState);
  EXPECT_EQ(none.status().detail(), orc::errors::kNoPrice.detail);
  EXPECT_EQ(view().posts("BTT", "CNY").size(), 2u);  // the query deletes nothing
  // Revoking f2 takes its post out of the price.
  env.apply(env.tx(admin).message(role_msg(false, roles::kPriceOracle, *feeders[1])).sign());
  EXPECT_EQ(price(t1)->posts, 1u);
  EXPECT_EQ(price(t1)->num, 30u);
  env.close_block();
}

class OracleMinPostsTest : public OracleTest {
 protected:
  OracleMinPostsTest() : OracleTest(nlohmann::json{{"min_posts", 3}, {"max_history", 3}}) {}
};

TEST_F(OracleMinPostsTest, FewerThanMinPostsIsNoPriceNamingTheCount) {
  post(*feeders[0], 30, 100);
  post(*feeders[1], 40, 100);
  auto p = price_now();
  ASSERT_FALSE(p.is_ok());
  EXPECT_EQ(p.status().detail(), orc::errors::kNoPrice.detail);
  EXPECT_NE(p.status().message().find("BTT/CNY"), std::string::npos) << p.status().message();
  EXPECT_NE(p.status().message().find("2 fresh posts, min_posts is 3"), std::string::npos)
      << p.status().message();
  post(*feeders[2], 35, 100);
  EXPECT_EQ(price_now()->num, 35u);
  // Another pair has no price at all.
  EXPECT_EQ(orc::price_in_force(env.ledger_state(), "CNY", "BTT", env.time_ms()).status().detail(),
            orc::errors::kNoPrice.detail);
  env.close_block();
}

TEST_F(OracleMinPostsTest, HistoryIsPrunedToMaxHistoryAtPostTime) {
  for (uint64_t n = 1; n <= 5; ++n) {
    auto out = post(*feeders[0], n, 100);
    EXPECT_EQ(ledger::attribute(out.events[1], "seq"), std::to_string(n));
    EXPECT_EQ(ledger::attribute(out.events[1], "pruned"), n > 3 ? "1" : "0");
  }
  auto h = view().history("BTT", "CNY");
  ASSERT_EQ(h.size(), 3u);
  EXPECT_EQ(h[0].seq(), 3u);
  EXPECT_EQ(h[2].seq(), 5u);
  auto pair = view().pair("BTT", "CNY");
  EXPECT_EQ(pair->oldest_seq(), 3u);
  EXPECT_EQ(pair->next_seq(), 6u);
  // Paging: two, then the last.
  v1::ListHistoryRequest req;
  req.set_base("BTT");
  req.set_quote("CNY");
  req.set_limit(2);
  auto page = view().list_history(req);
  ASSERT_TRUE(page.is_ok());
  ASSERT_EQ(page->history_size(), 2);
  EXPECT_EQ(page->history(0).seq(), 3u);
  EXPECT_EQ(page->next_start_after(), 4u);
  req.set_start_after(4);
  page = view().list_history(req);
  ASSERT_EQ(page->history_size(), 1);
  EXPECT_EQ(page->history(0).seq(), 5u);
  EXPECT_EQ(page->next_start_after(), 0u);
  req.set_limit(1001);
  EXPECT_EQ(view().list_history(req).status().code(), Code::kInvalidArgument);
  env.close_block();
}

TEST_F(OracleTest, ConvertIsExactAndRefusesOverflow) {
  const orc::Price p = rational(35, kBtt);
  EXPECT_EQ(*orc::convert(0, p), 0u);
  EXPECT_EQ(*orc::convert(kBtt - 1, p), 34u);  // floor(34.99999965)
  EXPECT_EQ(*orc::convert(3 * kBtt, p), 105u);
  EXPECT_EQ(*orc::convert(UINT64_MAX, rational(3, 3)), UINT64_MAX);  // 128-bit product
  auto over = orc::convert(2, rational(UINT64_MAX, 1));
  EXPECT_EQ(over.status().detail(), orc::errors::kConversionOverflow.detail);
  EXPECT_EQ(over.status().code(), Code::kBalanceOverflow);
  EXPECT_EQ(orc::convert(1, rational(1, 0)).status().detail(), orc::errors::kBadPrice.detail);
}

TEST_F(OracleTest, ParamsChangeThroughTheGenericPathAndBadValuesAreRefused) {
  auto set = [&](const std::string& json) {
    return chain::set_params_json(env.registry(), env.ledger_state(), env.direct_events(), "oracle",
                                  json);
  };
  EXPECT_EQ(view().params().max_age_ms(), 300'000u);
  EXPECT_EQ(view().params().min_posts(), 1u);
  EXPECT_EQ(view().params().max_history(), 100u);
  for (const char* bad : {R"({"max_age_ms": "0", "min_posts": 1, "max_history": 10})",
                          R"({"max_age_ms": "1000", "min_posts": 0, "max_history": 10})",
                          R"({"max_age_ms": "1000", "min_posts": 1, "max_history": 0})",
                          R"({"max_age_ms": "1000", "min_posts": 1, "max_history": 10001})"}) {
    auto s = set(bad);
    EXPECT_EQ(s.code(), Code::kInvalidArgument) << bad;
    // The generic path refuses with the module's message (validate_params, bad_params).
    EXPECT_NE(s.message().find("oracle params refused: oracle params: "), std::string::npos)
        << s.message();
  }
  EXPECT_EQ(set(R"({"max_age": "1000"})").code(), Code::kInvalidArgument);  // unknown field
  EXPECT_EQ(view().params().max_age_ms(), 300'000u);
  for (uint64_t n = 1; n <= 3; ++n) post(*feeders[0], n, 100);
  ASSERT_TRUE(set(R"({"max_age_ms": "1000", "min_posts": 1, "max_history": 1})").is_ok());
  EXPECT_EQ(view().params().max_age_ms(), 1'000u);
  // A lower max_history takes effect at the pair's next post (the invariants hold meanwhile).
  EXPECT_TRUE(env.invariant_violations().empty());
  EXPECT_EQ(view().history("BTT", "CNY").size(), 3u);
  auto out = post(*feeders[0], 4, 100);
  EXPECT_EQ(ledger::attribute(out.events[1], "pruned"), "3");
  EXPECT_EQ(view().history("BTT", "CNY").size(), 1u);
  // max_age 1 s: the post is stale 1,000 ms on.
  EXPECT_TRUE(price(env.time_ms() + 999).is_ok());
  EXPECT_FALSE(price(env.time_ms() + 1'000).is_ok());
  env.close_block();
}

TEST_F(OracleTest, GenesisExportReimportsToTheSameBytes) {
  const auto* module = env.registry().find("oracle");
  ASSERT_NE(module, nullptr);
  // Nothing posted and no params stored: no section.
  auto empty_export = module->export_genesis(env.ledger_state());
  ASSERT_TRUE(empty_export.is_ok());
  EXPECT_TRUE(empty_export->is_null());
  post(*feeders[0], 30, 100);
  post(*feeders[1], 40, 100);
  post(*feeders[0], 31, 100, Code::kOk, "BTT", "USD");
  env.close_block();
  post(*feeders[0], 32, 100);
  env.close_block();
  auto exported = module->export_genesis(env.ledger_state());
  ASSERT_TRUE(exported.is_ok()) << exported.status().to_string();
  ASSERT_TRUE(exported->contains("state"));
  EXPECT_EQ((*exported)["state"]["pairs"].size(), 2u);
  EXPECT_EQ((*exported)["state"]["posts"].size(), 3u);
  EXPECT_EQ((*exported)["state"]["history"].size(), 4u);
  EXPECT_FALSE((*exported)["state"].contains("params"));  // never stored

  MemoryState empty;
  ledger::Overlay fresh(empty);
  ledger::Events events;
  ledger::BlockInfo block{"btt-test", 0, 0, 0, {}, {}, {}, {}};
  ledger::BlockContext ctx{block, fresh, events, nullptr};
  auto copy = orc::make_oracle_module();
  ASSERT_TRUE(copy->validate_genesis(*exported, {}).is_ok());
  ASSERT_TRUE(copy->init_genesis(*exported, {}, ctx).is_ok());
  std::map<Bytes, Bytes> original, imported;
  env.ledger_state().scan("orc/", [&](std::string_view k, std::string_view v) {
    original.emplace(Bytes(k), Bytes(v));
    return true;
  });
  fresh.scan("orc/", [&](std::string_view k, std::string_view v) {
    imported.emplace(Bytes(k), Bytes(v));
    return true;
  });
  EXPECT_EQ(original, imported);
  EXPECT_TRUE(copy->check_invariants(fresh).empty());
  auto again = copy->export_genesis(fresh);
  ASSERT_TRUE(again.is_ok());
  EXPECT_EQ(again->dump(), exported->dump());
}

TEST(OracleGenesis, RefusesBadSectionsWithTheField) {
  auto m = orc::make_oracle_module();
  auto refused = [&](const nlohmann::json& s, const std::string& what) {
    auto st = m->validate_genesis(s, {});
    EXPECT_FALSE(st.is_ok()) << s.dump();
    EXPECT_TRUE(st.detail() == orc::errors::kBadGenesis.detail ||
                st.detail() == orc::errors::kBadParams.detail)
        << st.to_string();
    EXPECT_NE(st.message().find(what), std::string::npos) << st.to_string();
  };
  EXPECT_TRUE(m->validate_genesis(nlohmann::json(), {}).is_ok());
  EXPECT_TRUE(m->validate_genesis({{"params", {{"min_posts", 3}}}}, {}).is_ok());
  refused({{"params", {{"min_posts", 0}}}}, "min_posts");
  refused({{"params", {{"max_ages", "1"}}}}, "max_ages");
  refused({{"other", 1}}, "other");
  const std::string feeder = test_key("f").address.to_string();
  nlohmann::json pair = {{"base", "BTT"},
                         {"quote", "CNY"},
                         {"next_seq", "2"},
                         {"oldest_seq", "1"},
                         {"history_limit", "10"}};
  nlohmann::json post = {{"base", "BTT"}, {"quote", "CNY"}, {"feeder", feeder}, {"num", "1"},
                         {"den", "2"},    {"time_ms", "5"}, {"height", "1"},    {"seq", "1"}};
  nlohmann::json good = {{"state", {{"pairs", {pair}}, {"posts", {post}}, {"history", {post}}}}};
  EXPECT_TRUE(m->validate_genesis(good, {}).is_ok()) << m->validate_genesis(good, {}).to_string();
  auto with = [&](const char* table, const char* field, const nlohmann::json& v) {
    auto g = good;
    g["state"][table][0][field] = v;
    return g;
  };
  refused(with("posts", "den", "0"), "den > 0");
  refused(with("posts", "feeder", "nobody"), "feeder is not an address");
  refused(with("history", "seq", "2"), "seq outside");
  refused(with("pairs", "quote", "BTT"), "same base and quote");
  refused(with("pairs", "history_limit", "0"), "above its limit");
  auto no_history = good;
  no_history["state"]["history"] = nlohmann::json::array();
  refused(no_history, "history entries");
}

}  // namespace
}  // namespace btt::testkit

// A tokenized imaging suite on a real bttd (bttd init --dev, an rwa section and the dev key as
// KYC attester and valuer), all of it through btt-cli: claims, issuance with the minting fee and
// its burn, a refused transfer naming its rule, a transfer, the compliance query, a freeze, a
// revaluation, a distribution claimed, a bank transfer of fractions refused, and the exchange: a
// resting sell filled by an IOC buy with the taker's fee, a pool, a quoted swap, LP shares.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "testkit/process.h"
#include "testkit/temp_dir.h"

namespace btt::testkit {
namespace {

using Json = nlohmann::json;

constexpr const char* kChainId = "btt-rwa-e2e";
constexpr uint64_t kBtt = 100'000'000;
const std::string kHash(64, 'a');

class RwaNodeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ = dir_.path() / "node";
    auto r = run_command(
        {bttd_path(), "init", "--home", home_.string(), "--chain-id", kChainId, "--dev"});
    ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
    dev_key_ = (home_ / "keys" / "dev.json").string();
    const auto genesis_path = home_ / "genesis.json";
    Json g;
    {
      std::ifstream in(genesis_path);
      g = Json::parse(in);
    }
    const std::string dev = g["modules"]["roles"]["grants"][0].value("address", "");
    for (const char* role : {"kyc_attester", "asset_valuer"}) {
      g["modules"]["roles"]["grants"].push_back({{"address", dev}, {"role", role}});
    }
    g["modules"]["rwa"] = {{"params", Json::object()}};
    {
      std::ofstream out(genesis_path);
      out << g.dump(2) << "\n";
    }
    dev_ = dev;
    node_ = std::make_unique<NodeProcess>(home_, free_port());
    node_->start();
  }
  void TearDown() override {
    if (HasFailure() && node_) std::cerr << "bttd log tail:\n" << node_->log_tail() << "\n";
  }

  CommandResult raw(std::vector<std::string> args) {
    args.push_back("--json");
    std::vector<std::string> argv = {btt_cli_path(), "--node", node_->address()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_command(argv, 60);
  }
  Json cli(std::vector<std::string> args) {
    auto r = raw(args);
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    try {
      return Json::parse(r.out);
    } catch (const std::exception&) {
      ADD_FAILURE() << "not JSON: " << r.out;
      return Json::object();
    }
  }
  Json tx(const std::string& key, std::vector<std::string> args, uint64_t code = 0) {
    args.insert(args.end(), {"--key", key, "--wait"});
    auto r = raw(args);
    Json out;
    try {
      out = Json::parse(r.out.empty() ? r.err : r.out);
    } catch (const std::exception&) {
    }
    if (code == 0) {
      EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
      EXPECT_EQ(out.value("code", 99u), 0u) << r.out << r.err;
    } else {
      EXPECT_NE(r.exit_code, 0) << r.out << r.err;
      EXPECT_NE((r.out + r.err).find(std::to_string(code)), std::string::npos) << r.out << r.err;
    }
    return out;
  }
  std::pair<std::string, std::string> new_key(const std::string& name) {
    const std::string path = (dir_.path() / (name + ".json")).string();
    const Json k = cli({"keygen", "--out", path});
    return {path, k.value("address", "")};
  }
  uint64_t num(const Json& j, const char* key) {
    if (!j.contains(key)) return 0;
    const auto& v = j[key];
    return v.is_string() ? std::stoull(v.get<std::string>()) : v.get<uint64_t>();
  }
  uint64_t balance(const std::string& addr, const std::string& asset) {
    return num(cli({"balance", addr, "--asset", asset}), "amount");
  }
  void verify(const std::string& who) {
    tx(dev_key_, {"rwa", "set-claim", "--account", who, "--kyc", "--country", "DE", "--expiry-ms",
                  "99999999999999", "--record-hash", kHash});
  }

  TempDir dir_{"btt-rwa"};
  std::filesystem::path home_;
  std::string dev_key_;
  std::string dev_;
  std::unique_ptr<NodeProcess> node_;
};

TEST_F(RwaNodeTest, AnImagingSuiteIsIssuedTradedServicedThroughTheCli) {
  const auto [clinic_key, clinic] = new_key("clinic");
  const auto [alice_key, alice] = new_key("alice");
  tx(dev_key_, {"send", "--to", clinic, "--amount", std::to_string(100 * kBtt)});
  tx(dev_key_, {"send", "--to", alice, "--amount", std::to_string(10 * kBtt)});
  verify(clinic);
  const uint64_t before = balance(clinic, "BTT");
  // 2% of 50 BTT = 1 BTT: half burned, half to the treasury.
  const Json reg = tx(clinic_key, {"rwa",
                                   "register",
                                   "--asset-class",
                                   "equipment",
                                   "--name",
                                   "Imaging suite",
                                   "--symbol",
                                   "IMG",
                                   "--total-fractions",
                                   "1000",
                                   "--tier",
                                   "2",
                                   "--appraised-value",
                                   std::to_string(50 * kBtt),
                                   "--currency",
                                   "BTT",
                                   "--valuer",
                                   dev_,
                                   "--appraisal-hash",
                                   kHash,
                                   "--rules-require-kyc"});
  EXPECT_EQ(balance(clinic, "BTT"), before - num(reg["result"], "fee_paid") - kBtt);
  EXPECT_EQ(balance(clinic, "rwa/IMG"), 1000u);

  const Json check =
      cli({"rwa", "check", "--asset", "IMG", "--from", clinic, "--to", alice, "--amount", "10"});
  EXPECT_EQ(check.value("rule", ""), "compliance_kyc_required") << check.dump(2);
  tx(clinic_key, {"rwa", "transfer", "--asset", "rwa/IMG", "--to", alice, "--amount", "10"}, 9014);
  verify(alice);
  tx(clinic_key, {"rwa", "transfer", "--asset", "rwa/IMG", "--to", alice, "--amount", "100"});
  EXPECT_EQ(balance(alice, "rwa/IMG"), 100u);
  // Bank cannot move fractions.
  tx(alice_key, {"send", "--to", clinic, "--amount", "1", "--asset", "rwa/IMG"}, 303);

  tx(clinic_key,
     {"rwa", "set-agent", "--asset", "rwa/IMG", "--agent", clinic, "--freeze", "--force"});
  tx(clinic_key, {"rwa", "freeze", "--asset", "rwa/IMG", "--account", alice, "--amount", "40",
                  "--reason-code", "4"});
  tx(alice_key, {"rwa", "transfer", "--asset", "rwa/IMG", "--to", clinic, "--amount", "61"}, 9013);
  const Json holders = cli({"rwa", "holders", "--asset", "IMG"});
  ASSERT_EQ(holders["holders"].size(), 2u) << holders.dump(2);

  tx(dev_key_, {"rwa", "revalue", "--asset", "rwa/IMG", "--appraised-value",
                std::to_string(60 * kBtt), "--report-hash", kHash});
  const Json nav = cli({"rwa", "nav", "--asset", "IMG"});
  EXPECT_EQ(nav["appraisals"].size(), 2u) << nav.dump(2);

  tx(clinic_key, {"rwa", "deposit-distribution", "--asset", "rwa/IMG", "--pay-asset", "BTT",
                  "--amount", std::to_string(10 * kBtt)});
  const Json claimable = cli({"rwa", "claimable", "--distribution-id", "1", "--account", alice});
  EXPECT_EQ(num(claimable, "amount"), kBtt) << claimable.dump(2);  // 100 of 1000 fractions
  const uint64_t alice_btt = balance(alice, "BTT");
  const Json claim = tx(alice_key, {"rwa", "claim-distribution", "--distribution-id", "1"});
  EXPECT_EQ(balance(alice, "BTT"), alice_btt - num(claim["result"], "fee_paid") + kBtt);

  // The exchange: Alice rests a sell of 20 of her 60 free fractions at 1,000 base units; the
  // clinic's IOC buy fills it at her price and pays the 0.5% fee (100) to the treasury.
  tx(alice_key, {"rwa", "place-order", "--asset", "rwa/IMG", "--quote-asset", "BTT", "--side",
                 "sell", "--price", "1000", "--amount", "20"});
  const Json book = cli({"rwa", "book", "--asset", "IMG"});
  ASSERT_EQ(book["asks"].size(), 1u) << book.dump(2);
  EXPECT_EQ(num(book["asks"][0], "amount"), 20u);
  tx(alice_key, {"rwa", "transfer", "--asset", "rwa/IMG", "--to", clinic, "--amount", "41"}, 9021);
  const uint64_t alice_before = balance(alice, "BTT");
  tx(clinic_key, {"rwa", "place-order", "--asset", "rwa/IMG", "--quote-asset", "BTT", "--side",
                  "buy", "--price", "1000", "--amount", "20", "--time-in-force", "ioc"});
  EXPECT_EQ(balance(alice, "BTT"), alice_before + 20'000);
  EXPECT_EQ(balance(alice, "rwa/IMG"), 80u);
  const Json trades = cli({"rwa", "trades", "--asset", "IMG"});
  ASSERT_EQ(trades["trades"].size(), 1u) << trades.dump(2);
  EXPECT_EQ(num(trades["trades"][0], "fee"), 100u);
  const Json orders = cli({"rwa", "orders", "--account", alice});
  EXPECT_EQ(orders.value("orders", Json::array()).size(), 0u) << orders.dump(2);

  // A pool: 100 fractions and 100,000 base units; Alice swaps 10,000 units for fractions.
  tx(clinic_key, {"rwa", "create-pool", "--asset", "rwa/IMG", "--quote-asset", "BTT",
                  "--asset-amount", "100", "--quote-amount", "100000", "--fee-bps", "30"});
  const Json quote =
      cli({"rwa", "quote-swap", "--pool-id", "1", "--offer-asset", "BTT", "--amount-in", "10000"});
  const uint64_t out = num(quote, "amount_out");
  // 50 to the treasury, 9,950 in (30 of it the pool fee): floor(100 x 9,920 / 109,920) = 9.
  EXPECT_EQ(out, 9u) << quote.dump(2);
  tx(alice_key, {"rwa", "pool-swap", "--pool-id", "1", "--offer-asset", "BTT", "--amount-in",
                 "10000", "--min-amount-out", std::to_string(out)});
  EXPECT_EQ(balance(alice, "rwa/IMG"), 80u + out);
  const Json lp = cli({"rwa", "lp-shares", "--pool-id", "1", "--account", clinic});
  EXPECT_EQ(num(lp, "shares"), 3'162u) << lp.dump(2);  // isqrt(100 x 100,000)
}

}  // namespace
}  // namespace btt::testkit

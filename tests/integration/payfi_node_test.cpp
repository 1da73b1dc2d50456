// A clinic's day on a real bttd (bttd init --dev --payfi, a 4-second settlement cycle), all of it
// through btt-cli: a gateway's CNY asset minted for a patient, invoices in two assets paid, a
// hold captured in part, a partial refund, two settlement cycles, a subscription charge, and the
// clinic's statements, which balance to the base unit and match the clinic's balances.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include "testkit/process.h"
#include "testkit/temp_dir.h"

namespace btt::testkit {
namespace {

using Json = nlohmann::json;

constexpr const char* kChainId = "btt-payfi-e2e";
constexpr uint64_t kBtt = 100'000'000;
constexpr uint64_t kCycleMs = 4'000;

class PayFiNodeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ = dir_.path() / "node";
    auto r = run_command({bttd_path(), "init", "--home", home_.string(), "--chain-id", kChainId,
                          "--dev", "--payfi"});
    ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
    // A short cycle, so two settle within the test.
    const auto genesis_path = home_ / "genesis.json";
    Json g;
    {
      std::ifstream in(genesis_path);
      g = Json::parse(in);
    }
    g["modules"]["payfi"]["params"]["settlement_cycle_ms"] = std::to_string(kCycleMs);
    {
      std::ofstream out(genesis_path);
      out << g.dump(2) << "\n";
    }
    dev_key_ = (home_ / "keys" / "dev.json").string();
    node_ = std::make_unique<NodeProcess>(home_, free_port());
    node_->start();
  }
  void TearDown() override {
    if (HasFailure() && node_) std::cerr << "bttd log tail:\n" << node_->log_tail() << "\n";
  }

  Json cli(std::vector<std::string> args) {
    args.push_back("--json");
    std::vector<std::string> argv = {btt_cli_path(), "--node", node_->address()};
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = run_command(argv, 60);
    std::string line;
    for (const auto& a : args) line += a + " ";
    EXPECT_EQ(r.exit_code, 0) << line << "\n" << r.out << r.err;
    try {
      return Json::parse(r.out);
    } catch (const std::exception&) {
      ADD_FAILURE() << "not JSON: " << r.out;
      return Json::object();
    }
  }
  // A tx command with --key and --wait; expects it committed with code 0.
  Json tx(const std::string& key, std::vector<std::string> args) {
    args.insert(args.end(), {"--key", key, "--wait"});
    Json out = cli(args);
    EXPECT_EQ(out.value("code", 99u), 0u) << out.dump(2);
    return out;
  }
  std::pair<std::string, std::string> new_key(const std::string& name) {
    const std::string path = (dir_.path() / (name + ".json")).string();
    const Json k = cli({"keygen", "--out", path});
    return {path, k.value("address", "")};
  }
  uint64_t balance(const std::string& addr, const std::string& asset) {
    const Json b = cli({"balance", addr, "--asset", asset});
    return b.value("amount", uint64_t{0});
  }
  uint64_t num(const Json& j, const char* key) {
    if (!j.contains(key)) return 0;
    const auto& v = j[key];
    return v.is_string() ? std::stoull(v.get<std::string>()) : v.get<uint64_t>();
  }
  uint64_t head_time_ms() {
    const Json s = cli({"status"});
    return num(s, "latest_block_time_ms");
  }
  // Waits until every payment of the clinic is settled (up to 30 s).
  void wait_settled(const std::string& clinic) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (true) {
      const Json p = cli({"payfi", "payee", clinic});
      if (!p.contains("pending") || p["pending"].empty()) return;
      ASSERT_LT(std::chrono::steady_clock::now(), deadline) << p.dump(2);
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
  }

  TempDir dir_{"btt-payfi"};
  std::filesystem::path home_;
  std::string dev_key_;
  std::unique_ptr<NodeProcess> node_;
};

TEST_F(PayFiNodeTest, AClinicsDayReconcilesToTheBaseUnit) {
  const auto [clinic_key, clinic] = new_key("clinic");
  const auto [p1_key, p1] = new_key("patient1");
  const auto [p2_key, p2] = new_key("patient2");
  const auto [platform_key, platform] = new_key("platform");
  for (const auto& a : {clinic, p1, p2, platform}) {
    tx(dev_key_, {"send", "--to", a, "--amount", std::to_string(100 * kBtt)});
  }
  // The dev key is the gateway of CNYT (2 decimals): patient 2 deposits ¥1,000.00.
  tx(dev_key_, {"payfi", "register-asset", "CNYT", "--decimals", "2", "--name", "CNY token"});
  tx(dev_key_, {"payfi", "deposit", "--asset", "CNYT", "--to", p2, "--amount", "100000", "--ref",
                "bank-20261207-1"});
  EXPECT_EQ(balance(p2, "CNYT"), 100'000u);

  const std::string hash(64, 'a');
  tx(clinic_key, {"payfi", "register-payee", "--name-hash", hash, "--category", "dental_clinic",
                  "--settlement-asset", "CNYT"});
  const std::string expiry = std::to_string(head_time_ms() + 3'600'000);
  tx(clinic_key,
     {"payfi", "create-invoice", "--reference", "INV-1", "--amount", "50000", "--expiry", expiry});
  tx(clinic_key, {"payfi", "create-invoice", "--reference", "INV-2", "--amount",
                  std::to_string(10 * kBtt), "--asset", "BTT", "--expiry", expiry});
  // Two assets: INV-1 in CNYT, INV-2 in BTT.
  tx(p2_key, {"payfi", "pay", "--payee", clinic, "--amount", "50000", "--asset", "CNYT",
              "--invoice", "1", "--client-id", "p2-inv1"});
  tx(p1_key, {"payfi", "pay", "--payee", clinic, "--amount", std::to_string(10 * kBtt), "--asset",
              "BTT", "--invoice", "2", "--client-id", "p1-inv2"});
  // A retry of the same payment is a no-op.
  tx(p2_key, {"payfi", "pay", "--payee", clinic, "--amount", "50000", "--asset", "CNYT",
              "--invoice", "1", "--client-id", "p2-inv1"});
  EXPECT_EQ(balance(p2, "CNYT"), 50'000u);
  // A hold of ¥300.00 for an implant, captured in part (¥120.00); the rest returns.
  tx(p2_key, {"payfi", "place-hold", "--payee", clinic, "--amount", "30000", "--asset", "CNYT",
              "--expiry", expiry, "--reference", "implant", "--client-id", "p2-hold"});
  tx(clinic_key, {"payfi", "capture", "1", "--amount", "12000", "--final"});
  EXPECT_EQ(balance(p2, "CNYT"), 38'000u);
  // A partial refund of ¥50.00 of the invoice payment.
  tx(clinic_key, {"payfi", "refund", "1", "--amount", "5000", "--reason", "4"});
  EXPECT_EQ(balance(p2, "CNYT"), 43'000u);
  wait_settled(clinic);  // cycle 1

  // Cycle 2: a walk-in payment.
  tx(p2_key, {"payfi", "pay", "--payee", clinic, "--amount", "7000", "--asset", "CNYT",
              "--reference", "walk-in-1", "--client-id", "p2-walkin"});
  wait_settled(clinic);
  const Json settlements = cli({"payfi", "settlements", clinic});
  std::set<uint64_t> cycles;
  for (const auto& s : settlements["settlements"]) cycles.insert(num(s, "cycle"));
  EXPECT_GE(cycles.size(), 2u) << settlements.dump(2);

  // The clinic subscribes to the platform's monthly plan: charged at once.
  tx(platform_key, {"payfi", "register-payee", "--name-hash", hash, "--category", "platform",
                    "--settlement-asset", "BTT"});
  tx(platform_key, {"payfi", "create-plan", "--name", "platform-medium", "--amount",
                    std::to_string(5 * kBtt), "--period", "2592000000"});
  tx(clinic_key, {"payfi", "subscribe", "1", "--cap", std::to_string(5 * kBtt)});
  Json sub = cli({"payfi", "subscription", "1"});
  for (int i = 0; i < 20 && num(sub, "charges") == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    sub = cli({"payfi", "subscription", "1"});
  }
  EXPECT_EQ(num(sub, "charges"), 1u) << sub.dump(2);
  EXPECT_EQ(sub.value("status", ""), "SUBSCRIPTION_STATUS_ACTIVE");

  // The CNYT statement of the whole day: 500 + 120 + 70 in, 50 refunded (out of pending, or from
  // the clinic if its cycle had settled first), fees at 0.80% rounded down per settlement.
  const Json st = cli({"payfi", "statement", clinic});
  EXPECT_EQ(num(st, "payments"), 3u) << st.dump(2);
  EXPECT_EQ(num(st, "gross"), 69'000u);
  EXPECT_EQ(num(st, "refunded_pending") + num(st, "refunded_settled"), 5'000u);
  const uint64_t fees = num(st, "fees");
  const uint64_t net = num(st, "settled_net");
  EXPECT_EQ(
      num(st, "opening_pending") + num(st, "gross") - num(st, "refunded_pending") - fees - net,
      num(st, "closing_pending"));
  EXPECT_EQ(num(st, "closing_pending"), 0u);
  EXPECT_EQ(net + fees, 69'000u - num(st, "refunded_pending"));
  uint64_t fees_of_records = 0;
  for (const auto& s : settlements["settlements"]) {
    if (s.value("asset", "") != "CNYT") continue;
    const uint64_t owed = num(s, "gross") - num(s, "refunded");
    EXPECT_EQ(num(s, "fee"), owed * 80 / 10'000) << s.dump(2);
    EXPECT_EQ(num(s, "net"), owed - num(s, "fee"));
    fees_of_records += num(s, "fee");
  }
  EXPECT_EQ(fees, fees_of_records);
  EXPECT_EQ(balance(clinic, "CNYT"), num(st, "net"));
  EXPECT_EQ(num(st, "net"), net - num(st, "refunded_settled"));
  // The BTT side: INV-2 settled less its fee.
  const Json btt = cli({"payfi", "statement", clinic, "--asset", "BTT"});
  EXPECT_EQ(num(btt, "gross"), 10 * kBtt);
  EXPECT_EQ(num(btt, "fees"), 8'000'000u);
  EXPECT_EQ(num(btt, "settled_net"), 10 * kBtt - 8'000'000u);

  // The CSV form: one line per payment, then the totals.
  std::vector<std::string> argv = {btt_cli_path(), "--node", node_->address(), "payfi",
                                   "statement",    clinic,   "--csv"};
  auto csv = run_command(argv, 60);
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(csv.out.rfind("payment_id,time_ms,payer,asset,amount,delivered", 0), 0u) << csv.out;
  EXPECT_NE(csv.out.find("\ngross,69000\n"), std::string::npos) << csv.out;
  EXPECT_NE(csv.out.find("\nfees," + std::to_string(fees) + "\n"), std::string::npos) << csv.out;
  EXPECT_EQ(node_->stop(), 0);
}

}  // namespace
}  // namespace btt::testkit

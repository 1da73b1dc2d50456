// The compute loop end to end on one machine: a real bttd, two real btt-worker processes running
// the reference job kind (btt-image-stats), and a clinic posting a redundancy-2 job through
// btt-cli; the job ends accepted with the workers' common result hash and the exact split.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "btt/common/bytes.h"
#include "btt/crypto/hash.h"
#include "btt/modules/compute/compute.h"
#include "testkit/process.h"
#include "testkit/temp_dir.h"

namespace btt::testkit {
namespace {

using Json = nlohmann::json;
namespace fs = std::filesystem;

constexpr uint64_t kBtt = 100'000'000;

std::string describe(const CommandResult& r) {
  return "exit " + std::to_string(r.exit_code) + "\n--- stdout ---\n" + r.out +
         "\n--- stderr ---\n" + r.err;
}

class ComputeWorkerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ = dir_.path() / "node";
    init_home(home_, "btt-compute-e2e");
    dev_key_ = (home_ / "keys" / "dev.json").string();
    node_ = std::make_unique<NodeProcess>(home_, free_port());
    node_->start({"--block-time-ms", "100"});
  }
  void TearDown() override {
    if (!HasFailure()) return;
    std::cerr << "bttd log tail:\n" << node_->log_tail() << "\n";
    for (const auto& w : workers_) std::cerr << "worker log tail:\n" << w->log_tail() << "\n";
  }

  Json cli(std::vector<std::string> args) {
    std::vector<std::string> argv = {btt_cli_path(), "--node", node_->address(), "--json"};
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = run_command(std::move(argv), 60);
    EXPECT_EQ(r.exit_code, 0) << describe(r);
    try {
      return Json::parse(r.out);
    } catch (const std::exception&) {
      ADD_FAILURE() << "not JSON: " << describe(r);
      return Json::object();
    }
  }
  uint64_t balance(const std::string& address) {
    return cli({"balance", address, "--asset", "BTT"}).value("amount", uint64_t{0});
  }
  // Proto JSON prints uint64 as strings.
  static uint64_t u64(const Json& j, const char* key) {
    if (!j.contains(key)) return 0;
    return j[key].is_string() ? std::stoull(j[key].get<std::string>()) : j[key].get<uint64_t>();
  }

  void start_worker(const std::string& name, uint64_t price) {
    const std::string key = (dir_.path() / (name + ".json")).string();
    const Json k = cli({"keygen", "--out", key});
    addresses_.push_back(k.value("address", ""));
    cli({"send", "--key", dev_key_, "--to", addresses_.back(), "--amount",
         std::to_string(2'000 * kBtt), "--wait"});
    workers_.push_back(std::make_unique<ChildProcess>(
        std::vector<std::string>{binary_path("btt-worker"),
                                 "--node",
                                 node_->address(),
                                 "--key",
                                 key,
                                 "--model",
                                 "H100",
                                 "--memory-gb",
                                 "80",
                                 "--region",
                                 "KE",
                                 "--price",
                                 std::to_string(price),
                                 "--bond",
                                 std::to_string(1'000 * kBtt),
                                 "--kind",
                                 "image-stats-v1=" + binary_path("btt-image-stats"),
                                 "--work-dir",
                                 (dir_.path() / (name + "-work")).string(),
                                 "--store-dir",
                                 (dir_.path() / "store").string(),
                                 "--poll-ms",
                                 "200"},
        dir_.path() / (name + ".log")));
  }

  TempDir dir_{"btt-compute-e2e"};
  fs::path home_;
  std::string dev_key_;
  std::unique_ptr<NodeProcess> node_;
  std::vector<std::unique_ptr<ChildProcess>> workers_;
  std::vector<std::string> addresses_;
};

TEST_F(ComputeWorkerTest, TwoWorkersAgreeAndTheJobSettlesExactly) {
  // A small panoramic-like radiograph as 8-bit PGM.
  const fs::path input = dir_.path() / "pano.pgm";
  {
    std::ofstream f(input, std::ios::binary);
    f << "P5\n64 48\n255\n";
    for (int y = 0; y < 48; ++y) {
      for (int x = 0; x < 64; ++x) f.put(static_cast<char>((x * 7 + y * 13) % 256));
    }
  }
  start_worker("w1", 40);
  start_worker("w2", 45);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (cli({"compute", "nodes"}).value("nodes", Json::array()).size() < 2) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "workers did not register";
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }

  const std::string dev_fund = modules::compute::development_fund_address().to_string();
  const std::string foundation = modules::compute::foundation_address().to_string();
  const std::string reserve = modules::compute::operational_reserve_address().to_string();
  const std::string clinic = cli({"address", "--key", dev_key_}).value("address", "");
  const uint64_t clinic0 = balance(clinic);

  const Json posted = cli({"compute", "post", "--key", dev_key_, "--kind", "image-stats-v1",
                           "--input-file", input.string(), "--locator", "file://" + input.string(),
                           "--cu", "1000", "--redundancy", "2", "--max-price", "50", "--wait"});
  ASSERT_EQ(posted.value("code", 1u), 0u);
  const uint64_t fee = posted["result"].value("fee_paid", uint64_t{0});

  Json job;
  while (true) {
    job = cli({"compute", "job", "1"});
    if (job.value("status", "") == "JOB_STATUS_ACCEPTED") break;
    ASSERT_LT(std::chrono::steady_clock::now(), deadline + std::chrono::seconds(60))
        << "job not accepted: " << job.dump();
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  // The accepted hash is the hash of what btt-image-stats writes for this input.
  const fs::path expected_out = dir_.path() / "expected.json";
  auto r = run_command({binary_path("btt-image-stats"), input.string(), expected_out.string()});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  std::ifstream eo(expected_out, std::ios::binary);
  const std::string output((std::istreambuf_iterator<char>(eo)), std::istreambuf_iterator<char>());
  EXPECT_EQ(job.value("result_hash", ""), to_hex(to_bytes(crypto::sha256(output))));
  EXPECT_TRUE(
      fs::exists(dir_.path() / "store" / (to_hex(to_bytes(crypto::sha256(output))) + ".out")));

  // max cost 2 x 50,000 + 10,000 = 110,000; cost 40,000 + 45,000 + 10,000 = 95,000: nodes 66,500
  // (33,250 each), development 14,250, Foundation 9,500, reserve 4,750; refund 15,000.
  EXPECT_EQ(u64(job, "max_cost"), 110'000u);
  EXPECT_EQ(u64(job, "cost"), 95'000u);
  EXPECT_EQ(u64(job, "refunded"), 15'000u);
  EXPECT_EQ(balance(clinic), clinic0 - fee - 95'000);
  EXPECT_EQ(balance(dev_fund), 14'250u);
  EXPECT_EQ(balance(foundation), 9'500u);
  EXPECT_EQ(balance(reserve), 4'750u);
  for (const auto& a : addresses_) {
    const Json n = cli({"compute", "node", a});
    EXPECT_EQ(u64(n, "earned"), 33'250u) << a;
    EXPECT_EQ(u64(n, "results_accepted"), 1u) << a;
  }
  for (auto& w : workers_) EXPECT_EQ(w->stop(), 0);
}

}  // namespace
}  // namespace btt::testkit

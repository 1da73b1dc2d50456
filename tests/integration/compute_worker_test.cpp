// The compute loop end to end on one machine: a real bttd, two real btt-worker processes, and a
// clinic posting a redundancy-2 job through btt-cli; the job ends accepted with the workers'
// common result hash and the exact split. Once with btt-image-stats and a file:// input, once
// with the OpenCV kind btt-xray-lesions and an https:// input served by the test itself (a CA made
// in the test, trusted through --ca-file by one worker and through its config file by the other).
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
#include "testkit/http_server.h"
#include "testkit/process.h"
#include "testkit/temp_dir.h"
#include "testkit/test_pki.h"
#include "testkit/xray_image.h"

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

  // A funded operator key for a worker called `name`; its path.
  std::string operator_key(const std::string& name) {
    const std::string key = (dir_.path() / (name + ".json")).string();
    const Json k = cli({"keygen", "--out", key});
    addresses_.push_back(k.value("address", ""));
    cli({"send", "--key", dev_key_, "--to", addresses_.back(), "--amount",
         std::to_string(2'000 * kBtt), "--wait"});
    return key;
  }

  // A btt-worker with `args` after the flags every worker gets.
  void start_worker(const std::string& name, std::vector<std::string> args) {
    std::vector<std::string> argv = {binary_path("btt-worker"),
                                     "--node",
                                     node_->address(),
                                     "--key",
                                     operator_key(name),
                                     "--work-dir",
                                     (dir_.path() / (name + "-work")).string(),
                                     "--poll-ms",
                                     "200"};
    argv.insert(argv.end(), args.begin(), args.end());
    workers_.push_back(std::make_unique<ChildProcess>(argv, dir_.path() / (name + ".log")));
  }

  // The market flags of a worker asking `price` (H100 80 GB in KE, 1,000 BTT bond).
  std::vector<std::string> market_flags(uint64_t price) const {
    return {"--model",     "H100",
            "--memory-gb", "80",
            "--region",    "KE",
            "--price",     std::to_string(price),
            "--bond",      std::to_string(1'000 * kBtt),
            "--store-dir", (dir_.path() / "store").string()};
  }

  void wait_for_nodes(size_t n) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (cli({"compute", "nodes"}).value("nodes", Json::array()).size() < n) {
      ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "workers did not register";
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  }

  // Posts a redundancy-2 job of 1,000 compute units at a max price of 50 with the clinic (dev)
  // key, waits until it is accepted, and checks that its result is the hash of what `program`
  // writes for `input` and that the cost (asks 40 and 45) split exactly: max cost
  // 2 x 50,000 + 10,000 = 110,000; cost 40,000 + 45,000 + 10,000 = 95,000: nodes 66,500 (33,250
  // each), development 14,250, Foundation 9,500, reserve 4,750; refund 15,000.
  void post_and_expect_settled(const std::string& kind, const fs::path& input,
                               const std::string& locator, const std::string& program) {
    const std::string dev_fund = modules::compute::development_fund_address().to_string();
    const std::string foundation = modules::compute::foundation_address().to_string();
    const std::string reserve = modules::compute::operational_reserve_address().to_string();
    const std::string clinic = cli({"address", "--key", dev_key_}).value("address", "");
    const uint64_t clinic0 = balance(clinic);

    const Json posted = cli({"compute", "post", "--key", dev_key_, "--kind", kind, "--input-file",
                             input.string(), "--locator", locator, "--cu", "1000", "--redundancy",
                             "2", "--max-price", "50", "--wait"});
    ASSERT_EQ(posted.value("code", 1u), 0u);
    const uint64_t fee = posted["result"].value("fee_paid", uint64_t{0});

    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    Json job;
    while (true) {
      job = cli({"compute", "job", "1"});
      if (job.value("status", "") == "JOB_STATUS_ACCEPTED") break;
      ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "job not accepted: " << job.dump();
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    const fs::path expected_out = dir_.path() / "expected.out";
    auto r = run_command({program, input.string(), expected_out.string()});
    ASSERT_EQ(r.exit_code, 0) << describe(r);
    std::ifstream eo(expected_out, std::ios::binary);
    output_.assign(std::istreambuf_iterator<char>(eo), std::istreambuf_iterator<char>());
    const std::string hash = to_hex(to_bytes(crypto::sha256(output_)));
    EXPECT_EQ(job.value("result_hash", ""), hash);
    EXPECT_TRUE(fs::exists(dir_.path() / "store" / (hash + ".out")));

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

  TempDir dir_{"btt-compute-e2e"};
  fs::path home_;
  std::string dev_key_;
  std::unique_ptr<NodeProcess> node_;
  std::vector<std::unique_ptr<ChildProcess>> workers_;
  std::vector<std::string> addresses_;
  std::string output_;  // what the kind's program wrote for the job's input
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
  const std::string kind = "image-stats-v1=" + binary_path("btt-image-stats");
  for (const auto& [name, price] : {std::pair{"w1", 40}, {"w2", 45}}) {
    auto args = market_flags(price);
    args.insert(args.end(), {"--kind", kind});
    start_worker(name, args);
  }
  wait_for_nodes(2);
  post_and_expect_settled("image-stats-v1", input, "file://" + input.string(),
                          binary_path("btt-image-stats"));
}

TEST_F(ComputeWorkerTest, HttpsInputAndTheOpenCvKindSettleExactly) {
  const std::string pgm = synthetic_xray_pgm();
  const fs::path input = dir_.path() / "pano.pgm";
  std::ofstream(input, std::ios::binary) << pgm;
  TestCa ca("clinic test CA");
  std::ofstream(dir_.path() / "clinic-ca.pem", std::ios::binary) << ca.cert_pem();
  TestHttpServer server({{"/studies/pano.pgm", {200, pgm, false}}},
                        ca.issue("127.0.0.1", "IP:127.0.0.1"));

  // w1 from a config file that trusts only the clinic CA; flags given beside it still win.
  const fs::path config = dir_.path() / "w1.toml";
  std::ofstream(config) << "model = \"A100\"\nmemory_gb = 40\nregion = \"KE\"\nprice = 40\n"
                        << "bond = " << 1'000 * kBtt << "\nstore_dir = \"store\"\n"
                        << "ca_file = \"clinic-ca.pem\"\nsystem_ca = false\n"
                        << "fetch_timeout_ms = 20000\n[kinds]\n\"panoramic-lesions-v1\" = [\""
                        << binary_path("btt-xray-lesions") << "\"]\n";
  start_worker("w1", {"--config", config.string(), "--model", "H100", "--memory-gb", "80"});
  // w2 from flags: the system store and the clinic CA.
  auto args = market_flags(45);
  args.insert(args.end(), {"--ca-file", (dir_.path() / "clinic-ca.pem").string(), "--kind",
                           "panoramic-lesions-v1=" + binary_path("btt-xray-lesions")});
  start_worker("w2", args);
  wait_for_nodes(2);
  for (const auto& a : addresses_) {
    EXPECT_EQ(cli({"compute", "node", a})["hardware"].value("model", ""), "H100") << a;
  }

  post_and_expect_settled("panoramic-lesions-v1", input, server.url("/studies/pano.pgm"),
                          binary_path("btt-xray-lesions"));
  EXPECT_EQ(server.requests(), 2u);  // each worker fetched the input once, over TLS
  const Json out = Json::parse(output_);
  EXPECT_EQ(out.value("count", 0), 2);
  EXPECT_EQ(out["regions"][0].value("x", 0), 18);
  EXPECT_EQ(out["regions"][1].value("x", 0), 97);
}

TEST(ComputeJobKindPrograms, RefuseBadInputsWithoutCrashing) {
  TempDir dir("btt-job-kinds");
  const fs::path bad = dir.path() / "bad.pgm";
  std::ofstream(bad, std::ios::binary) << "P5\n4294967296 4294967296\n255\n";
  for (const char* program : {"btt-image-stats", "btt-xray-lesions"}) {
    auto r = run_command({binary_path(program), bad.string(), (dir.path() / "o").string()});
    EXPECT_EQ(r.exit_code, 1) << describe(r);
    EXPECT_NE(r.err.find("bad PGM header"), std::string::npos) << describe(r);
    r = run_command(
        {binary_path(program), (dir.path() / "none.pgm").string(), (dir.path() / "o").string()});
    EXPECT_EQ(r.exit_code, 1) << describe(r);
    r = run_command({binary_path(program)});
    EXPECT_EQ(r.exit_code, 2) << describe(r);
  }
}

}  // namespace
}  // namespace btt::testkit

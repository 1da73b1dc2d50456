// btt-worker's config file and command line (doc/compute.md "Worker configuration").
#include "app/worker/config.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "testkit/temp_dir.h"
#include "testkit/test_pki.h"

namespace btt::worker {
namespace {

// The example of doc/compute.md, word for word.
const char* kExample =
    R"(# btt-worker configuration. Flags given on the command line override these values.
node = "127.0.0.1:9740"      # bttd gRPC address
key = "operator.json"        # the operator's key file (relative: to this file's directory)

# The hardware class registered on chain.
accelerator = "gpu"
model = "H100"
memory_gb = 80
count = 1
region = "KE"                # ISO 3166-1 alpha-2
efficiency = 0               # declared energy efficiency
price = 40                   # asking price per compute unit (base units)
bond = 100000000000          # bonded at registration (base units): 1,000 BTT

work_dir = "/var/lib/btt-worker"   # inputs, outputs and commit salts
store_dir = "/srv/btt-results"     # outputs published as <result hash>.out
input_dir = "/data/inputs"         # bare-name locators are looked up here
poll_ms = 500

# https:// inputs: trust clinic-ca.pem (PEM, one or more CA certificates) besides the system store.
ca_file = "clinic-ca.pem"
system_ca = true
fetch_timeout_ms = 60000

# Job kind id -> command, run as COMMAND INPUT OUTPUT: a string is a shell command line, an array
# is a program and its first arguments, run without a shell.
[kinds]
"image-stats-v1" = "/usr/local/bin/btt-image-stats"
"panoramic-lesions-v1" = ["/usr/local/bin/btt-xray-lesions"]
"panoramic-caries-v1" = ["/opt/models/caries", "--threshold", "0.7"]
)";

class WorkerConfigTest : public ::testing::Test {
 protected:
  std::string write(const std::string& name, const std::string& text) {
    const auto p = dir_.path() / name;
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
  // The message of loading `text` as a config file ("" if it loads).
  std::string load_error(const std::string& text) {
    WorkerOptions o;
    const std::string file = write("bad.toml", text);
    const Status s = load_worker_config(file, o);
    return s ? "" : s.message().substr(("config " + file + ": ").size());
  }
  ParsedArgs parse(std::vector<std::string> args) {
    args.insert(args.begin(), "btt-worker");
    std::vector<const char*> argv;
    for (const auto& a : args) argv.push_back(a.c_str());
    out_.str("");
    err_.str("");
    return parse_worker_args(static_cast<int>(argv.size()), argv.data(), out_, err_);
  }

  testkit::TempDir dir_{"btt-worker-config"};
  std::ostringstream out_, err_;
};

TEST_F(WorkerConfigTest, TheDocumentedExampleSetsEveryOption) {
  WorkerOptions o;
  const std::string file = write("worker.toml", kExample);
  ASSERT_TRUE(load_worker_config(file, o));
  EXPECT_EQ(o.node, "127.0.0.1:9740");
  EXPECT_EQ(o.key_file, (dir_.path() / "operator.json").string());
  EXPECT_EQ(o.accelerator, "gpu");
  EXPECT_EQ(o.model, "H100");
  EXPECT_EQ(o.memory_gb, 80u);
  EXPECT_EQ(o.count, 1u);
  EXPECT_EQ(o.region, "KE");
  EXPECT_EQ(o.efficiency, 0u);
  EXPECT_EQ(o.price, 40u);
  EXPECT_EQ(o.bond, 100'000'000'000u);
  EXPECT_EQ(o.work_dir, "/var/lib/btt-worker");
  EXPECT_EQ(o.store_dir, "/srv/btt-results");
  EXPECT_EQ(o.input_dir, "/data/inputs");
  EXPECT_EQ(o.poll_ms, 500u);
  EXPECT_EQ(o.fetch.ca_file, (dir_.path() / "clinic-ca.pem").string());
  EXPECT_TRUE(o.fetch.system_ca);
  EXPECT_EQ(o.fetch.timeout, std::chrono::milliseconds(60'000));
  ASSERT_EQ(o.kinds.size(), 3u);
  EXPECT_TRUE(o.kinds["image-stats-v1"].shell);
  EXPECT_EQ(o.kinds["image-stats-v1"].argv,
            std::vector<std::string>{"/usr/local/bin/btt-image-stats"});
  EXPECT_FALSE(o.kinds["panoramic-lesions-v1"].shell);
  EXPECT_EQ(o.kinds["panoramic-lesions-v1"].argv,
            std::vector<std::string>{"/usr/local/bin/btt-xray-lesions"});
  EXPECT_EQ(o.kinds["panoramic-caries-v1"].argv,
            (std::vector<std::string>{"/opt/models/caries", "--threshold", "0.7"}));
}

TEST_F(WorkerConfigTest, AnEmptyFileKeepsTheDefaults) {
  WorkerOptions o;
  ASSERT_TRUE(load_worker_config(write("empty.toml", ""), o));
  EXPECT_EQ(o.node, "127.0.0.1:9740");
  EXPECT_EQ(o.work_dir, ".");
  EXPECT_EQ(o.count, 1u);
  EXPECT_EQ(o.poll_ms, 500u);
  EXPECT_TRUE(o.fetch.system_ca);
  EXPECT_EQ(o.fetch.timeout, std::chrono::milliseconds(60'000));
  EXPECT_TRUE(o.kinds.empty());
}

TEST_F(WorkerConfigTest, UnknownKeysAndWrongTypesAreErrorsNamingTheKey) {
  const std::string u64 = "must be an integer in [0, 18446744073709551615], ";
  const std::string u32 = "must be an integer in [0, 4294967295], ";
  const std::string cmd = "must be a command line (a string) or a non-empty array of strings";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"prise = 40", "prise: unknown key"},
      {"[hardware]\nmodel = \"H100\"", "hardware: unknown table"},
      {"price = \"40\"", "price: " + u64 + "not a string"},
      {"price = 4.5", "price: " + u64 + "not a float"},
      {"bond = -1", "bond: " + u64 + "not -1"},
      {"memory_gb = 4294967296", "memory_gb: " + u32 + "not 4294967296"},
      {"count = true", "count: " + u32 + "not a boolean"},
      {"poll_ms = [500]", "poll_ms: " + u32 + "not an array"},
      {"model = 100", "model: must be a string, not an integer"},
      {"key = 1", "key: must be a string, not an integer"},
      {"system_ca = \"no\"", "system_ca: must be true or false, not a string"},
      {"fetch_timeout_ms = 1979-05-27", "fetch_timeout_ms: " + u64 + "not a date or time"},
      {"kinds = \"image-stats-v1=/bin/true\"", "kinds: must be a table [kinds], not a string"},
      {"[kinds]\nx = 5", "kinds.x: " + cmd},
      {"[kinds]\nx = \"\"", "kinds.x: " + cmd},
      {"[kinds]\nx = []", "kinds.x: " + cmd},
      {"[kinds]\nx = [\"/bin/a\", 1]", "kinds.x: " + cmd + ", not an array holding an integer"},
      {"[kinds]\nx = [\"\", \"a\"]", "kinds.x: the program (first element) must not be empty"},
      {"[kinds]\n\"\" = \"/bin/true\"", "kinds: a job kind id must not be empty"},
  };
  for (const auto& [text, message] : cases) EXPECT_EQ(load_error(text), message) << text;
  EXPECT_EQ(load_error("price = ").rfind("cannot read: ", 0), 0u);
  WorkerOptions o;
  const Status s = load_worker_config(dir_.path() / "missing.toml", o);
  EXPECT_EQ(
      s.message().rfind("config " + (dir_.path() / "missing.toml").string() + ": cannot read", 0),
      0u)
      << s.message();
}

TEST_F(WorkerConfigTest, FlagsOverrideTheFile) {
  testkit::TestCa ca("worker config test CA");
  write("clinic-ca.pem", ca.cert_pem());
  const std::string file = write("worker.toml", kExample);
  auto p = parse({"--config", file});
  ASSERT_TRUE(p.options) << err_.str();
  EXPECT_EQ(p.options->price, 40u);
  EXPECT_EQ(p.options->model, "H100");
  EXPECT_EQ(p.options->kinds.size(), 3u);

  p = parse({"--price", "55", "--config", file, "--model", "A100", "--no-system-ca", "--kind",
             "image-stats-v1=/opt/stats --fast", "--kind", "new-v1=/bin/new", "--fetch-timeout-ms",
             "250", "--work-dir", "w"});
  ASSERT_TRUE(p.options) << err_.str();
  const WorkerOptions& o = *p.options;
  EXPECT_EQ(o.price, 55u);
  EXPECT_EQ(o.model, "A100");
  EXPECT_EQ(o.bond, 100'000'000'000u);  // from the file
  EXPECT_EQ(o.region, "KE");
  EXPECT_FALSE(o.fetch.system_ca);
  EXPECT_EQ(o.fetch.ca_file, (dir_.path() / "clinic-ca.pem").string());
  EXPECT_EQ(o.fetch.timeout, std::chrono::milliseconds(250));
  EXPECT_EQ(o.work_dir, "w");  // a flag's relative path stays relative to the working directory
  ASSERT_EQ(o.kinds.size(), 4u);
  EXPECT_TRUE(o.kinds.at("image-stats-v1").shell);
  EXPECT_EQ(o.kinds.at("image-stats-v1").argv, std::vector<std::string>{"/opt/stats --fast"});
  EXPECT_EQ(o.kinds.at("new-v1").argv, std::vector<std::string>{"/bin/new"});
  EXPECT_EQ(o.kinds.at("panoramic-caries-v1").argv.size(), 3u);
}

TEST_F(WorkerConfigTest, FlagsAloneStillWork) {
  const auto p = parse({"--key", "k.json", "--model", "H100", "--region", "KE", "--price", "40",
                        "--bond", "1000", "--kind", "image-stats-v1=btt-image-stats"});
  ASSERT_TRUE(p.options) << err_.str();
  EXPECT_EQ(p.options->key_file, "k.json");
  EXPECT_TRUE(p.options->fetch.system_ca);
  EXPECT_EQ(p.options->fetch.ca_file, "");
}

TEST_F(WorkerConfigTest, BadCommandLinesExitNonZeroWithTheReason) {
  const std::vector<std::string> base = {"--key", "k.json",  "--model", "H100",   "--region",
                                         "KE",    "--price", "40",      "--bond", "1000"};
  auto with = [&](std::vector<std::string> extra) {
    auto args = base;
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  };
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {with({}),
       "btt-worker: kinds: required (--kind KIND=COMMAND or `kinds` in the config "
       "file)\n"},
      {with({"--kind", "nocommand"}), "btt-worker: --kind must be KIND=COMMAND, not 'nocommand'\n"},
      {with({"--kind", "a=b", "--no-system-ca"}),
       "btt-worker: system_ca: false needs a CA file (--ca-file or `ca_file`): nothing is "
       "trusted\n"},
      {with({"--kind", "a=b", "--poll-ms", "1"}), "btt-worker: poll_ms: must be in [10, 600000]\n"},
      {with({"--kind", "a=b", "--fetch-timeout-ms", "0"}),
       "btt-worker: fetch_timeout_ms: must be in [1, 3600000]\n"},
      {with({"--kind", "a=b", "--node", "localhost"}),
       "btt-worker: node: 'localhost' is not HOST:PORT\n"},
      {{"--model", "H100", "--kind", "a=b"},
       "btt-worker: key: required (--key or `key` in the config file)\n"},
      {{"--key", "k", "--model", "H100", "--region", "KE", "--kind", "a=b"},
       "btt-worker: price: required, and must be positive (--price or `price`)\n"},
  };
  for (const auto& [args, message] : cases) {
    const auto p = parse(args);
    EXPECT_FALSE(p.options);
    EXPECT_EQ(p.exit_code, 1);
    EXPECT_EQ(err_.str(), message);
  }
  const std::string missing_ca = (dir_.path() / "none.pem").string();
  auto p = parse(with({"--kind", "a=b", "--ca-file", missing_ca}));
  EXPECT_EQ(p.exit_code, 1);
  EXPECT_EQ(err_.str().rfind("btt-worker: ca_file: cannot load the CA file " + missing_ca, 0), 0u)
      << err_.str();
  p = parse(with({"--kind", "a=b", "--config", write("bad.toml", "price = \"x\"")}));
  EXPECT_EQ(p.exit_code, 1);
  EXPECT_NE(err_.str().find("price: must be an integer"), std::string::npos) << err_.str();
  p = parse(with({"--no-such-flag"}));
  EXPECT_FALSE(p.options);
  EXPECT_NE(p.exit_code, 0);
  p = parse({"--help"});
  EXPECT_FALSE(p.options);
  EXPECT_EQ(p.exit_code, 0);
  EXPECT_NE(out_.str().find("--ca-file"), std::string::npos);
}

TEST_F(WorkerConfigTest, CommandsGetInputAndOutputAsTheirLastTwoArguments) {
  EXPECT_EQ(command_argv(KindCommand{true, {"/opt/stats --fast"}}, "/w/in x", "/w/out"),
            (std::vector<std::string>{"/bin/sh", "-c", "/opt/stats --fast \"$1\" \"$2\"", "sh",
                                      "/w/in x", "/w/out"}));
  EXPECT_EQ(command_argv(KindCommand{false, {"/opt/caries", "--threshold", "0.7"}}, "in", "out"),
            (std::vector<std::string>{"/opt/caries", "--threshold", "0.7", "in", "out"}));
}

// The worker never updates a registered node; what its options would change is reported.
TEST(RegistrationDriftTest, NamesEachFieldThatDiffersFromTheChainsRecord) {
  WorkerOptions o;
  o.accelerator = "gpu";
  o.model = "H100";
  o.memory_gb = 80;
  o.count = 1;
  o.region = "KE";
  o.efficiency = 0;
  o.price = 40;
  v1::NodeRecord node;
  node.mutable_hardware()->set_accelerator_kind("gpu");
  node.mutable_hardware()->set_model("H100");
  node.mutable_hardware()->set_memory_gb(80);
  node.mutable_hardware()->set_count(1);
  node.set_region("KE");
  node.set_energy_efficiency(0);
  node.set_price_per_cu(40);
  node.set_bond(1);  // the bond is only used at registration: never a difference
  EXPECT_TRUE(registration_drift(o, node).empty());

  o.price = 45;
  EXPECT_EQ(registration_drift(o, node),
            (std::vector<std::string>{"price 40 on chain, --price 45"}));
  o.model = "A100";
  o.region = "NG";
  o.efficiency = 150;
  EXPECT_EQ(registration_drift(o, node),
            (std::vector<std::string>{
                "price 40 on chain, --price 45", "model H100 on chain, --model A100",
                "region KE on chain, --region NG", "efficiency 0 on chain, --efficiency 150"}));
}

}  // namespace
}  // namespace btt::worker

// btt-cli against real bttd processes on loopback: keys, status, transfers with exact amounts,
// tx and block lookups, failures, restart persistence and the streams.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "btt/node/init.h"
#include "btt/v1/tx.pb.h"
#include "testkit/process.h"
#include "testkit/rpc_harness.h"
#include "testkit/temp_dir.h"
#include "testkit/test_env.h"

namespace btt::testkit {
namespace {

using Json = nlohmann::json;

constexpr const char* kChainId = "btt-cli-test";

std::string describe(const CommandResult& r) {
  return "exit " + std::to_string(r.exit_code) + (r.timed_out ? " (timed out)" : "") +
         "\n--- stdout ---\n" + r.out + "\n--- stderr ---\n" + r.err;
}

Json parse_json(const CommandResult& r) {
  try {
    return Json::parse(r.out);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "stdout is not one JSON document: " << e.what() << "\n" << describe(r);
    return Json::object();
  }
}

// One JSON object per line.
std::vector<Json> parse_json_lines(const std::string& out) {
  std::vector<Json> lines;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) lines.push_back(Json::parse(line));
  }
  return lines;
}

bool is_hex64(const std::string& s) {
  return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

CommandResult cli_at(const std::string& node, std::vector<std::string> args, int timeout_s = 60) {
  std::vector<std::string> argv = {btt_cli_path(), "--node", node};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command(std::move(argv), timeout_s);
}

// An address nothing listens on.
std::string dead_node() {
  return "127.0.0.1:" + std::to_string(free_port());
}

// --- without a node ------------------------------------------------------------------------------

TEST(CliOffline, KeygenWritesAPrivateKeyFileAndAddressAgrees) {
  TempDir dir("btt-cli");
  const auto key = dir.path() / "a.json";
  auto r = cli_at(dead_node(), {"keygen", "--out", key.string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  const Json k = parse_json(r);
  const std::string address = k.value("address", "");
  const std::string pubkey = k.value("public_key", "");
  EXPECT_EQ(address.rfind("btt1", 0), 0u) << address;
  EXPECT_TRUE(is_hex64(pubkey)) << pubkey;
  EXPECT_EQ(std::filesystem::path(k.value("path", "")), std::filesystem::absolute(key));

  struct stat st {};
  ASSERT_EQ(stat(key.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  // Never overwrites.
  r = cli_at(dead_node(), {"keygen", "--out", key.string()});
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  EXPECT_NE(r.err.find("exists"), std::string::npos) << describe(r);

  r = cli_at(dead_node(), {"address", "--key", key.string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_EQ(parse_json(r).value("address", ""), address);

  r = cli_at(dead_node(), {"address", "--pubkey", pubkey, "--json"});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_EQ(parse_json(r).value("address", ""), address);

  // Human output: aligned key: value lines.
  r = cli_at(dead_node(), {"address", "--key", key.string()});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_NE(r.out.find("address:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(address), std::string::npos) << r.out;

  // Default file name in the working directory is not tested (it would write into the cwd).
  r = cli_at(dead_node(), {"address", "--pubkey", "zz"});
  EXPECT_EQ(r.exit_code, 2) << describe(r);
  r = cli_at(dead_node(), {"address"});
  EXPECT_EQ(r.exit_code, 2) << describe(r);
  r = cli_at(dead_node(), {"address", "--key", (dir.path() / "missing.json").string()});
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  EXPECT_NE(r.err.find("missing.json"), std::string::npos) << describe(r);
}

TEST(CliOffline, UnreachableNodeGivesAClearError) {
  const std::string node = dead_node();
  auto r = cli_at(node, {"status", "--timeout", "5"}, 30);
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  EXPECT_NE(r.err.find("error: UNAVAILABLE"), std::string::npos) << describe(r);
  EXPECT_NE(r.err.find(node), std::string::npos) << describe(r);

  r = cli_at(node, {"status", "--json", "--timeout", "5"}, 30);
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  const Json j = parse_json(r);
  ASSERT_TRUE(j.contains("error")) << describe(r);
  EXPECT_EQ(j["error"].value("code", ""), "UNAVAILABLE");

  // Streams fail the same way instead of hanging.
  r = cli_at(node, {"watch"}, 30);
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  EXPECT_NE(r.err.find("UNAVAILABLE"), std::string::npos) << describe(r);
}

TEST(CliOffline, BadArgumentsAreUsageErrors) {
  TempDir dir("btt-cli");
  const auto key = dir.path() / "k.json";
  auto r = cli_at(dead_node(), {"keygen", "--out", key.string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  const std::string to = parse_json(r).value("address", "");
  const std::string node = dead_node();

  // Bad recipient address.
  for (const std::string bad :
       {"nonsense", "btt1qqqqqq", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"}) {
    r = cli_at(node, {"send", "--key", key.string(), "--to", bad, "--amount", "1"});
    EXPECT_EQ(r.exit_code, 2) << bad << "\n" << describe(r);
    EXPECT_NE(r.err.find("address"), std::string::npos) << describe(r);
  }
  // Amounts are positive integers in base units.
  for (const std::string bad : {"1.5", "abc", "0", "1e8", "", "99999999999999999999999"}) {
    r = cli_at(node, {"send", "--key", key.string(), "--to", to, "--amount=" + bad});
    EXPECT_EQ(r.exit_code, 2) << "amount '" << bad << "'\n" << describe(r);
    EXPECT_NE(r.err.find("amount"), std::string::npos) << describe(r);
  }
  r = cli_at(node, {"send", "--key", key.string(), "--to", to, "--amount=-3"});
  EXPECT_EQ(r.exit_code, 2) << describe(r);
  r = cli_at(node, {"send", "--key", key.string(), "--to", to, "--amount", "5", "--fee", "x"});
  EXPECT_EQ(r.exit_code, 2) << describe(r);
  r = cli_at(node, {"send", "--key", key.string(), "--to", to});  // --amount missing
  EXPECT_EQ(r.exit_code, 2) << describe(r);
  r = cli_at(node, {"multisend", "--key", key.string(), "--output", to});
  EXPECT_EQ(r.exit_code, 2) << describe(r);
  r = cli_at(node, {"multisend", "--key", key.string(), "--output", to + ":1.5"});
  EXPECT_EQ(r.exit_code, 2) << describe(r);
  r = cli_at(node, {"tx", "zz"});
  EXPECT_EQ(r.exit_code, 2) << describe(r);
  r = cli_at(node, {"tx", std::string(63, 'a')});
  EXPECT_EQ(r.exit_code, 2) << describe(r);
  r = cli_at(node, {"block", "abc"});
  EXPECT_EQ(r.exit_code, 2) << describe(r);
  r = cli_at(node, {"balance", "not-an-address"});
  EXPECT_EQ(r.exit_code, 2) << describe(r);
  r = cli_at(node, {"events", "--address", "nope"});
  EXPECT_EQ(r.exit_code, 2) << describe(r);
  r = cli_at(node, {"no-such-command"});
  EXPECT_EQ(r.exit_code, 2) << describe(r);

  // A missing key file is a plain failure with its path named.
  const auto missing = (dir.path() / "missing.json").string();
  r = cli_at(node, {"send", "--key", missing, "--to", to, "--amount", "1"});
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  EXPECT_NE(r.err.find(missing), std::string::npos) << describe(r);
}

// `btt-cli help --all --json`: every command with its kind, the messages of tx commands and the
// canonical path of aliases.
Json command_table() {
  auto r = cli_at(dead_node(), {"help", "--all", "--json"});
  EXPECT_EQ(r.exit_code, 0) << describe(r);
  return parse_json(r).value("commands", Json::array());
}

// The CLI half of the message-kind guard: every kind of the btt.v1.Message oneof (from its
// descriptor, so a new kind is covered without a change here) has a btt-cli tx command, and
// every command only names kinds that exist.
TEST(CliOffline, EveryMessageKindHasACommand) {
  const Json table = command_table();
  ASSERT_GT(table.size(), 0u);
  std::map<std::string, std::vector<std::string>> commands_of;
  for (const auto& c : table) {
    for (const auto& m : c.value("messages", Json::array())) {
      commands_of[m.get<std::string>()].push_back(c.value("path", ""));
    }
  }
  const auto* oneof = v1::Message::descriptor()->FindOneofByName("msg");
  ASSERT_NE(oneof, nullptr);
  std::set<std::string> kinds;
  for (int i = 0; i < oneof->field_count(); ++i) {
    const std::string kind = oneof->field(i)->name();
    kinds.insert(kind);
    EXPECT_FALSE(commands_of[kind].empty()) << "no btt-cli command sends a '" << kind << "'";
  }
  for (const auto& [kind, paths] : commands_of) {
    EXPECT_TRUE(kinds.count(kind) == 1)
        << paths.front() << " names '" << kind << "', which btt.v1.Message does not have";
  }
}

// One group per module; the documented top-level commands are aliases of the group's; every tx
// command takes the common tx options, --dry-run and --wait among them.
TEST(CliOffline, ModuleGroupsAliasesAndCommonTxOptions) {
  const Json table = command_table();
  std::map<std::string, Json> by_path;
  for (const auto& c : table) by_path[c.value("path", "")] = c;
  for (const auto& [alias, canonical] : std::vector<std::pair<std::string, std::string>>{
           {"send", "bank send"},
           {"multisend", "bank multisend"},
           {"balance", "bank balance"},
           {"burn", "tokenomics burn"},
           {"approve-milestone", "tokenomics approve-milestone"},
           {"supply", "tokenomics supply"},
           {"allocations", "tokenomics allocations"},
           {"vesting", "tokenomics vesting"},
           {"emission", "tokenomics emission"}}) {
    ASSERT_EQ(by_path.count(alias), 1u) << alias;
    ASSERT_EQ(by_path.count(canonical), 1u) << canonical;
    EXPECT_EQ(by_path[alias].value("alias_of", ""), canonical);
    EXPECT_EQ(by_path[alias].value("kind", ""), by_path[canonical].value("kind", ""));
  }
  for (const std::string path : {"bank supply", "block-result", "evidence", "compute post",
                                 "compute register", "status", "tx", "account-txs"}) {
    EXPECT_EQ(by_path.count(path), 1u) << path;
  }
  EXPECT_EQ(by_path["compute post"].value("messages", Json::array()), Json::array({"post_job"}));
  EXPECT_EQ(by_path["send"].value("messages", Json::array()), Json::array({"transfer"}));
  size_t tx_commands = 0;
  for (const auto& c : table) {
    if (c.value("kind", "") != "tx") continue;
    ++tx_commands;
    std::vector<std::string> argv = {btt_cli_path()};
    std::istringstream words(c.value("path", ""));
    for (std::string w; words >> w;) argv.push_back(w);
    argv.push_back("--help");
    const auto r = run_command(argv, 30);
    EXPECT_EQ(r.exit_code, 0) << describe(r);
    for (const char* option :
         {"--key", "--fee", "--nonce", "--memo", "--wait", "--wait-timeout", "--dry-run"}) {
      EXPECT_NE(r.out.find(std::string(option) + " "), std::string::npos)
          << c.value("path", "") << " lacks " << option << "\n"
          << r.out;
    }
  }
  // At least one per message kind (the aliases add more).
  EXPECT_GE(tx_commands,
            static_cast<size_t>(v1::Message::descriptor()->FindOneofByName("msg")->field_count()));
}

// --- against a node ------------------------------------------------------------------------------

class CliNodeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ = dir_.path() / "node";
    init_home(home_, kChainId);
    dev_key_ = (home_ / "keys" / "dev.json").string();
    ASSERT_TRUE(std::filesystem::exists(dev_key_)) << dev_key_;
    node_ = std::make_unique<NodeProcess>(home_, free_port());
    node_->start();
    dev_ = address_of(dev_key_);
  }

  void TearDown() override {
    if (HasFailure() && node_) std::cerr << "bttd log tail:\n" << node_->log_tail() << "\n";
  }

  CommandResult cli(std::vector<std::string> args, int timeout_s = 60) {
    return cli_at(node_->address(), std::move(args), timeout_s);
  }

  // Runs with --json, expects exit 0 and returns the document.
  Json cli_json(std::vector<std::string> args, int timeout_s = 60) {
    args.push_back("--json");
    auto r = cli(std::move(args), timeout_s);
    EXPECT_EQ(r.exit_code, 0) << describe(r);
    return parse_json(r);
  }

  std::string address_of(const std::string& key_file) {
    return cli_json({"address", "--key", key_file}).value("address", "");
  }

  // A fresh key file; returns {path, address}.
  std::pair<std::string, std::string> new_key(const std::string& name) {
    const std::string path = (dir_.path() / (name + ".json")).string();
    const Json k = cli_json({"keygen", "--out", path});
    return {path, k.value("address", "")};
  }

  uint64_t balance(const std::string& address) {
    return cli_json({"balance", address, "--asset", "BTT"}).value("amount", uint64_t{0});
  }
  uint64_t nonce(const std::string& address) {
    return cli_json({"balance", address}).value("nonce", uint64_t{0});
  }
  uint64_t height() { return cli_json({"status"}).value("height", uint64_t{0}); }

  // Waits (up to 20 s) until the chain is past `h`.
  void wait_past(uint64_t h) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (height() <= h) {
      ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "chain stuck at height " << h;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  }

  // send --wait --json from the dev key; expects success and returns the document.
  Json send_wait(const std::string& to, uint64_t amount) {
    const Json s = cli_json(
        {"send", "--key", dev_key_, "--to", to, "--amount", std::to_string(amount), "--wait"});
    EXPECT_EQ(s.value("code", 99u), 0u) << s.dump(2);
    EXPECT_TRUE(s.value("committed", false)) << s.dump(2);
    return s;
  }

  TempDir dir_{"btt-cli"};
  std::filesystem::path home_;
  std::string dev_key_;
  std::string dev_;
  std::unique_ptr<NodeProcess> node_;
};

TEST_F(CliNodeTest, StatusShowsTheChainGrowing) {
  const Json s = cli_json({"status"});
  EXPECT_EQ(s.value("chain_id", ""), kChainId);
  EXPECT_TRUE(s.contains("latest_block_hash"));
  EXPECT_TRUE(s.contains("min_fee"));
  const uint64_t h = s.value("height", uint64_t{0});
  wait_past(h);
  wait_past(h + 1);

  const auto r = cli({"status"});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  for (const char* key : {"chain id:", "height:", "latest block hash:", "latest block time:",
                          "validator:", "mempool:"}) {
    EXPECT_NE(r.out.find(key), std::string::npos) << key << "\n" << r.out;
  }
  EXPECT_NE(r.out.find(kChainId), std::string::npos) << r.out;

  // Global options may follow the subcommand too.
  EXPECT_EQ(cli({"--timeout", "3", "fee"}).exit_code, 0);
  EXPECT_EQ(cli({"fee", "--timeout", "3", "--json"}).exit_code, 0);
}

TEST_F(CliNodeTest, SendMovesExactAmountsAndIsFoundEverywhere) {
  const auto [key, to] = new_key("recipient");
  const uint64_t dev_before = balance(dev_);
  const uint64_t nonce_before = nonce(dev_);
  ASSERT_GT(dev_before, 1'000'000'000u) << "dev account is not funded";
  constexpr uint64_t kAmount = 150'000'000;

  const Json s = cli_json({"send", "--key", dev_key_, "--to", to, "--amount",
                           std::to_string(kAmount), "--memo", "cli test", "--wait"});
  ASSERT_EQ(s.value("code", 99u), 0u) << s.dump(2);
  ASSERT_TRUE(s.value("committed", false)) << s.dump(2);
  const std::string tx_id = s.value("tx_id", "");
  ASSERT_TRUE(is_hex64(tx_id)) << tx_id;
  const uint64_t fee = s.value("fee", uint64_t{0});
  const uint64_t tx_height = s.value("height", uint64_t{0});
  EXPECT_EQ(s.value("nonce", uint64_t{99}), nonce_before);
  ASSERT_TRUE(s.contains("result")) << s.dump(2);
  EXPECT_EQ(s["result"].value("code", 99u), 0u);
  EXPECT_EQ(s["result"].value("fee_paid", uint64_t{0}), fee);
  EXPECT_GT(tx_height, 0u);

  // Exact amounts: the recipient got the amount, the sender paid amount + fee.
  EXPECT_EQ(balance(to), kAmount);
  EXPECT_EQ(balance(dev_), dev_before - kAmount - fee);
  EXPECT_EQ(nonce(dev_), nonce_before + 1);

  auto r = cli({"balance", to});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_NE(r.out.find("150000000 (1.50000000 BTT)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("next nonce:"), std::string::npos) << r.out;
  r = cli({"balance", "--key", key});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_NE(r.out.find(to), std::string::npos) << r.out;

  // The tx.
  const Json t = cli_json({"tx", tx_id});
  EXPECT_EQ(t.value("tx_id", ""), tx_id);
  EXPECT_EQ(t.value("code", 99u), 0u);
  EXPECT_EQ(t.value("sender", ""), dev_);
  EXPECT_EQ(t.value("height", uint64_t{0}), tx_height);
  EXPECT_EQ(t.value("fee", uint64_t{0}), fee);
  EXPECT_EQ(t.value("memo", ""), "cli test");
  ASSERT_EQ(t["messages"].size(), 1u) << t.dump(2);
  EXPECT_EQ(t["messages"][0].value("type", ""), "transfer");
  EXPECT_EQ(t["messages"][0].value("to", ""), to);
  EXPECT_EQ(t["messages"][0].value("amount", uint64_t{0}), kAmount);
  bool found_transfer = false;
  for (const auto& e : t["events"]) {
    if (e.value("type", "") != "bank.transfer") continue;
    found_transfer = true;
    EXPECT_EQ(e["attributes"].value("from", ""), dev_);
    EXPECT_EQ(e["attributes"].value("to", ""), to);
    EXPECT_EQ(e["attributes"].value("amount", ""), std::to_string(kAmount));
  }
  EXPECT_TRUE(found_transfer) << t.dump(2);
  r = cli({"tx", tx_id});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_NE(r.out.find("bank.transfer"), std::string::npos) << r.out;

  // The block, by height and by hash.
  const Json b = cli_json({"block", std::to_string(tx_height)});
  EXPECT_EQ(b.value("height", uint64_t{0}), tx_height);
  EXPECT_EQ(b.value("chain_id", ""), kChainId);
  const std::string hash = b.value("hash", "");
  ASSERT_TRUE(is_hex64(hash)) << b.dump(2);
  bool in_block = false;
  for (const auto& id : b["tx_ids"]) in_block = in_block || id == tx_id;
  EXPECT_TRUE(in_block) << b.dump(2);
  EXPECT_GE(b.value("tx_count", 0u), 1u);
  EXPECT_EQ(cli_json({"block", hash}).value("height", uint64_t{0}), tx_height);
  r = cli({"block", std::to_string(tx_height)});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_NE(r.out.find(tx_id), std::string::npos) << r.out;

  // The recipient's history.
  const Json h = cli_json({"account-txs", to, "--limit", "10"});
  ASSERT_EQ(h["txs"].size(), 1u) << h.dump(2);
  EXPECT_EQ(h["txs"][0].value("tx_id", ""), tx_id);
}

TEST_F(CliNodeTest, FailedTxsExitNonZeroWithTheirCode) {
  const auto [key, to] = new_key("poor");
  const uint64_t dev_balance = balance(dev_);

  // More than the sender has: failed with fee (300), whether caught at admission or in the block.
  auto r = cli({"send", "--key", dev_key_, "--to", to, "--amount", std::to_string(dev_balance + 1),
                "--wait", "--json"});
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  Json j = parse_json(r);
  const uint64_t admission = j.value("code", uint64_t{0});
  const uint64_t in_block = j.contains("result") ? j["result"].value("code", uint64_t{0}) : 0;
  EXPECT_TRUE(admission == 300 || in_block == 300) << j.dump(2);
  EXPECT_NE(r.err.find("300"), std::string::npos) << describe(r);
  EXPECT_EQ(balance(to), 0u);

  // Human output names the code as well.
  r = cli({"send", "--key", dev_key_, "--to", to, "--amount", std::to_string(dev_balance + 1),
           "--wait"});
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  EXPECT_NE((r.out + r.err).find("INSUFFICIENT_FUNDS"), std::string::npos) << describe(r);

  // An account with no BTT cannot pay the fee: rejected at admission (202).
  r = cli({"send", "--key", key, "--to", dev_, "--amount", "1", "--nonce", "0", "--json"});
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  j = parse_json(r);
  EXPECT_EQ(j["error"].value("btt_code", uint64_t{0}), 202u) << j.dump(2);
  EXPECT_EQ(j["error"].value("kind", std::string()), "rejected") << j.dump(2);

  // A fee below the minimum is refused (103) when the chain has a minimum fee.
  const uint64_t min_fee = cli_json({"status"}).value("min_fee", uint64_t{0});
  if (min_fee > 0) {
    r = cli({"send", "--key", dev_key_, "--to", to, "--amount", "1", "--fee",
             std::to_string(min_fee - 1), "--json"});
    EXPECT_EQ(r.exit_code, 1) << describe(r);
    EXPECT_EQ(parse_json(r)["error"].value("btt_code", uint64_t{0}), 103u) << describe(r);
  }

  // Lookups of things that do not exist.
  r = cli({"tx", std::string(64, '0')});
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  EXPECT_NE(r.err.find("error: NOT_FOUND"), std::string::npos) << describe(r);
  r = cli({"block", "999999999"});
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  EXPECT_EQ(r.err.rfind("error: ", 0), 0u) << describe(r);
}

TEST_F(CliNodeTest, DryRunBroadcastsNothing) {
  const auto [key, to] = new_key("dry");
  const uint64_t dev_before = balance(dev_);
  const uint64_t nonce_before = nonce(dev_);
  const Json d = cli_json({"send", "--key", dev_key_, "--to", to, "--amount", "1000", "--dry-run"});
  EXPECT_TRUE(d.value("dry_run", false));
  EXPECT_EQ(d.value("code", 99u), 0u) << d.dump(2);
  EXPECT_TRUE(is_hex64(d.value("tx_id", ""))) << d.dump(2);

  wait_past(height() + 1);
  EXPECT_EQ(balance(to), 0u);
  EXPECT_EQ(balance(dev_), dev_before);
  EXPECT_EQ(nonce(dev_), nonce_before);
  auto r = cli({"tx", d.value("tx_id", "")});
  EXPECT_EQ(r.exit_code, 1) << describe(r);
}

TEST_F(CliNodeTest, SendsInARowTakeTheNextPendingNonce) {
  const auto [k, to] = new_key("row");
  // Three sends without --nonce and without waiting: each takes the nonce after the pending ones.
  for (uint64_t amount : {10u, 20u, 30u}) {
    auto r = cli({"send", "--key", dev_key_, "--to", to, "--amount", std::to_string(amount)});
    ASSERT_EQ(r.exit_code, 0) << describe(r);
  }
  send_wait(to, 40);
  EXPECT_EQ(balance(to), 100u);
}

// Tokenomics through the CLI against a dev net: the allocation at genesis, vesting locks on the
// validator (every vesting and Foundation beneficiary of `bttd init`), projections, the
// emission, burns and a milestone approved by the dev key (the dev net's milestone authority).
TEST_F(CliNodeTest, TokenomicsSupplyVestingEmissionBurnAndMilestones) {
  constexpr uint64_t kBtt = 100'000'000;
  constexpr uint64_t kMonthS = 2'592'000;
  const std::string validator_key = (home_ / "keys" / "validator.json").string();
  const std::string validator = address_of(validator_key);
  wait_past(1);  // block 1 pays emission epoch 0

  Json s = cli_json({"supply"});
  EXPECT_EQ(s.value("fixed_supply", uint64_t{0}), 210'000'000 * kBtt);
  EXPECT_EQ(s.value("total_supply", uint64_t{0}), 210'000'000 * kBtt);
  EXPECT_EQ(s.value("locked", uint64_t{0}), 75'600'000 * kBtt);
  EXPECT_EQ(s.value("burned", uint64_t{1}), 0u);
  // Circulating is the dev account's 2,100,000 BTT (pools, escrow and fee pool excluded).
  EXPECT_EQ(s.value("circulating", uint64_t{0}), node::kDevAccountBalance);
  ASSERT_EQ(s["locked_by_category"].size(), 6u) << s.dump(2);
  EXPECT_EQ(s["locked_by_category"][0].value("amount", uint64_t{0}), 21'000'000 * kBtt);

  Json v = cli_json({"vesting", validator});
  EXPECT_EQ(v.value("balance", uint64_t{0}), 75'600'000 * kBtt);
  EXPECT_EQ(v.value("locked", uint64_t{0}), 75'600'000 * kBtt);
  EXPECT_EQ(v.value("spendable", uint64_t{1}), 0u);
  ASSERT_EQ(v["schedules"].size(), 6u) << v.dump(2);
  const uint64_t start_s = v["schedules"][0].value("start_ms", uint64_t{0}) / 1000;
  // Projected to China Oral's cliff (6 months): 3,500,000 BTT of it released; the four 30-month
  // rows 6/30 of 18,900,000.
  v = cli_json({"vesting", validator, "--at", std::to_string(start_s + 6 * kMonthS)});
  EXPECT_TRUE(v.value("projected", false));
  EXPECT_EQ(v["schedules"][0].value("released", uint64_t{0}), 3'500'000 * kBtt);
  EXPECT_EQ(v.value("locked", uint64_t{0}), (75'600'000 - 3'500'000 - 3'780'000) * kBtt);
  auto r = cli({"vesting", validator, "--at", "next tuesday"});
  EXPECT_EQ(r.exit_code, 2) << describe(r);
  const Json a = cli_json({"allocations", "--at", std::to_string(start_s + 36 * kMonthS)});
  ASSERT_EQ(a["categories"].size(), 11u) << a.dump(2);
  EXPECT_EQ(a["categories"][0].value("locked", uint64_t{1}), 0u);

  const Json e = cli_json({"emission", "--limit", "2"});
  EXPECT_EQ(e.value("total", uint64_t{0}), 63'000'000 * kBtt);
  EXPECT_EQ(e.value("total_epochs", uint64_t{0}), 2'920u);
  EXPECT_EQ(e["by_year"][0].value("budget", uint64_t{0}), 1'514'008'471'526'258u);
  EXPECT_EQ(e.value("epochs_paid", uint64_t{0}), 1u);
  EXPECT_EQ(e.value("escrow_balance", uint64_t{0}), 4'147'968'415'140u);
  ASSERT_EQ(e["epochs"].size(), 2u);

  // Locked tokens do not move: with 1 BTT spendable for fees, sending 2 BTT fails with 303.
  send_wait(validator, kBtt);
  r = cli({"send", "--key", validator_key, "--to", dev_, "--amount", std::to_string(2 * kBtt),
           "--wait"});
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  EXPECT_NE(r.err.find("303 (LOCKED_FUNDS)"), std::string::npos) << describe(r);
  EXPECT_NE(r.err.find("the rest is locked"), std::string::npos) << describe(r);

  // A burn shrinks the supply for good and is tracked under "holder".
  const Json b =
      cli_json({"burn", "--key", dev_key_, "--amount", std::to_string(5 * kBtt), "--wait"});
  EXPECT_EQ(b["result"].value("code", 99u), 0u) << b.dump(2);
  s = cli_json({"supply"});
  EXPECT_EQ(s.value("total_supply", uint64_t{0}), (210'000'000 - 5) * kBtt);
  EXPECT_EQ(s.value("burned", uint64_t{0}), 5 * kBtt);
  ASSERT_EQ(s["burned_by_source"].size(), 1u);
  EXPECT_EQ(s["burned_by_source"][0].value("source", ""), "holder");

  // The dev key approves a Foundation milestone; the validator cannot.
  const Json m = cli_json({"approve-milestone", "--key", dev_key_, "--milestone", "devnet up",
                           "--amount", std::to_string(1'000 * kBtt), "--wait"});
  EXPECT_EQ(m["result"].value("code", 99u), 0u) << m.dump(2);
  r = cli({"approve-milestone", "--key", validator_key, "--milestone", "mine", "--amount", "1",
           "--wait"});
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  EXPECT_NE(r.err.find("304 (UNAUTHORIZED)"), std::string::npos) << describe(r);
  const Json f = cli_json({"allocations"});
  EXPECT_EQ(f["categories"][5].value("id", ""), "foundation");
  EXPECT_EQ(f["categories"][5].value("approved", uint64_t{0}), 1'000 * kBtt);
  ASSERT_EQ(f["categories"][5]["milestones"].size(), 1u);
  EXPECT_EQ(f["categories"][5]["milestones"][0].value("milestone", ""), "devnet up");
}

TEST_F(CliNodeTest, BalanceOfAnUnregisteredAssetIsAnError) {
  auto r = cli({"balance", dev_, "--asset", "NOPE"});
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  EXPECT_NE(r.err.find("not registered"), std::string::npos) << describe(r);
}

TEST_F(CliNodeTest, MultisendPaysEveryOutput) {
  const auto [ka, a] = new_key("a");
  const auto [kb, b] = new_key("b");
  const uint64_t dev_before = balance(dev_);
  const Json s = cli_json({"multisend", "--key", dev_key_, "--output", a + ":100", "--output",
                           b + ":250:BTT", "--memo", "split", "--wait"});
  ASSERT_EQ(s.value("code", 99u), 0u) << s.dump(2);
  ASSERT_TRUE(s.value("committed", false)) << s.dump(2);
  EXPECT_EQ(s["result"].value("code", 99u), 0u) << s.dump(2);
  const uint64_t fee = s.value("fee", uint64_t{0});
  EXPECT_EQ(balance(a), 100u);
  EXPECT_EQ(balance(b), 250u);
  EXPECT_EQ(balance(dev_), dev_before - 350 - fee);

  const Json t = cli_json({"tx", s.value("tx_id", "")});
  ASSERT_EQ(t["messages"].size(), 1u);
  EXPECT_EQ(t["messages"][0].value("type", ""), "multi_transfer");
  EXPECT_EQ(t["messages"][0]["outputs"].size(), 2u);
}

TEST_F(CliNodeTest, BalancesPersistAcrossRestart) {
  const auto [key, to] = new_key("keeper");
  const Json s = send_wait(to, 12'345);
  const uint64_t dev_balance = balance(dev_);
  const uint64_t dev_nonce = nonce(dev_);
  const uint64_t h = height();

  EXPECT_EQ(node_->stop(), 0) << node_->log_tail();
  EXPECT_FALSE(node_->running());
  auto r = cli({"status", "--timeout", "3"});
  EXPECT_EQ(r.exit_code, 1) << describe(r);

  node_->start();
  EXPECT_GE(height(), h);
  EXPECT_EQ(balance(to), 12'345u);
  EXPECT_EQ(balance(dev_), dev_balance);
  EXPECT_EQ(nonce(dev_), dev_nonce);
  EXPECT_EQ(cli_json({"tx", s.value("tx_id", "")}).value("code", 99u), 0u);

  // The chain goes on, and the next tx uses the persisted nonce.
  const Json s2 = send_wait(to, 5);
  EXPECT_EQ(s2.value("nonce", uint64_t{0}), dev_nonce);
  EXPECT_EQ(balance(to), 12'350u);
}

TEST_F(CliNodeTest, EventsAndWatchStreamAndStopAfterCount) {
  const auto [key, to] = new_key("watched");
  const Json s = send_wait(to, 777);
  const std::string tx_id = s.value("tx_id", "");

  auto r = cli({"events", "--address", to, "--from", "1", "--count", "1", "--json"}, 30);
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  auto lines = parse_json_lines(r.out);
  ASSERT_EQ(lines.size(), 1u) << r.out;
  EXPECT_EQ(lines[0].value("type", ""), "bank.transfer") << lines[0].dump();
  EXPECT_EQ(lines[0].value("tx_id", ""), tx_id);
  EXPECT_EQ(lines[0].value("height", uint64_t{0}), s.value("height", uint64_t{1}));
  EXPECT_EQ(lines[0]["attributes"].value("amount", ""), "777");

  // The balance changes: the recipient's credit of exactly the amount, as JSON and as a line.
  r = cli({"events", "--type", "balance_change", "--address", to, "--from", "1", "--count", "1",
           "--json"},
          30);
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  lines = parse_json_lines(r.out);
  ASSERT_EQ(lines.size(), 1u) << r.out;
  EXPECT_EQ(lines[0].value("type", ""), "balance_change") << lines[0].dump();
  EXPECT_EQ(lines[0].value("tx_id", ""), tx_id);
  EXPECT_EQ(lines[0]["balance_change"], Json({{"address", to},
                                              {"asset", "BTT"},
                                              {"amount", 777},
                                              {"direction", "BALANCE_DIRECTION_CREDIT"}}))
      << lines[0].dump();
  r = cli({"events", "--type", "balance_change", "--address", to, "--from", "1", "--count", "1"},
          30);
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_NE(r.out.find("balance_change address=" + to + " asset=BTT amount=777 direction=credit"),
            std::string::npos)
      << r.out;

  r = cli({"events", "--type", "bank.transfer", "--address", to, "--from", "1", "--count", "1"},
          30);
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_NE(r.out.find("bank.transfer"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(tx_id), std::string::npos) << r.out;

  // Without --count the stream runs until killed; what came before the kill was printed.
  r = cli({"events", "--address", to, "--from", "1", "--json"}, 5);
  EXPECT_TRUE(r.timed_out) << describe(r);
  lines = parse_json_lines(r.out);
  ASSERT_GE(lines.size(), 1u) << r.out;
  EXPECT_EQ(lines[0].value("tx_id", ""), tx_id);

  r = cli({"watch", "--from", "1", "--count", "3", "--json"}, 30);
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  lines = parse_json_lines(r.out);
  ASSERT_EQ(lines.size(), 3u) << r.out;
  for (uint64_t i = 0; i < 3; ++i) {
    EXPECT_EQ(lines[i].value("height", uint64_t{0}), i + 1) << lines[i].dump();
    EXPECT_TRUE(is_hex64(lines[i].value("hash", ""))) << lines[i].dump();
    EXPECT_TRUE(lines[i].contains("tx_count"));
  }

  // New blocks only (from 0), human output.
  r = cli({"watch", "--count", "1"}, 30);
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_NE(r.out.find("height="), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("txs="), std::string::npos) << r.out;

  const Json f = cli_json({"fee"});
  EXPECT_GE(f.value("suggested", uint64_t{0}), f.value("min_fee", uint64_t{0}));
}

// --json --wait: the top-level code is the tx's result in its block; admission_code is what
// admission answered. A transfer above the balance is admitted (admission does not run
// messages) and fails in its block with 300.
TEST_F(CliNodeTest, JsonWaitTopLevelCodeIsTheTxsResult) {
  const auto [key, to] = new_key("over");
  const uint64_t dev_balance = balance(dev_);
  auto r = cli({"bank", "send", "--key", dev_key_, "--to", to, "--amount",
                std::to_string(dev_balance), "--wait", "--json"});
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  const Json j = parse_json(r);
  EXPECT_EQ(j.value("code", uint64_t{0}), 300u) << j.dump(2);
  EXPECT_EQ(j.value("code_name", ""), "INSUFFICIENT_FUNDS") << j.dump(2);
  EXPECT_EQ(j.value("admission_code", uint64_t{99}), 0u) << j.dump(2);
  EXPECT_TRUE(j.value("committed", false)) << j.dump(2);
  EXPECT_EQ(j["result"].value("code", uint64_t{0}), 300u) << j.dump(2);
  EXPECT_EQ(j.value("log", ""), j["result"].value("log", "-")) << j.dump(2);
  EXPECT_EQ(balance(to), 0u);

  // Without --wait the code is admission's.
  const Json a = cli_json({"send", "--key", dev_key_, "--to", to, "--amount", "1"});
  EXPECT_EQ(a.value("code", uint64_t{99}), 0u) << a.dump(2);
  EXPECT_EQ(a.value("admission_code", uint64_t{99}), 0u) << a.dump(2);
}

// The module groups work like the top-level aliases, and --dry-run/--wait come with every tx
// command (here tokenomics burn).
TEST_F(CliNodeTest, GroupsAliasesDryRunAndWaitOnTokenomics) {
  constexpr uint64_t kBtt = 100'000'000;
  EXPECT_EQ(cli_json({"bank", "balance", dev_, "--asset", "BTT"}).value("amount", uint64_t{0}),
            balance(dev_));
  const Json s = cli_json({"tokenomics", "supply"});
  EXPECT_EQ(s.value("fixed_supply", uint64_t{0}), 210'000'000 * kBtt);
  const Json top = cli_json({"supply"});
  EXPECT_EQ(top.value("fixed_supply", uint64_t{0}), s.value("fixed_supply", uint64_t{1}));
  EXPECT_EQ(top.value("total_supply", uint64_t{0}), s.value("total_supply", uint64_t{1}));

  const uint64_t dev_before = balance(dev_);
  const Json d = cli_json(
      {"tokenomics", "burn", "--key", dev_key_, "--amount", std::to_string(kBtt), "--dry-run"});
  EXPECT_TRUE(d.value("dry_run", false)) << d.dump(2);
  EXPECT_EQ(d.value("code", 99u), 0u) << d.dump(2);
  bool burn_event = false;
  for (const auto& e : d["events"])
    burn_event = burn_event || e.value("type", "") == "tokenomics.burn";
  EXPECT_TRUE(burn_event) << d.dump(2);
  wait_past(height() + 1);
  EXPECT_EQ(balance(dev_), dev_before);
  EXPECT_EQ(cli_json({"supply"}).value("burned", uint64_t{1}), 0u);

  const Json w = cli_json(
      {"tokenomics", "burn", "--key", dev_key_, "--amount", std::to_string(kBtt), "--wait"});
  EXPECT_EQ(w.value("code", 99u), 0u) << w.dump(2);
  EXPECT_TRUE(w.value("committed", false)) << w.dump(2);
  EXPECT_EQ(w["result"].value("code", 99u), 0u) << w.dump(2);
  EXPECT_EQ(cli_json({"tokenomics", "supply"}).value("burned", uint64_t{0}), kBtt);
  EXPECT_EQ(balance(dev_), dev_before - kBtt - w.value("fee", uint64_t{0}));

  // The burn decoded in the tx.
  const Json t = cli_json({"tx", w.value("tx_id", "")});
  ASSERT_EQ(t["messages"].size(), 1u) << t.dump(2);
  EXPECT_EQ(t["messages"][0], Json({{"type", "burn"}, {"amount", kBtt}})) << t.dump(2);
}

// Bank.GetSupply, Blocks.GetBlockResult and Consensus.GetEvidence have commands.
TEST_F(CliNodeTest, SupplyBlockResultAndEvidence) {
  const auto [key, to] = new_key("res");
  const Json s = send_wait(to, 4'321);
  const std::string tx_id = s.value("tx_id", "");
  const uint64_t h = s.value("height", uint64_t{0});
  const uint64_t fee = s.value("fee", uint64_t{0});

  const Json br = cli_json({"block-result", std::to_string(h)});
  EXPECT_EQ(br.value("height", uint64_t{0}), h);
  ASSERT_EQ(br["txs"].size(), 1u) << br.dump(2);
  EXPECT_EQ(br["txs"][0].value("tx_id", ""), tx_id);
  EXPECT_EQ(br["txs"][0].value("code", 99u), 0u);
  EXPECT_EQ(br["txs"][0].value("index", 99u), 0u);
  EXPECT_EQ(br["txs"][0].value("fee_paid", uint64_t{0}), fee);
  EXPECT_TRUE(br["events"].is_array());
  auto r = cli({"block-result", std::to_string(h)});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_NE(r.out.find("tx=" + tx_id + " code=0 (OK) fee_paid=" + std::to_string(fee)),
            std::string::npos)
      << r.out;
  r = cli({"block-result", "abc"});
  EXPECT_EQ(r.exit_code, 2) << describe(r);

  const Json supply = cli_json({"bank", "supply"});
  EXPECT_GE(supply.value("height", uint64_t{0}), h);
  ASSERT_EQ(supply["total"].size(), 1u) << supply.dump(2);
  EXPECT_EQ(supply["total"][0].value("asset", ""), "BTT");
  EXPECT_EQ(supply["total"][0].value("amount", uint64_t{0}),
            cli_json({"tokenomics", "supply"}).value("total_supply", uint64_t{1}));
  r = cli({"bank", "supply"});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_NE(r.out.find("total BTT:"), std::string::npos) << r.out;

  // A single honest validator: no evidence, pending or committed.
  const Json ev = cli_json({"evidence", "--from", "1", "--limit", "10"});
  EXPECT_EQ(ev.value("pending", Json()), Json::array()) << ev.dump(2);
  EXPECT_EQ(ev.value("committed", Json()), Json::array()) << ev.dump(2);
  EXPECT_FALSE(ev.value("truncated", true));
  EXPECT_GE(ev.value("height", uint64_t{0}), h);
  r = cli({"evidence"});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_NE(r.out.find("pending:"), std::string::npos) << r.out;
}

// btt.v1.Roles has commands: list, get and account; the dev key approves milestones and is the
// dev net's role admin, so it holds milestone_authority and role_admin from genesis.
TEST_F(CliNodeTest, RolesListGetAndAccount) {
  const Json l = cli_json({"roles", "list"});
  ASSERT_EQ(l["roles"].size(), 8u) << l.dump(2);
  std::map<std::string, Json> by_role;
  for (const auto& r : l["roles"]) by_role[r.value("role", "")] = r.value("addresses", Json());
  EXPECT_EQ(by_role["milestone_authority"], Json::array({dev_})) << l.dump(2);
  EXPECT_EQ(by_role["role_admin"], Json::array({dev_})) << l.dump(2);

  const Json g = cli_json({"roles", "get", "milestone_authority"});
  EXPECT_EQ(g["role"].value("role", ""), "milestone_authority") << g.dump(2);
  EXPECT_EQ(g["role"].value("addresses", Json()), Json::array({dev_})) << g.dump(2);
  ASSERT_EQ(g["grants"].size(), 1u) << g.dump(2);
  EXPECT_EQ(g["grants"][0].value("address", ""), dev_);
  EXPECT_EQ(g["grants"][0].value("granted_height", uint64_t{99}), 0u);

  const Json a = cli_json({"roles", "account", dev_});
  EXPECT_EQ(a.value("roles", Json()), Json::array({"milestone_authority", "role_admin"}))
      << a.dump(2);
  auto r = cli({"roles", "account", dev_});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_NE(r.out.find("roles:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("milestone_authority"), std::string::npos) << r.out;

  // An unknown role is the node's refusal (exit 1); a bad address never leaves the CLI (exit 2).
  r = cli({"roles", "get", "wizard", "--json"});
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  const Json e = parse_json(r);
  EXPECT_EQ(e["error"].value("code", ""), "INVALID_ARGUMENT") << e.dump(2);
  EXPECT_NE(r.err.find("is not a known role"), std::string::npos) << describe(r);
  r = cli({"roles", "account", "btt1nope"});
  EXPECT_EQ(r.exit_code, 2) << describe(r);
}

// btt.v1.Params has commands: params get and params list, numbers as JSON numbers as in every
// --json answer.
TEST_F(CliNodeTest, ParamsGetAndList) {
  const Json g = cli_json({"params", "get", "ledger"});
  EXPECT_EQ(g.value("module", ""), "ledger") << g.dump(2);
  EXPECT_EQ(g.value("type", ""), "btt.v1.LedgerParams") << g.dump(2);
  ASSERT_TRUE(g.contains("params")) << g.dump(2);
  EXPECT_TRUE(g["params"]["min_fee"].is_number_unsigned()) << g.dump(2);
  EXPECT_EQ(g["params"].value("min_fee", uint64_t{0}),
            cli_json({"status"}).value("min_fee", uint64_t{1}));
  EXPECT_EQ(g["params"].value("max_block_bytes", uint64_t{0}), 8u << 20) << g.dump(2);

  const Json l = cli_json({"params", "list"});
  std::vector<std::string> names;
  for (const auto& m : l["modules"]) names.push_back(m.value("module", ""));
  EXPECT_EQ(names, (std::vector<std::string>{"ledger", "tokenomics", "compute", "staking",
                                             "governance", "oracle", "payfi", "rwa", "consent"}))
      << l.dump(2);
  EXPECT_EQ(l["modules"][2].value("type", ""), "btt.v1.ComputeParams") << l.dump(2);
  EXPECT_TRUE(l["modules"][2]["params"].is_object()) << l.dump(2);

  auto r = cli({"params", "get", "compute"});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_NE(r.out.find("type:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("compute.min_bond:"), std::string::npos) << r.out;
  r = cli({"params", "list"});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_NE(r.out.find("ledger.min_fee:"), std::string::npos) << r.out;

  r = cli({"params", "get", "incentives", "--json"});
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  EXPECT_EQ(parse_json(r)["error"].value("code", ""), "NOT_FOUND") << describe(r);
  EXPECT_NE(r.err.find("no module 'incentives'; modules with params: ledger, tokenomics, "
                       "compute, staking, governance, oracle, payfi, rwa"),
            std::string::npos)
      << describe(r);
}

// A failure's module detail and code space (the node's btt-detail/btt-codespace trailers, or the
// tx result's fields) are printed with the failure, in words and in --json; exit codes stay.
TEST_F(CliNodeTest, FailuresShowTheirDetailAndCodespace) {
  auto r = cli({"roles", "get", "wizard", "--json"});
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  Json e = parse_json(r)["error"];
  EXPECT_EQ(e.value("btt_code", 0u), 114u) << e.dump(2);
  EXPECT_EQ(e.value("btt_detail", 0u), 4001u) << e.dump(2);
  EXPECT_EQ(e.value("codespace", ""), "roles") << e.dump(2);
  r = cli({"roles", "get", "wizard"});
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  const auto tag = r.err.find("[roles 4001]");
  EXPECT_NE(tag, std::string::npos) << describe(r);
  EXPECT_EQ(r.err.find("[roles 4001]", tag + 1), std::string::npos) << "printed twice\n"
                                                                    << describe(r);

  // Refused at admission (the message's check): the same detail.
  r = cli({"roles", "grant", "--key", dev_key_, "--role", "wizard", "--address", dev_, "--json"});
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  e = parse_json(r)["error"];
  EXPECT_EQ(e.value("code", ""), "INVALID_ARGUMENT") << e.dump(2);
  EXPECT_EQ(e.value("btt_detail", 0u), 4001u) << e.dump(2);
  EXPECT_EQ(e.value("codespace", ""), "roles") << e.dump(2);

  // Failed with fee (a funded key that is no role_admin; the dev key is the dev net's):
  // simulated, then in its block.
  const auto [outsider_key, outsider] = new_key("outsider");
  ASSERT_EQ(
      cli({"send", "--key", dev_key_, "--to", outsider, "--amount", "1000000", "--wait"}).exit_code,
      0);
  r = cli({"roles", "grant", "--key", outsider_key, "--role", "price_oracle", "--address", dev_,
           "--dry-run", "--json"});
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  Json d = parse_json(r);
  EXPECT_EQ(d.value("code", 0u), 304u) << d.dump(2);
  EXPECT_EQ(d.value("detail", 0u), 4003u) << d.dump(2);
  EXPECT_EQ(d.value("codespace", ""), "roles") << d.dump(2);
  r = cli({"roles", "grant", "--key", outsider_key, "--role", "price_oracle", "--address", dev_,
           "--wait", "--json"});
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  d = parse_json(r);
  EXPECT_EQ(d.value("code", 0u), 304u) << d.dump(2);
  EXPECT_EQ(d.value("detail", 0u), 4003u) << d.dump(2);
  EXPECT_EQ(d.value("codespace", ""), "roles") << d.dump(2);
  ASSERT_TRUE(d.contains("result")) << d.dump(2);
  EXPECT_EQ(d["result"].value("detail", 0u), 4003u) << d.dump(2);
  EXPECT_NE(r.err.find("304 (UNAUTHORIZED) [roles 4003]"), std::string::npos) << describe(r);
  const std::string tx_id = d.value("tx_id", "");
  const Json t = cli_json({"tx", tx_id});
  EXPECT_EQ(t.value("detail", 0u), 4003u) << t.dump(2);
  EXPECT_EQ(t.value("codespace", ""), "roles") << t.dump(2);
  r = cli({"tx", tx_id});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_NE(r.out.find("304 (UNAUTHORIZED) [roles 4003]"), std::string::npos) << r.out;
}

// The staking queries on a chain without staking (`bttd init --dev` writes no staking section):
// each command is the node's FAILED_PRECONDITION with staking_not_enabled (5001); bad input never
// leaves the CLI. The validator set of a height comes from Consensus.GetValidators on any chain.
TEST_F(CliNodeTest, StakingQueriesSayStakingIsOffAndTheSetOfAHeightIsShown) {
  const Json consensus = cli_json({"consensus"});
  ASSERT_EQ(consensus["validators"].size(), 1u) << consensus.dump(2);
  const std::string validator = consensus["validators"][0].value("address", "");
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"staking", "validators", "--not-jailed", "--limit", "5"},
           {"staking", "validator", validator},
           {"staking", "validator", dev_, "--operator"},
           {"staking", "delegations", dev_},
           {"staking", "unbondings", "--delegator", dev_},
           {"staking", "unbondings", "--validator", validator},
           {"staking", "redelegations", "--delegator", dev_, "--to", validator},
           {"staking", "validator-rewards", validator},
           {"staking", "rewards", dev_},
           {"staking", "rewards", dev_, "--validator", validator},
           {"staking", "signing-info", validator},
           {"staking", "locks", dev_},
           {"staking", "params"}}) {
    auto with_json = args;
    with_json.push_back("--json");
    auto r = cli(with_json);
    EXPECT_EQ(r.exit_code, 1) << describe(r);
    const Json e = parse_json(r)["error"];
    EXPECT_EQ(e.value("code", ""), "FAILED_PRECONDITION") << e.dump(2);
    EXPECT_EQ(e.value("btt_code", 0u), 308u) << e.dump(2);
    EXPECT_EQ(e.value("btt_detail", 0u), 5001u) << e.dump(2);
    EXPECT_EQ(e.value("codespace", ""), "staking") << e.dump(2);
    r = cli(args);
    EXPECT_EQ(r.exit_code, 1) << describe(r);
    EXPECT_NE(r.err.find("staking is not enabled on this chain"), std::string::npos) << describe(r);
    EXPECT_NE(r.err.find("[staking 5001]"), std::string::npos) << describe(r);
  }
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"staking", "validator", "btt1nope"},
                                             {"staking", "unbondings"},
                                             {"staking", "redelegations"},
                                             {"staking", "rewards", dev_, "--validator", "nope"},
                                             {"staking", "validators", "--jailed", "--not-jailed"},
                                             {"staking", "signing-info"},
                                             {"staking", "set", "--height", "x"}}) {
    const auto r = cli(args);
    EXPECT_EQ(r.exit_code, 2) << describe(r);
  }

  // The set deciding the next height, and the one of height 1.
  const uint64_t tip = height();
  Json set = cli_json({"staking", "set"});
  EXPECT_GE(set.value("set_height", uint64_t{0}), tip + 1) << set.dump(2);
  ASSERT_EQ(set["validators"].size(), 1u) << set.dump(2);
  EXPECT_EQ(set["validators"][0].value("address", ""), validator);
  EXPECT_EQ(set.value("total_power", uint64_t{0}),
            set["validators"][0].value("power", uint64_t{1}));
  EXPECT_EQ(set.value("proposer", ""), validator);
  set = cli_json({"staking", "set", "--height", "1"});
  EXPECT_EQ(set.value("set_height", uint64_t{0}), 1u) << set.dump(2);
  EXPECT_EQ(set["validators"][0].value("address", ""), validator);
  auto r = cli({"staking", "set", "--height", "1"});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_NE(r.out.find("set_height:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(validator), std::string::npos) << r.out;
  r = cli({"staking", "set", "--height", "1000000", "--json"});
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  EXPECT_EQ(parse_json(r)["error"].value("code", ""), "NOT_FOUND") << describe(r);
  EXPECT_NE(r.err.find("is not known yet"), std::string::npos) << describe(r);
}

// Compute messages print decoded in `tx` and `account-txs`, with bytes as hex and 64-bit
// numbers as JSON numbers; compute records the same way.
TEST_F(CliNodeTest, ComputeMessagesPrintDecoded) {
  constexpr uint64_t kBond = 1'000 * 100'000'000ull;
  const Json d =
      cli_json({"compute", "register", "--key", dev_key_, "--model", "H100", "--memory-gb", "80",
                "--region", "KE", "--price", "40", "--bond", std::to_string(kBond), "--dry-run"});
  EXPECT_TRUE(d.value("dry_run", false)) << d.dump(2);
  EXPECT_EQ(d.value("code", 99u), 0u) << d.dump(2);
  auto r = cli({"compute", "node", dev_});
  EXPECT_EQ(r.exit_code, 1) << "the dry run registered the node\n" << describe(r);

  const Json w =
      cli_json({"compute", "register", "--key", dev_key_, "--model", "H100", "--memory-gb", "80",
                "--region", "KE", "--price", "40", "--bond", std::to_string(kBond), "--wait"});
  ASSERT_EQ(w.value("code", 99u), 0u) << w.dump(2);
  const std::string reg_id = w.value("tx_id", "");
  const Json t = cli_json({"tx", reg_id});
  ASSERT_EQ(t["messages"].size(), 1u) << t.dump(2);
  const Json& m = t["messages"][0];
  EXPECT_EQ(m.value("type", ""), "register_node") << m.dump(2);
  EXPECT_EQ(m["hardware"].value("accelerator_kind", ""), "gpu") << m.dump(2);
  EXPECT_EQ(m["hardware"].value("model", ""), "H100") << m.dump(2);
  EXPECT_EQ(m["hardware"].value("memory_gb", 0u), 80u) << m.dump(2);
  EXPECT_EQ(m["hardware"].value("count", 0u), 1u) << m.dump(2);
  EXPECT_EQ(m.value("region", ""), "KE") << m.dump(2);
  EXPECT_TRUE(m["price_per_cu"].is_number_unsigned()) << m.dump(2);
  EXPECT_EQ(m.value("price_per_cu", uint64_t{0}), 40u) << m.dump(2);
  EXPECT_EQ(m.value("bond", uint64_t{0}), kBond) << m.dump(2);
  r = cli({"tx", reg_id});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_NE(r.out.find("register_node hardware.accelerator_kind=gpu hardware.model=H100 "
                       "hardware.memory_gb=80 hardware.count=1 region=KE"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("unknown"), std::string::npos) << r.out;

  // A job post: its input hash (bytes) prints as hex.
  const std::string input_hash(64, 'a');
  const Json p = cli_json({"compute", "post", "--key", dev_key_, "--kind", "image-stats-v1",
                           "--input-hash", input_hash, "--input-size", "10", "--locator",
                           "file:///x", "--cu", "100", "--max-price", "50", "--wait"});
  const Json pt = cli_json({"tx", p.value("tx_id", "")});
  ASSERT_EQ(pt["messages"].size(), 1u) << pt.dump(2);
  EXPECT_EQ(pt["messages"][0].value("type", ""), "post_job") << pt.dump(2);
  EXPECT_EQ(pt["messages"][0].value("input_hash", ""), input_hash) << pt.dump(2);
  EXPECT_EQ(pt["messages"][0].value("compute_units", uint64_t{0}), 100u) << pt.dump(2);
  EXPECT_EQ(pt["messages"][0].value("urgency", ""), "URGENCY_STANDARD") << pt.dump(2);

  const Json h = cli_json({"account-txs", dev_, "--limit", "10"});
  std::set<std::string> types;
  for (const auto& tx : h["txs"]) {
    for (const auto& msg : tx["messages"]) types.insert(msg.value("type", ""));
  }
  EXPECT_EQ(types.count("register_node"), 1u) << h.dump(2);
  EXPECT_EQ(types.count("post_job"), 1u) << h.dump(2);
  r = cli({"account-txs", dev_, "--limit", "10"});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_NE(r.out.find("| register_node hardware.accelerator_kind=gpu"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("| post_job kind=image-stats-v1 input_hash=" + input_hash),
            std::string::npos)
      << r.out;

  // The node record: numbers as JSON numbers, also as "key: value" lines without --json.
  const Json n = cli_json({"compute", "node", dev_});
  EXPECT_EQ(n.value("bond", uint64_t{0}), kBond) << n.dump(2);
  EXPECT_EQ(n["hardware"].value("model", ""), "H100") << n.dump(2);
  r = cli({"compute", "node", dev_});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_NE(r.out.find("hardware.model:"), std::string::npos) << r.out;
}

// btt-cli against an in-process staking chain (testkit::RpcHarness; no dev net runs staking yet):
// `staking locks` prints the delegated vesting and delegated free BTT of an account.
TEST(CliStaking, LocksShowDelegatedVestingAndFree) {
  RpcHarness node({"alice", TestEnv::kBeneficiary}, RpcHarness::staking_section("alice"));
  const auto ben = test_key(TestEnv::kBeneficiary);
  constexpr uint64_t kBtt = 100'000'000;
  v1::Message m;
  m.mutable_delegate()->set_validator(test_key("validator").address.to_string());
  m.mutable_delegate()->set_amount(1'000'000 * kBtt);
  const auto block = node.commit({node.sign(ben, node.body(ben, m, 1000))});
  ASSERT_EQ(block.result.txs(0).code(), 0u) << block.result.txs(0).log();

  auto r = cli_at(node.address(), {"staking", "locks", ben.address.to_string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  const Json j = parse_json(r);
  EXPECT_EQ(j.value("unvested", uint64_t{0}), 75'600'000 * kBtt);
  EXPECT_EQ(j.value("staked", uint64_t{0}), 1'000'000 * kBtt);
  EXPECT_EQ(j.value("delegated_vesting", uint64_t{0}), 1'000'000 * kBtt);
  EXPECT_EQ(j.value("delegated_free", uint64_t{1}), 0u);
  EXPECT_EQ(j.value("vesting_held", uint64_t{0}), 74'600'000 * kBtt);
  EXPECT_EQ(j.value("spendable", uint64_t{0}), RpcHarness::kFundedUnits - 1000);
  r = cli_at(node.address(), {"staking", "locks", ben.address.to_string()});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_NE(r.out.find("delegated_vesting"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(std::to_string(1'000'000 * kBtt)), std::string::npos) << r.out;
  // alice, the operator, vests nothing: her self stake is delegated free.
  r = cli_at(node.address(), {"staking", "locks", test_key("alice").address.to_string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_EQ(parse_json(r).value("delegated_free", uint64_t{0}), kBtt);
}

}  // namespace
}  // namespace btt::testkit

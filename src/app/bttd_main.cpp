// bttd: the BTT full node.
//   bttd init  --home DIR [--chain-id ID] [--dev] [--staking] [--governance] [--payfi] [--rwa]
//              [--grpc-addr HOST:PORT] [--genesis FILE] [--validator-key FILE]
//   bttd export --home DIR [--height H] [--out FILE]
//   bttd start --home DIR [--grpc-addr HOST:PORT] [--log-level L] [--block-time-ms N]
//              [--wal-discard-corrupt] [--unsafe-skip-upgrade NAME]...
//   bttd testnet --dir DIR [--validators N] [--non-validators M] [--chain-id ID]
//                [--block-time-ms N] [--staking] [--governance] [--payfi] [--rwa]
//   bttd --version   (the version and the upgrade plans this binary handles)
// Exit status: 0 after a clean stop, 1 when start-up or the node fails, 2 for a bad command line,
// 3 (node::kExitUpgradeNeeded) when it stops for a software upgrade it does not handle.
#include <malloc.h>
#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <thread>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include "btt/node/config.h"
#include "btt/node/export.h"
#include "btt/node/init.h"
#include "btt/node/node.h"
#include "btt/storage/db.h"
#include "upgrades.h"

namespace {

std::filesystem::path default_home() {
  if (const char* env = std::getenv("BTT_HOME")) return env;
  if (const char* home = std::getenv("HOME")) return std::filesystem::path(home) / ".bttd";
  return ".bttd";
}

int cmd_init(const std::filesystem::path& home, const std::string& chain_id, bool dev,
             const std::string& grpc_addr, const std::string& genesis_file,
             const std::string& validator_key_file, bool staking, bool governance, bool payfi,
             bool rwa) {
  btt::node::InitOptions options;
  options.rwa = rwa;
  options.staking = staking;
  options.governance = governance;
  options.payfi = payfi;
  options.home = home;
  options.chain_id = chain_id;
  options.dev = dev;
  if (!grpc_addr.empty()) options.grpc_addr = grpc_addr;
  if (!genesis_file.empty()) options.genesis_file = genesis_file;
  if (!validator_key_file.empty()) options.validator_key_file = validator_key_file;
  auto r = btt::node::init_home(options);
  if (!r) {
    std::cerr << "error: " << r.status().message() << "\n";
    return 1;
  }
  std::cout << "config: " << r->config.string() << "\n"
            << "genesis: " << r->genesis.string() << "\n"
            << "validator_key: " << r->validator_key.string() << "\n"
            << "validator_address: " << r->validator_address << "\n";
  if (r->dev_key) {
    std::cout << "dev_key: " << r->dev_key->string() << "\n"
              << "dev_address: " << r->dev_address << "\n";
  }
  return 0;
}

int cmd_export(const std::filesystem::path& home, std::optional<uint64_t> height,
               const std::string& out_file) {
  btt::node::ExportOptions options;
  options.home = home;
  options.height = height;
  auto r = btt::node::export_home(options);
  if (!r) {
    std::cerr << "error: " << r.status().message() << "\n";
    return 1;
  }
  const std::string text = r->genesis.dump(2) + "\n";
  if (out_file.empty() || out_file == "-") {
    std::cout << text;
  } else {
    std::ofstream out(out_file, std::ios::binary | std::ios::trunc);
    if (!out || !(out << text) || !out.flush()) {
      std::cerr << "error: cannot write " << out_file << "\n";
      return 1;
    }
  }
  // On stderr, so that stdout is the genesis file alone.
  std::cerr << "exported height " << r->height << "; the imported chain starts at height "
            << r->height + 1 << " with state hash " << btt::to_hex(r->import_state_hash) << "\n";
  return 0;
}

int cmd_testnet(const btt::node::TestnetOptions& options) {
  auto r = btt::node::init_testnet(options);
  if (!r) {
    std::cerr << "error: " << r.status().message() << "\n";
    return 1;
  }
  // One line per node: its gRPC address (contrib/testnet.sh prints these).
  for (const auto& n : *r) std::cout << n.grpc_addr << "\n";
  return 0;
}

int cmd_start(const std::filesystem::path& home, const std::string& grpc_addr,
              const std::string& log_level, uint32_t block_time_ms, bool wal_discard_corrupt,
              const std::vector<std::string>& skipped_upgrades) {
  auto config = btt::node::Config::load(home);
  if (!config) {
    std::cerr << "error: " << config.status().message() << "\n";
    return 1;
  }
  if (!grpc_addr.empty()) config->grpc_addr = grpc_addr;
  if (!log_level.empty()) config->log_level = log_level;
  if (block_time_ms != 0) config->block_time_ms = block_time_ms;
  config->wal_discard_corrupt = wal_discard_corrupt;
  config->handled_upgrades = btt::app::handled_upgrades();
  config->skipped_upgrades = skipped_upgrades;
  if (auto s = config->validate(); !s) {
    std::cerr << "error: " << s.message() << "\n";
    return 1;
  }
  spdlog::set_level(spdlog::level::from_str(config->log_level));

  // Signals are taken by one thread with sigwait, so no handler runs in the middle of a commit.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  auto node = btt::node::Node::open(*config);
  if (!node) {
    spdlog::error("{}", node.status().message());
    return 1;
  }
  for (const auto& name : skipped_upgrades) {
    spdlog::warn("--unsafe-skip-upgrade {}: this binary applies that plan's height itself", name);
  }
  // Stopped at an upgrade before: this binary still does not handle it.
  if (auto plan = (*node)->upgrade_needed()) {
    (*node)->report_upgrade_halt(*plan);
    (*node)->shutdown();
    return btt::node::kExitUpgradeNeeded;
  }
  if (auto s = (*node)->start(); !s) {
    spdlog::error("{}", s.message());
    (*node)->shutdown();
    return 1;
  }
  auto* n = node->get();
  std::thread signal_thread([n, signals] {
    int sig = 0;
    sigwait(&signals, &sig);
    n->request_stop(sig == SIGINT ? "SIGINT" : "SIGTERM");
  });
  signal_thread.detach();  // it ends with the process; a later signal is harmless
  const btt::node::StopKind stopped = n->wait_for_stop();
  n->shutdown();
  switch (stopped) {
    case btt::node::StopKind::kClean:
      return 0;
    case btt::node::StopKind::kUpgrade:
      return btt::node::kExitUpgradeNeeded;
    case btt::node::StopKind::kFailure:
      break;
  }
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  // Every block allocates and frees block-sized buffers (frames up to 4 MiB, tx vectors, write
  // batches): keep freed memory in the heap rather than unmapping it and faulting it back in
  // (the default dynamic thresholds cost several percent of a loaded node's CPU in page faults).
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  auto logger = spdlog::stderr_color_mt("bttd");
  spdlog::set_default_logger(logger);
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");

  CLI::App app{"bttd: the BTT full node"};
  app.require_subcommand(0, 1);
  bool version = false;
  app.add_flag("--version", version, "print the version and exit");

  std::string home_str = default_home().string();
  std::string chain_id = "btt-devnet-1";
  bool dev = false;
  std::string grpc_addr;
  std::string log_level;
  uint32_t block_time_ms = 0;

  auto* init = app.add_subcommand("init", "create a node home: config, genesis, validator key");
  init->add_option("--home", home_str, "node home directory (default $BTT_HOME or ~/.bttd)");
  init->add_option("--chain-id", chain_id, "chain id of the new genesis");
  init->add_flag("--dev", dev, "also create a funded dev account key (keys/dev.json)");
  init->add_option("--grpc-addr", grpc_addr, "gRPC address to write into config.toml");
  std::string genesis_file, validator_key_file;
  init->add_option("--genesis", genesis_file,
                   "use this genesis file (e.g. from bttd export) instead of a new one");
  init->add_option("--validator-key", validator_key_file,
                   "copy this validator key file instead of creating a key");
  bool init_staking = false;
  init->add_flag("--staking", init_staking,
                 "run the staking module: the validator gets a 100 BTT self stake in genesis");
  bool init_governance = false;
  init->add_flag("--governance", init_governance,
                 "run governance with dev periods (1-minute votes); implies --staking");
  bool init_payfi = false;
  init->add_flag("--payfi", init_payfi,
                 "run PayFi with a 1-minute settlement cycle; the dev key is payment_gateway");
  bool init_rwa = false;
  init->add_flag("--rwa", init_rwa,
                 "run RWA; the dev key is KYC attester, asset valuer and price feeder");

  auto* exporter =
      app.add_subcommand("export", "write the committed state of a stopped node as a genesis file");
  exporter->add_option("--home", home_str, "node home directory (default $BTT_HOME or ~/.bttd)");
  std::optional<uint64_t> export_height;
  exporter->add_option("--height", export_height,
                       "committed height to export (default: the tip; lower heights replay)");
  std::string export_out;
  exporter->add_option("--out", export_out, "file to write (default: stdout)");

  btt::node::TestnetOptions testnet_options;
  std::string testnet_dir;
  auto* testnet = app.add_subcommand(
      "testnet", "create homes DIR/node0.. for a local multi-validator network on 127.0.0.1");
  testnet->add_option("--dir", testnet_dir, "directory for the node homes")->required();
  testnet->add_option("--validators", testnet_options.validators, "number of validators");
  testnet->add_option("--non-validators", testnet_options.non_validators,
                      "number of extra nodes that follow without voting");
  testnet->add_option("--chain-id", testnet_options.chain_id, "chain id of the genesis");
  testnet->add_option("--block-time-ms", testnet_options.block_time_ms,
                      "pause between a decision and the next height");
  testnet->add_flag("--staking", testnet_options.staking,
                    "run the staking module: each validator gets a 100 BTT self stake in genesis");
  testnet->add_flag("--governance", testnet_options.governance,
                    "run governance with dev periods (1-minute votes); implies --staking");
  testnet->add_flag("--payfi", testnet_options.payfi,
                    "run PayFi with a 1-minute settlement cycle; the dev key is payment_gateway");
  testnet->add_flag("--rwa", testnet_options.rwa,
                    "run RWA; the dev key is KYC attester, asset valuer and price feeder");

  auto* start = app.add_subcommand("start", "run the node");
  start->add_option("--home", home_str, "node home directory (default $BTT_HOME or ~/.bttd)");
  start->add_option("--grpc-addr", grpc_addr, "gRPC listen address HOST:PORT (overrides config)");
  start->add_option("--log-level", log_level, "trace|debug|info|warn|error|critical|off");
  start->add_option("--block-time-ms", block_time_ms, "block time in ms (overrides config)");
  bool wal_discard_corrupt = false;
  start->add_flag("--wal-discard-corrupt", wal_discard_corrupt,
                  "start although the consensus WAL (DATA_DIR/cs.wal) is corrupt in the middle: "
                  "keep the records before the corruption (doc/operator.md)");
  std::vector<std::string> skipped_upgrades;
  start->add_option("--unsafe-skip-upgrade", skipped_upgrades,
                    "go past the governance upgrade plan NAME with this binary (repeatable); "
                    "only when every validator does the same (doc/operator.md \"Upgrades\")");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help is a ParseError too; it exits 0. Everything else is a usage error: exit 2.
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  if (version) {
    std::cout << "bttd " << BTT_VERSION << "\n";
    const auto handled = btt::app::handled_upgrades();
    std::cout << "upgrades handled:";
    for (const auto& name : handled) std::cout << " " << name;
    std::cout << (handled.empty() ? " none\n" : "\n");
    return 0;
  }
  try {
    if (init->parsed()) {
      return cmd_init(home_str, chain_id, dev, grpc_addr, genesis_file, validator_key_file,
                      init_staking, init_governance, init_payfi, init_rwa);
    }
    if (exporter->parsed()) return cmd_export(home_str, export_height, export_out);
    if (testnet->parsed()) {
      testnet_options.dir = testnet_dir;
      return cmd_testnet(testnet_options);
    }
    if (start->parsed())
      return cmd_start(home_str, grpc_addr, log_level, block_time_ms, wal_discard_corrupt,
                       skipped_upgrades);
  } catch (const btt::storage::StorageError& e) {
    spdlog::critical("storage failure: {}", e.what());
    return 1;
  }
  std::cerr << app.help();
  return 2;  // no subcommand: a usage error
}

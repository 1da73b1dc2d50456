#include "btt/node/init.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <set>

#include <nlohmann/json.hpp>

#include "btt/chain/genesis.h"
#include "btt/common/amount.h"
#include "btt/common/file_io.h"
#include "btt/crypto/keyfile.h"
#include "btt/ledger/ledger.h"
#include "btt/modules/roles/roles.h"
#include "btt/modules/tokenomics/genesis.h"
#include "btt/node/config.h"

namespace btt::node {
namespace {

Status write_new_file(const std::filesystem::path& path, const std::string& content, int mode) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0)
    return Status(Code::kInvalidArgument,
                  "cannot create " + path.string() + ": " + std::strerror(errno));
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n <= 0) {
      ::close(fd);
      return Status(Code::kStorage, "cannot write " + path.string());
    }
    done += static_cast<size_t>(n);
  }
  ::fsync(fd);
  ::close(fd);
  return Status::ok();
}

uint64_t now_rounded_ms() {
  auto now = std::chrono::duration_cast<std::chrono::seconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  return static_cast<uint64_t>(now) * 1000;
}

// A dev or test net's role registry: the dev key (else the validator) is the role admin, so
// roles can be granted there from the start.
nlohmann::json role_admin_section(const crypto::Address& admin) {
  return {{"grants", {{{"role", "role_admin"}, {"address", admin.to_string()}}}}};
}

// Governance on a dev or test net: the mainnet rules with deposits of a few BTT and periods of
// minutes, so a proposal passes while one watches (doc/governance.md "Dev and test nets").
nlohmann::json dev_governance_params() {
  return {{"min_deposit", std::to_string(kDevGovMinDeposit)},
          {"expedited_min_deposit", std::to_string(5 * kDevGovMinDeposit)},
          {"max_deposit_period_ms", std::to_string(kDevGovDepositPeriodMs)},
          {"voting_period_ms", std::to_string(kDevGovVotingPeriodMs)},
          {"expedited_voting_period_ms", std::to_string(kDevGovVotingPeriodMs / 3)},
          {"foundation_sunset_height", std::to_string(kDevGovFoundationSunsetHeight)},
          {"foundation_veto_period_ms", std::to_string(kDevGovVotingPeriodMs)}};
}

nlohmann::json btt_account(const crypto::Address& address, uint64_t amount) {
  return {{"address", address.to_string()},
          {"balances", {{{"asset", "BTT"}, {"amount", std::to_string(amount)}}}}};
}

// The genesis text of a dev or test net: the validators with equal power, optionally a funded dev
// account, the default allocation (vesting and Foundation tokens to the first validator's
// address: a real network replaces the beneficiaries before it starts; the dev key, else that
// validator, approves milestones) and, with `staking`, a staking section in which each validator
// operates itself with a genesis self stake of kDevSelfStake and kDevFeeFloat spendable for its
// fees (doc/staking.md "Dev and test nets"), and with `governance` a governance section with dev
// periods (doc/governance.md "Dev and test nets"), and with `payfi` a PayFi section with a dev
// settlement cycle whose payment_gateway is the role admin (doc/payfi.md "Dev and test nets"),
// and with `rwa` an RWA section whose KYC attester, valuer and price feeder is the role admin
// (doc/rwa.md "Dev and test nets"). The callers validate it (validate_genesis_text).
std::string make_genesis(const std::string& chain_id, uint64_t time_ms,
                         const std::vector<crypto::KeyPair>& validators,
                         const std::optional<crypto::KeyPair>& dev, bool staking, bool governance,
                         bool payfi, bool rwa) {
  nlohmann::json g;
  g["chain_id"] = chain_id;
  g["genesis_time"] = chain::format_rfc3339_ms(time_ms);
  g["params"] = {{"min_fee", std::to_string(ledger::default_ledger_params().min_fee())}};
  const uint64_t power = staking ? kDevSelfStake / kUnitsPerBtt : 10;
  g["validators"] = nlohmann::json::array();
  for (size_t i = 0; i < validators.size(); ++i) {
    g["validators"].push_back({{"name", "validator-" + std::to_string(i)},
                               {"address", validators[i].address.to_string()},
                               {"public_key", to_hex(validators[i].public_key)},
                               {"power", std::to_string(power)}});
  }
  uint64_t accounts_total = 0;
  g["accounts"] = nlohmann::json::array();
  if (dev) {
    g["accounts"].push_back(btt_account(dev->address, kDevAccountBalance));
    accounts_total += kDevAccountBalance;
  }
  if (staking) {
    nlohmann::json section;
    section["params"] = {{"unbonding_time_ms", std::to_string(kDevUnbondingTimeMs)}};
    section["validators"] = nlohmann::json::array();
    for (size_t i = 0; i < validators.size(); ++i) {
      g["accounts"].push_back(btt_account(validators[i].address, kDevSelfStake + kDevFeeFloat));
      accounts_total += kDevSelfStake + kDevFeeFloat;
      section["validators"].push_back({{"address", validators[i].address.to_string()},
                                       {"operator", validators[i].address.to_string()},
                                       {"self_stake", std::to_string(kDevSelfStake)},
                                       {"commission_bps", 1000},
                                       {"max_commission_bps", 2000},
                                       {"max_change_bps_per_day", 100},
                                       {"moniker", "validator-" + std::to_string(i)}});
    }
    g["modules"]["staking"] = std::move(section);
  }
  if (governance) g["modules"]["governance"] = {{"params", dev_governance_params()}};
  const auto& first = validators.front();
  g["modules"]["tokenomics"] = modules::tokenomics::to_json(modules::tokenomics::default_genesis(
      time_ms / 1000, first.address, dev ? dev->address : first.address, accounts_total));
  const crypto::Address& admin = dev ? dev->address : first.address;
  g["modules"]["roles"] = role_admin_section(admin);
  if (payfi) {
    g["modules"]["payfi"] = {
        {"params", {{"settlement_cycle_ms", std::to_string(kDevPayFiCycleMs)}}}};
    g["modules"]["roles"]["grants"].push_back(
        {{"role", std::string(modules::roles::kPaymentGateway)}, {"address", admin.to_string()}});
  }
  if (rwa) {
    g["modules"]["rwa"] = {{"params", nlohmann::json::object()}};
    for (const auto role : {modules::roles::kKycAttester, modules::roles::kAssetValuer,
                            modules::roles::kPriceOracle}) {
      g["modules"]["roles"]["grants"].push_back(
          {{"role", std::string(role)}, {"address", admin.to_string()}});
    }
  }
  return g.dump(2) + "\n";
}

// Whether `genesis_text` is a genesis `bttd start` will read.
Status validate_genesis_text(const std::string& genesis_text) {
  auto registry = chain::make_default_registry();
  if (auto parsed = chain::Genesis::parse(genesis_text, *registry); !parsed) return parsed.status();
  return Status::ok();
}

// A port that was free a moment ago on 127.0.0.1.
Result<uint16_t> free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status(Code::kUnavailable, "socket failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    return Status(Code::kUnavailable, "cannot find a free port");
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

}  // namespace

Result<std::vector<TestnetNode>> init_testnet(const TestnetOptions& options) {
  if (options.validators < 1 || options.validators > 100 || options.non_validators > 100) {
    return Status(Code::kInvalidArgument, "testnet: 1-100 validators and 0-100 other nodes");
  }
  const uint32_t total = options.validators + options.non_validators;
  std::error_code ec;
  for (uint32_t i = 0; i < total; ++i) {
    if (std::filesystem::exists(options.dir / ("node" + std::to_string(i)), ec)) {
      return Status(Code::kInvalidArgument,
                    (options.dir / ("node" + std::to_string(i))).string() + " exists already");
    }
  }
  std::vector<crypto::KeyPair> validators, node_keys;
  std::vector<uint16_t> grpc_ports, p2p_ports;
  std::set<uint16_t> used;
  auto pick = [&]() -> Result<uint16_t> {
    for (int attempt = 0; attempt < 100; ++attempt) {
      auto p = free_port();
      if (!p) return p.status();
      if (used.insert(*p).second) return *p;
    }
    return Status(Code::kUnavailable, "cannot find distinct free ports");
  };
  for (uint32_t i = 0; i < total; ++i) {
    if (i < options.validators) validators.push_back(crypto::KeyPair::generate());
    node_keys.push_back(crypto::KeyPair::generate());
    auto g = pick();
    if (!g) return g.status();
    auto p = pick();
    if (!p) return p.status();
    grpc_ports.push_back(*g);
    p2p_ports.push_back(*p);
  }
  auto dev = crypto::KeyPair::generate();
  const std::string genesis_text = make_genesis(options.chain_id, now_rounded_ms(), validators, dev,
                                                options.staking || options.governance,
                                                options.governance, options.payfi, options.rwa);
  if (auto s = validate_genesis_text(genesis_text); !s) return s;

  std::vector<TestnetNode> out;
  std::vector<std::string> peers;
  for (uint32_t i = 0; i < total; ++i) {
    TestnetNode n;
    n.home = options.dir / ("node" + std::to_string(i));
    n.grpc_addr = "127.0.0.1:" + std::to_string(grpc_ports[i]);
    n.p2p_addr = node_keys[i].address.to_string() + "@127.0.0.1:" + std::to_string(p2p_ports[i]);
    if (i < options.validators) {
      n.validator_address = validators[i].address.to_string();
      peers.push_back(n.p2p_addr);
    }
    out.push_back(n);
  }
  std::filesystem::create_directories(options.dir, ec);
  if (ec) return Status(Code::kStorage, "cannot create " + options.dir.string());
  if (auto s = crypto::write_key_file(options.dir / "dev.json", dev); !s) return s;
  for (uint32_t i = 0; i < total; ++i) {
    Config c;
    c.home = out[i].home;
    c.moniker = "node" + std::to_string(i);
    c.grpc_addr = out[i].grpc_addr;
    c.block_time_ms = options.block_time_ms;
    c.timeout_propose_ms = options.timeout_propose_ms;
    c.timeout_propose_delta_ms = options.timeout_propose_ms / 2;
    c.timeout_prevote_ms = options.timeout_vote_ms;
    c.timeout_prevote_delta_ms = options.timeout_vote_ms / 2;
    c.timeout_precommit_ms = options.timeout_vote_ms;
    c.timeout_precommit_delta_ms = options.timeout_vote_ms / 2;
    c.p2p_listen_addr = "127.0.0.1:" + std::to_string(p2p_ports[i]);
    for (const auto& p : peers) {
      if (p != out[i].p2p_addr) c.p2p_persistent_peers.push_back(p);
    }
    c.p2p_ban_ips = false;
    c.storage_block_cache_mb = 32;
    if (auto s = c.validate(); !s) return s;
    std::filesystem::create_directories(c.home / "keys", ec);
    if (ec) return Status(Code::kStorage, "cannot create " + c.home.string());
    std::filesystem::permissions(c.home / "keys", std::filesystem::perms::owner_all, ec);
    if (i < options.validators) {
      if (auto s = crypto::write_key_file(c.validator_key_path(), validators[i]); !s) return s;
    }
    if (auto s = crypto::write_key_file(c.node_key_path(), node_keys[i]); !s) return s;
    if (auto s = write_new_file(c.genesis_path(), genesis_text, 0644); !s) return s;
    if (auto s = write_new_file(c.config_path(), c.to_toml(), 0644); !s) return s;
  }
  return out;
}

Result<InitResult> init_home(const InitOptions& options) {
  Config config;
  config.home = options.home;
  if (options.grpc_addr) config.grpc_addr = *options.grpc_addr;
  if (auto s = config.validate(); !s) return s;
  std::error_code ec;
  for (const auto& p : {config.genesis_path(), config.config_path()}) {
    if (std::filesystem::exists(p, ec)) {
      return Status(Code::kInvalidArgument, options.home.string() + " is already initialized (" +
                                                p.string() + " exists); use another --home");
    }
  }
  InitResult out;
  out.config = config.config_path();
  out.genesis = config.genesis_path();
  out.validator_key = config.validator_key_path();
  if (options.dev) out.dev_key = options.home / "keys" / "dev.json";
  for (const auto& p : {std::optional(out.validator_key), out.dev_key}) {
    if (p && std::filesystem::exists(*p, ec)) {
      return Status(Code::kInvalidArgument, options.home.string() + " already holds " +
                                                p->string() + "; use another --home");
    }
  }

  if (options.genesis_file &&
      (options.dev || options.staking || options.governance || options.payfi || options.rwa)) {
    return Status(Code::kInvalidArgument,
                  std::string(options.dev          ? "--dev"
                              : options.staking    ? "--staking"
                              : options.governance ? "--governance"
                              : options.payfi      ? "--payfi"
                                                   : "--rwa") +
                      " makes a new genesis; it does not go with --genesis");
  }
  // Everything is generated and validated first, so a refused init writes nothing.
  crypto::KeyPair validator = crypto::KeyPair::generate();
  if (options.validator_key_file) {
    auto key = crypto::read_key_file(*options.validator_key_file);
    if (!key) return key.status();
    validator = *key;
  }
  out.validator_address = validator.address.to_string();
  std::optional<crypto::KeyPair> dev;
  if (options.dev) {
    dev = crypto::KeyPair::generate();
    out.dev_address = dev->address.to_string();
  }

  uint64_t time_ms = options.genesis_time_ms;
  if (time_ms == 0) {
    auto now = std::chrono::duration_cast<std::chrono::seconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
    time_ms = static_cast<uint64_t>(now) * 1000;
  }

  std::string genesis_text;
  if (options.genesis_file) {
    auto text = read_text_file(*options.genesis_file);
    if (!text) return text.status();
    genesis_text = std::move(*text);
  } else {
    genesis_text = make_genesis(options.chain_id, time_ms, {validator}, dev,
                                options.staking || options.governance, options.governance,
                                options.payfi, options.rwa);
  }
  // Validate what we write exactly as `bttd start` will read it.
  if (auto s = validate_genesis_text(genesis_text); !s) return s;

  std::filesystem::create_directories(options.home / "keys", ec);
  if (ec)
    return Status(Code::kStorage, "cannot create " + options.home.string() + ": " + ec.message());
  std::filesystem::permissions(options.home / "keys", std::filesystem::perms::owner_all, ec);
  if (auto s = crypto::write_key_file(out.validator_key, validator); !s) return s;
  if (!std::filesystem::exists(config.node_key_path(), ec)) {
    if (auto s = crypto::write_key_file(config.node_key_path(), crypto::KeyPair::generate()); !s)
      return s;
  }
  if (dev) {
    if (auto s = crypto::write_key_file(*out.dev_key, *dev); !s) return s;
  }
  if (auto s = write_new_file(out.genesis, genesis_text, 0644); !s) return s;
  if (auto s = write_new_file(out.config, config.to_toml(), 0644); !s) return s;
  return out;
}

}  // namespace btt::node

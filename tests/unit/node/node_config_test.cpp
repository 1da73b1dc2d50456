#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "btt/chain/genesis.h"
#include "btt/crypto/keyfile.h"
#include "btt/node/config.h"
#include "btt/node/home_lock.h"
#include "btt/node/init.h"
#include "testkit/temp_dir.h"

namespace btt::node {
namespace {

void write(const std::filesystem::path& p, const std::string& text) {
  std::ofstream(p) << text;
}

TEST(Config, MissingFileGivesDefaults) {
  testkit::TempDir dir;
  auto c = Config::load(dir.path());
  ASSERT_TRUE(c.is_ok());
  EXPECT_EQ(c->grpc_addr, "127.0.0.1:9740");
  EXPECT_EQ(c->block_time_ms, 1000u);
  EXPECT_TRUE(c->create_empty_blocks);
  EXPECT_EQ(c->validator_key_path(), dir.path() / "keys/validator.json");
}

TEST(Config, ReadsValuesAndRoundTrips) {
  testkit::TempDir dir;
  Config c;
  c.home = dir.path();
  c.grpc_addr = "127.0.0.1:19999";
  c.block_time_ms = 250;
  c.create_empty_blocks = false;
  c.create_empty_blocks_interval_ms = 60'000;
  c.mempool_max_txs = 77;
  c.log_level = "debug";
  c.moniker = "clinic-node";
  write(dir.path() / "config.toml", c.to_toml());
  auto back = Config::load(dir.path());
  ASSERT_TRUE(back.is_ok()) << back.status().to_string();
  EXPECT_EQ(back->grpc_addr, "127.0.0.1:19999");
  EXPECT_EQ(back->block_time_ms, 250u);
  EXPECT_FALSE(back->create_empty_blocks);
  EXPECT_EQ(back->create_empty_blocks_interval_ms, 60'000u);
  EXPECT_EQ(back->mempool_max_txs, 77u);
  EXPECT_EQ(back->log_level, "debug");
  EXPECT_EQ(back->moniker, "clinic-node");
}

TEST(Config, RefusesUnknownKeysBadTypesAndRanges) {
  testkit::TempDir dir;
  auto refused = [&](const std::string& text, const std::string& needle) {
    write(dir.path() / "config.toml", text);
    auto c = Config::load(dir.path());
    ASSERT_FALSE(c.is_ok()) << text;
    EXPECT_NE(c.status().message().find(needle), std::string::npos) << c.status().message();
  };
  refused("[grpc]\nadress = \"x\"\n", "unknown key grpc.adress");
  refused("[nope]\n", "unknown section [nope]");
  refused("[consensus]\nblock_time_ms = \"fast\"\n", "consensus.block_time_ms: must be an integer");
  refused("[consensus]\nblock_time_ms = 1\n", "consensus.block_time_ms");
  refused("[grpc]\naddr = \"localhost\"\n", "grpc.addr");
  refused("[grpc]\nmax_streams = 0\n", "grpc.max_streams");
  refused("[log]\nlevel = \"loud\"\n", "log.level");
  refused("[mempool]\nmax_txs = -5\n", "mempool.max_txs = -5 is out of range");
  refused("[mempool]\nmax_bytes = -1\n", "out of range");
  refused("this is not toml = = =\n", "cannot read");
}

// Every [consensus] and [p2p] key: its bounds (the last value in and the first out, each way)
// and a value of the wrong type, each refused with a message naming the key.
TEST(Config, ConsensusAndP2pKeysBoundsAndTypes) {
  testkit::TempDir dir;
  struct Case {
    std::string table, key, value;
    bool ok;
    std::string needle;  // in the error; empty for accepted values
  };
  std::vector<Case> cases = {
      {"consensus", "block_time_ms", "9", false, "must be in [10, 600000]"},
      {"consensus", "block_time_ms", "10", true, ""},
      {"consensus", "block_time_ms", "600000", true, ""},
      {"consensus", "block_time_ms", "600001", false, "must be in [10, 600000]"},
      {"consensus", "block_time_ms", "-1", false, "= -1 is out of range"},
      {"consensus", "block_time_ms", "1.5", false, "must be an integer"},
      {"consensus", "block_time_ms", "\"fast\"", false, "must be an integer"},
      {"consensus", "create_empty_blocks", "false", true, ""},
      {"consensus", "create_empty_blocks", "\"no\"", false, "must be true or false"},
      {"consensus", "create_empty_blocks", "0", false, "must be true or false"},
      {"consensus", "create_empty_blocks_interval_ms", "0", true, ""},
      {"consensus", "create_empty_blocks_interval_ms", "86400000", true, ""},
      {"consensus", "create_empty_blocks_interval_ms", "86400001", false,
       "must be in [0, 86400000]"},
      {"consensus", "create_empty_blocks_interval_ms", "-5", false, "out of range"},
      {"consensus", "create_empty_blocks_interval_ms", "true", false, "must be an integer"},
      {"consensus", "validator_key_file", "\"/etc/bttd/v.json\"", true, ""},
      {"consensus", "validator_key_file", "\"\"", false, "must not be empty"},
      {"consensus", "validator_key_file", "7", false, "must be a string"},
      {"p2p", "listen_addr", "\"127.0.0.1:26656\"", true, ""},
      {"p2p", "listen_addr", "\"127.0.0.1:0\"", true, ""},
      {"p2p", "listen_addr", "\"localhost\"", false, "is not HOST:PORT"},
      {"p2p", "listen_addr", "26656", false, "must be a string"},
      {"p2p", "persistent_peers", "[]", true, ""},
      {"p2p", "persistent_peers", "[\"btt1abc@127.0.0.1:26656\"]", true, ""},
      {"p2p", "persistent_peers", "[\"127.0.0.1:26656\"]", false, "is not NODE_ID@HOST:PORT"},
      {"p2p", "persistent_peers", "[\"id@host\"]", false, "is not NODE_ID@HOST:PORT"},
      {"p2p", "persistent_peers", "\"id@127.0.0.1:1\"", false, "must be an array of strings"},
      {"p2p", "persistent_peers", "[1, 2]", false, "must be an array of strings"},
      {"p2p", "max_inbound", "0", true, ""},
      {"p2p", "max_inbound", "1000", true, ""},
      {"p2p", "max_inbound", "1001", false, "must be in [0, 1000]"},
      {"p2p", "max_inbound", "-1", false, "out of range"},
      {"p2p", "max_inbound", "\"many\"", false, "must be an integer"},
      {"p2p", "max_outbound", "1000", true, ""},
      {"p2p", "max_outbound", "1001", false, "must be in [0, 1000]"},
      {"p2p", "max_outbound", "4294967296", false, "out of range"},
      {"p2p", "max_outbound", "[]", false, "must be an integer"},
      {"p2p", "ban_ips", "false", true, ""},
      {"p2p", "ban_ips", "\"false\"", false, "must be true or false"},
      {"p2p", "pex", "false", true, ""},
      {"p2p", "pex", "1", false, "must be true or false"},
      {"p2p", "node_key_file", "\"keys/other.json\"", true, ""},
      {"p2p", "node_key_file", "\"\"", false, "must not be empty"},
      {"p2p", "node_key_file", "false", false, "must be a string"},
  };
  for (const char* name : {"propose", "prevote", "precommit"}) {
    const std::string key = std::string("timeout_") + name + "_ms";
    const std::string delta = std::string("timeout_") + name + "_delta_ms";
    cases.insert(cases.end(), {
                                  {"consensus", key, "9", false, "must be in [10, 600000]"},
                                  {"consensus", key, "10", true, ""},
                                  {"consensus", key, "600000", true, ""},
                                  {"consensus", key, "600001", false, "must be in [10, 600000]"},
                                  {"consensus", key, "\"1s\"", false, "must be an integer"},
                                  {"consensus", delta, "0", true, ""},
                                  {"consensus", delta, "600000", true, ""},
                                  {"consensus", delta, "600001", false, "must be in [0, 600000]"},
                                  {"consensus", delta, "-1", false, "out of range"},
                              });
  }
  for (const auto& c : cases) {
    const std::string text = "[" + c.table + "]\n" + c.key + " = " + c.value + "\n";
    write(dir.path() / "config.toml", text);
    auto loaded = Config::load(dir.path());
    if (c.ok) {
      EXPECT_TRUE(loaded.is_ok()) << text << loaded.status().to_string();
      continue;
    }
    ASSERT_FALSE(loaded.is_ok()) << text;
    EXPECT_NE(loaded.status().message().find(c.table + "." + c.key), std::string::npos)
        << loaded.status().message();
    EXPECT_NE(loaded.status().message().find(c.needle), std::string::npos)
        << loaded.status().message();
  }
  // Accepted values arrive in the config.
  write(dir.path() / "config.toml",
        "[consensus]\ncreate_empty_blocks = false\ncreate_empty_blocks_interval_ms = 60000\n"
        "timeout_propose_ms = 1234\n[p2p]\nmax_inbound = 7\nban_ips = false\n");
  auto c = Config::load(dir.path());
  ASSERT_TRUE(c.is_ok()) << c.status().to_string();
  EXPECT_FALSE(c->create_empty_blocks);
  EXPECT_EQ(c->create_empty_blocks_interval_ms, 60'000u);
  EXPECT_EQ(c->timeout_propose_ms, 1234u);
  EXPECT_EQ(c->p2p_max_inbound, 7u);
  EXPECT_FALSE(c->p2p_ban_ips);
  // ... and survive to_toml.
  write(dir.path() / "config.toml", c->to_toml());
  auto back = Config::load(dir.path());
  ASSERT_TRUE(back.is_ok()) << back.status().to_string();
  EXPECT_EQ(back->create_empty_blocks_interval_ms, 60'000u);
  EXPECT_FALSE(back->create_empty_blocks);
}

TEST(HostPort, Validation) {
  EXPECT_TRUE(is_valid_host_port("127.0.0.1:1"));
  EXPECT_TRUE(is_valid_host_port("[::1]:9740"));
  EXPECT_FALSE(is_valid_host_port("127.0.0.1"));
  EXPECT_FALSE(is_valid_host_port("127.0.0.1:0"));
  EXPECT_FALSE(is_valid_host_port("127.0.0.1:65536"));
  EXPECT_FALSE(is_valid_host_port(":80"));
}

TEST(Init, WritesAValidHomeOnceWithPrivateKeys) {
  testkit::TempDir dir;
  InitOptions o;
  o.home = dir.path() / "home";
  o.chain_id = "btt-unit-1";
  o.dev = true;
  o.genesis_time_ms = 1'767'225'600'000;
  auto r = init_home(o);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  struct stat st {};
  ASSERT_EQ(stat(r->validator_key.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_TRUE(r->dev_key.has_value());
  ASSERT_EQ(stat(r->dev_key->c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  auto registry = chain::make_default_registry();
  auto g = chain::Genesis::load(r->genesis, *registry);
  ASSERT_TRUE(g.is_ok()) << g.status().to_string();
  EXPECT_EQ(g->chain_id, "btt-unit-1");
  EXPECT_EQ(g->genesis_time_ms, 1'767'225'600'000u);
  EXPECT_EQ(g->total("BTT"), kDevAccountBalance);
  ASSERT_EQ(g->validators.size(), 1u);
  EXPECT_EQ(g->validators[0].address.to_string(), r->validator_address);
  auto dev = crypto::read_key_file(*r->dev_key);
  ASSERT_TRUE(dev.is_ok());
  EXPECT_EQ(dev->address.to_string(), r->dev_address);
  EXPECT_TRUE(Config::load(o.home).is_ok());

  auto again = init_home(o);
  ASSERT_FALSE(again.is_ok());
  EXPECT_NE(again.status().message().find("already initialized"), std::string::npos);
}

// --staking: the validator operates itself with a 100 BTT genesis self stake (power 100) and a
// 10 BTT float for fees, both carved out of Community Incentives beside the dev balance.
TEST(Init, StakingGenesisBondsTheValidatorsSelfStake) {
  testkit::TempDir dir;
  InitOptions o;
  o.home = dir.path() / "home";
  o.dev = true;
  o.staking = true;
  auto r = init_home(o);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  auto registry = chain::make_default_registry();
  auto g = chain::Genesis::load(r->genesis, *registry);
  ASSERT_TRUE(g.is_ok()) << g.status().to_string();
  EXPECT_EQ(g->total("BTT"), kDevAccountBalance + kDevSelfStake + kDevFeeFloat);
  ASSERT_EQ(g->validators.size(), 1u);
  EXPECT_EQ(g->validators[0].power, kDevSelfStake / 100'000'000);
  std::ifstream in(r->genesis);
  const auto j = nlohmann::json::parse(in);
  const auto& v = j["modules"]["staking"]["validators"];
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0]["address"], r->validator_address);
  EXPECT_EQ(v[0]["operator"], r->validator_address);
  EXPECT_EQ(v[0]["self_stake"], std::to_string(kDevSelfStake));
  EXPECT_EQ(j["modules"]["staking"]["params"]["unbonding_time_ms"],
            std::to_string(kDevUnbondingTimeMs));

  // A copied genesis is not a new one: --staking does not go with --genesis.
  InitOptions copy;
  copy.home = dir.path() / "copy";
  copy.genesis_file = r->genesis;
  copy.staking = true;
  auto refused = init_home(copy);
  ASSERT_FALSE(refused.is_ok());
  EXPECT_NE(refused.status().message().find("--staking makes a new genesis"), std::string::npos)
      << refused.status().message();
  EXPECT_FALSE(std::filesystem::exists(copy.home / "genesis.json"));
}

// --governance: a governance section with the dev periods, and staking (its voting power) with it.
TEST(Init, GovernanceGenesisRunsGovernanceWithDevPeriodsAndStaking) {
  testkit::TempDir dir;
  InitOptions o;
  o.home = dir.path() / "home";
  o.dev = true;
  o.governance = true;
  auto r = init_home(o);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  std::ifstream in(r->genesis);
  const auto j = nlohmann::json::parse(in);
  ASSERT_TRUE(j["modules"].contains("staking"));
  const auto& p = j["modules"]["governance"]["params"];
  EXPECT_EQ(p["min_deposit"], std::to_string(kDevGovMinDeposit));
  EXPECT_EQ(p["voting_period_ms"], std::to_string(kDevGovVotingPeriodMs));
  EXPECT_EQ(p["max_deposit_period_ms"], std::to_string(kDevGovDepositPeriodMs));
  EXPECT_EQ(p["foundation_sunset_height"], std::to_string(kDevGovFoundationSunsetHeight));
  auto registry = chain::make_default_registry();
  EXPECT_TRUE(chain::Genesis::load(r->genesis, *registry).is_ok());

  InitOptions plain;
  plain.home = dir.path() / "plain";
  plain.dev = true;
  auto r2 = init_home(plain);
  ASSERT_TRUE(r2.is_ok());
  std::ifstream in2(r2->genesis);
  EXPECT_FALSE(nlohmann::json::parse(in2)["modules"].contains("governance"));
}

// --payfi: a PayFi section with the dev settlement cycle, and the dev key as payment_gateway.
TEST(Init, PayFiGenesisRunsPayFiWithTheDevKeyAsGateway) {
  testkit::TempDir dir;
  InitOptions o;
  o.home = dir.path() / "home";
  o.dev = true;
  o.payfi = true;
  auto r = init_home(o);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  std::ifstream in(r->genesis);
  const auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j["modules"]["payfi"]["params"]["settlement_cycle_ms"],
            std::to_string(kDevPayFiCycleMs));
  bool gateway = false;
  for (const auto& g : j["modules"]["roles"]["grants"]) {
    if (g["role"] == "payment_gateway" && g["address"] == r->dev_address) gateway = true;
  }
  EXPECT_TRUE(gateway);
  auto registry = chain::make_default_registry();
  EXPECT_TRUE(chain::Genesis::load(r->genesis, *registry).is_ok());
}

// --rwa: an RWA section with default params; the dev key verifies, values and posts prices.
TEST(Init, RwaGenesisRunsRwaWithTheDevKeyAsAttesterValuerAndFeeder) {
  testkit::TempDir dir;
  InitOptions o;
  o.home = dir.path() / "home";
  o.dev = true;
  o.rwa = true;
  auto r = init_home(o);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  std::ifstream in(r->genesis);
  const auto j = nlohmann::json::parse(in);
  EXPECT_TRUE(j["modules"]["rwa"]["params"].is_object());
  std::set<std::string> roles;
  for (const auto& g : j["modules"]["roles"]["grants"]) {
    if (g["address"] == r->dev_address) roles.insert(g["role"].get<std::string>());
  }
  EXPECT_EQ(roles,
            (std::set<std::string>{"role_admin", "kyc_attester", "asset_valuer", "price_oracle"}));
  auto registry = chain::make_default_registry();
  EXPECT_TRUE(chain::Genesis::load(r->genesis, *registry).is_ok());
  InitOptions with_file;
  with_file.home = dir.path() / "other";
  with_file.genesis_file = r->genesis;
  with_file.rwa = true;
  auto refused = init_home(with_file);
  ASSERT_FALSE(refused.is_ok());
  EXPECT_NE(refused.status().message().find("--rwa"), std::string::npos);
}

TEST(Init, RefusedInitWritesNothing) {
  testkit::TempDir dir;
  InitOptions o;
  o.home = dir.path() / "home";
  o.chain_id = "Bad Chain";
  o.dev = true;
  auto r = init_home(o);
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.status().message().find("chain_id"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(o.home / "keys" / "validator.json"));
  o.chain_id = "btt-good-1";
  EXPECT_TRUE(init_home(o).is_ok());
}

TEST(HomeLock, SecondHolderIsRefusedUntilReleased) {
  testkit::TempDir dir;
  auto first = HomeLock::acquire(dir.path());
  ASSERT_TRUE(first.is_ok());
  auto second = HomeLock::acquire(dir.path());
  ASSERT_FALSE(second.is_ok());
  EXPECT_NE(second.status().message().find("another bttd"), std::string::npos);
  first->reset();
  EXPECT_TRUE(HomeLock::acquire(dir.path()).is_ok());
}

}  // namespace
}  // namespace btt::node

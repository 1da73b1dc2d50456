#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

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
  refused("[consensus]\nblock_time_ms = \"fast\"\n", "cannot read");
  refused("[consensus]\nblock_time_ms = 1\n", "consensus.block_time_ms");
  refused("[consensus]\ncreate_empty_blocks_interval_ms = 86400001\n",
          "consensus.create_empty_blocks_interval_ms");
  refused("[grpc]\naddr = \"localhost\"\n", "grpc.addr");
  refused("[grpc]\nmax_streams = 0\n", "grpc.max_streams");
  refused("[log]\nlevel = \"loud\"\n", "log.level");
  refused("[mempool]\nmax_txs = -5\n", "mempool.max_txs = -5 is out of range");
  refused("[mempool]\nmax_bytes = -1\n", "out of range");
  refused("this is not toml = = =\n", "cannot read");
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

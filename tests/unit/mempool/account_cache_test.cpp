#include "btt/mempool/account_cache.h"

#include <gtest/gtest.h>

#include <map>

namespace btt::mempool {
namespace {

crypto::Address addr(uint8_t b) {
  std::array<uint8_t, crypto::Address::kSize> raw{};
  raw[0] = b;
  return crypto::Address(raw);
}

// A committed state that counts its reads.
struct FakeChain {
  uint64_t height = 5;
  std::map<crypto::Address, AccountState> state;
  int reads = 0;
  AccountCache::Loader loader() {
    return [this](const crypto::Address& a) {
      ++reads;
      return state[a];
    };
  }
  std::function<uint64_t()> current() {
    return [this] { return height; };
  }
};

TEST(AccountCache, ReadsEachAccountOncePerHeight) {
  FakeChain chain;
  chain.state[addr(1)] = {3, 100};
  chain.state[addr(2)] = {0, 7};
  AccountCache cache;
  for (int i = 0; i < 3; ++i) {
    const auto a = cache.get(addr(1), chain.height, chain.loader(), chain.current());
    EXPECT_EQ(a.next_nonce, 3u);
    EXPECT_EQ(a.spendable_btt, 100u);
    EXPECT_EQ(cache.get(addr(2), chain.height, chain.loader(), chain.current()).spendable_btt, 7u);
  }
  EXPECT_EQ(chain.reads, 2);
  EXPECT_EQ(cache.counters().hits, 4u);
  EXPECT_EQ(cache.counters().misses, 2u);
  EXPECT_EQ(cache.size(), 2u);
}

TEST(AccountCache, ANewHeightForgetsEverything) {
  FakeChain chain;
  chain.state[addr(1)] = {3, 100};
  AccountCache cache;
  EXPECT_EQ(cache.get(addr(1), 5, chain.loader(), chain.current()).next_nonce, 3u);
  chain.height = 6;
  chain.state[addr(1)] = {4, 90};
  const auto a = cache.get(addr(1), 6, chain.loader(), chain.current());
  EXPECT_EQ(a.next_nonce, 4u);
  EXPECT_EQ(a.spendable_btt, 90u);
  EXPECT_EQ(chain.reads, 2);
  // A caller that read the height before the commit is answered from the database, and its
  // read does not replace what the new height holds.
  chain.state[addr(1)] = {9, 9};
  EXPECT_EQ(cache.get(addr(1), 5, chain.loader(), chain.current()).next_nonce, 9u);
  EXPECT_EQ(cache.get(addr(1), 6, chain.loader(), chain.current()).next_nonce, 4u);
  EXPECT_EQ(chain.reads, 3);
}

TEST(AccountCache, AReadThatRacedACommitIsNotKept) {
  FakeChain chain;
  chain.state[addr(1)] = {3, 100};
  AccountCache cache;
  // The commit to height 6 lands while the read of height 5 runs.
  auto racing = [&chain](const crypto::Address& a) {
    ++chain.reads;
    const AccountState before = chain.state[a];
    chain.state[a] = {4, 90};
    chain.height = 6;
    return before;
  };
  EXPECT_EQ(cache.get(addr(1), 5, racing, chain.current()).next_nonce, 3u);
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_EQ(cache.get(addr(1), 6, chain.loader(), chain.current()).next_nonce, 4u);
  EXPECT_EQ(chain.reads, 2);
}

TEST(AccountCache, BeyondItsBoundItReadsWithoutKeeping) {
  FakeChain chain;
  AccountCache cache(2);
  for (uint8_t i = 1; i <= 3; ++i) (void)cache.get(addr(i), 5, chain.loader(), chain.current());
  EXPECT_EQ(cache.size(), 2u);
  (void)cache.get(addr(3), 5, chain.loader(), chain.current());
  (void)cache.get(addr(1), 5, chain.loader(), chain.current());
  EXPECT_EQ(chain.reads, 4);
}

}  // namespace
}  // namespace btt::mempool

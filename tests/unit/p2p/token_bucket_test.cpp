// The transport's per-peer receive limit.
#include "p2p/token_bucket.h"

#include <gtest/gtest.h>

namespace btt::p2p {
namespace {

using std::chrono::milliseconds;

TEST(TokenBucketTest, StartsFullRefillsAtItsRateAndCapsAtItsCapacity) {
  const auto t0 = TokenBucket::Clock::time_point{} + std::chrono::hours(1);
  TokenBucket b;
  b.reset(/*rate=*/4, /*capacity=*/8, t0);
  EXPECT_TRUE(b.take(8, t0));
  EXPECT_FALSE(b.take(1, t0));
  // A quarter second at 4 a second: one token.
  EXPECT_TRUE(b.take(1, t0 + milliseconds(250)));
  EXPECT_FALSE(b.take(1, t0 + milliseconds(250)));
  // A refused take costs nothing: half a second later there are two.
  EXPECT_FALSE(b.take(3, t0 + milliseconds(750)));
  EXPECT_TRUE(b.take(2, t0 + milliseconds(750)));
  // Ten seconds idle: full, not more.
  const auto t1 = t0 + milliseconds(10'750);
  EXPECT_FALSE(b.take(9, t1));
  EXPECT_TRUE(b.take(8, t1));
  EXPECT_FALSE(b.take(1, t1));
}

TEST(TokenBucketTest, ResetRefills) {
  const auto t0 = TokenBucket::Clock::time_point{} + std::chrono::hours(1);
  TokenBucket b;
  b.reset(1, 2, t0);
  EXPECT_TRUE(b.take(2, t0));
  b.reset(1, 3, t0);
  EXPECT_TRUE(b.take(3, t0));
  EXPECT_FALSE(b.take(1, t0));
}

}  // namespace
}  // namespace btt::p2p

// btt-load's sending rules (tests/bench/load/schedule.h): per-sender nonce order with one tx in
// flight, retries of the same tx after a doubling backoff, and which answers are retried.
#include <gtest/gtest.h>

#include "bench/load/schedule.h"

namespace btt::load {
namespace {

using Clock = Schedule::Clock;
using std::chrono::milliseconds;

TEST(LoadSchedule, EachSenderInNonceOrderOneInFlight) {
  Schedule s(2, 3);
  const auto t = Clock::now();
  auto a = s.next(t);
  auto b = s.next(t);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->sender, 0u);
  EXPECT_EQ(a->nonce, 0u);
  EXPECT_EQ(b->sender, 1u);
  EXPECT_EQ(b->nonce, 0u);
  // Both senders have a tx in flight: nothing else may go.
  EXPECT_FALSE(s.next(t));
  s.accepted(1);
  auto c = s.next(t);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->sender, 1u);
  EXPECT_EQ(c->nonce, 1u);
  EXPECT_FALSE(c->retried);
  EXPECT_FALSE(s.next(t));
}

TEST(LoadSchedule, RetrySendsTheSameNonceAfterABackoffThatDoubles) {
  Schedule s(1, 2);
  const auto t = Clock::now();
  ASSERT_EQ(s.next(t)->nonce, 0u);
  s.retry(0, t);
  EXPECT_FALSE(s.next(t + milliseconds(9)));
  ASSERT_EQ(s.next_retry(), t + milliseconds(10));
  auto again = s.next(t + milliseconds(10));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->nonce, 0u);
  EXPECT_TRUE(again->retried);
  s.retry(0, t);
  EXPECT_EQ(s.next_retry(), t + milliseconds(20));
  EXPECT_EQ(Schedule::backoff(1), milliseconds(10));
  EXPECT_EQ(Schedule::backoff(3), milliseconds(40));
  EXPECT_EQ(Schedule::backoff(30), milliseconds(1000));
  ASSERT_TRUE(s.next(t + milliseconds(20)));
  s.accepted(0);
  auto next = s.next(t + milliseconds(20));
  ASSERT_TRUE(next);
  EXPECT_EQ(next->nonce, 1u);
  EXPECT_FALSE(next->retried);  // the backoff is per tx
  EXPECT_FALSE(s.done());
  s.accepted(0);
  EXPECT_TRUE(s.done());
  EXPECT_FALSE(s.next(t + milliseconds(1000)));
}

TEST(LoadSchedule, WhichAnswersAreRetried) {
  EXPECT_EQ(classify(0, std::nullopt, false), Outcome::kAccepted);
  // Mempool full, node unreachable or busy: later.
  EXPECT_EQ(classify(8, 203, false), Outcome::kRetry);
  EXPECT_EQ(classify(14, std::nullopt, false), Outcome::kRetry);
  EXPECT_EQ(classify(4, std::nullopt, true), Outcome::kRetry);
  // The node has not seen the sender's previous nonce yet.
  EXPECT_EQ(classify(9, kBttNonceTooHigh, false), Outcome::kRetry);
  // A retry whose first attempt got in.
  EXPECT_EQ(classify(6, 204, true), Outcome::kAccepted);
  EXPECT_EQ(classify(9, kBttNonceTooLow, true), Outcome::kAccepted);
  // The same answers to a first attempt, and real refusals, are fatal.
  EXPECT_EQ(classify(6, 204, false), Outcome::kFatal);
  EXPECT_EQ(classify(9, kBttNonceTooLow, false), Outcome::kFatal);
  EXPECT_EQ(classify(3, 100, true), Outcome::kFatal);
}

TEST(LoadSchedule, WhichBatchResultsAreRetried) {
  EXPECT_EQ(classify_code(0, false), Outcome::kAccepted);
  EXPECT_EQ(classify_code(kBttMempoolFull, false), Outcome::kRetry);
  EXPECT_EQ(classify_code(kBttNonceTooHigh, true), Outcome::kRetry);
  EXPECT_EQ(classify_code(kBttDuplicateTx, true), Outcome::kAccepted);
  EXPECT_EQ(classify_code(kBttNonceTooLow, true), Outcome::kAccepted);
  EXPECT_EQ(classify_code(kBttDuplicateTx, false), Outcome::kFatal);
  EXPECT_EQ(classify_code(101, true), Outcome::kFatal);  // bad signature
}

}  // namespace
}  // namespace btt::load

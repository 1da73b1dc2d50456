#include <gtest/gtest.h>

#include "btt/common/bytes.h"
#include "btt/common/checked.h"
#include "btt/common/status.h"

namespace btt {
namespace {

TEST(Hex, RoundTripAndRejects) {
  EXPECT_EQ(to_hex(std::string_view("\x00\xff\x10", 3)), "00ff10");
  EXPECT_EQ(from_hex("00FF10").value(), std::string("\x00\xff\x10", 3));
  EXPECT_FALSE(from_hex("abc").has_value());
  EXPECT_FALSE(from_hex("zz").has_value());
  EXPECT_EQ(from_hex("").value(), "");
}

TEST(BigEndian, U64AndU32) {
  Bytes b;
  put_u64_be(b, 0x0102030405060708ULL);
  put_u32_be(b, 0xa0b0c0d0U);
  EXPECT_EQ(to_hex(b), "0102030405060708a0b0c0d0");
  std::string_view in = b;
  uint64_t v64 = 0;
  uint32_t v32 = 0;
  ASSERT_TRUE(get_u64_be(in, v64));
  ASSERT_TRUE(get_u32_be(in, v32));
  EXPECT_EQ(v64, 0x0102030405060708ULL);
  EXPECT_EQ(v32, 0xa0b0c0d0U);
  EXPECT_FALSE(get_u32_be(in, v32));
}

TEST(Checked, OverflowIsRefused) {
  EXPECT_EQ(checked_add(1, 2).value(), 3u);
  EXPECT_FALSE(checked_add(UINT64_MAX, 1).has_value());
  EXPECT_FALSE(checked_sub(1, 2).has_value());
  EXPECT_EQ(checked_sub(2, 2).value(), 0u);
  EXPECT_FALSE(checked_mul(UINT64_MAX, 2).has_value());
  EXPECT_EQ(mul_div_floor(UINT64_MAX, UINT64_MAX, UINT64_MAX).value(), UINT64_MAX);
  EXPECT_EQ(mul_div_floor(10, 3, 4).value(), 7u);
  EXPECT_FALSE(mul_div_floor(1, 1, 0).has_value());
  EXPECT_FALSE(mul_div_floor(UINT64_MAX, 2, 1).has_value());
}

TEST(Status, ExcerptQuotesLongInputShortly) {
  EXPECT_EQ(excerpt("btt1abc"), "btt1abc");
  EXPECT_EQ(excerpt(std::string(64, 'q')), std::string(64, 'q'));
  EXPECT_EQ(excerpt(std::string(100'000, 'q')), std::string(64, 'q') + "... (100000 bytes)");
  EXPECT_EQ(excerpt("abcdef", 3), "abc... (6 bytes)");
  // Never cuts a UTF-8 character in two ("é" is 2 bytes: c3 a9).
  EXPECT_EQ(excerpt("ab\xc3\xa9xyz", 3), "ab... (7 bytes)");
  EXPECT_EQ(excerpt("", 0), "");
}

TEST(Status, CodesAreGroupedByKind) {
  EXPECT_TRUE(is_malformed(Code::kBadSignature));
  EXPECT_TRUE(is_rejected(Code::kNonceTooLow));
  EXPECT_TRUE(is_failed_with_fee(Code::kInsufficientFunds));
  Status s(Code::kInsufficientFunds, "need 5");
  EXPECT_FALSE(s.is_ok());
  EXPECT_EQ(s.to_string(), "INSUFFICIENT_FUNDS (300): need 5");
  Result<int> r(Code::kNotFound, "x");
  EXPECT_FALSE(r.is_ok());
  Result<int> ok(7);
  EXPECT_EQ(*ok, 7);
}

}  // namespace
}  // namespace btt

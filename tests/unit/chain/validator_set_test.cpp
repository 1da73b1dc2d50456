// ValidatorSet: validation, quorum math with exact powers, proposer order.
#include <gtest/gtest.h>

#include <map>

#include "testkit/validators.h"

namespace btt::chain {
namespace {

using testkit::make_validators;

v1::Validator validator_of(const crypto::KeyPair& k, uint64_t power) {
  v1::Validator v;
  v.set_address(k.address.to_string());
  v.set_public_key(Bytes(as_view(k.public_key)));
  v.set_power(power);
  return v;
}

TEST(ValidatorSet, RefusesBadInput) {
  auto a = testkit::test_key("a");
  auto b = testkit::test_key("b");
  EXPECT_EQ(ValidatorSet::create({}).status().code(), Code::kInvalidArgument);

  auto zero = ValidatorSet::create({validator_of(a, 0)});
  ASSERT_FALSE(zero.is_ok());
  EXPECT_NE(zero.status().message().find("zero power"), std::string::npos);

  auto dup = ValidatorSet::create({validator_of(a, 1), validator_of(a, 2)});
  ASSERT_FALSE(dup.is_ok());
  EXPECT_NE(dup.status().message().find("duplicate"), std::string::npos);

  v1::Validator wrong_addr = validator_of(a, 1);
  wrong_addr.set_address(b.address.to_string());
  auto wa = ValidatorSet::create({wrong_addr});
  ASSERT_FALSE(wa.is_ok());
  EXPECT_NE(wa.status().message().find("does not belong"), std::string::npos);

  v1::Validator short_key = validator_of(a, 1);
  short_key.set_public_key("abc");
  EXPECT_FALSE(ValidatorSet::create({short_key}).is_ok());

  auto overflow = ValidatorSet::create({validator_of(a, UINT64_MAX), validator_of(b, 1)});
  ASSERT_FALSE(overflow.is_ok());
  EXPECT_NE(overflow.status().message().find("exceeds"), std::string::npos);

  auto max = ValidatorSet::create({validator_of(a, UINT64_MAX - 1), validator_of(b, 1)});
  ASSERT_TRUE(max.is_ok());
  EXPECT_EQ(max->total_power(), UINT64_MAX);
}

TEST(ValidatorSet, QuorumIsStrictlyMoreThanTwoThirds) {
  auto four = make_validators({1, 1, 1, 1}).set;  // total 4: quorum needs 3 (3*3 > 8)
  EXPECT_FALSE(four.is_quorum(2));
  EXPECT_TRUE(four.is_quorum(3));
  EXPECT_FALSE(four.is_one_third(1));  // 3 > 4 is false
  EXPECT_TRUE(four.is_one_third(2));

  auto six = make_validators({1, 2, 3}).set;  // total 6: exactly 2/3 (4) is not a quorum
  EXPECT_FALSE(six.is_quorum(4));
  EXPECT_TRUE(six.is_quorum(5));
  EXPECT_FALSE(six.is_one_third(2));  // exactly 1/3 is not more than 1/3
  EXPECT_TRUE(six.is_one_third(3));

  auto seven = make_validators({1, 1, 1, 1, 1, 1, 1}).set;  // 5 of 7; f+1 = 3
  EXPECT_FALSE(seven.is_quorum(4));
  EXPECT_TRUE(seven.is_quorum(5));
  EXPECT_FALSE(seven.is_one_third(2));
  EXPECT_TRUE(seven.is_one_third(3));

  // Powers near uint64: the products go through 128 bits.
  auto a = testkit::test_key("a");
  auto b = testkit::test_key("b");
  auto c = testkit::test_key("c");
  const uint64_t third = UINT64_MAX / 3;  // total = 3 * third = UINT64_MAX
  auto big = ValidatorSet::create(
      {validator_of(a, third), validator_of(b, third), validator_of(c, third)});
  ASSERT_TRUE(big.is_ok());
  EXPECT_FALSE(big->is_quorum(2 * third));
  EXPECT_TRUE(big->is_quorum(2 * third + 1));
  EXPECT_FALSE(big->is_one_third(third));
  EXPECT_TRUE(big->is_one_third(third + 1));
}

TEST(ValidatorSet, LookupByAddress) {
  auto tv = make_validators({5, 6, 7});
  for (size_t i = 0; i < tv.keys.size(); ++i) {
    const std::string addr = tv.keys[i].address.to_string();
    ASSERT_EQ(tv.set.index_of(addr), i);
    EXPECT_EQ(tv.set.find(addr)->public_key, tv.keys[i].public_key);
  }
  EXPECT_EQ(tv.set.find(testkit::test_key("stranger").address.to_string()), nullptr);
  EXPECT_FALSE(tv.set.index_of("").has_value());
  // Sorted by address whatever the input order.
  for (size_t i = 1; i < tv.set.size(); ++i) {
    EXPECT_LT(tv.set.validators()[i - 1].address, tv.set.validators()[i].address);
  }
}

TEST(ValidatorSet, ProposerOrderEqualPowers) {
  // T = 4, m = 3 (floor(4 * 0.618) = 2 shares a factor with 4): units 0, 3, 2, 1, ...
  auto four = make_validators({1, 1, 1, 1}).set;
  std::vector<size_t> got;
  for (uint64_t h = 0; h < 8; ++h) got.push_back(four.proposer_index(h, 0));
  EXPECT_EQ(got, (std::vector<size_t>{0, 3, 2, 1, 0, 3, 2, 1}));

  // T = 7, m = 4: 0, 4, 1, 5, 2, 6, 3.
  auto seven = make_validators({1, 1, 1, 1, 1, 1, 1}).set;
  got.clear();
  for (uint64_t h = 0; h < 7; ++h) got.push_back(seven.proposer_index(h, 0));
  EXPECT_EQ(got, (std::vector<size_t>{0, 4, 1, 5, 2, 6, 3}));

  // Rounds of one height take the next slots: a failed proposer is followed by another.
  for (uint64_t h = 1; h < 20; ++h) {
    for (Round r = 0; r < 10; ++r) {
      EXPECT_EQ(seven.proposer_index(h, r), seven.proposer_index(h + r, 0));
      EXPECT_NE(seven.proposer_index(h, r), seven.proposer_index(h, r + 1));
    }
  }
}

TEST(ValidatorSet, ProposerTurnsAreProportionalToPower) {
  auto tv = make_validators({1, 2, 3, 4});  // T = 10, m = 7
  const auto& set = tv.set;
  // Exact order for a fixed set: unit = 7s mod 10 over cumulative ranges in address order.
  std::vector<uint64_t> ends;
  uint64_t sum = 0;
  for (const auto& v : set.validators()) ends.push_back(sum += v.power);
  for (uint64_t s = 0; s < 10; ++s) {
    uint64_t unit = s * 7 % 10;
    size_t want = 0;
    while (unit >= ends[want]) ++want;
    EXPECT_EQ(set.proposer_index(s, 0), want) << "slot " << s;
  }
  // Over any T consecutive slots, each validator proposes exactly `power` times.
  for (uint64_t start : {0ULL, 3ULL, 1000003ULL}) {
    std::map<size_t, uint64_t> turns;
    for (uint64_t h = start; h < start + 10; ++h) ++turns[set.proposer_index(h, 0)];
    for (size_t i = 0; i < set.size(); ++i) EXPECT_EQ(turns[i], set.validators()[i].power);
  }
  // Same for a large, uneven total.
  auto big = make_validators({1000, 1, 37, 250}).set;
  std::map<size_t, uint64_t> turns;
  for (uint64_t h = 5; h < 5 + big.total_power(); ++h) ++turns[big.proposer_index(h, 0)];
  for (size_t i = 0; i < big.size(); ++i) EXPECT_EQ(turns[i], big.validators()[i].power);
}

TEST(ValidatorSet, SingleValidatorAlwaysProposes) {
  auto one = make_validators({42}).set;
  for (uint64_t h = 0; h < 50; ++h) EXPECT_EQ(one.proposer_index(h, h % 3), 0u);
}

}  // namespace
}  // namespace btt::chain

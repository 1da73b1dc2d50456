// VoteSet: thresholds, duplicates and equivocation, commits and their verification.
#include <gtest/gtest.h>

#include "btt/chain/vote_set.h"
#include "testkit/validators.h"

namespace btt::chain {
namespace {

using testkit::block_id_of;
using testkit::kChainId;
using testkit::make_validators;
using testkit::signed_vote;

class VoteSetTest : public ::testing::Test {
 protected:
  v1::Vote vote(size_t i, v1::VoteType type, const Bytes& id, uint64_t height = 5,
                uint32_t round = 1) {
    return signed_vote(tv.keys[i], type, height, round, id);
  }
  void add(VoteSet& set, const v1::Vote& v) {
    auto r = set.add(v);
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    ASSERT_EQ(r->added, VoteSet::Added::kAdded);
  }
  v1::Commit commit_of(size_t signers) {
    VoteSet set(tv.set, 5, 1, v1::PRECOMMIT);
    for (size_t i = 0; i < signers; ++i) add(set, vote(i, v1::PRECOMMIT, a));
    auto c = set.make_commit();
    EXPECT_TRUE(c.is_ok()) << c.status().to_string();
    return c.is_ok() ? *c : v1::Commit();
  }

  testkit::TestValidators tv = make_validators({1, 1, 1, 1});
  Bytes a = block_id_of("a");
  Bytes b = block_id_of("b");
};

TEST_F(VoteSetTest, ThresholdsEqualPowers) {
  VoteSet set(tv.set, 5, 1, v1::PREVOTE);
  add(set, vote(0, v1::PREVOTE, a));
  add(set, vote(1, v1::PREVOTE, a));
  EXPECT_FALSE(set.has_two_thirds_any());
  EXPECT_FALSE(set.has_two_thirds_for(a));
  EXPECT_FALSE(set.two_thirds_majority().has_value());
  add(set, vote(2, v1::PREVOTE, Bytes()));  // nil
  EXPECT_TRUE(set.has_two_thirds_any());    // 3 of 4 voted
  EXPECT_FALSE(set.has_two_thirds_for(a));
  EXPECT_FALSE(set.has_two_thirds_nil());
  add(set, vote(3, v1::PREVOTE, a));
  EXPECT_TRUE(set.has_two_thirds_for(a));
  EXPECT_EQ(set.two_thirds_majority(), a);
  EXPECT_EQ(set.power_for(a), 3u);
  EXPECT_EQ(set.power_for(Bytes()), 1u);
  EXPECT_EQ(set.total_voted_power(), 4u);
}

TEST_F(VoteSetTest, NilQuorum) {
  VoteSet set(tv.set, 5, 1, v1::PRECOMMIT);
  for (size_t i = 0; i < 3; ++i) add(set, vote(i, v1::PRECOMMIT, Bytes()));
  EXPECT_TRUE(set.has_two_thirds_nil());
  EXPECT_EQ(set.two_thirds_majority(), Bytes());
  auto c = set.make_commit();
  ASSERT_FALSE(c.is_ok());
  EXPECT_NE(c.status().message().find("nil"), std::string::npos);
}

TEST_F(VoteSetTest, ThresholdsWeightedPowers) {
  tv = make_validators({1, 1, 1, 3});  // total 6: quorum needs 5
  const size_t big = tv.set.validators()[0].power == 3   ? 0
                     : tv.set.validators()[1].power == 3 ? 1
                     : tv.set.validators()[2].power == 3 ? 2
                                                         : 3;
  VoteSet set(tv.set, 5, 1, v1::PREVOTE);
  add(set, vote(big, v1::PREVOTE, a));
  size_t added_small = 0;
  for (size_t i = 0; i < 4 && added_small < 2; ++i) {
    if (i == big) continue;
    add(set, vote(i, v1::PREVOTE, a));
    ++added_small;
    // 3 + 1 = 4 is exactly 2/3: not a quorum; 3 + 2 = 5 is.
    EXPECT_EQ(set.has_two_thirds_for(a), added_small == 2);
  }
}

TEST_F(VoteSetTest, DuplicateAndConflictingVotes) {
  VoteSet set(tv.set, 5, 1, v1::PREVOTE);
  const v1::Vote first = vote(0, v1::PREVOTE, a);
  add(set, first);
  auto again = set.add(first);
  ASSERT_TRUE(again.is_ok());
  EXPECT_EQ(again->added, VoteSet::Added::kDuplicate);
  EXPECT_FALSE(again->evidence.has_value());

  const v1::Vote other = vote(0, v1::PREVOTE, b);
  auto conflict = set.add(other);
  ASSERT_TRUE(conflict.is_ok());
  EXPECT_EQ(conflict->added, VoteSet::Added::kConflict);
  ASSERT_TRUE(conflict->evidence.has_value());
  const auto& dv = conflict->evidence->duplicate_vote();
  EXPECT_EQ(dv.vote_a().block_id(), a);
  EXPECT_EQ(dv.vote_b().block_id(), b);
  EXPECT_EQ(dv.vote_b().signature(), other.signature());
  // The first vote stays counted; the second is not.
  EXPECT_EQ(set.power_for(a), 1u);
  EXPECT_EQ(set.power_for(b), 0u);
  // nil after a block is a conflict too.
  auto nil = set.add(vote(0, v1::PREVOTE, Bytes()));
  ASSERT_TRUE(nil.is_ok());
  EXPECT_EQ(nil->added, VoteSet::Added::kConflict);
}

TEST_F(VoteSetTest, CountedConflictsTallyPerBlock) {
  // Validator 0 equivocates: A first, then B. Counted, its B vote completes +2/3 for B (the
  // paper's tally counts messages per value), while "any" still counts it once.
  VoteSet set(tv.set, 5, 1, v1::PRECOMMIT);
  add(set, vote(0, v1::PRECOMMIT, a));
  add(set, vote(1, v1::PRECOMMIT, b));
  add(set, vote(2, v1::PRECOMMIT, b));
  EXPECT_FALSE(set.has_two_thirds_for(b));
  const v1::Vote second = vote(0, v1::PRECOMMIT, b);
  auto r = set.add(second, /*count_conflict=*/true);
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(r->added, VoteSet::Added::kConflict);
  EXPECT_TRUE(r->counted);
  EXPECT_TRUE(r->evidence.has_value());
  EXPECT_TRUE(set.holds(second));
  EXPECT_TRUE(set.has_two_thirds_for(b));
  EXPECT_EQ(set.total_voted_power(), 3u);
  EXPECT_EQ(set.add(second, true)->added, VoteSet::Added::kDuplicate);
  auto c = set.make_commit();
  ASSERT_TRUE(c.is_ok());
  EXPECT_EQ(c->block_id(), b);
  EXPECT_EQ(c->signatures_size(), 3);
  EXPECT_TRUE(verify_commit(tv.set, kChainId, 5, b, *c).is_ok());
}

TEST_F(VoteSetTest, RefusesVotesOfAnotherSet) {
  VoteSet set(tv.set, 5, 1, v1::PREVOTE);
  EXPECT_FALSE(set.add(vote(0, v1::PREVOTE, a, 6)).is_ok());     // height
  EXPECT_FALSE(set.add(vote(0, v1::PREVOTE, a, 5, 2)).is_ok());  // round
  EXPECT_FALSE(set.add(vote(0, v1::PRECOMMIT, a)).is_ok());      // type
  auto stranger = signed_vote(testkit::test_key("stranger"), v1::PREVOTE, 5, 1, a);
  auto r = set.add(stranger);
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.status().message().find("not a validator"), std::string::npos);
  EXPECT_EQ(set.total_voted_power(), 0u);
}

TEST_F(VoteSetTest, VerifyVote) {
  Bip340Verifier verifier;
  v1::Vote good = vote(1, v1::PRECOMMIT, a);
  EXPECT_TRUE(verify_vote(tv.set, kChainId, good, verifier).is_ok());
  EXPECT_EQ(verify_vote(tv.set, "other-chain", good, verifier).code(), Code::kBadSignature);
  v1::Vote tampered = good;
  tampered.set_round(2);
  EXPECT_EQ(verify_vote(tv.set, kChainId, tampered, verifier).code(), Code::kBadSignature);
  tampered = good;
  tampered.set_timestamp_ms(good.timestamp_ms() + 1);
  EXPECT_EQ(verify_vote(tv.set, kChainId, tampered, verifier).code(), Code::kBadSignature);
  tampered = good;
  tampered.set_block_id("short");
  EXPECT_EQ(verify_vote(tv.set, kChainId, tampered, verifier).code(), Code::kMalformed);
  tampered = good;
  tampered.set_type(static_cast<v1::VoteType>(7));
  EXPECT_EQ(verify_vote(tv.set, kChainId, tampered, verifier).code(), Code::kMalformed);
  tampered = good;
  tampered.set_validator(tv.keys[2].address.to_string());  // someone else's name
  EXPECT_EQ(verify_vote(tv.set, kChainId, tampered, verifier).code(), Code::kBadSignature);
  auto stranger = signed_vote(testkit::test_key("stranger"), v1::PREVOTE, 5, 1, a);
  EXPECT_EQ(verify_vote(tv.set, kChainId, stranger, verifier).code(), Code::kInvalidArgument);
}

TEST_F(VoteSetTest, CommitVerifies) {
  v1::Commit c = commit_of(3);
  EXPECT_EQ(c.height(), 5u);
  EXPECT_EQ(c.round(), 1u);
  EXPECT_EQ(c.block_id(), a);
  EXPECT_EQ(c.signatures_size(), 3);
  EXPECT_TRUE(verify_commit(tv.set, kChainId, 5, a, c).is_ok());
  EXPECT_TRUE(verify_commit(tv.set, kChainId, 5, a, commit_of(4)).is_ok());
}

TEST_F(VoteSetTest, CommitOnlyCarriesPrecommitsForTheBlock) {
  VoteSet set(tv.set, 5, 1, v1::PRECOMMIT);
  for (size_t i = 0; i < 3; ++i) add(set, vote(i, v1::PRECOMMIT, a));
  add(set, vote(3, v1::PRECOMMIT, Bytes()));
  auto c = set.make_commit();
  ASSERT_TRUE(c.is_ok());
  EXPECT_EQ(c->signatures_size(), 3);
  EXPECT_TRUE(verify_commit(tv.set, kChainId, 5, a, *c).is_ok());

  VoteSet prevotes(tv.set, 5, 1, v1::PREVOTE);
  for (size_t i = 0; i < 3; ++i) add(prevotes, vote(i, v1::PREVOTE, a));
  EXPECT_FALSE(prevotes.make_commit().is_ok());
}

TEST_F(VoteSetTest, CommitMissingPower) {
  v1::Commit c = commit_of(3);
  c.mutable_signatures()->RemoveLast();
  Status s = verify_commit(tv.set, kChainId, 5, a, c);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_NE(s.message().find("2 of 4"), std::string::npos) << s.message();
  v1::Commit empty = c;
  empty.clear_signatures();
  EXPECT_FALSE(verify_commit(tv.set, kChainId, 5, a, empty).is_ok());
}

TEST_F(VoteSetTest, CommitBadSignature) {
  v1::Commit c = commit_of(3);
  std::string sig = c.signatures(1).signature();
  sig[10] = static_cast<char>(sig[10] ^ 1);
  c.mutable_signatures(1)->set_signature(sig);
  Status s = verify_commit(tv.set, kChainId, 5, a, c);
  EXPECT_EQ(s.code(), Code::kBadSignature);
  EXPECT_NE(s.message().find(c.signatures(1).validator()), std::string::npos);

  v1::Commit ts = commit_of(3);
  ts.mutable_signatures(0)->set_timestamp_ms(ts.signatures(0).timestamp_ms() + 1);
  EXPECT_EQ(verify_commit(tv.set, kChainId, 5, a, ts).code(), Code::kBadSignature);

  v1::Commit round = commit_of(3);
  round.set_round(2);  // signatures were made for round 1
  EXPECT_EQ(verify_commit(tv.set, kChainId, 5, a, round).code(), Code::kBadSignature);

  EXPECT_EQ(verify_commit(tv.set, "other-chain", 5, a, commit_of(3)).code(), Code::kBadSignature);
}

TEST_F(VoteSetTest, CommitWrongHeightOrBlock) {
  v1::Commit c = commit_of(3);
  Status h = verify_commit(tv.set, kChainId, 6, a, c);
  EXPECT_FALSE(h.is_ok());
  EXPECT_NE(h.message().find("for height 5"), std::string::npos) << h.message();
  Status blk = verify_commit(tv.set, kChainId, 5, b, c);
  EXPECT_FALSE(blk.is_ok());
  EXPECT_NE(blk.message().find("commits block"), std::string::npos) << blk.message();
  // A commit relabelled for another block does not verify either.
  v1::Commit relabelled = c;
  relabelled.set_block_id(b);
  EXPECT_EQ(verify_commit(tv.set, kChainId, 5, b, relabelled).code(), Code::kBadSignature);
  v1::Commit nil = c;
  nil.clear_block_id();
  EXPECT_EQ(verify_commit(tv.set, kChainId, 5, Bytes(), nil).code(), Code::kMalformed);
}

TEST_F(VoteSetTest, CommitDuplicateSigner) {
  v1::Commit c = commit_of(3);
  *c.mutable_signatures(2) = c.signatures(0);  // 3 entries, 2 validators
  Status s = verify_commit(tv.set, kChainId, 5, a, c);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_NE(s.message().find("signs twice"), std::string::npos) << s.message();
}

TEST_F(VoteSetTest, CommitUnknownValidator) {
  v1::Commit c = commit_of(3);
  auto stranger = testkit::test_key("stranger");
  auto sv = signed_vote(stranger, v1::PRECOMMIT, 5, 1, a);
  v1::CommitSig* cs = c.add_signatures();
  cs->set_validator(sv.validator());
  cs->set_timestamp_ms(sv.timestamp_ms());
  cs->set_signature(sv.signature());
  Status s = verify_commit(tv.set, kChainId, 5, a, c);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_NE(s.message().find("not a validator"), std::string::npos) << s.message();
}

TEST_F(VoteSetTest, SignBytesLayout) {
  v1::Vote v;
  v.set_type(v1::PRECOMMIT);
  v.set_height(0x0102030405060708ULL);
  v.set_round(9);
  v.set_block_id(Bytes(32, '\xab'));
  v.set_timestamp_ms(0x1122334455667788ULL);
  const Bytes bytes = vote_sign_bytes("ab", v);
  std::string want = std::string(
                         "\x00\x00\x00\x02"
                         "ab"
                         "\x02",
                         7) +
                     std::string("\x01\x02\x03\x04\x05\x06\x07\x08", 8) +
                     std::string("\x00\x00\x00\x09", 4) + std::string("\x20", 1) +
                     Bytes(32, '\xab') + std::string("\x11\x22\x33\x44\x55\x66\x77\x88", 8);
  EXPECT_EQ(to_hex(bytes), to_hex(want));
  v.clear_block_id();  // nil: a zero length byte and no id
  EXPECT_EQ(vote_sign_bytes("ab", v).size(), want.size() - 32);

  v1::Proposal p;
  p.set_height(1);
  p.set_round(2);
  p.set_pol_round(-1);
  p.set_block_id(Bytes(32, '\x01'));
  p.set_timestamp_ms(3);
  p.mutable_parts()->set_total(0x01020304);
  p.mutable_parts()->set_root(Bytes(32, '\x5a'));
  const Bytes pb = proposal_sign_bytes("c", p);
  ASSERT_EQ(pb.size(), 4u + 1 + 1 + 8 + 4 + 8 + 1 + 32 + 8 + 4 + 32);
  EXPECT_EQ(static_cast<uint8_t>(pb[5]), kProposalTypeByte);
  EXPECT_EQ(pb.substr(18, 8), Bytes(8, '\xff'));  // pol_round -1
  // The parts header closes the layout: u32be(total) || root.
  EXPECT_EQ(pb.substr(67, 4), Bytes("\x01\x02\x03\x04", 4));
  EXPECT_EQ(pb.substr(71), Bytes(32, '\x5a'));
}

}  // namespace
}  // namespace btt::chain

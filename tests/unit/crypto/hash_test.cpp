#include "btt/crypto/hash.h"

#include <gtest/gtest.h>
#include <secp256k1.h>

#include <string>
#include <vector>

namespace btt::crypto {
namespace {

std::string hex(const Hash32& h) {
  return to_hex(h);
}

Hash32 manual_tagged_hash(std::string_view tag, std::string_view msg) {
  const Hash32 t = sha256(tag);
  std::string buf;
  buf.append(as_view(t));
  buf.append(as_view(t));
  buf.append(msg);
  return sha256(buf);
}

Hash32 node(const Hash32& left, const Hash32& right) {
  return tagged_hash(kTagMerkleNode, std::string(as_view(left)) + std::string(as_view(right)));
}

TEST(Sha256, KnownAnswers) {
  // FIPS 180-2 examples.
  EXPECT_EQ(hex(sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(hex(sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hex(sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(hex(sha256(std::string(1000000, 'a'))),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, HandlesEmbeddedZeroBytes) {
  const std::string with_nul("a\0b", 3);
  EXPECT_NE(sha256(with_nul), sha256("a"));
  EXPECT_NE(sha256(with_nul), sha256("ab"));
}

TEST(TaggedHash, MatchesManualConstruction) {
  for (std::string_view tag : {kTagTxSig, kTagTxId, kTagBlock, kTagMerkleLeaf, kTagMerkleNode,
                               kTagState, kTagModuleAccount}) {
    for (std::string_view msg : {std::string_view(""), std::string_view("abc"),
                                 std::string_view("a longer message of some bytes")}) {
      EXPECT_EQ(tagged_hash(tag, msg), manual_tagged_hash(tag, msg)) << tag << " / " << msg;
    }
  }
}

TEST(TaggedHash, MatchesLibsecp256k1AndFixedValue) {
  const std::string_view tag = "btt/tx/sig";
  const std::string_view msg = "abc";
  Hash32 lib;
  ASSERT_EQ(
      1, secp256k1_tagged_sha256(secp256k1_context_static, lib.data(),
                                 reinterpret_cast<const unsigned char*>(tag.data()), tag.size(),
                                 reinterpret_cast<const unsigned char*>(msg.data()), msg.size()));
  EXPECT_EQ(tagged_hash(tag, msg), lib);
  // Independently computed (Python hashlib); pins the bytes wallets must reproduce.
  EXPECT_EQ(hex(tagged_hash(tag, msg)),
            "7cb1c4775f86a4cfc9c6c9f73dbbe1a17e3a8d549080ab56718dd07c075a949b");
}

TEST(TaggedHash, TagsSeparateDomains) {
  EXPECT_NE(tagged_hash(kTagTxSig, "x"), tagged_hash(kTagTxId, "x"));
  EXPECT_NE(tagged_hash(kTagTxSig, "x"), sha256("x"));
}

class MerkleRoot : public ::testing::Test {
 protected:
  Hash32 a_ = tagged_hash(kTagMerkleLeaf, "a");
  Hash32 b_ = tagged_hash(kTagMerkleLeaf, "b");
  Hash32 c_ = tagged_hash(kTagMerkleLeaf, "c");
  Hash32 d_ = tagged_hash(kTagMerkleLeaf, "d");
};

TEST_F(MerkleRoot, NoLeavesIsZero) {
  EXPECT_EQ(merkle_root({}), Hash32{});
}

TEST_F(MerkleRoot, OneLeafIsTheLeaf) {
  EXPECT_EQ(merkle_root({a_}), a_);
}

TEST_F(MerkleRoot, TwoLeaves) {
  EXPECT_EQ(merkle_root({a_, b_}), node(a_, b_));
  EXPECT_EQ(hex(merkle_root({a_, b_})),
            "018edfd184b42d3af90a91f01ad0be2d1552fa393f1fb9b2a6e3f24b73bb788f");
  EXPECT_NE(merkle_root({a_, b_}), merkle_root({b_, a_}));
}

TEST_F(MerkleRoot, ThreeLeavesPromotesTheOddOne) {
  // Level 1: [node(a, b), c]  (c promoted unchanged, not paired with itself).
  EXPECT_EQ(merkle_root({a_, b_, c_}), node(node(a_, b_), c_));
  EXPECT_NE(merkle_root({a_, b_, c_}), node(node(a_, b_), node(c_, c_)));
  EXPECT_EQ(hex(merkle_root({a_, b_, c_})),
            "b19e0ccf8a39b72b43d6378be912d476d1f2f029ced84a355bb95a845449a252");
}

TEST_F(MerkleRoot, FourAndFiveLeaves) {
  EXPECT_EQ(merkle_root({a_, b_, c_, d_}), node(node(a_, b_), node(c_, d_)));
  EXPECT_EQ(hex(merkle_root({a_, b_, c_, d_})),
            "c4874667a2fd1b7022f24d7fce5a15eea8daaf9210d9aac85a2400dbdaf348a6");
  EXPECT_EQ(merkle_root({a_, b_, c_, d_, a_}), node(node(node(a_, b_), node(c_, d_)), a_));
  EXPECT_EQ(hex(merkle_root({a_, b_, c_, d_, a_})),
            "7a40b25938deef3d24edc9f5f652d1a1d96bec1a2770f11b60c81500cd68fc67");
}

TEST_F(MerkleRoot, DuplicatedLastLeafChangesTheRoot) {
  // Bitcoin's duplicate-last rule makes [a, b, c] and [a, b, c, c] collide; promotion does not.
  EXPECT_NE(merkle_root({a_, b_, c_}), merkle_root({a_, b_, c_, c_}));
}

}  // namespace
}  // namespace btt::crypto

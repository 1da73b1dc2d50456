// The signature cache only remembers exact (key, message, signature) triples that verified: a
// repeat hits, anything else is verified for real, and it never grows past its capacity.
#include <gtest/gtest.h>

#include "btt/chain/sig_cache.h"
#include "btt/chain/tx.h"
#include "btt/crypto/hash.h"
#include "testkit/test_env.h"
#include "testkit/txs.h"

namespace btt::chain {
namespace {

class SigCacheTest : public ::testing::Test {
 protected:
  crypto::KeyPair alice = testkit::test_key("alice");
  crypto::KeyPair bob = testkit::test_key("bob");
  Hash32 msg = crypto::sha256("message");
  Hash32 other_msg = crypto::sha256("another message");

  crypto::Signature sign(const crypto::KeyPair& k, const Hash32& m) const {
    return *crypto::schnorr_sign(k.secret_key, m);
  }
};

TEST_F(SigCacheTest, SecondVerificationIsAHit) {
  SigCache cache(64);
  const auto sig = sign(alice, msg);
  EXPECT_FALSE(cache.contains(alice.public_key, msg, sig));
  EXPECT_TRUE(cache.verify(alice.public_key, msg, sig));
  EXPECT_EQ(cache.hits(), 0u);
  EXPECT_EQ(cache.misses(), 1u);
  EXPECT_TRUE(cache.contains(alice.public_key, msg, sig));
  EXPECT_TRUE(cache.verify(alice.public_key, msg, sig));
  EXPECT_EQ(cache.hits(), 1u);
  EXPECT_EQ(cache.misses(), 1u);
}

TEST_F(SigCacheTest, FailuresAreNeverRemembered) {
  SigCache cache(64);
  auto bad = sign(alice, msg);
  bad[5] ^= 1;
  EXPECT_FALSE(cache.verify(alice.public_key, msg, bad));
  EXPECT_FALSE(cache.verify(alice.public_key, msg, bad));
  EXPECT_EQ(cache.hits(), 0u);
  EXPECT_EQ(cache.size(), 0u);
}

TEST_F(SigCacheTest, OnlyTheExactTripleHits) {
  SigCache cache(64);
  const auto sig = sign(alice, msg);
  ASSERT_TRUE(cache.verify(alice.public_key, msg, sig));
  // Same message and key, another (bad) signature: verified for real, and refused.
  auto bad = sig;
  bad[63] ^= 0x80;
  EXPECT_FALSE(cache.contains(alice.public_key, msg, bad));
  EXPECT_FALSE(cache.verify(alice.public_key, msg, bad));
  // The good signature moved to another message or another key.
  EXPECT_FALSE(cache.verify(alice.public_key, other_msg, sig));
  EXPECT_FALSE(cache.verify(bob.public_key, msg, sig));
  EXPECT_EQ(cache.hits(), 0u);
}

TEST_F(SigCacheTest, TxWithTheSameBodyAndABadSignatureIsRefused) {
  // Through verify_tx_signature and the process-wide cache: the good tx verifies (and is cached);
  // the same body with a flipped signature bit has the same tx id but never passes.
  const v1::Tx good = testkit::signed_transfer(
      alice, {.chain_id = "btt-test-1", .to = bob.address.to_string(), .nonce = 7});
  auto good_tx = decode_tx(good, 1u << 20);
  ASSERT_TRUE(good_tx.is_ok());
  EXPECT_TRUE(verify_tx_signature(**good_tx));
  EXPECT_TRUE(verify_tx_signature(**good_tx));

  v1::Tx forged = good;
  std::string sig = forged.signature();
  sig[10] = static_cast<char>(sig[10] ^ 1);
  forged.set_signature(sig);
  auto forged_tx = decode_tx(forged, 1u << 20);
  ASSERT_TRUE(forged_tx.is_ok());
  ASSERT_EQ((*forged_tx)->id, (*good_tx)->id);
  EXPECT_FALSE(verify_tx_signature(**forged_tx));
  EXPECT_FALSE(verify_tx_signature(**forged_tx));
}

TEST_F(SigCacheTest, EvictsTheOldestPastCapacity) {
  SigCache cache(32);
  ASSERT_GE(cache.capacity(), 32u);
  auto triple = [](uint32_t i) {
    crypto::XOnlyPublicKey pk{};
    crypto::Signature sig{};
    pk[0] = static_cast<uint8_t>(i);
    pk[1] = static_cast<uint8_t>(i >> 8);
    return std::pair{pk, sig};
  };
  const Hash32 m{};
  for (uint32_t i = 0; i < 1000; ++i) {
    auto [pk, sig] = triple(i);
    cache.insert(pk, m, sig);
    ASSERT_LE(cache.size(), cache.capacity());
  }
  EXPECT_EQ(cache.size(), cache.capacity());
  auto [first_pk, first_sig] = triple(0);
  EXPECT_FALSE(cache.contains(first_pk, m, first_sig));
  auto [last_pk, last_sig] = triple(999);
  EXPECT_TRUE(cache.contains(last_pk, m, last_sig));
}

}  // namespace
}  // namespace btt::chain

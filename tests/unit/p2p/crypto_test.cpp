// The primitives under the P2P handshake and frames: ECDH, HKDF-SHA256, ChaCha20-Poly1305.
#include <gtest/gtest.h>

#include <string>

#include "btt/crypto/aead.h"
#include "btt/crypto/ecdh.h"

namespace btt::crypto {
namespace {

Bytes hex(std::string_view h) {
  auto b = from_hex(h);
  EXPECT_TRUE(b.has_value()) << h;
  return b.value_or("");
}

TEST(P2pCrypto, EcdhAgreesBothWays) {
  EphemeralKey a;
  EphemeralKey b;
  auto ab = ecdh(a.secret_key, b.public_key);
  auto ba = ecdh(b.secret_key, a.public_key);
  ASSERT_TRUE(ab && ba);
  EXPECT_EQ(*ab, *ba);
  EphemeralKey c;
  EXPECT_NE(*ecdh(a.secret_key, c.public_key), *ab);
}

TEST(P2pCrypto, CompressedKeyParsingRefusesNonPoints) {
  EphemeralKey a;
  EXPECT_TRUE(compressed_key_from_bytes(as_view(a.public_key)).has_value());
  EXPECT_FALSE(compressed_key_from_bytes(as_view(a.public_key).substr(1)).has_value());
  Bytes bad(as_view(a.public_key));
  bad[0] = 0x04;
  EXPECT_FALSE(compressed_key_from_bytes(bad).has_value());
  // x = 5 is not on secp256k1 (5^3 + 7 = 132 is not a square mod p).
  Bytes not_on_curve(33, '\0');
  not_on_curve[0] = 0x02;
  not_on_curve[32] = 5;
  EXPECT_FALSE(compressed_key_from_bytes(not_on_curve).has_value());
}

// RFC 5869, test case 1.
TEST(P2pCrypto, HkdfSha256Rfc5869Vector) {
  auto okm = hkdf_sha256(hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"),
                         hex("000102030405060708090a0b0c"), hex("f0f1f2f3f4f5f6f7f8f9"), 42);
  ASSERT_TRUE(okm);
  EXPECT_EQ(to_hex(*okm),
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
  EXPECT_FALSE(hkdf_sha256("k", "s", "i", 0).has_value());
  EXPECT_FALSE(hkdf_sha256("k", "s", "i", 255 * 32 + 1).has_value());
}

// RFC 8439, section 2.8.2.
TEST(P2pCrypto, ChaCha20Poly1305Rfc8439Vector) {
  ChaCha20Poly1305::Key key;
  for (size_t i = 0; i < key.size(); ++i) key[i] = static_cast<uint8_t>(0x80 + i);
  ChaCha20Poly1305::Nonce nonce = {0x07, 0x00, 0x00, 0x00, 0x40, 0x41,
                                   0x42, 0x43, 0x44, 0x45, 0x46, 0x47};
  const std::string plaintext =
      "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the "
      "future, sunscreen would be it.";
  const Bytes aad = hex("50515253c0c1c2c3c4c5c6c7");
  ChaCha20Poly1305 aead(key);
  Bytes sealed;
  ASSERT_TRUE(aead.seal(nonce, aad, plaintext, sealed));
  EXPECT_EQ(to_hex(sealed),
            "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fa"
            "fb69da92728b1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4"
            "fad675945585808b4831d7bc3ff4def08e4b7a9de576d26586cec64b6116"
            "1ae10b594f09e26a7e902ecbd0600691");
  auto opened = aead.open(nonce, aad, sealed);
  ASSERT_TRUE(opened);
  EXPECT_EQ(*opened, plaintext);
  Bytes tampered = sealed;
  tampered[3] ^= 1;
  EXPECT_FALSE(aead.open(nonce, aad, tampered).has_value());
  EXPECT_FALSE(aead.open(nonce, "other aad", sealed).has_value());
  EXPECT_FALSE(aead.open(nonce, aad, sealed.substr(0, 15)).has_value());
  aead.wipe();
  EXPECT_FALSE(aead.open(nonce, aad, sealed).has_value());
}

}  // namespace
}  // namespace btt::crypto

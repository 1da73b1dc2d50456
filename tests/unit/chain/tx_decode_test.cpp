// decode_tx refuses malformed txs with messages that say what is wrong, and quote client text
// only in short excerpts.
#include <gtest/gtest.h>

#include "btt/chain/tx.h"
#include "testkit/test_env.h"
#include "testkit/txs.h"

namespace btt::chain {
namespace {

class TxDecodeTest : public ::testing::Test {
 protected:
  crypto::KeyPair alice = testkit::test_key("alice");

  v1::TxBody body() const {
    return testkit::transfer_body(alice,
                                  {.chain_id = "btt-test-1", .to = alice.address.to_string()});
  }
  Status decode(const v1::Tx& tx) const { return decode_tx(tx, 1u << 20).status(); }
};

TEST_F(TxDecodeTest, ValidTxDecodes) {
  EXPECT_TRUE(decode(sign_tx(body(), alice.secret_key)).is_ok());
}

TEST_F(TxDecodeTest, PublicKeyOfWrongLengthOrOffTheCurve) {
  auto b = body();
  b.set_public_key(std::string(31, '\x02'));
  Status s = decode(sign_tx(b, alice.secret_key));
  EXPECT_EQ(s.code(), Code::kMalformed);
  EXPECT_EQ(s.message(), "public_key must be 32 bytes, not 31");

  // 32 bytes, but no curve point has this x: malformed, and the message does not claim a
  // wrong length.
  crypto::XOnlyPublicKey bogus;
  bogus.fill(0xff);
  b.set_public_key(std::string(as_view(bogus)));
  b.set_sender(crypto::Address::from_public_key(bogus).to_string());
  s = decode(sign_tx(b, alice.secret_key));
  EXPECT_EQ(s.code(), Code::kMalformed);
  EXPECT_NE(s.message().find("not an x-only secp256k1 public key"), std::string::npos)
      << s.message();
}

TEST_F(TxDecodeTest, SignatureOfWrongLength) {
  auto tx = sign_tx(body(), alice.secret_key);
  tx.set_signature(tx.signature().substr(0, 63));
  Status s = decode(tx);
  EXPECT_EQ(s.code(), Code::kMalformed);
  EXPECT_EQ(s.message(), "signature must be 64 bytes, not 63");
}

TEST_F(TxDecodeTest, HugeSenderIsQuotedAsAnExcerpt) {
  auto b = body();
  b.set_sender(std::string(100'000, 'q'));
  Status s = decode(sign_tx(b, alice.secret_key));
  EXPECT_EQ(s.code(), Code::kInvalidAddress);
  EXPECT_LT(s.message().size(), 200u) << s.message();
  EXPECT_NE(s.message().find("(100000 bytes)"), std::string::npos) << s.message();
}

TEST_F(TxDecodeTest, GarbageBytesAreMalformed) {
  for (std::string raw : {std::string("\x0a\x10"
                                      "abc",
                                      5),
                          std::string(11, '\xff'), std::string("\x0f\x01", 2)}) {
    auto r = decode_tx(raw, 1u << 20);
    ASSERT_FALSE(r.is_ok());
    EXPECT_EQ(r.status().code(), Code::kMalformed);
  }
  auto big = decode_tx(std::string(20'000, '\0'), 16 * 1024);
  ASSERT_FALSE(big.is_ok());
  EXPECT_EQ(big.status().code(), Code::kTxTooLarge);
}

}  // namespace
}  // namespace btt::chain

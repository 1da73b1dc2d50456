#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "btt/crypto/hash.h"
#include "btt/crypto/keys.h"

namespace btt::crypto {
namespace {

template <size_t N>
std::array<uint8_t, N> hex_array(std::string_view hex) {
  auto raw = from_hex(hex);
  std::array<uint8_t, N> out{};
  if (!raw || raw->size() != N) {
    ADD_FAILURE() << "bad hex for " << N << " bytes: " << hex;
    return out;
  }
  std::copy(raw->begin(), raw->end(), out.begin());
  return out;
}

struct Bip340Row {
  std::string index;
  std::string secret_key;  // empty: verification-only row
  std::string public_key;
  std::string aux_rand;
  std::string message;  // hex, any length (newer BIP340 revisions have 0, 1, 17 and 100 bytes)
  std::string signature;
  bool expected = false;
  std::string comment;
};

// Keeps test names short (gtest would otherwise print the struct's raw bytes into them).
void PrintTo(const Bip340Row& row, std::ostream* os) {
  *os << "row " << row.index;
}

std::string vectors_path() {
  return std::string(BTT_TEST_DATA_DIR) + "/vectors/bip340-test-vectors.csv";
}

std::vector<Bip340Row> load_bip340_rows() {
  std::vector<Bip340Row> rows;
  std::ifstream in(vectors_path());
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    if (header) {  // index,secret key,public key,aux_rand,message,signature,result,comment
      header = false;
      continue;
    }
    std::vector<std::string> f;
    size_t pos = 0;
    // Seven separated fields, then the comment, which may itself contain commas.
    for (int i = 0; i < 7; ++i) {
      size_t comma = line.find(',', pos);
      if (comma == std::string::npos) break;
      f.push_back(line.substr(pos, comma - pos));
      pos = comma + 1;
    }
    if (f.size() != 7) {
      rows.push_back(Bip340Row{"malformed line: " + line, "", "", "", "", "", false, ""});
      continue;
    }
    rows.push_back(Bip340Row{f[0], f[1], f[2], f[3], f[4], f[5], f[6] == "TRUE", line.substr(pos)});
  }
  return rows;
}

class Bip340Vector : public ::testing::TestWithParam<Bip340Row> {};

TEST_P(Bip340Vector, SignAndVerify) {
  const Bip340Row& row = GetParam();
  SCOPED_TRACE("BIP340 row " + row.index + " " + row.comment);
  ASSERT_EQ(row.public_key.size(), 64u) << row.index;
  ASSERT_EQ(row.signature.size(), 128u);
  const auto pk = hex_array<32>(row.public_key);
  const auto sig = hex_array<64>(row.signature);
  const auto msg = from_hex(row.message);
  ASSERT_TRUE(msg.has_value());
  const bool msg_is_32 = msg->size() == 32;

  if (!row.secret_key.empty()) {
    const auto sk = hex_array<32>(row.secret_key);
    const auto aux = hex_array<32>(row.aux_rand);
    ASSERT_TRUE(is_valid_secret_key(sk));
    auto derived = derive_public_key(sk);
    ASSERT_TRUE(derived.has_value());
    EXPECT_EQ(to_hex(*derived), to_hex(pk));

    auto signed_bytes = schnorr_sign_bytes(sk, *msg, aux.data());
    ASSERT_TRUE(signed_bytes.has_value());
    EXPECT_EQ(to_hex(*signed_bytes), to_hex(sig));
    if (msg_is_32) {
      auto signed32 = schnorr_sign(sk, *to_hash32(*msg), aux.data());
      ASSERT_TRUE(signed32.has_value());
      EXPECT_EQ(to_hex(*signed32), to_hex(sig));
    }
  }

  EXPECT_EQ(schnorr_verify_bytes(pk, *msg, sig), row.expected);
  if (msg_is_32) {
    EXPECT_EQ(schnorr_verify(pk, *to_hash32(*msg), sig), row.expected);
  }
  if (row.expected) {
    EXPECT_TRUE(public_key_from_bytes(as_view(pk)).has_value());
  }
}

std::string row_name(const ::testing::TestParamInfo<Bip340Row>& info) {
  std::string name = "row" + info.param.index;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name + "_" + std::to_string(info.index);
}

INSTANTIATE_TEST_SUITE_P(Official, Bip340Vector, ::testing::ValuesIn(load_bip340_rows()), row_name);

TEST(Bip340Vectors, FileHasAllOfficialRows) {
  const auto rows = load_bip340_rows();
  ASSERT_GE(rows.size(), 15u) << vectors_path();
  size_t signing = 0;
  for (const auto& r : rows) signing += r.secret_key.empty() ? 0 : 1;
  EXPECT_GE(signing, 4u);
}

class Schnorr : public ::testing::Test {
 protected:
  SecretKey sk_ = hex_array<32>("B7E151628AED2A6ABF7158809CF4F3C762E7160F38B4DA56A784D9045190CFEF");
  Hash32 msg_ = sha256("a message");
};

TEST_F(Schnorr, SignWithFreshRandomnessVerifies) {
  auto pk = derive_public_key(sk_);
  ASSERT_TRUE(pk.has_value());
  auto s1 = schnorr_sign(sk_, msg_);
  auto s2 = schnorr_sign(sk_, msg_);
  ASSERT_TRUE(s1 && s2);
  EXPECT_NE(*s1, *s2);  // aux_rand drawn from RAND_bytes
  EXPECT_TRUE(schnorr_verify(*pk, msg_, *s1));
  EXPECT_TRUE(schnorr_verify(*pk, msg_, *s2));
}

TEST_F(Schnorr, TamperedMessageFails) {
  auto pk = *derive_public_key(sk_);
  auto sig = *schnorr_sign(sk_, msg_);
  for (size_t i = 0; i < msg_.size(); ++i) {
    Hash32 m = msg_;
    m[i] ^= 0x01;
    EXPECT_FALSE(schnorr_verify(pk, m, sig)) << "byte " << i;
  }
  EXPECT_FALSE(schnorr_verify(pk, sha256("another message"), sig));
}

TEST_F(Schnorr, TamperedSignatureFails) {
  auto pk = *derive_public_key(sk_);
  auto sig = *schnorr_sign(sk_, msg_);
  for (size_t i = 0; i < sig.size(); ++i) {
    Signature s = sig;
    s[i] ^= 0x80;
    EXPECT_FALSE(schnorr_verify(pk, msg_, s)) << "byte " << i;
  }
  EXPECT_FALSE(schnorr_verify(pk, msg_, Signature{}));
  Signature all_ff;
  all_ff.fill(0xff);
  EXPECT_FALSE(schnorr_verify(pk, msg_, all_ff));
}

TEST_F(Schnorr, WrongOrInvalidPublicKeyFails) {
  auto sig = *schnorr_sign(sk_, msg_);
  auto other = *derive_public_key(generate_secret_key());
  EXPECT_FALSE(schnorr_verify(other, msg_, sig));
  EXPECT_FALSE(schnorr_verify(XOnlyPublicKey{}, msg_, sig));  // x = 0 is not on the curve
  XOnlyPublicKey above_p =
      hex_array<32>("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC30");
  EXPECT_FALSE(schnorr_verify(above_p, msg_, sig));
}

TEST_F(Schnorr, InvalidSecretKeysAreRejected) {
  const SecretKey zero{};
  const SecretKey order =
      hex_array<32>("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141");
  const SecretKey above_order =
      hex_array<32>("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364142");
  SecretKey all_ff;
  all_ff.fill(0xff);
  for (const auto& sk : {zero, order, above_order, all_ff}) {
    SCOPED_TRACE(to_hex(sk));
    EXPECT_FALSE(is_valid_secret_key(sk));
    EXPECT_FALSE(derive_public_key(sk).has_value());
    EXPECT_FALSE(schnorr_sign(sk, msg_).has_value());
    EXPECT_FALSE(schnorr_sign_bytes(sk, "msg").has_value());
  }
  const SecretKey order_minus_one =
      hex_array<32>("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364140");
  EXPECT_TRUE(is_valid_secret_key(order_minus_one));
  SecretKey one{};
  one[31] = 1;
  EXPECT_TRUE(is_valid_secret_key(one));
  // 1 * G: the generator's x coordinate.
  EXPECT_EQ(to_hex(*derive_public_key(one)),
            "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
}

TEST_F(Schnorr, VariableLengthMessages) {
  auto pk = *derive_public_key(sk_);
  for (const std::string& m : {std::string(), std::string("x"), std::string(17, '\x11'),
                               std::string(100, '\x99'), std::string(5000, 'z')}) {
    auto sig = schnorr_sign_bytes(sk_, m);
    ASSERT_TRUE(sig.has_value()) << m.size();
    EXPECT_TRUE(schnorr_verify_bytes(pk, m, *sig)) << m.size();
    EXPECT_FALSE(schnorr_verify_bytes(pk, m + "!", *sig)) << m.size();
  }
  // A 32-byte message signs identically through both entry points.
  const uint8_t aux[32] = {7};
  EXPECT_EQ(*schnorr_sign(sk_, msg_, aux), *schnorr_sign_bytes(sk_, as_view(msg_), aux));
}

TEST_F(Schnorr, GeneratedKeysAreValidAndDistinct) {
  SecretKey a = generate_secret_key();
  SecretKey b = generate_secret_key();
  EXPECT_TRUE(is_valid_secret_key(a));
  EXPECT_TRUE(is_valid_secret_key(b));
  EXPECT_NE(a, b);
}

TEST(KeyBytes, PublicKeyFromBytes) {
  auto g = from_hex("79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
  ASSERT_TRUE(g.has_value());
  EXPECT_TRUE(public_key_from_bytes(*g).has_value());
  EXPECT_FALSE(public_key_from_bytes("").has_value());
  EXPECT_FALSE(public_key_from_bytes(g->substr(1)).has_value());
  EXPECT_FALSE(public_key_from_bytes(*g + "x").has_value());
  EXPECT_FALSE(public_key_from_bytes(std::string(32, '\0')).has_value());
  // Official vectors 5 and 14: not an x coordinate on the curve / above the field size.
  EXPECT_FALSE(public_key_from_bytes(
                   *from_hex("EEFDEA4CDB677750A420FEE807EACF21EB9898AE79B9768766E4FAA04A2D4A34"))
                   .has_value());
  EXPECT_FALSE(public_key_from_bytes(
                   *from_hex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC30"))
                   .has_value());
}

// Parsed keys are cached (keys.cpp): asking again, after many other keys have gone through the
// bounded cache, answers the same, and a key off the curve is refused every time.
TEST(KeyBytes, ParsingIsTheSameEveryTime) {
  const std::string off_curve =
      *from_hex("EEFDEA4CDB677750A420FEE807EACF21EB9898AE79B9768766E4FAA04A2D4A34");
  const SecretKey sk = generate_secret_key();
  const XOnlyPublicKey pk = *derive_public_key(sk);
  const Hash32 msg = sha256("cached key");
  const Signature sig = *schnorr_sign(sk, msg);
  for (int round = 0; round < 3; ++round) {
    EXPECT_FALSE(public_key_from_bytes(off_curve).has_value());
    auto parsed = public_key_from_bytes(std::string(as_view(pk)));
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(*parsed, pk);
    EXPECT_TRUE(schnorr_verify(pk, msg, sig));
    XOnlyPublicKey bad_key{};
    std::memcpy(bad_key.data(), off_curve.data(), bad_key.size());
    EXPECT_FALSE(schnorr_verify(bad_key, msg, sig));
    // Push enough other keys through to evict everything a small cache could hold.
    for (int i = 0; i < 20000; ++i) {
      XOnlyPublicKey other{};
      other[0] = static_cast<uint8_t>(i);
      other[1] = static_cast<uint8_t>(i >> 8);
      other[31] = 7;
      (void)public_key_from_bytes(std::string(as_view(other)));
    }
  }
}

TEST(KeyBytes, SignatureFromBytes) {
  EXPECT_TRUE(signature_from_bytes(std::string(64, '\x01')).has_value());
  EXPECT_EQ((*signature_from_bytes(std::string(64, '\x01')))[63], 1);
  EXPECT_FALSE(signature_from_bytes("").has_value());
  EXPECT_FALSE(signature_from_bytes(std::string(63, '\x01')).has_value());
  EXPECT_FALSE(signature_from_bytes(std::string(65, '\x01')).has_value());
}

TEST(SchnorrThreads, ConcurrentVerifyAndSign) {
  const SecretKey sk = generate_secret_key();
  const XOnlyPublicKey pk = *derive_public_key(sk);
  const Hash32 msg = sha256("threads");
  const Signature sig = *schnorr_sign(sk, msg);
  Signature bad = sig;
  bad[10] ^= 1;

  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 100; ++i) {
        if (!schnorr_verify(pk, msg, sig)) ++failures;
        if (schnorr_verify(pk, msg, bad)) ++failures;
        if (i % 10 == t) {
          auto s = schnorr_sign(sk, msg);
          if (!s || !schnorr_verify(pk, msg, *s)) ++failures;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace btt::crypto

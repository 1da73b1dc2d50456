#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <string>

#include "btt/crypto/address.h"
#include "btt/crypto/hash.h"
#include "btt/crypto/keyfile.h"

namespace btt::crypto {
namespace {

XOnlyPublicKey pk_from_hex(std::string_view hex) {
  auto pk = public_key_from_bytes(from_hex(hex).value_or(""));
  EXPECT_TRUE(pk.has_value()) << hex;
  return pk.value_or(XOnlyPublicKey{});
}

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// BIP340 vector 1's public key; expected address computed independently (Python reference
// bech32m of the first 20 bytes of SHA-256 of the key).
constexpr std::string_view kPkHex =
    "DFF1D77F2A671C5F36183726DB2341BE58FEAE1DA2DECED843240F7B502BA659";
constexpr std::string_view kPkAddress = "btt1f77m7vrk3ty8xslup6l45hkn0sktntdlz5sz4f";

TEST(Address, FromPublicKeyIsBech32mOfSha256Prefix) {
  const XOnlyPublicKey pk = pk_from_hex(kPkHex);
  const Hash32 h = sha256(as_view(pk));
  const std::vector<uint8_t> prefix(h.begin(), h.begin() + 20);
  const auto data5 = convert_bits(prefix, 8, 5, true);
  ASSERT_TRUE(data5.has_value());

  const Address addr = Address::from_public_key(pk);
  EXPECT_EQ(addr.to_string(), bech32m_encode("btt", *data5));
  EXPECT_EQ(addr.to_string(), kPkAddress);
  EXPECT_EQ(to_hex(addr.bytes()), "4fbdbf30768ac87343fc0ebf5a5ed37c2cb9adbf");
  EXPECT_EQ(addr.raw(), std::string_view(reinterpret_cast<const char*>(h.data()), 20));
}

TEST(Address, RoundTrip) {
  for (int i = 0; i < 20; ++i) {
    const auto pk = derive_public_key(generate_secret_key());
    ASSERT_TRUE(pk.has_value());
    const Address a = Address::from_public_key(*pk);
    const std::string s = a.to_string();
    EXPECT_EQ(s.size(), 42u);  // "btt" + "1" + 32 data + 6 checksum
    EXPECT_EQ(s.substr(0, 4), "btt1");
    auto parsed = Address::parse(s);
    ASSERT_TRUE(parsed.has_value()) << s;
    EXPECT_EQ(*parsed, a);
    auto from_raw = Address::from_bytes(a.raw());
    ASSERT_TRUE(from_raw.has_value());
    EXPECT_EQ(*from_raw, a);
  }
}

TEST(Address, AcceptsUpperCaseRefusesMixedCase) {
  auto up = Address::parse(upper(std::string(kPkAddress)));
  ASSERT_TRUE(up.has_value());
  EXPECT_EQ(up->to_string(), kPkAddress);

  std::string mixed(kPkAddress);
  mixed[4] = static_cast<char>(std::toupper(static_cast<unsigned char>(mixed[4])));  // the f
  EXPECT_FALSE(Address::parse(mixed).has_value());
  EXPECT_FALSE(Address::parse("BTT1f77m7vrk3ty8xslup6l45hkn0sktntdlz5sz4f").has_value());
}

TEST(Address, RefusesOtherHrp) {
  // Same payload and a valid bech32m checksum, but for HRP "bc".
  EXPECT_TRUE(bech32m_decode("bc1f77m7vrk3ty8xslup6l45hkn0sktntdlwhymm8").has_value());
  EXPECT_FALSE(Address::parse("bc1f77m7vrk3ty8xslup6l45hkn0sktntdlwhymm8").has_value());
  const auto data5 = convert_bits(std::vector<uint8_t>(20, 7), 8, 5, true);
  EXPECT_FALSE(Address::parse(bech32m_encode("bttx", *data5)).has_value());
  EXPECT_FALSE(Address::parse(bech32m_encode("bt", *data5)).has_value());
  EXPECT_TRUE(Address::parse(bech32m_encode("btt", *data5)).has_value());
}

TEST(Address, RefusesWrongPayloadLength) {
  // Valid bech32m "btt" strings over 19 and 21 bytes.
  EXPECT_TRUE(bech32m_decode("btt1qqqsyqcyq5rqwzqfpg9scrgwpugpzys4q5tsk").has_value());
  EXPECT_FALSE(Address::parse("btt1qqqsyqcyq5rqwzqfpg9scrgwpugpzys4q5tsk").has_value());
  EXPECT_TRUE(bech32m_decode("btt1qqqsyqcyq5rqwzqfpg9scrgwpugpzysnzsf68vh2").has_value());
  EXPECT_FALSE(Address::parse("btt1qqqsyqcyq5rqwzqfpg9scrgwpugpzysnzsf68vh2").has_value());
  EXPECT_FALSE(Address::parse(bech32m_encode("btt", {})).has_value());
  // 32 five-bit groups + 1 extra group: 165 bits, not a whole 20-byte payload.
  std::vector<uint8_t> data5(33, 0);
  EXPECT_FALSE(Address::parse(bech32m_encode("btt", data5)).has_value());
}

TEST(Address, RefusesBadChecksumAndGarbage) {
  std::string s(kPkAddress);
  for (size_t i = 4; i < s.size(); ++i) {
    std::string t = s;
    t[i] = t[i] == 'q' ? 'p' : 'q';
    EXPECT_FALSE(Address::parse(t).has_value()) << t;
  }
  EXPECT_FALSE(Address::parse("").has_value());
  EXPECT_FALSE(Address::parse("btt1").has_value());
  EXPECT_FALSE(Address::parse("btt").has_value());
  EXPECT_FALSE(Address::parse(std::string(kPkAddress) + "q").has_value());
  EXPECT_FALSE(Address::parse(std::string(kPkAddress).substr(1)).has_value());
  EXPECT_FALSE(Address::parse(std::string(500, 'x')).has_value());
  EXPECT_FALSE(Address::parse(std::string_view("btt1\0\0", 6)).has_value());
}

TEST(Address, FromBytes) {
  EXPECT_TRUE(Address::from_bytes(std::string(20, '\x01')).has_value());
  EXPECT_FALSE(Address::from_bytes("").has_value());
  EXPECT_FALSE(Address::from_bytes(std::string(19, '\x01')).has_value());
  EXPECT_FALSE(Address::from_bytes(std::string(21, '\x01')).has_value());
  EXPECT_FALSE(Address::from_bytes(std::string(32, '\x01')).has_value());
}

TEST(Address, DefaultIsZeroAndOrdered) {
  const Address zero;
  EXPECT_EQ(zero.to_string(), "btt1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqzlmjat");
  EXPECT_EQ(*Address::parse("btt1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqzlmjat"), zero);
  const Address one = *Address::from_bytes(std::string(19, '\0') + "\x01");
  EXPECT_LT(zero, one);
  EXPECT_NE(zero, one);
}

TEST(Address, ForModuleIsDeterministicAndDistinct) {
  EXPECT_EQ(Address::for_module("bank"), Address::for_module("bank"));
  const Hash32 h = tagged_hash(kTagModuleAccount, "bank");
  EXPECT_EQ(Address::for_module("bank").raw(),
            std::string_view(reinterpret_cast<const char*>(h.data()), 20));
  EXPECT_EQ(to_hex(Address::for_module("bank").bytes()),
            "a233f735806753d2d18ba177687541aaf705c7e3");

  std::set<Address> seen;
  for (std::string_view name : {"bank", "tokenomics", "staking", "governance", "compute", "rwa",
                                "payfi", "incentives", "Bank", "bank ", ""}) {
    EXPECT_TRUE(seen.insert(Address::for_module(name)).second) << "'" << name << "'";
  }
  // Not the plain-SHA-256 derivation a key would get.
  const Hash32 plain = sha256("bank");
  EXPECT_NE(Address::for_module("bank").raw(),
            std::string_view(reinterpret_cast<const char*>(plain.data()), 20));
}

}  // namespace
}  // namespace btt::crypto

namespace btt::crypto {
namespace {

TEST(AddressOwnCanonical, AgreesWithParseOnCanonicalStrings) {
  for (int i = 0; i < 200; ++i) {
    auto kp = KeyPair::generate();
    auto text = kp.address.to_string();
    auto fast = Address::from_own_canonical(text);
    ASSERT_TRUE(fast.has_value());
    EXPECT_EQ(*fast, kp.address);
  }
  EXPECT_FALSE(Address::from_own_canonical("btt1").has_value());
  EXPECT_FALSE(
      Address::from_own_canonical("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq").has_value());
  EXPECT_FALSE(Address::from_own_canonical(std::string(42, 'b')).has_value());
  std::string upper = Address().to_string();
  upper[10] = 'B';  // 'b' is not in the bech32 charset at all
  EXPECT_FALSE(Address::from_own_canonical(upper).has_value());
}

// parse() checks canonical (lower-case "btt1" + 38 characters) strings on a path of its own;
// the upper-case spelling of the same string takes the general BIP350 path. Both must agree on
// every string: valid addresses, and every one-character change of one (charset characters,
// upper case, '1', outside the charset).
TEST(AddressParse, CanonicalPathAgreesWithTheGeneralPath) {
  const std::string kAlphabet = "qpzry9x8gf2tvdw0s3jn54khce6mua7l1bioQP~ ";
  size_t valid = 0;
  size_t invalid = 0;
  for (int i = 0; i < 40; ++i) {
    const std::string text = KeyPair::generate().address.to_string();
    for (size_t pos = 0; pos < text.size(); ++pos) {
      for (char c : kAlphabet) {
        std::string changed = text;
        changed[pos] = c;
        const auto fast = Address::parse(changed);
        const auto general = Address::parse(upper(changed));
        const bool mixed = std::any_of(changed.begin(), changed.end(),
                                       [](char x) { return x >= 'A' && x <= 'Z'; });
        if (mixed) {
          // Upper-casing hides the mix, so only check that a mixed string is refused.
          EXPECT_FALSE(fast.has_value()) << changed;
          continue;
        }
        ASSERT_EQ(fast.has_value(), general.has_value()) << changed;
        if (fast) {
          EXPECT_EQ(*fast, *general) << changed;
          ++valid;
        } else {
          ++invalid;
        }
      }
    }
  }
  // Only the unchanged character keeps an address valid (bech32m detects every 1-char change).
  EXPECT_EQ(valid, 40u * 42u);
  EXPECT_GT(invalid, 40u * 42u * 30u);
}

}  // namespace
}  // namespace btt::crypto

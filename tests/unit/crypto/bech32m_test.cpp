#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <string>
#include <vector>

#include "btt/crypto/address.h"

namespace btt::crypto {
namespace {

struct Bech32Line {
  bool valid = false;
  std::string text;    // with \xNN escapes decoded
  std::string reason;  // invalid lines only
  int line_no = 0;
};

// Keeps test names short (gtest would otherwise print the struct's raw bytes into them).
void PrintTo(const Bech32Line& line, std::ostream* os) {
  *os << "line " << line.line_no;
}

std::string vectors_path() {
  return std::string(BTT_TEST_DATA_DIR) + "/vectors/bech32m-test-vectors.txt";
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes \xNN into the byte NN; everything else is kept as written.
std::string unescape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size() && s[i + 1] == 'x' && hex_digit(s[i + 2]) >= 0 &&
        hex_digit(s[i + 3]) >= 0) {
      out.push_back(static_cast<char>(hex_digit(s[i + 2]) * 16 + hex_digit(s[i + 3])));
      i += 3;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::vector<Bech32Line> load_lines() {
  std::vector<Bech32Line> out;
  std::ifstream in(vectors_path());
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    Bech32Line v;
    v.line_no = line_no;
    std::string rest;
    if (line.rfind("valid ", 0) == 0) {
      v.valid = true;
      rest = line.substr(6);
    } else if (line.rfind("invalid ", 0) == 0) {
      rest = line.substr(8);
      size_t hash = rest.find(" # ");
      if (hash != std::string::npos) {
        v.reason = rest.substr(hash + 3);
        rest = rest.substr(0, hash);
      }
    } else {
      ADD_FAILURE() << "unrecognised line " << line_no << ": " << line;
      continue;
    }
    v.text = unescape(rest);
    out.push_back(v);
  }
  return out;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

class Bech32mVector : public ::testing::TestWithParam<Bech32Line> {};

TEST_P(Bech32mVector, DecodesAsExpected) {
  const Bech32Line& v = GetParam();
  SCOPED_TRACE("line " + std::to_string(v.line_no) + ": " + v.reason);
  auto decoded = bech32m_decode(v.text);
  if (!v.valid) {
    EXPECT_FALSE(decoded.has_value());
    return;
  }
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->hrp, lower(v.text.substr(0, v.text.rfind('1'))));
  EXPECT_EQ(bech32m_encode(decoded->hrp, decoded->data5), lower(v.text));
  // Flipping one data character must break the checksum.
  std::string broken = lower(v.text);
  char& last = broken.back();
  last = last == 'q' ? 'p' : 'q';
  EXPECT_FALSE(bech32m_decode(broken).has_value());
}

std::string line_name(const ::testing::TestParamInfo<Bech32Line>& info) {
  return std::string(info.param.valid ? "valid" : "invalid") + "_line" +
         std::to_string(info.param.line_no);
}

INSTANTIATE_TEST_SUITE_P(Official, Bech32mVector, ::testing::ValuesIn(load_lines()), line_name);

TEST(Bech32mVectors, FileHasAllOfficialLines) {
  const auto lines = load_lines();
  auto valid = std::count_if(lines.begin(), lines.end(), [](const auto& l) { return l.valid; });
  EXPECT_EQ(valid, 7);
  EXPECT_EQ(static_cast<long>(lines.size()) - valid, 14);
  // The escapes really became the single bytes 0x20, 0x7f and 0x80.
  ASSERT_GE(lines.size(), 10u);
  EXPECT_TRUE(std::any_of(lines.begin(), lines.end(), [](const auto& l) {
    return l.text == std::string(
                         "\x80"
                         "1vctc34");
  }));
  EXPECT_TRUE(std::any_of(lines.begin(), lines.end(), [](const auto& l) {
    return l.text == std::string(
                         "\x7f"
                         "1g6xzxy");
  }));
  EXPECT_TRUE(
      std::any_of(lines.begin(), lines.end(), [](const auto& l) { return l.text == " 1xj0phk"; }));
}

TEST(Bech32m, RejectsBech32Checksum) {
  // Valid BIP173 (bech32, not bech32m) strings.
  EXPECT_FALSE(bech32m_decode("A12UEL5L").has_value());
  EXPECT_FALSE(bech32m_decode("a12uel5l").has_value());
  EXPECT_FALSE(bech32m_decode("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw").has_value());
}

TEST(Bech32m, RejectsGarbageWithoutCrashing) {
  for (std::string_view s :
       {std::string_view(""), std::string_view("1"), std::string_view("a1"),
        std::string_view("a1qqqqq"), std::string_view("11111111"), std::string_view("\0\0\0", 3),
        std::string_view("btt1\xff\xfe\xfd\xfc\xfb\xfa")}) {
    EXPECT_FALSE(bech32m_decode(s).has_value());
  }
  EXPECT_FALSE(bech32m_decode(std::string(1000, 'q')).has_value());
}

TEST(Bech32m, EncodeRoundTripsAndRefusesWhatDecodeWouldRefuse) {
  std::vector<uint8_t> data5 = {0, 1, 2, 31, 30, 15};
  std::string s = bech32m_encode("test", data5);
  ASSERT_FALSE(s.empty());
  auto d = bech32m_decode(s);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->hrp, "test");
  EXPECT_EQ(d->data5, data5);
  EXPECT_EQ(bech32m_encode("TEST", data5), s);  // HRP is lower-cased

  EXPECT_EQ(bech32m_encode("", data5), "");
  EXPECT_EQ(bech32m_encode("test", {32}), "");
  EXPECT_EQ(bech32m_encode("te st", data5), "");
  EXPECT_EQ(bech32m_encode("a", std::vector<uint8_t>(83, 0)), "");  // 91 characters
  EXPECT_EQ(bech32m_encode("a", std::vector<uint8_t>(82, 0)).size(), 90u);
}

TEST(ConvertBits, RoundTrip) {
  std::vector<uint8_t> bytes = {0x00, 0xff, 0x10, 0x80, 0x7f};
  auto five = convert_bits(bytes, 8, 5, true);
  ASSERT_TRUE(five.has_value());
  EXPECT_EQ(five->size(), 8u);  // 40 bits
  for (uint8_t v : *five) EXPECT_LT(v, 32);
  auto back = convert_bits(*five, 5, 8, false);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, bytes);
}

TEST(ConvertBits, PaddingRules) {
  // One byte -> two groups with 2 padding bits.
  auto five = convert_bits({0xff}, 8, 5, true);
  ASSERT_TRUE(five.has_value());
  EXPECT_EQ(*five, (std::vector<uint8_t>{31, 28}));
  // Non-zero padding is refused.
  EXPECT_FALSE(convert_bits({31, 29}, 5, 8, false).has_value());
  // A whole spare group (5 or more leftover bits) is refused.
  EXPECT_FALSE(convert_bits({31, 28, 0}, 5, 8, false).has_value());
  // Without padding, leftover bits on 8 -> 5 are refused.
  EXPECT_FALSE(convert_bits({0xff}, 8, 5, false).has_value());
  EXPECT_TRUE(convert_bits({}, 8, 5, false).has_value());
}

TEST(ConvertBits, RefusesOutOfRangeInput) {
  EXPECT_FALSE(convert_bits({32}, 5, 8, true).has_value());
  EXPECT_FALSE(convert_bits({1}, 0, 8, true).has_value());
  EXPECT_FALSE(convert_bits({1}, 5, 9, true).has_value());
  EXPECT_FALSE(convert_bits({1}, -1, 5, true).has_value());
}

}  // namespace
}  // namespace btt::crypto

#include "btt/crypto/address.h"

#include <algorithm>
#include <cstring>

#include "btt/crypto/hash.h"

namespace btt::crypto {
namespace {

constexpr char kCharset[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
constexpr uint32_t kBech32mConst = 0x2bc830a3;  // BIP350
constexpr size_t kMaxLength = 90;               // BIP173 overall limit, kept by BIP350
constexpr size_t kChecksumLength = 6;

// Reverse of kCharset over lower-case characters; -1 for anything outside it.
constexpr std::array<int8_t, 128> make_charset_rev() {
  std::array<int8_t, 128> rev{};
  for (auto& v : rev) v = -1;
  for (int i = 0; i < 32; ++i)
    rev[static_cast<unsigned char>(kCharset[i])] = static_cast<int8_t>(i);
  return rev;
}
constexpr std::array<int8_t, 128> kCharsetRev = make_charset_rev();

// What the BIP173 generator adds for the five bits a step shifts out of the checksum.
constexpr std::array<uint32_t, 32> make_polymod_table() {
  constexpr uint32_t kGen[5] = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
  std::array<uint32_t, 32> table{};
  for (uint32_t top = 0; top < 32; ++top) {
    for (int i = 0; i < 5; ++i) {
      if ((top >> i) & 1) table[top] ^= kGen[i];
    }
  }
  return table;
}
constexpr std::array<uint32_t, 32> kPolymodTable = make_polymod_table();

constexpr uint32_t polymod_step(uint32_t chk, uint8_t value) {
  return ((chk & 0x1ffffff) << 5) ^ value ^ kPolymodTable[chk >> 25];
}

uint32_t polymod(const std::vector<uint8_t>& values) {
  uint32_t chk = 1;
  for (uint8_t v : values) chk = polymod_step(chk, v);
  return chk;
}

// The checksum state after the expanded HRP "btt" (3,3,3,0,2,20,20), where every address
// string's checksum starts.
constexpr uint32_t address_hrp_state() {
  uint32_t chk = 1;
  for (char c : kAddressHrp) chk = polymod_step(chk, static_cast<uint8_t>(c >> 5));
  chk = polymod_step(chk, 0);
  for (char c : kAddressHrp) chk = polymod_step(chk, static_cast<uint8_t>(c & 31));
  return chk;
}

// An address in its canonical spelling ("btt1" + 38 lower-case characters: what to_string
// writes and nearly every input is), checked without allocating. nullopt when it has another
// shape, so the caller takes the general path; a string of this shape whose checksum fails is
// refused here, as the general path would refuse it.
enum class FastParse { kNotCanonical, kInvalid, kValid };
FastParse parse_canonical(std::string_view text, std::array<uint8_t, Address::kSize>& out) {
  if (text.size() != 42 || text.substr(0, 4) != "btt1") return FastParse::kNotCanonical;
  uint32_t chk = address_hrp_state();
  uint32_t acc = 0;
  int bits = 0;
  size_t n = 0;
  for (size_t i = 4; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 128 || kCharsetRev[c] < 0) return FastParse::kNotCanonical;
    const auto v = static_cast<uint8_t>(kCharsetRev[c]);
    chk = polymod_step(chk, v);
    if (i < 36) {  // 32 payload groups (160 bits, no padding), then 6 checksum characters
      acc = (acc << 5) | v;
      bits += 5;
      if (bits >= 8) {
        bits -= 8;
        out[n++] = static_cast<uint8_t>((acc >> bits) & 0xff);
      }
    }
  }
  return chk == kBech32mConst ? FastParse::kValid : FastParse::kInvalid;
}

// hrp must already be lower case.
std::vector<uint8_t> hrp_expand(std::string_view hrp) {
  std::vector<uint8_t> out;
  out.reserve(hrp.size() * 2 + 1);
  for (unsigned char c : hrp) out.push_back(c >> 5);
  out.push_back(0);
  for (unsigned char c : hrp) out.push_back(c & 31);
  return out;
}

char to_lower_ascii(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}

bool valid_hrp_char(unsigned char c) {
  return c >= 33 && c <= 126;
}

}  // namespace

std::string bech32m_encode(std::string_view hrp, const std::vector<uint8_t>& data5) {
  // Refuse whatever bech32m_decode would refuse, so every output decodes again.
  if (hrp.empty() || hrp.size() + 1 + data5.size() + kChecksumLength > kMaxLength) return {};
  std::string lower_hrp;
  lower_hrp.reserve(hrp.size());
  for (char c : hrp) {
    if (!valid_hrp_char(static_cast<unsigned char>(c))) return {};
    lower_hrp.push_back(to_lower_ascii(c));
  }
  for (uint8_t v : data5) {
    if (v > 31) return {};
  }

  std::vector<uint8_t> values = hrp_expand(lower_hrp);
  values.insert(values.end(), data5.begin(), data5.end());
  values.insert(values.end(), kChecksumLength, 0);
  const uint32_t mod = polymod(values) ^ kBech32mConst;

  std::string out = lower_hrp;
  out.reserve(hrp.size() + 1 + data5.size() + kChecksumLength);
  out.push_back('1');
  for (uint8_t v : data5) out.push_back(kCharset[v]);
  for (size_t i = 0; i < kChecksumLength; ++i) {
    out.push_back(kCharset[(mod >> (5 * (kChecksumLength - 1 - i))) & 31]);
  }
  return out;
}

std::optional<Bech32Decoded> bech32m_decode(std::string_view str) {
  if (str.size() > kMaxLength) return std::nullopt;
  bool has_lower = false;
  bool has_upper = false;
  for (char ch : str) {
    const auto c = static_cast<unsigned char>(ch);
    if (!valid_hrp_char(c)) return std::nullopt;
    if (c >= 'a' && c <= 'z') has_lower = true;
    if (c >= 'A' && c <= 'Z') has_upper = true;
  }
  if (has_lower && has_upper) return std::nullopt;

  const size_t sep = str.rfind('1');
  // Needs a non-empty HRP and room for the whole checksum after the separator.
  if (sep == std::string_view::npos || sep == 0 || sep + 1 + kChecksumLength > str.size()) {
    return std::nullopt;
  }

  Bech32Decoded out;
  out.hrp.reserve(sep);
  for (size_t i = 0; i < sep; ++i) out.hrp.push_back(to_lower_ascii(str[i]));

  std::vector<uint8_t> values = hrp_expand(out.hrp);
  const size_t data_start = values.size();
  for (size_t i = sep + 1; i < str.size(); ++i) {
    const auto c = static_cast<unsigned char>(to_lower_ascii(str[i]));
    const int8_t v = c < kCharsetRev.size() ? kCharsetRev[c] : -1;
    if (v < 0) return std::nullopt;
    values.push_back(static_cast<uint8_t>(v));
  }
  if (polymod(values) != kBech32mConst) return std::nullopt;

  out.data5.assign(values.begin() + static_cast<std::ptrdiff_t>(data_start),
                   values.end() - static_cast<std::ptrdiff_t>(kChecksumLength));
  return out;
}

std::optional<std::vector<uint8_t>> convert_bits(const std::vector<uint8_t>& in, int from_bits,
                                                 int to_bits, bool pad) {
  if (from_bits < 1 || from_bits > 8 || to_bits < 1 || to_bits > 8) return std::nullopt;
  const uint32_t max_value = (1u << to_bits) - 1;
  const uint32_t max_acc = (1u << (from_bits + to_bits - 1)) - 1;
  uint32_t acc = 0;
  int bits = 0;
  std::vector<uint8_t> out;
  out.reserve(in.size() * static_cast<size_t>(from_bits) / static_cast<size_t>(to_bits) + 1);
  for (uint8_t v : in) {
    if ((static_cast<uint32_t>(v) >> from_bits) != 0) return std::nullopt;
    acc = ((acc << from_bits) | v) & max_acc;
    bits += from_bits;
    while (bits >= to_bits) {
      bits -= to_bits;
      out.push_back(static_cast<uint8_t>((acc >> bits) & max_value));
    }
  }
  if (pad) {
    if (bits > 0) out.push_back(static_cast<uint8_t>((acc << (to_bits - bits)) & max_value));
  } else if (bits >= from_bits || ((acc << (to_bits - bits)) & max_value) != 0) {
    // Without padding, leftover bits must be fewer than one input group and all zero.
    return std::nullopt;
  }
  return out;
}

namespace {
Address address_from_prefix(const Hash32& h) {
  std::array<uint8_t, Address::kSize> b;
  std::copy_n(h.begin(), Address::kSize, b.begin());
  return Address(b);
}
}  // namespace

Address Address::from_public_key(const XOnlyPublicKey& pk) {
  return address_from_prefix(sha256(as_view(pk)));
}

Address Address::for_module(std::string_view name) {
  return address_from_prefix(tagged_hash(kTagModuleAccount, name));
}

std::optional<Address> Address::parse(std::string_view text) {
  std::array<uint8_t, kSize> canonical_bytes;
  switch (parse_canonical(text, canonical_bytes)) {
    case FastParse::kValid:
      return Address(canonical_bytes);
    case FastParse::kInvalid:
      return std::nullopt;
    case FastParse::kNotCanonical:
      break;
  }
  auto decoded = bech32m_decode(text);
  if (!decoded || decoded->hrp != kAddressHrp) return std::nullopt;
  auto raw = convert_bits(decoded->data5, 5, 8, false);
  if (!raw || raw->size() != kSize) return std::nullopt;
  std::array<uint8_t, kSize> b;
  std::copy(raw->begin(), raw->end(), b.begin());
  return Address(b);
}

std::optional<Address> Address::from_bytes(std::string_view raw) {
  if (raw.size() != kSize) return std::nullopt;
  std::array<uint8_t, kSize> b;
  std::memcpy(b.data(), raw.data(), kSize);
  return Address(b);
}

std::string Address::to_string() const {
  // 20 bytes are exactly 32 five-bit groups, so conversion with padding cannot fail.
  auto data5 = convert_bits(std::vector<uint8_t>(bytes_.begin(), bytes_.end()), 8, 5, true);
  return bech32m_encode(kAddressHrp, *data5);
}

std::string Address::canonical(std::string_view parsed_text) {
  std::string out(parsed_text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::optional<Address> Address::from_own_canonical(std::string_view text) {
  // "btt1" + 32 data characters (160 bits) + 6 checksum characters.
  if (text.size() != 42 || text.substr(0, 4) != "btt1") return std::nullopt;
  std::array<uint8_t, kSize> out{};
  uint32_t acc = 0;
  int bits = 0;
  size_t n = 0;
  for (size_t i = 4; i < 36; ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 128 || kCharsetRev[c] < 0) return std::nullopt;
    acc = (acc << 5) | static_cast<uint32_t>(kCharsetRev[c]);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = static_cast<uint8_t>((acc >> bits) & 0xff);
    }
  }
  return Address(out);
}

}  // namespace btt::crypto

// Fuzz target: bech32m decoding and btt address parsing of arbitrary text, with round trips.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "btt/crypto/address.h"
#include "fuzz_check.h"

using namespace btt;

namespace {
std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  auto decoded = crypto::bech32m_decode(text);
  if (decoded) {
    for (uint8_t v : decoded->data5) BTT_FUZZ_CHECK(v < 32);
    // Whatever decodes encodes back to its lower-case spelling.
    BTT_FUZZ_CHECK(crypto::bech32m_encode(decoded->hrp, decoded->data5) == lower(text));
    if (auto bytes = crypto::convert_bits(decoded->data5, 5, 8, false)) {
      auto back = crypto::convert_bits(*bytes, 8, 5, true);
      BTT_FUZZ_CHECK(back && *back == decoded->data5);
    }
  }

  auto addr = crypto::Address::parse(text);
  if (addr) {
    BTT_FUZZ_CHECK(decoded.has_value());
    BTT_FUZZ_CHECK(addr->to_string() == lower(text));
    BTT_FUZZ_CHECK(crypto::Address::canonical(text) == addr->to_string());
    BTT_FUZZ_CHECK(crypto::Address::from_bytes(addr->raw()) == addr);
  }

  // The input as 5-bit groups (values masked): encoding must either refuse or round-trip.
  std::vector<uint8_t> data5;
  data5.reserve(size);
  for (size_t i = 0; i < size; ++i) data5.push_back(data[i] & 31);
  const std::string encoded = crypto::bech32m_encode("btt", data5);
  if (!encoded.empty()) {
    auto round = crypto::bech32m_decode(encoded);
    BTT_FUZZ_CHECK(round && round->hrp == "btt" && round->data5 == data5);
  }
  // convert_bits on raw bytes with every bit width must not misbehave.
  const std::vector<uint8_t> bytes(data, data + size);
  if (size > 0) {
    const int from = 1 + data[0] % 8;
    const int to = 1 + (data[0] >> 3) % 8;
    (void)crypto::convert_bits(bytes, from, to, (data[0] & 0x80) != 0);
  }
  return 0;
}

#pragma once
// 128-bit unsigned integers for exact scaled accumulators (staking rewards): stored as 16
// big-endian bytes, empty for zero, so a zero accumulator costs nothing in a record.
#include <optional>
#include <string>
#include <string_view>

#include "btt/common/bytes.h"

namespace btt {

__extension__ using u128 = unsigned __int128;

[[nodiscard]] inline Bytes u128_bytes(u128 v) {
  if (v == 0) return {};
  Bytes out(16, '\0');
  for (int i = 15; i >= 0; --i) {
    out[static_cast<size_t>(i)] = static_cast<char>(static_cast<uint8_t>(v & 0xff));
    v >>= 8;
  }
  return out;
}

// nullopt unless empty or exactly 16 bytes.
[[nodiscard]] inline std::optional<u128> u128_from(std::string_view bytes) {
  if (bytes.empty()) return u128{0};
  if (bytes.size() != 16) return std::nullopt;
  u128 v = 0;
  for (char c : bytes) v = (v << 8) | static_cast<uint8_t>(c);
  return v;
}

[[nodiscard]] inline std::string u128_decimal(u128 v) {
  if (v == 0) return "0";
  std::string out;
  while (v > 0) {
    out.insert(out.begin(), static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  }
  return out;
}

}  // namespace btt

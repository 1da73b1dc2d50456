#pragma once
// The one place for overflow-checked integer arithmetic (DESIGN.md: every add and multiply is
// checked). Each returns nullopt on overflow/underflow instead of wrapping.
#include <cstdint>
#include <optional>

namespace btt {

[[nodiscard]] inline std::optional<uint64_t> checked_add(uint64_t a, uint64_t b) {
  uint64_t r;
  if (__builtin_add_overflow(a, b, &r)) return std::nullopt;
  return r;
}

[[nodiscard]] inline std::optional<uint64_t> checked_sub(uint64_t a, uint64_t b) {
  if (b > a) return std::nullopt;
  return a - b;
}

[[nodiscard]] inline std::optional<uint64_t> checked_mul(uint64_t a, uint64_t b) {
  uint64_t r;
  if (__builtin_mul_overflow(a, b, &r)) return std::nullopt;
  return r;
}

// floor(a * b / d) through a 128-bit product; nullopt if d == 0 or the result exceeds 64 bits.
[[nodiscard]] inline std::optional<uint64_t> mul_div_floor(uint64_t a, uint64_t b, uint64_t d) {
  if (d == 0) return std::nullopt;
  unsigned __int128 p = static_cast<unsigned __int128>(a) * b / d;
  if (p > UINT64_MAX) return std::nullopt;
  return static_cast<uint64_t>(p);
}

// ceil(a / d) for d > 0 (never overflows: the result is at most a).
[[nodiscard]] constexpr uint64_t ceil_div(uint64_t a, uint64_t d) {
  return a / d + (a % d != 0 ? 1 : 0);
}

}  // namespace btt

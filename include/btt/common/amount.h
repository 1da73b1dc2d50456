#pragma once
// Amounts and their arithmetic, once (DESIGN.md "Rules for consensus-critical code"): the units of
// a BTT, the basis-point denominator, and the splits that round down with a named remainder.
// Every amount computation in the modules goes through these or common/checked.h; none uses raw
// + - * on amounts.
#include <cstdint>
#include <optional>

#include "btt/common/checked.h"

namespace btt {

// 1 BTT = 10^8 base units; the fixed supply 210,000,000 BTT fits a uint64.
inline constexpr uint64_t kUnitsPerBtt = 100'000'000;
// Basis points: 10,000 = 1.0. Every rate and factor in state is in them.
inline constexpr uint64_t kBps = 10'000;

// A part of a whole and what rounding down left over: part + remainder = the whole the caller
// split. Where the remainder goes is the caller's documented choice.
struct Share {
  uint64_t part = 0;
  uint64_t remainder = 0;
};

// part = floor(amount x numerator / denominator), remainder = amount - part (the rest of the
// amount, rounding loss included). nullopt when denominator is 0 or numerator > denominator.
[[nodiscard]] inline std::optional<Share> mul_div_share(uint64_t amount, uint64_t numerator,
                                                        uint64_t denominator) {
  if (denominator == 0 || numerator > denominator) return std::nullopt;
  auto part = mul_div_floor(amount, numerator, denominator);
  if (!part) return std::nullopt;
  // amount - part never underflows: numerator <= denominator makes part <= amount.
  return Share{*part, amount - *part};
}

// `bps` basis points of `amount`, rounded down; remainder = amount - part. nullopt above 10,000.
[[nodiscard]] inline std::optional<Share> bps_share(uint64_t amount, uint64_t bps) {
  return mul_div_share(amount, bps, kBps);
}

// floor(amount x bps / 10,000) for bps <= 10,000 (never overflows, never exceeds amount).
[[nodiscard]] inline uint64_t bps_of(uint64_t amount, uint64_t bps) {
  return bps >= kBps ? amount : *mul_div_floor(amount, bps, kBps);
}

// a + b, or UINT64_MAX when it would overflow (for scores and counters, never for balances).
[[nodiscard]] constexpr uint64_t saturating_add(uint64_t a, uint64_t b) {
  uint64_t r;
  return __builtin_add_overflow(a, b, &r) ? UINT64_MAX : r;
}

// a x b, or UINT64_MAX when it would overflow (scores, never balances).
[[nodiscard]] constexpr uint64_t saturating_mul(uint64_t a, uint64_t b) {
  uint64_t r;
  return __builtin_mul_overflow(a, b, &r) ? UINT64_MAX : r;
}

}  // namespace btt

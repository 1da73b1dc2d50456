#pragma once
// Constant-product liquidity pool math for the RWA exchange (doc/rwa-exchange.md): pure functions
// from a pool and an action to the pool after it and what moves. No state, no clock, no floating
// point; every product goes through 128-bit integers and every result is checked, so an action
// that would overflow returns an error instead of wrapping.
//
// A pool holds reserve_a of one asset (the fractions) and reserve_b of the other (BTT or a payment
// asset), and `shares` LP shares. Rounding is always in the pool's favour (its remaining
// providers'):
//   initial deposit  shares = isqrt(a x b); no minimum-liquidity lock (nobody can donate to a
//                    module's reserves, the attack Uniswap's lock defends against), but at least
//                    `min_shares` (the module's parameter, >= 1)
//   deposit          shares = min(floor(a x S / A), floor(b x S / B)); the depositor pays
//                    ceil(shares x A / S) and ceil(shares x B / S), never more than offered
//   withdraw         floor(w x A / S) and floor(w x B / S); the last provider (w == S) gets exactly
//                    the reserves left, so no dust stays behind (XRPL fixAMMv1_1)
//   swap exact in    fee = ceil(in x fee_bps / 10,000) stays in the pool (for the providers);
//                    out = floor(R_out x (in - fee) / (R_in + in - fee)); k = A x B never
//                    decreases
//   management fee   accrued as LP-share dilution to the pool manager: minted shares =
//                    floor((S x fee_bps x elapsed_ms + carry) / (10,000 x kYearMs)), the remainder
//                    kept in the pool's `fee_carry`, so nothing is lost to rounding however short
//                    the blocks (compounded per block: after a year alone, the providers keep
//                    about e^-rate of the pool, 98.02% at 2%)
#include <cstdint>
#include <optional>

#include "btt/common/status.h"
#include "btt/common/u128.h"

namespace btt::modules::rwa::exchange {

inline constexpr uint64_t kYearMs = 365ULL * 86'400'000ULL;  // 31,536,000,000

struct Pool {
  uint64_t reserve_a = 0;
  uint64_t reserve_b = 0;
  uint64_t shares = 0;     // LP shares outstanding; 0 exactly when both reserves are 0
  uint64_t fee_carry = 0;  // management-fee remainder, < 10,000 x kYearMs
  bool operator==(const Pool&) const = default;
};

// floor(sqrt(n)).
[[nodiscard]] uint64_t isqrt(u128 n);

// k = reserve_a x reserve_b.
[[nodiscard]] inline u128 invariant_k(const Pool& p) {
  return static_cast<u128>(p.reserve_a) * p.reserve_b;
}

struct Deposit {
  uint64_t shares = 0;  // minted to the depositor
  uint64_t used_a = 0;  // taken from the depositor
  uint64_t used_b = 0;
  Pool after;
};

// The first deposit into an empty pool (shares == 0): shares = isqrt(a x b) >= min_shares.
[[nodiscard]] Result<Deposit> initial_deposit(const Pool& pool, uint64_t a, uint64_t b,
                                              uint64_t min_shares = 1);
// A deposit of at most max_a and max_b into a pool with shares, at the pool's ratio.
// kInvalidAmount when it would mint no share.
[[nodiscard]] Result<Deposit> deposit(const Pool& pool, uint64_t max_a, uint64_t max_b);

struct Withdrawal {
  uint64_t out_a = 0;
  uint64_t out_b = 0;
  Pool after;
};
// Burns `shares` (0 < shares <= pool.shares).
[[nodiscard]] Result<Withdrawal> withdraw(const Pool& pool, uint64_t shares);

struct Swap {
  uint64_t in = 0;   // taken from the trader, fee included
  uint64_t fee = 0;  // the part of `in` that is the pool fee
  uint64_t out = 0;  // paid to the trader
  Pool after;
};
// Sells exactly `in` of a (a_in) or of b for the other asset, fee_bps < 10,000. Fails when `out`
// would be 0 or below `min_out` (kLimitExceeded: the trader's slippage bound).
[[nodiscard]] Result<Swap> swap_exact_in(const Pool& pool, bool a_in, uint64_t in, uint64_t fee_bps,
                                         uint64_t min_out = 1);
// The smallest `in` for which swap_exact_in pays at least `out` (0 < out < the output reserve).
[[nodiscard]] Result<uint64_t> quote_in_for_out(const Pool& pool, bool a_in, uint64_t out,
                                                uint64_t fee_bps);

struct Accrual {
  uint64_t minted = 0;  // new shares for the pool manager
  Pool after;
};
// The annual management fee for `elapsed_ms` (fee_bps <= 10,000). An empty pool accrues nothing.
[[nodiscard]] Result<Accrual> accrue_management_fee(const Pool& pool, uint64_t fee_bps,
                                                    uint64_t elapsed_ms);

}  // namespace btt::modules::rwa::exchange

#include "modules/rwa/exchange/pool.h"

#include <algorithm>
#include <string>

#include "btt/common/amount.h"
#include "btt/common/checked.h"

namespace btt::modules::rwa::exchange {

namespace {

// ceil(n / d) of 128-bit values, d > 0.
u128 ceil_div128(u128 n, u128 d) {
  return n / d + (n % d != 0 ? 1 : 0);
}

std::optional<uint64_t> fit64(u128 v) {
  if (v > UINT64_MAX) return std::nullopt;
  return static_cast<uint64_t>(v);
}

Status overflow(const char* what) {
  return {Code::kBalanceOverflow, std::string(what) + " overflows a uint64"};
}

}  // namespace

uint64_t isqrt(u128 n) {
  if (n < 2) return static_cast<uint64_t>(n);
  // Newton from above: x0 = 2^ceil(bits/2) >= sqrt(n); the iterates fall to floor(sqrt(n)).
  int bits = 0;
  for (u128 m = n; m != 0; m >>= 1) ++bits;
  u128 x = u128{1} << ((bits + 1) / 2);
  for (;;) {
    const u128 y = (x + n / x) / 2;
    if (y >= x) break;
    x = y;
  }
  return static_cast<uint64_t>(x);  // floor(sqrt(2^128 - 1)) = 2^64 - 1 fits
}

Result<Deposit> initial_deposit(const Pool& pool, uint64_t a, uint64_t b, uint64_t min_shares) {
  if (pool.shares != 0 || pool.reserve_a != 0 || pool.reserve_b != 0) {
    return Status{Code::kWrongState, "the pool already has liquidity"};
  }
  if (a == 0 || b == 0) return Status{Code::kInvalidAmount, "both amounts must be > 0"};
  const uint64_t shares = isqrt(static_cast<u128>(a) * b);
  if (shares < std::max<uint64_t>(min_shares, 1)) {
    return Status{Code::kInvalidAmount, "initial deposit mints " + std::to_string(shares) +
                                            " shares, below the minimum " +
                                            std::to_string(std::max<uint64_t>(min_shares, 1))};
  }
  Deposit d{shares, a, b, pool};
  d.after.reserve_a = a;
  d.after.reserve_b = b;
  d.after.shares = shares;
  return d;
}

Result<Deposit> deposit(const Pool& pool, uint64_t max_a, uint64_t max_b) {
  if (pool.shares == 0 || pool.reserve_a == 0 || pool.reserve_b == 0) {
    return Status{Code::kWrongState, "the pool is empty: make the initial deposit"};
  }
  const u128 s = pool.shares;
  const u128 by_a = static_cast<u128>(max_a) * s / pool.reserve_a;
  const u128 by_b = static_cast<u128>(max_b) * s / pool.reserve_b;
  auto shares = fit64(std::min(by_a, by_b));
  if (!shares) return overflow("minted shares");
  if (*shares == 0) return Status{Code::kInvalidAmount, "the deposit mints no share"};
  // ceil(shares x R / S) <= max: shares <= floor(max x S / R).
  const auto used_a = fit64(ceil_div128(static_cast<u128>(*shares) * pool.reserve_a, s));
  const auto used_b = fit64(ceil_div128(static_cast<u128>(*shares) * pool.reserve_b, s));
  if (!used_a || !used_b) return overflow("deposit amount");
  Deposit d{*shares, *used_a, *used_b, pool};
  auto ra = checked_add(pool.reserve_a, *used_a);
  auto rb = checked_add(pool.reserve_b, *used_b);
  auto total = checked_add(pool.shares, *shares);
  if (!ra || !rb) return overflow("reserve");
  if (!total) return overflow("share supply");
  d.after.reserve_a = *ra;
  d.after.reserve_b = *rb;
  d.after.shares = *total;
  return d;
}

Result<Withdrawal> withdraw(const Pool& pool, uint64_t shares) {
  if (shares == 0) return Status{Code::kInvalidAmount, "shares must be > 0"};
  if (shares > pool.shares) {
    return Status{Code::kInsufficientFunds, "withdraws " + std::to_string(shares) + " shares of " +
                                                std::to_string(pool.shares)};
  }
  Withdrawal w{0, 0, pool};
  if (shares == pool.shares) {
    // The last provider takes exactly what is left.
    w.out_a = pool.reserve_a;
    w.out_b = pool.reserve_b;
    w.after = Pool{};  // an emptied pool also drops the fee carry (a part of no share)
    return w;
  }
  // shares < S makes each part < its reserve: the pool keeps at least one unit of each.
  w.out_a = *mul_div_floor(shares, pool.reserve_a, pool.shares);
  w.out_b = *mul_div_floor(shares, pool.reserve_b, pool.shares);
  w.after.reserve_a = pool.reserve_a - w.out_a;
  w.after.reserve_b = pool.reserve_b - w.out_b;
  w.after.shares = pool.shares - shares;
  return w;
}

Result<Swap> swap_exact_in(const Pool& pool, bool a_in, uint64_t in, uint64_t fee_bps,
                           uint64_t min_out) {
  if (fee_bps >= kBps) return Status{Code::kInvalidArgument, "fee_bps must be < 10000"};
  if (pool.reserve_a == 0 || pool.reserve_b == 0) {
    return Status{Code::kWrongState, "the pool is empty"};
  }
  if (in == 0) return Status{Code::kInvalidAmount, "swap amount must be > 0"};
  const uint64_t r_in = a_in ? pool.reserve_a : pool.reserve_b;
  const uint64_t r_out = a_in ? pool.reserve_b : pool.reserve_a;
  auto new_in = checked_add(r_in, in);
  if (!new_in) return overflow("input reserve");
  // fee = ceil(in x fee_bps / 10,000) <= in, since fee_bps < 10,000.
  const uint64_t fee = static_cast<uint64_t>(ceil_div128(static_cast<u128>(in) * fee_bps, kBps));
  const uint64_t net = in - fee;
  // out = floor(r_out x net / (r_in + net)) < r_out.
  const uint64_t out =
      static_cast<uint64_t>(static_cast<u128>(r_out) * net / (static_cast<u128>(r_in) + net));
  if (out == 0 || out < min_out) {
    return Status{Code::kLimitExceeded, "swap pays " + std::to_string(out) + ", below " +
                                            std::to_string(std::max<uint64_t>(min_out, 1))};
  }
  Swap s{in, fee, out, pool};
  (a_in ? s.after.reserve_a : s.after.reserve_b) = *new_in;
  (a_in ? s.after.reserve_b : s.after.reserve_a) = r_out - out;
  return s;
}

Result<uint64_t> quote_in_for_out(const Pool& pool, bool a_in, uint64_t out, uint64_t fee_bps) {
  if (fee_bps >= kBps) return Status{Code::kInvalidArgument, "fee_bps must be < 10000"};
  if (pool.reserve_a == 0 || pool.reserve_b == 0) {
    return Status{Code::kWrongState, "the pool is empty"};
  }
  const uint64_t r_in = a_in ? pool.reserve_a : pool.reserve_b;
  const uint64_t r_out = a_in ? pool.reserve_b : pool.reserve_a;
  if (out == 0 || out >= r_out) {
    return Status{Code::kInvalidAmount, "out must be in 1.." + std::to_string(r_out - 1)};
  }
  // The least net input with floor(r_out x net / (r_in + net)) >= out.
  const u128 net = ceil_div128(static_cast<u128>(r_in) * out, r_out - out);
  // The least input with in - ceil(in x fee / 10,000) = floor(in x (10,000 - fee) / 10,000) >= net.
  const auto in = fit64(ceil_div128(net * kBps, kBps - fee_bps));
  if (!in || !checked_add(r_in, *in)) return overflow("swap input");
  return *in;
}

Result<Accrual> accrue_management_fee(const Pool& pool, uint64_t fee_bps, uint64_t elapsed_ms) {
  if (fee_bps > kBps) return Status{Code::kInvalidArgument, "fee_bps must be <= 10000"};
  Accrual a{0, pool};
  if (pool.shares == 0 || fee_bps == 0 || elapsed_ms == 0) return a;
  constexpr u128 kDen = static_cast<u128>(kBps) * kYearMs;
  u128 num;
  if (__builtin_mul_overflow(static_cast<u128>(pool.shares) * fee_bps,
                             static_cast<u128>(elapsed_ms), &num) ||
      __builtin_add_overflow(num, static_cast<u128>(pool.fee_carry), &num)) {
    return overflow("management fee");
  }
  const auto minted = fit64(num / kDen);
  if (!minted) return overflow("management fee shares");
  auto total = checked_add(pool.shares, *minted);
  if (!total) return overflow("share supply");
  a.minted = *minted;
  a.after.shares = *total;
  a.after.fee_carry = static_cast<uint64_t>(num % kDen);
  return a;
}

}  // namespace btt::modules::rwa::exchange

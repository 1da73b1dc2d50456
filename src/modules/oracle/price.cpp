// The price in force and conversion (doc/oracle.md "Price in force"): the median of the fresh
// posts, exact rationals compared in 128 bits, no floating point.
#include <algorithm>

#include "btt/common/checked.h"
#include "btt/modules/oracle/errors.h"
#include "btt/modules/oracle/oracle.h"
#include "btt/modules/roles/roles.h"
#include "keys.h"
#include "module.h"

namespace btt::modules::oracle {

bool is_valid_pair(std::string_view base, std::string_view quote) {
  return ledger::is_valid_asset_name(base) && ledger::is_valid_asset_name(quote) && base != quote;
}

bool price_less(uint64_t a, uint64_t b, uint64_t c, uint64_t d) {
  using u128 = unsigned __int128;
  return static_cast<u128>(a) * d < static_cast<u128>(c) * b;
}

Result<Price> price_in_force(const ledger::StateReader& state, std::string_view base,
                             std::string_view quote, uint64_t time_ms) {
  if (auto s = check_pair(base, quote, "price"); !s) return s;
  const auto params = params_spec().get(state);
  struct Fresh {
    v1::PricePost post;
    crypto::Address feeder;
  };
  std::vector<Fresh> fresh;
  for (auto& p : ledger::read_records<v1::PricePost>(state, keys::posts(base, quote))) {
    // Fresh: time_ms - max_age_ms < post time <= time_ms (no wrap near zero).
    if (p.time_ms() > time_ms) continue;
    if (time_ms - p.time_ms() >= params.max_age_ms()) continue;
    auto feeder = crypto::Address::parse(p.feeder());
    if (!feeder || !roles::has_role(state, roles::kPriceOracle, *feeder)) continue;
    if (p.num() == 0 || p.den() == 0) continue;  // never stored (invariant); never a divisor
    fresh.push_back({std::move(p), *feeder});
  }
  const std::string pair = std::string(base) + "/" + std::string(quote);
  if (fresh.size() < params.min_posts() || fresh.empty()) {
    return Status{errors::kNoPrice, "no price for " + pair + " at " + std::to_string(time_ms) +
                                        ": " + std::to_string(fresh.size()) +
                                        " fresh posts, min_posts is " +
                                        std::to_string(params.min_posts())};
  }
  std::sort(fresh.begin(), fresh.end(), [](const Fresh& x, const Fresh& y) {
    const auto &a = x.post, &b = y.post;
    if (price_less(a.num(), a.den(), b.num(), b.den())) return true;
    if (price_less(b.num(), b.den(), a.num(), a.den())) return false;
    return x.feeder < y.feeder;
  });
  const Fresh& median = fresh[(fresh.size() - 1) / 2];  // even count: the lower middle one
  Price out;
  out.num = median.post.num();
  out.den = median.post.den();
  out.posts = static_cast<uint32_t>(fresh.size());
  out.median_feeder = median.feeder;
  out.oldest_time_ms = fresh.front().post.time_ms();
  out.newest_time_ms = fresh.front().post.time_ms();
  for (const auto& f : fresh) {
    out.oldest_time_ms = std::min(out.oldest_time_ms, f.post.time_ms());
    out.newest_time_ms = std::max(out.newest_time_ms, f.post.time_ms());
  }
  return out;
}

Result<uint64_t> convert(uint64_t amount, const Price& price) {
  if (auto s = check_price(price.num, price.den, "convert"); !s) return s;
  auto r = mul_div_floor(amount, price.num, price.den);
  if (!r) {
    return Status{errors::kConversionOverflow, "convert: " + std::to_string(amount) + " x " +
                                                   std::to_string(price.num) + " / " +
                                                   std::to_string(price.den) + " exceeds 2^64 - 1"};
  }
  return *r;
}

}  // namespace btt::modules::oracle

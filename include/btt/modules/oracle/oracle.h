#pragma once
// Oracle module (doc/oracle.md): holders of the price_oracle role post prices per pair
// (base, quote) as exact rationals num/den; the price in force at a time is the median of the
// fresh posts (fresher than max_age_ms), and fewer than min_posts of them means no price.
// PayFi (conversion) and RWA (valuation) read it through this header, never through its keys.
//
// State keys: src/modules/oracle/keys.h (doc/oracle.md "State").
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "btt/common/status.h"
#include "btt/crypto/address.h"
#include "btt/ledger/module.h"

namespace btt::modules::oracle {

inline constexpr std::string_view kModuleName = "oracle";
inline constexpr uint32_t kCodespace = 7;

// A price: `amount_quote = floor(amount_base x num / den)`, both in base units of their asset.
struct Price {
  uint64_t num = 0;
  uint64_t den = 0;
  uint32_t posts = 0;           // fresh posts the median was taken over
  uint64_t oldest_time_ms = 0;  // block time of the oldest and newest of them
  uint64_t newest_time_ms = 0;
  crypto::Address median_feeder;  // whose post is the median
};

// Whether (base, quote) is a pair a post may name: two valid asset names
// (ledger::is_valid_asset_name), base != quote. Neither needs to be a registered asset.
[[nodiscard]] bool is_valid_pair(std::string_view base, std::string_view quote);

// The price of (base, quote) in force at `time_ms`: the median of the posts in `state` with
// time_ms - max_age_ms < post time <= time_ms whose feeder still holds price_oracle, ordered by
// value (ties by feeder address); of an even count the lower middle one. Only the direct pair
// counts (no inversion, no cross rates). Fewer than min_posts fresh posts: no_price (7004,
// naming the pair, the count and min_posts); an invalid pair: bad_pair.
[[nodiscard]] Result<Price> price_in_force(const ledger::StateReader& state, std::string_view base,
                                           std::string_view quote, uint64_t time_ms);

// floor(amount x num / den) in 128 bits: bad_price for a zero num or den, conversion_overflow
// when the result exceeds uint64.
[[nodiscard]] Result<uint64_t> convert(uint64_t amount, const Price& price);

// a/b < c/d exactly (a x d < c x b in 128 bits); b and d are > 0.
[[nodiscard]] bool price_less(uint64_t a, uint64_t b, uint64_t c, uint64_t d);

[[nodiscard]] std::unique_ptr<ledger::Module> make_oracle_module();

}  // namespace btt::modules::oracle

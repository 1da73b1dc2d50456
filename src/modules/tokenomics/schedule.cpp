// Tokenomics schedules: exact integer math for vesting, the Foundation's milestone ceiling, the
// mining emission curve and the genesis allocation table (doc/tokenomics.md).
#include "btt/modules/tokenomics/schedule.h"

#include <algorithm>
#include <set>
#include <string_view>

#include "btt/common/checked.h"
#include "btt/ledger/ledger.h"

namespace btt::modules::tokenomics {

static_assert(kUnitsPerBtt == ledger::kUnitsPerBtt, "one BTT must be the ledger's unit count");
static_assert(kFixedSupply == 21'000'000'000'000'000ULL);
static_assert(kYearS % kDefaultEpochS == 0, "default epochs must divide the year");

namespace {

// Weight of year 0 in the emission curve: 10^16 keeps the decayed weights exact for 8000 bps
// (0.8^y = 4^y / 5^y and 5^16 divides 10^16) and their sum (<= 64 * 10^16) inside uint64.
constexpr uint64_t kEmissionWeight0 = 10'000'000'000'000'000ULL;
static_assert(kMaxEmissionYears <= UINT64_MAX / kEmissionWeight0, "weight sum fits uint64");

Status invalid(std::string message) {
  return {Code::kInvalidArgument, std::move(message)};
}

std::string num(uint64_t v) {
  return std::to_string(v);
}

// The common window of every schedule: genesis <= start <= genesis + kMaxStartOffsetS.
Status check_start(std::string_view what, uint64_t start_s, uint64_t genesis_s) {
  if (start_s < genesis_s) {
    return invalid(std::string(what) + ": start " + num(start_s) + " s is before genesis " +
                   num(genesis_s) + " s");
  }
  if (start_s - genesis_s > kMaxStartOffsetS) {
    return invalid(std::string(what) + ": start " + num(start_s) + " s is more than " +
                   num(kMaxStartOffsetS) + " s (10 years) after genesis " + num(genesis_s) + " s");
  }
  return Status::ok();
}

Status check_duration(std::string_view what, uint64_t duration_s) {
  if (duration_s == 0) return invalid(std::string(what) + ": duration must be positive");
  if (duration_s > kMaxScheduleDurationS) {
    return invalid(std::string(what) + ": duration " + num(duration_s) + " s exceeds the maximum " +
                   num(kMaxScheduleDurationS) + " s (120 months of 30 days)");
  }
  return Status::ok();
}

// floor(total * elapsed / duration) for 0 <= elapsed < duration: always below total, so the
// 128-bit quotient fits; the fallback only guards a broken invariant.
uint64_t linear(uint64_t total, uint64_t elapsed, uint64_t duration_s) {
  return mul_div_floor(total, elapsed, duration_s).value_or(0);
}

}  // namespace

bool is_valid_id(std::string_view id) {
  if (id.size() < 2 || id.size() > 32) return false;
  return std::all_of(id.begin(), id.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; });
}

// ---------------------------------------------------------------- VestingSchedule

Status VestingSchedule::validate(uint64_t genesis_s) const {
  if (total == 0) return invalid("vesting: total must be positive");
  if (auto s = check_duration("vesting", duration_s); !s) return s;
  if (cliff_s > duration_s) {
    return invalid("vesting: cliff " + num(cliff_s) + " s is longer than the duration " +
                   num(duration_s) + " s");
  }
  return check_start("vesting", start_s, genesis_s);
}

uint64_t VestingSchedule::released_at(uint64_t t_s) const {
  if (t_s < start_s) return 0;
  const uint64_t elapsed = t_s - start_s;  // no addition: start + x never overflows here
  if (elapsed < cliff_s) return 0;
  if (elapsed >= duration_s) return total;
  return linear(total, elapsed, duration_s);
}

uint64_t VestingSchedule::end_s() const {
  return checked_add(start_s, duration_s).value_or(UINT64_MAX);
}

std::optional<uint64_t> VestingSchedule::next_release_s(uint64_t t_s) const {
  const uint64_t now = released_at(t_s);
  if (now >= total) return std::nullopt;
  // Offset (from start) of the next increase: not before the cliff, and the first elapsed e
  // with floor(total * e / duration) >= now + 1, i.e. e = ceil((now + 1) * duration / total).
  // floor((now + 1) * duration / total) is that ceiling or one less; released_at decides.
  uint64_t e = cliff_s;
  if (cliff_s < duration_s) {
    uint64_t need = mul_div_floor(now + 1, duration_s, total).value_or(duration_s);
    if (need < duration_s && linear(total, need, duration_s) < now + 1) ++need;
    e = std::max(cliff_s, need);
  }
  // Before the cliff (or before start) released is 0 and e >= cliff > t - start; past it,
  // released(t) = now < released(start + e) forces start + e > t.
  return checked_add(start_s, e);  // nullopt only if the release lies beyond uint64 seconds
}

// ---------------------------------------------------------------- MilestoneCeiling

Status MilestoneCeiling::validate(uint64_t genesis_s) const {
  if (total == 0) return invalid("milestones: total must be positive");
  if (auto s = check_duration("milestones", duration_s); !s) return s;
  return check_start("milestones", start_s, genesis_s);
}

uint64_t MilestoneCeiling::ceiling_at(uint64_t t_s) const {
  if (t_s < start_s) return 0;
  const uint64_t elapsed = t_s - start_s;
  if (elapsed >= duration_s) return total;
  return linear(total, elapsed, duration_s);
}

uint64_t MilestoneCeiling::released(uint64_t approved, uint64_t t_s) const {
  return std::min(approved, ceiling_at(t_s));
}

// ---------------------------------------------------------------- EmissionCurve

Status EmissionCurve::validate(uint64_t genesis_s) const {
  if (total == 0) return invalid("emission: total must be positive");
  if (epoch_s == 0) return invalid("emission: epoch length must be positive");
  if (year_s == 0) return invalid("emission: year length must be positive");
  if (year_s % epoch_s != 0) {
    return invalid("emission: year " + num(year_s) + " s is not a whole number of epochs of " +
                   num(epoch_s) + " s");
  }
  if (years == 0 || years > kMaxEmissionYears) {
    return invalid("emission: years " + num(years) + " outside 1.." + num(kMaxEmissionYears));
  }
  if (decay_bps == 0 || decay_bps > kBpsDenominator) {
    return invalid("emission: decay " + num(decay_bps) + " bps outside 1.." + num(kBpsDenominator));
  }
  auto length = checked_mul(years, year_s);
  if (!length || *length > kMaxScheduleDurationS) {
    return invalid("emission: " + num(years) + " years of " + num(year_s) +
                   " s exceed the maximum duration " + num(kMaxScheduleDurationS) + " s");
  }
  return check_start("emission", start_s, genesis_s);
}

uint64_t EmissionCurve::epochs_per_year() const {
  if (epoch_s == 0 || year_s % epoch_s != 0) return 0;
  return year_s / epoch_s;
}

bool EmissionCurve::computable() const {
  return years > 0 && years <= kMaxEmissionYears && decay_bps <= kBpsDenominator &&
         epochs_per_year() > 0;
}

uint64_t EmissionCurve::total_epochs() const {
  if (!computable()) return 0;
  return checked_mul(years, epochs_per_year()).value_or(0);
}

std::vector<uint64_t> EmissionCurve::budgets() const {
  if (!computable()) return {};
  std::vector<uint64_t> weights(years);
  uint64_t weight_sum = 0;
  for (uint32_t y = 0; y < years; ++y) {
    // weight <= 10^16 and weight_sum <= 64 * 10^16 < 2^64: the fallbacks never trigger.
    weights[y] = y == 0 ? kEmissionWeight0
                        : mul_div_floor(weights[y - 1], decay_bps, kBpsDenominator).value_or(0);
    weight_sum = checked_add(weight_sum, weights[y]).value_or(0);
  }
  std::vector<uint64_t> out(years);
  uint64_t assigned = 0;
  for (uint32_t y = 0; y + 1 < years; ++y) {
    out[y] = mul_div_floor(total, weights[y], weight_sum).value_or(0);  // <= total
    assigned += out[y];  // sum of floors of parts of total: <= total
  }
  out[years - 1] = total - assigned;  // the last year takes the rounding remainder
  return out;
}

uint64_t EmissionCurve::year_budget(uint32_t y) const {
  auto b = budgets();
  return y < b.size() ? b[y] : 0;
}

uint64_t EmissionCurve::epoch_amount(uint64_t epoch_index) const {
  auto b = budgets();
  if (b.empty()) return 0;
  const uint64_t per_year = epochs_per_year();
  const uint64_t y = epoch_index / per_year;
  if (y >= b.size()) return 0;
  const uint64_t k = epoch_index % per_year;
  const uint64_t each = b[y] / per_year;
  // The year's last epoch takes the year's remainder.
  return k + 1 == per_year ? b[y] - each * (per_year - 1) : each;
}

uint64_t EmissionCurve::emitted_through(uint64_t epoch_index) const {
  auto b = budgets();
  if (b.empty()) return 0;
  const uint64_t per_year = epochs_per_year();
  const uint64_t y = epoch_index / per_year;
  if (y >= b.size()) return total;
  uint64_t sum = 0;
  for (uint64_t i = 0; i < y; ++i) sum += b[i];  // a prefix of parts of total: <= total
  const uint64_t k = epoch_index % per_year;
  // k + 1 epochs of year y; all of them are the whole year budget (remainder included).
  return sum + (k + 1 == per_year ? b[y] : (k + 1) * (b[y] / per_year));
}

std::optional<uint64_t> EmissionCurve::epoch_at(uint64_t t_s) const {
  if (t_s < start_s || epoch_s == 0) return std::nullopt;
  const uint64_t index = (t_s - start_s) / epoch_s;
  if (index >= total_epochs()) return std::nullopt;
  return index;
}

// ---------------------------------------------------------------- allocation table

const char* kind_name(Category::Kind kind) {
  switch (kind) {
    case Category::kVesting:
      return "vesting";
    case Category::kMilestones:
      return "milestones";
    case Category::kEmission:
      return "emission";
    case Category::kPool:
      return "pool";
    case Category::kAccounts:
      return "accounts";
  }
  return "unknown";
}

std::vector<Category> default_allocation(uint64_t genesis_s, uint64_t month_s) {
  // An absurd month length saturates, and validation then refuses the too-long schedule.
  auto months = [month_s](uint64_t n) { return checked_mul(n, month_s).value_or(UINT64_MAX); };
  auto btt = [](uint64_t whole) { return whole * kUnitsPerBtt; };
  auto make = [](std::string id, std::string name, uint32_t bps, uint64_t amount,
                 Category::Kind kind) {
    Category c;
    c.id = std::move(id);
    c.name = std::move(name);
    c.share_bps = bps;
    c.amount = amount;
    c.kind = kind;
    return c;
  };
  auto vesting = [&](std::string id, std::string name, uint32_t bps, uint64_t amount,
                     uint64_t cliff_months, uint64_t duration_months) {
    Category c = make(std::move(id), std::move(name), bps, amount, Category::kVesting);
    c.vesting = VestingSchedule{amount, genesis_s, months(cliff_months), months(duration_months)};
    return c;
  };
  auto pool = [&](std::string id, std::string name, uint32_t bps, uint64_t amount,
                  bool governance) {
    Category c = make(std::move(id), std::move(name), bps, amount, Category::kPool);
    c.governance_controlled = governance;
    return c;
  };

  std::vector<Category> out;
  out.push_back(vesting("china_oral", "China Oral Industry Group", 1000, btt(21'000'000), 6, 36));
  out.push_back(vesting("vision_future", "Vision Future Capital", 300, btt(6'300'000), 3, 30));
  out.push_back(vesting("yueya_era", "Yueya Era Medical", 300, btt(6'300'000), 3, 30));
  out.push_back(vesting("bellasmile", "BellaSmile Group", 200, btt(4'200'000), 3, 30));
  out.push_back(vesting("strategic_investors", "Strategic Investors", 100, btt(2'100'000), 3, 30));

  Category foundation = make("foundation", "Foundation & Technical Development", 1700,
                             btt(35'700'000), Category::kMilestones);
  foundation.milestones = MilestoneCeiling{foundation.amount, genesis_s, months(48)};
  out.push_back(std::move(foundation));

  Category mining =
      make("mining_rewards", "Mining Rewards Pool", 3000, btt(63'000'000), Category::kEmission);
  mining.emission = EmissionCurve{mining.amount,         genesis_s,        kDefaultEpochS,
                                  kDefaultEmissionYears, kDefaultDecayBps, kYearS};
  out.push_back(std::move(mining));

  out.push_back(pool("community_incentives", "Community Incentives", 1200, btt(25'200'000), false));
  out.push_back(pool("ecosystem_growth", "Ecosystem Growth Fund", 700, btt(14'700'000), true));
  out.push_back(pool("treasury", "Treasury", 1500, btt(31'500'000), true));
  return out;
}

Status validate_allocation(const std::vector<Category>& categories, uint64_t fixed_supply,
                           uint64_t genesis_s) {
  if (categories.empty()) return invalid("allocation: no categories");
  if (categories.size() > 64) {
    return invalid("allocation: " + num(categories.size()) + " categories, at most 64");
  }
  std::set<std::string_view> ids;
  uint64_t bps_sum = 0;
  uint64_t amount_sum = 0;
  for (size_t i = 0; i < categories.size(); ++i) {
    const Category& c = categories[i];
    const std::string where = "allocation[" + num(i) + "]";
    if (!is_valid_id(c.id)) {
      return invalid(where + ": id '" + excerpt(c.id) + "' must be 2..32 characters of [a-z_]");
    }
    const std::string at = "allocation '" + c.id + "'";
    if (!ids.insert(c.id).second) return invalid(at + ": duplicate id");
    if (c.name.empty() || c.name.size() > 64) return invalid(at + ": name must be 1..64 bytes");
    if (c.amount == 0) return invalid(at + ": amount must be positive");
    if (c.share_bps > kBpsDenominator) {
      return invalid(at + ": share " + num(c.share_bps) + " bps above 10000");
    }
    // The share and the amount must agree to less than one basis point of the supply.
    const uint64_t expected = mul_div_floor(fixed_supply, c.share_bps, kBpsDenominator).value_or(0);
    const uint64_t above =
        c.share_bps == 0
            ? 0
            : mul_div_floor(fixed_supply, c.share_bps - 1ULL, kBpsDenominator).value_or(0);
    const uint64_t below =
        mul_div_floor(fixed_supply, c.share_bps + 1ULL, kBpsDenominator).value_or(UINT64_MAX);
    if ((c.share_bps > 0 && c.amount <= above) || c.amount >= below) {
      return invalid(at + ": amount " + num(c.amount) + " does not match its share of " +
                     num(c.share_bps) + " bps of the supply " + num(fixed_supply) + " (expected " +
                     num(expected) + ", within one basis point)");
    }

    const int present =
        int(c.vesting.has_value()) + int(c.milestones.has_value()) + int(c.emission.has_value());
    const bool matches =
        (c.kind == Category::kVesting && c.vesting) ||
        (c.kind == Category::kMilestones && c.milestones) ||
        (c.kind == Category::kEmission && c.emission) ||
        ((c.kind == Category::kPool || c.kind == Category::kAccounts) && present == 0);
    if (!matches || present > 1) {
      return invalid(at + ": a " + std::string(kind_name(c.kind)) +
                     " category must carry exactly its own schedule");
    }
    uint64_t schedule_total = c.amount;
    Status s;
    if (c.vesting) {
      schedule_total = c.vesting->total;
      s = c.vesting->validate(genesis_s);
    } else if (c.milestones) {
      schedule_total = c.milestones->total;
      s = c.milestones->validate(genesis_s);
    } else if (c.emission) {
      schedule_total = c.emission->total;
      s = c.emission->validate(genesis_s);
    }
    if (!s) return invalid(at + ": " + s.message());
    if (schedule_total != c.amount) {
      return invalid(at + ": schedule total " + num(schedule_total) + " differs from amount " +
                     num(c.amount));
    }

    bps_sum += c.share_bps;  // <= 64 * 10000
    auto sum = checked_add(amount_sum, c.amount);
    if (!sum) return invalid("allocation: amounts overflow uint64");
    amount_sum = *sum;
  }
  if (bps_sum != kBpsDenominator) {
    return invalid("allocation: shares sum to " + num(bps_sum) + " bps, not 10000");
  }
  if (amount_sum != fixed_supply) {
    const bool over = amount_sum > fixed_supply;
    return invalid("allocation: amounts sum to " + num(amount_sum) + " units, " +
                   (over ? num(amount_sum - fixed_supply) + " above"
                         : num(fixed_supply - amount_sum) + " below") +
                   " the fixed supply " + num(fixed_supply));
  }
  return Status::ok();
}

}  // namespace btt::modules::tokenomics

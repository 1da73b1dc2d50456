#pragma once
// Tokenomics schedules: the exact integer math of the fixed BTT supply (doc/tokenomics.md).
//
// Pure functions of their parameters and a block time in whole seconds (t_s = time_ms / 1000):
// no state, no clock, no floating point. Every product goes through mul_div_floor (128-bit), every
// split rounds down and names where its remainder goes, so parts always sum exactly to the whole.
//
//   VestingSchedule   cliff + linear release (the founding institutions and investors)
//   MilestoneCeiling  Foundation: approved milestones, never above a linear ceiling
//   EmissionCurve     Mining Rewards Pool: yearly decaying budgets split into epochs
//   Category          one row of the genesis allocation table
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "btt/common/status.h"

namespace btt::modules::tokenomics {

// 1 BTT = 10^8 base units (the same number as ledger::kUnitsPerBtt; schedule.cpp asserts it).
inline constexpr uint64_t kUnitsPerBtt = 100'000'000;
// The fixed supply: 210,000,000 BTT = 21,000,000,000,000,000 units.
inline constexpr uint64_t kFixedSupply = 210'000'000 * kUnitsPerBtt;

inline constexpr uint64_t kDaySeconds = 86'400;
// A month is a genesis parameter; this is its default (30 days).
inline constexpr uint64_t kDefaultMonthS = 30 * kDaySeconds;
// Mining emission epoch length, default one day.
inline constexpr uint64_t kDefaultEpochS = kDaySeconds;
// The emission curve's year: 365 days (not 12 months), so one-day epochs divide it exactly.
inline constexpr uint64_t kYearS = 365 * kDaySeconds;

// At most this many vesting schedules per account (the keeper refuses more).
inline constexpr uint32_t kMaxSchedulesPerAccount = 16;
// Longest schedule: 120 default months (3,600 days), in seconds so it does not move with the
// month parameter.
inline constexpr uint64_t kMaxScheduleDurationS = 120 * kDefaultMonthS;
// A schedule starts no later than 10 years (of 365 days) after genesis.
inline constexpr uint64_t kMaxStartOffsetS = 10 * kYearS;
// An emission curve has at most this many years (bounds its O(years) computations).
inline constexpr uint32_t kMaxEmissionYears = 64;
inline constexpr uint32_t kBpsDenominator = 10'000;
// Default mining curve: each year's budget is 80% of the previous one.
inline constexpr uint32_t kDefaultDecayBps = 8'000;
inline constexpr uint32_t kDefaultEmissionYears = 8;

// Cliff + linear vesting. cliff_s and duration_s are offsets from start_s.
//   released(t) = 0                                         t < start + cliff
//               = floor(total * (t - start) / duration)     start + cliff <= t < start + duration
//               = total                                     t >= start + duration
struct VestingSchedule {
  uint64_t total = 0;
  uint64_t start_s = 0;
  uint64_t cliff_s = 0;
  uint64_t duration_s = 0;

  // total > 0; 0 < duration <= kMaxScheduleDurationS; cliff <= duration;
  // genesis <= start <= genesis + kMaxStartOffsetS.
  [[nodiscard]] Status validate(uint64_t genesis_s) const;
  // Defined for any field values (never divides by zero, never exceeds total, monotone in t).
  [[nodiscard]] uint64_t released_at(uint64_t t_s) const;
  [[nodiscard]] uint64_t locked_at(uint64_t t_s) const { return total - released_at(t_s); }
  // The smallest t' > t_s with released_at(t') > released_at(t_s); nullopt once fully released.
  [[nodiscard]] std::optional<uint64_t> next_release_s(uint64_t t_s) const;
  [[nodiscard]] uint64_t end_s() const;  // start + duration, saturating
};

// The Foundation: a linear ceiling (no cliff) over duration_s; tokens release only as approved
// milestones add up, never above the ceiling to date.
struct MilestoneCeiling {
  uint64_t total = 0;
  uint64_t start_s = 0;
  uint64_t duration_s = 0;

  // total > 0; 0 < duration <= kMaxScheduleDurationS; genesis <= start <= genesis + 10 years.
  [[nodiscard]] Status validate(uint64_t genesis_s) const;
  // 0 before start, floor(total * (t - start) / duration) until the end, total from the end.
  [[nodiscard]] uint64_t ceiling_at(uint64_t t_s) const;
  // min(approved, ceiling_at(t)); never above total.
  [[nodiscard]] uint64_t released(uint64_t approved, uint64_t t_s) const;
};

// The mining emission: `years` years of year_s seconds from start_s, each split into
// epochs_per_year() epochs of epoch_s seconds.
//   weight(0) = 10^16, weight(y) = floor(weight(y-1) * decay_bps / 10000)
//   year_budget(y) = floor(total * weight(y) / sum of weights), y < years - 1
//   year_budget(years - 1) = total - the other years' budgets          (the last year's remainder)
//   epoch amount = floor(year_budget / epochs_per_year); the year's last epoch takes the year's
//   remainder. Nothing is emitted before start or after the last epoch.
struct EmissionCurve {
  uint64_t total = 0;
  uint64_t start_s = 0;
  uint64_t epoch_s = 0;
  uint32_t years = 0;
  uint32_t decay_bps = 0;
  uint64_t year_s = 0;

  // total > 0; epoch_s > 0; year_s > 0 and a multiple of epoch_s; 1 <= years <= 64;
  // 1 <= decay_bps <= 10000; years * year_s <= kMaxScheduleDurationS;
  // genesis <= start <= genesis + 10 years.
  [[nodiscard]] Status validate(uint64_t genesis_s) const;
  // Budget of year y (0-based); 0 for y >= years. O(years).
  [[nodiscard]] uint64_t year_budget(uint32_t y) const;
  // year_s / epoch_s; 0 when epoch_s is 0 or does not divide year_s (an invalid curve).
  [[nodiscard]] uint64_t epochs_per_year() const;
  [[nodiscard]] uint64_t total_epochs() const;
  // Amount of epoch i (0-based from start); 0 for i >= total_epochs(). O(years).
  [[nodiscard]] uint64_t epoch_amount(uint64_t epoch_index) const;
  // Sum of epochs 0..epoch_index inclusive; total for any index past the last epoch. O(years).
  [[nodiscard]] uint64_t emitted_through(uint64_t epoch_index) const;
  // The epoch containing t_s: floor((t - start) / epoch_s); nullopt before start and from the
  // end of the last epoch on.
  [[nodiscard]] std::optional<uint64_t> epoch_at(uint64_t t_s) const;

 private:
  // years, decay and epoch length allow the computation (validate() checks the rest).
  [[nodiscard]] bool computable() const;
  // All year budgets, computed once (O(years)); empty for an invalid curve.
  [[nodiscard]] std::vector<uint64_t> budgets() const;
};

// One row of the genesis allocation table.
struct Category {
  enum Kind : uint8_t {
    kVesting,     // cliff + linear (vesting)
    kMilestones,  // milestone approvals under a linear ceiling (milestones)
    kEmission,    // mining emission curve (emission)
    kPool,        // a module pool with no time schedule, spent by its module or by governance
    kAccounts,    // spendable at genesis, held by the genesis file's accounts list (accounts)
  };

  std::string id;    // [a-z_]{2,32}, unique in the table
  std::string name;  // display name, 1..64 bytes
  uint32_t share_bps = 0;
  uint64_t amount = 0;
  Kind kind = kPool;
  // kPool only: spent by governance proposals (true) or by its module's rules (false).
  bool governance_controlled = false;
  // Exactly the one matching `kind` is set (none for kPool, kAccounts); its total equals amount.
  std::optional<VestingSchedule> vesting;
  std::optional<MilestoneCeiling> milestones;
  std::optional<EmissionCurve> emission;
};

// The ten categories of the default genesis, every schedule starting at genesis_s.
[[nodiscard]] std::vector<Category> default_allocation(uint64_t genesis_s,
                                                       uint64_t month_s = kDefaultMonthS);

// 1..64 categories; ids [a-z_]{2,32} and unique; names 1..64 bytes; amount > 0 and less than one
// basis point of the supply away from its share:
//   floor(S * (bps - 1) / 10^4) < amount < floor(S * (bps + 1) / 10^4)   (no lower bound at 0 bps)
// (so a category carved out of another, at any amount, keeps both within a basis point); the
// schedule matching kind is present (and no other), its total equals amount and it validates
// against genesis_s; share_bps sum to 10,000; amounts sum to exactly fixed_supply.
[[nodiscard]] Status validate_allocation(const std::vector<Category>& categories,
                                         uint64_t fixed_supply, uint64_t genesis_s);

[[nodiscard]] const char* kind_name(Category::Kind kind);
// A category id or burn source: 2..32 characters of [a-z_].
[[nodiscard]] bool is_valid_id(std::string_view id);

}  // namespace btt::modules::tokenomics

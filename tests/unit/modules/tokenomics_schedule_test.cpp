// Tokenomics schedules: exact figures of the default allocation, rounding and overflow edges,
// the emission curve against a brute-force sum, and the allocation table's validation.
#include "btt/modules/tokenomics/schedule.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

namespace btt::modules::tokenomics {
namespace {

constexpr uint64_t kBtt = kUnitsPerBtt;
constexpr uint64_t kMonth = kDefaultMonthS;   // 2,592,000 s
constexpr uint64_t kGenesis = 1'767'225'600;  // 2026-01-01T00:00:00Z, in seconds

const Category& find(const std::vector<Category>& table, std::string_view id) {
  auto it = std::find_if(table.begin(), table.end(), [&](const Category& c) { return c.id == id; });
  EXPECT_NE(it, table.end()) << id;
  return *it;
}

VestingSchedule china_oral() {
  return *find(default_allocation(kGenesis), "china_oral").vesting;
}
VestingSchedule vision_future() {
  return *find(default_allocation(kGenesis), "vision_future").vesting;
}
MilestoneCeiling foundation() {
  return *find(default_allocation(kGenesis), "foundation").milestones;
}
EmissionCurve mining() {
  return *find(default_allocation(kGenesis), "mining_rewards").emission;
}

// Brute force: the first t' in (t, limit] where released grows.
std::optional<uint64_t> scan_next(const VestingSchedule& v, uint64_t t, uint64_t limit) {
  const uint64_t now = v.released_at(t);
  for (uint64_t u = t + 1; u <= limit; ++u) {
    if (v.released_at(u) > now) return u;
  }
  return std::nullopt;
}

// Checks released is monotone, within total, and locked + released == total at sorted times.
void expect_monotone(const VestingSchedule& v, std::vector<uint64_t> times) {
  std::sort(times.begin(), times.end());
  uint64_t prev = 0;
  for (uint64_t t : times) {
    const uint64_t r = v.released_at(t);
    ASSERT_GE(r, prev) << "t=" << t;
    ASSERT_LE(r, v.total) << "t=" << t;
    ASSERT_EQ(v.locked_at(t) + r, v.total) << "t=" << t;
    prev = r;
  }
}

// ------------------------------------------------------------------ vesting

TEST(TokenomicsVesting, ChinaOralExactFigures) {
  const VestingSchedule v = china_oral();
  EXPECT_EQ(v.total, 21'000'000 * kBtt);
  EXPECT_EQ(v.start_s, kGenesis);
  EXPECT_EQ(v.cliff_s, 15'552'000u);     // 6 months
  EXPECT_EQ(v.duration_s, 93'312'000u);  // 36 months
  ASSERT_TRUE(v.validate(kGenesis)) << v.validate(kGenesis).message();

  const uint64_t cliff = kGenesis + 6 * kMonth;
  EXPECT_EQ(v.released_at(0), 0u);
  EXPECT_EQ(v.released_at(kGenesis - 1), 0u);
  EXPECT_EQ(v.released_at(kGenesis), 0u);
  EXPECT_EQ(v.released_at(cliff - 1), 0u);
  EXPECT_EQ(v.locked_at(cliff - 1), 21'000'000 * kBtt);
  EXPECT_EQ(v.released_at(cliff), 3'500'000 * kBtt);  // 6/36 of 21M at once
  EXPECT_EQ(v.released_at(cliff + 1), 350'000'022'505'144u);
  EXPECT_EQ(v.released_at(kGenesis + 18 * kMonth), 10'500'000 * kBtt);
  EXPECT_EQ(v.locked_at(kGenesis + 18 * kMonth), 10'500'000 * kBtt);
  EXPECT_LT(v.released_at(kGenesis + 36 * kMonth - 1), 21'000'000 * kBtt);
  for (uint64_t t : {kGenesis + 36 * kMonth, kGenesis + 36 * kMonth + 1, kGenesis + 37 * kMonth,
                     kGenesis + 400 * kMonth, uint64_t{UINT64_MAX}}) {
    EXPECT_EQ(v.released_at(t), 21'000'000 * kBtt) << t;
    EXPECT_EQ(v.locked_at(t), 0u) << t;
  }
}

TEST(TokenomicsVesting, VisionFutureThirtyMonthsThreeMonthCliff) {
  const VestingSchedule v = vision_future();
  EXPECT_EQ(v.total, 6'300'000 * kBtt);
  EXPECT_EQ(v.cliff_s, 7'776'000u);      // 3 months
  EXPECT_EQ(v.duration_s, 77'760'000u);  // 30 months
  EXPECT_EQ(v.released_at(kGenesis + 3 * kMonth - 1), 0u);
  EXPECT_EQ(v.released_at(kGenesis + 3 * kMonth), 630'000 * kBtt);
  EXPECT_EQ(v.released_at(kGenesis + 15 * kMonth), 3'150'000 * kBtt);
  EXPECT_EQ(v.released_at(kGenesis + 30 * kMonth), 6'300'000 * kBtt);
  EXPECT_EQ(v.released_at(kGenesis + 30 * kMonth + 12345), 6'300'000 * kBtt);
}

TEST(TokenomicsVesting, SameFiguresForEveryThirtyMonthRow) {
  const auto table = default_allocation(kGenesis);
  for (std::string_view id : {"vision_future", "yueya_era", "bellasmile", "strategic_investors"}) {
    const VestingSchedule v = *find(table, id).vesting;
    EXPECT_EQ(v.released_at(kGenesis + 3 * kMonth - 1), 0u) << id;
    EXPECT_EQ(v.released_at(kGenesis + 3 * kMonth), v.total / 10) << id;  // 3/30
    EXPECT_EQ(v.released_at(kGenesis + 15 * kMonth), v.total / 2) << id;
    EXPECT_EQ(v.released_at(kGenesis + 30 * kMonth), v.total) << id;
  }
  EXPECT_EQ(find(table, "bellasmile").vesting->released_at(kGenesis + 3 * kMonth), 420'000 * kBtt);
  EXPECT_EQ(find(table, "strategic_investors").vesting->released_at(kGenesis + 15 * kMonth),
            1'050'000 * kBtt);
}

TEST(TokenomicsVesting, MonotoneOverSecondsAndSeededRandomPoints) {
  std::mt19937_64 rng(20260101);  // fixed seed; raw outputs only (distributions vary by library)
  std::vector<VestingSchedule> schedules;
  for (const auto& c : default_allocation(kGenesis)) {
    if (c.vesting) schedules.push_back(*c.vesting);
  }
  schedules.push_back({7, kGenesis, 0, 10});
  schedules.push_back({3, kGenesis + 5, 4, 9});
  schedules.push_back({1'000'003, kGenesis, 17, 1'000});
  for (const VestingSchedule& v : schedules) {
    const uint64_t cliff = v.start_s + v.cliff_s;
    const uint64_t end = v.start_s + v.duration_s;
    std::vector<uint64_t> times;
    for (uint64_t base : {v.start_s, cliff, end}) {
      for (uint64_t t = base - std::min<uint64_t>(base, 2'000); t <= base + 2'000; ++t) {
        times.push_back(t);
      }
    }
    for (int i = 0; i < 20'000; ++i) times.push_back(v.start_s + rng() % (v.duration_s + 10'000));
    times.push_back(0);
    times.push_back(UINT64_MAX);
    expect_monotone(v, times);
  }
}

TEST(TokenomicsVesting, NeverAboveTotalAtTheLargestInputs) {
  std::mt19937_64 rng(42);
  for (uint64_t duration :
       {uint64_t{1}, uint64_t{2}, uint64_t{3}, kMaxScheduleDurationS - 1, kMaxScheduleDurationS}) {
    for (uint64_t cliff : {uint64_t{0}, duration / 2, duration}) {
      const VestingSchedule v{UINT64_MAX, kGenesis, cliff, duration};
      ASSERT_TRUE(v.validate(kGenesis)) << v.validate(kGenesis).message();
      std::vector<uint64_t> times{kGenesis + duration - 1, kGenesis + duration,
                                  kGenesis + cliff - (cliff > 0 ? 1 : 0), kGenesis + cliff};
      for (int i = 0; i < 5'000; ++i) times.push_back(kGenesis + rng() % (duration + 2));
      expect_monotone(v, times);
      EXPECT_EQ(v.released_at(kGenesis + duration), UINT64_MAX);
      if (cliff < duration) {
        EXPECT_LT(v.released_at(kGenesis + duration - 1), UINT64_MAX);
      }
    }
  }
  // 2^64-1 * (duration - 1) needs 128 bits: floor((2^64-1) * (d-1) / d) = 2^64-1 - ceil(...)
  const VestingSchedule v{UINT64_MAX, kGenesis, 0, kMaxScheduleDurationS};
  const uint64_t almost = v.released_at(kGenesis + kMaxScheduleDurationS - 1);
  EXPECT_EQ(almost, UINT64_MAX - (UINT64_MAX / kMaxScheduleDurationS) - 1);

  // Invalid but still defined: a start at the top of the range never overflows.
  const VestingSchedule top{UINT64_MAX, UINT64_MAX - 10, 0, kMaxScheduleDurationS};
  EXPECT_EQ(top.released_at(UINT64_MAX),
            UINT64_MAX / kMaxScheduleDurationS * 10 +
                (UINT64_MAX % kMaxScheduleDurationS) * 10 / kMaxScheduleDurationS);
  EXPECT_EQ(top.next_release_s(UINT64_MAX), std::nullopt);
  const VestingSchedule zero_duration{5, kGenesis, 0, 0};
  EXPECT_EQ(zero_duration.released_at(kGenesis - 1), 0u);
  EXPECT_EQ(zero_duration.released_at(kGenesis), 5u);
}

TEST(TokenomicsVesting, NextReleaseAroundTheCliffAndTheEnd) {
  const VestingSchedule v = china_oral();
  const uint64_t cliff = kGenesis + 6 * kMonth;
  const uint64_t end = kGenesis + 36 * kMonth;
  EXPECT_EQ(v.next_release_s(0), cliff);
  EXPECT_EQ(v.next_release_s(kGenesis), cliff);
  EXPECT_EQ(v.next_release_s(cliff - 1), cliff);
  EXPECT_EQ(v.next_release_s(cliff), cliff + 1);  // ~0.225 BTT per second after the cliff
  EXPECT_EQ(v.next_release_s(kGenesis + 18 * kMonth), kGenesis + 18 * kMonth + 1);
  EXPECT_EQ(v.next_release_s(end - 2), end - 1);
  EXPECT_EQ(v.next_release_s(end - 1), end);
  EXPECT_EQ(v.next_release_s(end), std::nullopt);
  EXPECT_EQ(v.next_release_s(UINT64_MAX), std::nullopt);

  // A tiny total releases in steps: 3 units over 10 s from start+0 -> at +4, +7, +10.
  const VestingSchedule steps{3, kGenesis, 0, 10};
  EXPECT_EQ(steps.next_release_s(kGenesis), kGenesis + 4);
  EXPECT_EQ(steps.next_release_s(kGenesis + 4), kGenesis + 7);
  EXPECT_EQ(steps.next_release_s(kGenesis + 7), kGenesis + 10);
  EXPECT_EQ(steps.next_release_s(kGenesis + 10), std::nullopt);
  // A cliff before the first whole unit: nothing at the cliff, the first unit later.
  const VestingSchedule late{2, kGenesis, 1, 10};
  EXPECT_EQ(late.released_at(kGenesis + 1), 0u);
  EXPECT_EQ(late.next_release_s(kGenesis), kGenesis + 5);
}

TEST(TokenomicsVesting, NextReleaseMatchesBruteForce) {
  for (uint64_t total : {1, 2, 3, 7, 10, 11, 1000}) {
    for (uint64_t duration : {1, 2, 5, 10, 37}) {
      for (uint64_t cliff : {uint64_t{0}, uint64_t{1}, duration / 2, duration}) {
        if (cliff > duration) continue;
        const VestingSchedule v{total, kGenesis + 3, cliff, duration};
        for (uint64_t t = kGenesis - 2; t <= kGenesis + 3 + duration + 2; ++t) {
          ASSERT_EQ(v.next_release_s(t), scan_next(v, t, kGenesis + 3 + duration + 3))
              << "total=" << total << " duration=" << duration << " cliff=" << cliff << " t=" << t;
        }
      }
    }
  }
}

TEST(TokenomicsVesting, ValidationRefusesBadSchedules) {
  auto message = [](const VestingSchedule& v) { return v.validate(kGenesis).message(); };
  EXPECT_TRUE(VestingSchedule({1, kGenesis, 0, 1}).validate(kGenesis));
  EXPECT_TRUE(VestingSchedule(
                  {1, kGenesis + kMaxStartOffsetS, kMaxScheduleDurationS, kMaxScheduleDurationS})
                  .validate(kGenesis));
  EXPECT_EQ(message({0, kGenesis, 0, 10}), "vesting: total must be positive");
  EXPECT_EQ(message({5, kGenesis, 0, 0}), "vesting: duration must be positive");
  EXPECT_EQ(message({5, kGenesis, 11, 10}), "vesting: cliff 11 s is longer than the duration 10 s");
  EXPECT_EQ(
      message({5, kGenesis, 0, kMaxScheduleDurationS + 1}),
      "vesting: duration 311040001 s exceeds the maximum 311040000 s (120 months of 30 days)");
  EXPECT_EQ(message({5, kGenesis - 1, 0, 10}),
            "vesting: start 1767225599 s is before genesis 1767225600 s");
  EXPECT_EQ(message({5, kGenesis + kMaxStartOffsetS + 1, 0, 10}),
            "vesting: start 2082585601 s is more than 315360000 s (10 years) after genesis "
            "1767225600 s");
  EXPECT_EQ(VestingSchedule({5, kGenesis, 0, 0}).validate(kGenesis).code(), Code::kInvalidArgument);
}

// ------------------------------------------------------------------ Foundation

TEST(TokenomicsFoundation, CeilingAndApprovedAmounts) {
  const MilestoneCeiling f = foundation();
  EXPECT_EQ(f.total, 35'700'000 * kBtt);
  EXPECT_EQ(f.duration_s, 48 * kMonth);
  ASSERT_TRUE(f.validate(kGenesis));

  EXPECT_EQ(f.ceiling_at(kGenesis - 1), 0u);
  EXPECT_EQ(f.ceiling_at(kGenesis), 0u);
  EXPECT_EQ(f.ceiling_at(kGenesis + 1), 35'700'000 * kBtt / (48 * kMonth));  // no cliff
  EXPECT_EQ(f.ceiling_at(kGenesis + 12 * kMonth), 8'925'000 * kBtt);
  EXPECT_EQ(f.ceiling_at(kGenesis + 24 * kMonth), 17'850'000 * kBtt);
  EXPECT_EQ(f.ceiling_at(kGenesis + 48 * kMonth), 35'700'000 * kBtt);
  EXPECT_EQ(f.ceiling_at(UINT64_MAX), 35'700'000 * kBtt);

  // Approved below the ceiling: the approved amount.
  EXPECT_EQ(f.released(5'000'000 * kBtt, kGenesis + 12 * kMonth), 5'000'000 * kBtt);
  // Approved above the ceiling: the ceiling to date.
  EXPECT_EQ(f.released(20'000'000 * kBtt, kGenesis + 12 * kMonth), 8'925'000 * kBtt);
  EXPECT_EQ(f.released(35'700'000 * kBtt, kGenesis + 24 * kMonth), 17'850'000 * kBtt);
  EXPECT_EQ(f.released(35'700'000 * kBtt, kGenesis + 48 * kMonth), 35'700'000 * kBtt);
  // Nothing approved, nothing released; approvals beyond the total never pass it.
  EXPECT_EQ(f.released(0, kGenesis + 48 * kMonth), 0u);
  EXPECT_EQ(f.released(UINT64_MAX, kGenesis + 48 * kMonth), 35'700'000 * kBtt);
  EXPECT_EQ(f.released(UINT64_MAX, kGenesis - 1), 0u);

  EXPECT_EQ(MilestoneCeiling({0, kGenesis, 10}).validate(kGenesis).message(),
            "milestones: total must be positive");
  EXPECT_EQ(MilestoneCeiling({1, kGenesis, 0}).validate(kGenesis).message(),
            "milestones: duration must be positive");
}

// ------------------------------------------------------------------ emission

TEST(TokenomicsEmission, ParametersAndYearBudgets) {
  const EmissionCurve e = mining();
  ASSERT_TRUE(e.validate(kGenesis)) << e.validate(kGenesis).message();
  EXPECT_EQ(e.total, 63'000'000 * kBtt);
  EXPECT_EQ(e.epoch_s, 86'400u);
  EXPECT_EQ(e.year_s, 31'536'000u);  // 365 days
  EXPECT_EQ(e.years, 8u);
  EXPECT_EQ(e.decay_bps, 8'000u);
  EXPECT_EQ(e.epochs_per_year(), 365u);
  EXPECT_EQ(e.total_epochs(), 2'920u);

  const std::vector<uint64_t> expected{
      1'514'008'471'526'258, 1'211'206'777'221'007, 968'965'421'776'805, 775'172'337'421'444,
      620'137'869'937'155,   496'110'295'949'724,   396'888'236'759'779, 317'510'589'407'828};
  uint64_t sum = 0;
  for (uint32_t y = 0; y < 8; ++y) {
    EXPECT_EQ(e.year_budget(y), expected[y]) << "year " << y + 1;
    sum += e.year_budget(y);
  }
  EXPECT_EQ(sum, 63'000'000 * kBtt);
  EXPECT_EQ(e.year_budget(8), 0u);
  EXPECT_EQ(e.year_budget(UINT32_MAX), 0u);

  // Each year is the previous one times 8000 bps, to the unit (floor rounding), the last year
  // also carrying the few units of rounding remainder.
  for (uint32_t y = 1; y < 8; ++y) {
    const uint64_t decayed = e.year_budget(y - 1) * 8'000 / 10'000;
    EXPECT_GE(e.year_budget(y) + 1, decayed) << "year " << y + 1;
    EXPECT_LE(e.year_budget(y), decayed + (y == 7 ? 8 : 1)) << "year " << y + 1;
  }
}

TEST(TokenomicsEmission, EpochsSumExactlyToTheTotal) {
  const EmissionCurve e = mining();
  const uint64_t n = e.total_epochs();
  uint64_t sum = 0;
  std::vector<uint64_t> prefix;
  for (uint64_t i = 0; i < n; ++i) {
    sum += e.epoch_amount(i);
    prefix.push_back(sum);
  }
  EXPECT_EQ(sum, 63'000'000 * kBtt);
  for (uint64_t i = 0; i < n; ++i) ASSERT_EQ(e.emitted_through(i), prefix[i]) << "epoch " << i;
  EXPECT_EQ(e.emitted_through(n - 1), 63'000'000 * kBtt);

  // Year sums equal year budgets.
  for (uint32_t y = 0; y < 8; ++y) {
    const uint64_t before = y == 0 ? 0 : prefix[y * 365 - 1];
    EXPECT_EQ(prefix[y * 365 + 364] - before, e.year_budget(y)) << "year " << y + 1;
  }

  // Year 1: 41,479.68415140 BTT per epoch, the last epoch 41,479.68415298 BTT.
  EXPECT_EQ(e.epoch_amount(0), 4'147'968'415'140u);
  EXPECT_EQ(e.epoch_amount(363), 4'147'968'415'140u);
  EXPECT_EQ(e.epoch_amount(364), 4'147'968'415'298u);
  EXPECT_EQ(e.epoch_amount(365), 3'318'374'732'112u);  // year 2
  // Year 8: 8,698.92025774 BTT per epoch, the last epoch 8,698.92026092 BTT.
  EXPECT_EQ(e.epoch_amount(7 * 365), 869'892'025'774u);
  EXPECT_EQ(e.epoch_amount(2'918), 869'892'025'774u);
  EXPECT_EQ(e.epoch_amount(2'919), 869'892'026'092u);

  // Nothing after year 8.
  EXPECT_EQ(e.epoch_amount(2'920), 0u);
  EXPECT_EQ(e.epoch_amount(UINT64_MAX), 0u);
  EXPECT_EQ(e.emitted_through(2'920), 63'000'000 * kBtt);
  EXPECT_EQ(e.emitted_through(UINT64_MAX), 63'000'000 * kBtt);
  EXPECT_EQ(e.emitted_through(0), 4'147'968'415'140u);
}

TEST(TokenomicsEmission, EpochAt) {
  const EmissionCurve e = mining();
  EXPECT_EQ(e.epoch_at(0), std::nullopt);
  EXPECT_EQ(e.epoch_at(kGenesis - 1), std::nullopt);
  EXPECT_EQ(e.epoch_at(kGenesis), 0u);
  EXPECT_EQ(e.epoch_at(kGenesis + 86'399), 0u);
  EXPECT_EQ(e.epoch_at(kGenesis + 86'400), 1u);
  EXPECT_EQ(e.epoch_at(kGenesis + kYearS - 1), 364u);
  EXPECT_EQ(e.epoch_at(kGenesis + kYearS), 365u);
  EXPECT_EQ(e.epoch_at(kGenesis + 8 * kYearS - 1), 2'919u);
  EXPECT_EQ(e.epoch_at(kGenesis + 8 * kYearS), std::nullopt);
  EXPECT_EQ(e.epoch_at(UINT64_MAX), std::nullopt);
}

TEST(TokenomicsEmission, OtherParametersStillSumExactly) {
  // Hourly epochs, no decay, a total that does not divide: still exact.
  for (uint32_t decay : {1u, 5'000u, 9'999u, 10'000u}) {
    const EmissionCurve e{1'000'000'007, kGenesis, 3'600, 3, decay, kYearS};
    ASSERT_TRUE(e.validate(kGenesis)) << e.validate(kGenesis).message();
    EXPECT_EQ(e.epochs_per_year(), 8'760u);
    uint64_t sum = 0;
    for (uint64_t i = 0; i < e.total_epochs(); ++i) sum += e.epoch_amount(i);
    EXPECT_EQ(sum, 1'000'000'007u) << decay;
    EXPECT_EQ(e.emitted_through(e.total_epochs() - 1), 1'000'000'007u) << decay;
    EXPECT_EQ(e.emitted_through(e.total_epochs() / 2 - 1),
              e.year_budget(0) + (e.epochs_per_year() / 2) * (e.year_budget(1) / 8'760));
  }
}

TEST(TokenomicsEmission, ValidationRefusesBadCurves) {
  const EmissionCurve good = mining();
  auto message = [&](auto mutate) {
    EmissionCurve e = good;
    mutate(e);
    return e.validate(kGenesis).message();
  };
  EXPECT_EQ(message([](EmissionCurve& e) { e.epoch_s = 86'401; }),
            "emission: year 31536000 s is not a whole number of epochs of 86401 s");
  EXPECT_EQ(message([](EmissionCurve& e) { e.epoch_s = 0; }),
            "emission: epoch length must be positive");
  EXPECT_EQ(message([](EmissionCurve& e) { e.years = 0; }), "emission: years 0 outside 1..64");
  EXPECT_EQ(message([](EmissionCurve& e) { e.decay_bps = 10'001; }),
            "emission: decay 10001 bps outside 1..10000");
  EXPECT_EQ(message([](EmissionCurve& e) { e.years = 11; }),
            "emission: 11 years of 31536000 s exceed the maximum duration 311040000 s");
  EXPECT_EQ(message([](EmissionCurve& e) { e.total = 0; }), "emission: total must be positive");
  // An invalid curve emits nothing and never divides by zero.
  EmissionCurve broken = good;
  broken.epoch_s = 86'401;
  EXPECT_EQ(broken.epochs_per_year(), 0u);
  EXPECT_EQ(broken.total_epochs(), 0u);
  EXPECT_EQ(broken.epoch_amount(0), 0u);
  EXPECT_EQ(broken.epoch_at(kGenesis), std::nullopt);
  broken.epoch_s = 0;
  EXPECT_EQ(broken.epoch_at(kGenesis), std::nullopt);
  EXPECT_EQ(broken.emitted_through(5), 0u);
}

// ------------------------------------------------------------------ allocation table

TEST(TokenomicsAllocation, DefaultTableSumsToTheFixedSupply) {
  EXPECT_EQ(kFixedSupply, 21'000'000'000'000'000u);
  const auto table = default_allocation(kGenesis);
  ASSERT_EQ(table.size(), 10u);
  uint64_t amounts = 0;
  uint32_t bps = 0;
  for (const auto& c : table) {
    amounts += c.amount;
    bps += c.share_bps;
    EXPECT_EQ(c.amount, kFixedSupply / 10'000 * c.share_bps) << c.id;
  }
  EXPECT_EQ(amounts, kFixedSupply);
  EXPECT_EQ(bps, 10'000u);
  const Status s = validate_allocation(table, kFixedSupply, kGenesis);
  EXPECT_TRUE(s) << s.message();

  EXPECT_EQ(find(table, "treasury").amount, 31'500'000 * kBtt);
  EXPECT_EQ(find(table, "treasury").kind, Category::kPool);
  EXPECT_TRUE(find(table, "treasury").governance_controlled);
  EXPECT_TRUE(find(table, "ecosystem_growth").governance_controlled);
  EXPECT_FALSE(find(table, "community_incentives").governance_controlled);
  EXPECT_EQ(find(table, "community_incentives").amount, 25'200'000 * kBtt);
  EXPECT_EQ(find(table, "foundation").kind, Category::kMilestones);
  EXPECT_EQ(find(table, "mining_rewards").kind, Category::kEmission);

  // A 31-day month is a valid genesis choice too.
  EXPECT_TRUE(
      validate_allocation(default_allocation(kGenesis, 31 * kDaySeconds), kFixedSupply, kGenesis));
}

class TokenomicsAllocationTamper : public ::testing::Test {
 protected:
  std::vector<Category> table = default_allocation(kGenesis);
  Category& row(std::string_view id) {
    return *std::find_if(table.begin(), table.end(), [&](const Category& c) { return c.id == id; });
  }
  std::string refusal() {
    const Status s = validate_allocation(table, kFixedSupply, kGenesis);
    EXPECT_FALSE(s);
    EXPECT_EQ(s.code(), Code::kInvalidArgument);
    return s.message();
  }
};

TEST_F(TokenomicsAllocationTamper, SumOffByOneUnit) {
  row("treasury").amount += 1;
  EXPECT_EQ(refusal(),
            "allocation: amounts sum to 21000000000000001 units, 1 above the fixed supply "
            "21000000000000000");
  table = default_allocation(kGenesis);
  row("treasury").amount -= 1;
  EXPECT_EQ(refusal(),
            "allocation: amounts sum to 20999999999999999 units, 1 below the fixed supply "
            "21000000000000000");
  // One basis point of the supply is 2,100,000,000,000 units: a whole one away is refused.
  table = default_allocation(kGenesis);
  row("treasury").amount -= 2'100'000'000'000;
  EXPECT_EQ(refusal(),
            "allocation 'treasury': amount 3147900000000000 does not match its share of 1500 bps "
            "of the supply 21000000000000000 (expected 3150000000000000, within one basis point)");
  table = default_allocation(kGenesis);
  row("treasury").amount += 2'100'000'000'000;
  EXPECT_EQ(refusal(),
            "allocation 'treasury': amount 3152100000000000 does not match its share of 1500 bps "
            "of the supply 21000000000000000 (expected 3150000000000000, within one basis point)");
  table = default_allocation(kGenesis);
  EXPECT_FALSE(validate_allocation(table, kFixedSupply + 1, kGenesis));
}

TEST_F(TokenomicsAllocationTamper, CliffLongerThanDuration) {
  row("china_oral").vesting->cliff_s = 37 * kMonth;
  EXPECT_EQ(refusal(),
            "allocation 'china_oral': vesting: cliff 95904000 s is longer than the duration "
            "93312000 s");
}

TEST_F(TokenomicsAllocationTamper, ZeroDuration) {
  row("vision_future").vesting->duration_s = 0;
  row("vision_future").vesting->cliff_s = 0;
  EXPECT_EQ(refusal(), "allocation 'vision_future': vesting: duration must be positive");
}

TEST_F(TokenomicsAllocationTamper, DuplicateId) {
  row("treasury").id = "ecosystem_growth";
  EXPECT_EQ(refusal(), "allocation 'ecosystem_growth': duplicate id");
}

TEST_F(TokenomicsAllocationTamper, DurationTooLong) {
  row("bellasmile").vesting->duration_s = 121 * kMonth;
  EXPECT_EQ(refusal(),
            "allocation 'bellasmile': vesting: duration 313632000 s exceeds the maximum "
            "311040000 s (120 months of 30 days)");
  table = default_allocation(kGenesis);
  row("foundation").milestones->duration_s = 121 * kMonth;
  EXPECT_EQ(refusal(),
            "allocation 'foundation': milestones: duration 313632000 s exceeds the maximum "
            "311040000 s (120 months of 30 days)");
}

TEST_F(TokenomicsAllocationTamper, BadIdsNamesKindsAndTotals) {
  ASSERT_EQ(table[9].id, "treasury");
  table[9].id = "Treasury";
  EXPECT_EQ(refusal(), "allocation[9]: id 'Treasury' must be 2..32 characters of [a-z_]");
  table[9].id = "t";
  EXPECT_EQ(refusal(), "allocation[9]: id 't' must be 2..32 characters of [a-z_]");
  table[9].id = std::string(33, 'a');
  EXPECT_EQ(refusal(),
            "allocation[9]: id '" + std::string(33, 'a') + "' must be 2..32 characters of [a-z_]");

  table = default_allocation(kGenesis);
  row("treasury").name.clear();
  EXPECT_EQ(refusal(), "allocation 'treasury': name must be 1..64 bytes");

  table = default_allocation(kGenesis);
  row("treasury").vesting = VestingSchedule{31'500'000 * kBtt, kGenesis, 0, kMonth};
  EXPECT_EQ(refusal(),
            "allocation 'treasury': a pool category must carry exactly its own schedule");

  table = default_allocation(kGenesis);
  row("china_oral").vesting.reset();
  EXPECT_EQ(refusal(),
            "allocation 'china_oral': a vesting category must carry exactly its own schedule");

  table = default_allocation(kGenesis);
  row("china_oral").vesting->total -= 1;
  EXPECT_EQ(refusal(),
            "allocation 'china_oral': schedule total 2099999999999999 differs from amount "
            "2100000000000000");

  table = default_allocation(kGenesis);
  row("mining_rewards").emission->start_s = kGenesis - 1;
  EXPECT_EQ(refusal(),
            "allocation 'mining_rewards': emission: start 1767225599 s is before genesis "
            "1767225600 s");

  table = default_allocation(kGenesis);
  row("treasury").share_bps = 1'400;
  row("community_incentives").share_bps = 1'300;
  EXPECT_NE(refusal().find("does not match its share"), std::string::npos);

  table.clear();
  EXPECT_EQ(refusal(), "allocation: no categories");
}

TEST(TokenomicsConstants, Values) {
  EXPECT_EQ(kUnitsPerBtt, 100'000'000u);
  EXPECT_EQ(kDefaultMonthS, 2'592'000u);
  EXPECT_EQ(kDefaultEpochS, 86'400u);
  EXPECT_EQ(kMaxSchedulesPerAccount, 16u);
  EXPECT_EQ(kMaxScheduleDurationS, 311'040'000u);
}

}  // namespace
}  // namespace btt::modules::tokenomics

// The consensus state machine under a simulated network (sim_network.h): safety on every run,
// liveness after the network heals, Byzantine equivocation detected.
#include <gtest/gtest.h>

#include "sim_network.h"

namespace btt::consensus::sim {
namespace {

constexpr uint64_t kSeeds = 200;

struct Totals {
  uint64_t runs = 0;
  uint64_t runs_with_evidence = 0;
  uint64_t max_round = 0;
  uint64_t heights = 0;
};

Totals run_seeds(size_t validators, size_t byzantine, uint64_t seeds) {
  Totals t;
  for (uint64_t seed = 1; seed <= seeds; ++seed) {
    const SimConfig config = SimConfig::random(validators, byzantine, seed);
    const SimResult r = run_simulation(config);
    ++t.runs;
    EXPECT_TRUE(r.safety_violations.empty()) << "seed " << seed << ": " << r.summary();
    EXPECT_TRUE(r.live) << "seed " << seed << ": " << r.summary();
    // Only the Byzantine validators may be named by evidence.
    for (const auto& who : r.equivocators) {
      bool is_byzantine = false;
      for (size_t b : config.byzantine) is_byzantine |= (r.addresses[b] == who);
      EXPECT_TRUE(is_byzantine) << "seed " << seed << ": evidence against " << who;
    }
    if (!r.equivocators.empty()) ++t.runs_with_evidence;
    EXPECT_TRUE(byzantine == 0 || !r.equivocators.empty())
        << "no evidence, seed " << seed << ": " << r.summary();
    EXPECT_EQ(r.equivocators.size() <= byzantine, true) << "seed " << seed;
    t.max_round = std::max(t.max_round, r.max_round);
    t.heights += r.target_height;
  }
  return t;
}

TEST(ConsensusSim, FourHonestValidators) {
  Totals t = run_seeds(4, 0, kSeeds);
  EXPECT_EQ(t.runs_with_evidence, 0u);
  RecordProperty("heights", std::to_string(t.heights));
}

TEST(ConsensusSim, SevenHonestValidators) {
  Totals t = run_seeds(7, 0, kSeeds);
  EXPECT_EQ(t.runs_with_evidence, 0u);
}

TEST(ConsensusSim, FourValidatorsOneByzantine) {
  Totals t = run_seeds(4, 1, kSeeds);
  EXPECT_EQ(t.runs_with_evidence, t.runs);
}

TEST(ConsensusSim, SevenValidatorsTwoByzantine) {
  Totals t = run_seeds(7, 2, kSeeds);
  EXPECT_EQ(t.runs_with_evidence, t.runs);
}

TEST(ConsensusSim, SameSeedSameRun) {
  for (uint64_t seed : {3ULL, 77ULL}) {
    const SimConfig config = SimConfig::random(7, 2, seed);
    EXPECT_EQ(run_simulation(config).fingerprint(), run_simulation(config).fingerprint());
  }
}

TEST(ConsensusSim, NoQuorumNoDecisionThenRecovery) {
  // 2 | 2 for 60 s: neither side holds more than 2/3, so nothing is decided until the heal (and
  // rounds do not even advance: the prevote timeout waits for +2/3 prevotes of any kind).
  SimConfig c;
  c.validators = 4;
  c.seed = 5;
  c.heal_ms = 60'000;
  c.partitions.push_back({0, 60'000, {0, 0, 1, 1}});
  const SimResult r = run_simulation(c);
  EXPECT_TRUE(r.safety_violations.empty()) << r.summary();
  EXPECT_EQ(r.heal_height, 0u) << r.summary();
  EXPECT_TRUE(r.live) << r.summary();
}

}  // namespace
}  // namespace btt::consensus::sim

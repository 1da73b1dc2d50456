// The consensus state machine under a simulated network (sim_network.h): safety on every run,
// liveness after the network heals, Byzantine equivocation detected.
#include <gtest/gtest.h>

#include <cstdio>

#include "sim_network.h"
#include "testkit/temp_dir.h"

namespace btt::consensus::sim {
namespace {

constexpr uint64_t kSeeds = 200;

struct Totals {
  uint64_t runs = 0;
  uint64_t runs_with_evidence = 0;
  uint64_t max_round = 0;
  uint64_t heights = 0;
};

// Only the Byzantine validators may be named by evidence.
void expect_evidence_only_against_byzantine(const SimConfig& config, const SimResult& r) {
  for (const auto& who : r.equivocators) {
    bool is_byzantine = false;
    for (size_t b : config.byzantine) is_byzantine |= (r.addresses[b] == who);
    EXPECT_TRUE(is_byzantine) << "seed " << config.seed << ": evidence against " << who;
  }
}

Totals run_seeds(size_t validators, size_t byzantine, uint64_t seeds) {
  Totals t;
  for (uint64_t seed = 1; seed <= seeds; ++seed) {
    const SimConfig config = SimConfig::random(validators, byzantine, seed);
    const SimResult r = run_simulation(config);
    ++t.runs;
    EXPECT_TRUE(r.safety_violations.empty()) << "seed " << seed << ": " << r.summary();
    EXPECT_TRUE(r.live) << "seed " << seed << ": " << r.summary();
    expect_evidence_only_against_byzantine(config, r);
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

// The set changes under the random network (doc/consensus.md, "Validator set changes"): node 4,
// outside the first set, joins at height 3 with twice the power while node 0 leaves; from height
// 6 all five are in. Every height's commit verifies with that height's set (the simulation checks
// each decision), and nodes sign only at heights whose set holds them.
SimConfig with_set_changes(size_t byzantine, uint64_t seed) {
  SimConfig c = SimConfig::random(5, byzantine, seed);
  c.powers_from = {{1, {1, 1, 1, 1, 0}}, {3, {0, 1, 1, 1, 2}}, {6, {1, 1, 1, 1, 1}}};
  c.min_target_height = 8;
  return c;
}

void run_set_change_seeds(size_t byzantine, uint64_t seeds) {
  uint64_t joined_signing = 0;
  for (uint64_t seed = 1; seed <= seeds; ++seed) {
    const SimConfig config = with_set_changes(byzantine, seed);
    const SimResult r = run_simulation(config);
    EXPECT_TRUE(r.safety_violations.empty()) << "seed " << seed << ": " << r.summary();
    EXPECT_TRUE(r.live) << "seed " << seed << ": " << r.summary();
    EXPECT_GE(r.target_height, 8u);
    expect_evidence_only_against_byzantine(config, r);
    for (uint64_t h : r.signed_heights[4]) EXPECT_GE(h, 3u) << "seed " << seed;
    for (uint64_t h : r.signed_heights[0]) {
      EXPECT_TRUE(h < 3 || h >= 6) << "seed " << seed << ": node 0 signed at " << h;
    }
    joined_signing += r.signed_heights[4].count(3) + r.signed_heights[4].count(4);
  }
  EXPECT_GT(joined_signing, seeds);  // the newcomer takes part as soon as it is in
}

TEST(ConsensusSim, ValidatorSetChangesFiveHonestNodes) {
  run_set_change_seeds(0, 100);
}

TEST(ConsensusSim, ValidatorSetChangesWithAByzantineValidator) {
  run_set_change_seeds(1, 60);
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

// Crash-restart from the consensus WAL and the signer guard (doc/consensus.md, "The consensus
// WAL"): honest validators crash at random points (mid-round, mid-height, while a partition
// lasts), losing nothing, what was not fsynced, or even their last own WAL record, and come back
// from their files. Every run asserts safety, liveness, that no honest validator ever sent two
// different messages for one height/round/step (each node's sends are tracked, and at each
// restart its signer guard file must hold the last thing it sent), that no evidence names an
// honest validator, and that a replay after a crash that lost nothing restores exactly the round,
// step, lock and valid value the node had.
//
// The files go to tmpfs when the machine has one: the simulation decides itself what a crash
// loses, so a real fsync would only cost time.
std::filesystem::path crash_files_base() {
  std::error_code ec;
  if (std::filesystem::is_directory("/dev/shm", ec)) return "/dev/shm";
  return std::filesystem::temp_directory_path();
}

void run_crash_seeds(size_t validators, size_t byzantine, uint64_t seeds) {
  uint64_t restarts = 0, replays = 0, exact = 0, torn = 0, own_resent = 0;
  for (uint64_t seed = 1; seed <= seeds; ++seed) {
    testkit::TempDir dir("btt-sim-crash", crash_files_base());
    const SimConfig config =
        SimConfig::random_with_crashes(validators, byzantine, seed, dir.path());
    const SimResult r = run_simulation(config);
    EXPECT_TRUE(r.safety_violations.empty()) << "seed " << seed << ": " << r.summary();
    EXPECT_TRUE(r.replay_mismatches.empty()) << "seed " << seed << ": " << r.summary();
    EXPECT_TRUE(r.live) << "seed " << seed << ": " << r.summary();
    expect_evidence_only_against_byzantine(config, r);
    restarts += r.restarts;
    replays += r.replays;
    exact += r.exact_resumes;
    torn += r.torn_tails;
    own_resent += r.own_resent;
  }
  // The scenarios do exercise the WAL: replays that resume a height, exact resumes, torn tails.
  std::printf("restarts=%llu replays=%llu exact_resumes=%llu torn_tails=%llu own_resent=%llu\n",
              static_cast<unsigned long long>(restarts), static_cast<unsigned long long>(replays),
              static_cast<unsigned long long>(exact), static_cast<unsigned long long>(torn),
              static_cast<unsigned long long>(own_resent));
  EXPECT_GT(restarts, seeds);
  EXPECT_GT(replays, seeds / 2);
  EXPECT_GT(exact, 0u);
  EXPECT_GT(torn, 0u);
  EXPECT_GT(own_resent, 0u);
  ::testing::Test::RecordProperty("replays", std::to_string(replays));
  ::testing::Test::RecordProperty("exact_resumes", std::to_string(exact));
}

TEST(ConsensusSim, FourValidatorsCrashAndRestartFromTheWal) {
  run_crash_seeds(4, 0, 100);
}

TEST(ConsensusSim, SevenValidatorsTwoByzantineCrashAndRestartFromTheWal) {
  run_crash_seeds(7, 2, 60);
}

TEST(ConsensusSim, CrashRunsAreDeterministic) {
  for (uint64_t seed : {4ULL, 9ULL}) {
    testkit::TempDir a("btt-sim-crash", crash_files_base());
    testkit::TempDir b("btt-sim-crash", crash_files_base());
    EXPECT_EQ(run_simulation(SimConfig::random_with_crashes(4, 0, seed, a.path())).fingerprint(),
              run_simulation(SimConfig::random_with_crashes(4, 0, seed, b.path())).fingerprint());
  }
}

}  // namespace
}  // namespace btt::consensus::sim

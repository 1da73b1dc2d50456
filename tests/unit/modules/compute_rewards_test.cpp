// Proof-of-useful-work rewards: each epoch's mining emission is shared by score = compute units x
// uptime x quality x geography x energy, exactly (the remainder to the top score), and what
// nobody earned rolls over in the mining escrow.
#include "compute_fixture.h"
#include "modules/compute/pricing.h"

namespace btt::testkit {
namespace {

namespace cmp = modules::compute;
namespace tok = modules::tokenomics;

constexpr uint64_t kDayMs = 86'400'000;

class ComputeRewardsTest : public ComputeTest {
 protected:
  ComputeRewardsTest() : ComputeTest(0, 5) {}

  tok::EmissionCurve curve() {
    for (const auto& c : tok::TokenomicsView(env.ledger_state()).categories()) {
      if (c.kind() == v1::CATEGORY_KIND_EMISSION) return tok::emission_of(c);
    }
    ADD_FAILURE() << "no emission category";
    return {};
  }
  uint64_t escrow() { return env.balance(tok::mining_escrow_address()); }
  void heartbeat_if_due(const Account& a) {
    if (env.height() < node_record(a).last_heartbeat_height() + 5) return;
    v1::Message m;
    m.mutable_heartbeat();
    env.apply(env.tx(a).message(m).sign());
  }
  // Moves time to the start of the next emission epoch and closes that block.
  void close_epoch() {
    const uint64_t next = TestEnv::kGenesisTimeMs +
                          (env.time_ms() - TestEnv::kGenesisTimeMs) / kDayMs * kDayMs + kDayMs;
    env.advance_time(next - env.time_ms());
    env.close_block();
  }
};

TEST_F(ComputeRewardsTest, EpochEmissionIsSharedExactlyByScore) {
  const Account& a = node("a", 10, "DE", "gpu", 0);    // geography 1.0, energy tier 0: 0.8
  const Account& b = node("b", 20, "NG", "gpu", 150);  // 1.5; attested below: 1.2
  const Account& c = node("c", 30, "IN", "gpu", 250);  // 1.2; unattested: capped at 1.0
  const Account& attester = env.account("attester", 10 * kBtt);
  v1::Message attest;
  attest.mutable_attest_energy()->set_node(b.addr());
  attest.mutable_attest_energy()->set_energy_efficiency(150);
  env.apply(env.tx(attester).message(attest).sign());
  const Account& clinic = env.account("clinic", 10 * kBtt);
  env.close_block();
  const uint64_t emission0 = curve().epoch_amount(0);
  ASSERT_GT(emission0, 0u);
  EXPECT_EQ(escrow(), emission0);  // paid at the first block of epoch 0

  JobSpec three;
  three.cu = 1'000;
  three.redundancy = 3;
  const uint64_t j1 = post(clinic, three);
  JobSpec one;
  one.cu = 500;
  const uint64_t j2 = post(clinic, one);
  ASSERT_EQ(replica_nodes(job(j2)), std::vector<std::string>{a.addr()});
  for (const auto* n : {&a, &b, &c}) commit(*n, j1, "r1");
  for (const auto* n : {&a, &b, &c}) reveal(*n, j1, "r1");
  commit(a, j2, "r2");
  const uint64_t assigned = env.height();
  for (int i = 0; i < 20; ++i) {
    env.close_block();
    if (env.height() == assigned + 4) reveal(a, j2, "r2");
    heartbeat_if_due(a);
    if (i < 10) heartbeat_if_due(b);  // b stops half-way; c never heartbeats after registering
  }
  ASSERT_EQ(job(j1).status(), v1::JOB_STATUS_ACCEPTED);
  ASSERT_EQ(job(j2).status(), v1::JOB_STATUS_ACCEPTED);
  const auto stats_a = view().epoch_stats(a.address());
  EXPECT_EQ(stats_a.compute_units(), 1'500u);
  // Quality per result: 1.0 revealed at once; j2 4 blocks after assignment of a 25-block span:
  // 10,000 - 4 x 5,000 / 25 = 9,200.
  EXPECT_EQ(stats_a.quality_sum_bps(), 19'200u);

  const uint64_t ba = env.balance(a), bb = env.balance(b), bc = env.balance(c);
  close_epoch();
  const auto rewards = view().epoch_rewards(0);
  const auto& sum = rewards.summary();
  EXPECT_EQ(rewards.current_epoch(), 1u);
  EXPECT_EQ(sum.distributable(), emission0);
  EXPECT_EQ(sum.distributed(), emission0);
  EXPECT_EQ(sum.rolled_over(), 0u);
  ASSERT_EQ(rewards.rewards_size(), 3);
  // Escrow now holds exactly epoch 1's emission.
  EXPECT_EQ(escrow(), curve().epoch_amount(1));

  std::map<std::string, v1::NodeReward> by_node;
  for (const auto& r : rewards.rewards()) by_node[r.node()] = r;
  const auto& ra = by_node[a.addr()];
  const auto& rb = by_node[b.addr()];
  const auto& rc = by_node[c.addr()];
  EXPECT_EQ(ra.geography_bps(), 10'000u);
  EXPECT_EQ(ra.energy_bps(), 8'000u);
  EXPECT_EQ(rb.geography_bps(), 15'000u);
  EXPECT_EQ(rb.energy_bps(), 12'000u);
  EXPECT_EQ(rc.geography_bps(), 12'000u);
  EXPECT_EQ(rc.energy_bps(), 10'000u);
  EXPECT_EQ(ra.quality_bps(), 9'600u);
  EXPECT_EQ(rb.quality_bps(), 10'000u);
  EXPECT_EQ(ra.compute_units(), 1'500u);
  EXPECT_EQ(rb.compute_units(), 1'000u);
  // Uptime: heartbeats / (blocks in the epoch / 5), at most 1.0.
  const uint64_t expected = sum.expected_heartbeats();
  ASSERT_GT(expected, 1u);
  EXPECT_EQ(ra.uptime_bps(), 10'000u);
  EXPECT_LT(rb.uptime_bps(), 10'000u);
  EXPECT_EQ(rc.uptime_bps(), 10'000 / expected);

  // Scores recomputed here: cu x 10^4, then each factor / 10^4, floored step by step.
  auto score = [](const v1::NodeReward& r) {
    unsigned __int128 s = static_cast<unsigned __int128>(r.compute_units()) * 10'000;
    for (uint64_t f : {r.uptime_bps(), r.quality_bps(), r.geography_bps(), r.energy_bps()}) {
      s = s * f / 10'000;
    }
    return static_cast<uint64_t>(s);
  };
  unsigned __int128 total = 0;
  for (const auto* r : {&ra, &rb, &rc}) {
    EXPECT_EQ(r->score(), score(*r));
    total += r->score();
  }
  uint64_t paid = 0;
  const v1::NodeReward* top = &ra;
  for (const auto* r : {&ra, &rb, &rc}) {
    if (r->score() > top->score()) top = r;
  }
  for (const auto* r : {&ra, &rb, &rc}) {
    const auto share =
        static_cast<uint64_t>(static_cast<unsigned __int128>(emission0) * r->score() / total);
    if (r != top) {
      EXPECT_EQ(r->reward(), share);
    }
    EXPECT_GE(r->reward(), share);
    paid += r->reward();
  }
  EXPECT_EQ(paid, emission0);
  EXPECT_EQ(env.balance(a), ba + ra.reward());
  EXPECT_EQ(env.balance(b), bb + rb.reward());
  EXPECT_EQ(env.balance(c), bc + rc.reward());
  EXPECT_EQ(node_record(a).rewards(), ra.reward());
  // The counters start again for epoch 1.
  EXPECT_EQ(view().epoch_stats(a.address()).compute_units(), 0u);
}

TEST_F(ComputeRewardsTest, UnearnedEmissionRollsOver) {
  env.close_block();
  const uint64_t e0 = curve().epoch_amount(0);
  const uint64_t e1 = curve().epoch_amount(1);
  close_epoch();  // nobody worked in epoch 0
  auto r0 = view().epoch_rewards(0);
  EXPECT_EQ(r0.summary().distributable(), e0);
  EXPECT_EQ(r0.summary().distributed(), 0u);
  EXPECT_EQ(r0.summary().rolled_over(), e0);
  EXPECT_EQ(escrow(), e0 + e1);

  const Account& a = node("a", 10);
  const Account& clinic = env.account("clinic", 10 * kBtt);
  const uint64_t id = post(clinic, {});
  commit(a, id, "r");
  reveal(a, id, "r");
  env.close_block();
  const uint64_t before = env.balance(a);
  close_epoch();
  const auto r1 = view().epoch_rewards(1);
  // Epochs 0 and 1 both go to the only node that worked.
  EXPECT_EQ(r1.summary().distributable(), e0 + e1);
  EXPECT_EQ(r1.summary().distributed(), e0 + e1);
  ASSERT_EQ(r1.rewards_size(), 1);
  EXPECT_EQ(r1.rewards(0).reward(), e0 + e1);
  EXPECT_EQ(env.balance(a), before + e0 + e1);
  EXPECT_EQ(escrow(), curve().epoch_amount(2));
}

TEST_F(ComputeRewardsTest, ScoreAndSplitHelpers) {
  EXPECT_EQ(cmp::score(1'000, 10'000, 10'000, 10'000, 10'000), 10'000'000u);
  EXPECT_EQ(cmp::score(1'000, 5'000, 9'600, 15'000, 8'000), 5'760'000u);
  EXPECT_EQ(cmp::score(UINT64_MAX, 10'000, 10'000, 10'000, 10'000), UINT64_MAX);
  const auto s = cmp::split_cost(20'501, 3);
  // 70% = 14,350 -> 4,783 each (14,349); 15% = 3,075; 10% = 2,050; reserve 20,501 - the rest.
  EXPECT_EQ(s.per_node, 4'783u);
  EXPECT_EQ(s.development, 3'075u);
  EXPECT_EQ(s.foundation, 2'050u);
  EXPECT_EQ(s.reserve, 1'027u);
  EXPECT_EQ(s.nodes_total + s.development + s.foundation + s.reserve, 20'501u);
  EXPECT_EQ(cmp::replica_price(100, 30, 10'000, 15'000), 4'500u);
  EXPECT_FALSE(cmp::replica_price(UINT64_MAX, 2, 10'000, 10'000).has_value());
  EXPECT_EQ(cmp::data_fee(1, 10'000), 10'000u);
  EXPECT_EQ(cmp::data_fee(1'048'576, 10'000), 10'000u);
  EXPECT_EQ(cmp::data_fee(1'048'577, 10'000), 20'000u);
}

}  // namespace
}  // namespace btt::testkit

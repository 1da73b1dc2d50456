// Compute marketplace on chain: escrow, assignment, commit-reveal, majority, settlement split,
// refunds, slashing, reassignment and expiry, with exact amounts. The TestEnv runs every invariant
// (escrow account = open jobs' escrow, bonds account = node bonds, supply) after each tx and block.
#include "compute_fixture.h"

namespace btt::testkit {
namespace {

namespace cmp = modules::compute;

class ComputeMarketTest : public ComputeTest {};

TEST_F(ComputeMarketTest, RegisterBondsAndIndexesTheNode) {
  const Account& a = env.account("op", 1'000 * kBtt);
  env.apply(env.tx(a).message(register_msg(40)).sign());
  EXPECT_EQ(env.balance(a), 1'000 * kBtt - kBond - fee);
  EXPECT_EQ(env.balance(cmp::bonds_address()), kBond);
  const auto n = node_record(a);
  EXPECT_EQ(n.status(), v1::NODE_STATUS_ACTIVE);
  EXPECT_EQ(n.reputation_bps(), 5'000u);
  EXPECT_EQ(n.bond(), kBond);
  EXPECT_EQ(n.last_heartbeat_height(), env.height());
  // Twice: ALREADY_EXISTS, and nothing moves but the fee.
  env.apply(env.tx(a).message(register_msg(40)).sign(), Code::kAlreadyExists);
  EXPECT_EQ(env.balance(a), 1'000 * kBtt - kBond - 2 * fee);
}

TEST_F(ComputeMarketTest, RegisterRefusals) {
  const Account& a = env.account("op", 150 * kBtt);
  env.apply(env.tx(a).message(register_msg(40, "DE", "gpu", "H100", 80, kBond - 1)).sign(),
            Code::kLimitExceeded);
  env.apply(env.tx(a).message(register_msg(40, "DE", "gpu", "H100", 80, 200 * kBtt)).sign(),
            Code::kInsufficientFunds);
  env.apply(env.tx(a).message(register_msg(40, "de")).sign(), Code::kInvalidArgument);
  env.apply(env.tx(a).message(register_msg(40, "DE", "GPU")).sign(), Code::kInvalidArgument);
  env.apply(env.tx(a).message(register_msg(0)).sign(), Code::kInvalidAmount);
  env.apply(env.tx(a).message(register_msg(40, "DE", "gpu", "H100", 80, 0)).sign(),
            Code::kInvalidAmount);
  EXPECT_FALSE(view().node(a.address()).has_value());
  EXPECT_EQ(env.balance(cmp::bonds_address()), 0u);
}

TEST_F(ComputeMarketTest, UpdatePauseHeartbeatAndUnbonding) {
  const Account& a = node("op", 40);
  v1::Message up;
  auto* u = up.mutable_update_node();
  u->mutable_hardware()->set_accelerator_kind("gpu");
  u->mutable_hardware()->set_model("A100");
  u->mutable_hardware()->set_memory_gb(40);
  u->mutable_hardware()->set_count(2);
  u->set_region("KE");
  u->set_price_per_cu(35);
  u->set_add_bond(5 * kBtt);
  env.apply(env.tx(a).message(up).sign());
  auto n = node_record(a);
  EXPECT_EQ(n.bond(), kBond + 5 * kBtt);
  EXPECT_EQ(n.price_per_cu(), 35u);
  EXPECT_EQ(n.region(), "KE");
  EXPECT_EQ(env.balance(cmp::bonds_address()), kBond + 5 * kBtt);

  // Heartbeat interval is 1,000 blocks in this fixture: too soon.
  env.apply(env.tx(a)
                .message([] {
                  v1::Message m;
                  m.mutable_heartbeat();
                  return m;
                }())
                .sign(),
            Code::kLimitExceeded);

  v1::Message pause;
  pause.mutable_pause_node()->set_paused(true);
  env.apply(env.tx(a).message(pause).sign());
  EXPECT_EQ(node_record(a).status(), v1::NODE_STATUS_PAUSED);
  // A paused node gets no job.
  const Account& clinic = env.account("clinic");
  const uint64_t id = post(clinic, {});
  EXPECT_EQ(job(id).status(), v1::JOB_STATUS_PENDING);

  v1::Message unreg;
  unreg.mutable_unregister_node();
  env.apply(env.tx(a).message(unreg).sign());
  const uint64_t at = env.height() + 10;
  EXPECT_EQ(node_record(a).status(), v1::NODE_STATUS_UNBONDING);
  EXPECT_EQ(node_record(a).unbond_height(), at);
  env.apply(env.tx(a).message(unreg).sign(), Code::kWrongState);
  env.apply(env.tx(a).message(up).sign(), Code::kWrongState);
  const uint64_t before = env.balance(a);
  while (env.height() < at) env.close_block();
  EXPECT_EQ(env.balance(a), before);  // not yet: released in end_block of height `at`
  env.close_block();
  EXPECT_EQ(env.balance(a), before + kBond + 5 * kBtt);
  EXPECT_EQ(node_record(a).status(), v1::NODE_STATUS_UNREGISTERED);
  EXPECT_EQ(env.balance(cmp::bonds_address()), 0u);
  // Unknown from now on for node messages; registering again works.
  env.apply(env.tx(a).message(pause).sign(), Code::kUnknownRecord);
  env.apply(env.tx(a).message(register_msg(40)).sign());
}

TEST_F(ComputeMarketTest, SingleReplicaJobSettlesWithExactSplit) {
  const Account& n1 = node("n1", 40);
  node("n2", 45);
  const Account& clinic = env.account("clinic", 10 * kBtt);
  env.close_block();
  JobSpec s;
  s.cu = 1'000;
  s.max_price = 50;
  s.input_size = 3 * 1'048'576 + 1;  // 4 started MiB
  const uint64_t id = post(clinic, s);
  // Max cost: 1,000 x 50 x 1.0 x 1.0 + 4 x 10,000 = 90,000 escrowed.
  auto j = job(id);
  EXPECT_EQ(j.max_cost(), 90'000u);
  EXPECT_EQ(j.data_fee(), 40'000u);
  EXPECT_EQ(env.balance(cmp::escrow_address()), 90'000u);
  EXPECT_EQ(env.balance(clinic), 10 * kBtt - fee - 90'000);
  // Cheapest node first.
  ASSERT_EQ(j.status(), v1::JOB_STATUS_ASSIGNED);
  ASSERT_EQ(replica_nodes(j), std::vector<std::string>{n1.addr()});
  EXPECT_EQ(j.replicas(0).price(), 40'000u);
  EXPECT_EQ(node_record(n1).open_replicas(), 1u);

  const uint64_t n1_before = env.balance(n1);
  commit(n1, id, "good");
  reveal(n1, id, "good");
  env.close_block();
  j = job(id);
  ASSERT_EQ(j.status(), v1::JOB_STATUS_ACCEPTED);
  EXPECT_EQ(j.result_hash(), result("good"));
  // Cost 40,000 + 40,000 = 80,000: nodes 56,000, development 12,000, Foundation 8,000, reserve
  // 4,000; 10,000 back to the clinic.
  EXPECT_EQ(j.cost(), 80'000u);
  EXPECT_EQ(j.refunded(), 10'000u);
  EXPECT_EQ(j.escrow(), 0u);
  EXPECT_EQ(env.balance(n1), n1_before - 2 * fee + 56'000);
  EXPECT_EQ(env.balance(cmp::development_fund_address()), 12'000u);
  EXPECT_EQ(env.balance(cmp::foundation_address()), 8'000u);
  EXPECT_EQ(env.balance(cmp::operational_reserve_address()), 4'000u);
  EXPECT_EQ(env.balance(cmp::escrow_address()), 0u);
  EXPECT_EQ(env.balance(clinic), 10 * kBtt - fee - 80'000);
  const auto n = node_record(n1);
  EXPECT_EQ(n.open_replicas(), 0u);
  EXPECT_EQ(n.results_accepted(), 1u);
  EXPECT_EQ(n.earned(), 56'000u);
  EXPECT_EQ(n.reputation_bps(), 5'100u);
  const auto stats = view().stats("gpu");
  ASSERT_TRUE(stats.has_value());
  EXPECT_EQ(stats->accepted_jobs(), 1u);
  EXPECT_EQ(stats->volume(), 80'000u);
  EXPECT_EQ(stats->price_index(), 80'000'000u);  // 80 units per cu, x10^6
}

TEST_F(ComputeMarketTest, RedundancyThreeWithOneDishonestNode) {
  const Account& a = node("a", 30);
  const Account& b = node("b", 40);
  const Account& c = node("c", 50);
  node("pricey", 60);                // above the job's maximum: not eligible
  node("cpu-node", 1, "DE", "cpu");  // wrong accelerator kind
  const Account& clinic = env.account("clinic", 10 * kBtt);
  env.close_block();
  JobSpec s;
  s.cu = 100;
  s.max_price = 50;
  s.redundancy = 3;
  s.urgency = v1::URGENCY_PRIORITY;
  const uint64_t id = post(clinic, s);
  auto j = job(id);
  // 3 x 100 x 50 x 1.5 + 1 MiB x 10,000 = 32,500.
  EXPECT_EQ(j.max_cost(), 32'500u);
  ASSERT_EQ(j.replicas_size(), 3);
  EXPECT_EQ(replica_nodes(j), (std::vector<std::string>{a.addr(), b.addr(), c.addr()}));
  EXPECT_EQ(j.replicas(0).price(), 4'500u);
  EXPECT_EQ(j.replicas(1).price(), 6'000u);
  EXPECT_EQ(j.replicas(2).price(), 7'500u);

  commit(a, id, "truth");
  commit(b, id, "truth");
  // Reveals open only when every replica committed.
  reveal(a, id, "truth", Code::kWrongState);
  commit(c, id, "lie");
  commit(c, id, "lie", Code::kWrongState);  // once
  reveal(a, id, "truth");
  reveal(b, id, "wrong-salt-test", Code::kWrongState);  // does not match its commitment
  reveal(b, id, "truth");
  reveal(c, id, "lie");
  const uint64_t a0 = env.balance(a), b0 = env.balance(b), c0 = env.balance(c);
  const uint64_t burned0 = burned();
  env.close_block();
  j = job(id);
  ASSERT_EQ(j.status(), v1::JOB_STATUS_ACCEPTED);
  EXPECT_EQ(j.result_hash(), result("truth"));
  // Charged: the agreeing replicas 4,500 + 6,000 and the data fee 10,000 = 20,500. Nodes 14,350
  // (7,175 each), development 3,075, Foundation 2,050, reserve 1,025; refund 12,000.
  EXPECT_EQ(j.cost(), 20'500u);
  EXPECT_EQ(j.priority_share(), 3'500u);  // 10,500 - 10,500 / 1.5
  EXPECT_EQ(j.refunded(), 12'000u);
  EXPECT_EQ(env.balance(a), a0 + 7'175);
  EXPECT_EQ(env.balance(b), b0 + 7'175);
  EXPECT_EQ(env.balance(c), c0);
  EXPECT_EQ(env.balance(cmp::development_fund_address()), 3'075u);
  EXPECT_EQ(env.balance(cmp::foundation_address()), 2'050u);
  EXPECT_EQ(env.balance(cmp::operational_reserve_address()), 1'025u);
  EXPECT_EQ(env.balance(clinic), 10 * kBtt - fee - 20'500);
  // The dishonest node loses 10% of its bond (burned) and 1,000 bps of reputation.
  const auto cn = node_record(c);
  EXPECT_EQ(cn.bond(), kBond - kBond / 10);
  EXPECT_EQ(cn.slashed(), kBond / 10);
  EXPECT_EQ(cn.reputation_bps(), 4'000u);
  EXPECT_EQ(cn.faults(), 1u);
  EXPECT_EQ(burned(), burned0 + kBond / 10);
  EXPECT_EQ(j.replicas(2).status(), v1::REPLICA_STATUS_DISAGREED);
  EXPECT_EQ(j.replicas(0).status(), v1::REPLICA_STATUS_AGREED);
  EXPECT_EQ(env.balance(cmp::bonds_address()), 5 * kBond - kBond / 10);
}

TEST_F(ComputeMarketTest, MissedCommitIsSlashedAndTheJobReassignedOnce) {
  const Account& a = node("a", 10);
  const Account& b = node("b", 20);
  const Account& c = node("c", 30);
  const Account& d = node("d", 40);
  const Account& clinic = env.account("clinic", 10 * kBtt);
  env.close_block();
  JobSpec s;
  s.cu = 100;
  s.max_price = 40;
  s.redundancy = 2;
  const uint64_t id = post(clinic, s);
  auto j = job(id);
  ASSERT_EQ(replica_nodes(j), (std::vector<std::string>{a.addr(), b.addr()}));
  const uint64_t commit_deadline = j.commit_deadline();
  EXPECT_EQ(commit_deadline, env.height() + 20);
  EXPECT_EQ(j.reveal_deadline(), env.height() + 25);
  commit(a, id, "r");
  // b never commits; a may reveal once the commit deadline passed.
  while (env.height() <= commit_deadline) env.close_block();
  commit(b, id, "r", Code::kWrongState);                 // too late
  EXPECT_EQ(node_record(b).bond(), kBond - kBond / 10);  // slashed at the deadline
  reveal(a, id, "r");
  env.close_block();
  // One reveal of two replicas is no majority: reassigned to nodes that did not hold it.
  j = job(id);
  ASSERT_EQ(j.status(), v1::JOB_STATUS_ASSIGNED);
  EXPECT_EQ(j.round(), 1u);
  EXPECT_EQ(replica_nodes(j), (std::vector<std::string>{c.addr(), d.addr()}));
  EXPECT_EQ(node_record(a).bond(), kBond);  // a revealed: not slashed
  // Nor does the undecided round count against a's quality; b's miss counts (a result worth 0).
  EXPECT_EQ(view().epoch_stats(a.address()).results(), 0u);
  EXPECT_EQ(view().epoch_stats(b.address()).results(), 1u);
  EXPECT_EQ(node_record(a).open_replicas(), 0u);
  EXPECT_EQ(node_record(b).faults(), 1u);
  commit(c, id, "r");
  commit(d, id, "r");
  reveal(c, id, "r");
  reveal(d, id, "r");
  const uint64_t c0 = env.balance(c), d0 = env.balance(d);
  env.close_block();
  j = job(id);
  ASSERT_EQ(j.status(), v1::JOB_STATUS_ACCEPTED);
  // 3,000 + 4,000 + 10,000 data fee = 17,000: nodes 11,900 (5,950 each).
  EXPECT_EQ(j.cost(), 17'000u);
  EXPECT_EQ(env.balance(c), c0 + 5'950);
  EXPECT_EQ(env.balance(d), d0 + 5'950);
  EXPECT_EQ(env.balance(clinic), 10 * kBtt - fee - 17'000);
}

TEST_F(ComputeMarketTest, NoMajorityTwiceRefundsInFull) {
  const Account& a = node("a", 10);
  const Account& b = node("b", 20);
  const Account& c = node("c", 30);
  const Account& d = node("d", 40);
  const Account& clinic = env.account("clinic", 10 * kBtt);
  env.close_block();
  JobSpec s;
  s.redundancy = 2;
  const uint64_t id = post(clinic, s);
  commit(a, id, "x");
  commit(b, id, "y");
  reveal(a, id, "x");
  reveal(b, id, "y");
  env.close_block();
  ASSERT_EQ(job(id).round(), 1u);
  commit(c, id, "x");
  commit(d, id, "z");
  reveal(c, id, "x");
  reveal(d, id, "z");
  env.close_block();
  const auto j = job(id);
  EXPECT_EQ(j.status(), v1::JOB_STATUS_FAILED);
  EXPECT_EQ(j.refunded(), j.max_cost());
  EXPECT_EQ(env.balance(clinic), 10 * kBtt - fee);
  EXPECT_EQ(env.balance(cmp::escrow_address()), 0u);
  // Disagreement without a majority proves nobody wrong: no slash.
  for (const auto* n : {&a, &b, &c, &d}) {
    EXPECT_EQ(node_record(*n).bond(), kBond) << n->name;
    EXPECT_EQ(node_record(*n).open_replicas(), 0u) << n->name;
  }
}

TEST_F(ComputeMarketTest, MissedRevealIsSlashed) {
  const Account& a = node("a", 10);
  const Account& clinic = env.account("clinic", 10 * kBtt);
  env.close_block();
  const uint64_t id = post(clinic, {});
  commit(a, id, "r");
  const uint64_t reveal_deadline = job(id).reveal_deadline();
  while (env.height() <= reveal_deadline) env.close_block();
  reveal(a, id, "r", Code::kWrongState);
  const auto n = node_record(a);
  EXPECT_EQ(n.bond(), kBond - kBond / 10);
  EXPECT_EQ(n.faults(), 1u);
  // Reassigned, but nobody else is eligible: pending until it expires.
  auto j = job(id);
  EXPECT_EQ(j.status(), v1::JOB_STATUS_PENDING);
  EXPECT_EQ(j.round(), 1u);
  while (env.height() <= j.expires_height()) env.close_block();
  EXPECT_EQ(job(id).status(), v1::JOB_STATUS_FAILED);
  EXPECT_EQ(env.balance(clinic), 10 * kBtt - fee);
}

TEST_F(ComputeMarketTest, PendingJobsExpireOrCancelWithFullRefund) {
  const Account& clinic = env.account("clinic", 10 * kBtt);
  const Account& other = env.account("other", 10 * kBtt);
  JobSpec tpu;
  tpu.accelerator = "tpu";
  const uint64_t id1 = post(clinic, tpu);
  const uint64_t id2 = post(clinic, tpu);
  auto j = job(id1);
  EXPECT_EQ(j.status(), v1::JOB_STATUS_PENDING);
  EXPECT_EQ(j.expires_height(), env.height() + 20);
  EXPECT_EQ(env.balance(cmp::escrow_address()), 2 * j.max_cost());

  v1::Message cancel;
  cancel.mutable_cancel_job()->set_job_id(id2);
  env.apply(env.tx(other).message(cancel).sign(), Code::kUnauthorized);
  env.apply(env.tx(clinic).message(cancel).sign());
  EXPECT_EQ(job(id2).status(), v1::JOB_STATUS_CANCELLED);
  env.apply(env.tx(clinic).message(cancel).sign(), Code::kWrongState);
  cancel.mutable_cancel_job()->set_job_id(999);
  env.apply(env.tx(clinic).message(cancel).sign(), Code::kUnknownRecord);

  while (env.height() <= j.expires_height()) env.close_block();
  EXPECT_EQ(job(id1).status(), v1::JOB_STATUS_EXPIRED);
  EXPECT_EQ(job(id1).refunded(), j.max_cost());
  EXPECT_EQ(env.balance(clinic), 10 * kBtt - 5 * fee);
  EXPECT_EQ(env.balance(cmp::escrow_address()), 0u);
}

TEST_F(ComputeMarketTest, AssignedJobCannotBeCancelledAndNodeCannotLeave) {
  const Account& a = node("a", 10);
  const Account& clinic = env.account("clinic", 10 * kBtt);
  const uint64_t id = post(clinic, {});
  v1::Message cancel;
  cancel.mutable_cancel_job()->set_job_id(id);
  env.apply(env.tx(clinic).message(cancel).sign(), Code::kWrongState);
  v1::Message unreg;
  unreg.mutable_unregister_node();
  env.apply(env.tx(a).message(unreg).sign(), Code::kWrongState);
  // Only replicas commit.
  commit(clinic, id, "r", Code::kUnauthorized);
}

TEST_F(ComputeMarketTest, PostJobRefusals) {
  const Account& clinic = env.account("clinic", 1 * kBtt);
  JobSpec s;
  s.kind = "unknown-kind";
  post(clinic, s, Code::kUnknownRecord);
  s = {};
  s.redundancy = 4;
  post(clinic, s, Code::kInvalidArgument);
  s = {};
  s.cu = 0;
  post(clinic, s, Code::kInvalidArgument);
  s = {};
  s.max_price = 0;
  post(clinic, s, Code::kInvalidAmount);
  s = {};
  s.accelerator = "GPU!";
  post(clinic, s, Code::kInvalidArgument);
  s = {};
  s.max_price = UINT64_MAX / 2;
  post(clinic, s, Code::kLimitExceeded);  // the maximum cost overflows
  s = {};
  s.max_price = 1'000'000;  // 1,000 x 10^6 = 10^9 > 1 BTT
  post(clinic, s, Code::kInsufficientFunds);
  auto m = post_msg({});
  m.mutable_post_job()->set_input_hash("short");
  env.apply(env.tx(clinic).message(m).sign(), Code::kInvalidArgument);
  m = post_msg({});
  m.mutable_post_job()->set_locator("has space");
  env.apply(env.tx(clinic).message(m).sign(), Code::kInvalidArgument);
  m = post_msg({});
  m.mutable_post_job()->set_urgency(static_cast<v1::Urgency>(7));
  env.apply(env.tx(clinic).message(m).sign(), Code::kInvalidArgument);
  EXPECT_EQ(view().next_job_id(), 1u);
  EXPECT_EQ(env.balance(cmp::escrow_address()), 0u);
}

TEST_F(ComputeMarketTest, HardwareRequirementsAndBansFilterNodes) {
  const Account& cheap_small = env.account("small", 1'000 * kBtt);
  env.apply(env.tx(cheap_small).message(register_msg(5, "DE", "gpu", "RTX4090", 24)).sign());
  const Account& a100 = env.account("a100", 1'000 * kBtt);
  env.apply(env.tx(a100).message(register_msg(20, "DE", "gpu", "A100", 80)).sign());
  const Account& h100 = env.account("h100", 1'000 * kBtt);
  env.apply(env.tx(h100).message(register_msg(10, "DE", "gpu", "H100", 80)).sign());
  const Account& clinic = env.account("clinic", 10 * kBtt);
  JobSpec s;
  s.models = {"H100", "A100"};
  s.min_memory_gb = 40;
  uint64_t id = post(clinic, s);
  EXPECT_EQ(replica_nodes(job(id)), std::vector<std::string>{h100.addr()});
  // The clinic bans the H100 node: the next job goes to the A100.
  v1::Message ban;
  ban.mutable_ban_node()->set_node(h100.addr());
  ban.mutable_ban_node()->set_banned(true);
  env.apply(env.tx(clinic).message(ban).sign());
  id = post(clinic, s);
  EXPECT_EQ(replica_nodes(job(id)), std::vector<std::string>{a100.addr()});
  ban.mutable_ban_node()->set_node(clinic.addr());
  env.apply(env.tx(clinic).message(ban).sign(), Code::kUnknownRecord);
}

TEST_F(ComputeMarketTest, EnergyAttestation) {
  const Account& a = node("a", 10, "DE", "gpu", 150);
  const Account& attester = env.account("attester", 10 * kBtt);
  v1::Message m;
  m.mutable_attest_energy()->set_node(a.addr());
  m.mutable_attest_energy()->set_energy_efficiency(210);
  env.apply(env.tx(a).message(m).sign(), Code::kUnauthorized);
  env.apply(env.tx(attester).message(m).sign());
  const auto n = node_record(a);
  EXPECT_TRUE(n.energy_attested());
  EXPECT_EQ(n.energy_efficiency(), 210u);
  m.mutable_attest_energy()->set_node(attester.addr());
  env.apply(env.tx(attester).message(m).sign(), Code::kUnknownRecord);
}

TEST_F(ComputeMarketTest, OfflineNodesAreNotAssigned) {
  node("a", 10);
  const Account& clinic = env.account("clinic", 10 * kBtt);
  // Heartbeat interval 1,000: online for 2,000 blocks after the last heartbeat.
  env.advance_time(0);
  for (int i = 0; i < 2'001; ++i) env.close_block();
  const uint64_t id = post(clinic, {});
  EXPECT_EQ(job(id).status(), v1::JOB_STATUS_PENDING);
}

}  // namespace
}  // namespace btt::testkit

namespace btt::testkit {
namespace {

// Empty or nonsense messages of every compute kind are refused and write nothing but the fee.
TEST_F(ComputeMarketTest, EmptyMessagesAreRefused) {
  const Account& x = env.account("x", 10 * kBtt);
  std::vector<std::pair<v1::Message, Code>> cases;
  auto add = [&](auto set, Code c) {
    v1::Message m;
    set(m);
    cases.emplace_back(m, c);
  };
  add([](v1::Message& m) { m.mutable_register_node(); }, Code::kInvalidArgument);
  add([](v1::Message& m) { m.mutable_update_node(); }, Code::kInvalidArgument);
  add([](v1::Message& m) { m.mutable_post_job(); }, Code::kInvalidArgument);
  add([](v1::Message& m) { m.mutable_cancel_job(); }, Code::kInvalidArgument);
  add([](v1::Message& m) { m.mutable_commit_result(); }, Code::kInvalidArgument);
  add([](v1::Message& m) { m.mutable_reveal_result(); }, Code::kInvalidArgument);
  add([](v1::Message& m) { m.mutable_attest_energy(); }, Code::kInvalidAddress);
  add([](v1::Message& m) { m.mutable_ban_node(); }, Code::kInvalidAddress);
  add([](v1::Message& m) { m.mutable_pause_node(); }, Code::kUnknownRecord);
  add([](v1::Message& m) { m.mutable_unregister_node(); }, Code::kUnknownRecord);
  add([](v1::Message& m) { m.mutable_heartbeat(); }, Code::kUnknownRecord);
  add(
      [](v1::Message& m) {
        m.mutable_commit_result()->set_job_id(5);
        m.mutable_commit_result()->set_commitment(Bytes(32, 'c'));
      },
      Code::kUnknownRecord);
  add(
      [](v1::Message& m) {
        m.mutable_reveal_result()->set_job_id(UINT64_MAX);
        m.mutable_reveal_result()->set_result_hash(Bytes(32, 'r'));
        m.mutable_reveal_result()->set_salt(Bytes(65, 's'));
      },
      Code::kInvalidArgument);
  uint64_t fees = 0;
  for (const auto& [m, code] : cases) {
    const auto out = env.apply(env.tx(x).message(m).sign(), code);
    fees += out.fee_paid;
  }
  EXPECT_EQ(env.balance(x), 10 * kBtt - fees);
  EXPECT_TRUE(view().nodes().empty());
  EXPECT_EQ(view().next_job_id(), 1u);
}

}  // namespace
}  // namespace btt::testkit

namespace btt::testkit {
namespace {

// Equal asks: the documented entropy decides, the same on every node.
TEST_F(ComputeMarketTest, TiesAreBrokenByTheDocumentedEntropy) {
  std::vector<const Account*> nodes;
  for (const char* name : {"t1", "t2", "t3", "t4"}) nodes.push_back(&node(name, 25));
  const Account& clinic = env.account("clinic", 10 * kBtt);
  env.close_block();
  JobSpec s;
  s.redundancy = 2;
  const uint64_t id = post(clinic, s);
  // seed = tagged_hash(tag, previous block hash || job id || stage 0); TestEnv's previous block
  // hash at height h is sha256("btt-test-block/" + (h - 1)).
  Bytes data = to_bytes(crypto::sha256("btt-test-block/" + std::to_string(env.height() - 1)));
  put_u64_be(data, id);
  put_u64_be(data, 0);
  const Bytes seed = to_bytes(crypto::tagged_hash(modules::compute::kEntropyTag, data));
  std::vector<std::pair<Bytes, std::string>> ranked;
  for (const auto* n : nodes) {
    ranked.emplace_back(to_bytes(crypto::tagged_hash(modules::compute::kEntropyTag,
                                                     seed + std::string(n->address().raw()))),
                        n->addr());
  }
  std::sort(ranked.begin(), ranked.end());
  EXPECT_EQ(replica_nodes(job(id)), (std::vector<std::string>{ranked[0].second, ranked[1].second}));
}

}  // namespace
}  // namespace btt::testkit

// Audits of single-replica jobs (audit_bps = 10,000 here, so every single result is audited).
#include "compute_fixture.h"

namespace btt::testkit {
namespace {

namespace cmp = modules::compute;

class ComputeAuditTest : public ComputeTest {
 protected:
  ComputeAuditTest() : ComputeTest(10'000) {}
};

TEST_F(ComputeAuditTest, AuditCatchesAWrongSingleResult) {
  const Account& a = node("a", 10);
  const Account& b = node("b", 20);
  const Account& c = node("c", 30);
  const Account& clinic = env.account("clinic", 10 * kBtt);
  env.close_block();
  JobSpec s;
  s.cu = 1'000;
  s.max_price = 30;
  const uint64_t id = post(clinic, s);
  // 1,000 x 30 + 10,000 = 40,000 escrowed; assigned to the cheapest.
  EXPECT_EQ(job(id).max_cost(), 40'000u);
  EXPECT_EQ(replica_nodes(job(id)), std::vector<std::string>{a.addr()});
  commit(a, id, "wrong");
  reveal(a, id, "wrong");
  env.close_block();
  auto j = job(id);
  ASSERT_EQ(j.status(), v1::JOB_STATUS_AUDITING);
  ASSERT_EQ(j.audit_replicas_size(), 1);
  EXPECT_EQ(j.audit_replicas(0).node(), b.addr());
  commit(b, id, "right");
  reveal(b, id, "right");
  env.close_block();
  // Mismatch: a third node referees.
  j = job(id);
  ASSERT_EQ(j.status(), v1::JOB_STATUS_AUDITING);
  ASSERT_EQ(j.audit_replicas_size(), 2);
  EXPECT_EQ(j.audit_replicas(1).node(), c.addr());
  EXPECT_EQ(j.audit_replicas(1).role(), v1::REPLICA_ROLE_REFEREE);
  commit(a, id, "again", Code::kUnauthorized);  // not a replica of this stage
  commit(c, id, "right");
  reveal(c, id, "right");
  const uint64_t b0 = env.balance(b), c0 = env.balance(c), burned0 = burned();
  env.close_block();
  j = job(id);
  ASSERT_EQ(j.status(), v1::JOB_STATUS_ACCEPTED);
  EXPECT_EQ(j.result_hash(), result("right"));
  // The clinic pays what one replica of a costs (10,000) + data fee 10,000 = 20,000: nodes
  // 14,000 shared by auditor and referee (7,000 each), development 3,000, Foundation 2,000,
  // reserve 1,000; 20,000 back.
  EXPECT_EQ(j.cost(), 20'000u);
  EXPECT_EQ(env.balance(b), b0 + 7'000);
  EXPECT_EQ(env.balance(c), c0 + 7'000);
  EXPECT_EQ(env.balance(clinic), 10 * kBtt - fee - 20'000);
  EXPECT_EQ(env.balance(cmp::development_fund_address()), 3'000u);
  EXPECT_EQ(env.balance(cmp::operational_reserve_address()), 1'000u);
  EXPECT_EQ(node_record(a).bond(), kBond - kBond / 10);
  EXPECT_EQ(node_record(a).faults(), 1u);
  EXPECT_EQ(burned(), burned0 + kBond / 10);
  for (const auto* n : {&a, &b, &c}) EXPECT_EQ(node_record(*n).open_replicas(), 0u);
}

TEST_F(ComputeAuditTest, AgreeingAuditPaysTheOriginalNode) {
  const Account& a = node("a", 10);
  const Account& b = node("b", 20);
  const Account& clinic = env.account("clinic", 10 * kBtt);
  env.close_block();
  const uint64_t id = post(clinic, {});
  commit(a, id, "r");
  reveal(a, id, "r");
  env.close_block();
  ASSERT_EQ(job(id).status(), v1::JOB_STATUS_AUDITING);
  commit(b, id, "r");
  reveal(b, id, "r");
  const uint64_t a0 = env.balance(a), b0 = env.balance(b);
  env.close_block();
  const auto j = job(id);
  ASSERT_EQ(j.status(), v1::JOB_STATUS_ACCEPTED);
  // 1,000 x 10 + 10,000 = 20,000; the node share 14,000 goes to a alone; b earns score only.
  EXPECT_EQ(j.cost(), 20'000u);
  EXPECT_EQ(env.balance(a), a0 + 14'000);
  EXPECT_EQ(env.balance(b), b0);
  EXPECT_EQ(node_record(b).results_accepted(), 1u);
  EXPECT_EQ(view().epoch_stats(b.address()).compute_units(), 1'000u);
}

TEST_F(ComputeAuditTest, AuditorThatMissesIsSlashedAndTheResultStands) {
  const Account& a = node("a", 10);
  const Account& b = node("b", 20);
  const Account& clinic = env.account("clinic", 10 * kBtt);
  env.close_block();
  const uint64_t id = post(clinic, {});
  commit(a, id, "r");
  reveal(a, id, "r");
  env.close_block();
  const uint64_t deadline = job(id).reveal_deadline();
  while (env.height() <= deadline) env.close_block();
  const auto j = job(id);
  EXPECT_EQ(j.status(), v1::JOB_STATUS_ACCEPTED);
  EXPECT_EQ(node_record(b).bond(), kBond - kBond / 10);
  EXPECT_EQ(node_record(a).bond(), kBond);
}

}  // namespace
}  // namespace btt::testkit

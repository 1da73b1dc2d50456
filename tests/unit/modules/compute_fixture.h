#pragma once
// Shared helpers of the compute module tests: a TestEnv with small compute parameters, node
// registration, job posting and commit-reveal in one call each.
#include <gtest/gtest.h>

#include "btt/crypto/hash.h"
#include "btt/modules/compute/compute.h"
#include "btt/modules/compute/view.h"
#include "btt/modules/tokenomics/tokenomics.h"
#include "btt/modules/tokenomics/view.h"
#include "testkit/test_env.h"

namespace btt::testkit {

inline constexpr uint64_t kBtt = 100'000'000;
inline constexpr uint64_t kBond = 100 * kBtt;

// Small deadlines so tests run a few blocks: standard 20, priority 10, urgent 5; reveal 5.
inline nlohmann::json compute_section(uint32_t audit_bps = 0, uint64_t heartbeat = 1'000) {
  return {{"compute",
           {{"min_bond", std::to_string(kBond)},
            {"slash_bps", 1'000},
            {"audit_bps", audit_bps},
            {"heartbeat_interval_blocks", heartbeat},
            {"unbonding_blocks", 10},
            {"reveal_blocks", 5},
            {"data_fee_per_mib", 10'000},
            {"urgency",
             {{"standard", {{"multiplier_bps", 10'000}, {"deadline_blocks", 20}}},
              {"priority", {{"multiplier_bps", 15'000}, {"deadline_blocks", 10}}},
              {"urgent", {{"multiplier_bps", 25'000}, {"deadline_blocks", 5}}}}},
            {"attesters", nlohmann::json::array({test_key("attester").address.to_string()})}}}};
}

struct JobSpec {
  uint64_t cu = 1'000;
  uint64_t max_price = 50;
  uint32_t redundancy = 1;
  v1::Urgency urgency = v1::URGENCY_STANDARD;
  uint64_t input_size = 1;
  std::string accelerator = "gpu";
  std::vector<std::string> models;
  uint32_t min_memory_gb = 0;
  std::string kind = "panoramic-caries-v1";
};

inline nlohmann::json with_compute(const nlohmann::json& sections) {
  nlohmann::json out = compute_section();
  out.update(sections);
  return out;
}

class ComputeTest : public ::testing::Test {
 protected:
  explicit ComputeTest(uint32_t audit_bps = 0, uint64_t heartbeat = 1'000)
      : env(compute_section(audit_bps, heartbeat)) {}
  // With more genesis sections beside compute's ({"staking": ...}) and a genesis validator set.
  ComputeTest(const nlohmann::json& sections, std::vector<v1::Validator> validators)
      : env(with_compute(sections), std::move(validators)) {}

  TestEnv env;
  const uint64_t fee = env.params().min_fee();

  modules::compute::ComputeView view() { return modules::compute::ComputeView(env.ledger_state()); }

  static v1::Message register_msg(uint64_t price, std::string region = "DE",
                                  std::string kind = "gpu", std::string model = "H100",
                                  uint32_t memory = 80, uint64_t bond = kBond,
                                  uint32_t efficiency = 0) {
    v1::Message m;
    auto* r = m.mutable_register_node();
    r->mutable_hardware()->set_accelerator_kind(kind);
    r->mutable_hardware()->set_model(model);
    r->mutable_hardware()->set_memory_gb(memory);
    r->mutable_hardware()->set_count(1);
    r->set_region(region);
    r->set_energy_efficiency(efficiency);
    r->set_price_per_cu(price);
    r->set_bond(bond);
    return m;
  }
  const Account& node(const std::string& name, uint64_t price, std::string region = "DE",
                      std::string kind = "gpu", uint32_t efficiency = 0) {
    const Account& a = env.account(name, 1'000 * kBtt);
    env.apply(
        env.tx(a).message(register_msg(price, region, kind, "H100", 80, kBond, efficiency)).sign());
    return a;
  }
  static v1::Message post_msg(const JobSpec& s) {
    v1::Message m;
    auto* p = m.mutable_post_job();
    p->set_kind(s.kind);
    p->set_input_hash(to_bytes(crypto::sha256("input")));
    p->set_input_size(s.input_size);
    p->set_locator("file:///data/input.pgm");
    p->mutable_requirements()->set_accelerator_kind(s.accelerator);
    for (const auto& model : s.models) p->mutable_requirements()->add_models(model);
    p->mutable_requirements()->set_min_memory_gb(s.min_memory_gb);
    p->set_compute_units(s.cu);
    p->set_urgency(s.urgency);
    p->set_redundancy(s.redundancy);
    p->set_max_price_per_cu(s.max_price);
    return m;
  }
  // Posts and returns the new job's id.
  uint64_t post(const Account& provider, const JobSpec& s, Code expected = Code::kOk) {
    const uint64_t id = view().next_job_id();
    env.apply(env.tx(provider).message(post_msg(s)).sign(), expected);
    return id;
  }
  static Bytes result(const std::string& name) { return to_bytes(crypto::sha256(name)); }
  static Bytes salt_of(const Account& a) { return "salt-of-" + a.name + "-0123456789"; }
  v1::Message commit_msg(const Account& a, uint64_t job, const std::string& res) {
    v1::Message m;
    m.mutable_commit_result()->set_job_id(job);
    m.mutable_commit_result()->set_commitment(
        modules::compute::commitment(result(res), a.address(), salt_of(a)));
    return m;
  }
  v1::Message reveal_msg(const Account& a, uint64_t job, const std::string& res) {
    v1::Message m;
    m.mutable_reveal_result()->set_job_id(job);
    m.mutable_reveal_result()->set_result_hash(result(res));
    m.mutable_reveal_result()->set_salt(salt_of(a));
    return m;
  }
  void commit(const Account& a, uint64_t job, const std::string& res, Code c = Code::kOk) {
    env.apply(env.tx(a).message(commit_msg(a, job, res)).sign(), c);
  }
  void reveal(const Account& a, uint64_t job, const std::string& res, Code c = Code::kOk) {
    env.apply(env.tx(a).message(reveal_msg(a, job, res)).sign(), c);
  }
  v1::JobRecord job(uint64_t id) {
    auto j = view().job(id);
    EXPECT_TRUE(j.has_value()) << "no job " << id;
    return j.value_or(v1::JobRecord{});
  }
  v1::NodeRecord node_record(const Account& a) {
    auto n = view().node(a.address());
    EXPECT_TRUE(n.has_value()) << "no node " << a.name;
    return n.value_or(v1::NodeRecord{});
  }
  std::vector<std::string> replica_nodes(const v1::JobRecord& j) {
    std::vector<std::string> out;
    for (const auto& r : j.replicas()) out.push_back(r.node());
    return out;
  }
  uint64_t burned() { return modules::tokenomics::TokenomicsView(env.ledger_state()).burned(); }
  void blocks(uint64_t n) {
    for (uint64_t i = 0; i < n; ++i) env.close_block();
  }
};

}  // namespace btt::testkit

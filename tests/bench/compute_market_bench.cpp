// btt-bench-compute: compute market throughput through the real tx path (decode, signature,
// check, preclaim, apply, end-block), in memory (TestEnv without per-tx invariant checks).
//
// Registers N nodes (asks in 10 price levels), posts J single-replica jobs from 100 providers in
// blocks of B txs (each assigned as it is posted), commits and reveals every job, settles them
// in the end-blocks, then closes the epoch (reward distribution over the N nodes). Prints one
// figure a line as `name: value`; per-phase rates include signing each tx (the client's cost).
//
//   btt-bench-compute [--nodes N] [--jobs J] [--block-txs B]
#include <chrono>
#include <cstring>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "btt/crypto/hash.h"
#include "btt/modules/compute/compute.h"
#include "btt/modules/compute/view.h"
#include "testkit/test_env.h"

namespace {

using namespace btt;
using namespace btt::testkit;
using Clock = std::chrono::steady_clock;

constexpr uint64_t kBtt = 100'000'000;
constexpr size_t kProviders = 100;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

size_t arg(int argc, char** argv, const char* name, size_t fallback) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], name) == 0) return std::stoul(argv[i + 1]);
  }
  return fallback;
}

struct Phase {
  double apply_s = 0;  // signing + the tx path
  double close_s = 0;  // end-blocks and commits
  size_t failures = 0;
};

void report(const char* name, size_t n, const Phase& p) {
  std::cout << name << "_per_s: " << static_cast<uint64_t>(n / (p.apply_s + p.close_s)) << "\n"
            << name << "_end_block_us_per_item: " << (p.close_s * 1e6 / n) << "\n";
  if (p.failures) std::cout << name << "_failures: " << p.failures << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  const size_t nodes = arg(argc, argv, "--nodes", 1'000);
  const size_t jobs = arg(argc, argv, "--jobs", 100'000);
  const size_t block_txs = arg(argc, argv, "--block-txs", 1'000);

  const nlohmann::json section = {
      {"compute",
       {{"min_bond", std::to_string(100 * kBtt)},
        {"audit_bps", 0},
        {"heartbeat_interval_blocks", 1'000'000},
        {"urgency",
         {{"standard", {{"multiplier_bps", 10'000}, {"deadline_blocks", 1'000'000}}}}}}}};
  TestEnv env(section);
  env.set_check_invariants(false);

  std::vector<const Account*> node_accounts;
  std::map<std::string, const Account*> by_address;
  for (size_t i = 0; i < nodes; ++i) {
    const Account& a = env.account("node-" + std::to_string(i), 200 * kBtt);
    node_accounts.push_back(&a);
    by_address[a.addr()] = &a;
  }
  std::vector<const Account*> providers;
  for (size_t i = 0; i < kProviders; ++i) {
    providers.push_back(&env.account("clinic-" + std::to_string(i), 1'000 * kBtt));
  }
  env.close_block();

  // Runs `count` txs built by make(i), closing a block every block_txs.
  auto run = [&](size_t count, auto make) {
    Phase p;
    for (size_t i = 0; i < count; ++i) {
      auto t0 = Clock::now();
      auto out = env.apply(make(i), Code::kOk);
      if (!out.status.is_ok()) ++p.failures;
      p.apply_s += seconds_since(t0);
      if ((i + 1) % block_txs == 0 || i + 1 == count) {
        t0 = Clock::now();
        env.close_block();
        p.close_s += seconds_since(t0);
      }
    }
    return p;
  };

  const Phase reg = run(nodes, [&](size_t i) {
    v1::Message m;
    auto* r = m.mutable_register_node();
    r->mutable_hardware()->set_accelerator_kind("gpu");
    r->mutable_hardware()->set_model("H100");
    r->mutable_hardware()->set_memory_gb(80);
    r->mutable_hardware()->set_count(1);
    r->set_region(i % 3 == 0 ? "KE" : "DE");
    r->set_price_per_cu(10 + i % 10);
    r->set_bond(100 * kBtt);
    return env.tx(*node_accounts[i]).message(m).sign();
  });

  const uint64_t first_job = modules::compute::ComputeView(env.ledger_state()).next_job_id();
  const Phase post = run(jobs, [&](size_t i) {
    v1::Message m;
    auto* p = m.mutable_post_job();
    p->set_kind("panoramic-caries-v1");
    p->set_input_hash(to_bytes(crypto::sha256("input-" + std::to_string(i))));
    p->set_input_size(2'000'000);
    p->set_locator("file:///data/" + std::to_string(i) + ".pgm");
    p->mutable_requirements()->set_accelerator_kind("gpu");
    p->set_compute_units(100);
    p->set_redundancy(1);
    p->set_max_price_per_cu(20);
    return env.tx(*providers[i % kProviders]).message(m).sign();
  });

  // Who holds each job.
  std::vector<const Account*> holder(jobs);
  {
    modules::compute::ComputeView v(env.ledger_state());
    for (size_t i = 0; i < jobs; ++i) {
      auto j = v.job(first_job + i);
      holder[i] = j && j->replicas_size() > 0 ? by_address[j->replicas(0).node()] : nullptr;
    }
  }
  auto result_of = [](size_t i) { return to_bytes(crypto::sha256("result-" + std::to_string(i))); };
  const Bytes salt = "bench-salt-0123456789";
  const Phase commit = run(jobs, [&](size_t i) {
    v1::Message m;
    m.mutable_commit_result()->set_job_id(first_job + i);
    m.mutable_commit_result()->set_commitment(
        modules::compute::commitment(result_of(i), holder[i]->address(), salt));
    return env.tx(*holder[i]).message(m).sign();
  });
  const Phase reveal = run(jobs, [&](size_t i) {
    v1::Message m;
    m.mutable_reveal_result()->set_job_id(first_job + i);
    m.mutable_reveal_result()->set_result_hash(result_of(i));
    m.mutable_reveal_result()->set_salt(salt);
    return env.tx(*holder[i]).message(m).sign();
  });
  size_t accepted = 0;
  {
    modules::compute::ComputeView v(env.ledger_state());
    for (size_t i = 0; i < jobs; ++i) {
      auto j = v.job(first_job + i);
      if (j && j->status() == v1::JOB_STATUS_ACCEPTED) ++accepted;
    }
  }

  // Epoch close: every node that worked gets a score and a reward.
  const uint64_t day_ms = 86'400'000;
  env.advance_time(day_ms - (env.time_ms() - TestEnv::kGenesisTimeMs) % day_ms);
  auto t0 = Clock::now();
  env.close_block();
  const double epoch_s = seconds_since(t0);
  const auto rewards = modules::compute::ComputeView(env.ledger_state()).epoch_rewards(0);

  std::cout << "nodes: " << nodes << "\njobs: " << jobs << "\nblock_txs: " << block_txs << "\n";
  report("register", nodes, reg);
  report("post_and_assign", jobs, post);
  report("commit", jobs, commit);
  report("reveal_and_settle", jobs, reveal);
  std::cout << "jobs_accepted: " << accepted << "\n"
            << "epoch_close_ms: " << epoch_s * 1e3 << "\n"
            << "epoch_rewarded_nodes: " << rewards.rewards_size() << "\n"
            << "epoch_distributed: " << rewards.summary().distributed() << "\n";
  return accepted == jobs ? 0 : 1;
}

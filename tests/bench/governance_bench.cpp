// btt-bench-governance: what governance's budgeted tally costs per block and in total with many
// votes and the delegations behind them (issue 13 "Benchmark"; doc/governance.md "Benchmark").
//
// A TestEnv chain with the two staking validators of the unit tests; N voters each get 2 BTT,
// delegate 1 BTT (alternately to val-a and val-b) and vote (alternately yes and no) through the
// real handlers, then one proposal's voting period ends and every end-block is timed until its
// tally is whole and it is decided. Invariants are off (they scan every proposal). Prints one
// figure a line as `name: value`; the per-block figures also as a ratio to one BIP340 verify on
// one core measured in the same run (`*_in_verifies`), since this machine's speed varies.
//
//   btt-bench-governance [--voters N (default 100000)] [--budget B (default 2000)]
#include <algorithm>
#include <chrono>
#include <cstring>
#include <iostream>
#include <string>

#include "btt/modules/governance/view.h"
#include "unit/modules/staking_fixture.h"
#include "verify_bound.h"

namespace {

using namespace btt;
using namespace btt::testkit;
using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t voters = 100'000;
  uint64_t budget = 2'000;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--voters") == 0) voters = std::stoull(argv[i + 1]);
    if (std::strcmp(argv[i], "--budget") == 0) budget = std::stoull(argv[i + 1]);
  }
  constexpr uint64_t kVotingMs = 3'600'000;
  auto sections = staking_section();
  sections["governance"] = {{"params",
                             {{"min_deposit", std::to_string(kUnitsPerBtt)},
                              {"voting_period_ms", std::to_string(kVotingMs)},
                              {"expedited_voting_period_ms", "60000"},
                              {"tally_budget_per_block", budget}}}};
  TestEnv env(sections, staking_validators());
  env.set_check_invariants(false);
  const Account& faucet = env.account(TestEnv::kFaucet, 0);
  const auto val_a = test_key("val-a").address;
  const auto val_b = test_key("val-b").address;

  v1::Message submit;
  submit.mutable_submit_proposal()->set_title("bench");
  submit.mutable_submit_proposal()->add_actions()->set_text("bench");
  submit.mutable_submit_proposal()->set_initial_deposit(kUnitsPerBtt);
  env.apply(env.tx(faucet).message(submit).sign());

  const auto setup = Clock::now();
  for (uint64_t i = 0; i < voters; ++i) {
    const Account& v = env.account("voter" + std::to_string(i), 2 * kUnitsPerBtt);
    env.apply(env.tx(v).message(delegate_msg(i % 2 ? val_b : val_a, kUnitsPerBtt)).sign());
    v1::Message vote;
    vote.mutable_vote()->set_proposal_id(1);
    vote.mutable_vote()->set_option(i % 2 ? v1::VOTE_OPTION_NO : v1::VOTE_OPTION_YES);
    env.apply(env.tx(v).message(vote).sign());
    if (i % 2'000 == 1'999) env.close_block();
  }
  v1::Message vote;
  vote.mutable_vote()->set_proposal_id(1);
  vote.mutable_vote()->set_option(v1::VOTE_OPTION_YES);
  env.apply(env.tx(faucet).message(vote).sign());
  env.close_block();
  std::cout << "voters: " << voters << "\n"
            << "delegations: " << voters << "\n"
            << "tally_budget_per_block: " << budget << "\n"
            << "setup_s: " << ms_since(setup) / 1000 << "\n";

  env.advance_time(kVotingMs);
  double total_ms = 0;
  double max_ms = 0;
  uint64_t blocks = 0;
  for (;;) {
    const auto t = Clock::now();
    env.close_block();
    const double ms = ms_since(t);
    total_ms += ms;
    max_ms = std::max(max_ms, ms);
    ++blocks;
    auto p = modules::governance::GovernanceView(env.ledger_state()).proposal(1);
    if (!p || (p->status() != v1::PROPOSAL_STATUS_TALLYING &&
               p->status() != v1::PROPOSAL_STATUS_VOTING_PERIOD)) {
      std::cout << "status: "
                << v1::ProposalStatus_Name(p ? p->status() : v1::PROPOSAL_STATUS_UNSPECIFIED)
                << "\n"
                << "yes: " << p->final_tally().yes() << "\n"
                << "no: " << p->final_tally().no() << "\n";
      break;
    }
    if (blocks > 1'000'000) break;
  }
  std::cout << "tally_blocks: " << blocks << "\n"
            << "end_block_ms_max: " << max_ms << "\n"
            << "end_block_ms_avg: " << total_ms / static_cast<double>(blocks) << "\n"
            << "tally_total_ms: " << total_ms << "\n";
  const double verify_ms = bench::bip340_verify_us() / 1000;
  std::cout << "bip340_verify_us: " << verify_ms * 1000 << "\n"
            << "end_block_max_in_verifies: " << max_ms / verify_ms << "\n"
            << "end_block_avg_in_verifies: " << total_ms / static_cast<double>(blocks) / verify_ms
            << "\n"
            << "tally_per_vote_in_verifies: "
            << total_ms / static_cast<double>(voters + 1) / verify_ms << "\n";
  return 0;
}

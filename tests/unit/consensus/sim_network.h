#pragma once
// A simulated network and clock for the consensus state machine: N validators exchange messages
// through one event queue with seeded random delay (hence reordering), loss and partitions that
// heal; timeouts are events too. Nothing sleeps and nothing reads a real clock, so a run is a
// pure function of its config (seed included).
//
// Like the real node, each honest validator re-gossips the messages of its current height to a
// random peer every gossip interval (lost messages get through eventually) and answers a peer
// that announces a lower height with the commit of that height (catch-up). Byzantine validators
// run the same state machine but equivocate: every vote and proposal they send goes in one
// version to even-indexed peers and in a conflicting one (another block, or nil) to odd-indexed
// peers; they relay nothing, but ask for commits to catch up like everyone.
//
// Crash-restart (SimConfig::crashes): an honest node with a consensus WAL and a signer guard in
// files drops its state machine at a given time (losing, as configured, what a crash would lose
// from the WAL), is down for a while, then comes back like bttd: from its decided blocks, its
// signer guard file and a replay of its WAL.
#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "btt/common/bytes.h"
#include "btt/consensus/state_machine.h"

namespace btt::consensus::sim {

struct NetworkConditions {
  uint64_t min_delay_ms = 1;
  uint64_t max_delay_ms = 50;
  uint32_t loss_per_mille = 0;
};

// While active, nodes on different sides exchange nothing.
struct Partition {
  uint64_t start_ms = 0;
  uint64_t end_ms = 0;
  std::vector<int> side;  // side[node]
};

// An honest node crashes at `at_ms` and restarts `down_ms` later.
struct Crash {
  enum class Loss {
    kNone,      // the process dies: every write(2) is in the page cache and survives
    kUnsynced,  // power loss: the WAL keeps a random prefix of what was not fsynced
    kLastOwn,   // as if it died between the signer guard's write and the WAL's: the last own
                // record (and anything after it) may be lost too, though it was sent
  };
  size_t node = 0;
  uint64_t at_ms = 0;
  uint64_t down_ms = 0;
  Loss loss = Loss::kNone;
};

struct SimConfig {
  size_t validators = 4;
  std::set<size_t> byzantine;  // node indices (validator-set order)
  uint64_t seed = 1;
  NetworkConditions before_heal;
  NetworkConditions after_heal;
  std::vector<Partition> partitions;
  uint64_t heal_ms = 10'000;  // from here on: after_heal conditions, no partition
  uint64_t heights_after_heal = 3;
  uint64_t max_time_ms = 900'000;
  uint64_t evidence_grace_ms = 60'000;  // after liveness, how long to wait for evidence
  uint64_t commit_wait_ms = 500;
  uint64_t gossip_interval_ms = 700;
  TimeoutConfig timeouts{.propose_ms = 1000,
                         .propose_delta_ms = 250,
                         .prevote_ms = 500,
                         .prevote_delta_ms = 250,
                         .precommit_ms = 500,
                         .precommit_delta_ms = 250};

  // Validator set changes: from each height on, the power of every node (index as above; 0: not
  // in the set). Without an entry at or below a height, every node has power 1. A node outside
  // a height's set runs its state machine without signing and decides from what it hears.
  std::map<uint64_t, std::vector<uint64_t>> powers_from;
  uint64_t min_target_height = 0;  // liveness is checked up to at least this height

  std::vector<Crash> crashes;
  std::filesystem::path data_dir;  // with crashes: where the crashing nodes keep their files

  // A seeded random scenario: delays up to 600 ms, up to 30% loss and up to two partitions
  // before a heal between 4 and 12 s; then delays up to 100 ms and up to 5% loss.
  [[nodiscard]] static SimConfig random(size_t validators, size_t byzantine, uint64_t seed);
  // random(), plus one to three crashes of honest nodes between 0.2 s and 2 s after the heal,
  // each down for up to 2.5 s and losing a random kind of WAL tail.
  [[nodiscard]] static SimConfig random_with_crashes(size_t validators, size_t byzantine,
                                                     uint64_t seed, std::filesystem::path dir);
};

struct SimResult {
  std::vector<std::map<uint64_t, Bytes>> decisions;  // per node: height -> block id
  std::vector<bool> honest;
  std::vector<std::string> addresses;              // per node
  std::vector<std::set<uint64_t>> signed_heights;  // per honest node: heights it signed at
  std::vector<std::string> safety_violations;      // empty on a safe run
  uint64_t heal_height = 0;            // highest height any honest node had decided at the heal
  uint64_t target_height = 0;          // heal_height + heights_after_heal
  bool live = false;                   // every honest node decided every height up to the target
  std::set<std::string> equivocators;  // validators named by evidence honest nodes reported
  uint64_t evidence_reports = 0;
  uint64_t end_time_ms = 0;
  uint64_t events = 0;
  uint64_t messages_sent = 0;
  uint64_t messages_lost = 0;
  uint64_t max_round = 0;  // highest round any honest node reached
  // Crash-restart.
  uint64_t restarts = 0;
  uint64_t replays = 0;          // restarts that resumed a height from the WAL
  uint64_t replayed_inputs = 0;  // inputs fed again by those replays
  uint64_t own_resent = 0;       // own messages re-sent from the WAL
  uint64_t torn_tails = 0;       // restarts whose WAL ended in a torn record
  uint64_t exact_resumes = 0;    // replays after a loss-free crash that restored the exact state
  // Replays after a loss-free crash that did not come back to the state before the crash.
  std::vector<std::string> replay_mismatches;

  // One line for a failure message: seed, heights, rounds, traffic.
  [[nodiscard]] std::string summary() const;
  // Decisions and counters as text: equal for equal runs.
  [[nodiscard]] std::string fingerprint() const;
};

[[nodiscard]] SimResult run_simulation(const SimConfig& config);

}  // namespace btt::consensus::sim

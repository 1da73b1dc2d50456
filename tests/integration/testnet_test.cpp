// Multi-validator BFT with real bttd processes on 127.0.0.1 (doc/consensus.md, "Tests"): four
// validators commit blocks; with one down the chain goes on; with two down it halts without
// forking; a validator killed with SIGKILL while it is halted resumes its round from its
// consensus WAL; restarted, the chain resumes; a validator killed with SIGKILL mid-round and
// restarted never double-signs; a node whose data is wiped resyncs to the same state hash; a
// non-validator that joins late syncs. One scenario, so the network starts once.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <thread>
#include <tuple>

#include "btt/chain/validator_set.h"
#include "btt/consensus/signer_guard.h"
#include "btt/consensus/wal.h"
#include "btt/crypto/keyfile.h"
#include "btt/v1/consensus_query.grpc.pb.h"
#include "testkit/evidence_peer.h"
#include "testkit/node_api.h"
#include "testkit/process.h"
#include "testkit/temp_dir.h"
#include "testkit/txs.h"

namespace btt::testkit {
namespace {

constexpr const char* kChainId = "btt-testnet-it";

struct Net {
  std::vector<std::unique_ptr<NodeProcess>> nodes;
  std::vector<std::unique_ptr<NodeApi>> apis;
};

v1::EvidenceList get_evidence(NodeApi& api) {
  auto stub = v1::Consensus::NewStub(api.channel());
  grpc::ClientContext ctx;
  set_deadline(ctx);
  v1::EvidenceList out;
  auto s = stub->GetEvidence(&ctx, v1::GetEvidenceRequest(), &out);
  if (!s.ok()) throw std::runtime_error("GetEvidence: " + s.error_message());
  return out;
}

size_t evidence_count(NodeApi& api) {
  auto list = get_evidence(api);
  return static_cast<size_t>(list.pending_size() + list.committed_size());
}

v1::ConsensusState consensus_state(NodeApi& api) {
  auto stub = v1::Consensus::NewStub(api.channel());
  grpc::ClientContext ctx;
  set_deadline(ctx);
  v1::ConsensusState out;
  auto s = stub->GetConsensusState(&ctx, v1::GetConsensusStateRequest(), &out);
  if (!s.ok()) throw std::runtime_error("GetConsensusState: " + s.error_message());
  return out;
}

std::pair<grpc::Status, v1::Validators> get_validators(NodeApi& api, uint64_t height) {
  auto stub = v1::Consensus::NewStub(api.channel());
  grpc::ClientContext ctx;
  set_deadline(ctx);
  v1::GetValidatorsRequest req;
  req.set_height(height);
  v1::Validators out;
  auto s = stub->GetValidators(&ctx, req, &out);
  return {s, out};
}

std::tuple<uint64_t, uint32_t, int> round_and_step(const v1::ConsensusState& s) {
  const int step = s.step() == "propose" ? 1 : s.step() == "prevote" ? 2 : 3;
  return {s.height(), s.round(), step};
}

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

size_t count_in_log(const NodeProcess& node, std::string_view needle) {
  const std::string log = slurp(node.log_path());
  size_t n = 0;
  for (size_t at = log.find(needle); at != std::string::npos; at = log.find(needle, at + 1)) ++n;
  return n;
}

// The signer guard file and the consensus WAL of a stopped validator agree: no two own messages
// in the WAL for one height/round/step differ, and the last one is what the guard recorded (or
// the guard is one step ahead: SIGKILL between the guard's write and the WAL's). Returns the
// guard's record.
v1::SignerState check_guard_and_wal(const std::filesystem::path& data) {
  auto guard = consensus::SignerGuard::decode(slurp(data / "signer_state"));
  EXPECT_TRUE(guard) << guard.status().message();
  if (!guard) return {};
  auto wal = consensus::Wal::read(data / "cs.wal");
  EXPECT_TRUE(wal) << wal.status().message();
  if (!wal) return *guard;
  EXPECT_NE(wal->end, consensus::WalContents::End::kCorrupt) << wal->problem;
  std::map<std::tuple<uint64_t, uint32_t, uint32_t>, std::pair<std::string, std::string>> own;
  std::tuple<uint64_t, uint32_t, uint32_t> last{};
  for (const auto& r : wal->records) {
    std::tuple<uint64_t, uint32_t, uint32_t> hrs;
    std::pair<std::string, std::string> what;
    if (r.has_own_proposal()) {
      hrs = {r.own_proposal().height(), r.own_proposal().round(), 1};
      what = {r.own_proposal().block_id(), r.own_proposal().signature()};
    } else if (r.has_own_vote()) {
      hrs = {r.own_vote().height(), r.own_vote().round(),
             r.own_vote().type() == v1::PREVOTE ? 2u : 3u};
      what = {r.own_vote().block_id(), r.own_vote().signature()};
    } else {
      continue;
    }
    auto [it, fresh] = own.emplace(hrs, what);
    EXPECT_TRUE(fresh || it->second == what) << "two different own messages in the WAL";
    last = std::max(last, hrs);
  }
  const std::tuple<uint64_t, uint32_t, uint32_t> g{guard->height(), guard->round(), guard->step()};
  EXPECT_LE(last, g) << "the WAL holds an own message the guard never recorded";
  if (!own.empty() && last == g) {
    EXPECT_EQ(own[last].first, guard->block_id());
    EXPECT_EQ(own[last].second, guard->signature());
  }
  return *guard;
}

TEST(TestnetTest, FourValidatorsToleratesFailuresNeverForksAndResyncs) {
  TempDir dir("btt-testnet-it");
  const std::vector<uint16_t> ports = init_testnet(dir.path(), 4, 1, kChainId, 100);
  ASSERT_EQ(ports.size(), 5u);
  Net net;
  for (size_t i = 0; i < 5; ++i) {
    net.nodes.push_back(
        std::make_unique<NodeProcess>(dir.path() / ("node" + std::to_string(i)), ports[i]));
    net.apis.push_back(std::make_unique<NodeApi>(net.nodes[i]->address()));
  }
  auto& n = net.nodes;
  auto& a = net.apis;
  for (size_t i = 0; i < 4; ++i) n[i]->start();

  // 1. Four validators commit blocks, and a transfer sent to one node commits everywhere.
  ASSERT_TRUE(wait_height(*a[0], 3, 30)) << n[0]->log_tail();
  auto dev = *crypto::read_key_file(dir.path() / "dev.json");
  auto bob = crypto::KeyPair::generate();
  v1::BroadcastTxResponse resp;
  auto s = a[1]->broadcast(
      signed_transfer(dev, {.chain_id = kChainId, .to = bob.address.to_string(), .amount = 777}),
      true, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_TRUE(resp.committed());
  for (size_t i = 0; i < 4; ++i) {
    ASSERT_TRUE(wait_height(*a[i], height_of(*a[1]), 20));
    EXPECT_EQ(a[i]->balance(bob.address.to_string()), 777u) << "node" << i;
  }
  // a[0] may already be a block ahead of the others: wait for each to reach h1 first.
  const uint64_t h1 = height_of(*a[0]);
  for (size_t i = 1; i < 4; ++i) {
    ASSERT_TRUE(wait_height(*a[i], h1, 20));
    EXPECT_EQ(block_hash_at(*a[i], h1), block_hash_at(*a[0], h1)) << "node" << i;
  }

  // 2. One validator stops: the other three (30 of 40 power) go on.
  EXPECT_EQ(n[3]->stop(), 0);
  uint64_t h2 = height_of(*a[0]);
  ASSERT_TRUE(wait_height(*a[0], h2 + 3, 30)) << n[0]->log_tail();

  // 3. A second one dies (SIGKILL): 20 of 40 is no quorum, the chain halts without forking.
  n[2]->kill9();
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  const uint64_t halted = height_of(*a[0]);
  std::this_thread::sleep_for(std::chrono::seconds(3));
  EXPECT_LE(height_of(*a[0]), halted + 1);
  EXPECT_LE(height_of(*a[1]), halted + 1);
  const uint64_t common = std::min(height_of(*a[0]), height_of(*a[1]));
  for (uint64_t h = 1; h <= common; ++h) {
    ASSERT_EQ(block_hash_at(*a[0], h), block_hash_at(*a[1], h)) << "fork at height " << h;
  }

  // 3b. While the chain is halted, validator 1 dies (SIGKILL) in the middle of its round. Its
  // signer guard file and WAL agree on what it signed; restarted, it replays the WAL and is back
  // in the round and step it had (without the WAL it would start over at round 0, propose step).
  {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (height_of(*a[1]) != height_of(*a[0]) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_EQ(height_of(*a[1]), height_of(*a[0]));
    const v1::ConsensusState before = consensus_state(*a[1]);
    const size_t replays = count_in_log(*n[1], "consensus WAL: replayed");
    n[1]->kill9();
    const v1::SignerState guard = check_guard_and_wal(n[1]->home() / "data");
    EXPECT_EQ(guard.height(), before.height()) << "it signed at the halted height";
    n[1]->start();
    bool replayed = false;
    for (int i = 0; i < 100 && !replayed; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      replayed = count_in_log(*n[1], "consensus WAL: replayed") > replays;
    }
    ASSERT_TRUE(replayed) << n[1]->log_tail();
    const v1::ConsensusState after = consensus_state(*a[1]);
    EXPECT_GE(round_and_step(after), round_and_step(before))
        << "before: " << before.ShortDebugString() << "\nafter: " << after.ShortDebugString();
    EXPECT_EQ(after.locked_round(), before.locked_round());
  }

  // 4. Both come back: the chain resumes, and the stopped ones catch up.
  n[2]->start();
  n[3]->start();
  ASSERT_TRUE(wait_height(*a[0], common + 3, 40)) << n[0]->log_tail();
  ASSERT_TRUE(wait_height(*a[3], common + 3, 40)) << n[3]->log_tail();

  // 5. A validator killed with SIGKILL mid-round and restarted never double-signs: its signer
  // guard answers a repeated request with the recorded signature and refuses a conflicting one,
  // so no node ever sees two different votes from it (evidence), and its guard file and WAL
  // agree after each kill.
  for (int k = 0; k < 2; ++k) {
    std::this_thread::sleep_for(std::chrono::milliseconds(170 + 130 * k));
    n[1]->kill9();
    (void)check_guard_and_wal(n[1]->home() / "data");
    n[1]->start();
  }
  uint64_t h5 = height_of(*a[0]);
  ASSERT_TRUE(wait_height(*a[1], h5 + 2, 40)) << n[1]->log_tail();
  for (size_t i = 0; i < 4; ++i) EXPECT_EQ(evidence_count(*a[i]), 0u) << "node" << i;

  // 6. A validator's data directory is wiped: it resyncs from its peers to the same state.
  EXPECT_EQ(n[3]->stop(), 0);
  std::filesystem::remove_all(n[3]->home() / "data");
  n[3]->start();
  const uint64_t h6 = height_of(*a[0]);
  ASSERT_TRUE(wait_height(*a[3], h6, 60)) << n[3]->log_tail();
  {
    auto b0 = a[0]->block(h6);
    auto b3 = a[3]->block(h6);
    ASSERT_TRUE(b0 && b3);
    EXPECT_EQ(b3->hash(), b0->hash());
    EXPECT_EQ(b3->header().state_hash(), b0->header().state_hash());
  }
  EXPECT_EQ(a[3]->balance(bob.address.to_string()), 777u);

  // 7. A non-validator joins late and syncs, then follows the tip.
  n[4]->start();
  const uint64_t h7 = height_of(*a[0]) + 1;
  ASSERT_TRUE(wait_height(*a[4], h7, 60)) << n[4]->log_tail();
  ASSERT_TRUE(wait_height(*a[0], h7, 20));
  EXPECT_EQ(block_hash_at(*a[4], h7), block_hash_at(*a[0], h7));
  EXPECT_EQ(a[4]->balance(bob.address.to_string()), 777u);
  for (size_t i = 0; i < 5; ++i) EXPECT_EQ(evidence_count(*a[i]), 0u) << "node" << i;

  // 7b. The validator set of a height, as every node reports it: the next height's by default,
  // any kept height by number, not beyond the tip + 2; each header carries its hash.
  {
    EXPECT_EQ(consensus_state(*a[4]).mode(), "follower");
    auto [s0, next] = get_validators(*a[4], 0);
    ASSERT_TRUE(s0.ok()) << s0.error_message();
    EXPECT_EQ(next.set_height(), next.height() + 1);
    EXPECT_EQ(next.validators_size(), 4);
    EXPECT_EQ(next.total_power(), 40u);
    auto [s1, first] = get_validators(*a[0], 1);
    ASSERT_TRUE(s1.ok()) << s1.error_message();
    EXPECT_EQ(first.set_height(), 1u);
    std::vector<v1::Validator> members(first.validators().begin(), first.validators().end());
    auto set = chain::ValidatorSet::create(members);
    ASSERT_TRUE(set.is_ok());
    EXPECT_EQ(first.proposer(), set->proposer(1, 0).address);
    auto b = a[0]->block(h7);
    ASSERT_TRUE(b.has_value());
    EXPECT_EQ(b->header().validators_hash(), to_bytes(chain::validator_set_hash(*set)));
    EXPECT_EQ(b->header().next_validators_hash(), b->header().validators_hash());
    EXPECT_EQ(b->header().last_commit_hash().size(), 32u);
    auto [far_status, far] = get_validators(*a[0], height_of(*a[0]) + 100);
    EXPECT_EQ(far_status.error_code(), grpc::StatusCode::NOT_FOUND) << far.ShortDebugString();
  }

  // 8. Evidence: validator 2's key signs two different prevotes for one height and round, and a
  // peer hands them to node 0 over p2p. Node 0 verifies and gossips them, a proposer puts them in
  // a block, and every node (the non-validator too) reports them committed, at the height that
  // included them, through Consensus.GetEvidence.
  {
    auto byzantine = *crypto::read_key_file(dir.path() / "node2" / "keys" / "validator.json");
    const uint64_t h = height_of(*a[0]) - 1;
    auto peer = send_double_vote(dir.path() / "node0", kChainId, byzantine, h);

    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    std::vector<bool> seen(5, false);
    while (std::chrono::steady_clock::now() < deadline &&
           std::find(seen.begin(), seen.end(), false) != seen.end()) {
      for (size_t i = 0; i < 5; ++i) {
        if (seen[i]) continue;
        const v1::EvidenceList list = get_evidence(*a[i]);
        for (const auto& r : list.committed()) {
          if (r.validator() == byzantine.address.to_string() && r.height() == h) {
            EXPECT_GT(r.included_height(), h);
            EXPECT_EQ(r.power(), 10u);
            auto block = a[i]->block(r.included_height());
            ASSERT_TRUE(block.has_value());
            EXPECT_EQ(block->block().evidence_size(), 1) << "node" << i;
            seen[i] = true;
          }
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    peer->stop();
    for (size_t i = 0; i < 5; ++i) EXPECT_TRUE(seen[i]) << "node" << i << n[i]->log_tail();
  }

  for (auto& node : n) {
    if (node->running()) {
      EXPECT_EQ(node->stop(), 0) << node->log_tail();
    }
  }
}

}  // namespace
}  // namespace btt::testkit

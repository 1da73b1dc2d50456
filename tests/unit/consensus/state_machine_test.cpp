// The state machine driven by hand: one node, messages fed one by one, actions recorded.
#include <gtest/gtest.h>

#include <functional>

#include "btt/chain/part_set.h"
#include "btt/consensus/signer_guard.h"
#include "btt/consensus/state_machine.h"
#include "btt/consensus/wal.h"
#include "sm_snapshot.h"
#include "testkit/temp_dir.h"
#include "testkit/validators.h"

namespace btt::consensus {
namespace {

using testkit::kChainId;
using testkit::make_validators;
using testkit::signed_vote;

class ManualClock final : public Clock {
 public:
  uint64_t now_ms() const override { return now; }
  uint64_t now = 1000;
};

// Blocks are any bytes starting with "ok"; the id is tagged_hash("btt/test/block", bytes).
class TestSource final : public ProposalSource {
 public:
  Result<ProposedBlock> propose(uint64_t height, chain::Round round) override {
    ++proposals;
    return make("ok-mine" + salt + "-" + std::to_string(height) + "-" + std::to_string(round));
  }
  bool validate(uint64_t, const Bytes& block_id, const Bytes& block) override {
    ++validations;
    return block.rfind("ok", 0) == 0 && make(block).block_id == block_id;
  }
  static ProposedBlock make(const Bytes& block) {
    return {to_bytes(crypto::tagged_hash("btt/test/block", block)), block};
  }
  int validations = 0;
  int proposals = 0;
  std::string salt;  // changes what propose() returns (as a mempool would after a restart)
};

// The WAL in memory; optionally failing every write.
struct MemoryWal final : WalSink {
  Status append(const v1::WalRecord& r) override {
    if (fail) return Status(Code::kStorage, "disk full");
    records.push_back(r);
    return Status::ok();
  }
  [[nodiscard]] size_t count(v1::WalRecord::RecordCase kind) const {
    size_t n = 0;
    for (const auto& r : records) n += r.record_case() == kind ? 1 : 0;
    return n;
  }
  std::vector<v1::WalRecord> records;
  bool fail = false;
};

struct Recorder final : Actions {
  void broadcast_proposal(const v1::Proposal& p) override { proposals.push_back(p); }
  void broadcast_vote(const v1::Vote& v) override { votes.push_back(v); }
  void schedule_timeout(uint64_t ms, uint64_t h, chain::Round r, chain::Step s) override {
    timeouts.push_back({ms, h, r, s});
  }
  void decide(uint64_t h, chain::Round r, const Bytes& id, const Bytes& block,
              const v1::Commit& commit) override {
    decisions.push_back({h, r, id, block, commit});
  }
  void report_evidence(const v1::Evidence& ev) override { evidence.push_back(ev); }
  void signing_failed(const Status& s) override { signing_errors.push_back(s.message()); }

  struct TimeoutCall {
    uint64_t ms;
    uint64_t height;
    chain::Round round;
    chain::Step step;
  };
  struct Decision {
    uint64_t height;
    chain::Round round;
    Bytes block_id;
    Bytes block;
    v1::Commit commit;
  };
  [[nodiscard]] std::vector<v1::Vote> votes_of(v1::VoteType t, chain::Round r) const {
    std::vector<v1::Vote> out;
    for (const auto& v : votes) {
      if (v.type() == t && static_cast<chain::Round>(v.round()) == r) out.push_back(v);
    }
    return out;
  }
  std::vector<v1::Proposal> proposals;
  std::vector<v1::Vote> votes;
  std::vector<TimeoutCall> timeouts;
  std::vector<Decision> decisions;
  std::vector<v1::Evidence> evidence;
  std::vector<std::string> signing_errors;
};

// A signer that refuses everything, as a guard would after a conflict.
class RefusingSigner final : public chain::Signer {
 public:
  explicit RefusingSigner(std::string address) : address_(std::move(address)) {}
  const std::string& address() const override { return address_; }
  Status sign_vote(std::string_view, v1::Vote&) override { return refuse(); }
  Status sign_proposal(std::string_view, v1::Proposal&) override { return refuse(); }

 private:
  static Status refuse() { return Status(Code::kInvalidArgument, "refused by test signer"); }
  std::string address_;
};

class ConsensusStateMachineTest : public ::testing::Test {
 protected:
  // Four validators of power 1; this node is validator `me`. At height 1 the proposers of rounds
  // 0, 1, 2, 3 are validators 3, 2, 1, 0 (ValidatorSet.ProposerOrderEqualPowers).
  void make_node(size_t me = 0, StateMachineConfig config = {}) {
    config.chain_id = std::string(kChainId);
    signer = std::make_unique<chain::KeySigner>(tv.keys[me], true);
    sm = std::make_unique<StateMachine>(config, signer.get(), source, rec, clock);
  }
  v1::Proposal proposal(size_t from, uint64_t height, uint32_t round, const Bytes& block,
                        int64_t pol_round = -1) {
    v1::Proposal p;
    p.set_height(height);
    p.set_round(round);
    p.set_pol_round(pol_round);
    p.set_block_id(TestSource::make(block).block_id);
    p.set_block(block);
    if (auto parts = chain::part_set_header(block)) *p.mutable_parts() = *parts;
    p.set_proposer(tv.keys[from].address.to_string());
    p.set_timestamp_ms(5);
    chain::KeySigner s(tv.keys[from], true);
    EXPECT_TRUE(s.sign_proposal(kChainId, p).is_ok());
    return p;
  }
  v1::Vote vote(size_t from, v1::VoteType type, uint64_t height, uint32_t round,
                const Bytes& block) {
    return signed_vote(tv.keys[from], type, height, round,
                       block.empty() ? Bytes() : TestSource::make(block).block_id);
  }
  static Bytes id_of(const Bytes& block) { return TestSource::make(block).block_id; }
  // A fresh validator `me` writing to `wal`, started at height 1.
  void start_logged(MemoryWal& wal, size_t me = 0) {
    make_node(me);
    sm->set_wal(&wal);
    sm->start_height(1, tv.set);
  }
  void expect_accepted(const Verdict& v) {
    EXPECT_EQ(v.kind, Verdict::Kind::kAccepted) << v.reason;
  }

  testkit::TestValidators tv = make_validators({1, 1, 1, 1});
  TestSource source;
  Recorder rec;
  ManualClock clock;
  std::unique_ptr<chain::Signer> signer;
  std::unique_ptr<StateMachine> sm;
};

TEST_F(ConsensusStateMachineTest, ProposerOrderAssumedByTheseTests) {
  EXPECT_EQ(tv.set.proposer_index(1, 0), 3u);
  EXPECT_EQ(tv.set.proposer_index(1, 1), 2u);
  EXPECT_EQ(tv.set.proposer_index(1, 2), 1u);
  EXPECT_EQ(tv.set.proposer_index(1, 3), 0u);
}

TEST_F(ConsensusStateMachineTest, SingleValidatorDecidesAtOnce) {
  tv = make_validators({10});
  make_node(0);
  sm->start_height(1, tv.set);
  ASSERT_EQ(rec.proposals.size(), 1u);
  ASSERT_EQ(rec.votes.size(), 2u);  // its prevote and precommit
  ASSERT_EQ(rec.decisions.size(), 1u);
  const auto& d = rec.decisions[0];
  EXPECT_EQ(d.height, 1u);
  EXPECT_EQ(d.round, 0);
  EXPECT_EQ(d.block, "ok-mine-1-0");
  EXPECT_TRUE(chain::verify_commit(tv.set, kChainId, 1, d.block_id, d.commit).is_ok());
  sm->start_height(2, tv.set);
  EXPECT_EQ(rec.decisions.size(), 2u);
  EXPECT_EQ(rec.decisions[1].height, 2u);
}

TEST_F(ConsensusStateMachineTest, HappyPathWithPeers) {
  make_node(0);
  sm->start_height(1, tv.set);
  EXPECT_TRUE(rec.proposals.empty());  // validator 3 proposes round 0
  ASSERT_EQ(rec.timeouts.size(), 1u);
  EXPECT_EQ(rec.timeouts[0].step, chain::Step::kPropose);
  expect_accepted(sm->on_proposal(proposal(3, 1, 0, "ok-a")));
  ASSERT_EQ(rec.votes_of(v1::PREVOTE, 0).size(), 1u);
  EXPECT_EQ(rec.votes_of(v1::PREVOTE, 0)[0].block_id(), id_of("ok-a"));
  expect_accepted(sm->on_vote(vote(1, v1::PREVOTE, 1, 0, "ok-a")));
  EXPECT_TRUE(rec.votes_of(v1::PRECOMMIT, 0).empty());
  expect_accepted(sm->on_vote(vote(2, v1::PREVOTE, 1, 0, "ok-a")));
  ASSERT_EQ(rec.votes_of(v1::PRECOMMIT, 0).size(), 1u);  // +2/3 prevotes: lock and precommit
  EXPECT_EQ(sm->locked_round(), 0);
  EXPECT_EQ(sm->locked_block_id(), id_of("ok-a"));
  expect_accepted(sm->on_vote(vote(1, v1::PRECOMMIT, 1, 0, "ok-a")));
  EXPECT_TRUE(rec.decisions.empty());
  expect_accepted(sm->on_vote(vote(3, v1::PRECOMMIT, 1, 0, "ok-a")));
  ASSERT_EQ(rec.decisions.size(), 1u);
  EXPECT_EQ(rec.decisions[0].block, "ok-a");
  EXPECT_EQ(rec.decisions[0].commit.signatures_size(), 3);
  EXPECT_EQ(source.validations, 1);  // valid(v) asked once
}

// The next proposer's last_commit holds the precommits that came after the decision too: before
// the next height starts and after it (as a previous-height vote).
TEST_F(ConsensusStateMachineTest, PreviousCommitTakesLatePrecommits) {
  make_node(0);
  sm->start_height(1, tv.set);
  expect_accepted(sm->on_proposal(proposal(3, 1, 0, "ok-a")));
  expect_accepted(sm->on_vote(vote(1, v1::PREVOTE, 1, 0, "ok-a")));
  expect_accepted(sm->on_vote(vote(2, v1::PREVOTE, 1, 0, "ok-a")));
  expect_accepted(sm->on_vote(vote(1, v1::PRECOMMIT, 1, 0, "ok-a")));
  expect_accepted(sm->on_vote(vote(3, v1::PRECOMMIT, 1, 0, "ok-a")));
  ASSERT_EQ(rec.decisions.size(), 1u);
  EXPECT_EQ(rec.decisions[0].commit.signatures_size(), 3);
  EXPECT_FALSE(sm->previous_commit(0, id_of("ok-a")));  // height 1 is still the current one

  // Validator 2's precommit arrives in the pause after the decision.
  expect_accepted(sm->on_vote(vote(2, v1::PRECOMMIT, 1, 0, "ok-a")));
  sm->start_height(2, tv.set);
  auto commit = sm->previous_commit(0, id_of("ok-a"));
  ASSERT_TRUE(commit);
  EXPECT_EQ(commit->signatures_size(), 4);
  EXPECT_TRUE(chain::verify_commit(tv.set, kChainId, 1, id_of("ok-a"), *commit).is_ok());
  EXPECT_FALSE(sm->previous_commit(0, id_of("ok-b")));  // not the decided block
  EXPECT_FALSE(sm->previous_commit(1, id_of("ok-a")));  // a round it did not hold
}

// A precommit that arrives once the next height has started still joins the previous commit.
TEST_F(ConsensusStateMachineTest, PreviousCommitTakesAPrecommitAfterTheNextHeightStarted) {
  make_node(0);
  sm->start_height(1, tv.set);
  expect_accepted(sm->on_proposal(proposal(3, 1, 0, "ok-a")));
  expect_accepted(sm->on_vote(vote(1, v1::PREVOTE, 1, 0, "ok-a")));
  expect_accepted(sm->on_vote(vote(2, v1::PREVOTE, 1, 0, "ok-a")));
  expect_accepted(sm->on_vote(vote(1, v1::PRECOMMIT, 1, 0, "ok-a")));
  expect_accepted(sm->on_vote(vote(3, v1::PRECOMMIT, 1, 0, "ok-a")));
  sm->start_height(2, tv.set);
  EXPECT_EQ(sm->previous_commit(0, id_of("ok-a"))->signatures_size(), 3);
  expect_accepted(sm->on_vote(vote(2, v1::PRECOMMIT, 1, 0, "ok-a")));
  EXPECT_EQ(sm->previous_commit(0, id_of("ok-a"))->signatures_size(), 4);
}

TEST_F(ConsensusStateMachineTest, DropsBadMessagesWithAReason) {
  make_node(0);
  sm->start_height(2, tv.set);
  auto stranger = testkit::test_key("stranger");
  Verdict v = sm->on_vote(signed_vote(stranger, v1::PREVOTE, 2, 0, Bytes()));
  EXPECT_TRUE(v.dropped());
  EXPECT_NE(v.reason.find("not a validator"), std::string::npos) << v.reason;

  v1::Vote forged = vote(1, v1::PREVOTE, 2, 0, "ok-a");
  forged.set_validator(tv.keys[2].address.to_string());
  v = sm->on_vote(forged);
  EXPECT_TRUE(v.dropped());
  EXPECT_NE(v.reason.find("does not verify"), std::string::npos) << v.reason;

  v = sm->on_vote(vote(1, v1::PREVOTE, 1, 0, "ok-a"));
  EXPECT_TRUE(v.dropped());
  EXPECT_NE(v.reason.find("old height"), std::string::npos) << v.reason;

  const size_t proposer = tv.set.proposer_index(2, 0);
  v = sm->on_proposal(proposal((proposer + 1) % 4, 2, 0, "ok-a"));
  EXPECT_TRUE(v.dropped());
  EXPECT_NE(v.reason.find("not the proposer"), std::string::npos) << v.reason;

  v1::Proposal bad_sig = proposal(proposer, 2, 0, "ok-a");
  bad_sig.set_timestamp_ms(6);
  v = sm->on_proposal(bad_sig);
  EXPECT_TRUE(v.dropped());
  EXPECT_NE(v.reason.find("signature"), std::string::npos) << v.reason;

  v = sm->on_proposal(proposal(proposer, 2, 0, "ok-a", 0));  // pol_round must be < round
  EXPECT_TRUE(v.dropped());

  v = sm->on_vote(vote(1, v1::PREVOTE, 2, 5000, "ok-a"));
  EXPECT_TRUE(v.dropped());
  EXPECT_NE(v.reason.find("too far ahead"), std::string::npos) << v.reason;

  const v1::Vote good = vote(1, v1::PREVOTE, 2, 0, "ok-a");
  expect_accepted(sm->on_vote(good));
  EXPECT_EQ(sm->on_vote(good).kind, Verdict::Kind::kDuplicate);
}

TEST_F(ConsensusStateMachineTest, OwnProposalCarriesThePartsOfItsBlock) {
  tv = make_validators({10});
  make_node(0);
  sm->start_height(1, tv.set);
  ASSERT_EQ(rec.proposals.size(), 1u);
  const v1::Proposal& p = rec.proposals[0];
  auto want = chain::part_set_header(p.block());
  ASSERT_TRUE(want.is_ok());
  EXPECT_EQ(p.parts().total(), 1u);
  EXPECT_EQ(p.parts().root(), want->root());
  EXPECT_TRUE(chain::Bip340Verifier().verify(tv.keys[0].public_key,
                                             chain::proposal_digest(kChainId, p), p.signature()));
}

TEST_F(ConsensusStateMachineTest, ProposalWhosePartsDoNotMatchItsBlockIsDropped) {
  make_node(0);
  sm->start_height(1, tv.set);
  // Signed by the proposer, but the parts header is another block's: dropped, nothing counted.
  v1::Proposal p = proposal(3, 1, 0, "ok-a");
  *p.mutable_parts() = *chain::part_set_header("ok-b");
  chain::KeySigner s(tv.keys[3], true);
  ASSERT_TRUE(s.sign_proposal(kChainId, p).is_ok());
  EXPECT_TRUE(sm->check_proposal_header(p).kind == Verdict::Kind::kAccepted);
  Verdict v = sm->on_proposal(p);
  EXPECT_EQ(v.kind, Verdict::Kind::kDropped);
  EXPECT_EQ(v.reason, "proposal parts header does not match its block");
  EXPECT_TRUE(rec.votes_of(v1::PREVOTE, 0).empty());
  // No parts header at all: dropped before the signature.
  v1::Proposal bare = proposal(3, 1, 0, "ok-a");
  bare.clear_parts();
  EXPECT_EQ(sm->on_proposal(bare).reason, "proposal parts header is malformed");
  // The right one is accepted.
  expect_accepted(sm->on_proposal(proposal(3, 1, 0, "ok-a")));
  EXPECT_EQ(rec.votes_of(v1::PREVOTE, 0).size(), 1u);
}

TEST_F(ConsensusStateMachineTest, PartsHeaderIsSigned) {
  make_node(0);
  sm->start_height(1, tv.set);
  const v1::Proposal good = proposal(3, 1, 0, "ok-a");
  v1::Proposal p = good;
  p.mutable_parts()->set_total(2);
  EXPECT_EQ(sm->check_proposal_header(p).reason, "proposal signature does not verify");
  p = good;
  p.mutable_parts()->mutable_root()->at(0) ^= 1;
  EXPECT_EQ(sm->check_proposal_header(p).reason, "proposal signature does not verify");
  EXPECT_EQ(sm->on_proposal(p).reason, "proposal signature does not verify");
}

TEST_F(ConsensusStateMachineTest, CheckProposalHeaderChangesNothing) {
  make_node(0);
  sm->start_height(1, tv.set);
  v1::Proposal header = proposal(3, 1, 0, "ok-a");
  header.clear_block();  // as it arrives from the wire
  expect_accepted(sm->check_proposal_header(header));
  expect_accepted(sm->check_proposal_header(header));
  EXPECT_TRUE(rec.votes.empty());
  EXPECT_TRUE(sm->messages().proposals.empty());
  // Not the proposer of the round; another height.
  EXPECT_EQ(sm->check_proposal_header(proposal(2, 1, 0, "ok-a")).kind, Verdict::Kind::kDropped);
  EXPECT_EQ(sm->check_proposal_header(proposal(3, 2, 0, "ok-a")).kind, Verdict::Kind::kDropped);
  // Once the round holds the proposal, its header is a duplicate.
  expect_accepted(sm->on_proposal(proposal(3, 1, 0, "ok-a")));
  EXPECT_EQ(sm->check_proposal_header(header).kind, Verdict::Kind::kDuplicate);
}

// A header of the next height is checked against this height's validators: the right proposer
// and signature pass; anyone else, another height or a bad signature does not; nothing changes.
TEST_F(ConsensusStateMachineTest, CheckNextHeightHeaderByThisHeightsValidators) {
  make_node(0);
  sm->start_height(1, tv.set);
  const size_t next_proposer = tv.set.proposer_index(2, 1);
  const size_t other = (next_proposer + 1) % tv.keys.size();
  v1::Proposal header = proposal(next_proposer, 2, 1, "ok-b");
  header.clear_block();
  expect_accepted(sm->check_next_height_header(header));
  EXPECT_TRUE(sm->check_next_height_header(proposal(other, 2, 1, "ok-b")).dropped());
  EXPECT_TRUE(sm->check_next_height_header(proposal(next_proposer, 3, 1, "ok-b")).dropped());
  EXPECT_TRUE(sm->check_next_height_header(proposal(next_proposer, 1, 1, "ok-b")).dropped());
  v1::Proposal forged = header;
  forged.set_timestamp_ms(header.timestamp_ms() + 1);  // no longer what was signed
  const Verdict bad = sm->check_next_height_header(forged);
  EXPECT_TRUE(bad.dropped());
  EXPECT_NE(bad.reason.find("signature"), std::string::npos) << bad.reason;
  EXPECT_EQ(sm->height(), 1u);
  EXPECT_EQ(sm->buffered(), 0u);
  EXPECT_TRUE(sm->messages().proposals.empty());
}

// The validators of tv.keys[indices], with `powers` (1 each by default).
chain::ValidatorSet subset(const testkit::TestValidators& tv, const std::vector<size_t>& indices,
                           std::vector<uint64_t> powers = {}) {
  std::vector<v1::Validator> vals;
  for (size_t i = 0; i < indices.size(); ++i) {
    v1::Validator v;
    v.set_address(tv.keys[indices[i]].address.to_string());
    v.set_public_key(Bytes(as_view(tv.keys[indices[i]].public_key)));
    v.set_power(powers.empty() ? 1 : powers[i]);
    vals.push_back(v);
  }
  return *chain::ValidatorSet::create(vals);
}

// A header of the next height is checked against the next height's set when start_height got
// it (doc/consensus.md, "Validator set changes"), not against this height's.
TEST_F(ConsensusStateMachineTest, CheckNextHeightHeaderByTheNextHeightsSet) {
  make_node(0);
  // Height 2's set: validators 0 and 1 only, validator 1 with most of the power.
  const chain::ValidatorSet next = subset(tv, {0, 1}, {1, 5});
  sm->start_height(1, tv.set, next);
  for (uint32_t round = 0; round < 6; ++round) {
    const std::string by_next = next.proposer(2, round).address;
    for (size_t i = 0; i < tv.keys.size(); ++i) {
      v1::Proposal header = proposal(i, 2, round, "ok-b");
      header.clear_block();
      const Verdict v = sm->check_next_height_header(header);
      if (tv.keys[i].address.to_string() == by_next) {
        expect_accepted(v);
      } else {
        EXPECT_TRUE(v.dropped()) << "round " << round << " validator " << i;
      }
    }
  }
  // Rounds 0..5 of height 2 by the next set: validator 1 proposes most of them.
  size_t by_one = 0;
  for (uint32_t round = 0; round < 6; ++round) {
    by_one += next.proposer(2, round).address == tv.keys[1].address.to_string() ? 1 : 0;
  }
  EXPECT_GE(by_one, 4u);
}

// A node whose key leaves the set stops signing at that height and starts again when it comes
// back, without a restart; meanwhile it follows the others' decisions.
TEST_F(ConsensusStateMachineTest, SignsOnlyAtHeightsWhoseSetHoldsItsKey) {
  make_node(0);
  const chain::ValidatorSet without_me = subset(tv, {1, 2, 3});
  auto decide_height = [&](uint64_t h, const chain::ValidatorSet& set) {
    const size_t before = rec.decisions.size();
    const std::string proposer = set.proposer(h, 0).address;
    size_t from = 0;
    while (tv.keys[from].address.to_string() != proposer) ++from;
    const std::string block = "ok-" + std::to_string(h);
    if (from != 0) (void)sm->on_proposal(proposal(from, h, 0, block));
    const Bytes id = from != 0 ? id_of(block) : rec.proposals.back().block_id();
    for (size_t i : {1, 2, 3}) {
      (void)sm->on_vote(signed_vote(tv.keys[i], v1::PREVOTE, h, 0, id));
    }
    for (size_t i : {1, 2, 3}) {
      (void)sm->on_vote(signed_vote(tv.keys[i], v1::PRECOMMIT, h, 0, id));
    }
    EXPECT_EQ(rec.decisions.size(), before + 1) << "height " << h;
  };
  // Height 1: not in the set. It signs nothing but decides.
  sm->start_height(1, without_me, tv.set);
  decide_height(1, without_me);
  EXPECT_TRUE(rec.votes.empty());
  EXPECT_TRUE(rec.proposals.empty());
  // Height 2: in the set (joined): it prevotes and precommits.
  sm->start_height(2, tv.set, without_me);
  decide_height(2, tv.set);
  EXPECT_EQ(rec.votes_of(v1::PREVOTE, 0).size(), 1u);
  EXPECT_EQ(rec.votes_of(v1::PRECOMMIT, 0).size(), 1u);
  EXPECT_EQ(rec.votes.back().height(), 2u);
  // Height 3: left again: nothing more is signed.
  const size_t signed_so_far = rec.votes.size() + rec.proposals.size();
  sm->start_height(3, without_me, without_me);
  decide_height(3, without_me);
  EXPECT_EQ(rec.votes.size() + rec.proposals.size(), signed_so_far);
  ASSERT_EQ(rec.decisions.size(), 3u);
  // Votes by a validator outside the height's set are dropped.
  sm->start_height(4, without_me, without_me);
  const Verdict v = sm->on_vote(vote(0, v1::PREVOTE, 4, 0, "ok-x"));
  EXPECT_TRUE(v.dropped());
  EXPECT_NE(v.reason.find("not a validator"), std::string::npos) << v.reason;
}

TEST_F(ConsensusStateMachineTest, BuffersTheNextHeightWithinABound) {
  StateMachineConfig config;
  config.max_buffered_messages = 2;
  make_node(0, config);
  sm->start_height(1, tv.set);
  EXPECT_EQ(sm->on_vote(vote(1, v1::PREVOTE, 2, 0, "ok-x")).kind, Verdict::Kind::kBuffered);
  Verdict far = sm->on_vote(vote(1, v1::PREVOTE, 3, 0, "ok-x"));
  EXPECT_TRUE(far.dropped());
  EXPECT_NE(far.reason.find("too far ahead"), std::string::npos);
  EXPECT_EQ(sm->on_vote(vote(2, v1::PREVOTE, 2, 0, "ok-x")).kind, Verdict::Kind::kBuffered);
  Verdict full = sm->on_vote(vote(3, v1::PREVOTE, 2, 0, "ok-x"));
  EXPECT_TRUE(full.dropped());
  EXPECT_NE(full.reason.find("full"), std::string::npos);
  EXPECT_EQ(sm->buffered(), 2u);

  sm->start_height(2, tv.set);
  EXPECT_EQ(sm->buffered(), 0u);
  EXPECT_EQ(sm->messages().votes.size(), 2u);  // replayed into height 2
}

TEST_F(ConsensusStateMachineTest, LockedNodePrevotesNilUntilAProofOfLock) {
  make_node(0);
  sm->start_height(1, tv.set);
  // Round 0: lock on A (proposal, +2/3 prevotes), but precommits do not reach +2/3 for A.
  expect_accepted(sm->on_proposal(proposal(3, 1, 0, "ok-a")));
  expect_accepted(sm->on_vote(vote(1, v1::PREVOTE, 1, 0, "ok-a")));
  expect_accepted(sm->on_vote(vote(2, v1::PREVOTE, 1, 0, "ok-a")));
  ASSERT_EQ(sm->locked_round(), 0);
  expect_accepted(sm->on_vote(vote(1, v1::PRECOMMIT, 1, 0, "")));
  expect_accepted(sm->on_vote(vote(2, v1::PRECOMMIT, 1, 0, "")));
  sm->on_timeout(1, 0, chain::Step::kPrecommit);
  ASSERT_EQ(sm->round(), 1);

  // Round 1: a new value B without proof of lock: the locked node prevotes nil.
  expect_accepted(sm->on_proposal(proposal(2, 1, 1, "ok-b")));
  ASSERT_EQ(rec.votes_of(v1::PREVOTE, 1).size(), 1u);
  EXPECT_TRUE(rec.votes_of(v1::PREVOTE, 1)[0].block_id().empty());
  // The others prevote B: +2/3 for B in round 1 (a proof of lock for B at round 1).
  expect_accepted(sm->on_vote(vote(1, v1::PREVOTE, 1, 1, "ok-b")));
  expect_accepted(sm->on_vote(vote(2, v1::PREVOTE, 1, 1, "ok-b")));
  expect_accepted(sm->on_vote(vote(3, v1::PREVOTE, 1, 1, "ok-b")));
  // Seen in the prevote step, that proof updates the valid value (line 36) and the lock.
  EXPECT_EQ(sm->valid_round(), 1);
  EXPECT_EQ(sm->valid_block_id(), id_of("ok-b"));
}

TEST_F(ConsensusStateMachineTest, ProofOfLockFromALaterRoundUnlocks) {
  make_node(0);
  sm->start_height(1, tv.set);
  expect_accepted(sm->on_proposal(proposal(3, 1, 0, "ok-a")));
  expect_accepted(sm->on_vote(vote(1, v1::PREVOTE, 1, 0, "ok-a")));
  expect_accepted(sm->on_vote(vote(2, v1::PREVOTE, 1, 0, "ok-a")));
  ASSERT_EQ(sm->locked_block_id(), id_of("ok-a"));
  // Round 1 passes for us without a proposal; the others saw +2/3 prevotes for B there.
  expect_accepted(sm->on_vote(vote(1, v1::PRECOMMIT, 1, 0, "")));
  expect_accepted(sm->on_vote(vote(2, v1::PRECOMMIT, 1, 0, "")));
  sm->on_timeout(1, 0, chain::Step::kPrecommit);
  sm->on_timeout(1, 1, chain::Step::kPropose);
  for (size_t i : {1, 2, 3}) expect_accepted(sm->on_vote(vote(i, v1::PREVOTE, 1, 1, "ok-b")));
  EXPECT_EQ(sm->locked_block_id(), id_of("ok-a"));  // in precommit step: no relock
  expect_accepted(sm->on_vote(vote(1, v1::PRECOMMIT, 1, 1, "")));
  expect_accepted(sm->on_vote(vote(2, v1::PRECOMMIT, 1, 1, "")));
  sm->on_timeout(1, 1, chain::Step::kPrecommit);
  ASSERT_EQ(sm->round(), 2);
  // Round 2 re-proposes B with pol_round 1 >= our locked round 0: we prevote B (line 28).
  expect_accepted(sm->on_proposal(proposal(1, 1, 2, "ok-b", 1)));
  ASSERT_EQ(rec.votes_of(v1::PREVOTE, 2).size(), 1u);
  EXPECT_EQ(rec.votes_of(v1::PREVOTE, 2)[0].block_id(), id_of("ok-b"));
}

TEST_F(ConsensusStateMachineTest, InvalidProposalGetsNil) {
  make_node(0);
  sm->start_height(1, tv.set);
  expect_accepted(sm->on_proposal(proposal(3, 1, 0, "bad-block")));
  ASSERT_EQ(rec.votes_of(v1::PREVOTE, 0).size(), 1u);
  EXPECT_TRUE(rec.votes_of(v1::PREVOTE, 0)[0].block_id().empty());
}

TEST_F(ConsensusStateMachineTest, NeverSignsTwiceForOneStep) {
  make_node(0);
  sm->start_height(1, tv.set);
  sm->on_timeout(1, 0, chain::Step::kPropose);
  sm->on_timeout(1, 0, chain::Step::kPropose);
  expect_accepted(sm->on_proposal(proposal(3, 1, 0, "ok-a")));  // too late: already prevoted
  sm->on_timeout(1, 0, chain::Step::kPropose);
  ASSERT_EQ(rec.votes_of(v1::PREVOTE, 0).size(), 1u);
  EXPECT_TRUE(rec.votes_of(v1::PREVOTE, 0)[0].block_id().empty());
  for (size_t i : {1, 2}) expect_accepted(sm->on_vote(vote(i, v1::PREVOTE, 1, 0, "")));
  sm->on_timeout(1, 0, chain::Step::kPrevote);
  sm->on_timeout(1, 0, chain::Step::kPrevote);
  EXPECT_EQ(rec.votes_of(v1::PRECOMMIT, 0).size(), 1u);
  // Stale timeouts of another height or round change nothing.
  sm->on_timeout(7, 0, chain::Step::kPrecommit);
  sm->on_timeout(1, 4, chain::Step::kPrecommit);
  EXPECT_EQ(sm->round(), 0);
}

TEST_F(ConsensusStateMachineTest, RefusingSignerSendsNothing) {
  signer = std::make_unique<RefusingSigner>(tv.keys[3].address.to_string());
  StateMachineConfig config;
  config.chain_id = std::string(kChainId);
  sm = std::make_unique<StateMachine>(config, signer.get(), source, rec, clock);
  sm->start_height(1, tv.set);  // validator 3 proposes round 0
  EXPECT_TRUE(rec.proposals.empty());
  sm->on_timeout(1, 0, chain::Step::kPropose);
  EXPECT_TRUE(rec.votes.empty());
  EXPECT_EQ(sm->step(), chain::Step::kPrevote);  // the algorithm goes on
  ASSERT_FALSE(rec.signing_errors.empty());
  EXPECT_NE(rec.signing_errors[0].find("refused"), std::string::npos);
}

TEST_F(ConsensusStateMachineTest, SkipsToARoundWithMoreThanAThird) {
  make_node(0);
  sm->start_height(1, tv.set);
  expect_accepted(sm->on_vote(vote(1, v1::PREVOTE, 1, 5, "")));
  EXPECT_EQ(sm->round(), 0);  // 1 of 4 is not more than 1/3
  expect_accepted(sm->on_vote(vote(2, v1::PRECOMMIT, 1, 5, "")));
  EXPECT_EQ(sm->round(), 5);  // 2 of 4 is
  EXPECT_EQ(rec.timeouts.back().round, 5);
  EXPECT_EQ(rec.timeouts.back().step, chain::Step::kPropose);
}

TEST_F(ConsensusStateMachineTest, TimeoutsGrowWithTheRound) {
  TimeoutConfig t{.propose_ms = 3000,
                  .propose_delta_ms = 500,
                  .prevote_ms = 1000,
                  .prevote_delta_ms = 200,
                  .precommit_ms = 900,
                  .precommit_delta_ms = 100};
  EXPECT_EQ(t.duration_ms(chain::Step::kPropose, 0), 3000u);
  EXPECT_EQ(t.duration_ms(chain::Step::kPropose, 4), 5000u);
  EXPECT_EQ(t.duration_ms(chain::Step::kPrevote, 3), 1600u);
  EXPECT_EQ(t.duration_ms(chain::Step::kPrecommit, 10), 1900u);
  t.propose_delta_ms = UINT64_MAX / 2;
  EXPECT_EQ(t.duration_ms(chain::Step::kPropose, 3), UINT64_MAX);  // saturates, never wraps

  make_node(0);
  sm->start_height(1, tv.set);
  sm->on_timeout(1, 0, chain::Step::kPropose);
  for (size_t i : {1, 2}) expect_accepted(sm->on_vote(vote(i, v1::PREVOTE, 1, 0, "")));
  ASSERT_EQ(rec.timeouts.back().step, chain::Step::kPrevote);
  EXPECT_EQ(rec.timeouts.back().ms, StateMachineConfig{}.timeouts.prevote_ms);
}

TEST_F(ConsensusStateMachineTest, DecidesFromAVerifiedCommit) {
  make_node(0);
  sm->start_height(1, tv.set);
  chain::VoteSet precommits(tv.set, 1, 2, v1::PRECOMMIT);
  for (size_t i : {1, 2, 3}) {
    ASSERT_TRUE(precommits.add(vote(i, v1::PRECOMMIT, 1, 2, "ok-c")).is_ok());
  }
  auto commit = precommits.make_commit();
  ASSERT_TRUE(commit.is_ok());
  v1::Commit short_commit = *commit;
  short_commit.mutable_signatures()->RemoveLast();
  EXPECT_TRUE(sm->on_commit(short_commit, "ok-c").dropped());
  EXPECT_TRUE(sm->on_commit(*commit, "ok-other").dropped());  // block does not match the id
  expect_accepted(sm->on_commit(*commit, "ok-c"));
  ASSERT_EQ(rec.decisions.size(), 1u);
  EXPECT_EQ(rec.decisions[0].round, 2);
  EXPECT_EQ(rec.decisions[0].block, "ok-c");
  EXPECT_EQ(sm->on_commit(*commit, "ok-c").kind, Verdict::Kind::kDuplicate);
}

TEST_F(ConsensusStateMachineTest, ReportsEquivocationOnce) {
  make_node(0);
  sm->start_height(1, tv.set);
  expect_accepted(sm->on_vote(vote(2, v1::PREVOTE, 1, 0, "ok-a")));
  Verdict v = sm->on_vote(vote(2, v1::PREVOTE, 1, 0, "ok-b"));
  EXPECT_EQ(v.kind, Verdict::Kind::kAccepted);
  EXPECT_NE(v.reason.find("evidence"), std::string::npos);
  ASSERT_EQ(rec.evidence.size(), 1u);
  EXPECT_EQ(rec.evidence[0].duplicate_vote().vote_a().validator(), tv.keys[2].address.to_string());
  EXPECT_EQ(sm->on_vote(vote(2, v1::PREVOTE, 1, 0, "ok-b")).kind, Verdict::Kind::kDuplicate);
  EXPECT_EQ(rec.evidence.size(), 1u);
  // Also for the height just decided (a late, conflicting precommit).
  expect_accepted(sm->on_commit(
      [&] {
        chain::VoteSet pc(tv.set, 1, 0, v1::PRECOMMIT);
        for (size_t i : {1, 2, 3}) (void)pc.add(vote(i, v1::PRECOMMIT, 1, 0, "ok-a"));
        return *pc.make_commit();
      }(),
      "ok-a"));
  sm->start_height(2, tv.set);
  (void)sm->on_vote(vote(3, v1::PRECOMMIT, 1, 0, "ok-a"));
  (void)sm->on_vote(vote(3, v1::PRECOMMIT, 1, 0, ""));
  // Height 1's round 0 (created by the prevotes above) is kept after start_height(2).
  EXPECT_EQ(rec.evidence.size(), 2u);
  EXPECT_EQ(rec.evidence[1].duplicate_vote().vote_b().type(), v1::PRECOMMIT);
}

TEST_F(ConsensusStateMachineTest, FollowerWithoutSignerDecides) {
  StateMachineConfig config;
  config.chain_id = std::string(kChainId);
  sm = std::make_unique<StateMachine>(config, nullptr, source, rec, clock);
  sm->start_height(1, tv.set);
  expect_accepted(sm->on_proposal(proposal(3, 1, 0, "ok-a")));
  for (size_t i : {0, 1, 2}) expect_accepted(sm->on_vote(vote(i, v1::PREVOTE, 1, 0, "ok-a")));
  for (size_t i : {0, 1, 2}) expect_accepted(sm->on_vote(vote(i, v1::PRECOMMIT, 1, 0, "ok-a")));
  EXPECT_TRUE(rec.votes.empty());
  ASSERT_EQ(rec.decisions.size(), 1u);
  EXPECT_EQ(rec.decisions[0].block, "ok-a");
}

// --- the consensus WAL and replay ------------------------------------------------------------

TEST_F(ConsensusStateMachineTest, WalRecordsVerifiedInputsAndOwnMessages) {
  MemoryWal wal;
  start_logged(wal);
  expect_accepted(sm->on_proposal(proposal(3, 1, 0, "ok-a")));
  EXPECT_EQ(wal.count(v1::WalRecord::kProposal), 1u);
  EXPECT_EQ(wal.count(v1::WalRecord::kOwnVote), 1u);  // the prevote, written before it was sent
  ASSERT_EQ(rec.votes.size(), 1u);
  EXPECT_EQ(wal.records.back().own_vote().SerializeAsString(), rec.votes[0].SerializeAsString());
  // Dropped and duplicate inputs are not written; only accepted ones are.
  EXPECT_TRUE(sm->on_vote(vote(1, v1::PREVOTE, 1, 0, "ok-a")).kind == Verdict::Kind::kAccepted);
  EXPECT_EQ(sm->on_vote(vote(1, v1::PREVOTE, 1, 0, "ok-a")).kind, Verdict::Kind::kDuplicate);
  v1::Vote forged = vote(2, v1::PREVOTE, 1, 0, "ok-a");
  forged.set_signature(Bytes(64, 'x'));
  EXPECT_TRUE(sm->on_vote(forged).dropped());
  EXPECT_EQ(wal.count(v1::WalRecord::kVote), 1u);
  // A timeout that changes nothing (propose timeout in the prevote step) is not written; one that
  // does is.
  sm->on_timeout(1, 0, chain::Step::kPropose);
  EXPECT_EQ(wal.count(v1::WalRecord::kTimeout), 0u);
  expect_accepted(sm->on_vote(vote(1, v1::PRECOMMIT, 1, 0, "")));
  expect_accepted(sm->on_vote(vote(2, v1::PREVOTE, 1, 0, "")));
  expect_accepted(sm->on_vote(vote(2, v1::PRECOMMIT, 1, 0, "")));
  expect_accepted(sm->on_vote(vote(3, v1::PRECOMMIT, 1, 0, "")));
  sm->on_timeout(1, 0, chain::Step::kPrecommit);
  EXPECT_EQ(wal.count(v1::WalRecord::kTimeout), 1u);
  EXPECT_EQ(sm->round(), 1);
}

TEST_F(ConsensusStateMachineTest, WalWriteFailureDropsTheInputAndSendsNothing) {
  MemoryWal wal;
  start_logged(wal);
  wal.fail = true;
  Verdict v = sm->on_proposal(proposal(3, 1, 0, "ok-a"));
  EXPECT_TRUE(v.dropped());
  EXPECT_NE(v.reason.find("consensus WAL"), std::string::npos);
  EXPECT_TRUE(rec.votes.empty());
  // An own message that cannot be made durable is not sent.
  wal.fail = false;
  expect_accepted(sm->on_vote(vote(1, v1::PREVOTE, 1, 0, "")));
  wal.fail = true;
  sm->on_timeout(1, 0, chain::Step::kPropose);  // not written: ignored
  EXPECT_EQ(sm->step(), chain::Step::kPropose);
  wal.fail = false;
  sm->on_timeout(1, 0, chain::Step::kPropose);
  ASSERT_EQ(rec.votes.size(), 1u);
  wal.fail = true;
  for (size_t i : {2, 3}) (void)sm->on_vote(vote(i, v1::PREVOTE, 1, 0, ""));
  EXPECT_EQ(rec.votes.size(), 1u);
}

// The scenario of LockedNodePrevotesNilUntilAProofOfLock with a crash in round 1: rebuilt from its
// WAL, the validator is still in round 1 and locked on A from round 0, re-sends exactly what it
// signed (same signatures, no new signature), and then prevotes nil for B as a locked node must.
TEST_F(ConsensusStateMachineTest, RestartFromWalKeepsTheLockAndTheRound) {
  testkit::TempDir dir("btt-sm-wal");
  const auto wal_path = dir.path() / "cs.wal";
  const auto guard_path = dir.path() / "signer_state";
  StateMachineConfig config;
  config.chain_id = std::string(kChainId);
  std::optional<Snapshot> before;
  std::vector<v1::Vote> sent;
  v1::SignerState guard_before;
  {
    auto wal = Wal::open(wal_path, {.sync = false});
    ASSERT_TRUE(wal);
    auto guard =
        SignerGuard::open(guard_path, std::make_unique<chain::KeySigner>(tv.keys[0], true));
    ASSERT_TRUE(guard);
    StateMachine node(config, guard->get(), source, rec, clock);
    node.set_wal(wal->get());
    node.start_height(1, tv.set);
    expect_accepted(node.on_proposal(proposal(3, 1, 0, "ok-a")));
    expect_accepted(node.on_vote(vote(1, v1::PREVOTE, 1, 0, "ok-a")));
    expect_accepted(node.on_vote(vote(2, v1::PREVOTE, 1, 0, "ok-a")));
    ASSERT_EQ(node.locked_round(), 0);
    expect_accepted(node.on_vote(vote(1, v1::PRECOMMIT, 1, 0, "")));
    expect_accepted(node.on_vote(vote(2, v1::PRECOMMIT, 1, 0, "")));
    clock.now += 4000;
    node.on_timeout(1, 0, chain::Step::kPrecommit);
    ASSERT_EQ(node.round(), 1);
    before.emplace(node);
    sent = rec.votes;
    ASSERT_EQ(sent.size(), 2u);  // prevote A and precommit A in round 0
    ASSERT_TRUE((*guard)->last());
    guard_before = *(*guard)->last();
  }  // crash: the objects are gone, the files stay

  clock.now += 60'000;  // a restart takes a while: re-signing now would give other signatures
  Recorder after;
  auto wal = Wal::open(wal_path, {.sync = false});
  ASSERT_TRUE(wal) << wal.status().message();
  auto guard = SignerGuard::open(guard_path, std::make_unique<chain::KeySigner>(tv.keys[0], true));
  ASSERT_TRUE(guard);
  StateMachine node(config, guard->get(), source, after, clock);
  node.set_wal(wal->get());
  const auto records = (*wal)->take_records();
  const auto stats = node.replay(1, tv.set, records);
  EXPECT_EQ(Snapshot(node), *before);
  EXPECT_EQ(node.locked_block_id(), id_of("ok-a"));
  EXPECT_EQ(stats.own_reused, 2u);
  EXPECT_EQ(stats.own_unused, 0u);
  EXPECT_EQ(stats.own_changed, 0u);
  EXPECT_EQ(stats.inputs, 6u);  // proposal, 4 votes, 1 timeout
  // Re-sent byte for byte; nothing was signed again.
  ASSERT_EQ(after.votes.size(), sent.size());
  for (size_t i = 0; i < sent.size(); ++i) {
    EXPECT_EQ(after.votes[i].SerializeAsString(), sent[i].SerializeAsString()) << i;
  }
  EXPECT_TRUE(after.signing_errors.empty());
  EXPECT_EQ((*guard)->last()->SerializeAsString(), guard_before.SerializeAsString());
  // Nothing was written again while replaying.
  EXPECT_EQ(Wal::read(wal_path)->records.size(), records.size());

  // Round 1 goes on as for a node that never crashed: B without proof of lock gets nil.
  expect_accepted(node.on_proposal(proposal(2, 1, 1, "ok-b")));
  ASSERT_EQ(after.votes_of(v1::PREVOTE, 1).size(), 1u);
  EXPECT_TRUE(after.votes_of(v1::PREVOTE, 1)[0].block_id().empty());
  EXPECT_EQ((*guard)->last()->round(), 1u);
  EXPECT_EQ((*guard)->last()->step(), 2u);
  EXPECT_TRUE((*guard)->last()->block_id().empty());
  // And the prevote was written to the WAL after the replayed records.
  auto read = Wal::read(wal_path);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->records.size(), records.size() + 2);  // the proposal B, then the own prevote
  EXPECT_TRUE(read->records.back().has_own_vote());
}

// Without the WAL the same validator restarts in round 0, unlocked: it would prevote a new
// proposal there and, in round 1, prevote B. The guard keeps that from being equivocation, but
// the lock is gone; this is what the WAL is for.
TEST_F(ConsensusStateMachineTest, RestartWithoutWalForgetsTheLock) {
  MemoryWal wal;
  start_logged(wal);
  expect_accepted(sm->on_proposal(proposal(3, 1, 0, "ok-a")));
  for (size_t i : {1, 2}) expect_accepted(sm->on_vote(vote(i, v1::PREVOTE, 1, 0, "ok-a")));
  ASSERT_EQ(sm->locked_round(), 0);
  make_node(0);
  sm->start_height(1, tv.set);
  EXPECT_EQ(sm->locked_round(), chain::kNoRound);
  make_node(0);
  (void)sm->replay(1, tv.set, wal.records);
  EXPECT_EQ(sm->locked_round(), 0);
}

// The proposer crashes after proposing: the replay re-sends the recorded proposal (same block and
// signature) and does not ask its source for a new block, which would differ.
TEST_F(ConsensusStateMachineTest, ReplayResendsTheOwnProposal) {
  MemoryWal wal;
  start_logged(wal, 3);  // proposer of round 0
  ASSERT_EQ(rec.proposals.size(), 1u);
  ASSERT_EQ(wal.count(v1::WalRecord::kOwnProposal), 1u);
  const v1::Proposal first = rec.proposals[0];

  source.salt = "-after-restart";
  source.proposals = 0;
  clock.now += 5000;
  Recorder after;
  StateMachineConfig config;
  config.chain_id = std::string(kChainId);
  StateMachine node(config, signer.get(), source, after, clock);
  const auto stats = node.replay(1, tv.set, wal.records);
  EXPECT_EQ(source.proposals, 0);
  ASSERT_EQ(after.proposals.size(), 1u);
  EXPECT_EQ(after.proposals[0].SerializeAsString(), first.SerializeAsString());
  EXPECT_EQ(stats.own_reused, 2u);  // the proposal and the prevote for it
  ASSERT_EQ(after.votes.size(), 1u);
  EXPECT_EQ(after.votes[0].block_id(), first.block_id());
}

TEST_F(ConsensusStateMachineTest, ReplaySkipsOtherHeightsAndOtherKeys) {
  MemoryWal wal;
  start_logged(wal);
  expect_accepted(sm->on_proposal(proposal(3, 1, 0, "ok-a")));
  ASSERT_FALSE(wal.records.empty());
  // Height 2 from height 1's records: a plain start.
  make_node(0);
  auto stats = sm->replay(2, tv.set, wal.records);
  EXPECT_EQ(stats.inputs, 0u);
  EXPECT_EQ(stats.own_reused, 0u);
  EXPECT_EQ(sm->height(), 2u);
  EXPECT_EQ(sm->step(), chain::Step::kPropose);
  // Another validator key (validator 1) reading validator 0's WAL: the inputs replay, but the own
  // messages of another key are not taken as its own; it signs for itself.
  rec = Recorder();
  make_node(1);
  stats = sm->replay(1, tv.set, wal.records);
  EXPECT_EQ(stats.own_reused, 0u);
  ASSERT_EQ(rec.votes.size(), 1u);
  EXPECT_EQ(rec.votes[0].validator(), tv.keys[1].address.to_string());
}

// A crash between the signer guard's write and the WAL's: the WAL lost the last own message. The
// replay signs it again (the guard would answer with the recorded signature) and writes it, so
// that the WAL holds every own message that was sent.
TEST_F(ConsensusStateMachineTest, ReplayWritesWhatItSignsAnew) {
  MemoryWal wal;
  start_logged(wal);
  expect_accepted(sm->on_proposal(proposal(3, 1, 0, "ok-a")));
  ASSERT_TRUE(wal.records.back().has_own_vote());
  const v1::Vote prevote = wal.records.back().own_vote();
  wal.records.pop_back();
  MemoryWal after;
  make_node(0);
  sm->set_wal(&after);
  const auto stats = sm->replay(1, tv.set, wal.records);
  EXPECT_EQ(stats.own_reused, 0u);
  EXPECT_EQ(stats.inputs, 1u);
  ASSERT_EQ(after.records.size(), 1u) << "the proposal is not written again, the prevote is";
  EXPECT_EQ(after.records[0].own_vote().SerializeAsString(), prevote.SerializeAsString());
}

// Messages for the height that arrived before the replay are handled after it, as new inputs (so
// the WAL order stays the order things were acted on).
TEST_F(ConsensusStateMachineTest, BufferedMessagesAreHandledAfterTheReplay) {
  MemoryWal wal;
  start_logged(wal);
  expect_accepted(sm->on_proposal(proposal(3, 1, 0, "ok-a")));
  const auto records = wal.records;
  MemoryWal wal2;
  make_node(0);
  sm->set_wal(&wal2);
  EXPECT_EQ(sm->on_vote(vote(1, v1::PREVOTE, 1, 0, "ok-a")).kind, Verdict::Kind::kBuffered);
  (void)sm->replay(1, tv.set, records);
  EXPECT_TRUE(wal2.records.size() == 1u && wal2.records[0].has_vote()) << wal2.records.size();
  EXPECT_EQ(sm->step(), chain::Step::kPrevote);
}

// A crash after every single input of a long script: each time, a fresh state machine replays
// the WAL written so far and comes back to exactly the state the live one had, re-sending
// exactly the messages the live one had sent at that height.
TEST_F(ConsensusStateMachineTest, ReplayAfterEveryInputRestoresTheState) {
  MemoryWal wal;
  make_node(0);
  sm->set_wal(&wal);
  using Step = std::function<void()>;
  std::vector<Step> script = {
      [&] { sm->start_height(1, tv.set); },
      [&] { (void)sm->on_proposal(proposal(3, 1, 0, "ok-a")); },
      [&] { (void)sm->on_vote(vote(1, v1::PREVOTE, 1, 0, "ok-a")); },
      [&] { (void)sm->on_vote(vote(3, v1::PREVOTE, 1, 0, "")); },
      [&] { (void)sm->on_vote(vote(2, v1::PREVOTE, 1, 0, "ok-a")); },  // lock A, precommit A
      [&] { (void)sm->on_vote(vote(2, v1::PREVOTE, 1, 0, "ok-c")); },  // equivocation
      [&] { (void)sm->on_vote(vote(1, v1::PRECOMMIT, 1, 0, "")); },
      [&] { (void)sm->on_vote(vote(3, v1::PRECOMMIT, 1, 0, "")); },
      [&] { sm->on_timeout(1, 0, chain::Step::kPrecommit); },  // round 1
      [&] { sm->on_timeout(1, 1, chain::Step::kPropose); },    // prevote nil
      [&] { (void)sm->on_vote(vote(1, v1::PREVOTE, 1, 1, "ok-b")); },
      [&] { (void)sm->on_vote(vote(2, v1::PREVOTE, 1, 1, "ok-b")); },
      [&] { (void)sm->on_vote(vote(3, v1::PREVOTE, 1, 1, "ok-b")); },
      [&] { sm->on_timeout(1, 1, chain::Step::kPrevote); },  // precommit nil
      [&] { (void)sm->on_vote(vote(1, v1::PRECOMMIT, 1, 1, "")); },
      [&] { (void)sm->on_vote(vote(2, v1::PRECOMMIT, 1, 1, "")); },
      [&] { sm->on_timeout(1, 1, chain::Step::kPrecommit); },  // round 2
      [&] { (void)sm->on_vote(vote(1, v1::PREVOTE, 1, 3, "ok-a")); },
      // f+1 in round 3: skip to it, re-propose A (the valid value, POL round 0), prevote it, then
      // lock on it again and precommit.
      [&] { (void)sm->on_vote(vote(2, v1::PREVOTE, 1, 3, "ok-a")); },
      [&] { (void)sm->on_vote(vote(1, v1::PRECOMMIT, 1, 3, "ok-a")); },
      [&] { (void)sm->on_vote(vote(2, v1::PRECOMMIT, 1, 3, "ok-a")); },  // decide A
  };
  StateMachineConfig config;
  config.chain_id = std::string(kChainId);
  for (size_t i = 0; i < script.size(); ++i) {
    clock.now += 700;
    script[i]();
    SCOPED_TRACE("after input " + std::to_string(i));
    Recorder after;
    TestSource fresh_source;
    fresh_source.salt = "-other";
    StateMachine node(config, signer.get(), fresh_source, after, clock);
    const auto stats = node.replay(1, tv.set, wal.records);
    EXPECT_EQ(Snapshot(node), Snapshot(*sm));
    EXPECT_EQ(stats.own_unused, 0u);
    EXPECT_EQ(stats.own_changed, 0u);
    EXPECT_EQ(after.votes.size(), rec.votes.size());
    for (size_t k = 0; k < std::min(after.votes.size(), rec.votes.size()); ++k) {
      EXPECT_EQ(after.votes[k].SerializeAsString(), rec.votes[k].SerializeAsString()) << k;
    }
    ASSERT_EQ(after.proposals.size(), rec.proposals.size());
    for (size_t k = 0; k < rec.proposals.size(); ++k) {
      EXPECT_EQ(after.proposals[k].SerializeAsString(), rec.proposals[k].SerializeAsString());
    }
    EXPECT_EQ(after.decisions.size(), rec.decisions.size());
    EXPECT_EQ(fresh_source.proposals, 0);
  }
  ASSERT_EQ(rec.proposals.size(), 1u);
  EXPECT_EQ(rec.proposals[0].pol_round(), 0);
  ASSERT_EQ(rec.decisions.size(), 1u);
  EXPECT_EQ(rec.decisions[0].block, "ok-a");
  EXPECT_EQ(rec.decisions[0].round, 3);
}

}  // namespace
}  // namespace btt::consensus

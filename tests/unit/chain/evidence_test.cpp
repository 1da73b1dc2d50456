// Evidence in blocks (doc/protocol.md, "Evidence"): a proposer includes verified double votes,
// followers verify every piece, committed evidence is recorded in state once, and a block with
// bad evidence is refused whole.
#include <gtest/gtest.h>

#include "btt/chain/evidence.h"
#include "btt/chain/vote_set.h"
#include "btt/crypto/hash.h"
#include "testkit/chain_node.h"
#include "testkit/test_env.h"

namespace btt::chain {
namespace {

using testkit::ChainNode;
using testkit::double_vote;

class EvidenceTest : public ::testing::Test {
 protected:
  void init(nlohmann::json params = nullptr) {
    testkit::MultiGenesisOptions options;
    options.params = std::move(params);
    g = testkit::make_multi_genesis(options);
    leader = std::make_unique<ChainNode>(g.genesis, *g.registry);
    follower = std::make_unique<ChainNode>(g.genesis, *g.registry);
  }
  void SetUp() override { init(); }

  // Commits `n` blocks on both nodes (the follower applies the leader's).
  void advance(int n) {
    for (int i = 0; i < n; ++i) {
      auto b = testkit::commit_next(*leader, g.validators);
      ASSERT_TRUE(b.is_ok()) << b.status().to_string();
      ASSERT_TRUE(follower->chain->apply(b->block).is_ok());
    }
  }

  // The leader's next block (not committed) with its evidence replaced by `evidence` bytes, the
  // root recomputed and the header signed again: what a faulty proposer would send.
  v1::Block block_with(const std::vector<Bytes>& evidence) {
    const v1::ChainTip tip = leader->chain->tip();
    auto built = leader->chain->build({}, tip.time_ms() + 1000, g.validators[0],
                                      *leader->chain->commit_at(tip.height()));
    EXPECT_TRUE(built.is_ok());
    v1::Block block = built->block.block;
    v1::BlockHeader header = built->block.header;
    header.set_evidence_root(evidence_root(evidence));
    block.set_header(header.SerializeAsString());
    block.clear_evidence();
    for (const auto& e : evidence) block.add_evidence(e);
    auto sig = crypto::schnorr_sign(g.validators[0].secret_key, block_hash(block.header()));
    block.set_signature(std::string(as_view(*sig)));
    return block;
  }

  // The follower refuses `block` with a message containing `needle`, and nothing changes.
  void expect_refused(const v1::Block& block, const std::string& needle) {
    const auto tip = follower->chain->tip().SerializeAsString();
    bool truncated = false;
    const auto before = list_committed_evidence(follower->chain->state(), 0, 100, &truncated);
    auto r = follower->chain->apply(block);
    ASSERT_FALSE(r.is_ok()) << "accepted a block that should be refused for: " << needle;
    EXPECT_NE(r.status().message().find(needle), std::string::npos) << r.status().message();
    EXPECT_EQ(follower->chain->tip().SerializeAsString(), tip);
    EXPECT_EQ(list_committed_evidence(follower->chain->state(), 0, 100, &truncated).size(),
              before.size());
  }

  const crypto::KeyPair& val(size_t i) const { return g.validators[i]; }

  testkit::MultiGenesis g;
  std::unique_ptr<ChainNode> leader;
  std::unique_ptr<ChainNode> follower;
};

TEST_F(EvidenceTest, ValidEvidenceIsIncludedVerifiedAndRecorded) {
  advance(3);
  // Given with its votes in the wrong order: the proposer puts them in canonical order.
  v1::Evidence reversed = double_vote(val(2), 2, 1);
  std::swap(*reversed.mutable_duplicate_vote()->mutable_vote_a(),
            *reversed.mutable_duplicate_vote()->mutable_vote_b());
  auto b = testkit::commit_next(*leader, g.validators, {}, {reversed});
  ASSERT_TRUE(b.is_ok()) << b.status().to_string();
  ASSERT_EQ(b->block.evidence_size(), 1);
  EXPECT_EQ(b->block.evidence(0), double_vote(val(2), 2, 1).SerializeAsString());
  EXPECT_EQ(b->header.evidence_root(), evidence_root({b->block.evidence(0)}));
  EXPECT_EQ(b->header.evidence_root().size(), 32u);

  auto record = committed_evidence(leader->chain->state(), 2, val(2).address);
  ASSERT_TRUE(record.has_value());
  EXPECT_EQ(record->height(), 2u);
  EXPECT_EQ(record->validator(), val(2).address.to_string());
  EXPECT_EQ(record->included_height(), 4u);
  EXPECT_EQ(record->power(), 10u);
  EXPECT_EQ(record->total_power(), 40u);
  EXPECT_EQ(record->evidence_id(), to_bytes(evidence_id(b->block.evidence(0))));
  EXPECT_EQ(record->evidence().SerializeAsString(), b->block.evidence(0));

  // A block-level event, first in the block's events.
  ASSERT_GE(b->result.events_size(), 1);
  const auto& ev = b->result.events(0);
  EXPECT_EQ(ev.type(), "consensus.evidence");
  std::map<std::string, std::string> attrs;
  for (const auto& a : ev.attributes()) attrs[a.key()] = a.value();
  EXPECT_EQ(attrs["validator"], val(2).address.to_string());
  EXPECT_EQ(attrs["height"], "2");
  EXPECT_EQ(attrs["round"], "1");
  EXPECT_EQ(attrs["vote_type"], "prevote");
  EXPECT_EQ(attrs["power"], "10");

  // The follower verifies it, records the same and reaches the same state.
  auto applied = follower->chain->apply(b->block);
  ASSERT_TRUE(applied.is_ok()) << applied.status().to_string();
  EXPECT_EQ(follower->chain->tip().state_hash(), leader->chain->tip().state_hash());
  auto f_record = committed_evidence(follower->chain->state(), 2, val(2).address);
  ASSERT_TRUE(f_record.has_value());
  EXPECT_EQ(f_record->SerializeAsString(), record->SerializeAsString());

  bool truncated = true;
  auto listed = list_committed_evidence(follower->chain->state(), 0, 10, &truncated);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_FALSE(truncated);
  EXPECT_TRUE(list_committed_evidence(follower->chain->state(), 3, 10, &truncated).empty());

  // Once committed it is never included again, even offered again.
  auto next = testkit::commit_next(*leader, g.validators, {}, {double_vote(val(2), 2, 1)});
  ASSERT_TRUE(next.is_ok());
  EXPECT_EQ(next->block.evidence_size(), 0);
  EXPECT_TRUE(next->header.evidence_root().empty());
}

TEST_F(EvidenceTest, ProposerOrdersDeduplicatesCapsAndDropsWhatIsInvalid) {
  init({{"max_block_evidence", 2}});
  advance(4);
  std::vector<v1::Evidence> offered;
  offered.push_back(double_vote(val(3), 3, 0));
  offered.push_back(double_vote(val(1), 3, 0, v1::PRECOMMIT));
  offered.push_back(double_vote(val(1), 3, 2));  // same validator and height: one of the two
  offered.push_back(double_vote(val(0), 2, 0));
  offered.push_back(double_vote(val(2), 5, 0));  // the block's own height: not yet
  v1::Evidence forged = double_vote(val(0), 1, 0);
  forged.mutable_duplicate_vote()->mutable_vote_b()->mutable_signature()->at(0) ^= 1;
  offered.push_back(forged);
  auto b = testkit::commit_next(*leader, g.validators, {}, offered);
  ASSERT_TRUE(b.is_ok()) << b.status().to_string();
  // Key order (height, then raw validator address), at most max_block_evidence.
  const bool one_first = evidence_key(3, val(1).address) < evidence_key(3, val(3).address);
  const std::string lo = (one_first ? val(1) : val(3)).address.to_string();
  const std::string hi = (one_first ? val(3) : val(1)).address.to_string();
  auto carried = [](const CommittedBlock& block) {
    std::vector<std::pair<uint64_t, std::string>> out;
    for (const auto& bytes : block.block.evidence()) {
      v1::Evidence e;
      EXPECT_TRUE(e.ParseFromString(bytes));
      out.emplace_back(e.duplicate_vote().vote_a().height(),
                       e.duplicate_vote().vote_a().validator());
    }
    return out;
  };
  using Carried = std::vector<std::pair<uint64_t, std::string>>;
  EXPECT_EQ(carried(*b), (Carried{{2, val(0).address.to_string()}, {3, lo}}));
  EXPECT_TRUE(follower->chain->apply(b->block).is_ok());

  // The rest goes into the next block (the block at height 5 can now carry height 5).
  auto b2 = testkit::commit_next(*leader, g.validators, {}, offered);
  ASSERT_TRUE(b2.is_ok());
  EXPECT_EQ(carried(*b2), (Carried{{3, hi}, {5, val(2).address.to_string()}}));
  // Of val1's two pieces at height 3, the first offered (the precommits) is the one recorded.
  auto r = committed_evidence(leader->chain->state(), 3, val(1).address);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->evidence().duplicate_vote().vote_a().type(), v1::PRECOMMIT);
  EXPECT_TRUE(follower->chain->apply(b2->block).is_ok());
  EXPECT_EQ(follower->chain->tip().state_hash(), leader->chain->tip().state_hash());
}

TEST_F(EvidenceTest, EachInvalidPieceRefusesTheBlockAndChangesNothing) {
  init({{"max_evidence_age", 3}, {"max_block_evidence", 2}});
  advance(5);  // the next block is at height 6
  auto bytes = [](const v1::Evidence& e) { return e.SerializeAsString(); };
  auto mutate = [&](auto fn) {
    v1::Evidence e = double_vote(val(1), 4, 0);
    fn(*e.mutable_duplicate_vote()->mutable_vote_a(),
       *e.mutable_duplicate_vote()->mutable_vote_b());
    return bytes(e);
  };
  // Votes re-signed after a change, so only the named problem remains.
  auto resign = [&](v1::Vote& v, const crypto::KeyPair& key) {
    v.set_validator(key.address.to_string());
    KeySigner signer(key, true);
    ASSERT_TRUE(signer.sign_vote(testkit::kMultiChainId, v).is_ok());
  };

  expect_refused(
      block_with({mutate([](v1::Vote&, v1::Vote& b) { b.mutable_signature()->at(5) ^= 1; })}),
      "signature does not verify");
  const auto outsider = testkit::test_key("outsider");
  expect_refused(block_with({mutate([&](v1::Vote& a, v1::Vote& b) {
                   resign(a, outsider);
                   resign(b, outsider);
                 })}),
                 "not a validator");
  expect_refused(block_with({mutate([&](v1::Vote& a, v1::Vote& b) {
                   b.set_block_id(a.block_id());
                   resign(b, val(1));
                 })}),
                 "same block id");
  expect_refused(block_with({mutate([&](v1::Vote&, v1::Vote& b) {
                   b.set_height(3);
                   resign(b, val(1));
                 })}),
                 "different heights");
  expect_refused(block_with({mutate([&](v1::Vote&, v1::Vote& b) {
                   b.set_round(1);
                   resign(b, val(1));
                 })}),
                 "different rounds");
  expect_refused(block_with({mutate([&](v1::Vote&, v1::Vote& b) {
                   b.set_type(v1::PRECOMMIT);
                   resign(b, val(1));
                 })}),
                 "different types");
  expect_refused(block_with({mutate([&](v1::Vote&, v1::Vote& b) { resign(b, val(2)); })}),
                 "different validators");
  expect_refused(block_with({mutate([](v1::Vote& a, v1::Vote& b) { std::swap(a, b); })}),
                 "must sort below");
  expect_refused(block_with({bytes(double_vote(val(1), 2, 0))}), "older than max_evidence_age");
  expect_refused(block_with({bytes(double_vote(val(1), 6, 0))}), "not below the block's");
  expect_refused(block_with({bytes(double_vote(val(1), 9, 0))}), "not below the block's");
  expect_refused(block_with({bytes(double_vote(val(1), 4, 0)), bytes(double_vote(val(1), 4, 1))}),
                 "same validator and height");
  expect_refused(block_with({bytes(double_vote(val(1), 5, 0)), bytes(double_vote(val(1), 4, 0))}),
                 "ascending");
  expect_refused(block_with({bytes(double_vote(val(0), 4, 0)), bytes(double_vote(val(1), 4, 0)),
                             bytes(double_vote(val(2), 4, 0))}),
                 "at most 2");
  expect_refused(block_with({"\xff\xff not a protobuf"}), "does not decode");
  expect_refused(block_with({std::string(kMaxEvidenceBytes + 1, '\0')}), "bytes, at most");
  expect_refused(block_with({bytes(v1::Evidence())}), "not a duplicate vote");
  {
    // Evidence the header does not commit to: stripped, or added without the root.
    v1::Block block = block_with({bytes(double_vote(val(1), 4, 0))});
    block.clear_evidence();
    expect_refused(block, "evidence_root");
    v1::Block added = block_with({});
    added.add_evidence(bytes(double_vote(val(1), 4, 0)));
    expect_refused(added, "evidence_root");
  }

  // The same evidence in a proposer's block is accepted; once committed, it is refused again.
  auto b = testkit::commit_next(*leader, g.validators, {}, {double_vote(val(1), 4, 0)});
  ASSERT_TRUE(b.is_ok());
  ASSERT_EQ(b->block.evidence_size(), 1);
  ASSERT_TRUE(follower->chain->apply(b->block).is_ok());
  expect_refused(block_with({bytes(double_vote(val(1), 4, 1))}), "committed already");
}

TEST_F(EvidenceTest, VerifyEvidenceChecksItsPieces) {
  auto set = ValidatorSet::create(leader->chain->validators());
  ASSERT_TRUE(set.is_ok());
  Bip340Verifier verifier;
  auto ok = verify_evidence(*set, testkit::kMultiChainId, double_vote(val(3), 7, 2), verifier);
  ASSERT_TRUE(ok.is_ok()) << ok.status().to_string();
  EXPECT_EQ(ok->height, 7u);
  EXPECT_EQ(ok->validator, val(3).address);
  EXPECT_EQ(ok->key, evidence_key(7, val(3).address));
  EXPECT_EQ(ok->power, 10u);
  // Another chain's votes do not verify here.
  EXPECT_FALSE(verify_evidence(*set, testkit::kMultiChainId,
                               double_vote(val(3), 7, 2, v1::PREVOTE, "other"), verifier)
                   .is_ok());
  // Height 0 is the genesis: nobody votes there.
  EXPECT_FALSE(
      verify_evidence(*set, testkit::kMultiChainId, double_vote(val(3), 0, 0), verifier).is_ok());
  // The key: prefix, big-endian height, raw address; ordered by height first.
  const Bytes key = evidence_key(0x0102, val(0).address);
  EXPECT_EQ(key.substr(0, 9), "evidence/");
  EXPECT_EQ(to_hex(key.substr(9, 8)), "0000000000000102");
  EXPECT_EQ(key.substr(17), val(0).address.raw());
  EXPECT_LT(evidence_key(1, val(3).address), evidence_key(2, val(0).address));
  // The defaults stand in for a params record without the fields.
  v1::LedgerParams none;
  EXPECT_EQ(max_evidence_age(none), kDefaultMaxEvidenceAge);
  EXPECT_EQ(max_block_evidence(none), kDefaultMaxBlockEvidence);
  EXPECT_EQ(max_evidence_age(leader->chain->params()), kDefaultMaxEvidenceAge);
  EXPECT_EQ(max_block_evidence(leader->chain->params()), kDefaultMaxBlockEvidence);
  EXPECT_TRUE(evidence_root({}).empty());
}

}  // namespace
}  // namespace btt::chain

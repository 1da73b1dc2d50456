// The validator set as a per-height history (doc/consensus.md, "Validator set changes"): a
// test-only module's end_block proposes a set, the chain puts it in force at H + 2, headers carry
// the hashes of each height's set and of the last commit, commits and evidence verify with the
// set of their height, BlockInfo lists the previous block's signers, and pruning keeps what
// max_evidence_age needs.
#include <gtest/gtest.h>

#include <cctype>
#include <map>

#include "btt/chain/evidence.h"
#include "btt/chain/genesis.h"
#include "btt/chain/validator_history.h"
#include "btt/chain/vote_set.h"
#include "btt/crypto/hash.h"
#include "testkit/chain_node.h"
#include "testkit/set_changer.h"
#include "testkit/test_env.h"

namespace btt::chain {
namespace {

using testkit::ChainNode;
using testkit::double_vote;
using testkit::full_commit;

using testkit::SetChanger;

v1::Validator validator(const crypto::KeyPair& key, uint64_t power, std::string name = "") {
  return testkit::validator_of(key, power, std::move(name));
}

Hash32 hash_of(const std::vector<v1::Validator>& validators) {
  return validator_set_hash(*ValidatorSet::create(validators));
}

class ValidatorSetChangeTest : public ::testing::Test {
 protected:
  void init(nlohmann::json params = nullptr) {
    testkit::MultiGenesisOptions options;
    options.params = std::move(params);
    options.extend = testkit::add_set_changer(&changer);
    g = testkit::make_multi_genesis(options);
    leader = std::make_unique<ChainNode>(g.genesis, *g.registry);
    follower = std::make_unique<ChainNode>(g.genesis, *g.registry);
    for (int i = 0; i < 6; ++i) {
      auto k = testkit::test_key("val" + std::to_string(i));
      keys[k.address.to_string()] = k;
    }
  }
  void SetUp() override { init(); }

  const crypto::KeyPair& key(int i) const {
    return keys.at(testkit::test_key("val" + std::to_string(i)).address.to_string());
  }
  // The keys of the set of `height` on `node`, in set order.
  std::vector<crypto::KeyPair> keys_at(const ChainNode& node, uint64_t height) const {
    auto set = ValidatorSet::create(node.chain->validators_at(height).value());
    std::vector<crypto::KeyPair> out;
    for (const auto& v : set->validators()) out.push_back(keys.at(v.address));
    return out;
  }

  // The leader's next block: proposed by the first validator of its height's set, carrying the
  // stored commit of the tip as last_commit.
  Result<PreparedBlock> build_next(const std::vector<v1::Evidence>& evidence = {}) {
    const v1::ChainTip tip = leader->chain->tip();
    const auto signers = keys_at(*leader, tip.height() + 1);
    v1::Commit last_commit;
    if (auto c = leader->chain->commit_at(tip.height())) last_commit = *c;
    return leader->chain->build({}, tip.time_ms() + 1000, signers.at(0), last_commit, evidence);
  }
  // Commits the leader's next block with a commit of its height's whole set, and has the
  // follower apply it (block and commit, as block sync delivers them).
  CommittedBlock advance_one(const std::vector<v1::Evidence>& evidence = {}) {
    auto built = build_next(evidence);
    EXPECT_TRUE(built.is_ok()) << built.status().to_string();
    const uint64_t height = built->block.header.height();
    const v1::Commit own = full_commit(g.genesis.chain_id, height, to_bytes(built->block.hash),
                                       keys_at(*leader, height), built->block.header.time_ms());
    auto committed = leader->chain->commit(std::move(*built), &own);
    EXPECT_TRUE(committed.is_ok()) << committed.status().to_string();
    auto applied = follower->chain->apply(committed->block, &own);
    EXPECT_TRUE(applied.is_ok()) << applied.status().to_string();
    EXPECT_EQ(follower->chain->tip().state_hash(), leader->chain->tip().state_hash());
    return std::move(*committed);
  }
  void advance_to(uint64_t height) {
    while (leader->chain->tip().height() < height) (void)advance_one();
  }

  // `block` with its header changed by `mutate` and signed again by `proposer`.
  static v1::Block resigned(const v1::Block& block, const crypto::KeyPair& proposer,
                            const std::function<void(v1::BlockHeader&)>& mutate) {
    v1::Block out = block;
    v1::BlockHeader header;
    EXPECT_TRUE(header.ParseFromString(block.header()));
    mutate(header);
    out.set_header(header.SerializeAsString());
    auto sig = crypto::schnorr_sign(proposer.secret_key, block_hash(out.header()));
    out.set_signature(std::string(as_view(*sig)));
    return out;
  }

  // The follower refuses `block` with a message containing `needle`, and its tip stays.
  void expect_refused(const v1::Block& block, const std::string& needle) {
    const auto before = follower->chain->tip().SerializeAsString();
    auto r = follower->chain->apply(block);
    ASSERT_FALSE(r.is_ok()) << "accepted a block that should be refused for: " << needle;
    EXPECT_NE(r.status().message().find(needle), std::string::npos) << r.status().message();
    EXPECT_EQ(follower->chain->tip().SerializeAsString(), before);
  }

  std::vector<uint64_t> history_heights(const ChainNode& node) const {
    std::vector<uint64_t> out;
    for (const auto& e : validator_set_history(node.chain->state())) out.push_back(e.from_height);
    return out;
  }

  testkit::MultiGenesis g;
  SetChanger* changer = nullptr;
  std::map<std::string, crypto::KeyPair> keys;
  std::unique_ptr<ChainNode> leader;
  std::unique_ptr<ChainNode> follower;
};

TEST_F(ValidatorSetChangeTest, GenesisWritesTheEntryOfTheFirstHeight) {
  EXPECT_EQ(history_heights(*leader), std::vector<uint64_t>{1});
  const auto first = leader->chain->validators_at(1);
  ASSERT_TRUE(first.has_value());
  ASSERT_EQ(first->size(), 4u);
  // The record is in address order, whatever the genesis file's order.
  for (size_t i = 1; i < first->size(); ++i) {
    EXPECT_LT((*first)[i - 1].address(), (*first)[i].address());
  }
  EXPECT_EQ((*first)[0].power(), 10u);
  EXPECT_FALSE(leader->chain->validators_at(0).has_value());  // before the first block
  EXPECT_TRUE(same_validator_set(leader->chain->validators(), *first));
  EXPECT_TRUE(leader->chain->validators_at(7).has_value());  // the last entry goes on
  EXPECT_EQ(leader->chain->state().get(validator_set_key(1)).has_value(), true);
  EXPECT_EQ(to_hex(validator_set_key(0x0102)), to_hex(std::string("vset/")) + "0000000000000102");
  EXPECT_FALSE(changer->slot_outside_end_block);  // genesis init saw no slot
}

TEST_F(ValidatorSetChangeTest, ASetProposedAtTheEndOfHTakesEffectAtHPlus2) {
  const auto old_set = *leader->chain->validators_at(1);
  // At the end of block 3: val3 leaves, val4 joins with more power, val0 doubles.
  const std::vector<v1::Validator> wanted = {
      validator(key(4), 25, "val4"), validator(key(0), 20, "val0"), validator(key(1), 10, "val1"),
      validator(key(2), 10, "val2")};
  changer->schedule[3] = wanted;
  advance_to(2);
  const CommittedBlock b3 = advance_one();
  // After block 3: heights 4 keeps the old set (fixed at the end of block 2), 5 has the new one.
  EXPECT_EQ(history_heights(*leader), (std::vector<uint64_t>{1, 5}));
  EXPECT_TRUE(same_validator_set(*leader->chain->validators_at(4), old_set));
  EXPECT_TRUE(same_validator_set(*leader->chain->validators_at(5), wanted));
  EXPECT_TRUE(same_validator_set(leader->chain->validators(), old_set));  // the next height, 4
  // The block's result says so.
  bool event = false;
  for (const auto& e : b3.result.events()) {
    if (e.type() != "consensus.validator_set") continue;
    event = true;
    EXPECT_EQ(ledger::attribute(e, "from_height"), "5");
    EXPECT_EQ(ledger::attribute(e, "validators"), "4");
    EXPECT_EQ(ledger::attribute(e, "total_power"), "65");
    EXPECT_EQ(ledger::attribute(e, "hash"), to_hex(hash_of(wanted)));
  }
  EXPECT_TRUE(event);

  // Headers: block 3 and 4 are signed by the old set; 4 announces the new one for 5.
  EXPECT_EQ(b3.header.validators_hash(), to_bytes(hash_of(old_set)));
  EXPECT_EQ(b3.header.next_validators_hash(), to_bytes(hash_of(old_set)));
  const CommittedBlock b4 = advance_one();
  EXPECT_EQ(b4.header.validators_hash(), to_bytes(hash_of(old_set)));
  EXPECT_EQ(b4.header.next_validators_hash(), to_bytes(hash_of(wanted)));
  // Block 5 is the first of the new set: proposed by one of it, its last_commit (of block 4)
  // signed by the old set, and the follower verifies it against the set of height 4.
  const CommittedBlock b5 = advance_one();
  EXPECT_EQ(b5.header.validators_hash(), to_bytes(hash_of(wanted)));
  EXPECT_EQ(b5.header.next_validators_hash(), to_bytes(hash_of(wanted)));
  EXPECT_EQ(b5.block.last_commit().signatures_size(), 4);
  EXPECT_EQ(b5.header.last_commit_hash(), to_bytes(*commit_hash(b5.block.last_commit())));
  bool val3_signed_b4 = false;
  for (const auto& cs : b5.block.last_commit().signatures()) {
    val3_signed_b4 |= cs.validator() == key(3).address.to_string();
  }
  EXPECT_TRUE(val3_signed_b4);
  // Block 6's last_commit is the new set's.
  const CommittedBlock b6 = advance_one();
  for (const auto& cs : b6.block.last_commit().signatures()) {
    EXPECT_NE(cs.validator(), key(3).address.to_string());
  }
  EXPECT_EQ(follower->chain->tip().block_hash(), leader->chain->tip().block_hash());
  EXPECT_FALSE(changer->slot_outside_end_block);
  EXPECT_FALSE(changer->end_block_without_slot);

  // A late node replays every block with the commit of each (block sync): each verifies with
  // the set of its height across the change.
  ChainNode late(g.genesis, *g.registry);
  for (uint64_t h = 1; h <= 6; ++h) {
    auto block = leader->chain->block_at(h);
    auto commit = leader->chain->commit_at(h);
    ASSERT_TRUE(block && commit);
    auto set = ValidatorSet::create(*late.chain->validators_at(h));
    ASSERT_TRUE(set.is_ok());
    EXPECT_TRUE(
        verify_commit(*set, g.genesis.chain_id, h, to_bytes(block_hash(block->header())), *commit)
            .is_ok())
        << h;
    ASSERT_TRUE(late.chain->apply(*block, &*commit).is_ok()) << h;
  }
  EXPECT_EQ(late.chain->tip().state_hash(), leader->chain->tip().state_hash());
}

TEST_F(ValidatorSetChangeTest, AnEqualSetWritesNothing) {
  auto same = *leader->chain->validators_at(1);
  std::reverse(same.begin(), same.end());  // any order
  changer->schedule[2] = same;
  advance_to(3);
  EXPECT_EQ(history_heights(*leader), std::vector<uint64_t>{1});
  // Another name is another record: names are state, though not in the hash.
  auto renamed = same;
  renamed[0].set_name("renamed");
  changer->schedule[4] = renamed;
  advance_to(4);
  EXPECT_EQ(history_heights(*leader), (std::vector<uint64_t>{1, 6}));
  EXPECT_EQ(hash_of(*leader->chain->validators_at(6)), hash_of(same));
}

TEST_F(ValidatorSetChangeTest, AnInvalidSetFailsTheBlockAndWritesNothing) {
  advance_to(2);
  const auto good = *leader->chain->validators_at(1);
  auto broken = [&](auto mutate) {
    auto set = good;
    mutate(set);
    return set;
  };
  const auto outsider = testkit::test_key("outsider");
  const std::vector<std::pair<std::vector<v1::Validator>, std::string>> cases = {
      {{}, "empty"},
      {broken([](auto& s) { s[1].set_power(0); }), "zero power"},
      {broken([&](auto& s) { s.push_back(s[0]); }), "appears twice"},
      {broken([&](auto& s) { s[0].set_address(outsider.address.to_string()); }),
       "not the canonical address"},
      {broken([&](auto& s) { s[0].set_public_key(std::string(31, 'k')); }), "32-byte"},
      {broken([&](auto& s) {
         std::string upper = s[0].address();
         for (char& c : upper) c = static_cast<char>(std::toupper(c));
         s[0].set_address(upper);
       }),
       "not the canonical address"},
      {broken([](auto& s) { s[2].set_name(std::string(65, 'n')); }), "name longer"},
      {broken([](auto& s) {
         s[0].set_power(kMaxTotalPower);
         s[1].set_power(1);
       }),
       "total power exceeds"},
  };
  for (const auto& [set, needle] : cases) {
    changer->schedule[3] = set;
    auto built = build_next();
    ASSERT_FALSE(built.is_ok()) << needle;
    EXPECT_EQ(built.status().code(), Code::kInternal);
    EXPECT_NE(built.status().message().find(needle), std::string::npos) << built.status().message();
    EXPECT_EQ(leader->chain->tip().height(), 2u);
  }
  // More than kMaxValidators.
  std::vector<v1::Validator> many;
  for (size_t i = 0; i <= kMaxValidators; ++i) {
    many.push_back(validator(testkit::test_key("many" + std::to_string(i)), 1));
  }
  changer->schedule[3] = many;
  auto built = build_next();
  ASSERT_FALSE(built.is_ok());
  EXPECT_NE(built.status().message().find("at most 1000"), std::string::npos);
  many.pop_back();
  EXPECT_TRUE(validate_validator_set(many).is_ok());  // exactly the maximum is fine
  EXPECT_EQ(history_heights(*leader), std::vector<uint64_t>{1});
  // A valid set goes through again.
  changer->schedule[3] = {validator(key(0), 1)};
  advance_to(3);
  EXPECT_EQ(history_heights(*leader), (std::vector<uint64_t>{1, 5}));
}

TEST_F(ValidatorSetChangeTest, BlocksWithWrongHashesOrTheWrongSetAreRefused) {
  changer->schedule[2] = {validator(key(4), 10), validator(key(1), 10), validator(key(2), 10),
                          validator(key(3), 10)};
  advance_to(2);
  // Block 3: still the old set, announcing the new one.
  auto b3 = build_next();
  ASSERT_TRUE(b3.is_ok());
  const v1::Block block = b3->block.block;
  const crypto::KeyPair proposer = keys_at(*leader, 3).at(0);
  expect_refused(resigned(block, proposer,
                          [](v1::BlockHeader& h) { h.set_validators_hash(std::string(32, 'x')); }),
                 "validators_hash is not the hash of the validator set of height 3");
  // Claiming that the set stays (the old set's hash as the next one).
  expect_refused(
      resigned(block, proposer,
               [&](v1::BlockHeader& h) { h.set_next_validators_hash(h.validators_hash()); }),
      "next_validators_hash is not the hash of the validator set of height 4");
  expect_refused(
      resigned(block, proposer, [](v1::BlockHeader& h) { h.clear_next_validators_hash(); }),
      "next_validators_hash");
  expect_refused(resigned(block, proposer, [](v1::BlockHeader& h) { h.set_last_commit_hash("x"); }),
                 "last_commit_hash does not match last_commit");
  {
    // Another valid commit of block 2 (3 of 4 signers) under the original header's hash.
    v1::Block other = block;
    auto signers = keys_at(*leader, 2);
    signers.pop_back();
    *other.mutable_last_commit() =
        full_commit(g.genesis.chain_id, 2, leader->chain->tip().block_hash(), signers, 5);
    expect_refused(other, "last_commit_hash does not match last_commit");
  }
  ASSERT_TRUE(follower->chain->apply(block).is_ok());
  const v1::Commit own3 =
      full_commit(g.genesis.chain_id, 3, to_bytes(b3->block.hash), keys_at(*leader, 3), 6);
  ASSERT_TRUE(leader->chain->commit(std::move(*b3), &own3).is_ok());

  // Block 4, the first of the new set: its last_commit must be the old set's (of height 3).
  // Signed by the new set instead (val4 for val0), it is refused even with a matching hash.
  auto b4 = build_next();
  ASSERT_TRUE(b4.is_ok()) << b4.status().to_string();
  const crypto::KeyPair proposer4 = keys_at(*leader, 4).at(0);
  {
    v1::Block wrong_set = b4->block.block;
    *wrong_set.mutable_last_commit() = full_commit(
        g.genesis.chain_id, 3, leader->chain->tip().block_hash(), keys_at(*leader, 4), 6);
    const Hash32 h = *commit_hash(wrong_set.last_commit());
    wrong_set = resigned(wrong_set, proposer4,
                         [&](v1::BlockHeader& hd) { hd.set_last_commit_hash(to_bytes(h)); });
    expect_refused(wrong_set, "not a validator");
  }
  // A proposer of the old set that the new set left out (val0) may not propose height 4.
  {
    const v1::Block by_val0 = resigned(b4->block.block, key(0), [&](v1::BlockHeader& h) {
      h.set_proposer(key(0).address.to_string());
    });
    expect_refused(by_val0, "is not a validator of height 4");
  }
  {
    // The first block of a chain carries no last_commit_hash.
    ChainNode fresh(g.genesis, *g.registry);
    auto b1 = leader->chain->block_at(1);
    ASSERT_TRUE(b1.has_value());
    v1::BlockHeader h1;
    ASSERT_TRUE(h1.ParseFromString(b1->header()));
    EXPECT_TRUE(h1.last_commit_hash().empty());
    const auto bad = resigned(*b1, keys_at(*leader, 1).at(0), [](v1::BlockHeader& h) {
      h.set_last_commit_hash(std::string(32, 'c'));
    });
    auto r = fresh.chain->apply(bad);
    ASSERT_FALSE(r.is_ok());
    EXPECT_NE(r.status().message().find("last_commit_hash in the first block"), std::string::npos);
  }
  ASSERT_TRUE(follower->chain->apply(b4->block.block).is_ok());
}

TEST_F(ValidatorSetChangeTest, BlockInfoListsThePreviousSetWithItsSigners) {
  changer->schedule[2] = {validator(key(4), 7), validator(key(0), 10), validator(key(1), 10),
                          validator(key(2), 10)};
  // Block 1: no last commit.
  (void)advance_one();
  EXPECT_TRUE(changer->seen.at(1).last_commit.empty());
  // Block 2 carries a commit of block 1 by three of the four (30 of 40).
  {
    const v1::ChainTip tip = leader->chain->tip();
    auto signers = keys_at(*leader, 1);
    const crypto::Address left_out = signers[1].address;
    signers.erase(signers.begin() + 1);
    const v1::Commit partial =
        full_commit(g.genesis.chain_id, 1, tip.block_hash(), signers, tip.time_ms());
    auto built = leader->chain->build({}, tip.time_ms() + 1000, signers[0], partial);
    ASSERT_TRUE(built.is_ok()) << built.status().to_string();
    const auto seen = changer->seen.at(2).last_commit;
    const auto set = *ValidatorSet::create(*leader->chain->validators_at(1));
    ASSERT_EQ(seen.size(), 4u);
    for (size_t i = 0; i < seen.size(); ++i) {
      EXPECT_EQ(seen[i].validator.to_string(), set.validators()[i].address);  // set order
      EXPECT_EQ(seen[i].power, 10u);
      EXPECT_EQ(seen[i].signed_block, seen[i].validator != left_out) << i;
    }
    // The follower sees the same signers from the block it verifies.
    changer->seen.clear();
    ASSERT_TRUE(follower->chain->prepare(built->block.block).is_ok());
    const auto& follower_seen = changer->seen.at(2).last_commit;
    ASSERT_EQ(follower_seen.size(), 4u);
    for (size_t i = 0; i < 4; ++i) {
      EXPECT_EQ(follower_seen[i].signed_block, seen[i].signed_block);
    }
    // A partial last commit that is no quorum is refused by the proposer's own build.
    signers.pop_back();
    auto weak = leader->chain->build(
        {}, tip.time_ms() + 1000, signers[0],
        full_commit(g.genesis.chain_id, 1, tip.block_hash(), signers, tip.time_ms()));
    ASSERT_FALSE(weak.is_ok());
    EXPECT_NE(weak.status().message().find("last_commit"), std::string::npos);
  }
  advance_to(4);
  // Block 4 is the new set's; its last commit is block 3's, decided by the old set, and that is
  // the set listed (val3 included, val4 not).
  const auto& at4 = changer->seen.at(4).last_commit;
  ASSERT_EQ(at4.size(), 4u);
  bool has3 = false, has4 = false;
  for (const auto& v : at4) {
    has3 |= v.validator == key(3).address;
    has4 |= v.validator == key(4).address;
    EXPECT_TRUE(v.signed_block);
  }
  EXPECT_TRUE(has3);
  EXPECT_FALSE(has4);
  (void)advance_one();
  const auto& at5 = changer->seen.at(5).last_commit;
  uint64_t power4 = 0;
  for (const auto& v : at5) {
    if (v.validator == key(4).address) power4 = v.power;
  }
  EXPECT_EQ(power4, 7u);
}

TEST_F(ValidatorSetChangeTest, EvidenceOfAnOldHeightVerifiesWithThatHeightsSet) {
  // val3 leaves and val4 joins at height 5 (set at the end of 3).
  changer->schedule[3] = {validator(key(4), 30), validator(key(0), 10), validator(key(1), 10),
                          validator(key(2), 10)};
  advance_to(6);
  const uint64_t time3 = [&] {
    v1::BlockHeader h;
    EXPECT_TRUE(h.ParseFromString(leader->chain->block_at(3)->header()));
    return h.time_ms();
  }();
  // val3 double-signed at height 3, in the old set; val4 "double-signed" at height 3, before it
  // was a validator; val4 at height 6 in the new set.
  const auto old_piece = double_vote(key(3), 3, 0);
  const auto not_yet = double_vote(key(4), 3, 0);
  const auto new_piece = double_vote(key(4), 6, 1);
  const CommittedBlock b7 = advance_one({old_piece, not_yet, new_piece});
  ASSERT_EQ(b7.block.evidence_size(), 2);  // not_yet is dropped by the proposer
  auto r3 = committed_evidence(leader->chain->state(), 3, key(3).address);
  ASSERT_TRUE(r3.has_value());
  EXPECT_EQ(r3->power(), 10u);
  EXPECT_EQ(r3->total_power(), 40u);  // the old set's
  auto r4 = committed_evidence(leader->chain->state(), 6, key(4).address);
  ASSERT_TRUE(r4.has_value());
  EXPECT_EQ(r4->power(), 30u);
  EXPECT_EQ(r4->total_power(), 60u);  // the new set's
  // The hooks saw both, with the infraction heights' block times and powers.
  const auto& mis = changer->seen.at(7).misbehaviour;
  ASSERT_EQ(mis.size(), 2u);
  EXPECT_EQ(mis[0].validator, key(3).address);
  EXPECT_EQ(mis[0].height, 3u);
  EXPECT_EQ(mis[0].time_ms, time3);
  EXPECT_EQ(mis[0].power, 10u);
  EXPECT_EQ(mis[1].validator, key(4).address);
  EXPECT_EQ(mis[1].height, 6u);
  EXPECT_EQ(mis[1].power, 30u);
  EXPECT_TRUE(changer->seen.at(6).misbehaviour.empty());

  // A block carrying val4's piece of height 3 is refused: not a validator at that height.
  auto built = build_next();
  ASSERT_TRUE(built.is_ok());
  v1::Block bad = built->block.block;
  bad.add_evidence(not_yet.SerializeAsString());
  bad = resigned(bad, keys_at(*leader, 8).at(0), [&](v1::BlockHeader& h) {
    h.set_evidence_root(evidence_root({not_yet.SerializeAsString()}));
  });
  expect_refused(bad, "not a validator at this height");
}

TEST_F(ValidatorSetChangeTest, PruningKeepsTheSetsMaxEvidenceAgeNeeds) {
  init({{"max_evidence_age", 3}});
  // Entries from 1 (genesis, whole), then 4, 6, 8 (set at the end of 2, 4, 6): changes of
  // depth 1, 2, 3 built on 1, so 1 stays while they do.
  changer->schedule[2] = {validator(key(0), 11), validator(key(1), 10), validator(key(2), 10),
                          validator(key(3), 10)};
  changer->schedule[4] = {validator(key(0), 12), validator(key(1), 10), validator(key(2), 10),
                          validator(key(3), 10)};
  changer->schedule[6] = {validator(key(0), 13), validator(key(1), 10), validator(key(2), 10),
                          validator(key(3), 10)};
  const std::map<uint64_t, std::vector<uint64_t>> expected = {
      {1, {1}}, {2, {1, 4}}, {3, {1, 4}}, {4, {1, 4, 6}}, {6, {1, 4, 6, 8}}, {10, {1, 4, 6, 8}}};
  for (const auto& [tip, heights] : expected) {
    advance_to(tip);
    EXPECT_EQ(history_heights(*leader), heights) << "after block " << tip;
    EXPECT_EQ(history_heights(*follower), heights) << "after block " << tip;
    for (uint64_t h = tip >= 3 ? tip - 2 : 1; h <= tip + 2; ++h) {
      EXPECT_TRUE(leader->chain->validators_at(h).has_value()) << "height " << h << " at " << tip;
    }
  }
  const auto at8 = leader->chain->validators_at(8).value();
  for (const auto& v : at8) {
    if (v.address() == key(0).address.to_string()) {
      EXPECT_EQ(v.power(), 13u);
    }
  }

  // Evidence of the oldest height the next block (11) may carry, 8, verifies with its set;
  // height 7 is too old.
  const CommittedBlock b11 = advance_one({double_vote(key(1), 8, 0), double_vote(key(2), 7, 0)});
  ASSERT_EQ(b11.block.evidence_size(), 1);
  EXPECT_TRUE(committed_evidence(leader->chain->state(), 8, key(1).address).has_value());
}

// A set that changes at every block (staking with delegations in every block): each entry holds
// only its change, every 16th the whole set, so the history stays small; every height within
// max_evidence_age answers its exact set, and pruning keeps the whole entry the oldest needed
// one builds on.
TEST_F(ValidatorSetChangeTest, ChangesAtEveryBlockAreStoredAsChangesWithWholeCheckpoints) {
  init({{"max_evidence_age", 3}});
  auto set_of_block = [&](uint64_t h) {
    // Key 0's power follows the height; key 4 is in the set at odd heights only.
    std::vector<v1::Validator> set = {validator(key(0), 10 + h), validator(key(1), 10),
                                      validator(key(2), 10), validator(key(3), 10)};
    if (h % 2 == 1) set.push_back(validator(key(4), 1));
    return set;
  };
  for (uint64_t h = 1; h <= 45; ++h) changer->schedule[h] = set_of_block(h);
  size_t max_entries = 0;
  for (uint64_t tip = 1; tip <= 45; ++tip) {
    advance_to(tip);
    // Entry tip + 2 is the set chosen at the end of tip.
    for (uint64_t h = std::max<uint64_t>(3, tip >= 2 ? tip - 2 : 1); h <= tip + 2; ++h) {
      auto at = leader->chain->validators_at(h);
      ASSERT_TRUE(at.has_value()) << "height " << h << " after " << tip;
      EXPECT_TRUE(same_validator_set(*at, set_of_block(h - 2))) << "height " << h;
      EXPECT_EQ(hash_of(*at), hash_of(*follower->chain->validators_at(h)));
    }
    // The oldest kept entry is whole; the others are changes of depth 1..15 on the one before.
    std::vector<v1::ValidatorSetRecord> records;
    leader->chain->state().scan(kValidatorSetPrefix, [&](std::string_view, std::string_view v) {
      records.emplace_back().ParseFromArray(v.data(), static_cast<int>(v.size()));
      return true;
    });
    ASSERT_FALSE(records.empty());
    EXPECT_EQ(records.front().depth(), 0u) << "after " << tip;
    EXPECT_FALSE(records.front().validators().empty());
    for (size_t i = 1; i < records.size(); ++i) {
      const auto& r = records[i];
      EXPECT_EQ(r.depth(), (records[i - 1].depth() + 1) % kValidatorSetCheckpointInterval);
      if (r.depth() > 0) {
        EXPECT_TRUE(r.validators().empty());
        // Key 0 changes power and key 4 comes or goes: two changes per entry (against the
        // genesis entry, whose members have names, all five).
        EXPECT_EQ(r.changes_size(), r.base_height() == 1 ? 5 : 2) << "after " << tip;
      }
    }
    max_entries = std::max(max_entries, records.size());
  }
  // At most one checkpoint interval plus the evidence window.
  EXPECT_LE(max_entries, kValidatorSetCheckpointInterval + 4);
  EXPECT_FALSE(leader->chain->validators_at(2).has_value());
}

TEST_F(ValidatorSetChangeTest, ASingleProposerMustBeAQuorumOfTheHeightsSet) {
  testkit::MultiGenesisOptions options;
  options.validators = 1;
  options.extend = testkit::add_set_changer(&changer);
  auto one = testkit::make_multi_genesis(options);
  ChainNode node(one.genesis, *one.registry);
  const crypto::KeyPair& self = one.validators[0];
  changer->schedule[1] = {validator(self, 10), validator(key(4), 10)};
  ASSERT_TRUE(node.chain->propose({}, one.genesis.genesis_time_ms + 1000, self).is_ok());
  ASSERT_TRUE(node.chain->propose({}, one.genesis.genesis_time_ms + 2000, self).is_ok());
  // Height 3: val4 holds half the power, so the node's own precommit is no commit.
  auto third = node.chain->propose({}, one.genesis.genesis_time_ms + 3000, self);
  ASSERT_FALSE(third.is_ok());
  EXPECT_EQ(third.status().code(), Code::kUnavailable);
  EXPECT_NE(third.status().message().find("not a quorum"), std::string::npos);
  EXPECT_EQ(node.chain->tip().height(), 2u);
}

// bttd export carries every history entry (doc/genesis.md, "validator_sets"): the imported chain
// holds the same keys, and goes on with the set of each height, the pending change included.
TEST_F(ValidatorSetChangeTest, ExportAndImportKeepTheHistory) {
  changer->schedule[3] = {validator(key(4), 10), validator(key(1), 10), validator(key(2), 10),
                          validator(key(3), 10)};
  changer->schedule[6] = {validator(key(4), 10), validator(key(5), 10), validator(key(2), 10),
                          validator(key(3), 10)};
  advance_to(6);
  EXPECT_EQ(history_heights(*leader), (std::vector<uint64_t>{1, 5, 8}));
  const v1::ChainTip tip = leader->chain->tip();
  auto file =
      export_genesis(leader->chain->state(), *g.registry, g.genesis.chain_id, 6, tip.time_ms());
  ASSERT_TRUE(file.is_ok()) << file.status().to_string();
  // `validators` is the set of height 7; the entries go in validator_sets.
  ASSERT_EQ((*file)["validator_sets"].size(), 3u);
  EXPECT_EQ((*file)["validator_sets"][0]["from_height"], "1");
  EXPECT_EQ((*file)["validator_sets"][1]["from_height"], "5");
  EXPECT_EQ((*file)["validator_sets"][2]["from_height"], "8");
  EXPECT_EQ((*file)["validators"].size(), 4u);
  auto imported_genesis = Genesis::parse(file->dump(), *g.registry);
  ASSERT_TRUE(imported_genesis.is_ok()) << imported_genesis.status().to_string();
  EXPECT_EQ(imported_genesis->initial_height, 7u);

  ChainNode imported(*imported_genesis, *g.registry);
  std::map<Bytes, Bytes> source, copy;
  leader->chain->state().scan("", [&](std::string_view k, std::string_view v) {
    source.emplace(Bytes(k), Bytes(v));
    return true;
  });
  imported.chain->state().scan("", [&](std::string_view k, std::string_view v) {
    copy.emplace(Bytes(k), Bytes(v));
    return true;
  });
  EXPECT_TRUE(source == copy);
  EXPECT_EQ(imported.chain->tip().state_hash(),
            to_bytes(import_state_hash(leader->chain->state(), 6)));

  // Blocks 7 (the set of height 7) and 8 (the change set at the end of 6) on the new chain.
  for (uint64_t h = 7; h <= 8; ++h) {
    const v1::ChainTip t = imported.chain->tip();
    const auto signers = keys_at(imported, h);
    v1::Commit last;
    if (auto c = imported.chain->commit_at(t.height())) last = *c;
    auto built = imported.chain->build({}, t.time_ms() + 1000, signers.at(0), last);
    ASSERT_TRUE(built.is_ok()) << h << ": " << built.status().to_string();
    EXPECT_EQ(built->block.header.validators_hash(),
              to_bytes(hash_of(*imported.chain->validators_at(h))));
    const v1::Commit own = full_commit(imported_genesis->chain_id, h, to_bytes(built->block.hash),
                                       signers, built->block.header.time_ms());
    ASSERT_TRUE(imported.chain->commit(std::move(*built), &own).is_ok()) << h;
  }
  bool val5_in_8 = false;
  const auto at8 = imported.chain->validators_at(8).value();
  for (const auto& v : at8) {
    val5_in_8 |= v.address() == key(5).address.to_string();
  }
  EXPECT_TRUE(val5_in_8);
}

TEST(ValidatorSetHashes, AreTheDocumentedTaggedHashes) {
  const auto a = testkit::test_key("val0");
  const auto b = testkit::test_key("val1");
  const auto set = *ValidatorSet::create({validator(a, 5, "named"), validator(b, 7)});
  Bytes bytes;
  put_u32_be(bytes, 2);
  for (const auto& v : set.validators()) {
    bytes.append(crypto::Address::parse(v.address)->raw());
    bytes.append(as_view(v.public_key));
    put_u64_be(bytes, v.power);
  }
  EXPECT_EQ(validator_set_hash(set), crypto::tagged_hash("btt/valset", bytes));
  // Names and the input order do not matter; powers do.
  EXPECT_EQ(validator_set_hash(*ValidatorSet::create({validator(b, 7), validator(a, 5)})),
            validator_set_hash(set));
  EXPECT_NE(validator_set_hash(*ValidatorSet::create({validator(b, 7), validator(a, 6)})),
            validator_set_hash(set));

  // The commit hash sorts the signatures by validator and refuses what has no encoding.
  const v1::Commit commit = full_commit("btt-x", 9, std::string(32, 'i'), {a, b}, 77);
  v1::Commit reversed = commit;
  std::swap(*reversed.mutable_signatures(0), *reversed.mutable_signatures(1));
  ASSERT_TRUE(commit_hash(commit).is_ok());
  EXPECT_EQ(*commit_hash(commit), *commit_hash(reversed));
  v1::Commit other_ts = commit;
  other_ts.mutable_signatures(0)->set_timestamp_ms(78);
  EXPECT_NE(*commit_hash(commit), *commit_hash(other_ts));
  v1::Commit short_id = commit;
  short_id.set_block_id("x");
  EXPECT_FALSE(commit_hash(short_id).is_ok());
  v1::Commit not_canonical = commit;
  std::string upper = not_canonical.signatures(0).validator();
  for (char& c : upper) c = static_cast<char>(std::toupper(c));
  not_canonical.mutable_signatures(0)->set_validator(upper);
  EXPECT_FALSE(commit_hash(not_canonical).is_ok());
  v1::Commit short_sig = commit;
  short_sig.mutable_signatures(1)->set_signature("s");
  EXPECT_FALSE(commit_hash(short_sig).is_ok());
}

}  // namespace
}  // namespace btt::chain

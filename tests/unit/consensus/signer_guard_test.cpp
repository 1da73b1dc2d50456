// SignerGuard: durable double-sign protection across restarts.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "btt/consensus/signer_guard.h"
#include "testkit/temp_dir.h"
#include "testkit/validators.h"

namespace btt::consensus {
namespace {

using testkit::block_id_of;
using testkit::kChainId;

class SignerGuardTest : public ::testing::Test {
 protected:
  std::unique_ptr<SignerGuard> open_guard() {
    auto g = SignerGuard::open(path, std::make_unique<chain::KeySigner>(key));
    EXPECT_TRUE(g.is_ok()) << g.status().to_string();
    return g.is_ok() ? std::move(*g) : nullptr;
  }
  static v1::Vote vote(v1::VoteType type, uint64_t height, uint32_t round, const Bytes& id,
                       uint64_t ts = 100) {
    v1::Vote v;
    v.set_type(type);
    v.set_height(height);
    v.set_round(round);
    v.set_block_id(id);
    v.set_timestamp_ms(ts);
    return v;
  }
  static v1::Proposal proposal(uint64_t height, uint32_t round, const Bytes& id,
                               uint64_t ts = 100) {
    v1::Proposal p;
    p.set_height(height);
    p.set_round(round);
    p.set_pol_round(-1);
    p.set_block_id(id);
    p.set_timestamp_ms(ts);
    return p;
  }
  bool verifies(const v1::Vote& v) {
    auto sig = crypto::signature_from_bytes(v.signature());
    return sig && crypto::schnorr_verify(key.public_key, chain::vote_digest(kChainId, v), *sig);
  }
  std::string file_bytes() {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  void write_file(const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
  }

  testkit::TempDir dir{"btt-signer-guard"};
  std::filesystem::path path = dir.path() / "priv_validator_state";
  crypto::KeyPair key = testkit::test_key("guarded");
  Bytes a = block_id_of("a");
  Bytes b = block_id_of("b");
};

TEST_F(SignerGuardTest, SignsAndPersistsBeforeReturning) {
  auto g = open_guard();
  EXPECT_FALSE(g->last().has_value());
  EXPECT_FALSE(std::filesystem::exists(path));
  v1::Vote v = vote(v1::PREVOTE, 3, 0, a);
  ASSERT_TRUE(g->sign_vote(kChainId, v).is_ok());
  EXPECT_TRUE(verifies(v));
  ASSERT_TRUE(std::filesystem::exists(path));
  auto rec = SignerGuard::decode(file_bytes());
  ASSERT_TRUE(rec.is_ok()) << rec.status().to_string();
  EXPECT_EQ(rec->height(), 3u);
  EXPECT_EQ(rec->round(), 0u);
  EXPECT_EQ(rec->step(), 2u);
  EXPECT_EQ(rec->block_id(), a);
  EXPECT_EQ(rec->signature(), v.signature());
  EXPECT_EQ(rec->sign_bytes(), chain::vote_sign_bytes(kChainId, v));
  EXPECT_FALSE(std::filesystem::exists(path.string() + ".tmp"));
}

TEST_F(SignerGuardTest, SameRequestIsIdempotent) {
  auto g = open_guard();
  v1::Vote first = vote(v1::PRECOMMIT, 3, 1, a, 100);
  ASSERT_TRUE(g->sign_vote(kChainId, first).is_ok());
  v1::Vote again = vote(v1::PRECOMMIT, 3, 1, a, 999);  // a later clock: same vote otherwise
  ASSERT_TRUE(g->sign_vote(kChainId, again).is_ok());
  EXPECT_EQ(again.signature(), first.signature());
  EXPECT_EQ(again.timestamp_ms(), 100u);  // the recorded timestamp, so the signature verifies
  EXPECT_TRUE(verifies(again));

  v1::Proposal p = proposal(4, 0, b);
  ASSERT_TRUE(g->sign_proposal(kChainId, p).is_ok());
  v1::Proposal p2 = proposal(4, 0, b, 500);
  ASSERT_TRUE(g->sign_proposal(kChainId, p2).is_ok());
  EXPECT_EQ(p2.signature(), p.signature());
  EXPECT_EQ(p2.timestamp_ms(), 100u);
}

TEST_F(SignerGuardTest, ConflictingRequestsAreRefused) {
  auto g = open_guard();
  v1::Vote v = vote(v1::PREVOTE, 5, 2, a);
  ASSERT_TRUE(g->sign_vote(kChainId, v).is_ok());
  const std::string before = file_bytes();

  v1::Vote other = vote(v1::PREVOTE, 5, 2, b);
  Status s = g->sign_vote(kChainId, other);
  EXPECT_FALSE(s.is_ok());
  EXPECT_NE(s.message().find("refusing to sign height 5 round 2 step prevote"), std::string::npos)
      << s.message();
  EXPECT_TRUE(other.signature().empty());

  v1::Vote nil = vote(v1::PREVOTE, 5, 2, Bytes());
  EXPECT_FALSE(g->sign_vote(kChainId, nil).is_ok());
  v1::Vote other_chain = vote(v1::PREVOTE, 5, 2, a);
  EXPECT_FALSE(g->sign_vote("another-chain", other_chain).is_ok());

  // Anything lower: height, round, or step at the same round.
  v1::Vote lower_height = vote(v1::PRECOMMIT, 4, 9, a);
  EXPECT_FALSE(g->sign_vote(kChainId, lower_height).is_ok());
  v1::Vote lower_round = vote(v1::PRECOMMIT, 5, 1, a);
  EXPECT_FALSE(g->sign_vote(kChainId, lower_round).is_ok());
  v1::Proposal lower_step = proposal(5, 2, a);
  Status ps = g->sign_proposal(kChainId, lower_step);
  EXPECT_FALSE(ps.is_ok());
  EXPECT_NE(ps.message().find("already signed height 5 round 2 step prevote"), std::string::npos)
      << ps.message();
  EXPECT_EQ(file_bytes(), before);  // nothing refused was recorded

  // Higher is fine: the precommit of the round, then the next round.
  v1::Vote pc = vote(v1::PRECOMMIT, 5, 2, Bytes());
  EXPECT_TRUE(g->sign_vote(kChainId, pc).is_ok());
  v1::Proposal next = proposal(5, 3, b);
  EXPECT_TRUE(g->sign_proposal(kChainId, next).is_ok());
  v1::Vote bad_type = vote(static_cast<v1::VoteType>(9), 6, 0, a);
  EXPECT_EQ(g->sign_vote(kChainId, bad_type).code(), Code::kMalformed);
}

TEST_F(SignerGuardTest, CrashAndRestartNeverSignsTwice) {
  v1::Vote signed_before;
  {
    auto g = open_guard();
    signed_before = vote(v1::PRECOMMIT, 10, 3, a, 100);
    ASSERT_TRUE(g->sign_vote(kChainId, signed_before).is_ok());
    // The process dies here: nothing else is flushed or closed.
  }
  // A crash between writing the tmp file and the rename leaves a stray tmp file behind; the real
  // file stays authoritative.
  std::ofstream(path.string() + ".tmp", std::ios::binary) << "half-written";

  auto g = open_guard();
  ASSERT_TRUE(g->last().has_value());
  EXPECT_EQ(g->last()->height(), 10u);
  v1::Vote conflicting = vote(v1::PRECOMMIT, 10, 3, Bytes(), 200);
  EXPECT_FALSE(g->sign_vote(kChainId, conflicting).is_ok());
  v1::Vote same = vote(v1::PRECOMMIT, 10, 3, a, 300);
  ASSERT_TRUE(g->sign_vote(kChainId, same).is_ok());
  EXPECT_EQ(same.signature(), signed_before.signature());
  EXPECT_EQ(same.timestamp_ms(), 100u);
  v1::Vote earlier = vote(v1::PREVOTE, 10, 3, a);
  EXPECT_FALSE(g->sign_vote(kChainId, earlier).is_ok());
  v1::Vote next = vote(v1::PREVOTE, 11, 0, b);
  ASSERT_TRUE(g->sign_vote(kChainId, next).is_ok());

  auto g2 = open_guard();  // and again: the newest record survived
  EXPECT_EQ(g2->last()->height(), 11u);
  EXPECT_EQ(g2->last()->signature(), next.signature());
}

TEST_F(SignerGuardTest, CorruptFileIsRefusedNeverReset) {
  {
    auto g = open_guard();
    v1::Vote v = vote(v1::PREVOTE, 7, 0, a);
    ASSERT_TRUE(g->sign_vote(kChainId, v).is_ok());
  }
  const std::string good = file_bytes();
  auto expect_refused = [&](const std::string& bytes, const std::string& why) {
    write_file(bytes);
    auto g = SignerGuard::open(path, std::make_unique<chain::KeySigner>(key));
    ASSERT_FALSE(g.is_ok()) << why;
    EXPECT_EQ(g.status().code(), Code::kStorage);
    EXPECT_NE(g.status().message().find("is corrupt"), std::string::npos) << g.status().message();
    EXPECT_NE(g.status().message().find("refusing to sign"), std::string::npos);
    EXPECT_EQ(file_bytes(), bytes) << "the file must be left as it is: " << why;
  };
  std::string flipped = good;
  flipped[good.size() / 2] = static_cast<char>(flipped[good.size() / 2] ^ 0x40);
  expect_refused(flipped, "a flipped bit");
  expect_refused(good.substr(0, good.size() - 1), "truncated");
  expect_refused("", "empty");
  expect_refused("garbage that is long enough to pass the length check at the start......",
                 "garbage");
  std::string bad_magic = good;
  bad_magic[0] = 'X';
  expect_refused(bad_magic, "bad magic");

  write_file(good);
  EXPECT_TRUE(SignerGuard::open(path, std::make_unique<chain::KeySigner>(key)).is_ok());
}

TEST_F(SignerGuardTest, UnreadablePathIsRefused) {
  std::filesystem::create_directories(path);  // a directory where the file should be
  auto g = SignerGuard::open(path, std::make_unique<chain::KeySigner>(key));
  EXPECT_FALSE(g.is_ok());
}

}  // namespace
}  // namespace btt::consensus

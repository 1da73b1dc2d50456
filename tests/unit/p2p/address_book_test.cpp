// The transport's address book on its own: which addresses it dials and in what order, backoff,
// forgetting, and the bounds of what peer exchange answers and merges.
#include "p2p/address_book.h"

#include <gtest/gtest.h>

#include <set>

#include "btt/v1/p2p.pb.h"
#include "testkit/test_env.h"

namespace btt::p2p {
namespace {

using Clock = AddressBook::Clock;
using std::chrono::milliseconds;

NodeId id_of(const std::string& name) {
  return testkit::test_key(name).address;
}

PeerAddress addr(const std::string& host_port, const std::optional<std::string>& name) {
  auto a = PeerAddress::parse(name ? id_of(*name).to_string() + "@" + host_port : host_port);
  EXPECT_TRUE(a.is_ok()) << host_port;
  return *a;
}

const AddressBook::IdCheck kNone = [](const NodeId&) { return false; };

std::vector<std::string> keys(const std::vector<AddressBook::Dial>& dials) {
  std::vector<std::string> out;
  for (const auto& d : dials) out.push_back(d.key);
  return out;
}

class AddressBookTest : public ::testing::Test {
 protected:
  AddressBookLimits limits() const {
    AddressBookLimits l;
    l.max_entries = 10;
    l.dial_backoff_min = milliseconds(1'000);
    l.dial_backoff_max = milliseconds(8'000);
    l.max_pex_addrs = 3;
    return l;
  }
  std::mt19937_64 rng{42};
  AddressBook book{limits(), rng};
  Clock::time_point now = Clock::time_point{} + std::chrono::hours(1);
};

TEST_F(AddressBookTest, PersistentPeersFirstThenLearnedOnesUpToMaxOutbound) {
  book.add(addr("10.0.0.9:1", "p"), /*persistent=*/true, false);
  book.add(addr("10.0.0.1:1", "a"), false, false);
  book.add(addr("10.0.0.2:1", "b"), false, false);
  book.add(addr("10.0.0.3:1", "c"), false, false);
  book.add(addr("10.0.0.0:1", std::nullopt), false, false);  // no id: never dialed as learned
  const auto dials = book.take_dials(now, /*outbound=*/0, /*max_outbound=*/3, kNone, kNone);
  EXPECT_EQ(keys(dials), (std::vector<std::string>{"10.0.0.9:1", "10.0.0.1:1", "10.0.0.2:1"}));
  ASSERT_EQ(dials.size(), 3u);
  EXPECT_TRUE(dials[0].persistent);
  EXPECT_EQ(dials[0].expected, id_of("p"));  // the configured id is pinned
  EXPECT_FALSE(dials[1].persistent);
  // Those are dialing now: with one slot left only the next learned one goes.
  EXPECT_EQ(keys(book.take_dials(now, 3, 4, kNone, kNone)),
            (std::vector<std::string>{"10.0.0.3:1"}));
  EXPECT_TRUE(book.take_dials(now, 4, 10, kNone, kNone).empty());
}

TEST_F(AddressBookTest, PersistentPeerBackingOffKeepsItsSlot) {
  book.add(addr("10.0.0.9:1", "p"), true, false);
  book.add(addr("10.0.0.1:1", "a"), false, false);
  book.add(addr("10.0.0.2:1", "b"), false, false);
  ASSERT_EQ(book.take_dials(now, 0, 2, kNone, kNone).size(), 2u);
  book.on_closed("10.0.0.9:1", /*was_established=*/false, now);
  book.on_closed("10.0.0.1:1", false, now);
  book.on_closed("10.0.0.2:1", false, now);
  // All three back off for at least a second.
  EXPECT_TRUE(book.take_dials(now + milliseconds(999), 0, 2, kNone, kNone).empty());
  const auto* p = book.find("10.0.0.9:1");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->failures, 1u);
  EXPECT_GE(p->next_dial, now + milliseconds(1'000));
  EXPECT_LE(p->next_dial, now + milliseconds(1'250));
  // Once everything is due: the persistent one and one learned (max_outbound 2).
  EXPECT_EQ(keys(book.take_dials(now + milliseconds(1'250), 0, 2, kNone, kNone)),
            (std::vector<std::string>{"10.0.0.9:1", "10.0.0.1:1"}));
}

TEST_F(AddressBookTest, WaitingPersistentPeerLeavesRoomForFewerLearnedOnes) {
  book.add(addr("10.0.0.9:1", "p"), true, false);
  book.add(addr("10.0.0.1:1", "a"), false, false);
  book.add(addr("10.0.0.2:1", "b"), false, false);
  ASSERT_EQ(book.take_dials(now, 0, 1, kNone, kNone).size(), 1u);  // p only
  book.on_closed("10.0.0.9:1", false, now);
  // p backs off: it is waiting, so of max_outbound 2 one learned address is dialed.
  EXPECT_EQ(keys(book.take_dials(now, 0, 2, kNone, kNone)),
            (std::vector<std::string>{"10.0.0.1:1"}));
}

TEST_F(AddressBookTest, ConnectedBannedAndSelfAreNotDialed) {
  book.add(addr("10.0.0.1:1", "a"), false, false);
  book.add(addr("10.0.0.2:1", "b"), false, false);
  book.add(addr("10.0.0.3:1", "c"), false, false);
  book.mark_self("10.0.0.3:1");
  const AddressBook::IdCheck connected = [](const NodeId& id) { return id == id_of("a"); };
  const AddressBook::IdCheck banned = [](const NodeId& id) { return id == id_of("b"); };
  EXPECT_TRUE(book.take_dials(now, 0, 10, connected, banned).empty());
  EXPECT_EQ(keys(book.take_dials(now, 0, 10, kNone, kNone)),
            (std::vector<std::string>{"10.0.0.1:1", "10.0.0.2:1"}));
}

TEST_F(AddressBookTest, BackoffDoublesUpToTheMaximumWithAQuarterOfJitter) {
  const std::vector<std::pair<uint32_t, int64_t>> expected = {{1, 1'000}, {2, 2'000}, {3, 4'000},
                                                              {4, 8'000}, {5, 8'000}, {30, 8'000}};
  for (const auto& [failures, base] : expected) {
    for (int i = 0; i < 20; ++i) {
      const auto d = book.backoff(failures).count();
      EXPECT_GE(d, base) << failures;
      EXPECT_LE(d, base + base / 4) << failures;
    }
  }
}

TEST_F(AddressBookTest, ConnectedDialRedialsAfterTheLeastBackoff) {
  book.add(addr("10.0.0.1:1", std::nullopt), true, false);
  ASSERT_EQ(book.take_dials(now, 0, 1, kNone, kNone).size(), 1u);
  book.on_connected("10.0.0.1:1", id_of("a"));
  const auto* e = book.find("10.0.0.1:1");
  ASSERT_NE(e, nullptr);
  EXPECT_TRUE(e->verified);
  EXPECT_EQ(e->addr.id, id_of("a"));  // remembered for PEX, not pinned
  EXPECT_FALSE(e->pinned_id);
  book.on_closed("10.0.0.1:1", /*was_established=*/true, now);
  EXPECT_EQ(e->failures, 0u);
  EXPECT_EQ(e->next_dial, now + milliseconds(1'000));
  EXPECT_FALSE(e->dialing);
  const auto dials = book.take_dials(now + milliseconds(1'000), 0, 1, kNone, kNone);
  ASSERT_EQ(dials.size(), 1u);
  EXPECT_EQ(dials[0].expected, std::nullopt);  // any node id is accepted there
}

TEST_F(AddressBookTest, LearnedAddressIsForgottenAfterRepeatedFailures) {
  book.add(addr("10.0.0.1:1", "a"), false, false);
  book.add(addr("10.0.0.9:1", "p"), true, false);
  for (uint32_t i = 0; i < kMaxLearnedFailures; ++i) {
    ASSERT_NE(book.find("10.0.0.1:1"), nullptr) << i;
    book.on_closed("10.0.0.1:1", false, now);
    book.on_closed("10.0.0.9:1", false, now);
  }
  EXPECT_EQ(book.find("10.0.0.1:1"), nullptr);
  ASSERT_NE(book.find("10.0.0.9:1"), nullptr);  // configured: kept
  EXPECT_EQ(book.find("10.0.0.9:1")->failures, kMaxLearnedFailures);
}

TEST_F(AddressBookTest, KnownEndpointLearnsAnIdButNeverLosesOne) {
  book.add(addr("10.0.0.1:1", std::nullopt), false, false);
  book.add(addr("10.0.0.1:1", "a"), false, false);
  EXPECT_EQ(book.find("10.0.0.1:1")->addr.id, id_of("a"));
  EXPECT_TRUE(book.find("10.0.0.1:1")->pinned_id);
  book.add(addr("10.0.0.1:1", "b"), true, false);
  EXPECT_EQ(book.find("10.0.0.1:1")->addr.id, id_of("a"));
  EXPECT_TRUE(book.find("10.0.0.1:1")->persistent);
  EXPECT_EQ(book.size(), 1u);
}

TEST_F(AddressBookTest, PexMergeKeepsAddressesWithIdsWithinTheBounds) {
  v1::PexAddrs msg;
  msg.add_addrs(id_of("a").to_string() + "@10.0.0.1:1");
  msg.add_addrs("10.0.0.2:1");                               // no id: skipped
  msg.add_addrs(id_of("self").to_string() + "@10.0.0.3:1");  // this node: skipped
  ASSERT_TRUE(book.merge_pex(msg, id_of("self")).is_ok());
  EXPECT_EQ(book.size(), 1u);
  EXPECT_NE(book.find("10.0.0.1:1"), nullptr);

  // More than max_pex_addrs (3) in one message: a protocol violation, nothing kept.
  v1::PexAddrs big;
  for (int i = 0; i < 4; ++i) {
    big.add_addrs(id_of("n" + std::to_string(i)).to_string() + "@10.0.1." + std::to_string(i) +
                  ":1");
  }
  const Status st = book.merge_pex(big, id_of("self"));
  EXPECT_EQ(st.code(), Code::kMalformed);
  EXPECT_EQ(book.size(), 1u);

  // The book holds at most max_entries (10) learned addresses.
  for (int round = 0; round < 5; ++round) {
    v1::PexAddrs some;
    for (int i = 0; i < 3; ++i) {
      const int n = round * 3 + i;
      some.add_addrs(id_of("m" + std::to_string(n)).to_string() + "@10.0.2." + std::to_string(n) +
                     ":1");
    }
    ASSERT_TRUE(book.merge_pex(some, id_of("self")).is_ok());
  }
  EXPECT_EQ(book.size(), 10u);
  // A configured address is kept beyond it.
  book.add(addr("10.0.0.9:1", "p"), true, false);
  EXPECT_EQ(book.size(), 11u);
}

TEST_F(AddressBookTest, PexAnswerHasReachedOrConnectedPeersOnly) {
  book.add(addr("10.0.0.1:1", "a"), false, /*verified=*/true);
  book.add(addr("10.0.0.2:1", "b"), false, false);  // neither reached nor connected
  book.add(addr("10.0.0.3:1", "c"), false, false);  // connected
  book.add(addr("10.0.0.4:1", "d"), false, true);   // banned
  book.add(addr("10.0.0.5:1", "asker"), false, true);
  book.add(addr("10.0.0.6:1", std::nullopt), false, true);  // no id
  book.add(addr("10.0.0.7:1", "e"), false, true);
  book.add(addr("10.0.0.8:1", "f"), false, true);  // beyond max_pex_addrs (3)
  const AddressBook::IdCheck connected = [](const NodeId& id) { return id == id_of("c"); };
  const AddressBook::IdCheck banned = [](const NodeId& id) { return id == id_of("d"); };
  EXPECT_EQ(book.pex_answer(id_of("asker"), connected, banned),
            (std::vector<std::string>{id_of("a").to_string() + "@10.0.0.1:1",
                                      id_of("c").to_string() + "@10.0.0.3:1",
                                      id_of("e").to_string() + "@10.0.0.7:1"}));
}

}  // namespace
}  // namespace btt::p2p

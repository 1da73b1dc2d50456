// Txs.StreamEvents delivers the balance changes of every tx and block beside the events
// (doc/api.md "StreamEvents"), exact to the unit, and its `types` and `address` filters select and
// exclude them.
#include <gtest/gtest.h>

#include "btt/ledger/ledger.h"
#include "btt/v1/node.grpc.pb.h"
#include "testkit/rpc_harness.h"
#include "testkit/test_env.h"

namespace btt::testkit {
namespace {

constexpr uint64_t kFee = 1000;
constexpr uint64_t kAmount = 5000;

v1::BalanceChange change(const crypto::Address& who, uint64_t amount, bool credit) {
  v1::BalanceChange c;
  c.set_address(who.to_string());
  c.set_asset("BTT");
  c.set_amount(amount);
  c.set_direction(credit ? v1::BALANCE_DIRECTION_CREDIT : v1::BALANCE_DIRECTION_DEBIT);
  return c;
}

std::string show(const v1::EventRecord& r) {
  return "height " + std::to_string(r.height()) + " " + r.ShortDebugString();
}

class StreamEventsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Block 1: a transfer alice -> bob, and a transfer of more than alice holds (fails with fee).
    // Block 2: another transfer to bob, the sentinel that ends what a filter finds in block 1.
    const v1::TxBody a = node_.body(alice_, transfer(bob_, kAmount));
    v1::TxBody b = node_.body(alice_, transfer(carol_, RpcHarness::kFundedUnits));
    b.set_nonce(a.nonce() + 1);
    block1_ = node_.commit({node_.sign(alice_, a), node_.sign(alice_, b)});
    ASSERT_EQ(block1_.result.txs_size(), 2);
    ASSERT_EQ(block1_.result.txs(0).code(), 0u) << block1_.result.txs(0).log();
    ASSERT_EQ(block1_.result.txs(1).code(), 300u) << block1_.result.txs(1).log();
    block2_ = node_.commit({node_.sign(alice_, node_.body(alice_, transfer(bob_, 7)))});
    ASSERT_EQ(block2_.result.txs_size(), 1);
    ASSERT_EQ(block2_.result.txs(0).code(), 0u);
  }

  static v1::Message transfer(const crypto::KeyPair& to, uint64_t amount) {
    v1::Message m;
    m.mutable_transfer()->set_to(to.address.to_string());
    m.mutable_transfer()->set_asset("BTT");
    m.mutable_transfer()->set_amount(amount);
    return m;
  }

  // The first `n` records of the stream from height 1 (fewer if they do not come in time).
  std::vector<v1::EventRecord> stream(const std::vector<std::string>& types,
                                      const std::string& address, size_t n,
                                      std::chrono::milliseconds wait = std::chrono::seconds(5)) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + wait);
    v1::StreamEventsRequest req;
    for (const auto& t : types) req.add_types(t);
    req.set_address(address);
    req.set_from_height(1);
    auto reader = txs_->StreamEvents(&ctx, req);
    std::vector<v1::EventRecord> out;
    v1::EventRecord rec;
    while (out.size() < n && reader->Read(&rec)) out.push_back(rec);
    ctx.TryCancel();
    while (reader->Read(&rec)) {
    }
    (void)reader->Finish();
    return out;
  }

  static void expect_change(const v1::EventRecord& r, const v1::BalanceChange& want,
                            uint64_t height, const v1::TxResult* tx, uint32_t index) {
    ASSERT_TRUE(r.has_balance_change()) << show(r);
    EXPECT_FALSE(r.has_event()) << show(r);
    EXPECT_EQ(r.balance_change().ShortDebugString(), want.ShortDebugString());
    EXPECT_EQ(r.height(), height);
    EXPECT_EQ(r.tx_id(), tx ? tx->tx_id() : std::string());
    EXPECT_EQ(r.tx_code(), tx ? tx->code() : 0u);
    EXPECT_EQ(r.balance_change_index(), index);
  }

  RpcHarness node_{{"alice", "bob"}};
  std::unique_ptr<v1::Txs::Stub> txs_ = v1::Txs::NewStub(node_.channel());
  const crypto::KeyPair alice_ = test_key("alice");
  const crypto::KeyPair bob_ = test_key("bob");
  const crypto::KeyPair carol_ = test_key("carol");
  const crypto::Address fee_pool_ = crypto::Address::for_module(ledger::kFeePoolModule);
  chain::CommittedBlock block1_;
  chain::CommittedBlock block2_;
};

TEST_F(StreamEventsTest, EveryEventAndBalanceChangeOfABlockInOrder) {
  // What block 1's results hold, in the documented order: each tx's events then its changes,
  // then the block's events and changes.
  std::vector<v1::EventRecord> want;
  const auto& result = block1_.result;
  for (const auto& tx : result.txs()) {
    for (int i = 0; i < tx.events_size(); ++i) {
      v1::EventRecord r;
      r.set_height(1);
      r.set_tx_id(tx.tx_id());
      r.set_tx_index(tx.index());
      r.set_tx_code(tx.code());
      r.set_event_index(static_cast<uint32_t>(i));
      *r.mutable_event() = tx.events(i);
      want.push_back(r);
    }
    for (int i = 0; i < tx.balance_changes_size(); ++i) {
      v1::EventRecord r;
      r.set_height(1);
      r.set_tx_id(tx.tx_id());
      r.set_tx_index(tx.index());
      r.set_tx_code(tx.code());
      r.set_balance_change_index(static_cast<uint32_t>(i));
      *r.mutable_balance_change() = tx.balance_changes(i);
      want.push_back(r);
    }
  }
  for (int i = 0; i < result.events_size(); ++i) {
    v1::EventRecord r;
    r.set_height(1);
    r.set_event_index(static_cast<uint32_t>(i));
    *r.mutable_event() = result.events(i);
    want.push_back(r);
  }
  for (int i = 0; i < result.balance_changes_size(); ++i) {
    v1::EventRecord r;
    r.set_height(1);
    r.set_balance_change_index(static_cast<uint32_t>(i));
    *r.mutable_balance_change() = result.balance_changes(i);
    want.push_back(r);
  }
  const auto got = stream({}, "", want.size() + 1);
  ASSERT_EQ(got.size(), want.size() + 1);
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(got[i].ShortDebugString(), want[i].ShortDebugString()) << "record " << i;
  }
  EXPECT_EQ(got.back().height(), 2u) << show(got.back());

  // The transfer's records, exactly: fee event, transfer event, then the fee's debit and credit
  // and the amount's debit and credit.
  const auto& tx = result.txs(0);
  ASSERT_GE(got.size(), 6u);
  EXPECT_EQ(got[0].event().type(), "tx.fee");
  EXPECT_EQ(got[1].event().type(), "bank.transfer");
  expect_change(got[2], change(alice_.address, kFee, false), 1, &tx, 0);
  expect_change(got[3], change(fee_pool_, kFee, true), 1, &tx, 1);
  expect_change(got[4], change(alice_.address, kAmount, false), 1, &tx, 2);
  expect_change(got[5], change(bob_.address, kAmount, true), 1, &tx, 3);
  // The failed tx: its fee event and the fee's changes only.
  const auto& failed = result.txs(1);
  ASSERT_GE(got.size(), 9u);
  EXPECT_EQ(got[6].event().type(), "tx.fee");
  expect_change(got[7], change(alice_.address, kFee, false), 1, &failed, 0);
  expect_change(got[8], change(fee_pool_, kFee, true), 1, &failed, 1);
}

TEST_F(StreamEventsTest, TypesSelectOnlyBalanceChangesAndAddressTheirAccount) {
  // The receiver: one credit of the amount in block 1, then block 2's.
  auto got = stream({"balance_change"}, bob_.address.to_string(), 2);
  ASSERT_EQ(got.size(), 2u);
  expect_change(got[0], change(bob_.address, kAmount, true), 1, &block1_.result.txs(0), 3);
  expect_change(got[1], change(bob_.address, 7, true), 2, &block2_.result.txs(0), 3);

  // The sender: amount + fee for the transfer, the fee alone for the failed tx.
  got = stream({"balance_change"}, alice_.address.to_string(), 4);
  ASSERT_EQ(got.size(), 4u);
  expect_change(got[0], change(alice_.address, kFee, false), 1, &block1_.result.txs(0), 0);
  expect_change(got[1], change(alice_.address, kAmount, false), 1, &block1_.result.txs(0), 2);
  expect_change(got[2], change(alice_.address, kFee, false), 1, &block1_.result.txs(1), 0);
  EXPECT_EQ(got[2].tx_code(), 300u);
  EXPECT_EQ(got[3].height(), 2u);
  EXPECT_EQ(got[0].balance_change().amount() + got[1].balance_change().amount(), kAmount + kFee);

  // The fee's destination: the fee pool, credited once per tx.
  got = stream({"balance_change"}, fee_pool_.to_string(), 3);
  ASSERT_EQ(got.size(), 3u);
  expect_change(got[0], change(fee_pool_, kFee, true), 1, &block1_.result.txs(0), 1);
  expect_change(got[1], change(fee_pool_, kFee, true), 1, &block1_.result.txs(1), 1);
  expect_change(got[2], change(fee_pool_, kFee, true), 2, &block2_.result.txs(0), 1);

  // carol never received anything: her failed transfer left no change of hers.
  // (Replay of two stored blocks takes milliseconds; a second is plenty to see nothing come.)
  got = stream({"balance_change"}, carol_.address.to_string(), 1, std::chrono::seconds(1));
  EXPECT_TRUE(got.empty()) << show(got.front());
}

TEST_F(StreamEventsTest, EventTypesExcludeBalanceChangesAndBothMix) {
  // An event type alone: no balance change.
  auto got = stream({"bank.transfer"}, bob_.address.to_string(), 2);
  ASSERT_EQ(got.size(), 2u);
  for (const auto& r : got) {
    ASSERT_TRUE(r.has_event()) << show(r);
    EXPECT_EQ(r.event().type(), "bank.transfer");
  }
  EXPECT_EQ(got[0].height(), 1u);
  EXPECT_EQ(got[1].height(), 2u);

  // Both: the transfer event, then its credit.
  got = stream({"bank.transfer", "balance_change"}, bob_.address.to_string(), 3);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].event().type(), "bank.transfer");
  expect_change(got[1], change(bob_.address, kAmount, true), 1, &block1_.result.txs(0), 3);
  EXPECT_EQ(got[2].height(), 2u);
  EXPECT_EQ(got[2].event().type(), "bank.transfer");
}

TEST_F(StreamEventsTest, BlockLevelBalanceChangesHaveNoTx) {
  // Block 1 pays the first mining epoch (tokenomics end_block): changes of no tx.
  const auto& changes = block1_.result.balance_changes();
  ASSERT_GT(changes.size(), 0) << "block 1 moved nothing at block level";
  // The first is a module account's that no tx of the block touches.
  auto got = stream({"balance_change"}, changes[0].address(), 1);
  ASSERT_EQ(got.size(), 1u);
  expect_change(got[0], changes[0], 1, nullptr, 0);
}

}  // namespace
}  // namespace btt::testkit

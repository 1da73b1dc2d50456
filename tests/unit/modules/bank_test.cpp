// Bank module: every handler path with exact amounts, through the test environment.
#include <gtest/gtest.h>

#include "testkit/test_env.h"

namespace btt::testkit {
namespace {

constexpr uint64_t kBtt = 100'000'000;

class BankTest : public ::testing::Test {
 protected:
  TestEnv env;
  const Account& alice = env.account("alice", 100 * kBtt);
  const Account& bob = env.account("bob", 0);
  const Account& carol = env.account("carol", 5 * kBtt);
  const uint64_t fee = env.params().min_fee();
};

TEST_F(BankTest, TransferMovesExactAmountsAndPaysFee) {
  auto out = env.apply(env.tx(alice).transfer(bob, 3 * kBtt).sign());
  EXPECT_EQ(out.fee_paid, fee);
  EXPECT_EQ(env.balance(alice), 100 * kBtt - 3 * kBtt - fee);
  EXPECT_EQ(env.balance(bob), 3 * kBtt);
  EXPECT_EQ(env.fee_pool(), fee);
  EXPECT_EQ(env.next_nonce(alice), 1u);
  ASSERT_EQ(out.events.size(), 2u);
  EXPECT_EQ(out.events[0].type(), "tx.fee");
  EXPECT_EQ(out.events[1].type(), "bank.transfer");
  EXPECT_EQ(out.events[1].attributes(0).value(), alice.addr());
  EXPECT_EQ(out.events[1].attributes(1).value(), bob.addr());
  EXPECT_EQ(out.events[1].attributes(3).value(), std::to_string(3 * kBtt));
  env.close_block();
}

TEST_F(BankTest, WholeSpendableBalanceCanBeSentLeavingFee) {
  env.apply(env.tx(carol).transfer(bob, 5 * kBtt - fee).sign());
  EXPECT_EQ(env.balance(carol), 0u);
  EXPECT_EQ(env.balance(bob), 5 * kBtt - fee);
  env.close_block();
}

TEST_F(BankTest, InsufficientFundsFailsWithFeeAndNonceBump) {
  auto out = env.apply(env.tx(carol).transfer(bob, 5 * kBtt).sign(), Code::kInsufficientFunds);
  EXPECT_EQ(out.fee_paid, fee);
  EXPECT_EQ(env.balance(carol), 5 * kBtt - fee);
  EXPECT_EQ(env.balance(bob), 0u);
  EXPECT_EQ(env.next_nonce(carol), 1u);
  ASSERT_EQ(out.events.size(), 1u);  // only the fee event survives a failed tx
  EXPECT_EQ(out.events[0].type(), "tx.fee");
  env.close_block();
}

TEST_F(BankTest, FeeBalanceShortIsRejectedWithoutAnyWrite) {
  auto out = env.apply(env.tx(bob).transfer(alice, 1).sign(), Code::kInsufficientFeeBalance);
  EXPECT_FALSE(out.included);
  EXPECT_EQ(env.next_nonce(bob), 0u);
  EXPECT_EQ(env.fee_pool(), 0u);
}

TEST_F(BankTest, ReplayAndReorderAreRejected) {
  auto first = env.tx(alice).transfer(bob, 1).sign();
  env.apply(first);
  env.apply(first, Code::kNonceTooLow);                                            // replay
  env.apply(env.tx(alice).transfer(bob, 1).nonce(5).sign(), Code::kNonceTooHigh);  // reorder
  EXPECT_EQ(env.balance(bob), 1u);
  EXPECT_EQ(env.next_nonce(alice), 1u);
  env.close_block();
}

TEST_F(BankTest, WrongChainIdIsMalformed) {
  env.apply(env.tx(alice).transfer(bob, 1).chain_id("other-chain").sign(), Code::kWrongChainId);
  EXPECT_EQ(env.next_nonce(alice), 0u);
}

TEST_F(BankTest, FeeBelowMinimumIsMalformed) {
  env.apply(env.tx(alice).transfer(bob, 1).fee(fee - 1).sign(), Code::kFeeTooLow);
  EXPECT_EQ(env.fee_pool(), 0u);
}

TEST_F(BankTest, HigherFeeIsPaidInFull) {
  auto out = env.apply(env.tx(alice).transfer(bob, 1).fee(fee * 7).sign());
  EXPECT_EQ(out.fee_paid, fee * 7);
  EXPECT_EQ(env.fee_pool(), fee * 7);
}

TEST_F(BankTest, MalformedTransfers) {
  env.apply(env.tx(alice).transfer(bob, 0).sign(), Code::kInvalidAmount);
  env.apply(env.tx(alice).transfer_to("btt1notanaddress", 1).sign(), Code::kInvalidAddress);
  env.apply(env.tx(alice).transfer_to("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", 1).sign(),
            Code::kInvalidAddress);
  env.apply(env.tx(alice).transfer(bob, 1, "b@d").sign(), Code::kInvalidAsset);
  env.apply(env.tx(alice).sign(), Code::kNoMessages);
  env.apply(env.tx(alice).transfer(bob, 1).memo(std::string(257, 'x')).sign(), Code::kMemoTooLong);
  auto many = env.tx(alice);
  for (int i = 0; i < 17; ++i) many.transfer(bob, 1);
  env.apply(many.sign(), Code::kTooManyMessages);
  EXPECT_EQ(env.next_nonce(alice), 0u);
  EXPECT_EQ(env.balance(alice), 100 * kBtt);
}

TEST_F(BankTest, UnknownAssetFailsWithFee) {
  env.apply(env.tx(alice).transfer(bob, 1, "USDX").sign(), Code::kUnknownAsset);
  EXPECT_EQ(env.balance(alice), 100 * kBtt - fee);
}

TEST_F(BankTest, OtherAssetsMoveAndFeeStaysInBtt) {
  env.mint("USDC", alice, 10'000);
  env.apply(env.tx(alice).transfer(bob, 2'500, "USDC").sign());
  EXPECT_EQ(env.balance(alice, "USDC"), 7'500u);
  EXPECT_EQ(env.balance(bob, "USDC"), 2'500u);
  EXPECT_EQ(env.balance(alice), 100 * kBtt - fee);
  env.close_block();
}

TEST_F(BankTest, BalancesUpToTheWholeUint64RangeAreExact) {
  // A credit can only overflow if supply exceeds 2^64-1, which the ledger never allows (see
  // LedgerTest.CreditDebitMoveChecked for the overflow refusal itself); the edge still works.
  env.mint("BIG", alice, UINT64_MAX - 10);
  env.mint("BIG", carol, 10);
  env.apply(env.tx(carol).transfer(alice, 10, "BIG").sign());
  EXPECT_EQ(env.balance(alice, "BIG"), UINT64_MAX);
  EXPECT_EQ(env.balance(carol, "BIG"), 0u);
  env.close_block();
}

TEST_F(BankTest, MultiTransferIsAtomic) {
  auto out =
      env.apply(env.tx(alice)
                    .multi({{bob.addr(), "BTT", 10 * kBtt}, {carol.addr(), "BTT", 20 * kBtt}})
                    .sign());
  EXPECT_EQ(env.balance(bob), 10 * kBtt);
  EXPECT_EQ(env.balance(carol), 25 * kBtt);
  EXPECT_EQ(env.balance(alice), 70 * kBtt - fee);
  EXPECT_EQ(out.events.size(), 3u);

  // Second output overdraws: nothing of the message lands, the fee does.
  env.apply(env.tx(carol)
                .multi({{bob.addr(), "BTT", 20 * kBtt}, {alice.addr(), "BTT", 5 * kBtt + 1}})
                .sign(),
            Code::kInsufficientFunds);
  EXPECT_EQ(env.balance(bob), 10 * kBtt);
  EXPECT_EQ(env.balance(carol), 25 * kBtt - fee);
  env.close_block();
}

TEST_F(BankTest, MultiTransferLimitsAndFormats) {
  env.apply(env.tx(alice).multi({}).sign(), Code::kInvalidArgument);
  std::vector<std::tuple<std::string, std::string, uint64_t>> outs;
  for (int i = 0; i < 65; ++i) outs.emplace_back(bob.addr(), "BTT", 1);
  env.apply(env.tx(alice).multi(outs).sign(), Code::kTooManyOutputs);
  env.apply(env.tx(alice).multi({{bob.addr(), "BTT", 1}, {bob.addr(), "BTT", 0}}).sign(),
            Code::kInvalidAmount);
  env.apply(env.tx(alice).multi({{"btt1xyz", "BTT", 1}}).sign(), Code::kInvalidAddress);
  EXPECT_EQ(env.next_nonce(alice), 0u);
}

TEST_F(BankTest, LaterMessageSeesEarlierMessagesEffects) {
  // Two messages in one tx: the second spends what the first left; together they overdraw.
  env.apply(env.tx(carol).transfer(bob, 3 * kBtt).transfer(bob, 2 * kBtt).sign(),
            Code::kInsufficientFunds);
  EXPECT_EQ(env.balance(bob), 0u);
  env.apply(env.tx(carol).transfer(bob, 3 * kBtt).transfer(bob, kBtt).sign());
  EXPECT_EQ(env.balance(bob), 4 * kBtt);
  EXPECT_EQ(env.balance(carol), 5 * kBtt - 4 * kBtt - 2 * fee);
  env.close_block();
}

TEST_F(BankTest, SelfTransferChangesOnlyFeeAndNonce) {
  env.apply(env.tx(alice).transfer(alice, 50 * kBtt).sign());
  EXPECT_EQ(env.balance(alice), 100 * kBtt - fee);
  EXPECT_EQ(env.next_nonce(alice), 1u);
  env.close_block();
}

TEST_F(BankTest, TamperedSignatureIsRejected) {
  auto tx = env.tx(alice).transfer(bob, 1).sign();
  auto copy = std::make_shared<chain::DecodedTx>(*tx);
  copy->signature[0] ^= 1;
  env.apply(copy, Code::kBadSignature);
  EXPECT_EQ(env.next_nonce(alice), 0u);
}

TEST_F(BankTest, SupplyConservedOverManyBlocks) {
  for (int b = 0; b < 5; ++b) {
    env.apply(env.tx(alice).transfer(bob, kBtt).sign());
    env.apply(env.tx(bob).transfer(carol, kBtt / 2).sign());
    env.close_block();
  }
  EXPECT_EQ(env.balance(alice) + env.balance(bob) + env.balance(carol) + env.fee_pool(),
            105 * kBtt);
}

}  // namespace
}  // namespace btt::testkit

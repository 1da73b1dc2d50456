#include "chain/precheck_pipeline.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "testkit/test_env.h"

namespace btt::chain {
namespace {

std::vector<TxPtr> make_txs(size_t n, const std::vector<size_t>& tampered) {
  auto key = testkit::test_key("pipeline");
  std::vector<TxPtr> txs;
  for (size_t i = 0; i < n; ++i) {
    v1::TxBody body;
    body.set_chain_id("btt-test");
    body.set_sender(key.address.to_string());
    body.set_public_key(std::string(as_view(key.public_key)));
    body.set_nonce(i);
    body.set_fee(1000);
    auto tx = std::make_shared<DecodedTx>(**decode_tx(sign_tx(body, key.secret_key), 1 << 20));
    if (std::find(tampered.begin(), tampered.end(), i) != tampered.end()) tx->signature[3] ^= 1;
    txs.push_back(tx);
  }
  return txs;
}

TEST(PrecheckPipeline, VerdictsMatchSerialVerificationAtEverySize) {
  for (size_t n : {0u, 1u, 5u, 31u, 32u, 33u, 200u}) {
    std::vector<size_t> tampered;
    for (size_t i = 0; i < n; i += 7) tampered.push_back(i);
    auto txs = make_txs(n, tampered);
    // The check refuses every tx with an odd nonce.
    PrecheckPipeline pipeline(txs, [](const DecodedTx& tx) {
      return tx.nonce() % 2 == 1 ? Status(Code::kInvalidArgument, "odd") : Status::ok();
    });
    for (size_t i = 0; i < n; ++i) {
      bool is_tampered = std::find(tampered.begin(), tampered.end(), i) != tampered.end();
      Code expected =
          is_tampered ? Code::kBadSignature : (i % 2 == 1 ? Code::kInvalidArgument : Code::kOk);
      EXPECT_EQ(pipeline.verdict(i).code(), expected) << "n=" << n << " i=" << i;
      EXPECT_EQ(verify_tx_signature(*txs[i]), !is_tampered);
    }
  }
}

TEST(PrecheckPipeline, StoppingEarlyJoinsCleanly) {
  auto txs = make_txs(300, {});
  PrecheckPipeline pipeline(txs, [](const DecodedTx&) { return Status::ok(); });
  EXPECT_TRUE(pipeline.verdict(0).is_ok());
  // Destroyed with most txs unverified: workers stop after their batch.
}

}  // namespace
}  // namespace btt::chain

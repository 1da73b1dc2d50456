#include "chain/signature_pipeline.h"

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

TEST(SignaturePipeline, VerdictsMatchSerialVerificationAtEverySize) {
  for (size_t n : {0u, 1u, 5u, 31u, 32u, 33u, 200u}) {
    std::vector<size_t> tampered;
    for (size_t i = 0; i < n; i += 7) tampered.push_back(i);
    auto txs = make_txs(n, tampered);
    SignaturePipeline pipeline(txs);
    for (size_t i = 0; i < n; ++i) {
      EXPECT_EQ(pipeline.verdict(i), verify_tx_signature(*txs[i])) << "n=" << n << " i=" << i;
      bool is_tampered = std::find(tampered.begin(), tampered.end(), i) != tampered.end();
      EXPECT_EQ(pipeline.verdict(i), !is_tampered);
    }
  }
}

TEST(SignaturePipeline, StoppingEarlyJoinsCleanly) {
  auto txs = make_txs(300, {});
  SignaturePipeline pipeline(txs);
  EXPECT_TRUE(pipeline.verdict(0));
  // Destroyed with most txs unverified: workers stop after their batch.
}

}  // namespace
}  // namespace btt::chain

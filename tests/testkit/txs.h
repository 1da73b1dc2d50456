#pragma once
// Building signed txs for tests and benchmarks, in one place:
//   signed_transfer(alice, {.chain_id = "btt-test-1", .to = bob_addr, .amount = 5, .nonce = 0})
//   signed_message(alice, {.chain_id = "btt-test-1", .nonce = 3}, message)
#include <string>

#include "btt/chain/tx.h"
#include "btt/crypto/keyfile.h"

namespace btt::testkit {

struct TransferSpec {
  std::string chain_id;
  std::string to;  // bech32m address
  uint64_t amount = 1;
  uint64_t nonce = 0;
  uint64_t fee = 1000;
  std::string asset = "BTT";
};

// Who signs a one-message tx, and how.
struct TxSpec {
  std::string chain_id;
  uint64_t nonce = 0;
  uint64_t fee = 1000;
};

// A TxBody from `from` with the one message `message`.
[[nodiscard]] v1::TxBody message_body(const crypto::KeyPair& from, const TxSpec& spec,
                                      const v1::Message& message);
// The same, signed (aux_rand as in crypto::schnorr_sign; nullptr draws it at random).
[[nodiscard]] v1::Tx signed_message(const crypto::KeyPair& from, const TxSpec& spec,
                                    const v1::Message& message,
                                    const uint8_t* aux_rand32 = nullptr);

// A TxBody from `from` with one MsgTransfer.
[[nodiscard]] v1::TxBody transfer_body(const crypto::KeyPair& from, const TransferSpec& spec);
// The same, signed (aux_rand as in crypto::schnorr_sign; nullptr draws it at random).
[[nodiscard]] v1::Tx signed_transfer(const crypto::KeyPair& from, const TransferSpec& spec,
                                     const uint8_t* aux_rand32 = nullptr);

}  // namespace btt::testkit

#pragma once
// A transaction decoded once at the edge (mempool, block apply) and carried around immutably.
#include <memory>
#include <string_view>

#include "btt/common/bytes.h"
#include "btt/common/status.h"
#include "btt/crypto/address.h"
#include "btt/crypto/keys.h"
#include "btt/v1/ledger.pb.h"
#include "btt/v1/tx.pb.h"

namespace btt::chain {

struct DecodedTx {
  Bytes raw;  // the serialized Tx as received (what blocks store)
  v1::Tx tx;
  v1::TxBody body;
  Hash32 id{};       // tagged_hash("btt/tx/id", tx.body)
  Hash32 sighash{};  // tagged_hash("btt/tx/sig", tx.body)
  crypto::Address sender;
  crypto::XOnlyPublicKey public_key{};
  crypto::Signature signature{};

  [[nodiscard]] size_t size() const { return raw.size(); }
  [[nodiscard]] uint64_t nonce() const { return body.nonce(); }
  [[nodiscard]] uint64_t fee() const { return body.fee(); }
};
using TxPtr = std::shared_ptr<const DecodedTx>;

// Parses the Tx and its body, derives id and sighash, and checks the body's shape: size limit,
// public key and signature lengths, sender == address(public_key). Does not verify the signature
// nor look at state. kMalformed / kTxTooLarge / kSenderMismatch / kInvalidAddress on failure.
[[nodiscard]] Result<TxPtr> decode_tx(std::string_view raw, uint32_t max_tx_bytes);
[[nodiscard]] Result<TxPtr> decode_tx(const v1::Tx& tx, uint32_t max_tx_bytes);

// BIP340 verification of tx.signature over sighash with the body's public key.
[[nodiscard]] bool verify_tx_signature(const DecodedTx& tx);

// Builds and signs a Tx from a body (wallets, btt-cli, tests, benchmarks). aux_rand as in
// crypto::schnorr_sign (nullptr: random).
[[nodiscard]] v1::Tx sign_tx(const v1::TxBody& body, const crypto::SecretKey& sk,
                             const uint8_t* aux_rand32 = nullptr);
[[nodiscard]] Hash32 tx_id_of_body(std::string_view body_bytes);

}  // namespace btt::chain

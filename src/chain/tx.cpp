#include "btt/chain/tx.h"

#include "btt/chain/sig_cache.h"
#include "btt/crypto/hash.h"

namespace btt::chain {

namespace {
// Decodes the body of a parsed tx; `raw` is the tx's bytes exactly as received.
Result<TxPtr> decode_parsed(v1::Tx tx, Bytes raw, uint32_t max_tx_bytes) {
  auto out = std::make_shared<DecodedTx>();
  out->raw = std::move(raw);
  if (out->raw.size() > max_tx_bytes) {
    return Status(Code::kTxTooLarge, "tx is " + std::to_string(out->raw.size()) +
                                         " bytes, at most " + std::to_string(max_tx_bytes));
  }
  out->tx = std::move(tx);
  if (!out->body.ParseFromString(out->tx.body())) {
    return Status(Code::kMalformed, "tx body does not decode as btt.v1.TxBody");
  }
  auto pk = crypto::public_key_from_bytes(out->body.public_key());
  if (!pk) {
    if (out->body.public_key().size() != 32) {
      return Status(Code::kMalformed, "public_key must be 32 bytes, not " +
                                          std::to_string(out->body.public_key().size()));
    }
    return Status(Code::kMalformed,
                  "public_key is not an x-only secp256k1 public key (no curve point has this x)");
  }
  auto sig = crypto::signature_from_bytes(out->tx.signature());
  if (!sig) {
    return Status(Code::kMalformed,
                  "signature must be 64 bytes, not " + std::to_string(out->tx.signature().size()));
  }
  auto sender = crypto::Address::parse(out->body.sender());
  if (!sender) {
    return Status(Code::kInvalidAddress,
                  "sender '" + excerpt(out->body.sender()) + "' is not a btt address");
  }
  if (*sender != crypto::Address::from_public_key(*pk)) {
    return Status(Code::kSenderMismatch,
                  "sender " + out->body.sender() + " is not the address of the public key");
  }
  out->public_key = *pk;
  out->signature = *sig;
  out->sender = *sender;
  out->id = crypto::tagged_hash(crypto::kTagTxId, out->tx.body());
  out->sighash = crypto::tagged_hash(crypto::kTagTxSig, out->tx.body());
  return TxPtr(std::move(out));
}
}  // namespace

Result<TxPtr> decode_tx(const v1::Tx& tx, uint32_t max_tx_bytes) {
  return decode_parsed(tx, tx.SerializeAsString(), max_tx_bytes);
}

Result<TxPtr> decode_tx(std::string_view raw, uint32_t max_tx_bytes) {
  if (raw.size() > max_tx_bytes) {
    return Status(Code::kTxTooLarge, "tx is " + std::to_string(raw.size()) + " bytes, at most " +
                                         std::to_string(max_tx_bytes));
  }
  v1::Tx tx;
  if (!tx.ParseFromArray(raw.data(), static_cast<int>(raw.size()))) {
    return Status(Code::kMalformed, "bytes do not decode as btt.v1.Tx");
  }
  return decode_parsed(std::move(tx), Bytes(raw), max_tx_bytes);
}

// Successes are remembered in signature_cache() (sig_cache.h): each tx is verified once per
// process, whether it is met at admission, in a proposal or in a simulation.
bool verify_tx_signature(const DecodedTx& tx) {
  return signature_cache().verify(tx.public_key, tx.sighash, tx.signature);
}

v1::Tx sign_tx(const v1::TxBody& body, const crypto::SecretKey& sk, const uint8_t* aux_rand32) {
  v1::Tx tx;
  tx.set_body(body.SerializeAsString());
  auto sig =
      crypto::schnorr_sign(sk, crypto::tagged_hash(crypto::kTagTxSig, tx.body()), aux_rand32);
  if (sig) tx.set_signature(std::string(as_view(*sig)));
  return tx;
}

Hash32 tx_id_of_body(std::string_view body_bytes) {
  return crypto::tagged_hash(crypto::kTagTxId, body_bytes);
}

}  // namespace btt::chain

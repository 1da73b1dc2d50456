#include "testkit/txs.h"

namespace btt::testkit {

v1::TxBody message_body(const crypto::KeyPair& from, const TxSpec& spec,
                        const v1::Message& message) {
  v1::TxBody body;
  body.set_chain_id(spec.chain_id);
  body.set_sender(from.address.to_string());
  body.set_public_key(std::string(as_view(from.public_key)));
  body.set_nonce(spec.nonce);
  body.set_fee(spec.fee);
  *body.add_messages() = message;
  return body;
}

v1::Tx signed_message(const crypto::KeyPair& from, const TxSpec& spec, const v1::Message& message,
                      const uint8_t* aux_rand32) {
  return chain::sign_tx(message_body(from, spec, message), from.secret_key, aux_rand32);
}

v1::TxBody transfer_body(const crypto::KeyPair& from, const TransferSpec& spec) {
  v1::Message m;
  auto* t = m.mutable_transfer();
  t->set_to(spec.to);
  t->set_asset(spec.asset);
  t->set_amount(spec.amount);
  return message_body(from, {.chain_id = spec.chain_id, .nonce = spec.nonce, .fee = spec.fee}, m);
}

v1::Tx signed_transfer(const crypto::KeyPair& from, const TransferSpec& spec,
                       const uint8_t* aux_rand32) {
  return chain::sign_tx(transfer_body(from, spec), from.secret_key, aux_rand32);
}

}  // namespace btt::testkit

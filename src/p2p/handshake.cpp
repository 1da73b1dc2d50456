#include "btt/p2p/handshake.h"

#include <openssl/crypto.h>

#include <cstdlib>
#include <cstring>
#include <utility>

#include "btt/crypto/hash.h"
#include "btt/v1/p2p.pb.h"

namespace btt::p2p {

Hash32 auth_digest(const Hash32& transcript_hash, Role signer) {
  Bytes msg(as_view(transcript_hash));
  msg.push_back(static_cast<char>(signer));
  return crypto::tagged_hash(crypto::kTagP2pHandshake, msg);
}

bool is_misbehaviour(const Status& refusal) {
  return refusal.code() == Code::kMalformed || refusal.code() == Code::kBadSignature;
}

Handshake::Handshake(Role role, const LocalNode& local, std::optional<NodeId> expected_peer)
    : role_(role), local_(local), expected_peer_(expected_peer) {
  hello_.append(kHelloMagic);
  hello_.push_back(static_cast<char>(kHandshakeVersion >> 8));
  hello_.push_back(static_cast<char>(kHandshakeVersion & 0xff));
  hello_.append(as_view(ephemeral_.public_key));
}

Handshake::~Handshake() {
  if (codec_) codec_->wipe();
}

Status Handshake::read_hello(std::string_view peer_hello) {
  if (codec_) return Status(Code::kInternal, "hello already read");
  if (peer_hello.size() != kHelloSize || peer_hello.substr(0, 4) != kHelloMagic) {
    return Status(Code::kMalformed, "not a btt p2p hello (wrong magic or size)");
  }
  const uint16_t version = static_cast<uint16_t>(static_cast<uint8_t>(peer_hello[4]) << 8 |
                                                 static_cast<uint8_t>(peer_hello[5]));
  if (version != kHandshakeVersion) {
    return Status(Code::kMalformed, "unsupported handshake version " + std::to_string(version));
  }
  auto peer_key = crypto::compressed_key_from_bytes(peer_hello.substr(6));
  if (!peer_key) return Status(Code::kMalformed, "hello carries an invalid ephemeral key");
  // Our own hello reflected back: refused outright (it could not authenticate anyway).
  if (*peer_key == ephemeral_.public_key) {
    return Status(Code::kMalformed, "hello reflects this node's own ephemeral key");
  }

  Bytes transcript;
  if (role_ == Role::kInitiator) {
    transcript = hello_ + Bytes(peer_hello);
  } else {
    transcript = Bytes(peer_hello) + hello_;
  }
  transcript_hash_ = crypto::tagged_hash(crypto::kTagP2pTranscript, transcript);

  auto shared = crypto::ecdh(ephemeral_.secret_key, *peer_key);
  if (!shared) return Status(Code::kMalformed, "ECDH with the peer's ephemeral key failed");
  auto okm = crypto::hkdf_sha256(as_view(*shared), as_view(transcript_hash_), kSessionKeyInfo, 64);
  OPENSSL_cleanse(shared->data(), shared->size());
  // The ephemeral secret has done its only job.
  OPENSSL_cleanse(ephemeral_.secret_key.data(), ephemeral_.secret_key.size());
  if (!okm) return Status(Code::kInternal, "HKDF-SHA256 failed");

  SessionKeys keys;
  auto* i2r = role_ == Role::kInitiator ? &keys.send : &keys.recv;
  auto* r2i = role_ == Role::kInitiator ? &keys.recv : &keys.send;
  std::memcpy(i2r->data(), okm->data(), 32);
  std::memcpy(r2i->data(), okm->data() + 32, 32);
  OPENSSL_cleanse(okm->data(), okm->size());
  codec_.emplace(keys, kMaxAuthPayload);  // wipes `keys`
  return Status::ok();
}

Result<Bytes> Handshake::auth_frame() {
  if (!codec_) return Status(Code::kInternal, "auth frame before the peer's hello");
  auto sig = crypto::schnorr_sign(local_.key.secret_key, auth_digest(transcript_hash_, role_));
  if (!sig) return Status(Code::kInternal, "signing the handshake with the node key failed");
  v1::P2pAuth auth;
  auth.set_node_key(Bytes(as_view(local_.key.public_key)));
  auth.set_signature(Bytes(as_view(*sig)));
  auth.set_chain_id(local_.chain_id);
  auth.set_protocol_version(local_.protocol_version);
  auth.set_listen_port(local_.listen_port);
  return codec_->encode(auth.SerializeAsString());
}

Result<PeerIdentity> Handshake::read_auth(std::string_view payload) {
  if (!codec_) return Status(Code::kInternal, "auth before the peer's hello");
  v1::P2pAuth auth;
  if (!auth.ParseFromArray(payload.data(), static_cast<int>(payload.size()))) {
    return Status(Code::kMalformed, "handshake auth message does not parse");
  }
  auto key = crypto::public_key_from_bytes(auth.node_key());
  if (!key) return Status(Code::kMalformed, "handshake carries an invalid node key");
  auto sig = crypto::signature_from_bytes(auth.signature());
  if (!sig) return Status(Code::kMalformed, "handshake signature is not 64 bytes");
  const Role peer_role = role_ == Role::kInitiator ? Role::kResponder : Role::kInitiator;
  if (!crypto::schnorr_verify(*key, auth_digest(transcript_hash_, peer_role), *sig)) {
    return Status(Code::kBadSignature, "handshake signature does not verify for the node key");
  }
  PeerIdentity peer;
  peer.id = NodeId::from_public_key(*key);
  peer.public_key = *key;
  peer.listen_port = auth.listen_port();
  verified_peer_ = peer.id;
  if (auth.chain_id() != local_.chain_id) {
    return Status(Code::kWrongChainId, "peer " + peer.id.to_string() + " is on chain '" +
                                           excerpt(auth.chain_id()) + "', this node on '" +
                                           local_.chain_id + "'");
  }
  if (auth.protocol_version() != local_.protocol_version) {
    return Status(Code::kInvalidArgument,
                  "peer " + peer.id.to_string() + " speaks p2p protocol version " +
                      std::to_string(auth.protocol_version()) + ", this node " +
                      std::to_string(local_.protocol_version));
  }
  if (expected_peer_ && peer.id != *expected_peer_) {
    return Status(Code::kInvalidArgument,
                  "peer is " + peer.id.to_string() + ", expected " + expected_peer_->to_string());
  }
  if (peer.id == local_.key.address) {
    return Status(Code::kInvalidArgument, "connected to itself");
  }
  if (peer.listen_port > 65535) {
    return Status(Code::kMalformed, "listen port out of range");
  }
  return peer;
}

FrameCodec Handshake::take_codec() {
  // Only after read_auth accepted the peer; anything else is a bug in the caller.
  if (!codec_ || !verified_peer_) std::abort();
  codec_->set_max_payload(kMaxFramePayload);
  FrameCodec out = std::move(*codec_);
  codec_.reset();
  return out;
}

}  // namespace btt::p2p

#pragma once
// The authenticated key exchange that opens every P2P connection (doc/p2p.md, "Handshake").
// Pure (bytes in, bytes out), so both sides can be run against each other in memory.
//
// 1. Both sides send a 39-byte hello at once: "BTTP" || u16 BE handshake version (1) || a fresh
//    33-byte compressed secp256k1 ephemeral public key.
// 2. transcript_hash = tagged_hash("btt/p2p/transcript", initiator hello || responder hello);
//    shared = ECDH(own ephemeral secret, peer ephemeral key);
//    okm = HKDF-SHA256(ikm = shared, salt = transcript_hash, info = "btt/p2p/v1/session-keys",
//    64 bytes); initiator->responder key = okm[0..32), responder->initiator key = okm[32..64).
// 3. Both send, as their first encrypted frame, a P2pAuth: node key, BIP340 signature over
//    tagged_hash("btt/p2p/handshake", transcript_hash || role byte: 0 initiator, 1 responder),
//    chain id, protocol version and listen port. Each side verifies the other's.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "btt/common/bytes.h"
#include "btt/common/status.h"
#include "btt/crypto/address.h"
#include "btt/crypto/ecdh.h"
#include "btt/crypto/keyfile.h"
#include "btt/p2p/frame.h"

namespace btt::p2p {

// A node's id is the btt address of its x-only node key.
using NodeId = crypto::Address;

inline constexpr uint32_t kProtocolVersion = 1;
inline constexpr std::string_view kHelloMagic = "BTTP";
inline constexpr uint16_t kHandshakeVersion = 1;
inline constexpr size_t kHelloSize = 4 + 2 + 33;
// Limit of the P2pAuth frame, so a peer that has not yet proven anything cannot make the node
// read more than this.
inline constexpr uint32_t kMaxAuthPayload = 512;
inline constexpr std::string_view kSessionKeyInfo = "btt/p2p/v1/session-keys";

enum class Role : uint8_t { kInitiator = 0, kResponder = 1 };

// Who this node is, as it presents itself in every handshake.
struct LocalNode {
  crypto::KeyPair key;
  std::string chain_id;
  uint32_t protocol_version = kProtocolVersion;
  uint32_t listen_port = 0;  // 0: does not accept connections
};

struct PeerIdentity {
  NodeId id;
  crypto::XOnlyPublicKey public_key{};
  uint32_t listen_port = 0;
};

// What each side signs with its node key.
[[nodiscard]] Hash32 auth_digest(const Hash32& transcript_hash, Role signer);

// True for the refusals that prove the peer misbehaves (garbage, a bad signature): the transport
// bans for these, and only disconnects for the others (another chain, version or node id).
[[nodiscard]] bool is_misbehaviour(const Status& refusal);

class Handshake {
 public:
  // `local` must outlive the handshake. The dialer passes the node id it expects, if any.
  Handshake(Role role, const LocalNode& local, std::optional<NodeId> expected_peer = std::nullopt);
  Handshake(const Handshake&) = delete;
  Handshake& operator=(const Handshake&) = delete;
  ~Handshake();

  [[nodiscard]] const Bytes& hello() const { return hello_; }
  // The peer's hello; derives the session keys. kMalformed for a wrong magic, version or key.
  [[nodiscard]] Status read_hello(std::string_view peer_hello);
  // This side's auth frame (after read_hello).
  [[nodiscard]] Result<Bytes> auth_frame();
  // After read_hello: reads the peer's auth frame (read_length, decrypt) with a kMaxAuthPayload
  // limit.
  [[nodiscard]] FrameCodec& codec() { return *codec_; }
  // The decrypted P2pAuth of the peer. kMalformed (does not parse, bad key), kBadSignature,
  // kWrongChainId, kInvalidArgument (protocol version, not the expected node id, itself).
  [[nodiscard]] Result<PeerIdentity> read_auth(std::string_view payload);
  // After read_auth succeeded: the session's codec, limit raised to kMaxFramePayload.
  [[nodiscard]] FrameCodec take_codec();

  // The peer's node id once its signature verified, even if it was then refused (another chain,
  // itself): the transport remembers addresses that lead back to this node.
  [[nodiscard]] const std::optional<NodeId>& verified_peer() const { return verified_peer_; }
  [[nodiscard]] const Hash32& transcript_hash() const { return transcript_hash_; }
  [[nodiscard]] Role role() const { return role_; }

 private:
  Role role_;
  const LocalNode& local_;
  std::optional<NodeId> expected_peer_;
  crypto::EphemeralKey ephemeral_;
  Bytes hello_;
  Hash32 transcript_hash_{};
  std::optional<FrameCodec> codec_;
  std::optional<NodeId> verified_peer_;
};

}  // namespace btt::p2p

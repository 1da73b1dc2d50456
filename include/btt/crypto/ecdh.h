#pragma once
// Key agreement for the P2P handshake (doc/p2p.md): ephemeral secp256k1 keys, ECDH
// (libsecp256k1's secp256k1_ecdh) and HKDF-SHA256 (RFC 5869, OpenSSL EVP_KDF).
#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

#include "btt/common/bytes.h"
#include "btt/crypto/keys.h"

namespace btt::crypto {

// SEC1 compressed point: 0x02 or 0x03, then the 32-byte x coordinate.
using CompressedPublicKey = std::array<uint8_t, 33>;

// A one-connection key pair; the secret is wiped when it leaves scope.
struct EphemeralKey {
  SecretKey secret_key;
  CompressedPublicKey public_key;

  // A fresh key from OpenSSL's CSPRNG.
  EphemeralKey();
  EphemeralKey(const EphemeralKey&) = delete;
  EphemeralKey& operator=(const EphemeralKey&) = delete;
  ~EphemeralKey();
};

// nullopt unless exactly 33 bytes that parse as a point on the curve.
[[nodiscard]] std::optional<CompressedPublicKey> compressed_key_from_bytes(std::string_view b);

// The shared secret SHA256(0x02|0x03 parity || x) of the point sk * peer (libsecp256k1's default
// ECDH hash). nullopt if the secret key is invalid or the peer key is not a point.
[[nodiscard]] std::optional<Hash32> ecdh(const SecretKey& sk, const CompressedPublicKey& peer);

// HKDF-SHA256 (extract with `salt`, expand with `info`) to `length` bytes (at most 255 * 32).
// nullopt only if OpenSSL fails or the length is out of range.
[[nodiscard]] std::optional<Bytes> hkdf_sha256(std::string_view ikm, std::string_view salt,
                                               std::string_view info, size_t length);

}  // namespace btt::crypto

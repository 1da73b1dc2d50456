#pragma once
// secp256k1 keys and BIP340 Schnorr signatures (libsecp256k1: schnorrsig, extrakeys).
#include <array>
#include <optional>
#include <string_view>

#include "btt/common/bytes.h"
#include "btt/common/status.h"

namespace btt::crypto {

using SecretKey = std::array<uint8_t, 32>;
using XOnlyPublicKey = std::array<uint8_t, 32>;
using Signature = std::array<uint8_t, 64>;

// A fresh secret key from OpenSSL's CSPRNG (RAND_bytes), retried until valid for secp256k1.
[[nodiscard]] SecretKey generate_secret_key();
[[nodiscard]] bool is_valid_secret_key(const SecretKey& sk);
// nullopt if the secret key is invalid (zero or >= curve order).
[[nodiscard]] std::optional<XOnlyPublicKey> derive_public_key(const SecretKey& sk);

// BIP340 sign of a 32-byte message. aux_rand: 32 bytes of auxiliary randomness; pass nullptr to
// draw it from RAND_bytes. nullopt if the secret key is invalid.
[[nodiscard]] std::optional<Signature> schnorr_sign(const SecretKey& sk, const Hash32& msg32,
                                                    const uint8_t* aux_rand32 = nullptr);
// BIP340 sign of an arbitrary-length message (used by the official vectors, some of which are
// not 32 bytes long).
[[nodiscard]] std::optional<Signature> schnorr_sign_bytes(const SecretKey& sk, std::string_view msg,
                                                          const uint8_t* aux_rand32 = nullptr);
// Thread-safe; false for any malformed key or signature, never throws.
[[nodiscard]] bool schnorr_verify(const XOnlyPublicKey& pk, const Hash32& msg32,
                                  const Signature& sig);
[[nodiscard]] bool schnorr_verify_bytes(const XOnlyPublicKey& pk, std::string_view msg,
                                        const Signature& sig);

// nullopt unless exactly 32 bytes that are the x coordinate of a point on the curve.
[[nodiscard]] std::optional<XOnlyPublicKey> public_key_from_bytes(std::string_view b);
// nullopt unless exactly 64 bytes (the values are checked by schnorr_verify).
[[nodiscard]] std::optional<Signature> signature_from_bytes(std::string_view b);

}  // namespace btt::crypto

#pragma once
// ChaCha20-Poly1305 (RFC 8439, OpenSSL EVP): the AEAD of the P2P frames (doc/p2p.md).
#include <openssl/evp.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "btt/common/bytes.h"

namespace btt::crypto {

class ChaCha20Poly1305 {
 public:
  static constexpr size_t kKeySize = 32;
  static constexpr size_t kNonceSize = 12;
  static constexpr size_t kTagSize = 16;
  using Key = std::array<uint8_t, kKeySize>;
  using Nonce = std::array<uint8_t, kNonceSize>;

  explicit ChaCha20Poly1305(const Key& key);
  ChaCha20Poly1305(const ChaCha20Poly1305&) = delete;
  ChaCha20Poly1305& operator=(const ChaCha20Poly1305&) = delete;
  ChaCha20Poly1305(ChaCha20Poly1305&& other) noexcept;
  ChaCha20Poly1305& operator=(ChaCha20Poly1305&& other) noexcept;
  // Wipes the key (OpenSSL cleanses its own copy when the context is freed).
  ~ChaCha20Poly1305();

  // Appends ciphertext || 16-byte tag to `out`. False only if OpenSSL fails.
  [[nodiscard]] bool seal(const Nonce& nonce, std::string_view aad, std::string_view plaintext,
                          Bytes& out);
  // `sealed` is ciphertext || tag; nullopt if it is shorter than a tag or does not authenticate.
  [[nodiscard]] std::optional<Bytes> open(const Nonce& nonce, std::string_view aad,
                                          std::string_view sealed);
  // Wipes the key now; every later seal/open fails.
  void wipe();

 private:
  Key key_{};
  EVP_CIPHER_CTX* ctx_ = nullptr;
};

}  // namespace btt::crypto

#include "btt/crypto/aead.h"

#include <openssl/crypto.h>

#include <cstring>
#include <utility>

namespace btt::crypto {
namespace {

const EVP_CIPHER* chacha20_poly1305() {
  static const EVP_CIPHER* const cipher = [] {
    const EVP_CIPHER* fetched = EVP_CIPHER_fetch(nullptr, "ChaCha20-Poly1305", nullptr);
    return fetched != nullptr ? fetched : EVP_chacha20_poly1305();
  }();
  return cipher;
}

const unsigned char* uc(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

ChaCha20Poly1305::ChaCha20Poly1305(const Key& key) : key_(key), ctx_(EVP_CIPHER_CTX_new()) {}

ChaCha20Poly1305::ChaCha20Poly1305(ChaCha20Poly1305&& other) noexcept
    : key_(other.key_), ctx_(std::exchange(other.ctx_, nullptr)) {
  OPENSSL_cleanse(other.key_.data(), other.key_.size());
}

ChaCha20Poly1305& ChaCha20Poly1305::operator=(ChaCha20Poly1305&& other) noexcept {
  if (this != &other) {
    wipe();
    key_ = other.key_;
    ctx_ = std::exchange(other.ctx_, nullptr);
    OPENSSL_cleanse(other.key_.data(), other.key_.size());
  }
  return *this;
}

ChaCha20Poly1305::~ChaCha20Poly1305() {
  wipe();
}

void ChaCha20Poly1305::wipe() {
  OPENSSL_cleanse(key_.data(), key_.size());
  if (ctx_ != nullptr) EVP_CIPHER_CTX_free(ctx_);
  ctx_ = nullptr;
}

bool ChaCha20Poly1305::seal(const Nonce& nonce, std::string_view aad, std::string_view plaintext,
                            Bytes& out) {
  if (ctx_ == nullptr) return false;
  if (EVP_EncryptInit_ex(ctx_, chacha20_poly1305(), nullptr, key_.data(), nonce.data()) != 1) {
    return false;
  }
  int len = 0;
  if (!aad.empty() &&
      EVP_EncryptUpdate(ctx_, nullptr, &len, uc(aad), static_cast<int>(aad.size())) != 1) {
    return false;
  }
  const size_t start = out.size();
  out.resize(start + plaintext.size() + kTagSize);
  auto* dst = reinterpret_cast<unsigned char*>(out.data() + start);
  int written = 0;
  if (!plaintext.empty()) {
    if (EVP_EncryptUpdate(ctx_, dst, &len, uc(plaintext), static_cast<int>(plaintext.size())) !=
        1) {
      out.resize(start);
      return false;
    }
    written = len;
  }
  if (EVP_EncryptFinal_ex(ctx_, dst + written, &len) != 1 ||
      static_cast<size_t>(written + len) != plaintext.size() ||
      EVP_CIPHER_CTX_ctrl(ctx_, EVP_CTRL_AEAD_GET_TAG, kTagSize, dst + plaintext.size()) != 1) {
    out.resize(start);
    return false;
  }
  return true;
}

std::optional<Bytes> ChaCha20Poly1305::open(const Nonce& nonce, std::string_view aad,
                                            std::string_view sealed) {
  if (ctx_ == nullptr || sealed.size() < kTagSize) return std::nullopt;
  const std::string_view ciphertext = sealed.substr(0, sealed.size() - kTagSize);
  std::array<unsigned char, kTagSize> tag;
  std::memcpy(tag.data(), sealed.data() + ciphertext.size(), kTagSize);
  if (EVP_DecryptInit_ex(ctx_, chacha20_poly1305(), nullptr, key_.data(), nonce.data()) != 1) {
    return std::nullopt;
  }
  int len = 0;
  if (!aad.empty() &&
      EVP_DecryptUpdate(ctx_, nullptr, &len, uc(aad), static_cast<int>(aad.size())) != 1) {
    return std::nullopt;
  }
  Bytes out(ciphertext.size(), '\0');
  auto* dst = reinterpret_cast<unsigned char*>(out.data());
  int written = 0;
  if (!ciphertext.empty()) {
    if (EVP_DecryptUpdate(ctx_, dst, &len, uc(ciphertext), static_cast<int>(ciphertext.size())) !=
        1) {
      return std::nullopt;
    }
    written = len;
  }
  if (EVP_CIPHER_CTX_ctrl(ctx_, EVP_CTRL_AEAD_SET_TAG, kTagSize, tag.data()) != 1 ||
      EVP_DecryptFinal_ex(ctx_, dst + written, &len) != 1) {
    // Never hand out plaintext that did not authenticate.
    OPENSSL_cleanse(out.data(), out.size());
    return std::nullopt;
  }
  return out;
}

}  // namespace btt::crypto

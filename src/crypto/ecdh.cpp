#include "btt/crypto/ecdh.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <secp256k1.h>
#include <secp256k1_ecdh.h>

#include <cstdlib>
#include <cstring>
#include <memory>

#include "secp256k1_context.h"

namespace btt::crypto {

EphemeralKey::EphemeralKey() : secret_key(generate_secret_key()) {
  secp256k1_pubkey pub;
  size_t len = public_key.size();
  // generate_secret_key only returns valid keys, so neither call can fail.
  if (secp256k1_ec_pubkey_create(secp256k1_ctx(), &pub, secret_key.data()) != 1 ||
      secp256k1_ec_pubkey_serialize(secp256k1_ctx(), public_key.data(), &len, &pub,
                                    SECP256K1_EC_COMPRESSED) != 1) {
    std::abort();
  }
}

EphemeralKey::~EphemeralKey() {
  OPENSSL_cleanse(secret_key.data(), secret_key.size());
}

std::optional<CompressedPublicKey> compressed_key_from_bytes(std::string_view b) {
  CompressedPublicKey out;
  if (b.size() != out.size()) return std::nullopt;
  std::memcpy(out.data(), b.data(), out.size());
  if (out[0] != 0x02 && out[0] != 0x03) return std::nullopt;
  secp256k1_pubkey pub;
  if (secp256k1_ec_pubkey_parse(secp256k1_ctx(), &pub, out.data(), out.size()) != 1) {
    return std::nullopt;
  }
  return out;
}

std::optional<Hash32> ecdh(const SecretKey& sk, const CompressedPublicKey& peer) {
  secp256k1_pubkey pub;
  if (secp256k1_ec_pubkey_parse(secp256k1_ctx(), &pub, peer.data(), peer.size()) != 1) {
    return std::nullopt;
  }
  Hash32 out;
  if (secp256k1_ecdh(secp256k1_ctx(), out.data(), &pub, sk.data(), nullptr, nullptr) != 1) {
    OPENSSL_cleanse(out.data(), out.size());
    return std::nullopt;
  }
  return out;
}

std::optional<Bytes> hkdf_sha256(std::string_view ikm, std::string_view salt, std::string_view info,
                                 size_t length) {
  if (length == 0 || length > 255 * 32) return std::nullopt;
  struct KdfFree {
    void operator()(EVP_KDF* k) const { EVP_KDF_free(k); }
  };
  struct KdfCtxFree {
    void operator()(EVP_KDF_CTX* c) const { EVP_KDF_CTX_free(c); }
  };
  std::unique_ptr<EVP_KDF, KdfFree> kdf(EVP_KDF_fetch(nullptr, "HKDF", nullptr));
  if (!kdf) return std::nullopt;
  std::unique_ptr<EVP_KDF_CTX, KdfCtxFree> kctx(EVP_KDF_CTX_new(kdf.get()));
  if (!kctx) return std::nullopt;

  // OSSL_PARAM takes non-const pointers; OpenSSL only reads these buffers.
  char digest[] = "SHA256";
  auto oct = [](const char* key, std::string_view v) {
    return OSSL_PARAM_construct_octet_string(key, const_cast<char*>(v.data()), v.size());
  };
  // An empty salt or info is left out (RFC 5869: an absent salt is HashLen zero bytes).
  OSSL_PARAM params[5];
  size_t n = 0;
  params[n++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0);
  params[n++] = oct(OSSL_KDF_PARAM_KEY, ikm);
  if (!salt.empty()) params[n++] = oct(OSSL_KDF_PARAM_SALT, salt);
  if (!info.empty()) params[n++] = oct(OSSL_KDF_PARAM_INFO, info);
  params[n] = OSSL_PARAM_construct_end();
  Bytes out(length, '\0');
  if (EVP_KDF_derive(kctx.get(), reinterpret_cast<unsigned char*>(out.data()), out.size(),
                     params) != 1) {
    OPENSSL_cleanse(out.data(), out.size());
    return std::nullopt;
  }
  return out;
}

}  // namespace btt::crypto

#include "btt/crypto/keys.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <secp256k1.h>
#include <secp256k1_extrakeys.h>
#include <secp256k1_schnorrsig.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "secp256k1_context.h"

namespace btt::crypto {
namespace {

const secp256k1_context* ctx() {
  return secp256k1_ctx();
}

// Wipes the keypair (it holds the secret key) when it leaves scope.
struct ScopedKeypair {
  secp256k1_keypair kp;
  ~ScopedKeypair() { OPENSSL_cleanse(&kp, sizeof(kp)); }
};

bool make_keypair(const SecretKey& sk, ScopedKeypair& out) {
  return secp256k1_keypair_create(ctx(), &out.kp, sk.data()) == 1;
}

bool parse_xonly(const XOnlyPublicKey& pk, secp256k1_xonly_pubkey& out) {
  return secp256k1_xonly_pubkey_parse(ctx(), &out, pk.data()) == 1;
}

// Never null, even for an empty message: libsecp256k1 accepts null only with length 0, and a
// real pointer keeps that contract trivially true.
const unsigned char* msg_ptr(std::string_view msg) {
  static const unsigned char kEmpty = 0;
  return msg.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(msg.data());
}

bool verify_raw(const XOnlyPublicKey& pk, std::string_view msg, const Signature& sig) {
  secp256k1_xonly_pubkey xonly;
  if (!parse_xonly(pk, xonly)) return false;
  return secp256k1_schnorrsig_verify(ctx(), sig.data(), msg_ptr(msg), msg.size(), &xonly) == 1;
}

// msg32: sign with sign32 (a 32-byte digest); otherwise sign_custom for any length.
std::optional<Signature> sign_raw(const SecretKey& sk, std::string_view msg,
                                  const uint8_t* aux_rand32, bool msg32) {
  ScopedKeypair kp;
  if (!make_keypair(sk, kp)) return std::nullopt;

  unsigned char aux[32];
  if (aux_rand32 != nullptr) {
    std::memcpy(aux, aux_rand32, sizeof(aux));
  } else if (RAND_bytes(aux, sizeof(aux)) != 1) {
    return std::nullopt;
  }

  Signature sig;
  int ok = 0;
  if (msg32) {
    ok = secp256k1_schnorrsig_sign32(ctx(), sig.data(), msg_ptr(msg), &kp.kp, aux);
  } else {
    secp256k1_schnorrsig_extraparams params = SECP256K1_SCHNORRSIG_EXTRAPARAMS_INIT;
    params.ndata = aux;  // with the default BIP340 nonce function: the 32-byte aux_rand
    ok = secp256k1_schnorrsig_sign_custom(ctx(), sig.data(), msg_ptr(msg), msg.size(), &kp.kp,
                                          &params);
  }
  OPENSSL_cleanse(aux, sizeof(aux));
  if (ok != 1) return std::nullopt;

  // libsecp256k1 does not verify its own output; BIP340 recommends it so that a fault during
  // signing can never leak a signature that reveals the key.
  secp256k1_xonly_pubkey xonly;
  if (secp256k1_keypair_xonly_pub(ctx(), &xonly, nullptr, &kp.kp) != 1) return std::nullopt;
  if (secp256k1_schnorrsig_verify(ctx(), sig.data(), msg_ptr(msg), msg.size(), &xonly) != 1) {
    return std::nullopt;
  }
  return sig;
}

}  // namespace

SecretKey generate_secret_key() {
  SecretKey sk;
  // The chance that 32 random bytes are not a valid key is about 2^-128; the loop is for form.
  for (;;) {
    if (RAND_bytes(sk.data(), static_cast<int>(sk.size())) != 1) {
      // Without a CSPRNG no key can be made safely, and this function has no error channel.
      std::fprintf(stderr, "btt::crypto: RAND_bytes failed while generating a secret key\n");
      std::abort();
    }
    if (is_valid_secret_key(sk)) return sk;
  }
}

bool is_valid_secret_key(const SecretKey& sk) {
  return secp256k1_ec_seckey_verify(ctx(), sk.data()) == 1;
}

std::optional<XOnlyPublicKey> derive_public_key(const SecretKey& sk) {
  ScopedKeypair kp;
  if (!make_keypair(sk, kp)) return std::nullopt;
  secp256k1_xonly_pubkey xonly;
  if (secp256k1_keypair_xonly_pub(ctx(), &xonly, nullptr, &kp.kp) != 1) return std::nullopt;
  XOnlyPublicKey out;
  if (secp256k1_xonly_pubkey_serialize(ctx(), out.data(), &xonly) != 1) return std::nullopt;
  return out;
}

std::optional<Signature> schnorr_sign(const SecretKey& sk, const Hash32& msg32,
                                      const uint8_t* aux_rand32) {
  return sign_raw(sk, as_view(msg32), aux_rand32, /*msg32=*/true);
}

std::optional<Signature> schnorr_sign_bytes(const SecretKey& sk, std::string_view msg,
                                            const uint8_t* aux_rand32) {
  return sign_raw(sk, msg, aux_rand32, /*msg32=*/false);
}

bool schnorr_verify(const XOnlyPublicKey& pk, const Hash32& msg32, const Signature& sig) {
  return verify_raw(pk, as_view(msg32), sig);
}

bool schnorr_verify_bytes(const XOnlyPublicKey& pk, std::string_view msg, const Signature& sig) {
  return verify_raw(pk, msg, sig);
}

std::optional<XOnlyPublicKey> public_key_from_bytes(std::string_view b) {
  if (b.size() != 32) return std::nullopt;
  XOnlyPublicKey pk;
  std::memcpy(pk.data(), b.data(), pk.size());
  // Refuse x coordinates that are not on the curve here, so a bad key fails as malformed input
  // rather than later as a bad signature.
  secp256k1_xonly_pubkey xonly;
  if (!parse_xonly(pk, xonly)) return std::nullopt;
  return pk;
}

std::optional<Signature> signature_from_bytes(std::string_view b) {
  if (b.size() != 64) return std::nullopt;
  Signature sig;
  std::memcpy(sig.data(), b.data(), sig.size());
  return sig;
}

}  // namespace btt::crypto

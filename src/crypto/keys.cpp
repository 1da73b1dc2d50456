#include "btt/crypto/keys.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <secp256k1.h>
#include <secp256k1_extrakeys.h>
#include <secp256k1_schnorrsig.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "btt/crypto/hash.h"
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

// Parsing an x-only key costs a field square root, about a tenth of a verification, and the same
// few keys (a wallet's, a validator's) come back with every tx and vote they sign. So keys that
// parsed are kept, parsed, in a bounded cache: a memo of a pure function, so it changes no
// answer. Keys that do not parse are never stored. The bucket hash is keyed by a per-process
// random seed, so nobody can aim keys at one bucket.
class ParsedKeyCache {
 public:
  ParsedKeyCache() : seed_(hash_table_seed()) {
    for (auto& s : shards_) s.map = decltype(s.map)(kPerShard, Hash{seed_});
  }

  bool parse(const XOnlyPublicKey& pk, secp256k1_xonly_pubkey& out) {
    Shard& s = shards_[hash(pk) % kShards];
    {
      std::lock_guard lock(s.mu);
      if (auto it = s.map.find(pk); it != s.map.end()) {
        out = it->second;
        return true;
      }
    }
    if (secp256k1_xonly_pubkey_parse(ctx(), &out, pk.data()) != 1) return false;
    std::lock_guard lock(s.mu);
    if (!s.map.emplace(pk, out).second) return true;
    if (s.ring.size() < kPerShard) {
      s.ring.push_back(pk);
    } else {
      s.map.erase(s.ring[s.next]);
      s.ring[s.next] = pk;
      s.next = (s.next + 1) % kPerShard;
    }
    return true;
  }

 private:
  static constexpr size_t kShards = 16;
  static constexpr size_t kPerShard = 1024;
  struct Hash {
    uint64_t seed;
    size_t operator()(const XOnlyPublicKey& k) const {
      uint64_t h = seed;
      for (size_t i = 0; i < k.size(); i += 8) {
        uint64_t w;
        std::memcpy(&w, k.data() + i, 8);
        h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
        h ^= h >> 29;
      }
      return h;
    }
  };
  struct Shard {
    std::mutex mu;
    std::unordered_map<XOnlyPublicKey, secp256k1_xonly_pubkey, Hash> map;
    std::vector<XOnlyPublicKey> ring;  // insertion order, for eviction
    size_t next = 0;
  };

  size_t hash(const XOnlyPublicKey& k) const { return Hash{seed_ ^ 0x5bd1e995ULL}(k) >> 7; }

  uint64_t seed_;
  std::array<Shard, kShards> shards_;
};

bool parse_xonly(const XOnlyPublicKey& pk, secp256k1_xonly_pubkey& out) {
  static ParsedKeyCache cache;
  return cache.parse(pk, out);
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

#include "secp256k1_context.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <cstdio>
#include <cstdlib>

namespace btt::crypto {

const secp256k1_context* secp256k1_ctx() {
  // C++ guarantees thread-safe initialization of function-local statics.
  static const secp256k1_context* const context = [] {
    secp256k1_context* c = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
    if (c == nullptr) {
      std::fprintf(stderr, "btt::crypto: secp256k1_context_create failed\n");
      std::abort();
    }
    unsigned char seed[32];
    // Randomization only blinds secret-key operations against side channels; without a seed
    // the context is still correct, so a failure here is not fatal.
    if (RAND_bytes(seed, sizeof(seed)) == 1) {
      if (secp256k1_context_randomize(c, seed) != 1) {
        std::fprintf(stderr, "btt::crypto: secp256k1_context_randomize failed\n");
      }
    }
    OPENSSL_cleanse(seed, sizeof(seed));
    return c;
  }();
  return context;
}

}  // namespace btt::crypto

#pragma once
// The process-wide libsecp256k1 context shared by keys.cpp and ecdh.cpp (private to crypto/).
#include <secp256k1.h>

namespace btt::crypto {

// Created and randomized once; only ever used as const, which libsecp256k1 documents as safe for
// concurrent use from any number of threads.
[[nodiscard]] const secp256k1_context* secp256k1_ctx();

}  // namespace btt::crypto

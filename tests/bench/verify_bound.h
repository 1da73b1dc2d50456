#pragma once
// The bound benchmark figures are given against on a shared, noisy machine: one BIP340 verify on
// one core, measured in the same run (doc/operator.md "How a block is made, and what it costs").
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "btt/crypto/hash.h"
#include "btt/crypto/keyfile.h"
#include "btt/crypto/keys.h"

namespace btt::bench {

// Microseconds per verify, over 12 rounds of 256 signatures.
inline double bip340_verify_us() {
  const auto h = crypto::sha256(std::string("btt-bench-verify-bound"));
  crypto::SecretKey sk;
  std::copy(h.begin(), h.end(), sk.begin());
  const auto key = *crypto::KeyPair::from_secret(sk);
  std::vector<std::pair<Hash32, crypto::Signature>> signed_msgs;
  for (int i = 0; i < 256; ++i) {
    const Hash32 msg = crypto::sha256("msg-" + std::to_string(i));
    signed_msgs.emplace_back(msg, *crypto::schnorr_sign(key.secret_key, msg));
  }
  constexpr int kRounds = 12;
  const auto t0 = std::chrono::steady_clock::now();
  for (int r = 0; r < kRounds; ++r) {
    for (const auto& [msg, sig] : signed_msgs) {
      if (!crypto::schnorr_verify(key.public_key, msg, sig)) std::abort();
    }
  }
  const double us =
      std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count();
  return us / (kRounds * static_cast<double>(signed_msgs.size()));
}

}  // namespace btt::bench

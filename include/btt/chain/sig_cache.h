#pragma once
// A bounded, thread-safe memo of BIP340 verifications that succeeded, so a node verifies each tx
// signature once although it meets the tx at admission (gRPC or gossip), in the block it
// proposes or prepares, and in a simulation (doc/consensus.md, "Performance").
//
// An entry is a salted SHA-256 of the exact inputs of a successful schnorr_verify (x-only public
// key, 32-byte message, 64-byte signature), so a hit means "this key signed this message with
// this signature": a tx with the same body and another signature, or a signature moved to
// another body, never hits. Only successes are stored: a bad signature is verified (and refused)
// every time. The salt is drawn per process, so nobody can aim txs at one bucket.
//
// It only skips work: verify(pk, msg, sig) answers exactly what crypto::schnorr_verify would, so
// what a block contains and the state it produces do not depend on the cache.
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <unordered_set>
#include <vector>

#include "btt/common/bytes.h"
#include "btt/crypto/keys.h"

namespace btt::chain {

class SigCache {
 public:
  // At most `capacity` entries (rounded up to a whole number per shard); the oldest entry of a
  // full shard makes room for a new one.
  explicit SigCache(size_t capacity);

  // schnorr_verify(pk, msg32, sig), answered from the cache when this exact triple verified
  // before; a success is remembered.
  [[nodiscard]] bool verify(const crypto::XOnlyPublicKey& pk, const Hash32& msg32,
                            const crypto::Signature& sig);

  [[nodiscard]] bool contains(const crypto::XOnlyPublicKey& pk, const Hash32& msg32,
                              const crypto::Signature& sig) const;
  void insert(const crypto::XOnlyPublicKey& pk, const Hash32& msg32, const crypto::Signature& sig);

  [[nodiscard]] size_t size() const;
  [[nodiscard]] size_t capacity() const { return per_shard_ * kShards; }
  [[nodiscard]] uint64_t hits() const { return hits_.load(std::memory_order_relaxed); }
  [[nodiscard]] uint64_t misses() const { return misses_.load(std::memory_order_relaxed); }

 private:
  static constexpr size_t kShards = 16;
  struct KeyHash {
    size_t operator()(const Hash32& k) const;
  };
  struct Shard {
    mutable std::mutex mu;
    std::unordered_set<Hash32, KeyHash> set;
    std::vector<Hash32> ring;  // insertion order, for eviction
    size_t next = 0;           // ring slot the next insert takes
  };

  [[nodiscard]] bool contains_key(const Hash32& key) const;
  void insert_key(const Hash32& key);
  [[nodiscard]] Hash32 key_of(const crypto::XOnlyPublicKey& pk, const Hash32& msg32,
                              const crypto::Signature& sig) const;
  Shard& shard_of(const Hash32& key) const;

  size_t per_shard_;
  std::array<uint8_t, 32> salt_{};
  mutable std::array<Shard, kShards> shards_;
  std::atomic<uint64_t> hits_{0};
  std::atomic<uint64_t> misses_{0};
};

// The process-wide cache behind verify_tx_signature.
inline constexpr size_t kSigCacheCapacity = 1u << 16;
[[nodiscard]] SigCache& signature_cache();

}  // namespace btt::chain

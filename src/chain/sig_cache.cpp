#include "btt/chain/sig_cache.h"

#include <openssl/rand.h>

#include <cstring>
#include <stdexcept>

#include "btt/crypto/hash.h"

namespace btt::chain {

SigCache::SigCache(size_t capacity)
    : per_shard_(std::max<size_t>(1, (capacity + kShards - 1) / kShards)) {
  if (RAND_bytes(salt_.data(), static_cast<int>(salt_.size())) != 1) {
    throw std::runtime_error("signature cache: no randomness for the salt");
  }
  for (auto& s : shards_) s.set.reserve(per_shard_);
}

size_t SigCache::KeyHash::operator()(const Hash32& k) const {
  size_t h;
  std::memcpy(&h, k.data(), sizeof(h));
  return h;
}

Hash32 SigCache::key_of(const crypto::XOnlyPublicKey& pk, const Hash32& msg32,
                        const crypto::Signature& sig) const {
  std::array<uint8_t, 32 + 32 + 32 + 64> in;
  auto* p = in.data();
  std::memcpy(p, salt_.data(), 32);
  std::memcpy(p + 32, pk.data(), 32);
  std::memcpy(p + 64, msg32.data(), 32);
  std::memcpy(p + 96, sig.data(), 64);
  return crypto::sha256(std::string_view(reinterpret_cast<const char*>(in.data()), in.size()));
}

SigCache::Shard& SigCache::shard_of(const Hash32& key) const {
  return shards_[key[31] % kShards];
}

bool SigCache::contains(const crypto::XOnlyPublicKey& pk, const Hash32& msg32,
                        const crypto::Signature& sig) const {
  return contains_key(key_of(pk, msg32, sig));
}

void SigCache::insert(const crypto::XOnlyPublicKey& pk, const Hash32& msg32,
                      const crypto::Signature& sig) {
  insert_key(key_of(pk, msg32, sig));
}

bool SigCache::contains_key(const Hash32& key) const {
  Shard& s = shard_of(key);
  std::lock_guard lock(s.mu);
  return s.set.contains(key);
}

void SigCache::insert_key(const Hash32& key) {
  Shard& s = shard_of(key);
  std::lock_guard lock(s.mu);
  if (!s.set.insert(key).second) return;
  if (s.ring.size() < per_shard_) {
    s.ring.push_back(key);
    return;
  }
  s.set.erase(s.ring[s.next]);
  s.ring[s.next] = key;
  s.next = (s.next + 1) % per_shard_;
}

bool SigCache::verify(const crypto::XOnlyPublicKey& pk, const Hash32& msg32,
                      const crypto::Signature& sig) {
  const Hash32 key = key_of(pk, msg32, sig);  // once: it is a SHA-256 of 160 bytes
  if (contains_key(key)) {
    hits_.fetch_add(1, std::memory_order_relaxed);
    return true;
  }
  misses_.fetch_add(1, std::memory_order_relaxed);
  if (!crypto::schnorr_verify(pk, msg32, sig)) return false;
  insert_key(key);
  return true;
}

size_t SigCache::size() const {
  size_t n = 0;
  for (const auto& s : shards_) {
    std::lock_guard lock(s.mu);
    n += s.set.size();
  }
  return n;
}

SigCache& signature_cache() {
  static SigCache cache(kSigCacheCapacity);
  return cache;
}

}  // namespace btt::chain

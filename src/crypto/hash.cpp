#include "btt/crypto/hash.h"

// The low-level SHA-256 of libcrypto (deprecated in OpenSSL 3 in favour of EVP, same assembly
// underneath): its state is a plain struct, so nothing is allocated per hash and a tagged hash
// starts from a copy of the state after its tag prefix (BIP340's precomputed midstate). EVP
// offers neither, and its per-hash context setup cost more than the hashing of a tx id.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace btt::crypto {
namespace {

// SHA-256 cannot fail on valid input; a failure here means OpenSSL itself is broken, and
// returning a wrong digest would be worse than stopping.
[[noreturn]] void die(const char* what) {
  std::fprintf(stderr, "btt::crypto: OpenSSL SHA-256 failed in %s\n", what);
  std::abort();
}

class Sha256 {
 public:
  Sha256() {
    if (SHA256_Init(&ctx_) != 1) die("init");
  }
  explicit Sha256(const SHA256_CTX& state) : ctx_(state) {}
  void update(std::string_view data) {
    if (data.empty()) return;
    if (SHA256_Update(&ctx_, data.data(), data.size()) != 1) die("update");
  }
  [[nodiscard]] const SHA256_CTX& state() const { return ctx_; }
  Hash32 finish() {
    Hash32 out;
    if (SHA256_Final(out.data(), &ctx_) != 1) die("final");
    return out;
  }

 private:
  SHA256_CTX ctx_;
};

// The state after SHA256(tag) || SHA256(tag) (one 64-byte block), per tag and thread. Tags are
// a few constants; past kMaxTags others are computed each time.
SHA256_CTX tag_midstate(std::string_view tag) {
  constexpr size_t kMaxTags = 64;
  thread_local std::vector<std::pair<std::string, SHA256_CTX>> states;
  for (const auto& [known, state] : states) {
    if (known == tag) return state;
  }
  const Hash32 tag_hash = sha256(tag);
  Sha256 h;
  h.update(as_view(tag_hash));
  h.update(as_view(tag_hash));
  if (states.size() < kMaxTags) states.emplace_back(std::string(tag), h.state());
  return h.state();
}

}  // namespace

Hash32 sha256(std::string_view data) {
  Sha256 h;
  h.update(data);
  return h.finish();
}

Hash32 tagged_hash(std::string_view tag, std::string_view data) {
  Sha256 h(tag_midstate(tag));
  h.update(data);
  return h.finish();
}

namespace {

Hash32 merkle_node(const Hash32& left, const Hash32& right) {
  std::array<char, 64> pair;
  std::memcpy(pair.data(), left.data(), 32);
  std::memcpy(pair.data() + 32, right.data(), 32);
  return tagged_hash(kTagMerkleNode, std::string_view(pair.data(), pair.size()));
}

}  // namespace

Hash32 merkle_root(const std::vector<Hash32>& leaf_hashes) {
  if (leaf_hashes.empty()) return Hash32{};
  std::vector<Hash32> level = leaf_hashes;
  while (level.size() > 1) {
    size_t out = 0;
    // An odd last node is promoted unchanged, never duplicated.
    for (size_t i = 0; i < level.size(); i += 2) {
      level[out++] = i + 1 == level.size() ? level[i] : merkle_node(level[i], level[i + 1]);
    }
    level.resize(out);
  }
  return level.front();
}

std::vector<Hash32> merkle_proof(const std::vector<Hash32>& leaf_hashes, size_t index) {
  std::vector<Hash32> proof;
  if (index >= leaf_hashes.size()) return proof;
  std::vector<Hash32> level = leaf_hashes;
  while (level.size() > 1) {
    // The sibling at this level, if the node is not the promoted odd last one.
    const size_t sibling = index ^ 1;
    if (sibling < level.size()) proof.push_back(level[sibling]);
    size_t out = 0;
    for (size_t i = 0; i < level.size(); i += 2) {
      level[out++] = i + 1 == level.size() ? level[i] : merkle_node(level[i], level[i + 1]);
    }
    level.resize(out);
    index /= 2;
  }
  return proof;
}

bool merkle_verify(const Hash32& leaf, size_t index, size_t total, std::span<const Hash32> proof,
                   const Hash32& root) {
  if (index >= total) return false;
  Hash32 node = leaf;
  size_t used = 0;
  for (size_t width = total; width > 1; width = (width + 1) / 2, index /= 2) {
    const size_t sibling = index ^ 1;
    if (sibling >= width) continue;  // promoted unchanged
    if (used == proof.size()) return false;
    node = index % 2 == 0 ? merkle_node(node, proof[used]) : merkle_node(proof[used], node);
    ++used;
  }
  return used == proof.size() && node == root;
}

uint64_t hash_table_seed() {
  uint64_t seed = 0;
  if (RAND_bytes(reinterpret_cast<unsigned char*>(&seed), sizeof(seed)) != 1) {
    seed = static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  }
  return seed;
}

}  // namespace btt::crypto

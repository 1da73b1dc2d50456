#include "btt/crypto/hash.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace btt::crypto {
namespace {

// Fetched once: OpenSSL 3's implicit fetch behind EVP_sha256() takes a lock on every use.
const EVP_MD* sha256_md() {
  static const EVP_MD* const md = [] {
    const EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return fetched != nullptr ? fetched : EVP_sha256();
  }();
  return md;
}

struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

// SHA-256 cannot fail on valid input; a failure here means OpenSSL itself is broken (or out of
// memory), and returning a wrong digest would be worse than stopping.
[[noreturn]] void die(const char* what) {
  std::fprintf(stderr, "btt::crypto: OpenSSL SHA-256 failed in %s\n", what);
  std::abort();
}

class Sha256 {
 public:
  Sha256() : ctx_(EVP_MD_CTX_new()) {
    if (!ctx_ || EVP_DigestInit_ex(ctx_.get(), sha256_md(), nullptr) != 1) die("init");
  }
  void update(std::string_view data) {
    if (data.empty()) return;
    if (EVP_DigestUpdate(ctx_.get(), data.data(), data.size()) != 1) die("update");
  }
  Hash32 finish() {
    Hash32 out;
    unsigned int len = 0;
    if (EVP_DigestFinal_ex(ctx_.get(), out.data(), &len) != 1 || len != out.size()) die("final");
    return out;
  }

 private:
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx_;
};

}  // namespace

Hash32 sha256(std::string_view data) {
  Sha256 h;
  h.update(data);
  return h.finish();
}

Hash32 tagged_hash(std::string_view tag, std::string_view data) {
  const Hash32 tag_hash = sha256(tag);
  Sha256 h;
  h.update(as_view(tag_hash));
  h.update(as_view(tag_hash));
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

#pragma once
// SHA-256 (OpenSSL) and BIP340-style tagged hashes used for every domain-separated digest.
#include <span>
#include <string_view>
#include <vector>

#include "btt/common/bytes.h"

namespace btt::crypto {

[[nodiscard]] Hash32 sha256(std::string_view data);
// SHA256(SHA256(tag) || SHA256(tag) || data), as in BIP340. Tags used by bttd are listed in
// doc/protocol.md; each names one purpose, so a digest of one kind never verifies as another.
[[nodiscard]] Hash32 tagged_hash(std::string_view tag, std::string_view data);

// Domain tags (doc/protocol.md).
inline constexpr std::string_view kTagTxSig = "btt/tx/sig";
inline constexpr std::string_view kTagTxId = "btt/tx/id";
inline constexpr std::string_view kTagBlock = "btt/block";
inline constexpr std::string_view kTagMerkleLeaf = "btt/merkle/leaf";
inline constexpr std::string_view kTagMerkleNode = "btt/merkle/node";
// Leaf of a proposal's block part (doc/protocol.md, "Block parts").
inline constexpr std::string_view kTagBlockPart = "btt/block-part";
inline constexpr std::string_view kTagState = "btt/state";
inline constexpr std::string_view kTagModuleAccount = "btt/module-account";
// P2P handshake (doc/p2p.md): the transcript of both hellos, and what each side signs with its
// node key.
inline constexpr std::string_view kTagP2pTranscript = "btt/p2p/transcript";
inline constexpr std::string_view kTagP2pHandshake = "btt/p2p/handshake";
inline constexpr std::string_view kTagConsensusVote = "btt/consensus/vote";
inline constexpr std::string_view kTagConsensusProposal = "btt/consensus/proposal";
// Header hashes of a validator set and of a block's last_commit (doc/protocol.md).
inline constexpr std::string_view kTagValidatorSet = "btt/valset";
inline constexpr std::string_view kTagCommit = "btt/commit";

// Binary Merkle root over leaf hashes: leaves are tagged_hash(kTagMerkleLeaf, item); a node is
// tagged_hash(kTagMerkleNode, left || right); an odd last node is promoted unchanged; the root of
// no items is 32 zero bytes.
[[nodiscard]] Hash32 merkle_root(const std::vector<Hash32>& leaf_hashes);
// The sibling hashes that lead from leaf `index` to merkle_root(leaf_hashes), leaf to root; a
// level where the node is the promoted odd last one adds none. Empty if index is out of range.
[[nodiscard]] std::vector<Hash32> merkle_proof(const std::vector<Hash32>& leaf_hashes,
                                               size_t index);
// Whether `proof` leads from `leaf` at `index` of `total` leaves to `root`. The shape of the tree
// follows from index and total, so a proof of any other length is refused.
[[nodiscard]] bool merkle_verify(const Hash32& leaf, size_t index, size_t total,
                                 std::span<const Hash32> proof, const Hash32& root);

// A random 64-bit seed for the hash tables that hold what peers send (so nobody can aim entries
// at one bucket): OpenSSL's CSPRNG, or the steady clock if it fails. Never reaches state.
[[nodiscard]] uint64_t hash_table_seed();

}  // namespace btt::crypto

#pragma once
// Block parts (doc/protocol.md, "Block parts"): a proposal's block travels as parts of
// kBlockPartBytes, each with a Merkle proof against the root the proposer signed, so that a
// block of any size up to max_block_bytes crosses the network in frames of bounded size and
// every part is checked on arrival.
#include <cstdint>
#include <string_view>
#include <vector>

#include "btt/common/bytes.h"
#include "btt/common/status.h"
#include "btt/v1/consensus.pb.h"

namespace btt::chain {

inline constexpr size_t kBlockPartBytes = 65536;
// What a serialized block holds beyond its txs (header, last commit, evidence, tx framing), which
// max_block_bytes does not count: the slack in the part and sync-chunk bounds.
inline constexpr uint64_t kBlockEnvelopeBytes = 1u << 20;
// A proof has one hash per tree level: at most 32 for up to 2^32 parts.
inline constexpr size_t kMaxPartProofHashes = 32;

// tagged_hash("btt/block-part", u32be(index) || data).
[[nodiscard]] Hash32 part_leaf(uint32_t index, std::string_view data);

// The most parts a block of at most max_block_bytes has: ceil(max_block_bytes / kBlockPartBytes),
// capped at UINT32_MAX.
[[nodiscard]] uint32_t max_parts(uint64_t max_block_bytes);

struct PartSet {
  v1::PartSetHeader header;
  std::vector<v1::BlockPart> parts;  // index order, each with its proof
};

// Cuts `block` into parts for (height, round). kInvalidArgument for an empty block or one of more
// than UINT32_MAX parts.
[[nodiscard]] Result<PartSet> make_part_set(std::string_view block, uint64_t height,
                                            uint32_t round);
// The header alone (no proofs): what a received proposal's `parts` must equal.
[[nodiscard]] Result<v1::PartSetHeader> part_set_header(std::string_view block);
[[nodiscard]] bool same_header(const v1::PartSetHeader& a, const v1::PartSetHeader& b);

// Collects the parts of one signed header as they arrive, in any order. Every part is checked
// against the header before it is kept; a refused part changes nothing.
class PartAssembler {
 public:
  // kInvalidArgument if total is 0 or above max_total, or the root is not 32 bytes.
  [[nodiscard]] static Result<PartAssembler> create(const v1::PartSetHeader& header,
                                                    uint32_t max_total);

  // kInvalidArgument: index >= total, a part of the wrong size (every part but the last is
  // exactly kBlockPartBytes, the last 1..kBlockPartBytes), or a proof that is malformed or does
  // not lead to the root. kAlreadyExists: the index is held already.
  [[nodiscard]] Status add_part(const v1::BlockPart& part);
  [[nodiscard]] bool complete() const { return received_ == total_; }
  [[nodiscard]] uint32_t total() const { return total_; }
  [[nodiscard]] uint32_t received() const { return received_; }
  [[nodiscard]] bool has_part(uint32_t index) const {
    return index < total_ && !data_[index].empty();
  }
  [[nodiscard]] const Hash32& root() const { return root_; }
  // The block bytes; kUnavailable until complete().
  [[nodiscard]] Result<Bytes> assembled() const;

 private:
  PartAssembler(uint32_t total, const Hash32& root);

  uint32_t total_;
  Hash32 root_;
  uint32_t received_ = 0;
  std::vector<Bytes> data_;  // by index; empty until received (a real part is never empty)
};

}  // namespace btt::chain

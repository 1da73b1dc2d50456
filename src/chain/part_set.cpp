#include "btt/chain/part_set.h"

#include <algorithm>

#include "btt/common/checked.h"
#include "btt/crypto/hash.h"

namespace btt::chain {
namespace {

// Parts of a block of `size` bytes (size > 0), or nullopt above UINT32_MAX.
std::optional<uint32_t> part_count(size_t size) {
  const uint64_t n = ceil_div(size, kBlockPartBytes);
  if (n > UINT32_MAX) return std::nullopt;
  return static_cast<uint32_t>(n);
}

Result<std::vector<Hash32>> leaves_of(std::string_view block) {
  if (block.empty()) return Status(Code::kInvalidArgument, "an empty block has no parts");
  auto total = part_count(block.size());
  if (!total) return Status(Code::kInvalidArgument, "block has more than 2^32-1 parts");
  std::vector<Hash32> leaves;
  leaves.reserve(*total);
  for (uint32_t i = 0; i < *total; ++i) {
    leaves.push_back(part_leaf(i, block.substr(size_t{i} * kBlockPartBytes, kBlockPartBytes)));
  }
  return leaves;
}

v1::PartSetHeader header_of(const std::vector<Hash32>& leaves) {
  v1::PartSetHeader h;
  h.set_total(static_cast<uint32_t>(leaves.size()));
  h.set_root(to_bytes(crypto::merkle_root(leaves)));
  return h;
}

}  // namespace

Hash32 part_leaf(uint32_t index, std::string_view data) {
  Bytes preimage;
  preimage.reserve(4 + data.size());
  put_u32_be(preimage, index);
  preimage.append(data);
  return crypto::tagged_hash(crypto::kTagBlockPart, preimage);
}

uint32_t max_parts(uint64_t max_block_bytes) {
  return static_cast<uint32_t>(
      std::min<uint64_t>(ceil_div(max_block_bytes, kBlockPartBytes), UINT32_MAX));
}

Result<PartSet> make_part_set(std::string_view block, uint64_t height, uint32_t round) {
  auto leaves = leaves_of(block);
  if (!leaves) return leaves.status();
  PartSet out;
  out.header = header_of(*leaves);
  out.parts.reserve(leaves->size());
  for (uint32_t i = 0; i < leaves->size(); ++i) {
    v1::BlockPart& part = out.parts.emplace_back();
    part.set_height(height);
    part.set_round(round);
    part.set_index(i);
    part.set_data(Bytes(block.substr(size_t{i} * kBlockPartBytes, kBlockPartBytes)));
    for (const Hash32& h : crypto::merkle_proof(*leaves, i)) part.add_proof(to_bytes(h));
  }
  return out;
}

Result<v1::PartSetHeader> part_set_header(std::string_view block) {
  auto leaves = leaves_of(block);
  if (!leaves) return leaves.status();
  return header_of(*leaves);
}

bool same_header(const v1::PartSetHeader& a, const v1::PartSetHeader& b) {
  return a.total() == b.total() && a.root() == b.root();
}

PartAssembler::PartAssembler(uint32_t total, const Hash32& root)
    : total_(total), root_(root), data_(total) {}

Result<PartAssembler> PartAssembler::create(const v1::PartSetHeader& header, uint32_t max_total) {
  if (header.total() == 0) return Status(Code::kInvalidArgument, "part set of 0 parts");
  if (header.total() > max_total) {
    return Status(Code::kInvalidArgument, "part set of " + std::to_string(header.total()) +
                                              " parts, above the limit of " +
                                              std::to_string(max_total));
  }
  auto root = to_hash32(header.root());
  if (!root) return Status(Code::kInvalidArgument, "part set root is not 32 bytes");
  return PartAssembler(header.total(), *root);
}

Status PartAssembler::add_part(const v1::BlockPart& part) {
  const uint32_t index = part.index();
  if (index >= total_) {
    return Status(Code::kInvalidArgument, "part index " + std::to_string(index) + " of " +
                                              std::to_string(total_) + " parts");
  }
  const size_t size = part.data().size();
  const bool last = index + 1 == total_;
  if (size == 0 || size > kBlockPartBytes || (!last && size != kBlockPartBytes)) {
    return Status(Code::kInvalidArgument,
                  "part " + std::to_string(index) + " has " + std::to_string(size) + " bytes");
  }
  if (!data_[index].empty()) {
    return Status(Code::kAlreadyExists, "part " + std::to_string(index) + " is held already");
  }
  if (static_cast<size_t>(part.proof_size()) > kMaxPartProofHashes) {
    return Status(Code::kInvalidArgument,
                  "part proof of " + std::to_string(part.proof_size()) + " hashes");
  }
  std::vector<Hash32> proof;
  proof.reserve(static_cast<size_t>(part.proof_size()));
  for (const auto& h : part.proof()) {
    auto hash = to_hash32(h);
    if (!hash) return Status(Code::kInvalidArgument, "part proof hash is not 32 bytes");
    proof.push_back(*hash);
  }
  if (!crypto::merkle_verify(part_leaf(index, part.data()), index, total_, proof, root_)) {
    return Status(Code::kInvalidArgument,
                  "part " + std::to_string(index) + " does not verify against the root");
  }
  data_[index] = part.data();
  ++received_;
  return Status::ok();
}

Result<Bytes> PartAssembler::assembled() const {
  if (!complete()) {
    return Status(Code::kUnavailable,
                  std::to_string(received_) + " of " + std::to_string(total_) + " parts received");
  }
  Bytes out;
  size_t size = 0;
  for (const auto& d : data_) size += d.size();
  out.reserve(size);
  for (const auto& d : data_) out.append(d);
  return out;
}

}  // namespace btt::chain

// Block parts (doc/protocol.md, "Block parts"): a block cut into parts of kBlockPartBytes, each
// proven against the signed root, and reassembled only from parts that verify.
#include "btt/chain/part_set.h"

#include <gtest/gtest.h>

#include "btt/crypto/hash.h"

namespace btt::chain {
namespace {

Bytes block_of(size_t size) {
  Bytes b(size, '\0');
  for (size_t i = 0; i < size; ++i) b[i] = static_cast<char>((i * 131 + i / 7) & 0xff);
  return b;
}

PartAssembler assembler_for(const PartSet& set, uint32_t max_total = 1u << 20) {
  auto a = PartAssembler::create(set.header, max_total);
  EXPECT_TRUE(a.is_ok()) << a.status().to_string();
  return std::move(*a);
}

TEST(PartSet, SplitSizesAndReassembly) {
  struct Case {
    size_t size;
    uint32_t total;
    size_t last;
  };
  for (const Case& c : {Case{1, 1, 1}, Case{kBlockPartBytes, 1, kBlockPartBytes},
                        Case{kBlockPartBytes + 1, 2, 1}, Case{5 * (1u << 20) + 3, 81, 3}}) {
    SCOPED_TRACE(c.size);
    const Bytes block = block_of(c.size);
    auto set = make_part_set(block, 7, 2);
    ASSERT_TRUE(set.is_ok()) << set.status().to_string();
    EXPECT_EQ(set->header.total(), c.total);
    ASSERT_EQ(set->parts.size(), c.total);
    EXPECT_EQ(set->header.root().size(), 32u);
    for (uint32_t i = 0; i + 1 < c.total; ++i)
      EXPECT_EQ(set->parts[i].data().size(), kBlockPartBytes);
    EXPECT_EQ(set->parts.back().data().size(), c.last);
    // The header alone is the same one.
    auto header = part_set_header(block);
    ASSERT_TRUE(header.is_ok());
    EXPECT_TRUE(same_header(*header, set->header));

    // Every part verifies, in reverse order; the block comes back whole.
    PartAssembler a = assembler_for(*set, max_parts(c.size));
    for (uint32_t i = c.total; i-- > 0;) {
      EXPECT_EQ(set->parts[i].height(), 7u);
      EXPECT_EQ(set->parts[i].round(), 2u);
      EXPECT_EQ(set->parts[i].index(), i);
      EXPECT_FALSE(a.complete());
      ASSERT_TRUE(a.add_part(set->parts[i]).is_ok()) << i;
    }
    EXPECT_TRUE(a.complete());
    EXPECT_EQ(a.received(), c.total);
    auto out = a.assembled();
    ASSERT_TRUE(out.is_ok());
    EXPECT_EQ(*out, block);
  }
}

TEST(PartSet, EmptyBlockHasNoParts) {
  EXPECT_EQ(make_part_set("", 1, 0).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(part_set_header("").status().code(), Code::kInvalidArgument);
}

TEST(PartSet, MaxParts) {
  EXPECT_EQ(max_parts(1), 1u);
  EXPECT_EQ(max_parts(kBlockPartBytes), 1u);
  EXPECT_EQ(max_parts(kBlockPartBytes + 1), 2u);
  EXPECT_EQ(max_parts(8u << 20), 128u);
  EXPECT_EQ(max_parts(UINT64_MAX), UINT32_MAX);
}

TEST(PartSet, LeafIsTaggedIndexAndData) {
  Bytes preimage("\x00\x00\x00\x05", 4);
  preimage += "abc";
  EXPECT_EQ(part_leaf(5, "abc"), crypto::tagged_hash("btt/block-part", preimage));
  // Three parts: root = node(node(l0, l1), l2) (the odd last leaf is promoted).
  const Bytes block = block_of(2 * kBlockPartBytes + 10);
  auto set = make_part_set(block, 1, 0);
  ASSERT_TRUE(set.is_ok());
  std::vector<Hash32> leaves;
  for (const auto& p : set->parts) leaves.push_back(part_leaf(p.index(), p.data()));
  EXPECT_EQ(set->header.root(), to_bytes(crypto::merkle_root(leaves)));
  EXPECT_EQ(set->parts[0].proof_size(), 2);
  EXPECT_EQ(set->parts[2].proof_size(), 1);  // promoted at the first level
}

// A refused part changes nothing: the assembler still takes the right part afterwards and counts
// nothing for the refused one.
TEST(PartSet, RefusedPartsChangeNothing) {
  const Bytes block = block_of(3 * kBlockPartBytes + 100);
  auto set = make_part_set(block, 1, 0);
  ASSERT_TRUE(set.is_ok());
  PartAssembler a = assembler_for(*set, 4);
  const v1::BlockPart& good = set->parts[1];
  auto refused = [&](const v1::BlockPart& p, Code code) {
    Status s = a.add_part(p);
    EXPECT_EQ(s.code(), code) << s.to_string();
    EXPECT_EQ(a.received(), 0u);
    EXPECT_FALSE(a.has_part(good.index()));
  };

  v1::BlockPart p = good;
  p.mutable_data()->at(100) ^= 1;
  refused(p, Code::kInvalidArgument);  // tampered data
  p = good;
  p.mutable_proof(0)->at(0) ^= 1;
  refused(p, Code::kInvalidArgument);  // tampered proof
  p = good;
  p.mutable_proof()->RemoveLast();
  refused(p, Code::kInvalidArgument);  // short proof
  p = good;
  p.add_proof(Bytes(32, '\0'));
  refused(p, Code::kInvalidArgument);  // long proof
  p = good;
  p.set_proof(0, Bytes(31, '\0'));
  refused(p, Code::kInvalidArgument);  // proof hash of 31 bytes
  p = good;
  p.set_index(0);
  refused(p, Code::kInvalidArgument);  // another index (its proof is for index 1)
  p = good;
  p.set_index(4);
  refused(p, Code::kInvalidArgument);  // index >= total
  p = good;
  p.mutable_data()->resize(kBlockPartBytes - 1);
  refused(p, Code::kInvalidArgument);  // a middle part shorter than the part size
  p = set->parts[3];
  p.mutable_data()->append(kBlockPartBytes, 'x');
  refused(p, Code::kInvalidArgument);  // a last part above the part size

  // A part of another block (a wrong root) is refused.
  auto other = make_part_set(block_of(3 * kBlockPartBytes + 101), 1, 0);
  ASSERT_TRUE(other.is_ok());
  refused(other->parts[1], Code::kInvalidArgument);

  ASSERT_TRUE(a.add_part(good).is_ok());
  EXPECT_EQ(a.received(), 1u);
  EXPECT_EQ(a.add_part(good).code(), Code::kAlreadyExists);  // duplicate
  EXPECT_EQ(a.received(), 1u);
  EXPECT_EQ(a.assembled().status().code(), Code::kUnavailable);
  for (uint32_t i : {0u, 2u, 3u}) ASSERT_TRUE(a.add_part(set->parts[i]).is_ok());
  ASSERT_TRUE(a.complete());
  EXPECT_EQ(*a.assembled(), block);
}

TEST(PartSet, HeaderBounds) {
  v1::PartSetHeader h;
  h.set_total(129);
  h.set_root(Bytes(32, '\x01'));
  EXPECT_EQ(PartAssembler::create(h, 128).status().code(), Code::kInvalidArgument);  // over max
  h.set_total(128);
  EXPECT_TRUE(PartAssembler::create(h, 128).is_ok());
  h.set_total(0);
  EXPECT_EQ(PartAssembler::create(h, 128).status().code(), Code::kInvalidArgument);
  h.set_total(1);
  h.set_root(Bytes(31, '\x01'));
  EXPECT_EQ(PartAssembler::create(h, 128).status().code(), Code::kInvalidArgument);
}

TEST(MerkleProof, EveryLeafOfEverySizeUpTo17) {
  for (size_t n = 1; n <= 17; ++n) {
    std::vector<Hash32> leaves;
    for (size_t i = 0; i < n; ++i) leaves.push_back(crypto::sha256(std::to_string(i)));
    const Hash32 root = crypto::merkle_root(leaves);
    for (size_t i = 0; i < n; ++i) {
      auto proof = crypto::merkle_proof(leaves, i);
      EXPECT_TRUE(crypto::merkle_verify(leaves[i], i, n, proof, root)) << n << " " << i;
      if (n > 1) {
        EXPECT_FALSE(crypto::merkle_verify(leaves[i], (i + 1) % n, n, proof, root));
      }
    }
    EXPECT_TRUE(crypto::merkle_proof(leaves, n).empty());
    EXPECT_FALSE(crypto::merkle_verify(leaves[0], n, n, {}, root));
  }
}

}  // namespace
}  // namespace btt::chain

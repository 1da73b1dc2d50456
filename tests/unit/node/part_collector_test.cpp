// The reactor's bookkeeping of proposals arriving as a header and parts: bounded, first come
// first kept, next-height headers re-checked when that height starts.
#include "btt/node/part_collector.h"

#include <gtest/gtest.h>

namespace btt::node {
namespace {

struct Made {
  v1::Proposal header;  // block empty
  chain::PartSet parts;
  Bytes block;
};

Made make(uint64_t height, uint32_t round, size_t size, char fill = 'a') {
  Made m;
  m.block = Bytes(size, fill);
  m.parts = *chain::make_part_set(m.block, height, round);
  m.header.set_height(height);
  m.header.set_round(round);
  m.header.set_block_id(Bytes(32, fill));
  *m.header.mutable_parts() = m.parts.header;
  return m;
}

PartCollector collector() {
  PartCollectorLimits l;
  l.max_parts = 8;
  l.max_per_round = 2;
  l.max_entries = 5;
  l.max_unchecked = 2;
  l.max_bytes = 11 * chain::kBlockPartBytes;
  PartCollector c(l);
  (void)c.start_height(10, [](const v1::Proposal&) { return true; });
  return c;
}

TEST(PartCollector, AssemblesACheckedProposalOnce) {
  PartCollector c = collector();
  Made m = make(10, 0, 3 * chain::kBlockPartBytes - 5);
  ASSERT_TRUE(c.add_header(m.header, true).is_ok());
  EXPECT_EQ(c.add_header(m.header, true).code(), Code::kAlreadyExists);
  for (size_t i = 0; i < 2; ++i) {
    auto r = c.add_part(m.parts.parts[i]);
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    EXPECT_FALSE(r->has_value());
  }
  EXPECT_EQ(c.add_part(m.parts.parts[1]).status().code(), Code::kAlreadyExists);
  auto r = c.add_part(m.parts.parts[2]);
  ASSERT_TRUE(r.is_ok());
  ASSERT_TRUE(r->has_value());
  EXPECT_EQ((*r)->block(), m.block);
  EXPECT_EQ((*r)->parts().root(), m.parts.header.root());
  // Handed out once: the same parts again are duplicates, the header is still known.
  EXPECT_EQ(c.add_part(m.parts.parts[2]).status().code(), Code::kAlreadyExists);
  EXPECT_EQ(c.add_header(m.header, true).code(), Code::kAlreadyExists);
}

TEST(PartCollector, RefusesBadPartsAndUnknownHeaders) {
  PartCollector c = collector();
  Made m = make(10, 0, 2 * chain::kBlockPartBytes);
  EXPECT_EQ(c.add_part(m.parts.parts[0]).status().code(), Code::kNotFound);
  ASSERT_TRUE(c.add_header(m.header, true).is_ok());
  v1::BlockPart tampered = m.parts.parts[0];
  tampered.mutable_data()->at(3) ^= 1;
  EXPECT_EQ(c.add_part(tampered).status().code(), Code::kInvalidArgument);
  v1::BlockPart other_round = m.parts.parts[0];
  other_round.set_round(1);
  EXPECT_EQ(c.add_part(other_round).status().code(), Code::kNotFound);
  // The good parts still assemble.
  ASSERT_TRUE(c.add_part(m.parts.parts[0]).is_ok());
  auto r = c.add_part(m.parts.parts[1]);
  ASSERT_TRUE(r.is_ok());
  EXPECT_TRUE(r->has_value());
}

TEST(PartCollector, Bounds) {
  PartCollector c = collector();
  // A block inline, a header over max_parts, a height neither current nor next.
  Made inline_block = make(10, 0, 10);
  inline_block.header.set_block("x");
  EXPECT_EQ(c.add_header(inline_block.header, true).code(), Code::kInvalidArgument);
  EXPECT_EQ(c.add_header(make(10, 0, 9 * chain::kBlockPartBytes).header, true).code(),
            Code::kInvalidArgument);
  EXPECT_EQ(c.add_header(make(11, 0, 10).header, true).code(), Code::kInvalidArgument);
  EXPECT_EQ(c.add_header(make(12, 0, 10).header, false).code(), Code::kInvalidArgument);
  EXPECT_EQ(c.add_header(make(9, 0, 10).header, true).code(), Code::kInvalidArgument);
  EXPECT_EQ(c.size(), 0u);

  // Per round: 2; the third is refused.
  ASSERT_TRUE(c.add_header(make(10, 0, 10, 'a').header, true).is_ok());
  ASSERT_TRUE(c.add_header(make(10, 0, 10, 'b').header, true).is_ok());
  EXPECT_EQ(c.add_header(make(10, 0, 10, 'c').header, true).code(), Code::kLimitExceeded);
  // Unchecked (next height): 2 in all.
  ASSERT_TRUE(c.add_header(make(11, 0, 10, 'a').header, false).is_ok());
  ASSERT_TRUE(c.add_header(make(11, 1, 10, 'a').header, false).is_ok());
  EXPECT_EQ(c.add_header(make(11, 2, 10, 'a').header, false).code(), Code::kLimitExceeded);
  // Declared bytes: 4 parts held; 8 more would exceed 11.
  EXPECT_EQ(c.add_header(make(10, 1, 8 * chain::kBlockPartBytes).header, true).code(),
            Code::kLimitExceeded);
  // Entries: 5 in all.
  ASSERT_TRUE(c.add_header(make(10, 1, 10).header, true).is_ok());
  EXPECT_EQ(c.size(), 5u);
  EXPECT_EQ(c.add_header(make(10, 2, 10).header, true).code(), Code::kLimitExceeded);
  EXPECT_EQ(c.size(), 5u);
}

TEST(PartCollector, NextHeightIsRecheckedWhenItStarts) {
  PartCollector c = collector();
  Made good = make(11, 0, chain::kBlockPartBytes + 1, 'g');
  Made bad = make(11, 0, 100, 'b');
  Made old = make(10, 0, 100, 'o');
  ASSERT_TRUE(c.add_header(good.header, false).is_ok());
  ASSERT_TRUE(c.add_header(bad.header, false).is_ok());
  ASSERT_TRUE(c.add_header(old.header, true).is_ok());
  // The next height's parts are collected, but nothing is handed out before it starts.
  for (const auto& p : good.parts.parts) {
    auto r = c.add_part(p);
    ASSERT_TRUE(r.is_ok());
    EXPECT_FALSE(r->has_value());
  }
  ASSERT_TRUE(c.add_part(bad.parts.parts[0]).is_ok());
  // Height 11 starts: the bad header fails its check and goes; the complete good one comes out;
  // height 10 is gone.
  std::vector<Bytes> checked;
  auto complete = c.start_height(11, [&](const v1::Proposal& p) {
    checked.push_back(p.parts().root());
    return p.parts().root() == good.parts.header.root();
  });
  EXPECT_EQ(checked.size(), 2u);
  ASSERT_EQ(complete.size(), 1u);
  EXPECT_EQ(complete[0].block(), good.block);
  EXPECT_EQ(c.size(), 1u);
  EXPECT_FALSE(c.has(11, 0, bad.parts.header.root()));
  EXPECT_FALSE(c.has(10, 0, old.parts.header.root()));
  EXPECT_EQ(c.add_part(old.parts.parts[0]).status().code(), Code::kNotFound);
  // The bad header's slot is free again (now as a checked header of the current height).
  EXPECT_TRUE(c.add_header(bad.header, true).is_ok());
}

}  // namespace
}  // namespace btt::node

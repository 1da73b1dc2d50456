#pragma once
// Proposals arriving as a header and block parts (doc/p2p.md, "Block parts"): the reactor hands
// each header here, then each part; a part that completes a proposal of the current height gives
// back the whole proposal (block set) for the state machine, which checks it in full.
//
// Entries are keyed by (height, round, parts root). Headers of the current height are
// authenticated (signature, proposer) by the caller before they come here; headers of the next
// height cannot be yet and are kept unchecked, then re-checked when that height starts (and
// dropped if bad). Everything is bounded, first come first kept.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <tuple>
#include <vector>

#include "btt/chain/part_set.h"
#include "btt/common/status.h"
#include "btt/v1/consensus.pb.h"

namespace btt::node {

struct PartCollectorLimits {
  uint32_t max_parts = 128;       // per proposal: ceil(max_block_bytes / kBlockPartBytes)
  size_t max_per_round = 4;       // headers per (height, round)
  size_t max_entries = 64;        // headers in all
  size_t max_unchecked = 4;       // headers of the next height, not authenticated yet
  uint64_t max_bytes = 64 << 20;  // sum of the headers' declared sizes (total * part size)
};

class PartCollector {
 public:
  explicit PartCollector(PartCollectorLimits limits) : limits_(limits) {}

  // The limits for headers added from now on (max_block_bytes may change with the height).
  void set_limits(const PartCollectorLimits& limits) { limits_ = limits; }

  // A proposal header (its block empty). checked: authenticated for the current height; else it
  // must be for the next height. OK for a new entry; kAlreadyExists for a known (height, round,
  // root); kInvalidArgument for a malformed parts header, a block carried inline or a height
  // other than the current (checked) or next (unchecked); kLimitExceeded over a bound.
  [[nodiscard]] Status add_header(const v1::Proposal& header, bool checked);

  // A part, verified against the headers of its (height, round). The proposal it completes, if
  // it is of the current height (block set; handed out once); nullopt otherwise. kNotFound: no
  // header for it; kAlreadyExists: held already; kInvalidArgument: it verifies against no header.
  [[nodiscard]] Result<std::optional<v1::Proposal>> add_part(const v1::BlockPart& part);

  // The current height becomes `height`: entries below it go; unchecked entries at it are kept
  // only if `check` accepts their header. Returns the complete proposals of `height` (block set),
  // handed out once, for the state machine.
  [[nodiscard]] std::vector<v1::Proposal> start_height(
      uint64_t height, const std::function<bool(const v1::Proposal&)>& check);

  [[nodiscard]] uint64_t height() const { return height_; }
  [[nodiscard]] size_t size() const { return entries_.size(); }
  [[nodiscard]] bool has(uint64_t height, uint32_t round, const Bytes& root) const {
    return entries_.count({height, round, root}) > 0;
  }

 private:
  struct Entry {
    v1::Proposal header;
    std::optional<chain::PartAssembler> parts;  // reset once handed out
    uint64_t declared_bytes = 0;
    bool checked = false;
  };
  using Key = std::tuple<uint64_t, uint32_t, Bytes>;  // height, round, parts root

  void erase(std::map<Key, Entry>::iterator it);
  // The entry's proposal with its block; frees its parts (later ones are duplicates).
  [[nodiscard]] std::optional<v1::Proposal> hand_out(Entry& entry);

  PartCollectorLimits limits_;
  uint64_t height_ = 0;
  std::map<Key, Entry> entries_;
  uint64_t declared_bytes_ = 0;
  size_t unchecked_ = 0;
};

}  // namespace btt::node

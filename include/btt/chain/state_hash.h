#pragma once
// The state commitment in each block header, behind one interface so a Merkle commitment with
// proofs can replace this first version without touching the modules (DESIGN.md "Storage").
#include <map>
#include <memory>
#include <optional>

#include "btt/common/bytes.h"

namespace btt::chain {

using WriteSet = std::map<Bytes, std::optional<Bytes>, std::less<>>;

class StateCommitment {
 public:
  virtual ~StateCommitment() = default;
  // The commitment to the state after applying `writes` (in key order) at `height` on top of the
  // state committed to by `prev`.
  [[nodiscard]] virtual Hash32 next(const Hash32& prev, uint64_t height,
                                    const WriteSet& writes) const = 0;
};

// Version 1: a hash chain over each block's ordered write set (doc/protocol.md):
//   tagged_hash("btt/state", prev || u64be(height) || for each write in key order:
//     u32be(len key) || key || (0x00 for a deletion | 0x01 || u32be(len value) || value))
// Two nodes agree on it iff they agree on every write of every block since genesis.
[[nodiscard]] std::unique_ptr<StateCommitment> make_write_set_commitment();

}  // namespace btt::chain

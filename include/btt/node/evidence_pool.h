#pragma once
// Pending evidence (doc/consensus.md, "Evidence"): double votes this node saw or was gossiped,
// verified, until a block commits them or they are too old for the next block. The reactor adds
// and prunes on its thread; pending() and has_up_to() are thread-safe.
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <vector>

#include "btt/chain/chain.h"
#include "btt/common/bytes.h"
#include "btt/v1/block.pb.h"

namespace btt::node {

// Evidence kept (first come first kept).
inline constexpr size_t kMaxEvidence = 1000;

class EvidencePool {
 public:
  explicit EvidencePool(const chain::Chain& chain) : chain_(chain) {}
  EvidencePool(const EvidencePool&) = delete;
  EvidencePool& operator=(const EvidencePool&) = delete;

  // Keeps verified evidence in canonical form (the form a block carries), one per validator and
  // height (a block records at most one piece per key). The kept evidence; nullopt if it is
  // committed already, pending already, or the pool is full.
  [[nodiscard]] std::optional<v1::Evidence> add(const v1::Evidence& verified);
  // Evidence from a peer: verified against the validator set of its height, and not too old for
  // the next block (a later height is kept if its set is known, up to tip + 2: it fits a later
  // block). The verified evidence, or nullopt.
  [[nodiscard]] std::optional<v1::Evidence> verify(const v1::Evidence& evidence) const;
  // Drops what the chain committed and what is too old for the next block.
  void prune();

  // Whether evidence of a height at most `height` is pending (it can go into the next block).
  [[nodiscard]] bool has_up_to(uint64_t height) const;
  // In (height, validator) order.
  [[nodiscard]] std::vector<v1::Evidence> pending() const;

 private:
  const chain::Chain& chain_;
  mutable std::mutex mu_;
  std::map<Bytes, v1::Evidence> evidence_;  // by evidence key
};

}  // namespace btt::node

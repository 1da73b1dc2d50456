#pragma once
// The validators of one height: keys, voting power, quorum thresholds and proposer selection.
//
// Proposer selection (doc/consensus.md): a stateless weighted round-robin over slots. The slot
// of (height, round) is s = (height + round) mod T, with T the total power; the validators are
// ordered by address and each owns a range of T's units as wide as its power; the proposer is
// the owner of unit (s * m) mod T, where m is the smallest integer >= floor(T * 0.6180339887)
// coprime with T. Multiplying by m permutes the units, so over any T consecutive slots each
// validator proposes exactly `power` times, and the golden-ratio step spreads a validator's turns
// out instead of giving them in a row. Rounds of one height take consecutive slots, so a faulty
// proposer is followed by others.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "btt/chain/consensus_signing.h"
#include "btt/common/status.h"
#include "btt/crypto/keys.h"
#include "btt/v1/consensus.pb.h"

namespace btt::chain {

struct ValidatorInfo {
  std::string address;  // canonical bech32m
  crypto::XOnlyPublicKey public_key;
  uint64_t power = 0;
};

class ValidatorSet {
 public:
  ValidatorSet() = default;
  // Refuses an empty set, a zero power, a key that is not 32 bytes on the curve, an address that
  // does not belong to its key, a duplicate address and a total power above uint64.
  [[nodiscard]] static Result<ValidatorSet> create(const std::vector<v1::Validator>& validators);

  [[nodiscard]] size_t size() const { return validators_.size(); }
  [[nodiscard]] uint64_t total_power() const { return total_power_; }
  // Sorted by address.
  [[nodiscard]] const std::vector<ValidatorInfo>& validators() const { return validators_; }
  [[nodiscard]] std::optional<size_t> index_of(std::string_view address) const;
  [[nodiscard]] const ValidatorInfo* find(std::string_view address) const;

  // Quorum: more than 2/3 of the total power, exactly power * 3 > total * 2 (128-bit math).
  [[nodiscard]] bool is_quorum(uint64_t power) const;
  // More than 1/3 of the total power (power * 3 > total): at least one honest validator is in
  // any such group when at most a third is faulty (the f+1 of the paper).
  [[nodiscard]] bool is_one_third(uint64_t power) const;

  [[nodiscard]] size_t proposer_index(uint64_t height, Round round) const;
  [[nodiscard]] const ValidatorInfo& proposer(uint64_t height, Round round) const {
    return validators_[proposer_index(height, round)];
  }

 private:
  std::vector<ValidatorInfo> validators_;
  std::vector<uint64_t> cumulative_end_;  // cumulative_end_[i] = sum of powers of 0..i
  uint64_t total_power_ = 0;
  uint64_t step_ = 0;  // m above
};

// The validator set of a height, or null when the chain keeps none for it.
using SetOfHeight = std::function<const ValidatorSet*(uint64_t height)>;

// The header's validators_hash / next_validators_hash (doc/protocol.md, "Validator set hash"):
//   tagged_hash("btt/valset", u32be(n) ‖ for each validator in set order (ascending address):
//                             address (20 raw bytes) ‖ public key (32) ‖ u64be(power))
// Names are not covered: they do not take part in consensus.
[[nodiscard]] Hash32 validator_set_hash(const ValidatorSet& set);

}  // namespace btt::chain

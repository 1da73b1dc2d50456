#pragma once
// The validator set of every height (doc/consensus.md, "Validator set changes"): a history in
// state, one entry per set, keyed by the first height it decides:
//
//   "vset/" ‖ u64be(from_height) -> ValidatorSetRecord   (validators ordered by address)
//
// The set of height h is the entry with the greatest from_height <= h (one seek, scan_back).
// Genesis writes whole entries. A module (staking) changes the set by putting the whole set it
// wants into BlockContext::next_validators in its end_block hook at height H; the chain validates
// it and writes it as the entry of H + 2 (end_block_validator_sets): what changed against the
// previous entry, a whole set every 16th entry. Entries no height within max_evidence_age of the
// next block needs are deleted by the same block's writes.
#include <cstdint>
#include <map>
#include <optional>
#include <string_view>
#include <vector>

#include "btt/chain/validator_set.h"
#include "btt/common/bytes.h"
#include "btt/common/status.h"
#include "btt/ledger/state.h"
#include "btt/v1/consensus.pb.h"
#include "btt/v1/ledger.pb.h"

namespace btt::chain {

inline constexpr std::string_view kValidatorSetPrefix = "vset/";
// The largest set the chain takes (each validator signs every block's commit, and the header
// hashes and commit checks are linear in it).
inline constexpr size_t kMaxValidators = 1000;
// The largest total power: quorum arithmetic and proposer slots stay far from uint64 overflow.
inline constexpr uint64_t kMaxTotalPower = UINT64_MAX / 4;
inline constexpr size_t kMaxValidatorNameBytes = 64;
// Every 16th entry of the history is a whole set; the ones between record only their changes.
inline constexpr uint32_t kValidatorSetCheckpointInterval = 16;

// "vset/" ‖ u64be(from_height).
[[nodiscard]] Bytes validator_set_key(uint64_t from_height);

// Whether `validators` may be a set of the chain: 1..kMaxValidators members, each with a valid
// 32-byte x-only key, its canonical address (that of the key), a power above 0 and a name of at
// most 64 bytes; no address twice; a total power of at most kMaxTotalPower. The message names
// the first problem.
[[nodiscard]] Status validate_validator_set(const std::vector<v1::Validator>& validators);

// Whether two sets hold the same validators (address, key, power and name), in any order.
[[nodiscard]] bool same_validator_set(const std::vector<v1::Validator>& a,
                                      const std::vector<v1::Validator>& b);

// The same validators in the canonical order of a record: ascending address.
[[nodiscard]] std::vector<v1::Validator> sorted_by_address(std::vector<v1::Validator> validators);

// The set that decides `height`; nullopt when the history has no entry at or below it (heights
// before the chain's first, or older than what pruning keeps).
[[nodiscard]] std::optional<std::vector<v1::Validator>> validators_at(
    const ledger::StateReader& state, uint64_t height);
// validators_at as a ValidatorSet; an error when there is none or it does not build.
[[nodiscard]] Result<ValidatorSet> validator_set_at(const ledger::StateReader& state,
                                                    uint64_t height);

// The sets of several heights of one state, each read and built once (the evidence of a block).
class ValidatorSets {
 public:
  explicit ValidatorSets(const ledger::StateReader& state) : state_(state) {}
  ValidatorSets(const ValidatorSets&) = delete;
  ValidatorSets& operator=(const ValidatorSets&) = delete;
  // The set of `height`, or null when the history has none (or it does not build).
  [[nodiscard]] const ValidatorSet* at(uint64_t height);
  [[nodiscard]] SetOfHeight lookup() {
    return [this](uint64_t height) { return at(height); };
  }

 private:
  const ledger::StateReader& state_;
  std::map<uint64_t, std::optional<ValidatorSet>> by_height_;
};

struct ValidatorSetEntry {
  uint64_t from_height = 0;
  std::vector<v1::Validator> validators;
};
// Every entry in state, ascending by from_height.
[[nodiscard]] std::vector<ValidatorSetEntry> validator_set_history(
    const ledger::StateReader& state);

// Writes the entry of `from_height`, above every entry there is: what changed against the newest
// entry, or the whole set (sorted by address) when there is none or every 16th entry. Genesis
// writes its entries in ascending order through it, so an imported history holds the same
// records as the chain it was exported from. The caller validated the set.
void write_validator_set(ledger::Overlay& state, uint64_t from_height,
                         const std::vector<v1::Validator>& validators);

// What the end of block `height` does to the history, after every end_block hook ran:
//  - `next` set (by a hook through BlockContext::next_validators): validated
//    (validate_validator_set; a failure is kInternal, a module bug that fails the block, and
//    nothing is written); if it differs from the set of height + 1 (same validators, keys,
//    powers and names in address order), written as the entry of height + 2: its changes
//    against the entry of height + 1, or the whole set every kValidatorSetCheckpointInterval
//    entries (and when there is no entry to build on);
//  - pruning: every entry below the whole entry on which the entry in force at
//    height + 1 - max_evidence_age (the oldest height whose evidence the next block may carry)
//    builds is deleted.
// Returns whether a new entry was written.
[[nodiscard]] Result<bool> end_block_validator_sets(
    ledger::Overlay& state, uint64_t height, const std::optional<std::vector<v1::Validator>>& next,
    const v1::LedgerParams& params);

}  // namespace btt::chain

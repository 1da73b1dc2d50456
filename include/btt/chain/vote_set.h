#pragma once
// The votes of one (height, round, type), their tallies, equivocation evidence and commits.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "btt/chain/consensus_signing.h"
#include "btt/chain/validator_set.h"
#include "btt/common/bytes.h"
#include "btt/common/status.h"
#include "btt/v1/consensus.pb.h"

namespace btt::chain {

// Form checks that need no key: a known type, a block id of 0 or 32 bytes, a 64-byte signature.
[[nodiscard]] Status check_vote_form(const v1::Vote& vote);
// check_vote_form, then the validator is in the set and the signature verifies over
// vote_digest(chain_id, vote).
[[nodiscard]] Status verify_vote(const ValidatorSet& validators, std::string_view chain_id,
                                 const v1::Vote& vote, SignatureVerifier& verifier);

// Checks that `commit` proves `block_id` final at `height`: the height and block id match, the
// block id is 32 bytes, every signer is a distinct member of `validators`, every signature
// verifies as PRECOMMIT(height, commit.round, block_id, its timestamp), and the signers hold
// more than 2/3 of the power. The message names the first problem found.
[[nodiscard]] Status verify_commit(const ValidatorSet& validators, std::string_view chain_id,
                                   uint64_t height, const Bytes& block_id,
                                   const v1::Commit& commit);
[[nodiscard]] Status verify_commit(const ValidatorSet& validators, std::string_view chain_id,
                                   uint64_t height, const Bytes& block_id, const v1::Commit& commit,
                                   SignatureVerifier& verifier);

// The header's last_commit_hash (doc/protocol.md, "Last commit hash"):
//   tagged_hash("btt/commit", u64be(height) ‖ u32be(round) ‖ block_id (32) ‖ u32be(n) ‖
//     for each signature, ascending by validator address: address (20 raw bytes) ‖
//     u64be(timestamp_ms) ‖ signature (64))
// An error for a commit that has no such encoding: a block id that is not 32 bytes, a signature
// that is not 64, a validator that is not a canonical address.
[[nodiscard]] Result<Hash32> commit_hash(const v1::Commit& commit);

class VoteSet {
 public:
  enum class Added {
    kAdded,      // a new vote, counted
    kDuplicate,  // the same vote again (same validator and block id); nothing changed
    kConflict,   // a second, different vote by one validator: evidence returned
  };
  struct AddResult {
    Added added = Added::kAdded;
    bool counted = true;                   // false for a conflict that was not counted
    std::optional<v1::Evidence> evidence;  // set with kConflict
  };

  VoteSet(const ValidatorSet& validators, uint64_t height, Round round, v1::VoteType type);

  // Adds a vote whose signature the caller has verified (verify_vote). Refuses a vote for another
  // height, round or type, or from a validator not in the set.
  //
  // A validator's conflicting vote yields evidence and, when `count_conflict`, is also counted
  // toward its own block id (the validator's power is counted once per block id, and once in
  // the "any" tally). This is the paper's tally, which counts messages for a value: without it a
  // Byzantine validator that sends A to some nodes and nil to others could keep honest nodes from
  // ever seeing the proof of lock another honest node saw, and stall them. The caller passes
  // count_conflict only for nil and for block ids of known proposals, so that memory stays
  // bounded.
  [[nodiscard]] Result<AddResult> add(const v1::Vote& vote, bool count_conflict = false);

  [[nodiscard]] uint64_t height() const { return height_; }
  [[nodiscard]] Round round() const { return round_; }
  [[nodiscard]] v1::VoteType type() const { return type_; }
  // The first vote of `address`, if any.
  [[nodiscard]] const v1::Vote* get(std::string_view address) const;
  // Whether this exact vote (validator, block id, signature) is held.
  [[nodiscard]] bool holds(const v1::Vote& vote) const;
  // First votes by validator address.
  [[nodiscard]] const std::map<std::string, v1::Vote>& votes() const { return votes_; }
  // Counted conflicting votes, by (validator address, block id).
  [[nodiscard]] const std::map<std::pair<std::string, Bytes>, v1::Vote>& conflicting() const {
    return conflicting_;
  }

  [[nodiscard]] uint64_t power_for(const Bytes& block_id) const;  // empty = nil
  [[nodiscard]] uint64_t total_voted_power() const { return voted_power_; }
  // +2/3 of the power voted, for anything (nil included).
  [[nodiscard]] bool has_two_thirds_any() const;
  [[nodiscard]] bool has_two_thirds_for(const Bytes& block_id) const;
  [[nodiscard]] bool has_two_thirds_nil() const { return has_two_thirds_for(Bytes()); }
  // The block id (possibly empty = nil) that has +2/3, if one does.
  [[nodiscard]] std::optional<Bytes> two_thirds_majority() const;

  // The commit for a block id with +2/3 precommits; refused for prevotes, nil or no quorum.
  [[nodiscard]] Result<v1::Commit> make_commit() const;

 private:
  const ValidatorSet* validators_;
  uint64_t height_;
  Round round_;
  v1::VoteType type_;
  std::map<std::string, v1::Vote> votes_;  // first vote, by validator address
  std::map<std::pair<std::string, Bytes>, v1::Vote> conflicting_;
  std::map<Bytes, uint64_t> power_by_block_;
  uint64_t voted_power_ = 0;
};

}  // namespace btt::chain

#pragma once
// Evidence of misbehaviour carried in blocks (doc/protocol.md, "Evidence"; doc/consensus.md,
// "Evidence in blocks"). Today one kind: a validator's two different votes for one height, round
// and type (DuplicateVote).
//
// A block carries each piece as the exact bytes of a btt.v1.Evidence; its id is
// tagged_hash("btt/evidence", bytes) and the header's evidence_root is the Merkle root of the ids
// (empty when there is none), so the block hash covers the evidence as it covers the txs.
// Committed evidence is recorded in state under "evidence/" ‖ u64be(height) ‖ validator (20
// bytes), one record per validator and height, which also deduplicates it.
//
// The validator set that checks a piece is the set of the evidence's height (the history of
// validator_history.h keeps every set max_evidence_age needs).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "btt/chain/consensus_signing.h"
#include "btt/chain/validator_set.h"
#include "btt/common/bytes.h"
#include "btt/common/status.h"
#include "btt/crypto/address.h"
#include "btt/ledger/state.h"
#include "btt/v1/consensus.pb.h"
#include "btt/v1/ledger.pb.h"
#include "btt/v1/tx.pb.h"

namespace btt::chain {

inline constexpr std::string_view kEvidencePrefix = "evidence/";
inline constexpr std::string_view kTagEvidence = "btt/evidence";
// Defaults of the ledger params max_evidence_age and max_block_evidence (0 in a params record
// means these).
inline constexpr uint64_t kDefaultMaxEvidenceAge = 100'000;
inline constexpr uint32_t kDefaultMaxBlockEvidence = 64;
// Largest encoded Evidence a block may carry (two votes are about 400 bytes).
inline constexpr size_t kMaxEvidenceBytes = 4096;

[[nodiscard]] uint64_t max_evidence_age(const v1::LedgerParams& params);
[[nodiscard]] uint32_t max_block_evidence(const v1::LedgerParams& params);

// "evidence/" ‖ u64be(height) ‖ validator address (20 bytes).
[[nodiscard]] Bytes evidence_key(uint64_t height, const crypto::Address& validator);
[[nodiscard]] Hash32 evidence_id(std::string_view evidence_bytes);
// Merkle root of the ids (leaf tagged_hash("btt/merkle/leaf", id)); empty bytes for none.
[[nodiscard]] Bytes evidence_root(const std::vector<Bytes>& evidence_bytes);

// The same evidence with its votes in canonical order (vote_a's block id below vote_b's) and
// only the fields the protocol knows (unknown fields dropped).
[[nodiscard]] v1::Evidence canonical_evidence(const v1::Evidence& evidence);

// A piece of evidence that verify_evidence accepted.
struct VerifiedEvidence {
  v1::Evidence evidence;  // canonical_evidence of the input
  uint64_t height = 0;
  crypto::Address validator;
  uint64_t power = 0;
  uint64_t total_power = 0;
  Bytes key;    // evidence_key(height, validator)
  Bytes bytes;  // as the block carries it (set by select_evidence / check_block_evidence)
};

// The checks that need no key: a duplicate vote with both votes, of one validator, for the same
// type, height (not 0) and round, with different block ids in canonical order (unless
// allow_any_order). The message names the first problem.
[[nodiscard]] Status check_evidence_form(const v1::Evidence& evidence,
                                         bool allow_any_order = false);

// Checks a piece on its own: check_evidence_form, then both votes are well formed, of a member
// of `validators` (the set of the votes' height), with valid signatures. The message names the
// first problem.
[[nodiscard]] Result<VerifiedEvidence> verify_evidence(const ValidatorSet& validators,
                                                       std::string_view chain_id,
                                                       const v1::Evidence& evidence,
                                                       SignatureVerifier& verifier,
                                                       bool allow_any_order = false);

// "prevote of btt1… at height H round R", for logs and errors.
[[nodiscard]] std::string describe_evidence(const VerifiedEvidence& evidence);

// Whether evidence of `evidence_height` may go into the block at `block_height`: 1 <= evidence
// height < block height (never of the block's own or a future height) and block height -
// evidence height <= max_evidence_age(params).
[[nodiscard]] Status check_evidence_height(uint64_t evidence_height, uint64_t block_height,
                                           const v1::LedgerParams& params);

// Proposer: of `candidates`, those that fit the block at `block_height`, verify against the set
// of their height (`sets`) and are not committed yet, one per key, in key order, at most
// max_block_evidence(params). The rest is dropped silently (it may be valid later or never).
[[nodiscard]] std::vector<VerifiedEvidence> select_evidence(
    const ledger::StateReader& state, const SetOfHeight& sets, std::string_view chain_id,
    uint64_t block_height, const v1::LedgerParams& params,
    const std::vector<v1::Evidence>& candidates);
// Follower: every piece a block carries must decode (at most kMaxEvidenceBytes), be in canonical
// form, fit the block's height, verify against the set of its height (`sets`), not be
// committed, and come in strictly ascending key order (so no key twice); at most
// max_block_evidence(params) pieces. Any failure refuses the block, with a message naming the
// piece.
[[nodiscard]] Result<std::vector<VerifiedEvidence>> check_block_evidence(
    const ledger::StateReader& state, const SetOfHeight& sets, std::string_view chain_id,
    uint64_t block_height, const v1::LedgerParams& params,
    const google::protobuf::RepeatedPtrField<std::string>& evidence);
// Writes an EvidenceRecord per piece into `state` and returns a "consensus.evidence" event per
// piece (block-level events).
[[nodiscard]] std::vector<v1::Event> record_evidence(ledger::Overlay& state,
                                                     const std::vector<VerifiedEvidence>& evidence,
                                                     uint64_t included_height);

// The committed record of evidence against `validator` at `height`, if any.
[[nodiscard]] std::optional<v1::EvidenceRecord> committed_evidence(
    const ledger::StateReader& state, uint64_t height, const crypto::Address& validator);
// Committed records of heights >= from_height in key order, at most `limit`; `truncated` is set
// when more follow.
[[nodiscard]] std::vector<v1::EvidenceRecord> list_committed_evidence(
    const ledger::StateReader& state, uint64_t from_height, size_t limit, bool* truncated);

}  // namespace btt::chain

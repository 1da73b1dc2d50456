#include "btt/chain/evidence.h"

#include <map>
#include "btt/chain/vote_set.h"

#include "btt/crypto/hash.h"
#include "btt/ledger/module.h"

namespace btt::chain {
namespace {
// Block-level: one per piece of evidence a block includes (doc/consensus.md "Evidence").
constexpr ledger::EventDef kEvidenceEvent{
    "consensus.evidence", {"validator", "height", "round", "vote_type", "power", "evidence_id"}};
}  // namespace

namespace {

// Only the fields the protocol knows: a vote as its signature covers it, plus the signature.
v1::Vote known_fields(const v1::Vote& in) {
  v1::Vote out;
  out.set_type(in.type());
  out.set_height(in.height());
  out.set_round(in.round());
  out.set_block_id(in.block_id());
  out.set_validator(in.validator());
  out.set_timestamp_ms(in.timestamp_ms());
  out.set_signature(in.signature());
  return out;
}

std::string vote_type_name(v1::VoteType type) {
  return type == v1::PREVOTE ? "prevote" : type == v1::PRECOMMIT ? "precommit" : "unknown";
}

}  // namespace

uint64_t max_evidence_age(const v1::LedgerParams& params) {
  return params.max_evidence_age() != 0 ? params.max_evidence_age() : kDefaultMaxEvidenceAge;
}

uint32_t max_block_evidence(const v1::LedgerParams& params) {
  return params.max_block_evidence() != 0 ? params.max_block_evidence() : kDefaultMaxBlockEvidence;
}

Bytes evidence_key(uint64_t height, const crypto::Address& validator) {
  Bytes key(kEvidencePrefix);
  put_u64_be(key, height);
  key.append(validator.raw());
  return key;
}

Hash32 evidence_id(std::string_view evidence_bytes) {
  return crypto::tagged_hash(kTagEvidence, evidence_bytes);
}

Bytes evidence_root(const std::vector<Bytes>& evidence_bytes) {
  if (evidence_bytes.empty()) return Bytes();
  std::vector<Hash32> leaves;
  leaves.reserve(evidence_bytes.size());
  for (const auto& e : evidence_bytes) {
    leaves.push_back(crypto::tagged_hash(crypto::kTagMerkleLeaf, as_view(evidence_id(e))));
  }
  return to_bytes(crypto::merkle_root(leaves));
}

v1::Evidence canonical_evidence(const v1::Evidence& evidence) {
  v1::Evidence out;
  if (!evidence.has_duplicate_vote()) return out;
  v1::Vote a = known_fields(evidence.duplicate_vote().vote_a());
  v1::Vote b = known_fields(evidence.duplicate_vote().vote_b());
  if (b.block_id() < a.block_id()) std::swap(a, b);
  auto* dv = out.mutable_duplicate_vote();
  *dv->mutable_vote_a() = std::move(a);
  *dv->mutable_vote_b() = std::move(b);
  return out;
}

Status check_evidence_form(const v1::Evidence& evidence, bool allow_any_order) {
  auto bad = [](const std::string& what) {
    return Status(Code::kInvalidArgument, "evidence: " + what);
  };
  if (!evidence.has_duplicate_vote()) return bad("not a duplicate vote (the only kind known)");
  if (!evidence.duplicate_vote().has_vote_a() || !evidence.duplicate_vote().has_vote_b()) {
    return bad("a duplicate vote needs two votes");
  }
  const v1::Vote& a = evidence.duplicate_vote().vote_a();
  const v1::Vote& b = evidence.duplicate_vote().vote_b();
  if (a.validator() != b.validator()) return bad("the votes are signed by different validators");
  if (a.type() != b.type()) return bad("the votes are of different types");
  if (a.height() != b.height()) return bad("the votes are for different heights");
  if (a.round() != b.round()) return bad("the votes are for different rounds");
  if (a.block_id() == b.block_id()) return bad("the votes are for the same block id");
  if (!allow_any_order && !(a.block_id() < b.block_id())) {
    return bad("vote_a's block id must sort below vote_b's");
  }
  if (a.height() == 0) return bad("the votes are for height 0");
  return Status::ok();
}

Result<VerifiedEvidence> verify_evidence(const ValidatorSet& validators, std::string_view chain_id,
                                         const v1::Evidence& evidence, SignatureVerifier& verifier,
                                         bool allow_any_order) {
  if (Status s = check_evidence_form(evidence, allow_any_order); !s) return s;
  const v1::Vote& a = evidence.duplicate_vote().vote_a();
  const v1::Vote& b = evidence.duplicate_vote().vote_b();
  for (const v1::Vote* v : {&a, &b}) {
    if (auto s = verify_vote(validators, chain_id, *v, verifier); !s) {
      return Status(s.code(), "evidence: " + s.message());
    }
  }
  auto address = crypto::Address::parse(a.validator());
  const ValidatorInfo* info = validators.find(a.validator());
  if (!address || info == nullptr) {  // checked above
    return Status(Code::kInvalidArgument, "evidence: the signer is not a validator");
  }
  VerifiedEvidence out;
  out.evidence = canonical_evidence(evidence);
  out.height = a.height();
  out.validator = *address;
  out.power = info->power;
  out.total_power = validators.total_power();
  out.key = evidence_key(out.height, out.validator);
  return out;
}

Status check_evidence_height(uint64_t evidence_height, uint64_t block_height,
                             const v1::LedgerParams& params) {
  const std::string what = "evidence of height " + std::to_string(evidence_height) +
                           " in the block at height " + std::to_string(block_height);
  if (evidence_height == 0 || evidence_height >= block_height) {
    return Status(Code::kInvalidArgument, what + ": the height is not below the block's");
  }
  // No overflow: evidence_height < block_height.
  if (block_height - evidence_height > max_evidence_age(params)) {
    return Status(Code::kInvalidArgument, what + ": older than max_evidence_age (" +
                                              std::to_string(max_evidence_age(params)) +
                                              " blocks)");
  }
  return Status::ok();
}

std::vector<VerifiedEvidence> select_evidence(const ledger::StateReader& state,
                                              const SetOfHeight& sets, std::string_view chain_id,
                                              uint64_t block_height, const v1::LedgerParams& params,
                                              const std::vector<v1::Evidence>& candidates) {
  Bip340Verifier verifier;
  std::map<Bytes, VerifiedEvidence> by_key;  // key order is the block's order
  for (const auto& candidate : candidates) {
    if (!check_evidence_form(candidate, /*allow_any_order=*/true)) continue;
    const uint64_t height = candidate.duplicate_vote().vote_a().height();
    if (!check_evidence_height(height, block_height, params)) continue;
    const ValidatorSet* set = sets(height);
    if (set == nullptr) continue;
    auto v = verify_evidence(*set, chain_id, candidate, verifier, /*allow_any_order=*/true);
    if (!v || by_key.count(v->key)) continue;
    if (state.get(v->key)) continue;  // committed already
    v->bytes = v->evidence.SerializeAsString();
    if (v->bytes.size() > kMaxEvidenceBytes) continue;
    Bytes key = v->key;
    by_key.emplace(std::move(key), std::move(*v));
  }
  std::vector<VerifiedEvidence> out;
  const size_t max = max_block_evidence(params);
  for (auto& [key, v] : by_key) {
    if (out.size() >= max) break;
    out.push_back(std::move(v));
  }
  return out;
}

Result<std::vector<VerifiedEvidence>> check_block_evidence(
    const ledger::StateReader& state, const SetOfHeight& sets, std::string_view chain_id,
    uint64_t block_height, const v1::LedgerParams& params,
    const google::protobuf::RepeatedPtrField<std::string>& evidence) {
  const size_t max = max_block_evidence(params);
  if (static_cast<size_t>(evidence.size()) > max) {
    return Status(Code::kInvalidArgument, "the block carries " + std::to_string(evidence.size()) +
                                              " pieces of evidence, at most " +
                                              std::to_string(max));
  }
  Bip340Verifier verifier;
  std::vector<VerifiedEvidence> out;
  out.reserve(static_cast<size_t>(evidence.size()));
  for (int i = 0; i < evidence.size(); ++i) {
    const std::string& bytes = evidence.Get(i);
    auto bad = [&](const std::string& what) {
      return Status(Code::kInvalidArgument, "evidence " + std::to_string(i) + ": " + what);
    };
    if (bytes.size() > kMaxEvidenceBytes) {
      return bad(std::to_string(bytes.size()) + " bytes, at most " +
                 std::to_string(kMaxEvidenceBytes));
    }
    v1::Evidence parsed;
    if (!parsed.ParseFromString(bytes)) return bad("does not decode");
    if (Status s = check_evidence_form(parsed); !s) return bad(s.message());
    const uint64_t height = parsed.duplicate_vote().vote_a().height();
    if (auto s = check_evidence_height(height, block_height, params); !s) {
      return bad(s.message());
    }
    const ValidatorSet* set = sets(height);
    if (set == nullptr) {
      return bad("no validator set is kept for height " + std::to_string(height));
    }
    auto v = verify_evidence(*set, chain_id, parsed, verifier);
    if (!v) return bad(v.status().message());
    if (!out.empty() && !(out.back().key < v->key)) {
      return bad(out.back().key == v->key ? "a second piece against the same validator and height"
                                          : "not in ascending (height, validator) order");
    }
    if (state.get(v->key)) {
      return bad("evidence against " + v->validator.to_string() + " at height " +
                 std::to_string(v->height) + " is committed already");
    }
    v->bytes = bytes;
    out.push_back(std::move(*v));
  }
  return out;
}

std::vector<v1::Event> record_evidence(ledger::Overlay& state,
                                       const std::vector<VerifiedEvidence>& evidence,
                                       uint64_t included_height) {
  ledger::Events events;
  for (const auto& e : evidence) {
    const v1::Vote& a = e.evidence.duplicate_vote().vote_a();
    const Hash32 id = evidence_id(e.bytes);
    v1::EvidenceRecord r;
    r.set_height(e.height);
    r.set_validator(e.validator.to_string());
    r.set_included_height(included_height);
    r.set_power(e.power);
    r.set_total_power(e.total_power);
    r.set_evidence_id(to_bytes(id));
    *r.mutable_evidence() = e.evidence;
    state.put(e.key, r.SerializeAsString());
    events.emit(kEvidenceEvent)
        .attr("validator", r.validator())
        .attr("height", e.height)
        .attr("round", a.round())
        .attr("vote_type", vote_type_name(a.type()))
        .attr("power", e.power)
        .attr("evidence_id", to_hex(id));
  }
  return events.take();
}

std::optional<v1::EvidenceRecord> committed_evidence(const ledger::StateReader& state,
                                                     uint64_t height,
                                                     const crypto::Address& validator) {
  return ledger::read_record<v1::EvidenceRecord>(state, evidence_key(height, validator));
}

std::vector<v1::EvidenceRecord> list_committed_evidence(const ledger::StateReader& state,
                                                        uint64_t from_height, size_t limit,
                                                        bool* truncated) {
  std::vector<v1::EvidenceRecord> out;
  if (truncated) *truncated = false;
  state.scan(kEvidencePrefix, [&](std::string_view key, std::string_view value) {
    std::string_view rest = key.substr(kEvidencePrefix.size());
    uint64_t height = 0;
    if (!get_u64_be(rest, height) || height < from_height) return true;
    if (out.size() >= limit) {
      if (truncated) *truncated = true;
      return false;
    }
    v1::EvidenceRecord r;
    if (r.ParseFromArray(value.data(), static_cast<int>(value.size()))) out.push_back(std::move(r));
    return true;
  });
  return out;
}

std::string describe_evidence(const VerifiedEvidence& e) {
  const auto& a = e.evidence.duplicate_vote().vote_a();
  return vote_type_name(a.type()) + " of " + a.validator() + " at height " +
         std::to_string(a.height()) + " round " + std::to_string(a.round());
}

}  // namespace btt::chain

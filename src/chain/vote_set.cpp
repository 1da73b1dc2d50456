#include "btt/chain/vote_set.h"

#include <algorithm>
#include <set>

#include "btt/crypto/address.h"
#include "btt/crypto/hash.h"

namespace btt::chain {
namespace {

std::string describe(const v1::Vote& v) {
  return std::string(v.type() == v1::PREVOTE ? "prevote" : "precommit") + " of " +
         excerpt(v.validator()) + " at height " + std::to_string(v.height()) + " round " +
         std::to_string(v.round());
}

}  // namespace

Result<Hash32> commit_hash(const v1::Commit& commit) {
  auto bad = [](const std::string& what) {
    return Status(Code::kMalformed, "commit has no hash: " + what);
  };
  if (commit.block_id().size() != kBlockIdSize) return bad("block id is not 32 bytes");
  std::vector<const v1::CommitSig*> sigs;
  sigs.reserve(static_cast<size_t>(commit.signatures_size()));
  for (const auto& cs : commit.signatures()) sigs.push_back(&cs);
  auto order = [](const v1::CommitSig* c) {
    return std::tuple<const std::string&, uint64_t, const std::string&>(
        c->validator(), c->timestamp_ms(), c->signature());
  };
  std::sort(sigs.begin(), sigs.end(),
            [&](const v1::CommitSig* a, const v1::CommitSig* b) { return order(a) < order(b); });
  Bytes bytes;
  bytes.reserve(8 + 4 + kBlockIdSize + 4 + sigs.size() * (20 + 8 + kSignatureSize));
  put_u64_be(bytes, commit.height());
  put_u32_be(bytes, commit.round());
  bytes.append(commit.block_id());
  put_u32_be(bytes, static_cast<uint32_t>(sigs.size()));
  for (const v1::CommitSig* cs : sigs) {
    auto address = crypto::Address::parse(cs->validator());
    if (!address || address->to_string() != cs->validator()) {
      return bad("signer " + excerpt(cs->validator()) + " is not a canonical address");
    }
    if (cs->signature().size() != kSignatureSize) return bad("a signature is not 64 bytes");
    bytes.append(address->raw());
    put_u64_be(bytes, cs->timestamp_ms());
    bytes.append(cs->signature());
  }
  return crypto::tagged_hash(crypto::kTagCommit, bytes);
}

Status check_vote_form(const v1::Vote& vote) {
  if (!vote_step(vote.type())) {
    return Status(Code::kMalformed, "vote type " + std::to_string(vote.type()) + " is unknown");
  }
  if (!vote.block_id().empty() && vote.block_id().size() != kBlockIdSize) {
    return Status(Code::kMalformed, "vote block id has " + std::to_string(vote.block_id().size()) +
                                        " bytes (want 32 or 0 for nil)");
  }
  if (vote.signature().size() != kSignatureSize) {
    return Status(
        Code::kMalformed,
        "vote signature has " + std::to_string(vote.signature().size()) + " bytes (want 64)");
  }
  return Status::ok();
}

Status verify_vote(const ValidatorSet& validators, std::string_view chain_id, const v1::Vote& vote,
                   SignatureVerifier& verifier) {
  if (auto s = check_vote_form(vote); !s) return s;
  const ValidatorInfo* v = validators.find(vote.validator());
  if (v == nullptr) {
    return Status(Code::kInvalidArgument, describe(vote) + ": not a validator at this height");
  }
  if (!verifier.verify(v->public_key, vote_digest(chain_id, vote), vote.signature())) {
    return Status(Code::kBadSignature, describe(vote) + ": signature does not verify");
  }
  return Status::ok();
}

Status verify_commit(const ValidatorSet& validators, std::string_view chain_id, uint64_t height,
                     const Bytes& block_id, const v1::Commit& commit) {
  Bip340Verifier verifier;
  return verify_commit(validators, chain_id, height, block_id, commit, verifier);
}

Status verify_commit(const ValidatorSet& validators, std::string_view chain_id, uint64_t height,
                     const Bytes& block_id, const v1::Commit& commit, SignatureVerifier& verifier) {
  const std::string where = "commit for height " + std::to_string(height) + ": ";
  if (commit.height() != height) {
    return Status(Code::kInvalidArgument,
                  where + "it is for height " + std::to_string(commit.height()));
  }
  if (commit.block_id().size() != kBlockIdSize) {
    return Status(
        Code::kMalformed,
        where + "block id has " + std::to_string(commit.block_id().size()) + " bytes (want 32)");
  }
  if (commit.block_id() != block_id) {
    return Status(Code::kInvalidArgument, where + "it commits block " + to_hex(commit.block_id()) +
                                              ", not " + to_hex(block_id));
  }
  v1::Vote vote;
  vote.set_type(v1::PRECOMMIT);
  vote.set_height(commit.height());
  vote.set_round(commit.round());
  vote.set_block_id(commit.block_id());
  std::set<std::string> seen;
  uint64_t power = 0;
  for (int i = 0; i < commit.signatures_size(); ++i) {
    const v1::CommitSig& cs = commit.signatures(i);
    const ValidatorInfo* v = validators.find(cs.validator());
    if (v == nullptr) {
      return Status(Code::kInvalidArgument,
                    where + "signer " + excerpt(cs.validator()) + " is not a validator");
    }
    if (!seen.insert(cs.validator()).second) {
      return Status(Code::kInvalidArgument, where + "validator " + cs.validator() + " signs twice");
    }
    vote.set_timestamp_ms(cs.timestamp_ms());
    if (cs.signature().size() != kSignatureSize ||
        !verifier.verify(v->public_key, vote_digest(chain_id, vote), cs.signature())) {
      return Status(Code::kBadSignature,
                    where + "signature of " + cs.validator() + " does not verify");
    }
    power += v->power;  // cannot overflow: distinct members of a set whose total fits
  }
  if (!validators.is_quorum(power)) {
    return Status(Code::kInvalidArgument, where + "signers hold " + std::to_string(power) + " of " +
                                              std::to_string(validators.total_power()) +
                                              " voting power, not more than 2/3");
  }
  return Status::ok();
}

VoteSet::VoteSet(const ValidatorSet& validators, uint64_t height, Round round, v1::VoteType type)
    : validators_(&validators), height_(height), round_(round), type_(type) {}

Result<VoteSet::AddResult> VoteSet::add(const v1::Vote& vote, bool count_conflict) {
  if (vote.height() != height_ || static_cast<Round>(vote.round()) != round_ ||
      vote.type() != type_) {
    return Status(Code::kInvalidArgument,
                  describe(vote) + ": does not belong to this vote set (height " +
                      std::to_string(height_) + " round " + std::to_string(round_) + ")");
  }
  const ValidatorInfo* v = validators_->find(vote.validator());
  if (v == nullptr) {
    return Status(Code::kInvalidArgument, describe(vote) + ": not a validator at this height");
  }
  auto it = votes_.find(vote.validator());
  if (it == votes_.end()) {
    votes_.emplace(vote.validator(), vote);
    // Sums of distinct members' powers never exceed the checked total.
    power_by_block_[vote.block_id()] += v->power;
    voted_power_ += v->power;
    return AddResult{Added::kAdded, true, {}};
  }
  if (it->second.block_id() == vote.block_id()) return AddResult{Added::kDuplicate, true, {}};
  const auto key = std::make_pair(vote.validator(), vote.block_id());
  if (conflicting_.count(key) != 0) return AddResult{Added::kDuplicate, true, {}};
  v1::Evidence ev;
  *ev.mutable_duplicate_vote()->mutable_vote_a() = it->second;
  *ev.mutable_duplicate_vote()->mutable_vote_b() = vote;
  if (count_conflict) {
    conflicting_.emplace(key, vote);
    // Once per (validator, block id): each block's tally stays within the total.
    power_by_block_[vote.block_id()] += v->power;
  }
  return AddResult{Added::kConflict, count_conflict, std::move(ev)};
}

bool VoteSet::holds(const v1::Vote& vote) const {
  auto it = votes_.find(vote.validator());
  if (it == votes_.end()) return false;
  if (it->second.block_id() == vote.block_id()) {
    return it->second.signature() == vote.signature();
  }
  auto c = conflicting_.find(std::make_pair(vote.validator(), vote.block_id()));
  return c != conflicting_.end() && c->second.signature() == vote.signature();
}

const v1::Vote* VoteSet::get(std::string_view address) const {
  auto it = votes_.find(std::string(address));
  return it == votes_.end() ? nullptr : &it->second;
}

uint64_t VoteSet::power_for(const Bytes& block_id) const {
  auto it = power_by_block_.find(block_id);
  return it == power_by_block_.end() ? 0 : it->second;
}

bool VoteSet::has_two_thirds_any() const {
  return validators_->is_quorum(voted_power_);
}

bool VoteSet::has_two_thirds_for(const Bytes& block_id) const {
  return validators_->is_quorum(power_for(block_id));
}

std::optional<Bytes> VoteSet::two_thirds_majority() const {
  // With counted conflicting votes two block ids could both pass only if more than 1/3 of the
  // power equivocated; the smallest id is taken so every node picks the same one.
  for (const auto& [id, power] : power_by_block_) {
    if (validators_->is_quorum(power)) return id;
  }
  return std::nullopt;
}

Result<v1::Commit> VoteSet::make_commit() const {
  if (type_ != v1::PRECOMMIT) return Status(Code::kInvalidArgument, "a commit needs precommits");
  auto maj = two_thirds_majority();
  if (!maj) return Status(Code::kInvalidArgument, "no block has +2/3 precommits");
  if (maj->empty()) return Status(Code::kInvalidArgument, "+2/3 precommitted nil");
  v1::Commit c;
  c.set_height(height_);
  c.set_round(static_cast<uint32_t>(round_));
  c.set_block_id(*maj);
  for (const auto& [addr, first] : votes_) {  // address order: deterministic bytes
    const v1::Vote* vote = &first;
    if (first.block_id() != *maj) {
      auto it = conflicting_.find(std::make_pair(addr, *maj));
      if (it == conflicting_.end()) continue;
      vote = &it->second;
    }
    v1::CommitSig* cs = c.add_signatures();
    cs->set_validator(addr);
    cs->set_timestamp_ms(vote->timestamp_ms());
    cs->set_signature(vote->signature());
  }
  return c;
}

}  // namespace btt::chain

#include "btt/chain/consensus_signing.h"

#include "btt/crypto/hash.h"

namespace btt::chain {
namespace {

void put_prefix(Bytes& out, std::string_view chain_id, uint8_t type, uint64_t height,
                uint32_t round) {
  put_u32_be(out, static_cast<uint32_t>(chain_id.size()));
  out.append(chain_id);
  out.push_back(static_cast<char>(type));
  put_u64_be(out, height);
  put_u32_be(out, round);
}

void put_block_id(Bytes& out, std::string_view block_id) {
  // Block ids are 0 or 32 bytes; a longer one is refused before signing or verifying, and the
  // length byte keeps the layout unambiguous anyway.
  out.push_back(static_cast<char>(static_cast<uint8_t>(block_id.size())));
  out.append(block_id);
}

}  // namespace

const char* step_name(Step step) {
  switch (step) {
    case Step::kPropose:
      return "propose";
    case Step::kPrevote:
      return "prevote";
    case Step::kPrecommit:
      return "precommit";
  }
  return "unknown";
}

Bytes vote_sign_bytes(std::string_view chain_id, const v1::Vote& vote) {
  Bytes out;
  out.reserve(4 + chain_id.size() + 1 + 8 + 4 + 1 + 32 + 8);
  put_prefix(out, chain_id, static_cast<uint8_t>(vote.type()), vote.height(), vote.round());
  put_block_id(out, vote.block_id());
  put_u64_be(out, vote.timestamp_ms());
  return out;
}

Bytes proposal_sign_bytes(std::string_view chain_id, const v1::Proposal& proposal) {
  Bytes out;
  out.reserve(4 + chain_id.size() + 1 + 8 + 4 + 8 + 1 + 32 + 8 + 4 + 32);
  put_prefix(out, chain_id, kProposalTypeByte, proposal.height(), proposal.round());
  put_u64_be(out, static_cast<uint64_t>(proposal.pol_round()));
  put_block_id(out, proposal.block_id());
  put_u64_be(out, proposal.timestamp_ms());
  // The parts header: only the proposer fixes how its block is cut. The root is 32 bytes on any
  // proposal that verifies (a malformed one is refused before), and it is the last field.
  put_u32_be(out, proposal.parts().total());
  out.append(proposal.parts().root());
  return out;
}

Hash32 vote_digest(std::string_view chain_id, const v1::Vote& vote) {
  return crypto::tagged_hash(crypto::kTagConsensusVote, vote_sign_bytes(chain_id, vote));
}

Hash32 proposal_digest(std::string_view chain_id, const v1::Proposal& proposal) {
  return crypto::tagged_hash(crypto::kTagConsensusProposal,
                             proposal_sign_bytes(chain_id, proposal));
}

std::optional<Step> vote_step(v1::VoteType type) {
  switch (type) {
    case v1::PREVOTE:
      return Step::kPrevote;
    case v1::PRECOMMIT:
      return Step::kPrecommit;
    default:
      return std::nullopt;
  }
}

bool Bip340Verifier::verify(const crypto::XOnlyPublicKey& key, const Hash32& digest,
                            std::string_view signature) {
  auto sig = crypto::signature_from_bytes(signature);
  return sig && crypto::schnorr_verify(key, digest, *sig);
}

bool CachingVerifier::verify(const crypto::XOnlyPublicKey& key, const Hash32& digest,
                             std::string_view signature) {
  auto k = std::make_tuple(key, digest, std::string(signature));
  auto it = cache_.find(k);
  if (it != cache_.end()) return it->second;
  ++real_;
  Bip340Verifier real;
  bool ok = real.verify(key, digest, signature);
  cache_.emplace(std::move(k), ok);
  return ok;
}

KeySigner::KeySigner(crypto::KeyPair key, bool deterministic_aux)
    : key_(key), address_(key.address.to_string()), deterministic_aux_(deterministic_aux) {}

Result<Bytes> KeySigner::sign_digest(const Hash32& digest) const {
  static constexpr std::array<uint8_t, 32> kZeroAux{};
  auto sig =
      crypto::schnorr_sign(key_.secret_key, digest, deterministic_aux_ ? kZeroAux.data() : nullptr);
  if (!sig) return Status(Code::kInternal, "signing failed: invalid secret key");
  return Bytes(as_view(*sig));
}

Status KeySigner::sign_vote(std::string_view chain_id, v1::Vote& vote) {
  auto sig = sign_digest(vote_digest(chain_id, vote));
  if (!sig) return sig.status();
  vote.set_signature(*sig);
  return Status::ok();
}

Status KeySigner::sign_proposal(std::string_view chain_id, v1::Proposal& proposal) {
  auto sig = sign_digest(proposal_digest(chain_id, proposal));
  if (!sig) return sig.status();
  proposal.set_signature(*sig);
  return Status::ok();
}

}  // namespace btt::chain

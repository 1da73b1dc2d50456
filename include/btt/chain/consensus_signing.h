#pragma once
// The bytes consensus messages sign (doc/protocol.md, "Consensus signatures"), the Signer
// interface the state machine signs through, and signature verification.
//
// A vote or proposal is signed as BIP340 over tagged_hash(tag, canonical bytes), where the
// canonical bytes are a fixed big-endian layout of the fields, never protobuf bytes (protobuf
// serialization is not canonical).
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <tuple>

#include "btt/common/bytes.h"
#include "btt/common/status.h"
#include "btt/crypto/keyfile.h"
#include "btt/crypto/keys.h"
#include "btt/v1/consensus.pb.h"

namespace btt::chain {

// Rounds are uint32 on the wire; int64 inside so that -1 ("none") fits for lock and POL rounds.
using Round = int64_t;
inline constexpr Round kNoRound = -1;

// Steps of a round, in signing order: at one height and round a validator signs at most one
// proposal, then one prevote, then one precommit.
enum class Step : uint8_t { kPropose = 1, kPrevote = 2, kPrecommit = 3 };
[[nodiscard]] const char* step_name(Step step);

// The type byte of the canonical bytes: prevote 0x01, precommit 0x02, proposal 0x20.
inline constexpr uint8_t kProposalTypeByte = 0x20;
inline constexpr size_t kBlockIdSize = 32;
inline constexpr size_t kSignatureSize = 64;

// u32be(len(chain_id)) || chain_id || u8(type) || u64be(height) || u32be(round) ||
// u8(len(block_id)) || block_id || u64be(timestamp_ms)
[[nodiscard]] Bytes vote_sign_bytes(std::string_view chain_id, const v1::Vote& vote);
// u32be(len(chain_id)) || chain_id || u8(0x20) || u64be(height) || u32be(round) ||
// u64be(pol_round as two's complement, so -1 is ff..ff) || u8(len(block_id)) || block_id ||
// u64be(timestamp_ms) || u32be(parts.total) || parts.root (32 bytes)
[[nodiscard]] Bytes proposal_sign_bytes(std::string_view chain_id, const v1::Proposal& proposal);
[[nodiscard]] Hash32 vote_digest(std::string_view chain_id, const v1::Vote& vote);
[[nodiscard]] Hash32 proposal_digest(std::string_view chain_id, const v1::Proposal& proposal);
// The step a vote type signs at; nullopt for VOTE_TYPE_UNSPECIFIED or unknown values.
[[nodiscard]] std::optional<Step> vote_step(v1::VoteType type);

// Checks a signature over a digest. The state machine takes one so that a simulation of many
// nodes can verify each distinct signature once (CachingVerifier); the node uses Bip340Verifier.
class SignatureVerifier {
 public:
  virtual ~SignatureVerifier() = default;
  [[nodiscard]] virtual bool verify(const crypto::XOnlyPublicKey& key, const Hash32& digest,
                                    std::string_view signature) = 0;
};

class Bip340Verifier final : public SignatureVerifier {
 public:
  [[nodiscard]] bool verify(const crypto::XOnlyPublicKey& key, const Hash32& digest,
                            std::string_view signature) override;
};

// Remembers every answer; for tests and simulations where the same signature reaches many nodes.
class CachingVerifier final : public SignatureVerifier {
 public:
  [[nodiscard]] bool verify(const crypto::XOnlyPublicKey& key, const Hash32& digest,
                            std::string_view signature) override;
  [[nodiscard]] uint64_t real_verifications() const { return real_; }

 private:
  std::map<std::tuple<crypto::XOnlyPublicKey, Hash32, std::string>, bool> cache_;
  uint64_t real_ = 0;
};

// Signs consensus messages for one validator. sign_vote/sign_proposal fill in `signature`; an
// implementation may also replace `timestamp_ms` with the one it signed before for the same
// height/round/step and block (SignerGuard does, so a restarted validator re-sends the same
// signature instead of a second one).
class Signer {
 public:
  virtual ~Signer() = default;
  [[nodiscard]] virtual const std::string& address() const = 0;
  [[nodiscard]] virtual Status sign_vote(std::string_view chain_id, v1::Vote& vote) = 0;
  [[nodiscard]] virtual Status sign_proposal(std::string_view chain_id, v1::Proposal& proposal) = 0;
};

// Signs with a key held in memory and no memory of what it signed; the node always wraps it in a
// SignerGuard. deterministic_aux: BIP340 auxiliary randomness of 32 zero bytes instead of
// RAND_bytes (tests, so runs are reproducible).
class KeySigner final : public Signer {
 public:
  explicit KeySigner(crypto::KeyPair key, bool deterministic_aux = false);
  [[nodiscard]] const std::string& address() const override { return address_; }
  [[nodiscard]] Status sign_vote(std::string_view chain_id, v1::Vote& vote) override;
  [[nodiscard]] Status sign_proposal(std::string_view chain_id, v1::Proposal& proposal) override;
  [[nodiscard]] const crypto::KeyPair& key() const { return key_; }

 private:
  [[nodiscard]] Result<Bytes> sign_digest(const Hash32& digest) const;

  crypto::KeyPair key_;
  std::string address_;
  bool deterministic_aux_;
};

}  // namespace btt::chain

#pragma once
// Keys, validator sets and signed votes for the consensus and commit unit tests.
#include <string>
#include <vector>

#include "btt/chain/consensus_signing.h"
#include "btt/chain/validator_set.h"
#include "btt/crypto/hash.h"
#include "testkit/test_env.h"

namespace btt::testkit {

inline constexpr std::string_view kChainId = "btt-consensus-test";

struct TestValidators {
  std::vector<crypto::KeyPair> keys;  // in the validator set's (address) order
  chain::ValidatorSet set;
};

// Validators "v0", "v1", ... with the given powers, as ValidatorSet orders them (by address).
inline TestValidators make_validators(const std::vector<uint64_t>& powers,
                                      const std::string& prefix = "v") {
  std::vector<v1::Validator> vals;
  std::vector<crypto::KeyPair> keys;
  for (size_t i = 0; i < powers.size(); ++i) {
    crypto::KeyPair k = testkit::test_key(prefix + std::to_string(i));
    v1::Validator v;
    v.set_address(k.address.to_string());
    v.set_public_key(Bytes(as_view(k.public_key)));
    v.set_power(powers[i]);
    vals.push_back(v);
    keys.push_back(k);
  }
  auto set = chain::ValidatorSet::create(vals);
  TestValidators out;
  out.set = *set;
  for (const auto& v : out.set.validators()) {
    for (const auto& k : keys) {
      if (k.address.to_string() == v.address) out.keys.push_back(k);
    }
  }
  return out;
}

inline Bytes block_id_of(const std::string& name) {
  return to_bytes(crypto::tagged_hash("btt/test/block", name));
}

inline v1::Vote signed_vote(const crypto::KeyPair& key, v1::VoteType type, uint64_t height,
                            uint32_t round, const Bytes& block_id, uint64_t timestamp_ms = 1000,
                            std::string_view chain_id = kChainId) {
  v1::Vote v;
  v.set_type(type);
  v.set_height(height);
  v.set_round(round);
  v.set_block_id(block_id);
  v.set_validator(key.address.to_string());
  v.set_timestamp_ms(timestamp_ms);
  chain::KeySigner signer(key, true);
  if (!signer.sign_vote(chain_id, v)) v.clear_signature();
  return v;
}

}  // namespace btt::testkit

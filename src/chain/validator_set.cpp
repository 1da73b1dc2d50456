#include "btt/chain/validator_set.h"

#include <algorithm>
#include <numeric>

#include "btt/common/checked.h"
#include "btt/crypto/address.h"
#include "btt/crypto/hash.h"

namespace btt::chain {

Result<ValidatorSet> ValidatorSet::create(const std::vector<v1::Validator>& validators) {
  if (validators.empty()) return Status(Code::kInvalidArgument, "validator set is empty");
  ValidatorSet set;
  for (const auto& v : validators) {
    auto pk = crypto::public_key_from_bytes(v.public_key());
    if (!pk) {
      return Status(Code::kInvalidArgument, "validator " + excerpt(v.address()) +
                                                ": public key is not a 32-byte x-only key");
    }
    auto derived = crypto::Address::from_public_key(*pk);
    auto addr = crypto::Address::parse(v.address());
    if (!addr || *addr != derived) {
      return Status(Code::kInvalidArgument, "validator " + excerpt(v.address()) +
                                                ": address does not belong to its public key");
    }
    if (v.power() == 0) {
      return Status(Code::kInvalidArgument, "validator " + derived.to_string() + ": zero power");
    }
    auto total = checked_add(set.total_power_, v.power());
    if (!total) return Status(Code::kInvalidArgument, "total voting power exceeds uint64");
    set.total_power_ = *total;
    set.validators_.push_back({derived.to_string(), *pk, v.power()});
  }
  std::sort(set.validators_.begin(), set.validators_.end(),
            [](const ValidatorInfo& a, const ValidatorInfo& b) { return a.address < b.address; });
  for (size_t i = 1; i < set.validators_.size(); ++i) {
    if (set.validators_[i].address == set.validators_[i - 1].address) {
      return Status(Code::kInvalidArgument, "duplicate validator " + set.validators_[i].address);
    }
  }
  uint64_t sum = 0;
  for (const auto& v : set.validators_) {
    sum += v.power;  // cannot overflow: the total was checked above
    set.cumulative_end_.push_back(sum);
  }
  // floor(T * 0.6180339887) in integers, then up to the first value coprime with T.
  const uint64_t t = set.total_power_;
  uint64_t m =
      static_cast<uint64_t>(static_cast<unsigned __int128>(t) * 6180339887ULL / 10000000000ULL);
  if (m == 0) m = 1;
  while (std::gcd(m, t) != 1) ++m;  // terminates: t - 1 (or 1 when t <= 2) is coprime with t
  set.step_ = m;
  return set;
}

std::optional<size_t> ValidatorSet::index_of(std::string_view address) const {
  auto it =
      std::lower_bound(validators_.begin(), validators_.end(), address,
                       [](const ValidatorInfo& v, std::string_view a) { return v.address < a; });
  if (it == validators_.end() || it->address != address) return std::nullopt;
  return static_cast<size_t>(it - validators_.begin());
}

const ValidatorInfo* ValidatorSet::find(std::string_view address) const {
  auto i = index_of(address);
  return i ? &validators_[*i] : nullptr;
}

bool ValidatorSet::is_quorum(uint64_t power) const {
  return static_cast<unsigned __int128>(power) * 3 >
         static_cast<unsigned __int128>(total_power_) * 2;
}

bool ValidatorSet::is_one_third(uint64_t power) const {
  return static_cast<unsigned __int128>(power) * 3 > total_power_;
}

size_t ValidatorSet::proposer_index(uint64_t height, Round round) const {
  if (validators_.empty()) return 0;
  const unsigned __int128 t = total_power_;
  const unsigned __int128 slot =
      (static_cast<unsigned __int128>(height) + static_cast<uint64_t>(round < 0 ? 0 : round)) % t;
  const uint64_t unit = static_cast<uint64_t>(slot * step_ % t);
  auto it = std::upper_bound(cumulative_end_.begin(), cumulative_end_.end(), unit);
  return static_cast<size_t>(it - cumulative_end_.begin());
}

Hash32 validator_set_hash(const ValidatorSet& set) {
  Bytes bytes;
  bytes.reserve(4 + set.size() * (crypto::Address::kSize + 32 + 8));
  put_u32_be(bytes, static_cast<uint32_t>(set.size()));
  for (const auto& v : set.validators()) {
    // Members were built from their keys, so the address always parses.
    bytes.append(crypto::Address::from_public_key(v.public_key).raw());
    bytes.append(as_view(v.public_key));
    put_u64_be(bytes, v.power);
  }
  return crypto::tagged_hash(crypto::kTagValidatorSet, bytes);
}

}  // namespace btt::chain

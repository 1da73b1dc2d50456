#include "btt/chain/validator_history.h"

#include <algorithm>
#include <set>

#include "btt/chain/evidence.h"
#include "btt/common/checked.h"
#include "btt/crypto/address.h"

namespace btt::chain {
namespace {

std::optional<uint64_t> from_height_of(std::string_view key) {
  if (key.size() != kValidatorSetPrefix.size() + 8) return std::nullopt;
  std::string_view rest = key.substr(kValidatorSetPrefix.size());
  uint64_t h = 0;
  if (!get_u64_be(rest, h)) return std::nullopt;
  return h;
}

std::vector<v1::Validator> decode_record(std::string_view value) {
  v1::ValidatorSetRecord record;
  if (!record.ParseFromArray(value.data(), static_cast<int>(value.size()))) return {};
  return {record.validators().begin(), record.validators().end()};
}

Bytes encode_record(const std::vector<v1::Validator>& validators) {
  v1::ValidatorSetRecord record;
  for (const auto& v : validators) *record.add_validators() = v;
  return record.SerializeAsString();
}

}  // namespace

Bytes validator_set_key(uint64_t from_height) {
  Bytes key(kValidatorSetPrefix);
  put_u64_be(key, from_height);
  return key;
}

Status validate_validator_set(const std::vector<v1::Validator>& validators) {
  auto bad = [](const std::string& what) {
    return Status(Code::kInvalidArgument, "validator set: " + what);
  };
  if (validators.empty()) return bad("empty");
  if (validators.size() > kMaxValidators) {
    return bad(std::to_string(validators.size()) + " validators, at most " +
               std::to_string(kMaxValidators));
  }
  std::set<std::string> seen;
  uint64_t total = 0;
  for (const auto& v : validators) {
    const std::string who = "validator " + excerpt(v.address());
    auto key = crypto::public_key_from_bytes(v.public_key());
    if (!key) return bad(who + ": public key is not a 32-byte x-only key");
    if (v.address() != crypto::Address::from_public_key(*key).to_string()) {
      return bad(who + ": address is not the canonical address of its public key");
    }
    if (v.power() == 0) return bad(who + ": zero power");
    if (v.name().size() > kMaxValidatorNameBytes) {
      return bad(who + ": name longer than " + std::to_string(kMaxValidatorNameBytes) + " bytes");
    }
    if (!seen.insert(v.address()).second) return bad(who + " appears twice");
    auto sum = checked_add(total, v.power());
    if (!sum || *sum > kMaxTotalPower) {
      return bad("total power exceeds " + std::to_string(kMaxTotalPower));
    }
    total = *sum;
  }
  return Status::ok();
}

bool same_validator_set(const std::vector<v1::Validator>& a, const std::vector<v1::Validator>& b) {
  return encode_record(sorted_by_address(a)) == encode_record(sorted_by_address(b));
}

std::vector<v1::Validator> sorted_by_address(std::vector<v1::Validator> validators) {
  std::sort(
      validators.begin(), validators.end(),
      [](const v1::Validator& a, const v1::Validator& b) { return a.address() < b.address(); });
  return validators;
}

std::optional<std::vector<v1::Validator>> validators_at(const ledger::StateReader& state,
                                                        uint64_t height) {
  std::optional<std::vector<v1::Validator>> out;
  // Ascending keys are ascending heights: the last entry at or below `height` wins.
  state.scan(kValidatorSetPrefix, [&](std::string_view key, std::string_view value) {
    auto from = from_height_of(key);
    if (!from) return true;
    if (*from > height) return false;
    out = decode_record(value);
    return true;
  });
  return out;
}

Result<ValidatorSet> validator_set_at(const ledger::StateReader& state, uint64_t height) {
  auto validators = validators_at(state, height);
  if (!validators) {
    return Status(Code::kNotFound, "no validator set is kept for height " + std::to_string(height));
  }
  auto set = ValidatorSet::create(*validators);
  if (!set) {
    return Status(Code::kInternal, "the validator set of height " + std::to_string(height) + ": " +
                                       set.status().message());
  }
  return set;
}

const ValidatorSet* ValidatorSets::at(uint64_t height) {
  auto it = by_height_.find(height);
  if (it == by_height_.end()) {
    auto set = validator_set_at(state_, height);
    it = by_height_
             .emplace(height, set ? std::optional<ValidatorSet>(std::move(*set)) : std::nullopt)
             .first;
  }
  return it->second ? &*it->second : nullptr;
}

std::vector<ValidatorSetEntry> validator_set_history(const ledger::StateReader& state) {
  std::vector<ValidatorSetEntry> out;
  state.scan(kValidatorSetPrefix, [&](std::string_view key, std::string_view value) {
    if (auto from = from_height_of(key)) out.push_back({*from, decode_record(value)});
    return true;
  });
  return out;
}

void write_validator_set(ledger::Overlay& state, uint64_t from_height,
                         const std::vector<v1::Validator>& validators) {
  state.put(validator_set_key(from_height), encode_record(sorted_by_address(validators)));
}

Result<bool> end_block_validator_sets(ledger::Overlay& state, uint64_t height,
                                      const std::optional<std::vector<v1::Validator>>& next,
                                      const v1::LedgerParams& params) {
  bool written = false;
  if (next) {
    if (Status s = validate_validator_set(*next); !s) {
      return Status(Code::kInternal, "end_block of height " + std::to_string(height) +
                                         " proposed an invalid next validator set: " + s.message());
    }
    const auto current = validators_at(state, height + 1);
    if (!current || !same_validator_set(*current, *next)) {
      write_validator_set(state, height + 2, *next);
      written = true;
    }
  }
  // The next block may carry evidence of heights down to height + 1 - max_evidence_age: the
  // entry in force there and every later one stay.
  const uint64_t age = max_evidence_age(params);
  if (height + 1 > age) {
    const uint64_t oldest_needed = height + 1 - age;
    std::vector<Bytes> superseded;
    std::optional<Bytes> previous;
    state.scan(kValidatorSetPrefix, [&](std::string_view key, std::string_view) {
      auto from = from_height_of(key);
      if (!from) return true;
      if (*from > oldest_needed) return false;
      if (previous) superseded.push_back(std::move(*previous));
      previous = Bytes(key);
      return true;
    });
    for (const auto& key : superseded) state.erase(key);
  }
  return written;
}

}  // namespace btt::chain

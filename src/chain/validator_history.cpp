#include "btt/chain/validator_history.h"

#include <algorithm>
#include <map>
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

std::optional<v1::ValidatorSetRecord> decode_record(std::string_view value) {
  v1::ValidatorSetRecord record;
  if (!record.ParseFromArray(value.data(), static_cast<int>(value.size()))) return std::nullopt;
  return record;
}

Bytes encode_record(const std::vector<v1::Validator>& validators) {
  v1::ValidatorSetRecord record;
  for (const auto& v : validators) *record.add_validators() = v;
  return record.SerializeAsString();
}

// The whole set of an entry: its validators, or its base's set with its changes applied. An
// entry whose base is missing or undecodable (pruned below, or corrupt) has none.
std::optional<std::vector<v1::Validator>> resolve(const ledger::StateReader& state,
                                                  const v1::ValidatorSetRecord& record) {
  if (record.depth() == 0)
    return std::vector<v1::Validator>(record.validators().begin(), record.validators().end());
  if (record.depth() >= kValidatorSetCheckpointInterval) return std::nullopt;
  auto raw = state.get(validator_set_key(record.base_height()));
  if (!raw) return std::nullopt;
  auto base_record = decode_record(*raw);
  if (!base_record || base_record->depth() + 1 != record.depth()) return std::nullopt;
  auto base = resolve(state, *base_record);
  if (!base) return std::nullopt;
  std::map<std::string, v1::Validator> members;
  for (auto& v : *base) members[v.address()] = std::move(v);
  for (const auto& c : record.changes()) {
    if (c.power() == 0) {
      members.erase(c.address());
    } else {
      members[c.address()] = c;
    }
  }
  std::vector<v1::Validator> out;
  out.reserve(members.size());
  for (auto& [address, v] : members) out.push_back(std::move(v));
  return out;
}

// The entry in force at `height`: its from_height and record (the greatest from_height <=
// height, one seek).
std::optional<std::pair<uint64_t, v1::ValidatorSetRecord>> entry_at(
    const ledger::StateReader& state, uint64_t height) {
  std::optional<std::pair<uint64_t, v1::ValidatorSetRecord>> out;
  state.scan_back(kValidatorSetPrefix, validator_set_key(height),
                  [&](std::string_view key, std::string_view value) {
                    auto from = from_height_of(key);
                    auto record = decode_record(value);
                    if (from && record) out.emplace(*from, std::move(*record));
                    return false;
                  });
  return out;
}

// The members that differ from `base` to `next` (both whole sets), in address order: added or
// changed ones whole, removed ones as address with power 0.
std::vector<v1::Validator> changes_between(const std::vector<v1::Validator>& base,
                                           const std::vector<v1::Validator>& next) {
  std::map<std::string, const v1::Validator*> before, after;
  for (const auto& v : base) before[v.address()] = &v;
  for (const auto& v : next) after[v.address()] = &v;
  std::vector<v1::Validator> out;
  auto b = before.begin();
  auto a = after.begin();
  while (b != before.end() || a != after.end()) {
    if (a == after.end() || (b != before.end() && b->first < a->first)) {
      v1::Validator removed;
      removed.set_address(b->first);
      out.push_back(std::move(removed));
      ++b;
    } else if (b == before.end() || a->first < b->first) {
      out.push_back(*a->second);
      ++a;
    } else {
      if (a->second->SerializeAsString() != b->second->SerializeAsString()) {
        out.push_back(*a->second);
      }
      ++a;
      ++b;
    }
  }
  return out;
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
  auto entry = entry_at(state, height);
  if (!entry) return std::nullopt;
  return resolve(state, entry->second);
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
    auto from = from_height_of(key);
    auto record = decode_record(value);
    if (!from || !record) return true;
    if (auto validators = resolve(state, *record)) out.push_back({*from, std::move(*validators)});
    return true;
  });
  return out;
}

namespace {

// The entry of `from_height` above `newest` (the entry before it, with its whole set): its
// changes against it, or the whole set when there is none or every 16th entry.
void put_entry(ledger::Overlay& state, uint64_t from_height,
               const std::vector<v1::Validator>& validators,
               const std::optional<std::pair<uint64_t, v1::ValidatorSetRecord>>& newest,
               const std::optional<std::vector<v1::Validator>>& newest_set) {
  auto sorted = sorted_by_address(validators);
  const uint32_t depth = newest_set ? newest->second.depth() + 1 : 0;
  if (depth == 0 || depth >= kValidatorSetCheckpointInterval) {
    state.put(validator_set_key(from_height), encode_record(sorted));
    return;
  }
  v1::ValidatorSetRecord record;
  for (auto& c : changes_between(*newest_set, sorted)) *record.add_changes() = std::move(c);
  record.set_base_height(newest->first);
  record.set_depth(depth);
  state.put(validator_set_key(from_height), record.SerializeAsString());
}

}  // namespace

void write_validator_set(ledger::Overlay& state, uint64_t from_height,
                         const std::vector<v1::Validator>& validators) {
  const auto newest = from_height > 0 ? entry_at(state, from_height - 1) : std::nullopt;
  put_entry(state, from_height, validators, newest,
            newest ? resolve(state, newest->second) : std::nullopt);
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
    // The entry in force at height + 1 is the newest (the last end_block wrote height + 1 at
    // most), so the new one at height + 2 records what changed against it.
    const auto current = entry_at(state, height + 1);
    const auto current_set = current ? resolve(state, current->second) : std::nullopt;
    if (!current_set || !same_validator_set(*current_set, *next)) {
      put_entry(state, height + 2, *next, current, current_set);
      written = true;
    }
  }
  // The next block may carry evidence of heights down to height + 1 - max_evidence_age: the
  // entry in force there, the whole entry its changes build on, and every later one stay.
  const uint64_t age = max_evidence_age(params);
  if (height + 1 > age) {
    const uint64_t oldest_needed = height + 1 - age;
    auto keep_from = entry_at(state, oldest_needed);
    while (keep_from && keep_from->second.depth() > 0) {
      const uint64_t base = keep_from->second.base_height();
      auto raw = state.get(validator_set_key(base));
      auto record = raw ? decode_record(*raw) : std::nullopt;
      if (!record) break;
      keep_from.emplace(base, std::move(*record));
    }
    if (keep_from) {
      std::vector<Bytes> superseded;
      state.scan(kValidatorSetPrefix, [&](std::string_view key, std::string_view) {
        auto from = from_height_of(key);
        if (from && *from >= keep_from->first) return false;
        superseded.emplace_back(key);
        return true;
      });
      for (const auto& key : superseded) state.erase(key);
    }
  }
  return written;
}

}  // namespace btt::chain

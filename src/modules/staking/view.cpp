// Reads of the staking state and the answers of its queries (doc/staking.md "Queries").
#include "btt/modules/staking/view.h"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <tuple>

#include "btt/common/amount.h"
#include "btt/ledger/ledger.h"
#include "btt/modules/staking/errors.h"
#include "btt/modules/staking/staking.h"
#include "keys.h"
#include "rewards.h"

namespace btt::modules::staking {
namespace {

// The addresses that follow `prefix` in index keys ("stk/dby/" delegator20 val20).
std::vector<crypto::Address> trailing_addresses(const ledger::StateReader& state,
                                                const Bytes& prefix) {
  std::vector<crypto::Address> out;
  state.scan(prefix, [&](std::string_view key, std::string_view) {
    ledger::KeyReader in(key.substr(prefix.size()));
    crypto::Address a;
    if (in.addr(a)) out.push_back(a);
    return true;
  });
  return out;
}

// An address field of a request (`what` names it in the refusal).
Result<crypto::Address> address_field(const std::string& text, std::string_view what) {
  auto a = crypto::Address::parse(text);
  if (!a) {
    return Status(errors::kBadAddress,
                  std::string(what) + " '" + excerpt(text) + "' is not a btt address");
  }
  return *a;
}

// The same for a field that may be left empty (nullopt then).
Result<std::optional<crypto::Address>> optional_address_field(const std::string& text,
                                                              std::string_view what) {
  if (text.empty()) return std::optional<crypto::Address>();
  auto a = address_field(text, what);
  if (!a) return a.status();
  return std::optional<crypto::Address>(*a);
}

crypto::Address address_of(const v1::ValidatorRecord& v) {
  return stored_address(v.address());
}

// Every record under `prefix` with its key, in key order, until fn returns false; an
// undecodable one is corrupt state and throws (as ledger::read_records).
template <typename Record, typename Fn>
void for_each_record(const ledger::StateReader& state, std::string_view prefix, const Fn& fn) {
  state.scan(prefix, [&](std::string_view key, std::string_view value) {
    Record r;
    if (!r.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
      throw std::logic_error("staking: unreadable record under " + to_hex(prefix));
    }
    return fn(key, r);
  });
}

}  // namespace

crypto::Address stored_address(const std::string& text) {
  auto a = crypto::Address::from_own_canonical(text);
  if (!a) throw std::logic_error("staking: stored address '" + text + "' does not decode");
  return *a;
}

u128 u128_field(const std::string& bytes) {
  auto v = u128_from(bytes);
  if (!v) throw std::logic_error("staking: a 128-bit field is not 16 bytes");
  return *v;
}

std::optional<v1::StakingParams> StakingView::params() const {
  return ledger::read_record<v1::StakingParams>(state_, keys::params());
}

std::optional<v1::ValidatorRecord> StakingView::validator(const crypto::Address& v) const {
  return ledger::read_record<v1::ValidatorRecord>(state_, keys::validator(v));
}

std::vector<v1::ValidatorRecord> StakingView::validators() const {
  return ledger::read_records<v1::ValidatorRecord>(state_, keys::validators());
}

std::optional<v1::DelegationRecord> StakingView::delegation(const crypto::Address& v,
                                                            const crypto::Address& d) const {
  return ledger::read_record<v1::DelegationRecord>(state_, keys::delegation(v, d));
}

std::vector<v1::DelegationRecord> StakingView::delegations_to(const crypto::Address& v) const {
  return ledger::read_records<v1::DelegationRecord>(state_, keys::delegations_to(v));
}

std::vector<v1::DelegationRecord> StakingView::delegations_of(const crypto::Address& d) const {
  std::vector<v1::DelegationRecord> out;
  for (const auto& v : trailing_addresses(state_, keys::delegations_by(d))) {
    if (auto rec = delegation(v, d)) out.push_back(std::move(*rec));
  }
  return out;
}

std::vector<v1::UnbondingEntry> StakingView::unbondings_of(const crypto::Address& d) const {
  return ledger::read_records<v1::UnbondingEntry>(state_, keys::unbondings_of(d));
}

std::vector<v1::UnbondingEntry> StakingView::unbondings_of(const crypto::Address& d,
                                                           const crypto::Address& v) const {
  return ledger::read_records<v1::UnbondingEntry>(state_, keys::unbondings_of(d, v));
}

std::vector<v1::RedelegationEntry> StakingView::redelegations_of(const crypto::Address& d) const {
  return ledger::read_records<v1::RedelegationEntry>(state_, keys::redelegations_of(d));
}

std::vector<v1::RedelegationEntry> StakingView::redelegations_to(const crypto::Address& d,
                                                                 const crypto::Address& dst) const {
  return ledger::read_records<v1::RedelegationEntry>(state_, keys::redelegations_to(d, dst));
}

v1::DistributionState StakingView::distribution() const {
  return ledger::read_record<v1::DistributionState>(state_, keys::distribution())
      .value_or(v1::DistributionState{});
}

v1::ChosenSet StakingView::chosen_set() const {
  return ledger::read_record<v1::ChosenSet>(state_, keys::chosen_set()).value_or(v1::ChosenSet{});
}

std::vector<v1::StakeLock> StakingView::locks_of(const crypto::Address& owner) const {
  return ledger::read_records<v1::StakeLock>(state_, keys::locks_of(owner));
}

v1::StakeLocks StakingView::stake_locks(const crypto::Address& owner, uint64_t time_ms) const {
  v1::StakeLocks out;
  for (auto& l : locks_of(owner)) {
    if (time_ms < l.end_ms()) {
      out.set_tier(std::max(out.tier(), l.tier()));
      out.set_locked(out.locked() + l.amount());  // at most the account's balance
    }
    *out.add_locks() = std::move(l);
  }
  return out;
}

v1::StakeLocks StakingView::stake_locks(const crypto::Address& owner, uint64_t time_ms,
                                        const ledger::LockProviders& locks) const {
  v1::StakeLocks out = stake_locks(owner, time_ms);
  const ledger::Holds h =
      ledger::Ledger(state_, &locks).holds(owner, ledger::kNativeAsset, time_ms);
  out.set_balance(h.balance);
  out.set_unvested(h.unvested);
  out.set_staked(h.staked);
  out.set_delegated_vesting(h.delegated_vesting());
  out.set_delegated_free(h.delegated_free());
  out.set_vesting_held(h.vesting_held());
  out.set_spendable(h.spendable());
  return out;
}

v1::StakingGenesisState StakingView::genesis_state() const {
  v1::StakingGenesisState st;
  if (auto p = params()) *st.mutable_params() = std::move(*p);
  for (auto& v : validators()) *st.add_validators() = std::move(v);
  for (auto& d : ledger::read_records<v1::DelegationRecord>(state_, keys::delegations())) {
    *st.add_delegations() = std::move(d);
  }
  for (auto& e : ledger::read_records<v1::UnbondingEntry>(state_, keys::unbondings())) {
    *st.add_unbonding() = std::move(e);
  }
  for (auto& e : ledger::read_records<v1::RedelegationEntry>(state_, keys::redelegations())) {
    *st.add_redelegations() = std::move(e);
  }
  // Present but empty records stay present (their key holds an empty value).
  if (auto set = ledger::read_record<v1::ChosenSet>(state_, keys::chosen_set())) {
    *st.mutable_chosen_set() = std::move(*set);
  }
  const Bytes pwr = keys::power_changes();
  state_.scan(pwr, [&](std::string_view key, std::string_view value) {
    ledger::KeyReader in(key.substr(pwr.size()));
    uint64_t height = 0, power = 0;
    crypto::Address v;
    if (!in.u64(height) || !in.addr(v) || !in.done() || !get_u64_be(value, power)) {
      throw std::logic_error("staking: unreadable stk/pwr/ entry");
    }
    auto* c = st.add_power_changes();
    c->set_height(height);
    c->set_validator(v.to_string());
    c->set_power(power);
    return true;
  });
  if (auto dist = ledger::read_record<v1::DistributionState>(state_, keys::distribution())) {
    *st.mutable_distribution() = std::move(*dist);
  }
  for (auto& l : ledger::read_records<v1::StakeLock>(state_, keys::locks())) {
    *st.add_locks() = std::move(l);
  }
  st.set_next_lock(ledger::read_u64(state_, keys::next_lock()));
  const Bytes miss = keys::misses();
  state_.scan(miss, [&](std::string_view key, std::string_view) {
    ledger::KeyReader in(key.substr(miss.size()));
    uint64_t height = 0;
    crypto::Address v;
    if (!in.u64(height) || !in.addr(v) || !in.done()) {
      throw std::logic_error("staking: unreadable stk/miss/ entry");
    }
    auto* m = st.add_misses();
    m->set_height(height);
    m->set_validator(v.to_string());
    return true;
  });
  st.set_stake_changed(state_.get(keys::dirty()).has_value());
  return st;
}

uint64_t StakingView::own_stake(const crypto::Address& owner) const {
  uint64_t total = 0;
  for (const auto& d : delegations_of(owner)) {
    if (auto v = validator(*crypto::Address::parse(d.validator()))) {
      total = saturating_add(total, tokens_of(*v, d.shares()));
    }
  }
  for (const auto& e : unbondings_of(owner)) total = saturating_add(total, e.balance());
  return total;
}

uint32_t tier_of(const ledger::StateReader& state, const crypto::Address& account,
                 uint64_t time_ms) {
  return StakingView(state).stake_locks(account, time_ms).tier();
}

uint64_t locked_vote_weight(const ledger::StateReader& state, const crypto::Address& account,
                            uint64_t time_ms) {
  uint64_t weight = 0;
  for (const auto& l : StakingView(state).locks_of(account)) {
    if (time_ms < l.end_ms()) {
      weight += static_cast<uint64_t>(static_cast<u128>(l.amount()) * l.multiplier_bps() / 10'000);
    }
  }
  return weight;
}

uint64_t StakingView::tokens_of(const v1::ValidatorRecord& v, uint64_t shares) {
  if (v.shares() == 0 || shares == 0) return 0;
  if (shares >= v.shares()) return v.tokens();
  return static_cast<uint64_t>(static_cast<u128>(shares) * v.tokens() / v.shares());
}

uint64_t StakingView::power_of(const v1::ValidatorRecord& v) const {
  const auto p = params();
  const uint64_t unit = p && p->power_unit() > 0 ? p->power_unit() : 1;
  return v.tokens() / unit;
}

uint64_t StakingView::self_stake(const v1::ValidatorRecord& v) const {
  auto op = crypto::Address::parse(v.operator_());
  auto addr = crypto::Address::parse(v.address());
  if (!op || !addr) return 0;
  auto d = delegation(*addr, *op);
  return d ? tokens_of(v, d->shares()) : 0;
}

uint64_t allowed_misses(const v1::StakingParams& p) {
  const uint64_t window = p.signed_blocks_window();
  return window - window * p.min_signed_per_window_bps() / kBps;
}

v1::ValidatorRecord StakingView::settled(const v1::ValidatorRecord& v) const {
  return staking::settled(v, u128_field(distribution().global_per_power()));
}

uint64_t StakingView::withdrawable(const v1::ValidatorRecord& settled_v,
                                   const v1::DelegationRecord& d) {
  return to_u64(owed_scaled(settled_v, d) / kRewardScale);
}

v1::ValidatorInfo StakingView::info(v1::ValidatorRecord v) const {
  v1::ValidatorInfo out;
  out.set_power(power_of(v));
  out.set_self_stake(self_stake(v));
  *out.mutable_validator() = std::move(v);
  return out;
}

Result<v1::ValidatorRecord> StakingView::existing(const std::string& address,
                                                  std::string_view what) const {
  auto a = address_field(address, what);
  if (!a) return a.status();
  auto v = validator(*a);
  if (!v) return Status(Code::kNotFound, "no validator " + a->to_string());
  return std::move(*v);
}

Result<v1::ListValidatorsResponse> StakingView::list_validators(
    const v1::ListValidatorsRequest& req, uint64_t height) const {
  auto limit = ledger::page_limit(req.limit());
  if (!limit) return limit.status();
  auto start_after = optional_address_field(req.start_after(), "start_after");
  if (!start_after) return start_after.status();
  auto operated_by = optional_address_field(req.operator_(), "operator");
  if (!operated_by) return operated_by.status();
  const std::optional<crypto::Address>& after = *start_after;
  const std::string op = *operated_by ? (*operated_by)->to_string() : "";
  v1::ListValidatorsResponse out;
  out.set_height(height);
  const Bytes prefix = keys::validators();
  for_each_record<v1::ValidatorRecord>(state_, prefix, [&](std::string_view key, auto& v) {
    if (after && key.substr(prefix.size()) <= after->raw()) return true;
    if (!req.all() && v.status() != req.status()) return true;
    if (req.filter_jailed() && v.jailed() != req.jailed()) return true;
    if (!op.empty() && v.operator_() != op) return true;
    *out.add_validators() = info(std::move(v));
    return static_cast<uint32_t>(out.validators_size()) < *limit;
  });
  return out;
}

Result<v1::GetValidatorResponse> StakingView::get_validator(const v1::GetValidatorRequest& req,
                                                            uint64_t height) const {
  if (req.validator().empty() == req.operator_().empty()) {
    return Status(errors::kBadField, "give the validator's address or its operator's, not both");
  }
  v1::GetValidatorResponse out;
  out.set_height(height);
  if (!req.validator().empty()) {
    auto v = existing(req.validator(), "validator");
    if (!v) return v.status();
    *out.mutable_validator() = info(std::move(*v));
    return out;
  }
  auto op = address_field(req.operator_(), "operator");
  if (!op) return op.status();
  std::vector<v1::ValidatorRecord> operated;
  for (auto& v : validators()) {
    if (v.operator_() == op->to_string()) operated.push_back(std::move(v));
  }
  if (operated.empty()) return Status(Code::kNotFound, op->to_string() + " operates no validator");
  if (operated.size() > 1) {
    std::string names;
    for (const auto& v : operated) names += (names.empty() ? "" : ", ") + v.address();
    return Status(errors::kBadField, op->to_string() + " operates " +
                                         std::to_string(operated.size()) + " validators (" + names +
                                         "): ask for one by its address");
  }
  *out.mutable_validator() = info(std::move(operated.front()));
  return out;
}

Result<v1::GetDelegationsResponse> StakingView::delegations(
    const v1::GetDelegationsRequest& req) const {
  v1::GetDelegationsResponse out;
  std::vector<v1::DelegationRecord> list;
  if (!req.delegator().empty()) {
    auto d = address_field(req.delegator(), "delegator");
    if (!d) return d.status();
    list = delegations_of(*d);
    for (auto& u : unbondings_of(*d)) *out.add_unbonding() = std::move(u);
    for (auto& r : redelegations_of(*d)) *out.add_redelegations() = std::move(r);
  } else {
    if (req.validator().empty()) {
      return Status(errors::kBadField, "give a delegator or a validator");
    }
    auto v = existing(req.validator(), "validator");
    if (!v) return v.status();
    list = delegations_to(address_of(*v));
  }
  std::map<std::string, v1::ValidatorRecord> settled_by;  // each validator settled once
  for (auto& d : list) {
    auto it = settled_by.find(d.validator());
    if (it == settled_by.end()) {
      auto v = validator(stored_address(d.validator()));
      if (!v) continue;  // the invariants keep every delegation's validator
      it = settled_by.emplace(d.validator(), settled(*v)).first;
    }
    auto* info = out.add_delegations();
    info->set_tokens(tokens_of(it->second, d.shares()));
    info->set_pending_rewards(withdrawable(it->second, d));
    *info->mutable_delegation() = std::move(d);
  }
  return out;
}

Result<v1::GetUnbondingsResponse> StakingView::unbondings(const v1::GetUnbondingsRequest& req,
                                                          uint64_t height) const {
  if (req.delegator().empty() && req.validator().empty()) {
    return Status(errors::kBadField, "give a delegator, a validator or both");
  }
  auto delegator = optional_address_field(req.delegator(), "delegator");
  if (!delegator) return delegator.status();
  const std::optional<crypto::Address>& d = *delegator;
  std::optional<v1::ValidatorRecord> v;
  if (!req.validator().empty()) {
    auto found = existing(req.validator(), "validator");
    if (!found) return found.status();
    v = std::move(*found);
  }
  std::vector<v1::UnbondingEntry> entries;
  if (d && v) {
    entries = unbondings_of(*d, address_of(*v));
  } else if (d) {
    entries = unbondings_of(*d);
  } else {
    // No index by validator: a query may read every entry (the keeper never does).
    for (auto& e : ledger::read_records<v1::UnbondingEntry>(state_, keys::unbondings())) {
      if (e.validator() == v->address()) entries.push_back(std::move(e));
    }
  }
  v1::GetUnbondingsResponse out;
  out.set_height(height);
  for (auto& e : entries) {
    out.set_total_balance(out.total_balance() + e.balance());
    *out.add_entries() = std::move(e);
  }
  return out;
}

Result<v1::GetRedelegationsResponse> StakingView::redelegations(
    const v1::GetRedelegationsRequest& req, uint64_t height) const {
  if (req.delegator().empty() && req.from_validator().empty() && req.to_validator().empty()) {
    return Status(errors::kBadField, "give a delegator, a source or a destination validator");
  }
  auto delegator = optional_address_field(req.delegator(), "delegator");
  if (!delegator) return delegator.status();
  const std::optional<crypto::Address>& d = *delegator;
  std::string from, to;
  for (auto [field, name, into] : {std::tuple{&req.from_validator(), "from_validator", &from},
                                   std::tuple{&req.to_validator(), "to_validator", &to}}) {
    if (field->empty()) continue;
    auto v = existing(*field, name);
    if (!v) return v.status();
    *into = v->address();
  }
  std::vector<v1::RedelegationEntry> entries;
  if (d && !to.empty()) {
    entries = redelegations_to(*d, stored_address(to));
  } else if (d) {
    entries = redelegations_of(*d);
  } else {
    entries = ledger::read_records<v1::RedelegationEntry>(state_, keys::redelegations());
  }
  v1::GetRedelegationsResponse out;
  out.set_height(height);
  for (auto& e : entries) {
    if (!from.empty() && e.from_validator() != from) continue;
    if (!to.empty() && e.to_validator() != to) continue;
    *out.add_entries() = std::move(e);
  }
  return out;
}

Result<v1::ValidatorRewards> StakingView::validator_rewards(
    const v1::GetValidatorRewardsRequest& req, uint64_t height) const {
  auto v = existing(req.validator(), "validator");
  if (!v) return v.status();
  const auto now = settled(*v);
  v1::ValidatorRewards out;
  out.set_height(height);
  out.set_validator(now.address());
  out.set_outstanding(now.outstanding());
  out.set_commission(now.commission());
  return out;
}

Result<v1::DelegationRewards> StakingView::delegation_rewards(
    const v1::GetDelegationRewardsRequest& req, uint64_t height) const {
  auto d = address_field(req.delegator(), "delegator");
  if (!d) return d.status();
  std::vector<v1::DelegationRecord> list;
  if (!req.validator().empty()) {
    auto v = existing(req.validator(), "validator");
    if (!v) return v.status();
    auto rec = delegation(address_of(*v), *d);
    if (!rec) {
      return Status(Code::kNotFound, d->to_string() + " has no delegation to " + v->address());
    }
    list.push_back(std::move(*rec));
  } else {
    list = delegations_of(*d);
  }
  v1::DelegationRewards out;
  out.set_height(height);
  out.set_delegator(d->to_string());
  for (const auto& rec : list) {
    auto v = validator(stored_address(rec.validator()));
    if (!v) continue;  // the invariants keep every delegation's validator
    const uint64_t amount = withdrawable(settled(*v), rec);
    auto* r = out.add_rewards();
    r->set_validator(rec.validator());
    r->set_amount(amount);
    out.set_total(out.total() + amount);
  }
  return out;
}

Result<v1::SigningInfo> StakingView::signing_info(const v1::GetSigningInfoRequest& req,
                                                  uint64_t height) const {
  auto v = existing(req.validator(), "validator");
  if (!v) return v.status();
  const auto p = params().value_or(v1::StakingParams{});
  v1::SigningInfo out;
  out.set_height(height);
  out.set_validator(v->address());
  out.set_missed_blocks(v->missed_blocks());
  out.set_window_start(v->tracked_since());
  out.set_signed_blocks_window(p.signed_blocks_window());
  out.set_max_missed(allowed_misses(p));
  if (v->tracked_since() > 0 && p.signed_blocks_window() > 0) {
    out.set_judged_from_height(v->tracked_since() + p.signed_blocks_window() - 1);
  }
  out.set_jailed(v->jailed());
  out.set_jailed_until_ms(v->jailed_until_ms());
  out.set_tombstoned(v->tombstoned());
  out.set_slashed(v->slashed());
  return out;
}

}  // namespace btt::modules::staking

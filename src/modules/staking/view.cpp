// Reads of the staking state and the answers of its queries (doc/staking.md "Queries").
#include "btt/modules/staking/view.h"

#include <algorithm>
#include <stdexcept>

#include "btt/common/amount.h"
#include "btt/ledger/ledger.h"
#include "btt/modules/staking/staking.h"
#include "keys.h"

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

}  // namespace

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

v1::ListValidatorsResponse StakingView::list_validators(
    const v1::ListValidatorsRequest& req) const {
  v1::ListValidatorsResponse out;
  for (auto& v : validators()) {
    if (!req.all() && v.status() != req.status()) continue;
    auto* info = out.add_validators();
    info->set_power(power_of(v));
    *info->mutable_validator() = std::move(v);
  }
  return out;
}

Result<v1::GetDelegationsResponse> StakingView::delegations(
    const v1::GetDelegationsRequest& req) const {
  v1::GetDelegationsResponse out;
  std::vector<v1::DelegationRecord> list;
  if (!req.delegator().empty()) {
    auto d = crypto::Address::parse(req.delegator());
    if (!d) return Status(Code::kInvalidAddress, "delegator is not a btt address");
    list = delegations_of(*d);
    for (auto& u : unbondings_of(*d)) *out.add_unbonding() = std::move(u);
    for (auto& r : redelegations_of(*d)) *out.add_redelegations() = std::move(r);
  } else {
    auto v = crypto::Address::parse(req.validator());
    if (!v) return Status(Code::kInvalidAddress, "give a delegator or a validator address");
    list = delegations_to(*v);
  }
  for (auto& d : list) {
    auto* info = out.add_delegations();
    if (auto v = validator(*crypto::Address::parse(d.validator()))) {
      info->set_tokens(tokens_of(*v, d.shares()));
      const u128 delta = u128_field(v->reward_per_share()) - u128_field(d.reward_start());
      info->set_pending_rewards(static_cast<uint64_t>(delta * d.shares() / kRewardScale));
    }
    *info->mutable_delegation() = std::move(d);
  }
  return out;
}

}  // namespace btt::modules::staking

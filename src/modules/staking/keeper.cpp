// The staking keeper (doc/staking.md): shares, unbonding, redelegation, the active set, and the
// exact distribution of fees. Every amount moves between accounts through the ledger, so every
// move is a balance change; accumulators are 128-bit integers scaled by kRewardScale.
#include "keeper.h"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "btt/common/amount.h"
#include "btt/common/checked.h"
#include "btt/modules/staking/errors.h"
#include "btt/modules/staking/events.h"
#include "btt/modules/staking/staking.h"
#include "btt/modules/tokenomics/tokenomics.h"
#include "keys.h"
#include "rewards.h"

namespace btt::modules::staking {
namespace {

constexpr uint64_t kDayMs = 86'400'000;

u128 get(const std::string& field) {
  return u128_field(field);
}

void set(std::string* field, u128 v) {
  *field = u128_bytes(v);
}

crypto::Address treasury() {
  return tokenomics::pool_address("treasury");
}

}  // namespace

crypto::Address bonded_pool_address() {
  return crypto::Address::for_module("staking/bonded");
}
crypto::Address unbonding_pool_address() {
  return crypto::Address::for_module("staking/unbonding");
}
crypto::Address rewards_pool_address() {
  return crypto::Address::for_module("staking/rewards");
}

bool enabled(const ledger::StateReader& state) {
  return state.get(keys::params()).has_value();
}

StakingKeeper::StakingKeeper(ledger::Overlay& state, ledger::Events& events,
                             const ledger::LockProviders* locks, const ledger::BlockInfo& block)
    : state_(state), events_(events), locks_(locks), block_(block) {
  params_ = view().params().value_or(v1::StakingParams{});
}

void StakingKeeper::set_params(const v1::StakingParams& params) {
  params_ = params;
  state_.put(keys::params(), params.SerializeAsString());
}

void StakingKeeper::set_chosen_set(const std::vector<v1::Validator>& set) {
  v1::ChosenSet rec;
  for (const auto& v : set) *rec.add_validators() = v;
  state_.put(keys::chosen_set(), rec.SerializeAsString());
}

v1::ValidatorRecord StakingKeeper::load(const crypto::Address& v) const {
  auto rec = view().validator(v);
  if (!rec) throw std::logic_error("staking: no validator " + v.to_string());
  return *rec;
}

void StakingKeeper::store(const crypto::Address& addr, const v1::ValidatorRecord& before,
                          const v1::ValidatorRecord& after) {
  // The power index lists every validator with power, most first (the set is its head).
  const uint64_t unit = std::max<uint64_t>(params_.power_unit(), 1);
  const uint64_t old_power = before.tokens() / unit;
  const uint64_t new_power = after.tokens() / unit;
  const bool existed = !before.address().empty();
  if (!existed || old_power != new_power) {
    if (existed && old_power > 0) state_.erase(keys::power_entry(old_power, addr));
    if (new_power > 0) state_.put(keys::power_entry(new_power, addr), "");
  }
  state_.put(keys::validator(addr), after.SerializeAsString());
}

Status StakingKeeper::bond_own(const crypto::Address& owner, uint64_t amount) {
  // Vesting BTT may be bonded (the stake keeps covering it), stake-locked BTT may not.
  return ledger::Ledger(state_, events_, locks_)
      .bond(owner, bonded_pool_address(), ledger::kNativeAsset, amount, block_.time_ms);
}

void StakingKeeper::mark_dirty() {
  state_.put(keys::dirty(), "");
}

void StakingKeeper::move(const crypto::Address& from, const crypto::Address& to, uint64_t amount) {
  if (amount == 0) return;
  ledger::Ledger l(state_, events_, locks_);
  // Module accounts hold what the invariants say they hold; a failure means corrupt state.
  if (auto s = l.move(from, to, ledger::kNativeAsset, amount, block_.time_ms); !s) {
    throw std::logic_error("staking: cannot move " + std::to_string(amount) + ": " + s.to_string());
  }
}

// --- distribution --------------------------------------------------------------------------

void StakingKeeper::save_distribution(v1::DistributionState& dist) {
  // Whole units of the global rounding dust go to the treasury, so it stays below one unit.
  const u128 dust = get(dist.dust_scaled());
  const uint64_t whole = to_u64(dust / kRewardScale);
  if (whole > 0) {
    set(dist.mutable_dust_scaled(), dust - static_cast<u128>(whole) * kRewardScale);
    move(rewards_pool_address(), treasury(), whole);
  }
  state_.put(keys::distribution(), dist.SerializeAsString());
}

void StakingKeeper::settle(v1::ValidatorRecord& v) {
  v1::DistributionState dist = view().distribution();
  const u128 global = get(dist.global_per_power());
  if (v.earning_power() > 0) {
    const u128 accrued = accrued_scaled(v, global);
    const uint64_t amount = to_u64(accrued / kRewardScale);
    set(dist.mutable_owed_scaled(), get(dist.owed_scaled()) - accrued);
    set(dist.mutable_dust_scaled(),
        get(dist.dust_scaled()) + (accrued - static_cast<u128>(amount) * kRewardScale));
    save_distribution(dist);
    add_rewards(v, amount);
  }
  set(v.mutable_global_checkpoint(), global);
  v.clear_missed_scaled();
}

void StakingKeeper::add_rewards(v1::ValidatorRecord& v, uint64_t amount) {
  if (amount == 0) return;
  // The money is in the rewards pool already; this assigns it to the validator.
  v1::DistributionState dist = view().distribution();
  dist.set_total_outstanding(dist.total_outstanding() + amount);
  save_distribution(dist);
  if (const uint64_t dust = credit_rewards(v, amount); dust > 0) release(v, dust, treasury());
}

void StakingKeeper::sweep_dust(v1::ValidatorRecord& v) {
  // Whole units of rounding dust go to the treasury, so a validator's dust stays below one unit.
  if (const uint64_t whole = take_whole_dust(v); whole > 0) release(v, whole, treasury());
}

void StakingKeeper::release(v1::ValidatorRecord& v, uint64_t amount, const crypto::Address& to) {
  v.set_outstanding(v.outstanding() - amount);
  v1::DistributionState dist = view().distribution();
  dist.set_total_outstanding(dist.total_outstanding() - amount);
  save_distribution(dist);
  move(rewards_pool_address(), to, amount);
}

bool StakingKeeper::pay_delegation(v1::ValidatorRecord& v, const crypto::Address& vaddr,
                                   const crypto::Address& delegator) {
  auto d = view().delegation(vaddr, delegator);
  if (!d) return false;
  pay(v, *d);
  put_delegation(vaddr, delegator, *d);
  return true;
}

void StakingKeeper::pay(v1::ValidatorRecord& v, v1::DelegationRecord& d) {
  const u128 owed = owed_scaled(v, d);
  set(d.mutable_reward_start(), get(v.reward_per_share()));
  if (owed == 0) return;
  const uint64_t amount = to_u64(owed / kRewardScale);
  set(v.mutable_owed_scaled(), get(v.owed_scaled()) - owed);
  set(v.mutable_dust_scaled(),
      get(v.dust_scaled()) + (owed - static_cast<u128>(amount) * kRewardScale));
  release(v, amount, stored_address(d.delegator()));
  sweep_dust(v);
  if (amount > 0) {
    events_.emit(events::kRewardsWithdrawn)
        .attr("delegator", d.delegator())
        .attr("validator", v.address())
        .attr("amount", amount);
  }
}

void StakingKeeper::distribute_fees() {
  // Power changes of the set whose commit this block rewards: settle at the old power first.
  std::vector<std::pair<Bytes, std::pair<crypto::Address, uint64_t>>> changes;
  const uint64_t rewarded = block_.height > 0 ? block_.height - 1 : 0;
  state_.scan(keys::power_changes(), [&](std::string_view key, std::string_view value) {
    ledger::KeyReader in(key.substr(keys::power_changes().size()));
    uint64_t height = 0;
    crypto::Address v;
    uint64_t power = 0;
    std::string_view val = value;
    if (!in.u64(height) || height > rewarded) return false;
    if (!in.addr(v) || !get_u64_be(val, power)) throw std::logic_error("staking: bad pwr key");
    changes.emplace_back(Bytes(key), std::make_pair(v, power));
    return true;
  });
  for (const auto& [key, change] : changes) {
    auto rec = load(change.first);
    const auto before = rec;
    settle(rec);
    rec.set_earning_power(change.second);
    store(change.first, before, rec);
    state_.erase(key);
  }

  ledger::Ledger l(state_, events_, locks_);
  const crypto::Address fee_pool = crypto::Address::for_module(ledger::kFeePoolModule);
  const uint64_t fees = l.balance(fee_pool, ledger::kNativeAsset);
  if (fees == 0 || block_.last_commit.empty()) return;

  const uint64_t tax = bps_of(fees, params_.community_tax_bps());
  const uint64_t rest = fees - tax;
  uint64_t bonus = bps_of(rest, params_.proposer_bonus_bps());
  auto proposer = view().validator(block_.proposer);
  if (!proposer || proposer->earning_power() == 0) bonus = 0;
  uint64_t to_signers = rest - bonus;

  uint64_t signed_power = 0;
  uint32_t signers = 0;
  for (const auto& vote : block_.last_commit) {
    if (!vote.signed_block) continue;
    if (auto rec = view().validator(vote.validator); rec && rec->earning_power() > 0) {
      signed_power += rec->earning_power();  // bounded: total power <= 2^62
      ++signers;
    }
  }
  uint64_t to_treasury = tax;
  if (signed_power == 0) {
    to_treasury += to_signers;
    to_signers = 0;
  }
  move(fee_pool, treasury(), to_treasury);
  move(fee_pool, rewards_pool_address(), bonus + to_signers);
  if (bonus > 0) {
    const auto before = *proposer;
    settle(*proposer);
    add_rewards(*proposer, bonus);
    store(block_.proposer, before, *proposer);
  }
  if (to_signers > 0) {
    // One write for everyone who signed; one per validator that did not.
    v1::DistributionState dist = view().distribution();
    const u128 scaled = static_cast<u128>(to_signers) * kRewardScale;
    const u128 per_power = scaled / signed_power;
    set(dist.mutable_global_per_power(), get(dist.global_per_power()) + per_power);
    set(dist.mutable_owed_scaled(), get(dist.owed_scaled()) + per_power * signed_power);
    const u128 dust = get(dist.dust_scaled()) + (scaled - per_power * signed_power);
    set(dist.mutable_dust_scaled(), dust);
    to_treasury += to_u64(dust / kRewardScale);
    save_distribution(dist);
    for (const auto& vote : block_.last_commit) {
      if (vote.signed_block) continue;
      auto rec = view().validator(vote.validator);
      if (!rec || rec->earning_power() == 0) continue;
      const auto before = *rec;
      set(rec->mutable_missed_scaled(),
          get(rec->missed_scaled()) + per_power * rec->earning_power());
      store(vote.validator, before, *rec);
    }
  }
  events_.emit(events::kFeesDistributed)
      .attr("fees", fees)
      .attr("community_tax", tax)
      .attr("proposer_bonus", bonus)
      .attr("signers", signers)
      .attr("signed_power", signed_power)
      .attr("to_treasury", to_treasury);
}

// --- shares --------------------------------------------------------------------------------

void StakingKeeper::put_delegation(const crypto::Address& v, const crypto::Address& d,
                                   const v1::DelegationRecord& rec) {
  if (rec.shares() == 0) {
    state_.erase(keys::delegation(v, d));
    state_.erase(keys::delegation_by(d, v));
    return;
  }
  state_.put(keys::delegation(v, d), rec.SerializeAsString());
  state_.put(keys::delegation_by(d, v), "");
}

Status StakingKeeper::bond(v1::ValidatorRecord& v, const crypto::Address& delegator,
                           uint64_t amount, uint64_t* shares_out) {
  if (v.shares() > 0 && v.tokens() == 0) {
    return {errors::kNoValidator, "delegate: validator " + v.address() + " holds no tokens"};
  }
  const u128 shares = v.shares() == 0 ? static_cast<u128>(amount)
                                      : static_cast<u128>(amount) * v.shares() / v.tokens();
  if (shares == 0) {
    return {errors::kAmountTooSmall,
            "delegate: " + std::to_string(amount) + " units buy no share of " + v.address()};
  }
  const auto total_shares = checked_add(v.shares(), to_u64(std::min<u128>(shares, UINT64_MAX)));
  const auto total_tokens = checked_add(v.tokens(), amount);
  if (shares > UINT64_MAX || !total_shares || !total_tokens) {
    return {errors::kShareOverflow, "delegate: the validator's shares would overflow"};
  }
  const crypto::Address vaddr = stored_address(v.address());
  v1::DelegationRecord rec = view().delegation(vaddr, delegator).value_or(v1::DelegationRecord{});
  if (rec.delegator().empty()) {
    rec.set_delegator(delegator.to_string());
    rec.set_validator(v.address());
    rec.set_reward_start(v.reward_per_share());
  }
  rec.set_shares(rec.shares() + static_cast<uint64_t>(shares));  // below v.shares() + shares
  v.set_shares(*total_shares);
  v.set_tokens(*total_tokens);
  put_delegation(vaddr, delegator, rec);
  if (shares_out) *shares_out = static_cast<uint64_t>(shares);
  return Status::ok();
}

Result<uint64_t> StakingKeeper::unbond(v1::ValidatorRecord& v, const crypto::Address& delegator,
                                       uint64_t amount, uint64_t* shares_out) {
  const crypto::Address vaddr = stored_address(v.address());
  auto rec = view().delegation(vaddr, delegator);
  if (!rec) {
    return Status(errors::kNoDelegation,
                  delegator.to_string() + " has no delegation to " + v.address());
  }
  const uint64_t held = StakingView::tokens_of(v, rec->shares());
  if (amount > held || v.tokens() == 0) {
    return Status(errors::kInsufficientDelegation,
                  delegator.to_string() + " has " + std::to_string(held) + " units delegated to " +
                      v.address() + ", needs " + std::to_string(amount));
  }
  // The fewest shares worth at least `amount` (so nobody takes more than they own).
  u128 shares = (static_cast<u128>(amount) * v.shares() + v.tokens() - 1) / v.tokens();
  if (shares > rec->shares() || amount == held) shares = rec->shares();
  const auto removed = static_cast<uint64_t>(shares);
  const uint64_t tokens = StakingView::tokens_of(v, removed);
  rec->set_shares(rec->shares() - removed);
  v.set_shares(v.shares() - removed);
  v.set_tokens(v.tokens() - tokens);
  put_delegation(vaddr, delegator, *rec);
  if (shares_out) *shares_out = removed;
  return tokens;
}

// --- messages ------------------------------------------------------------------------------

Status StakingKeeper::create_genesis_validator(const v1::GenesisValidatorStake& g,
                                               const crypto::XOnlyPublicKey& key) {
  v1::MsgCreateValidator m;
  m.set_consensus_key(std::string(as_view(key)));
  m.set_self_stake(g.self_stake());
  m.set_min_self_delegation(g.self_stake());
  m.set_commission_bps(g.commission_bps());
  m.set_max_commission_bps(g.max_commission_bps());
  m.set_max_change_bps_per_day(g.max_change_bps_per_day());
  m.set_moniker(g.moniker());
  if (auto s = create_validator(*crypto::Address::parse(g.operator_()), m); !s) return s;
  // In the genesis set from block 1: its commit of block 1 is rewarded in block 2.
  const auto addr = crypto::Address::from_public_key(key);
  auto rec = load(addr);
  const auto before = rec;
  rec.set_status(v1::VALIDATOR_STATUS_BONDED);
  rec.set_earning_power(view().power_of(rec));
  store(addr, before, rec);
  return Status::ok();
}

Status StakingKeeper::create_validator(const crypto::Address& op, const v1::MsgCreateValidator& m) {
  const auto key = crypto::public_key_from_bytes(m.consensus_key());
  if (!key) return {errors::kBadField, "create_validator: consensus_key is not an x-only key"};
  const auto addr = crypto::Address::from_public_key(*key);
  if (view().validator(addr)) {
    return {errors::kValidatorExists, "create_validator: validator " + addr.to_string() +
                                          " exists (its consensus key is in use)"};
  }
  const uint64_t floor = std::max(m.min_self_delegation(), params_.min_self_stake());
  if (m.self_stake() < floor) {
    return {errors::kSelfStakeTooLow, "create_validator: self_stake " +
                                          std::to_string(m.self_stake()) + " is below " +
                                          std::to_string(floor)};
  }
  if (auto s = bond_own(op, m.self_stake()); !s) return s;
  v1::ValidatorRecord v;
  v.set_address(addr.to_string());
  v.set_consensus_key(m.consensus_key());
  v.set_operator_(op.to_string());
  v.set_moniker(m.moniker());
  v.set_details(m.details());
  v.set_commission_bps(m.commission_bps());
  v.set_max_commission_bps(m.max_commission_bps());
  v.set_max_change_bps_per_day(m.max_change_bps_per_day());
  v.set_commission_changed_ms(block_.time_ms);
  v.set_min_self_delegation(m.min_self_delegation());
  v.set_status(v1::VALIDATOR_STATUS_UNBONDED);
  v.set_created_height(block_.height);
  v.set_global_checkpoint(view().distribution().global_per_power());
  if (auto s = bond(v, op, m.self_stake(), nullptr); !s) return s;
  store(addr, v1::ValidatorRecord{}, v);
  mark_dirty();
  events_.emit(events::kValidatorCreated)
      .attr("validator", v.address())
      .attr("operator", v.operator_())
      .attr("self_stake", m.self_stake())
      .attr("commission_bps", m.commission_bps());
  return Status::ok();
}

Status StakingKeeper::edit_validator(const crypto::Address& op, const v1::MsgEditValidator& m) {
  const auto addr = *crypto::Address::parse(m.validator());
  auto found = view().validator(addr);
  if (!found) return {errors::kNoValidator, "edit_validator: no validator " + m.validator()};
  v1::ValidatorRecord v = *found;
  const auto before = v;
  if (v.operator_() != op.to_string()) {
    return {errors::kNotOperator,
            "edit_validator: " + op.to_string() + " does not operate " + m.validator()};
  }
  if (!m.moniker().empty()) v.set_moniker(m.moniker());
  if (!m.details().empty()) v.set_details(m.details());
  if (m.min_self_delegation() != 0) {
    if (m.min_self_delegation() < v.min_self_delegation() ||
        m.min_self_delegation() > view().self_stake(v)) {
      return {errors::kSelfStakeTooLow,
              "edit_validator: min_self_delegation may only grow, up to the self stake " +
                  std::to_string(view().self_stake(v))};
    }
    v.set_min_self_delegation(m.min_self_delegation());
  }
  if (m.change_commission()) {
    const uint32_t old = v.commission_bps();
    const uint32_t next = m.commission_bps();
    if (next > v.max_commission_bps()) {
      return {errors::kBadCommission, "edit_validator: commission above its maximum " +
                                          std::to_string(v.max_commission_bps()) + " bps"};
    }
    const uint32_t change = next > old ? next - old : old - next;
    if (change > v.max_change_bps_per_day()) {
      return {errors::kCommissionChangeTooLarge,
              "edit_validator: a change of " + std::to_string(change) + " bps, at most " +
                  std::to_string(v.max_change_bps_per_day()) + " a day"};
    }
    if (block_.time_ms < v.commission_changed_ms() + kDayMs) {
      return {errors::kCommissionChangeTooSoon,
              "edit_validator: the commission changed less than a day ago"};
    }
    settle(v);  // what it earned so far carries the old rate
    v.set_commission_bps(next);
    v.set_commission_changed_ms(block_.time_ms);
  }
  store(addr, before, v);
  events_.emit(events::kValidatorEdited)
      .attr("validator", v.address())
      .attr("commission_bps", v.commission_bps());
  return Status::ok();
}

Status StakingKeeper::delegate(const crypto::Address& delegator, const crypto::Address& vaddr,
                               uint64_t amount) {
  auto found = view().validator(vaddr);
  if (!found) return {errors::kNoValidator, "delegate: no validator " + vaddr.to_string()};
  if (auto s = ledger::require_bondable(ledger::Ledger(state_.reader(), locks_), delegator,
                                        ledger::kNativeAsset, amount, block_.time_ms);
      !s) {
    return s;
  }
  v1::ValidatorRecord v = *found;
  const auto before = v;
  settle(v);
  pay_delegation(v, vaddr, delegator);
  uint64_t shares = 0;
  if (auto s = bond(v, delegator, amount, &shares); !s) return s;
  if (auto s = bond_own(delegator, amount); !s) throw std::logic_error(s.to_string());
  store(vaddr, before, v);
  mark_dirty();
  events_.emit(events::kDelegated)
      .attr("delegator", delegator.to_string())
      .attr("validator", v.address())
      .attr("amount", amount)
      .attr("shares", shares);
  return Status::ok();
}

Status StakingKeeper::undelegate(const crypto::Address& delegator, const crypto::Address& vaddr,
                                 uint64_t amount) {
  auto found = view().validator(vaddr);
  if (!found) return {errors::kNoValidator, "undelegate: no validator " + vaddr.to_string()};
  const auto open = view().unbondings_of(delegator, vaddr);
  const bool merges = std::any_of(open.begin(), open.end(), [&](const v1::UnbondingEntry& e) {
    return e.creation_height() == block_.height;
  });
  if (!merges && open.size() >= params_.max_entries()) {
    return {errors::kTooManyEntries, "undelegate: " + std::to_string(open.size()) +
                                         " unbonding entries open with " + vaddr.to_string() +
                                         ", at most " + std::to_string(params_.max_entries())};
  }
  v1::ValidatorRecord v = *found;
  const auto before = v;
  settle(v);
  if (!pay_delegation(v, vaddr, delegator)) {
    return {errors::kNoDelegation,
            "undelegate: " + delegator.to_string() + " has no delegation to " + v.address()};
  }
  uint64_t shares = 0;
  auto tokens = unbond(v, delegator, amount, &shares);
  if (!tokens) return tokens.status();
  if (delegator.to_string() == v.operator_()) {
    const uint64_t left = view().self_stake(v);
    if (left > 0 && left < v.min_self_delegation()) {
      return {errors::kOperatorLeaving,
              "undelegate: the operator's stake would be " + std::to_string(left) +
                  ", below its min_self_delegation " + std::to_string(v.min_self_delegation()) +
                  " (undelegate all of it to leave)"};
    }
  }
  move(bonded_pool_address(), unbonding_pool_address(), *tokens);
  const uint64_t completion = saturating_add(block_.time_ms, params_.unbonding_time_ms());
  auto entry = ledger::read_record<v1::UnbondingEntry>(
                   state_, keys::unbonding(delegator, vaddr, block_.height))
                   .value_or(v1::UnbondingEntry{});
  entry.set_delegator(delegator.to_string());
  entry.set_validator(v.address());
  entry.set_creation_height(block_.height);
  entry.set_completion_ms(completion);
  entry.set_initial_balance(entry.initial_balance() + *tokens);
  entry.set_balance(entry.balance() + *tokens);
  state_.put(keys::unbonding(delegator, vaddr, block_.height), entry.SerializeAsString());
  state_.put(keys::unbonding_queued(completion, block_.height, delegator, vaddr), "");
  store(vaddr, before, v);
  mark_dirty();
  events_.emit(events::kUnbondingStarted)
      .attr("delegator", delegator.to_string())
      .attr("validator", v.address())
      .attr("amount", *tokens)
      .attr("shares", shares)
      .attr("completion_ms", completion)
      .attr("creation_height", block_.height);
  return Status::ok();
}

Status StakingKeeper::redelegate(const crypto::Address& delegator, const crypto::Address& from,
                                 const crypto::Address& to, uint64_t amount) {
  auto src = view().validator(from);
  auto dst = view().validator(to);
  if (!src) return {errors::kNoValidator, "redelegate: no validator " + from.to_string()};
  if (!dst) return {errors::kNoValidator, "redelegate: no validator " + to.to_string()};
  // No hop: stake that arrived by a redelegation still maturing cannot move on, so it stays
  // where a slash of its first validator can reach it.
  if (!view().redelegations_to(delegator, from).empty()) {
    return {errors::kRedelegationHop, "redelegate: a redelegation to " + from.to_string() +
                                          " is still maturing; wait for it to complete"};
  }
  const auto open = view().redelegations_to(delegator, to);
  if (open.size() >= params_.max_entries()) {
    return {errors::kTooManyEntries,
            "redelegate: " + std::to_string(open.size()) + " redelegations to " + to.to_string() +
                " maturing, at most " + std::to_string(params_.max_entries())};
  }
  v1::ValidatorRecord s = *src;
  v1::ValidatorRecord t = *dst;
  const auto s_before = s;
  const auto t_before = t;
  settle(s);
  settle(t);
  if (!pay_delegation(s, from, delegator)) {
    return {errors::kNoDelegation,
            "redelegate: " + delegator.to_string() + " has no delegation to " + s.address()};
  }
  pay_delegation(t, to, delegator);
  auto tokens = unbond(s, delegator, amount, nullptr);
  if (!tokens) return tokens.status();
  if (delegator.to_string() == s.operator_()) {
    const uint64_t left = view().self_stake(s);
    if (left > 0 && left < s.min_self_delegation()) {
      return {errors::kOperatorLeaving,
              "redelegate: the operator's stake would fall below its "
              "min_self_delegation"};
    }
  }
  uint64_t shares = 0;
  if (auto st = bond(t, delegator, *tokens, &shares); !st) return st;
  const uint64_t completion = saturating_add(block_.time_ms, params_.unbonding_time_ms());
  auto entry = ledger::read_record<v1::RedelegationEntry>(
                   state_, keys::redelegation(delegator, to, block_.height, from))
                   .value_or(v1::RedelegationEntry{});
  entry.set_delegator(delegator.to_string());
  entry.set_from_validator(s.address());
  entry.set_to_validator(t.address());
  entry.set_creation_height(block_.height);
  entry.set_completion_ms(completion);
  entry.set_initial_balance(entry.initial_balance() + *tokens);
  entry.set_shares(entry.shares() + shares);
  state_.put(keys::redelegation(delegator, to, block_.height, from), entry.SerializeAsString());
  state_.put(keys::redelegation_queued(completion, block_.height, delegator, to, from), "");
  store(from, s_before, s);
  store(to, t_before, t);
  mark_dirty();
  events_.emit(events::kRedelegated)
      .attr("delegator", delegator.to_string())
      .attr("from_validator", s.address())
      .attr("to_validator", t.address())
      .attr("amount", *tokens)
      .attr("completion_ms", completion);
  return Status::ok();
}

Status StakingKeeper::cancel_unbonding(const crypto::Address& delegator,
                                       const crypto::Address& vaddr, uint64_t creation_height,
                                       uint64_t amount) {
  const Bytes key = keys::unbonding(delegator, vaddr, creation_height);
  auto entry = ledger::read_record<v1::UnbondingEntry>(state_, key);
  if (!entry) {
    return {errors::kNoUnbonding, "cancel_unbonding: no entry of " + delegator.to_string() +
                                      " with " + vaddr.to_string() + " created at height " +
                                      std::to_string(creation_height)};
  }
  if (amount > entry->balance()) {
    return {errors::kInsufficientDelegation, "cancel_unbonding: the entry holds " +
                                                 std::to_string(entry->balance()) + ", needs " +
                                                 std::to_string(amount)};
  }
  auto found = view().validator(vaddr);
  if (!found) return {errors::kNoValidator, "cancel_unbonding: no validator " + vaddr.to_string()};
  v1::ValidatorRecord v = *found;
  const auto before = v;
  settle(v);
  pay_delegation(v, vaddr, delegator);
  if (auto s = bond(v, delegator, amount, nullptr); !s) return s;
  move(unbonding_pool_address(), bonded_pool_address(), amount);
  entry->set_balance(entry->balance() - amount);
  if (entry->balance() == 0) {
    state_.erase(key);
    state_.erase(keys::unbonding_queued(entry->completion_ms(), creation_height, delegator, vaddr));
  } else {
    state_.put(key, entry->SerializeAsString());
  }
  store(vaddr, before, v);
  mark_dirty();
  events_.emit(events::kUnbondingCancelled)
      .attr("delegator", delegator.to_string())
      .attr("validator", v.address())
      .attr("amount", amount);
  return Status::ok();
}

Status StakingKeeper::withdraw(const crypto::Address& delegator, const crypto::Address& vaddr,
                               bool commission) {
  auto found = view().validator(vaddr);
  if (!found) return {errors::kNoValidator, "withdraw_rewards: no validator " + vaddr.to_string()};
  v1::ValidatorRecord v = *found;
  const auto before = v;
  if (commission && v.operator_() != delegator.to_string()) {
    return {errors::kNotOperator,
            "withdraw_rewards: " + delegator.to_string() + " does not operate " + v.address()};
  }
  if (!commission && !view().delegation(vaddr, delegator)) {
    return {errors::kNoDelegation,
            "withdraw_rewards: " + delegator.to_string() + " has no delegation to " + v.address()};
  }
  settle(v);
  pay_delegation(v, vaddr, delegator);
  if (commission && v.commission() > 0) {
    const uint64_t amount = v.commission();
    v.set_commission(0);
    release(v, amount, delegator);
    events_.emit(events::kCommissionWithdrawn)
        .attr("validator", v.address())
        .attr("operator", v.operator_())
        .attr("amount", amount);
  }
  store(vaddr, before, v);
  return Status::ok();
}

// --- slashing and jailing --------------------------------------------------------------------

void StakingKeeper::burn(const crypto::Address& pool, uint64_t amount) {
  if (amount == 0) return;
  if (auto s =
          tokenomics::burn(state_, events_, locks_, pool, amount, kSlashBurnSource, block_.time_ms);
      !s) {
    throw std::logic_error("staking: cannot burn a slash: " + s.to_string());
  }
}

uint64_t StakingKeeper::slash(v1::ValidatorRecord& v, uint64_t infraction_height, uint64_t power,
                              uint32_t fraction_bps, const char* reason) {
  const crypto::Address vaddr = stored_address(v.address());
  const u128 at_infraction = static_cast<u128>(power) * std::max<uint64_t>(params_.power_unit(), 1);
  uint64_t to_slash = to_u64(std::min<u128>(at_infraction * fraction_bps / kBps, UINT64_MAX));
  uint64_t burned = 0;
  // Stake that left after the infraction is still answerable for it: unbonding entries...
  std::vector<std::pair<Bytes, v1::UnbondingEntry>> unbondings;
  state_.scan(keys::unbondings(), [&](std::string_view key, std::string_view value) {
    v1::UnbondingEntry e;
    if (e.ParseFromArray(value.data(), static_cast<int>(value.size())) &&
        e.validator() == v.address() && e.creation_height() >= infraction_height) {
      unbondings.emplace_back(Bytes(key), std::move(e));
    }
    return true;
  });
  for (auto& [key, e] : unbondings) {
    const uint64_t cut = std::min(bps_of(e.initial_balance(), fraction_bps), e.balance());
    if (cut == 0) continue;
    e.set_balance(e.balance() - cut);
    state_.put(key, e.SerializeAsString());
    burn(unbonding_pool_address(), cut);
    burned += cut;
    to_slash = to_slash > cut ? to_slash - cut : 0;
  }
  // ...and redelegations out of it: the shares they bought at the destination.
  std::vector<v1::RedelegationEntry> moved;
  state_.scan(keys::redelegations(), [&](std::string_view, std::string_view value) {
    v1::RedelegationEntry e;
    if (e.ParseFromArray(value.data(), static_cast<int>(value.size())) &&
        e.from_validator() == v.address() && e.creation_height() >= infraction_height) {
      moved.push_back(std::move(e));
    }
    return true;
  });
  for (const auto& e : moved) {
    const auto dst_addr = stored_address(e.to_validator());
    const auto delegator = stored_address(e.delegator());
    auto dst = load(dst_addr);
    const auto dst_before = dst;
    auto d = view().delegation(dst_addr, delegator);
    if (!d) continue;
    settle(dst);
    pay(dst, *d);
    uint64_t shares = std::min<uint64_t>(
        static_cast<uint64_t>(static_cast<u128>(e.shares()) * fraction_bps / kBps), d->shares());
    const uint64_t tokens = StakingView::tokens_of(dst, shares);
    d->set_shares(d->shares() - shares);
    dst.set_shares(dst.shares() - shares);
    dst.set_tokens(dst.tokens() - tokens);
    put_delegation(dst_addr, delegator, *d);
    store(dst_addr, dst_before, dst);
    burn(bonded_pool_address(), tokens);
    burned += tokens;
    to_slash = to_slash > tokens ? to_slash - tokens : 0;
  }
  // The rest from what it has bonded now.
  const uint64_t from_tokens = std::min(to_slash, v.tokens());
  const auto before = v;
  v.set_tokens(v.tokens() - from_tokens);
  v.set_slashed(v.slashed() + burned + from_tokens);
  store(vaddr, before, v);
  burn(bonded_pool_address(), from_tokens);
  burned += from_tokens;
  mark_dirty();
  events_.emit(events::kSlashed)
      .attr("validator", v.address())
      .attr("reason", reason)
      .attr("infraction_height", infraction_height)
      .attr("amount", burned);
  return burned;
}

void StakingKeeper::jail(v1::ValidatorRecord& v, uint64_t until_ms) {
  v.set_jailed(true);
  v.set_jailed_until_ms(std::max(v.jailed_until_ms(), until_ms));
  forget_misses(v);
  mark_dirty();
  events_.emit(events::kJailed)
      .attr("validator", v.address())
      .attr("until_ms", v.jailed_until_ms())
      .attr("tombstoned", v.tombstoned() ? "true" : "false");
}

void StakingKeeper::forget_misses(v1::ValidatorRecord& v) {
  // A fresh window after a jail: drop its misses (at most a window's worth, and only then).
  const auto vaddr = stored_address(v.address());
  std::vector<uint64_t> heights;
  state_.scan(keys::misses_of(vaddr), [&](std::string_view key, std::string_view) {
    ledger::KeyReader in(key.substr(keys::misses_of(vaddr).size()));
    uint64_t h = 0;
    if (in.u64(h)) heights.push_back(h);
    return true;
  });
  for (uint64_t h : heights) {
    state_.erase(keys::miss(h, vaddr));
    state_.erase(keys::miss_of(vaddr, h));
  }
  v.set_missed_blocks(0);
  v.set_tracked_since(0);
}

void StakingKeeper::punish_double_signs() {
  for (const auto& m : block_.misbehaviour) {
    auto found = view().validator(m.validator);
    if (!found || found->tombstoned()) continue;  // each validator is punished once
    v1::ValidatorRecord v = *found;
    slash(v, m.height, m.power, params_.slash_fraction_double_sign_bps(), "double_sign");
    v = load(m.validator);  // slash stored it
    const auto before = v;
    v.set_tombstoned(true);
    jail(v, UINT64_MAX);
    store(m.validator, before, v);
  }
}

void StakingKeeper::track_liveness() {
  if (block_.height < 2 || block_.last_commit.empty()) return;
  const uint64_t signed_height = block_.height - 1;
  const uint64_t window = params_.signed_blocks_window();
  // Misses leaving the window: only the validators that missed that height are touched.
  if (signed_height > window) {
    const uint64_t leaving = signed_height - window;
    std::vector<crypto::Address> left;
    state_.scan(keys::misses_at(leaving), [&](std::string_view key, std::string_view) {
      ledger::KeyReader in(key.substr(keys::misses_at(leaving).size()));
      crypto::Address v;
      if (in.addr(v)) left.push_back(v);
      return true;
    });
    for (const auto& a : left) {
      state_.erase(keys::miss(leaving, a));
      state_.erase(keys::miss_of(a, leaving));
      if (auto v = view().validator(a)) {
        const auto before = *v;
        v->set_missed_blocks(v->missed_blocks() > 0 ? v->missed_blocks() - 1 : 0);
        store(a, before, *v);
      }
    }
  }
  // A validator that signs writes nothing; one that misses writes its miss and its count.
  const uint64_t allowed = allowed_misses(params_);
  for (const auto& vote : block_.last_commit) {
    if (vote.signed_block) continue;
    auto found = view().validator(vote.validator);
    if (!found || found->jailed()) continue;
    v1::ValidatorRecord v = *found;
    const auto before = v;
    if (v.tracked_since() == 0) v.set_tracked_since(signed_height);
    v.set_missed_blocks(v.missed_blocks() + 1);
    state_.put(keys::miss(signed_height, vote.validator), "");
    state_.put(keys::miss_of(vote.validator, signed_height), "");
    // Judged once it has been watched for a whole window.
    const bool watched = signed_height + 1 >= v.tracked_since() + window;
    if (v.missed_blocks() > allowed && watched) {
      slash(v, signed_height, vote.power, params_.slash_fraction_downtime_bps(), "downtime");
      v = load(vote.validator);
      const auto jailed_before = v;
      jail(v, saturating_add(block_.time_ms, params_.downtime_jail_duration_ms()));
      store(vote.validator, jailed_before, v);
      continue;
    }
    store(vote.validator, before, v);
  }
}

Status StakingKeeper::unjail(const crypto::Address& op, const crypto::Address& vaddr) {
  auto found = view().validator(vaddr);
  if (!found) return {errors::kNoValidator, "unjail: no validator " + vaddr.to_string()};
  v1::ValidatorRecord v = *found;
  const auto before = v;
  if (v.operator_() != op.to_string()) {
    return {errors::kNotOperator,
            "unjail: " + op.to_string() + " does not operate " + vaddr.to_string()};
  }
  if (!v.jailed()) return {errors::kNotJailed, "unjail: " + vaddr.to_string() + " is not jailed"};
  if (v.tombstoned()) {
    return {errors::kTombstoned,
            "unjail: " + vaddr.to_string() + " signed two blocks at one height: jailed for good"};
  }
  if (block_.time_ms < v.jailed_until_ms()) {
    return {errors::kStillJailed, "unjail: jailed until " + std::to_string(v.jailed_until_ms()) +
                                      " ms, it is " + std::to_string(block_.time_ms)};
  }
  if (view().self_stake(v) < std::max<uint64_t>(v.min_self_delegation(), 1)) {
    return {errors::kSelfStakeTooLow, "unjail: the operator's stake is below min_self_delegation"};
  }
  v.set_jailed(false);
  v.set_jailed_until_ms(0);
  store(vaddr, before, v);
  mark_dirty();
  events_.emit(events::kUnjailed).attr("validator", v.address());
  return Status::ok();
}

// --- stake locks -------------------------------------------------------------------------------

Status StakingKeeper::lock_stake(const crypto::Address& owner, uint64_t amount, uint32_t term) {
  if (term >= static_cast<uint32_t>(params_.lock_terms_size())) {
    return {errors::kBadField, "lock_stake: term " + std::to_string(term) + " is not one of the " +
                                   std::to_string(params_.lock_terms_size()) + " lock terms"};
  }
  ledger::Ledger l(state_, events_, locks_);
  if (auto s = ledger::require_spendable(l, owner, ledger::kNativeAsset, amount, block_.time_ms);
      !s) {
    return s;
  }
  const auto& t = params_.lock_terms(static_cast<int>(term));
  const uint64_t id = std::max<uint64_t>(ledger::read_u64(state_, keys::next_lock()), 1);
  state_.put(keys::next_lock(), u64_be(id + 1));
  v1::StakeLock lock;
  lock.set_id(id);
  lock.set_owner(owner.to_string());
  lock.set_amount(amount);
  lock.set_start_ms(block_.time_ms);
  lock.set_end_ms(saturating_add(block_.time_ms, t.duration_ms()));
  lock.set_multiplier_bps(t.multiplier_bps());
  lock.set_tier(t.tier());
  state_.put(keys::lock(owner, id), lock.SerializeAsString());
  state_.put(keys::lock_queued(lock.end_ms(), owner, id), "");
  events_.emit(events::kStakeLocked)
      .attr("owner", lock.owner())
      .attr("lock_id", id)
      .attr("amount", amount)
      .attr("end_ms", lock.end_ms())
      .attr("tier", static_cast<uint64_t>(t.tier()));
  return Status::ok();
}

Status StakingKeeper::unlock_stake(const crypto::Address& owner, uint64_t id) {
  auto lock = ledger::read_record<v1::StakeLock>(state_, keys::lock(owner, id));
  if (!lock) {
    return {errors::kNoLock,
            "unlock_stake: " + owner.to_string() + " has no lock " + std::to_string(id)};
  }
  if (block_.time_ms < lock->end_ms()) {
    return {errors::kLockNotEnded, "unlock_stake: lock " + std::to_string(id) + " ends at " +
                                       std::to_string(lock->end_ms()) + " ms (no early unlock)"};
  }
  state_.erase(keys::lock(owner, id));
  state_.erase(keys::lock_queued(lock->end_ms(), owner, id));
  events_.emit(events::kStakeUnlocked).attr("owner", lock->owner()).attr("lock_id", id);
  return Status::ok();
}

// --- end of block ----------------------------------------------------------------------------

void StakingKeeper::complete_matured() {
  struct Due {
    Bytes queue_key;
    Bytes entry_key;
  };
  std::vector<Due> unbondings;
  state_.scan(keys::unbonding_queue(), [&](std::string_view key, std::string_view) {
    ledger::KeyReader in(key.substr(keys::unbonding_queue().size()));
    uint64_t completion = 0, height = 0;
    crypto::Address d, v;
    if (!in.u64(completion) || completion > block_.time_ms) return false;
    if (!in.u64(height) || !in.addr(d) || !in.addr(v)) throw std::logic_error("staking: ubq key");
    unbondings.push_back({Bytes(key), keys::unbonding(d, v, height)});
    return true;
  });
  for (const auto& due : unbondings) {
    auto entry = ledger::read_record<v1::UnbondingEntry>(state_, due.entry_key);
    state_.erase(due.queue_key);
    if (!entry) continue;
    state_.erase(due.entry_key);
    move(unbonding_pool_address(), stored_address(entry->delegator()), entry->balance());
    events_.emit(events::kUnbondingCompleted)
        .attr("delegator", entry->delegator())
        .attr("validator", entry->validator())
        .attr("amount", entry->balance());
  }
  std::vector<Due> redelegations;
  state_.scan(keys::redelegation_queue(), [&](std::string_view key, std::string_view) {
    ledger::KeyReader in(key.substr(keys::redelegation_queue().size()));
    uint64_t completion = 0, height = 0;
    crypto::Address d, dst, src;
    if (!in.u64(completion) || completion > block_.time_ms) return false;
    if (!in.u64(height) || !in.addr(d) || !in.addr(dst) || !in.addr(src)) {
      throw std::logic_error("staking: rdq key");
    }
    redelegations.push_back({Bytes(key), keys::redelegation(d, dst, height, src)});
    return true;
  });
  for (const auto& due : redelegations) {
    state_.erase(due.queue_key);
    state_.erase(due.entry_key);
  }
  // Locks whose term ended: released (their BTT was spendable again from end_ms on).
  std::vector<std::pair<crypto::Address, uint64_t>> ended;
  state_.scan(keys::lock_queue(), [&](std::string_view key, std::string_view) {
    ledger::KeyReader in(key.substr(keys::lock_queue().size()));
    uint64_t end = 0, id = 0;
    crypto::Address owner;
    if (!in.u64(end) || end > block_.time_ms) return false;
    if (!in.addr(owner) || !in.u64(id)) throw std::logic_error("staking: lkq key");
    ended.emplace_back(owner, id);
    return true;
  });
  for (const auto& [owner, id] : ended) {
    if (auto s = unlock_stake(owner, id); !s) throw std::logic_error(s.to_string());
  }
}

std::vector<v1::Validator> StakingKeeper::eligible_set(std::vector<crypto::Address>* chosen) const {
  std::vector<v1::Validator> next;
  state_.scan(keys::power_index(), [&](std::string_view key, std::string_view) {
    if (next.size() >= params_.max_validators()) return false;
    ledger::KeyReader in(key.substr(keys::power_index().size()));
    uint64_t inverted = 0;
    crypto::Address addr;
    if (!in.u64(inverted) || !in.addr(addr)) throw std::logic_error("staking: pow key");
    const auto v = load(addr);
    if (v.jailed()) return true;
    if (view().self_stake(v) < std::max<uint64_t>(v.min_self_delegation(), 1)) return true;
    v1::Validator out;
    out.set_address(v.address());
    out.set_public_key(v.consensus_key());
    out.set_power(~inverted);
    out.set_name(v.moniker());
    next.push_back(std::move(out));
    if (chosen) chosen->push_back(addr);
    return true;
  });
  return next;
}

void StakingKeeper::adopt_genesis_set() {
  set_chosen_set(eligible_set(nullptr));
  state_.erase(keys::dirty());  // the chain starts with this set; nothing to choose at block 1
}

void StakingKeeper::import_state(const v1::StakingGenesisState& st) {
  set_params(st.params());
  for (const auto& v : st.validators())
    store(stored_address(v.address()), v1::ValidatorRecord{}, v);
  for (const auto& d : st.delegations()) {
    put_delegation(stored_address(d.validator()), stored_address(d.delegator()), d);
  }
  for (const auto& e : st.unbonding()) {
    const auto d = stored_address(e.delegator());
    const auto v = stored_address(e.validator());
    state_.put(keys::unbonding(d, v, e.creation_height()), e.SerializeAsString());
    state_.put(keys::unbonding_queued(e.completion_ms(), e.creation_height(), d, v), "");
  }
  for (const auto& e : st.redelegations()) {
    const auto d = stored_address(e.delegator());
    const auto dst = stored_address(e.to_validator());
    const auto src = stored_address(e.from_validator());
    state_.put(keys::redelegation(d, dst, e.creation_height(), src), e.SerializeAsString());
    state_.put(keys::redelegation_queued(e.completion_ms(), e.creation_height(), d, dst, src), "");
  }
  if (st.has_chosen_set()) state_.put(keys::chosen_set(), st.chosen_set().SerializeAsString());
  for (const auto& c : st.power_changes()) {
    state_.put(keys::power_change(c.height(), stored_address(c.validator())), u64_be(c.power()));
  }
  if (st.has_distribution()) {
    state_.put(keys::distribution(), st.distribution().SerializeAsString());
  }
  for (const auto& l : st.locks()) {
    const auto owner = stored_address(l.owner());
    state_.put(keys::lock(owner, l.id()), l.SerializeAsString());
    state_.put(keys::lock_queued(l.end_ms(), owner, l.id()), "");
  }
  if (st.next_lock() != 0) state_.put(keys::next_lock(), u64_be(st.next_lock()));
  for (const auto& m : st.misses()) {
    const auto v = stored_address(m.validator());
    state_.put(keys::miss(m.height(), v), "");
    state_.put(keys::miss_of(v, m.height()), "");
  }
  if (st.stake_changed()) mark_dirty();
}

std::optional<std::vector<v1::Validator>> StakingKeeper::choose_set() {
  if (!state_.get(keys::dirty())) return std::nullopt;
  state_.erase(keys::dirty());
  std::vector<crypto::Address> chosen;
  std::vector<v1::Validator> next = eligible_set(&chosen);
  // The set never empties: with nobody eligible the chain keeps the set it has.
  if (next.empty()) return std::nullopt;
  const v1::ChosenSet old = view().chosen_set();
  std::map<std::string, uint64_t> old_power;
  for (const auto& v : old.validators()) old_power[v.address()] = v.power();
  bool same = static_cast<size_t>(old.validators_size()) == next.size();
  for (size_t i = 0; same && i < next.size(); ++i) {
    same = old.validators(static_cast<int>(i)).SerializeAsString() == next[i].SerializeAsString();
  }
  if (same) return std::nullopt;

  // The new powers earn from the first height this set decides (H+2).
  const uint64_t from_height = block_.height + 2;
  std::map<std::string, uint64_t> new_power;
  for (const auto& v : next) new_power[v.address()] = v.power();
  uint64_t total = 0;
  for (const auto& [addr, power] : new_power) {
    total += power;
    auto it = old_power.find(addr);
    if (it == old_power.end() || it->second != power) {
      state_.put(keys::power_change(from_height, stored_address(addr)), u64_be(power));
    }
  }
  for (const auto& [addr, power] : old_power) {
    if (new_power.count(addr)) continue;
    state_.put(keys::power_change(from_height, stored_address(addr)), u64_be(0));
    auto rec = view().validator(stored_address(addr));
    if (rec && rec->status() == v1::VALIDATOR_STATUS_BONDED) {
      const auto before = *rec;
      rec->set_status(v1::VALIDATOR_STATUS_UNBONDED);
      store(stored_address(addr), before, *rec);
    }
  }
  for (const auto& addr : chosen) {
    auto rec = load(addr);
    if (rec.status() != v1::VALIDATOR_STATUS_BONDED) {
      const auto before = rec;
      rec.set_status(v1::VALIDATOR_STATUS_BONDED);
      store(addr, before, rec);
    }
  }
  set_chosen_set(next);
  events_.emit(events::kSetChanged)
      .attr("from_height", from_height)
      .attr("validators", static_cast<uint64_t>(next.size()))
      .attr("total_power", total);
  return next;
}

}  // namespace btt::modules::staking

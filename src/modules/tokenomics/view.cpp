// Reads of the tokenomics state and the figures of its queries (doc/tokenomics.md "Queries").
#include "btt/modules/tokenomics/view.h"

#include <algorithm>

#include "btt/common/amount.h"
#include "btt/common/checked.h"
#include "btt/ledger/keys.h"
#include "btt/ledger/ledger.h"
#include "btt/modules/tokenomics/tokenomics.h"
#include "keys.h"

namespace btt::modules::tokenomics {
namespace {

constexpr uint32_t kMaxEpochsListed = 1000;

// Seconds to milliseconds, saturating (schedules end within 10 years of genesis, far below).
uint64_t ms(uint64_t s) {
  return checked_mul(s, 1000).value_or(UINT64_MAX);
}

Status no_state() {
  return {Code::kNotFound, "this chain has no tokenomics state"};
}

}  // namespace

VestingSchedule vesting_of(const v1::CategoryRecord& c) {
  return {c.amount(), c.vesting().start_s(), c.vesting().cliff_s(), c.vesting().duration_s()};
}

MilestoneCeiling milestones_of(const v1::CategoryRecord& c) {
  return {c.amount(), c.milestones().start_s(), c.milestones().duration_s()};
}

EmissionCurve emission_of(const v1::CategoryRecord& c) {
  const auto& e = c.emission();
  return {c.amount(), e.start_s(), e.epoch_seconds(), e.years(), e.decay_bps(), e.year_seconds()};
}

uint64_t locked_at(const v1::CategoryRecord& c, uint64_t t_s) {
  switch (c.kind()) {
    case v1::CATEGORY_KIND_VESTING:
      return vesting_of(c).locked_at(t_s);
    case v1::CATEGORY_KIND_MILESTONES:
      return c.amount() - milestones_of(c).released(c.milestones().approved(), t_s);
    default:
      return 0;
  }
}

uint64_t epochs_due(const EmissionCurve& curve, uint64_t t_s) {
  if (t_s < curve.start_s) return 0;
  if (auto e = curve.epoch_at(t_s)) return *e + 1;
  return curve.total_epochs();  // past the last epoch
}

// --------------------------------------------------------------------------------- reads

std::optional<v1::TokenomicsParams> TokenomicsView::params() const {
  return ledger::read_record<v1::TokenomicsParams>(state_, keys::params());
}

std::optional<v1::CategoryRecord> TokenomicsView::category(std::string_view id) const {
  return ledger::read_record<v1::CategoryRecord>(state_, keys::category(id));
}

std::vector<v1::CategoryRecord> TokenomicsView::categories() const {
  std::vector<v1::CategoryRecord> out;
  auto p = params();
  if (!p) return out;
  for (const auto& id : p->categories()) {
    if (auto c = category(id)) out.push_back(std::move(*c));
  }
  return out;
}

v1::EmissionState TokenomicsView::emission_state() const {
  return ledger::read_record<v1::EmissionState>(state_, keys::emission())
      .value_or(v1::EmissionState{});
}

std::vector<v1::MilestoneRecord> TokenomicsView::milestones(std::string_view category) const {
  std::vector<v1::MilestoneRecord> out;
  state_.scan(keys::milestones(category), [&](std::string_view, std::string_view value) {
    v1::MilestoneRecord m;
    if (m.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
      out.push_back(std::move(m));
    }
    return true;
  });
  return out;
}

std::optional<v1::MilestoneRecord> TokenomicsView::milestone(std::string_view category,
                                                             std::string_view name) const {
  return ledger::read_record<v1::MilestoneRecord>(state_, keys::milestone(category, name));
}

v1::AccountLocks TokenomicsView::locks(const crypto::Address& addr) const {
  return ledger::read_record<v1::AccountLocks>(state_, keys::lock(addr))
      .value_or(v1::AccountLocks{});
}

std::vector<std::pair<crypto::Address, v1::AccountLocks>> TokenomicsView::all_locks() const {
  std::vector<std::pair<crypto::Address, v1::AccountLocks>> out;
  const Bytes prefix = keys::locks();
  state_.scan(prefix, [&](std::string_view key, std::string_view value) {
    ledger::KeyReader in(key.substr(prefix.size()));
    crypto::Address addr;
    v1::AccountLocks locks;
    if (in.addr(addr) && in.done() &&
        locks.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
      out.emplace_back(addr, std::move(locks));
    }
    return true;
  });
  return out;
}

uint64_t TokenomicsView::burned() const {
  return ledger::read_u64(state_, keys::burned());
}

std::vector<v1::BurnSource> TokenomicsView::burned_by_source() const {
  std::vector<v1::BurnSource> out;
  const Bytes prefix = keys::burns();
  state_.scan(prefix, [&](std::string_view key, std::string_view value) {
    uint64_t v = 0;
    if (get_u64_be(value, v)) {
      v1::BurnSource b;
      b.set_source(std::string(key.substr(prefix.size())));
      b.set_amount(v);
      out.push_back(std::move(b));
    }
    return true;
  });
  return out;
}

uint64_t TokenomicsView::locked(const crypto::Address& addr, uint64_t time_ms) const {
  auto raw = state_.get(keys::lock(addr));
  if (!raw) return 0;  // the common case: one absent key
  v1::AccountLocks locks;
  if (!locks.ParseFromArray(raw->data(), static_cast<int>(raw->size()))) return 0;
  uint64_t sum = 0;
  for (const auto& id : locks.categories()) {
    if (auto c = category(id)) sum = saturating_add(sum, locked_at(*c, time_ms / 1000));
  }
  return sum;
}

// --------------------------------------------------------------------------------- queries

v1::AllocationState TokenomicsView::allocation(const v1::CategoryRecord& c, uint64_t time_ms,
                                               uint64_t at_time_ms) const {
  const uint64_t t_s = at_time_ms / 1000;
  v1::AllocationState a;
  a.set_id(c.id());
  a.set_name(c.name());
  a.set_kind(c.kind());
  a.set_share_bps(c.share_bps());
  a.set_holder(c.holder());
  a.set_total(c.amount());
  a.set_governance_controlled(c.governance_controlled());
  uint64_t released = 0;
  switch (c.kind()) {
    case v1::CATEGORY_KIND_VESTING: {
      const VestingSchedule v = vesting_of(c);
      released = v.released_at(t_s);
      a.set_start_ms(ms(v.start_s));
      a.set_cliff_ms(ms(saturating_add(v.start_s, v.cliff_s)));
      a.set_end_ms(ms(v.end_s()));
      if (auto next = v.next_release_s(t_s)) a.set_next_release_ms(ms(*next));
      break;
    }
    case v1::CATEGORY_KIND_MILESTONES: {
      const MilestoneCeiling m = milestones_of(c);
      const uint64_t approved = c.milestones().approved();
      released = m.released(approved, t_s);
      a.set_ceiling(m.ceiling_at(t_s));
      a.set_approved(approved);
      a.set_start_ms(ms(m.start_s));
      a.set_end_ms(ms(saturating_add(m.start_s, m.duration_s)));
      // Approved tokens above the ceiling release as the ceiling rises (the same line as a
      // vesting schedule without a cliff); unapproved ones wait for a decision.
      if (released < approved) {
        const VestingSchedule line{c.amount(), m.start_s, 0, m.duration_s};
        if (auto next = line.next_release_s(t_s)) a.set_next_release_ms(ms(*next));
      }
      for (auto& r : milestones(c.id())) *a.add_milestones() = std::move(r);
      break;
    }
    case v1::CATEGORY_KIND_EMISSION: {
      const EmissionCurve curve = emission_of(c);
      const v1::EmissionState state = emission_state();
      const bool now = at_time_ms == time_ms;
      const uint64_t due = now ? state.epochs_paid() : epochs_due(curve, t_s);
      released = now ? state.paid() : (due == 0 ? 0 : curve.emitted_through(due - 1));
      a.set_start_ms(ms(curve.start_s));
      const uint64_t epochs = curve.total_epochs();
      a.set_end_ms(ms(
          saturating_add(curve.start_s, checked_mul(epochs, curve.epoch_s).value_or(UINT64_MAX))));
      if (due < epochs) {
        a.set_next_release_ms(ms(
            saturating_add(curve.start_s, checked_mul(due, curve.epoch_s).value_or(UINT64_MAX))));
      }
      break;
    }
    case v1::CATEGORY_KIND_POOL: {
      // What has left the pool so far; tokens sent to it count back in, up to its total.
      auto holder = crypto::Address::from_own_canonical(c.holder());
      const uint64_t balance = holder ? ledger::Ledger(state_).balance(*holder, "BTT") : 0;
      released = c.amount() - std::min(balance, c.amount());
      break;
    }
    default:  // accounts: spendable from genesis
      released = c.amount();
      break;
  }
  a.set_released(released);
  a.set_locked(c.amount() - released);
  return a;
}

Result<v1::SupplyBreakdown> TokenomicsView::supply_breakdown(uint64_t height,
                                                             uint64_t time_ms) const {
  auto p = params();
  if (!p) return no_state();
  ledger::Ledger l(state_);
  v1::SupplyBreakdown out;
  out.set_height(height);
  out.set_time_ms(time_ms);
  out.set_fixed_supply(p->fixed_supply());
  out.set_total_supply(l.supply("BTT"));
  out.set_burned(burned());
  for (auto& b : burned_by_source()) *out.add_burned_by_source() = std::move(b);

  uint64_t locked = 0;
  uint64_t pools = 0;
  auto add_pool = [&](std::string name, const crypto::Address& addr) {
    auto* pb = out.add_pool_balances();
    pb->set_name(std::move(name));
    pb->set_address(addr.to_string());
    pb->set_balance(l.balance(addr, "BTT"));
    pools = saturating_add(pools, pb->balance());
  };
  for (const auto& c : categories()) {
    if (c.kind() == v1::CATEGORY_KIND_VESTING || c.kind() == v1::CATEGORY_KIND_MILESTONES) {
      auto* row = out.add_locked_by_category();
      row->set_id(c.id());
      row->set_name(c.name());
      row->set_amount(locked_at(c, time_ms / 1000));
      locked = saturating_add(locked, row->amount());
    } else if (c.kind() == v1::CATEGORY_KIND_EMISSION || c.kind() == v1::CATEGORY_KIND_POOL) {
      add_pool(c.id(), pool_address(c.id()));
    }
  }
  add_pool(std::string(kMiningEscrowModule), mining_escrow_address());
  add_pool(std::string(ledger::kFeePoolModule),
           crypto::Address::for_module(ledger::kFeePoolModule));
  out.set_locked(locked);
  out.set_pools(pools);
  const uint64_t held = saturating_add(locked, pools);
  out.set_circulating(out.total_supply() > held ? out.total_supply() - held : 0);
  return out;
}

Result<v1::Allocations> TokenomicsView::allocations(uint64_t height, uint64_t time_ms,
                                                    uint64_t at_time_ms) const {
  if (!params()) return no_state();
  if (at_time_ms == 0) at_time_ms = time_ms;
  v1::Allocations out;
  out.set_height(height);
  out.set_time_ms(time_ms);
  out.set_at_time_ms(at_time_ms);
  out.set_projected(at_time_ms != time_ms);
  for (const auto& c : categories()) *out.add_categories() = allocation(c, time_ms, at_time_ms);
  return out;
}

Result<v1::Vesting> TokenomicsView::vesting(const crypto::Address& addr, uint64_t height,
                                            uint64_t time_ms, uint64_t at_time_ms,
                                            const ledger::LockProviders& providers) const {
  if (!params()) return no_state();
  if (at_time_ms == 0) at_time_ms = time_ms;
  v1::Vesting out;
  out.set_address(addr.to_string());
  out.set_height(height);
  out.set_time_ms(time_ms);
  out.set_at_time_ms(at_time_ms);
  out.set_projected(at_time_ms != time_ms);
  out.set_balance(ledger::Ledger(state_).balance(addr, "BTT"));
  uint64_t locked = 0;
  const v1::AccountLocks account_locks = locks(addr);
  for (const auto& id : account_locks.categories()) {
    auto c = category(id);
    if (!c) continue;
    auto* s = out.add_schedules();
    *s = allocation(*c, time_ms, at_time_ms);
    locked = saturating_add(locked, s->locked());
  }
  out.set_locked(locked);
  out.set_spendable(ledger::Ledger(state_, &providers).spendable(addr, "BTT", at_time_ms));
  return out;
}

Result<v1::EmissionSchedule> TokenomicsView::emission(uint64_t height, uint64_t time_ms,
                                                      uint64_t from_epoch, uint32_t limit) const {
  if (!params()) return no_state();
  if (limit > kMaxEpochsListed) {
    return Status(Code::kInvalidArgument, "limit " + std::to_string(limit) + " above " +
                                              std::to_string(kMaxEpochsListed) + " epochs");
  }
  std::optional<v1::CategoryRecord> record;
  for (auto& c : categories()) {
    if (c.kind() == v1::CATEGORY_KIND_EMISSION) record = std::move(c);
  }
  if (!record) return Status(Code::kNotFound, "the allocation has no emission category");
  const EmissionCurve curve = emission_of(*record);
  const v1::EmissionState state = emission_state();
  ledger::Ledger l(state_);

  v1::EmissionSchedule out;
  out.set_height(height);
  out.set_time_ms(time_ms);
  out.set_total(curve.total);
  out.set_start_ms(ms(curve.start_s));
  out.set_epoch_seconds(curve.epoch_s);
  out.set_years(curve.years);
  out.set_decay_bps(curve.decay_bps);
  out.set_total_epochs(curve.total_epochs());
  out.set_epochs_paid(state.epochs_paid());
  out.set_paid(state.paid());
  out.set_pool_balance(l.balance(pool_address(record->id()), "BTT"));
  out.set_escrow(mining_escrow_address().to_string());
  out.set_escrow_balance(l.balance(mining_escrow_address(), "BTT"));

  const uint64_t per_year = curve.epochs_per_year();
  // Sum of epochs [0, n): what was paid once n epochs were.
  auto paid_through = [&](uint64_t n) { return n == 0 ? 0 : curve.emitted_through(n - 1); };
  for (uint32_t y = 0; y < curve.years; ++y) {
    auto* row = out.add_by_year();
    const uint64_t first = y * per_year;
    row->set_year(y);
    row->set_budget(curve.year_budget(y));
    row->set_epochs(per_year);
    row->set_epoch_amount(curve.epoch_amount(first));
    row->set_last_epoch_amount(curve.epoch_amount(first + per_year - 1));
    row->set_start_ms(ms(saturating_add(curve.start_s, checked_mul(y, curve.year_s).value())));
    const uint64_t paid_epochs = std::clamp(state.epochs_paid(), first, first + per_year);
    row->set_paid(paid_through(paid_epochs) - paid_through(first));
  }
  const uint64_t end =
      std::min(curve.total_epochs(), saturating_add(from_epoch, static_cast<uint64_t>(limit)));
  for (uint64_t e = from_epoch; e < end; ++e) {
    auto* row = out.add_epochs();
    row->set_epoch(e);
    row->set_start_ms(ms(curve.start_s + e * curve.epoch_s));  // e < total epochs: no overflow
    row->set_amount(curve.epoch_amount(e));
    row->set_paid(e < state.epochs_paid());
  }
  return out;
}

}  // namespace btt::modules::tokenomics

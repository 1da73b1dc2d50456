// The RWA view (doc/rwa.md "Queries"): typed reads over any StateReader.
#include "btt/modules/rwa/view.h"

#include "btt/ledger/ledger.h"
#include "btt/modules/rwa/errors.h"
#include "btt/modules/rwa/rwa.h"
#include "keeper.h"
#include "keys.h"
#include "module.h"

namespace btt::modules::rwa {

v1::RwaParams RwaView::params() const {
  return params_spec().get(state_);
}

std::optional<v1::RwaAssetRecord> RwaView::asset(std::string_view asset) const {
  if (!is_rwa_asset(asset)) return read_asset(state_, asset_id(asset));
  return read_asset(state_, asset);
}

std::vector<v1::RwaAssetRecord> RwaView::assets() const {
  return ledger::read_records<v1::RwaAssetRecord>(state_, keys::assets());
}

v1::RwaAssetInfo RwaView::info(const v1::RwaAssetRecord& r) const {
  v1::RwaAssetInfo out;
  *out.mutable_record() = r;
  out.set_ledger_supply(ledger::Ledger(state_).supply(r.asset()));
  out.set_nav_num(r.appraised_value());
  out.set_nav_den(r.supply());
  out.set_nav_per_fraction(r.supply() == 0 ? 0 : r.appraised_value() / r.supply());
  return out;
}

std::vector<v1::DocumentRecord> RwaView::documents(std::string_view asset,
                                                   bool include_removed) const {
  std::vector<v1::DocumentRecord> out;
  for (auto& d : ledger::read_records<v1::DocumentRecord>(state_, keys::documents(asset))) {
    if (include_removed || !d.removed()) out.push_back(std::move(d));
  }
  return out;
}

std::vector<v1::Holding> RwaView::holders(std::string_view asset) const {
  std::vector<v1::Holding> out;
  const ledger::Ledger ledger(state_);
  const Bytes pre = keys::holders(asset);
  state_.scan(pre, [&](std::string_view key, std::string_view) {
    ledger::KeyReader r(key.substr(pre.size()));
    crypto::Address who;
    if (!r.addr(who)) return true;
    v1::Holding h;
    h.set_account(who.to_string());
    h.set_balance(ledger.balance(who, asset));
    h.set_frozen(frozen_fractions(state_, asset, who));
    out.push_back(std::move(h));
    return true;
  });
  return out;
}

std::optional<v1::ClaimRecord> RwaView::claim(const crypto::Address& account) const {
  return ledger::read_record<v1::ClaimRecord>(state_, keys::claim(account));
}

std::vector<v1::ClaimRecord> RwaView::claims() const {
  return ledger::read_records<v1::ClaimRecord>(state_, keys::claims());
}

std::vector<v1::AgentRecord> RwaView::agents(std::string_view asset) const {
  return ledger::read_records<v1::AgentRecord>(state_, keys::agents(asset));
}

std::optional<v1::AgentRecord> RwaView::agent(std::string_view asset,
                                              const crypto::Address& agent) const {
  return ledger::read_record<v1::AgentRecord>(state_, keys::agent(asset, agent));
}

std::vector<v1::RwaFreezeRecord> RwaView::freezes(std::string_view asset) const {
  return ledger::read_records<v1::RwaFreezeRecord>(state_, keys::freezes(asset));
}

std::vector<v1::AppraisalRecord> RwaView::appraisals(std::string_view asset) const {
  return ledger::read_records<v1::AppraisalRecord>(state_, keys::appraisals(asset));
}

std::optional<v1::DistributionRecord> RwaView::distribution(uint64_t id) const {
  return ledger::read_record<v1::DistributionRecord>(state_, keys::distribution(id));
}

std::vector<v1::DistributionRecord> RwaView::distributions(std::string_view asset) const {
  std::vector<v1::DistributionRecord> out;
  for (uint64_t id : distribution_ids(state_, asset)) {
    if (auto d = distribution(id)) out.push_back(std::move(*d));
  }
  return out;
}

uint64_t RwaView::record_balance(const v1::DistributionRecord& d,
                                 const crypto::Address& account) const {
  return rwa::record_balance(state_, d.asset(), account, d.epoch());
}

bool RwaView::claimed(uint64_t distribution_id, const crypto::Address& account) const {
  return state_.get(keys::claimed(distribution_id, account)).has_value();
}

v1::Claimable RwaView::claimable(const v1::DistributionRecord& d,
                                 const crypto::Address& account) const {
  v1::Claimable out;
  out.set_distribution_id(d.id());
  out.set_account(account.to_string());
  out.set_record_balance(record_balance(d, account));
  out.set_claimed(claimed(d.id(), account));
  if (!out.claimed() && !d.reclaimed() && d.record_supply() > 0) {
    out.set_amount(mul_div_floor(out.record_balance(), d.amount(), d.record_supply()).value_or(0));
  }
  return out;
}

v1::CheckTransferResponse RwaView::check(std::string_view asset, const crypto::Address& from,
                                         const crypto::Address& to, uint64_t amount,
                                         uint64_t time_ms) const {
  v1::CheckTransferResponse out;
  const Status s = check_transfer(state_, asset, from, to, amount, time_ms);
  out.set_allowed(s.is_ok());
  if (!s.is_ok()) {
    out.set_detail(s.detail());
    out.set_message(s.message());
    static const RwaModule kModule;
    for (const auto* e : kModule.errors()) {
      if (e->detail == s.detail()) out.set_rule(std::string(e->name));
    }
  }
  return out;
}

v1::RwaGenesisState RwaView::genesis_state() const {
  v1::RwaGenesisState st;
  *st.mutable_params() = params();
  for (auto& c : claims()) *st.add_claims() = std::move(c);
  for (auto& a : assets()) *st.add_assets() = std::move(a);
  for (auto& d : ledger::read_records<v1::DocumentRecord>(state_, keys::documents())) {
    *st.add_documents() = std::move(d);
  }
  for (auto& a : ledger::read_records<v1::AgentRecord>(state_, keys::agents())) {
    *st.add_agents() = std::move(a);
  }
  for (auto& f : ledger::read_records<v1::RwaFreezeRecord>(state_, keys::freezes())) {
    *st.add_freezes() = std::move(f);
  }
  for (auto& a : ledger::read_records<v1::AppraisalRecord>(state_, keys::appraisals())) {
    *st.add_appraisals() = std::move(a);
  }
  for (auto& d : ledger::read_records<v1::DistributionRecord>(state_, keys::distributions())) {
    *st.add_distributions() = std::move(d);
  }
  const Bytes snap = keys::snapshots();
  state_.scan(snap, [&](std::string_view key, std::string_view value) {
    ledger::KeyReader r(key.substr(snap.size()));
    std::string asset;
    crypto::Address who;
    uint64_t epoch = 0;
    uint64_t balance = 0;
    std::string_view in = value;
    if (r.str(asset) && r.addr(who) && r.u64(epoch) && get_u64_be(in, balance)) {
      auto* s = st.add_snapshots();
      s->set_asset(asset);
      s->set_account(who.to_string());
      s->set_epoch(epoch);
      s->set_balance(balance);
    }
    return true;
  });
  const Bytes cl = keys::claimed_all();
  state_.scan(cl, [&](std::string_view key, std::string_view value) {
    ledger::KeyReader r(key.substr(cl.size()));
    uint64_t id = 0;
    crypto::Address who;
    uint64_t amount = 0;
    std::string_view in = value;
    if (r.u64(id) && r.addr(who) && get_u64_be(in, amount)) {
      auto* c = st.add_claimed();
      c->set_distribution_id(id);
      c->set_account(who.to_string());
      c->set_amount(amount);
    }
    return true;
  });
  st.set_next_distribution_id(ledger::read_u64(state_, keys::next_id("distribution")));
  add_exchange(st);
  return st;
}

}  // namespace btt::modules::rwa

// The RWA keeper (doc/rwa.md): every write of the module's keys. Fractions move by the ledger's
// debit and credit (the module's lock holds them back from move), BTT and payment assets by
// move, so each credit and debit is a recorded BalanceChange.
#include "keeper.h"

#include <algorithm>

#include "btt/common/amount.h"
#include "btt/common/checked.h"
#include "btt/modules/oracle/oracle.h"
#include "btt/modules/rwa/errors.h"
#include "btt/modules/rwa/events.h"
#include "btt/modules/tokenomics/tokenomics.h"
#include "keys.h"
#include "market.h"
#include "module.h"

namespace btt::modules::rwa {
namespace {

const char* yes(bool b) {
  return b ? "true" : "false";
}

}  // namespace

crypto::Address addr_of(const std::string& text) {
  auto a = crypto::Address::parse(text);
  if (!a) throw std::logic_error("rwa: stored address '" + text + "' does not parse");
  return *a;
}

crypto::Address treasury_address() {
  return tokenomics::pool_address("treasury");
}

crypto::Address distributions_address() {
  static const crypto::Address kAddr = crypto::Address::for_module("rwa/distributions");
  return kAddr;
}

bool enabled(const ledger::StateReader& state) {
  return state.get(keys::params()).has_value();
}

std::optional<v1::RwaAssetRecord> read_asset(const ledger::StateReader& state,
                                             std::string_view asset) {
  if (!is_rwa_asset(asset)) return std::nullopt;
  return ledger::read_record<v1::RwaAssetRecord>(state, keys::asset(asset));
}

Result<uint64_t> value_in_btt(const ledger::StateReader& state, uint64_t amount,
                              const std::string& currency, uint64_t time_ms) {
  if (currency == ledger::kNativeAsset || amount == 0) return amount;
  auto price = oracle::price_in_force(state, currency, ledger::kNativeAsset, time_ms);
  if (!price) return price.status();
  return oracle::convert(amount, price.value());
}

Result<MintFee> mint_fee(const ledger::StateReader& state, const v1::RwaParams& p,
                         const v1::MsgRegisterRwaAsset& m, uint64_t time_ms) {
  MintFee out;
  const uint32_t bps = p.mint_fee_bps(static_cast<int>(m.tier()) - 1);
  auto fee = value_in_btt(state, bps_of(m.appraised_value(), bps), m.currency(), time_ms);
  if (!fee) return fee.status();
  out.fee = fee.value();
  out.burned = bps_of(out.fee, p.mint_burn_share_bps());
  out.treasury = out.fee - out.burned;
  out.listing = m.premium_listing() ? p.premium_listing_fee() : 0;
  if (!checked_add(out.fee, out.listing)) {
    return Status{errors::kFeeOverflow, "register_rwa_asset: the fees overflow"};
  }
  return out;
}

Result<uint64_t> revaluation_fee(const ledger::StateReader& state, const v1::RwaParams& p,
                                 uint64_t value, const std::string& currency, uint64_t time_ms) {
  return value_in_btt(state, bps_of(value, p.revaluation_fee_bps()), currency, time_ms);
}

std::vector<uint64_t> distribution_ids(const ledger::StateReader& state, std::string_view asset) {
  std::vector<uint64_t> ids;
  const Bytes pre = keys::distributions_of(asset);
  state.scan(pre, [&](std::string_view key, std::string_view) {
    std::string_view rest = key.substr(pre.size());
    uint64_t id = 0;
    if (get_u64_be(rest, id)) ids.push_back(id);
    return true;
  });
  return ids;
}

uint64_t record_balance(const ledger::StateReader& state, std::string_view asset,
                        const crypto::Address& who, uint64_t epoch) {
  uint64_t bal = 0;
  state.scan_back(keys::snapshots(asset, who), keys::snapshot(asset, who, epoch),
                  [&](std::string_view, std::string_view v) {
                    std::string_view in = v;
                    if (!get_u64_be(in, bal)) bal = 0;
                    return false;
                  });
  return bal;
}

Status move_fractions(ledger::Overlay& state, ledger::Events& events, std::string_view asset,
                      const crypto::Address& from, const crypto::Address& to, uint64_t amount) {
  auto r = read_asset(state, asset);
  if (!r) return {errors::kUnknownAsset, "no rwa asset " + excerpt(asset)};
  const ledger::BlockInfo none;
  RwaKeeper k(state, events, nullptr, none);
  return k.move(*r, from, to, amount);
}

RwaKeeper::RwaKeeper(ledger::Overlay& state, ledger::Events& events,
                     const ledger::LockProviders* locks, const ledger::BlockInfo& block)
    : state_(state),
      events_(events),
      locks_(locks),
      block_(block),
      params_(params_spec().get(state)) {}

uint64_t RwaKeeper::next_id(std::string_view name) {
  return ledger::take_next_id(state_, keys::next_id(name));
}

void RwaKeeper::put_asset(const v1::RwaAssetRecord& r) {
  put_record(state_, keys::asset(r.asset()), r);
}

void RwaKeeper::init(const v1::RwaParams& p) {
  params_spec().set(state_, p);
  params_ = p;
}

void RwaKeeper::holding_changed(v1::RwaAssetRecord& r, const crypto::Address& who, uint64_t before,
                                uint64_t after) {
  ledger::write_u64(state_, keys::snapshot(r.asset(), who, r.distributions()), after);
  // The issuer and the module's accounts (pools) hold fractions without being holders.
  const bool issuer = who.to_string() == r.issuer() || is_module_account(who);
  if (before == 0 && after > 0) {
    state_.put(keys::holder(r.asset(), who), "");
    if (!issuer) r.set_holders(r.holders() + 1);
  } else if (before > 0 && after == 0) {
    state_.erase(keys::holder(r.asset(), who));
    if (!issuer) r.set_holders(r.holders() - 1);
  }
}

Status RwaKeeper::move(v1::RwaAssetRecord& r, const crypto::Address& from,
                       const crypto::Address& to, uint64_t amount) {
  if (auto s = move_held(r, from, to, amount); !s) return s;
  if (from != to && amount > 0) put_asset(r);
  return Status::ok();
}

Status RwaKeeper::move_held(v1::RwaAssetRecord& r, const crypto::Address& from,
                            const crypto::Address& to, uint64_t amount) {
  if (from == to || amount == 0) return Status::ok();
  ledger::Ledger ledger(state_, events_);
  const uint64_t from_before = ledger.balance(from, r.asset());
  const uint64_t to_before = ledger.balance(to, r.asset());
  if (from_before < amount) {
    return {Code::kInsufficientFunds,
            from.to_string() + " holds " + std::to_string(from_before) + " " + r.asset()};
  }
  if (auto s = ledger.debit(from, r.asset(), amount); !s) return s;
  if (auto s = ledger.credit(to, r.asset(), amount); !s) return s;
  holding_changed(r, from, from_before, from_before - amount);
  holding_changed(r, to, to_before, to_before + amount);
  return Status::ok();
}

// --- identity ------------------------------------------------------------------------------

void RwaKeeper::set_claim(const crypto::Address& attester, const v1::MsgSetClaim& m) {
  v1::ClaimRecord c;
  c.set_account(m.account());
  c.set_attester(attester.to_string());
  c.set_kyc(m.kyc());
  c.set_accredited(m.accredited());
  c.set_country(m.country());
  c.set_expiry_ms(m.expiry_ms());
  c.set_record_hash(m.record_hash());
  c.set_height(block_.height);
  c.set_time_ms(block_.time_ms);
  put_record(state_, keys::claim(addr_of(m.account())), c);
  events_.emit(events::kClaimSet)
      .attr("account", m.account())
      .attr("attester", c.attester())
      .attr("kyc", yes(m.kyc()))
      .attr("accredited", yes(m.accredited()))
      .attr("country", m.country())
      .attr("expiry_ms", m.expiry_ms());
}

void RwaKeeper::revoke_claim(const crypto::Address& attester, const v1::MsgRevokeClaim& m) {
  state_.erase(keys::claim(addr_of(m.account())));
  events_.emit(events::kClaimRevoked)
      .attr("account", m.account())
      .attr("attester", attester.to_string())
      .attr("reason_code", uint64_t{m.reason_code()});
}

// --- issuance ------------------------------------------------------------------------------

Status RwaKeeper::register_asset(const crypto::Address& issuer, const v1::MsgRegisterRwaAsset& m) {
  auto fee = mint_fee(state_, params_, m, block_.time_ms);
  if (!fee) return fee.status();
  const MintFee& f = fee.value();
  ledger::Ledger ledger(state_, events_, locks_);
  if (f.burned > 0) {
    if (auto s = tokenomics::burn(state_, events_, locks_, issuer, f.burned, kMintBurnSource,
                                  block_.time_ms);
        !s) {
      return s;
    }
  }
  const uint64_t to_treasury = f.treasury + f.listing;
  if (to_treasury > 0) {
    if (auto s = ledger.move(issuer, treasury_address(), ledger::kNativeAsset, to_treasury,
                             block_.time_ms);
        !s) {
      return s;
    }
  }
  const std::string asset = asset_id(m.symbol());
  v1::AssetInfo info;
  info.set_asset(asset);
  info.set_decimals(0);
  ledger.set_asset(info);
  ledger.set_supply(asset, m.total_fractions());
  if (auto s = ledger.credit(issuer, asset, m.total_fractions()); !s) return s;

  v1::RwaAssetRecord r;
  r.set_asset(asset);
  r.set_symbol(m.symbol());
  r.set_name(m.name());
  r.set_asset_class(m.asset_class());
  r.set_issuer(issuer.to_string());
  r.set_total_fractions(m.total_fractions());
  r.set_supply(m.total_fractions());
  r.set_tier(m.tier());
  r.set_appraised_value(m.appraised_value());
  r.set_currency(m.currency());
  r.set_valuer(m.valuer());
  r.set_appraisal_hash(m.appraisal_hash());
  r.set_appraisal_height(block_.height);
  *r.mutable_rules() = m.rules();
  r.set_premium_listing(m.premium_listing());
  r.set_registered_height(block_.height);
  r.set_registered_ms(block_.time_ms);
  r.set_mint_fee(f.fee);
  r.set_mint_burned(f.burned);
  r.set_listing_fee(f.listing);
  r.set_revaluations(1);
  holding_changed(r, issuer, 0, m.total_fractions());
  put_asset(r);

  v1::AppraisalRecord a;
  a.set_asset(asset);
  a.set_seq(1);
  a.set_appraised_value(m.appraised_value());
  a.set_currency(m.currency());
  a.set_valuer(m.valuer());
  a.set_report_hash(m.appraisal_hash());
  a.set_supply(m.total_fractions());
  a.set_height(block_.height);
  a.set_time_ms(block_.time_ms);
  put_record(state_, keys::appraisal(asset, 1), a);

  events_.emit(events::kAssetRegistered)
      .attr("asset", asset)
      .attr("issuer", r.issuer())
      .attr("asset_class", v1::RwaAssetClass_Name(m.asset_class()))
      .attr("total_fractions", m.total_fractions())
      .attr("tier", uint64_t{m.tier()})
      .attr("appraised_value", m.appraised_value())
      .attr("currency", m.currency())
      .attr("valuer", m.valuer())
      .attr("mint_fee", f.fee)
      .attr("burned", f.burned)
      .attr("listing_fee", f.listing);
  return Status::ok();
}

void RwaKeeper::set_rules(const v1::MsgSetTransferRules& m) {
  auto r = read_asset(state_, m.asset());
  *r->mutable_rules() = m.rules();
  put_asset(*r);
  events_.emit(events::kRulesSet).attr("asset", m.asset());
}

void RwaKeeper::set_document(const v1::MsgSetDocument& m) {
  const Bytes key = keys::document(m.asset(), m.name());
  auto d = ledger::read_record<v1::DocumentRecord>(state_, key);
  v1::DocumentRecord out = d ? *d : v1::DocumentRecord{};
  out.set_asset(m.asset());
  out.set_name(m.name());
  out.set_version(out.version() + 1);
  out.set_removed(m.remove());
  if (!m.remove()) {
    out.set_uri(m.uri());
    out.set_hash(m.hash());
  }
  out.set_height(block_.height);
  out.set_time_ms(block_.time_ms);
  put_record(state_, key, out);
  events_.emit(events::kDocumentSet)
      .attr("asset", m.asset())
      .attr("name", m.name())
      .attr("version", out.version())
      .attr("removed", yes(m.remove()));
}

void RwaKeeper::set_agent(const v1::MsgSetAgent& m) {
  const Bytes key = keys::agent(m.asset(), addr_of(m.agent()));
  if (!m.freeze() && !m.force() && !m.recover() && !m.pause()) {
    state_.erase(key);
  } else {
    v1::AgentRecord a;
    a.set_asset(m.asset());
    a.set_agent(m.agent());
    a.set_freeze(m.freeze());
    a.set_force(m.force());
    a.set_recover(m.recover());
    a.set_pause(m.pause());
    put_record(state_, key, a);
  }
  events_.emit(events::kAgentSet)
      .attr("asset", m.asset())
      .attr("agent", m.agent())
      .attr("freeze", yes(m.freeze()))
      .attr("force", yes(m.force()))
      .attr("recover", yes(m.recover()))
      .attr("pause", yes(m.pause()));
}

void RwaKeeper::set_paused(const crypto::Address& by, const v1::MsgSetAssetPaused& m) {
  auto r = read_asset(state_, m.asset());
  r->set_paused(m.paused());
  put_asset(*r);
  events_.emit(events::kPaused)
      .attr("asset", m.asset())
      .attr("paused", yes(m.paused()))
      .attr("by", by.to_string());
}

// --- agent controls --------------------------------------------------------------------------

void RwaKeeper::add_frozen(const std::string& asset, const crypto::Address& who, uint64_t amount,
                           uint32_t reason) {
  const Bytes key = keys::freeze(asset, who);
  auto f = ledger::read_record<v1::RwaFreezeRecord>(state_, key);
  v1::RwaFreezeRecord out = f ? *f : v1::RwaFreezeRecord{};
  out.set_asset(asset);
  out.set_account(who.to_string());
  if (!out.whole()) out.set_amount(out.amount() + amount);
  if (!f) {
    out.set_reason_code(reason);
    out.set_height(block_.height);
  }
  put_record(state_, key, out);
}

void RwaKeeper::freeze(const crypto::Address& by, const v1::MsgFreezeFractions& m) {
  const auto who = addr_of(m.account());
  const Bytes key = keys::freeze(m.asset(), who);
  auto f = ledger::read_record<v1::RwaFreezeRecord>(state_, key);
  v1::RwaFreezeRecord out = f ? *f : v1::RwaFreezeRecord{};
  out.set_asset(m.asset());
  out.set_account(m.account());
  if (m.amount() == 0) {
    out.set_whole(true);
    out.set_amount(0);
  } else {
    out.set_amount(out.amount() + m.amount());
  }
  out.set_reason_code(m.reason_code());
  out.set_height(block_.height);
  put_record(state_, key, out);
  events_.emit(events::kFrozen)
      .attr("asset", m.asset())
      .attr("account", m.account())
      .attr("amount", m.amount())
      .attr("whole", yes(out.whole()))
      .attr("frozen", frozen_fractions(state_, m.asset(), who))
      .attr("reason_code", uint64_t{m.reason_code()})
      .attr("by", by.to_string());
}

void RwaKeeper::unfreeze(const crypto::Address& by, const v1::MsgUnfreezeFractions& m) {
  const auto who = addr_of(m.account());
  const Bytes key = keys::freeze(m.asset(), who);
  auto f = ledger::read_record<v1::RwaFreezeRecord>(state_, key);
  const uint64_t was = frozen_fractions(state_, m.asset(), who);
  if (m.amount() == 0 || f->amount() == m.amount()) {
    state_.erase(key);
  } else {
    f->set_amount(f->amount() - m.amount());
    put_record(state_, key, *f);
  }
  const uint64_t now = frozen_fractions(state_, m.asset(), who);
  events_.emit(events::kUnfrozen)
      .attr("asset", m.asset())
      .attr("account", m.account())
      .attr("amount", was - now)
      .attr("frozen", now)
      .attr("reason_code", uint64_t{m.reason_code()})
      .attr("by", by.to_string());
}

Status RwaKeeper::forced_transfer(const crypto::Address& agent, const v1::MsgForcedTransfer& m,
                                  bool move_frozen) {
  auto r = read_asset(state_, m.asset());
  const auto from = addr_of(m.from());
  const auto to = addr_of(m.to());
  const uint64_t free = free_fractions(state_, m.asset(), from);
  uint64_t frozen_moved = 0;
  if (m.amount() > free) {
    if (!move_frozen) {
      return {errors::kFrozen, "forced_transfer: " + m.from() + " has only " +
                                   std::to_string(free) +
                                   " free; moving frozen fractions needs the freeze role"};
    }
    frozen_moved = m.amount() - free;
    // The frozen fractions leave the sender's freeze and stay frozen at the receiver.
    const Bytes key = keys::freeze(m.asset(), from);
    auto f = ledger::read_record<v1::RwaFreezeRecord>(state_, key);
    if (f && !f->whole()) {
      if (f->amount() <= frozen_moved) {
        state_.erase(key);
      } else {
        f->set_amount(f->amount() - frozen_moved);
        put_record(state_, key, *f);
      }
    }
    add_frozen(m.asset(), to, frozen_moved, f ? f->reason_code() : m.reason_code());
  }
  if (auto s = move(*r, from, to, m.amount()); !s) return s;
  events_.emit(events::kForcedTransfer)
      .attr("asset", m.asset())
      .attr("from", m.from())
      .attr("to", m.to())
      .attr("amount", m.amount())
      .attr("frozen_moved", frozen_moved)
      .attr("reason_code", uint64_t{m.reason_code()})
      .attr("agent", agent.to_string());
  return Status::ok();
}

Status RwaKeeper::recover(const crypto::Address& agent, const v1::MsgRecoverFractions& m) {
  auto r = read_asset(state_, m.asset());
  const auto lost = addr_of(m.lost_account());
  const auto to = addr_of(m.new_account());
  const uint64_t amount = ledger::Ledger(state_.reader()).balance(lost, m.asset());
  // The freeze goes with the fractions.
  const Bytes fkey = keys::freeze(m.asset(), lost);
  if (auto f = ledger::read_record<v1::RwaFreezeRecord>(state_, fkey)) {
    state_.erase(fkey);
    if (f->whole()) {
      v1::RwaFreezeRecord w = *f;
      w.set_account(m.new_account());
      put_record(state_, keys::freeze(m.asset(), to), w);
    } else if (f->amount() > 0) {
      add_frozen(m.asset(), to, f->amount(), f->reason_code());
    }
  }
  // Unclaimed entitlements of open distributions are paid to the new account now.
  for (uint64_t id : distribution_ids(state_, m.asset())) {
    auto d = ledger::read_record<v1::DistributionRecord>(state_, keys::distribution(id));
    if (!d || d->reclaimed() || block_.time_ms >= d->expiry_ms()) continue;
    if (state_.get(keys::claimed(d->id(), lost))) continue;
    const uint64_t bal = record_balance(state_, m.asset(), lost, d->epoch());
    if (bal == 0) continue;
    if (auto s = pay_claim(*d, lost, to, bal); !s) return s;
  }
  // Its resting orders end (a buy's escrow returns to it) and its pool shares follow the
  // fractions whole: none is burned (rippled PR #7704).
  close_orders_of(m.asset(), lost);
  move_lp_shares(m.asset(), lost, to);
  if (auto s = move(*r, lost, to, amount); !s) return s;
  events_.emit(events::kRecovered)
      .attr("asset", m.asset())
      .attr("lost_account", m.lost_account())
      .attr("new_account", m.new_account())
      .attr("amount", amount)
      .attr("reason_code", uint64_t{m.reason_code()})
      .attr("agent", agent.to_string());
  return Status::ok();
}

Status RwaKeeper::transfer(const crypto::Address& from, const v1::MsgTransferFractions& m) {
  auto r = read_asset(state_, m.asset());
  if (auto s = move(*r, from, addr_of(m.to()), m.amount()); !s) return s;
  events_.emit(events::kTransfer)
      .attr("asset", m.asset())
      .attr("from", from.to_string())
      .attr("to", m.to())
      .attr("amount", m.amount());
  return Status::ok();
}

// --- valuation -------------------------------------------------------------------------------

Status RwaKeeper::revalue(const crypto::Address& valuer, const v1::MsgRevalue& m) {
  auto r = read_asset(state_, m.asset());
  auto fee = revaluation_fee(state_, params_, m.appraised_value(), r->currency(), block_.time_ms);
  if (!fee) return fee.status();
  if (fee.value() > 0) {
    ledger::Ledger ledger(state_, events_, locks_);
    if (auto s = ledger.move(addr_of(r->issuer()), treasury_address(), ledger::kNativeAsset,
                             fee.value(), block_.time_ms);
        !s) {
      return s.prefixed("revalue: the issuer pays the fee: ");
    }
  }
  const uint64_t seq = r->revaluations() + 1;
  r->set_revaluations(seq);
  r->set_appraised_value(m.appraised_value());
  r->set_valuer(valuer.to_string());
  r->set_appraisal_hash(m.report_hash());
  r->set_appraisal_height(block_.height);
  put_asset(*r);
  v1::AppraisalRecord a;
  a.set_asset(m.asset());
  a.set_seq(seq);
  a.set_appraised_value(m.appraised_value());
  a.set_currency(r->currency());
  a.set_valuer(r->valuer());
  a.set_report_hash(m.report_hash());
  a.set_fee(fee.value());
  a.set_supply(r->supply());
  a.set_height(block_.height);
  a.set_time_ms(block_.time_ms);
  put_record(state_, keys::appraisal(m.asset(), seq), a);
  events_.emit(events::kRevalued)
      .attr("asset", m.asset())
      .attr("seq", seq)
      .attr("appraised_value", m.appraised_value())
      .attr("currency", r->currency())
      .attr("valuer", r->valuer())
      .attr("fee", fee.value());
  return Status::ok();
}

// --- distributions ---------------------------------------------------------------------------

Status RwaKeeper::deposit_distribution(const crypto::Address& issuer,
                                       const v1::MsgDepositDistribution& m) {
  auto r = read_asset(state_, m.asset());
  ledger::Ledger ledger(state_, events_, locks_);
  if (auto s =
          ledger.move(issuer, distributions_address(), m.pay_asset(), m.amount(), block_.time_ms);
      !s) {
    return s;
  }
  v1::DistributionRecord d;
  d.set_id(next_id("distribution"));
  d.set_asset(m.asset());
  d.set_pay_asset(m.pay_asset());
  d.set_amount(m.amount());
  d.set_record_supply(r->supply());
  d.set_epoch(r->distributions());
  d.set_expiry_ms(saturating_add(block_.time_ms, params_.distribution_expiry_ms()));
  d.set_issuer(r->issuer());
  d.set_height(block_.height);
  d.set_time_ms(block_.time_ms);
  d.set_memo_hash(m.memo_hash());
  put_record(state_, keys::distribution(d.id()), d);
  state_.put(keys::distribution_of(m.asset(), d.id()), "");
  state_.put(keys::distribution_expiry(d.expiry_ms(), d.id()), "");
  // Balance changes from now on are the next epoch's: this one's snapshot is closed.
  r->set_distributions(r->distributions() + 1);
  put_asset(*r);
  events_.emit(events::kDistributionDeposited)
      .attr("distribution_id", d.id())
      .attr("asset", m.asset())
      .attr("pay_asset", m.pay_asset())
      .attr("amount", m.amount())
      .attr("record_supply", d.record_supply())
      .attr("expiry_ms", d.expiry_ms());
  return Status::ok();
}

Status RwaKeeper::pay_claim(v1::DistributionRecord& d, const crypto::Address& holder,
                            const crypto::Address& pay_to, uint64_t record_balance) {
  // floor(record_balance x amount / record_supply): the rounding remainder stays in escrow and
  // returns to the issuer at reclaim (doc/rwa.md "Distributions").
  const auto share = mul_div_floor(record_balance, d.amount(), d.record_supply());
  if (!share) return {errors::kFeeOverflow, "claim: the share overflows"};
  const uint64_t amount = *share;
  if (amount > 0) {
    ledger::Ledger ledger(state_, events_, locks_);
    if (auto s =
            ledger.move(distributions_address(), pay_to, d.pay_asset(), amount, block_.time_ms);
        !s) {
      return s;
    }
  }
  ledger::write_u64(state_, keys::claimed(d.id(), holder), amount);
  d.set_claimed(d.claimed() + amount);
  d.set_claims(d.claims() + 1);
  put_record(state_, keys::distribution(d.id()), d);
  events_.emit(events::kDistributionClaimed)
      .attr("distribution_id", d.id())
      .attr("account", holder.to_string())
      .attr("record_balance", record_balance)
      .attr("amount", amount);
  return Status::ok();
}

Status RwaKeeper::claim_distribution(const crypto::Address& holder, uint64_t id) {
  auto d = ledger::read_record<v1::DistributionRecord>(state_, keys::distribution(id));
  return pay_claim(*d, holder, holder, record_balance(state_, d->asset(), holder, d->epoch()));
}

Status RwaKeeper::reclaim_distribution(uint64_t id) {
  auto d = ledger::read_record<v1::DistributionRecord>(state_, keys::distribution(id));
  const uint64_t rest = d->amount() - d->claimed();
  if (rest > 0) {
    ledger::Ledger ledger(state_, events_, locks_);
    if (auto s = ledger.move(distributions_address(), addr_of(d->issuer()), d->pay_asset(), rest,
                             block_.time_ms);
        !s) {
      return s;
    }
  }
  d->set_reclaimed(true);
  d->set_reclaimed_amount(rest);
  put_record(state_, keys::distribution(id), *d);
  state_.erase(keys::distribution_expiry(d->expiry_ms(), id));
  events_.emit(events::kDistributionReclaimed)
      .attr("distribution_id", id)
      .attr("issuer", d->issuer())
      .attr("amount", rest);
  return Status::ok();
}

void RwaKeeper::end_block() {
  std::vector<uint64_t> due;
  const Bytes pre = keys::distribution_expiries();
  state_.scan(pre, [&](std::string_view key, std::string_view) {
    ledger::KeyReader r(key.substr(pre.size()));
    uint64_t expiry = 0;
    uint64_t id = 0;
    if (!r.u64(expiry) || !r.u64(id) || expiry > block_.time_ms) return false;
    due.push_back(id);
    return due.size() < kReturnsPerBlock;
  });
  for (uint64_t id : due) {
    // The escrow holds every open distribution's rest (an invariant), so this cannot fail; a
    // failure would leave the distribution open for the next block.
    ledger::Overlay sandbox(state_.reader());
    ledger::Events ev;
    RwaKeeper k(sandbox, ev, locks_, block_);
    if (k.reclaim_distribution(id)) {
      sandbox.commit_to(state_);
      events_.append(std::move(ev));
    }
  }
}

// --- redemption ------------------------------------------------------------------------------

Status RwaKeeper::redeem(const crypto::Address& issuer, const v1::MsgRedeemFractions& m) {
  auto r = read_asset(state_, m.asset());
  ledger::Ledger ledger(state_, events_);
  const uint64_t before = ledger.balance(issuer, m.asset());
  if (auto s = ledger.debit(issuer, m.asset(), m.amount()); !s) return s;
  ledger.set_supply(m.asset(), ledger.supply(m.asset()) - m.amount());
  r->set_supply(r->supply() - m.amount());
  r->set_redeemed(r->redeemed() + m.amount());
  holding_changed(*r, issuer, before, before - m.amount());
  put_asset(*r);
  events_.emit(events::kRedeemed)
      .attr("asset", m.asset())
      .attr("amount", m.amount())
      .attr("supply", r->supply());
  return Status::ok();
}

Status RwaKeeper::retire(const crypto::Address& issuer, const v1::MsgRetireAsset& m) {
  auto r = read_asset(state_, m.asset());
  ledger::Ledger ledger(state_, events_);
  const uint64_t amount = r->supply();
  if (auto s = ledger.debit(issuer, m.asset(), amount); !s) return s;
  ledger.set_supply(m.asset(), 0);
  r->set_supply(0);
  r->set_redeemed(r->redeemed() + amount);
  r->set_retired(true);
  holding_changed(*r, issuer, amount, 0);
  state_.erase(keys::freeze(m.asset(), issuer));
  put_asset(*r);
  events_.emit(events::kRetired)
      .attr("asset", m.asset())
      .attr("amount", amount)
      .attr("reason_code", uint64_t{m.reason_code()});
  return Status::ok();
}

}  // namespace btt::modules::rwa

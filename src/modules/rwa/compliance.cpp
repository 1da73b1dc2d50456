// The compliance check (doc/rwa.md "Compliance"): one function judges every movement of
// fractions and names the rule that refuses it.
#include <algorithm>

#include "btt/common/checked.h"
#include "btt/modules/rwa/errors.h"
#include "btt/modules/rwa/rwa.h"
#include "keeper.h"
#include "keys.h"
#include "market.h"

namespace btt::modules::rwa {
namespace {

bool listed(const google::protobuf::RepeatedPtrField<std::string>& list, const std::string& c) {
  return std::find(list.begin(), list.end(), c) != list.end();
}

Status holder_ok(const ledger::StateReader& state, const v1::RwaAssetRecord& r,
                 const crypto::Address& account, uint64_t time_ms) {
  // The asset's own treasury and the module's accounts (pools, escrow).
  if (account.to_string() == r.issuer() || is_module_account(account)) return Status::ok();
  const auto& rules = r.rules();
  const bool needs_claim = rules.require_kyc() || rules.require_accredited() ||
                           rules.allow_countries_size() > 0 || rules.deny_countries_size() > 0;
  if (!needs_claim) return Status::ok();
  const std::string who = account.to_string();
  auto c = ledger::read_record<v1::ClaimRecord>(state, keys::claim(account));
  if (!c) {
    return {errors::kKycRequired, r.asset() + ": " + who + " has no identity claim"};
  }
  if (c->expiry_ms() <= time_ms) {
    return {errors::kClaimExpired,
            r.asset() + ": " + who + "'s claim expired at " + std::to_string(c->expiry_ms())};
  }
  if (rules.require_kyc() && !c->kyc()) {
    return {errors::kKycRequired, r.asset() + ": " + who + " has not passed KYC"};
  }
  if (rules.require_accredited() && !c->accredited()) {
    return {errors::kAccreditedRequired, r.asset() + ": " + who + " is not an accredited investor"};
  }
  if (rules.allow_countries_size() > 0 && !listed(rules.allow_countries(), c->country())) {
    return {errors::kCountryNotAllowed,
            r.asset() + ": " + who + "'s country '" + c->country() + "' is not on the allow list"};
  }
  if (listed(rules.deny_countries(), c->country())) {
    return {errors::kCountryDenied,
            r.asset() + ": " + who + "'s country '" + c->country() + "' is denied"};
  }
  return Status::ok();
}

}  // namespace

std::string asset_id(std::string_view symbol) {
  return std::string(kAssetPrefix) + std::string(symbol);
}

bool is_rwa_asset(std::string_view asset) {
  return asset.starts_with(kAssetPrefix);
}

uint64_t frozen_fractions(const ledger::StateReader& state, std::string_view asset,
                          const crypto::Address& account) {
  auto f = ledger::read_record<v1::RwaFreezeRecord>(state, keys::freeze(asset, account));
  if (!f) return 0;
  const uint64_t balance = ledger::Ledger(state).balance(account, asset);
  return f->whole() ? balance : std::min(balance, f->amount());
}

uint64_t free_fractions(const ledger::StateReader& state, std::string_view asset,
                        const crypto::Address& account) {
  const uint64_t held = frozen_fractions(state, asset, account) + on_book(state, asset, account);
  const uint64_t balance = ledger::Ledger(state).balance(account, asset);
  return balance > held ? balance - held : 0;
}

Status check_holder(const ledger::StateReader& state, std::string_view asset,
                    const crypto::Address& account, uint64_t time_ms) {
  auto r = read_asset(state, asset);
  if (!r) return {errors::kUnknownAsset, "no rwa asset " + excerpt(asset)};
  return holder_ok(state, *r, account, time_ms);
}

Status check_transfer(const ledger::StateReader& state, std::string_view asset,
                      const crypto::Address& from, const crypto::Address& to, uint64_t amount,
                      uint64_t time_ms, Movement movement) {
  auto r = read_asset(state, asset);
  if (!r) return {errors::kUnknownAsset, "no rwa asset " + excerpt(asset)};
  if (r->retired()) return {errors::kRetired, r->asset() + " is retired"};
  if (movement == Movement::kDistribution) return holder_ok(state, *r, to, time_ms);
  const ledger::Ledger ledger(state);
  const uint64_t from_balance = ledger.balance(from, asset);
  if (from_balance < amount) {
    return {errors::kInsufficientFractions, from.to_string() + " holds " +
                                                std::to_string(from_balance) + " " + r->asset() +
                                                ", not " + std::to_string(amount)};
  }
  const bool from_issuer = from.to_string() == r->issuer() || is_module_account(from);
  const bool to_issuer = to.to_string() == r->issuer() || is_module_account(to);
  if (movement == Movement::kTransfer || movement == Movement::kFill) {
    if (r->paused()) return {errors::kPaused, r->asset() + " is paused"};
    if (!from_issuer && time_ms < r->rules().lockup_until_ms()) {
      return {errors::kLockup, r->asset() + " is locked up until block time " +
                                   std::to_string(r->rules().lockup_until_ms())};
    }
    const uint64_t frozen = frozen_fractions(state, asset, from);
    if (from_balance - frozen < amount) {
      return {errors::kFrozen, from.to_string() + " has " + std::to_string(frozen) + " of its " +
                                   std::to_string(from_balance) + " " + r->asset() + " frozen"};
    }
    if (movement == Movement::kTransfer) {
      const uint64_t listed = on_book(state, asset, from);
      const uint64_t free = from_balance - frozen - std::min(listed, from_balance - frozen);
      if (free < amount) {
        return {errors::kInsufficientFractions,
                from.to_string() + " has " + std::to_string(listed) + " " + r->asset() +
                    " in resting sell orders; " + std::to_string(free) + " are free"};
      }
    }
  }
  if (auto s = holder_ok(state, *r, to, time_ms); !s) return s;
  if (from == to) return Status::ok();
  const uint64_t to_balance = ledger.balance(to, asset);
  if (!to_issuer && r->rules().max_holding() > 0 &&
      checked_add(to_balance, amount).value_or(UINT64_MAX) > r->rules().max_holding()) {
    return {errors::kMaxHolding,
            to.to_string() + " would hold " + std::to_string(to_balance + amount) + " " +
                r->asset() + ", above max_holding " + std::to_string(r->rules().max_holding())};
  }
  if (r->rules().max_holders() > 0 && amount > 0) {
    const bool joins = !to_issuer && to_balance == 0;
    const bool leaves = !from_issuer && from_balance == amount;
    if (joins && !leaves && r->holders() + 1 > r->rules().max_holders()) {
      return {errors::kMaxHolders, r->asset() + " has " + std::to_string(r->holders()) +
                                       " holders, max_holders " +
                                       std::to_string(r->rules().max_holders())};
    }
  }
  return Status::ok();
}

}  // namespace btt::modules::rwa

// RWA handlers, one per message (doc/rwa.md "Messages"). Check refuses malformed fields;
// preclaim what the state decides (roles, agents, records, compliance, fees, funds); the keeper
// writes. The exchange's messages (fields 160..166) are at the end (doc/rwa-exchange.md).
#include "handlers.h"

#include "btt/common/amount.h"
#include "btt/common/checked.h"
#include "btt/ledger/field_checks.h"
#include "btt/ledger/ledger.h"
#include "btt/modules/oracle/oracle.h"
#include "btt/modules/payfi/view.h"
#include "btt/modules/roles/roles.h"
#include "btt/modules/rwa/errors.h"
#include "btt/modules/rwa/rwa.h"
#include "btt/modules/rwa/view.h"
#include "keeper.h"
#include "keys.h"
#include "market.h"
#include "module.h"

namespace btt::modules::rwa {
namespace {

using ledger::MsgContext;
using ledger::ReadContext;

constexpr size_t kMaxName = 64;
constexpr size_t kMaxUri = 256;
constexpr size_t kMaxSymbol = 16;

Status bad(const std::string& what) {
  return {errors::kBadField, what};
}

Status check_address(const std::string& text, const std::string& what) {
  return ledger::check_address_field(text, what, errors::kBadAddress);
}

Status check_rwa_asset(const std::string& asset, const std::string& what) {
  if (!is_rwa_asset(asset) || !ledger::is_valid_asset_name(asset)) {
    return {Code::kInvalidAsset, what + ": '" + excerpt(asset) + "' is not an rwa asset name"};
  }
  return Status::ok();
}

Status check_amount(uint64_t amount, const std::string& what) {
  if (amount == 0) return {errors::kZeroAmount, what + ": amount must be positive"};
  return Status::ok();
}

Status check_hash(const std::string& h, const std::string& what, bool required) {
  return ledger::check_hash32_field(h, what, required, errors::kBadField);
}

Status check_reason(uint32_t reason, const std::string& what) {
  if (reason == 0) return bad(what + ": reason_code must be positive (doc/rwa.md)");
  return Status::ok();
}

bool country_ok(const std::string& c) {
  return c.size() == 2 && c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' && c[1] <= 'Z';
}

Status check_rules(const v1::TransferRules& r, const std::string& what) {
  for (const auto& list : {&r.allow_countries(), &r.deny_countries()}) {
    for (const auto& c : *list) {
      if (!country_ok(c)) {
        return bad(what + ": country '" + excerpt(c) + "' is not an ISO 3166 alpha-2 code");
      }
    }
  }
  return Status::ok();
}

Status require_enabled(const ReadContext& ctx, const std::string& what) {
  if (!enabled(ctx.state)) {
    return {errors::kNotEnabled, what + ": RWA is not enabled on this chain (no genesis section)"};
  }
  return Status::ok();
}

Status require_country_limit(const ReadContext& ctx, const v1::TransferRules& r,
                             const std::string& what) {
  const uint32_t max = params_spec().get(ctx.state).max_countries();
  if (static_cast<uint32_t>(r.allow_countries_size()) > max ||
      static_cast<uint32_t>(r.deny_countries_size()) > max) {
    return {errors::kTooManyCountries,
            what + ": a country list holds at most max_countries (" + std::to_string(max) + ")"};
  }
  return Status::ok();
}

// The asset, live (not retired), and the sender its issuer when `issuer_only`.
Result<v1::RwaAssetRecord> require_asset(const ReadContext& ctx, const std::string& asset,
                                         const std::string& what, bool issuer_only) {
  if (auto s = require_enabled(ctx, what); !s) return s;
  auto r = read_asset(ctx.state, asset);
  if (!r) return Status{errors::kUnknownAsset, what + ": no rwa asset " + asset};
  if (r->retired()) return Status{errors::kRetired, what + ": " + asset + " is retired"};
  if (issuer_only && r->issuer() != ctx.sender.to_string()) {
    return Status{errors::kNotIssuer,
                  what + ": " + asset + " is issued by " + r->issuer() + ", not the sender"};
  }
  return *r;
}

enum class AgentRole { kFreeze, kForce, kRecover, kPause };

bool has_agent_role(const ledger::StateReader& state, const std::string& asset,
                    const crypto::Address& who, AgentRole role) {
  auto a = ledger::read_record<v1::AgentRecord>(state, keys::agent(asset, who));
  if (!a) return false;
  switch (role) {
    case AgentRole::kFreeze:
      return a->freeze();
    case AgentRole::kForce:
      return a->force();
    case AgentRole::kRecover:
      return a->recover();
    case AgentRole::kPause:
      return a->pause();
  }
  return false;
}

Status require_agent(const ReadContext& ctx, const std::string& asset, AgentRole role,
                     const char* role_name, const std::string& what) {
  if (!has_agent_role(ctx.state, asset, ctx.sender, role)) {
    return {errors::kNotAgent, what + ": the sender is not a " + role_name + " agent of " + asset};
  }
  return Status::ok();
}

crypto::Address parse(const std::string& text) {
  return *crypto::Address::parse(text);
}

RwaKeeper keeper(MsgContext& ctx) {
  return RwaKeeper(ctx.state, ctx.events, ctx.locks, ctx.block);
}

// --- identity ------------------------------------------------------------------------------

class SetClaimHandler final : public ledger::Handler<v1::MsgSetClaim> {
 protected:
  Status check(const v1::MsgSetClaim& m, const v1::LedgerParams&) const override {
    if (auto s = check_address(m.account(), "set_claim.account"); !s) return s;
    if (!m.country().empty() && !country_ok(m.country())) {
      return bad("set_claim.country must be empty or an ISO 3166 alpha-2 code (\"DE\")");
    }
    if (m.expiry_ms() == 0) return bad("set_claim: expiry_ms is required");
    return check_hash(m.record_hash(), "set_claim.record_hash", true);
  }
  Status preclaim(const v1::MsgSetClaim& m, const ReadContext& ctx) const override {
    if (auto s = require_enabled(ctx, "set_claim"); !s) return s;
    if (!roles::has_role(ctx.state, roles::kKycAttester, ctx.sender)) {
      return {errors::kNotAttester, "set_claim: the sender does not hold the kyc_attester role"};
    }
    if (m.expiry_ms() <= ctx.block.time_ms) {
      return {errors::kClaimExpired, "set_claim: expiry_ms must be after the block time"};
    }
    return Status::ok();
  }
  Status apply(const v1::MsgSetClaim& m, MsgContext& ctx) const override {
    keeper(ctx).set_claim(ctx.sender, m);
    return Status::ok();
  }
};

class RevokeClaimHandler final : public ledger::Handler<v1::MsgRevokeClaim> {
 protected:
  Status check(const v1::MsgRevokeClaim& m, const v1::LedgerParams&) const override {
    if (auto s = check_address(m.account(), "revoke_claim.account"); !s) return s;
    return check_reason(m.reason_code(), "revoke_claim");
  }
  Status preclaim(const v1::MsgRevokeClaim& m, const ReadContext& ctx) const override {
    if (auto s = require_enabled(ctx, "revoke_claim"); !s) return s;
    if (!roles::has_role(ctx.state, roles::kKycAttester, ctx.sender)) {
      return {errors::kNotAttester, "revoke_claim: the sender does not hold the kyc_attester role"};
    }
    if (!ctx.state.get(keys::claim(parse(m.account())))) {
      return {errors::kNoClaim, "revoke_claim: " + m.account() + " has no claim"};
    }
    return Status::ok();
  }
  Status apply(const v1::MsgRevokeClaim& m, MsgContext& ctx) const override {
    keeper(ctx).revoke_claim(ctx.sender, m);
    return Status::ok();
  }
};

// --- issuance ------------------------------------------------------------------------------

bool symbol_ok(const std::string& s) {
  if (s.size() < 2 || s.size() > kMaxSymbol) return false;
  for (char c : s) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  }
  return s[0] >= 'A' && s[0] <= 'Z';
}

class RegisterAssetHandler final : public ledger::Handler<v1::MsgRegisterRwaAsset> {
 protected:
  Status check(const v1::MsgRegisterRwaAsset& m, const v1::LedgerParams&) const override {
    const std::string w = "register_rwa_asset";
    if (m.asset_class() == v1::RWA_ASSET_CLASS_UNSPECIFIED ||
        !v1::RwaAssetClass_IsValid(m.asset_class())) {
      return bad(w + ": asset_class is required");
    }
    if (m.name().empty() || m.name().size() > kMaxName)
      return bad(w + ": name must be 1..64 bytes");
    if (!symbol_ok(m.symbol())) return bad(w + ": symbol must be [A-Z][A-Z0-9]{1,15}");
    if (auto s = check_amount(m.total_fractions(), w + ".total_fractions"); !s) return s;
    if (m.tier() < 1 || m.tier() > 3) return bad(w + ": tier must be 1, 2 or 3");
    if (auto s = check_amount(m.appraised_value(), w + ".appraised_value"); !s) return s;
    if (m.currency() != ledger::kNativeAsset &&
        !oracle::is_valid_pair(m.currency(), ledger::kNativeAsset)) {
      return {Code::kInvalidAsset,
              w + ": currency '" + excerpt(m.currency()) + "' is not an asset name"};
    }
    if (auto s = check_address(m.valuer(), w + ".valuer"); !s) return s;
    if (auto s = check_hash(m.appraisal_hash(), w + ".appraisal_hash", true); !s) return s;
    return check_rules(m.rules(), w + ".rules");
  }
  Status preclaim(const v1::MsgRegisterRwaAsset& m, const ReadContext& ctx) const override {
    const std::string w = "register_rwa_asset";
    if (auto s = require_enabled(ctx, w); !s) return s;
    const auto p = params_spec().get(ctx.state);
    // The issuer is a verified account: a KYC claim in force.
    auto c = ledger::read_record<v1::ClaimRecord>(ctx.state, keys::claim(ctx.sender));
    if (!c || !c->kyc()) {
      return {errors::kKycRequired, w + ": the issuer needs a KYC claim"};
    }
    if (c->expiry_ms() <= ctx.block.time_ms) {
      return {errors::kClaimExpired, w + ": the issuer's claim has expired"};
    }
    if (m.total_fractions() > p.max_total_fractions()) {
      return {errors::kTooManyFractions, w + ": total_fractions above max_total_fractions (" +
                                             std::to_string(p.max_total_fractions()) + ")"};
    }
    if (auto s = require_country_limit(ctx, m.rules(), w); !s) return s;
    const std::string asset = asset_id(m.symbol());
    if (ctx.ledger().asset(asset) || read_asset(ctx.state, asset)) {
      return {errors::kAssetExists, w + ": asset " + asset + " exists"};
    }
    if (!roles::has_role(ctx.state, roles::kAssetValuer, parse(m.valuer()))) {
      return {errors::kNotValuer, w + ": " + m.valuer() + " does not hold the asset_valuer role"};
    }
    auto fee = mint_fee(ctx.state, p, m, ctx.block.time_ms);
    if (!fee) return fee.status().prefixed(w + ": ");
    return ledger::require_spendable(ctx.ledger(), ctx.sender, ledger::kNativeAsset,
                                     fee.value().total(), ctx.block.time_ms);
  }
  Status apply(const v1::MsgRegisterRwaAsset& m, MsgContext& ctx) const override {
    return keeper(ctx).register_asset(ctx.sender, m);
  }
};

class SetRulesHandler final : public ledger::Handler<v1::MsgSetTransferRules> {
 protected:
  Status check(const v1::MsgSetTransferRules& m, const v1::LedgerParams&) const override {
    if (auto s = check_rwa_asset(m.asset(), "set_transfer_rules"); !s) return s;
    return check_rules(m.rules(), "set_transfer_rules.rules");
  }
  Status preclaim(const v1::MsgSetTransferRules& m, const ReadContext& ctx) const override {
    auto r = require_asset(ctx, m.asset(), "set_transfer_rules", true);
    if (!r) return r.status();
    return require_country_limit(ctx, m.rules(), "set_transfer_rules");
  }
  Status apply(const v1::MsgSetTransferRules& m, MsgContext& ctx) const override {
    keeper(ctx).set_rules(m);
    return Status::ok();
  }
};

class SetDocumentHandler final : public ledger::Handler<v1::MsgSetDocument> {
 protected:
  Status check(const v1::MsgSetDocument& m, const v1::LedgerParams&) const override {
    if (auto s = check_rwa_asset(m.asset(), "set_document"); !s) return s;
    if (m.name().empty() || m.name().size() > kMaxName) {
      return bad("set_document: name must be 1..64 bytes");
    }
    if (m.remove()) return Status::ok();
    if (m.uri().empty() || m.uri().size() > kMaxUri) {
      return bad("set_document: uri must be 1..256 bytes");
    }
    return check_hash(m.hash(), "set_document.hash", true);
  }
  Status preclaim(const v1::MsgSetDocument& m, const ReadContext& ctx) const override {
    auto r = require_asset(ctx, m.asset(), "set_document", true);
    if (!r) return r.status();
    auto d =
        ledger::read_record<v1::DocumentRecord>(ctx.state, keys::document(m.asset(), m.name()));
    const bool live = d && !d->removed();
    if (m.remove()) {
      if (!live) {
        return {errors::kNoDocument,
                "set_document: " + m.asset() + " has no document '" + m.name() + "'"};
      }
      return Status::ok();
    }
    if (!live) {
      const uint32_t max = params_spec().get(ctx.state).max_documents();
      if (RwaView(ctx.state).documents(m.asset(), false).size() >= max) {
        return {errors::kTooManyDocuments, "set_document: " + m.asset() + " has max_documents (" +
                                               std::to_string(max) + ") documents"};
      }
    }
    return Status::ok();
  }
  Status apply(const v1::MsgSetDocument& m, MsgContext& ctx) const override {
    keeper(ctx).set_document(m);
    return Status::ok();
  }
};

class SetAgentHandler final : public ledger::Handler<v1::MsgSetAgent> {
 protected:
  Status check(const v1::MsgSetAgent& m, const v1::LedgerParams&) const override {
    if (auto s = check_rwa_asset(m.asset(), "set_agent"); !s) return s;
    return check_address(m.agent(), "set_agent.agent");
  }
  Status preclaim(const v1::MsgSetAgent& m, const ReadContext& ctx) const override {
    auto r = require_asset(ctx, m.asset(), "set_agent", true);
    if (!r) return r.status();
    const bool none = !m.freeze() && !m.force() && !m.recover() && !m.pause();
    if (none && !ctx.state.get(keys::agent(m.asset(), parse(m.agent())))) {
      return {errors::kNoChange, "set_agent: " + m.agent() + " is no agent of " + m.asset()};
    }
    return Status::ok();
  }
  Status apply(const v1::MsgSetAgent& m, MsgContext& ctx) const override {
    keeper(ctx).set_agent(m);
    return Status::ok();
  }
};

class SetPausedHandler final : public ledger::Handler<v1::MsgSetAssetPaused> {
 protected:
  Status check(const v1::MsgSetAssetPaused& m, const v1::LedgerParams&) const override {
    return check_rwa_asset(m.asset(), "set_asset_paused");
  }
  Status preclaim(const v1::MsgSetAssetPaused& m, const ReadContext& ctx) const override {
    auto r = require_asset(ctx, m.asset(), "set_asset_paused", false);
    if (!r) return r.status();
    if (auto s = require_agent(ctx, m.asset(), AgentRole::kPause, "pause", "set_asset_paused");
        !s) {
      return s;
    }
    if (r.value().paused() == m.paused()) {
      return {errors::kNoChange, "set_asset_paused: " + m.asset() + " is " +
                                     (m.paused() ? "paused" : "not paused") + " already"};
    }
    return Status::ok();
  }
  Status apply(const v1::MsgSetAssetPaused& m, MsgContext& ctx) const override {
    keeper(ctx).set_paused(ctx.sender, m);
    return Status::ok();
  }
};

// --- agent controls --------------------------------------------------------------------------

class FreezeHandler final : public ledger::Handler<v1::MsgFreezeFractions> {
 protected:
  Status check(const v1::MsgFreezeFractions& m, const v1::LedgerParams&) const override {
    if (auto s = check_rwa_asset(m.asset(), "freeze_fractions"); !s) return s;
    if (auto s = check_address(m.account(), "freeze_fractions.account"); !s) return s;
    return check_reason(m.reason_code(), "freeze_fractions");
  }
  Status preclaim(const v1::MsgFreezeFractions& m, const ReadContext& ctx) const override {
    auto r = require_asset(ctx, m.asset(), "freeze_fractions", false);
    if (!r) return r.status();
    if (auto s = require_agent(ctx, m.asset(), AgentRole::kFreeze, "freeze", "freeze_fractions");
        !s) {
      return s;
    }
    const auto who = parse(m.account());
    auto f = ledger::read_record<v1::RwaFreezeRecord>(ctx.state, keys::freeze(m.asset(), who));
    if (f && f->whole()) {
      return {errors::kNoChange,
              "freeze_fractions: " + m.account() + "'s " + m.asset() + " is wholly frozen already"};
    }
    if (m.amount() > 0) {
      const uint64_t balance = ctx.ledger().balance(who, m.asset());
      const uint64_t frozen = f ? f->amount() : 0;
      if (frozen + m.amount() > balance || frozen + m.amount() < frozen) {
        return {errors::kFreezeExceeds, "freeze_fractions: " + m.account() + " holds " +
                                            std::to_string(balance) + ", " +
                                            std::to_string(frozen) + " frozen already"};
      }
    }
    return Status::ok();
  }
  Status apply(const v1::MsgFreezeFractions& m, MsgContext& ctx) const override {
    keeper(ctx).freeze(ctx.sender, m);
    return Status::ok();
  }
};

class UnfreezeHandler final : public ledger::Handler<v1::MsgUnfreezeFractions> {
 protected:
  Status check(const v1::MsgUnfreezeFractions& m, const v1::LedgerParams&) const override {
    if (auto s = check_rwa_asset(m.asset(), "unfreeze_fractions"); !s) return s;
    if (auto s = check_address(m.account(), "unfreeze_fractions.account"); !s) return s;
    return check_reason(m.reason_code(), "unfreeze_fractions");
  }
  Status preclaim(const v1::MsgUnfreezeFractions& m, const ReadContext& ctx) const override {
    auto r = require_asset(ctx, m.asset(), "unfreeze_fractions", false);
    if (!r) return r.status();
    if (auto s = require_agent(ctx, m.asset(), AgentRole::kFreeze, "freeze", "unfreeze_fractions");
        !s) {
      return s;
    }
    auto f = ledger::read_record<v1::RwaFreezeRecord>(ctx.state,
                                                      keys::freeze(m.asset(), parse(m.account())));
    if (!f) {
      return {errors::kNotFrozen,
              "unfreeze_fractions: " + m.account() + "'s " + m.asset() + " is not frozen"};
    }
    if (m.amount() > 0 && (f->whole() || m.amount() > f->amount())) {
      return {errors::kFreezeExceeds,
              "unfreeze_fractions: " +
                  std::string(f->whole() ? "a whole freeze is lifted whole "
                                           "(amount 0)"
                                         : "only " + std::to_string(f->amount()) + " are frozen")};
    }
    return Status::ok();
  }
  Status apply(const v1::MsgUnfreezeFractions& m, MsgContext& ctx) const override {
    keeper(ctx).unfreeze(ctx.sender, m);
    return Status::ok();
  }
};

class ForcedTransferHandler final : public ledger::Handler<v1::MsgForcedTransfer> {
 protected:
  Status check(const v1::MsgForcedTransfer& m, const v1::LedgerParams&) const override {
    if (auto s = check_rwa_asset(m.asset(), "forced_transfer"); !s) return s;
    if (auto s = check_address(m.from(), "forced_transfer.from"); !s) return s;
    if (auto s = check_address(m.to(), "forced_transfer.to"); !s) return s;
    if (auto s = check_amount(m.amount(), "forced_transfer"); !s) return s;
    return check_reason(m.reason_code(), "forced_transfer");
  }
  Status preclaim(const v1::MsgForcedTransfer& m, const ReadContext& ctx) const override {
    auto r = require_asset(ctx, m.asset(), "forced_transfer", false);
    if (!r) return r.status();
    if (auto s = require_agent(ctx, m.asset(), AgentRole::kForce, "force", "forced_transfer"); !s) {
      return s;
    }
    // A forced transfer to oneself would only unfreeze (ethereum/ERCs #1778): refused.
    if (m.from() == m.to()) {
      return {errors::kSelfTransfer, "forced_transfer: from and to are the same account"};
    }
    const auto from = parse(m.from());
    // The receiver's identity and the holding limits still hold (T-REX #240).
    if (auto s = check_transfer(ctx.state, m.asset(), from, parse(m.to()), m.amount(),
                                ctx.block.time_ms, Movement::kForced);
        !s) {
      return s.prefixed("forced_transfer: ");
    }
    if (m.amount() > free_fractions(ctx.state, m.asset(), from) &&
        !has_agent_role(ctx.state, m.asset(), ctx.sender, AgentRole::kFreeze)) {
      return {errors::kFrozen, "forced_transfer: it would move frozen fractions of " + m.from() +
                                   " and the sender is not a freeze agent"};
    }
    return Status::ok();
  }
  Status apply(const v1::MsgForcedTransfer& m, MsgContext& ctx) const override {
    const bool move_frozen = has_agent_role(ctx.state, m.asset(), ctx.sender, AgentRole::kFreeze);
    return keeper(ctx).forced_transfer(ctx.sender, m, move_frozen);
  }
};

class RecoverHandler final : public ledger::Handler<v1::MsgRecoverFractions> {
 protected:
  Status check(const v1::MsgRecoverFractions& m, const v1::LedgerParams&) const override {
    if (auto s = check_rwa_asset(m.asset(), "recover_fractions"); !s) return s;
    if (auto s = check_address(m.lost_account(), "recover_fractions.lost_account"); !s) return s;
    if (auto s = check_address(m.new_account(), "recover_fractions.new_account"); !s) return s;
    return check_reason(m.reason_code(), "recover_fractions");
  }
  Status preclaim(const v1::MsgRecoverFractions& m, const ReadContext& ctx) const override {
    auto r = require_asset(ctx, m.asset(), "recover_fractions", false);
    if (!r) return r.status();
    if (auto s = require_agent(ctx, m.asset(), AgentRole::kRecover, "recover", "recover_fractions");
        !s) {
      return s;
    }
    if (m.lost_account() == m.new_account()) {
      return {errors::kSelfTransfer, "recover_fractions: the lost and new accounts are the same"};
    }
    const auto lost = parse(m.lost_account());
    const uint64_t balance = ctx.ledger().balance(lost, m.asset());
    if (balance == 0) {
      return {errors::kNothingToRecover,
              "recover_fractions: " + m.lost_account() + " holds no " + m.asset()};
    }
    if (auto s = check_transfer(ctx.state, m.asset(), lost, parse(m.new_account()), balance,
                                ctx.block.time_ms, Movement::kForced);
        !s) {
      return s.prefixed("recover_fractions: ");
    }
    return Status::ok();
  }
  Status apply(const v1::MsgRecoverFractions& m, MsgContext& ctx) const override {
    return keeper(ctx).recover(ctx.sender, m);
  }
};

class TransferHandler final : public ledger::Handler<v1::MsgTransferFractions> {
 protected:
  Status check(const v1::MsgTransferFractions& m, const v1::LedgerParams&) const override {
    if (auto s = check_rwa_asset(m.asset(), "transfer_fractions"); !s) return s;
    if (auto s = check_address(m.to(), "transfer_fractions.to"); !s) return s;
    return check_amount(m.amount(), "transfer_fractions");
  }
  Status preclaim(const v1::MsgTransferFractions& m, const ReadContext& ctx) const override {
    if (auto s = require_enabled(ctx, "transfer_fractions"); !s) return s;
    const auto to = parse(m.to());
    if (to == ctx.sender) {
      return {errors::kSelfTransfer, "transfer_fractions: the sender is the receiver"};
    }
    if (auto s =
            check_transfer(ctx.state, m.asset(), ctx.sender, to, m.amount(), ctx.block.time_ms);
        !s) {
      return s.prefixed("transfer_fractions: ");
    }
    return Status::ok();
  }
  Status apply(const v1::MsgTransferFractions& m, MsgContext& ctx) const override {
    return keeper(ctx).transfer(ctx.sender, m);
  }
};

// --- valuation -------------------------------------------------------------------------------

class RevalueHandler final : public ledger::Handler<v1::MsgRevalue> {
 protected:
  Status check(const v1::MsgRevalue& m, const v1::LedgerParams&) const override {
    if (auto s = check_rwa_asset(m.asset(), "revalue"); !s) return s;
    if (auto s = check_amount(m.appraised_value(), "revalue.appraised_value"); !s) return s;
    return check_hash(m.report_hash(), "revalue.report_hash", true);
  }
  Status preclaim(const v1::MsgRevalue& m, const ReadContext& ctx) const override {
    auto r = require_asset(ctx, m.asset(), "revalue", false);
    if (!r) return r.status();
    if (!roles::has_role(ctx.state, roles::kAssetValuer, ctx.sender)) {
      return {errors::kNotValuer, "revalue: the sender does not hold the asset_valuer role"};
    }
    auto fee = revaluation_fee(ctx.state, params_spec().get(ctx.state), m.appraised_value(),
                               r.value().currency(), ctx.block.time_ms);
    if (!fee) return fee.status().prefixed("revalue: ");
    if (auto s = ledger::require_spendable(ctx.ledger(), parse(r.value().issuer()),
                                           ledger::kNativeAsset, fee.value(), ctx.block.time_ms);
        !s) {
      return s.prefixed("revalue: the issuer pays the fee: ");
    }
    return Status::ok();
  }
  Status apply(const v1::MsgRevalue& m, MsgContext& ctx) const override {
    return keeper(ctx).revalue(ctx.sender, m);
  }
};

// --- distributions ---------------------------------------------------------------------------

class DepositDistributionHandler final : public ledger::Handler<v1::MsgDepositDistribution> {
 protected:
  Status check(const v1::MsgDepositDistribution& m, const v1::LedgerParams&) const override {
    if (auto s = check_rwa_asset(m.asset(), "deposit_distribution"); !s) return s;
    if (!ledger::is_valid_asset_name(m.pay_asset())) {
      return {Code::kInvalidAsset, "deposit_distribution: pay_asset '" + excerpt(m.pay_asset()) +
                                       "' is not an asset name"};
    }
    if (auto s = check_amount(m.amount(), "deposit_distribution"); !s) return s;
    return check_hash(m.memo_hash(), "deposit_distribution.memo_hash", false);
  }
  Status preclaim(const v1::MsgDepositDistribution& m, const ReadContext& ctx) const override {
    auto r = require_asset(ctx, m.asset(), "deposit_distribution", true);
    if (!r) return r.status();
    if (m.pay_asset() != ledger::kNativeAsset &&
        !payfi::PayFiView(ctx.state).asset(m.pay_asset())) {
      return {errors::kBadPayAsset,
              "deposit_distribution: " + m.pay_asset() + " is neither BTT nor a payment asset"};
    }
    return ledger::require_spendable(ctx.ledger(), ctx.sender, m.pay_asset(), m.amount(),
                                     ctx.block.time_ms);
  }
  Status apply(const v1::MsgDepositDistribution& m, MsgContext& ctx) const override {
    return keeper(ctx).deposit_distribution(ctx.sender, m);
  }
};

Result<v1::DistributionRecord> require_distribution(const ReadContext& ctx, uint64_t id,
                                                    const std::string& what) {
  if (auto s = require_enabled(ctx, what); !s) return s;
  auto d = RwaView(ctx.state).distribution(id);
  if (!d) return Status{errors::kNoDistribution, what + ": no distribution " + std::to_string(id)};
  if (d->reclaimed()) {
    return Status{errors::kAlreadyReclaimed,
                  what + ": distribution " + std::to_string(id) + " was reclaimed"};
  }
  return *d;
}

class ClaimDistributionHandler final : public ledger::Handler<v1::MsgClaimDistribution> {
 protected:
  Status check(const v1::MsgClaimDistribution& m, const v1::LedgerParams&) const override {
    if (m.distribution_id() == 0) return bad("claim_distribution: distribution_id is required");
    return Status::ok();
  }
  Status preclaim(const v1::MsgClaimDistribution& m, const ReadContext& ctx) const override {
    auto d = require_distribution(ctx, m.distribution_id(), "claim_distribution");
    if (!d) return d.status();
    if (ctx.block.time_ms >= d.value().expiry_ms()) {
      return {errors::kDistributionExpired,
              "claim_distribution: claims closed at " + std::to_string(d.value().expiry_ms())};
    }
    const RwaView view(ctx.state);
    if (view.claimed(m.distribution_id(), ctx.sender)) {
      return {errors::kAlreadyClaimed, "claim_distribution: claimed already"};
    }
    if (view.record_balance(d.value(), ctx.sender) == 0) {
      return {errors::kNothingToClaim,
              "claim_distribution: the sender held no " + d.value().asset() + " at the record"};
    }
    if (auto s = check_transfer(ctx.state, d.value().asset(), ctx.sender, ctx.sender, 0,
                                ctx.block.time_ms, Movement::kDistribution);
        !s) {
      return s.prefixed("claim_distribution: ");
    }
    return Status::ok();
  }
  Status apply(const v1::MsgClaimDistribution& m, MsgContext& ctx) const override {
    return keeper(ctx).claim_distribution(ctx.sender, m.distribution_id());
  }
};

class ReclaimDistributionHandler final : public ledger::Handler<v1::MsgReclaimDistribution> {
 protected:
  Status check(const v1::MsgReclaimDistribution& m, const v1::LedgerParams&) const override {
    if (m.distribution_id() == 0) return bad("reclaim_distribution: distribution_id is required");
    return Status::ok();
  }
  Status preclaim(const v1::MsgReclaimDistribution& m, const ReadContext& ctx) const override {
    auto d = require_distribution(ctx, m.distribution_id(), "reclaim_distribution");
    if (!d) return d.status();
    if (d.value().issuer() != ctx.sender.to_string()) {
      return {errors::kNotIssuer,
              "reclaim_distribution: only the issuer " + d.value().issuer() + " reclaims"};
    }
    if (ctx.block.time_ms < d.value().expiry_ms()) {
      return {errors::kNotExpired, "reclaim_distribution: claims are open until " +
                                       std::to_string(d.value().expiry_ms())};
    }
    return Status::ok();
  }
  Status apply(const v1::MsgReclaimDistribution& m, MsgContext& ctx) const override {
    return keeper(ctx).reclaim_distribution(m.distribution_id());
  }
};

// --- redemption ------------------------------------------------------------------------------

class RedeemHandler final : public ledger::Handler<v1::MsgRedeemFractions> {
 protected:
  Status check(const v1::MsgRedeemFractions& m, const v1::LedgerParams&) const override {
    if (auto s = check_rwa_asset(m.asset(), "redeem_fractions"); !s) return s;
    return check_amount(m.amount(), "redeem_fractions");
  }
  Status preclaim(const v1::MsgRedeemFractions& m, const ReadContext& ctx) const override {
    auto r = require_asset(ctx, m.asset(), "redeem_fractions", true);
    if (!r) return r.status();
    if (m.amount() >= r.value().supply()) {
      return {errors::kWholeSupply, "redeem_fractions: redeeming every fraction is retire_asset"};
    }
    const uint64_t balance = ctx.ledger().balance(ctx.sender, m.asset());
    if (balance < m.amount()) {
      return {errors::kInsufficientFractions,
              "redeem_fractions: the issuer holds " + std::to_string(balance)};
    }
    if (free_fractions(ctx.state, m.asset(), ctx.sender) < m.amount()) {
      return {errors::kFrozen, "redeem_fractions: part of the issuer's holding is frozen"};
    }
    return Status::ok();
  }
  Status apply(const v1::MsgRedeemFractions& m, MsgContext& ctx) const override {
    return keeper(ctx).redeem(ctx.sender, m);
  }
};

class RetireHandler final : public ledger::Handler<v1::MsgRetireAsset> {
 protected:
  Status check(const v1::MsgRetireAsset& m, const v1::LedgerParams&) const override {
    if (auto s = check_rwa_asset(m.asset(), "retire_asset"); !s) return s;
    return check_reason(m.reason_code(), "retire_asset");
  }
  Status preclaim(const v1::MsgRetireAsset& m, const ReadContext& ctx) const override {
    auto r = require_asset(ctx, m.asset(), "retire_asset", true);
    if (!r) return r.status();
    const uint64_t balance = ctx.ledger().balance(ctx.sender, m.asset());
    if (balance != r.value().supply()) {
      return {errors::kNotAllHeld, "retire_asset: the issuer holds " + std::to_string(balance) +
                                       " of " + std::to_string(r.value().supply())};
    }
    for (const auto& d : RwaView(ctx.state).distributions(m.asset())) {
      if (!d.reclaimed() && d.claimed() < d.amount()) {
        return {errors::kDistributionsOpen, "retire_asset: distribution " + std::to_string(d.id()) +
                                                " still holds unclaimed funds"};
      }
    }
    return Status::ok();
  }
  Status apply(const v1::MsgRetireAsset& m, MsgContext& ctx) const override {
    return keeper(ctx).retire(ctx.sender, m);
  }
};

// --- the exchange (doc/rwa-exchange.md "Messages") -------------------------------------------

Status check_quote_name(const std::string& quote, const std::string& what) {
  if (!ledger::is_valid_asset_name(quote)) {
    return {Code::kInvalidAsset,
            what + ": quote_asset '" + excerpt(quote) + "' is not an asset name"};
  }
  if (is_rwa_asset(quote)) {
    return {Code::kInvalidAsset,
            what + ": the quote asset is BTT or a payment asset, not " + quote};
  }
  return Status::ok();
}

Status require_pair(const ReadContext& ctx, const std::string& asset, const std::string& quote,
                    const std::string& what) {
  auto r = require_asset(ctx, asset, what, false);
  if (!r) return r.status();
  if (!is_quote_asset(ctx.state, quote)) {
    return {errors::kBadPair, what + ": " + quote + " is neither BTT nor a payment asset"};
  }
  return Status::ok();
}

Status check_expiry(uint64_t expiry_ms, const ReadContext& ctx, const std::string& what) {
  if (expiry_ms != 0 && expiry_ms <= ctx.block.time_ms) {
    return {errors::kExpiryPast,
            what + ": expiry_ms " + std::to_string(expiry_ms) + " is not after the block time"};
  }
  return Status::ok();
}

// price x amount within the engine's notional bound (so escrows and fees fit a uint64).
Result<uint64_t> require_notional(const ReadContext& ctx, uint64_t price, uint64_t amount,
                                  const std::string& what) {
  const auto config = book_config(params_spec().get(ctx.state), 1);
  auto n = checked_mul(price, amount);
  if (!n || *n > config.max_notional) {
    return Status{errors::kFeeOverflow,
                  what + ": price x amount is above " + std::to_string(config.max_notional)};
  }
  return *n;
}

// What a buy of `notional` at its limit needs: the notional and the taker fee on it.
Status require_buy_funds(const ReadContext& ctx, const std::string& quote, uint64_t notional,
                         uint64_t released, const std::string& what) {
  const uint32_t bps =
      taker_fee_bps(ctx.state, params_spec().get(ctx.state), ctx.sender, ctx.block.time_ms);
  const uint64_t need = notional + bps_of(notional, bps);
  const uint64_t spendable = ctx.ledger().spendable(ctx.sender, quote, ctx.block.time_ms);
  if (checked_add(spendable, released).value_or(UINT64_MAX) < need) {
    return {Code::kInsufficientFunds, what + ": needs " + std::to_string(need) + " " + quote +
                                          " (price x amount and the trading fee), " +
                                          std::to_string(spendable + released) + " spendable"};
  }
  return Status::ok();
}

Status require_open_order_room(const ReadContext& ctx, const std::string& what) {
  const uint32_t max = params_spec().get(ctx.state).max_open_orders();
  if (order_ids_of(ctx.state, ctx.sender).size() >= max) {
    return {errors::kTooManyOrders,
            what + ": the sender has max_open_orders (" + std::to_string(max) + ") resting"};
  }
  return Status::ok();
}

class PlaceOrderHandler final : public ledger::Handler<v1::MsgPlaceOrder> {
 protected:
  Status check(const v1::MsgPlaceOrder& m, const v1::LedgerParams&) const override {
    const std::string w = "place_order";
    if (auto s = check_rwa_asset(m.asset(), w); !s) return s;
    if (auto s = check_quote_name(m.quote_asset(), w); !s) return s;
    if (m.side() != v1::ORDER_SIDE_BUY && m.side() != v1::ORDER_SIDE_SELL) {
      return bad(w + ": side is BUY or SELL");
    }
    if (!v1::TimeInForce_IsValid(m.time_in_force())) return bad(w + ": unknown time_in_force");
    if (m.price() == 0) return bad(w + ": price must be positive");
    if (auto s = check_amount(m.amount(), w); !s) return s;
    if (m.client_order_id().size() > kMaxClientOrderId) {
      return bad(w + ": client_order_id holds at most 32 bytes");
    }
    return Status::ok();
  }
  Status preclaim(const v1::MsgPlaceOrder& m, const ReadContext& ctx) const override {
    const std::string w = "place_order";
    if (auto s = require_pair(ctx, m.asset(), m.quote_asset(), w); !s) return s;
    if (auto s = check_expiry(m.expiry_ms(), ctx, w); !s) return s;
    auto notional = require_notional(ctx, m.price(), m.amount(), w);
    if (!notional) return notional.status();
    if (tif_of(m.time_in_force()) == exchange::TimeInForce::kGtc) {
      if (auto s = require_open_order_room(ctx, w); !s) return s;
    }
    if (m.side() == v1::ORDER_SIDE_SELL) {
      return check_transfer(ctx.state, m.asset(), ctx.sender, ctx.sender, m.amount(),
                            ctx.block.time_ms)
          .prefixed(w + ": ");
    }
    if (auto s = check_holder(ctx.state, m.asset(), ctx.sender, ctx.block.time_ms); !s) {
      return s.prefixed(w + ": ");
    }
    return require_buy_funds(ctx, m.quote_asset(), notional.value(), 0, w);
  }
  Status apply(const v1::MsgPlaceOrder& m, MsgContext& ctx) const override {
    return keeper(ctx).place_order(ctx.sender, m);
  }
};

Result<v1::OrderRecord> require_own_order(const ReadContext& ctx, uint64_t id,
                                          const std::string& what) {
  if (auto s = require_enabled(ctx, what); !s) return s;
  auto o = read_order(ctx.state, id);
  if (!o) return Status{errors::kNoOrder, what + ": no resting order " + std::to_string(id)};
  if (o->owner() != ctx.sender.to_string()) {
    return Status{errors::kNotOrderOwner,
                  what + ": order " + std::to_string(id) + " belongs to " + o->owner()};
  }
  return *o;
}

class CancelOrderHandler final : public ledger::Handler<v1::MsgCancelOrder> {
 protected:
  Status check(const v1::MsgCancelOrder& m, const v1::LedgerParams&) const override {
    if (m.order_id() == 0) return bad("cancel_order: order_id is required");
    return Status::ok();
  }
  Status preclaim(const v1::MsgCancelOrder& m, const ReadContext& ctx) const override {
    return require_own_order(ctx, m.order_id(), "cancel_order").status();
  }
  Status apply(const v1::MsgCancelOrder& m, MsgContext& ctx) const override {
    return keeper(ctx).cancel_order(ctx.sender, m.order_id());
  }
};

class ReplaceOrderHandler final : public ledger::Handler<v1::MsgReplaceOrder> {
 protected:
  Status check(const v1::MsgReplaceOrder& m, const v1::LedgerParams&) const override {
    if (m.order_id() == 0) return bad("replace_order: order_id is required");
    if (m.price() == 0) return bad("replace_order: price must be positive");
    return check_amount(m.amount(), "replace_order");
  }
  Status preclaim(const v1::MsgReplaceOrder& m, const ReadContext& ctx) const override {
    const std::string w = "replace_order";
    auto o = require_own_order(ctx, m.order_id(), w);
    if (!o) return o.status();
    const v1::OrderRecord& old = o.value();
    if (auto s = require_pair(ctx, old.asset(), old.quote_asset(), w); !s) return s;
    if (auto s = check_expiry(m.expiry_ms(), ctx, w); !s) return s;
    auto notional = require_notional(ctx, m.price(), m.amount(), w);
    if (!notional) return notional.status();
    if (old.side() == v1::ORDER_SIDE_BUY) {
      return require_buy_funds(ctx, old.quote_asset(), notional.value(), old.price() * old.open(),
                               w);
    }
    if (auto s =
            check_transfer(ctx.state, old.asset(), ctx.sender, ctx.sender, 0, ctx.block.time_ms);
        !s) {
      return s.prefixed(w + ": ");
    }
    const uint64_t free = free_fractions(ctx.state, old.asset(), ctx.sender) + old.open();
    if (free < m.amount()) {
      return {errors::kInsufficientFractions,
              w + ": " + std::to_string(free) + " fractions are free for the new order"};
    }
    return Status::ok();
  }
  Status apply(const v1::MsgReplaceOrder& m, MsgContext& ctx) const override {
    return keeper(ctx).replace_order(ctx.sender, m);
  }
};

Status check_pool_fee(const ReadContext& ctx, uint32_t fee_bps, const std::string& what) {
  const uint32_t max = params_spec().get(ctx.state).max_pool_fee_bps();
  if (fee_bps > max) {
    return {errors::kBadPoolFee, what + ": fee_bps " + std::to_string(fee_bps) +
                                     " is above max_pool_fee_bps " + std::to_string(max)};
  }
  return Status::ok();
}

class CreatePoolHandler final : public ledger::Handler<v1::MsgCreatePool> {
 protected:
  Status check(const v1::MsgCreatePool& m, const v1::LedgerParams&) const override {
    const std::string w = "create_pool";
    if (auto s = check_rwa_asset(m.asset(), w); !s) return s;
    if (auto s = check_quote_name(m.quote_asset(), w); !s) return s;
    if (auto s = check_amount(m.asset_amount(), w); !s) return s;
    return check_amount(m.quote_amount(), w);
  }
  Status preclaim(const v1::MsgCreatePool& m, const ReadContext& ctx) const override {
    const std::string w = "create_pool";
    if (auto s = require_pair(ctx, m.asset(), m.quote_asset(), w); !s) return s;
    if (auto s = check_pool_fee(ctx, m.fee_bps(), w); !s) return s;
    if (auto id = pool_id_of(ctx.state, m.asset(), m.quote_asset())) {
      return {errors::kPoolExists, w + ": pool " + std::to_string(*id) + " trades " + m.asset() +
                                       " against " + m.quote_asset()};
    }
    if (auto s = check_transfer(ctx.state, m.asset(), ctx.sender, pools_address(), m.asset_amount(),
                                ctx.block.time_ms);
        !s) {
      return s.prefixed(w + ": ");
    }
    return ledger::require_spendable(ctx.ledger(), ctx.sender, m.quote_asset(), m.quote_amount(),
                                     ctx.block.time_ms);
  }
  Status apply(const v1::MsgCreatePool& m, MsgContext& ctx) const override {
    return keeper(ctx).create_pool(ctx.sender, m);
  }
};

Result<v1::PoolRecord> require_pool(const ReadContext& ctx, uint64_t id, const std::string& what) {
  if (auto s = require_enabled(ctx, what); !s) return s;
  auto p = read_pool(ctx.state, id);
  if (!p) return Status{errors::kNoPool, what + ": no pool " + std::to_string(id)};
  if (auto r = require_asset(ctx, p->asset(), what, false); !r) return r.status();
  return *p;
}

// Pool deposits, withdrawals and swaps: the amounts depend on the pool after its management fee
// accrues, so the keeper checks funds and compliance (check_transfer) as it moves them; a refusal
// there fails the tx whole.
class PoolDepositHandler final : public ledger::Handler<v1::MsgPoolDeposit> {
 protected:
  Status check(const v1::MsgPoolDeposit& m, const v1::LedgerParams&) const override {
    if (m.pool_id() == 0) return bad("pool_deposit: pool_id is required");
    if (auto s = check_amount(m.max_asset_amount(), "pool_deposit"); !s) return s;
    return check_amount(m.max_quote_amount(), "pool_deposit");
  }
  Status preclaim(const v1::MsgPoolDeposit& m, const ReadContext& ctx) const override {
    return require_pool(ctx, m.pool_id(), "pool_deposit").status();
  }
  Status apply(const v1::MsgPoolDeposit& m, MsgContext& ctx) const override {
    return keeper(ctx).pool_deposit(ctx.sender, m);
  }
};

class PoolWithdrawHandler final : public ledger::Handler<v1::MsgPoolWithdraw> {
 protected:
  Status check(const v1::MsgPoolWithdraw& m, const v1::LedgerParams&) const override {
    if (m.pool_id() == 0) return bad("pool_withdraw: pool_id is required");
    return check_amount(m.shares(), "pool_withdraw");
  }
  Status preclaim(const v1::MsgPoolWithdraw& m, const ReadContext& ctx) const override {
    const std::string w = "pool_withdraw";
    auto p = require_pool(ctx, m.pool_id(), w);
    if (!p) return p.status();
    // Frozen holdings stay frozen in the pool: an account under a freeze of the asset keeps its
    // shares where they are (doc/rwa-exchange.md "Freezes and recovery").
    if (ctx.state.get(keys::freeze(p.value().asset(), ctx.sender))) {
      return {errors::kSharesFrozen, w + ": the sender's " + p.value().asset() +
                                         " is frozen, and its pool shares with it"};
    }
    const uint64_t held = lp_shares(ctx.state, m.pool_id(), ctx.sender);
    if (held < m.shares()) {
      return {errors::kInsufficientShares, w + ": the sender holds " + std::to_string(held) +
                                               " shares of pool " + std::to_string(m.pool_id())};
    }
    return Status::ok();
  }
  Status apply(const v1::MsgPoolWithdraw& m, MsgContext& ctx) const override {
    return keeper(ctx).pool_withdraw(ctx.sender, m);
  }
};

class PoolSwapHandler final : public ledger::Handler<v1::MsgPoolSwap> {
 protected:
  Status check(const v1::MsgPoolSwap& m, const v1::LedgerParams&) const override {
    if (m.pool_id() == 0) return bad("pool_swap: pool_id is required");
    if (!ledger::is_valid_asset_name(m.offer_asset())) {
      return {Code::kInvalidAsset,
              "pool_swap: offer_asset '" + excerpt(m.offer_asset()) + "' is not an asset name"};
    }
    return check_amount(m.amount_in(), "pool_swap");
  }
  Status preclaim(const v1::MsgPoolSwap& m, const ReadContext& ctx) const override {
    auto p = require_pool(ctx, m.pool_id(), "pool_swap");
    if (!p) return p.status();
    if (m.offer_asset() != p.value().asset() && m.offer_asset() != p.value().quote_asset()) {
      return {errors::kBadPair, "pool_swap: pool " + std::to_string(m.pool_id()) + " trades " +
                                    p.value().asset() + " against " + p.value().quote_asset()};
    }
    return Status::ok();
  }
  Status apply(const v1::MsgPoolSwap& m, MsgContext& ctx) const override {
    return keeper(ctx).pool_swap(ctx.sender, m);
  }
};

}  // namespace

RwaHandlers::RwaHandlers() {
  handlers_.push_back(std::make_unique<SetClaimHandler>());
  handlers_.push_back(std::make_unique<RevokeClaimHandler>());
  handlers_.push_back(std::make_unique<RegisterAssetHandler>());
  handlers_.push_back(std::make_unique<SetRulesHandler>());
  handlers_.push_back(std::make_unique<SetDocumentHandler>());
  handlers_.push_back(std::make_unique<SetAgentHandler>());
  handlers_.push_back(std::make_unique<FreezeHandler>());
  handlers_.push_back(std::make_unique<UnfreezeHandler>());
  handlers_.push_back(std::make_unique<ForcedTransferHandler>());
  handlers_.push_back(std::make_unique<RecoverHandler>());
  handlers_.push_back(std::make_unique<SetPausedHandler>());
  handlers_.push_back(std::make_unique<TransferHandler>());
  handlers_.push_back(std::make_unique<RevalueHandler>());
  handlers_.push_back(std::make_unique<DepositDistributionHandler>());
  handlers_.push_back(std::make_unique<ClaimDistributionHandler>());
  handlers_.push_back(std::make_unique<ReclaimDistributionHandler>());
  handlers_.push_back(std::make_unique<RedeemHandler>());
  handlers_.push_back(std::make_unique<RetireHandler>());
  handlers_.push_back(std::make_unique<PlaceOrderHandler>());
  handlers_.push_back(std::make_unique<CancelOrderHandler>());
  handlers_.push_back(std::make_unique<ReplaceOrderHandler>());
  handlers_.push_back(std::make_unique<CreatePoolHandler>());
  handlers_.push_back(std::make_unique<PoolDepositHandler>());
  handlers_.push_back(std::make_unique<PoolWithdrawHandler>());
  handlers_.push_back(std::make_unique<PoolSwapHandler>());
}

RwaHandlers::~RwaHandlers() = default;

std::vector<const ledger::MsgHandler*> RwaHandlers::list() const {
  std::vector<const ledger::MsgHandler*> out;
  out.reserve(handlers_.size());
  for (const auto& h : handlers_) out.push_back(h.get());
  return out;
}

}  // namespace btt::modules::rwa

// Consent handlers, one per message (doc/consent.md "Messages"). Check refuses malformed fields;
// preclaim what the state decides (who signs for the patient, the grant and its state, expiry,
// the caps); the keeper writes.
#include "handlers.h"

#include <set>

#include "btt/ledger/field_checks.h"
#include "btt/modules/consent/consent.h"
#include "btt/modules/consent/errors.h"
#include "keeper.h"
#include "keys.h"
#include "module.h"

namespace btt::modules::consent {
namespace {

using ledger::MsgContext;
using ledger::ReadContext;

inline constexpr int kMaxPurposes = 5;

Status check_address(const std::string& text, const std::string& what) {
  return ledger::check_address_field(text, what, errors::kBadAddress);
}

crypto::Address addr(const std::string& text) {
  return *crypto::Address::parse(text);  // check() parsed it
}

Status check_grant_id(uint64_t id, const std::string& what) {
  if (id == 0) return {errors::kBadField, what + ": grant_id must be positive"};
  return Status::ok();
}

// The signer acts for `patient`: it is the patient, or a delegate the patient named.
Status require_patient_or_delegate(const ReadContext& ctx, const crypto::Address& patient,
                                   const std::string& what) {
  if (ctx.sender == patient || is_delegate(ctx.state, patient, ctx.sender)) return Status::ok();
  return {errors::kNotPatientOrDelegate, what + ": " + ctx.sender.to_string() +
                                             " is neither the patient " + patient.to_string() +
                                             " nor a delegate the patient named"};
}

Result<v1::ConsentGrant> require_grant(const ReadContext& ctx, uint64_t id,
                                       const std::string& what) {
  auto g = ConsentView(ctx.state).grant(id);
  if (!g) return Status{errors::kNoGrant, what + ": no grant " + std::to_string(id)};
  return *g;
}

// The grant is active and unexpired at the block's time (a grant whose expiry the block's
// end_block has yet to mark is expired all the same).
Status require_in_force(const v1::ConsentGrant& g, uint64_t now, const std::string& what) {
  const std::string id = "grant " + std::to_string(g.grant_id());
  if (g.status() == v1::GRANT_STATUS_REVOKED) {
    return {errors::kGrantRevoked,
            what + ": " + id + " was revoked at height " + std::to_string(g.revoked_height())};
  }
  if (g.status() == v1::GRANT_STATUS_EXPIRED || now >= g.expiry_ms()) {
    return {errors::kGrantExpired,
            what + ": " + id + " expired at " + std::to_string(g.expiry_ms())};
  }
  return Status::ok();
}

}  // namespace

Status check_scope(int scope, const std::string& what) {
  if (!v1::RecordScope_IsValid(scope) || scope == v1::RECORD_SCOPE_UNSPECIFIED) {
    return {errors::kBadScope, what + ": scope " + std::to_string(scope) +
                                   " is not a record scope (doc/consent.md \"Scopes\")"};
  }
  return Status::ok();
}

Status check_purpose(int purpose, const std::string& what) {
  if (!v1::ConsentPurpose_IsValid(purpose) || purpose == v1::CONSENT_PURPOSE_UNSPECIFIED) {
    return {errors::kBadPurpose, what + ": purpose " + std::to_string(purpose) +
                                     " is not a consent purpose (doc/consent.md \"Purposes\")"};
  }
  return Status::ok();
}

Status check_purposes(const google::protobuf::RepeatedField<int>& purposes,
                      const std::string& what) {
  if (purposes.empty() || purposes.size() > kMaxPurposes) {
    return {errors::kBadPurpose, what + ": a grant names 1.." + std::to_string(kMaxPurposes) +
                                     " purposes, not " + std::to_string(purposes.size())};
  }
  std::set<int> seen;
  for (int p : purposes) {
    if (auto s = check_purpose(p, what); !s) return s;
    if (!seen.insert(p).second) {
      return {
          errors::kBadPurpose,
          what + ": purpose " + purpose_name(static_cast<v1::ConsentPurpose>(p)) + " named twice"};
    }
  }
  return Status::ok();
}

// --- grant ----------------------------------------------------------------------------------

Status GrantConsentHandler::check(const v1::MsgGrantConsent& m, const v1::LedgerParams&) const {
  if (auto s = check_address(m.patient(), "grant_consent: patient"); !s) return s;
  if (auto s = check_address(m.grantee(), "grant_consent: grantee"); !s) return s;
  if (auto s = check_address(m.custodian(), "grant_consent: custodian"); !s) return s;
  if (auto s = ledger::check_hash32_field(m.record_hash(), "grant_consent: record_hash", true,
                                          errors::kBadRecordHash);
      !s) {
    return s;
  }
  if (auto s = check_scope(m.scope(), "grant_consent"); !s) return s;
  if (auto s = check_purposes(m.purposes(), "grant_consent"); !s) return s;
  if (m.expiry_ms() == 0) {
    return {errors::kBadExpiry,
            "grant_consent: expiry_ms must be a block time in the future (0 is not \"never\": "
            "a grant lasts at most max_grant_duration_ms)"};
  }
  if (addr(m.grantee()) == addr(m.patient())) {
    return {errors::kSelfGrant, "grant_consent: the grantee is the patient " + m.patient()};
  }
  return Status::ok();
}

Status GrantConsentHandler::preclaim(const v1::MsgGrantConsent& m, const ReadContext& ctx) const {
  const auto patient = addr(m.patient());
  if (auto s = require_patient_or_delegate(ctx, patient, "grant_consent"); !s) return s;
  const auto params = params_spec().get(ctx.state);
  const uint64_t now = ctx.block.time_ms;
  if (m.expiry_ms() <= now || m.expiry_ms() - now > params.max_grant_duration_ms()) {
    return {errors::kExpiryOutOfRange, "grant_consent: expiry_ms " + std::to_string(m.expiry_ms()) +
                                           " is outside (" + std::to_string(now) + ", " +
                                           std::to_string(now) + " + max_grant_duration_ms " +
                                           std::to_string(params.max_grant_duration_ms()) + "]"};
  }
  const auto active = ConsentView(ctx.state).active_grant_ids(patient);
  if (active.size() >= params.max_grants_per_patient()) {
    return {errors::kTooManyGrants, "grant_consent: patient " + m.patient() + " has " +
                                        std::to_string(active.size()) +
                                        " active grants, max_grants_per_patient is " +
                                        std::to_string(params.max_grants_per_patient())};
  }
  return Status::ok();
}

Status GrantConsentHandler::apply(const v1::MsgGrantConsent& m, MsgContext& ctx) const {
  (void)ConsentKeeper(ctx.state, ctx.events)
      .grant(m, ctx.sender, ctx.block.time_ms, ctx.block.height);
  return Status::ok();
}

// --- revoke ---------------------------------------------------------------------------------

Status RevokeConsentHandler::check(const v1::MsgRevokeConsent& m, const v1::LedgerParams&) const {
  return check_grant_id(m.grant_id(), "revoke_consent");
}

Status RevokeConsentHandler::preclaim(const v1::MsgRevokeConsent& m, const ReadContext& ctx) const {
  auto g = require_grant(ctx, m.grant_id(), "revoke_consent");
  if (!g) return g.status();
  if (auto s = require_patient_or_delegate(ctx, addr(g->patient()), "revoke_consent"); !s) {
    return s;
  }
  return require_in_force(*g, ctx.block.time_ms, "revoke_consent");
}

Status RevokeConsentHandler::apply(const v1::MsgRevokeConsent& m, MsgContext& ctx) const {
  ConsentKeeper keeper(ctx.state, ctx.events);
  keeper.revoke(*keeper.view().grant(m.grant_id()), ctx.sender, ctx.block.time_ms,
                ctx.block.height);
  return Status::ok();
}

// --- declare access -------------------------------------------------------------------------

Status DeclareAccessHandler::check(const v1::MsgDeclareAccess& m, const v1::LedgerParams&) const {
  if (auto s = check_grant_id(m.grant_id(), "declare_access"); !s) return s;
  if (auto s = check_purpose(m.purpose(), "declare_access"); !s) return s;
  if (m.scope() != v1::RECORD_SCOPE_UNSPECIFIED) {
    if (auto s = check_scope(m.scope(), "declare_access"); !s) return s;
  }
  return Status::ok();
}

Status DeclareAccessHandler::preclaim(const v1::MsgDeclareAccess& m, const ReadContext& ctx) const {
  auto g = require_grant(ctx, m.grant_id(), "declare_access");
  if (!g) return g.status();
  const std::string signer = ctx.sender.to_string();
  if (signer != g->grantee() && signer != g->custodian()) {
    return {errors::kNotGranteeOrCustodian,
            "declare_access: " + signer + " is neither the grantee nor the custodian of grant " +
                std::to_string(g->grant_id())};
  }
  if (auto s = require_in_force(*g, ctx.block.time_ms, "declare_access"); !s) return s;
  if (!purpose_covered(*g, m.purpose())) {
    return {errors::kPurposeNotCovered, "declare_access: grant " + std::to_string(g->grant_id()) +
                                            " does not cover purpose " + purpose_name(m.purpose()) +
                                            " (it covers " + purposes_text(g->purposes()) + ")"};
  }
  if (!scope_covers(g->scope(), m.scope())) {
    return {errors::kScopeNotCovered, "declare_access: grant " + std::to_string(g->grant_id()) +
                                          " covers scope " + scope_name(g->scope()) + ", not " +
                                          scope_name(m.scope())};
  }
  return Status::ok();
}

Status DeclareAccessHandler::apply(const v1::MsgDeclareAccess& m, MsgContext& ctx) const {
  ConsentKeeper keeper(ctx.state, ctx.events);
  (void)keeper.declare_access(*keeper.view().grant(m.grant_id()), m.purpose(), m.scope(),
                              ctx.sender, ctx.block.time_ms, ctx.block.height);
  return Status::ok();
}

// --- delegates ------------------------------------------------------------------------------

Status SetConsentDelegateHandler::check(const v1::MsgSetConsentDelegate& m,
                                        const v1::LedgerParams&) const {
  if (auto s = check_address(m.patient(), "set_consent_delegate: patient"); !s) return s;
  if (auto s = check_address(m.delegate(), "set_consent_delegate: delegate"); !s) return s;
  if (addr(m.delegate()) == addr(m.patient())) {
    return {errors::kSelfDelegate, "set_consent_delegate: the delegate is the patient"};
  }
  return Status::ok();
}

Status SetConsentDelegateHandler::preclaim(const v1::MsgSetConsentDelegate& m,
                                           const ReadContext& ctx) const {
  const auto patient = addr(m.patient());
  if (ctx.sender != patient) {
    return {errors::kNotPatient, "set_consent_delegate: only the patient " + m.patient() +
                                     " names delegates (a delegate cannot name further "
                                     "delegates), not " +
                                     ctx.sender.to_string()};
  }
  const ConsentView view(ctx.state);
  if (view.delegate(patient, addr(m.delegate()))) {
    return {errors::kDelegateExists,
            "set_consent_delegate: " + m.delegate() + " is a delegate of " + m.patient()};
  }
  const auto params = params_spec().get(ctx.state);
  const auto count = view.delegates(patient).size();
  if (count >= params.max_delegates()) {
    return {errors::kTooManyDelegates, "set_consent_delegate: " + m.patient() + " has " +
                                           std::to_string(count) + " delegates, max_delegates is " +
                                           std::to_string(params.max_delegates())};
  }
  return Status::ok();
}

Status SetConsentDelegateHandler::apply(const v1::MsgSetConsentDelegate& m, MsgContext& ctx) const {
  ConsentKeeper(ctx.state, ctx.events)
      .set_delegate(addr(m.patient()), addr(m.delegate()), ctx.block.time_ms, ctx.block.height);
  return Status::ok();
}

Status RemoveConsentDelegateHandler::check(const v1::MsgRemoveConsentDelegate& m,
                                           const v1::LedgerParams&) const {
  if (auto s = check_address(m.patient(), "remove_consent_delegate: patient"); !s) return s;
  if (auto s = check_address(m.delegate(), "remove_consent_delegate: delegate"); !s) return s;
  if (addr(m.delegate()) == addr(m.patient())) {
    return {errors::kSelfDelegate, "remove_consent_delegate: the delegate is the patient"};
  }
  return Status::ok();
}

Status RemoveConsentDelegateHandler::preclaim(const v1::MsgRemoveConsentDelegate& m,
                                              const ReadContext& ctx) const {
  const auto patient = addr(m.patient());
  const auto delegate = addr(m.delegate());
  if (ctx.sender != patient && ctx.sender != delegate) {
    return {errors::kNotDelegateParty, "remove_consent_delegate: " + ctx.sender.to_string() +
                                           " is neither the patient nor the delegate"};
  }
  if (!ConsentView(ctx.state).delegate(patient, delegate)) {
    return {errors::kNoDelegate,
            "remove_consent_delegate: " + m.delegate() + " is not a delegate of " + m.patient()};
  }
  return Status::ok();
}

Status RemoveConsentDelegateHandler::apply(const v1::MsgRemoveConsentDelegate& m,
                                           MsgContext& ctx) const {
  ConsentKeeper(ctx.state, ctx.events)
      .remove_delegate(addr(m.patient()), addr(m.delegate()), ctx.sender);
  return Status::ok();
}

}  // namespace btt::modules::consent

// Reads of the consent state, may_read, and the answers of btt.v1.Consent (doc/consent.md
// "Queries").
#include "btt/modules/consent/view.h"

#include <stdexcept>

#include "btt/ledger/field_checks.h"
#include "btt/modules/consent/consent.h"
#include "btt/modules/consent/errors.h"
#include "keys.h"
#include "module.h"

namespace btt::modules::consent {
namespace {

// The ids under an index prefix (each key ends in the u64 id), in key order.
std::vector<uint64_t> ids_under(const ledger::StateReader& state, const Bytes& prefix) {
  std::vector<uint64_t> out;
  state.scan(prefix, [&](std::string_view key, std::string_view) {
    std::string_view rest = key.substr(prefix.size());
    uint64_t id = 0;
    if (rest.size() == 8 && get_u64_be(rest, id)) out.push_back(id);
    return true;
  });
  return out;
}

Result<crypto::Address> request_addr(const std::string& text, const std::string& what) {
  if (auto s = ledger::check_address_field(text, what, errors::kBadAddress); !s) return s;
  return *crypto::Address::parse(text);
}

// Rank of a denial: the closer a grant came to allowing, the higher.
int rank(v1::ConsentDenial d) {
  switch (d) {
    case v1::CONSENT_DENIAL_REVOKED:
      return 1;
    case v1::CONSENT_DENIAL_EXPIRED:
      return 2;
    case v1::CONSENT_DENIAL_PURPOSE_NOT_COVERED:
      return 3;
    case v1::CONSENT_DENIAL_SCOPE_NOT_COVERED:
      return 4;
    default:
      return 0;
  }
}

}  // namespace

bool in_force(const v1::ConsentGrant& g, uint64_t now) {
  return g.status() == v1::GRANT_STATUS_ACTIVE && now < g.expiry_ms();
}

bool scope_covers(v1::RecordScope granted, v1::RecordScope asked) {
  return asked == v1::RECORD_SCOPE_UNSPECIFIED || granted == v1::RECORD_SCOPE_FULL ||
         granted == asked;
}

bool purpose_covered(const v1::ConsentGrant& grant, v1::ConsentPurpose purpose) {
  for (int p : grant.purposes()) {
    if (p == purpose) return true;
  }
  return false;
}

bool is_delegate(const ledger::StateReader& state, const crypto::Address& patient,
                 const crypto::Address& delegate) {
  return state.get(keys::delegate(patient, delegate)).has_value();
}

AccessCheck may_read(const ledger::StateReader& state, const AccessQuery& q) {
  AccessCheck out;
  out.denial = v1::CONSENT_DENIAL_NO_GRANT;
  out.message = "patient " + q.patient.to_string() + " gave " + q.grantee.to_string() +
                " no grant of record " + to_hex(q.record_hash);
  const std::string custodian = q.custodian ? q.custodian->to_string() : std::string();
  for (uint64_t id : ids_under(state, keys::by_record(q.patient, q.record_hash, q.grantee))) {
    auto g = ledger::read_record<v1::ConsentGrant>(state, keys::grant(id));
    if (!g || (q.custodian && g->custodian() != custodian)) continue;
    const std::string gid = "grant " + std::to_string(id);
    v1::ConsentDenial d = v1::CONSENT_DENIAL_NONE;
    std::string why;
    if (g->status() == v1::GRANT_STATUS_REVOKED) {
      d = v1::CONSENT_DENIAL_REVOKED;
      why = gid + " was revoked at height " + std::to_string(g->revoked_height());
    } else if (!in_force(*g, q.time_ms)) {
      d = v1::CONSENT_DENIAL_EXPIRED;
      why = gid + " expired at " + std::to_string(g->expiry_ms());
    } else if (!purpose_covered(*g, q.purpose)) {
      d = v1::CONSENT_DENIAL_PURPOSE_NOT_COVERED;
      why = gid + " covers " + purposes_text(g->purposes()) + ", not " + purpose_name(q.purpose);
    } else if (!scope_covers(g->scope(), q.scope)) {
      d = v1::CONSENT_DENIAL_SCOPE_NOT_COVERED;
      why = gid + " covers scope " + scope_name(g->scope()) + ", not " + scope_name(q.scope);
    } else {
      out.allowed = true;
      out.grant_id = id;
      out.denial = v1::CONSENT_DENIAL_NONE;
      out.expiry_ms = g->expiry_ms();
      out.message = gid + " allows it until " + std::to_string(g->expiry_ms());
      return out;
    }
    if (rank(d) > rank(out.denial)) {
      out.denial = d;
      out.grant_id = id;
      out.expiry_ms = g->expiry_ms();
      out.message = why;
    }
  }
  return out;
}

v1::ConsentParams ConsentView::params() const {
  return params_spec().get(state_);
}

std::optional<v1::ConsentGrant> ConsentView::grant(uint64_t grant_id) const {
  return ledger::read_record<v1::ConsentGrant>(state_, keys::grant(grant_id));
}

std::optional<v1::ConsentDelegate> ConsentView::delegate(const crypto::Address& patient,
                                                         const crypto::Address& d) const {
  return ledger::read_record<v1::ConsentDelegate>(state_, keys::delegate(patient, d));
}

std::vector<v1::ConsentDelegate> ConsentView::delegates(const crypto::Address& patient) const {
  return ledger::read_records<v1::ConsentDelegate>(state_, keys::delegates(patient));
}

std::vector<uint64_t> ConsentView::active_grant_ids(const crypto::Address& patient) const {
  return ids_under(state_, keys::active(patient));
}

v1::ConsentGenesisState ConsentView::genesis_state() const {
  v1::ConsentGenesisState st;
  if (auto p = ledger::read_record<v1::ConsentParams>(state_, keys::params())) {
    *st.mutable_params() = *p;
  }
  for (auto& g : ledger::read_records<v1::ConsentGrant>(state_, keys::grants())) {
    *st.add_grants() = std::move(g);
  }
  for (auto& a : ledger::read_records<v1::AccessRecord>(state_, keys::all_accesses())) {
    *st.add_accesses() = std::move(a);
  }
  for (auto& d : ledger::read_records<v1::ConsentDelegate>(state_, keys::all_delegates())) {
    *st.add_delegates() = std::move(d);
  }
  st.set_next_grant_id(ledger::read_u64(state_, keys::next_grant()));
  st.set_next_access_id(ledger::read_u64(state_, keys::next_access()));
  return st;
}

Result<v1::CheckAccessResponse> ConsentView::check_access(const v1::CheckAccessRequest& req,
                                                          uint64_t now) const {
  AccessQuery q;
  auto patient = request_addr(req.patient(), "check_access: patient");
  if (!patient) return patient.status();
  auto grantee = request_addr(req.grantee(), "check_access: grantee");
  if (!grantee) return grantee.status();
  q.patient = *patient;
  q.grantee = *grantee;
  if (!req.custodian().empty()) {
    auto c = request_addr(req.custodian(), "check_access: custodian");
    if (!c) return c.status();
    q.custodian = *c;
  }
  if (auto s = ledger::check_hash32_field(req.record_hash(), "check_access: record_hash", true,
                                          errors::kBadRecordHash);
      !s) {
    return s;
  }
  if (auto s = check_purpose(req.purpose(), "check_access"); !s) return s;
  if (req.scope() != v1::RECORD_SCOPE_UNSPECIFIED) {
    if (auto s = check_scope(req.scope(), "check_access"); !s) return s;
  }
  q.record_hash = req.record_hash();
  q.purpose = req.purpose();
  q.scope = req.scope();
  q.time_ms = req.time_ms() == 0 ? now : req.time_ms();
  const auto a = may_read(state_, q);
  v1::CheckAccessResponse r;
  r.set_allowed(a.allowed);
  r.set_grant_id(a.grant_id);
  r.set_denial(a.denial);
  r.set_message(a.message);
  r.set_time_ms(q.time_ms);
  r.set_expiry_ms(a.expiry_ms);
  return r;
}

Result<v1::GrantInfo> ConsentView::get_grant(uint64_t grant_id, uint64_t now) const {
  auto g = grant(grant_id);
  if (!g) return Status{Code::kNotFound, "no grant " + std::to_string(grant_id)};
  v1::GrantInfo r;
  r.set_in_force(in_force(*g, now));
  *r.mutable_grant() = std::move(*g);
  return r;
}

Result<v1::ListGrantsResponse> ConsentView::list_grants(const v1::ListGrantsRequest& req,
                                                        uint64_t now) const {
  if (req.patient().empty() == req.grantee().empty()) {
    return Status{errors::kBadField, "list_grants: give exactly one of patient, grantee"};
  }
  auto limit = ledger::page_limit(req.limit());
  if (!limit) return limit.status();
  Bytes prefix;
  if (!req.patient().empty()) {
    auto p = request_addr(req.patient(), "list_grants: patient");
    if (!p) return p.status();
    prefix = keys::by_patient(*p);
  } else {
    auto g = request_addr(req.grantee(), "list_grants: grantee");
    if (!g) return g.status();
    prefix = keys::by_grantee(*g);
  }
  v1::ListGrantsResponse r;
  for (uint64_t id : ids_under(state_, prefix)) {
    if (id <= req.start_after()) continue;
    auto g = grant(id);
    if (!g) throw std::logic_error("consent: index names missing grant " + std::to_string(id));
    const bool force = in_force(*g, now);
    if (req.in_force_only() && !force) continue;
    if (static_cast<uint32_t>(r.grants_size()) == *limit) {
      r.set_next_start_after(r.grants(r.grants_size() - 1).grant().grant_id());
      break;
    }
    auto* info = r.add_grants();
    info->set_in_force(force);
    *info->mutable_grant() = std::move(*g);
  }
  return r;
}

Result<v1::ListAccessesResponse> ConsentView::list_accesses(
    const v1::ListAccessesRequest& req) const {
  if (auto s = ledger::check_hash32_field(req.record_hash(), "list_accesses: record_hash", true,
                                          errors::kBadRecordHash);
      !s) {
    return s;
  }
  std::string patient;
  if (!req.patient().empty()) {
    auto p = request_addr(req.patient(), "list_accesses: patient");
    if (!p) return p.status();
    patient = p->to_string();
  }
  auto limit = ledger::page_limit(req.limit());
  if (!limit) return limit.status();
  v1::ListAccessesResponse r;
  for (auto& a :
       ledger::read_records<v1::AccessRecord>(state_, keys::accesses(req.record_hash()))) {
    if (a.access_id() <= req.start_after()) continue;
    if (!patient.empty() && a.patient() != patient) continue;
    if (static_cast<uint32_t>(r.accesses_size()) == *limit) {
      r.set_next_start_after(r.accesses(r.accesses_size() - 1).access_id());
      break;
    }
    *r.add_accesses() = std::move(a);
  }
  return r;
}

Result<v1::ListDelegatesResponse> ConsentView::list_delegates(
    const v1::ListDelegatesRequest& req) const {
  auto p = request_addr(req.patient(), "list_delegates: patient");
  if (!p) return p.status();
  v1::ListDelegatesResponse r;
  for (auto& d : delegates(*p)) *r.add_delegates() = std::move(d);
  return r;
}

}  // namespace btt::modules::consent

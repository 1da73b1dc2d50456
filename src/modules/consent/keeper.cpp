// The consent keeper (doc/consent.md "State"): the only writer of "cns/".
#include "keeper.h"

#include <utility>
#include <vector>

#include "btt/modules/consent/events.h"
#include "keys.h"
#include "module.h"

namespace btt::modules::consent {
namespace {

crypto::Address addr(const std::string& text) {
  return *crypto::Address::parse(text);  // every stored address was checked
}

std::string u64be(uint64_t v) {
  std::string out;
  put_u64_be(out, v);
  return out;
}

}  // namespace

void ConsentKeeper::set_params(const v1::ConsentParams& p) {
  params_spec().set(state_, p);
}

void ConsentKeeper::put_grant(const v1::ConsentGrant& g) {
  state_.put(keys::grant(g.grant_id()), g.SerializeAsString());
}

void ConsentKeeper::index_grant(const v1::ConsentGrant& g) {
  const auto patient = addr(g.patient());
  const auto grantee = addr(g.grantee());
  const std::string id = u64be(g.grant_id());
  state_.put(keys::by_patient(patient, g.grant_id()), id);
  state_.put(keys::by_grantee(grantee, g.grant_id()), id);
  state_.put(keys::by_record(patient, g.record_hash(), grantee, g.grant_id()), id);
  if (g.status() == v1::GRANT_STATUS_ACTIVE) {
    state_.put(keys::active(patient, g.grant_id()), u64be(g.expiry_ms()));
    state_.put(keys::expiry(g.expiry_ms(), g.grant_id()), id);
  }
}

void ConsentKeeper::drop_active(const v1::ConsentGrant& g) {
  state_.erase(keys::active(addr(g.patient()), g.grant_id()));
  state_.erase(keys::expiry(g.expiry_ms(), g.grant_id()));
}

void ConsentKeeper::import_state(const v1::ConsentGenesisState& st) {
  if (st.has_params()) set_params(st.params());
  for (const auto& g : st.grants()) {
    put_grant(g);
    index_grant(g);
  }
  for (const auto& a : st.accesses()) {
    state_.put(keys::access(a.record_hash(), a.access_id()), a.SerializeAsString());
  }
  for (const auto& d : st.delegates()) {
    state_.put(keys::delegate(addr(d.patient()), addr(d.delegate())), d.SerializeAsString());
  }
  if (st.next_grant_id() != 0) ledger::write_u64(state_, keys::next_grant(), st.next_grant_id());
  if (st.next_access_id() != 0) {
    ledger::write_u64(state_, keys::next_access(), st.next_access_id());
  }
}

uint64_t ConsentKeeper::grant(const v1::MsgGrantConsent& m, const crypto::Address& signer,
                              uint64_t time_ms, uint64_t height) {
  v1::ConsentGrant g;
  g.set_grant_id(ledger::take_next_id(state_, keys::next_grant()));
  // Addresses in their canonical spelling, so records and keys agree however a wallet wrote them.
  g.set_patient(crypto::Address::canonical(m.patient()));
  g.set_grantee(crypto::Address::canonical(m.grantee()));
  g.set_record_hash(m.record_hash());
  g.set_custodian(crypto::Address::canonical(m.custodian()));
  g.set_scope(m.scope());
  *g.mutable_purposes() = m.purposes();
  g.set_expiry_ms(m.expiry_ms());
  g.set_status(v1::GRANT_STATUS_ACTIVE);
  g.set_granted_by(signer.to_string());
  g.set_granted_ms(time_ms);
  g.set_granted_height(height);
  put_grant(g);
  index_grant(g);
  events_.emit(events::kGranted)
      .attr("grant_id", g.grant_id())
      .attr("patient", g.patient())
      .attr("grantee", g.grantee())
      .attr("record_hash", to_hex(g.record_hash()))
      .attr("custodian", g.custodian())
      .attr("scope", scope_name(g.scope()))
      .attr("purposes", purposes_text(g.purposes()))
      .attr("expiry_ms", g.expiry_ms())
      .attr("signer", signer.to_string());
  return g.grant_id();
}

void ConsentKeeper::revoke(v1::ConsentGrant g, const crypto::Address& signer, uint64_t time_ms,
                           uint64_t height) {
  drop_active(g);
  g.set_status(v1::GRANT_STATUS_REVOKED);
  g.set_revoked_by(signer.to_string());
  g.set_revoked_ms(time_ms);
  g.set_revoked_height(height);
  put_grant(g);
  events_.emit(events::kRevoked)
      .attr("grant_id", g.grant_id())
      .attr("patient", g.patient())
      .attr("grantee", g.grantee())
      .attr("record_hash", to_hex(g.record_hash()))
      .attr("signer", signer.to_string());
}

uint64_t ConsentKeeper::declare_access(v1::ConsentGrant g, v1::ConsentPurpose purpose,
                                       v1::RecordScope scope, const crypto::Address& signer,
                                       uint64_t time_ms, uint64_t height) {
  v1::AccessRecord a;
  a.set_access_id(ledger::take_next_id(state_, keys::next_access()));
  a.set_grant_id(g.grant_id());
  a.set_patient(g.patient());
  a.set_record_hash(g.record_hash());
  a.set_custodian(g.custodian());
  a.set_reader(g.grantee());
  a.set_declared_by(signer.to_string());
  a.set_purpose(purpose);
  a.set_scope(scope == v1::RECORD_SCOPE_UNSPECIFIED ? g.scope() : scope);
  a.set_time_ms(time_ms);
  a.set_height(height);
  state_.put(keys::access(a.record_hash(), a.access_id()), a.SerializeAsString());
  g.set_accesses(g.accesses() + 1);  // at most one per tx message: never near 2^64
  put_grant(g);
  events_.emit(events::kAccessDeclared)
      .attr("access_id", a.access_id())
      .attr("grant_id", a.grant_id())
      .attr("patient", a.patient())
      .attr("record_hash", to_hex(a.record_hash()))
      .attr("custodian", a.custodian())
      .attr("reader", a.reader())
      .attr("declared_by", a.declared_by())
      .attr("purpose", purpose_name(a.purpose()))
      .attr("scope", scope_name(a.scope()));
  return a.access_id();
}

void ConsentKeeper::set_delegate(const crypto::Address& patient, const crypto::Address& delegate,
                                 uint64_t time_ms, uint64_t height) {
  v1::ConsentDelegate d;
  d.set_patient(patient.to_string());
  d.set_delegate(delegate.to_string());
  d.set_since_ms(time_ms);
  d.set_height(height);
  state_.put(keys::delegate(patient, delegate), d.SerializeAsString());
  events_.emit(events::kDelegateSet).attr("patient", d.patient()).attr("delegate", d.delegate());
}

void ConsentKeeper::remove_delegate(const crypto::Address& patient, const crypto::Address& delegate,
                                    const crypto::Address& signer) {
  state_.erase(keys::delegate(patient, delegate));
  events_.emit(events::kDelegateRemoved)
      .attr("patient", patient.to_string())
      .attr("delegate", delegate.to_string())
      .attr("signer", signer.to_string());
}

void ConsentKeeper::expire(uint64_t time_ms) {
  const Bytes prefix = keys::all_expiries();
  std::vector<uint64_t> due;
  state_.scan(prefix, [&](std::string_view key, std::string_view) {
    ledger::KeyReader k(key.substr(prefix.size()));
    uint64_t expiry = 0;
    uint64_t id = 0;
    if (!k.u64(expiry) || !k.u64(id)) return true;  // never written (invariant)
    if (expiry > time_ms) return false;             // in expiry order: the rest are later
    due.push_back(id);
    return true;
  });
  for (uint64_t id : due) {
    auto g = view().grant(id);
    if (!g || g->status() != v1::GRANT_STATUS_ACTIVE) continue;  // never (invariant)
    drop_active(*g);
    g->set_status(v1::GRANT_STATUS_EXPIRED);
    put_grant(*g);
    events_.emit(events::kExpired)
        .attr("grant_id", g->grant_id())
        .attr("patient", g->patient())
        .attr("grantee", g->grantee())
        .attr("record_hash", to_hex(g->record_hash()))
        .attr("expiry_ms", g->expiry_ms());
  }
}

}  // namespace btt::modules::consent

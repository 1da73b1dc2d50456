// Consent invariants (doc/consent.md "Invariants"), checked after every tx and block: the
// records hold (state_problems: addresses, hashes, enums, ids below their counters, every access
// under a grant it matches, each grant's access count); every record sits at the key its fields
// give; the indexes are exactly what the grants give: by patient, grantee and record for every
// grant, active and expiry entries for exactly the active grants (each with its expiry).
#include <set>

#include "btt/modules/consent/view.h"
#include "keys.h"
#include "module.h"

namespace btt::modules::consent {

std::vector<std::string> ConsentModule::check_invariants(const ledger::StateReader& state) const {
  std::vector<std::string> out;
  const auto st = ConsentView(state).genesis_state();
  auto problems = state_problems(st);
  for (auto& p : problems) out.push_back("consent: " + p);
  if (!problems.empty()) return out;  // the index checks below parse the records' addresses

  // Every key under `prefix`, so the expected set can be compared whole.
  auto keys_under = [&](const Bytes& prefix) {
    std::set<Bytes> keys;
    state.scan(prefix, [&](std::string_view key, std::string_view) {
      keys.emplace(key);
      return true;
    });
    return keys;
  };
  auto u64be = [](uint64_t v) {
    std::string s;
    put_u64_be(s, v);
    return s;
  };
  std::set<Bytes> grant_keys, pg, gg, rec, act, exp;
  for (const auto& g : st.grants()) {
    const auto patient = *crypto::Address::parse(g.patient());
    const auto grantee = *crypto::Address::parse(g.grantee());
    grant_keys.insert(keys::grant(g.grant_id()));
    pg.insert(keys::by_patient(patient, g.grant_id()));
    gg.insert(keys::by_grantee(grantee, g.grant_id()));
    rec.insert(keys::by_record(patient, g.record_hash(), grantee, g.grant_id()));
    if (g.status() == v1::GRANT_STATUS_ACTIVE) {
      const Bytes a = keys::active(patient, g.grant_id());
      act.insert(a);
      exp.insert(keys::expiry(g.expiry_ms(), g.grant_id()));
      if (state.get(a) != u64be(g.expiry_ms())) {
        out.push_back("consent: the active entry of grant " + std::to_string(g.grant_id()) +
                      " does not hold its expiry");
      }
    }
  }
  auto same = [&](const Bytes& prefix, const std::set<Bytes>& want, const char* what) {
    if (keys_under(prefix) != want) {
      out.push_back(std::string("consent: the ") + what + " index is not what the grants give");
    }
  };
  same(keys::grants(), grant_keys, "grant");
  same(keys::all_by_patient(), pg, "patient");
  same(keys::all_by_grantee(), gg, "grantee");
  same(keys::all_by_record(), rec, "record");
  same(keys::all_active(), act, "active");
  same(keys::all_expiries(), exp, "expiry");

  std::set<Bytes> access_keys, delegate_keys;
  for (const auto& a : st.accesses())
    access_keys.insert(keys::access(a.record_hash(), a.access_id()));
  for (const auto& d : st.delegates()) {
    delegate_keys.insert(keys::delegate(*crypto::Address::parse(d.patient()),
                                        *crypto::Address::parse(d.delegate())));
  }
  same(keys::all_accesses(), access_keys, "access");
  same(keys::all_delegates(), delegate_keys, "delegate");
  return out;
}

}  // namespace btt::modules::consent

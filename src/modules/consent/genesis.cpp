// Consent genesis (doc/consent.md "Genesis"), in two forms. A new chain's section is
// {"params": ConsentParams} in protobuf JSON (fields left out take their defaults). A running
// chain's export is {"state": ConsentGenesisState}: params (when stored), grants, access
// declarations, delegates and the id counters, checked as the invariants check the state; the
// indexes are rebuilt from the grants. Absent: the defaults, no grants.
#include <map>
#include <set>
#include <utility>

#include <nlohmann/json.hpp>

#include "btt/ledger/genesis_section.h"
#include "btt/ledger/proto_json.h"
#include "btt/modules/consent/errors.h"
#include "btt/modules/consent/view.h"
#include "keeper.h"
#include "keys.h"
#include "module.h"

namespace btt::modules::consent {
namespace {

Status bad(const std::string& what) {
  return {errors::kBadGenesis, "consent: " + what};
}

Result<v1::ConsentParams> parse_params(const nlohmann::json& section) {
  return ledger::parse_params_section(section, default_params(), validate_params, bad);
}

Result<v1::ConsentGenesisState> parse_state(const nlohmann::json& section) {
  v1::ConsentGenesisState st;
  if (auto s = ledger::parse_state_section(section, st, bad); !s) return s;
  auto problems = state_problems(st);
  if (!problems.empty()) return bad(problems.front());
  return st;
}

// The canonical spelling of an address, or nullopt.
std::optional<std::string> canonical(const std::string& text) {
  auto a = crypto::Address::parse(text);
  if (!a) return std::nullopt;
  return a->to_string();
}

}  // namespace

std::vector<std::string> state_problems(const v1::ConsentGenesisState& st) {
  std::vector<std::string> out;
  if (st.has_params()) {
    if (auto s = validate_params(st.params()); !s) out.push_back(s.message());
  }
  const uint64_t next_grant = st.next_grant_id() == 0 ? 1 : st.next_grant_id();
  const uint64_t next_access = st.next_access_id() == 0 ? 1 : st.next_access_id();
  // An address field in its canonical spelling (records and keys are written so).
  auto address = [&](const std::string& text, const std::string& what) {
    auto c = canonical(text);
    if (!c) {
      out.push_back(what + " is not an address");
    } else if (*c != text) {
      out.push_back(what + " is not in canonical (lower-case) spelling");
    }
    return c.has_value();
  };
  std::map<uint64_t, const v1::ConsentGrant*> grants;
  for (const auto& g : st.grants()) {
    const std::string what = "grant " + std::to_string(g.grant_id());
    if (g.grant_id() == 0 || g.grant_id() >= next_grant) {
      out.push_back(what + ": id outside 1..next_grant_id " + std::to_string(next_grant) +
                    " (exclusive)");
    }
    if (!grants.emplace(g.grant_id(), &g).second) out.push_back(what + " twice");
    const bool ok = address(g.patient(), what + ": patient") &
                    address(g.grantee(), what + ": grantee") &
                    address(g.custodian(), what + ": custodian") &
                    address(g.granted_by(), what + ": granted_by");
    if (ok && g.patient() == g.grantee()) out.push_back(what + ": the grantee is the patient");
    if (g.record_hash().size() != 32) out.push_back(what + ": record_hash is not 32 bytes");
    if (auto s = check_scope(g.scope(), what); !s) out.push_back(s.message());
    if (auto s = check_purposes(g.purposes(), what); !s) out.push_back(s.message());
    if (g.expiry_ms() == 0) out.push_back(what + ": expiry_ms is 0");
    if (!v1::GrantStatus_IsValid(g.status())) {
      out.push_back(what + ": status " + std::to_string(g.status()) + " is not a grant status");
    }
    if (g.status() == v1::GRANT_STATUS_REVOKED) {
      address(g.revoked_by(), what + ": revoked_by");
    } else if (!g.revoked_by().empty() || g.revoked_ms() != 0 || g.revoked_height() != 0) {
      out.push_back(what + ": not revoked but has revocation fields");
    }
  }
  std::map<uint64_t, uint64_t> accesses_of;
  std::set<uint64_t> access_ids;
  for (const auto& a : st.accesses()) {
    const std::string what = "access " + std::to_string(a.access_id());
    if (a.access_id() == 0 || a.access_id() >= next_access) {
      out.push_back(what + ": id outside 1..next_access_id " + std::to_string(next_access) +
                    " (exclusive)");
    }
    if (!access_ids.insert(a.access_id()).second) out.push_back(what + " twice");
    auto it = grants.find(a.grant_id());
    if (it == grants.end()) {
      out.push_back(what + ": no grant " + std::to_string(a.grant_id()));
      continue;
    }
    const auto& g = *it->second;
    ++accesses_of[g.grant_id()];
    if (a.patient() != g.patient() || a.record_hash() != g.record_hash() ||
        a.custodian() != g.custodian() || a.reader() != g.grantee()) {
      out.push_back(what + ": patient, record_hash, custodian or reader differ from grant " +
                    std::to_string(g.grant_id()) + "'s");
    }
    if (a.declared_by() != g.grantee() && a.declared_by() != g.custodian()) {
      out.push_back(what + ": declared_by is neither the grantee nor the custodian");
    }
    if (auto s = check_purpose(a.purpose(), what); !s) out.push_back(s.message());
    if (!purpose_covered(g, a.purpose())) out.push_back(what + ": purpose not in the grant's");
    if (auto s = check_scope(a.scope(), what); !s) out.push_back(s.message());
    if (!scope_covers(g.scope(), a.scope())) out.push_back(what + ": scope not the grant's");
  }
  for (const auto& [id, g] : grants) {
    if (g->accesses() != accesses_of[id]) {
      out.push_back("grant " + std::to_string(id) + " counts " + std::to_string(g->accesses()) +
                    " accesses, " + std::to_string(accesses_of[id]) + " are recorded");
    }
  }
  std::set<std::pair<std::string, std::string>> pairs;
  for (const auto& d : st.delegates()) {
    const std::string what = "delegate " + d.delegate() + " of " + d.patient();
    if (!(address(d.patient(), what + ": patient") & address(d.delegate(), what + ": delegate"))) {
      continue;
    }
    if (d.patient() == d.delegate()) out.push_back(what + ": the delegate is the patient");
    if (!pairs.emplace(d.patient(), d.delegate()).second) out.push_back(what + " twice");
  }
  return out;
}

Status ConsentModule::validate_genesis(const nlohmann::json& section,
                                       const ledger::GenesisInfo&) const {
  if (section.is_null()) return Status::ok();
  if (!section.is_object()) return bad("the section must be an object");
  if (ledger::is_exported_section(section)) {
    auto st = parse_state(section);
    return st ? Status::ok() : st.status();
  }
  auto p = parse_params(section);
  return p ? Status::ok() : p.status();
}

Status ConsentModule::init_genesis(const nlohmann::json& section, const ledger::GenesisInfo&,
                                   ledger::BlockContext& ctx) {
  if (section.is_null()) return Status::ok();
  if (!section.is_object()) return bad("the section must be an object");
  ConsentKeeper keeper(ctx.state, ctx.events);
  if (ledger::is_exported_section(section)) {
    auto st = parse_state(section);
    if (!st) return st.status();
    keeper.import_state(*st);
    return Status::ok();
  }
  auto p = parse_params(section);
  if (!p) return p.status();
  keeper.set_params(*p);
  return Status::ok();
}

Result<nlohmann::json> ConsentModule::export_genesis(const ledger::StateReader& state) const {
  auto st = ConsentView(state).genesis_state();
  if (!st.has_params() && st.grants_size() == 0 && st.accesses_size() == 0 &&
      st.delegates_size() == 0 && st.next_grant_id() == 0 && st.next_access_id() == 0) {
    return nlohmann::json();
  }
  auto j = ledger::proto_to_json(st);
  if (!j) return j.status();
  return nlohmann::json{{"state", std::move(*j)}};
}

}  // namespace btt::modules::consent

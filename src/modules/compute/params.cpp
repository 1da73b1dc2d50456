// Compute parameters: defaults, the genesis section parser and table lookups (doc/compute.md
// "Parameters").
#include "btt/modules/compute/params.h"

#include <algorithm>

#include "btt/common/json_fields.h"
#include "btt/crypto/address.h"
#include "btt/ledger/ledger.h"
#include "btt/modules/compute/compute.h"
#include "btt/modules/compute/errors.h"

#include "keys.h"
#include "module.h"

namespace btt::modules::compute {
namespace {

constexpr uint32_t kMaxFactorBps = 100'000;  // no factor or multiplier above 10x
constexpr size_t kMaxTable = 256;

Status bad(const std::string& what) {
  return {errors::kBadParams, "compute: " + what};
}

// Underserved regions earn more per unit of useful work (a governance-changeable table).
const std::vector<std::pair<const char*, uint32_t>> kDefaultRegions = {
    {"BD", 15'000}, {"BR", 12'000}, {"CD", 15'000}, {"EG", 12'000}, {"ET", 15'000}, {"GH", 15'000},
    {"ID", 12'000}, {"IN", 12'000}, {"KE", 15'000}, {"MX", 12'000}, {"NG", 15'000}, {"PH", 12'000},
    {"PK", 15'000}, {"TZ", 15'000}, {"UG", 15'000}, {"VN", 12'000}, {"ZA", 12'000},
};

}  // namespace

bool valid_region(std::string_view region) {
  return region.size() == 2 &&
         std::all_of(region.begin(), region.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

bool valid_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxName) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
  });
}

bool valid_model(std::string_view model) {
  if (model.empty() || model.size() > kMaxName) return false;
  return std::all_of(model.begin(), model.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

v1::ComputeParams default_params() {
  v1::ComputeParams p;
  p.set_min_bond(1'000 * ledger::kUnitsPerBtt);
  p.set_slash_bps(1'000);
  p.set_audit_bps(1'000);
  p.set_heartbeat_interval_blocks(100);
  p.set_unbonding_blocks(1'000);
  p.set_reveal_blocks(50);
  p.set_data_fee_per_mib(10'000);
  p.set_reputation_initial_bps(5'000);
  p.set_reputation_floor_bps(2'000);
  p.set_reputation_reward_bps(100);
  p.set_reputation_penalty_bps(1'000);
  const std::pair<uint32_t, uint64_t> urgency[] = {{10'000, 600}, {15'000, 200}, {25'000, 50}};
  for (const auto& [mult, deadline] : urgency) {
    auto* u = p.add_urgency();
    u->set_multiplier_bps(mult);
    u->set_deadline_blocks(deadline);
  }
  for (const char* kind : {"cpu", "gpu", "npu", "tpu"}) {
    auto* h = p.add_hardware_multipliers();
    h->set_accelerator_kind(kind);
    h->set_multiplier_bps(10'000);
  }
  p.set_default_region_factor_bps(10'000);
  for (const auto& [region, bps] : kDefaultRegions) {
    auto* r = p.add_region_factors();
    r->set_region(region);
    r->set_factor_bps(bps);
  }
  const std::pair<uint32_t, uint32_t> tiers[] = {
      {0, 8'000}, {50, 10'000}, {100, 12'000}, {200, 15'000}};
  for (const auto& [min, bps] : tiers) {
    auto* t = p.add_energy_tiers();
    t->set_min_efficiency(min);
    t->set_factor_bps(bps);
  }
  // Sorted: is_job_kind searches them.
  for (const char* kind :
       {"image-stats-v1", "panoramic-caries-v1", "panoramic-lesions-v1", "treatment-plan-v1"}) {
    p.add_job_kinds(kind);
  }
  p.set_development_fund(development_fund_address().to_string());
  p.set_foundation(foundation_address().to_string());
  p.set_operational_reserve(operational_reserve_address().to_string());
  p.set_escrow(escrow_address().to_string());
  p.set_bonds(bonds_address().to_string());
  return p;
}

Status validate_params(const v1::ComputeParams& p) {
  if (p.min_bond() == 0) return bad("min_bond must be positive");
  if (p.slash_bps() > kBps) return bad("slash_bps above 10000");
  if (p.audit_bps() > kBps) return bad("audit_bps above 10000");
  if (p.heartbeat_interval_blocks() == 0 || p.heartbeat_interval_blocks() > 1'000'000) {
    return bad("heartbeat_interval_blocks must be 1..1000000");
  }
  if (p.unbonding_blocks() > 10'000'000) return bad("unbonding_blocks above 10000000");
  if (p.reveal_blocks() == 0 || p.reveal_blocks() > 1'000'000) {
    return bad("reveal_blocks must be 1..1000000");
  }
  if (p.data_fee_per_mib() > ledger::kUnitsPerBtt * 1'000) {
    return bad("data_fee_per_mib above 1000 BTT");
  }
  for (uint32_t v : {p.reputation_initial_bps(), p.reputation_floor_bps(),
                     p.reputation_reward_bps(), p.reputation_penalty_bps()}) {
    if (v > kBps) return bad("reputation values must be at most 10000");
  }
  if (p.urgency_size() != 3) return bad("urgency must list standard, priority and urgent");
  for (const auto& u : p.urgency()) {
    if (u.multiplier_bps() == 0 || u.multiplier_bps() > kMaxFactorBps) {
      return bad("urgency multiplier_bps must be 1..100000");
    }
    if (u.deadline_blocks() == 0 || u.deadline_blocks() > 1'000'000) {
      return bad("urgency deadline_blocks must be 1..1000000");
    }
  }
  if (p.hardware_multipliers_size() > static_cast<int>(kMaxTable) ||
      p.region_factors_size() > static_cast<int>(kMaxTable) ||
      p.energy_tiers_size() > static_cast<int>(kMaxTable) ||
      p.job_kinds_size() > static_cast<int>(kMaxTable) ||
      p.attesters_size() > static_cast<int>(kMaxTable)) {
    return bad("tables hold at most 256 rows");
  }
  std::string prev;
  for (const auto& h : p.hardware_multipliers()) {
    if (!valid_name(h.accelerator_kind())) return bad("bad accelerator kind in multipliers");
    if (h.multiplier_bps() == 0 || h.multiplier_bps() > kMaxFactorBps) {
      return bad("hardware multiplier_bps must be 1..100000");
    }
  }
  if (p.default_region_factor_bps() > kMaxFactorBps) return bad("region factor above 100000");
  prev.clear();
  for (const auto& r : p.region_factors()) {
    if (!valid_region(r.region())) return bad("region '" + excerpt(r.region()) + "' is not ISO");
    if (r.region() <= prev) return bad("region_factors must be sorted and unique");
    if (r.factor_bps() > kMaxFactorBps) return bad("region factor above 100000");
    prev = r.region();
  }
  if (p.energy_tiers().empty()) return bad("energy_tiers must not be empty");
  if (p.energy_tiers(0).min_efficiency() != 0) return bad("the first energy tier starts at 0");
  for (int i = 0; i < p.energy_tiers_size(); ++i) {
    const auto& t = p.energy_tiers(i);
    if (t.factor_bps() > kMaxFactorBps) return bad("energy factor above 100000");
    if (i > 0 && t.min_efficiency() <= p.energy_tiers(i - 1).min_efficiency()) {
      return bad("energy_tiers must ascend by min_efficiency");
    }
  }
  prev.clear();
  for (const auto& k : p.job_kinds()) {
    if (!valid_name(k)) return bad("job kind '" + excerpt(k) + "' is not [a-z0-9-_.]{1,64}");
    if (k <= prev) return bad("job_kinds must be sorted and unique");
    prev = k;
  }
  for (const auto& a : p.attesters()) {
    if (!crypto::Address::parse(a)) return bad("attester '" + excerpt(a) + "' is not an address");
  }
  for (const std::string* a : {&p.development_fund(), &p.foundation(), &p.operational_reserve(),
                               &p.escrow(), &p.bonds()}) {
    if (!crypto::Address::parse(*a)) return bad("fund address '" + excerpt(*a) + "' is invalid");
  }
  return Status::ok();
}

Result<v1::ComputeParams> parse_params(const nlohmann::json& section) {
  v1::ComputeParams p = default_params();
  if (section.is_null()) return p;
  if (!section.is_object()) return bad("section must be an object");
  const std::set<std::string> allowed = {"min_bond",
                                         "slash_bps",
                                         "audit_bps",
                                         "heartbeat_interval_blocks",
                                         "unbonding_blocks",
                                         "reveal_blocks",
                                         "data_fee_per_mib",
                                         "reputation_initial_bps",
                                         "reputation_floor_bps",
                                         "reputation_reward_bps",
                                         "reputation_penalty_bps",
                                         "urgency",
                                         "hardware_multipliers",
                                         "default_region_factor_bps",
                                         "region_factors",
                                         "energy_tiers",
                                         "job_kinds",
                                         "attesters",
                                         "development_fund",
                                         "foundation",
                                         "operational_reserve"};
  if (auto s = json_fields::only_keys(section, "compute", allowed); !s) return s;

  auto u64 = [&](const char* key, auto setter) -> Status {
    if (!section.contains(key)) return Status::ok();
    auto v = json_fields::u64(section[key], std::string("compute.") + key);
    if (!v) return v.status();
    setter(*v);
    return Status::ok();
  };
  auto u32 = [&](const char* key, auto setter) -> Status {
    if (!section.contains(key)) return Status::ok();
    auto v = json_fields::u32(section[key], std::string("compute.") + key);
    if (!v) return v.status();
    setter(*v);
    return Status::ok();
  };
  for (auto s : {
           u64("min_bond", [&](uint64_t v) { p.set_min_bond(v); }),
           u32("slash_bps", [&](uint32_t v) { p.set_slash_bps(v); }),
           u32("audit_bps", [&](uint32_t v) { p.set_audit_bps(v); }),
           u64("heartbeat_interval_blocks",
               [&](uint64_t v) { p.set_heartbeat_interval_blocks(v); }),
           u64("unbonding_blocks", [&](uint64_t v) { p.set_unbonding_blocks(v); }),
           u64("reveal_blocks", [&](uint64_t v) { p.set_reveal_blocks(v); }),
           u64("data_fee_per_mib", [&](uint64_t v) { p.set_data_fee_per_mib(v); }),
           u32("reputation_initial_bps", [&](uint32_t v) { p.set_reputation_initial_bps(v); }),
           u32("reputation_floor_bps", [&](uint32_t v) { p.set_reputation_floor_bps(v); }),
           u32("reputation_reward_bps", [&](uint32_t v) { p.set_reputation_reward_bps(v); }),
           u32("reputation_penalty_bps", [&](uint32_t v) { p.set_reputation_penalty_bps(v); }),
           u32("default_region_factor_bps",
               [&](uint32_t v) { p.set_default_region_factor_bps(v); }),
       }) {
    if (!s) return s;
  }
  if (section.contains("urgency")) {
    const auto& u = section["urgency"];
    if (auto s = json_fields::only_keys(u, "compute.urgency", {"standard", "priority", "urgent"});
        !s)
      return s;
    int i = 0;
    for (const char* name : {"standard", "priority", "urgent"}) {
      auto* terms = p.mutable_urgency(i++);
      if (!u.contains(name)) continue;
      const std::string where = std::string("compute.urgency.") + name;
      const auto& row = u[name];
      if (auto s = json_fields::only_keys(row, where, {"multiplier_bps", "deadline_blocks"}); !s)
        return s;
      if (row.contains("multiplier_bps")) {
        auto v = json_fields::u32(row["multiplier_bps"], where + ".multiplier_bps");
        if (!v) return v.status();
        terms->set_multiplier_bps(*v);
      }
      if (row.contains("deadline_blocks")) {
        auto v = json_fields::u64(row["deadline_blocks"], where + ".deadline_blocks");
        if (!v) return v.status();
        terms->set_deadline_blocks(*v);
      }
    }
  }
  // Tables given as objects {key: bps} replace the default table whole.
  auto table = [&](const char* key, auto add) -> Status {
    if (!section.contains(key)) return Status::ok();
    const auto& t = section[key];
    const std::string where = std::string("compute.") + key;
    if (!t.is_object()) return bad(std::string(key) + " must be an object");
    for (const auto& [k, v] : t.items()) {  // nlohmann objects iterate in key order
      auto bps = json_fields::u32(v, where + "." + k);
      if (!bps) return bps.status();
      add(k, *bps);
    }
    return Status::ok();
  };
  if (section.contains("hardware_multipliers")) p.clear_hardware_multipliers();
  if (auto s = table("hardware_multipliers",
                     [&](const std::string& k, uint32_t v) {
                       auto* h = p.add_hardware_multipliers();
                       h->set_accelerator_kind(k);
                       h->set_multiplier_bps(v);
                     });
      !s)
    return s;
  if (section.contains("region_factors")) p.clear_region_factors();
  if (auto s = table("region_factors",
                     [&](const std::string& k, uint32_t v) {
                       auto* r = p.add_region_factors();
                       r->set_region(k);
                       r->set_factor_bps(v);
                     });
      !s)
    return s;
  if (section.contains("energy_tiers")) {
    p.clear_energy_tiers();
    const auto& tiers = section["energy_tiers"];
    if (!tiers.is_array()) return bad("energy_tiers must be an array");
    for (size_t i = 0; i < tiers.size(); ++i) {
      const std::string where = "compute.energy_tiers[" + std::to_string(i) + "]";
      if (auto s = json_fields::only_keys(tiers[i], where, {"min_efficiency", "factor_bps"}); !s)
        return s;
      for (const char* k : {"min_efficiency", "factor_bps"}) {
        if (auto s = json_fields::required(tiers[i], k, where); !s) return s;
      }
      auto min = json_fields::u32(tiers[i]["min_efficiency"], where + ".min_efficiency");
      if (!min) return min.status();
      auto bps = json_fields::u32(tiers[i]["factor_bps"], where + ".factor_bps");
      if (!bps) return bps.status();
      auto* t = p.add_energy_tiers();
      t->set_min_efficiency(*min);
      t->set_factor_bps(*bps);
    }
  }
  auto strings = [&](const char* key, auto add) -> Status {
    if (!section.contains(key)) return Status::ok();
    const auto& list = section[key];
    if (!list.is_array()) return bad(std::string(key) + " must be an array");
    for (size_t i = 0; i < list.size(); ++i) {
      auto v = json_fields::string(list[i],
                                   std::string("compute.") + key + "[" + std::to_string(i) + "]");
      if (!v) return v.status();
      add(*v);
    }
    return Status::ok();
  };
  if (section.contains("job_kinds")) p.clear_job_kinds();
  if (auto s = strings("job_kinds", [&](const std::string& v) { p.add_job_kinds(v); }); !s)
    return s;
  std::sort(p.mutable_job_kinds()->begin(), p.mutable_job_kinds()->end());
  if (auto s = strings("attesters",
                       [&](const std::string& v) {
                         auto a = crypto::Address::parse(v);
                         p.add_attesters(a ? a->to_string() : v);
                       });
      !s)
    return s;
  for (const char* key : {"development_fund", "foundation", "operational_reserve"}) {
    if (!section.contains(key)) continue;
    auto v = json_fields::string(section[key], std::string("compute.") + key);
    if (!v) return v.status();
    auto a = crypto::Address::parse(*v);
    if (!a) return bad(std::string(key) + " '" + excerpt(*v) + "' is not an address");
    const std::string k = key;
    if (k == "development_fund") p.set_development_fund(a->to_string());
    if (k == "foundation") p.set_foundation(a->to_string());
    if (k == "operational_reserve") p.set_operational_reserve(a->to_string());
  }
  if (auto s = validate_params(p); !s) return s;
  return p;
}

uint32_t hardware_multiplier(const v1::ComputeParams& p, std::string_view kind) {
  for (const auto& h : p.hardware_multipliers()) {
    if (h.accelerator_kind() == kind) return h.multiplier_bps();
  }
  return static_cast<uint32_t>(kBps);
}

uint32_t region_factor(const v1::ComputeParams& p, std::string_view region) {
  for (const auto& r : p.region_factors()) {
    if (r.region() == region) return r.factor_bps();
  }
  return p.default_region_factor_bps();
}

uint32_t energy_factor(const v1::ComputeParams& p, uint32_t efficiency, bool attested) {
  uint32_t f = static_cast<uint32_t>(kBps);
  for (const auto& t : p.energy_tiers()) {
    if (t.min_efficiency() <= efficiency) f = t.factor_bps();
  }
  // A bonus needs an attester's confirmation; a declared figure can only lower the factor.
  if (!attested && f > kBps) f = static_cast<uint32_t>(kBps);
  return f;
}

bool is_job_kind(const v1::ComputeParams& p, std::string_view kind) {
  return std::binary_search(p.job_kinds().begin(), p.job_kinds().end(), kind);
}

const ledger::ParamsSpec* ComputeModule::params() const {
  static const ledger::TypedParams<v1::ComputeParams> kSpec(keys::params(), &default_params,
                                                            &validate_params);
  return &kSpec;
}

}  // namespace btt::modules::compute

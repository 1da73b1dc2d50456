// Consent params (doc/consent.md "Parameters"): one ConsentParams record, changed only through
// the generic params path (chain::set_params), which runs validate_params first. Without a
// stored record the defaults are in force.
#include "btt/modules/consent/errors.h"
#include "keys.h"
#include "module.h"

namespace btt::modules::consent {

inline constexpr uint64_t kDayMs = 86'400'000;
inline constexpr uint64_t kMaxGrantDurationCap = 10 * 365 * kDayMs;  // ten years
inline constexpr uint32_t kMaxGrantsCap = 100'000;
inline constexpr uint32_t kMaxDelegatesCap = 100;

v1::ConsentParams default_params() {
  v1::ConsentParams p;
  p.set_max_grant_duration_ms(2 * 365 * kDayMs);
  p.set_max_grants_per_patient(1'000);
  p.set_max_delegates(5);
  return p;
}

Status validate_params(const v1::ConsentParams& p) {
  auto bad = [](const std::string& what) {
    return Status{errors::kBadParams, "consent params: " + what};
  };
  if (p.max_grant_duration_ms() == 0 || p.max_grant_duration_ms() > kMaxGrantDurationCap) {
    return bad("max_grant_duration_ms must be 1.." + std::to_string(kMaxGrantDurationCap));
  }
  if (p.max_grants_per_patient() == 0 || p.max_grants_per_patient() > kMaxGrantsCap) {
    return bad("max_grants_per_patient must be 1.." + std::to_string(kMaxGrantsCap));
  }
  if (p.max_delegates() > kMaxDelegatesCap) {
    return bad("max_delegates must be 0.." + std::to_string(kMaxDelegatesCap));
  }
  return Status::ok();
}

const ledger::TypedParams<v1::ConsentParams>& params_spec() {
  static const ledger::TypedParams<v1::ConsentParams> kSpec(keys::params(), &default_params,
                                                            &validate_params);
  return kSpec;
}

const ledger::ParamsSpec* ConsentModule::params() const {
  return &params_spec();
}

}  // namespace btt::modules::consent

// Oracle params (doc/oracle.md "Parameters"): one OracleParams record, changed only through the
// generic params path (chain::set_params), which runs validate_params first. Without a stored
// record the defaults are in force.
#include "btt/modules/oracle/errors.h"
#include "keys.h"
#include "module.h"

namespace btt::modules::oracle {

inline constexpr uint32_t kMaxHistoryCap = 10'000;
inline constexpr uint32_t kMaxMinPosts = 1'000;

v1::OracleParams default_params() {
  v1::OracleParams p;
  p.set_max_age_ms(300'000);
  p.set_min_posts(1);
  p.set_max_history(100);
  return p;
}

Status validate_params(const v1::OracleParams& p) {
  auto bad = [](const std::string& what) {
    return Status{errors::kBadParams, "oracle params: " + what};
  };
  if (p.max_age_ms() == 0) return bad("max_age_ms must be positive");
  if (p.min_posts() == 0 || p.min_posts() > kMaxMinPosts) {
    return bad("min_posts must be 1.." + std::to_string(kMaxMinPosts));
  }
  if (p.max_history() == 0 || p.max_history() > kMaxHistoryCap) {
    return bad("max_history must be 1.." + std::to_string(kMaxHistoryCap));
  }
  return Status::ok();
}

const ledger::TypedParams<v1::OracleParams>& params_spec() {
  static const ledger::TypedParams<v1::OracleParams> kSpec(keys::params(), &default_params,
                                                           &validate_params);
  return kSpec;
}

const ledger::ParamsSpec* OracleModule::params() const {
  return &params_spec();
}

}  // namespace btt::modules::oracle

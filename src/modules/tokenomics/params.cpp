// Tokenomics params: TokenomicsParams at "tok/params", written at genesis from the allocation.
// A change through chain::set_params keeps the fixed supply and the mining escrow (the validation
// pins both) and must give a positive month and well-formed category ids.
#include "btt/modules/tokenomics/errors.h"
#include "btt/modules/tokenomics/schedule.h"
#include "keys.h"
#include "module.h"

namespace btt::modules::tokenomics {
namespace {

v1::TokenomicsParams default_params() {
  v1::TokenomicsParams p;
  p.set_fixed_supply(kFixedSupply);
  p.set_mining_escrow(mining_escrow_address().to_string());
  return p;
}

Status validate_params(const v1::TokenomicsParams& p) {
  if (p.fixed_supply() != kFixedSupply) {
    return {errors::kBadParams, "fixed_supply must be " + std::to_string(kFixedSupply)};
  }
  if (p.mining_escrow() != mining_escrow_address().to_string()) {
    return {errors::kBadParams, "mining_escrow must be " + mining_escrow_address().to_string()};
  }
  if (p.month_s() == 0) return {errors::kBadParams, "month_s must be positive"};
  for (const auto& id : p.categories()) {
    if (!is_valid_id(id)) return {errors::kBadParams, "category '" + excerpt(id) + "' invalid"};
  }
  return Status::ok();
}

}  // namespace

const ledger::ParamsSpec* TokenomicsModule::params() const {
  static const ledger::TypedParams<v1::TokenomicsParams> kSpec(keys::params(), &default_params,
                                                               &validate_params);
  return &kSpec;
}

}  // namespace btt::modules::tokenomics

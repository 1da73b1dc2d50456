#include "keeper.h"

#include "btt/modules/tokenomics/errors.h"
#include "btt/modules/tokenomics/schedule.h"
#include "keys.h"

namespace btt::modules::tokenomics {

void TokenomicsKeeper::set_params(const v1::TokenomicsParams& params) {
  state_.put(keys::params(), params.SerializeAsString());
}

void TokenomicsKeeper::put_category(const v1::CategoryRecord& category) {
  state_.put(keys::category(category.id()), category.SerializeAsString());
}

void TokenomicsKeeper::put_milestone(const v1::MilestoneRecord& milestone) {
  state_.put(keys::milestone(milestone.category(), milestone.milestone()),
             milestone.SerializeAsString());
}

void TokenomicsKeeper::put_locks(const crypto::Address& account, const v1::AccountLocks& locks) {
  state_.put(keys::lock(account), locks.SerializeAsString());
}

void TokenomicsKeeper::set_emission_state(const v1::EmissionState& state) {
  state_.put(keys::emission(), state.SerializeAsString());
}

void TokenomicsKeeper::set_burned(std::string_view source, uint64_t amount) {
  state_.put(keys::burn(source), u64_be(amount));
}

void TokenomicsKeeper::set_burned_total(uint64_t amount) {
  state_.put(keys::burned(), u64_be(amount));
}

Status TokenomicsKeeper::burn(const crypto::Address& from, uint64_t amount, std::string_view source,
                              uint64_t time_ms) {
  if (amount == 0) return {errors::kZeroAmount, "burn: amount must be positive"};
  if (!is_valid_id(source)) {
    return {errors::kBadBurnSource,
            "burn: source '" + excerpt(source) + "' must be 2..32 characters of [a-z_]"};
  }
  ledger::Ledger l(state_, events_, locks_);
  if (auto s = ledger::require_spendable(l, from, ledger::kNativeAsset, amount, time_ms); !s) {
    return s;
  }
  // balance >= amount, supply >= every balance (the bank invariant) and burned + supply = the
  // fixed supply (the tokenomics invariant): none of the three below can leave its range.
  const auto supply = checked_sub(l.supply(ledger::kNativeAsset), amount);
  const auto by_source = checked_add(ledger::read_u64(state_, keys::burn(source)), amount);
  const auto burned = checked_add(view().burned(), amount);
  if (!supply || !by_source || !burned) {
    return {errors::kBurnOverflow, "burn: the supply or burn totals would leave their range"};
  }
  if (auto s = l.debit(from, ledger::kNativeAsset, amount); !s) return s;
  l.set_supply(ledger::kNativeAsset, *supply);
  state_.put(keys::burn(source), u64_be(*by_source));
  state_.put(keys::burned(), u64_be(*burned));
  return Status::ok();
}

}  // namespace btt::modules::tokenomics

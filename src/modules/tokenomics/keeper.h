#pragma once
// The tokenomics keeper: the only code that writes the module's keys (src/modules/tokenomics/
// keys.h). Handlers, genesis, the emission hook and the burn other modules call go through it.
#include "btt/ledger/module.h"
#include "btt/modules/tokenomics/view.h"
#include "btt/v1/tokenomics.pb.h"

namespace btt::modules::tokenomics {

class TokenomicsKeeper {
 public:
  TokenomicsKeeper(ledger::Overlay& state, ledger::Events& events,
                   const ledger::LockProviders* locks)
      : state_(state), events_(events), locks_(locks) {}
  [[nodiscard]] TokenomicsView view() const { return TokenomicsView(state_); }

  void set_params(const v1::TokenomicsParams& params);
  void put_category(const v1::CategoryRecord& category);
  void put_milestone(const v1::MilestoneRecord& milestone);
  void put_locks(const crypto::Address& account, const v1::AccountLocks& locks);
  void set_emission_state(const v1::EmissionState& state);
  // Destroys `amount` of `from`'s spendable BTT, shrinks the supply and records the burn under
  // `source` (the checks of tokenomics::burn in tokenomics.h).
  [[nodiscard]] Status burn(const crypto::Address& from, uint64_t amount, std::string_view source,
                            uint64_t time_ms);
  // Genesis import of exported burn records: one source's total, and the total of all sources.
  void set_burned(std::string_view source, uint64_t amount);
  void set_burned_total(uint64_t amount);

 private:
  ledger::Overlay& state_;
  ledger::Events& events_;
  const ledger::LockProviders* locks_;
};

}  // namespace btt::modules::tokenomics

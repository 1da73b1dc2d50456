// Governance invariants (doc/governance.md "Invariants"), checked after every tx and block:
// the deposits account holds exactly the deposits of the open proposals; every open proposal is
// indexed active and no closed one is; every tallying proposal has its progress record; and
// every stream is before its end. Supply conservation is the test environment's check.
#include "btt/ledger/ledger.h"
#include "btt/modules/governance/view.h"
#include "keys.h"
#include "module.h"

namespace btt::modules::governance {

std::vector<std::string> GovernanceModule::check_invariants(
    const ledger::StateReader& state) const {
  std::vector<std::string> out;
  if (!state.get(keys::params())) return out;
  GovernanceView view(state);
  uint64_t held = 0;
  for (const auto& p : ledger::read_records<v1::ProposalRecord>(state, keys::proposals())) {
    const bool open = p.status() == v1::PROPOSAL_STATUS_DEPOSIT_PERIOD ||
                      p.status() == v1::PROPOSAL_STATUS_VOTING_PERIOD ||
                      p.status() == v1::PROPOSAL_STATUS_TALLYING;
    if (open != state.get(keys::active(p.id())).has_value()) {
      out.push_back("governance: proposal " + std::to_string(p.id()) +
                    (open ? " is open but not indexed active" : " is closed but indexed active"));
    }
    if ((p.status() == v1::PROPOSAL_STATUS_TALLYING) !=
        state.get(keys::tally(p.id())).has_value()) {
      out.push_back("governance: proposal " + std::to_string(p.id()) +
                    " tally progress does not match its status");
    }
    uint64_t sum = 0;
    for (const auto& d : view.deposits(p.id())) sum += d.amount();
    if (sum != p.total_deposit()) {
      out.push_back("governance: proposal " + std::to_string(p.id()) + " records deposit " +
                    std::to_string(p.total_deposit()) + ", its deposits sum to " +
                    std::to_string(sum));
    }
    if (open) held += sum;
  }
  const uint64_t balance = ledger::Ledger(state).balance(deposits_address(), ledger::kNativeAsset);
  if (balance != held) {
    out.push_back("governance: the deposits account holds " + std::to_string(balance) +
                  ", the open proposals' deposits sum to " + std::to_string(held));
  }
  for (const auto& s : view.streams()) {
    if (s.paid() > s.amount() || s.blocks_paid() >= s.blocks()) {
      out.push_back("governance: stream " + std::to_string(s.id()) + " is past its end");
    }
  }
  return out;
}

}  // namespace btt::modules::governance

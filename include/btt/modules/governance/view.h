#pragma once
// Reads of the governance state and the answers of its queries (doc/governance.md "Queries").
#include <optional>
#include <vector>

#include "btt/common/status.h"
#include "btt/crypto/address.h"
#include "btt/ledger/state.h"
#include "btt/v1/governance.pb.h"

namespace btt::modules::governance {

class GovernanceView {
 public:
  explicit GovernanceView(const ledger::StateReader& state) : state_(state) {}

  [[nodiscard]] v1::GovernanceParams params() const;
  [[nodiscard]] std::optional<v1::ProposalRecord> proposal(uint64_t id) const;
  [[nodiscard]] std::vector<v1::DepositRecord> deposits(uint64_t id) const;
  [[nodiscard]] std::optional<v1::VoteRecord> vote(uint64_t id, const crypto::Address& voter) const;
  [[nodiscard]] std::vector<v1::VoteRecord> votes(uint64_t id) const;
  [[nodiscard]] std::vector<v1::TreasuryStream> streams() const;
  [[nodiscard]] std::optional<v1::FoundationActRecord> foundation_act(uint64_t id) const;
  [[nodiscard]] std::vector<v1::FoundationActRecord> foundation_acts() const;
  // Upgrades applied at their height, by name.
  [[nodiscard]] std::vector<v1::AppliedUpgrade> applied_upgrades() const;
  // Proposals in deposit, voting or tallying (what max_active_proposals bounds).
  [[nodiscard]] uint64_t active_count() const;
  [[nodiscard]] v1::GovernanceGenesisState genesis_state() const;

  // The tally the proposal's votes give over the state now, in one pass (a query, off the
  // consensus path; the end-block tally counts the same figures within its per-block budget).
  [[nodiscard]] v1::TallyResult live_tally(uint64_t id, uint64_t time_ms) const;

  // Query answers: NOT_FOUND for an unknown proposal.
  [[nodiscard]] Result<v1::ListProposalsResponse> list_proposals(
      const v1::ListProposalsRequest& req) const;
  [[nodiscard]] Result<v1::ProposalRecord> get_proposal(uint64_t id) const;
  [[nodiscard]] Result<v1::TallyResult> tally(uint64_t id, uint64_t time_ms) const;

 private:
  const ledger::StateReader& state_;
};

}  // namespace btt::modules::governance

#pragma once
// Reads of the tokenomics state and the answers of its queries (supply breakdown, allocations now
// or projected, an account's vesting, the emission schedule). Pure functions of one state and a
// time: the gRPC service is a thin adapter over them.
#include <optional>
#include <string>
#include <vector>

#include "btt/crypto/address.h"
#include "btt/ledger/ledger.h"
#include "btt/ledger/state.h"
#include "btt/modules/tokenomics/schedule.h"
#include "btt/v1/tokenomics.pb.h"

namespace btt::modules::tokenomics {

// The schedule structs of a category record.
[[nodiscard]] VestingSchedule vesting_of(const v1::CategoryRecord& c);
[[nodiscard]] MilestoneCeiling milestones_of(const v1::CategoryRecord& c);
[[nodiscard]] EmissionCurve emission_of(const v1::CategoryRecord& c);

// Still-locked part of a vesting or milestones category at t_s (0 for other kinds).
[[nodiscard]] uint64_t locked_at(const v1::CategoryRecord& c, uint64_t t_s);

class TokenomicsView {
 public:
  explicit TokenomicsView(const ledger::StateReader& state) : state_(state) {}

  // nullopt when the chain has no tokenomics state (never on a chain from a valid genesis).
  [[nodiscard]] std::optional<v1::TokenomicsParams> params() const;
  [[nodiscard]] std::optional<v1::CategoryRecord> category(std::string_view id) const;
  // In genesis order.
  [[nodiscard]] std::vector<v1::CategoryRecord> categories() const;
  [[nodiscard]] v1::EmissionState emission_state() const;
  [[nodiscard]] std::vector<v1::MilestoneRecord> milestones(std::string_view category) const;
  [[nodiscard]] std::optional<v1::MilestoneRecord> milestone(std::string_view category,
                                                             std::string_view name) const;
  [[nodiscard]] v1::AccountLocks locks(const crypto::Address& addr) const;
  // Every account with locks, by address bytes.
  [[nodiscard]] std::vector<std::pair<crypto::Address, v1::AccountLocks>> all_locks() const;
  [[nodiscard]] uint64_t burned() const;
  [[nodiscard]] std::vector<v1::BurnSource> burned_by_source() const;
  // BTT still locked in the account at time_ms by every category naming it.
  [[nodiscard]] uint64_t locked(const crypto::Address& addr, uint64_t time_ms) const;

  // --- query answers (height and time_ms describe the state read) ---
  [[nodiscard]] Result<v1::SupplyBreakdown> supply_breakdown(uint64_t height,
                                                             uint64_t time_ms) const;
  // at_time_ms 0 means time_ms.
  [[nodiscard]] Result<v1::Allocations> allocations(uint64_t height, uint64_t time_ms,
                                                    uint64_t at_time_ms) const;
  // `spendable` follows the ledger's rule over every module's lock provider: delegated
  // vesting BTT is held back in the stake, stake locks on top (doc/tokenomics.md "Locks").
  [[nodiscard]] Result<v1::Vesting> vesting(const crypto::Address& addr, uint64_t height,
                                            uint64_t time_ms, uint64_t at_time_ms,
                                            const ledger::LockProviders& providers) const;
  // Epochs from from_epoch, at most `limit` (kInvalidArgument above 1000).
  [[nodiscard]] Result<v1::EmissionSchedule> emission(uint64_t height, uint64_t time_ms,
                                                      uint64_t from_epoch, uint32_t limit) const;
  // One category's state at at_time_ms (projected with the state as it is now).
  [[nodiscard]] v1::AllocationState allocation(const v1::CategoryRecord& c, uint64_t time_ms,
                                               uint64_t at_time_ms) const;

 private:
  const ledger::StateReader& state_;
};

// Paid epochs due by time t_s: every epoch that has started (all of them once the curve ended).
[[nodiscard]] uint64_t epochs_due(const EmissionCurve& curve, uint64_t t_s);

}  // namespace btt::modules::tokenomics

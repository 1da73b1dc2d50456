#pragma once
// Reads of the staking state and the answers of its queries (doc/staking.md "Queries").
#include <optional>
#include <vector>

#include "btt/common/status.h"
#include "btt/common/u128.h"
#include "btt/crypto/address.h"
#include "btt/ledger/ledger.h"
#include "btt/ledger/state.h"
#include "btt/v1/staking.pb.h"

namespace btt::modules::staking {

class StakingView {
 public:
  explicit StakingView(const ledger::StateReader& state) : state_(state) {}

  [[nodiscard]] std::optional<v1::StakingParams> params() const;  // nullopt: staking is off
  [[nodiscard]] std::optional<v1::ValidatorRecord> validator(const crypto::Address& v) const;
  [[nodiscard]] std::vector<v1::ValidatorRecord> validators() const;  // by address bytes
  [[nodiscard]] std::optional<v1::DelegationRecord> delegation(const crypto::Address& v,
                                                               const crypto::Address& d) const;
  [[nodiscard]] std::vector<v1::DelegationRecord> delegations_to(const crypto::Address& v) const;
  [[nodiscard]] std::vector<v1::DelegationRecord> delegations_of(const crypto::Address& d) const;
  [[nodiscard]] std::vector<v1::UnbondingEntry> unbondings_of(const crypto::Address& d) const;
  [[nodiscard]] std::vector<v1::UnbondingEntry> unbondings_of(const crypto::Address& d,
                                                              const crypto::Address& v) const;
  [[nodiscard]] std::vector<v1::RedelegationEntry> redelegations_of(const crypto::Address& d) const;
  [[nodiscard]] std::vector<v1::RedelegationEntry> redelegations_to(
      const crypto::Address& d, const crypto::Address& dst) const;
  [[nodiscard]] v1::DistributionState distribution() const;
  [[nodiscard]] v1::ChosenSet chosen_set() const;
  [[nodiscard]] std::vector<v1::StakeLock> locks_of(const crypto::Address& owner) const;
  // Locks in force at time_ms, their highest tier and the BTT they hold back.
  [[nodiscard]] v1::StakeLocks stake_locks(const crypto::Address& owner, uint64_t time_ms) const;
  // The GetStakeLocks answer: stake_locks() and how every module's lock provider (`locks`, the
  // ledger's rule) holds the account's BTT back, with its delegated vesting and free BTT.
  [[nodiscard]] v1::StakeLocks stake_locks(const crypto::Address& owner, uint64_t time_ms,
                                           const ledger::LockProviders& locks) const;
  // The account's own BTT outside its balance: its delegations at their value now and its
  // unbonding entries' balances (the ledger's `staked`; one read per delegation and entry).
  [[nodiscard]] uint64_t own_stake(const crypto::Address& owner) const;

  // Every record under "stk/" (the queues and indexes left out: they are derived), for export.
  [[nodiscard]] v1::StakingGenesisState genesis_state() const;

  // What `shares` of validator `v` are worth now (the last holder of all shares gets all tokens).
  [[nodiscard]] static uint64_t tokens_of(const v1::ValidatorRecord& v, uint64_t shares);
  // A validator's voting power: whole power units of its tokens.
  [[nodiscard]] uint64_t power_of(const v1::ValidatorRecord& v) const;
  // The value of the operator's own delegation.
  [[nodiscard]] uint64_t self_stake(const v1::ValidatorRecord& v) const;

  [[nodiscard]] v1::ListValidatorsResponse list_validators(
      const v1::ListValidatorsRequest& req) const;
  [[nodiscard]] Result<v1::GetDelegationsResponse> delegations(
      const v1::GetDelegationsRequest& req) const;

 private:
  const ledger::StateReader& state_;
};

// Accumulator fields of the records (16-byte big-endian, empty = 0); a malformed one is corrupt
// state and throws.
[[nodiscard]] u128 u128_field(const std::string& bytes);

}  // namespace btt::modules::staking

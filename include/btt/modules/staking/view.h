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

  // `v` as a settlement now would leave it: outstanding and commission include what it earned
  // since it was last settled (what MsgWithdrawRewards pays is computed from this).
  [[nodiscard]] v1::ValidatorRecord settled(const v1::ValidatorRecord& v) const;
  // What MsgWithdrawRewards pays the delegation now, to the unit (`v` as settled() returns it).
  [[nodiscard]] static uint64_t withdrawable(const v1::ValidatorRecord& settled_v,
                                             const v1::DelegationRecord& d);

  // The answers of btt.v1.Staking (doc/staking.md "Queries"), read at committed `height`. Bad
  // addresses are bad_address (5003), an unknown validator or delegation NOT_FOUND.
  [[nodiscard]] Result<v1::ListValidatorsResponse> list_validators(
      const v1::ListValidatorsRequest& req, uint64_t height) const;
  [[nodiscard]] Result<v1::GetValidatorResponse> get_validator(const v1::GetValidatorRequest& req,
                                                               uint64_t height) const;
  [[nodiscard]] Result<v1::GetDelegationsResponse> delegations(
      const v1::GetDelegationsRequest& req) const;
  [[nodiscard]] Result<v1::GetUnbondingsResponse> unbondings(const v1::GetUnbondingsRequest& req,
                                                             uint64_t height) const;
  [[nodiscard]] Result<v1::GetRedelegationsResponse> redelegations(
      const v1::GetRedelegationsRequest& req, uint64_t height) const;
  [[nodiscard]] Result<v1::ValidatorRewards> validator_rewards(
      const v1::GetValidatorRewardsRequest& req, uint64_t height) const;
  [[nodiscard]] Result<v1::DelegationRewards> delegation_rewards(
      const v1::GetDelegationRewardsRequest& req, uint64_t height) const;
  [[nodiscard]] Result<v1::SigningInfo> signing_info(const v1::GetSigningInfoRequest& req,
                                                     uint64_t height) const;

 private:
  [[nodiscard]] v1::ValidatorInfo info(v1::ValidatorRecord v) const;
  // The validator named by `address` (field `what` of the request), or why not.
  [[nodiscard]] Result<v1::ValidatorRecord> existing(const std::string& address,
                                                     std::string_view what) const;

  const ledger::StateReader& state_;
};

// Accumulator fields of the records (16-byte big-endian, empty = 0); a malformed one is corrupt
// state and throws.
[[nodiscard]] u128 u128_field(const std::string& bytes);
// The address of a record the module wrote (a validator's, a delegator's); one that does not
// decode is corrupt state and throws.
[[nodiscard]] crypto::Address stored_address(const std::string& text);
// Misses a liveness window allows: window - window x min_signed_per_window_bps / 10000.
[[nodiscard]] uint64_t allowed_misses(const v1::StakingParams& p);

}  // namespace btt::modules::staking

#pragma once
// The staking keeper: the only code that writes the module's keys (keys.h). Handlers, genesis
// and the block hooks go through it (doc/staking.md).
#include <optional>
#include <vector>

#include "btt/ledger/ledger.h"
#include "btt/ledger/module.h"
#include "btt/modules/staking/view.h"
#include "btt/v1/staking.pb.h"

namespace btt::modules::staking {

class StakingKeeper {
 public:
  StakingKeeper(ledger::Overlay& state, ledger::Events& events, const ledger::LockProviders* locks,
                const ledger::BlockInfo& block);

  [[nodiscard]] StakingView view() const { return StakingView(state_); }
  [[nodiscard]] const v1::StakingParams& params() const { return params_; }

  // Genesis.
  void set_params(const v1::StakingParams& params);
  [[nodiscard]] Status create_genesis_validator(const v1::GenesisValidatorStake& g,
                                                const crypto::XOnlyPublicKey& key);
  void set_chosen_set(const std::vector<v1::Validator>& set);
  // The set the genesis validators form, recorded as chosen (the chain's genesis set).
  void adopt_genesis_set();
  // Writes an exported state back (genesis.cpp checked it), with the queues and indexes it
  // leaves out rebuilt from the records.
  void import_state(const v1::StakingGenesisState& st);

  // Messages (handlers checked the fields; these check what depends on state).
  [[nodiscard]] Status create_validator(const crypto::Address& op, const v1::MsgCreateValidator& m);
  [[nodiscard]] Status edit_validator(const crypto::Address& op, const v1::MsgEditValidator& m);
  [[nodiscard]] Status delegate(const crypto::Address& delegator, const crypto::Address& v,
                                uint64_t amount);
  [[nodiscard]] Status undelegate(const crypto::Address& delegator, const crypto::Address& v,
                                  uint64_t amount);
  [[nodiscard]] Status redelegate(const crypto::Address& delegator, const crypto::Address& from,
                                  const crypto::Address& to, uint64_t amount);
  [[nodiscard]] Status cancel_unbonding(const crypto::Address& delegator, const crypto::Address& v,
                                        uint64_t creation_height, uint64_t amount);
  [[nodiscard]] Status withdraw(const crypto::Address& delegator, const crypto::Address& v,
                                bool commission);
  [[nodiscard]] Status unjail(const crypto::Address& op, const crypto::Address& v);
  [[nodiscard]] Status lock_stake(const crypto::Address& owner, uint64_t amount, uint32_t term);
  [[nodiscard]] Status unlock_stake(const crypto::Address& owner, uint64_t id);

  // Block hooks.
  void distribute_fees();      // begin_block
  void punish_double_signs();  // begin_block: slash, jail and tombstone
  void track_liveness();       // begin_block: misses in the window, downtime jail
  void complete_matured();     // end_block: unbonding paid, redelegations done
  [[nodiscard]] std::optional<std::vector<v1::Validator>> choose_set();  // end_block

 private:
  [[nodiscard]] v1::ValidatorRecord load(const crypto::Address& v) const;
  // The top max_validators eligible validators by power (ties by address), as a set.
  [[nodiscard]] std::vector<v1::Validator> eligible_set(std::vector<crypto::Address>* chosen) const;
  void store(const crypto::Address& addr, const v1::ValidatorRecord& before,
             const v1::ValidatorRecord& after);
  // Global accumulator -> the validator's own, then commission and per-share rewards.
  void settle(v1::ValidatorRecord& v);
  void add_rewards(v1::ValidatorRecord& v, uint64_t amount);
  // Pays a delegation's pending rewards and restarts it at the current per-share value.
  void pay(v1::ValidatorRecord& v, v1::DelegationRecord& d);
  void sweep_dust(v1::ValidatorRecord& v);
  // Takes `amount` out of the validator's outstanding rewards and pays it to `to`.
  void release(v1::ValidatorRecord& v, uint64_t amount, const crypto::Address& to);
  // pay() of the delegator's delegation to `v`, if it has one; whether it had.
  bool pay_delegation(v1::ValidatorRecord& v, const crypto::Address& vaddr,
                      const crypto::Address& delegator);
  void save_distribution(v1::DistributionState& dist);
  // Adds `amount` of tokens (already in the bonded pool) to `v` as shares of `delegator`.
  [[nodiscard]] Status bond(v1::ValidatorRecord& v, const crypto::Address& delegator,
                            uint64_t amount, uint64_t* shares_out);
  // Removes shares worth at least `amount` from the delegation; the tokens they were worth.
  [[nodiscard]] Result<uint64_t> unbond(v1::ValidatorRecord& v, const crypto::Address& delegator,
                                        uint64_t amount, uint64_t* shares_out);
  void put_delegation(const crypto::Address& v, const crypto::Address& d,
                      const v1::DelegationRecord& rec);
  void move(const crypto::Address& from, const crypto::Address& to, uint64_t amount);
  // Moves the owner's bondable BTT into the bonded pool (300/303 when it cannot).
  [[nodiscard]] Status bond_own(const crypto::Address& owner, uint64_t amount);
  void mark_dirty();
  // Burns `fraction_bps` of what `v` had bonded at `infraction_height` (power x power_unit):
  // first from unbonding and redelegation entries created at or after it, then from its
  // tokens. Returns what was burned.
  uint64_t slash(v1::ValidatorRecord& v, uint64_t infraction_height, uint64_t power,
                 uint32_t fraction_bps, const char* reason);
  void jail(v1::ValidatorRecord& v, uint64_t until_ms);
  void forget_misses(v1::ValidatorRecord& v);
  void burn(const crypto::Address& pool, uint64_t amount);

  ledger::Overlay& state_;
  ledger::Events& events_;
  const ledger::LockProviders* locks_;
  const ledger::BlockInfo& block_;
  v1::StakingParams params_;
};

}  // namespace btt::modules::staking

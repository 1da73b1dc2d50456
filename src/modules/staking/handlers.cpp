// Staking handlers, one per message (doc/staking.md has each one's phase table). Preclaim
// refuses what the state decides up front (staking off, unknown validator or delegation, funds);
// the keeper checks what depends on the exact share arithmetic and refuses the same way.
#include "handlers.h"
#include "btt/common/amount.h"
#include "btt/ledger/ledger.h"
#include "btt/modules/staking/errors.h"
#include "btt/modules/staking/staking.h"
#include "btt/modules/staking/view.h"
#include "btt/v1/staking.pb.h"
#include "keeper.h"

namespace btt::modules::staking {
namespace {

using ledger::MsgContext;
using ledger::ReadContext;

Status require_enabled(const ReadContext& ctx, const char* what) {
  if (!enabled(ctx.state)) {
    return {errors::kNotEnabled,
            std::string(what) + ": staking is not enabled on this chain (no staking genesis)"};
  }
  return Status::ok();
}

Status check_address(const std::string& text, const char* what, const char* field) {
  if (!crypto::Address::parse(text)) {
    return {errors::kBadAddress,
            std::string(what) + ": " + field + " '" + excerpt(text) + "' is not a btt address"};
  }
  return Status::ok();
}

Status check_amount(uint64_t amount, const char* what) {
  if (amount == 0) return {errors::kZeroAmount, std::string(what) + ": amount must be positive"};
  return Status::ok();
}

bool printable(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

Status check_description(const std::string& moniker, const std::string& details, bool required,
                         const char* what) {
  if ((required && moniker.empty()) || moniker.size() > kMaxMoniker || !printable(moniker)) {
    return {errors::kBadField, std::string(what) + ": moniker must be 1.." +
                                   std::to_string(kMaxMoniker) + " printable characters"};
  }
  if (details.size() > kMaxDetails || !printable(details)) {
    return {errors::kBadField, std::string(what) + ": details must be at most " +
                                   std::to_string(kMaxDetails) + " printable bytes"};
  }
  return Status::ok();
}

Status require_validator(const ReadContext& ctx, const std::string& text, const char* what) {
  if (!StakingView(ctx.state).validator(*crypto::Address::parse(text))) {
    return {errors::kNoValidator, std::string(what) + ": no validator " + text};
  }
  return Status::ok();
}

Status require_delegation(const ReadContext& ctx, const std::string& validator, const char* what) {
  if (!StakingView(ctx.state).delegation(*crypto::Address::parse(validator), ctx.sender)) {
    return {errors::kNoDelegation, std::string(what) + ": " + ctx.sender.to_string() +
                                       " has no delegation to " + validator};
  }
  return Status::ok();
}

StakingKeeper keeper(MsgContext& ctx) {
  return StakingKeeper(ctx.state, ctx.events, ctx.locks, ctx.block);
}

crypto::Address addr(const std::string& text) {
  return *crypto::Address::parse(text);  // check() parsed it
}

class CreateValidatorHandler final : public ledger::Handler<v1::MsgCreateValidator> {
 protected:
  Status check(const v1::MsgCreateValidator& m, const v1::LedgerParams&) const override {
    if (!crypto::public_key_from_bytes(m.consensus_key())) {
      return {errors::kBadField, "create_validator: consensus_key must be a 32-byte x-only key"};
    }
    if (auto s = check_amount(m.self_stake(), "create_validator"); !s) return s;
    if (m.max_commission_bps() > kBps || m.commission_bps() > m.max_commission_bps() ||
        m.max_change_bps_per_day() > m.max_commission_bps()) {
      return {errors::kBadCommission,
              "create_validator: need commission <= max_commission <= 10000 bps and "
              "max_change_per_day <= max_commission"};
    }
    return check_description(m.moniker(), m.details(), true, "create_validator");
  }
  Status preclaim(const v1::MsgCreateValidator& m, const ReadContext& ctx) const override {
    if (auto s = require_enabled(ctx, "create_validator"); !s) return s;
    const auto key = *crypto::public_key_from_bytes(m.consensus_key());
    const auto v = crypto::Address::from_public_key(key);
    if (StakingView(ctx.state).validator(v)) {
      return {errors::kValidatorExists,
              "create_validator: validator " + v.to_string() + " exists (its key is in use)"};
    }
    // Vesting BTT may be bonded; stake-locked BTT may not (doc/staking.md "Delegating vesting").
    return ledger::require_bondable(ctx.ledger(), ctx.sender, ledger::kNativeAsset, m.self_stake(),
                                    ctx.block.time_ms);
  }
  Status apply(const v1::MsgCreateValidator& m, MsgContext& ctx) const override {
    return keeper(ctx).create_validator(ctx.sender, m);
  }
};

class EditValidatorHandler final : public ledger::Handler<v1::MsgEditValidator> {
 protected:
  Status check(const v1::MsgEditValidator& m, const v1::LedgerParams&) const override {
    if (auto s = check_address(m.validator(), "edit_validator", "validator"); !s) return s;
    if (m.commission_bps() > kBps) {
      return {errors::kBadCommission, "edit_validator: commission above 10000 bps"};
    }
    return check_description(m.moniker(), m.details(), false, "edit_validator");
  }
  Status preclaim(const v1::MsgEditValidator& m, const ReadContext& ctx) const override {
    if (auto s = require_enabled(ctx, "edit_validator"); !s) return s;
    auto v = StakingView(ctx.state).validator(addr(m.validator()));
    if (!v) return {errors::kNoValidator, "edit_validator: no validator " + m.validator()};
    if (v->operator_() != ctx.sender.to_string()) {
      return {errors::kNotOperator,
              "edit_validator: " + ctx.sender.to_string() + " does not operate " + m.validator()};
    }
    return Status::ok();
  }
  Status apply(const v1::MsgEditValidator& m, MsgContext& ctx) const override {
    return keeper(ctx).edit_validator(ctx.sender, m);
  }
};

class DelegateHandler final : public ledger::Handler<v1::MsgDelegate> {
 protected:
  Status check(const v1::MsgDelegate& m, const v1::LedgerParams&) const override {
    if (auto s = check_address(m.validator(), "delegate", "validator"); !s) return s;
    return check_amount(m.amount(), "delegate");
  }
  Status preclaim(const v1::MsgDelegate& m, const ReadContext& ctx) const override {
    if (auto s = require_enabled(ctx, "delegate"); !s) return s;
    if (auto s = require_validator(ctx, m.validator(), "delegate"); !s) return s;
    return ledger::require_bondable(ctx.ledger(), ctx.sender, ledger::kNativeAsset, m.amount(),
                                    ctx.block.time_ms);
  }
  Status apply(const v1::MsgDelegate& m, MsgContext& ctx) const override {
    return keeper(ctx).delegate(ctx.sender, addr(m.validator()), m.amount());
  }
};

class UndelegateHandler final : public ledger::Handler<v1::MsgUndelegate> {
 protected:
  Status check(const v1::MsgUndelegate& m, const v1::LedgerParams&) const override {
    if (auto s = check_address(m.validator(), "undelegate", "validator"); !s) return s;
    return check_amount(m.amount(), "undelegate");
  }
  Status preclaim(const v1::MsgUndelegate& m, const ReadContext& ctx) const override {
    if (auto s = require_enabled(ctx, "undelegate"); !s) return s;
    if (auto s = require_validator(ctx, m.validator(), "undelegate"); !s) return s;
    return require_delegation(ctx, m.validator(), "undelegate");
  }
  Status apply(const v1::MsgUndelegate& m, MsgContext& ctx) const override {
    return keeper(ctx).undelegate(ctx.sender, addr(m.validator()), m.amount());
  }
};

class RedelegateHandler final : public ledger::Handler<v1::MsgRedelegate> {
 protected:
  Status check(const v1::MsgRedelegate& m, const v1::LedgerParams&) const override {
    if (auto s = check_address(m.from_validator(), "redelegate", "from_validator"); !s) return s;
    if (auto s = check_address(m.to_validator(), "redelegate", "to_validator"); !s) return s;
    if (addr(m.from_validator()) == addr(m.to_validator())) {
      return {errors::kSelfRedelegation, "redelegate: from and to are the same validator"};
    }
    return check_amount(m.amount(), "redelegate");
  }
  Status preclaim(const v1::MsgRedelegate& m, const ReadContext& ctx) const override {
    if (auto s = require_enabled(ctx, "redelegate"); !s) return s;
    if (auto s = require_validator(ctx, m.from_validator(), "redelegate"); !s) return s;
    if (auto s = require_validator(ctx, m.to_validator(), "redelegate"); !s) return s;
    return require_delegation(ctx, m.from_validator(), "redelegate");
  }
  Status apply(const v1::MsgRedelegate& m, MsgContext& ctx) const override {
    return keeper(ctx).redelegate(ctx.sender, addr(m.from_validator()), addr(m.to_validator()),
                                  m.amount());
  }
};

class CancelUnbondingHandler final : public ledger::Handler<v1::MsgCancelUnbonding> {
 protected:
  Status check(const v1::MsgCancelUnbonding& m, const v1::LedgerParams&) const override {
    if (auto s = check_address(m.validator(), "cancel_unbonding", "validator"); !s) return s;
    return check_amount(m.amount(), "cancel_unbonding");
  }
  Status preclaim(const v1::MsgCancelUnbonding& m, const ReadContext& ctx) const override {
    if (auto s = require_enabled(ctx, "cancel_unbonding"); !s) return s;
    return require_validator(ctx, m.validator(), "cancel_unbonding");
  }
  Status apply(const v1::MsgCancelUnbonding& m, MsgContext& ctx) const override {
    return keeper(ctx).cancel_unbonding(ctx.sender, addr(m.validator()), m.creation_height(),
                                        m.amount());
  }
};

class WithdrawRewardsHandler final : public ledger::Handler<v1::MsgWithdrawRewards> {
 protected:
  Status check(const v1::MsgWithdrawRewards& m, const v1::LedgerParams&) const override {
    return check_address(m.validator(), "withdraw_rewards", "validator");
  }
  Status preclaim(const v1::MsgWithdrawRewards& m, const ReadContext& ctx) const override {
    if (auto s = require_enabled(ctx, "withdraw_rewards"); !s) return s;
    return require_validator(ctx, m.validator(), "withdraw_rewards");
  }
  Status apply(const v1::MsgWithdrawRewards& m, MsgContext& ctx) const override {
    return keeper(ctx).withdraw(ctx.sender, addr(m.validator()), m.commission());
  }
};

class UnjailHandler final : public ledger::Handler<v1::MsgUnjail> {
 protected:
  Status check(const v1::MsgUnjail& m, const v1::LedgerParams&) const override {
    return check_address(m.validator(), "unjail", "validator");
  }
  Status preclaim(const v1::MsgUnjail& m, const ReadContext& ctx) const override {
    if (auto s = require_enabled(ctx, "unjail"); !s) return s;
    return require_validator(ctx, m.validator(), "unjail");
  }
  Status apply(const v1::MsgUnjail& m, MsgContext& ctx) const override {
    return keeper(ctx).unjail(ctx.sender, addr(m.validator()));
  }
};

class LockStakeHandler final : public ledger::Handler<v1::MsgLockStake> {
 protected:
  Status check(const v1::MsgLockStake& m, const v1::LedgerParams&) const override {
    return check_amount(m.amount(), "lock_stake");
  }
  Status preclaim(const v1::MsgLockStake& m, const ReadContext& ctx) const override {
    if (auto s = require_enabled(ctx, "lock_stake"); !s) return s;
    return ledger::require_spendable(ctx.ledger(), ctx.sender, ledger::kNativeAsset, m.amount(),
                                     ctx.block.time_ms);
  }
  Status apply(const v1::MsgLockStake& m, MsgContext& ctx) const override {
    return keeper(ctx).lock_stake(ctx.sender, m.amount(), m.term());
  }
};

class UnlockStakeHandler final : public ledger::Handler<v1::MsgUnlockStake> {
 protected:
  Status check(const v1::MsgUnlockStake&, const v1::LedgerParams&) const override {
    return Status::ok();
  }
  Status preclaim(const v1::MsgUnlockStake&, const ReadContext& ctx) const override {
    return require_enabled(ctx, "unlock_stake");
  }
  Status apply(const v1::MsgUnlockStake& m, MsgContext& ctx) const override {
    return keeper(ctx).unlock_stake(ctx.sender, m.lock_id());
  }
};

}  // namespace

const std::vector<const ledger::MsgHandler*>& staking_handlers() {
  static const CreateValidatorHandler create;
  static const EditValidatorHandler edit;
  static const DelegateHandler delegate;
  static const UndelegateHandler undelegate;
  static const RedelegateHandler redelegate;
  static const CancelUnbondingHandler cancel;
  static const WithdrawRewardsHandler withdraw;
  static const UnjailHandler unjail;
  static const LockStakeHandler lock;
  static const UnlockStakeHandler unlock;
  static const std::vector<const ledger::MsgHandler*> all = {
      &create, &edit,     &delegate, &undelegate, &redelegate,
      &cancel, &withdraw, &unjail,   &lock,       &unlock};
  return all;
}

}  // namespace btt::modules::staking

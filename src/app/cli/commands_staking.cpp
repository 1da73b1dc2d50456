// btt-cli staking ...: validators, delegation, unbonding, redelegation and rewards
// (doc/staking.md), the queries of btt.v1.Staking (one command each), and the validator set of a
// height (btt.v1.Consensus.GetValidators, which serves every chain, with staking or without).
#include <optional>

#include "app/cli/commands.h"
#include "btt/v1/staking.grpc.pb.h"

namespace btt::cli {

namespace {

// A query of btt.v1.Staking printed with the generic printer.
template <typename Request, typename Response>
int query(Context& ctx,
          grpc::Status (v1::Staking::Stub::*method)(grpc::ClientContext*, const Request&,
                                                    Response*),
          const Request& req) {
  auto stub = v1::Staking::NewStub(ctx.client().channel());
  return print_record(ctx, ctx.client().unary(*stub, method, req));
}

// A query whose only argument is a validator address (the request's `validator`).
template <typename Request, typename Response>
void add_validator_query(Commands& cmds, CLI::App* group, const char* name, const char* help,
                         grpc::Status (v1::Staking::Stub::*method)(grpc::ClientContext*,
                                                                   const Request&, Response*)) {
  cmds.add(group, name, help, CommandKind::kQuery, [&cmds, method](CLI::App* sub) -> Action {
    auto address = std::make_shared<std::string>();
    sub->add_option("validator", *address, "Validator (btt1...)")->required();
    return [&cmds, address, method] {
      Request req;
      req.set_validator(parse_address(*address, "VALIDATOR"));
      return query(cmds.ctx(), method, req);
    };
  });
}

// One tx command carrying one message built from its options.
template <typename Options, typename Declare, typename Fill>
void add_staking_tx(Commands& cmds, CLI::App* group, const char* name, const char* help,
                    const char* kind, Declare declare, Fill fill) {
  cmds.add_tx(group, name, help, {kind},
              [declare, fill](CLI::App* sub, const CommonTxOptions&) -> BuildMessages {
                auto o = std::make_shared<Options>();
                declare(sub, *o);
                return [o, fill] {
                  v1::Message m;
                  fill(m, *o);
                  return std::vector<v1::Message>{m};
                };
              });
}

struct CreateOptions {
  std::string key_hex, key_file, self_stake, min_self, moniker, details;
  uint32_t commission = 0, max_commission = 0, max_change = 0;
};
struct EditOptions {
  std::string validator, moniker, details, min_self;
  std::optional<uint32_t> commission;
};
struct AmountOptions {
  std::string validator, amount;
};
struct RedelegateOptions {
  std::string from, to, amount;
};
struct CancelOptions {
  std::string validator, height, amount;
};
struct LockOptions {
  std::string amount, id;
  uint32_t term = 0;
};
struct ListOptions {
  bool bonded = false, jailed = false, not_jailed = false;
  std::string op, start_after;
  uint32_t limit = 0;
};
struct EntriesOptions {
  std::string delegator, from, to;
};
struct WithdrawOptions {
  std::string validator;
  bool commission = false;
};

// An address option that may be left out ("" then).
std::string optional_address(const std::string& text, std::string_view what) {
  return text.empty() ? std::string() : parse_address(text, what);
}

void amount_options(CLI::App* sub, AmountOptions& o) {
  sub->add_option("--validator", o.validator, "Validator (its consensus address, btt1...)")
      ->required();
  sub->add_option("--amount", o.amount, "Amount in base units (1 BTT = 100000000)")->required();
}

void register_staking(Commands& cmds) {
  auto* g = cmds.group("staking", "Validators, delegation and rewards (doc/staking.md)");
  cmds.add(g, "validators", "Validators with their stake, status and power, by address",
           CommandKind::kQuery, [&cmds](CLI::App* sub) -> Action {
             auto o = std::make_shared<ListOptions>();
             sub->add_flag("--bonded", o->bonded, "only validators in the set being decided");
             auto* jailed = sub->add_flag("--jailed", o->jailed, "only jailed validators");
             sub->add_flag("--not-jailed", o->not_jailed, "only validators not jailed")
                 ->excludes(jailed);
             sub->add_option("--operator", o->op, "only validators this account operates");
             sub->add_option("--limit", o->limit, "At most this many (0: 100; at most 1000)");
             sub->add_option("--start-after", o->start_after,
                             "Page on: the last validator address of the previous page");
             return [&cmds, o] {
               v1::ListValidatorsRequest req;
               req.set_all(!o->bonded);
               req.set_status(v1::VALIDATOR_STATUS_BONDED);
               req.set_filter_jailed(o->jailed || o->not_jailed);
               req.set_jailed(o->jailed);
               if (!o->op.empty()) req.set_operator_(parse_address(o->op, "--operator"));
               req.set_limit(o->limit);
               if (!o->start_after.empty()) {
                 req.set_start_after(parse_address(o->start_after, "--start-after"));
               }
               return query(cmds.ctx(), &v1::Staking::Stub::ListValidators, req);
             };
           });
  cmds.add(g, "validator",
           "One validator: record, power, self stake, commission, jail (by address or operator)",
           CommandKind::kQuery, [&cmds](CLI::App* sub) -> Action {
             auto address = std::make_shared<std::string>();
             auto by_operator = std::make_shared<bool>(false);
             sub->add_option("address", *address, "Validator (its consensus address, btt1...)")
                 ->required();
             sub->add_flag("--operator", *by_operator,
                           "ADDRESS is the operator's account (it operates one validator)");
             return [&cmds, address, by_operator] {
               v1::GetValidatorRequest req;
               const auto a = parse_address(*address, "ADDRESS");
               if (*by_operator) {
                 req.set_operator_(a);
               } else {
                 req.set_validator(a);
               }
               return query(cmds.ctx(), &v1::Staking::Stub::GetValidator, req);
             };
           });
  cmds.add(g, "delegations",
           "Delegations, unbonding and redelegation entries of a delegator (or to a validator)",
           CommandKind::kQuery, [&cmds](CLI::App* sub) -> Action {
             auto address = std::make_shared<std::string>();
             auto to = std::make_shared<bool>(false);
             sub->add_option("address", *address, "Delegator (btt1...)")->required();
             sub->add_flag("--to-validator", *to, "ADDRESS is a validator: its delegations");
             return [&cmds, address, to] {
               v1::GetDelegationsRequest req;
               const auto a = parse_address(*address, "ADDRESS");
               if (*to) {
                 req.set_validator(a);
               } else {
                 req.set_delegator(a);
               }
               return query(cmds.ctx(), &v1::Staking::Stub::GetDelegations, req);
             };
           });
  cmds.add(g, "unbondings", "Unbonding entries of a delegator, from a validator, or of the pair",
           CommandKind::kQuery, [&cmds](CLI::App* sub) -> Action {
             auto o = std::make_shared<EntriesOptions>();
             sub->add_option("--delegator", o->delegator, "Delegator (btt1...)");
             sub->add_option("--validator", o->from, "Validator (btt1...)");
             return [&cmds, o] {
               v1::GetUnbondingsRequest req;
               req.set_delegator(optional_address(o->delegator, "--delegator"));
               req.set_validator(optional_address(o->from, "--validator"));
               if (req.delegator().empty() && req.validator().empty()) {
                 throw UsageError("unbondings wants --delegator, --validator or both");
               }
               return query(cmds.ctx(), &v1::Staking::Stub::GetUnbondings, req);
             };
           });
  cmds.add(g, "redelegations",
           "Maturing redelegations of a delegator, out of (--from) or into (--to) a validator",
           CommandKind::kQuery, [&cmds](CLI::App* sub) -> Action {
             auto o = std::make_shared<EntriesOptions>();
             sub->add_option("--delegator", o->delegator, "Delegator (btt1...)");
             sub->add_option("--from", o->from, "Source validator (btt1...)");
             sub->add_option("--to", o->to, "Destination validator (btt1...)");
             return [&cmds, o] {
               v1::GetRedelegationsRequest req;
               req.set_delegator(optional_address(o->delegator, "--delegator"));
               req.set_from_validator(optional_address(o->from, "--from"));
               req.set_to_validator(optional_address(o->to, "--to"));
               if (req.delegator().empty() && req.from_validator().empty() &&
                   req.to_validator().empty()) {
                 throw UsageError("redelegations wants --delegator, --from or --to");
               }
               return query(cmds.ctx(), &v1::Staking::Stub::GetRedelegations, req);
             };
           });
  add_validator_query(cmds, g, "validator-rewards",
                      "A validator's outstanding rewards and commission now, exact to the unit",
                      &v1::Staking::Stub::GetValidatorRewards);
  cmds.add(g, "rewards", "What withdrawing a delegator's rewards pays now, per validator",
           CommandKind::kQuery, [&cmds](CLI::App* sub) -> Action {
             auto o = std::make_shared<EntriesOptions>();
             sub->add_option("delegator", o->delegator, "Delegator (btt1...)")->required();
             sub->add_option("--validator", o->from, "Only the delegation to this validator");
             return [&cmds, o] {
               v1::GetDelegationRewardsRequest req;
               req.set_delegator(parse_address(o->delegator, "DELEGATOR"));
               req.set_validator(optional_address(o->from, "--validator"));
               return query(cmds.ctx(), &v1::Staking::Stub::GetDelegationRewards, req);
             };
           });
  add_validator_query(
      cmds, g, "signing-info",
      "A validator's liveness: misses in the window, jail, tombstone, slashed so far",
      &v1::Staking::Stub::GetSigningInfo);
  cmds.add(g, "set", "The validator set of a height (Consensus.GetValidators; any chain)",
           CommandKind::kQuery, [&cmds](CLI::App* sub) -> Action {
             auto height = std::make_shared<uint64_t>(0);
             sub->add_option("--height", *height, "The height the set decides (0: the next)");
             return [&cmds, height] {
               return print_record(cmds.ctx(), cmds.ctx().client().get_validators(*height));
             };
           });
  cmds.add(
      g, "params", "The staking parameters", CommandKind::kQuery, [&cmds](CLI::App*) -> Action {
        return [&cmds] {
          return query(cmds.ctx(), &v1::Staking::Stub::GetParams, v1::GetStakingParamsRequest());
        };
      });

  add_staking_tx<CreateOptions>(
      cmds, g, "create-validator", "Create a validator operated by the sender", "create_validator",
      [](CLI::App* sub, CreateOptions& o) {
        auto* hex = sub->add_option("--consensus-key", o.key_hex,
                                    "The block-signing key: 64 hex characters (x-only)");
        auto* file = sub->add_option("--consensus-key-file", o.key_file,
                                     "Or a key file (e.g. HOME/keys/validator.json): only its "
                                     "public key is used");
        hex->excludes(file);
        sub->add_option("--self-stake", o.self_stake, "Self stake in base units")->required();
        sub->add_option("--min-self-delegation", o.min_self, "Base units (default: self stake)");
        sub->add_option("--commission-bps", o.commission, "Commission rate")->required();
        sub->add_option("--max-commission-bps", o.max_commission, "Its ceiling")->required();
        sub->add_option("--max-change-bps-per-day", o.max_change, "Largest change per day")
            ->required();
        sub->add_option("--moniker", o.moniker, "Name, 1..64 printable characters")->required();
        sub->add_option("--details", o.details, "At most 256 bytes");
      },
      [](v1::Message& m, const CreateOptions& o) {
        auto* c = m.mutable_create_validator();
        if (!o.key_file.empty()) {
          c->set_consensus_key(std::string(as_view(load_key(o.key_file).public_key)));
        } else {
          c->set_consensus_key(parse_hash_hex(o.key_hex, "--consensus-key"));
        }
        c->set_self_stake(parse_amount(o.self_stake, "--self-stake"));
        c->set_min_self_delegation(
            o.min_self.empty() ? c->self_stake() : parse_u64(o.min_self, "--min-self-delegation"));
        c->set_commission_bps(o.commission);
        c->set_max_commission_bps(o.max_commission);
        c->set_max_change_bps_per_day(o.max_change);
        c->set_moniker(o.moniker);
        c->set_details(o.details);
      });
  add_staking_tx<EditOptions>(
      cmds, g, "edit-validator", "Change a validator the sender operates", "edit_validator",
      [](CLI::App* sub, EditOptions& o) {
        sub->add_option("--validator", o.validator, "Validator (btt1...)")->required();
        sub->add_option("--moniker", o.moniker, "New name");
        sub->add_option("--details", o.details, "New details");
        sub->add_option("--commission-bps", o.commission, "New commission (once a day)");
        sub->add_option("--min-self-delegation", o.min_self, "Raise the minimum self stake");
      },
      [](v1::Message& m, const EditOptions& o) {
        auto* e = m.mutable_edit_validator();
        e->set_validator(parse_address(o.validator, "--validator"));
        e->set_moniker(o.moniker);
        e->set_details(o.details);
        if (o.commission) {
          e->set_change_commission(true);
          e->set_commission_bps(*o.commission);
        }
        if (!o.min_self.empty()) {
          e->set_min_self_delegation(parse_amount(o.min_self, "--min-self-delegation"));
        }
      });
  add_staking_tx<AmountOptions>(
      cmds, g, "delegate", "Bond BTT to a validator", "delegate", &amount_options,
      [](v1::Message& m, const AmountOptions& o) {
        m.mutable_delegate()->set_validator(parse_address(o.validator, "--validator"));
        m.mutable_delegate()->set_amount(parse_amount(o.amount, "--amount"));
      });
  add_staking_tx<AmountOptions>(
      cmds, g, "undelegate", "Start unbonding (paid after the unbonding time)", "undelegate",
      &amount_options, [](v1::Message& m, const AmountOptions& o) {
        m.mutable_undelegate()->set_validator(parse_address(o.validator, "--validator"));
        m.mutable_undelegate()->set_amount(parse_amount(o.amount, "--amount"));
      });
  add_staking_tx<RedelegateOptions>(
      cmds, g, "redelegate", "Move a delegation to another validator at once", "redelegate",
      [](CLI::App* sub, RedelegateOptions& o) {
        sub->add_option("--from", o.from, "Source validator (btt1...)")->required();
        sub->add_option("--to", o.to, "Destination validator (btt1...)")->required();
        sub->add_option("--amount", o.amount, "Amount in base units")->required();
      },
      [](v1::Message& m, const RedelegateOptions& o) {
        auto* r = m.mutable_redelegate();
        r->set_from_validator(parse_address(o.from, "--from"));
        r->set_to_validator(parse_address(o.to, "--to"));
        r->set_amount(parse_amount(o.amount, "--amount"));
      });
  add_staking_tx<CancelOptions>(
      cmds, g, "cancel-unbonding", "Put an unbonding entry back into its delegation",
      "cancel_unbonding",
      [](CLI::App* sub, CancelOptions& o) {
        sub->add_option("--validator", o.validator, "Validator (btt1...)")->required();
        sub->add_option("--creation-height", o.height, "The entry's creation height")->required();
        sub->add_option("--amount", o.amount, "Amount in base units")->required();
      },
      [](v1::Message& m, const CancelOptions& o) {
        auto* c = m.mutable_cancel_unbonding();
        c->set_validator(parse_address(o.validator, "--validator"));
        c->set_creation_height(parse_u64(o.height, "--creation-height"));
        c->set_amount(parse_amount(o.amount, "--amount"));
      });
  add_staking_tx<WithdrawOptions>(
      cmds, g, "withdraw-rewards", "Pay a delegation's rewards (and, --commission, the operator's)",
      "withdraw_rewards",
      [](CLI::App* sub, WithdrawOptions& o) {
        sub->add_option("--validator", o.validator, "Validator (btt1...)")->required();
        sub->add_flag("--commission", o.commission, "also the validator's commission");
      },
      [](v1::Message& m, const WithdrawOptions& o) {
        m.mutable_withdraw_rewards()->set_validator(parse_address(o.validator, "--validator"));
        m.mutable_withdraw_rewards()->set_commission(o.commission);
      });
  add_staking_tx<AmountOptions>(
      cmds, g, "unjail", "Return a jailed validator the sender operates to the set", "unjail",
      [](CLI::App* sub, AmountOptions& o) {
        sub->add_option("--validator", o.validator, "Validator (btt1...)")->required();
      },
      [](v1::Message& m, const AmountOptions& o) {
        m.mutable_unjail()->set_validator(parse_address(o.validator, "--validator"));
      });
  add_staking_tx<LockOptions>(
      cmds, g, "lock", "Lock BTT for a term: a governance multiplier and a tier (no early unlock)",
      "lock_stake",
      [](CLI::App* sub, LockOptions& o) {
        sub->add_option("--amount", o.amount, "Amount in base units")->required();
        sub->add_option("--term", o.term, "Index into params.lock_terms (0: 3 months, ...)")
            ->required();
      },
      [](v1::Message& m, const LockOptions& o) {
        m.mutable_lock_stake()->set_amount(parse_amount(o.amount, "--amount"));
        m.mutable_lock_stake()->set_term(o.term);
      });
  add_staking_tx<LockOptions>(
      cmds, g, "unlock", "Release a lock whose term ended", "unlock_stake",
      [](CLI::App* sub, LockOptions& o) {
        sub->add_option("--lock-id", o.id, "The lock's id (staking locks ADDRESS)")->required();
      },
      [](v1::Message& m, const LockOptions& o) {
        m.mutable_unlock_stake()->set_lock_id(parse_u64(o.id, "--lock-id"));
      });
  cmds.add(g, "locks", "An account's stake locks and its tier", CommandKind::kQuery,
           [&cmds](CLI::App* sub) -> Action {
             auto address = std::make_shared<std::string>();
             sub->add_option("address", *address, "Account (btt1...)")->required();
             return [&cmds, address] {
               v1::GetStakeLocksRequest req;
               req.set_address(parse_address(*address, "ADDRESS"));
               return query(cmds.ctx(), &v1::Staking::Stub::GetStakeLocks, req);
             };
           });
}

const CommandFile kStaking{55, &register_staking};

}  // namespace

}  // namespace btt::cli

#pragma once
// The interface every module implements (DESIGN.md "The shape of a module"; doc/modules.md walks
// through a module file by file). The ledger defines it; modules implement it; chain/ routes
// messages to it by the Message oneof field number, so the ledger never needs to know a module.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <google/protobuf/descriptor.h>
#include <nlohmann/json_fwd.hpp>

#include "btt/common/status.h"
#include "btt/crypto/address.h"
#include "btt/ledger/events.h"
#include "btt/ledger/ledger.h"
#include "btt/ledger/state.h"
#include "btt/v1/consensus.pb.h"
#include "btt/v1/ledger.pb.h"
#include "btt/v1/tx.pb.h"

namespace btt::ledger {

// One validator of the set that decided the previous block, and whether its precommit is in
// this block's last_commit (which the header commits to, so every node sees the same signers).
struct LastCommitVote {
  crypto::Address validator;
  uint64_t power = 0;
  bool signed_block = false;
};

// Two conflicting votes of one validator at one height, verified in this block's evidence.
struct Misbehaviour {
  crypto::Address validator;
  uint64_t height = 0;  // of the infraction
  // The block time of that height (for an imported chain: its genesis time at initial_height - 1,
  // 0 below).
  uint64_t time_ms = 0;
  uint64_t power = 0;  // its power in the set of that height
};

struct BlockInfo {
  std::string chain_id;
  uint64_t height = 0;
  uint64_t time_ms = 0;
  uint64_t genesis_time_ms = 0;
  // Hash of the previous block (empty at genesis): the on-chain entropy modules draw from.
  Bytes prev_hash;
  // The previous block's validators (the set of height - 1, ordered by address), each with
  // whether it signed (empty in the first block, at genesis and in simulations): staking pays
  // fees to signers and tracks liveness from it.
  std::vector<LastCommitVote> last_commit;
  // The evidence committed in this block, verified against the set of its height.
  std::vector<Misbehaviour> misbehaviour;
  // This block's proposer (zero at genesis).
  crypto::Address proposer;
};

// What preclaim sees: the tx, the block, and the state before the message, read-only. Preclaim
// cannot write or emit, by its type.
struct ReadContext {
  const BlockInfo& block;
  const v1::LedgerParams& params;
  const v1::TxBody& body;
  const crypto::Address& sender;
  const Hash32& tx_id;
  const StateReader& state;
  const LockProviders* locks;

  [[nodiscard]] Ledger ledger() const { return Ledger(state, locks); }
};

// What apply sees: the same, with the tx's sandbox to write into (kept whole if every message
// applies, else dropped) and the tx's events.
struct MsgContext {
  const BlockInfo& block;
  const v1::LedgerParams& params;
  const v1::TxBody& body;
  const crypto::Address& sender;
  const Hash32& tx_id;
  Overlay& state;
  Events& events;
  const LockProviders* locks;

  [[nodiscard]] Ledger ledger() const { return Ledger(state, events, locks); }
  [[nodiscard]] ReadContext read() const {
    return {block, params, body, sender, tx_id, state, locks};
  }
};

// The untyped face of a handler, which chain/ calls. Modules derive from Handler<Msg> below.
//
// The three phases (rippled's Transactor):
//   check     stateless: field ranges, sizes, formats. A failure means the tx is malformed (1xx)
//             and never enters a block. Runs on several threads at once, so it must not mutate.
//   preclaim  reads state only: would apply succeed? A failure is a failed-with-fee code (3xx):
//             the tx is included, pays its fee and bumps its nonce, and nothing else is written.
//             This is the one meaning of a preclaim failure in every module.
//   apply     writes through keepers into the tx sandbox and emits events. It runs only after
//             its own preclaim passed over the same state, so it does not repeat preclaim's
//             checks; a failure here (a 3xx found only while writing, such as an overflow) drops
//             the sandbox like a preclaim failure.
class MsgHandler {
 public:
  virtual ~MsgHandler() = default;
  // The Message oneof field number of the handled message, and its field name ("transfer").
  [[nodiscard]] virtual int msg_case() const = 0;
  [[nodiscard]] virtual std::string_view msg_name() const = 0;
  [[nodiscard]] virtual Status check_message(const v1::Message& msg,
                                             const v1::LedgerParams& params) const = 0;
  [[nodiscard]] virtual Status preclaim_message(const v1::Message& msg,
                                                const ReadContext& ctx) const = 0;
  [[nodiscard]] virtual Status apply_message(const v1::Message& msg, MsgContext& ctx) const = 0;
};

// The oneof member of v1::Message whose type is `type` (std::logic_error when there is none or
// more than one: a wiring bug).
[[nodiscard]] const google::protobuf::FieldDescriptor& message_field(
    const google::protobuf::Descriptor* type);

// A handler of one message type: the Message oneof is unwrapped once, here, and the field
// number comes from the descriptor, so declaring the handler is the whole registration.
template <typename Msg>
class Handler : public MsgHandler {
 public:
  Handler() : field_(message_field(Msg::descriptor())) {}

  [[nodiscard]] int msg_case() const final { return field_.number(); }
  [[nodiscard]] std::string_view msg_name() const final { return field_.name(); }
  [[nodiscard]] Status check_message(const v1::Message& msg,
                                     const v1::LedgerParams& params) const final {
    return check(unwrap(msg), params);
  }
  [[nodiscard]] Status preclaim_message(const v1::Message& msg,
                                        const ReadContext& ctx) const final {
    return preclaim(unwrap(msg), ctx);
  }
  [[nodiscard]] Status apply_message(const v1::Message& msg, MsgContext& ctx) const final {
    return apply(unwrap(msg), ctx);
  }

 protected:
  [[nodiscard]] virtual Status check(const Msg& msg, const v1::LedgerParams& params) const = 0;
  [[nodiscard]] virtual Status preclaim(const Msg& msg, const ReadContext& ctx) const {
    return Status::ok();
  }
  [[nodiscard]] virtual Status apply(const Msg& msg, MsgContext& ctx) const = 0;

 private:
  [[nodiscard]] const Msg& unwrap(const v1::Message& msg) const {
    return static_cast<const Msg&>(msg.GetReflection()->GetMessage(msg, &field_));
  }
  const google::protobuf::FieldDescriptor& field_;
};

// A module's parameters: one proto message in state, with a validate function. Every module
// reads, queries and changes its params through this one mechanism; governance changes them
// through chain::set_params (validate, then write; a refused change writes nothing).
class ParamsSpec {
 public:
  virtual ~ParamsSpec() = default;
  [[nodiscard]] virtual const google::protobuf::Descriptor* type() const = 0;
  // The params in force: the state's record, or the defaults when the chain has none.
  [[nodiscard]] virtual std::unique_ptr<google::protobuf::Message> read(
      const StateReader& state) const = 0;
  [[nodiscard]] virtual Status validate(const google::protobuf::Message& params) const = 0;
  // Writes params that validate() accepted.
  virtual void write(Overlay& state, const google::protobuf::Message& params) const = 0;
};

// ParamsSpec for a params message P stored at one key.
template <typename P>
class TypedParams final : public ParamsSpec {
 public:
  using Defaults = P (*)();
  using Validate = Status (*)(const P&);
  TypedParams(Bytes key, Defaults defaults, Validate validate)
      : key_(std::move(key)), defaults_(defaults), validate_(validate) {}

  [[nodiscard]] P get(const StateReader& state) const {
    auto raw = state.get(key_);
    if (!raw) return defaults_();
    // Handlers read their params per tx; parsing them each time showed in the profiles (issue
    // 14), so each thread keeps the last value it parsed, keyed by its bytes: equal bytes parse
    // to equal params, whichever key or chain they came from.
    thread_local std::optional<std::pair<Bytes, P>> last;
    if (!last || last->first != *raw) {
      P parsed;
      if (!parsed.ParseFromArray(raw->data(), static_cast<int>(raw->size()))) return defaults_();
      last.emplace(std::move(*raw), std::move(parsed));
    }
    return last->second;
  }
  void set(Overlay& state, const P& p) const { state.put(key_, p.SerializeAsString()); }
  [[nodiscard]] Status check(const P& p) const { return validate_(p); }
  [[nodiscard]] const Bytes& key() const { return key_; }

  [[nodiscard]] const google::protobuf::Descriptor* type() const override {
    return P::descriptor();
  }
  [[nodiscard]] std::unique_ptr<google::protobuf::Message> read(
      const StateReader& state) const override {
    return std::make_unique<P>(get(state));
  }
  [[nodiscard]] Status validate(const google::protobuf::Message& params) const override {
    if (params.GetDescriptor() != P::descriptor()) {
      return {Code::kInvalidArgument, "params are a " + params.GetDescriptor()->full_name() +
                                          ", expected " + P::descriptor()->full_name()};
    }
    return validate_(static_cast<const P&>(params));
  }
  void write(Overlay& state, const google::protobuf::Message& params) const override {
    state.put(key_, params.SerializeAsString());
  }

 private:
  Bytes key_;
  Defaults defaults_;
  Validate validate_;
};

// What a module's genesis section is checked against besides itself.
struct GenesisInfo {
  uint64_t genesis_time_ms = 0;
  // The genesis file's validators (the set of the first block).
  std::vector<v1::Validator> validators;
  // Per asset, the sum of what the genesis file's `accounts` list holds.
  std::map<std::string, uint64_t, std::less<>> account_totals;
  // What each account of that list holds, per asset (module accounts included: an exported
  // module checks its pools against its records).
  std::map<crypto::Address, std::map<std::string, uint64_t, std::less<>>> balances;

  [[nodiscard]] uint64_t account_total(std::string_view asset) const {
    auto it = account_totals.find(asset);
    return it == account_totals.end() ? 0 : it->second;
  }
  [[nodiscard]] uint64_t balance(const crypto::Address& account, std::string_view asset) const {
    auto a = balances.find(account);
    if (a == balances.end()) return 0;
    auto it = a->second.find(asset);
    return it == a->second.end() ? 0 : it->second;
  }
};

// What a block hook (and genesis init) sees.
struct BlockContext {
  const BlockInfo& block;
  Overlay& state;  // the block overlay
  Events& events;
  const LockProviders* locks;
  // Where the end_block hook of the module that owns the validator set (staking) puts the whole
  // set it wants; the chain puts it in force from height + 2 (doc/consensus.md "Validator set
  // changes"). Null where the set cannot change (genesis, begin_block).
  std::optional<std::vector<v1::Validator>>* next_validators = nullptr;

  [[nodiscard]] Ledger ledger() const { return Ledger(state, events, locks); }
};

class Module {
 public:
  virtual ~Module() = default;
  [[nodiscard]] virtual std::string_view name() const = 0;
  // The error code space the module's details live in (common/status.h).
  [[nodiscard]] virtual uint32_t codespace() const = 0;
  // The module's message handlers (its messages, declared in one place).
  [[nodiscard]] virtual std::vector<const MsgHandler*> handlers() const { return {}; }
  // Its declared events and errors (doc pages and guard tests list them).
  [[nodiscard]] virtual std::vector<const EventDef*> events() const { return {}; }
  [[nodiscard]] virtual std::vector<const ErrorDef*> errors() const { return {}; }
  // Its params, or nullptr for a module without any.
  [[nodiscard]] virtual const ParamsSpec* params() const { return nullptr; }
  // Balance locks this module imposes (vesting, bonds); none by default.
  [[nodiscard]] virtual const LockProvider* lock_provider() const { return nullptr; }
  // Modules whose block hooks must run before this one's (the registry refuses an order that
  // breaks this; chain/registry.cpp declares the order).
  [[nodiscard]] virtual std::vector<std::string_view> hooks_after() const { return {}; }

  // Genesis: the module's section of the genesis file ("modules": {"<name>": {...}}), which may
  // be null when absent.
  [[nodiscard]] virtual Status validate_genesis(const nlohmann::json& section,
                                                const GenesisInfo& info) const {
    return Status::ok();
  }
  // Runs after the ledger's own genesis state (params, assets, accounts) is written.
  [[nodiscard]] virtual Status init_genesis(const nlohmann::json& section, const GenesisInfo& info,
                                            BlockContext& ctx) {
    return Status::ok();
  }
  // The module's whole state as its genesis section: init_genesis of the result over the
  // exported ledger state gives the same state bytes (bttd export).
  [[nodiscard]] virtual Result<nlohmann::json> export_genesis(const StateReader& state) const = 0;

  virtual void begin_block(BlockContext& ctx) {}
  virtual void end_block(BlockContext& ctx) {}

  // Mempool ordering only, never state: how txs of `sender` rank among pending txs of equal fee
  // (higher first), from committed `state` at block time `time_ms`. Staking answers the
  // sender's stake-lock tier; 0 by default (chain::ModuleRegistry::tx_priority takes the
  // highest answer of all modules).
  [[nodiscard]] virtual uint32_t tx_priority(const StateReader& state,
                                             const crypto::Address& sender,
                                             uint64_t time_ms) const {
    return 0;
  }

  // Empty when every invariant holds; else one readable line per violation.
  [[nodiscard]] virtual std::vector<std::string> check_invariants(const StateReader& state) const {
    return {};
  }
};

}  // namespace btt::ledger

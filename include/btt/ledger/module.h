#pragma once
// The interface every module implements (DESIGN.md "The shape of a module"). The ledger defines
// it; modules implement it; chain/ routes messages to it by the Message oneof field number, so
// the ledger never needs to know a module.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "btt/common/status.h"
#include "btt/crypto/address.h"
#include "btt/ledger/ledger.h"
#include "btt/ledger/state.h"
#include "btt/v1/ledger.pb.h"
#include "btt/v1/tx.pb.h"

namespace btt::ledger {

struct BlockInfo {
  std::string chain_id;
  uint64_t height = 0;
  uint64_t time_ms = 0;
  uint64_t genesis_time_ms = 0;
  // Hash of the previous block (empty at genesis): the on-chain entropy modules draw from.
  Bytes prev_hash;
};

// Collects the events of one tx (or of a block hook). Dropped with the sandbox on failure.
class Events {
 public:
  class Builder {
   public:
    Builder& attr(std::string key, std::string value);
    Builder& attr(std::string key, uint64_t value) {
      return attr(std::move(key), std::to_string(value));
    }

   private:
    friend class Events;
    explicit Builder(v1::Event* e) : event_(e) {}
    v1::Event* event_;
  };
  Builder emit(std::string type);
  [[nodiscard]] const std::vector<v1::Event>& list() const { return events_; }
  [[nodiscard]] std::vector<v1::Event> take() { return std::move(events_); }
  void clear() { events_.clear(); }

 private:
  std::vector<v1::Event> events_;
};

// What a message handler sees: the tx it belongs to, the block, and the tx's sandbox.
struct MsgContext {
  const BlockInfo& block;
  const v1::LedgerParams& params;
  const v1::TxBody& body;
  const crypto::Address& sender;
  const Hash32& tx_id;
  Overlay& state;  // the tx sandbox: kept whole if every message applies, else dropped
  Events& events;
  const LockProviders* locks;

  [[nodiscard]] Ledger ledger() const { return Ledger(state, locks); }
};

class MsgHandler {
 public:
  virtual ~MsgHandler() = default;
  // Stateless: field ranges, sizes, formats. A failure means the tx is malformed (1xx). Runs on
  // several threads at once (a block's txs are checked in parallel), so it must not mutate.
  [[nodiscard]] virtual Status check(const v1::Message& msg,
                                     const v1::LedgerParams& params) const = 0;
  // Reads state only: would apply succeed? A failure is a failed-with-fee code (3xx).
  [[nodiscard]] virtual Status preclaim(const v1::Message& msg, MsgContext& ctx) const = 0;
  // Writes through keepers into ctx.state and emits events.
  [[nodiscard]] virtual Status apply(const v1::Message& msg, MsgContext& ctx) const = 0;
};

// What a module's genesis section is checked against besides itself.
struct GenesisInfo {
  uint64_t genesis_time_ms = 0;
  // Per asset, the sum of what the genesis file's `accounts` list holds.
  std::map<std::string, uint64_t, std::less<>> account_totals;

  [[nodiscard]] uint64_t account_total(std::string_view asset) const {
    auto it = account_totals.find(asset);
    return it == account_totals.end() ? 0 : it->second;
  }
};

// What a block hook sees.
struct BlockContext {
  const BlockInfo& block;
  Overlay& state;  // the block overlay
  Events& events;
  const LockProviders* locks;
};

class Module {
 public:
  virtual ~Module() = default;
  [[nodiscard]] virtual std::string_view name() const = 0;
  // The Message oneof field numbers this module handles, each with its handler.
  [[nodiscard]] virtual std::vector<std::pair<int, const MsgHandler*>> handlers() const = 0;
  // Balance locks this module imposes (vesting, bonds); none by default.
  [[nodiscard]] virtual const LockProvider* lock_provider() const { return nullptr; }

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

  virtual void begin_block(BlockContext& ctx) {}
  virtual void end_block(BlockContext& ctx) {}

  // Empty when every invariant holds; else one readable line per violation.
  [[nodiscard]] virtual std::vector<std::string> check_invariants(const StateReader& state) const {
    return {};
  }
};

}  // namespace btt::ledger

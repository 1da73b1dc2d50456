#pragma once
// A test-only module that changes the validator set: its end_block puts the set scheduled for its
// height into BlockContext::next_validators (in force from height + 2, doc/consensus.md
// "Validator set changes"), and it records what its hooks saw. It takes the "auth" code space,
// unused in this release (consent, which it used to borrow, is a module now); add it with
// MultiGenesisOptions::extend = add_set_changer(&pointer).
#include <map>
#include <memory>
#include <vector>

#include <nlohmann/json.hpp>

#include "btt/chain/registry.h"
#include "btt/crypto/keyfile.h"
#include "btt/ledger/module.h"

namespace btt::testkit {

class SetChanger final : public ledger::Module {
 public:
  [[nodiscard]] std::string_view name() const override { return "auth"; }
  [[nodiscard]] uint32_t codespace() const override { return 12; }
  [[nodiscard]] Result<nlohmann::json> export_genesis(const ledger::StateReader&) const override {
    return nlohmann::json();
  }
  [[nodiscard]] Status init_genesis(const nlohmann::json&, const ledger::GenesisInfo&,
                                    ledger::BlockContext& ctx) override {
    slot_outside_end_block |= ctx.next_validators != nullptr;
    return Status::ok();
  }
  void begin_block(ledger::BlockContext& ctx) override {
    slot_outside_end_block |= ctx.next_validators != nullptr;
    seen[ctx.block.height] = ctx.block;
  }
  void end_block(ledger::BlockContext& ctx) override {
    if (ctx.next_validators == nullptr) {
      end_block_without_slot = true;
      return;
    }
    auto it = schedule.find(ctx.block.height);
    if (it != schedule.end()) *ctx.next_validators = it->second;
  }

  std::map<uint64_t, std::vector<v1::Validator>> schedule;  // by the height whose end_block sets it
  std::map<uint64_t, ledger::BlockInfo> seen;               // what begin_block saw, by height
  bool slot_outside_end_block = false;
  bool end_block_without_slot = false;
};

// For MultiGenesisOptions::extend: adds a SetChanger and points `out` at it.
inline std::function<void(chain::ModuleRegistry&)> add_set_changer(SetChanger** out) {
  return [out](chain::ModuleRegistry& registry) {
    auto module = std::make_unique<SetChanger>();
    *out = module.get();
    registry.add(std::move(module));
  };
}

// A validator record of `key`.
inline v1::Validator validator_of(const crypto::KeyPair& key, uint64_t power,
                                  std::string name = "") {
  v1::Validator v;
  v.set_address(key.address.to_string());
  v.set_public_key(std::string(as_view(key.public_key)));
  v.set_power(power);
  v.set_name(std::move(name));
  return v;
}

}  // namespace btt::testkit

#pragma once
// The test environment every module's tests use (DESIGN.md "Testing"): an in-process ledger
// with manual block time, funded accounts, env.apply(tx, expected_code) and env.close_block().
// After every tx, failed ones included, it runs every module's invariants; after every block it
// checks that supply is conserved.
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "btt/chain/executor.h"
#include "btt/chain/registry.h"
#include "btt/chain/tx.h"
#include "btt/crypto/keyfile.h"
#include "btt/ledger/ledger.h"
#include "btt/ledger/state.h"

namespace btt::testkit {

// Committed state held in memory (ordered, like RocksDB).
class MemoryState final : public ledger::StateReader {
 public:
  [[nodiscard]] std::optional<Bytes> get(std::string_view key) const override;
  void scan(std::string_view prefix, const ledger::ScanFn& fn) const override;
  void scan_back(std::string_view prefix, std::string_view from,
                 const ledger::ScanFn& fn) const override;
  void apply(const std::map<Bytes, std::optional<Bytes>, std::less<>>& writes);

 private:
  std::map<Bytes, Bytes, std::less<>> data_;
};

struct Account {
  std::string name;
  crypto::KeyPair key;
  [[nodiscard]] const crypto::Address& address() const { return key.address; }
  [[nodiscard]] std::string addr() const { return key.address.to_string(); }
};

class TestEnv;

class TxBuilder {
 public:
  TxBuilder(TestEnv& env, const Account& from);
  TxBuilder& transfer(const Account& to, uint64_t amount, std::string asset = "BTT");
  TxBuilder& transfer_to(std::string to, uint64_t amount, std::string asset = "BTT");
  TxBuilder& multi(std::vector<std::tuple<std::string, std::string, uint64_t>> outputs);
  TxBuilder& message(v1::Message msg);
  TxBuilder& fee(uint64_t fee);
  TxBuilder& nonce(uint64_t nonce);
  TxBuilder& memo(std::string memo);
  TxBuilder& chain_id(std::string id);
  [[nodiscard]] v1::TxBody body() const;
  [[nodiscard]] chain::TxPtr sign() const;

 private:
  TestEnv& env_;
  const Account& from_;
  v1::TxBody body_;
  bool nonce_set_ = false;
};

class TestEnv {
 public:
  static constexpr uint64_t kGenesisTimeMs = 1'767'225'600'000;  // 2026-01-01T00:00:00Z
  static constexpr uint64_t kBlockTimeMs = 1000;
  // Genesis accounts: the faucet every account() is funded from (20,000,000 BTT, carved out of
  // Community Incentives); the default allocation's vesting and Foundation beneficiary; the
  // milestone authority. test_key(name) gives each one's key, account(name, 0) its Account.
  static constexpr const char* kFaucet = "faucet";
  static constexpr uint64_t kFaucetUnits = 20'000'000ULL * 100'000'000ULL;
  static constexpr const char* kBeneficiary = "beneficiary";
  static constexpr const char* kAuthority = "authority";
  // Holds role_admin in the test genesis (roles section); kAuthority holds milestone_authority.
  static constexpr const char* kRoleAdmin = "role_admin";

  TestEnv();
  // With genesis sections for modules other than tokenomics ({"compute": {...}}); modules not
  // named get a null section (their defaults).
  explicit TestEnv(const nlohmann::json& module_sections);
  // With a genesis validator set (staking tests; GenesisInfo::validators). Every block's
  // BlockInfo then carries the previous height's set as last_commit (all signed but those
  // set_absent() names) and a proposer, and a set an end_block hook chooses at H is in force
  // from H+2, as on a chain.
  TestEnv(const nlohmann::json& module_sections, std::vector<v1::Validator> genesis_validators);

  // A new account holding `btt_units` BTT, paid from the genesis faucet.
  const Account& account(const std::string& name, uint64_t btt_units = 1'000 * 100'000'000ULL);
  // Registers another asset and mints `amount` of it to `to`.
  void mint(const std::string& asset, const Account& to, uint64_t amount, uint32_t decimals = 2);

  [[nodiscard]] TxBuilder tx(const Account& from) { return TxBuilder(*this, from); }
  // Decodes, verifies, checks and executes the tx in the open block, expects `code`, then runs
  // every invariant. Returns the outcome (fee paid, events).
  chain::TxOutcome apply(const chain::TxPtr& tx, Code expected = Code::kOk);
  // Ends the open block (end_block hooks), commits it, checks supply, starts the next one.
  void close_block();
  void advance_time(uint64_t ms) { time_ms_ += ms; }
  // Benchmarks only: invariants read all of a module's state, so checking them after every tx
  // makes a long run quadratic. Tests keep them on. Off also stops following balance changes, so
  // it is for the whole run: turning it on again is not supported.
  void set_check_invariants(bool on) { check_invariants_ = on; }

  [[nodiscard]] uint64_t balance(const Account& a, std::string_view asset = "BTT") const;
  [[nodiscard]] uint64_t balance(const crypto::Address& a, std::string_view asset = "BTT") const;
  [[nodiscard]] uint64_t next_nonce(const Account& a) const;
  [[nodiscard]] uint64_t fee_pool() const;
  // A writing view of the open block for test set-up; its balance changes are replayed like a
  // tx's.
  [[nodiscard]] ledger::Ledger ledger() {
    return ledger::Ledger(*overlay_, direct_events_, &registry_->locks());
  }
  // Where set-up code that writes outside a tx records its events and balance changes.
  [[nodiscard]] ledger::Events& direct_events() { return direct_events_; }
  // The open block's state (for module views and keeper calls).
  [[nodiscard]] ledger::Overlay& ledger_state() { return *overlay_; }
  [[nodiscard]] const v1::LedgerParams& params() const { return params_; }
  void set_params(const v1::LedgerParams& p);
  [[nodiscard]] const std::string& chain_id() const { return chain_id_; }
  [[nodiscard]] uint64_t height() const { return height_; }
  [[nodiscard]] uint64_t time_ms() const { return time_ms_; }
  [[nodiscard]] const chain::ModuleRegistry& registry() const { return *registry_; }
  // Every module's invariant violations over the open block's state (empty when all hold).
  [[nodiscard]] std::vector<std::string> invariant_violations() const;
  // Supply conservation: per asset, the sum of balances equals the recorded supply.
  void expect_supply_conserved() const;
  // Every balance change reported since genesis (tx results, block hooks, set-up), replayed from
  // the genesis balances, gives every account's balance exactly (doc/api.md "Following an
  // account"). Runs at every close_block while invariants are on.
  void expect_balances_replay();
  // How many balance changes the replay has followed.
  [[nodiscard]] uint64_t balance_changes_seen() const { return balance_changes_seen_; }
  // The events of the last closed block's end_block hooks.
  [[nodiscard]] const std::vector<v1::Event>& block_events() const { return block_events_; }
  // Validators whose precommits are missing from the last_commit of the blocks from now on.
  void set_absent(std::set<crypto::Address> absent) { absent_ = std::move(absent); }
  // Evidence the next block carries (BlockInfo::misbehaviour of its begin_block only).
  void set_next_misbehaviour(std::vector<ledger::Misbehaviour> m) { misbehaviour_ = std::move(m); }
  // The proposer of the blocks from now on (default: the first validator of the height's set).
  void set_proposer(std::optional<crypto::Address> p) { proposer_ = p; }
  // The validator set in force at `height` (empty without genesis validators).
  [[nodiscard]] std::vector<v1::Validator> validators_at(uint64_t height) const;
  // The genesis "roles" section tests get unless they pass their own.
  [[nodiscard]] static nlohmann::json default_roles_section();

 private:
  friend class TxBuilder;
  void begin_block();
  void replay(const std::vector<v1::BalanceChange>& changes);
  [[nodiscard]] std::map<std::pair<std::string, std::string>, uint64_t> balances_in_state() const;
  ledger::BlockInfo block_info() const;

  std::string chain_id_ = "btt-test";
  std::unique_ptr<chain::ModuleRegistry> registry_;
  MemoryState committed_;
  std::unique_ptr<ledger::Overlay> overlay_;
  v1::LedgerParams params_;
  uint64_t height_ = 1;
  uint64_t time_ms_ = kGenesisTimeMs + kBlockTimeMs;
  std::map<std::string, Account> accounts_;
  uint64_t key_counter_ = 0;
  bool check_invariants_ = true;
  ledger::Events direct_events_;
  std::map<std::pair<std::string, std::string>, uint64_t> replayed_;
  uint64_t balance_changes_seen_ = 0;
  std::vector<v1::Event> block_events_;
  std::map<uint64_t, std::vector<v1::Validator>> sets_;  // from height -> set
  std::set<crypto::Address> absent_;
  std::optional<crypto::Address> proposer_;
  std::vector<ledger::Misbehaviour> misbehaviour_;
};

// Deterministic key pairs for tests: secret key = sha256("btt-test-key/" + name).
[[nodiscard]] crypto::KeyPair test_key(const std::string& name);

}  // namespace btt::testkit

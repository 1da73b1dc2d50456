#pragma once
// Typed access to the ledger's own state: accounts and nonces, multi-asset balances, registered
// assets, total supply per asset and the ledger parameters. Every module moves value through
// these methods, so the overflow checks and the balance bookkeeping live in one place.
//
// State keys (big-endian, prefixed; doc/protocol.md lists every prefix):
//   "acc/" addr20           -> Account
//   "bal/" addr20 asset     -> u64 BE balance (absent when zero)
//   "ast/" asset            -> AssetInfo
//   "sup/" asset            -> u64 BE total supply
//   "par/ledger"            -> LedgerParams
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "btt/common/amount.h"
#include "btt/common/status.h"
#include "btt/crypto/address.h"
#include "btt/ledger/events.h"
#include "btt/ledger/state.h"
#include "btt/v1/ledger.pb.h"

namespace btt::ledger {

inline constexpr std::string_view kNativeAsset = "BTT";
inline constexpr uint32_t kNativeDecimals = 8;
using btt::kUnitsPerBtt;
// Where LedgerParams live in state.
inline constexpr std::string_view kLedgerParamsKey = "par/ledger";
// Module account that collects every tx fee.
inline constexpr std::string_view kFeePoolModule = "fee_pool";

[[nodiscard]] bool is_valid_asset_name(std::string_view asset);
[[nodiscard]] v1::LedgerParams default_ledger_params();

// Something that holds part of a balance back (vesting, bonds). Registered by the chain layer;
// the ledger asks every provider and never knows who they are. It combines their answers in one
// rule (doc/staking.md "Delegating vesting BTT"):
//
//   held back = max(0, unvested - staked) + locked        spendable = balance - held back
//
// so unvested tokens the account has bonded (delegated, or unbonding) are held back in the stake
// rather than in the balance, and a slash, which lowers `staked`, can only hold back more.
class LockProvider {
 public:
  virtual ~LockProvider() = default;
  // Held back on top of everything else, whatever the account has staked (stake locks).
  [[nodiscard]] virtual uint64_t locked(const StateReader& /*state*/,
                                        const crypto::Address& /*addr*/, std::string_view /*asset*/,
                                        uint64_t /*time_ms*/) const {
    return 0;
  }
  // Held back unless the account's own stake outside its balance covers it (unvested tokens).
  [[nodiscard]] virtual uint64_t unvested(const StateReader& /*state*/,
                                          const crypto::Address& /*addr*/,
                                          std::string_view /*asset*/, uint64_t /*time_ms*/) const {
    return 0;
  }
  // The account's own tokens held outside its balance at their current value (bonded
  // delegations, unbonding entries). Asked only when something is unvested, or for a query.
  [[nodiscard]] virtual uint64_t staked(const StateReader& /*state*/,
                                        const crypto::Address& /*addr*/,
                                        std::string_view /*asset*/) const {
    return 0;
  }
};

// How the providers hold an account's balance of one asset back; DV/DF of the Cosmos vesting
// accounts, derived from the state instead of stored, so no slash can make them drift.
struct Holds {
  uint64_t balance = 0;
  uint64_t unvested = 0;  // V: what vesting still locks
  uint64_t staked = 0;    // S: own tokens outside the balance (0 when not asked: V = 0)
  uint64_t locked = 0;    // L: held back on top (stake locks)

  // The part of the stake that is vesting tokens (DV) and the part that is free (DF).
  [[nodiscard]] uint64_t delegated_vesting() const { return std::min(unvested, staked); }
  [[nodiscard]] uint64_t delegated_free() const { return staked - delegated_vesting(); }
  // What vesting holds back of the balance: max(0, V - S).
  [[nodiscard]] uint64_t vesting_held() const { return unvested - delegated_vesting(); }
  [[nodiscard]] uint64_t held_back() const;
  [[nodiscard]] uint64_t spendable() const {
    return held_back() >= balance ? 0 : balance - held_back();
  }
  // What may go into the account's own stake: vesting tokens may (the stake keeps covering
  // them), locked ones may not.
  [[nodiscard]] uint64_t bondable() const { return locked >= balance ? 0 : balance - locked; }
};

using LockProviders = std::vector<const LockProvider*>;

class Ledger {
 public:
  // Read-only view.
  explicit Ledger(const StateReader& state, const LockProviders* locks = nullptr)
      : reader_(state), locks_(locks) {}
  // Read-write view over an overlay (a block overlay or a tx sandbox). Every credit and debit is
  // recorded in `events` as a BalanceChange, so no balance moves unseen.
  Ledger(Overlay& state, Events& events, const LockProviders* locks = nullptr)
      : reader_(state), writer_(&state), events_(&events), locks_(locks) {}
  // A read-only view of an overlay must say so (Ledger(overlay.reader())), and a writer must
  // name its events.
  Ledger(Overlay& state, const LockProviders* locks = nullptr) = delete;

  // --- accounts ---
  [[nodiscard]] uint64_t next_nonce(const crypto::Address& addr) const;
  void set_next_nonce(const crypto::Address& addr, uint64_t nonce);

  // --- balances ---
  [[nodiscard]] uint64_t balance(const crypto::Address& addr, std::string_view asset) const;
  // balance minus what lock providers hold back at time_ms (never below zero; see Holds).
  [[nodiscard]] uint64_t spendable(const crypto::Address& addr, std::string_view asset,
                                   uint64_t time_ms) const;
  // What may be bonded into the account's own stake: the balance less `locked` (Holds).
  [[nodiscard]] uint64_t bondable(const crypto::Address& addr, std::string_view asset,
                                  uint64_t time_ms) const;
  // Every figure of the rule, `staked` included even when nothing is unvested (queries).
  [[nodiscard]] Holds holds(const crypto::Address& addr, std::string_view asset,
                            uint64_t time_ms) const;
  // Every non-zero balance of the account, ordered by asset name.
  [[nodiscard]] std::vector<v1::Coin> balances(const crypto::Address& addr) const;
  // Every address with a nonce or a balance, by address bytes (a full scan: exports only).
  [[nodiscard]] std::vector<crypto::Address> accounts() const;

  // kBalanceOverflow if the balance would exceed uint64.
  [[nodiscard]] Status credit(const crypto::Address& addr, std::string_view asset, uint64_t amount);
  // kInsufficientFunds if the balance is short (locks are not consulted: use move()).
  [[nodiscard]] Status debit(const crypto::Address& addr, std::string_view asset, uint64_t amount);
  // Moves spendable funds: kInsufficientFunds / kLockedFunds / kBalanceOverflow, and then nothing
  // is written.
  [[nodiscard]] Status move(const crypto::Address& from, const crypto::Address& to,
                            std::string_view asset, uint64_t amount, uint64_t time_ms);
  // Moves bondable funds into the account's own stake held by `pool` (a delegation): unvested
  // tokens may go, locked ones may not. The caller's provider must count them in `staked`.
  [[nodiscard]] Status bond(const crypto::Address& from, const crypto::Address& pool,
                            std::string_view asset, uint64_t amount, uint64_t time_ms);

  // --- assets and supply ---
  [[nodiscard]] std::optional<v1::AssetInfo> asset(std::string_view asset) const;
  void set_asset(const v1::AssetInfo& info);
  [[nodiscard]] uint64_t supply(std::string_view asset) const;
  void set_supply(std::string_view asset, uint64_t amount);
  // Every registered asset, ordered by name.
  [[nodiscard]] std::vector<v1::AssetInfo> assets() const;

  // --- parameters ---
  [[nodiscard]] v1::LedgerParams params() const;
  void set_params(const v1::LedgerParams& params);

  // --- invariants ---
  // Sum of every balance of `asset` (overflow-checked); nullopt on overflow.
  [[nodiscard]] std::optional<uint64_t> sum_balances(std::string_view asset) const;

 private:
  Overlay& writer() const;
  [[nodiscard]] Holds holds(const crypto::Address& addr, std::string_view asset, uint64_t time_ms,
                            bool always_staked) const;
  [[nodiscard]] Status transfer(const crypto::Address& from, const crypto::Address& to,
                                std::string_view asset, uint64_t amount);
  const StateReader& reader_;
  Overlay* writer_ = nullptr;
  Events* events_ = nullptr;
  const LockProviders* locks_ = nullptr;
};

// The spendable-funds check every message that pays or locks BTT (or another asset) makes:
// kInsufficientFunds (300) when the balance is below `amount`, kLockedFunds (303) when the
// balance covers it but locks (vesting, bonds) hold part back.
[[nodiscard]] Status require_spendable(const Ledger& ledger, const crypto::Address& account,
                                       std::string_view asset, uint64_t amount, uint64_t time_ms);
// The same check for what goes into the account's own stake (Ledger::bondable): 303 only when
// locks on top (stake locks) hold the amount back; unvested tokens may be bonded.
[[nodiscard]] Status require_bondable(const Ledger& ledger, const crypto::Address& account,
                                      std::string_view asset, uint64_t amount, uint64_t time_ms);

// State key builders (exposed for tests and the state dump).
[[nodiscard]] Bytes account_key(const crypto::Address& addr);
[[nodiscard]] Bytes balance_key(const crypto::Address& addr, std::string_view asset);

}  // namespace btt::ledger

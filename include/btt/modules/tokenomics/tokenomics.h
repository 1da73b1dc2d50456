#pragma once
// Tokenomics module (doc/tokenomics.md): allocates the fixed BTT supply at genesis, locks vesting
// and milestone tokens in their beneficiaries' accounts, pays the mining emission epoch by epoch
// into the mining escrow, approves Foundation milestones, and burns.
//
// State keys:
//   "tok/params"                      -> TokenomicsParams
//   "tok/cat/" id                     -> CategoryRecord
//   "tok/emission"                    -> EmissionState
//   "tok/ms/" category "/" milestone  -> MilestoneRecord
//   "tok/lock/" addr20                -> AccountLocks (categories locking the account's BTT)
//   "tok/burn/" source                -> u64 BE, burned under that source
//   "tok/burned"                      -> u64 BE, burned in all
#include <memory>
#include <optional>
#include <string_view>

#include "btt/common/status.h"
#include "btt/crypto/address.h"
#include "btt/ledger/module.h"

namespace btt::modules::tokenomics {

inline constexpr std::string_view kModuleName = "tokenomics";
inline constexpr uint32_t kCodespace = 2;
// Module account that receives each epoch's mining emission; the compute marketplace pays
// contributors from it, and what nobody earned stays there for the next epoch.
inline constexpr std::string_view kMiningEscrowModule = "mining_escrow";
// The burn source of MsgBurn.
inline constexpr std::string_view kHolderBurnSource = "holder";
// At most this many milestones per milestones category.
inline constexpr uint32_t kMaxMilestones = 256;

// The module account holding a pool or emission category's tokens: Address::for_module(
// "tokenomics/" + id).
[[nodiscard]] crypto::Address pool_address(std::string_view category_id);
[[nodiscard]] crypto::Address mining_escrow_address();

[[nodiscard]] std::unique_ptr<ledger::Module> make_tokenomics_module();

// --- the mining emission, as the compute marketplace asks for it -------------------------------
// The emission epoch running at time_ms (the curve's epoch count once it has ended); nullopt
// before the emission starts or on a chain without an emission category.
[[nodiscard]] std::optional<uint64_t> mining_epoch_at(const ledger::StateReader& state,
                                                      uint64_t time_ms);
// What closing epoch `epoch` may distribute: the mining escrow's balance minus what tokenomics
// has already paid into it for later epochs (those belong to later distributions).
[[nodiscard]] uint64_t mining_distributable(const ledger::StateReader& state, uint64_t epoch);

// The internal burn other modules call (RWA fees will): destroys `amount` of `from`'s spendable
// BTT at time_ms, shrinks the BTT supply and records the burn under `source` ([a-z_]{2,32}).
// kInvalidAmount / kInvalidArgument / kInsufficientFunds / kLockedFunds, and then nothing is
// written.
[[nodiscard]] Status burn(ledger::Overlay& state, ledger::Events& events,
                          const ledger::LockProviders* locks, const crypto::Address& from,
                          uint64_t amount, std::string_view source, uint64_t time_ms);

// --- governance ---------------------------------------------------------------------------
// Approves milestone `milestone` worth `amount` of milestones category `category`, with every
// check and effect of MsgApproveMilestone except the sender's role (governance decided it).
// Tokenomics errors, and then nothing is written.
[[nodiscard]] Status approve_milestone(ledger::Overlay& state, ledger::Events& events,
                                       const ledger::LockProviders* locks,
                                       const ledger::BlockInfo& block, std::string_view category,
                                       std::string_view milestone, uint64_t amount);
// Pays `amount` from governance-controlled pool `pool_id` ("treasury", "ecosystem_growth") to
// `to`: kInvalidArgument for any other category, kInsufficientFunds when the pool is short.
[[nodiscard]] Status release_from_pool(ledger::Overlay& state, ledger::Events& events,
                                       const ledger::LockProviders* locks, std::string_view pool_id,
                                       const crypto::Address& to, uint64_t amount,
                                       uint64_t time_ms);

}  // namespace btt::modules::tokenomics

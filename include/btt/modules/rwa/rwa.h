#pragma once
// RWA module (doc/rwa.md): healthcare assets as compliant fractional tokens. Claims from KYC
// attesters, per-asset transfer rules, issuer-appointed agents (freeze, forced transfer,
// recovery, pause), documents, appraisals and NAV, distributions to holders of record,
// redemption and retirement; the exchange (src/modules/rwa/exchange/) trades the fractions.
//
// The fractions of an asset are the ledger asset "rwa/" symbol (0 decimals). They move only
// through this module: its lock holds every rwa balance back from bank, payfi and every other
// ledger.move, so no path skips check_transfer.
//
// State keys: src/modules/rwa/keys.h (doc/rwa.md "State").
#include <memory>
#include <string>
#include <string_view>

#include "btt/common/status.h"
#include "btt/crypto/address.h"
#include "btt/ledger/ledger.h"
#include "btt/ledger/module.h"

namespace btt::modules::rwa {

inline constexpr std::string_view kModuleName = "rwa";
inline constexpr uint32_t kCodespace = 9;
inline constexpr std::string_view kAssetPrefix = "rwa/";
// The burn source of the minting fee's burn share (tokenomics::burn).
inline constexpr std::string_view kMintBurnSource = "rwa_mint";

// "rwa/" + symbol.
[[nodiscard]] std::string asset_id(std::string_view symbol);
[[nodiscard]] bool is_rwa_asset(std::string_view asset);

// The module account holding deposited, unclaimed distributions.
[[nodiscard]] crypto::Address distributions_address();
// The module account holding the quote of every resting buy order (price x open).
[[nodiscard]] crypto::Address exchange_address();
// The module account holding the reserves of every pool.
[[nodiscard]] crypto::Address pools_address();

// Whether the chain runs RWA (its genesis had an rwa section).
[[nodiscard]] bool enabled(const ledger::StateReader& state);

// What kind of movement check_transfer judges (doc/rwa.md "Compliance").
enum class Movement {
  // A holder's transfer, a taker's sale, a pool deposit or swap: every rule; the fractions the
  // sender's resting sell orders hold are not free.
  kTransfer,
  // A resting sell order's fill: every rule, and the order's own fractions are free to it.
  kFill,
  // A forced transfer or a recovery by an agent: pause, lock-up and freezes do not stop it (the
  // handler decides what frozen fractions may move), the receiver's identity and the holding
  // limits still do (T-REX #240).
  kForced,
  // A distribution paid to `to`: the asset must exist and `to` pass the identity rules.
  kDistribution,
};

// May `from` move `amount` fractions of `asset` to `to` at block time `time_ms`? Ok, or the rule
// that refuses it: its ErrorDef detail (compliance_paused, compliance_lockup, compliance_frozen,
// compliance_kyc_required, compliance_claim_expired, compliance_accredited_required,
// compliance_country_not_allowed, compliance_country_denied, compliance_max_holding,
// compliance_max_holders), or unknown_rwa_asset, asset_retired, insufficient_fractions. Every
// path that moves fractions calls it: transfer, forced transfer, recovery, distribution claims,
// and the exchange's fills and pool deposits.
[[nodiscard]] Status check_transfer(const ledger::StateReader& state, std::string_view asset,
                                    const crypto::Address& from, const crypto::Address& to,
                                    uint64_t amount, uint64_t time_ms,
                                    Movement movement = Movement::kTransfer);

// Whether `account` passes the identity rules of `asset` as a holder at `time_ms`.
[[nodiscard]] Status check_holder(const ledger::StateReader& state, std::string_view asset,
                                  const crypto::Address& account, uint64_t time_ms);

// The module's own accounts (the pools and the exchange escrow): they hold fractions for others,
// so the identity rules, holding limits, lock-up and holder count leave them out.
[[nodiscard]] bool is_module_account(const crypto::Address& a);

// The fractions of `account` its freezes hold back now (whole: the balance).
[[nodiscard]] uint64_t frozen_fractions(const ledger::StateReader& state, std::string_view asset,
                                        const crypto::Address& account);
// Balance less frozen, less what its resting sell orders hold (0 at least).
[[nodiscard]] uint64_t free_fractions(const ledger::StateReader& state, std::string_view asset,
                                      const crypto::Address& account);

// Moves `amount` fractions after check_transfer passed (the exchange settles fills with it):
// the balance snapshots of distributions and the holder index follow. kInsufficientFunds when
// `from` holds less; then nothing is written.
[[nodiscard]] Status move_fractions(ledger::Overlay& state, ledger::Events& events,
                                    std::string_view asset, const crypto::Address& from,
                                    const crypto::Address& to, uint64_t amount);

[[nodiscard]] std::unique_ptr<ledger::Module> make_rwa_module();

}  // namespace btt::modules::rwa

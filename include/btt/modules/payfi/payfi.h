#pragma once
// PayFi module (doc/payfi.md): payment assets issued by gateways, payees, invoices, payments
// with idempotency keys, holds (authorize and capture), refunds, and the settlement of payees'
// pending balances each cycle, netted per payee and asset, with a volume-tiered fee.
//
// State keys: src/modules/payfi/keys.h (doc/payfi.md "State").
#include <memory>
#include <string_view>

#include "btt/common/status.h"
#include "btt/crypto/address.h"
#include "btt/ledger/ledger.h"
#include "btt/ledger/module.h"

namespace btt::modules::payfi {

inline constexpr std::string_view kModuleName = "payfi";
inline constexpr uint32_t kCodespace = 8;

// Module accounts: what payees are owed until their cycle settles, what holds reserve, and where
// the development share of fees goes.
[[nodiscard]] crypto::Address pending_address();
[[nodiscard]] crypto::Address holds_address();
[[nodiscard]] crypto::Address development_address();

// Whether the chain runs PayFi (its genesis had a payfi section).
[[nodiscard]] bool enabled(const ledger::StateReader& state);

// Whether `account`'s holding of payment asset `asset` is frozen by its gateway.
[[nodiscard]] bool is_frozen(const ledger::StateReader& state, std::string_view asset,
                             const crypto::Address& account);

// Whether `payer` holds a subscription to one of `payee`'s plans that is ACTIVE or PAST_DUE
// within its grace period (the incentives module asks it of providers' platform plans).
[[nodiscard]] bool subscription_active(const ledger::StateReader& state,
                                       const crypto::Address& payer, const crypto::Address& payee);

// A conversion of `amount` of `from` into `to` at the oracle price now (fx.cpp; doc/payfi.md
// "Conversion"): converted = floor(amount x num / den), fee = floor(converted x fx_fee_bps /
// 10000), delivered = converted - fee; of the fee the provider keeps fx_provider_share_bps
// (rounded down) and pays the rest to the fee split. The provider is the first offer of the pair
// (by address) whose spendable `to` covers delivered + platform_fee.
struct FxQuote {
  uint64_t rate_num = 0;
  uint64_t rate_den = 0;
  uint32_t posts = 0;
  uint64_t converted = 0;
  uint64_t fee = 0;
  uint64_t delivered = 0;
  uint64_t platform_fee = 0;  // the part of the fee the provider pays to the fee split
  crypto::Address provider;
};
[[nodiscard]] Result<FxQuote> quote_fx(const ledger::StateReader& state,
                                       const ledger::LockProviders* locks, std::string_view from,
                                       std::string_view to, uint64_t amount, uint64_t time_ms);

[[nodiscard]] std::unique_ptr<ledger::Module> make_payfi_module();

}  // namespace btt::modules::payfi

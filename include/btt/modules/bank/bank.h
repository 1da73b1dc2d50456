#pragma once
// Bank module (doc/bank.md): Transfer and MultiTransfer of any registered asset. Its state is the
// ledger's balances; it has no keys of its own.
//
// The interface other modules use: none today (they move value through ledger::Ledger, which
// records every balance change).
#include <memory>
#include <string_view>

#include "btt/ledger/module.h"

namespace btt::modules::bank {

inline constexpr std::string_view kModuleName = "bank";
inline constexpr uint32_t kCodespace = 1;

[[nodiscard]] std::unique_ptr<ledger::Module> make_bank_module();

}  // namespace btt::modules::bank

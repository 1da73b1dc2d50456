#pragma once
// Bank module: Transfer and MultiTransfer of any registered asset (doc/bank.md).
#include <memory>

#include "btt/ledger/module.h"

namespace btt::modules {

[[nodiscard]] std::unique_ptr<ledger::Module> make_bank_module();

}  // namespace btt::modules

// Bank genesis: the bank's state is the ledger's accounts, assets and supply, which the genesis
// file's top-level "accounts" and "assets" describe (chain/genesis.cpp writes and exports them),
// so it has no section of its own: whatever stands under "modules.bank" is ignored, and it exports
// null.
#include "module.h"

#include <nlohmann/json.hpp>

namespace btt::modules::bank {

Result<nlohmann::json> BankModule::export_genesis(const ledger::StateReader&) const {
  return nlohmann::json();
}

}  // namespace btt::modules::bank

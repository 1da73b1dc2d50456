// Bank module (doc/bank.md): moves registered assets between accounts.
#include "module.h"

#include "btt/modules/bank/errors.h"
#include "btt/modules/bank/events.h"

namespace btt::modules::bank {

std::vector<const ledger::EventDef*> BankModule::events() const {
  return {&events::kTransfer};
}

std::vector<const ErrorDef*> BankModule::errors() const {
  return {&errors::kBadRecipient, &errors::kBadAsset,       &errors::kZeroAmount,
          &errors::kNoOutputs,    &errors::kTooManyOutputs, &errors::kUnknownAsset,
          &errors::kTotalOverflow};
}

std::unique_ptr<ledger::Module> make_bank_module() {
  return std::make_unique<BankModule>();
}

}  // namespace btt::modules::bank

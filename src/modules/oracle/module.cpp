// Oracle module (doc/oracle.md): wiring.
#include "module.h"

#include "btt/modules/oracle/errors.h"
#include "btt/modules/oracle/events.h"

namespace btt::modules::oracle {

std::vector<const ledger::EventDef*> OracleModule::events() const {
  return {&events::kPricePosted};
}

std::vector<const ErrorDef*> OracleModule::errors() const {
  return {&errors::kBadPair,   &errors::kBadPrice,           &errors::kNotPriceOracle,
          &errors::kNoPrice,   &errors::kConversionOverflow, &errors::kBadParams,
          &errors::kBadGenesis};
}

std::unique_ptr<ledger::Module> make_oracle_module() {
  return std::make_unique<OracleModule>();
}

}  // namespace btt::modules::oracle

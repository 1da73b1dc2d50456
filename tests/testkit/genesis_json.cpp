#include "testkit/genesis_json.h"

#include <stdexcept>

#include "btt/chain/genesis.h"
#include "btt/common/json_fields.h"
#include "btt/modules/tokenomics/genesis.h"
#include "testkit/test_env.h"

namespace btt::testkit {

nlohmann::json& add_tokenomics(nlohmann::json& genesis) {
  auto time_ms = chain::parse_rfc3339_ms(genesis.at("genesis_time").get<std::string>());
  if (!time_ms) throw std::invalid_argument("add_tokenomics: bad genesis_time");
  uint64_t accounts_btt = 0;
  if (genesis.contains("accounts")) {
    for (const auto& a : genesis["accounts"]) {
      for (const auto& c : a.at("balances")) {
        if (c.at("asset") != "BTT") continue;
        auto amount = json_fields::u64(c.at("amount"), "amount");
        if (!amount) throw std::invalid_argument("add_tokenomics: " + amount.status().message());
        accounts_btt += *amount;
      }
    }
  }
  genesis["modules"]["tokenomics"] = modules::tokenomics::to_json(
      modules::tokenomics::default_genesis(*time_ms / 1000, test_key(TestEnv::kBeneficiary).address,
                                           test_key(TestEnv::kAuthority).address, accounts_btt));
  return genesis;
}

nlohmann::json one_validator_genesis(const crypto::KeyPair& validator,
                                     const crypto::Address& account, uint64_t btt_units) {
  nlohmann::json j = {
      {"chain_id", "btt-test-1"},
      {"genesis_time", "2026-01-01T00:00:00Z"},
      {"validators",
       {{{"public_key", to_hex(validator.public_key)}, {"power", "1"}, {"name", "v0"}}}},
      {"accounts",
       {{{"address", account.to_string()},
         {"balances", {{{"asset", "BTT"}, {"amount", std::to_string(btt_units)}}}}}}}};
  return add_tokenomics(j);
}

}  // namespace btt::testkit

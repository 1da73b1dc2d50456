#pragma once
// Genesis files for tests: whatever BTT a test's `accounts` list holds must come out of the
// tokenomics allocation, as on a real chain.
#include <nlohmann/json.hpp>

#include <cstdint>

#include "btt/crypto/keyfile.h"

namespace btt::testkit {

// Adds modules.tokenomics: the default allocation with the BTT of the `accounts` list carved out
// of Community Incentives (so at most 25,199,999 BTT), the vesting and Foundation tokens to
// test_key("beneficiary"), milestones approved by test_key("authority"). Returns `genesis`.
nlohmann::json& add_tokenomics(nlohmann::json& genesis);

// Chain "btt-test-1" from 2026-01-01 with `validator` alone (power 1) and `account` holding
// `btt_units` of BTT, tokenomics added.
[[nodiscard]] nlohmann::json one_validator_genesis(const crypto::KeyPair& validator,
                                                   const crypto::Address& account,
                                                   uint64_t btt_units);

}  // namespace btt::testkit

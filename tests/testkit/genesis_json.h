#pragma once
// Genesis files for tests: whatever BTT a test's `accounts` list holds must come out of the
// tokenomics allocation, as on a real chain.
#include <nlohmann/json.hpp>

namespace btt::testkit {

// Adds modules.tokenomics: the default allocation with the BTT of the `accounts` list carved out
// of Community Incentives (so at most 25,199,999 BTT), the vesting and Foundation tokens to
// test_key("beneficiary"), milestones approved by test_key("authority"). Returns `genesis`.
nlohmann::json& add_tokenomics(nlohmann::json& genesis);

}  // namespace btt::testkit

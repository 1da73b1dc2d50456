#pragma once
// The tokenomics section of the genesis file ("modules": {"tokenomics": {...}}; doc/genesis.md).
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "btt/common/status.h"
#include "btt/crypto/address.h"
#include "btt/modules/tokenomics/schedule.h"

namespace btt::modules::tokenomics {

struct GenesisRow {
  Category category;                           // schedules start at genesis
  std::optional<crypto::Address> beneficiary;  // vesting and milestones categories only
  uint64_t cliff_months = 0;                   // vesting
  uint64_t duration_months = 0;                // vesting, milestones
};

struct GenesisAllocation {
  uint64_t month_s = kDefaultMonthS;
  // Approves Foundation milestones until governance exists; required iff a milestones category
  // exists.
  std::optional<crypto::Address> milestone_authority;
  std::vector<GenesisRow> rows;

  [[nodiscard]] std::vector<Category> categories() const;
};

// Parses and validates the section. accounts_btt is the BTT the genesis `accounts` list holds: it
// must equal the amount of the accounts category (0 when there is none), so nothing is minted
// twice and the whole allocation is exactly the fixed supply.
[[nodiscard]] Result<GenesisAllocation> parse_genesis(const nlohmann::json& section,
                                                      uint64_t genesis_s, uint64_t accounts_btt);
[[nodiscard]] nlohmann::json to_json(const GenesisAllocation& allocation);

// The default allocation (doc/tokenomics.md) with every vesting and milestones beneficiary set to
// `beneficiary`. accounts_btt > 0 carves an accounts category of that many units (at most the
// whole of Community Incentives) out of Community Incentives: dev nets and tests fund their
// genesis accounts from it.
[[nodiscard]] GenesisAllocation default_genesis(uint64_t genesis_s,
                                                const crypto::Address& beneficiary,
                                                const crypto::Address& milestone_authority,
                                                uint64_t accounts_btt = 0);

}  // namespace btt::modules::tokenomics

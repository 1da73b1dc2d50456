#pragma once
// The compute section of the genesis file ("modules": {"compute": {...}}; doc/compute.md
// "Parameters"). Every field is optional; absent fields take the documented defaults.
#include <nlohmann/json.hpp>

#include "btt/common/status.h"
#include "btt/v1/compute.pb.h"

namespace btt::modules::compute {

[[nodiscard]] v1::ComputeParams default_params();
// Parses and validates the section (null: every default).
[[nodiscard]] Result<v1::ComputeParams> parse_params(const nlohmann::json& section);
[[nodiscard]] Status validate_params(const v1::ComputeParams& p);

// Table lookups (defaults when absent).
[[nodiscard]] uint32_t hardware_multiplier(const v1::ComputeParams& p, std::string_view kind);
[[nodiscard]] uint32_t region_factor(const v1::ComputeParams& p, std::string_view region);
// The highest tier whose min_efficiency <= efficiency; unattested nodes are capped at 10,000.
[[nodiscard]] uint32_t energy_factor(const v1::ComputeParams& p, uint32_t efficiency,
                                     bool attested);
[[nodiscard]] bool is_job_kind(const v1::ComputeParams& p, std::string_view kind);

// Format checks shared by messages and genesis.
[[nodiscard]] bool valid_region(std::string_view region);  // ISO 3166-1 alpha-2, upper case
[[nodiscard]] bool valid_name(std::string_view name);      // [a-z0-9-_.]{1,64}, lower case
[[nodiscard]] bool valid_model(std::string_view model);    // printable, 1..64, no spaces

}  // namespace btt::modules::compute

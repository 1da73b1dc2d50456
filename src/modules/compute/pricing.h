#pragma once
// Job pricing and the settlement split (doc/compute.md): pure integer functions.
#include <cstdint>
#include <optional>

#include "btt/v1/compute.pb.h"

namespace btt::modules::compute {

// The settlement shares of a job's cost (the rest is the operational reserve's).
inline constexpr uint64_t kNodesShareBps = 7'000;
inline constexpr uint64_t kDevelopmentShareBps = 1'500;
inline constexpr uint64_t kFoundationShareBps = 1'000;

// Cost of one replica: floor(cu x ask x hardware_bps x urgency_bps / 10^8); nullopt on overflow.
[[nodiscard]] std::optional<uint64_t> replica_price(uint64_t cu, uint64_t ask, uint32_t hw_bps,
                                                    uint32_t urgency_bps);
// ceil(input_size / 1 MiB) x data_fee_per_mib; nullopt on overflow.
[[nodiscard]] std::optional<uint64_t> data_fee(uint64_t input_size, uint64_t per_mib);
// What a job escrows at posting: redundancy x replica_price(max price) + data fee.
[[nodiscard]] std::optional<uint64_t> max_cost(const v1::ComputeParams& p, const v1::MsgPostJob& m);

// Settlement split of `cost`: 70% nodes, 15% development fund, 10% Foundation, the rest (5% and
// every rounding remainder) operational reserve. Node share split equally among `payees`; its
// remainder goes to the reserve too.
struct Split {
  uint64_t per_node = 0;
  uint64_t nodes_total = 0;  // per_node x payees
  uint64_t development = 0;
  uint64_t foundation = 0;
  uint64_t reserve = 0;
};
[[nodiscard]] Split split_cost(uint64_t cost, uint64_t payees);

// Score of one node for an epoch (doc/compute.md "Mining rewards"): cu x 10^4 scaled by four bps
// factors, each step floored; saturates at 2^64-1.
[[nodiscard]] uint64_t score(uint64_t cu, uint32_t uptime_bps, uint32_t quality_bps,
                             uint32_t geography_bps, uint32_t energy_bps);

}  // namespace btt::modules::compute

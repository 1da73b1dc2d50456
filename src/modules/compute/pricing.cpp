// Job pricing and settlement shares (doc/compute.md "Pricing" and "Settlement"): pure integer
// functions of the params and a job, used by the keeper and by btt-cli's estimates.
#include "pricing.h"

#include "btt/common/amount.h"
#include "btt/common/checked.h"
#include "btt/modules/compute/params.h"

namespace btt::modules::compute {
namespace {
constexpr uint64_t kMiB = 1 << 20;
}  // namespace

std::optional<uint64_t> replica_price(uint64_t cu, uint64_t ask, uint32_t hw_bps,
                                      uint32_t urgency_bps) {
  auto base = checked_mul(cu, ask);
  if (!base) return std::nullopt;
  return mul_div_floor(*base, static_cast<uint64_t>(hw_bps) * urgency_bps, kBps * kBps);
}

std::optional<uint64_t> data_fee(uint64_t input_size, uint64_t per_mib) {
  const uint64_t mib = ceil_div(input_size, kMiB);
  return checked_mul(mib, per_mib);
}

std::optional<uint64_t> max_cost(const v1::ComputeParams& p, const v1::MsgPostJob& m) {
  const auto urgency = static_cast<int>(m.urgency());
  if (urgency < 0 || urgency >= p.urgency_size()) return std::nullopt;
  auto one = replica_price(m.compute_units(), m.max_price_per_cu(),
                           hardware_multiplier(p, m.requirements().accelerator_kind()),
                           p.urgency(urgency).multiplier_bps());
  if (!one) return std::nullopt;
  auto all = checked_mul(*one, m.redundancy());
  auto fee = data_fee(m.input_size(), p.data_fee_per_mib());
  if (!all || !fee) return std::nullopt;
  return checked_add(*all, *fee);
}

Split split_cost(uint64_t cost, uint64_t payees) {
  Split s;
  const uint64_t nodes = bps_of(cost, kNodesShareBps);
  s.development = bps_of(cost, kDevelopmentShareBps);
  s.foundation = bps_of(cost, kFoundationShareBps);
  s.per_node = payees == 0 ? 0 : nodes / payees;
  s.nodes_total = *checked_mul(s.per_node, payees);  // <= nodes
  // The three shares are floors of 95% of cost together: the rest (5% and every rounding
  // remainder) never underflows.
  s.reserve =
      *checked_sub(cost, *checked_add(*checked_add(s.nodes_total, s.development), s.foundation));
  return s;
}

uint64_t score(uint64_t cu, uint32_t uptime_bps, uint32_t quality_bps, uint32_t geography_bps,
               uint32_t energy_bps) {
  auto s = checked_mul(cu, kBps);
  for (uint32_t f : {uptime_bps, quality_bps, geography_bps, energy_bps}) {
    if (!s) return UINT64_MAX;
    s = mul_div_floor(*s, f, kBps);
  }
  return s.value_or(UINT64_MAX);
}

}  // namespace btt::modules::compute

// The per-epoch distribution of the mining emission by score (doc/compute.md "Mining rewards"):
// score = cu x uptime x quality x geography x energy, each a bps factor; the epoch's
// distributable amount is shared pro rata in 128-bit integers, the rounding remainder goes to the
// highest score, and what nobody earned stays in the escrow for the next epoch.
#include <algorithm>

#include "btt/common/amount.h"
#include "btt/common/checked.h"
#include "btt/modules/compute/events.h"
#include "btt/modules/compute/params.h"
#include "btt/modules/tokenomics/tokenomics.h"
#include "keeper.h"
#include "keys.h"

namespace btt::modules::compute {

void ComputeKeeper::close_epoch_if_due() {
  // Tokenomics says which emission epoch runs now and what closing one may distribute.
  const auto now_epoch = tokenomics::mining_epoch_at(state_, block_.time_ms);
  if (!now_epoch) return;
  v1::EpochState st = view().epoch();
  if (*now_epoch <= st.epoch()) return;
  const uint64_t closing = st.epoch();
  const uint64_t distributable = tokenomics::mining_distributable(state_, closing);
  const crypto::Address escrow = tokenomics::mining_escrow_address();

  const uint64_t blocks =
      std::max<uint64_t>(1, checked_sub(block_.height, st.start_height()).value_or(1));
  const uint64_t expected = std::max<uint64_t>(1, blocks / params_.heartbeat_interval_blocks());
  struct Row {
    crypto::Address addr;
    v1::NodeReward reward;
  };
  std::vector<Row> rows;
  std::vector<Bytes> stat_keys;
  unsigned __int128 total = 0;
  ComputeView v = view();
  state_.scan(keys::all_epoch_stats(), [&](std::string_view key, std::string_view value) {
    stat_keys.emplace_back(key);
    v1::NodeEpochStats s;
    auto addr = crypto::Address::from_bytes(key.substr(keys::all_epoch_stats().size()));
    if (!addr || !s.ParseFromArray(value.data(), static_cast<int>(value.size()))) return true;
    auto node = v.node(*addr);
    if (!node) return true;
    v1::NodeReward r;
    r.set_epoch(closing);
    r.set_node(node->operator_());
    r.set_compute_units(s.compute_units());
    r.set_uptime_bps(static_cast<uint32_t>(
        std::min<uint64_t>(kBps, *mul_div_floor(s.heartbeats(), kBps, expected))));
    r.set_quality_bps(
        static_cast<uint32_t>(s.results() == 0 ? 0 : s.quality_sum_bps() / s.results()));
    r.set_geography_bps(region_factor(params_, node->region()));
    r.set_energy_bps(energy_factor(params_, node->energy_efficiency(), node->energy_attested()));
    r.set_score(score(r.compute_units(), r.uptime_bps(), r.quality_bps(), r.geography_bps(),
                      r.energy_bps()));
    total += r.score();
    rows.push_back({*addr, r});
    return true;
  });
  for (const auto& k : stat_keys) state_.erase(k);

  uint64_t distributed = 0;
  if (total > 0 && distributable > 0) {
    size_t top = 0;
    for (size_t i = 0; i < rows.size(); ++i) {
      auto& r = rows[i].reward;
      // distributable < 2^64 and score < 2^64: the product fits 128 bits.
      r.set_reward(
          static_cast<uint64_t>(static_cast<unsigned __int128>(distributable) * r.score() / total));
      distributed = *checked_add(distributed, r.reward());  // floors sum to <= distributable
      if (r.score() > rows[top].reward.score()) top = i;
    }
    // The rounding remainder goes to the highest score (the first in address order on a tie).
    const uint64_t remainder = *checked_sub(distributable, distributed);
    rows[top].reward.set_reward(*checked_add(rows[top].reward.reward(), remainder));
    distributed = distributable;
  }
  for (auto& row : rows) {
    const auto& r = row.reward;
    if (r.reward() > 0) {
      move(escrow, row.addr, r.reward());
      if (auto n = view().node(row.addr)) {
        n->set_rewards(saturating_add(n->rewards(), r.reward()));
        put_node(row.addr, *n);
      }
    }
    state_.put(keys::reward(closing, row.addr), r.SerializeAsString());
  }
  v1::EpochSummary sum;
  sum.set_epoch(closing);
  sum.set_end_height(block_.height);
  sum.set_distributable(distributable);
  sum.set_distributed(distributed);
  sum.set_rolled_over(*checked_sub(distributable, distributed));
  sum.set_total_score(total > UINT64_MAX ? UINT64_MAX : static_cast<uint64_t>(total));
  sum.set_nodes(static_cast<uint32_t>(rows.size()));
  sum.set_expected_heartbeats(expected);
  state_.put(keys::epoch_summary(closing), sum.SerializeAsString());
  events_.emit(events::kEpochRewards)
      .attr("epoch", closing)
      .attr("distributed", distributed)
      .attr("rolled_over", *checked_sub(distributable, distributed))
      .attr("nodes", static_cast<uint64_t>(rows.size()));
  st.set_epoch(*now_epoch);
  st.set_start_height(block_.height);
  state_.put(keys::epoch(), st.SerializeAsString());
}

}  // namespace btt::modules::compute

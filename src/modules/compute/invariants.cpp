// Compute invariants, checked after every tx in tests: the escrow account holds exactly the open
// jobs' escrow, the bonds account exactly the bonds, and the price index lists every live node.
#include "btt/common/amount.h"
#include "btt/ledger/ledger.h"
#include "btt/modules/compute/view.h"
#include "keys.h"
#include "module.h"

namespace btt::modules::compute {

std::vector<std::string> ComputeModule::check_invariants(const ledger::StateReader& state) const {
  std::vector<std::string> out;
  if (!state.get(keys::params())) return out;
  ComputeView v(state);
  ledger::Ledger l(state);
  uint64_t escrow = 0;
  for (uint64_t id : v.open_jobs()) {
    auto j = v.job(id);
    if (!j) {
      out.push_back("compute: open job " + std::to_string(id) + " has no record");
      continue;
    }
    escrow = saturating_add(escrow, j->escrow());
  }
  const uint64_t held = l.balance(escrow_address(), ledger::kNativeAsset);
  if (held != escrow) {
    out.push_back("compute: escrow account holds " + std::to_string(held) + ", open jobs escrow " +
                  std::to_string(escrow));
  }
  uint64_t bonds = 0;
  size_t indexed = 0;
  state.scan(keys::price_indexes(), [&](std::string_view, std::string_view) {
    ++indexed;
    return true;
  });
  size_t live = 0;
  for (const auto& n : v.nodes()) {
    if (n.status() != v1::NODE_STATUS_UNREGISTERED) {
      ++live;
      auto addr = crypto::Address::parse(n.operator_());
      if (!addr ||
          !state.get(keys::price_entry(n.hardware().accelerator_kind(), n.price_per_cu(), *addr))) {
        out.push_back("compute: node " + n.operator_() + " missing from the price index");
      }
    }
    bonds = saturating_add(bonds, n.bond());
    if (n.reputation_bps() > kBps) {
      out.push_back("compute: node " + n.operator_() + " reputation above 10000");
    }
  }
  if (indexed != live) {
    out.push_back("compute: price index holds " + std::to_string(indexed) + " entries for " +
                  std::to_string(live) + " nodes");
  }
  const uint64_t bonded = l.balance(bonds_address(), ledger::kNativeAsset);
  if (bonded != bonds) {
    out.push_back("compute: bonds account holds " + std::to_string(bonded) +
                  ", node bonds sum to " + std::to_string(bonds));
  }
  return out;
}

}  // namespace btt::modules::compute

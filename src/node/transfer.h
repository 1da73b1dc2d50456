#pragma once
#include <cstdint>

#include "btt/common/checked.h"

namespace btt::node {

// Milliseconds to send `bytes` at `per_s` bytes per second (bytes < 2^44: no overflow): the
// reactor's send budgets (block sync requests, proposal re-gossip).
[[nodiscard]] inline uint64_t transfer_ms(uint64_t bytes, uint64_t per_s) {
  return mul_div_floor(bytes, 1000, per_s).value_or(UINT64_MAX);
}

}  // namespace btt::node

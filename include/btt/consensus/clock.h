#pragma once
// The only source of time in consensus, so tests and simulations can drive it by hand.
#include <cstdint>

namespace btt::consensus {

class Clock {
 public:
  virtual ~Clock() = default;
  [[nodiscard]] virtual uint64_t now_ms() const = 0;
};

class SystemClock final : public Clock {
 public:
  [[nodiscard]] uint64_t now_ms() const override;
};

}  // namespace btt::consensus

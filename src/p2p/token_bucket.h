#pragma once
// A token bucket: `rate` tokens a second up to `capacity`, full at reset. The transport's
// per-peer receive limit (bytes and messages); not consensus code, so doubles are fine.
#include <algorithm>
#include <chrono>

namespace btt::p2p {

class TokenBucket {
 public:
  using Clock = std::chrono::steady_clock;

  void reset(double rate, double capacity, Clock::time_point now) {
    rate_ = rate;
    capacity_ = capacity;
    tokens_ = capacity;
    last_ = now;
  }
  // Takes n tokens if there are that many.
  bool take(double n, Clock::time_point now) {
    const double dt = std::chrono::duration<double>(now - last_).count();
    last_ = now;
    tokens_ = std::min(capacity_, tokens_ + dt * rate_);
    if (tokens_ < n) return false;
    tokens_ -= n;
    return true;
  }

 private:
  double rate_ = 0;
  double capacity_ = 0;
  double tokens_ = 0;
  Clock::time_point last_;
};

}  // namespace btt::p2p

#pragma once
// Tells waiting readers (gRPC streams, broadcast-and-wait) that a block was committed.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace btt::chain {

class BlockHub {
 public:
  explicit BlockHub(uint64_t height) : height_(height) {}
  void publish(uint64_t height) {
    {
      std::lock_guard lock(mu_);
      height_ = height;
    }
    cv_.notify_all();
  }
  // Returns as soon as the committed height exceeds `after`, at shutdown, or after max_wait;
  // returns the committed height.
  uint64_t wait_beyond(uint64_t after, std::chrono::milliseconds max_wait) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, max_wait, [&] { return height_ > after || closed_; });
    return height_;
  }
  [[nodiscard]] uint64_t height() const {
    std::lock_guard lock(mu_);
    return height_;
  }
  void close() {
    {
      std::lock_guard lock(mu_);
      closed_ = true;
    }
    cv_.notify_all();
  }
  [[nodiscard]] bool closed() const {
    std::lock_guard lock(mu_);
    return closed_;
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  uint64_t height_;
  bool closed_ = false;
};

}  // namespace btt::chain

#pragma once
// An exclusive lock on a node's home directory (flock on HOME/bttd.lock), so a second bttd on
// the same home refuses to start with a clear message instead of corrupting the first one's data.
#include <filesystem>
#include <memory>

#include "btt/common/status.h"

namespace btt::node {

class HomeLock {
 public:
  [[nodiscard]] static Result<std::unique_ptr<HomeLock>> acquire(const std::filesystem::path& home);
  ~HomeLock();
  HomeLock(const HomeLock&) = delete;
  HomeLock& operator=(const HomeLock&) = delete;

 private:
  explicit HomeLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace btt::node

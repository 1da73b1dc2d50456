#include "btt/node/home_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstring>
#include <string>

namespace btt::node {

Result<std::unique_ptr<HomeLock>> HomeLock::acquire(const std::filesystem::path& home) {
  auto path = home / "bttd.lock";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Status(Code::kUnavailable, "cannot open " + path.string() + ": " + std::strerror(errno));
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    char buf[32] = {};
    ssize_t n = ::pread(fd, buf, sizeof(buf) - 1, 0);
    std::string pid = n > 0 ? std::string(buf, static_cast<size_t>(n)) : "unknown";
    while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
    ::close(fd);
    return Status(Code::kUnavailable,
                  "another bttd (pid " + pid + ") is already running with home " + home.string());
  }
  std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) < 0) {
    // The lock is what matters; the pid is only a hint for the message above.
  }
  return std::unique_ptr<HomeLock>(new HomeLock(fd));
}

HomeLock::~HomeLock() {
  ::flock(fd_, LOCK_UN);
  ::close(fd_);
}

}  // namespace btt::node

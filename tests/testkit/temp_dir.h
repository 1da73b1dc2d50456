#pragma once
// A fresh directory under the system temp dir, removed with everything in it on destruction.
#include <filesystem>
#include <string>

namespace btt::testkit {

class TempDir {
 public:
  explicit TempDir(const std::string& tag = "btt");
  // Under `base` instead of the system temp dir.
  TempDir(const std::string& tag, const std::filesystem::path& base);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace btt::testkit

#include "testkit/temp_dir.h"

#include <cstdlib>
#include <stdexcept>

namespace btt::testkit {

TempDir::TempDir(const std::string& tag) : TempDir(tag, std::filesystem::temp_directory_path()) {}

TempDir::TempDir(const std::string& tag, const std::filesystem::path& base) {
  std::string tmpl = (base / (tag + ".XXXXXX")).string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace btt::testkit

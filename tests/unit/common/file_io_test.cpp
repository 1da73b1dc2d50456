#include "btt/common/file_io.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>

#include "testkit/temp_dir.h"

namespace btt {
namespace {

TEST(FileIo, WriteAllThenPreadExact) {
  testkit::TempDir dir("btt-file-io");
  const auto path = dir.path() / "f";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  ASSERT_GE(fd, 0);
  const std::string data(100'000, 'x');
  ASSERT_TRUE(write_all(fd, data));
  ASSERT_TRUE(write_all(fd, "tail"));
  std::string out;
  ASSERT_TRUE(pread_exact(fd, 100'000, 4, out));
  EXPECT_EQ(out, "tail");
  ASSERT_TRUE(pread_exact(fd, 0, 100'004, out));
  EXPECT_EQ(out, data + "tail");
  // Past the end: false with errno 0 (not an I/O error).
  EXPECT_FALSE(pread_exact(fd, 100'002, 3, out));
  EXPECT_EQ(errno, 0);
  ::close(fd);
  EXPECT_TRUE(fsync_parent_dir(path));
  EXPECT_FALSE(fsync_parent_dir(dir.path() / "missing" / "f"));
  EXPECT_FALSE(errno_text(ENOENT).empty());
}

TEST(FileIo, WriteToBadDescriptorFails) {
  EXPECT_FALSE(write_all(-1, "x"));
  EXPECT_EQ(errno, EBADF);
  std::string out;
  EXPECT_FALSE(pread_exact(-1, 0, 1, out));
  EXPECT_EQ(errno, EBADF);
}

}  // namespace
}  // namespace btt

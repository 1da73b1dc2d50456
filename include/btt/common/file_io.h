#pragma once
// Small POSIX file helpers shared by the files a node must write durably: the key files, the
// signer guard and the consensus WAL.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "btt/common/status.h"

namespace btt {

// The whole file; kNotFound when it cannot be opened, kStorage when reading fails.
[[nodiscard]] Result<std::string> read_text_file(const std::filesystem::path& path);

// strerror-like text for an errno value.
[[nodiscard]] std::string errno_text(int err);

// Writes all of `data` at the file offset of `fd` (retrying short writes and EINTR); false with
// errno set on failure.
[[nodiscard]] bool write_all(int fd, std::string_view data);

// Reads exactly `n` bytes at `offset` into `out` (resized to `n`); false with errno set on an
// error, or with errno 0 when the file ends first.
[[nodiscard]] bool pread_exact(int fd, uint64_t offset, size_t n, std::string& out);

// fsyncs the directory that holds `file`, so a new or renamed entry in it is durable; false with
// errno set on failure.
[[nodiscard]] bool fsync_parent_dir(const std::filesystem::path& file);

}  // namespace btt

#include "btt/consensus/wal.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <map>

#include "btt/common/file_io.h"
#include "btt/crypto/hash.h"

namespace btt::consensus {
namespace {

constexpr size_t kLenSize = 4;
constexpr size_t kFrameSize = kLenSize + kWalChecksumSize;  // a record's bytes besides its payload

std::string_view checksum_of(const Hash32& h) {
  return as_view(h).substr(0, kWalChecksumSize);
}

bool is_own(const v1::WalRecord& r) {
  return r.record_case() == v1::WalRecord::kOwnProposal ||
         r.record_case() == v1::WalRecord::kOwnVote;
}

Status io_error(const std::filesystem::path& path, const std::string& what, int err) {
  return Status(Code::kStorage, "consensus WAL " + path.string() + ": cannot " + what + ": " +
                                    (err != 0 ? errno_text(err) : "unexpected end of file"));
}

// Reads the records of the file behind `fd` (`size` bytes), stopping at the first that does not
// read back and saying whether that is a torn tail or corruption.
Result<WalContents> scan(int fd, uint64_t size, const std::filesystem::path& path) {
  WalContents c;
  c.file_bytes = size;
  if (size == 0) return c;
  std::string buf;

  // Whether every byte from `from` to the end is zero (a tail the file system extended but whose
  // data never reached the disk), read in bounded chunks.
  auto zero_tail = [&](uint64_t from) -> Result<bool> {
    std::string chunk;
    for (uint64_t at = from; at < size;) {
      const size_t n = static_cast<size_t>(std::min<uint64_t>(size - at, 64 * 1024));
      if (!pread_exact(fd, at, n, chunk)) return io_error(path, "read", errno);
      if (std::any_of(chunk.begin(), chunk.end(), [](char ch) { return ch != 0; })) return false;
      at += n;
    }
    return true;
  };
  auto torn = [&](std::string why) -> Result<WalContents> {
    c.end = WalContents::End::kTorn;
    c.problem = std::move(why);
    return std::move(c);
  };
  // Unreadable bytes at valid_bytes: torn if nothing but zeros follows, else corruption.
  auto corrupt = [&](std::string why) -> Result<WalContents> {
    auto zeros = zero_tail(c.valid_bytes);
    if (!zeros) return zeros.status();
    if (*zeros) return torn("zero-filled tail (" + why + ")");
    c.end = WalContents::End::kCorrupt;
    c.problem = std::move(why);
    return std::move(c);
  };

  const size_t head = static_cast<size_t>(std::min<uint64_t>(size, kWalMagic.size()));
  if (!pread_exact(fd, 0, head, buf)) return io_error(path, "read", errno);
  if (buf != kWalMagic.substr(0, head)) return corrupt("not a consensus WAL (bad magic)");
  if (head < kWalMagic.size()) return torn("incomplete file header");
  c.valid_bytes = kWalMagic.size();

  while (c.valid_bytes < size) {
    const uint64_t at = c.valid_bytes;
    const uint64_t left = size - at;
    if (left < kLenSize) return torn("incomplete record length");
    if (!pread_exact(fd, at, kLenSize, buf)) return io_error(path, "read", errno);
    std::string_view in(buf);
    uint32_t len = 0;
    (void)get_u32_be(in, len);
    if (len == 0 || len > kMaxWalRecordBytes) {
      return corrupt("record length " + std::to_string(len) + " is out of range");
    }
    const uint64_t total = uint64_t{len} + kFrameSize;
    if (total > left) {
      auto zeros = zero_tail(at);
      if (!zeros) return zeros.status();
      return torn(*zeros ? "zero-filled tail"
                         : "a record of " + std::to_string(len) +
                               " bytes runs past the end of the file");
    }
    // The file holds the whole record, so this allocation is bounded by the file too.
    if (!pread_exact(fd, at, static_cast<size_t>(total), buf)) {
      return io_error(path, "read", errno);
    }
    const std::string_view body = std::string_view(buf).substr(0, kLenSize + len);
    if (checksum_of(crypto::sha256(body)) != std::string_view(buf).substr(kLenSize + len)) {
      if (at + total == size) return torn("the last record fails its checksum");
      return corrupt("checksum mismatch");
    }
    v1::WalRecord record;
    if (!record.ParseFromArray(buf.data() + kLenSize, static_cast<int>(len))) {
      return corrupt("record does not decode");
    }
    if (Status s = Wal::check_record(record); !s) return corrupt(s.message());
    c.records.push_back(std::move(record));
    c.valid_bytes = at + total;
  }
  return c;
}

Result<uint64_t> file_size(int fd, const std::filesystem::path& path) {
  struct stat st;
  if (::fstat(fd, &st) != 0) return io_error(path, "stat", errno);
  if (!S_ISREG(st.st_mode)) {
    return Status(Code::kStorage, "consensus WAL " + path.string() + " is not a regular file");
  }
  return static_cast<uint64_t>(st.st_size);
}

// The proposal a record carries (peer's or own), or nullptr.
v1::Proposal* proposal_in(v1::WalRecord& r) {
  if (r.has_proposal()) return r.mutable_proposal();
  if (r.has_own_proposal()) return r.mutable_own_proposal();
  return nullptr;
}

// append() writes a block's bytes once per height: a later proposal of the same block id (a
// re-proposal in a later round, or our own of a block a peer proposed) goes without them. Reading
// puts them back from the earlier record, so every proposal read has its block.
void restore_blocks(std::vector<v1::WalRecord>& records) {
  std::map<Bytes, const std::string*> blocks;  // block id -> its bytes, held by an earlier record
  for (auto& r : records) {
    v1::Proposal* p = proposal_in(r);
    if (p == nullptr) continue;
    if (!p->block().empty()) {
      blocks.emplace(p->block_id(), &p->block());
    } else if (auto it = blocks.find(p->block_id()); it != blocks.end()) {
      p->set_block(*it->second);
    }
  }
}

}  // namespace

Bytes Wal::encode(const v1::WalRecord& record) {
  const std::string payload = record.SerializeAsString();
  Bytes out;
  out.reserve(payload.size() + kFrameSize);
  put_u32_be(out, static_cast<uint32_t>(payload.size()));
  out += payload;
  const Hash32 sum = crypto::sha256(out);
  out.append(checksum_of(sum));
  return out;
}

Status Wal::check_record(const v1::WalRecord& r) {
  auto vote_ok = [](const v1::Vote& v) {
    return v.type() == v1::PREVOTE || v.type() == v1::PRECOMMIT;
  };
  switch (r.record_case()) {
    case v1::WalRecord::kProposal:
    case v1::WalRecord::kOwnProposal:
    case v1::WalRecord::kCommitted:
      return Status::ok();
    case v1::WalRecord::kVote:
      return vote_ok(r.vote()) ? Status::ok() : Status(Code::kMalformed, "vote of unknown type");
    case v1::WalRecord::kOwnVote:
      return vote_ok(r.own_vote()) ? Status::ok()
                                   : Status(Code::kMalformed, "vote of unknown type");
    case v1::WalRecord::kTimeout:
      return r.timeout().step() >= 1 && r.timeout().step() <= 3
                 ? Status::ok()
                 : Status(Code::kMalformed, "timeout of unknown step");
    case v1::WalRecord::RECORD_NOT_SET:
      break;
  }
  return Status(Code::kMalformed, "record of unknown kind");
}

uint64_t Wal::height_of(const v1::WalRecord& r) {
  switch (r.record_case()) {
    case v1::WalRecord::kProposal:
      return r.proposal().height();
    case v1::WalRecord::kVote:
      return r.vote().height();
    case v1::WalRecord::kTimeout:
      return r.timeout().height();
    case v1::WalRecord::kOwnProposal:
      return r.own_proposal().height();
    case v1::WalRecord::kOwnVote:
      return r.own_vote().height();
    case v1::WalRecord::kCommitted:
      return r.committed();
    case v1::WalRecord::RECORD_NOT_SET:
      break;
  }
  return 0;
}

Result<WalContents> Wal::read(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return WalContents{};
    return io_error(path, "open", errno);
  }
  auto size = file_size(fd, path);
  Result<WalContents> out = size ? scan(fd, *size, path) : Result<WalContents>(size.status());
  ::close(fd);
  if (out) restore_blocks(out->records);
  return out;
}

Result<std::unique_ptr<Wal>> Wal::open(std::filesystem::path path, WalOptions options) {
  if (path.empty()) return Status(Code::kInvalidArgument, "consensus WAL path is empty");
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return io_error(path, "open", errno);
  // From here the Wal owns fd and closes it on every return.
  std::unique_ptr<Wal> wal(new Wal(path, fd, options));
  auto size = file_size(fd, path);
  if (!size) return size.status();
  auto contents = scan(fd, *size, path);
  if (!contents) return contents.status();
  restore_blocks(contents->records);
  WalOpenReport& report = wal->report_;
  report.records = contents->records.size();
  report.problem = contents->problem;
  if (contents->end == WalContents::End::kCorrupt) {
    const std::string where = "at offset " + std::to_string(contents->valid_bytes) + " of " +
                              std::to_string(contents->file_bytes) + " bytes";
    std::filesystem::path aside = path;
    aside += ".corrupt";
    if (!options.discard_corrupt) {
      return Status(
          Code::kStorage,
          "consensus WAL " + path.string() + " is corrupt " + where + ": " + contents->problem +
              " (" + std::to_string(contents->records.size()) +
              " valid records before it). Refusing to start from a partial record of this "
              "height. Either start once with --wal-discard-corrupt, which keeps those records "
              "and copies the whole file to " +
              aside.string() +
              ", or move the file away; both are safe because the signer guard "
              "(signer_state) still refuses any conflicting signature (doc/operator.md)");
    }
    std::error_code ec;
    std::filesystem::copy_file(path, aside, std::filesystem::copy_options::overwrite_existing, ec);
    if (ec) {
      return Status(Code::kStorage, "consensus WAL " + path.string() + ": cannot copy it to " +
                                        aside.string() + ": " + ec.message());
    }
    report.discarded_at = contents->valid_bytes;
  } else if (contents->end == WalContents::End::kTorn) {
    report.torn_at = contents->valid_bytes;
    report.torn_bytes = contents->file_bytes - contents->valid_bytes;
  }
  bool changed = false;
  if (contents->valid_bytes != contents->file_bytes) {
    if (::ftruncate(fd, static_cast<off_t>(contents->valid_bytes)) != 0) {
      return io_error(path, "truncate", errno);
    }
    changed = true;
  }
  wal->size_ = contents->valid_bytes;
  if (wal->size_ == 0) {
    if (!write_all(fd, kWalMagic)) return io_error(path, "write", errno);
    wal->size_ = kWalMagic.size();
    report.created = true;
    changed = true;
  }
  if (changed && options.sync) {
    // The cut (or the new file) is durable before any record goes after it.
    if (::fdatasync(fd) != 0) return io_error(path, "fsync", errno);
    if (report.created && !fsync_parent_dir(path)) {
      return io_error(path, "fsync the directory of", errno);
    }
  }
  wal->synced_size_ = wal->size_;
  for (auto& r : contents->records) {
    if (const v1::Proposal* p = proposal_in(r)) wal->blocks_written_.insert(p->block_id());
  }
  wal->records_ = std::move(contents->records);
  return wal;
}

Wal::Wal(std::filesystem::path path, int fd, WalOptions options)
    : path_(std::move(path)), fd_(fd), options_(options) {}

Wal::~Wal() {
  if (fd_ >= 0) ::close(fd_);
}

Status Wal::fail(const std::string& what, int err) {
  failed_ = true;
  return io_error(path_, what, err);
}

Status Wal::sync() {
  if (options_.sync && ::fdatasync(fd_) != 0) return fail("fsync", errno);
  synced_size_ = size_;
  return Status::ok();
}

Status Wal::append(const v1::WalRecord& record) {
  if (failed_) {
    return Status(Code::kStorage,
                  "consensus WAL " + path_.string() + ": an earlier write failed; not writing");
  }
  // A block's bytes go into the file once per height (restore_blocks puts them back on reading),
  // so a height of many rounds re-proposing one block does not grow the file by a block a round.
  const v1::Proposal* proposal = record.has_proposal()       ? &record.proposal()
                                 : record.has_own_proposal() ? &record.own_proposal()
                                                             : nullptr;
  const bool carries_block = proposal != nullptr && !proposal->block().empty();
  Bytes data;
  if (carries_block && blocks_written_.count(proposal->block_id())) {
    v1::WalRecord without_block = record;
    proposal_in(without_block)->clear_block();
    data = encode(without_block);
  } else {
    data = encode(record);
  }
  if (data.size() > size_t{kMaxWalRecordBytes} + kFrameSize) {
    return Status(Code::kInvalidArgument,
                  "consensus WAL record of " + std::to_string(data.size()) + " bytes is too large");
  }
  const uint64_t at = size_;
  if (!write_all(fd_, data)) return fail("write", errno);
  size_ += data.size();
  if (carries_block) blocks_written_.insert(proposal->block_id());
  if (!is_own(record)) return Status::ok();
  last_own_offset_ = at;
  return sync();
}

Status Wal::rotate(uint64_t committed_height) {
  if (failed_) {
    return Status(Code::kStorage,
                  "consensus WAL " + path_.string() + ": an earlier write failed; not writing");
  }
  v1::WalRecord marker;
  marker.set_committed(committed_height);
  Bytes data(kWalMagic);
  data += encode(marker);
  if (::ftruncate(fd_, 0) != 0) return fail("truncate", errno);
  size_ = 0;
  blocks_written_.clear();
  last_own_offset_ = 0;
  if (!write_all(fd_, data)) return fail("write", errno);
  size_ = data.size();
  return sync();
}

std::vector<v1::WalRecord> Wal::take_records() {
  return std::exchange(records_, {});
}

}  // namespace btt::consensus

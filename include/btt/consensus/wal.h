#pragma once
// The consensus write-ahead log (doc/consensus.md, "The consensus WAL"): an append-only file,
// DATA_DIR/cs.wal, of the current height's consensus inputs and of the messages this node
// signed, so that a restarted validator replays them into a fresh state machine
// (StateMachine::replay) and resumes its round with its locks instead of starting at round 0.
//
// File: "BTTWAL01", then records, each
//   u32be(len) || WalRecord bytes (len bytes, 1 <= len <= kMaxWalRecordBytes) ||
//   the first 8 bytes of SHA-256(u32be(len) || WalRecord bytes)
// A record is written with one write(2), before the state machine acts on what it records.
// Records of this node's own proposals and votes are fsynced (fdatasync) before the message is
// sent, which makes everything written before them durable too; inputs are not fsynced.
//
// Reading: a torn last record (a crash in the middle of a write) is cut off; anything else that
// does not read back (a bad length, checksum or record followed by more bytes) is corruption, and
// open() refuses the file with its path and the offset, unless told to keep the records before
// the corruption (WalOptions::discard_corrupt). No record makes the reader allocate more than
// kMaxWalRecordBytes, and never more than the bytes the file holds.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "btt/common/bytes.h"
#include "btt/common/status.h"
#include "btt/consensus/state_machine.h"
#include "btt/v1/consensus.pb.h"

namespace btt::consensus {

inline constexpr std::string_view kWalMagic = "BTTWAL01";
inline constexpr size_t kWalChecksumSize = 8;
// A proposal record carries its whole block (up to max_block_bytes, 8 MiB by default), the first
// time that block appears in the file for the height; later proposals of it carry none.
inline constexpr uint32_t kMaxWalRecordBytes = 32u << 20;

struct WalOptions {
  // On mid-file corruption, copy the file to PATH.corrupt and keep the valid records before the
  // corruption, instead of refusing to open (bttd start --wal-discard-corrupt).
  bool discard_corrupt = false;
  // fdatasync own messages, rotations and repairs. Off only in tests and simulations.
  bool sync = true;
};

// What reading a WAL file found.
struct WalContents {
  enum class End {
    kClean,    // every byte read back as records
    kTorn,     // a torn last record (or a zero-filled tail) from valid_bytes on
    kCorrupt,  // unreadable bytes at valid_bytes with more after them
  };
  std::vector<v1::WalRecord> records;  // the valid records, in file order
  uint64_t file_bytes = 0;
  uint64_t valid_bytes = 0;  // the magic and the valid records
  End end = End::kClean;
  std::string problem;  // for kTorn and kCorrupt: what is wrong at valid_bytes
};

// What open() did to the file.
struct WalOpenReport {
  uint64_t records = 0;  // valid records found
  bool created = false;  // the file was missing or empty
  // A torn last record (or a zero-filled tail) that was cut off: its offset and size.
  std::optional<uint64_t> torn_at;
  uint64_t torn_bytes = 0;
  // discard_corrupt: the offset of the corruption; the bytes from there on were dropped (the whole
  // file was copied to PATH.corrupt first).
  std::optional<uint64_t> discarded_at;
  std::string problem;  // what was wrong (torn or corrupt)
};

class Wal final : public WalSink {
 public:
  // Opens (or creates) the WAL at `path`, reads it, cuts off a torn tail, and keeps the records for
  // take_records(). Mid-file corruption is refused (kStorage, naming the file and the offset)
  // unless options.discard_corrupt.
  [[nodiscard]] static Result<std::unique_ptr<Wal>> open(std::filesystem::path path,
                                                         WalOptions options = {});
  // Reads a WAL file without changing it (a missing file reads as empty). Status only for I/O
  // errors; torn and corrupt ends are reported in the contents.
  [[nodiscard]] static Result<WalContents> read(const std::filesystem::path& path);
  // One record as append() writes it.
  [[nodiscard]] static Bytes encode(const v1::WalRecord& record);
  // Whether a decoded record is one this node could have written (one kind set, fields in range).
  [[nodiscard]] static Status check_record(const v1::WalRecord& record);
  // The height a record belongs to (the committed height for a marker).
  [[nodiscard]] static uint64_t height_of(const v1::WalRecord& record);

  ~Wal() override;
  Wal(const Wal&) = delete;
  Wal& operator=(const Wal&) = delete;

  // Appends a record; an own proposal or vote is fsynced before this returns. After a failed
  // write every later append fails too (the file may end in a torn record, which the next open
  // cuts off).
  [[nodiscard]] Status append(const v1::WalRecord& record) override;
  // Starts the file afresh for the height after `committed_height`: truncated to the magic and a
  // `committed` record, then fsynced, so the file holds one height and never grows past it.
  [[nodiscard]] Status rotate(uint64_t committed_height);

  // The records read by open() (once; later calls return nothing).
  [[nodiscard]] std::vector<v1::WalRecord> take_records();
  [[nodiscard]] const WalOpenReport& report() const { return report_; }
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  [[nodiscard]] bool failed() const { return failed_; }
  // The file's size, its size at the last fsync, and the offset of the last own record appended
  // (for tests that simulate losing what was not fsynced).
  [[nodiscard]] uint64_t size() const { return size_; }
  [[nodiscard]] uint64_t synced_size() const { return synced_size_; }
  [[nodiscard]] uint64_t last_own_offset() const { return last_own_offset_; }

 private:
  Wal(std::filesystem::path path, int fd, WalOptions options);
  [[nodiscard]] Status fail(const std::string& what, int err);
  [[nodiscard]] Status sync();

  std::filesystem::path path_;
  int fd_;
  WalOptions options_;
  WalOpenReport report_;
  std::vector<v1::WalRecord> records_;
  uint64_t size_ = 0;
  uint64_t synced_size_ = 0;
  uint64_t last_own_offset_ = 0;
  bool failed_ = false;
  // Block ids whose bytes the file holds (since the last rotation): not written again.
  std::set<Bytes> blocks_written_;
};

}  // namespace btt::consensus

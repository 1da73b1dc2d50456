// btt-bench-wal: what the consensus WAL costs a validator (doc/consensus.md, "fsync policy").
//
// Appends the records a height produces to a real WAL file and times them: an input (a peer's
// vote: one write, no fsync), an own vote (write and fdatasync), a proposal carrying a 4 MiB
// block (checksum and write), a rotation (truncate, write, fdatasync); and, for scale, one
// signature through the signer guard (which writes a file, fsyncs it, renames it and fsyncs the
// directory). Prints one figure a line as `name: value`, in microseconds per operation.
//
//   btt-bench-wal [--dir DIR] [--n N]      (DIR: a directory on the disk the node's data is on)
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>

#include "btt/consensus/signer_guard.h"
#include "btt/consensus/wal.h"
#include "testkit/temp_dir.h"
#include "testkit/test_env.h"

namespace {

using namespace btt;
using Clock = std::chrono::steady_clock;

const char* arg(int argc, char** argv, const char* name, const char* fallback) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], name) == 0) return argv[i + 1];
  }
  return fallback;
}

double us_per_op(size_t n, const std::function<void(size_t)>& op) {
  const auto start = Clock::now();
  for (size_t i = 0; i < n; ++i) op(i);
  return std::chrono::duration<double, std::micro>(Clock::now() - start).count() /
         static_cast<double>(n);
}

v1::WalRecord vote_record(size_t i, bool own) {
  v1::Vote v;
  v.set_type(v1::PREVOTE);
  v.set_height(100 + i);
  v.set_round(0);
  v.set_block_id(Bytes(32, 'b'));
  v.set_validator("btt1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq");
  v.set_timestamp_ms(1'700'000'000'000 + i);
  v.set_signature(Bytes(64, 's'));
  v1::WalRecord r;
  *(own ? r.mutable_own_vote() : r.mutable_vote()) = v;
  return r;
}

int fail(const Status& s) {
  std::fprintf(stderr, "error: %s\n", s.message().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  const size_t n = std::stoul(arg(argc, argv, "--n", "300"));
  testkit::TempDir tmp("btt-bench-wal");
  const std::filesystem::path dir = arg(argc, argv, "--dir", tmp.path().c_str());
  const auto wal_path = dir / "bench-cs.wal";
  std::filesystem::remove(wal_path);
  auto wal = consensus::Wal::open(wal_path);
  if (!wal) return fail(wal.status());
  consensus::Wal& w = **wal;
  Status err;
  auto check = [&](Status s) {
    if (!s && err) err = s;
  };

  const double input = us_per_op(n, [&](size_t i) { check(w.append(vote_record(i, false))); });
  const double own = us_per_op(n, [&](size_t i) { check(w.append(vote_record(i, true))); });
  v1::WalRecord big;
  big.mutable_proposal()->set_height(1);
  big.mutable_proposal()->set_block(Bytes(4u << 20, 'x'));
  const double proposal = us_per_op(20, [&](size_t) { check(w.append(big)); });
  const double rotate = us_per_op(n, [&](size_t i) { check(w.rotate(i)); });
  if (!err) return fail(err);

  const auto guard_path = dir / "bench-signer_state";
  std::filesystem::remove(guard_path);
  auto guard = consensus::SignerGuard::open(
      guard_path, std::make_unique<chain::KeySigner>(testkit::test_key("bench"), true));
  if (!guard) return fail(guard.status());
  const double sign = us_per_op(n, [&](size_t i) {
    v1::Vote v;
    v.set_type(v1::PREVOTE);
    v.set_height(i + 1);
    v.set_block_id(Bytes(32, 'b'));
    v.set_validator((*guard)->address());
    v.set_timestamp_ms(1'700'000'000'000 + i);
    check((*guard)->sign_vote("btt-bench", v));
  });
  if (!err) return fail(err);
  std::filesystem::remove(wal_path);
  std::filesystem::remove(guard_path);

  std::printf("wal_append_input_us: %.1f\n", input);
  std::printf("wal_append_own_fsync_us: %.1f\n", own);
  std::printf("wal_append_proposal_4mib_us: %.1f\n", proposal);
  std::printf("wal_rotate_fsync_us: %.1f\n", rotate);
  std::printf("signer_guard_sign_us: %.1f\n", sign);
  return 0;
}

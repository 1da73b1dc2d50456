// The consensus WAL file (wal.h): round trip, torn tails cut off, corruption refused with the
// offset, bounded lengths, --wal-discard-corrupt, rotation.
#include "btt/consensus/wal.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "btt/crypto/hash.h"
#include "testkit/temp_dir.h"

namespace btt::consensus {
namespace {

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void spit(const std::filesystem::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

v1::WalRecord proposal_record(uint64_t height, uint32_t round, bool own) {
  v1::Proposal p;
  p.set_height(height);
  p.set_round(round);
  p.set_pol_round(-1);
  p.set_block_id(Bytes(32, static_cast<char>(round)));
  p.set_block("block h=" + std::to_string(height) + " r=" + std::to_string(round));
  p.set_proposer("btt1proposer");
  p.set_timestamp_ms(1000 + round);
  p.set_signature(Bytes(64, 's'));
  v1::WalRecord r;
  *(own ? r.mutable_own_proposal() : r.mutable_proposal()) = p;
  return r;
}

v1::WalRecord vote_record(uint64_t height, uint32_t round, v1::VoteType type, bool own) {
  v1::Vote v;
  v.set_type(type);
  v.set_height(height);
  v.set_round(round);
  v.set_block_id(Bytes(32, 'b'));
  v.set_validator(own ? "btt1me" : "btt1peer");
  v.set_timestamp_ms(2000 + round);
  v.set_signature(Bytes(64, 'v'));
  v1::WalRecord r;
  *(own ? r.mutable_own_vote() : r.mutable_vote()) = v;
  return r;
}

v1::WalRecord timeout_record(uint64_t height, uint32_t round, uint32_t step) {
  v1::WalRecord r;
  r.mutable_timeout()->set_height(height);
  r.mutable_timeout()->set_round(round);
  r.mutable_timeout()->set_step(step);
  return r;
}

std::vector<v1::WalRecord> sample_records() {
  return {proposal_record(5, 0, false),         vote_record(5, 0, v1::PREVOTE, false),
          vote_record(5, 0, v1::PREVOTE, true), timeout_record(5, 0, 2),
          proposal_record(5, 1, true),          vote_record(5, 1, v1::PRECOMMIT, true)};
}

std::vector<std::string> as_bytes(const std::vector<v1::WalRecord>& records) {
  std::vector<std::string> out;
  for (const auto& r : records) out.push_back(r.SerializeAsString());
  return out;
}

class WalTest : public ::testing::Test {
 protected:
  // Writes the sample records through a Wal and returns the offsets where each record starts.
  std::vector<uint64_t> write_sample() {
    auto wal = Wal::open(path_);
    EXPECT_TRUE(wal) << wal.status().message();
    std::vector<uint64_t> offsets;
    for (const auto& r : sample_records()) {
      offsets.push_back((*wal)->size());
      EXPECT_TRUE((*wal)->append(r));
    }
    return offsets;
  }

  // Opens the file, which must end in a torn record at `at` whose problem mentions `why`;
  // returns the records kept.
  std::vector<v1::WalRecord> open_torn(uint64_t at, std::string_view why) {
    auto wal = Wal::open(path_);
    EXPECT_TRUE(wal) << wal.status().message();
    if (!wal) return {};
    const WalOpenReport& rep = (*wal)->report();
    EXPECT_EQ(rep.torn_at.value_or(0), at);
    EXPECT_NE(rep.problem.find(why), std::string::npos) << rep.problem;
    return (*wal)->take_records();
  }

  testkit::TempDir dir_{"btt-wal"};
  std::filesystem::path path_ = dir_.path() / "cs.wal";
};

TEST_F(WalTest, RoundTrip) {
  {
    auto wal = Wal::open(path_);
    ASSERT_TRUE(wal) << wal.status().message();
    EXPECT_TRUE((*wal)->report().created);
    EXPECT_TRUE((*wal)->take_records().empty());
    for (const auto& r : sample_records()) ASSERT_TRUE((*wal)->append(r));
  }
  auto wal = Wal::open(path_);
  ASSERT_TRUE(wal) << wal.status().message();
  EXPECT_FALSE((*wal)->report().created);
  EXPECT_FALSE((*wal)->report().torn_at);
  EXPECT_EQ((*wal)->report().records, sample_records().size());
  EXPECT_EQ(as_bytes((*wal)->take_records()), as_bytes(sample_records()));
  EXPECT_TRUE((*wal)->take_records().empty());  // handed out once

  auto read = Wal::read(path_);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->end, WalContents::End::kClean);
  EXPECT_EQ(read->valid_bytes, read->file_bytes);
  EXPECT_EQ(as_bytes(read->records), as_bytes(sample_records()));
}

TEST_F(WalTest, FileLayout) {
  const v1::WalRecord r = timeout_record(9, 3, 1);
  const std::string payload = r.SerializeAsString();
  Bytes expect;
  put_u32_be(expect, static_cast<uint32_t>(payload.size()));
  expect += payload;
  expect += as_view(crypto::sha256(expect)).substr(0, 8);
  EXPECT_EQ(Wal::encode(r), expect);
  {
    auto wal = Wal::open(path_);
    ASSERT_TRUE(wal);
    ASSERT_TRUE((*wal)->append(r));
  }
  EXPECT_EQ(slurp(path_), std::string(kWalMagic) + expect);
}

TEST_F(WalTest, MissingFileReadsEmpty) {
  auto read = Wal::read(path_);
  ASSERT_TRUE(read);
  EXPECT_TRUE(read->records.empty());
  EXPECT_EQ(read->file_bytes, 0u);
}

TEST_F(WalTest, OwnRecordsAreSyncedInputsAreNot) {
  auto wal = Wal::open(path_);
  ASSERT_TRUE(wal);
  Wal& w = **wal;
  EXPECT_EQ(w.synced_size(), w.size());
  ASSERT_TRUE(w.append(vote_record(5, 0, v1::PREVOTE, false)));
  EXPECT_LT(w.synced_size(), w.size());
  ASSERT_TRUE(w.append(timeout_record(5, 0, 1)));
  EXPECT_LT(w.synced_size(), w.size());
  const uint64_t own_at = w.size();
  ASSERT_TRUE(w.append(vote_record(5, 0, v1::PREVOTE, true)));
  EXPECT_EQ(w.synced_size(), w.size());
  EXPECT_EQ(w.last_own_offset(), own_at);
}

// A crash in the middle of the last write leaves any prefix of it: every one is cut off, and the
// file takes new records after the cut.
TEST_F(WalTest, TornTailAtEveryByteIsIgnored) {
  const auto offsets = write_sample();
  const std::string full = slurp(path_);
  const uint64_t last = offsets.back();
  for (uint64_t cut = last + 1; cut < full.size(); ++cut) {
    spit(path_, std::string_view(full).substr(0, cut));
    auto wal = Wal::open(path_);
    ASSERT_TRUE(wal) << "cut " << cut << ": " << wal.status().message();
    const WalOpenReport& rep = (*wal)->report();
    ASSERT_TRUE(rep.torn_at) << "cut " << cut;
    EXPECT_EQ(*rep.torn_at, last);
    EXPECT_EQ(rep.torn_bytes, cut - last);
    EXPECT_FALSE(rep.problem.empty());
    auto records = (*wal)->take_records();
    EXPECT_EQ(records.size(), sample_records().size() - 1) << "cut " << cut;
    EXPECT_EQ(std::filesystem::file_size(path_), last) << "the torn bytes are cut off";
    ASSERT_TRUE((*wal)->append(timeout_record(5, 2, 3)));
  }
  // After the last repair and one more record the file reads back whole.
  auto read = Wal::read(path_);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->end, WalContents::End::kClean);
  EXPECT_EQ(read->records.size(), sample_records().size());
  EXPECT_TRUE(read->records.back().has_timeout());
}

TEST_F(WalTest, TornFileHeaderStartsAfresh) {
  spit(path_, kWalMagic.substr(0, 5));
  auto wal = Wal::open(path_);
  ASSERT_TRUE(wal) << wal.status().message();
  EXPECT_TRUE((*wal)->report().torn_at);
  EXPECT_TRUE((*wal)->report().created);
  EXPECT_EQ(slurp(path_), std::string(kWalMagic));
}

TEST_F(WalTest, ZeroFilledTailIsIgnored) {
  const auto offsets = write_sample();
  const std::string full = slurp(path_);
  spit(path_, full + std::string(10'000, '\0'));
  EXPECT_EQ(open_torn(full.size(), "zero-filled").size(), sample_records().size());
  EXPECT_EQ(slurp(path_), full);
}

TEST_F(WalTest, LastRecordFailingItsChecksumIsTorn) {
  const auto offsets = write_sample();
  std::string bytes = slurp(path_);
  bytes[bytes.size() - 20] ^= 0x01;  // inside the last record's payload
  spit(path_, bytes);
  EXPECT_EQ(open_torn(offsets.back(), "checksum").size(), sample_records().size() - 1);
}

// Corruption followed by more records is not a torn write: refused with the file and offset,
// and the file is left as it was.
TEST_F(WalTest, MidFileCorruptionIsRefused) {
  const auto offsets = write_sample();
  std::string bytes = slurp(path_);
  const uint64_t bad = offsets[2];
  bytes[bad + 10] ^= 0x40;  // a payload byte of the third record
  spit(path_, bytes);
  auto wal = Wal::open(path_);
  ASSERT_FALSE(wal);
  EXPECT_EQ(wal.status().code(), Code::kStorage);
  const std::string msg = wal.status().message();
  EXPECT_NE(msg.find(path_.string()), std::string::npos) << msg;
  EXPECT_NE(msg.find("offset " + std::to_string(bad)), std::string::npos) << msg;
  EXPECT_NE(msg.find("checksum mismatch"), std::string::npos) << msg;
  EXPECT_NE(msg.find("--wal-discard-corrupt"), std::string::npos) << msg;
  EXPECT_EQ(slurp(path_), bytes);

  auto read = Wal::read(path_);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->end, WalContents::End::kCorrupt);
  EXPECT_EQ(read->valid_bytes, bad);
  EXPECT_EQ(read->records.size(), 2u);
}

TEST_F(WalTest, ChecksumOverTheLengthToo) {
  // A length changed to another in-range value that still fits the file: the checksum, which
  // covers the length, catches it.
  const auto offsets = write_sample();
  std::string bytes = slurp(path_);
  bytes[offsets[1] + 3] = static_cast<char>(bytes[offsets[1] + 3] - 1);
  spit(path_, bytes);
  auto read = Wal::read(path_);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->end, WalContents::End::kCorrupt);
  EXPECT_EQ(read->valid_bytes, offsets[1]);
}

TEST_F(WalTest, OversizeLengthIsRefusedWithoutAllocating) {
  const auto offsets = write_sample();
  const std::string good = slurp(path_);
  for (uint32_t len : {kMaxWalRecordBytes + 1, 0xFFFFFFFFu, 0u}) {
    // In the middle: a bad length followed by a good record.
    std::string bytes = good.substr(0, offsets[1]);
    put_u32_be(bytes, len);
    bytes += good.substr(offsets[1] + 4);
    spit(path_, bytes);
    auto wal = Wal::open(path_);
    ASSERT_FALSE(wal) << len;
    EXPECT_NE(wal.status().message().find("out of range"), std::string::npos)
        << wal.status().message();
    EXPECT_NE(wal.status().message().find("offset " + std::to_string(offsets[1])),
              std::string::npos);
  }
  // An in-range length that runs past the end of the file is a torn write: the reader never
  // allocates for bytes the file does not hold.
  std::string bytes = good;
  put_u32_be(bytes, kMaxWalRecordBytes);
  bytes += "abc";
  spit(path_, bytes);
  EXPECT_EQ(open_torn(good.size(), "runs past the end").size(), sample_records().size());
}

TEST_F(WalTest, RecordsThatDoNotDecodeAreCorruption) {
  // Checksums that match over bytes this node never writes: a payload that is not a WalRecord,
  // and a WalRecord of no kind. Even last in the file, these are not torn writes.
  auto framed = [](std::string_view payload) {
    Bytes out;
    put_u32_be(out, static_cast<uint32_t>(payload.size()));
    out += payload;
    out += as_view(crypto::sha256(out)).substr(0, 8);
    return out;
  };
  for (const std::string& payload : {std::string("\xff\xff\xff", 3), std::string("\x38\x01", 2)}) {
    spit(path_, std::string(kWalMagic) + framed(payload));
    auto wal = Wal::open(path_);
    ASSERT_FALSE(wal);
    EXPECT_NE(wal.status().message().find("offset 8"), std::string::npos) << wal.status().message();
  }
  v1::WalRecord bad_timeout = timeout_record(1, 0, 7);
  spit(path_, std::string(kWalMagic) + Wal::encode(bad_timeout));
  auto wal = Wal::open(path_);
  ASSERT_FALSE(wal);
  EXPECT_NE(wal.status().message().find("unknown step"), std::string::npos);
}

TEST_F(WalTest, BadMagicIsRefused) {
  spit(path_, "NOTAWAL!" + Wal::encode(timeout_record(1, 0, 1)));
  auto wal = Wal::open(path_);
  ASSERT_FALSE(wal);
  EXPECT_NE(wal.status().message().find("bad magic"), std::string::npos);
  EXPECT_NE(wal.status().message().find("offset 0"), std::string::npos);
}

TEST_F(WalTest, DiscardCorruptKeepsTheRecordsBeforeIt) {
  const auto offsets = write_sample();
  std::string bytes = slurp(path_);
  bytes[offsets[3] + 6] ^= 0x01;
  spit(path_, bytes);
  auto wal = Wal::open(path_, {.discard_corrupt = true});
  ASSERT_TRUE(wal) << wal.status().message();
  const WalOpenReport& rep = (*wal)->report();
  ASSERT_TRUE(rep.discarded_at);
  EXPECT_EQ(*rep.discarded_at, offsets[3]);
  EXPECT_EQ(rep.records, 3u);
  auto records = (*wal)->take_records();
  auto expect = sample_records();
  expect.resize(3);
  EXPECT_EQ(as_bytes(records), as_bytes(expect));
  std::filesystem::path aside = path_;
  aside += ".corrupt";
  EXPECT_EQ(slurp(aside), bytes) << "the whole corrupt file is kept aside";
  EXPECT_EQ(std::filesystem::file_size(path_), offsets[3]);
  ASSERT_TRUE((*wal)->append(timeout_record(5, 9, 3)));
  wal->reset();
  auto again = Wal::open(path_);
  ASSERT_TRUE(again) << again.status().message();
  EXPECT_EQ((*again)->take_records().size(), 4u);
}

// A height whose rounds re-propose one block holds that block's bytes once: later proposals of
// the same block id are written without them and read back with them.
TEST_F(WalTest, ABlockIsWrittenOncePerHeight) {
  const Bytes big(100'000, 'B');
  auto proposal = [&](uint64_t height, uint32_t round, char id, const Bytes& block, bool own) {
    v1::WalRecord r = proposal_record(height, round, own);
    v1::Proposal* p = own ? r.mutable_own_proposal() : r.mutable_proposal();
    p->set_block_id(Bytes(32, id));
    p->set_block(block);
    return r;
  };
  const std::vector<v1::WalRecord> records = {
      proposal(5, 0, 'x', big, false), proposal(5, 1, 'x', big, true),
      vote_record(5, 1, v1::PREVOTE, true), proposal(5, 2, 'y', "small block", false),
      proposal(5, 3, 'x', big, false)};
  {
    auto wal = Wal::open(path_);
    ASSERT_TRUE(wal);
    for (const auto& r : records) ASSERT_TRUE((*wal)->append(r));
    EXPECT_LT((*wal)->size(), big.size() + 2000);
  }
  auto read = Wal::read(path_);
  ASSERT_TRUE(read);
  EXPECT_EQ(as_bytes(read->records), as_bytes(records));

  // Reopened, the file still counts as holding block x.
  auto wal = Wal::open(path_);
  ASSERT_TRUE(wal);
  EXPECT_EQ(as_bytes((*wal)->take_records()), as_bytes(records));
  const uint64_t before = (*wal)->size();
  ASSERT_TRUE((*wal)->append(proposal(5, 4, 'x', big, true)));
  EXPECT_LT((*wal)->size() - before, 1000u);
  read = Wal::read(path_);
  ASSERT_TRUE(read);
  ASSERT_EQ(read->records.size(), records.size() + 1);
  EXPECT_EQ(read->records.back().own_proposal().block(), big);

  // A new height writes it in full again.
  ASSERT_TRUE((*wal)->rotate(5));
  ASSERT_TRUE((*wal)->append(proposal(6, 0, 'x', big, false)));
  EXPECT_GT((*wal)->size(), big.size());
  read = Wal::read(path_);
  ASSERT_TRUE(read);
  ASSERT_EQ(read->records.size(), 2u);
  EXPECT_EQ(read->records[1].proposal().block(), big);
}

TEST_F(WalTest, RotationKeepsOneHeight) {
  auto wal = Wal::open(path_);
  ASSERT_TRUE(wal);
  Wal& w = **wal;
  uint64_t max_size = 0;
  for (uint64_t h = 1; h <= 50; ++h) {
    ASSERT_TRUE(w.rotate(h - 1));
    EXPECT_EQ(w.synced_size(), w.size()) << "a rotation is durable at once";
    for (uint32_t r = 0; r < 3; ++r) {
      ASSERT_TRUE(w.append(proposal_record(h, r, false)));
      ASSERT_TRUE(w.append(vote_record(h, r, v1::PREVOTE, true)));
    }
    max_size = std::max(max_size, w.size());
  }
  EXPECT_EQ(std::filesystem::file_size(path_), w.size());
  EXPECT_LT(max_size, 2000u);
  ASSERT_TRUE(w.rotate(50));
  auto read = Wal::read(path_);
  ASSERT_TRUE(read);
  ASSERT_EQ(read->records.size(), 1u);
  EXPECT_TRUE(read->records[0].has_committed());
  EXPECT_EQ(read->records[0].committed(), 50u);
  EXPECT_EQ(Wal::height_of(read->records[0]), 50u);
  EXPECT_EQ(read->file_bytes, kWalMagic.size() + Wal::encode(read->records[0]).size());
}

TEST_F(WalTest, NotARegularFile) {
  std::filesystem::create_directories(path_);
  auto wal = Wal::open(path_);
  ASSERT_FALSE(wal);
  EXPECT_NE(wal.status().message().find(path_.string()), std::string::npos);
}

TEST_F(WalTest, HeightOfEachKind) {
  for (const auto& r : sample_records()) EXPECT_EQ(Wal::height_of(r), 5u);
  EXPECT_FALSE(Wal::check_record(v1::WalRecord()));
  for (const auto& r : sample_records()) EXPECT_TRUE(Wal::check_record(r));
}

}  // namespace
}  // namespace btt::consensus

#include "btt/consensus/signer_guard.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <tuple>

#include "btt/common/file_io.h"
#include "btt/crypto/hash.h"

namespace btt::consensus {
namespace {

constexpr std::string_view kMagic = "BTTSIGN1";
constexpr size_t kMaxPayload = 1 << 16;

std::string hrs(uint64_t height, chain::Round round, chain::Step step) {
  return "height " + std::to_string(height) + " round " + std::to_string(round) + " step " +
         chain::step_name(step);
}

std::string corrupt_advice(const std::filesystem::path& path, const std::string& why) {
  return "signer state file " + path.string() + " is corrupt (" + why +
         "); refusing to sign. It records the last height/round/step this validator signed: "
         "restore it from a backup, or delete it only if you are certain this key has signed "
         "nothing at or above the current height";
}

}  // namespace

Bytes SignerGuard::encode(const v1::SignerState& state) {
  Bytes out(kMagic);
  const std::string payload = state.SerializeAsString();
  put_u32_be(out, static_cast<uint32_t>(payload.size()));
  out += payload;
  const Hash32 sum = crypto::sha256(out);
  out.append(as_view(sum));
  return out;
}

Result<v1::SignerState> SignerGuard::decode(std::string_view file) {
  if (file.size() < kMagic.size() + 4 + 32) return Status(Code::kStorage, "file too short");
  if (file.substr(0, kMagic.size()) != kMagic) return Status(Code::kStorage, "bad magic");
  std::string_view rest = file.substr(kMagic.size());
  uint32_t len = 0;
  if (!get_u32_be(rest, len) || len > kMaxPayload || rest.size() != size_t{len} + 32) {
    return Status(Code::kStorage, "bad length");
  }
  const std::string_view body = file.substr(0, file.size() - 32);
  if (as_view(crypto::sha256(body)) != file.substr(file.size() - 32)) {
    return Status(Code::kStorage, "checksum mismatch");
  }
  v1::SignerState state;
  if (!state.ParseFromArray(rest.data(), static_cast<int>(len))) {
    return Status(Code::kStorage, "record does not decode");
  }
  if (state.step() < 1 || state.step() > 3 ||
      (!state.block_id().empty() && state.block_id().size() != chain::kBlockIdSize) ||
      state.signature().size() != chain::kSignatureSize || state.sign_bytes().empty()) {
    return Status(Code::kStorage, "record fields out of range");
  }
  return state;
}

Result<std::unique_ptr<SignerGuard>> SignerGuard::open(std::filesystem::path path,
                                                       std::unique_ptr<chain::Signer> inner) {
  if (path.empty()) return Status(Code::kInvalidArgument, "signer state path is empty");
  if (!inner) return Status(Code::kInvalidArgument, "signer guard needs a signer");
  std::optional<v1::SignerState> last;
  std::ifstream in(path, std::ios::binary);
  if (in) {
    std::stringstream ss;
    ss << in.rdbuf();
    if (in.bad()) {
      return Status(Code::kStorage, "cannot read signer state file " + path.string());
    }
    auto state = decode(ss.str());
    if (!state) return Status(Code::kStorage, corrupt_advice(path, state.status().message()));
    last = *state;
  } else {
    std::error_code ec;
    const bool exists = std::filesystem::exists(path, ec);
    if (ec || exists) {
      // Present but unreadable (or unknowable): never treat it as "nothing signed".
      return Status(Code::kStorage, "cannot open signer state file " + path.string() + ": " +
                                        (ec ? ec.message() : errno_text(errno)));
    }
  }
  return std::unique_ptr<SignerGuard>(
      new SignerGuard(std::move(path), std::move(inner), std::move(last)));
}

SignerGuard::SignerGuard(std::filesystem::path path, std::unique_ptr<chain::Signer> inner,
                         std::optional<v1::SignerState> last)
    : path_(std::move(path)), inner_(std::move(inner)), last_(std::move(last)) {}

Result<std::optional<v1::SignerState>> SignerGuard::check(const Request& req,
                                                          const Bytes& bytes_at_last_ts) const {
  if (failed_) {
    return Status(Code::kStorage, "signer guard: an earlier write of " + path_.string() +
                                      " failed; refusing to sign until the node restarts");
  }
  if (!last_) return std::optional<v1::SignerState>();
  const auto step = static_cast<chain::Step>(last_->step());
  const auto want = std::make_tuple(req.height, req.round, static_cast<uint8_t>(req.step));
  const auto have = std::make_tuple(last_->height(), static_cast<chain::Round>(last_->round()),
                                    static_cast<uint8_t>(step));
  const std::string what = hrs(req.height, req.round, req.step);
  const std::string done = hrs(last_->height(), last_->round(), step);
  if (want < have) {
    return Status(Code::kInvalidArgument, "refusing to sign " + what + ": already signed " + done);
  }
  if (want > have) return std::optional<v1::SignerState>();
  if (req.block_id != last_->block_id()) {
    return Status(Code::kInvalidArgument,
                  "refusing to sign " + what + " for block " +
                      (req.block_id.empty() ? "nil" : to_hex(req.block_id)) +
                      ": already signed it for " +
                      (last_->block_id().empty() ? "nil" : to_hex(last_->block_id())));
  }
  if (bytes_at_last_ts != last_->sign_bytes()) {
    return Status(Code::kInvalidArgument,
                  "refusing to sign " + what + ": already signed different bytes at it");
  }
  return std::optional<v1::SignerState>(*last_);
}

Status SignerGuard::persist(const v1::SignerState& state) {
  const Bytes data = encode(state);
  std::filesystem::path tmp = path_;
  tmp += ".tmp";
  auto fail = [&](const std::string& what, int err) {
    failed_ = true;
    return Status(Code::kStorage, "signer guard: cannot " + what + " " + tmp.string() + ": " +
                                      errno_text(err) + "; refusing to sign");
  };
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return fail("create", errno);
  if (!write_all(fd, data) || ::fsync(fd) != 0) {
    const int err = errno;
    ::close(fd);
    return fail("write", err);
  }
  if (::close(fd) != 0) return fail("close", errno);
  if (::rename(tmp.c_str(), path_.c_str()) != 0) return fail("rename", errno);
  if (!fsync_parent_dir(path_)) return fail("fsync the directory of", errno);
  return Status::ok();
}

Status SignerGuard::sign_vote(std::string_view chain_id, v1::Vote& vote) {
  auto step = chain::vote_step(vote.type());
  if (!step) return Status(Code::kMalformed, "refusing to sign a vote of unknown type");
  if (!vote.block_id().empty() && vote.block_id().size() != chain::kBlockIdSize) {
    return Status(Code::kMalformed, "refusing to sign a vote with a malformed block id");
  }
  Bytes at_last_ts;
  if (last_) {
    v1::Vote copy = vote;
    copy.set_timestamp_ms(last_->timestamp_ms());
    at_last_ts = chain::vote_sign_bytes(chain_id, copy);
  }
  auto checked = check(
      {vote.height(), static_cast<chain::Round>(vote.round()), *step, vote.block_id()}, at_last_ts);
  if (!checked) return checked.status();
  if (checked->has_value()) {
    vote.set_timestamp_ms((*checked)->timestamp_ms());
    vote.set_signature((*checked)->signature());
    return Status::ok();
  }
  v1::Vote signed_vote = vote;
  if (auto s = inner_->sign_vote(chain_id, signed_vote); !s) return s;
  v1::SignerState rec;
  rec.set_height(vote.height());
  rec.set_round(vote.round());
  rec.set_step(static_cast<uint32_t>(*step));
  rec.set_block_id(vote.block_id());
  rec.set_timestamp_ms(vote.timestamp_ms());
  rec.set_sign_bytes(chain::vote_sign_bytes(chain_id, vote));
  rec.set_signature(signed_vote.signature());
  if (auto s = persist(rec); !s) return s;
  last_ = std::move(rec);
  vote.set_signature(signed_vote.signature());
  return Status::ok();
}

Status SignerGuard::sign_proposal(std::string_view chain_id, v1::Proposal& proposal) {
  if (proposal.block_id().size() != chain::kBlockIdSize) {
    return Status(Code::kMalformed, "refusing to sign a proposal without a 32-byte block id");
  }
  Bytes at_last_ts;
  if (last_) {
    v1::Proposal copy = proposal;
    copy.set_timestamp_ms(last_->timestamp_ms());
    at_last_ts = chain::proposal_sign_bytes(chain_id, copy);
  }
  auto checked = check({proposal.height(), static_cast<chain::Round>(proposal.round()),
                        chain::Step::kPropose, proposal.block_id()},
                       at_last_ts);
  if (!checked) return checked.status();
  if (checked->has_value()) {
    proposal.set_timestamp_ms((*checked)->timestamp_ms());
    proposal.set_signature((*checked)->signature());
    return Status::ok();
  }
  v1::Proposal signed_proposal = proposal;
  if (auto s = inner_->sign_proposal(chain_id, signed_proposal); !s) return s;
  v1::SignerState rec;
  rec.set_height(proposal.height());
  rec.set_round(proposal.round());
  rec.set_step(static_cast<uint32_t>(chain::Step::kPropose));
  rec.set_block_id(proposal.block_id());
  rec.set_timestamp_ms(proposal.timestamp_ms());
  rec.set_sign_bytes(chain::proposal_sign_bytes(chain_id, proposal));
  rec.set_signature(signed_proposal.signature());
  if (auto s = persist(rec); !s) return s;
  last_ = std::move(rec);
  proposal.set_signature(signed_proposal.signature());
  return Status::ok();
}

}  // namespace btt::consensus

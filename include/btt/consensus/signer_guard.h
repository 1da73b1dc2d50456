#pragma once
// Durable double-sign protection (doc/consensus.md, "The signer guard file").
//
// The guard wraps a Signer and a file holding the last thing it signed: height, round, step,
// block id, the signed bytes and the signature. A request is
//   - below the recorded (height, round, step): refused;
//   - at it with a different block id or other different bytes: refused;
//   - at it with the same block id and bytes (the timestamp aside): answered with the recorded
//     signature and timestamp, so a restarted validator re-sends what it signed, never a second
//     signature;
//   - above it: signed, and the new record is durably written (tmp file, fsync, rename, fsync of
//     the directory) before the signature is returned.
// A file that cannot be read or fails its checksum is refused with an error; the guard never
// resets itself. A missing file means this key has signed nothing yet.
#include <filesystem>
#include <memory>
#include <optional>

#include "btt/chain/consensus_signing.h"
#include "btt/common/status.h"
#include "btt/v1/consensus.pb.h"

namespace btt::consensus {

class SignerGuard final : public chain::Signer {
 public:
  [[nodiscard]] static Result<std::unique_ptr<SignerGuard>> open(
      std::filesystem::path path, std::unique_ptr<chain::Signer> inner);

  [[nodiscard]] const std::string& address() const override { return inner_->address(); }
  [[nodiscard]] Status sign_vote(std::string_view chain_id, v1::Vote& vote) override;
  [[nodiscard]] Status sign_proposal(std::string_view chain_id, v1::Proposal& proposal) override;

  // The last signed record, if any.
  [[nodiscard]] const std::optional<v1::SignerState>& last() const { return last_; }
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

  // The file format: "BTTSIGN1" || u32be(len) || SignerState bytes || SHA-256 of all before.
  [[nodiscard]] static Bytes encode(const v1::SignerState& state);
  [[nodiscard]] static Result<v1::SignerState> decode(std::string_view file_bytes);

 private:
  SignerGuard(std::filesystem::path path, std::unique_ptr<chain::Signer> inner,
              std::optional<v1::SignerState> last);

  struct Request {
    uint64_t height;
    chain::Round round;
    chain::Step step;
    const Bytes& block_id;
  };
  // nullopt: sign afresh; a value: the recorded signature and timestamp to reuse.
  [[nodiscard]] Result<std::optional<v1::SignerState>> check(const Request& req,
                                                             const Bytes& bytes_at_last_ts) const;
  [[nodiscard]] Status persist(const v1::SignerState& state);

  std::filesystem::path path_;
  std::unique_ptr<chain::Signer> inner_;
  std::optional<v1::SignerState> last_;
  bool failed_ = false;  // a write failed: refuse everything until reopened
};

}  // namespace btt::consensus

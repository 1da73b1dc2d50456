#include "btt/p2p/frame.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <string>

namespace btt::p2p {

crypto::ChaCha20Poly1305::Nonce frame_nonce(uint64_t counter) {
  crypto::ChaCha20Poly1305::Nonce n{};
  for (int i = 0; i < 8; ++i) n[4 + i] = static_cast<uint8_t>(counter >> (8 * (7 - i)));
  return n;
}

FrameCodec::FrameCodec(SessionKeys& keys, uint32_t max_payload)
    : send_(keys.send), recv_(keys.recv), max_payload_(std::min(max_payload, kMaxFramePayload)) {
  OPENSSL_cleanse(keys.send.data(), keys.send.size());
  OPENSSL_cleanse(keys.recv.data(), keys.recv.size());
}

void FrameCodec::set_max_payload(uint32_t max_payload) {
  max_payload_ = std::min(max_payload, kMaxFramePayload);
}

void FrameCodec::wipe() {
  send_.wipe();
  recv_.wipe();
  failed_ = true;
}

Result<Bytes> FrameCodec::encode(std::string_view payload) {
  if (failed_) return Status(Code::kUnavailable, "frame codec closed");
  if (payload.size() > max_payload_) {
    return Status(Code::kInvalidArgument, "frame payload of " + std::to_string(payload.size()) +
                                              " bytes exceeds the limit of " +
                                              std::to_string(max_payload_));
  }
  if (send_counter_ == kMaxFrameCounter) {
    return Status(Code::kUnavailable, "send nonce counter exhausted; the connection must close");
  }
  Bytes out;
  out.reserve(kFrameHeaderSize + payload.size() + kFrameTagSize);
  put_u32_be(out, static_cast<uint32_t>(payload.size() + kFrameTagSize));
  const std::string header = out;
  if (!send_.seal(frame_nonce(send_counter_), header, payload, out)) {
    return Status(Code::kInternal, "ChaCha20-Poly1305 encryption failed");
  }
  ++send_counter_;
  return out;
}

Result<uint32_t> FrameCodec::read_length(std::string_view header) const {
  uint32_t len = 0;
  if (header.size() != kFrameHeaderSize || !get_u32_be(header, len)) {
    return Status(Code::kMalformed, "frame header is not 4 bytes");
  }
  if (len < kFrameTagSize) {
    return Status(Code::kMalformed,
                  "frame length " + std::to_string(len) + " is shorter than the 16-byte tag");
  }
  if (len - kFrameTagSize > max_payload_) {
    return Status(Code::kMalformed, "frame length " + std::to_string(len) +
                                        " exceeds the limit of " +
                                        std::to_string(max_payload_ + kFrameTagSize));
  }
  return len;
}

Result<Bytes> FrameCodec::decrypt(std::string_view header, std::string_view body) {
  if (failed_) return Status(Code::kMalformed, "frame codec failed or closed");
  auto len = read_length(header);
  if (!len) {
    failed_ = true;
    return len.status();
  }
  if (body.size() != *len) {
    failed_ = true;
    return Status(Code::kMalformed, "frame body size differs from its length prefix");
  }
  if (recv_counter_ == kMaxFrameCounter) {
    failed_ = true;
    return Status(Code::kMalformed, "receive nonce counter exhausted; the connection must close");
  }
  auto plain = recv_.open(frame_nonce(recv_counter_), header, body);
  if (!plain) {
    failed_ = true;
    return Status(Code::kMalformed, "frame does not authenticate (altered, replayed or reordered)");
  }
  ++recv_counter_;
  return std::move(*plain);
}

Result<std::optional<Bytes>> FrameCodec::decode(std::string_view& in) {
  if (failed_) return Status(Code::kMalformed, "frame codec failed or closed");
  if (in.size() < kFrameHeaderSize) return std::optional<Bytes>();
  const std::string_view header = in.substr(0, kFrameHeaderSize);
  auto len = read_length(header);
  if (!len) {
    failed_ = true;
    return len.status();
  }
  if (in.size() - kFrameHeaderSize < *len) return std::optional<Bytes>();
  auto plain = decrypt(header, in.substr(kFrameHeaderSize, *len));
  if (!plain) return plain.status();
  in.remove_prefix(kFrameHeaderSize + *len);
  return std::optional<Bytes>(std::move(*plain));
}

}  // namespace btt::p2p

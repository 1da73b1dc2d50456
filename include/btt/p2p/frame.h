#pragma once
// Encrypted, length-prefixed frames (doc/p2p.md, "Frames"). Pure: no sockets, so it is unit-tested
// and fuzzed on byte buffers.
//
//   frame = len (u32 big-endian) || ChaCha20-Poly1305(key, nonce, aad = len, payload) || tag
//
// len counts the ciphertext and the 16-byte tag. The nonce is 4 zero bytes and the frame's
// 64-bit counter in big-endian; each direction has its own key and counter starting at 0, so a
// (key, nonce) pair is never used twice. A dropped, replayed, reordered or altered frame fails
// to authenticate, and the codec then refuses everything (the connection must close).
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>

#include "btt/common/bytes.h"
#include "btt/common/status.h"
#include "btt/crypto/aead.h"

namespace btt::p2p {

inline constexpr size_t kFrameHeaderSize = 4;
inline constexpr size_t kFrameTagSize = crypto::ChaCha20Poly1305::kTagSize;
// Largest payload (a serialized P2pMessage) of a frame: room for a block part or a block
// response of up to 4 MiB. A larger length prefix is refused before any buffer is allocated.
inline constexpr uint32_t kMaxFramePayload = 4u << 20;
// The counter value at which a direction stops: the connection closes before the nonce could
// wrap around.
inline constexpr uint64_t kMaxFrameCounter = std::numeric_limits<uint64_t>::max();

struct SessionKeys {
  crypto::ChaCha20Poly1305::Key send{};
  crypto::ChaCha20Poly1305::Key recv{};
};

// The 96-bit nonce of frame number `counter`.
[[nodiscard]] crypto::ChaCha20Poly1305::Nonce frame_nonce(uint64_t counter);

class FrameCodec {
 public:
  // `max_payload` may lower kMaxFramePayload (the handshake reads its auth frame with a small
  // limit); it is clamped to kMaxFramePayload. The keys are copied and wiped from `keys`.
  FrameCodec(SessionKeys& keys, uint32_t max_payload = kMaxFramePayload);
  FrameCodec(FrameCodec&&) noexcept = default;
  FrameCodec& operator=(FrameCodec&&) noexcept = default;

  // The frame carrying `payload`. kInvalidArgument if the payload exceeds the limit,
  // kUnavailable if the send counter is exhausted or the codec was wiped.
  [[nodiscard]] Result<Bytes> encode(std::string_view payload);

  // Reads a frame's 4-byte length prefix: the number of bytes (ciphertext and tag) that follow.
  // kMalformed if it is below a tag or above the limit; nothing is consumed or allocated.
  [[nodiscard]] Result<uint32_t> read_length(std::string_view header) const;
  // Decrypts the body (the `len` bytes after `header`) of the next frame. kMalformed if it does
  // not authenticate (wrong key, altered bytes, replayed or reordered frame); the codec is then
  // failed and refuses every later frame.
  [[nodiscard]] Result<Bytes> decrypt(std::string_view header, std::string_view body);

  // Stream form over a buffer: if `in` starts with a whole frame, consumes it and returns its
  // payload; nullopt (nothing consumed) if more bytes are needed. Errors as above.
  [[nodiscard]] Result<std::optional<Bytes>> decode(std::string_view& in);

  void set_max_payload(uint32_t max_payload);
  [[nodiscard]] uint32_t max_payload() const { return max_payload_; }
  [[nodiscard]] uint64_t send_counter() const { return send_counter_; }
  [[nodiscard]] uint64_t recv_counter() const { return recv_counter_; }
  [[nodiscard]] bool failed() const { return failed_; }
  // Wipes both keys (OPENSSL_cleanse); every later call fails.
  void wipe();

  // Tests only: start the counters elsewhere to reach the wrap-around limit.
  void set_counters_for_testing(uint64_t send, uint64_t recv) {
    send_counter_ = send;
    recv_counter_ = recv;
  }

 private:
  crypto::ChaCha20Poly1305 send_;
  crypto::ChaCha20Poly1305 recv_;
  uint64_t send_counter_ = 0;
  uint64_t recv_counter_ = 0;
  uint32_t max_payload_;
  bool failed_ = false;
};

}  // namespace btt::p2p

#include "btt/p2p/frame.h"

#include <gtest/gtest.h>

#include <string>

namespace btt::p2p {
namespace {

// Two codecs facing each other: a's send key is b's receive key and the other way round.
struct Pair {
  FrameCodec a;
  FrameCodec b;
};

Pair make_pair(uint32_t max_payload = kMaxFramePayload) {
  SessionKeys ka;
  SessionKeys kb;
  for (size_t i = 0; i < 32; ++i) {
    ka.send[i] = kb.recv[i] = static_cast<uint8_t>(i);
    ka.recv[i] = kb.send[i] = static_cast<uint8_t>(100 + i);
  }
  return Pair{FrameCodec(ka, max_payload), FrameCodec(kb, max_payload)};
}

TEST(FrameCodec, RoundTripInBothDirections) {
  auto [a, b] = make_pair();
  for (const std::string& payload : {std::string(), std::string("ping"), std::string(70000, 'x')}) {
    auto frame = a.encode(payload);
    ASSERT_TRUE(frame) << frame.status().to_string();
    EXPECT_EQ(frame->size(), kFrameHeaderSize + payload.size() + kFrameTagSize);
    std::string_view in = *frame;
    auto out = b.decode(in);
    ASSERT_TRUE(out) << out.status().to_string();
    ASSERT_TRUE(out->has_value());
    EXPECT_EQ(**out, payload);
    EXPECT_TRUE(in.empty());

    auto back = b.encode(payload);
    ASSERT_TRUE(back);
    std::string_view in2 = *back;
    auto out2 = a.decode(in2);
    ASSERT_TRUE(out2 && out2->has_value());
    EXPECT_EQ(**out2, payload);
  }
  EXPECT_EQ(a.send_counter(), 3u);
  EXPECT_EQ(b.recv_counter(), 3u);
}

TEST(FrameCodec, StreamDecodeWaitsForWholeFrames) {
  auto [a, b] = make_pair();
  Bytes stream = *a.encode("one");
  stream += *a.encode("two");
  // Byte by byte: nothing until a frame is complete, then exactly that frame.
  std::string buffer;
  std::vector<Bytes> got;
  for (char c : stream) {
    buffer.push_back(c);
    std::string_view in = buffer;
    auto out = b.decode(in);
    ASSERT_TRUE(out) << out.status().to_string();
    if (out->has_value()) {
      got.push_back(**out);
      buffer = std::string(in);
    }
  }
  EXPECT_EQ(got, (std::vector<Bytes>{"one", "two"}));
}

TEST(FrameCodec, TamperedCiphertextTagOrLengthRefused) {
  for (size_t where : {size_t{0}, size_t{3}, size_t{4}, size_t{8}, size_t{4 + 5 + 15}}) {
    auto [a, b] = make_pair();
    Bytes frame = *a.encode("hello");
    ASSERT_LT(where, frame.size());
    frame[where] ^= 0x01;
    std::string_view in = frame;
    auto out = b.decode(in);
    // A changed length either mis-frames (waits for more bytes, or is refused) or, being the
    // AAD, fails authentication; it never yields a payload.
    if (out && !out->has_value()) {
      EXPECT_LE(where, 3u);
      continue;
    }
    ASSERT_FALSE(out) << "byte " << where;
    EXPECT_EQ(out.status().code(), Code::kMalformed);
    EXPECT_TRUE(b.failed());
    // A failed codec refuses even a good frame afterwards: the connection must close.
    Bytes good = *a.encode("again");
    std::string_view in2 = good;
    EXPECT_FALSE(b.decode(in2));
  }
}

TEST(FrameCodec, WrongKeyRefused) {
  auto [a, b] = make_pair();
  SessionKeys other;
  other.recv.fill(7);
  FrameCodec c(other);
  Bytes frame = *a.encode("x");
  std::string_view in = frame;
  EXPECT_FALSE(c.decode(in));
}

TEST(FrameCodec, ReplayedOrReorderedFramesRefused) {
  {
    auto [a, b] = make_pair();
    Bytes f0 = *a.encode("first");
    std::string_view in = f0;
    ASSERT_TRUE(b.decode(in));
    std::string_view replay = f0;
    EXPECT_FALSE(b.decode(replay));  // same frame again: the receiver expects counter 1
  }
  {
    auto [a, b] = make_pair();
    Bytes f0 = *a.encode("first");
    Bytes f1 = *a.encode("second");
    std::string_view in = f1;
    EXPECT_FALSE(b.decode(in));  // counter 1 arrives first
  }
}

TEST(FrameCodec, OversizeRefusedBeforeAllocating) {
  auto [a, b] = make_pair(1024);
  EXPECT_FALSE(a.encode(std::string(1025, 'x')));
  EXPECT_TRUE(a.encode(std::string(1024, 'x')));

  // A length prefix of 4 GiB with no body: refused from the 4 header bytes alone.
  const Bytes header("\xff\xff\xff\xff", 4);
  auto len = b.read_length(header);
  ASSERT_FALSE(len);
  EXPECT_EQ(len.status().code(), Code::kMalformed);
  std::string_view in = header;
  auto out = b.decode(in);
  ASSERT_FALSE(out);
  EXPECT_EQ(out.status().code(), Code::kMalformed);

  Bytes just_over;
  put_u32_be(just_over, 1024 + kFrameTagSize + 1);
  EXPECT_FALSE(b.read_length(just_over));
  Bytes at_limit;
  put_u32_be(at_limit, 1024 + kFrameTagSize);
  EXPECT_TRUE(b.read_length(at_limit));
  Bytes below_tag;
  put_u32_be(below_tag, kFrameTagSize - 1);
  EXPECT_FALSE(b.read_length(below_tag));

  // The default limit is the documented constant.
  auto [c, d] = make_pair();
  Bytes over_default;
  put_u32_be(over_default, kMaxFramePayload + kFrameTagSize + 1);
  EXPECT_FALSE(d.read_length(over_default));
  EXPECT_EQ(d.max_payload(), kMaxFramePayload);
}

TEST(FrameCodec, NonceIsCounterBigEndian) {
  const auto n = frame_nonce(0x0102030405060708ull);
  const crypto::ChaCha20Poly1305::Nonce expected = {0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8};
  EXPECT_EQ(n, expected);
  EXPECT_EQ(frame_nonce(0), crypto::ChaCha20Poly1305::Nonce{});
}

TEST(FrameCodec, CountersStopBeforeWrapAround) {
  auto [a, b] = make_pair();
  a.set_counters_for_testing(kMaxFrameCounter - 1, 0);
  b.set_counters_for_testing(0, kMaxFrameCounter - 1);
  Bytes last = *a.encode("last");
  std::string_view in = last;
  auto out = b.decode(in);
  ASSERT_TRUE(out && out->has_value());
  EXPECT_EQ(a.send_counter(), kMaxFrameCounter);
  // The next frame would reuse nonce 0 after a wrap: refused on both sides.
  auto next = a.encode("next");
  ASSERT_FALSE(next);
  EXPECT_EQ(next.status().code(), Code::kUnavailable);
  Bytes forged = last;  // any frame: the receiver refuses before trying to decrypt
  std::string_view in2 = forged;
  EXPECT_FALSE(b.decode(in2));
}

TEST(FrameCodec, WipedCodecRefusesEverything) {
  auto [a, b] = make_pair();
  Bytes frame = *a.encode("x");
  b.wipe();
  a.wipe();
  std::string_view in = frame;
  EXPECT_FALSE(b.decode(in));
  EXPECT_FALSE(a.encode("y"));
}

}  // namespace
}  // namespace btt::p2p

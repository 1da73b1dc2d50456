#include "btt/p2p/handshake.h"

#include <gtest/gtest.h>

#include <string>

#include "btt/crypto/hash.h"
#include "btt/v1/p2p.pb.h"

namespace btt::p2p {
namespace {

LocalNode node(std::string chain_id = "btt-test-1") {
  LocalNode n;
  n.key = crypto::KeyPair::generate();
  n.chain_id = std::move(chain_id);
  n.listen_port = 26656;
  return n;
}

// Runs `a`'s auth frame into `b`: the payload b decrypts and its verdict.
Result<PeerIdentity> deliver_auth(Handshake& from, Handshake& to) {
  auto frame = from.auth_frame();
  if (!frame) return frame.status();
  const std::string_view f = *frame;
  auto len = to.codec().read_length(f.substr(0, kFrameHeaderSize));
  if (!len) return len.status();
  auto payload = to.codec().decrypt(f.substr(0, kFrameHeaderSize), f.substr(kFrameHeaderSize));
  if (!payload) return payload.status();
  return to.read_auth(*payload);
}

TEST(Handshake, BothSidesAuthenticateAndShareKeys) {
  const LocalNode a = node();
  const LocalNode b = node();
  Handshake ha(Role::kInitiator, a, b.key.address);
  Handshake hb(Role::kResponder, b);
  EXPECT_EQ(ha.hello().size(), kHelloSize);
  ASSERT_TRUE(ha.read_hello(hb.hello()));
  ASSERT_TRUE(hb.read_hello(ha.hello()));
  EXPECT_EQ(ha.transcript_hash(), hb.transcript_hash());

  auto at_b = deliver_auth(ha, hb);
  ASSERT_TRUE(at_b) << at_b.status().to_string();
  EXPECT_EQ(at_b->id, a.key.address);
  EXPECT_EQ(at_b->listen_port, 26656u);
  auto at_a = deliver_auth(hb, ha);
  ASSERT_TRUE(at_a) << at_a.status().to_string();
  EXPECT_EQ(at_a->id, b.key.address);

  // The session codecs talk to each other, in both directions, at full frame size.
  FrameCodec ca = ha.take_codec();
  FrameCodec cb = hb.take_codec();
  EXPECT_EQ(ca.max_payload(), kMaxFramePayload);
  Bytes f = *ca.encode(std::string(10000, 'a'));
  std::string_view in = f;
  auto got = cb.decode(in);
  ASSERT_TRUE(got && got->has_value());
  EXPECT_EQ((*got)->size(), 10000u);
  Bytes g = *cb.encode("back");
  std::string_view in2 = g;
  auto got2 = ca.decode(in2);
  ASSERT_TRUE(got2 && got2->has_value());
  EXPECT_EQ(**got2, "back");
}

TEST(Handshake, WrongChainIdRefusedWithReason) {
  const LocalNode a = node("btt-test-1");
  const LocalNode b = node("btt-other-7");
  Handshake ha(Role::kInitiator, a);
  Handshake hb(Role::kResponder, b);
  ASSERT_TRUE(ha.read_hello(hb.hello()));
  ASSERT_TRUE(hb.read_hello(ha.hello()));
  auto r = deliver_auth(ha, hb);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), Code::kWrongChainId);
  EXPECT_NE(r.status().message().find("btt-test-1"), std::string::npos);
  EXPECT_NE(r.status().message().find("btt-other-7"), std::string::npos);
  EXPECT_FALSE(is_misbehaviour(r.status()));
}

TEST(Handshake, WrongProtocolVersionRefused) {
  const LocalNode a = node();
  LocalNode b = node();
  b.protocol_version = 2;
  Handshake ha(Role::kInitiator, a);
  Handshake hb(Role::kResponder, b);
  ASSERT_TRUE(ha.read_hello(hb.hello()));
  ASSERT_TRUE(hb.read_hello(ha.hello()));
  auto r = deliver_auth(hb, ha);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("version 2"), std::string::npos);
}

TEST(Handshake, UnexpectedNodeIdRefused) {
  const LocalNode a = node();
  const LocalNode b = node();
  const LocalNode c = node();
  Handshake ha(Role::kInitiator, a, c.key.address);  // the dialer expects c, reaches b
  Handshake hb(Role::kResponder, b);
  ASSERT_TRUE(ha.read_hello(hb.hello()));
  ASSERT_TRUE(hb.read_hello(ha.hello()));
  auto r = deliver_auth(hb, ha);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("expected " + c.key.address.to_string()), std::string::npos);
}

TEST(Handshake, ConnectionToItselfRefused) {
  const LocalNode a = node();
  Handshake h1(Role::kInitiator, a);
  Handshake h2(Role::kResponder, a);
  ASSERT_TRUE(h1.read_hello(h2.hello()));
  ASSERT_TRUE(h2.read_hello(h1.hello()));
  auto r = deliver_auth(h2, h1);
  ASSERT_FALSE(r);
  EXPECT_NE(r.status().message().find("itself"), std::string::npos);
}

TEST(Handshake, BadSignatureRefusedAsMisbehaviour) {
  const LocalNode a = node();
  const LocalNode b = node();
  const LocalNode mallory = node();
  Handshake ha(Role::kInitiator, a);
  Handshake hb(Role::kResponder, b);
  ASSERT_TRUE(ha.read_hello(hb.hello()));
  ASSERT_TRUE(hb.read_hello(ha.hello()));
  // b claims mallory's key but can only sign with its own.
  v1::P2pAuth auth;
  auth.set_node_key(Bytes(as_view(mallory.key.public_key)));
  auth.set_signature(Bytes(as_view(*crypto::schnorr_sign(
      b.key.secret_key, auth_digest(hb.transcript_hash(), Role::kResponder)))));
  auth.set_chain_id(b.chain_id);
  auth.set_protocol_version(kProtocolVersion);
  auto r = ha.read_auth(auth.SerializeAsString());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), Code::kBadSignature);
  EXPECT_TRUE(is_misbehaviour(r.status()));

  // A signature made for the other role (a reflected initiator signature) fails too.
  auth.set_node_key(Bytes(as_view(b.key.public_key)));
  auth.set_signature(Bytes(as_view(*crypto::schnorr_sign(
      b.key.secret_key, auth_digest(hb.transcript_hash(), Role::kInitiator)))));
  EXPECT_EQ(ha.read_auth(auth.SerializeAsString()).status().code(), Code::kBadSignature);

  // Garbage instead of a P2pAuth.
  EXPECT_EQ(ha.read_auth("\xff\xff\xff").status().code(), Code::kMalformed);
}

TEST(Handshake, MalformedHellosRefused) {
  const LocalNode a = node();
  Handshake h(Role::kResponder, a);
  Handshake other(Role::kInitiator, a);
  Bytes good = other.hello();
  EXPECT_EQ(h.read_hello(good.substr(0, kHelloSize - 1)).code(), Code::kMalformed);
  Bytes bad_magic = good;
  bad_magic[0] = 'X';
  EXPECT_EQ(h.read_hello(bad_magic).code(), Code::kMalformed);
  Bytes bad_version = good;
  bad_version[5] = 9;
  EXPECT_EQ(h.read_hello(bad_version).code(), Code::kMalformed);
  Bytes bad_key = good;
  bad_key[6] = 0x05;
  EXPECT_EQ(h.read_hello(bad_key).code(), Code::kMalformed);
  EXPECT_EQ(h.read_hello(h.hello()).code(), Code::kMalformed);  // reflected
  EXPECT_TRUE(h.read_hello(good));
}

TEST(Handshake, MitmWithOwnEphemeralKeyCannotAuthenticate) {
  // Mallory answers a's hello with her own ephemeral key and relays b's auth frame: it was
  // signed over a different transcript and encrypted under different keys, so a refuses it.
  const LocalNode a = node();
  const LocalNode b = node();
  const LocalNode m = node();
  Handshake ha(Role::kInitiator, a, b.key.address);
  Handshake hm(Role::kResponder, m);
  Handshake mb(Role::kInitiator, m);
  Handshake hb(Role::kResponder, b);
  ASSERT_TRUE(ha.read_hello(hm.hello()));
  ASSERT_TRUE(hm.read_hello(ha.hello()));
  ASSERT_TRUE(mb.read_hello(hb.hello()));
  ASSERT_TRUE(hb.read_hello(mb.hello()));
  Bytes b_auth = *hb.auth_frame();
  const std::string_view f = b_auth;
  EXPECT_FALSE(ha.codec().decrypt(f.substr(0, 4), f.substr(4)));
}

}  // namespace
}  // namespace btt::p2p

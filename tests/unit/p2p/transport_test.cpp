// Transports in one process talking over 127.0.0.1 with ephemeral ports. Every wait is on a
// condition with a generous deadline; nothing asserts a timing.
#include "btt/p2p/transport.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "btt/v1/p2p.pb.h"

namespace btt::p2p {
namespace {

using namespace std::chrono_literals;

constexpr auto kDeadline = 30s;
const std::string kChain = "btt-test-1";

bool wait_until(const std::function<bool()>& cond, std::chrono::milliseconds deadline = kDeadline) {
  const auto end = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < end) {
    if (cond()) return true;
    std::this_thread::sleep_for(5ms);
  }
  return cond();
}

TransportConfig test_config(const std::string& chain = kChain) {
  TransportConfig c;
  c.chain_id = chain;
  c.listen_addr = "127.0.0.1:0";
  c.dial_backoff_min = 50ms;
  c.dial_backoff_max = 400ms;
  c.handshake_timeout = 10s;
  c.pex_interval = 200ms;
  c.ban_duration = 10min;
  return c;
}

// A transport and what it saw.
class Node {
 public:
  explicit Node(TransportConfig config, crypto::KeyPair key = crypto::KeyPair::generate())
      : t_(std::make_unique<Transport>(std::move(config), key)) {
    for (Channel ch : {Channel::kConsensus, Channel::kMempool, Channel::kBlockSync}) {
      t_->set_handler(ch, [this](const NodeId& from, const v1::P2pMessage& msg) {
        std::lock_guard lock(mu_);
        messages_.emplace_back(from, msg);
      });
    }
    t_->set_event_handler([this](const PeerEvent& e) {
      std::lock_guard lock(mu_);
      events_.push_back(e);
    });
  }

  // Stopped before the members its handlers write to go away.
  ~Node() { t_->stop(); }

  Transport& t() { return *t_; }
  const NodeId& id() const { return t_->node_id(); }
  std::string addr() const { return t_->address(); }

  bool connected_to(const Node& other) const { return t_->is_connected(other.id()); }

  size_t received(v1::P2pMessage::MsgCase kind, const NodeId& from) {
    std::lock_guard lock(mu_);
    size_t n = 0;
    for (const auto& [id, m] : messages_) n += (m.msg_case() == kind && id == from) ? 1 : 0;
    return n;
  }

  // An event of `kind` whose reason contains `text`.
  bool saw(PeerEvent::Kind kind, const std::string& text) {
    std::lock_guard lock(mu_);
    for (const auto& e : events_) {
      if (e.kind == kind && e.reason.find(text) != std::string::npos) return true;
    }
    return false;
  }

  std::string events_text() {
    std::lock_guard lock(mu_);
    std::string out;
    for (const auto& e : events_) {
      out += std::to_string(static_cast<int>(e.kind)) + " " + e.remote + " " + e.reason + "\n";
    }
    return out;
  }

 private:
  std::unique_ptr<Transport> t_;
  std::mutex mu_;
  std::vector<std::pair<NodeId, v1::P2pMessage>> messages_;
  std::vector<PeerEvent> events_;
};

std::unique_ptr<Node> start_node(TransportConfig config,
                                 crypto::KeyPair key = crypto::KeyPair::generate()) {
  auto n = std::make_unique<Node>(std::move(config), key);
  Status st = n->t().start();
  EXPECT_TRUE(st) << st.to_string();
  return n;
}

v1::P2pMessage tx_gossip(std::string tx) {
  v1::P2pMessage m;
  m.mutable_tx_gossip()->add_txs(std::move(tx));
  return m;
}

// A plain TCP client (POSIX socket with a receive timeout), to misbehave in ways a Transport
// never would.
class RawClient {
 public:
  explicit RawClient(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{};
    tv.tv_sec = 20;
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) == 0;
  }
  ~RawClient() { ::close(fd_); }

  bool connected() const { return connected_; }
  bool send_all(std::string_view b) {
    while (!b.empty()) {
      const ssize_t n = ::send(fd_, b.data(), b.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      b.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }
  std::optional<Bytes> recv_exact(size_t n) {
    Bytes out(n, '\0');
    size_t got = 0;
    while (got < n) {
      const ssize_t r = ::recv(fd_, out.data() + got, n - got, 0);
      if (r <= 0) return std::nullopt;
      got += static_cast<size_t>(r);
    }
    return out;
  }
  // True once the node closed the connection (EOF or reset); false on the 20 s timeout.
  bool wait_closed() {
    char buf[4096];
    for (;;) {
      const ssize_t r = ::recv(fd_, buf, sizeof(buf), 0);
      if (r == 0) return true;
      if (r < 0) return errno == ECONNRESET || errno == EPIPE;
    }
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
};

TEST(Transport, HandshakeAndMessagesBetweenTwoNodes) {
  auto a = start_node(test_config());
  ASSERT_NE(a->t().listen_port(), 0);
  auto cb = test_config();
  cb.persistent_peers = {a->addr()};
  auto b = start_node(cb);
  ASSERT_TRUE(wait_until([&] { return a->connected_to(*b) && b->connected_to(*a); }))
      << a->events_text() << b->events_text();

  const auto peers = b->t().peers();
  ASSERT_EQ(peers.size(), 1u);
  EXPECT_TRUE(peers[0].outbound);
  EXPECT_TRUE(peers[0].persistent);
  EXPECT_EQ(peers[0].id, a->id());
  EXPECT_FALSE(a->t().peers()[0].outbound);

  ASSERT_TRUE(b->t().send(a->id(), tx_gossip("tx-1")));
  v1::P2pMessage vote;
  vote.mutable_consensus()->set_payload("vote");
  EXPECT_EQ(a->t().broadcast(vote), 1u);
  ASSERT_TRUE(wait_until([&] {
    return a->received(v1::P2pMessage::kTxGossip, b->id()) == 1 &&
           b->received(v1::P2pMessage::kConsensus, a->id()) == 1;
  }));

  // A frame near the limit goes through (block parts).
  v1::P2pMessage big;
  big.mutable_block_response()->set_height(7);
  big.mutable_block_response()->set_block(std::string(kMaxFramePayload - 64, 'b'));
  ASSERT_TRUE(a->t().send(b->id(), big));
  ASSERT_TRUE(
      wait_until([&] { return b->received(v1::P2pMessage::kBlockResponse, a->id()) == 1; }));

  // Too large for a frame: refused at the sender.
  v1::P2pMessage too_big;
  too_big.mutable_block_response()->set_block(std::string(kMaxFramePayload + 1, 'b'));
  EXPECT_FALSE(a->t().send(b->id(), too_big));

  a->t().stop();
  ASSERT_TRUE(wait_until(
      [&] { return b->t().peers().empty() && b->saw(PeerEvent::Kind::kDisconnected, ""); }));
}

TEST(Transport, PersistentPeerRedialedAfterRestart) {
  const auto a_key = crypto::KeyPair::generate();
  auto a = start_node(test_config(), a_key);
  const uint16_t port = a->t().listen_port();
  auto cb = test_config();
  cb.persistent_peers = {a->addr()};
  auto b = start_node(cb);
  ASSERT_TRUE(wait_until([&] { return b->connected_to(*a); }));
  a.reset();  // stops it
  ASSERT_TRUE(wait_until([&] { return b->t().peers().empty(); }));

  auto ca = test_config();
  ca.listen_addr = "127.0.0.1:" + std::to_string(port);
  a = start_node(ca, a_key);
  ASSERT_TRUE(wait_until([&] { return b->connected_to(*a) && a->connected_to(*b); }))
      << b->events_text();
}

TEST(Transport, ListenPortInUseRefusedAtStart) {
  auto a = start_node(test_config());
  auto cb = test_config();
  cb.listen_addr = "127.0.0.1:" + std::to_string(a->t().listen_port());
  Transport b(cb, crypto::KeyPair::generate());
  Status st = b.start();
  ASSERT_FALSE(st);
  EXPECT_EQ(st.code(), Code::kUnavailable);
  EXPECT_NE(st.message().find("already in use"), std::string::npos) << st.message();
  b.stop();  // harmless on a transport that never started
}

TEST(Transport, WrongChainIdRefusedWithReason) {
  auto a = start_node(test_config("btt-test-1"));
  auto cb = test_config("btt-other-2");
  cb.persistent_peers = {a->addr()};
  auto b = start_node(cb);
  ASSERT_TRUE(wait_until([&] {
    return a->saw(PeerEvent::Kind::kRefused, "btt-other-2") &&
           b->saw(PeerEvent::Kind::kRefused, "btt-test-1");
  })) << a->events_text()
      << b->events_text();
  EXPECT_TRUE(a->t().peers().empty());
  EXPECT_TRUE(b->t().peers().empty());
  // Another chain is a misconfiguration, not an attack: nobody is banned.
  EXPECT_FALSE(a->t().is_banned(b->id()));
  EXPECT_FALSE(a->t().is_banned_ip("127.0.0.1"));
}

TEST(Transport, WrongExpectedNodeIdRefused) {
  auto a = start_node(test_config());
  const auto someone_else = crypto::KeyPair::generate();
  auto cb = test_config();
  cb.persistent_peers = {someone_else.address.to_string() +
                         "@127.0.0.1:" + std::to_string(a->t().listen_port())};
  auto b = start_node(cb);
  ASSERT_TRUE(wait_until([&] {
    return b->saw(PeerEvent::Kind::kRefused, "expected " + someone_else.address.to_string());
  })) << b->events_text();
  EXPECT_TRUE(b->t().peers().empty());
  EXPECT_FALSE(b->connected_to(*a));
}

TEST(Transport, GarbageClientBannedWhileGoodPeerIsServed) {
  auto a = start_node(test_config());
  auto cb = test_config();
  cb.persistent_peers = {a->addr()};
  auto good = start_node(cb);
  ASSERT_TRUE(wait_until([&] { return a->connected_to(*good); }));

  {
    RawClient raw(a->t().listen_port());
    ASSERT_TRUE(raw.connected());
    ASSERT_TRUE(raw.send_all(std::string(kHelloSize, '\x42')));
    EXPECT_TRUE(raw.wait_closed());
  }
  ASSERT_TRUE(wait_until([&] { return a->saw(PeerEvent::Kind::kBanned, "hello"); }))
      << a->events_text();
  EXPECT_TRUE(a->t().is_banned_ip("127.0.0.1"));

  // A new connection from the banned IP is closed at once.
  {
    RawClient again(a->t().listen_port());
    ASSERT_TRUE(again.connected());
    EXPECT_TRUE(again.wait_closed());
  }
  ASSERT_TRUE(wait_until([&] { return a->saw(PeerEvent::Kind::kRefused, "IP is banned"); }));

  // The good peer's connection is untouched.
  ASSERT_TRUE(good->t().send(a->id(), tx_gossip("still here")));
  ASSERT_TRUE(wait_until([&] { return a->received(v1::P2pMessage::kTxGossip, good->id()) == 1; }));
  EXPECT_TRUE(a->connected_to(*good));
}

// Runs the initiator side of the handshake over a raw socket; the codec on success.
std::optional<FrameCodec> raw_handshake(RawClient& raw, const LocalNode& me) {
  Handshake hs(Role::kInitiator, me);
  if (!raw.send_all(hs.hello())) return std::nullopt;
  auto hello = raw.recv_exact(kHelloSize);
  if (!hello || !hs.read_hello(*hello)) return std::nullopt;
  auto auth = hs.auth_frame();
  if (!auth || !raw.send_all(*auth)) return std::nullopt;
  auto header = raw.recv_exact(kFrameHeaderSize);
  if (!header) return std::nullopt;
  auto len = hs.codec().read_length(*header);
  if (!len) return std::nullopt;
  auto body = raw.recv_exact(*len);
  if (!body) return std::nullopt;
  auto payload = hs.codec().decrypt(*header, *body);
  if (!payload || !hs.read_auth(*payload)) return std::nullopt;
  return hs.take_codec();
}

// The next message the node sends over a raw connection.
std::optional<v1::P2pMessage> read_message(RawClient& raw, FrameCodec& codec) {
  auto header = raw.recv_exact(kFrameHeaderSize);
  if (!header) return std::nullopt;
  auto len = codec.read_length(*header);
  if (!len) return std::nullopt;
  auto body = raw.recv_exact(*len);
  if (!body) return std::nullopt;
  auto payload = codec.decrypt(*header, *body);
  v1::P2pMessage m;
  if (!payload || !m.ParseFromString(*payload)) return std::nullopt;
  return m;
}

TEST(Transport, HandshakeTimeoutClosesWithoutBan) {
  auto ca = test_config();
  ca.handshake_timeout = 200ms;
  auto a = start_node(ca);
  RawClient raw(a->t().listen_port());
  ASSERT_TRUE(raw.connected());
  EXPECT_TRUE(raw.wait_closed());  // says nothing, is dropped
  ASSERT_TRUE(wait_until([&] { return a->saw(PeerEvent::Kind::kRefused, "timed out"); }))
      << a->events_text();
  EXPECT_FALSE(a->t().is_banned_ip("127.0.0.1"));
}

TEST(Transport, OwnAddressIsNotRedialed) {
  auto a0 = start_node(test_config());
  const std::string self = a0->addr();
  const uint16_t port = a0->t().listen_port();
  const auto key = crypto::KeyPair::generate();
  a0.reset();
  // A persistent peer list that includes the node itself (one list for a whole testnet), given
  // without the id so the dialer only finds out from the handshake.
  auto ca = test_config();
  ca.listen_addr = "127.0.0.1:" + std::to_string(port);
  ca.persistent_peers = {"127.0.0.1:" + std::to_string(port)};
  auto a = start_node(ca, key);
  ASSERT_TRUE(wait_until([&] { return a->saw(PeerEvent::Kind::kRefused, "itself"); }))
      << a->events_text();
  auto count_itself = [&] {
    size_t n = 0;
    std::string text = a->events_text();
    for (size_t at = text.find("itself"); at != std::string::npos; at = text.find("itself", at + 1))
      ++n;
    return n;
  };
  // One refusal on the dialing side and (usually) one on the accepting side; a redial every
  // backoff period would add two more each time.
  std::this_thread::sleep_for(300ms);
  EXPECT_LE(count_itself(), 2u) << a->events_text();
  EXPECT_FALSE(a->t().is_banned_ip("127.0.0.1"));
}

TEST(Transport, OversizePexAnswerBansPeer) {
  auto a = start_node(test_config());
  LocalNode me;
  me.key = crypto::KeyPair::generate();
  me.chain_id = kChain;
  RawClient raw(a->t().listen_port());
  auto codec = raw_handshake(raw, me);
  ASSERT_TRUE(codec.has_value());
  // a asks its only peer for addresses (every pex_interval while outbound slots are free).
  bool asked = false;
  for (int i = 0; i < 1000 && !asked; ++i) {
    auto m = read_message(raw, *codec);
    ASSERT_TRUE(m.has_value());
    asked = m->has_pex_request();
  }
  ASSERT_TRUE(asked);
  v1::P2pMessage answer;
  for (size_t i = 0; i <= kMaxPexAddrs; ++i) {
    answer.mutable_pex_addrs()->add_addrs(crypto::KeyPair::generate().address.to_string() +
                                          "@127.0.0.1:" + std::to_string(1000 + i));
  }
  ASSERT_TRUE(raw.send_all(*codec->encode(answer.SerializeAsString())));
  EXPECT_TRUE(raw.wait_closed());
  ASSERT_TRUE(wait_until([&] { return a->saw(PeerEvent::Kind::kBanned, "PexAddrs"); }))
      << a->events_text();
}

TEST(Transport, OversizeLengthPrefixBansAuthenticatedPeer) {
  auto a = start_node(test_config());
  LocalNode me;
  me.key = crypto::KeyPair::generate();
  me.chain_id = kChain;
  RawClient raw(a->t().listen_port());
  ASSERT_TRUE(raw.connected());
  auto codec = raw_handshake(raw, me);
  ASSERT_TRUE(codec.has_value());
  ASSERT_TRUE(wait_until([&] { return a->t().is_connected(me.key.address); }));

  // One good frame, then a 4 GiB length prefix and nothing behind it.
  v1::P2pMessage ping;
  ping.mutable_ping()->set_nonce(1);
  ASSERT_TRUE(raw.send_all(*codec->encode(ping.SerializeAsString())));
  ASSERT_TRUE(raw.send_all(std::string("\xff\xff\xff\xff", 4)));
  EXPECT_TRUE(raw.wait_closed());
  ASSERT_TRUE(wait_until([&] { return a->saw(PeerEvent::Kind::kBanned, "exceeds the limit"); }))
      << a->events_text();
  EXPECT_TRUE(a->t().is_banned(me.key.address));
  EXPECT_TRUE(a->t().is_banned_ip("127.0.0.1"));
  EXPECT_TRUE(a->t().peers().empty());
}

TEST(Transport, OversizeAuthFrameDuringHandshakeBanned) {
  auto a = start_node(test_config());
  LocalNode me;
  me.key = crypto::KeyPair::generate();
  me.chain_id = kChain;
  Handshake hs(Role::kInitiator, me);
  RawClient raw(a->t().listen_port());
  ASSERT_TRUE(raw.send_all(hs.hello()));
  // The auth frame is limited to kMaxAuthPayload: a 1 MiB prefix is refused unread.
  Bytes header;
  put_u32_be(header, 1u << 20);
  ASSERT_TRUE(raw.send_all(header));
  EXPECT_TRUE(raw.wait_closed());
  ASSERT_TRUE(wait_until([&] { return a->saw(PeerEvent::Kind::kBanned, "exceeds the limit"); }))
      << a->events_text();
}

TEST(Transport, TamperedFrameBansPeer) {
  auto a = start_node(test_config());
  LocalNode me;
  me.key = crypto::KeyPair::generate();
  me.chain_id = kChain;
  RawClient raw(a->t().listen_port());
  auto codec = raw_handshake(raw, me);
  ASSERT_TRUE(codec.has_value());
  Bytes frame = *codec->encode(tx_gossip("x").SerializeAsString());
  frame[6] ^= 0x20;
  ASSERT_TRUE(raw.send_all(frame));
  EXPECT_TRUE(raw.wait_closed());
  ASSERT_TRUE(wait_until([&] { return a->saw(PeerEvent::Kind::kBanned, "authenticate"); }))
      << a->events_text();
  EXPECT_TRUE(a->t().is_banned(me.key.address));
}

TEST(Transport, ProtocolViolationBansPeer) {
  auto a = start_node(test_config());
  LocalNode me;
  me.key = crypto::KeyPair::generate();
  me.chain_id = kChain;
  RawClient raw(a->t().listen_port());
  auto codec = raw_handshake(raw, me);
  ASSERT_TRUE(codec.has_value());
  // Authenticated, but the payload is not a P2pMessage.
  ASSERT_TRUE(raw.send_all(*codec->encode("\xff\xff\xff\xff garbage")));
  EXPECT_TRUE(raw.wait_closed());
  ASSERT_TRUE(wait_until([&] { return a->saw(PeerEvent::Kind::kBanned, "not a P2pMessage"); }))
      << a->events_text();
}

TEST(Transport, SilentPeerDroppedAfterIdleTimeout) {
  auto ca = test_config();
  ca.ping_interval = 50ms;
  ca.idle_timeout = 300ms;
  auto a = start_node(ca);
  LocalNode me;
  me.key = crypto::KeyPair::generate();
  me.chain_id = kChain;
  RawClient raw(a->t().listen_port());
  auto codec = raw_handshake(raw, me);
  ASSERT_TRUE(codec.has_value());
  // It never answers a's pings.
  EXPECT_TRUE(raw.wait_closed());
  ASSERT_TRUE(wait_until([&] { return a->saw(PeerEvent::Kind::kDisconnected, "idle"); }))
      << a->events_text();
  EXPECT_FALSE(a->t().is_banned(me.key.address));
}

TEST(Transport, PingsKeepQuietPeersConnected) {
  auto ca = test_config();
  ca.ping_interval = 20ms;
  ca.idle_timeout = 3s;
  auto a = start_node(ca);
  ca.persistent_peers = {a->addr()};
  auto b = start_node(ca);
  ASSERT_TRUE(wait_until([&] { return a->connected_to(*b) && b->connected_to(*a); }));
  std::this_thread::sleep_for(500ms);
  EXPECT_FALSE(a->saw(PeerEvent::Kind::kDisconnected, ""));
  EXPECT_FALSE(b->saw(PeerEvent::Kind::kDisconnected, ""));
}

TEST(Transport, RateLimitDisconnectsFlooder) {
  auto ca = test_config();
  ca.rate.msgs_per_s = 20;
  ca.rate.burst_msgs = 40;
  ca.ban_ips = false;  // the good peer shares 127.0.0.1 and must stay able to reconnect
  auto a = start_node(ca);
  auto cg = test_config();
  cg.persistent_peers = {a->addr()};
  auto good = start_node(cg);
  auto flooder = start_node(cg);
  ASSERT_TRUE(wait_until([&] { return a->connected_to(*good) && a->connected_to(*flooder); }));

  v1::P2pMessage ping;
  for (int i = 0; i < 500; ++i) {
    ping.mutable_ping()->set_nonce(static_cast<uint64_t>(i));
    if (!flooder->t().send(a->id(), ping)) break;
  }
  ASSERT_TRUE(wait_until([&] { return a->saw(PeerEvent::Kind::kBanned, "rate limit"); }))
      << a->events_text();
  EXPECT_TRUE(a->t().is_banned(flooder->id()));
  EXPECT_FALSE(a->t().is_banned(good->id()));
  // The flooder's redials are refused while the ban lasts; the good peer is still served.
  ASSERT_TRUE(wait_until([&] { return a->saw(PeerEvent::Kind::kRefused, "is banned"); }))
      << a->events_text();
  EXPECT_FALSE(a->connected_to(*flooder));
  ASSERT_TRUE(good->t().send(a->id(), tx_gossip("fine")));
  ASSERT_TRUE(wait_until([&] { return a->received(v1::P2pMessage::kTxGossip, good->id()) == 1; }));
}

TEST(Transport, MaxInboundEnforced) {
  auto ca = test_config();
  ca.max_inbound = 1;
  auto a = start_node(ca);
  auto cb = test_config();
  cb.persistent_peers = {a->addr()};
  auto b = start_node(cb);
  ASSERT_TRUE(wait_until([&] { return a->connected_to(*b); }));
  auto c = start_node(cb);
  ASSERT_TRUE(wait_until([&] { return a->saw(PeerEvent::Kind::kRefused, "too many inbound"); }))
      << a->events_text();
  EXPECT_EQ(a->t().peers().size(), 1u);
  EXPECT_FALSE(c->connected_to(*a));
  EXPECT_TRUE(a->connected_to(*b));
  // Once b leaves, c's next dial takes the slot.
  b.reset();
  ASSERT_TRUE(wait_until([&] { return c->connected_to(*a); })) << a->events_text();
  EXPECT_EQ(a->t().peers().size(), 1u);
}

TEST(Transport, MaxOutboundLimitsLearnedAddresses) {
  // d knows three addresses (seeds) but may dial only two.
  auto a = start_node(test_config());
  auto b = start_node(test_config());
  auto c = start_node(test_config());
  auto cd = test_config();
  cd.max_outbound = 2;
  cd.pex = false;
  cd.seeds = {a->addr(), b->addr(), c->addr()};
  auto d = start_node(cd);
  ASSERT_TRUE(wait_until([&] { return d->t().peers().size() == 2; }));
  // Give it time to (wrongly) dial the third one; the count must stay at two.
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(d->t().peers().size(), 2u);
}

TEST(Transport, PexTeachesAddresses) {
  // b dials a; c knows only b, learns a's address from b and dials it.
  auto a = start_node(test_config());
  auto cb = test_config();
  cb.persistent_peers = {a->addr()};
  auto b = start_node(cb);
  ASSERT_TRUE(wait_until([&] { return b->connected_to(*a); }));
  auto cc = test_config();
  cc.persistent_peers = {b->addr()};
  cc.max_outbound = 3;
  auto c = start_node(cc);
  ASSERT_TRUE(wait_until([&] { return c->connected_to(*b); }));
  ASSERT_TRUE(wait_until([&] { return c->connected_to(*a) && a->connected_to(*c); }))
      << c->events_text();
  bool found = false;
  for (const auto& p : c->t().peers()) {
    if (p.id == a->id()) found = p.outbound && !p.persistent;
  }
  EXPECT_TRUE(found);
}

TEST(Transport, SimultaneousDialsKeepOneConnection) {
  const auto ka = crypto::KeyPair::generate();
  const auto kb = crypto::KeyPair::generate();
  // Reserve ports by starting each once, then restart with the other as a persistent peer.
  auto a0 = start_node(test_config(), ka);
  auto b0 = start_node(test_config(), kb);
  const std::string a_addr = a0->addr();
  const std::string b_addr = b0->addr();
  const uint16_t pa = a0->t().listen_port();
  const uint16_t pb = b0->t().listen_port();
  a0.reset();
  b0.reset();
  auto ca = test_config();
  ca.listen_addr = "127.0.0.1:" + std::to_string(pa);
  ca.persistent_peers = {b_addr};
  auto cb = test_config();
  cb.listen_addr = "127.0.0.1:" + std::to_string(pb);
  cb.persistent_peers = {a_addr};
  auto a = start_node(ca, ka);
  auto b = start_node(cb, kb);
  ASSERT_TRUE(wait_until([&] { return a->connected_to(*b) && b->connected_to(*a); }));
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(a->t().peers().size(), 1u);
  EXPECT_EQ(b->t().peers().size(), 1u);
  ASSERT_TRUE(a->t().send(b->id(), tx_gossip("one")));
  ASSERT_TRUE(wait_until([&] { return b->received(v1::P2pMessage::kTxGossip, a->id()) == 1; }));
}

TEST(Transport, StopWithOpenConnectionsIsClean) {
  auto a = start_node(test_config());
  auto cb = test_config();
  cb.persistent_peers = {a->addr()};
  auto b = start_node(cb);
  ASSERT_TRUE(wait_until([&] { return a->connected_to(*b); }));
  a->t().stop();
  a->t().stop();  // twice is harmless
  EXPECT_TRUE(a->t().peers().empty());
  EXPECT_FALSE(a->t().send(b->id(), tx_gossip("after stop")));
  ASSERT_TRUE(wait_until([&] { return b->t().peers().empty(); }));
}

TEST(P2pAddress, ParsesAndRefuses) {
  const auto k = crypto::KeyPair::generate();
  auto a = PeerAddress::parse(k.address.to_string() + "@127.0.0.1:26656");
  ASSERT_TRUE(a) << a.status().to_string();
  EXPECT_EQ(a->id, k.address);
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 26656);
  EXPECT_EQ(a->to_string(), k.address.to_string() + "@127.0.0.1:26656");
  auto b = PeerAddress::parse("[::1]:1");
  ASSERT_TRUE(b);
  EXPECT_FALSE(b->id.has_value());
  EXPECT_EQ(b->host, "::1");
  EXPECT_EQ(b->endpoint(), "[::1]:1");
  for (const char* bad : {"", "127.0.0.1", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:65536",
                          "127.0.0.1:8x", ":80", "::1:80", "nobody@127.0.0.1:80", "[::1:80"}) {
    EXPECT_FALSE(PeerAddress::parse(bad)) << bad;
  }
}

TEST(P2pConfig, ValidateNamesTheProblem) {
  EXPECT_TRUE(test_config().validate());
  auto c = test_config();
  c.chain_id.clear();
  EXPECT_FALSE(c.validate());
  c = test_config();
  c.persistent_peers = {"not an address"};
  EXPECT_NE(c.validate().message().find("persistent peer"), std::string::npos);
  c = test_config();
  c.max_outbound = 1;
  c.persistent_peers = {"127.0.0.1:1", "127.0.0.1:2"};
  EXPECT_NE(c.validate().message().find("max_outbound"), std::string::npos);
  c = test_config();
  c.rate.burst_bytes = 1000;
  EXPECT_NE(c.validate().message().find("burst_bytes"), std::string::npos);
  c = test_config();
  c.listen_addr = "127.0.0.1";
  EXPECT_NE(c.validate().message().find("listen"), std::string::npos);
  c = test_config();
  c.listen_addr = "localhost:0";
  Transport t(c, crypto::KeyPair::generate());
  EXPECT_EQ(t.start().code(), Code::kInvalidArgument);
}

TEST(P2pChannel, MessagesRouteToTheirChannel) {
  v1::P2pMessage m;
  EXPECT_FALSE(channel_of(m).has_value());
  m.mutable_ping();
  EXPECT_FALSE(channel_of(m).has_value());
  m.mutable_tx_gossip();
  EXPECT_EQ(channel_of(m), Channel::kMempool);
  m.mutable_consensus();
  EXPECT_EQ(channel_of(m), Channel::kConsensus);
  m.mutable_block_request();
  EXPECT_EQ(channel_of(m), Channel::kBlockSync);
  m.mutable_status();
  EXPECT_EQ(channel_of(m), Channel::kBlockSync);
}

}  // namespace
}  // namespace btt::p2p

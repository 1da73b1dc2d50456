#include "btt/p2p/transport.h"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <deque>
#include <map>
#include <mutex>
#include <random>
#include <thread>
#include <utility>

#include "btt/v1/p2p.pb.h"

namespace btt::p2p {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using boost::system::error_code;

// --- addresses ------------------------------------------------------------------------------

namespace {

// HOST:PORT with HOST possibly [IPv6]; port 0 allowed only when `allow_zero`.
Status split_host_port(std::string_view text, bool allow_zero, std::string& host, uint16_t& port) {
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size()) {
    return Status(Code::kInvalidArgument, "'" + excerpt(text) + "' is not HOST:PORT");
  }
  std::string_view h = text.substr(0, colon);
  const std::string_view p = text.substr(colon + 1);
  if (h.front() == '[') {
    if (h.back() != ']' || h.size() < 3) {
      return Status(Code::kInvalidArgument, "'" + excerpt(text) + "' has a malformed [IPv6]");
    }
    h = h.substr(1, h.size() - 2);
  } else if (h.find(':') != std::string_view::npos) {
    return Status(Code::kInvalidArgument,
                  "'" + excerpt(text) + "': write an IPv6 address in brackets, [::1]:PORT");
  }
  uint32_t v = 0;
  if (p.size() > 5) return Status(Code::kInvalidArgument, "port of '" + excerpt(text) + "'");
  for (char c : p) {
    if (c < '0' || c > '9') {
      return Status(Code::kInvalidArgument, "port of '" + excerpt(text) + "' is not a number");
    }
    v = v * 10 + static_cast<uint32_t>(c - '0');
  }
  if (v > 65535 || (v == 0 && !allow_zero)) {
    return Status(Code::kInvalidArgument, "port of '" + excerpt(text) + "' is out of range");
  }
  host = std::string(h);
  port = static_cast<uint16_t>(v);
  return Status::ok();
}

std::string join_host_port(const std::string& host, uint16_t port) {
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);
  return host + ":" + std::to_string(port);
}

}  // namespace

Result<PeerAddress> PeerAddress::parse(std::string_view text) {
  PeerAddress out;
  std::string_view rest = text;
  const size_t at = text.find('@');
  if (at != std::string_view::npos) {
    auto id = NodeId::parse(text.substr(0, at));
    if (!id) {
      return Status(Code::kInvalidArgument,
                    "'" + excerpt(text) + "': the part before @ is not a node id (btt1...)");
    }
    out.id = *id;
    rest = text.substr(at + 1);
  }
  Status st = split_host_port(rest, /*allow_zero=*/false, out.host, out.port);
  if (!st) return st;
  return out;
}

std::string PeerAddress::endpoint() const {
  return join_host_port(host, port);
}

std::string PeerAddress::to_string() const {
  return id ? id->to_string() + "@" + endpoint() : endpoint();
}

Status TransportConfig::validate() const {
  auto bad = [](const std::string& what) { return Status(Code::kInvalidArgument, what); };
  if (chain_id.empty()) return bad("p2p: chain_id is empty");
  std::string host;
  uint16_t port = 0;
  if (Status st = split_host_port(listen_addr, /*allow_zero=*/true, host, port); !st) {
    return bad("p2p listen address: " + st.message());
  }
  for (const auto& p : persistent_peers) {
    auto a = PeerAddress::parse(p);
    if (!a) return bad("p2p persistent peer: " + a.status().message());
  }
  for (const auto& p : seeds) {
    auto a = PeerAddress::parse(p);
    if (!a) return bad("p2p seed: " + a.status().message());
  }
  if (max_outbound == 0 && !persistent_peers.empty()) {
    return bad("p2p: max_outbound is 0 but persistent peers are configured");
  }
  if (persistent_peers.size() > max_outbound) {
    return bad("p2p: more persistent peers (" + std::to_string(persistent_peers.size()) +
               ") than max_outbound (" + std::to_string(max_outbound) + ")");
  }
  if (handshake_timeout.count() <= 0) return bad("p2p: handshake_timeout must be positive");
  if (dial_backoff_min.count() <= 0 || dial_backoff_max < dial_backoff_min) {
    return bad("p2p: dial backoff needs 0 < dial_backoff_min <= dial_backoff_max");
  }
  if (ban_duration.count() < 0) return bad("p2p: ban_duration is negative");
  if (pex_interval.count() <= 0) return bad("p2p: pex_interval must be positive");
  if (ping_interval.count() <= 0 || idle_timeout <= ping_interval) {
    return bad("p2p: needs 0 < ping_interval < idle_timeout");
  }
  if (rate.bytes_per_s == 0 || rate.msgs_per_s == 0) return bad("p2p: rate limits must be > 0");
  if (rate.burst_bytes < kMaxFramePayload + kFrameHeaderSize + kFrameTagSize) {
    return bad("p2p: rate.burst_bytes must hold one largest frame (4 MiB + 20 bytes)");
  }
  if (rate.burst_msgs == 0) return bad("p2p: rate.burst_msgs must be > 0");
  if (max_send_queue_bytes < kMaxFramePayload + kFrameHeaderSize + kFrameTagSize) {
    return bad("p2p: max_send_queue_bytes must hold one largest frame");
  }
  return Status::ok();
}

std::optional<Channel> channel_of(const v1::P2pMessage& msg) {
  switch (msg.msg_case()) {
    case v1::P2pMessage::kConsensus:
      return Channel::kConsensus;
    case v1::P2pMessage::kTxGossip:
      return Channel::kMempool;
    case v1::P2pMessage::kBlockRequest:
    case v1::P2pMessage::kBlockResponse:
    case v1::P2pMessage::kStatus:
      return Channel::kBlockSync;
    default:
      return std::nullopt;
  }
}

// --- internals ------------------------------------------------------------------------------

namespace {

class TokenBucket {
 public:
  void reset(double rate, double capacity, Clock::time_point now) {
    rate_ = rate;
    capacity_ = capacity;
    tokens_ = capacity;
    last_ = now;
  }
  // Takes n tokens if there are that many.
  bool take(double n, Clock::time_point now) {
    const double dt = std::chrono::duration<double>(now - last_).count();
    last_ = now;
    tokens_ = std::min(capacity_, tokens_ + dt * rate_);
    if (tokens_ < n) return false;
    tokens_ -= n;
    return true;
  }

 private:
  double rate_ = 0;
  double capacity_ = 0;
  double tokens_ = 0;
  Clock::time_point last_;
};

// A dialable address and its dial state. Keyed by endpoint in the address book.
// Failed dials after which a learned (not configured, never reached) address is dropped.
constexpr uint32_t kMaxLearnedFailures = 8;

struct BookEntry {
  PeerAddress addr;
  bool persistent = false;
  bool pinned_id = false;  // addr.id came with the address: the dialer refuses any other node
  bool verified = false;   // this node completed a handshake with it
  bool self = false;       // leads back to this node: never dialed
  bool dialing = false;    // a connection from this entry is open (handshaking or established)
  uint32_t failures = 0;
  Clock::time_point next_dial{};
};

}  // namespace

struct Peer;

namespace detail {

struct TransportImpl {
  // First member: destroyed last, after everything that holds its sockets and timers.
  asio::io_context io;

  TransportConfig cfg;
  LocalNode local;
  std::string listen_host;
  std::array<MessageHandler, kChannelCount> handlers;
  EventHandler on_event;

  tcp::acceptor acceptor{io};
  asio::steady_timer accept_retry_timer{io};
  asio::steady_timer dial_timer{io};
  asio::steady_timer pex_timer{io};
  std::thread thread;
  bool started = false;
  std::atomic<bool> stopping{false};
  uint16_t port = 0;

  // io thread only.
  uint64_t next_serial = 1;
  std::map<uint64_t, std::shared_ptr<Peer>> conns;  // every open connection
  std::map<NodeId, std::shared_ptr<Peer>> by_id;    // established ones
  std::map<std::string, BookEntry> book;            // by endpoint
  uint32_t inbound = 0;
  uint32_t outbound = 0;
  std::mt19937_64 rng{std::random_device{}()};

  // Read from other threads.
  mutable std::mutex mu;
  std::map<NodeId, PeerInfo> snapshot;
  std::map<std::string, Clock::time_point> banned_ips;
  std::map<NodeId, Clock::time_point> banned_ids;

  TransportImpl(TransportConfig c, crypto::KeyPair key) : cfg(std::move(c)) {
    local.key = key;
    local.chain_id = cfg.chain_id;
  }

  // --- io-thread logic (defined below) ---
  void start_accept();
  void dial_tick();
  void pex_tick();
  void maybe_dial();
  void dial(BookEntry& entry);
  void add_address(const PeerAddress& addr, bool persistent, bool verified);
  [[nodiscard]] Status on_authenticated(const std::shared_ptr<Peer>& peer);
  void on_closed(Peer& peer, const Status& reason, bool ban);
  [[nodiscard]] Status dispatch(Peer& peer, const v1::P2pMessage& msg);
  void emit(PeerEvent event);
  void ban(const std::string& ip, const std::optional<NodeId>& id);
  void close_all();
  [[nodiscard]] std::chrono::milliseconds backoff(uint32_t failures);

  [[nodiscard]] bool ip_banned(const std::string& ip) {
    std::lock_guard lock(mu);
    auto it = banned_ips.find(ip);
    if (it == banned_ips.end()) return false;
    if (it->second <= Clock::now()) {
      banned_ips.erase(it);
      return false;
    }
    return true;
  }
  [[nodiscard]] bool id_banned(const NodeId& id) {
    std::lock_guard lock(mu);
    auto it = banned_ids.find(id);
    if (it == banned_ids.end()) return false;
    if (it->second <= Clock::now()) {
      banned_ids.erase(it);
      return false;
    }
    return true;
  }
};

}  // namespace detail

using detail::TransportImpl;

// One connection. Lives in Impl::conns while open; the async operations in flight hold it too.
// Its destructor never touches Impl, which may already be gone.
struct Peer : std::enable_shared_from_this<Peer> {
  enum class State { kHandshake, kEstablished, kClosed };

  Peer(TransportImpl& impl, tcp::socket socket, bool is_outbound)
      : t(impl),
        sock(std::move(socket)),
        outbound(is_outbound),
        hs_timer(impl.io),
        ping_timer(impl.io) {}
  ~Peer() {
    if (codec) codec->wipe();
  }

  TransportImpl& t;
  uint64_t serial = 0;
  tcp::socket sock;
  bool outbound;
  bool persistent = false;
  std::string book_key;  // outbound: the address book entry it was dialed from
  std::optional<NodeId> expected;
  std::string remote;  // IP:PORT
  std::string remote_ip;
  State state = State::kHandshake;
  bool counted = false;           // holds an inbound/outbound slot
  bool was_established = false;   // set when it closes
  std::optional<NodeId> peer_id;  // once its signature verified

  std::unique_ptr<Handshake> hs;
  std::optional<FrameCodec> codec;
  PeerIdentity identity;
  asio::steady_timer hs_timer;

  Bytes hello_buf;
  std::array<char, kFrameHeaderSize> header{};
  Bytes body;
  std::deque<Bytes> wq;
  size_t wq_bytes = 0;
  bool writing = false;

  TokenBucket bytes_bucket;
  TokenBucket msgs_bucket;
  asio::steady_timer ping_timer;
  Clock::time_point last_recv{};
  bool pex_requested = false;
  Clock::time_point last_pex_answer{};

  void set_remote() {
    error_code ec;
    auto ep = sock.remote_endpoint(ec);
    if (!ec) {
      remote_ip = ep.address().to_string();
      remote = join_host_port(remote_ip, ep.port());
    }
  }

  // Bounds connecting (outbound) and then the handshake.
  void arm_deadline(const char* what) {
    hs_timer.expires_after(t.cfg.handshake_timeout);
    hs_timer.async_wait([self = shared_from_this(), what](const error_code& e) {
      if (e || self->state != State::kHandshake) return;
      self->fail(Status(Code::kUnavailable, std::string(what) + " timed out"), /*ban=*/false);
    });
  }

  void start_handshake() {
    set_remote();
    error_code ec;
    sock.set_option(tcp::no_delay(true), ec);
    hs = std::make_unique<Handshake>(outbound ? Role::kInitiator : Role::kResponder, t.local,
                                     expected);
    arm_deadline("handshake");
    enqueue(hs->hello());
    hello_buf.assign(kHelloSize, '\0');
    asio::async_read(
        sock, asio::buffer(hello_buf),
        [self = shared_from_this()](const error_code& e, size_t) { self->on_hello(e); });
  }

  void on_hello(const error_code& e) {
    if (state == State::kClosed) return;
    if (e) return fail(io_error("reading the hello", e), false);
    if (Status st = hs->read_hello(hello_buf); !st) return fail(st, is_misbehaviour(st));
    auto auth = hs->auth_frame();
    if (!auth) return fail(auth.status(), false);
    enqueue(std::move(*auth));
    read_header();
  }

  void read_header() {
    asio::async_read(
        sock, asio::buffer(header),
        [self = shared_from_this()](const error_code& e, size_t) { self->on_header(e); });
  }

  FrameCodec& reader() { return state == State::kHandshake ? hs->codec() : *codec; }

  void on_header(const error_code& e) {
    if (state == State::kClosed) return;
    if (e) return fail(io_error("reading a frame", e), false);
    const std::string_view h(header.data(), header.size());
    auto len = reader().read_length(h);
    if (!len) return fail(len.status(), true);  // oversize or undersize: refused before reading
    if (state == State::kEstablished) {
      const auto now = Clock::now();
      last_recv = now;
      if (!bytes_bucket.take(static_cast<double>(kFrameHeaderSize + *len), now) ||
          !msgs_bucket.take(1, now)) {
        return fail(Status(Code::kMalformed, "flooding: over the rate limit"), true);
      }
    }
    body.resize(*len);
    asio::async_read(
        sock, asio::buffer(body),
        [self = shared_from_this()](const error_code& e2, size_t) { self->on_body(e2); });
  }

  void on_body(const error_code& e) {
    if (state == State::kClosed) return;
    if (e) return fail(io_error("reading a frame", e), false);
    const std::string_view h(header.data(), header.size());
    auto payload = reader().decrypt(h, body);
    // Do not keep a 4 MiB buffer per peer after one large frame.
    if (body.capacity() > (64u << 10)) Bytes().swap(body);
    if (!payload) return fail(payload.status(), true);

    if (state == State::kHandshake) {
      auto id = hs->read_auth(*payload);
      if (!id) {
        if (hs->verified_peer() && *hs->verified_peer() == t.local.key.address &&
            t.book.count(book_key) != 0) {
          t.book[book_key].self = true;
        }
        return fail(id.status(), is_misbehaviour(id.status()));
      }
      identity = *id;
      if (Status st = t.on_authenticated(shared_from_this()); !st) return fail(st, false);
      codec.emplace(hs->take_codec());
      hs.reset();
      hs_timer.cancel();
      state = State::kEstablished;
      const auto now = Clock::now();
      bytes_bucket.reset(static_cast<double>(t.cfg.rate.bytes_per_s),
                         static_cast<double>(t.cfg.rate.burst_bytes), now);
      msgs_bucket.reset(t.cfg.rate.msgs_per_s, t.cfg.rate.burst_msgs, now);
      last_recv = now;
      schedule_ping();
      t.emit({PeerEvent::Kind::kConnected, identity.id, remote, outbound, ""});
      spdlog::info("p2p: connected to {} at {} ({})", identity.id.to_string(), remote,
                   outbound ? "outbound" : "inbound");
      if (outbound && t.cfg.pex) {
        v1::P2pMessage req;
        req.mutable_pex_request();
        pex_requested = true;
        send(req);
      }
      return read_header();
    }

    v1::P2pMessage msg;
    if (!msg.ParseFromArray(payload->data(), static_cast<int>(payload->size()))) {
      return fail(Status(Code::kMalformed, "frame payload is not a P2pMessage"), true);
    }
    if (Status st = t.dispatch(*this, msg); !st) return fail(st, true);
    if (state == State::kEstablished) read_header();
  }

  void send(const v1::P2pMessage& msg) { send_payload(msg.SerializeAsString()); }

  // Every ping_interval: a Ping, so a quiet but live peer always has something to answer; a
  // peer from which nothing arrived for idle_timeout (a dead host, a half-open connection) is
  // dropped.
  void schedule_ping() {
    ping_timer.expires_after(t.cfg.ping_interval);
    ping_timer.async_wait([self = shared_from_this()](const error_code& e) {
      if (e || self->state != State::kEstablished) return;
      if (Clock::now() - self->last_recv > self->t.cfg.idle_timeout) {
        return self->fail(Status(Code::kUnavailable, "idle: nothing received within idle_timeout"),
                          false);
      }
      v1::P2pMessage ping;
      ping.mutable_ping()->set_nonce(self->t.rng());
      self->send(ping);
      self->schedule_ping();
    });
  }

  // `payload` is a serialized P2pMessage.
  void send_payload(std::string_view payload) {
    if (state != State::kEstablished) return;
    auto frame = codec->encode(payload);
    if (!frame) {
      if (frame.status().code() == Code::kInvalidArgument) {
        spdlog::warn("p2p: not sending a message to {}: {}", identity.id.to_string(),
                     frame.status().message());
        return;
      }
      return fail(frame.status(), false);
    }
    enqueue(std::move(*frame));
  }

  void enqueue(Bytes bytes) {
    if (state == State::kClosed) return;
    wq_bytes += bytes.size();
    if (wq_bytes > t.cfg.max_send_queue_bytes) {
      return fail(Status(Code::kUnavailable, "send queue full: the peer reads too slowly"), false);
    }
    wq.push_back(std::move(bytes));
    if (!writing) write_next();
  }

  void write_next() {
    if (wq.empty() || state == State::kClosed) {
      writing = false;
      return;
    }
    writing = true;
    asio::async_write(sock, asio::buffer(wq.front()),
                      [self = shared_from_this()](const error_code& e, size_t) {
                        if (self->state == State::kClosed) return;
                        if (e) return self->fail(io_error("writing", e), false);
                        self->wq_bytes -= self->wq.front().size();
                        self->wq.pop_front();
                        self->write_next();
                      });
  }

  static Status io_error(const char* what, const error_code& e) {
    if (e == asio::error::eof) return Status(Code::kUnavailable, "peer closed the connection");
    return Status(Code::kUnavailable, std::string(what) + ": " + e.message());
  }

  // Closes the socket and wipes the keys; Impl then forgets the connection.
  void close() {
    if (state == State::kClosed) return;
    state = State::kClosed;
    error_code ec;
    hs_timer.cancel();
    ping_timer.cancel();
    sock.shutdown(tcp::socket::shutdown_both, ec);
    sock.close(ec);
    if (codec) codec->wipe();
    hs.reset();
    wq.clear();
    wq_bytes = 0;
  }

  void fail(const Status& reason, bool ban) {
    if (state == State::kClosed) return;
    auto keep = shared_from_this();
    was_established = state == State::kEstablished;
    if (hs && hs->verified_peer()) peer_id = hs->verified_peer();
    close();
    t.on_closed(*this, reason, ban);
  }
};

// --- Impl ------------------------------------------------------------------------------------

void detail::TransportImpl::emit(PeerEvent event) {
  if (!on_event) return;
  try {
    on_event(event);
  } catch (const std::exception& e) {
    spdlog::error("p2p: event handler threw: {}", e.what());
  }
}

void detail::TransportImpl::ban(const std::string& ip, const std::optional<NodeId>& id) {
  if (cfg.ban_duration.count() == 0) return;
  const auto until = Clock::now() + cfg.ban_duration;
  std::lock_guard lock(mu);
  if (cfg.ban_ips && !ip.empty()) banned_ips[ip] = until;
  if (id) banned_ids[*id] = until;
}

std::chrono::milliseconds detail::TransportImpl::backoff(uint32_t failures) {
  auto d = cfg.dial_backoff_min;
  for (uint32_t i = 1; i < failures && d < cfg.dial_backoff_max; ++i) d *= 2;
  d = std::min(d, cfg.dial_backoff_max);
  // Up to +25% jitter, so two nodes that refused each other do not redial in lockstep.
  std::uniform_int_distribution<int64_t> jitter(0, d.count() / 4);
  return d + std::chrono::milliseconds(jitter(rng));
}

void detail::TransportImpl::start_accept() {
  if (stopping) return;
  acceptor.async_accept([this](const error_code& e, tcp::socket socket) {
    if (stopping || e == asio::error::operation_aborted) return;
    if (e) {
      // Out of file descriptors and the like: wait a little instead of spinning.
      spdlog::warn("p2p: accept failed: {}", e.message());
      accept_retry_timer.expires_after(std::chrono::milliseconds(100));
      accept_retry_timer.async_wait([this](const error_code& e2) {
        if (!e2) start_accept();
      });
      return;
    }
    error_code ec;
    auto ep = socket.remote_endpoint(ec);
    const std::string ip = ec ? std::string() : ep.address().to_string();
    const std::string remote = ec ? std::string() : join_host_port(ip, ep.port());
    if (ec) {
      socket.close(ec);
    } else if (ip_banned(ip)) {
      socket.close(ec);
      emit({PeerEvent::Kind::kRefused, std::nullopt, remote, false, "IP is banned"});
    } else if (inbound >= cfg.max_inbound) {
      socket.close(ec);
      emit({PeerEvent::Kind::kRefused, std::nullopt, remote, false,
            "too many inbound peers (max_inbound " + std::to_string(cfg.max_inbound) + ")"});
    } else {
      auto peer = std::make_shared<Peer>(*this, std::move(socket), /*is_outbound=*/false);
      peer->serial = next_serial++;
      peer->counted = true;
      ++inbound;
      conns[peer->serial] = peer;
      peer->start_handshake();
    }
    start_accept();
  });
}

void detail::TransportImpl::add_address(const PeerAddress& addr, bool persistent, bool verified) {
  const std::string key = addr.endpoint();
  auto it = book.find(key);
  if (it == book.end()) {
    if (!persistent && book.size() >= cfg.max_address_book) return;
    BookEntry e;
    e.addr = addr;
    e.persistent = persistent;
    e.verified = verified;
    e.pinned_id = addr.id.has_value();
    book.emplace(key, std::move(e));
    return;
  }
  BookEntry& e = it->second;
  e.persistent = e.persistent || persistent;
  // A learned id never overrides one the operator configured or a handshake verified.
  if (!e.pinned_id && addr.id && !e.addr.id) {
    e.addr.id = addr.id;
    e.pinned_id = true;
  }
}

void detail::TransportImpl::dial(BookEntry& entry) {
  entry.dialing = true;
  ++outbound;
  auto peer = std::make_shared<Peer>(*this, tcp::socket(io), /*is_outbound=*/true);
  peer->serial = next_serial++;
  peer->counted = true;
  peer->persistent = entry.persistent;
  peer->book_key = entry.addr.endpoint();
  peer->expected = entry.pinned_id ? entry.addr.id : std::nullopt;
  peer->remote = entry.addr.endpoint();
  conns[peer->serial] = peer;
  peer->arm_deadline("connecting");
  auto resolver = std::make_shared<tcp::resolver>(io);
  resolver->async_resolve(
      entry.addr.host, std::to_string(entry.addr.port),
      [this, peer, resolver](const error_code& e, const tcp::resolver::results_type& results) {
        if (peer->state == Peer::State::kClosed) return;
        if (e) return peer->fail(Peer::io_error("resolving", e), false);
        asio::async_connect(
            peer->sock, results, [this, peer](const error_code& e2, const tcp::endpoint&) {
              if (peer->state == Peer::State::kClosed) return;
              if (e2) return peer->fail(Peer::io_error("connecting", e2), false);
              error_code ec;
              const auto ep = peer->sock.remote_endpoint(ec);
              if (!ec && ip_banned(ep.address().to_string())) {
                return peer->fail(Status(Code::kUnavailable, "IP is banned"), false);
              }
              peer->start_handshake();
            });
      });
}

void detail::TransportImpl::maybe_dial() {
  if (stopping) return;
  const auto now = Clock::now();
  auto dialable = [&](const BookEntry& e) {
    if (e.dialing || e.self || now < e.next_dial) return false;
    if (e.addr.id && (by_id.count(*e.addr.id) != 0 || id_banned(*e.addr.id))) return false;
    return true;
  };
  // Persistent peers first; they always get a slot (validate() keeps them within max_outbound).
  uint32_t persistent_waiting = 0;
  for (auto& [key, e] : book) {
    if (!e.persistent) continue;
    if (dialable(e)) {
      dial(e);
    } else if (!e.dialing && !(e.addr.id && by_id.count(*e.addr.id) != 0)) {
      ++persistent_waiting;
    }
  }
  // Then learned addresses and seeds, leaving room for persistent peers that are backing off.
  for (auto& [key, e] : book) {
    if (outbound + persistent_waiting >= cfg.max_outbound) break;
    if (e.persistent || !e.addr.id || !dialable(e)) continue;
    dial(e);
  }
}

void detail::TransportImpl::dial_tick() {
  if (stopping) return;
  maybe_dial();
  const auto tick = std::clamp(cfg.dial_backoff_min / 2, std::chrono::milliseconds(10),
                               std::chrono::milliseconds(500));
  dial_timer.expires_after(tick);
  dial_timer.async_wait([this](const error_code& e) {
    if (!e) dial_tick();
  });
}

void detail::TransportImpl::pex_tick() {
  if (stopping) return;
  if (cfg.pex && outbound < cfg.max_outbound && !by_id.empty()) {
    // Ask one established peer, chosen at random, for more addresses.
    auto it = by_id.begin();
    std::advance(it, static_cast<long>(rng() % by_id.size()));
    v1::P2pMessage req;
    req.mutable_pex_request();
    it->second->pex_requested = true;
    it->second->send(req);
  }
  pex_timer.expires_after(cfg.pex_interval);
  pex_timer.async_wait([this](const error_code& e) {
    if (!e) pex_tick();
  });
}

Status detail::TransportImpl::on_authenticated(const std::shared_ptr<Peer>& peer) {
  const NodeId& id = peer->identity.id;
  if (id_banned(id)) return Status(Code::kUnavailable, "node id " + id.to_string() + " is banned");
  if (auto it = by_id.find(id); it != by_id.end()) {
    // Two connections to one node (both dialed at once): both sides keep the one dialed by the
    // smaller node id, so they agree on which survives.
    const std::shared_ptr<Peer> old = it->second;
    const NodeId& self = local.key.address;
    auto dialer = [&](const Peer& p) { return p.outbound ? self : id; };
    const NodeId keep_dialer = std::min(self, id);
    if (old->outbound == peer->outbound || dialer(*old) == keep_dialer) {
      return Status(Code::kUnavailable, "already connected to " + id.to_string());
    }
    old->fail(Status(Code::kUnavailable, "duplicate connection replaced"), false);
  }
  if (peer->outbound) {
    if (auto b = book.find(peer->book_key); b != book.end()) {
      b->second.verified = true;
      b->second.failures = 0;
      // HOST:PORT without an id: remember who answered (for PEX) without pinning it, so a node
      // that changes its key there is still accepted.
      if (!b->second.pinned_id) b->second.addr.id = id;
    }
  } else if (cfg.pex && peer->identity.listen_port != 0 && !peer->remote_ip.empty()) {
    PeerAddress learned;
    learned.id = id;
    learned.host = peer->remote_ip;
    learned.port = static_cast<uint16_t>(peer->identity.listen_port);
    add_address(learned, false, false);
  }
  by_id[id] = peer;
  std::lock_guard lock(mu);
  snapshot[id] =
      PeerInfo{id, peer->remote, peer->outbound, peer->persistent, peer->identity.listen_port};
  return Status::ok();
}

void detail::TransportImpl::on_closed(Peer& peer, const Status& reason, bool ban_peer) {
  const bool was_established = peer.was_established;
  std::optional<NodeId> id = peer.peer_id;
  if (was_established) {
    id = peer.identity.id;
    if (auto it = by_id.find(*id); it != by_id.end() && it->second.get() == &peer) {
      by_id.erase(it);
      std::lock_guard lock(mu);
      snapshot.erase(*id);
    }
  }
  if (peer.counted) {
    (peer.outbound ? outbound : inbound) -= 1;
    peer.counted = false;
  }
  if (peer.outbound) {
    if (auto b = book.find(peer.book_key); b != book.end()) {
      BookEntry& e = b->second;
      e.dialing = false;
      if (was_established) {
        e.failures = 0;
        e.next_dial = Clock::now() + cfg.dial_backoff_min;
      } else {
        ++e.failures;
        e.next_dial = Clock::now() + backoff(e.failures);
      }
      // A learned address that keeps failing is forgotten; configured ones are kept forever.
      if (!e.persistent && !e.verified && !e.self && e.failures >= kMaxLearnedFailures) {
        book.erase(b);
      }
    }
  }
  conns.erase(peer.serial);
  if (stopping) return;

  const std::string who = id ? id->to_string() + " at " + peer.remote : peer.remote;
  if (ban_peer && cfg.ban_duration.count() > 0) {
    ban(peer.remote_ip, id);
    spdlog::warn("p2p: banned {} for {} s: {}", who, cfg.ban_duration.count() / 1000,
                 reason.message());
    emit({PeerEvent::Kind::kBanned, id, peer.remote, peer.outbound, reason.message()});
  } else if (was_established) {
    spdlog::info("p2p: disconnected from {}: {}", who, reason.message());
    emit({PeerEvent::Kind::kDisconnected, id, peer.remote, peer.outbound, reason.message()});
  } else {
    // A peer on another chain, version or key is an operator's problem: say it at info level.
    if (reason.code() == Code::kWrongChainId || reason.code() == Code::kInvalidArgument) {
      spdlog::info("p2p: connection with {} refused: {}", who, reason.message());
    } else {
      spdlog::debug("p2p: connection with {} refused: {}", who, reason.message());
    }
    emit({PeerEvent::Kind::kRefused, id, peer.remote, peer.outbound, reason.message()});
  }
}

Status detail::TransportImpl::dispatch(Peer& peer, const v1::P2pMessage& msg) {
  switch (msg.msg_case()) {
    case v1::P2pMessage::kPing: {
      v1::P2pMessage pong;
      pong.mutable_pong()->set_nonce(msg.ping().nonce());
      peer.send(pong);
      return Status::ok();
    }
    case v1::P2pMessage::kPong:
      return Status::ok();
    case v1::P2pMessage::kPexRequest: {
      if (!cfg.pex) return Status::ok();
      const auto now = Clock::now();
      // One answer per half interval: more requests are ignored, not punished.
      if (peer.last_pex_answer != Clock::time_point{} &&
          now - peer.last_pex_answer < cfg.pex_interval / 2) {
        return Status::ok();
      }
      peer.last_pex_answer = now;
      v1::P2pMessage out;
      auto* addrs = out.mutable_pex_addrs();
      for (const auto& [key, e] : book) {
        if (addrs->addrs_size() >= static_cast<int>(kMaxPexAddrs)) break;
        if (!e.addr.id || e.self || *e.addr.id == peer.identity.id) continue;
        // Addresses this node reached itself, or of peers connected now.
        if (!e.verified && by_id.count(*e.addr.id) == 0) continue;
        if (id_banned(*e.addr.id)) continue;
        addrs->add_addrs(e.addr.to_string());
      }
      peer.send(out);
      return Status::ok();
    }
    case v1::P2pMessage::kPexAddrs: {
      if (!peer.pex_requested) return Status::ok();  // unsolicited: ignored
      peer.pex_requested = false;
      if (msg.pex_addrs().addrs_size() > static_cast<int>(kMaxPexAddrs)) {
        return Status(Code::kMalformed,
                      "PexAddrs with more than " + std::to_string(kMaxPexAddrs) + " addresses");
      }
      for (const auto& text : msg.pex_addrs().addrs()) {
        auto a = PeerAddress::parse(text);
        if (!a || !a->id || *a->id == local.key.address) continue;
        add_address(*a, false, false);
      }
      maybe_dial();
      return Status::ok();
    }
    case v1::P2pMessage::MSG_NOT_SET:
      return Status(Code::kMalformed, "empty or unknown P2pMessage");
    default:
      break;
  }
  const auto channel = channel_of(msg);
  if (!channel) return Status(Code::kMalformed, "unknown P2pMessage");
  const auto& handler = handlers[static_cast<size_t>(*channel)];
  if (handler) {
    try {
      handler(peer.identity.id, msg);
    } catch (const std::exception& e) {
      spdlog::error("p2p: message handler threw: {}", e.what());
    }
  }
  return Status::ok();
}

void detail::TransportImpl::close_all() {
  error_code ec;
  acceptor.close(ec);
  accept_retry_timer.cancel();
  dial_timer.cancel();
  pex_timer.cancel();
  auto all = std::move(conns);
  for (auto& [serial, peer] : all) peer->close();
  by_id.clear();
  std::lock_guard lock(mu);
  snapshot.clear();
}

// --- Transport -------------------------------------------------------------------------------

Transport::Transport(TransportConfig config, crypto::KeyPair node_key)
    : impl_(std::make_unique<TransportImpl>(std::move(config), node_key)) {}

Transport::~Transport() {
  stop();
}

void Transport::set_handler(Channel channel, MessageHandler handler) {
  impl_->handlers[static_cast<size_t>(channel)] = std::move(handler);
}

void Transport::set_event_handler(EventHandler handler) {
  impl_->on_event = std::move(handler);
}

Status Transport::start() {
  TransportImpl& t = *impl_;
  if (t.started) return Status(Code::kInternal, "p2p transport already started");
  if (Status st = t.cfg.validate(); !st) return st;

  std::string host;
  uint16_t port = 0;
  (void)split_host_port(t.cfg.listen_addr, true, host, port);  // validated above
  error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (ec) {
    return Status(Code::kInvalidArgument,
                  "p2p listen address '" + t.cfg.listen_addr + "': HOST must be an IP address");
  }
  const tcp::endpoint ep(address, port);
  // SO_REUSEADDR only lets a restarted node bind while old connections sit in TIME_WAIT; without
  // SO_REUSEPORT a second listener on the same port still fails with EADDRINUSE.
  t.acceptor.open(ep.protocol(), ec);
  if (!ec) t.acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) t.acceptor.bind(ep, ec);
  if (ec == asio::error::address_in_use) {
    t.acceptor.close(ec);
    return Status(Code::kUnavailable, "p2p listen address " + t.cfg.listen_addr +
                                          " is already in use (is another node running?)");
  }
  if (!ec) t.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    const std::string why = ec.message();
    t.acceptor.close(ec);
    return Status(Code::kUnavailable, "p2p cannot listen on " + t.cfg.listen_addr + ": " + why);
  }
  t.port = t.acceptor.local_endpoint(ec).port();
  t.listen_host = host;
  t.local.listen_port = t.port;

  for (const auto& p : t.cfg.persistent_peers) t.add_address(*PeerAddress::parse(p), true, false);
  for (const auto& p : t.cfg.seeds) t.add_address(*PeerAddress::parse(p), false, false);

  t.started = true;
  t.start_accept();
  t.dial_tick();
  t.pex_timer.expires_after(t.cfg.pex_interval);
  t.pex_timer.async_wait([&t](const error_code& e) {
    if (!e) t.pex_tick();
  });
  t.thread = std::thread([&t] {
    pthread_setname_np(pthread_self(), "p2p-io");
    t.io.run();
  });
  spdlog::info("p2p: node {} listening on {}", t.local.key.address.to_string(),
               join_host_port(host, t.port));
  return Status::ok();
}

void Transport::stop() {
  TransportImpl& t = *impl_;
  if (!t.started || t.stopping.exchange(true)) return;
  asio::post(t.io, [&t] {
    t.close_all();
    t.io.stop();
  });
  if (t.thread.joinable()) t.thread.join();
}

const NodeId& Transport::node_id() const {
  return impl_->local.key.address;
}

uint16_t Transport::listen_port() const {
  return impl_->port;
}

std::string Transport::address() const {
  return impl_->local.key.address.to_string() + "@" +
         join_host_port(impl_->listen_host, impl_->port);
}

bool Transport::send(const NodeId& to, const v1::P2pMessage& msg) {
  TransportImpl& t = *impl_;
  if (!t.started || t.stopping) return false;
  if (msg.ByteSizeLong() > kMaxFramePayload) return false;
  if (!is_connected(to)) return false;
  asio::post(t.io, [&t, to, payload = msg.SerializeAsString()] {
    auto it = t.by_id.find(to);
    if (it != t.by_id.end()) it->second->send_payload(payload);
  });
  return true;
}

size_t Transport::broadcast(const v1::P2pMessage& msg) {
  TransportImpl& t = *impl_;
  if (!t.started || t.stopping) return 0;
  if (msg.ByteSizeLong() > kMaxFramePayload) return 0;
  size_t n = 0;
  {
    std::lock_guard lock(t.mu);
    n = t.snapshot.size();
  }
  asio::post(t.io, [&t, payload = msg.SerializeAsString()] {
    // Copied: send_payload may close a peer, which erases it from by_id.
    auto peers = t.by_id;
    for (auto& [id, peer] : peers) peer->send_payload(payload);
  });
  return n;
}

std::vector<PeerInfo> Transport::peers() const {
  std::lock_guard lock(impl_->mu);
  std::vector<PeerInfo> out;
  for (const auto& [id, info] : impl_->snapshot) out.push_back(info);
  return out;
}

bool Transport::is_connected(const NodeId& id) const {
  std::lock_guard lock(impl_->mu);
  return impl_->snapshot.count(id) != 0;
}

bool Transport::is_banned(const NodeId& id) const {
  return impl_->id_banned(id);
}

bool Transport::is_banned_ip(const std::string& ip) const {
  return impl_->ip_banned(ip);
}

}  // namespace btt::p2p

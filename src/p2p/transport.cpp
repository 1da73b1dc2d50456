#include "btt/p2p/transport.h"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <map>
#include <mutex>
#include <random>
#include <thread>
#include <utility>

#include "address_book.h"
#include "btt/v1/p2p.pb.h"
#include "connection.h"
#include "host_port.h"

namespace btt::p2p {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using boost::system::error_code;

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

namespace detail {

// The listener, the peer table and the bans; connections (connection.h) and the address book
// (address_book.h) are their own.
struct TransportImpl final : ConnectionOwner {
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
  std::map<uint64_t, std::shared_ptr<Connection>> conns;  // every open connection
  std::map<NodeId, std::shared_ptr<Connection>> by_id;    // established ones
  std::mt19937_64 rng{std::random_device{}()};
  AddressBook book;
  uint32_t inbound = 0;
  uint32_t outbound = 0;

  // Read from other threads.
  mutable std::mutex mu;
  std::map<NodeId, PeerInfo> snapshot;
  std::map<std::string, Clock::time_point> banned_ips;
  std::map<NodeId, Clock::time_point> banned_ids;

  TransportImpl(TransportConfig c, crypto::KeyPair key)
      : cfg(std::move(c)),
        book(AddressBookLimits{cfg.max_address_book, cfg.dial_backoff_min, cfg.dial_backoff_max,
                               kMaxPexAddrs},
             rng) {
    local.key = key;
    local.chain_id = cfg.chain_id;
  }

  // --- io-thread logic (defined below) ---
  void start_accept();
  void dial_tick();
  void pex_tick();
  void maybe_dial();
  void dial(const AddressBook::Dial& target);
  void emit(PeerEvent event);
  void ban(const std::string& ip, const std::optional<NodeId>& id);
  void close_all();
  [[nodiscard]] std::shared_ptr<Connection> make_connection(tcp::socket socket, bool outbound);

  // ConnectionOwner
  [[nodiscard]] Status on_authenticated(const std::shared_ptr<Connection>& conn) override;
  void on_established(Connection& conn) override;
  void on_self(Connection& conn) override;
  [[nodiscard]] Status dispatch(Connection& conn, const v1::P2pMessage& msg) override;
  void on_closed(Connection& conn, const Status& reason, bool ban) override;
  [[nodiscard]] uint64_t nonce() override { return rng(); }

  [[nodiscard]] bool connected(const NodeId& id) const { return by_id.count(id) != 0; }
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

std::shared_ptr<Connection> detail::TransportImpl::make_connection(tcp::socket socket,
                                                                   bool is_outbound) {
  auto conn = std::make_shared<Connection>(io, std::move(socket), is_outbound, *this, cfg, local);
  conn->serial = next_serial++;
  conn->counted = true;
  ++(is_outbound ? outbound : inbound);
  conns[conn->serial] = conn;
  return conn;
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
      make_connection(std::move(socket), /*is_outbound=*/false)->start_handshake();
    }
    start_accept();
  });
}

void detail::TransportImpl::dial(const AddressBook::Dial& target) {
  auto peer = make_connection(tcp::socket(io), /*is_outbound=*/true);
  peer->persistent = target.persistent;
  peer->book_key = target.key;
  peer->expected = target.expected;
  peer->remote = target.addr.endpoint();
  peer->arm_deadline("connecting");
  auto resolver = std::make_shared<tcp::resolver>(io);
  resolver->async_resolve(
      target.addr.host, std::to_string(target.addr.port),
      [this, peer, resolver](const error_code& e, const tcp::resolver::results_type& results) {
        if (peer->state == Connection::State::kClosed) return;
        if (e) return peer->fail(Connection::io_error("resolving", e), false);
        asio::async_connect(
            peer->sock, results, [this, peer](const error_code& e2, const tcp::endpoint&) {
              if (peer->state == Connection::State::kClosed) return;
              if (e2) return peer->fail(Connection::io_error("connecting", e2), false);
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
  const auto dials = book.take_dials(
      Clock::now(), outbound, cfg.max_outbound, [this](const NodeId& id) { return connected(id); },
      [this](const NodeId& id) { return id_banned(id); });
  for (const auto& target : dials) dial(target);
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

Status detail::TransportImpl::on_authenticated(const std::shared_ptr<Connection>& peer) {
  const NodeId& id = peer->identity.id;
  if (id_banned(id)) return Status(Code::kUnavailable, "node id " + id.to_string() + " is banned");
  if (auto it = by_id.find(id); it != by_id.end()) {
    // Two connections to one node (both dialed at once): both sides keep the one dialed by the
    // smaller node id, so they agree on which survives.
    const std::shared_ptr<Connection> old = it->second;
    const NodeId& self = local.key.address;
    auto dialer = [&](const Connection& p) { return p.outbound ? self : id; };
    const NodeId keep_dialer = std::min(self, id);
    if (old->outbound == peer->outbound || dialer(*old) == keep_dialer) {
      return Status(Code::kUnavailable, "already connected to " + id.to_string());
    }
    old->fail(Status(Code::kUnavailable, "duplicate connection replaced"), false);
  }
  if (peer->outbound) {
    book.on_connected(peer->book_key, id);
  } else if (cfg.pex && peer->identity.listen_port != 0 && !peer->remote_ip.empty()) {
    PeerAddress learned;
    learned.id = id;
    learned.host = peer->remote_ip;
    learned.port = static_cast<uint16_t>(peer->identity.listen_port);
    book.add(learned, false, false);
  }
  by_id[id] = peer;
  std::lock_guard lock(mu);
  snapshot[id] =
      PeerInfo{id, peer->remote, peer->outbound, peer->persistent, peer->identity.listen_port};
  return Status::ok();
}

void detail::TransportImpl::on_closed(Connection& peer, const Status& reason, bool ban_peer) {
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
  if (peer.outbound) book.on_closed(peer.book_key, was_established, Clock::now());
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

void detail::TransportImpl::on_established(Connection& peer) {
  emit({PeerEvent::Kind::kConnected, peer.identity.id, peer.remote, peer.outbound, ""});
  spdlog::info("p2p: connected to {} at {} ({})", peer.identity.id.to_string(), peer.remote,
               peer.outbound ? "outbound" : "inbound");
  if (peer.outbound && cfg.pex) {
    v1::P2pMessage req;
    req.mutable_pex_request();
    peer.pex_requested = true;
    peer.send(req);
  }
}

void detail::TransportImpl::on_self(Connection& peer) {
  book.mark_self(peer.book_key);
}

Status detail::TransportImpl::dispatch(Connection& peer, const v1::P2pMessage& msg) {
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
      for (auto& a : book.pex_answer(
               peer.identity.id, [this](const NodeId& id) { return connected(id); },
               [this](const NodeId& id) { return id_banned(id); })) {
        addrs->add_addrs(std::move(a));
      }
      peer.send(out);
      return Status::ok();
    }
    case v1::P2pMessage::kPexAddrs: {
      if (!peer.pex_requested) return Status::ok();  // unsolicited: ignored
      peer.pex_requested = false;
      if (Status st = book.merge_pex(msg.pex_addrs(), local.key.address); !st) return st;
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

  for (const auto& p : t.cfg.persistent_peers) t.book.add(*PeerAddress::parse(p), true, false);
  for (const auto& p : t.cfg.seeds) t.book.add(*PeerAddress::parse(p), false, false);

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

#pragma once
// One peer connection of the transport (doc/p2p.md, "Connections"): the socket, the handshake
// and then the encrypted frame session, the receive rate limit, the send queue, pings and the
// idle timeout. What a connection means to the node (slots, the peer table, the address book,
// bans, dispatching messages) is its owner's, the transport's.
//
// Lives in the owner's connection table while open; the async operations in flight hold it too.
// Its destructor never touches the owner, which may already be gone. io thread only.
#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <boost/asio.hpp>

#include "btt/common/status.h"
#include "btt/p2p/frame.h"
#include "btt/p2p/handshake.h"
#include "btt/p2p/transport.h"
#include "token_bucket.h"

namespace btt::p2p {

class Connection;

// What a connection tells (and asks of) the transport that owns it.
class ConnectionOwner {
 public:
  virtual ~ConnectionOwner() = default;
  // The handshake authenticated the peer; an error refuses the connection.
  [[nodiscard]] virtual Status on_authenticated(const std::shared_ptr<Connection>& conn) = 0;
  // The session is established (after on_authenticated).
  virtual void on_established(Connection& conn) = 0;
  // The handshake led back to this node's own key.
  virtual void on_self(Connection& conn) = 0;
  // A message of an established connection; an error closes it and bans the peer.
  [[nodiscard]] virtual Status dispatch(Connection& conn, const v1::P2pMessage& msg) = 0;
  // The connection closed (once); `ban`: for misbehaviour.
  virtual void on_closed(Connection& conn, const Status& reason, bool ban) = 0;
  // A Ping's nonce.
  [[nodiscard]] virtual uint64_t nonce() = 0;
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  using Clock = std::chrono::steady_clock;
  using tcp = boost::asio::ip::tcp;
  enum class State { kHandshake, kEstablished, kClosed };

  Connection(boost::asio::io_context& io, tcp::socket socket, bool outbound, ConnectionOwner& owner,
             const TransportConfig& cfg, const LocalNode& local);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Bounds connecting (outbound) and then the handshake.
  void arm_deadline(const char* what);
  // The socket is connected: runs the handshake, then reads frames until it closes.
  void start_handshake();
  // Queues a message (established only).
  void send(const v1::P2pMessage& msg);
  // `payload` is a serialized P2pMessage.
  void send_payload(std::string_view payload);
  // Closes the socket and wipes the keys; the owner is not told (see fail).
  void close();
  // Closes and tells the owner why (once).
  void fail(const Status& reason, bool ban);
  [[nodiscard]] static Status io_error(const char* what, const boost::system::error_code& e);

  tcp::socket sock;
  const bool outbound;
  State state = State::kHandshake;
  std::string remote;  // IP:PORT
  std::string remote_ip;
  PeerIdentity identity;          // once authenticated
  bool was_established = false;   // set when it closes
  std::optional<NodeId> peer_id;  // once its signature verified

  // The owner's bookkeeping.
  uint64_t serial = 0;
  bool persistent = false;
  std::string book_key;  // outbound: the address book entry it was dialed from
  std::optional<NodeId> expected;
  bool counted = false;  // holds an inbound/outbound slot
  bool pex_requested = false;
  Clock::time_point last_pex_answer{};

 private:
  void set_remote();
  void on_hello(const boost::system::error_code& e);
  void read_header();
  void on_header(const boost::system::error_code& e);
  void on_body(const boost::system::error_code& e);
  FrameCodec& reader() { return state == State::kHandshake ? hs_->codec() : *codec_; }
  // Every ping_interval: a Ping, so a quiet but live peer always has something to answer; a
  // peer from which nothing arrived for idle_timeout (a dead host, a half-open connection) is
  // dropped.
  void schedule_ping();
  void enqueue(Bytes bytes);
  void write_next();

  ConnectionOwner& owner_;
  const TransportConfig& cfg_;
  const LocalNode& local_;
  std::unique_ptr<Handshake> hs_;
  std::optional<FrameCodec> codec_;
  boost::asio::steady_timer hs_timer_;

  Bytes hello_buf_;
  std::array<char, kFrameHeaderSize> header_{};
  Bytes body_;
  std::deque<Bytes> wq_;
  size_t wq_bytes_ = 0;
  bool writing_ = false;

  TokenBucket bytes_bucket_;
  TokenBucket msgs_bucket_;
  boost::asio::steady_timer ping_timer_;
  Clock::time_point last_recv_{};
};

}  // namespace btt::p2p

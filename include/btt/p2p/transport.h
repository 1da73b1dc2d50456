#pragma once
// The P2P transport (doc/p2p.md): a TCP listener and dialer over Boost.Asio that runs the
// handshake on every connection, then exchanges encrypted P2pMessage frames with each peer.
//
// - Listens on `listen_addr` (bound without SO_REUSEPORT: a port in use is refused at start).
// - Dials persistent peers (and seeds, and addresses learned by peer exchange) with exponential
//   backoff; at most max_inbound inbound and max_outbound outbound connections, handshakes
//   included; one connection per node id.
// - Per peer: a handshake deadline, a token-bucket rate limit on received bytes and messages, a
//   bounded send queue. A peer that sends garbage, an oversize frame, a frame that does not
//   authenticate, a protocol violation, or more than its rate: disconnected and banned (its IP,
//   and its node id once known) for ban_duration. The node keeps running.
// - Ping is answered, PexRequest/PexAddrs are handled here; every other message is handed to the
//   handler registered for its channel (consensus, mempool, block sync).
//
// Inside (src/p2p): connection.h runs one connection's session, address_book.h decides what to
// dial and what peer exchange sends and keeps, token_bucket.h is the rate limit.
//
// Threading: one io thread runs every socket, timer and handler. Handlers and the event handler
// are called on it and must not block. send, broadcast, peers and is_banned* are thread-safe.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "btt/common/status.h"
#include "btt/crypto/keyfile.h"
#include "btt/p2p/frame.h"
#include "btt/p2p/handshake.h"
#include "btt/p2p/peer_address.h"

namespace btt::v1 {
class P2pMessage;
}

namespace btt::p2p {

namespace detail {
struct TransportImpl;
}

// Most addresses in one PexAddrs; more is a protocol violation.
inline constexpr size_t kMaxPexAddrs = 100;

// Per-peer limits on what the node reads. Buckets start full and refill continuously.
struct RateLimit {
  uint64_t bytes_per_s = 8u << 20;
  uint64_t burst_bytes = 16u << 20;  // at least one largest frame, or such a frame is a flood
  uint32_t msgs_per_s = 2000;
  uint32_t burst_msgs = 4000;
};

struct TransportConfig {
  std::string chain_id;
  std::string listen_addr = "0.0.0.0:26656";  // HOST:PORT; port 0 picks a free port
  std::vector<std::string> persistent_peers;  // NODE_ID@HOST:PORT: always redialed
  std::vector<std::string> seeds;             // NODE_ID@HOST:PORT: dialed like learned addresses
  uint32_t max_inbound = 40;
  uint32_t max_outbound = 10;
  std::chrono::milliseconds handshake_timeout{10'000};
  std::chrono::milliseconds dial_backoff_min{1'000};
  std::chrono::milliseconds dial_backoff_max{60'000};
  std::chrono::milliseconds ban_duration{10 * 60'000};  // 0: never ban, only disconnect
  bool ban_ips = true;  // ban the IP too (one host with several nodes may want false)
  bool pex = true;
  std::chrono::milliseconds pex_interval{30'000};
  std::chrono::milliseconds ping_interval{30'000};  // a Ping to every peer this often
  std::chrono::milliseconds idle_timeout{120'000};  // nothing received for this long: dropped
  size_t max_address_book = 1000;
  RateLimit rate;
  size_t max_send_queue_bytes = 32u << 20;  // a peer that reads slower is disconnected

  // kInvalidArgument naming the field for values out of range and unparsable addresses.
  [[nodiscard]] Status validate() const;
};

// Who a message goes to: the reactor registered for its channel.
enum class Channel : uint8_t { kConsensus = 0, kMempool = 1, kBlockSync = 2 };
inline constexpr size_t kChannelCount = 3;
// nullopt for the messages the transport handles itself (ping, pong, pex) and for none.
[[nodiscard]] std::optional<Channel> channel_of(const v1::P2pMessage& msg);

struct PeerInfo {
  NodeId id;
  std::string remote;  // IP:PORT of the socket
  bool outbound = false;
  bool persistent = false;
  uint32_t listen_port = 0;
};

struct PeerEvent {
  enum class Kind { kConnected, kDisconnected, kRefused, kBanned };
  Kind kind = Kind::kConnected;
  std::optional<NodeId> id;  // unknown before the handshake
  std::string remote;        // IP:PORT
  bool outbound = false;
  std::string reason;
};

using MessageHandler = std::function<void(const NodeId& from, const v1::P2pMessage& msg)>;
using EventHandler = std::function<void(const PeerEvent& event)>;

// What the consensus reactor uses of the network: Transport implements it, and reactor tests
// plug in a fake.
class Network {
 public:
  virtual ~Network() = default;
  virtual void set_handler(Channel channel, MessageHandler handler) = 0;
  virtual void set_event_handler(EventHandler handler) = 0;
  virtual bool send(const NodeId& to, const v1::P2pMessage& msg) = 0;
  virtual size_t broadcast(const v1::P2pMessage& msg) = 0;
  [[nodiscard]] virtual std::vector<PeerInfo> peers() const = 0;
};

class Transport final : public Network {
 public:
  Transport(TransportConfig config, crypto::KeyPair node_key);
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;
  ~Transport() override;  // stop()

  // Before start().
  void set_handler(Channel channel, MessageHandler handler) override;
  void set_event_handler(EventHandler handler) override;

  // Binds, listens and starts dialing. kInvalidArgument for a bad config, kUnavailable if the
  // listen address cannot be bound (in use, not local).
  [[nodiscard]] Status start();
  // Closes every connection and the listener, joins the io thread, wipes session keys. Never call
  // it from a handler (it joins the thread that runs them).
  void stop();

  [[nodiscard]] const NodeId& node_id() const;
  [[nodiscard]] uint16_t listen_port() const;  // after start(): the bound port
  // NODE_ID@HOST:PORT of the listener (HOST as configured).
  [[nodiscard]] std::string address() const;

  // Queues `msg` to a connected peer; false if it is not connected or the message is larger
  // than a frame. Delivery is best effort: the connection may close first.
  bool send(const NodeId& to, const v1::P2pMessage& msg) override;
  // Queues `msg` to every connected peer; the number of peers.
  size_t broadcast(const v1::P2pMessage& msg) override;

  [[nodiscard]] std::vector<PeerInfo> peers() const override;
  [[nodiscard]] bool is_connected(const NodeId& id) const;
  [[nodiscard]] bool is_banned(const NodeId& id) const;
  [[nodiscard]] bool is_banned_ip(const std::string& ip) const;

 private:
  std::unique_ptr<detail::TransportImpl> impl_;
};

}  // namespace btt::p2p

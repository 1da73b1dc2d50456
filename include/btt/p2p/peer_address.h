#pragma once
// A peer's address as configured and exchanged (doc/p2p.md, "Addresses").
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "btt/common/status.h"
#include "btt/p2p/handshake.h"

namespace btt::p2p {

// NODE_ID@HOST:PORT, or HOST:PORT when the node id is not known (the dialer then accepts any).
struct PeerAddress {
  std::optional<NodeId> id;
  std::string host;  // IPv4, IPv6 (written [..] in text) or a name
  uint16_t port = 0;

  // kInvalidArgument with the reason for anything else (port 0 included).
  [[nodiscard]] static Result<PeerAddress> parse(std::string_view text);
  [[nodiscard]] std::string endpoint() const;   // HOST:PORT
  [[nodiscard]] std::string to_string() const;  // NODE_ID@HOST:PORT when the id is known
};

}  // namespace btt::p2p

#include "btt/p2p/peer_address.h"

#include "host_port.h"

namespace btt::p2p {

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

}  // namespace btt::p2p

#pragma once
// HOST:PORT text as the p2p layer reads and writes it: HOST may be an [IPv6] in brackets.
#include <cstdint>
#include <string>
#include <string_view>

#include "btt/common/status.h"

namespace btt::p2p {

// Splits HOST:PORT; port 0 allowed only when `allow_zero`. kInvalidArgument with the reason.
[[nodiscard]] Status split_host_port(std::string_view text, bool allow_zero, std::string& host,
                                     uint16_t& port);
// HOST:PORT, with an IPv6 HOST in brackets.
[[nodiscard]] std::string join_host_port(const std::string& host, uint16_t port);

}  // namespace btt::p2p

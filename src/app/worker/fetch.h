#pragma once
// Input fetching of btt-worker: http:// and https:// locators (Boost.Beast, OpenSSL with the
// system's trust store and host name verification).
#include <optional>
#include <string>

namespace btt::worker {

// The body of a 200 answer to GET url, at most max_bytes; nullopt (and `error`) otherwise.
[[nodiscard]] std::optional<std::string> http_get(const std::string& url, size_t max_bytes,
                                                  std::string& error);

}  // namespace btt::worker

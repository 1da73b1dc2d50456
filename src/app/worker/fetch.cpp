#include "fetch.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/version.hpp>
#include <chrono>

namespace btt::worker {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

constexpr auto kTimeout = std::chrono::seconds(60);

struct Url {
  bool tls = false;
  std::string host;
  std::string port;
  std::string target;
};

std::optional<Url> parse_url(const std::string& url) {
  Url u;
  std::string rest;
  if (url.rfind("http://", 0) == 0) {
    rest = url.substr(7);
  } else if (url.rfind("https://", 0) == 0) {
    u.tls = true;
    rest = url.substr(8);
  } else {
    return std::nullopt;
  }
  const auto slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  u.target = slash == std::string::npos ? "/" : rest.substr(slash);
  const auto colon = authority.rfind(':');
  if (colon != std::string::npos && authority.find(']') == std::string::npos) {
    u.host = authority.substr(0, colon);
    u.port = authority.substr(colon + 1);
  } else {
    u.host = authority;
    u.port = u.tls ? "443" : "80";
  }
  if (u.host.empty() || u.port.empty()) return std::nullopt;
  return u;
}

template <typename Stream>
std::optional<std::string> exchange(Stream& stream, const Url& u, size_t max_bytes,
                                    std::string& error) {
  http::request<http::empty_body> req{http::verb::get, u.target, 11};
  req.set(http::field::host, u.host);
  req.set(http::field::user_agent, "btt-worker");
  http::write(stream, req);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(max_bytes);
  http::read(stream, buffer, parser);
  const auto& res = parser.get();
  if (res.result() != http::status::ok) {
    error = "HTTP " + std::to_string(res.result_int());
    return std::nullopt;
  }
  return res.body();
}

}  // namespace

std::optional<std::string> http_get(const std::string& url, size_t max_bytes, std::string& error) {
  auto u = parse_url(url);
  if (!u) {
    error = "not an http(s) URL";
    return std::nullopt;
  }
  try {
    net::io_context ioc;
    tcp::resolver resolver(ioc);
    const auto endpoints = resolver.resolve(u->host, u->port);
    if (!u->tls) {
      beast::tcp_stream stream(ioc);
      stream.expires_after(kTimeout);
      stream.connect(endpoints);
      auto body = exchange(stream, *u, max_bytes, error);
      beast::error_code ec;
      stream.socket().shutdown(tcp::socket::shutdown_both, ec);
      return body;
    }
    net::ssl::context ctx(net::ssl::context::tls_client);
    ctx.set_default_verify_paths();
    ctx.set_verify_mode(net::ssl::verify_peer);
    beast::ssl_stream<beast::tcp_stream> stream(ioc, ctx);
    if (!SSL_set_tlsext_host_name(stream.native_handle(), u->host.c_str())) {
      error = "cannot set TLS server name";
      return std::nullopt;
    }
    stream.set_verify_callback(net::ssl::host_name_verification(u->host));
    beast::get_lowest_layer(stream).expires_after(kTimeout);
    beast::get_lowest_layer(stream).connect(endpoints);
    stream.handshake(net::ssl::stream_base::client);
    auto body = exchange(stream, *u, max_bytes, error);
    beast::error_code ec;
    stream.shutdown(ec);  // servers often close without close_notify; nothing to do about it
    return body;
  } catch (const std::exception& e) {
    error = e.what();
    return std::nullopt;
  }
}

}  // namespace btt::worker

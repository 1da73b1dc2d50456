#include "fetch.h"

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <utility>  // before Boost 1.74's awaitable.hpp, which uses std::exchange without it

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <charconv>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>

#include "btt/common/status.h"
#include "btt/crypto/hash.h"

namespace btt::worker {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using boost::system::error_code;

struct Url {
  bool tls = false;
  std::string host;  // without brackets for an IPv6 literal
  std::string port;
  std::string target;
};

// scheme://host[:port][/path]; an IPv6 literal in brackets. No user info.
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
  const std::string authority = rest.substr(0, slash);
  u.target = slash == std::string::npos ? "/" : rest.substr(slash);
  std::string port;
  if (!authority.empty() && authority[0] == '[') {
    const auto close = authority.find(']');
    if (close == std::string::npos) return std::nullopt;
    u.host = authority.substr(1, close - 1);
    const std::string after = authority.substr(close + 1);
    if (!after.empty() && (after[0] != ':' || after.size() == 1)) return std::nullopt;
    if (!after.empty()) port = after.substr(1);
  } else {
    const auto colon = authority.find(':');
    u.host = authority.substr(0, colon);
    if (colon != std::string::npos) {
      port = authority.substr(colon + 1);
      if (port.empty()) return std::nullopt;
    }
  }
  if (u.host.empty() || u.host.find_first_of("@[]: \t\r\n") != std::string::npos ||
      u.target.find_first_of(" \t\r\n") != std::string::npos) {
    return std::nullopt;
  }
  if (port.empty()) {
    u.port = u.tls ? "443" : "80";
  } else {
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value < 1 || value > 65535) {
      return std::nullopt;
    }
    u.port = port;
  }
  return u;
}

Fetched failure(FetchError e, std::string message) {
  Fetched f;
  f.error = e;
  f.message = std::move(message);
  return f;
}

// One fetch, as a coroutine on its own io_context. `stage` names what was under way when an
// error came, so that the error can say which step failed.
class Exchange {
 public:
  Exchange(const Url& u, uint64_t max_bytes, const FetchOptions& o)
      : u_(u), max_(max_bytes), o_(o) {}

  Fetched run() {
    net::io_context ioc;
    bool done = false;
    net::co_spawn(ioc, go(ioc), [&](std::exception_ptr e) {
      done = true;
      if (!e) return;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        result_ = failure(FetchError::kProtocol, std::string("fetch failed: ") + ex.what());
      }
    });
    // The stream's deadline ends every socket operation; this also bounds name resolution.
    ioc.run_for(o_.timeout + std::chrono::seconds(1));
    if (!done) result_ = failure(FetchError::kTimeout, "timed out while " + stage_);
    return std::move(result_);
  }

 private:
  net::awaitable<void> go(net::io_context& ioc) {
    error_code ec;
    stage_ = "resolving " + u_.host;
    tcp::resolver resolver(ioc);
    const auto endpoints = co_await resolver.async_resolve(
        u_.host, u_.port, net::redirect_error(net::use_awaitable, ec));
    if (ec) {
      result_ = failure(FetchError::kConnect, "cannot resolve " + u_.host + ": " + ec.message());
      co_return;
    }
    if (!u_.tls) {
      beast::tcp_stream stream(ioc);
      stream.expires_after(o_.timeout);
      if (!co_await connect(stream, endpoints)) co_return;
      co_await exchange(stream);
      stream.socket().shutdown(tcp::socket::shutdown_both, ec);
      co_return;
    }
    net::ssl::context ctx(net::ssl::context::tls_client);
    if (auto why = trust(ctx); !why.empty()) {
      result_ = failure(FetchError::kTls, why);
      co_return;
    }
    beast::ssl_stream<beast::tcp_stream> stream(ioc, ctx);
    SSL* ssl = stream.native_handle();
    // Host name verification by OpenSSL itself (the certificate's subjectAltName must name the
    // host, or hold its IP address for a literal), so a mismatch reports its own verify error.
    error_code not_ip;
    (void)net::ip::make_address(u_.host, not_ip);
    if (!not_ip) {
      if (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), u_.host.c_str()) != 1) {
        result_ = failure(FetchError::kBadLocator, "bad IP address " + u_.host);
        co_return;
      }
    } else if (SSL_set_tlsext_host_name(ssl, u_.host.c_str()) != 1 ||
               SSL_set1_host(ssl, u_.host.c_str()) != 1) {
      result_ = failure(FetchError::kTls, "cannot set the TLS server name " + u_.host);
      co_return;
    }
    beast::get_lowest_layer(stream).expires_after(o_.timeout);
    if (!co_await connect(beast::get_lowest_layer(stream), endpoints)) co_return;
    stage_ = "in the TLS handshake with " + u_.host;
    co_await stream.async_handshake(net::ssl::stream_base::client,
                                    net::redirect_error(net::use_awaitable, ec));
    if (ec) {
      const long verify = SSL_get_verify_result(ssl);
      if (is_timeout(ec)) {
        result_ = timed_out();
      } else if (verify != X509_V_OK) {
        result_ = failure(FetchError::kTls, "TLS certificate of " + u_.host + " refused: " +
                                                X509_verify_cert_error_string(verify));
      } else {
        result_ =
            failure(FetchError::kTls, "TLS handshake with " + u_.host + " failed: " + ec.message());
      }
      co_return;
    }
    co_await exchange(stream);
    // No TLS close_notify exchange: the answer is complete (its length is known), and a server
    // that never answers a close_notify would hold the worker until the deadline.
    beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_both, ec);
  }

  std::string trust(net::ssl::context& ctx) const {
    error_code ec;
    ctx.set_verify_mode(net::ssl::verify_peer, ec);
    if (o_.system_ca) ctx.set_default_verify_paths(ec);
    if (!o_.ca_file.empty()) {
      ctx.load_verify_file(o_.ca_file, ec);
      if (ec) return "cannot load the CA file " + o_.ca_file + ": " + ec.message();
    }
    return "";
  }

  bool is_timeout(const error_code& ec) const { return ec == beast::error::timeout; }

  Fetched timed_out() const {
    return failure(FetchError::kTimeout,
                   "timed out after " + std::to_string(o_.timeout.count()) + " ms while " + stage_);
  }

  net::awaitable<bool> connect(beast::tcp_stream& stream, const tcp::resolver::results_type& to) {
    error_code ec;
    stage_ = "connecting to " + u_.host + ":" + u_.port;
    co_await stream.async_connect(to, net::redirect_error(net::use_awaitable, ec));
    if (!ec) co_return true;
    result_ = is_timeout(ec) ? timed_out()
                             : failure(FetchError::kConnect, "cannot connect to " + u_.host + ":" +
                                                                 u_.port + ": " + ec.message());
    co_return false;
  }

  template <typename Stream>
  net::awaitable<void> exchange(Stream& stream) {
    error_code ec;
    stage_ = "sending the request";
    http::request<http::empty_body> req{http::verb::get, u_.target, 11};
    req.set(http::field::host, u_.host);
    req.set(http::field::user_agent, "btt-worker");
    req.set(http::field::connection, "close");
    co_await http::async_write(stream, req, net::redirect_error(net::use_awaitable, ec));
    if (ec) {
      result_ = read_error(ec);
      co_return;
    }
    stage_ = "reading the answer";
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(max_);
    co_await http::async_read_header(stream, buffer, parser,
                                     net::redirect_error(net::use_awaitable, ec));
    if (!ec && parser.get().result() != http::status::ok) {
      result_ =
          failure(FetchError::kHttpStatus, "HTTP " + std::to_string(parser.get().result_int()) +
                                               " " + std::string(parser.get().reason()));
      co_return;
    }
    if (!ec) {
      co_await http::async_read(stream, buffer, parser,
                                net::redirect_error(net::use_awaitable, ec));
    }
    if (ec) {
      result_ = read_error(ec);
      co_return;
    }
    result_.body = parser.release().body();
  }

  Fetched read_error(const error_code& ec) const {
    if (is_timeout(ec)) return timed_out();
    if (ec == http::error::body_limit) {
      return failure(FetchError::kTooLarge,
                     "the answer's body is over the limit of " + std::to_string(max_) + " bytes");
    }
    return failure(FetchError::kProtocol, "bad answer while " + stage_ + ": " + ec.message());
  }

  const Url& u_;
  uint64_t max_;
  const FetchOptions& o_;
  std::string stage_ = "starting";
  Fetched result_;
};

}  // namespace

const char* fetch_error_name(FetchError e) {
  switch (e) {
    case FetchError::kNone:
      return "none";
    case FetchError::kBadLocator:
      return "bad locator";
    case FetchError::kUnreadable:
      return "unreadable";
    case FetchError::kConnect:
      return "connect";
    case FetchError::kTls:
      return "tls";
    case FetchError::kTimeout:
      return "timeout";
    case FetchError::kHttpStatus:
      return "http status";
    case FetchError::kProtocol:
      return "protocol";
    case FetchError::kTooLarge:
      return "too large";
    case FetchError::kHashMismatch:
      return "hash mismatch";
  }
  return "unknown";
}

Fetched http_get(const std::string& url, uint64_t max_bytes, const FetchOptions& options) {
  const auto u = parse_url(url);
  if (!u) {
    return failure(FetchError::kBadLocator,
                   "not a well-formed http:// or https:// URL: " + excerpt(url, 200));
  }
  try {
    return Exchange(*u, max_bytes, options).run();
  } catch (const std::exception& e) {
    return failure(FetchError::kProtocol, std::string("fetch failed: ") + e.what());
  }
}

Fetched fetch_input(const std::string& locator, const std::string& input_dir, uint64_t max_bytes,
                    const Bytes& expected_sha256, const FetchOptions& options) {
  Fetched f;
  if (locator.rfind("http://", 0) == 0 || locator.rfind("https://", 0) == 0) {
    f = http_get(locator, max_bytes, options);
  } else {
    namespace fs = std::filesystem;
    fs::path path;
    if (locator.rfind("file://", 0) == 0) {
      path = locator.substr(7);
    } else if (locator.find("://") == std::string::npos && !input_dir.empty() &&
               !fs::path(locator).filename().empty()) {
      path = fs::path(input_dir) / fs::path(locator).filename();
    } else {
      return failure(FetchError::kBadLocator,
                     "locator " + excerpt(locator, 200) +
                         " is not supported (http://, https://, file://, or a name in the input "
                         "directory)");
    }
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec)
      return failure(FetchError::kUnreadable, "cannot read " + path.string() + ": " + ec.message());
    if (size > max_bytes) {
      return failure(FetchError::kTooLarge, path.string() + " has " + std::to_string(size) +
                                                " bytes, over the limit of " +
                                                std::to_string(max_bytes));
    }
    std::ifstream in(path, std::ios::binary);
    f.body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof())
      return failure(FetchError::kUnreadable, "cannot read " + path.string());
    if (f.body.size() > max_bytes) {
      return failure(FetchError::kTooLarge, path.string() + " grew over the limit");
    }
  }
  if (!f.ok()) return f;
  if (to_bytes(crypto::sha256(f.body)) != expected_sha256) {
    return failure(FetchError::kHashMismatch, "the input from " + excerpt(locator, 200) +
                                                  " has SHA-256 " +
                                                  to_hex(to_bytes(crypto::sha256(f.body))) +
                                                  ", not the job's " + to_hex(expected_sha256));
  }
  return f;
}

std::string check_ca_file(const std::string& path) {
  try {
    net::ssl::context ctx(net::ssl::context::tls_client);
    error_code ec;
    ctx.load_verify_file(path, ec);
    if (ec) return "cannot load the CA file " + path + ": " + ec.message();
    return "";
  } catch (const std::exception& e) {
    return "cannot load the CA file " + path + ": " + e.what();
  }
}

}  // namespace btt::worker

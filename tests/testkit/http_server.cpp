#include "testkit/http_server.h"

#include <sys/socket.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace btt::testkit {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

}  // namespace

struct TestHttpServer::Impl {
  net::io_context ioc;
  tcp::acceptor acceptor{ioc};
  std::optional<net::ssl::context> ssl;
  std::map<int, tcp::socket> pending;  // accepted, not yet taken by their thread
};

TestHttpServer::TestHttpServer(std::map<std::string, Route> routes, std::optional<PemCert> tls)
    : routes_(std::move(routes)), impl_(std::make_unique<Impl>()), tls_(tls.has_value()) {
  if (tls) {
    impl_->ssl.emplace(net::ssl::context::tls_server);
    impl_->ssl->use_certificate_chain(net::buffer(tls->cert_pem));
    impl_->ssl->use_private_key(net::buffer(tls->key_pem), net::ssl::context::pem);
  }
  const tcp::endpoint at(net::ip::make_address("127.0.0.1"), 0);
  impl_->acceptor.open(at.protocol());
  impl_->acceptor.set_option(tcp::acceptor::reuse_address(true));
  impl_->acceptor.bind(at);
  impl_->acceptor.listen();
  port_ = impl_->acceptor.local_endpoint().port();
  acceptor_thread_ = std::thread([this] { accept_loop(); });
}

TestHttpServer::~TestHttpServer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    for (int fd : open_) ::shutdown(fd, SHUT_RDWR);  // wakes reads blocked in serve()
  }
  cv_.notify_all();
  {
    // Wakes the blocking accept().
    boost::system::error_code ec;
    tcp::socket wake(impl_->ioc);
    wake.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port_), ec);
  }
  acceptor_thread_.join();
  for (auto& t : threads_) t.join();
}

std::string TestHttpServer::url(const std::string& target) const {
  return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_) + target;
}

void TestHttpServer::accept_loop() {
  while (true) {
    tcp::socket s(impl_->ioc);
    boost::system::error_code ec;
    impl_->acceptor.accept(s, ec);
    std::lock_guard lock(mu_);
    if (stopping_) return;
    if (ec) continue;
    const int fd = s.native_handle();
    open_.insert(fd);
    impl_->pending.emplace(fd, std::move(s));
    threads_.emplace_back([this, fd] { serve(fd); });
  }
}

void TestHttpServer::serve(int fd) {
  tcp::socket socket(impl_->ioc);
  {
    std::lock_guard lock(mu_);
    auto it = impl_->pending.find(fd);
    socket = std::move(it->second);
    impl_->pending.erase(it);
  }
  auto answer = [this](auto& stream) {
    boost::system::error_code ec;
    beast::flat_buffer buffer;
    http::request<http::string_body> req;
    http::read(stream, buffer, req, ec);
    if (ec) return;
    ++requests_;
    const auto it = routes_.find(std::string(req.target()));
    if (it != routes_.end() && it->second.hang) {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_; });
      return;
    }
    http::response<http::string_body> res;
    res.version(11);
    res.result(it == routes_.end() ? 404 : it->second.status);
    res.set(http::field::connection, "close");
    res.body() = it == routes_.end() ? "not found" : it->second.body;
    res.prepare_payload();
    http::write(stream, res, ec);
  };
  if (impl_->ssl) {
    net::ssl::stream<tcp::socket&> stream(socket, *impl_->ssl);
    boost::system::error_code ec;
    stream.handshake(net::ssl::stream_base::server, ec);
    if (!ec) answer(stream);
  } else {
    answer(socket);
  }
  std::lock_guard lock(mu_);
  open_.erase(fd);
  boost::system::error_code ec;
  socket.shutdown(tcp::socket::shutdown_both, ec);
  socket.close(ec);
}

}  // namespace btt::testkit

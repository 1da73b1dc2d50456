#pragma once
// A small HTTP/1.1 server for fetch tests, in the test process: plain or TLS (with a certificate
// from TestCa), on 127.0.0.1 at an ephemeral port, one thread per connection. Each answer closes
// its connection. Stopped and joined by the destructor.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "testkit/test_pki.h"

namespace btt::testkit {

class TestHttpServer {
 public:
  struct Route {
    unsigned status = 200;
    std::string body;
    bool hang = false;  // read the request, then answer nothing until the server stops
  };

  // Serves `routes` by request target (any other target: 404); over TLS with `tls`.
  explicit TestHttpServer(std::map<std::string, Route> routes,
                          std::optional<PemCert> tls = std::nullopt);
  ~TestHttpServer();
  TestHttpServer(const TestHttpServer&) = delete;
  TestHttpServer& operator=(const TestHttpServer&) = delete;

  [[nodiscard]] uint16_t port() const { return port_; }
  // "http://127.0.0.1:PORT" + target, or https:// for a TLS server.
  [[nodiscard]] std::string url(const std::string& target) const;
  // Requests read so far (a refused TLS handshake reads none).
  [[nodiscard]] size_t requests() const { return requests_; }

 private:
  struct Impl;
  void accept_loop();
  void serve(int connection);

  std::map<std::string, Route> routes_;
  std::unique_ptr<Impl> impl_;
  uint16_t port_ = 0;
  bool tls_ = false;
  std::atomic<size_t> requests_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::set<int> open_;  // native handles of open connections, shut down on stop
  std::vector<std::thread> threads_;
  std::thread acceptor_thread_;
};

}  // namespace btt::testkit

#include "connection.h"

#include <spdlog/spdlog.h>

#include "btt/v1/p2p.pb.h"
#include "host_port.h"

namespace btt::p2p {

namespace asio = boost::asio;
using boost::system::error_code;

Connection::Connection(asio::io_context& io, tcp::socket socket, bool is_outbound,
                       ConnectionOwner& owner, const TransportConfig& cfg, const LocalNode& local)
    : sock(std::move(socket)),
      outbound(is_outbound),
      owner_(owner),
      cfg_(cfg),
      local_(local),
      hs_timer_(io),
      ping_timer_(io) {}

Connection::~Connection() {
  if (codec_) codec_->wipe();
}

void Connection::set_remote() {
  error_code ec;
  auto ep = sock.remote_endpoint(ec);
  if (!ec) {
    remote_ip = ep.address().to_string();
    remote = join_host_port(remote_ip, ep.port());
  }
}

void Connection::arm_deadline(const char* what) {
  hs_timer_.expires_after(cfg_.handshake_timeout);
  hs_timer_.async_wait([self = shared_from_this(), what](const error_code& e) {
    if (e || self->state != State::kHandshake) return;
    self->fail(Status(Code::kUnavailable, std::string(what) + " timed out"), /*ban=*/false);
  });
}

void Connection::start_handshake() {
  set_remote();
  error_code ec;
  sock.set_option(tcp::no_delay(true), ec);
  hs_ =
      std::make_unique<Handshake>(outbound ? Role::kInitiator : Role::kResponder, local_, expected);
  arm_deadline("handshake");
  enqueue(hs_->hello());
  hello_buf_.assign(kHelloSize, '\0');
  asio::async_read(sock, asio::buffer(hello_buf_),
                   [self = shared_from_this()](const error_code& e, size_t) { self->on_hello(e); });
}

void Connection::on_hello(const error_code& e) {
  if (state == State::kClosed) return;
  if (e) return fail(io_error("reading the hello", e), false);
  if (Status st = hs_->read_hello(hello_buf_); !st) return fail(st, is_misbehaviour(st));
  auto auth = hs_->auth_frame();
  if (!auth) return fail(auth.status(), false);
  enqueue(std::move(*auth));
  read_header();
}

void Connection::read_header() {
  asio::async_read(
      sock, asio::buffer(header_),
      [self = shared_from_this()](const error_code& e, size_t) { self->on_header(e); });
}

void Connection::on_header(const error_code& e) {
  if (state == State::kClosed) return;
  if (e) return fail(io_error("reading a frame", e), false);
  const std::string_view h(header_.data(), header_.size());
  auto len = reader().read_length(h);
  if (!len) return fail(len.status(), true);  // oversize or undersize: refused before reading
  if (state == State::kEstablished) {
    const auto now = Clock::now();
    last_recv_ = now;
    if (!bytes_bucket_.take(static_cast<double>(kFrameHeaderSize + *len), now) ||
        !msgs_bucket_.take(1, now)) {
      return fail(Status(Code::kMalformed, "flooding: over the rate limit"), true);
    }
  }
  body_.resize(*len);
  asio::async_read(
      sock, asio::buffer(body_),
      [self = shared_from_this()](const error_code& e2, size_t) { self->on_body(e2); });
}

void Connection::on_body(const error_code& e) {
  if (state == State::kClosed) return;
  if (e) return fail(io_error("reading a frame", e), false);
  const std::string_view h(header_.data(), header_.size());
  auto payload = reader().decrypt(h, body_);
  // Do not keep a 4 MiB buffer per peer after one large frame.
  if (body_.capacity() > (64u << 10)) Bytes().swap(body_);
  if (!payload) return fail(payload.status(), true);

  if (state == State::kHandshake) {
    auto id = hs_->read_auth(*payload);
    if (!id) {
      if (hs_->verified_peer() && *hs_->verified_peer() == local_.key.address)
        owner_.on_self(*this);
      return fail(id.status(), is_misbehaviour(id.status()));
    }
    identity = *id;
    if (Status st = owner_.on_authenticated(shared_from_this()); !st) return fail(st, false);
    codec_.emplace(hs_->take_codec());
    hs_.reset();
    hs_timer_.cancel();
    state = State::kEstablished;
    const auto now = Clock::now();
    bytes_bucket_.reset(static_cast<double>(cfg_.rate.bytes_per_s),
                        static_cast<double>(cfg_.rate.burst_bytes), now);
    msgs_bucket_.reset(cfg_.rate.msgs_per_s, cfg_.rate.burst_msgs, now);
    last_recv_ = now;
    schedule_ping();
    owner_.on_established(*this);
    return read_header();
  }

  v1::P2pMessage msg;
  if (!msg.ParseFromArray(payload->data(), static_cast<int>(payload->size()))) {
    return fail(Status(Code::kMalformed, "frame payload is not a P2pMessage"), true);
  }
  if (Status st = owner_.dispatch(*this, msg); !st) return fail(st, true);
  if (state == State::kEstablished) read_header();
}

void Connection::schedule_ping() {
  ping_timer_.expires_after(cfg_.ping_interval);
  ping_timer_.async_wait([self = shared_from_this()](const error_code& e) {
    if (e || self->state != State::kEstablished) return;
    if (Clock::now() - self->last_recv_ > self->cfg_.idle_timeout) {
      return self->fail(Status(Code::kUnavailable, "idle: nothing received within idle_timeout"),
                        false);
    }
    v1::P2pMessage ping;
    ping.mutable_ping()->set_nonce(self->owner_.nonce());
    self->send(ping);
    self->schedule_ping();
  });
}

void Connection::send(const v1::P2pMessage& msg) {
  send_payload(msg.SerializeAsString());
}

void Connection::send_payload(std::string_view payload) {
  if (state != State::kEstablished) return;
  auto frame = codec_->encode(payload);
  if (!frame) {
    if (frame.status().code() == Code::kInvalidArgument) {
      spdlog::warn("p2p: not sending a message to {}: {}", identity.id.to_string(),
                   frame.status().message());
      return;
    }
    return fail(frame.status(), false);
  }
  enqueue(std::move(*frame));
}

void Connection::enqueue(Bytes bytes) {
  if (state == State::kClosed) return;
  wq_bytes_ += bytes.size();
  if (wq_bytes_ > cfg_.max_send_queue_bytes) {
    return fail(Status(Code::kUnavailable, "send queue full: the peer reads too slowly"), false);
  }
  wq_.push_back(std::move(bytes));
  if (!writing_) write_next();
}

void Connection::write_next() {
  if (wq_.empty() || state == State::kClosed) {
    writing_ = false;
    return;
  }
  writing_ = true;
  asio::async_write(sock, asio::buffer(wq_.front()),
                    [self = shared_from_this()](const error_code& e, size_t) {
                      if (self->state == State::kClosed) return;
                      if (e) return self->fail(io_error("writing", e), false);
                      self->wq_bytes_ -= self->wq_.front().size();
                      self->wq_.pop_front();
                      self->write_next();
                    });
}

Status Connection::io_error(const char* what, const error_code& e) {
  if (e == asio::error::eof) return Status(Code::kUnavailable, "peer closed the connection");
  return Status(Code::kUnavailable, std::string(what) + ": " + e.message());
}

void Connection::close() {
  if (state == State::kClosed) return;
  state = State::kClosed;
  error_code ec;
  hs_timer_.cancel();
  ping_timer_.cancel();
  sock.shutdown(tcp::socket::shutdown_both, ec);
  sock.close(ec);
  if (codec_) codec_->wipe();
  hs_.reset();
  wq_.clear();
  wq_bytes_ = 0;
}

void Connection::fail(const Status& reason, bool ban) {
  if (state == State::kClosed) return;
  auto keep = shared_from_this();
  was_established = state == State::kEstablished;
  if (hs_ && hs_->verified_peer()) peer_id = hs_->verified_peer();
  close();
  owner_.on_closed(*this, reason, ban);
}

}  // namespace btt::p2p

#pragma once
// btt-load's sending rules, apart from gRPC so they can be tested (tests/unit/bench):
// - each sender's txs go out in nonce order, one in flight at a time, so a node never sees a
//   sender's nonce k+1 before its nonce k from this client;
// - an answer that means "not now" (mempool full, nonce ahead of what the node has, node busy or
//   unreachable) sends the same tx again after a backoff that doubles from 10 ms up to 1 s;
// - an answer that means the tx is in (admitted, or a retry of a tx that already got in) moves
//   the sender to its next nonce; anything else is fatal.
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <vector>

namespace btt::load {

// The gRPC status codes btt-load looks at (values of grpc::StatusCode).
enum class RpcCode : int {
  kOk = 0,
  kDeadlineExceeded = 4,
  kAlreadyExists = 6,
  kResourceExhausted = 8,
  kAborted = 10,
  kUnavailable = 14,
};
// The btt codes (trailer btt-code, doc/api.md) that matter here.
inline constexpr uint32_t kBttNonceTooLow = 200;
inline constexpr uint32_t kBttNonceTooHigh = 201;
inline constexpr uint32_t kBttMempoolFull = 203;
inline constexpr uint32_t kBttDuplicateTx = 204;

enum class Outcome { kAccepted, kRetry, kFatal };

// What to do with one BroadcastTx answer. `retried`: this tx was sent before, so "duplicate" or
// "nonce too low" means an earlier attempt got in.
inline Outcome classify(int grpc_code, std::optional<uint32_t> btt_code, bool retried) {
  switch (static_cast<RpcCode>(grpc_code)) {
    case RpcCode::kOk:
      return Outcome::kAccepted;
    case RpcCode::kAlreadyExists:
      return retried ? Outcome::kAccepted : Outcome::kFatal;
    case RpcCode::kResourceExhausted:
    case RpcCode::kUnavailable:
    case RpcCode::kDeadlineExceeded:
    case RpcCode::kAborted:
      return Outcome::kRetry;
    default:
      break;
  }
  if (btt_code == kBttNonceTooHigh) return Outcome::kRetry;
  if (btt_code == kBttNonceTooLow && retried) return Outcome::kAccepted;
  return Outcome::kFatal;
}

// What to do with one result of a BroadcastTxs call (its btt code; 0: admitted).
inline Outcome classify_code(uint32_t btt_code, bool retried) {
  if (btt_code == 0) return Outcome::kAccepted;
  if (btt_code == kBttNonceTooHigh || btt_code == kBttMempoolFull) return Outcome::kRetry;
  if ((btt_code == kBttDuplicateTx || btt_code == kBttNonceTooLow) && retried) {
    return Outcome::kAccepted;
  }
  return Outcome::kFatal;
}

class Schedule {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::milliseconds kFirstBackoff{10};
  static constexpr std::chrono::milliseconds kMaxBackoff{1000};

  struct Send {
    size_t sender;  // 0 .. senders-1
    size_t nonce;   // 0 .. per_sender-1
    bool retried;   // this tx was sent before
  };

  Schedule(size_t senders, size_t per_sender) : per_sender_(per_sender), state_(senders) {
    if (per_sender_ == 0) return;
    for (size_t s = 0; s < senders; ++s) ready_.push_back(s);
  }

  // The next tx that may go at `now`: the first ready sender's next nonce. The sender then has a
  // tx in flight until accepted() or retry(). nullopt: none is ready.
  std::optional<Send> next(Clock::time_point now) {
    while (!backoff_.empty() && backoff_.begin()->first <= now) {
      ready_.push_back(backoff_.begin()->second);
      backoff_.erase(backoff_.begin());
    }
    if (ready_.empty()) return std::nullopt;
    const size_t s = ready_.front();
    ready_.pop_front();
    State& st = state_[s];
    st.in_flight = true;
    return Send{s, st.next, st.attempts > 0};
  }

  // The sender's tx in flight got in: on to its next nonce.
  void accepted(size_t sender) {
    State& st = state_[sender];
    st.in_flight = false;
    st.attempts = 0;
    if (++st.next < per_sender_) {
      ready_.push_back(sender);
    } else {
      ++finished_;
    }
  }

  // The sender's tx in flight was refused for now: the same tx again after the backoff.
  void retry(size_t sender, Clock::time_point now) {
    State& st = state_[sender];
    st.in_flight = false;
    ++st.attempts;
    backoff_.emplace(now + backoff(st.attempts), sender);
  }

  // When the earliest backed-off sender is ready again.
  [[nodiscard]] std::optional<Clock::time_point> next_retry() const {
    if (backoff_.empty()) return std::nullopt;
    return backoff_.begin()->first;
  }

  [[nodiscard]] bool done() const { return finished_ == state_.size() || per_sender_ == 0; }
  [[nodiscard]] size_t accepted_count(size_t sender) const { return state_[sender].next; }

  static Clock::duration backoff(uint32_t attempts) {
    const uint32_t doublings = std::min<uint32_t>(attempts == 0 ? 0 : attempts - 1, 7);
    return std::min<Clock::duration>(kFirstBackoff * (1u << doublings), kMaxBackoff);
  }

 private:
  struct State {
    size_t next = 0;
    uint32_t attempts = 0;
    bool in_flight = false;
  };
  size_t per_sender_;
  std::vector<State> state_;
  std::deque<size_t> ready_;
  std::multimap<Clock::time_point, size_t> backoff_;
  size_t finished_ = 0;
};

}  // namespace btt::load

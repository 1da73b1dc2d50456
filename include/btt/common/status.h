#pragma once
// Stable result codes and the Status/Result types every layer returns.
//
// Codes are grouped by kind and never change meaning once released (they are stored in tx
// results):
//   0         ok
//   100..199  malformed: the tx or request is invalid on its face and never enters a block
//   200..299  rejected: not includable against the current state (nonce, fee balance); no fee is
//             charged; some become valid later (a nonce gap filled, funds received)
//   300..399  failed with fee: included in a block, the fee is paid and the nonce bumped, every
//             other write of the tx is dropped
//   500..599  node-local errors (storage, internal, unavailable); never stored in a tx result
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace btt {

enum class Code : uint32_t {
  kOk = 0,

  // malformed
  kMalformed = 100,        // bytes do not decode, or a field is missing
  kBadSignature = 101,     // the signature does not verify for the body and public key
  kWrongChainId = 102,     // body.chain_id differs from this chain's
  kFeeTooLow = 103,        // fee below the minimum fee parameter
  kNoMessages = 104,       // a tx carries no message
  kTooManyMessages = 105,  // more messages than the per-tx limit
  kTxTooLarge = 106,       // encoded tx above the size limit
  kInvalidAddress = 107,   // not a bech32m `btt` address of 20 bytes
  kInvalidAmount = 108,    // zero amount where a positive one is required
  kInvalidAsset = 109,     // asset name outside the allowed format
  kMemoTooLong = 110,      // memo above the limit
  kUnknownMessage = 111,   // message kind this node has no handler for
  kSenderMismatch = 112,   // sender address is not derived from the public key
  kTooManyOutputs = 113,   // MultiTransfer with more outputs than allowed
  kInvalidArgument = 114,  // a field (of a message, a request or a genesis) out of range or form

  // rejected (not includable now, no fee)
  kNonceTooLow = 200,             // nonce already used: a replay or a stale tx
  kNonceTooHigh = 201,            // nonce ahead of the account's next nonce
  kInsufficientFeeBalance = 202,  // spendable BTT does not cover the fee
  kMempoolFull = 203,             // mempool full and the fee does not beat the cheapest tx
  kDuplicateTx = 204,             // the same tx id is already pending or committed
  kNonceConflict = 205,           // another pending tx holds this nonce with an equal or higher fee

  // failed with fee
  kInsufficientFunds = 300,  // spendable balance below the amount
  kUnknownAsset = 301,       // the asset is not registered on chain
  kBalanceOverflow = 302,    // a credit would exceed uint64
  kLockedFunds = 303,        // the amount is locked (vesting, bonds) and not spendable
  kUnauthorized = 304,       // the sender does not hold the role the message needs
  kAlreadyExists = 305,      // the record the message would create exists already
  kLimitExceeded = 306,      // the message would go beyond a cap (an allocation's total, a count)
  kUnknownRecord = 307,      // the message names an on-chain record that does not exist
  kWrongState = 308,         // the record exists but its state does not allow the message now

  // node-local
  kNotFound = 500,
  kInternal = 501,
  kUnavailable = 502,
  kStorage = 503,
};

[[nodiscard]] const char* code_name(Code code);

// What exactly failed, beside the kind (the Cosmos SDK's codespace + code idea). Every module owns
// one code space of 1,000 details: detail = space x 1000 + n, n in 1..999. A detail is declared
// once, in its module's errors.h, with the kind it always travels with, and never changes meaning
// once released (it is stored in tx results). 0 means "no detail".
//   space 0 ledger/chain   1 bank         2 tokenomics   3 compute     4 roles
//         5 staking        6 governance   7 oracle       8 payfi       9 rwa
//        10 incentives    11 consent     12 auth (multisig, key rotation)   13 params
struct ErrorDef {
  uint32_t detail = 0;
  Code kind = Code::kOk;
  std::string_view name;  // snake_case, unique within the space, e.g. "job_not_open"
};

inline constexpr uint32_t kDetailsPerSpace = 1000;
[[nodiscard]] constexpr uint32_t detail_space(uint32_t detail) {
  return detail / kDetailsPerSpace;
}
// The space's name ("compute"), or "" for an unassigned space.
[[nodiscard]] std::string_view codespace_name(uint32_t space);

// Client-supplied text quoted in an error message: `text` itself when it has at most `max` bytes,
// else its first `max` bytes (cut at a UTF-8 character boundary) and "... (N bytes)". Keeps a
// 100 KB "address" from turning into a 100 KB status message, which gRPC clients refuse as
// oversized metadata (RESOURCE_EXHAUSTED instead of the real error).
[[nodiscard]] std::string excerpt(std::string_view text, size_t max = 64);
[[nodiscard]] inline bool is_malformed(Code c) {
  return static_cast<uint32_t>(c) >= 100 && static_cast<uint32_t>(c) < 200;
}
[[nodiscard]] inline bool is_rejected(Code c) {
  return static_cast<uint32_t>(c) >= 200 && static_cast<uint32_t>(c) < 300;
}
[[nodiscard]] inline bool is_failed_with_fee(Code c) {
  return static_cast<uint32_t>(c) >= 300 && static_cast<uint32_t>(c) < 400;
}

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}
  // A module's precise failure: the kind comes from the declaration.
  Status(const ErrorDef& error, std::string message)
      : code_(error.kind), detail_(error.detail), message_(std::move(message)) {}
  static Status ok() { return {}; }

  bool is_ok() const { return code_ == Code::kOk; }
  explicit operator bool() const { return is_ok(); }
  Code code() const { return code_; }
  // The module detail (ErrorDef::detail), 0 when the failure has none.
  uint32_t detail() const { return detail_; }
  const std::string& message() const { return message_; }
  // The same failure with a prefix on its message ("message 2: ..."), detail kept.
  Status prefixed(std::string_view prefix) const;
  std::string to_string() const;

 private:
  Code code_ = Code::kOk;
  uint32_t detail_ = 0;
  std::string message_;
};

// A value or a failed Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  Result(Status status) : v_(std::move(status)) {}  // NOLINT(google-explicit-constructor)
  Result(Code code, std::string message) : v_(Status(code, std::move(message))) {}

  bool is_ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return is_ok(); }
  const T& value() const& { return std::get<T>(v_); }
  T& value() & { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }
  Status status() const { return is_ok() ? Status::ok() : std::get<Status>(v_); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace btt

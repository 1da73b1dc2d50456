#include "btt/common/status.h"

namespace btt {

const char* code_name(Code code) {
  switch (code) {
    case Code::kOk:
      return "OK";
    case Code::kMalformed:
      return "MALFORMED";
    case Code::kBadSignature:
      return "BAD_SIGNATURE";
    case Code::kWrongChainId:
      return "WRONG_CHAIN_ID";
    case Code::kFeeTooLow:
      return "FEE_TOO_LOW";
    case Code::kNoMessages:
      return "NO_MESSAGES";
    case Code::kTooManyMessages:
      return "TOO_MANY_MESSAGES";
    case Code::kTxTooLarge:
      return "TX_TOO_LARGE";
    case Code::kInvalidAddress:
      return "INVALID_ADDRESS";
    case Code::kInvalidAmount:
      return "INVALID_AMOUNT";
    case Code::kInvalidAsset:
      return "INVALID_ASSET";
    case Code::kMemoTooLong:
      return "MEMO_TOO_LONG";
    case Code::kUnknownMessage:
      return "UNKNOWN_MESSAGE";
    case Code::kSenderMismatch:
      return "SENDER_MISMATCH";
    case Code::kTooManyOutputs:
      return "TOO_MANY_OUTPUTS";
    case Code::kInvalidArgument:
      return "INVALID_ARGUMENT";
    case Code::kNonceTooLow:
      return "NONCE_TOO_LOW";
    case Code::kNonceTooHigh:
      return "NONCE_TOO_HIGH";
    case Code::kInsufficientFeeBalance:
      return "INSUFFICIENT_FEE_BALANCE";
    case Code::kMempoolFull:
      return "MEMPOOL_FULL";
    case Code::kDuplicateTx:
      return "DUPLICATE_TX";
    case Code::kNonceConflict:
      return "NONCE_CONFLICT";
    case Code::kInsufficientFunds:
      return "INSUFFICIENT_FUNDS";
    case Code::kUnknownAsset:
      return "UNKNOWN_ASSET";
    case Code::kBalanceOverflow:
      return "BALANCE_OVERFLOW";
    case Code::kLockedFunds:
      return "LOCKED_FUNDS";
    case Code::kUnauthorized:
      return "UNAUTHORIZED";
    case Code::kAlreadyExists:
      return "ALREADY_EXISTS";
    case Code::kLimitExceeded:
      return "LIMIT_EXCEEDED";
    case Code::kUnknownRecord:
      return "UNKNOWN_RECORD";
    case Code::kWrongState:
      return "WRONG_STATE";
    case Code::kNotFound:
      return "NOT_FOUND";
    case Code::kInternal:
      return "INTERNAL";
    case Code::kUnavailable:
      return "UNAVAILABLE";
    case Code::kStorage:
      return "STORAGE";
  }
  return "UNKNOWN";
}

std::string excerpt(std::string_view text, size_t max) {
  if (text.size() <= max) return std::string(text);
  size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "... (" + std::to_string(text.size()) + " bytes)";
}

std::string_view codespace_name(uint32_t space) {
  static constexpr std::string_view kNames[] = {
      "ledger", "bank",  "tokenomics", "compute",    "roles",   "staking", "governance",
      "oracle", "payfi", "rwa",        "incentives", "consent", "auth",    "params"};
  return space < std::size(kNames) ? kNames[space] : std::string_view();
}

Status Status::prefixed(std::string_view prefix) const {
  Status out = *this;
  out.message_ = std::string(prefix) + message_;
  return out;
}

std::string Status::to_string() const {
  if (is_ok()) return "OK";
  std::string out = std::string(code_name(code_)) + " (" +
                    std::to_string(static_cast<uint32_t>(code_)) + "): " + message_;
  if (detail_ != 0) {
    out += " [" + std::string(codespace_name(detail_space(detail_))) + " " +
           std::to_string(detail_) + "]";
  }
  return out;
}

}  // namespace btt

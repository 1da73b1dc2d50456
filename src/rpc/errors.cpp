#include "services.h"

namespace btt::rpc {

grpc::Status to_grpc(const Status& status) {
  if (status.is_ok()) return grpc::Status::OK;
  const Code code = status.code();
  grpc::StatusCode g = grpc::StatusCode::FAILED_PRECONDITION;
  if (is_malformed(code)) {
    g = grpc::StatusCode::INVALID_ARGUMENT;
  } else if (code == Code::kDuplicateTx) {
    g = grpc::StatusCode::ALREADY_EXISTS;
  } else if (code == Code::kMempoolFull) {
    g = grpc::StatusCode::RESOURCE_EXHAUSTED;
  } else if (code == Code::kNotFound) {
    g = grpc::StatusCode::NOT_FOUND;
  } else if (code == Code::kUnavailable) {
    g = grpc::StatusCode::UNAVAILABLE;
  } else if (code == Code::kInternal || code == Code::kStorage) {
    g = grpc::StatusCode::INTERNAL;
  }
  return {g, status.to_string()};
}

grpc::Status invalid(const std::string& message) {
  return {grpc::StatusCode::INVALID_ARGUMENT, message};
}

grpc::Status not_found(const std::string& message) { return {grpc::StatusCode::NOT_FOUND, message}; }

StreamSlot::StreamSlot(RpcContext& ctx) : ctx_(ctx) {
  uint32_t open = ctx_.open_streams.load();
  while (open < ctx_.max_streams) {
    if (ctx_.open_streams.compare_exchange_weak(open, open + 1)) {
      acquired_ = true;
      return;
    }
  }
}

StreamSlot::~StreamSlot() {
  if (acquired_) ctx_.open_streams.fetch_sub(1);
}

}  // namespace btt::rpc

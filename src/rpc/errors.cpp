#include "btt/rpc/error_trailers.h"
#include "services.h"

namespace btt::rpc {
namespace {
// Status messages travel as HTTP/2 trailers; clients refuse large metadata (8-16 KB by default)
// and report RESOURCE_EXHAUSTED instead of the real status, so no message may get near that.
constexpr size_t kMaxStatusMessage = 1024;
}  // namespace

grpc::Status status(grpc::StatusCode code, const std::string& message) {
  return {code, excerpt(message, kMaxStatusMessage)};
}

void add_error_trailers(grpc::ServerContext* context, const Status& status) {
  if (status.is_ok() || context == nullptr) return;
  context->AddTrailingMetadata(kCodeTrailer, std::to_string(static_cast<uint32_t>(status.code())));
  if (status.detail() == 0) return;
  context->AddTrailingMetadata(kDetailTrailer, std::to_string(status.detail()));
  context->AddTrailingMetadata(kCodespaceTrailer,
                               std::string(codespace_name(detail_space(status.detail()))));
}

grpc::Status to_grpc(grpc::ServerContext* context, const Status& status) {
  if (status.is_ok()) return grpc::Status::OK;
  add_error_trailers(context, status);
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
  return rpc::status(g, status.to_string());
}

grpc::Status invalid(const std::string& message) {
  return status(grpc::StatusCode::INVALID_ARGUMENT, message);
}

grpc::Status not_found(const std::string& message) {
  return status(grpc::StatusCode::NOT_FOUND, message);
}

Result<crypto::Address> request_address(const std::string& text, const char* what) {
  auto a = crypto::Address::parse(text);
  if (!a) {
    return Status{Code::kInvalidArgument,
                  std::string(what) + " '" + excerpt(text) + "' is not a btt address"};
  }
  return *a;
}

Status missing(const std::string& what) {
  return {Code::kNotFound, what};
}

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

grpc::Status follow_chain(RpcContext& ctx, grpc::ServerContext* context, uint64_t from_height,
                          const DeliverFn& deliver) {
  StreamSlot slot(ctx);
  if (!slot.acquired()) {
    return {grpc::StatusCode::RESOURCE_EXHAUSTED, "too many open streams on this node"};
  }
  uint64_t next = from_height == 0 ? ctx.chain.tip().height() + 1 : from_height;
  while (!context->IsCancelled() && !ctx.hub.closed()) {
    if (next > ctx.chain.tip().height()) {
      ctx.hub.wait_beyond(next - 1, std::chrono::milliseconds(250));
      continue;
    }
    bool keep_going = true;
    if (auto s = deliver(next, keep_going); !s.ok()) return s;
    if (!keep_going) return grpc::Status::OK;
    ++next;
  }
  if (ctx.hub.closed()) return {grpc::StatusCode::UNAVAILABLE, "node is shutting down"};
  return grpc::Status::OK;
}

}  // namespace btt::rpc

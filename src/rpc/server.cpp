#include "btt/rpc/server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>

#include "services.h"

namespace btt::rpc {

struct RpcServer::Services {
  explicit Services(RpcContext& ctx) : node(ctx), blocks(ctx), txs(ctx), bank(ctx) {}
  NodeService node;
  BlocksService blocks;
  TxsService txs;
  BankService bank;
};

Result<std::unique_ptr<RpcServer>> RpcServer::start(const ServerOptions& options,
                                                    RpcContext& context) {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  std::unique_ptr<RpcServer> server(new RpcServer());
  server->services_ = std::make_unique<Services>(context);
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.addr, grpc::InsecureServerCredentials(), &server->port_);
  builder.SetMaxReceiveMessageSize(static_cast<int>(options.max_message_bytes));
  builder.SetMaxSendMessageSize(static_cast<int>(options.max_message_bytes));
  builder.RegisterService(&server->services_->node);
  builder.RegisterService(&server->services_->blocks);
  builder.RegisterService(&server->services_->txs);
  builder.RegisterService(&server->services_->bank);
  server->server_ = builder.BuildAndStart();
  if (!server->server_ || server->port_ == 0) {
    return Status(Code::kUnavailable, "cannot listen for gRPC on " + options.addr +
                                          " (address in use or not local?)");
  }
  if (auto* health = server->server_->GetHealthCheckService()) {
    health->SetServingStatus(true);
  }
  return server;
}

RpcServer::~RpcServer() { shutdown(); }

void RpcServer::shutdown() {
  if (!server_) return;
  if (auto* health = server_->GetHealthCheckService()) health->SetServingStatus(false);
  // Streams and broadcast waits end on their own once the hub is closed; whatever is still in
  // flight after a short grace is cancelled (a connection half-made during start-up would
  // otherwise hold the shutdown for the whole deadline).
  server_->Shutdown(std::chrono::system_clock::now() + std::chrono::milliseconds(300));
  server_->Wait();
  server_.reset();
}

}  // namespace btt::rpc

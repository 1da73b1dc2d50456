#include "btt/rpc/server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/support/server_interceptor.h>

#include "services.h"

namespace btt::rpc {
namespace {

namespace gx = grpc::experimental;

// Request bytes that do not decode as the method's request message never reach a handler: gRPC
// answers them itself with INTERNAL and an empty message, which reads like a node bug. They are
// the client's error, so they get INVALID_ARGUMENT and a message that says what went wrong.
// (bttd's handlers never answer INTERNAL without a message, so nothing else is rewritten.)
class UndecodableRequestInterceptor final : public gx::Interceptor {
 public:
  explicit UndecodableRequestInterceptor(gx::ServerRpcInfo* info) : info_(info) {}
  void Intercept(gx::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(gx::InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status sent = methods->GetSendStatus();
      if (sent.error_code() == grpc::StatusCode::INTERNAL && sent.error_message().empty()) {
        methods->ModifySendStatus(
            {grpc::StatusCode::INVALID_ARGUMENT,
             std::string("request bytes do not decode as the request message of ") +
                 (info_->method() ? info_->method() : "this method")});
      }
    }
    methods->Proceed();
  }

 private:
  gx::ServerRpcInfo* info_;
};

class UndecodableRequestInterceptorFactory final : public gx::ServerInterceptorFactoryInterface {
 public:
  gx::Interceptor* CreateServerInterceptor(gx::ServerRpcInfo* info) override {
    return new UndecodableRequestInterceptor(info);
  }
};

}  // namespace

struct RpcServer::Services {
  explicit Services(RpcContext& ctx)
      : node(ctx),
        blocks(ctx),
        txs(ctx),
        bank(ctx),
        tokenomics(ctx),
        roles(ctx),
        staking(ctx),
        params(ctx),
        consensus(ctx),
        compute(ctx),
        governance(ctx),
        oracle(ctx),
        payfi(ctx),
        rwa(ctx),
        consent(ctx) {}
  NodeService node;
  BlocksService blocks;
  TxsService txs;
  BankService bank;
  TokenomicsService tokenomics;
  RolesService roles;
  StakingService staking;
  ParamsService params;
  ConsensusService consensus;
  ComputeService compute;
  GovernanceService governance;
  OracleService oracle;
  PayFiService payfi;
  RwaService rwa;
  ConsentService consent;
};

Result<std::unique_ptr<RpcServer>> RpcServer::start(const ServerOptions& options,
                                                    RpcContext& context) {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  std::unique_ptr<RpcServer> server(new RpcServer());
  server->services_ = std::make_unique<Services>(context);
  grpc::ServerBuilder builder;
  // gRPC enables SO_REUSEPORT by default, which would let a second node bind the same port and
  // take half of the first one's clients; a port in use must be an error.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.AddListeningPort(options.addr, grpc::InsecureServerCredentials(), &server->port_);
  // Requests are bounded; answers are not: a block answer (GetBlock, StreamBlocks) is a little
  // larger than its block, and blocks may be up to max_block_bytes (8 MiB by default, above the
  // default 4 MiB here). Capping answers would make large blocks unreadable over gRPC.
  builder.SetMaxReceiveMessageSize(static_cast<int>(options.max_message_bytes));
  builder.SetMaxSendMessageSize(-1);
  builder.RegisterService(&server->services_->node);
  builder.RegisterService(&server->services_->blocks);
  builder.RegisterService(&server->services_->txs);
  builder.RegisterService(&server->services_->bank);
  builder.RegisterService(&server->services_->tokenomics);
  builder.RegisterService(&server->services_->roles);
  builder.RegisterService(&server->services_->staking);
  builder.RegisterService(&server->services_->params);
  builder.RegisterService(&server->services_->consensus);
  builder.RegisterService(&server->services_->compute);
  builder.RegisterService(&server->services_->governance);
  builder.RegisterService(&server->services_->oracle);
  builder.RegisterService(&server->services_->payfi);
  builder.RegisterService(&server->services_->rwa);
  builder.RegisterService(&server->services_->consent);
  std::vector<std::unique_ptr<gx::ServerInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(std::make_unique<UndecodableRequestInterceptorFactory>());
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  server->server_ = builder.BuildAndStart();
  if (!server->server_ || server->port_ == 0) {
    return Status(Code::kUnavailable,
                  "cannot listen for gRPC on " + options.addr + " (address in use or not local?)");
  }
  if (auto* health = server->server_->GetHealthCheckService()) {
    health->SetServingStatus(true);
  }
  return server;
}

RpcServer::~RpcServer() {
  shutdown();
}

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

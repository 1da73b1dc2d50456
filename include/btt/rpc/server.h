#pragma once
// The gRPC server: every service of the node, reflection and grpc.health.v1.
#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "btt/chain/block_hub.h"
#include "btt/chain/chain.h"
#include "btt/common/status.h"
#include "btt/mempool/mempool.h"
#include "btt/v1/consensus_query.pb.h"

namespace grpc {
class Server;
}

namespace btt::rpc {

// What the Consensus service reads; the node implements it (rpc knows no p2p or reactor).
class ConsensusView {
 public:
  virtual ~ConsensusView() = default;
  [[nodiscard]] virtual v1::Peers peers() const = 0;
  [[nodiscard]] virtual v1::ConsensusState consensus_state() const = 0;
  [[nodiscard]] virtual std::vector<v1::Evidence> evidence() const = 0;
};

struct RpcContext {
  chain::Chain& chain;
  mempool::Mempool& pool;
  chain::BlockHub& hub;
  std::string validator_address;
  std::string moniker;
  uint32_t max_streams = 64;
  std::atomic<uint32_t> open_streams{0};
  const ConsensusView* consensus = nullptr;
  // Called with every tx admitted through BroadcastTx (the node gossips it to peers).
  std::function<void(const v1::Tx&)> on_tx_admitted = nullptr;
};

struct ServerOptions {
  std::string addr;
  uint32_t max_message_bytes = 4u << 20;  // the largest request; answers are not bounded
};

class RpcServer {
 public:
  // Binds and starts serving; kUnavailable if the address cannot be bound.
  [[nodiscard]] static Result<std::unique_ptr<RpcServer>> start(const ServerOptions& options,
                                                                RpcContext& context);
  ~RpcServer();
  // Ends open streams and waits (bounded) for calls in flight.
  void shutdown();
  [[nodiscard]] int port() const { return port_; }

 private:
  RpcServer() = default;
  struct Services;
  std::unique_ptr<Services> services_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

}  // namespace btt::rpc

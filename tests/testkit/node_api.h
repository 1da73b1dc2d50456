#pragma once
// A gRPC client of one bttd for integration tests: the four service stubs, plus typed calls
// that throw std::runtime_error on a failed status (or answer nullopt where absence is normal).
#include <grpcpp/grpcpp.h>

#include <memory>
#include <optional>
#include <string>

#include "btt/common/bytes.h"
#include "btt/v1/bank.grpc.pb.h"
#include "btt/v1/node.grpc.pb.h"
#include "btt/v1/tokenomics.grpc.pb.h"

namespace btt::testkit {

// Sets a deadline `ms` from now on a client context.
void set_deadline(grpc::ClientContext& ctx, int ms = 5000);

class NodeApi {
 public:
  explicit NodeApi(const std::string& addr);

  [[nodiscard]] v1::NodeStatus status();
  [[nodiscard]] v1::AccountInfo account(const std::string& addr);
  [[nodiscard]] uint64_t balance(const std::string& addr, const std::string& asset = "BTT");
  [[nodiscard]] v1::Supply supply();
  [[nodiscard]] uint64_t supply_of(const std::string& asset = "BTT");
  // wait: BroadcastTx with wait_for_commit (and a 20 s deadline).
  grpc::Status broadcast(const v1::Tx& tx, bool wait, v1::BroadcastTxResponse* out);
  // A committed tx (nullopt when unknown or still pending).
  [[nodiscard]] std::optional<v1::TxInfo> tx(const Hash32& id);
  [[nodiscard]] std::optional<v1::BlockInfo> block(uint64_t height);

  [[nodiscard]] const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }

 private:
  std::shared_ptr<grpc::Channel> channel_;

 public:
  std::unique_ptr<v1::Node::Stub> node;
  std::unique_ptr<v1::Blocks::Stub> blocks;
  std::unique_ptr<v1::Txs::Stub> txs;
  std::unique_ptr<v1::Bank::Stub> bank;
  std::unique_ptr<v1::Tokenomics::Stub> tokenomics;
};

// The node's height; 0 while it does not answer (starting, stopped).
[[nodiscard]] uint64_t height_of(NodeApi& api);
// Waits until the node reports at least `height`; false after timeout_s.
[[nodiscard]] bool wait_height(NodeApi& api, uint64_t height, int timeout_s);
// The hash of the block at `height`; empty when the node has none.
[[nodiscard]] std::string block_hash_at(NodeApi& api, uint64_t height);

}  // namespace btt::testkit

#pragma once
// The gRPC server over an in-process chain, for tests of the rpc adapters through real gRPC calls
// on 127.0.0.1 (a port of the system's choosing) without a bttd process. Blocks are made by hand
// with commit(), so a test knows exactly what each block holds.
#include <grpcpp/grpcpp.h>

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "btt/chain/block_hub.h"
#include "btt/mempool/mempool.h"
#include "btt/rpc/server.h"
#include "testkit/chain_node.h"

namespace btt::testkit {

struct RpcHarnessOptions {
  std::vector<std::string> funded = {"alice"};
  // The genesis power of test_key("validator").
  uint64_t validator_power = 1;
  // A genesis "modules.staking" section (null: the chain runs without staking); its validator
  // row for test_key("validator") must stake validator_power x power_unit.
  nlohmann::json staking = nullptr;
  // A genesis "modules.governance" section (null: without governance).
  nlohmann::json governance = nullptr;
  // A genesis "modules.payfi" section (null: without PayFi).
  nlohmann::json payfi = nullptr;
  // A genesis "modules.rwa" section (null: without RWA).
  nlohmann::json rwa = nullptr;
};

class RpcHarness {
 public:
  static constexpr const char* kChainId = "btt-test-1";
  static constexpr uint64_t kFundedUnits = 1'000 * 100'000'000ULL;

  // Chain kChainId: test_key("validator") alone, test_key(name) of each of `funded` holding
  // kFundedUnits BTT, role_admin held by test_key(TestEnv::kRoleAdmin) (funded too, so it can
  // pay fees) and milestone_authority by test_key(TestEnv::kAuthority).
  explicit RpcHarness(const std::vector<std::string>& funded = {"alice"});
  explicit RpcHarness(const RpcHarnessOptions& options);
  // With more genesis module sections: {"staking": {...}} (the only one it takes).
  RpcHarness(const std::vector<std::string>& funded, const nlohmann::json& module_sections);
  // {"staking": {...}} that makes the harness validator a staking validator: 1 BTT of self stake
  // (its power 1) from test_key(operator_name), which must be funded.
  [[nodiscard]] static nlohmann::json staking_section(const std::string& operator_name);
  ~RpcHarness();

  [[nodiscard]] chain::Chain& chain() { return *node_->chain; }
  [[nodiscard]] const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }
  [[nodiscard]] std::string address() const;

  // A body from `from` with `message` as its only message and the sender's next nonce by
  // committed state.
  [[nodiscard]] v1::TxBody body(const crypto::KeyPair& from, const v1::Message& message,
                                uint64_t fee = 1000) const;
  [[nodiscard]] v1::Tx sign(const crypto::KeyPair& from, const v1::TxBody& body) const;

  // Commits the next block with `txs` (a tx the block cannot include is dropped, as a proposer
  // does) and wakes the streams. Fails the test when the block cannot be made.
  chain::CommittedBlock commit(const std::vector<v1::Tx>& txs = {});

 private:
  crypto::KeyPair validator_;
  std::unique_ptr<chain::ModuleRegistry> registry_;
  std::unique_ptr<ChainNode> node_;
  std::unique_ptr<mempool::Mempool> pool_;
  std::unique_ptr<chain::BlockHub> hub_;
  std::unique_ptr<rpc::RpcContext> context_;
  std::unique_ptr<rpc::RpcServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

// Every btt-* trailer of a finished call (doc/api.md "Error details in gRPC trailers").
[[nodiscard]] std::map<std::string, std::string> btt_trailers(const grpc::ClientContext& ctx);

}  // namespace btt::testkit

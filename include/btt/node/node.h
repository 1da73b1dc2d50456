#pragma once
// The composition root: the one place that wires storage, chain, mempool, block production and
// the gRPC server together (DESIGN.md "Conventions": one context object, no globals).
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>

#include "btt/chain/block_hub.h"
#include "btt/chain/chain.h"
#include "btt/consensus/producer.h"
#include "btt/mempool/mempool.h"
#include "btt/node/config.h"
#include "btt/node/home_lock.h"
#include "btt/node/mempool_tx_source.h"
#include "btt/node/reactor.h"
#include "btt/p2p/transport.h"
#include "btt/rpc/server.h"
#include "btt/storage/db.h"

namespace btt::node {

class Node final : private rpc::ConsensusView {
 public:
  // Takes the home lock, loads genesis and the validator key, opens the database and the chain.
  [[nodiscard]] static Result<std::unique_ptr<Node>> open(const Config& config);
  ~Node() override;

  // Starts the gRPC server and block production.
  [[nodiscard]] Status start();
  // Thread-safe; wakes wait_for_stop().
  void request_stop(std::string reason, bool failure = false);
  // Blocks until request_stop(); returns true if the stop was caused by a failure.
  bool wait_for_stop();
  // Stops production (finishing the block in progress), the gRPC server and closes storage.
  void shutdown();

  [[nodiscard]] chain::Chain& chain() { return *chain_; }
  [[nodiscard]] int grpc_port() const { return rpc_ ? rpc_->port() : 0; }

 private:
  Node() = default;
  [[nodiscard]] v1::Peers peers() const override;
  [[nodiscard]] v1::ConsensusState consensus_state() const override;
  [[nodiscard]] std::vector<v1::Evidence> evidence() const override;

  Config config_;
  std::unique_ptr<HomeLock> lock_;
  std::unique_ptr<chain::ModuleRegistry> registry_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<chain::Chain> chain_;
  std::unique_ptr<mempool::Mempool> pool_;
  std::unique_ptr<chain::BlockHub> hub_;
  std::unique_ptr<consensus::SystemClock> clock_;
  std::unique_ptr<MempoolTxSource> producer_txs_;  // before producer_, which reads it
  std::unique_ptr<consensus::BlockProducer> producer_;
  std::unique_ptr<rpc::RpcContext> rpc_ctx_;
  std::unique_ptr<rpc::RpcServer> rpc_;
  std::optional<crypto::KeyPair> validator_key_;
  // With [p2p]: the network, the double-sign guard and the consensus reactor.
  std::optional<crypto::KeyPair> node_key_;
  std::unique_ptr<p2p::Transport> transport_;
  std::unique_ptr<chain::Signer> signer_;
  std::unique_ptr<consensus::Wal> wal_;  // before reactor_, which writes to it
  std::unique_ptr<Reactor> reactor_;

  std::mutex stop_mu_;
  std::condition_variable stop_cv_;
  bool stop_requested_ = false;
  bool stop_failure_ = false;
  bool shut_down_ = false;
};

}  // namespace btt::node

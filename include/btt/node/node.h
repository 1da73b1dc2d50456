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

// bttd's exit status when it stops for a governance software upgrade that this binary does not
// handle (1 is a failure, 2 a usage error). The log line and HOME/data/upgrade-info.json name
// the plan.
inline constexpr int kExitUpgradeNeeded = 3;

enum class StopKind { kClean, kFailure, kUpgrade };

class Node final : private rpc::ConsensusView {
 public:
  // Takes the home lock, loads genesis and the validator key, opens the database and the chain.
  [[nodiscard]] static Result<std::unique_ptr<Node>> open(const Config& config);
  ~Node() override;

  // The upgrade plan due at the next height that this binary neither handles nor skips: then
  // the node must not start (bttd exits with kExitUpgradeNeeded).
  [[nodiscard]] std::optional<v1::UpgradePlan> upgrade_needed() const {
    return chain_->upgrade_needed();
  }
  // Logs the halt and writes HOME/data/upgrade-info.json.
  void report_upgrade_halt(const v1::UpgradePlan& plan) const;
  // Starts the gRPC server and block production.
  [[nodiscard]] Status start();
  // Thread-safe; wakes wait_for_stop(). The first kind other than kClean is the one reported.
  void request_stop(std::string reason, StopKind kind = StopKind::kClean);
  // Blocks until request_stop(); returns the kind of stop.
  StopKind wait_for_stop();
  // Stops production (finishing the block in progress), the gRPC server and closes storage.
  void shutdown();

  [[nodiscard]] chain::Chain& chain() { return *chain_; }
  [[nodiscard]] int grpc_port() const { return rpc_ ? rpc_->port() : 0; }

 private:
  Node() = default;
  [[nodiscard]] v1::Peers peers() const override;
  [[nodiscard]] v1::ConsensusState consensus_state() const override;
  [[nodiscard]] std::vector<v1::Evidence> evidence() const override;
  // After every committed block (consensus, block sync or the producer): streams learn of it,
  // and the node stops if the next height is an upgrade it does not handle.
  void committed(const chain::CommittedBlock& block);

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
  StopKind stop_kind_ = StopKind::kClean;
  bool shut_down_ = false;
};

}  // namespace btt::node

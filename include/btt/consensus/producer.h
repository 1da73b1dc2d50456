#pragma once
// Single-validator block production: every block time, reap the tx source (the node's mempool),
// propose, commit.
// (Multi-validator BFT replaces this with the Tendermint state machine; the chain's propose()
// and apply() stay as they are.)
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "btt/chain/chain.h"
#include "btt/consensus/clock.h"
#include "btt/consensus/tx_source.h"

namespace btt::consensus {

struct ProducerOptions {
  uint32_t block_time_ms = 1000;
  bool create_empty_blocks = true;
  // With create_empty_blocks = false: an empty block anyway once this long (block time, ms) has
  // passed since the last block; 0: never.
  uint64_t create_empty_blocks_interval_ms = 0;
};

class BlockProducer {
 public:
  using OnCommit = std::function<void(const chain::CommittedBlock&)>;
  BlockProducer(chain::Chain& chain, TxSource& txs, crypto::KeyPair key, ProducerOptions options,
                const Clock& clock, OnCommit on_commit);
  ~BlockProducer();

  // Called from the producer thread when production cannot go on (a storage failure).
  void set_on_fatal(std::function<void(const std::string&)> on_fatal) {
    on_fatal_ = std::move(on_fatal);
  }
  void start();
  void stop();  // finishes the block in progress, then returns
  // One round: reap, propose, commit, update the tx source. nullopt when there was nothing to do
  // (no txs and empty blocks disabled). Throws storage::StorageError on a storage failure.
  [[nodiscard]] Result<std::optional<chain::CommittedBlock>> produce_once();

 private:
  void run();

  chain::Chain& chain_;
  TxSource& txs_;
  crypto::KeyPair key_;
  ProducerOptions options_;
  const Clock& clock_;
  OnCommit on_commit_;
  std::function<void(const std::string&)> on_fatal_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
};

}  // namespace btt::consensus

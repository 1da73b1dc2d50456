#pragma once
// Runs what does not depend on state (the BIP340 signature and the stateless checks) for a
// block's txs ahead of its sequential apply. Worker threads claim txs in order, a small batch at
// a time; the applying thread asks for tx i's verdict and, while it is not known yet, checks an
// unclaimed batch itself. So every core works while the apply goes on, and the apply never waits
// for more than the batch in front of it.
#include <atomic>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "btt/chain/tx.h"
#include "btt/common/status.h"

namespace btt::chain {

class PrecheckPipeline {
 public:
  // `check` runs the stateless checks of one tx; it must be safe to call from several threads.
  using CheckFn = std::function<Status(const DecodedTx&)>;
  PrecheckPipeline(const std::vector<TxPtr>& txs, CheckFn check);
  ~PrecheckPipeline();
  PrecheckPipeline(const PrecheckPipeline&) = delete;
  PrecheckPipeline& operator=(const PrecheckPipeline&) = delete;

  // Tx i's verdict: ok, kBadSignature, or what `check` said; blocks until it is known.
  [[nodiscard]] const Status& verdict(size_t i);

 private:
  static constexpr size_t kBatch = 16;
  // Claims and checks the next batch; false when nothing is left to claim.
  bool check_next_batch();

  const std::vector<TxPtr>& txs_;
  CheckFn check_;
  std::vector<Status> verdicts_;  // verdicts_[i] is written once, before done_[i]
  std::unique_ptr<std::atomic<bool>[]> done_;
  std::atomic<size_t> next_{0};
  std::atomic<bool> stop_{false};
  std::vector<std::thread> workers_;
};

}  // namespace btt::chain

#pragma once
// Verifies a block's signatures ahead of its sequential apply. Worker threads claim txs in order,
// a small batch at a time; the applying thread asks for tx i's verdict and, while it is not
// known yet, verifies an unclaimed batch itself. So every core verifies while the apply goes on,
// and the apply never waits for more than the batch in front of it.
#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "btt/chain/tx.h"

namespace btt::chain {

class SignaturePipeline {
 public:
  explicit SignaturePipeline(const std::vector<TxPtr>& txs);
  ~SignaturePipeline();
  SignaturePipeline(const SignaturePipeline&) = delete;
  SignaturePipeline& operator=(const SignaturePipeline&) = delete;

  // Whether tx i's signature verifies; blocks until it is known.
  [[nodiscard]] bool verdict(size_t i);

 private:
  static constexpr size_t kBatch = 16;
  // Claims and verifies the next batch; false when nothing is left to claim.
  bool verify_next_batch();

  const std::vector<TxPtr>& txs_;
  std::unique_ptr<std::atomic<uint8_t>[]> state_;  // 0 unknown, 1 valid, 2 invalid
  std::atomic<size_t> next_{0};
  std::atomic<bool> stop_{false};
  std::vector<std::thread> workers_;
};

}  // namespace btt::chain

#include "signature_pipeline.h"

#include <algorithm>

namespace btt::chain {

SignaturePipeline::SignaturePipeline(const std::vector<TxPtr>& txs)
    : txs_(txs), state_(new std::atomic<uint8_t>[txs.size()]) {
  for (size_t i = 0; i < txs.size(); ++i) state_[i].store(0, std::memory_order_relaxed);
  if (txs.size() < 2 * kBatch) return;  // not worth a thread
  // One core stays with the applying thread, which verifies whenever it would otherwise wait.
  unsigned cores = std::max(2u, std::thread::hardware_concurrency());
  for (unsigned t = 0; t + 1 < cores; ++t) {
    workers_.emplace_back([this] {
      while (!stop_.load(std::memory_order_relaxed) && verify_next_batch()) {
      }
    });
  }
}

SignaturePipeline::~SignaturePipeline() {
  stop_.store(true);
  for (auto& w : workers_) w.join();
}

bool SignaturePipeline::verify_next_batch() {
  size_t begin = next_.fetch_add(kBatch, std::memory_order_relaxed);
  if (begin >= txs_.size()) return false;
  size_t end = std::min(txs_.size(), begin + kBatch);
  for (size_t i = begin; i < end; ++i) {
    state_[i].store(verify_tx_signature(*txs_[i]) ? 1 : 2, std::memory_order_release);
  }
  return true;
}

bool SignaturePipeline::verdict(size_t i) {
  while (true) {
    uint8_t s = state_[i].load(std::memory_order_acquire);
    if (s != 0) return s == 1;
    if (!verify_next_batch()) std::this_thread::yield();  // a worker holds tx i's batch
  }
}

}  // namespace btt::chain

#include "precheck_pipeline.h"

#include <pthread.h>

#include <algorithm>

namespace btt::chain {

PrecheckPipeline::PrecheckPipeline(const std::vector<TxPtr>& txs, CheckFn check)
    : txs_(txs),
      check_(std::move(check)),
      verdicts_(txs.size()),
      done_(new std::atomic<bool>[txs.size()]) {
  for (size_t i = 0; i < txs.size(); ++i) done_[i].store(false, std::memory_order_relaxed);
  if (txs.size() < 2 * kBatch) return;  // not worth a thread
  // One core stays with the applying thread, which checks whenever it would otherwise wait.
  unsigned cores = std::max(2u, std::thread::hardware_concurrency());
  for (unsigned t = 0; t + 1 < cores; ++t) {
    workers_.emplace_back([this] {
      pthread_setname_np(pthread_self(), "precheck");
      while (!stop_.load(std::memory_order_relaxed) && check_next_batch()) {
      }
    });
  }
}

PrecheckPipeline::~PrecheckPipeline() {
  stop_.store(true);
  for (auto& w : workers_) w.join();
}

bool PrecheckPipeline::check_next_batch() {
  size_t begin = next_.fetch_add(kBatch, std::memory_order_relaxed);
  if (begin >= txs_.size()) return false;
  size_t end = std::min(txs_.size(), begin + kBatch);
  for (size_t i = begin; i < end; ++i) {
    const auto& tx = *txs_[i];
    if (!verify_tx_signature(tx)) {
      verdicts_[i] = Status(Code::kBadSignature, "signature does not verify");
    } else {
      verdicts_[i] = check_(tx);
    }
    done_[i].store(true, std::memory_order_release);
  }
  return true;
}

const Status& PrecheckPipeline::verdict(size_t i) {
  while (!done_[i].load(std::memory_order_acquire)) {
    if (!check_next_batch()) std::this_thread::yield();  // a worker holds tx i's batch
  }
  return verdicts_[i];
}

}  // namespace btt::chain

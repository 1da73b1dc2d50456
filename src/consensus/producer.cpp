#include "btt/consensus/producer.h"

#include <spdlog/spdlog.h>

namespace btt::consensus {

uint64_t SystemClock::now_ms() const {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

BlockProducer::BlockProducer(chain::Chain& chain, TxSource& txs, crypto::KeyPair key,
                             ProducerOptions options, const Clock& clock, OnCommit on_commit)
    : chain_(chain),
      txs_(txs),
      key_(key),
      options_(options),
      clock_(clock),
      on_commit_(std::move(on_commit)) {}

BlockProducer::~BlockProducer() {
  stop();
}

void BlockProducer::start() {
  thread_ = std::thread([this] { run(); });
}

void BlockProducer::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

Result<std::optional<chain::CommittedBlock>> BlockProducer::produce_once() {
  const auto params = chain_.params();
  auto candidates = txs_.reap(params.max_block_txs(), params.max_block_bytes());
  if (candidates.empty() && !options_.create_empty_blocks) {
    const uint64_t interval = options_.create_empty_blocks_interval_ms;
    const uint64_t last = chain_.tip().time_ms();
    const uint64_t now = clock_.now_ms();
    if (interval == 0 || now < last || now - last < interval) {
      return std::optional<chain::CommittedBlock>();
    }
  }
  auto block = chain_.propose(candidates, clock_.now_ms(), key_);
  if (!block) return block.status();
  std::vector<Hash32> ids;
  ids.reserve(block->txs.size());
  for (const auto& tx : block->txs) ids.push_back(tx->id);
  txs_.update(ids);
  if (on_commit_) on_commit_(*block);
  return std::optional<chain::CommittedBlock>(std::move(*block));
}

void BlockProducer::run() {
  using namespace std::chrono;
  auto next = steady_clock::now() + milliseconds(options_.block_time_ms);
  while (true) {
    {
      std::unique_lock lock(mu_);
      if (cv_.wait_until(lock, next, [&] { return stopping_; })) return;
    }
    next += milliseconds(options_.block_time_ms);
    if (next < steady_clock::now())
      next = steady_clock::now() + milliseconds(options_.block_time_ms);
    try {
      auto r = produce_once();
      if (!r) {
        spdlog::error("block production failed: {}", r.status().to_string());
      } else if (*r) {
        const auto& b = **r;
        // Milliseconds with one decimal, in integers (no floating point in consensus code).
        spdlog::info("committed block height={} txs={} hash={} execute_ms={}.{} commit_ms={}.{}",
                     b.header.height(), b.txs.size(), to_hex(b.hash).substr(0, 16),
                     b.execute_us / 1000, b.execute_us % 1000 / 100, b.commit_us / 1000,
                     b.commit_us % 1000 / 100);
      }
    } catch (const std::exception& e) {
      // A storage failure: stopping is the only safe thing (nothing half-written was committed).
      spdlog::critical("block production stopped: {}", e.what());
      if (on_fatal_) on_fatal_(e.what());
      return;
    }
  }
}

}  // namespace btt::consensus

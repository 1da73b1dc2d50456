#pragma once
// Where block production takes its txs from. Consensus owns this interface and knows no mempool:
// the node wires its mempool to it (node/mempool_tx_source.h), tests may wire anything.
#include <cstddef>
#include <vector>

#include "btt/chain/tx.h"
#include "btt/common/bytes.h"

namespace btt::consensus {

class TxSource {
 public:
  virtual ~TxSource() = default;
  // The txs for the next block, in block order, at most max_txs of at most max_bytes together.
  [[nodiscard]] virtual std::vector<chain::TxPtr> reap(size_t max_txs, size_t max_bytes) = 0;
  // After a block with these txs committed: drop them and whatever the new state made stale.
  virtual void update(const std::vector<Hash32>& committed_ids) = 0;
};

}  // namespace btt::consensus

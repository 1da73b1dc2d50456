#pragma once
// The mempool as the block producer's tx source: consensus and mempool are peer layers that know
// nothing of each other, so the node (the composition root) joins them here.
#include <vector>

#include "btt/chain/chain.h"
#include "btt/consensus/tx_source.h"
#include "btt/mempool/mempool.h"

namespace btt::node {

class MempoolTxSource final : public consensus::TxSource {
 public:
  MempoolTxSource(const chain::Chain& chain, mempool::Mempool& pool) : chain_(chain), pool_(pool) {}

  // Both read the committed accounts through the pool's account cache (mempool/admission.h).
  [[nodiscard]] std::vector<chain::TxPtr> reap(size_t max_txs, size_t max_bytes) override;
  void update(const std::vector<Hash32>& committed_ids) override;

 private:
  const chain::Chain& chain_;
  mempool::Mempool& pool_;
};

}  // namespace btt::node

#include "btt/node/mempool_tx_source.h"

#include "btt/mempool/admission.h"

namespace btt::node {

std::vector<chain::TxPtr> MempoolTxSource::reap(size_t max_txs, size_t max_bytes) {
  return pool_.reap(max_txs, max_bytes, mempool::committed_accounts(chain_, pool_));
}

void MempoolTxSource::update(const std::vector<Hash32>& committed_ids) {
  pool_.update(committed_ids, mempool::committed_accounts(chain_, pool_));
}

}  // namespace btt::node

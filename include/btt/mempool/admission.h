#pragma once
// Admission of a tx from outside (gRPC broadcast, later p2p gossip) into the mempool: decode,
// stateless checks, signature, not already committed, then the pool's own rules.
#include "btt/chain/chain.h"
#include "btt/mempool/mempool.h"

namespace btt::mempool {

// The committed state of an account, as the pool needs it.
[[nodiscard]] AccountView committed_accounts(const chain::Chain& chain);

// On success the tx is in the pool; the returned tx carries its id.
[[nodiscard]] Result<chain::TxPtr> admit(const v1::Tx& tx, const chain::Chain& chain,
                                         Mempool& pool);

}  // namespace btt::mempool

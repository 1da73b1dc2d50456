#pragma once
// Admission of a tx from outside (gRPC broadcast, p2p gossip) into the mempool: decode,
// stateless checks, signature, not already committed, then the pool's own rules.
#include <string_view>

#include "btt/chain/chain.h"
#include "btt/mempool/mempool.h"

namespace btt::mempool {

// The committed state of an account as the pool needs it, read through `pool`'s account cache
// (account_cache.h), so every admission path of a node shares one cache.
[[nodiscard]] AccountView committed_accounts(const chain::Chain& chain, const Mempool& pool);

// On success the tx is in the pool; the returned tx carries its id.
[[nodiscard]] Result<chain::TxPtr> admit(const v1::Tx& tx, const chain::Chain& chain,
                                         Mempool& pool);
// The same for a tx already decoded (decode_tx) from the bytes a peer sent.
[[nodiscard]] Status admit_decoded(const chain::TxPtr& tx, const chain::Chain& chain,
                                   Mempool& pool);

}  // namespace btt::mempool

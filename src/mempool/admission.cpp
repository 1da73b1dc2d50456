#include "btt/mempool/admission.h"

namespace btt::mempool {

namespace {
AccountState read_committed_account(const chain::Chain& chain, const crypto::Address& addr) {
  ledger::Ledger l(chain.state(), &chain.registry().locks());
  AccountState s;
  s.next_nonce = l.next_nonce(addr);
  const uint64_t time_ms = chain.tip().time_ms();
  s.spendable_btt = l.spendable(addr, ledger::kNativeAsset, time_ms);
  s.priority = chain.registry().tx_priority(chain.state(), addr, time_ms);
  return s;
}
}  // namespace

AccountView committed_accounts(const chain::Chain& chain, const Mempool& pool) {
  return [&chain, &pool](const crypto::Address& addr) {
    return pool.account_cache().get(
        addr, chain.tip_height(),
        [&chain](const crypto::Address& a) { return read_committed_account(chain, a); },
        [&chain] { return chain.tip_height(); });
  };
}

Result<chain::TxPtr> admit(const v1::Tx& tx, const chain::Chain& chain, Mempool& pool) {
  auto decoded = chain::decode_tx(tx, chain.params().max_tx_bytes());
  if (!decoded) return decoded.status();
  if (auto s = admit_decoded(*decoded, chain, pool); !s) return s;
  return *decoded;
}

Status admit_decoded(const chain::TxPtr& tx, const chain::Chain& chain, Mempool& pool) {
  const v1::LedgerParams params = chain.params();
  const auto& d = *tx;
  if (auto s = chain::check_tx(d, chain.chain_id(), params, chain.registry()); !s) return s;
  if (pool.contains(d.id)) {
    return Status(Code::kDuplicateTx, "tx " + to_hex(d.id) + " is already known");
  }
  if (!chain::verify_tx_signature(d)) {
    return Status(Code::kBadSignature, "signature does not verify for the body and public key");
  }
  Status added = pool.add(tx, committed_accounts(chain, pool));
  // A committed tx's nonce is below its sender's next nonce, so only then is the tx index read
  // (a RocksDB lookup per admitted tx otherwise), to tell a replay from a stale nonce.
  if (added.code() == Code::kNonceTooLow && chain.find_tx(d.id)) {
    return Status(Code::kDuplicateTx, "tx " + to_hex(d.id) + " is already known (committed)");
  }
  return added;
}

}  // namespace btt::mempool

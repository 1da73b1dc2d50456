#include "btt/mempool/admission.h"

namespace btt::mempool {

AccountView committed_accounts(const chain::Chain& chain) {
  return [&chain](const crypto::Address& addr) {
    ledger::Ledger l(chain.state(), &chain.registry().locks());
    AccountState s;
    s.next_nonce = l.next_nonce(addr);
    s.spendable_btt = l.spendable(addr, ledger::kNativeAsset, chain.tip().time_ms());
    return s;
  };
}

Result<chain::TxPtr> admit(const v1::Tx& tx, const chain::Chain& chain, Mempool& pool) {
  const v1::LedgerParams params = chain.params();
  auto decoded = chain::decode_tx(tx, params.max_tx_bytes());
  if (!decoded) return decoded.status();
  const auto& d = **decoded;
  if (auto s = chain::check_tx(d, chain.chain_id(), params, chain.registry()); !s) return s;
  if (pool.contains(d.id) || chain.find_tx(d.id)) {
    return Status(Code::kDuplicateTx, "tx " + to_hex(d.id) + " is already known");
  }
  if (!chain::verify_tx_signature(d)) {
    return Status(Code::kBadSignature, "signature does not verify for the body and public key");
  }
  if (auto s = pool.add(*decoded, committed_accounts(chain)); !s) return s;
  return *decoded;
}

}  // namespace btt::mempool

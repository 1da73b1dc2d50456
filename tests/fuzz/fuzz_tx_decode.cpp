// Fuzz target: a tx as raw bytes from the network (chain::decode_tx), then the stateless checks
// and the signature verification it would meet at admission or in a block.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "btt/chain/executor.h"
#include "btt/chain/registry.h"
#include "btt/chain/tx.h"
#include "btt/crypto/hash.h"
#include "btt/ledger/ledger.h"
#include "fuzz_check.h"

using namespace btt;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto registry = chain::make_default_registry();
  static const v1::LedgerParams params = ledger::default_ledger_params();
  const std::string_view raw(reinterpret_cast<const char*>(data), size);

  auto decoded = chain::decode_tx(raw, params.max_tx_bytes());
  if (!decoded) {
    // Refusals are malformed (1xx) and say why.
    BTT_FUZZ_CHECK(is_malformed(decoded.status().code()));
    BTT_FUZZ_CHECK(!decoded.status().message().empty());
    return 0;
  }
  const chain::DecodedTx& tx = **decoded;
  BTT_FUZZ_CHECK(tx.raw == raw);
  BTT_FUZZ_CHECK(tx.id == chain::tx_id_of_body(tx.tx.body()));
  BTT_FUZZ_CHECK(tx.sender == crypto::Address::from_public_key(tx.public_key));
  BTT_FUZZ_CHECK(crypto::Address::parse(tx.sender.to_string()) == tx.sender);

  // The parsed form decodes the same way (mempool and block apply use both entry points).
  auto again = chain::decode_tx(tx.tx, params.max_tx_bytes());
  if (again) {
    BTT_FUZZ_CHECK((*again)->id == tx.id);
    BTT_FUZZ_CHECK((*again)->sender == tx.sender);
  } else {
    // Re-serialization may only grow past the size limit (unknown fields are kept).
    BTT_FUZZ_CHECK(again.status().code() == Code::kTxTooLarge);
  }

  const Status checked = chain::check_tx(tx, "btt-devnet-1", params, *registry);
  BTT_FUZZ_CHECK(checked.is_ok() || is_malformed(checked.code()));
  BTT_FUZZ_CHECK(checked.is_ok() || !checked.message().empty());
  (void)chain::verify_tx_signature(tx);
  return 0;
}

// Fuzz target: the genesis file (chain::Genesis::parse). Any text must give a genesis or a
// readable error, never an exception or a crash; an accepted genesis initializes a state.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "btt/chain/genesis.h"
#include "btt/chain/registry.h"
#include "btt/ledger/ledger.h"
#include "btt/modules/tokenomics/schedule.h"
#include "fuzz_check.h"
#include "testkit/test_env.h"

using namespace btt;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto registry = chain::make_default_registry();
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  auto genesis = chain::Genesis::parse(text, *registry);
  if (!genesis) {
    BTT_FUZZ_CHECK(!genesis.status().message().empty());
    return 0;
  }
  BTT_FUZZ_CHECK(!genesis->validators.empty());
  // What parse accepted, init_genesis_state writes: BTT is exactly the fixed supply (the
  // tokenomics allocation), every other asset what the accounts hold, and every invariant holds.
  testkit::MemoryState committed;
  ledger::Overlay overlay(committed);
  BTT_FUZZ_CHECK(chain::init_genesis_state(*genesis, overlay, *registry).is_ok());
  ledger::Ledger l(overlay.reader());
  for (const auto& a : genesis->assets) {
    BTT_FUZZ_CHECK(l.supply(a.asset()) == (a.asset() == ledger::kNativeAsset
                                               ? modules::tokenomics::kFixedSupply
                                               : genesis->total(a.asset())));
  }
  for (const auto& m : registry->modules()) BTT_FUZZ_CHECK(m->check_invariants(overlay).empty());
  // The exported form parses again to the same content.
  auto again = chain::Genesis::parse(genesis->to_json().dump(), *registry);
  BTT_FUZZ_CHECK(again.is_ok());
  BTT_FUZZ_CHECK(again->chain_id == genesis->chain_id);
  BTT_FUZZ_CHECK(again->genesis_time_ms == genesis->genesis_time_ms);
  BTT_FUZZ_CHECK(again->validators.size() == genesis->validators.size());
  BTT_FUZZ_CHECK(again->accounts.size() == genesis->accounts.size());
  return 0;
}

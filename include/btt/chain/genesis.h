#pragma once
// The genesis file: JSON, documented in doc/genesis.md. Parsing validates everything, so an
// invalid genesis is refused at start with a message that names the offending field.
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "btt/chain/registry.h"
#include "btt/common/status.h"
#include "btt/crypto/address.h"
#include "btt/ledger/module.h"
#include "btt/ledger/state.h"
#include "btt/v1/consensus.pb.h"
#include "btt/v1/ledger.pb.h"

namespace btt::chain {

struct GenesisValidator {
  std::string name;
  crypto::Address address;
  crypto::XOnlyPublicKey public_key{};
  uint64_t power = 0;
};

// An entry of the validator set history carried by an export (doc/genesis.md,
// "validator_sets").
struct GenesisValidatorSet {
  uint64_t from_height = 0;
  std::vector<GenesisValidator> validators;
};

struct GenesisAccount {
  crypto::Address address;
  std::vector<v1::Coin> balances;  // ordered by asset, no zero amounts
  uint64_t nonce = 0;              // the nonce its next tx carries (an export keeps it)
};

struct Genesis {
  std::string chain_id;
  uint64_t genesis_time_ms = 0;
  // The first block's height: 1 for a new chain, H + 1 for a chain started from an export of
  // height H (so heights the exported state refers to keep their meaning).
  uint64_t initial_height = 1;
  v1::LedgerParams params;
  std::vector<v1::AssetInfo> assets;  // always includes BTT
  // The set of the first block (initial_height).
  std::vector<GenesisValidator> validators;
  // An export's history entries, ascending from_height, at most initial_height + 1; the one in
  // force at initial_height, if any, is `validators`.
  std::vector<GenesisValidatorSet> validator_sets;
  std::vector<GenesisAccount> accounts;
  nlohmann::json modules = nlohmann::json::object();
  Hash32 file_hash{};  // SHA-256 of the file's bytes; a node refuses a different file later

  // Validates every field; the registry validates the module sections.
  [[nodiscard]] static Result<Genesis> parse(std::string_view json_text,
                                             const ModuleRegistry& registry);
  [[nodiscard]] static Result<Genesis> load(const std::filesystem::path& path,
                                            const ModuleRegistry& registry);
  [[nodiscard]] nlohmann::json to_json() const;
  // Sum of every genesis balance of `asset`.
  [[nodiscard]] uint64_t total(std::string_view asset) const;
  // What module genesis hooks check their sections against.
  [[nodiscard]] ledger::GenesisInfo info() const;
};

// The ranges genesis enforces on the ledger params, for a params change after genesis too.
[[nodiscard]] Status validate_ledger_params(const v1::LedgerParams& params);

// Writes the genesis state (params, assets, supply, balances, the validator set history entry of
// initial_height, module sections) into `state`.
[[nodiscard]] Status init_genesis_state(const Genesis& genesis, ledger::Overlay& state,
                                        const ModuleRegistry& registry);

// RFC 3339 UTC ("2026-01-01T00:00:00Z", optional fraction up to milliseconds) <-> unix ms.
[[nodiscard]] std::optional<uint64_t> parse_rfc3339_ms(std::string_view text);
[[nodiscard]] std::string format_rfc3339_ms(uint64_t ms);

// `bttd export`: the genesis file of the committed `state` at `height` (its block time
// `time_ms`): the ledger's params, assets, validators and accounts (balances and nonces), and
// every module's export_genesis as its section. A chain started from it (initial_height
// height + 1) holds exactly the exported state (doc/genesis.md "Export and import").
[[nodiscard]] Result<nlohmann::json> export_genesis(const ledger::StateReader& state,
                                                    const ModuleRegistry& registry,
                                                    const std::string& chain_id, uint64_t height,
                                                    uint64_t time_ms);

// The state hash a chain started from an export of `state` at `height` has before its first
// block: the commitment to every key of the state written at once at `height`. `bttd export`
// prints it; the imported chain's genesis tip carries it.
[[nodiscard]] Hash32 import_state_hash(const ledger::StateReader& state, uint64_t height);

}  // namespace btt::chain

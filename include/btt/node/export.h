#pragma once
// `bttd export`: the committed state of a stopped node's home as a genesis file (doc/genesis.md
// "Export and import"). A chain started from that file holds exactly the exported state.
#include <filesystem>
#include <optional>

#include <nlohmann/json.hpp>

#include "btt/common/bytes.h"
#include "btt/common/status.h"

namespace btt::node {

struct ExportOptions {
  std::filesystem::path home;
  // The committed height to export; none: the tip. Below the tip the chain is replayed from
  // genesis to that height in a scratch database (HOME/export.tmp, removed afterwards).
  std::optional<uint64_t> height;
};

struct ExportResult {
  nlohmann::json genesis;
  uint64_t height = 0;
  // The state hash the imported chain's genesis carries (chain::import_state_hash).
  Hash32 import_state_hash{};
};

[[nodiscard]] Result<ExportResult> export_home(const ExportOptions& options);

}  // namespace btt::node

#include "btt/node/export.h"

#include "btt/chain/chain.h"
#include "btt/chain/genesis.h"
#include "btt/chain/registry.h"
#include "btt/node/config.h"
#include "btt/node/home_lock.h"
#include "btt/storage/db.h"

namespace btt::node {
namespace {

// Replays the stored blocks 1..height of `source` over a fresh chain in `dir`.
Result<std::unique_ptr<chain::Chain>> replay(const chain::Chain& source,
                                             const chain::ModuleRegistry& registry,
                                             storage::Database& scratch, uint64_t height) {
  auto replica = chain::Chain::open(scratch, registry, source.genesis());
  if (!replica) return replica.status();
  for (uint64_t h = (*replica)->tip_height() + 1; h <= height; ++h) {
    auto block = source.block_at(h);
    if (!block) {
      return Status(Code::kNotFound, "export: block " + std::to_string(h) + " is not stored");
    }
    auto commit = source.commit_at(h);
    auto applied = (*replica)->apply(*block, commit ? &*commit : nullptr);
    if (!applied) {
      return Status(applied.status().code(), "export: replaying block " + std::to_string(h) + ": " +
                                                 applied.status().message());
    }
  }
  return std::move(*replica);
}

}  // namespace

Result<ExportResult> export_home(const ExportOptions& options) {
  auto config = Config::load(options.home);
  if (!config) return config.status();
  // A running node holds the lock (and RocksDB's own); export reads a stopped node's data.
  auto lock = HomeLock::acquire(config->home);
  if (!lock) return lock.status();
  auto registry = chain::make_default_registry();
  auto genesis = chain::Genesis::load(config->genesis_path(), *registry);
  if (!genesis) return genesis.status();
  storage::DatabaseOptions db_options;
  db_options.sync_writes = false;
  auto db = storage::Database::open(config->data_dir(), db_options);
  if (!db) return db.status();
  auto chain = chain::Chain::open(**db, *registry, *genesis);
  if (!chain) return chain.status();

  const v1::ChainTip tip = (*chain)->tip();
  const uint64_t height = options.height.value_or(tip.height());
  const uint64_t first = genesis->initial_height - 1;
  if (height > tip.height() || height < first) {
    return Status(Code::kInvalidArgument, "export: height " + std::to_string(height) +
                                              " is not committed (the chain holds " +
                                              std::to_string(first) + ".." +
                                              std::to_string(tip.height()) + ")");
  }
  auto finish = [&](const chain::Chain& at) -> Result<ExportResult> {
    uint64_t time_ms = at.tip().time_ms();
    auto json = chain::export_genesis(at.state(), *registry, genesis->chain_id, height, time_ms);
    if (!json) return json.status();
    ExportResult out;
    out.genesis = std::move(*json);
    out.height = height;
    out.import_state_hash = chain::import_state_hash(at.state(), height);
    return out;
  };
  if (height == tip.height()) return finish(**chain);

  const auto scratch_dir = config->home / "export.tmp";
  std::error_code ec;
  std::filesystem::remove_all(scratch_dir, ec);
  Result<ExportResult> out = Status(Code::kInternal, "export: not run");
  {
    auto scratch = storage::Database::open(scratch_dir, db_options);
    if (!scratch) return scratch.status();
    auto replica = replay(**chain, *registry, **scratch, height);
    out = replica ? finish(**replica) : Result<ExportResult>(replica.status());
  }
  std::filesystem::remove_all(scratch_dir, ec);
  return out;
}

}  // namespace btt::node

#pragma once
// The chain: the committed blocks and state in RocksDB, and the only code that commits.
// Each block and every state change it causes land in ONE atomic write batch, so after a crash
// at any instant the node restarts at the last committed block with nothing half-written.
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "btt/chain/executor.h"
#include "btt/chain/genesis.h"
#include "btt/chain/registry.h"
#include "btt/chain/state_hash.h"
#include "btt/crypto/keyfile.h"
#include "btt/ledger/state.h"
#include "btt/storage/db.h"
#include "btt/v1/block.pb.h"

namespace btt::chain {

struct CommittedBlock {
  Hash32 hash{};
  v1::BlockHeader header;
  v1::Block block;
  v1::BlockResult result;
  std::vector<TxPtr> txs;
  // Where the time went (for logs and benchmarks; never part of state).
  uint64_t execute_us = 0;  // signatures, begin/end block hooks and every tx
  uint64_t commit_us = 0;   // hashes, indexes and the RocksDB write
};

// The committed state and the tip it belongs to, read at one instant.
struct ReadView {
  std::unique_ptr<storage::Snapshot> snapshot;
  std::unique_ptr<ledger::SnapshotState> state;
  v1::ChainTip tip;
};

struct TxLocation {
  uint64_t height = 0;
  uint32_t index = 0;
};

[[nodiscard]] Hash32 block_hash(std::string_view header_bytes);
[[nodiscard]] Hash32 tx_root(const std::vector<TxPtr>& txs);

class Chain {
 public:
  // On an empty database writes the genesis state (height 0). Otherwise checks that the stored
  // genesis is this one (same file hash) and resumes at the stored tip.
  [[nodiscard]] static Result<std::unique_ptr<Chain>> open(storage::Database& db,
                                                           const ModuleRegistry& registry,
                                                           const Genesis& genesis);

  [[nodiscard]] v1::ChainTip tip() const;
  [[nodiscard]] const Genesis& genesis() const { return genesis_; }
  [[nodiscard]] const std::string& chain_id() const { return genesis_.chain_id; }
  [[nodiscard]] v1::LedgerParams params() const;
  [[nodiscard]] const ModuleRegistry& registry() const { return registry_; }
  [[nodiscard]] const ledger::StateReader& state() const { return state_; }
  [[nodiscard]] storage::Database& db() const { return db_; }

  // Proposer: executes candidates over the committed state (dropping what cannot be included),
  // signs the header with `proposer` and commits. time_ms is raised to tip time + 1 if needed.
  [[nodiscard]] Result<CommittedBlock> propose(const std::vector<TxPtr>& candidates,
                                               uint64_t time_ms, const crypto::KeyPair& proposer);
  // Follower / block sync: verifies a block produced elsewhere (header, proposer signature, every
  // tx, state and results hashes) and commits it; nothing is written if anything is off.
  [[nodiscard]] Result<CommittedBlock> apply(const v1::Block& block);

  // A consistent view for queries: state and tip from the same snapshot.
  [[nodiscard]] ReadView read_view() const;

  // Runs a tx over the committed state at the next height and throws the writes away.
  [[nodiscard]] TxOutcome simulate(const DecodedTx& tx, bool verify_signature) const;

  // --- committed data (thread-safe) ---
  [[nodiscard]] std::optional<v1::Block> block_at(uint64_t height) const;
  [[nodiscard]] std::optional<uint64_t> height_of(const Hash32& hash) const;
  [[nodiscard]] std::optional<v1::BlockResult> result_at(uint64_t height) const;
  [[nodiscard]] std::optional<TxLocation> find_tx(const Hash32& id) const;
  // Txs that involve the address (as sender or in an event), newest first, strictly below
  // before_height (0: no bound).
  [[nodiscard]] std::vector<TxLocation> account_txs(const crypto::Address& addr,
                                                    uint64_t before_height, size_t limit) const;

 private:
  Chain(storage::Database& db, const ModuleRegistry& registry, Genesis genesis);
  [[nodiscard]] Result<CommittedBlock> finish_and_commit(ledger::BlockOverlay& overlay,
                                                         ExecutedBlock executed,
                                                         v1::BlockHeader header,
                                                         const crypto::KeyPair* proposer,
                                                         const v1::Block* received);

  storage::Database& db_;
  const ModuleRegistry& registry_;
  Genesis genesis_;
  ledger::DatabaseState state_;
  std::unique_ptr<StateCommitment> commitment_;
  mutable std::mutex tip_mu_;
  v1::ChainTip tip_;
  std::mutex commit_mu_;  // one block at a time
};

}  // namespace btt::chain

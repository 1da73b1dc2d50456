#pragma once
// The chain: the committed blocks and state in RocksDB, and the only code that commits.
// Each block and every state change it causes land in ONE atomic write batch, so after a crash
// at any instant the node restarts at the last committed block with nothing half-written.
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "btt/chain/evidence.h"
#include "btt/chain/executor.h"
#include "btt/chain/genesis.h"
#include "btt/chain/registry.h"
#include "btt/chain/state_hash.h"
#include "btt/chain/validator_history.h"
#include "btt/crypto/keyfile.h"
#include "btt/ledger/state.h"
#include "btt/storage/db.h"
#include "btt/v1/block.pb.h"
#include "btt/v1/governance.pb.h"

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

// A block executed over the committed state but not written yet: the consensus reactor executes
// a proposal once (to judge it) and writes the same result if it is decided.
struct PreparedBlock {
  CommittedBlock block;
  v1::ChainTip prev;  // the tip it was executed on; commit() refuses if the tip moved
  v1::ChainTip next;
  std::unique_ptr<storage::WriteBatch> batch;
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
// BlockInfo::last_commit of a block whose last_commit is `commit`: every validator of `set` (the
// set of the previous height) in set order, with its power and whether it signed.
[[nodiscard]] std::vector<ledger::LastCommitVote> last_commit_votes(const ValidatorSet& set,
                                                                    const v1::Commit& commit);
[[nodiscard]] Hash32 tx_root(const std::vector<TxPtr>& txs);

class Chain {
 public:
  // On an empty database writes the genesis state (height 0). Otherwise checks that the stored
  // genesis is this one (same file hash) and resumes at the stored tip.
  [[nodiscard]] static Result<std::unique_ptr<Chain>> open(storage::Database& db,
                                                           const ModuleRegistry& registry,
                                                           const Genesis& genesis);

  [[nodiscard]] v1::ChainTip tip() const;
  // tip().height() without a copy; it moves once the block's write is in the database.
  [[nodiscard]] uint64_t tip_height() const { return tip_height_.load(std::memory_order_acquire); }
  [[nodiscard]] const Genesis& genesis() const { return genesis_; }
  [[nodiscard]] const std::string& chain_id() const { return genesis_.chain_id; }
  // The ledger parameters of the committed state (read once per height, then kept).
  [[nodiscard]] v1::LedgerParams params() const;
  [[nodiscard]] const ModuleRegistry& registry() const { return registry_; }
  [[nodiscard]] const ledger::StateReader& state() const { return state_; }
  [[nodiscard]] storage::Database& db() const { return db_; }

  // Single validator (dev net): build() with the stored commit of the tip as last_commit, then
  // commit() with a commit made of the proposer's own precommit (round 0). Only valid when the
  // proposer alone holds more than 2/3 of the power.
  [[nodiscard]] Result<CommittedBlock> propose(const std::vector<TxPtr>& candidates,
                                               uint64_t time_ms, const crypto::KeyPair& proposer);
  // A tx this node already decoded, by tx id (the mempool's copy), or null. prepare() and apply()
  // take it instead of decoding a block tx again when its bytes are exactly the block tx's; it
  // only saves work, the block is checked the same way either way.
  using KnownTx = std::function<TxPtr(const Hash32& id)>;

  // Follower / block sync: prepare(block) then commit(); nothing is written if anything is off.
  // `commit` (the block's own commit, if known) is stored beside it.
  [[nodiscard]] Result<CommittedBlock> apply(const v1::Block& block,
                                             const v1::Commit* commit = nullptr,
                                             const KnownTx& known = nullptr);

  // Proposer: executes candidates over the committed state (dropping what cannot be included)
  // and signs the header with `proposer`; writes nothing. time_ms is raised to tip time + 1 if
  // needed. last_commit: the commit of the tip (ignored at height 1). evidence: pending evidence;
  // what verifies and is not committed yet goes into the block (select_evidence, evidence.h).
  [[nodiscard]] Result<PreparedBlock> build(const std::vector<TxPtr>& candidates, uint64_t time_ms,
                                            const crypto::KeyPair& proposer,
                                            const v1::Commit& last_commit,
                                            const std::vector<v1::Evidence>& evidence = {});
  // Verifies a block produced elsewhere (header, proposer signature, last_commit against the
  // validator set from height 2 on, its evidence, every tx, state and results hashes) and
  // executes it; writes nothing. `known`: above.
  [[nodiscard]] Result<PreparedBlock> prepare(const v1::Block& block,
                                              const KnownTx& known = nullptr);
  // Writes a prepared block (and `commit`, its own commit, if given) in one batch.
  // kUnavailable if the tip is no longer the one it was executed on.
  [[nodiscard]] Result<CommittedBlock> commit(PreparedBlock prepared,
                                              const v1::Commit* commit = nullptr);
  // The stored commit of the block at `height` (consensus column, "commit/" + u64be(height)).
  [[nodiscard]] std::optional<v1::Commit> commit_at(uint64_t height) const;
  // The validator set of the next height (tip + 1), the one consensus is deciding; empty only
  // if the state has none (a damaged database).
  [[nodiscard]] std::vector<v1::Validator> validators() const;
  // The set of `height` (validator_history.h): known up to tip + 2, and down to what pruning
  // keeps (max_evidence_age below the next height); nullopt outside.
  [[nodiscard]] std::optional<std::vector<v1::Validator>> validators_at(uint64_t height) const;

  // A consistent view for queries: state and tip from the same snapshot.
  [[nodiscard]] ReadView read_view() const;

  // Runs a tx over the committed state at the next height and throws the writes away.
  [[nodiscard]] TxOutcome simulate(const DecodedTx& tx, bool verify_signature) const;

  // --- committed data (thread-safe) ---
  [[nodiscard]] std::optional<v1::Block> block_at(uint64_t height) const;
  [[nodiscard]] std::optional<uint64_t> height_of(const Hash32& hash) const;
  [[nodiscard]] std::optional<v1::BlockResult> result_at(uint64_t height) const;
  [[nodiscard]] std::optional<TxLocation> find_tx(const Hash32& id) const;
  // Software upgrades (doc/governance.md "Software upgrades"): the plan names this binary
  // handles, and those its operator skips (bttd start --unsafe-skip-upgrade). Set before the
  // first block is built or prepared.
  void set_upgrades(std::set<std::string> handled, std::set<std::string> skipped);
  // The governance upgrade plan due at the next height (tip + 1) that this binary neither
  // handles nor skips. build() and prepare() refuse the block of that height, so the node can
  // never apply it; the node stops (exit code 3) and a binary that handles the plan goes on.
  [[nodiscard]] std::optional<v1::UpgradePlan> upgrade_needed() const;

  // Txs that involve the address (as sender or in an event), newest first, strictly below
  // before_height (0: no bound).
  [[nodiscard]] std::vector<TxLocation> account_txs(const crypto::Address& addr,
                                                    uint64_t before_height, size_t limit) const;

 private:
  Chain(storage::Database& db, const ModuleRegistry& registry, Genesis genesis);
  // What a new block carries besides its txs (proposer side of finish).
  struct Proposed {
    const crypto::KeyPair* proposer = nullptr;
    const v1::Commit* last_commit = nullptr;
    std::vector<Bytes> evidence;
  };
  [[nodiscard]] Result<PreparedBlock> finish(ledger::BlockOverlay& overlay, ExecutedBlock executed,
                                             v1::BlockHeader header, const Proposed* proposed,
                                             const v1::Block* received);
  [[nodiscard]] Result<PreparedBlock> build_locked(const std::vector<TxPtr>& candidates,
                                                   uint64_t time_ms,
                                                   const crypto::KeyPair& proposer,
                                                   const v1::Commit& last_commit,
                                                   const std::vector<v1::Evidence>& evidence);
  [[nodiscard]] Result<PreparedBlock> prepare_locked(const v1::Block& block,
                                                     const KnownTx& known = nullptr);
  [[nodiscard]] Result<CommittedBlock> commit_locked(PreparedBlock prepared,
                                                     const v1::Commit* commit);
  struct HeaderSets {
    Hash32 validators_hash;
    Hash32 next_validators_hash;
  };
  [[nodiscard]] Result<HeaderSets> header_sets(ValidatorSets& sets, uint64_t height) const;
  [[nodiscard]] std::vector<ledger::Misbehaviour> misbehaviour_of(
      const std::vector<VerifiedEvidence>& evidence) const;
  // The time of the committed block at `height` (the genesis time for initial_height - 1); 0
  // when the chain has no block there (heights before an imported chain's).
  [[nodiscard]] uint64_t block_time_at(uint64_t height) const;

  storage::Database& db_;
  const ModuleRegistry& registry_;
  Genesis genesis_;
  ledger::DatabaseState state_;
  std::unique_ptr<StateCommitment> commitment_;
  mutable std::mutex tip_mu_;
  v1::ChainTip tip_;
  std::atomic<uint64_t> tip_height_{0};
  mutable std::mutex params_mu_;
  mutable std::optional<std::pair<uint64_t, v1::LedgerParams>> params_;  // by tip height
  std::mutex commit_mu_;                                                 // one block at a time
  std::set<std::string> handled_upgrades_;
  std::set<std::string> skipped_upgrades_;
};

}  // namespace btt::chain

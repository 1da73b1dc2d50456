#pragma once
// Multi-validator chains for chain and reactor tests: a genesis with N validators of equal power
// and funded accounts, chains over RocksDB in temp dirs, full commits and blocks built by hand.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "btt/chain/chain.h"
#include "btt/chain/genesis.h"
#include "btt/chain/registry.h"
#include "btt/crypto/keyfile.h"
#include "btt/storage/db.h"
#include "testkit/temp_dir.h"

namespace btt::testkit {

inline constexpr const char* kMultiChainId = "btt-multi-1";

struct MultiGenesisOptions {
  size_t validators = 4;
  uint64_t power = 10;
  nlohmann::json params = nullptr;              // the genesis "params" object, if any
  std::vector<std::string> funded = {"alice"};  // test_key names holding 1,000 BTT each
  // Adds test-only modules to the default registry (e.g. one that changes the validator set).
  std::function<void(chain::ModuleRegistry&)> extend = nullptr;
};

struct MultiGenesis {
  std::unique_ptr<chain::ModuleRegistry> registry;
  chain::Genesis genesis;
  std::vector<crypto::KeyPair> validators;  // test_key("val0"), ... in address order
};

[[nodiscard]] MultiGenesis make_multi_genesis(const MultiGenesisOptions& options = {});

// A chain over its own RocksDB in a temp dir.
struct ChainNode {
  ChainNode(const chain::Genesis& genesis, const chain::ModuleRegistry& registry);
  TempDir dir{"btt-chain-node"};
  std::unique_ptr<storage::Database> db;
  std::unique_ptr<chain::Chain> chain;
};

// PRECOMMIT(height, round 0, block_id) of every key: a commit of all the power.
[[nodiscard]] v1::Commit full_commit(std::string_view chain_id, uint64_t height,
                                     const std::string& block_id,
                                     const std::vector<crypto::KeyPair>& keys,
                                     uint64_t timestamp_ms);

// Builds the next block over `node` (proposer keys[0], last_commit a full commit of the tip) and
// commits it with a full commit of its own. Returns the committed block.
[[nodiscard]] Result<chain::CommittedBlock> commit_next(
    ChainNode& node, const std::vector<crypto::KeyPair>& keys,
    const std::vector<chain::TxPtr>& txs = {}, const std::vector<v1::Evidence>& evidence = {});

// Two conflicting signed votes of `key` for (height, round, type): block ids "a" and "b" (a
// sorts first), as a DuplicateVote evidence in canonical order.
[[nodiscard]] v1::Evidence double_vote(const crypto::KeyPair& key, uint64_t height, uint32_t round,
                                       v1::VoteType type = v1::PREVOTE,
                                       std::string_view chain_id = kMultiChainId);

}  // namespace btt::testkit

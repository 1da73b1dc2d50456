#pragma once
// The tx pipeline (check, preclaim, apply) and block execution. Pure functions of state and
// input: the same block over the same state gives the same writes, results and hashes on every
// node.
#include <optional>
#include <string_view>
#include <vector>

#include "btt/chain/registry.h"
#include "btt/chain/tx.h"
#include "btt/ledger/module.h"
#include "btt/ledger/state.h"
#include "btt/v1/block.pb.h"

namespace btt::chain {

// Stateless checks: chain id, message count, memo size, fee >= min_fee, and each message's own
// check. Signature verification is separate (verify_tx_signature), so it can run in parallel.
[[nodiscard]] Status check_tx(const DecodedTx& tx, std::string_view chain_id,
                              const v1::LedgerParams& params, const ModuleRegistry& registry);

struct TxOutcome {
  bool included = false;  // false: rejected (2xx), nothing was written
  Status status;          // ok, or the rejection / failure
  uint64_t fee_paid = 0;
  std::vector<v1::Event> events;
  std::vector<v1::BalanceChange> balance_changes;  // the fee's, then the messages' if kept
};

// Runs one checked, signature-verified tx over `state` (a block overlay). A rejected tx writes
// nothing. An included one always pays its fee (to the fee pool) and bumps the nonce; its
// messages run in a sandbox that is kept only if every one of them succeeds.
[[nodiscard]] TxOutcome execute_tx(const DecodedTx& tx, ledger::Overlay& state,
                                   const ledger::BlockInfo& block, const v1::LedgerParams& params,
                                   const ModuleRegistry& registry);

// What executing a block's txs produced over a block overlay.
struct ExecutedBlock {
  std::vector<TxPtr> txs;  // included txs, in block order
  v1::BlockResult result;  // their results and the block-level events
  // The validator set the block's end_block put in force from height + 2 (sorted by address),
  // if it changed it.
  std::optional<std::vector<v1::Validator>> next_validators;
  uint64_t execute_us = 0;  // filled in by the caller that timed it
};

enum class ExecMode {
  kPropose,  // drop txs that are malformed, badly signed or not includable
  kVerify,   // any such tx makes the whole block invalid
};

// Runs begin_block hooks, every tx, then end_block hooks, writing into `state`. end_block hooks
// see BlockContext::next_validators; a set put there goes through end_block_validator_sets
// (validator_history.h), whose kInternal refusal of an invalid set fails the block.
[[nodiscard]] Result<ExecutedBlock> execute_block(const std::vector<TxPtr>& candidates,
                                                  ledger::Overlay& state,
                                                  const ledger::BlockInfo& block,
                                                  const ModuleRegistry& registry, ExecMode mode);

}  // namespace btt::chain

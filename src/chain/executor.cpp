#include "btt/chain/executor.h"

#include <algorithm>

#include "btt/chain/validator_history.h"
#include "btt/common/checked.h"
#include "precheck_pipeline.h"

namespace btt::chain {
namespace {

// Block-level: the validator set a block put in force from `from_height` (doc/consensus.md,
// "Validator set changes").
constexpr ledger::EventDef kValidatorSetEvent{"consensus.validator_set",
                                              {"from_height", "validators", "total_power", "hash"}};

void emit_validator_set_event(ledger::Events& events, uint64_t from_height,
                              const std::vector<v1::Validator>& validators) {
  uint64_t total = 0;
  for (const auto& v : validators) total += v.power();  // bounded by validate_validator_set
  auto set = ValidatorSet::create(validators);
  events.emit(kValidatorSetEvent)
      .attr("from_height", from_height)
      .attr("validators", static_cast<uint64_t>(validators.size()))
      .attr("total_power", total)
      .attr("hash", set ? to_hex(validator_set_hash(*set)) : std::string());
}

}  // namespace

Status check_tx(const DecodedTx& tx, std::string_view chain_id, const v1::LedgerParams& params,
                const ModuleRegistry& registry) {
  const auto& body = tx.body;
  if (body.chain_id() != chain_id) {
    return {Code::kWrongChainId, "tx is for chain '" + excerpt(body.chain_id()) + "', this is '" +
                                     std::string(chain_id) + "'"};
  }
  if (tx.size() > params.max_tx_bytes()) {
    return {Code::kTxTooLarge, "tx is " + std::to_string(tx.size()) + " bytes, at most " +
                                   std::to_string(params.max_tx_bytes())};
  }
  if (body.messages().empty()) return {Code::kNoMessages, "tx carries no message"};
  if (static_cast<uint32_t>(body.messages_size()) > params.max_messages()) {
    return {Code::kTooManyMessages, "tx carries " + std::to_string(body.messages_size()) +
                                        " messages, at most " +
                                        std::to_string(params.max_messages())};
  }
  if (body.memo().size() > params.max_memo_bytes()) {
    return {Code::kMemoTooLong, "memo is " + std::to_string(body.memo().size()) +
                                    " bytes, at most " + std::to_string(params.max_memo_bytes())};
  }
  if (body.fee() < params.min_fee()) {
    return {Code::kFeeTooLow, "fee " + std::to_string(body.fee()) + " is below the minimum fee " +
                                  std::to_string(params.min_fee())};
  }
  for (int i = 0; i < body.messages_size(); ++i) {
    const auto& msg = body.messages(i);
    const auto* handler = registry.handler(msg.msg_case());
    if (!handler) {
      return {Code::kUnknownMessage,
              "message " + std::to_string(i) + " is of a kind this node does not know"};
    }
    if (auto s = handler->check_message(msg, params); !s) {
      return s.prefixed("message " + std::to_string(i) + ": ");
    }
  }
  return Status::ok();
}

TxOutcome execute_tx(const DecodedTx& tx, ledger::Overlay& state, const ledger::BlockInfo& block,
                     const v1::LedgerParams& params, const ModuleRegistry& registry) {
  TxOutcome out;
  // The fee's event and balance changes: kept whatever the messages do.
  ledger::Events events;
  ledger::Ledger ledger(state, events, &registry.locks());
  const auto& sender = tx.sender;

  // Ledger-level preclaim: a tx that fails here is not includable and writes nothing.
  uint64_t expected = ledger.next_nonce(sender);
  if (tx.nonce() < expected) {
    out.status = {Code::kNonceTooLow, "nonce " + std::to_string(tx.nonce()) +
                                          " already used; the account's next nonce is " +
                                          std::to_string(expected)};
    return out;
  }
  if (tx.nonce() > expected) {
    out.status = {Code::kNonceTooHigh, "nonce " + std::to_string(tx.nonce()) +
                                           " is ahead of the account's next nonce " +
                                           std::to_string(expected)};
    return out;
  }
  if (expected == UINT64_MAX) {
    out.status = {Code::kNonceTooLow, "account nonce exhausted"};
    return out;
  }
  uint64_t fee_funds = ledger.spendable(sender, ledger::kNativeAsset, block.time_ms);
  if (fee_funds < tx.fee()) {
    out.status = {Code::kInsufficientFeeBalance,
                  sender.to_string() + " can spend " + std::to_string(fee_funds) +
                      " BTT units, the fee is " + std::to_string(tx.fee())};
    return out;
  }

  // Included from here on: the fee is paid and the nonce bumped whatever the messages do.
  static const crypto::Address kFeePool = crypto::Address::for_module(ledger::kFeePoolModule);
  if (auto s = ledger.move(sender, kFeePool, ledger::kNativeAsset, tx.fee(), block.time_ms); !s) {
    out.status = {Code::kInsufficientFeeBalance, s.message()};  // unreachable after the check
    return out;
  }
  ledger.set_next_nonce(sender, expected + 1);
  out.included = true;
  out.fee_paid = tx.fee();

  events.emit(ledger::tx_events::kFee)
      .attr("payer", crypto::Address::canonical(tx.body.sender()))
      .attr("amount", tx.fee());

  ledger::Overlay sandbox(state.reader());
  ledger::Events msg_events;
  ledger::MsgContext ctx{block, params,  tx.body,    sender,
                         tx.id, sandbox, msg_events, &registry.locks()};
  Status status;
  for (int i = 0; i < tx.body.messages_size() && status.is_ok(); ++i) {
    const auto& msg = tx.body.messages(i);
    const auto* handler = registry.handler(msg.msg_case());
    if (!handler) {
      status = {Code::kUnknownMessage, "message " + std::to_string(i) + " has no handler"};
      break;
    }
    // Preclaim reads the sandbox as the earlier messages left it; apply follows only if it passed.
    if (auto s = handler->preclaim_message(msg, ctx.read()); !s) {
      status = s.prefixed("message " + std::to_string(i) + ": ");
      break;
    }
    if (auto s = handler->apply_message(msg, ctx); !s) {
      status = s.prefixed("message " + std::to_string(i) + ": ");
      break;
    }
  }
  out.status = status;
  if (status.is_ok()) {
    sandbox.commit_to(state);
    events.append(std::move(msg_events));
  }
  out.events = events.take();
  out.balance_changes = events.take_balance_changes();
  return out;
}

Result<ExecutedBlock> execute_block(const std::vector<TxPtr>& candidates, ledger::Overlay& state,
                                    const ledger::BlockInfo& block, const ModuleRegistry& registry,
                                    ExecMode mode) {
  ExecutedBlock out;
  out.result.set_height(block.height);
  ledger::Events block_events;
  ledger::BlockContext bctx{block, state, block_events, &registry.locks()};
  for (const auto& m : registry.modules()) m->begin_block(bctx);

  const v1::LedgerParams params = ledger::Ledger(state.reader()).params();
  PrecheckPipeline prechecks(candidates, [&](const DecodedTx& tx) {
    return check_tx(tx, block.chain_id, params, registry);
  });
  uint64_t block_bytes = 0;
  for (size_t i = 0; i < candidates.size(); ++i) {
    const auto& tx = *candidates[i];
    auto reject = [&](const Status& s) -> Status {
      if (mode == ExecMode::kVerify) {
        return {s.code(), "block tx " + std::to_string(i) + " is invalid: " + s.message()};
      }
      return Status::ok();
    };
    if (out.txs.size() >= params.max_block_txs() ||
        block_bytes + tx.size() > params.max_block_bytes()) {
      if (mode == ExecMode::kVerify) {
        return Status(Code::kMalformed, "block exceeds max_block_txs or max_block_bytes");
      }
      break;
    }
    if (const Status& s = prechecks.verdict(i); !s) {
      if (auto r = reject(s); !r) return r;
      continue;
    }
    auto outcome = execute_tx(tx, state, block, params, registry);
    if (!outcome.included) {
      if (auto r = reject(outcome.status); !r) return r;
      continue;
    }
    auto* result = out.result.add_txs();
    result->set_tx_id(to_bytes(tx.id));
    result->set_code(static_cast<uint32_t>(outcome.status.code()));
    result->set_log(outcome.status.message());
    if (const uint32_t detail = outcome.status.detail(); detail != 0) {
      result->set_detail(detail);
      result->set_codespace(std::string(codespace_name(detail_space(detail))));
    }
    result->set_fee_paid(outcome.fee_paid);
    result->set_height(block.height);
    result->set_index(static_cast<uint32_t>(out.txs.size()));
    for (auto& e : outcome.events) *result->add_events() = std::move(e);
    for (auto& c : outcome.balance_changes) *result->add_balance_changes() = std::move(c);
    out.txs.push_back(candidates[i]);
    block_bytes += tx.size();
  }

  // Only end_block may change the validator set: the set it puts here decides height + 2.
  std::optional<std::vector<v1::Validator>> next_validators;
  bctx.next_validators = &next_validators;
  for (const auto& m : registry.modules()) m->end_block(bctx);
  bctx.next_validators = nullptr;
  auto changed = end_block_validator_sets(state, block.height, next_validators,
                                          ledger::Ledger(state.reader()).params());
  if (!changed) return changed.status();
  if (*changed) {
    out.next_validators = sorted_by_address(std::move(*next_validators));
    emit_validator_set_event(block_events, block.height + 2, *out.next_validators);
  }
  for (auto& e : block_events.take()) *out.result.add_events() = std::move(e);
  for (auto& c : block_events.take_balance_changes()) {
    *out.result.add_balance_changes() = std::move(c);
  }
  return out;
}

}  // namespace btt::chain

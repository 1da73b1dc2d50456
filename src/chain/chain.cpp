#include "btt/chain/chain.h"

#include <algorithm>
#include <chrono>
#include <future>
#include <set>

#include "btt/chain/consensus_signing.h"
#include "btt/chain/evidence.h"
#include "btt/chain/validator_history.h"
#include "btt/chain/validator_set.h"
#include "btt/chain/vote_set.h"
#include "btt/crypto/hash.h"
#include "btt/modules/governance/governance.h"

namespace btt::chain {
namespace {

using storage::Column;

constexpr std::string_view kTipKey = "tip";
constexpr std::string_view kGenesisHashKey = "genesis_hash";
constexpr std::string_view kCommitPrefix = "commit/";

std::string commit_key(uint64_t height) {
  std::string key(kCommitPrefix);
  key.append(u64_be(height));
  return key;
}

Bytes location_value(uint64_t height, uint32_t index) {
  Bytes v = u64_be(height);
  put_u32_be(v, index);
  return v;
}

std::optional<TxLocation> parse_location(std::string_view v) {
  TxLocation loc;
  if (!get_u64_be(v, loc.height) || !get_u32_be(v, loc.index)) return std::nullopt;
  return loc;
}

// Every address a tx touches: its sender and each event attribute that is an address. Events
// carry canonical addresses this node wrote from parsed ones, so their payload is read directly.
std::vector<crypto::Address> involved_addresses(const DecodedTx& tx, const v1::TxResult& result) {
  std::vector<crypto::Address> out{tx.sender};
  for (const auto& e : result.events()) {
    for (const auto& a : e.attributes()) {
      auto addr = crypto::Address::from_own_canonical(a.value());
      if (addr && std::find(out.begin(), out.end(), *addr) == out.end()) out.push_back(*addr);
    }
  }
  return out;
}

}  // namespace

Hash32 block_hash(std::string_view header_bytes) {
  return crypto::tagged_hash(crypto::kTagBlock, header_bytes);
}

Hash32 tx_root(const std::vector<TxPtr>& txs) {
  std::vector<Hash32> leaves;
  leaves.reserve(txs.size());
  for (const auto& tx : txs)
    leaves.push_back(crypto::tagged_hash(crypto::kTagMerkleLeaf, as_view(tx->id)));
  return crypto::merkle_root(leaves);
}

namespace {
uint64_t micros_since(std::chrono::steady_clock::time_point start) {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                   std::chrono::steady_clock::now() - start)
                                   .count());
}

// Block-level events that come before the hooks' (evidence).
void prepend_events(v1::BlockResult& result, std::vector<v1::Event> first) {
  if (first.empty()) return;
  google::protobuf::RepeatedPtrField<v1::Event> events;
  for (auto& e : first) *events.Add() = std::move(e);
  for (auto& e : *result.mutable_events()) *events.Add() = std::move(e);
  result.mutable_events()->Swap(&events);
}

Hash32 results_root(const v1::BlockResult& result) {
  std::vector<Hash32> leaves;
  leaves.reserve(static_cast<size_t>(result.txs_size()) + 1);
  for (const auto& r : result.txs()) {
    leaves.push_back(crypto::tagged_hash(crypto::kTagMerkleLeaf, r.SerializeAsString()));
  }
  v1::BlockResult events_only;
  *events_only.mutable_events() = result.events();
  leaves.push_back(crypto::tagged_hash(crypto::kTagMerkleLeaf, events_only.SerializeAsString()));
  return crypto::merkle_root(leaves);
}
}  // namespace

// What a block of `height` reports of its sets in the header.
Result<Chain::HeaderSets> Chain::header_sets(ValidatorSets& sets, uint64_t height) const {
  const ValidatorSet* current = sets.at(height);
  const ValidatorSet* next = sets.at(height + 1);
  if (current == nullptr || next == nullptr) {
    return Status(Code::kInternal,
                  "no validator set for height " + std::to_string(current ? height + 1 : height));
  }
  return HeaderSets{validator_set_hash(*current), validator_set_hash(*next)};
}

std::vector<ledger::LastCommitVote> last_commit_votes(const ValidatorSet& set,
                                                      const v1::Commit& commit) {
  std::set<std::string_view> signers;
  for (const auto& cs : commit.signatures()) signers.insert(cs.validator());
  std::vector<ledger::LastCommitVote> out;
  out.reserve(set.size());
  for (const auto& v : set.validators()) {
    out.push_back(
        {crypto::Address::from_public_key(v.public_key), v.power, signers.count(v.address) != 0});
  }
  return out;
}

std::vector<ledger::Misbehaviour> Chain::misbehaviour_of(
    const std::vector<VerifiedEvidence>& evidence) const {
  std::vector<ledger::Misbehaviour> out;
  out.reserve(evidence.size());
  for (const auto& e : evidence)
    out.push_back({e.validator, e.height, block_time_at(e.height), e.power});
  return out;
}

uint64_t Chain::block_time_at(uint64_t height) const {
  // Below its first block a chain started from an export knows the time of the exported height
  // only: its genesis time (doc/genesis.md, "Export and import").
  if (height + 1 == genesis_.initial_height) return genesis_.genesis_time_ms;
  auto block = block_at(height);
  v1::BlockHeader header;
  if (!block || !header.ParseFromString(block->header())) return 0;
  return header.time_ms();
}

Chain::Chain(storage::Database& db, const ModuleRegistry& registry, Genesis genesis)
    : db_(db),
      registry_(registry),
      genesis_(std::move(genesis)),
      state_(db),
      commitment_(make_write_set_commitment()) {}

Result<std::unique_ptr<Chain>> Chain::open(storage::Database& db, const ModuleRegistry& registry,
                                           const Genesis& genesis) {
  std::unique_ptr<Chain> chain(new Chain(db, registry, genesis));
  auto stored_genesis = db.get(Column::kConsensus, kGenesisHashKey);
  if (stored_genesis) {
    if (*stored_genesis != to_bytes(genesis.file_hash)) {
      return Status(Code::kInvalidArgument,
                    "this data directory belongs to another genesis (stored genesis hash " +
                        to_hex(*stored_genesis) + ", genesis file hash " +
                        to_hex(genesis.file_hash) + ")");
    }
    auto tip_bytes = db.get(Column::kConsensus, kTipKey);
    if (!tip_bytes || !chain->tip_.ParseFromString(*tip_bytes)) {
      return Status(Code::kStorage, "database has a genesis but no readable chain tip");
    }
    chain->tip_height_.store(chain->tip_.height(), std::memory_order_release);
    return chain;
  }

  // Fresh database: the genesis state at height initial_height - 1 (0 for a new chain), in one
  // batch.
  ledger::BlockOverlay overlay(chain->state_);
  if (auto s = init_genesis_state(genesis, overlay, registry); !s) return s;
  const uint64_t genesis_height = genesis.initial_height - 1;
  Hash32 state_hash = chain->commitment_->next(Hash32{}, genesis_height, overlay.writes());
  v1::ChainTip tip;
  tip.set_height(genesis_height);
  tip.set_block_hash(to_bytes(Hash32{}));
  tip.set_state_hash(to_bytes(state_hash));
  tip.set_time_ms(genesis.genesis_time_ms);
  auto batch = db.new_batch();
  for (const auto& [key, value] : overlay.writes()) {
    if (value) {
      batch->put(Column::kState, key, *value);
    } else {
      batch->erase(Column::kState, key);
    }
  }
  batch->put(Column::kConsensus, kGenesisHashKey, to_bytes(genesis.file_hash));
  batch->put(Column::kConsensus, kTipKey, tip.SerializeAsString());
  db.write(*batch);
  chain->tip_ = tip;
  chain->tip_height_.store(genesis_height, std::memory_order_release);
  return chain;
}

v1::ChainTip Chain::tip() const {
  std::lock_guard lock(tip_mu_);
  return tip_;
}

v1::LedgerParams Chain::params() const {
  // Committed state changes only with the tip (commit_locked writes the block, then moves the
  // tip): keyed by the height read before the state, a kept value is the state of that height or
  // of the block being committed, and a new tip always reads again.
  const uint64_t height = tip_height();
  {
    std::lock_guard lock(params_mu_);
    if (params_ && params_->first == height) return params_->second;
  }
  v1::LedgerParams p = ledger::Ledger(state_).params();
  std::lock_guard lock(params_mu_);
  params_.emplace(height, p);
  return p;
}

Result<CommittedBlock> Chain::propose(const std::vector<TxPtr>& candidates, uint64_t time_ms,
                                      const crypto::KeyPair& proposer) {
  std::lock_guard commit_lock(commit_mu_);
  const v1::ChainTip prev = tip();
  {
    // Its own precommit is the whole commit, so it must hold more than 2/3 of the height's set.
    auto set = validator_set_at(state_, prev.height() + 1);
    if (!set) return set.status();
    const ValidatorInfo* self = set->find(proposer.address.to_string());
    if (self == nullptr || !set->is_quorum(self->power)) {
      return Status(Code::kUnavailable, proposer.address.to_string() +
                                            " alone is not a quorum of the validator set of "
                                            "height " +
                                            std::to_string(prev.height() + 1));
    }
  }
  v1::Commit last_commit;
  if (prev.height() > 0) {
    if (auto c = commit_at(prev.height())) last_commit = *c;
  }
  auto prepared = build_locked(candidates, time_ms, proposer, last_commit, {});
  if (!prepared) return prepared.status();
  // The proposer's own precommit is the commit: the batch that writes the block writes it too, so
  // a restart can never sign this height again.
  v1::Vote vote;
  vote.set_type(v1::PRECOMMIT);
  vote.set_height(prepared->block.header.height());
  vote.set_round(0);
  vote.set_block_id(to_bytes(prepared->block.hash));
  vote.set_validator(proposer.address.to_string());
  vote.set_timestamp_ms(prepared->block.header.time_ms());
  auto sig = crypto::schnorr_sign(proposer.secret_key, chain::vote_digest(chain_id(), vote));
  if (!sig) return Status(Code::kInternal, "cannot sign the commit: invalid proposer key");
  v1::Commit commit;
  commit.set_height(vote.height());
  commit.set_round(0);
  commit.set_block_id(vote.block_id());
  auto* cs = commit.add_signatures();
  cs->set_validator(vote.validator());
  cs->set_timestamp_ms(vote.timestamp_ms());
  cs->set_signature(std::string(as_view(*sig)));
  return commit_locked(std::move(*prepared), &commit);
}

Result<PreparedBlock> Chain::build(const std::vector<TxPtr>& candidates, uint64_t time_ms,
                                   const crypto::KeyPair& proposer, const v1::Commit& last_commit,
                                   const std::vector<v1::Evidence>& evidence) {
  std::lock_guard commit_lock(commit_mu_);
  return build_locked(candidates, time_ms, proposer, last_commit, evidence);
}

void Chain::set_upgrades(std::set<std::string> handled, std::set<std::string> skipped) {
  handled_upgrades_ = std::move(handled);
  skipped_upgrades_ = std::move(skipped);
}

std::optional<v1::UpgradePlan> Chain::upgrade_needed() const {
  auto r = modules::governance::upgrade_plan(state_);
  if (!r || r->plan().height() != tip_height() + 1) return std::nullopt;
  const std::string& name = r->plan().name();
  if (handled_upgrades_.count(name) != 0 || skipped_upgrades_.count(name) != 0) return std::nullopt;
  return r->plan();
}

namespace {

Status upgrade_refusal(const v1::UpgradePlan& plan) {
  return Status(Code::kUnavailable, "upgrade '" + plan.name() + "' is due at height " +
                                        std::to_string(plan.height()) +
                                        ": this binary does not handle it");
}

}  // namespace

Result<PreparedBlock> Chain::build_locked(const std::vector<TxPtr>& candidates, uint64_t time_ms,
                                          const crypto::KeyPair& proposer,
                                          const v1::Commit& last_commit,
                                          const std::vector<v1::Evidence>& evidence) {
  if (auto plan = upgrade_needed()) return upgrade_refusal(*plan);
  v1::ChainTip prev = tip();
  if (time_ms <= prev.time_ms()) time_ms = prev.time_ms() + 1;
  ledger::BlockInfo info{genesis_.chain_id,
                         prev.height() + 1,
                         time_ms,
                         genesis_.genesis_time_ms,
                         prev.block_hash(),
                         {},
                         {},
                         proposer.address};
  ValidatorSets sets(state_);
  auto headed = header_sets(sets, info.height);
  if (!headed) return Status(Code::kInternal, headed.status().message());
  const bool has_last_commit = info.height > genesis_.initial_height;
  if (has_last_commit) {
    // The proposer's own view of the previous block's signers goes to the modules: it must be a
    // commit followers accept.
    const ValidatorSet* set = sets.at(info.height - 1);
    if (set == nullptr) return Status(Code::kInternal, "no validator set for the last commit");
    if (auto s =
            verify_commit(*set, genesis_.chain_id, info.height - 1, prev.block_hash(), last_commit);
        !s) {
      return Status(Code::kInvalidArgument, "last_commit: " + s.message());
    }
    info.last_commit = last_commit_votes(*set, last_commit);
  }
  ledger::BlockOverlay overlay(state_);
  const auto start = std::chrono::steady_clock::now();
  std::vector<VerifiedEvidence> included;
  if (!evidence.empty()) {
    included =
        select_evidence(state_, sets.lookup(), genesis_.chain_id, info.height, params(), evidence);
  }
  info.misbehaviour = misbehaviour_of(included);
  // Evidence is recorded before the block's hooks and txs run (so begin_block sees it).
  auto evidence_events = record_evidence(overlay, included, info.height);
  auto executed = execute_block(candidates, overlay, info, registry_, ExecMode::kPropose);
  if (!executed) return executed.status();
  executed->execute_us = micros_since(start);
  prepend_events(executed->result, std::move(evidence_events));

  v1::BlockHeader header;
  header.set_chain_id(genesis_.chain_id);
  header.set_height(info.height);
  header.set_time_ms(time_ms);
  header.set_prev_hash(prev.block_hash());
  header.set_proposer(proposer.address.to_string());
  header.set_validators_hash(to_bytes(headed->validators_hash));
  header.set_next_validators_hash(to_bytes(headed->next_validators_hash));
  if (has_last_commit) {
    auto hash = commit_hash(last_commit);  // verified above, so it has one
    if (!hash) return Status(Code::kInvalidArgument, "last_commit: " + hash.status().message());
    header.set_last_commit_hash(to_bytes(*hash));
  }
  Proposed proposed;
  proposed.proposer = &proposer;
  proposed.last_commit = has_last_commit ? &last_commit : nullptr;
  for (auto& e : included) proposed.evidence.push_back(std::move(e.bytes));
  return finish(overlay, std::move(*executed), std::move(header), &proposed, nullptr);
}

Result<CommittedBlock> Chain::apply(const v1::Block& block, const v1::Commit* commit,
                                    const KnownTx& known) {
  std::lock_guard commit_lock(commit_mu_);
  auto prepared = prepare_locked(block, known);
  if (!prepared) return prepared.status();
  return commit_locked(std::move(*prepared), commit);
}

Result<PreparedBlock> Chain::prepare(const v1::Block& block, const KnownTx& known) {
  std::lock_guard commit_lock(commit_mu_);
  return prepare_locked(block, known);
}

Result<CommittedBlock> Chain::commit(PreparedBlock prepared, const v1::Commit* commit) {
  std::lock_guard commit_lock(commit_mu_);
  return commit_locked(std::move(prepared), commit);
}

std::vector<v1::Validator> Chain::validators() const {
  return validators_at(tip_height() + 1).value_or(std::vector<v1::Validator>());
}

std::optional<std::vector<v1::Validator>> Chain::validators_at(uint64_t height) const {
  return chain::validators_at(state_, height);
}

Result<PreparedBlock> Chain::prepare_locked(const v1::Block& block, const KnownTx& known) {
  if (auto plan = upgrade_needed()) return upgrade_refusal(*plan);
  v1::ChainTip prev = tip();
  v1::BlockHeader header;
  if (!header.ParseFromString(block.header())) {
    return Status(Code::kMalformed, "block header does not decode");
  }
  auto bad = [](const std::string& what) { return Status(Code::kMalformed, "block: " + what); };
  if (header.chain_id() != genesis_.chain_id) return bad("wrong chain id");
  if (header.height() != prev.height() + 1) {
    return bad("height " + std::to_string(header.height()) + " does not follow tip " +
               std::to_string(prev.height()));
  }
  if (header.prev_hash() != prev.block_hash()) return bad("prev_hash is not the tip's hash");
  if (header.time_ms() <= prev.time_ms()) return bad("time does not increase");
  auto proposer = crypto::Address::parse(header.proposer());
  if (!proposer) return bad("proposer is not an address");
  ValidatorSets sets(state_);
  const uint64_t height = header.height();
  const ValidatorSet* set = sets.at(height);
  if (set == nullptr) return bad("no validator set for height " + std::to_string(height));
  const ValidatorInfo* proposer_info = set->find(header.proposer());
  if (proposer_info == nullptr) {
    return bad("proposer " + header.proposer() + " is not a validator of height " +
               std::to_string(height));
  }
  auto sig = crypto::signature_from_bytes(block.signature());
  Hash32 hash = block_hash(block.header());
  if (!sig || !crypto::schnorr_verify(proposer_info->public_key, hash, *sig)) {
    return bad("proposer signature does not verify");
  }
  // The header commits to the set of this height and of the next (doc/protocol.md).
  auto headed = header_sets(sets, height);
  if (!headed) return bad(headed.status().message());
  if (header.validators_hash() != to_bytes(headed->validators_hash)) {
    return bad("validators_hash is not the hash of the validator set of height " +
               std::to_string(height));
  }
  if (header.next_validators_hash() != to_bytes(headed->next_validators_hash)) {
    return bad("next_validators_hash is not the hash of the validator set of height " +
               std::to_string(height + 1));
  }
  std::vector<ledger::LastCommitVote> last_commit;
  if (height > genesis_.initial_height) {
    // The previous block's commit, against the set that decided it: the set of height - 1.
    if (!block.has_last_commit()) return bad("last_commit is missing");
    const ValidatorSet* prev_set = sets.at(height - 1);
    if (prev_set == nullptr)
      return bad("no validator set for height " + std::to_string(height - 1));
    if (auto s = chain::verify_commit(*prev_set, genesis_.chain_id, height - 1, prev.block_hash(),
                                      block.last_commit());
        !s) {
      return bad("last_commit: " + s.message());
    }
    auto commit_digest = commit_hash(block.last_commit());
    if (!commit_digest || header.last_commit_hash() != to_bytes(*commit_digest)) {
      return bad("last_commit_hash does not match last_commit");
    }
    last_commit = last_commit_votes(*prev_set, block.last_commit());
  } else {
    if (block.has_last_commit()) return bad("last_commit in the first block");
    if (!header.last_commit_hash().empty()) return bad("last_commit_hash in the first block");
  }

  v1::LedgerParams params = this->params();
  // Evidence: covered by the block hash through evidence_root, each piece verified against the
  // set of its height (doc/protocol.md, "Evidence").
  {
    std::vector<Bytes> carried(block.evidence().begin(), block.evidence().end());
    if (header.evidence_root() != evidence_root(carried)) {
      return bad("evidence_root does not match its evidence");
    }
  }
  auto evidence = check_block_evidence(state_, sets.lookup(), genesis_.chain_id, height, params,
                                       block.evidence());
  if (!evidence) return bad(evidence.status().message());

  std::vector<TxPtr> txs;
  txs.reserve(static_cast<size_t>(block.txs_size()));
  for (int i = 0; i < block.txs_size(); ++i) {
    if (known) {
      const v1::Tx& tx = block.txs(i);
      if (TxPtr k = known(tx_id_of_body(tx.body()));
          k && k->size() <= params.max_tx_bytes() && k->raw == tx.SerializeAsString()) {
        txs.push_back(std::move(k));
        continue;
      }
    }
    auto tx = decode_tx(block.txs(i), params.max_tx_bytes());
    if (!tx) return bad("tx " + std::to_string(i) + ": " + tx.status().message());
    txs.push_back(*tx);
  }
  if (to_bytes(tx_root(txs)) != header.tx_root()) return bad("tx_root does not match its txs");

  ledger::BlockInfo info{genesis_.chain_id,
                         header.height(),
                         header.time_ms(),
                         genesis_.genesis_time_ms,
                         prev.block_hash(),
                         std::move(last_commit),
                         misbehaviour_of(*evidence),
                         crypto::Address::parse(header.proposer()).value_or(crypto::Address{})};
  ledger::BlockOverlay overlay(state_);
  const auto start = std::chrono::steady_clock::now();
  auto evidence_events = record_evidence(overlay, *evidence, header.height());
  auto executed = execute_block(txs, overlay, info, registry_, ExecMode::kVerify);
  if (!executed) return executed.status();
  executed->execute_us = micros_since(start);
  prepend_events(executed->result, std::move(evidence_events));
  return finish(overlay, std::move(*executed), std::move(header), nullptr, &block);
}

Result<PreparedBlock> Chain::finish(ledger::BlockOverlay& overlay, ExecutedBlock executed,
                                    v1::BlockHeader header, const Proposed* proposed,
                                    const v1::Block* received) {
  const auto start = std::chrono::steady_clock::now();
  const v1::ChainTip prev = tip();
  const uint64_t height = header.height();

  // The digests and the index entries only read what execution produced, so they are computed
  // side by side (a block's commit is otherwise serial work on one core).
  struct Digests {
    Hash32 state, txs, results;
  };
  auto digests_future = std::async(std::launch::async, [&] {
    return Digests{commitment_->next(*to_hash32(prev.state_hash()), height, overlay.writes()),
                   tx_root(executed.txs), results_root(executed.result)};
  });

  auto batch = db_.new_batch();
  for (const auto& [key, value] : overlay.writes()) {
    if (value) {
      batch->put(Column::kState, key, *value);
    } else {
      batch->erase(Column::kState, key);
    }
  }
  const Bytes height_key = u64_be(height);
  batch->put(Column::kResults, height_key, executed.result.SerializeAsString());
  for (size_t i = 0; i < executed.txs.size(); ++i) {
    const auto& tx = *executed.txs[i];
    const auto index = static_cast<uint32_t>(i);
    batch->put(Column::kTxIndex, to_bytes(tx.id), location_value(height, index));
    for (const auto& addr : involved_addresses(tx, executed.result.txs(static_cast<int>(i)))) {
      Bytes key(addr.raw());
      key.append(location_value(height, index));
      batch->put(Column::kAccountTxs, key, to_bytes(tx.id));
    }
  }
  const Digests digests = digests_future.get();

  PreparedBlock prepared;
  CommittedBlock& out = prepared.block;
  if (received) {
    if (header.state_hash() != to_bytes(digests.state)) {
      return Status(Code::kMalformed,
                    "block: state_hash differs from this node's result " + to_hex(digests.state));
    }
    if (header.results_hash() != to_bytes(digests.results)) {
      return Status(Code::kMalformed, "block: results_hash differs from this node's results");
    }
    if (header.tx_count() != executed.txs.size()) {
      return Status(Code::kMalformed, "block: tx_count does not match");
    }
    out.block = *received;
  } else {
    header.set_tx_root(to_bytes(digests.txs));
    header.set_state_hash(to_bytes(digests.state));
    header.set_results_hash(to_bytes(digests.results));
    header.set_tx_count(static_cast<uint32_t>(executed.txs.size()));
    header.set_evidence_root(evidence_root(proposed->evidence));
    out.block.set_header(header.SerializeAsString());
    auto sig = crypto::schnorr_sign(proposed->proposer->secret_key, block_hash(out.block.header()));
    if (!sig) return Status(Code::kInternal, "cannot sign the block: invalid proposer key");
    out.block.set_signature(std::string(as_view(*sig)));
    out.block.mutable_txs()->Reserve(static_cast<int>(executed.txs.size()));
    for (const auto& tx : executed.txs) *out.block.add_txs() = tx->tx;
    if (proposed->last_commit) *out.block.mutable_last_commit() = *proposed->last_commit;
    for (const auto& e : proposed->evidence) out.block.add_evidence(e);
  }
  out.hash = block_hash(out.block.header());
  out.header = std::move(header);
  out.result = std::move(executed.result);
  out.txs = std::move(executed.txs);
  out.execute_us = executed.execute_us;

  v1::ChainTip& next = prepared.next;
  next.set_height(height);
  next.set_block_hash(to_bytes(out.hash));
  next.set_state_hash(to_bytes(digests.state));
  next.set_time_ms(out.header.time_ms());
  batch->put(Column::kBlockIndex, to_bytes(out.hash), height_key);
  batch->put(Column::kConsensus, kTipKey, next.SerializeAsString());
  prepared.prev = prev;
  prepared.batch = std::move(batch);
  out.commit_us = micros_since(start);
  return prepared;
}

Result<CommittedBlock> Chain::commit_locked(PreparedBlock prepared, const v1::Commit* commit) {
  const auto start = std::chrono::steady_clock::now();
  const v1::ChainTip now = tip();
  if (now.height() != prepared.prev.height() || now.block_hash() != prepared.prev.block_hash() ||
      !prepared.batch) {
    return Status(Code::kUnavailable, "block " + std::to_string(prepared.next.height()) +
                                          " was executed on another tip (now at " +
                                          std::to_string(now.height()) + ")");
  }
  CommittedBlock& out = prepared.block;
  const Bytes height_key = u64_be(prepared.next.height());
  // The block is stored as it travels, last_commit included (block sync and queries serve it).
  prepared.batch->put(Column::kBlocks, height_key, out.block.SerializeAsString());
  if (commit)
    prepared.batch->put(Column::kConsensus, commit_key(prepared.next.height()),
                        commit->SerializeAsString());
  db_.write(*prepared.batch);
  prepared.batch.reset();
  {
    std::lock_guard lock(tip_mu_);
    tip_ = prepared.next;
    tip_height_.store(tip_.height(), std::memory_order_release);
  }
  out.commit_us += micros_since(start);
  return std::move(out);
}

ReadView Chain::read_view() const {
  ReadView view;
  view.snapshot = db_.snapshot();
  view.state = std::make_unique<ledger::SnapshotState>(*view.snapshot);
  auto tip_bytes = view.snapshot->get(Column::kConsensus, kTipKey);
  if (!tip_bytes || !view.tip.ParseFromString(*tip_bytes)) view.tip = tip();
  return view;
}

TxOutcome Chain::simulate(const DecodedTx& tx, bool verify_signature) const {
  TxOutcome out;
  v1::LedgerParams params = this->params();
  if (verify_signature && !verify_tx_signature(tx)) {
    out.status = {Code::kBadSignature, "signature does not verify"};
    return out;
  }
  if (auto s = check_tx(tx, genesis_.chain_id, params, registry_); !s) {
    out.status = s;
    return out;
  }
  v1::ChainTip t = tip();
  ledger::BlockInfo info{genesis_.chain_id,
                         t.height() + 1,
                         t.time_ms() + 1,
                         genesis_.genesis_time_ms,
                         t.block_hash(),
                         {},
                         {},
                         {}};
  ledger::BlockOverlay overlay(state_);
  return execute_tx(tx, overlay, info, params, registry_);
}

namespace {
// A protobuf record stored at `key`; nullopt when absent or undecodable.
template <typename Message>
std::optional<Message> read_record(const storage::Database& db, Column c, std::string_view key) {
  auto bytes = db.get(c, key);
  Message m;
  if (!bytes || !m.ParseFromString(*bytes)) return std::nullopt;
  return m;
}
}  // namespace

std::optional<v1::Commit> Chain::commit_at(uint64_t height) const {
  return read_record<v1::Commit>(db_, Column::kConsensus, commit_key(height));
}

std::optional<v1::Block> Chain::block_at(uint64_t height) const {
  return read_record<v1::Block>(db_, Column::kBlocks, u64_be(height));
}

std::optional<uint64_t> Chain::height_of(const Hash32& hash) const {
  auto bytes = db_.get(Column::kBlockIndex, to_bytes(hash));
  if (!bytes) return std::nullopt;
  std::string_view in = *bytes;
  uint64_t h = 0;
  if (!get_u64_be(in, h)) return std::nullopt;
  return h;
}

std::optional<v1::BlockResult> Chain::result_at(uint64_t height) const {
  return read_record<v1::BlockResult>(db_, Column::kResults, u64_be(height));
}

std::optional<TxLocation> Chain::find_tx(const Hash32& id) const {
  auto bytes = db_.get(Column::kTxIndex, to_bytes(id));
  if (!bytes) return std::nullopt;
  return parse_location(*bytes);
}

std::vector<TxLocation> Chain::account_txs(const crypto::Address& addr, uint64_t before_height,
                                           size_t limit) const {
  std::vector<TxLocation> out;
  db_.scan(
      Column::kAccountTxs, addr.raw(),
      [&](std::string_view key, std::string_view) {
        auto loc = parse_location(key.substr(crypto::Address::kSize));
        if (!loc) return true;
        if (before_height != 0 && loc->height >= before_height) return true;
        out.push_back(*loc);
        return out.size() < limit;
      },
      /*reverse=*/true);
  return out;
}

}  // namespace btt::chain

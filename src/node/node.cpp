#include "btt/node/node.h"

#include <spdlog/spdlog.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "btt/chain/genesis.h"
#include "btt/consensus/signer_guard.h"
#include "btt/consensus/wal.h"

namespace btt::node {
namespace {

// The consensus WAL beside the signer guard; a torn tail or a discarded corruption is logged.
Result<std::unique_ptr<consensus::Wal>> open_wal(const Config& config) {
  consensus::WalOptions options;
  options.discard_corrupt = config.wal_discard_corrupt;
  auto wal = consensus::Wal::open(config.consensus_wal_path(), options);
  if (!wal) return wal.status();
  const consensus::WalOpenReport& r = (*wal)->report();
  if (r.torn_at) {
    spdlog::warn(
        "consensus WAL {}: ignored a torn last record at offset {} ({} bytes: {}), the trace of "
        "a crash in the middle of a write",
        (*wal)->path().string(), *r.torn_at, r.torn_bytes, r.problem);
  }
  if (r.discarded_at) {
    spdlog::warn(
        "consensus WAL {}: --wal-discard-corrupt: dropped everything from offset {} ({}), kept "
        "the {} records before it; the whole file was copied to {}.corrupt",
        (*wal)->path().string(), *r.discarded_at, r.problem, r.records, (*wal)->path().string());
  }
  spdlog::debug("consensus WAL {}: {} records", (*wal)->path().string(), r.records);
  return wal;
}

}  // namespace

Result<std::unique_ptr<Node>> Node::open(const Config& config) {
  if (auto s = config.validate(); !s) return s;
  std::unique_ptr<Node> n(new Node());
  n->config_ = config;

  auto lock = HomeLock::acquire(config.home);
  if (!lock) return lock.status();
  n->lock_ = std::move(*lock);

  n->registry_ = chain::make_default_registry();
  auto genesis = chain::Genesis::load(config.genesis_path(), *n->registry_);
  if (!genesis) return genesis.status();

  std::error_code ec;
  if (std::filesystem::exists(config.validator_key_path(), ec)) {
    auto key = crypto::read_key_file(config.validator_key_path());
    if (!key) return key.status();
    n->validator_key_ = *key;
  }
  if (!config.p2p_enabled()) {
    // The single producer signs every block alone: its key must be the genesis validator. (With
    // [p2p] a key outside the set is fine: the node follows and signs from the height its key
    // joins the set, doc/consensus.md "Validator set changes".)
    bool in_set = false;
    for (const auto& v : genesis->validators) {
      in_set |= n->validator_key_ && v.address == n->validator_key_->address;
    }
    if (n->validator_key_ && !in_set) {
      return Status(Code::kInvalidArgument, "validator key " +
                                                config.validator_key_path().string() + " (" +
                                                n->validator_key_->address.to_string() +
                                                ") is not in the genesis validator set");
    }
    if (!n->validator_key_) {
      return Status(Code::kInvalidArgument,
                    "no validator key at " + config.validator_key_path().string() +
                        " (a single-validator node needs one; see doc/operator.md)");
    }
    if (genesis->validators.size() != 1) {
      return Status(Code::kInvalidArgument,
                    "the genesis lists " + std::to_string(genesis->validators.size()) +
                        " validators: a multi-validator chain needs [p2p] listen_addr "
                        "(doc/operator.md)");
    }
  } else {
    // The node key: its p2p identity, created on first start if `bttd init` did not.
    if (std::filesystem::exists(config.node_key_path(), ec)) {
      auto key = crypto::read_key_file(config.node_key_path());
      if (!key) return key.status();
      n->node_key_ = *key;
    } else {
      auto key = crypto::KeyPair::generate();
      std::filesystem::create_directories(config.node_key_path().parent_path(), ec);
      if (auto s = crypto::write_key_file(config.node_key_path(), key); !s) return s;
      n->node_key_ = key;
    }
  }

  storage::DatabaseOptions db_options;
  db_options.sync_writes = config.storage_sync_writes;
  db_options.block_cache_mb = config.storage_block_cache_mb;
  auto db = storage::Database::open(config.data_dir(), db_options);
  if (!db) return db.status();
  n->db_ = std::move(*db);

  auto chain = chain::Chain::open(*n->db_, *n->registry_, *genesis);
  if (!chain) return chain.status();
  n->chain_ = std::move(*chain);
  n->chain_->set_upgrades({config.handled_upgrades.begin(), config.handled_upgrades.end()},
                          {config.skipped_upgrades.begin(), config.skipped_upgrades.end()});

  mempool::Limits limits;
  limits.max_txs = config.mempool_max_txs;
  limits.max_bytes = config.mempool_max_bytes;
  limits.max_nonce_gap = config.mempool_max_nonce_gap;
  n->pool_ = std::make_unique<mempool::Mempool>(limits);
  n->hub_ = std::make_unique<chain::BlockHub>(n->chain_->tip().height());
  n->clock_ = std::make_unique<consensus::SystemClock>();

  if (config.p2p_enabled()) {
    if (n->validator_key_) {
      // The signer guard lives beside the database: wiping the data dir wipes the guard too,
      // which is only safe for a node that re-syncs before it signs again (doc/consensus.md).
      auto guard = consensus::SignerGuard::open(
          config.signer_state_path(), std::make_unique<chain::KeySigner>(*n->validator_key_));
      if (!guard) return guard.status();
      n->signer_ = std::move(*guard);
    }
    auto wal = open_wal(config);
    if (!wal) return wal.status();
    n->wal_ = std::move(*wal);
    p2p::TransportConfig tc;
    tc.chain_id = n->chain_->chain_id();
    tc.listen_addr = config.p2p_listen_addr;
    tc.persistent_peers = config.p2p_persistent_peers;
    tc.max_inbound = config.p2p_max_inbound;
    tc.max_outbound = config.p2p_max_outbound;
    tc.ban_ips = config.p2p_ban_ips;
    tc.pex = config.p2p_pex;
    tc.dial_backoff_min = std::chrono::milliseconds(200);
    tc.dial_backoff_max = std::chrono::milliseconds(2000);
    if (auto s = tc.validate(); !s) return s;
    n->transport_ = std::make_unique<p2p::Transport>(tc, *n->node_key_);
    ReactorOptions ro;
    ro.timeouts.propose_ms = config.timeout_propose_ms;
    ro.timeouts.propose_delta_ms = config.timeout_propose_delta_ms;
    ro.timeouts.prevote_ms = config.timeout_prevote_ms;
    ro.timeouts.prevote_delta_ms = config.timeout_prevote_delta_ms;
    ro.timeouts.precommit_ms = config.timeout_precommit_ms;
    ro.timeouts.precommit_delta_ms = config.timeout_precommit_delta_ms;
    ro.block_time_ms = config.block_time_ms;
    ro.create_empty_blocks = config.create_empty_blocks;
    ro.create_empty_blocks_interval_ms = config.create_empty_blocks_interval_ms;
    Node* raw = n.get();
    n->reactor_ = std::make_unique<Reactor>(
        *n->chain_, *n->pool_, n->transport_.get(), n->signer_.get(),
        n->validator_key_ ? &*n->validator_key_ : nullptr, *n->clock_, ro,
        [raw](const chain::CommittedBlock& b) { raw->committed(b); },
        [raw](const std::string& why) { raw->request_stop(why, StopKind::kFailure); });
    n->reactor_->set_wal(n->wal_.get());
    n->reactor_->attach();
  }
  return n;
}

Status Node::start() {
  auto tip = chain_->tip();
  spdlog::info("chain {} at height {} (state {})", chain_->chain_id(), tip.height(),
               to_hex(tip.state_hash()).substr(0, 16));
  rpc_ctx_ = std::unique_ptr<rpc::RpcContext>(new rpc::RpcContext{
      *chain_, *pool_, *hub_, validator_key_ ? validator_key_->address.to_string() : "",
      config_.moniker, config_.grpc_max_streams});
  if (reactor_) {
    rpc_ctx_->consensus = this;
    rpc_ctx_->on_tx_admitted = [this](const v1::Tx& tx) { reactor_->gossip_tx(tx); };
  }
  auto server =
      rpc::RpcServer::start({config_.grpc_addr, config_.grpc_max_message_bytes}, *rpc_ctx_);
  if (!server) return server.status();
  rpc_ = std::move(*server);
  spdlog::info("gRPC listening on {}", config_.grpc_addr);

  if (reactor_) {
    if (auto s = transport_->start(); !s) return s;
    spdlog::info("p2p listening on {} as {}", config_.p2p_listen_addr, transport_->address());
    reactor_->start();
    spdlog::info("consensus started as {}", validator_key_
                                                ? "validator " + validator_key_->address.to_string()
                                                : std::string("a non-validator"));
    return Status::ok();
  }

  consensus::ProducerOptions options{config_.block_time_ms, config_.create_empty_blocks,
                                     config_.create_empty_blocks_interval_ms};
  producer_txs_ = std::make_unique<MempoolTxSource>(*chain_, *pool_);
  producer_ = std::make_unique<consensus::BlockProducer>(
      *chain_, *producer_txs_, *validator_key_, options, *clock_,
      [this](const chain::CommittedBlock& b) { committed(b); });
  producer_->set_on_fatal(
      [this](const std::string& why) { request_stop(why, StopKind::kFailure); });
  producer_->start();
  spdlog::info("producing blocks every {} ms as validator {}", config_.block_time_ms,
               validator_key_->address.to_string());
  return Status::ok();
}

void Node::request_stop(std::string reason, StopKind kind) {
  {
    std::lock_guard lock(stop_mu_);
    if (!stop_requested_) spdlog::info("stopping: {}", reason);
    stop_requested_ = true;
    if (stop_kind_ == StopKind::kClean) stop_kind_ = kind;
  }
  stop_cv_.notify_all();
}

StopKind Node::wait_for_stop() {
  std::unique_lock lock(stop_mu_);
  stop_cv_.wait(lock, [&] { return stop_requested_; });
  return stop_kind_;
}

void Node::committed(const chain::CommittedBlock& block) {
  hub_->publish(block.header.height());
  if (auto plan = chain_->upgrade_needed()) {
    report_upgrade_halt(*plan);
    request_stop("upgrade '" + plan->name() + "' at height " + std::to_string(plan->height()),
                 StopKind::kUpgrade);
  }
}

void Node::report_upgrade_halt(const v1::UpgradePlan& plan) const {
  spdlog::critical(
      "UPGRADE NEEDED: governance plan '{}' is due at height {} (info: {}). This binary does not "
      "handle it, so the node stops before applying block {}. Start a bttd release that declares "
      "'{}' (bttd version lists them) with the same home; only if every validator agrees, "
      "`bttd start --unsafe-skip-upgrade {}` goes on with this binary (doc/operator.md "
      "\"Upgrades\")",
      plan.name(), plan.height(), plan.info().empty() ? "none" : plan.info(), plan.height(),
      plan.name(), plan.name());
  nlohmann::json info = {{"name", plan.name()}, {"height", plan.height()}, {"info", plan.info()}};
  std::ofstream out(config_.upgrade_info_path(), std::ios::trunc);
  out << info.dump(2) << "\n";
  if (!out) spdlog::warn("cannot write {}", config_.upgrade_info_path().string());
}

void Node::shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  const bool started = producer_ != nullptr || reactor_ != nullptr;
  if (producer_) producer_->stop();  // the block in progress commits whole, or not at all
  if (reactor_) reactor_->stop();    // likewise: a block commits in one batch
  if (transport_) transport_->stop();
  spdlog::debug("block production stopped");
  if (hub_) hub_->close();  // ends streams and broadcast waits
  if (rpc_) rpc_->shutdown();
  spdlog::debug("gRPC server stopped");
  chain_.reset();
  db_.reset();  // closes RocksDB cleanly
  if (started) spdlog::info("stopped cleanly at height {}", hub_ ? hub_->height() : 0);
}

v1::Peers Node::peers() const {
  v1::Peers out;
  if (!transport_) return out;
  out.set_node_id(transport_->node_id().to_string());
  out.set_listen_address(transport_->address());
  auto heights = reactor_->peer_heights();
  for (const auto& p : transport_->peers()) {
    auto* peer = out.add_peers();
    peer->set_node_id(p.id.to_string());
    peer->set_remote(p.remote);
    peer->set_outbound(p.outbound);
    peer->set_persistent(p.persistent);
    if (auto it = heights.find(p.id.to_string()); it != heights.end()) peer->set_height(it->second);
  }
  return out;
}

v1::ConsensusState Node::consensus_state() const {
  return reactor_->state();
}

std::vector<v1::Evidence> Node::evidence() const {
  return reactor_->evidence();
}

Node::~Node() {
  shutdown();
}

}  // namespace btt::node

#include "btt/node/node.h"

#include <spdlog/spdlog.h>

#include "btt/chain/genesis.h"

namespace btt::node {

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
    bool in_set = false;
    for (const auto& v : genesis->validators) in_set |= v.address == key->address;
    if (!in_set) {
      return Status(Code::kInvalidArgument,
                    "validator key " + config.validator_key_path().string() + " (" +
                        key->address.to_string() + ") is not in the genesis validator set");
    }
  }
  if (!n->validator_key_) {
    return Status(Code::kInvalidArgument,
                  "no validator key at " + config.validator_key_path().string() +
                      " (a single-validator node needs one; see doc/operator.md)");
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

  mempool::Limits limits;
  limits.max_txs = config.mempool_max_txs;
  limits.max_bytes = config.mempool_max_bytes;
  limits.max_nonce_gap = config.mempool_max_nonce_gap;
  n->pool_ = std::make_unique<mempool::Mempool>(limits);
  n->hub_ = std::make_unique<chain::BlockHub>(n->chain_->tip().height());
  n->clock_ = std::make_unique<consensus::SystemClock>();
  return n;
}

Status Node::start() {
  auto tip = chain_->tip();
  spdlog::info("chain {} at height {} (state {})", chain_->chain_id(), tip.height(),
               to_hex(tip.state_hash()).substr(0, 16));
  rpc_ctx_ = std::unique_ptr<rpc::RpcContext>(new rpc::RpcContext{
      *chain_, *pool_, *hub_, validator_key_ ? validator_key_->address.to_string() : "",
      config_.moniker, config_.grpc_max_streams});
  auto server =
      rpc::RpcServer::start({config_.grpc_addr, config_.grpc_max_message_bytes}, *rpc_ctx_);
  if (!server) return server.status();
  rpc_ = std::move(*server);
  spdlog::info("gRPC listening on {}", config_.grpc_addr);

  consensus::ProducerOptions options{config_.block_time_ms, config_.create_empty_blocks};
  producer_ = std::make_unique<consensus::BlockProducer>(
      *chain_, *pool_, *validator_key_, options, *clock_,
      [this](const chain::CommittedBlock& b) { hub_->publish(b.header.height()); });
  producer_->set_on_fatal([this](const std::string& why) { request_stop(why, true); });
  producer_->start();
  spdlog::info("producing blocks every {} ms as validator {}", config_.block_time_ms,
               validator_key_->address.to_string());
  return Status::ok();
}

void Node::request_stop(std::string reason, bool failure) {
  {
    std::lock_guard lock(stop_mu_);
    if (!stop_requested_) spdlog::info("stopping: {}", reason);
    stop_requested_ = true;
    stop_failure_ |= failure;
  }
  stop_cv_.notify_all();
}

bool Node::wait_for_stop() {
  std::unique_lock lock(stop_mu_);
  stop_cv_.wait(lock, [&] { return stop_requested_; });
  return stop_failure_;
}

void Node::shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  const bool started = producer_ != nullptr;
  if (producer_) producer_->stop();  // the block in progress commits whole, or not at all
  spdlog::debug("block production stopped");
  if (hub_) hub_->close();  // ends streams and broadcast waits
  if (rpc_) rpc_->shutdown();
  spdlog::debug("gRPC server stopped");
  chain_.reset();
  db_.reset();  // closes RocksDB cleanly
  if (started) spdlog::info("stopped cleanly at height {}", hub_ ? hub_->height() : 0);
}

Node::~Node() {
  shutdown();
}

}  // namespace btt::node

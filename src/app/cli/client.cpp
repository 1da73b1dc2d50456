#include "app/cli/client.h"

#include <utility>

#include "app/cli/commands.h"
#include "btt/rpc/error_trailers.h"

namespace btt::cli {

RpcError::RpcError(grpc::StatusCode code, std::string message, BttError btt)
    : std::runtime_error(std::string(status_code_name(code)) + ": " + message),
      code_(code),
      message_(std::move(message)),
      btt_(std::move(btt)) {}

const char* status_code_name(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return "OK";
    case grpc::StatusCode::CANCELLED:
      return "CANCELLED";
    case grpc::StatusCode::UNKNOWN:
      return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND:
      return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS:
      return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED:
      return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE:
      return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL:
      return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE:
      return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS:
      return "DATA_LOSS";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "UNAUTHENTICATED";
    default:
      return "UNKNOWN";
  }
}

Client::Client(std::string target, std::chrono::milliseconds timeout)
    : target_(std::move(target)), timeout_(timeout) {
  grpc::ChannelArguments args;
  // Fail fast on a dead node instead of backing off for seconds between attempts.
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 200);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
  // Any answer size: a block answer is a little larger than its block, and genesis allows blocks
  // up to 256 MiB (doc/api.md).
  args.SetMaxReceiveMessageSize(-1);
  channel_ = grpc::CreateCustomChannel(target_, grpc::InsecureChannelCredentials(), args);
  node_ = v1::Node::NewStub(channel_);
  blocks_ = v1::Blocks::NewStub(channel_);
  txs_ = v1::Txs::NewStub(channel_);
  bank_ = v1::Bank::NewStub(channel_);
  tokenomics_ = v1::Tokenomics::NewStub(channel_);
  consensus_ = v1::Consensus::NewStub(channel_);
  compute_ = v1::Compute::NewStub(channel_);
}

void Client::set_deadline(grpc::ClientContext& ctx, std::chrono::milliseconds extra) const {
  ctx.set_deadline(std::chrono::system_clock::now() + timeout_ + extra);
}

namespace {

// A trailer's value, or nullopt.
std::optional<std::string> trailer(const grpc::ClientContext& ctx, const char* name) {
  const auto& trailers = ctx.GetServerTrailingMetadata();
  auto it = trailers.find(name);
  if (it == trailers.end()) return std::nullopt;
  return std::string(it->second.data(), it->second.size());
}

// A decimal trailer; a malformed one is ignored (the message still says what failed).
std::optional<uint32_t> number_trailer(const grpc::ClientContext& ctx, const char* name) {
  auto text = trailer(ctx, name);
  if (!text || text->empty() || !is_all_digits(*text) || text->size() > 9) return std::nullopt;
  return static_cast<uint32_t>(std::stoul(*text));
}

}  // namespace

void Client::check(const grpc::Status& status, const grpc::ClientContext* ctx) const {
  if (status.ok()) return;
  BttError btt;
  if (ctx != nullptr) {
    btt.code = number_trailer(*ctx, rpc::kCodeTrailer);
    btt.detail = number_trailer(*ctx, rpc::kDetailTrailer).value_or(0);
    if (btt.detail != 0) btt.codespace = trailer(*ctx, rpc::kCodespaceTrailer).value_or("");
  }
  std::string message = status.error_message();
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
    message += " (is bttd running and serving gRPC at " + target_ + "?)";
  } else if (status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
    message += " (no answer from " + target_ + " within the timeout; see --timeout)";
  }
  throw RpcError(status.error_code(), message, std::move(btt));
}

v1::Peers Client::get_peers() {
  return unary(*consensus_, &v1::Consensus::Stub::GetPeers, v1::GetPeersRequest());
}

v1::ConsensusState Client::get_consensus_state() {
  return unary(*consensus_, &v1::Consensus::Stub::GetConsensusState,
               v1::GetConsensusStateRequest());
}

v1::Validators Client::get_validators(uint64_t height) {
  v1::GetValidatorsRequest req;
  req.set_height(height);
  return unary(*consensus_, &v1::Consensus::Stub::GetValidators, req);
}

v1::NodeStatus Client::get_status() {
  return unary(*node_, &v1::Node::Stub::GetStatus, v1::GetStatusRequest());
}

v1::AccountInfo Client::get_account(const std::string& address) {
  v1::GetAccountRequest req;
  req.set_address(address);
  return unary(*bank_, &v1::Bank::Stub::GetAccount, req);
}

v1::Balance Client::get_balance(const std::string& address, const std::string& asset) {
  v1::GetBalanceRequest req;
  req.set_address(address);
  req.set_asset(asset);
  return unary(*bank_, &v1::Bank::Stub::GetBalance, req);
}

v1::Supply Client::get_supply() {
  return unary(*bank_, &v1::Bank::Stub::GetSupply, v1::GetSupplyRequest());
}

v1::BlockResult Client::get_block_result(uint64_t height) {
  v1::GetBlockResultRequest req;
  req.set_height(height);
  return unary(*blocks_, &v1::Blocks::Stub::GetBlockResult, req);
}

v1::EvidenceList Client::get_evidence(uint64_t from_height, uint32_t limit) {
  v1::GetEvidenceRequest req;
  req.set_from_height(from_height);
  req.set_limit(limit);
  return unary(*consensus_, &v1::Consensus::Stub::GetEvidence, req);
}

v1::SupplyBreakdown Client::get_supply_breakdown() {
  return unary(*tokenomics_, &v1::Tokenomics::Stub::GetSupplyBreakdown,
               v1::GetSupplyBreakdownRequest());
}

v1::Allocations Client::get_allocations(uint64_t at_time_ms) {
  v1::GetAllocationsRequest req;
  req.set_at_time_ms(at_time_ms);
  return unary(*tokenomics_, &v1::Tokenomics::Stub::GetAllocations, req);
}

v1::Vesting Client::get_vesting(const std::string& address, uint64_t at_time_ms) {
  v1::GetVestingRequest req;
  req.set_address(address);
  req.set_at_time_ms(at_time_ms);
  return unary(*tokenomics_, &v1::Tokenomics::Stub::GetVesting, req);
}

v1::EmissionSchedule Client::get_emission(uint64_t from_epoch, uint32_t limit) {
  v1::GetEmissionRequest req;
  req.set_from_epoch(from_epoch);
  req.set_limit(limit);
  return unary(*tokenomics_, &v1::Tokenomics::Stub::GetEmission, req);
}

v1::BlockInfo Client::get_block(const v1::GetBlockRequest& req) {
  return unary(*blocks_, &v1::Blocks::Stub::GetBlock, req);
}

v1::TxInfo Client::get_tx(const std::string& tx_id) {
  v1::GetTxRequest req;
  req.set_tx_id(tx_id);
  return unary(*txs_, &v1::Txs::Stub::GetTx, req);
}

v1::BroadcastTxResponse Client::broadcast_tx(const v1::BroadcastTxRequest& req,
                                             std::chrono::milliseconds extra) {
  return unary(*txs_, &v1::Txs::Stub::BroadcastTx, req, extra);
}

v1::SimulateTxResponse Client::simulate_tx(const v1::SimulateTxRequest& req) {
  return unary(*txs_, &v1::Txs::Stub::SimulateTx, req);
}

v1::FeeSuggestion Client::suggest_fee(uint32_t blocks) {
  v1::SuggestFeeRequest req;
  req.set_blocks(blocks);
  return unary(*txs_, &v1::Txs::Stub::SuggestFee, req);
}

v1::ListAccountTxsResponse Client::list_account_txs(const v1::ListAccountTxsRequest& req) {
  return unary(*txs_, &v1::Txs::Stub::ListAccountTxs, req);
}

std::unique_ptr<grpc::ClientReader<v1::BlockInfo>> Client::stream_blocks(
    grpc::ClientContext& ctx, const v1::StreamBlocksRequest& req) {
  return blocks_->StreamBlocks(&ctx, req);
}

std::unique_ptr<grpc::ClientReader<v1::EventRecord>> Client::stream_events(
    grpc::ClientContext& ctx, const v1::StreamEventsRequest& req) {
  return txs_->StreamEvents(&ctx, req);
}

v1::ComputeParams Client::get_compute_params() {
  return unary(*compute_, &v1::Compute::Stub::GetParams, v1::GetComputeParamsRequest{});
}

v1::ListNodesResponse Client::list_nodes(const v1::ListNodesRequest& req) {
  return unary(*compute_, &v1::Compute::Stub::ListNodes, req);
}

v1::NodeRecord Client::get_node(const std::string& node) {
  v1::GetNodeRequest req;
  req.set_node(node);
  return unary(*compute_, &v1::Compute::Stub::GetNode, req);
}

v1::ListJobsResponse Client::list_jobs(const v1::ListJobsRequest& req) {
  return unary(*compute_, &v1::Compute::Stub::ListJobs, req);
}

v1::JobRecord Client::get_job(uint64_t job_id) {
  v1::GetJobRequest req;
  req.set_job_id(job_id);
  return unary(*compute_, &v1::Compute::Stub::GetJob, req);
}

v1::MarketStatsResponse Client::get_market_stats() {
  return unary(*compute_, &v1::Compute::Stub::GetMarketStats, v1::GetMarketStatsRequest{});
}

v1::EpochRewards Client::get_epoch_rewards(uint64_t epoch) {
  v1::GetEpochRewardsRequest req;
  req.set_epoch(epoch);
  return unary(*compute_, &v1::Compute::Stub::GetEpochRewards, req);
}

std::unique_ptr<grpc::ClientReader<v1::JobRecord>> Client::watch_jobs(
    grpc::ClientContext& ctx, const v1::WatchJobsRequest& req) {
  return compute_->WatchJobs(&ctx, req);
}

}  // namespace btt::cli

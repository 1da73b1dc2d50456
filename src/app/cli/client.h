#pragma once
// btt-cli's connection to a node: one gRPC channel, a stub per service, deadlines, and the
// mapping of failed calls to exceptions that main() turns into exit codes.
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "btt/v1/bank.grpc.pb.h"
#include "btt/v1/compute.grpc.pb.h"
#include "btt/v1/consensus_query.grpc.pb.h"
#include "btt/v1/node.grpc.pb.h"
#include "btt/v1/tokenomics.grpc.pb.h"

namespace btt::cli {

// Exit codes of btt-cli.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // an RPC failed, a tx was rejected, a file was unusable
inline constexpr int kExitUsage = 2;    // the command line is wrong (CLI11's and ours)

// The command line is wrong: bad amount, bad hex, bad address. Exit 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The command could not do its work (missing key file, tx rejected). Exit 1.
class CommandError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// What bttd says about a failure beside the status, from the call's trailing metadata
// (btt/rpc/error_trailers.h, doc/api.md "Error details in gRPC trailers").
struct BttError {
  std::optional<uint32_t> code;  // btt-code: the kind (common/status.h)
  uint32_t detail = 0;           // btt-detail: the module detail, 0 when none
  std::string codespace;         // btt-codespace: the detail's module, "" when none
};

// A gRPC call failed. Exit 1, printed as "error: <CODE NAME>: <message>" (with the detail and
// code space when the node sent them).
class RpcError : public std::runtime_error {
 public:
  RpcError(grpc::StatusCode code, std::string message, BttError btt = {});
  [[nodiscard]] grpc::StatusCode code() const { return code_; }
  [[nodiscard]] const std::string& rpc_message() const { return message_; }
  // bttd's stable code (doc/api.md) when the node sent one ("btt-code" trailing metadata).
  [[nodiscard]] std::optional<uint32_t> btt_code() const { return btt_.code; }
  [[nodiscard]] const BttError& btt() const { return btt_; }

 private:
  grpc::StatusCode code_;
  std::string message_;
  BttError btt_;
};

// "UNAVAILABLE", "NOT_FOUND", ... as in the gRPC specification.
[[nodiscard]] const char* status_code_name(grpc::StatusCode code);

class Client {
 public:
  // target: "HOST:PORT"; timeout: deadline of every unary call.
  Client(std::string target, std::chrono::milliseconds timeout);

  [[nodiscard]] const std::string& target() const { return target_; }

  [[nodiscard]] v1::NodeStatus get_status();
  [[nodiscard]] v1::AccountInfo get_account(const std::string& address);
  // NOT_FOUND (RpcError) for an asset that is not registered.
  [[nodiscard]] v1::Balance get_balance(const std::string& address, const std::string& asset);
  [[nodiscard]] v1::BlockInfo get_block(const v1::GetBlockRequest& req);
  [[nodiscard]] v1::TxInfo get_tx(const std::string& tx_id);
  // `extra` is added to the deadline (used while waiting for a commit).
  [[nodiscard]] v1::BroadcastTxResponse broadcast_tx(const v1::BroadcastTxRequest& req,
                                                     std::chrono::milliseconds extra = {});
  [[nodiscard]] v1::SimulateTxResponse simulate_tx(const v1::SimulateTxRequest& req);
  [[nodiscard]] v1::FeeSuggestion suggest_fee(uint32_t blocks = 0);
  [[nodiscard]] v1::ListAccountTxsResponse list_account_txs(const v1::ListAccountTxsRequest& req);
  [[nodiscard]] v1::Supply get_supply();
  [[nodiscard]] v1::BlockResult get_block_result(uint64_t height);
  [[nodiscard]] v1::EvidenceList get_evidence(uint64_t from_height, uint32_t limit);
  [[nodiscard]] v1::SupplyBreakdown get_supply_breakdown();
  [[nodiscard]] v1::Allocations get_allocations(uint64_t at_time_ms);
  [[nodiscard]] v1::Vesting get_vesting(const std::string& address, uint64_t at_time_ms);
  [[nodiscard]] v1::EmissionSchedule get_emission(uint64_t from_epoch, uint32_t limit);
  [[nodiscard]] v1::Peers get_peers();
  [[nodiscard]] v1::ConsensusState get_consensus_state();
  // The set that decides `height` (0: the next height).
  [[nodiscard]] v1::Validators get_validators(uint64_t height = 0);
  [[nodiscard]] v1::ComputeParams get_compute_params();
  [[nodiscard]] v1::ListNodesResponse list_nodes(const v1::ListNodesRequest& req);
  [[nodiscard]] v1::NodeRecord get_node(const std::string& node);
  [[nodiscard]] v1::ListJobsResponse list_jobs(const v1::ListJobsRequest& req);
  [[nodiscard]] v1::JobRecord get_job(uint64_t job_id);
  [[nodiscard]] v1::MarketStatsResponse get_market_stats();
  [[nodiscard]] v1::EpochRewards get_epoch_rewards(uint64_t epoch);

  // Streams: the caller owns the context (no deadline; cancel it to stop early).
  [[nodiscard]] std::unique_ptr<grpc::ClientReader<v1::BlockInfo>> stream_blocks(
      grpc::ClientContext& ctx, const v1::StreamBlocksRequest& req);
  [[nodiscard]] std::unique_ptr<grpc::ClientReader<v1::EventRecord>> stream_events(
      grpc::ClientContext& ctx, const v1::StreamEventsRequest& req);
  [[nodiscard]] std::unique_ptr<grpc::ClientReader<v1::JobRecord>> watch_jobs(
      grpc::ClientContext& ctx, const v1::WatchJobsRequest& req);

  // Throws RpcError for a failed status (UNAVAILABLE gets a hint naming the node address).
  // With `ctx`, the btt-code, btt-detail and btt-codespace trailers are carried into it.
  void check(const grpc::Status& status, const grpc::ClientContext* ctx = nullptr) const;

  // The channel, for a module's commands file that makes its own stub
  // (`v1::Roles::NewStub(client.channel())`) and calls it with unary(), so a new service needs
  // no change here.
  [[nodiscard]] const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }

  // One unary call: a context with the deadline (plus `extra`), the call, and check().
  template <typename Stub, typename Request, typename Response>
  Response unary(Stub& stub,
                 grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                 const Request& req, std::chrono::milliseconds extra = {}) {
    grpc::ClientContext ctx;
    set_deadline(ctx, extra);
    Response out;
    check((stub.*method)(&ctx, req, &out), &ctx);
    return out;
  }

 private:
  void set_deadline(grpc::ClientContext& ctx, std::chrono::milliseconds extra = {}) const;

  std::string target_;
  std::chrono::milliseconds timeout_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::Node::Stub> node_;
  std::unique_ptr<v1::Blocks::Stub> blocks_;
  std::unique_ptr<v1::Txs::Stub> txs_;
  std::unique_ptr<v1::Bank::Stub> bank_;
  std::unique_ptr<v1::Tokenomics::Stub> tokenomics_;
  std::unique_ptr<v1::Consensus::Stub> consensus_;
  std::unique_ptr<v1::Compute::Stub> compute_;
};

}  // namespace btt::cli

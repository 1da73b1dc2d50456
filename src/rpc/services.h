#pragma once
// The gRPC service adapters: thin translations between protobuf requests and the chain,
// mempool and module queries. No business logic lives here.
#include <grpcpp/grpcpp.h>

#include <functional>

#include "btt/rpc/server.h"
#include "btt/v1/bank.grpc.pb.h"
#include "btt/v1/compute.grpc.pb.h"
#include "btt/v1/consensus_query.grpc.pb.h"
#include "btt/v1/consent_query.grpc.pb.h"
#include "btt/v1/governance.grpc.pb.h"
#include "btt/v1/node.grpc.pb.h"
#include "btt/v1/oracle.grpc.pb.h"
#include "btt/v1/params.grpc.pb.h"
#include "btt/v1/payfi_query.grpc.pb.h"
#include "btt/v1/roles.grpc.pb.h"
#include "btt/v1/rwa_query.grpc.pb.h"
#include "btt/v1/staking.grpc.pb.h"
#include "btt/v1/tokenomics.grpc.pb.h"

namespace btt::rpc {

// Adds a failure's structured form to the call's trailing metadata (btt/rpc/error_trailers.h):
// btt-code, and btt-detail with btt-codespace when the failure has a module detail.
void add_error_trailers(grpc::ServerContext* context, const Status& status);
// Maps a bttd Status to a gRPC status (doc/api.md): malformed -> INVALID_ARGUMENT, not found ->
// NOT_FOUND, duplicate -> ALREADY_EXISTS, mempool full -> RESOURCE_EXHAUSTED, other rejections
// and failures -> FAILED_PRECONDITION, node errors -> INTERNAL / UNAVAILABLE. The message starts
// with the code's name and number (and ends with "[codespace detail]"); the trailers are added
// to `context`.
[[nodiscard]] grpc::Status to_grpc(grpc::ServerContext* context, const Status& status);
// A gRPC status whose message is cut to a size every client accepts (1 KB).
[[nodiscard]] grpc::Status status(grpc::StatusCode code, const std::string& message);
[[nodiscard]] grpc::Status invalid(const std::string& message);
[[nodiscard]] grpc::Status not_found(const std::string& message);

// Answers a query from one committed snapshot: `fn(view)` gives a Result<T> from the snapshot's
// state and tip (whose block time is "now" for the module queries); a failure goes through
// to_grpc.
template <typename T, typename Fn>
[[nodiscard]] grpc::Status answer_snapshot(RpcContext& ctx, grpc::ServerContext* context, T* out,
                                           const Fn& fn) {
  const auto view = ctx.chain.read_view();
  Result<T> r = fn(view);
  if (!r) return to_grpc(context, r.status());
  *out = std::move(*r);
  return grpc::Status::OK;
}
// For answer_snapshot's functions: a request's address field, or INVALID_ARGUMENT naming it;
// NOT_FOUND with `what`.
[[nodiscard]] Result<crypto::Address> request_address(const std::string& text, const char* what);
[[nodiscard]] Status missing(const std::string& what);

// Holds one of the node's limited stream slots for the lifetime of a streaming call.
class StreamSlot {
 public:
  explicit StreamSlot(RpcContext& ctx);
  ~StreamSlot();
  [[nodiscard]] bool acquired() const { return acquired_; }

 private:
  RpcContext& ctx_;
  bool acquired_ = false;
};

// The loop behind every stream of committed data: takes a stream slot, then calls
// deliver(height) for each committed height from `from_height` (0: the next block to commit) on,
// waiting for new blocks, until the client cancels, deliver returns false, or the node stops.
// deliver may return an error status to end the stream with it.
using DeliverFn = std::function<grpc::Status(uint64_t height, bool& keep_going)>;
[[nodiscard]] grpc::Status follow_chain(RpcContext& ctx, grpc::ServerContext* context,
                                        uint64_t from_height, const DeliverFn& deliver);

// Decoded view of a committed block for the API.
[[nodiscard]] v1::BlockInfo block_info(const v1::Block& block);
// A committed tx with its result, or nullopt.
[[nodiscard]] std::optional<v1::TxInfo> committed_tx(const chain::Chain& chain, const Hash32& id);

class NodeService final : public v1::Node::Service {
 public:
  explicit NodeService(RpcContext& ctx) : ctx_(ctx) {}
  grpc::Status GetStatus(grpc::ServerContext*, const v1::GetStatusRequest*,
                         v1::NodeStatus* out) override;

 private:
  RpcContext& ctx_;
};

class BlocksService final : public v1::Blocks::Service {
 public:
  explicit BlocksService(RpcContext& ctx) : ctx_(ctx) {}
  grpc::Status GetBlock(grpc::ServerContext*, const v1::GetBlockRequest* req,
                        v1::BlockInfo* out) override;
  grpc::Status GetBlockResult(grpc::ServerContext*, const v1::GetBlockResultRequest* req,
                              v1::BlockResult* out) override;
  grpc::Status StreamBlocks(grpc::ServerContext* context, const v1::StreamBlocksRequest* req,
                            grpc::ServerWriter<v1::BlockInfo>* writer) override;

 private:
  RpcContext& ctx_;
};

class TxsService final : public v1::Txs::Service {
 public:
  explicit TxsService(RpcContext& ctx) : ctx_(ctx) {}
  grpc::Status GetTx(grpc::ServerContext*, const v1::GetTxRequest* req, v1::TxInfo* out) override;
  grpc::Status BroadcastTx(grpc::ServerContext* context, const v1::BroadcastTxRequest* req,
                           v1::BroadcastTxResponse* out) override;
  grpc::Status BroadcastTxs(grpc::ServerContext* context, const v1::BroadcastTxsRequest* req,
                            v1::BroadcastTxsResponse* out) override;
  grpc::Status SimulateTx(grpc::ServerContext*, const v1::SimulateTxRequest* req,
                          v1::SimulateTxResponse* out) override;
  grpc::Status SuggestFee(grpc::ServerContext*, const v1::SuggestFeeRequest* req,
                          v1::FeeSuggestion* out) override;
  grpc::Status StreamEvents(grpc::ServerContext* context, const v1::StreamEventsRequest* req,
                            grpc::ServerWriter<v1::EventRecord>* writer) override;
  grpc::Status ListAccountTxs(grpc::ServerContext*, const v1::ListAccountTxsRequest* req,
                              v1::ListAccountTxsResponse* out) override;

 private:
  RpcContext& ctx_;
};

class BankService final : public v1::Bank::Service {
 public:
  explicit BankService(RpcContext& ctx) : ctx_(ctx) {}
  grpc::Status GetAccount(grpc::ServerContext*, const v1::GetAccountRequest* req,
                          v1::AccountInfo* out) override;
  grpc::Status GetBalance(grpc::ServerContext*, const v1::GetBalanceRequest* req,
                          v1::Balance* out) override;
  grpc::Status GetSupply(grpc::ServerContext*, const v1::GetSupplyRequest* req,
                         v1::Supply* out) override;

 private:
  RpcContext& ctx_;
};

class TokenomicsService final : public v1::Tokenomics::Service {
 public:
  explicit TokenomicsService(RpcContext& ctx) : ctx_(ctx) {}
  grpc::Status GetSupplyBreakdown(grpc::ServerContext*, const v1::GetSupplyBreakdownRequest* req,
                                  v1::SupplyBreakdown* out) override;
  grpc::Status GetAllocations(grpc::ServerContext*, const v1::GetAllocationsRequest* req,
                              v1::Allocations* out) override;
  grpc::Status GetVesting(grpc::ServerContext*, const v1::GetVestingRequest* req,
                          v1::Vesting* out) override;
  grpc::Status GetEmission(grpc::ServerContext*, const v1::GetEmissionRequest* req,
                           v1::EmissionSchedule* out) override;

 private:
  RpcContext& ctx_;
};

class RolesService final : public v1::Roles::Service {
 public:
  explicit RolesService(RpcContext& ctx) : ctx_(ctx) {}
  grpc::Status ListRoles(grpc::ServerContext*, const v1::ListRolesRequest* req,
                         v1::ListRolesResponse* out) override;
  grpc::Status GetRole(grpc::ServerContext*, const v1::GetRoleRequest* req,
                       v1::GetRoleResponse* out) override;
  grpc::Status GetAccountRoles(grpc::ServerContext*, const v1::GetAccountRolesRequest* req,
                               v1::GetAccountRolesResponse* out) override;

 private:
  RpcContext& ctx_;
};

class GovernanceService final : public v1::Governance::Service {
 public:
  explicit GovernanceService(RpcContext& ctx) : ctx_(ctx) {}
  grpc::Status ListProposals(grpc::ServerContext*, const v1::ListProposalsRequest* req,
                             v1::ListProposalsResponse* out) override;
  grpc::Status GetProposal(grpc::ServerContext*, const v1::GetProposalRequest* req,
                           v1::ProposalRecord* out) override;
  grpc::Status GetVotes(grpc::ServerContext*, const v1::GetVotesRequest* req,
                        v1::GetVotesResponse* out) override;
  grpc::Status GetDeposits(grpc::ServerContext*, const v1::GetDepositsRequest* req,
                           v1::GetDepositsResponse* out) override;
  grpc::Status GetTally(grpc::ServerContext*, const v1::GetTallyRequest* req,
                        v1::TallyResult* out) override;
  grpc::Status GetParams(grpc::ServerContext*, const v1::GetGovernanceParamsRequest* req,
                         v1::GovernanceParams* out) override;
  grpc::Status GetUpgradePlan(grpc::ServerContext*, const v1::GetUpgradePlanRequest* req,
                              v1::UpgradePlanRecord* out) override;
  grpc::Status GetStreams(grpc::ServerContext*, const v1::GetStreamsRequest* req,
                          v1::GetStreamsResponse* out) override;
  grpc::Status ListAppliedUpgrades(grpc::ServerContext*, const v1::ListAppliedUpgradesRequest* req,
                                   v1::ListAppliedUpgradesResponse* out) override;

 private:
  RpcContext& ctx_;
};

class OracleService final : public v1::Oracle::Service {
 public:
  explicit OracleService(RpcContext& ctx) : ctx_(ctx) {}
  grpc::Status GetPrice(grpc::ServerContext*, const v1::GetPriceRequest* req,
                        v1::GetPriceResponse* out) override;
  grpc::Status ListPosts(grpc::ServerContext*, const v1::ListPostsRequest* req,
                         v1::ListPostsResponse* out) override;
  grpc::Status ListHistory(grpc::ServerContext*, const v1::ListHistoryRequest* req,
                           v1::ListHistoryResponse* out) override;
  grpc::Status ListPairs(grpc::ServerContext*, const v1::ListPairsRequest* req,
                         v1::ListPairsResponse* out) override;

 private:
  RpcContext& ctx_;
};

class PayFiService final : public v1::PayFi::Service {
 public:
  explicit PayFiService(RpcContext& ctx) : ctx_(ctx) {}
  grpc::Status GetParams(grpc::ServerContext*, const v1::GetPayFiParamsRequest* req,
                         v1::PayFiParams* out) override;
  grpc::Status ListPaymentAssets(grpc::ServerContext*, const v1::ListPaymentAssetsRequest* req,
                                 v1::ListPaymentAssetsResponse* out) override;
  grpc::Status GetPaymentAsset(grpc::ServerContext*, const v1::GetPaymentAssetRequest* req,
                               v1::PaymentAssetInfo* out) override;
  grpc::Status ListGatewayFlows(grpc::ServerContext*, const v1::ListGatewayFlowsRequest* req,
                                v1::ListGatewayFlowsResponse* out) override;
  grpc::Status GetPayee(grpc::ServerContext*, const v1::GetPayeeRequest* req,
                        v1::PayeeInfo* out) override;
  grpc::Status GetInvoice(grpc::ServerContext*, const v1::GetInvoiceRequest* req,
                          v1::InvoiceRecord* out) override;
  grpc::Status GetPayment(grpc::ServerContext*, const v1::GetPaymentRequest* req,
                          v1::PaymentInfo* out) override;
  grpc::Status ListPayments(grpc::ServerContext*, const v1::ListPaymentsRequest* req,
                            v1::ListPaymentsResponse* out) override;
  grpc::Status GetHold(grpc::ServerContext*, const v1::GetHoldRequest* req,
                       v1::HoldRecord* out) override;
  grpc::Status ListSettlements(grpc::ServerContext*, const v1::ListSettlementsRequest* req,
                               v1::ListSettlementsResponse* out) override;
  grpc::Status GetStatement(grpc::ServerContext*, const v1::GetStatementRequest* req,
                            v1::Statement* out) override;
  grpc::Status GetPlan(grpc::ServerContext*, const v1::GetPlanRequest* req,
                       v1::PlanRecord* out) override;
  grpc::Status ListPlans(grpc::ServerContext*, const v1::ListPlansRequest* req,
                         v1::ListPlansResponse* out) override;
  grpc::Status GetSubscription(grpc::ServerContext*, const v1::GetSubscriptionRequest* req,
                               v1::SubscriptionRecord* out) override;
  grpc::Status ListSubscriptions(grpc::ServerContext*, const v1::ListSubscriptionsRequest* req,
                                 v1::ListSubscriptionsResponse* out) override;
  grpc::Status QuoteFx(grpc::ServerContext*, const v1::QuoteFxRequest* req,
                       v1::FxQuote* out) override;
  grpc::Status ListFxOffers(grpc::ServerContext*, const v1::ListFxOffersRequest* req,
                            v1::ListFxOffersResponse* out) override;
  grpc::Status StreamPayments(grpc::ServerContext* context, const v1::StreamPaymentsRequest* req,
                              grpc::ServerWriter<v1::PayFiEventRecord>* writer) override;

 private:
  RpcContext& ctx_;
};

class RwaService final : public v1::Rwa::Service {
 public:
  explicit RwaService(RpcContext& ctx) : ctx_(ctx) {}
  grpc::Status GetParams(grpc::ServerContext*, const v1::GetRwaParamsRequest* req,
                         v1::RwaParams* out) override;
  grpc::Status ListAssets(grpc::ServerContext*, const v1::ListRwaAssetsRequest* req,
                          v1::ListRwaAssetsResponse* out) override;
  grpc::Status GetAsset(grpc::ServerContext*, const v1::GetRwaAssetRequest* req,
                        v1::RwaAssetInfo* out) override;
  grpc::Status ListDocuments(grpc::ServerContext*, const v1::ListDocumentsRequest* req,
                             v1::ListDocumentsResponse* out) override;
  grpc::Status ListHolders(grpc::ServerContext*, const v1::ListHoldersRequest* req,
                           v1::ListHoldersResponse* out) override;
  grpc::Status GetClaim(grpc::ServerContext*, const v1::GetClaimRequest* req,
                        v1::ClaimInfo* out) override;
  grpc::Status ListAgents(grpc::ServerContext*, const v1::ListAgentsRequest* req,
                          v1::ListAgentsResponse* out) override;
  grpc::Status CheckTransfer(grpc::ServerContext*, const v1::CheckTransferRequest* req,
                             v1::CheckTransferResponse* out) override;
  grpc::Status ListNavHistory(grpc::ServerContext*, const v1::ListNavHistoryRequest* req,
                              v1::ListNavHistoryResponse* out) override;
  grpc::Status ListDistributions(grpc::ServerContext*, const v1::ListDistributionsRequest* req,
                                 v1::ListDistributionsResponse* out) override;
  grpc::Status GetClaimable(grpc::ServerContext*, const v1::GetClaimableRequest* req,
                            v1::Claimable* out) override;
  grpc::Status GetBookDepth(grpc::ServerContext*, const v1::GetBookDepthRequest* req,
                            v1::BookDepth* out) override;
  grpc::Status ListOrders(grpc::ServerContext*, const v1::ListOrdersRequest* req,
                          v1::ListOrdersResponse* out) override;
  grpc::Status ListTrades(grpc::ServerContext*, const v1::ListTradesRequest* req,
                          v1::ListTradesResponse* out) override;
  grpc::Status ListPools(grpc::ServerContext*, const v1::ListPoolsRequest* req,
                         v1::ListPoolsResponse* out) override;
  grpc::Status GetOrder(grpc::ServerContext*, const v1::GetOrderRequest* req,
                        v1::OrderInfo* out) override;
  grpc::Status GetPool(grpc::ServerContext*, const v1::GetPoolRequest* req,
                       v1::PoolInfo* out) override;
  grpc::Status GetLpShares(grpc::ServerContext*, const v1::GetLpSharesRequest* req,
                           v1::LpShares* out) override;
  grpc::Status QuoteSwap(grpc::ServerContext*, const v1::QuoteSwapRequest* req,
                         v1::SwapQuote* out) override;

 private:
  RpcContext& ctx_;
};

class ConsentService final : public v1::Consent::Service {
 public:
  explicit ConsentService(RpcContext& ctx) : ctx_(ctx) {}
  grpc::Status GetParams(grpc::ServerContext*, const v1::GetConsentParamsRequest* req,
                         v1::ConsentParams* out) override;
  grpc::Status CheckAccess(grpc::ServerContext*, const v1::CheckAccessRequest* req,
                           v1::CheckAccessResponse* out) override;
  grpc::Status GetGrant(grpc::ServerContext*, const v1::GetGrantRequest* req,
                        v1::GrantInfo* out) override;
  grpc::Status ListGrants(grpc::ServerContext*, const v1::ListGrantsRequest* req,
                          v1::ListGrantsResponse* out) override;
  grpc::Status ListAccesses(grpc::ServerContext*, const v1::ListAccessesRequest* req,
                            v1::ListAccessesResponse* out) override;
  grpc::Status ListDelegates(grpc::ServerContext*, const v1::ListDelegatesRequest* req,
                             v1::ListDelegatesResponse* out) override;

 private:
  RpcContext& ctx_;
};

class StakingService final : public v1::Staking::Service {
 public:
  explicit StakingService(RpcContext& ctx) : ctx_(ctx) {}
  grpc::Status ListValidators(grpc::ServerContext*, const v1::ListValidatorsRequest* req,
                              v1::ListValidatorsResponse* out) override;
  grpc::Status GetDelegations(grpc::ServerContext*, const v1::GetDelegationsRequest* req,
                              v1::GetDelegationsResponse* out) override;
  grpc::Status GetParams(grpc::ServerContext*, const v1::GetStakingParamsRequest* req,
                         v1::StakingParams* out) override;
  grpc::Status GetStakeLocks(grpc::ServerContext*, const v1::GetStakeLocksRequest* req,
                             v1::StakeLocks* out) override;
  grpc::Status GetValidator(grpc::ServerContext*, const v1::GetValidatorRequest* req,
                            v1::GetValidatorResponse* out) override;
  grpc::Status GetUnbondings(grpc::ServerContext*, const v1::GetUnbondingsRequest* req,
                             v1::GetUnbondingsResponse* out) override;
  grpc::Status GetRedelegations(grpc::ServerContext*, const v1::GetRedelegationsRequest* req,
                                v1::GetRedelegationsResponse* out) override;
  grpc::Status GetValidatorRewards(grpc::ServerContext*, const v1::GetValidatorRewardsRequest* req,
                                   v1::ValidatorRewards* out) override;
  grpc::Status GetDelegationRewards(grpc::ServerContext*,
                                    const v1::GetDelegationRewardsRequest* req,
                                    v1::DelegationRewards* out) override;
  grpc::Status GetSigningInfo(grpc::ServerContext*, const v1::GetSigningInfoRequest* req,
                              v1::SigningInfo* out) override;

 private:
  RpcContext& ctx_;
};

class ParamsService final : public v1::Params::Service {
 public:
  explicit ParamsService(RpcContext& ctx) : ctx_(ctx) {}
  grpc::Status GetParams(grpc::ServerContext*, const v1::GetParamsRequest* req,
                         v1::GetParamsResponse* out) override;
  grpc::Status ListParams(grpc::ServerContext*, const v1::ListParamsRequest* req,
                          v1::ListParamsResponse* out) override;

 private:
  RpcContext& ctx_;
};

class ConsensusService final : public v1::Consensus::Service {
 public:
  explicit ConsensusService(RpcContext& ctx) : ctx_(ctx) {}
  grpc::Status GetPeers(grpc::ServerContext*, const v1::GetPeersRequest*, v1::Peers* out) override;
  grpc::Status GetConsensusState(grpc::ServerContext*, const v1::GetConsensusStateRequest*,
                                 v1::ConsensusState* out) override;
  grpc::Status GetValidators(grpc::ServerContext*, const v1::GetValidatorsRequest*,
                             v1::Validators* out) override;
  grpc::Status GetEvidence(grpc::ServerContext*, const v1::GetEvidenceRequest*,
                           v1::EvidenceList* out) override;

 private:
  RpcContext& ctx_;
};

class ComputeService final : public v1::Compute::Service {
 public:
  explicit ComputeService(RpcContext& ctx) : ctx_(ctx) {}
  grpc::Status GetParams(grpc::ServerContext*, const v1::GetComputeParamsRequest* req,
                         v1::ComputeParams* out) override;
  grpc::Status ListNodes(grpc::ServerContext*, const v1::ListNodesRequest* req,
                         v1::ListNodesResponse* out) override;
  grpc::Status GetNode(grpc::ServerContext*, const v1::GetNodeRequest* req,
                       v1::NodeRecord* out) override;
  grpc::Status ListJobs(grpc::ServerContext*, const v1::ListJobsRequest* req,
                        v1::ListJobsResponse* out) override;
  grpc::Status GetJob(grpc::ServerContext*, const v1::GetJobRequest* req,
                      v1::JobRecord* out) override;
  grpc::Status GetMarketStats(grpc::ServerContext*, const v1::GetMarketStatsRequest* req,
                              v1::MarketStatsResponse* out) override;
  grpc::Status GetEpochRewards(grpc::ServerContext*, const v1::GetEpochRewardsRequest* req,
                               v1::EpochRewards* out) override;
  grpc::Status WatchJobs(grpc::ServerContext* context, const v1::WatchJobsRequest* req,
                         grpc::ServerWriter<v1::JobRecord>* writer) override;

 private:
  RpcContext& ctx_;
};

}  // namespace btt::rpc

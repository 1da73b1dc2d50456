// btt.v1.Rwa: a thin adapter over modules::rwa::RwaView (doc/rwa.md "Queries", doc/rwa-exchange.md
// "Queries").
#include "btt/modules/rwa/rwa.h"
#include "btt/modules/rwa/view.h"
#include "services.h"

namespace btt::rpc {
namespace {

using modules::rwa::RwaView;

// Answers from one committed snapshot (its tip's block time is "now").
template <typename T, typename Fn>
grpc::Status answer(RpcContext& ctx, grpc::ServerContext* context, T* out, const Fn& fn) {
  return answer_snapshot(ctx, context, out, [&](const chain::ReadView& v) -> Result<T> {
    return fn(RwaView(*v.state), *v.state, v.tip.time_ms());
  });
}

Result<v1::RwaAssetRecord> find_asset(const RwaView& v, const std::string& asset) {
  auto a = v.asset(asset);
  if (!a) return missing("no rwa asset '" + excerpt(asset) + "'");
  return *a;
}

constexpr uint32_t kDefaultDepthLevels = 10;
constexpr uint32_t kMaxDepthLevels = 100;
constexpr uint32_t kDefaultTrades = 50;
constexpr uint32_t kMaxTrades = 500;

// A pair's quote asset, BTT when the request leaves it out.
std::string quote_or_btt(const std::string& quote) {
  return quote.empty() ? std::string(ledger::kNativeAsset) : quote;
}

}  // namespace

grpc::Status RwaService::GetParams(grpc::ServerContext* context, const v1::GetRwaParamsRequest*,
                                   v1::RwaParams* out) {
  return answer(
      ctx_, context, out,
      [](const RwaView& v, const ledger::StateReader& state, uint64_t) -> Result<v1::RwaParams> {
        if (!modules::rwa::enabled(state)) {
          return missing("RWA is not enabled on this chain");
        }
        return v.params();
      });
}

grpc::Status RwaService::ListAssets(grpc::ServerContext* context, const v1::ListRwaAssetsRequest*,
                                    v1::ListRwaAssetsResponse* out) {
  return answer(ctx_, context, out,
                [](const RwaView& v, const ledger::StateReader&,
                   uint64_t) -> Result<v1::ListRwaAssetsResponse> {
                  v1::ListRwaAssetsResponse r;
                  for (const auto& a : v.assets()) *r.add_assets() = v.info(a);
                  return r;
                });
}

grpc::Status RwaService::GetAsset(grpc::ServerContext* context, const v1::GetRwaAssetRequest* req,
                                  v1::RwaAssetInfo* out) {
  return answer(
      ctx_, context, out,
      [req](const RwaView& v, const ledger::StateReader&, uint64_t) -> Result<v1::RwaAssetInfo> {
        auto a = find_asset(v, req->asset());
        if (!a) return a.status();
        return v.info(a.value());
      });
}

grpc::Status RwaService::ListDocuments(grpc::ServerContext* context,
                                       const v1::ListDocumentsRequest* req,
                                       v1::ListDocumentsResponse* out) {
  return answer(ctx_, context, out,
                [req](const RwaView& v, const ledger::StateReader&,
                      uint64_t) -> Result<v1::ListDocumentsResponse> {
                  auto a = find_asset(v, req->asset());
                  if (!a) return a.status();
                  v1::ListDocumentsResponse r;
                  for (auto& d : v.documents(a.value().asset(), req->include_removed())) {
                    *r.add_documents() = std::move(d);
                  }
                  return r;
                });
}

grpc::Status RwaService::ListHolders(grpc::ServerContext* context,
                                     const v1::ListHoldersRequest* req,
                                     v1::ListHoldersResponse* out) {
  return answer(ctx_, context, out,
                [req](const RwaView& v, const ledger::StateReader&,
                      uint64_t) -> Result<v1::ListHoldersResponse> {
                  auto a = find_asset(v, req->asset());
                  if (!a) return a.status();
                  v1::ListHoldersResponse r;
                  for (auto& h : v.holders(a.value().asset())) *r.add_holders() = std::move(h);
                  return r;
                });
}

grpc::Status RwaService::GetClaim(grpc::ServerContext* context, const v1::GetClaimRequest* req,
                                  v1::ClaimInfo* out) {
  return answer(
      ctx_, context, out,
      [req](const RwaView& v, const ledger::StateReader&, uint64_t now) -> Result<v1::ClaimInfo> {
        auto who = request_address(req->account(), "account");
        if (!who) return who.status();
        auto c = v.claim(who.value());
        if (!c) return missing("no claim of " + req->account());
        v1::ClaimInfo r;
        *r.mutable_claim() = *c;
        r.set_in_force(c->expiry_ms() > now);
        return r;
      });
}

grpc::Status RwaService::ListAgents(grpc::ServerContext* context, const v1::ListAgentsRequest* req,
                                    v1::ListAgentsResponse* out) {
  return answer(ctx_, context, out,
                [req](const RwaView& v, const ledger::StateReader&,
                      uint64_t) -> Result<v1::ListAgentsResponse> {
                  auto a = find_asset(v, req->asset());
                  if (!a) return a.status();
                  v1::ListAgentsResponse r;
                  for (auto& x : v.agents(a.value().asset())) *r.add_agents() = std::move(x);
                  for (auto& f : v.freezes(a.value().asset())) *r.add_freezes() = std::move(f);
                  return r;
                });
}

grpc::Status RwaService::CheckTransfer(grpc::ServerContext* context,
                                       const v1::CheckTransferRequest* req,
                                       v1::CheckTransferResponse* out) {
  return answer(ctx_, context, out,
                [req](const RwaView& v, const ledger::StateReader&,
                      uint64_t now) -> Result<v1::CheckTransferResponse> {
                  auto from = request_address(req->from(), "from");
                  if (!from) return from.status();
                  auto to = request_address(req->to(), "to");
                  if (!to) return to.status();
                  auto a = find_asset(v, req->asset());
                  if (!a) return a.status();
                  return v.check(a.value().asset(), from.value(), to.value(), req->amount(), now);
                });
}

grpc::Status RwaService::ListNavHistory(grpc::ServerContext* context,
                                        const v1::ListNavHistoryRequest* req,
                                        v1::ListNavHistoryResponse* out) {
  return answer(ctx_, context, out,
                [req](const RwaView& v, const ledger::StateReader&,
                      uint64_t) -> Result<v1::ListNavHistoryResponse> {
                  auto a = find_asset(v, req->asset());
                  if (!a) return a.status();
                  v1::ListNavHistoryResponse r;
                  for (auto& x : v.appraisals(a.value().asset())) {
                    *r.add_appraisals() = std::move(x);
                  }
                  return r;
                });
}

grpc::Status RwaService::ListDistributions(grpc::ServerContext* context,
                                           const v1::ListDistributionsRequest* req,
                                           v1::ListDistributionsResponse* out) {
  return answer(ctx_, context, out,
                [req](const RwaView& v, const ledger::StateReader&,
                      uint64_t) -> Result<v1::ListDistributionsResponse> {
                  auto a = find_asset(v, req->asset());
                  if (!a) return a.status();
                  v1::ListDistributionsResponse r;
                  for (auto& d : v.distributions(a.value().asset())) {
                    *r.add_distributions() = std::move(d);
                  }
                  return r;
                });
}

grpc::Status RwaService::GetClaimable(grpc::ServerContext* context,
                                      const v1::GetClaimableRequest* req, v1::Claimable* out) {
  return answer(
      ctx_, context, out,
      [req](const RwaView& v, const ledger::StateReader&, uint64_t) -> Result<v1::Claimable> {
        auto who = request_address(req->account(), "account");
        if (!who) return who.status();
        auto d = v.distribution(req->distribution_id());
        if (!d) return missing("no distribution " + std::to_string(req->distribution_id()));
        return v.claimable(*d, who.value());
      });
}

grpc::Status RwaService::GetBookDepth(grpc::ServerContext* context,
                                      const v1::GetBookDepthRequest* req, v1::BookDepth* out) {
  return answer(
      ctx_, context, out,
      [req](const RwaView& v, const ledger::StateReader&, uint64_t) -> Result<v1::BookDepth> {
        auto a = find_asset(v, req->asset());
        if (!a) return a.status();
        if (req->levels() > kMaxDepthLevels) {
          return Status{Code::kInvalidArgument,
                        "levels: at most " + std::to_string(kMaxDepthLevels)};
        }
        const uint32_t levels = req->levels() == 0 ? kDefaultDepthLevels : req->levels();
        return v.depth(a.value().asset(), quote_or_btt(req->quote_asset()), levels);
      });
}

grpc::Status RwaService::ListOrders(grpc::ServerContext* context, const v1::ListOrdersRequest* req,
                                    v1::ListOrdersResponse* out) {
  return answer(ctx_, context, out,
                [req](const RwaView& v, const ledger::StateReader&,
                      uint64_t) -> Result<v1::ListOrdersResponse> {
                  auto who = request_address(req->account(), "account");
                  if (!who) return who.status();
                  std::string asset;
                  if (!req->asset().empty()) {
                    auto a = find_asset(v, req->asset());
                    if (!a) return a.status();
                    asset = a.value().asset();
                  }
                  v1::ListOrdersResponse r;
                  for (auto& o : v.orders_of(who.value(), asset, req->quote_asset())) {
                    *r.add_orders() = std::move(o);
                  }
                  return r;
                });
}

grpc::Status RwaService::GetOrder(grpc::ServerContext* context, const v1::GetOrderRequest* req,
                                  v1::OrderInfo* out) {
  return answer(
      ctx_, context, out,
      [req](const RwaView& v, const ledger::StateReader&, uint64_t) -> Result<v1::OrderInfo> {
        auto o = v.order(req->order_id());
        if (!o) return missing("no resting order " + std::to_string(req->order_id()));
        return *o;
      });
}

grpc::Status RwaService::ListTrades(grpc::ServerContext* context, const v1::ListTradesRequest* req,
                                    v1::ListTradesResponse* out) {
  return answer(
      ctx_, context, out,
      [req](const RwaView& v, const ledger::StateReader&,
            uint64_t) -> Result<v1::ListTradesResponse> {
        auto a = find_asset(v, req->asset());
        if (!a) return a.status();
        if (req->limit() > kMaxTrades) {
          return Status{Code::kInvalidArgument, "limit: at most " + std::to_string(kMaxTrades)};
        }
        const uint32_t limit = req->limit() == 0 ? kDefaultTrades : req->limit();
        v1::ListTradesResponse r;
        for (auto& t : v.trades(a.value().asset(), quote_or_btt(req->quote_asset()), limit)) {
          *r.add_trades() = std::move(t);
        }
        return r;
      });
}

grpc::Status RwaService::ListPools(grpc::ServerContext* context, const v1::ListPoolsRequest* req,
                                   v1::ListPoolsResponse* out) {
  return answer(ctx_, context, out,
                [req](const RwaView& v, const ledger::StateReader&,
                      uint64_t) -> Result<v1::ListPoolsResponse> {
                  std::string asset;
                  if (!req->asset().empty()) {
                    auto a = find_asset(v, req->asset());
                    if (!a) return a.status();
                    asset = a.value().asset();
                  }
                  v1::ListPoolsResponse r;
                  for (auto& p : v.pools(asset)) *r.add_pools() = std::move(p);
                  return r;
                });
}

grpc::Status RwaService::GetPool(grpc::ServerContext* context, const v1::GetPoolRequest* req,
                                 v1::PoolInfo* out) {
  return answer(
      ctx_, context, out,
      [req](const RwaView& v, const ledger::StateReader&, uint64_t) -> Result<v1::PoolInfo> {
        uint64_t id = req->pool_id();
        if (id == 0) {
          auto a = find_asset(v, req->asset());
          if (!a) return a.status();
          auto found = v.pool_id(a.value().asset(), quote_or_btt(req->quote_asset()));
          if (!found) return missing("no pool of " + a.value().asset());
          id = *found;
        }
        auto p = v.pool(id);
        if (!p) return missing("no pool " + std::to_string(id));
        return *p;
      });
}

grpc::Status RwaService::GetLpShares(grpc::ServerContext* context,
                                     const v1::GetLpSharesRequest* req, v1::LpShares* out) {
  return answer(
      ctx_, context, out,
      [req](const RwaView& v, const ledger::StateReader&, uint64_t) -> Result<v1::LpShares> {
        auto who = request_address(req->account(), "account");
        if (!who) return who.status();
        if (!v.pool(req->pool_id())) return missing("no pool " + std::to_string(req->pool_id()));
        return v.lp_shares(req->pool_id(), who.value());
      });
}

grpc::Status RwaService::QuoteSwap(grpc::ServerContext* context, const v1::QuoteSwapRequest* req,
                                   v1::SwapQuote* out) {
  return answer(
      ctx_, context, out,
      [req](const RwaView& v, const ledger::StateReader&, uint64_t) -> Result<v1::SwapQuote> {
        if (!v.pool(req->pool_id())) return missing("no pool " + std::to_string(req->pool_id()));
        if (req->amount_in() == 0) {
          return Status{Code::kInvalidArgument, "amount_in must be positive"};
        }
        return v.quote_swap(req->pool_id(), req->offer_asset(), req->amount_in());
      });
}

}  // namespace btt::rpc

// btt.v1.PayFi: a thin adapter over modules::payfi::PayFiView (doc/payfi.md "Queries"), and the
// payments stream of a payee for point-of-sale integrations.
#include "btt/ledger/ledger.h"
#include "btt/modules/payfi/payfi.h"
#include "btt/modules/payfi/view.h"
#include "services.h"

namespace btt::rpc {
namespace {

using modules::payfi::PayFiView;

// Answers from one committed snapshot (its tip's block time is "now").
template <typename T, typename Fn>
grpc::Status answer(RpcContext& ctx, grpc::ServerContext* context, T* out, const Fn& fn) {
  return answer_snapshot(ctx, context, out, [&](const chain::ReadView& v) -> Result<T> {
    return fn(PayFiView(*v.state), *v.state, v.tip.time_ms());
  });
}

v1::PaymentAssetInfo asset_info(const PayFiView& v, const ledger::StateReader& state,
                                const v1::PaymentAssetRecord& r) {
  v1::PaymentAssetInfo info;
  *info.mutable_record() = r;
  info.set_supply(ledger::Ledger(state).supply(r.asset()));
  for (auto& f : v.freezes()) {
    if (f.asset() == r.asset()) *info.add_frozen() = std::move(f);
  }
  return info;
}

}  // namespace

grpc::Status PayFiService::GetParams(grpc::ServerContext* context, const v1::GetPayFiParamsRequest*,
                                     v1::PayFiParams* out) {
  return answer(ctx_, context, out,
                [](const PayFiView& v, const ledger::StateReader& state,
                   uint64_t) -> Result<v1::PayFiParams> {
                  if (!modules::payfi::enabled(state)) {
                    return missing("PayFi is not enabled on this chain");
                  }
                  return v.params();
                });
}

grpc::Status PayFiService::ListPaymentAssets(grpc::ServerContext* context,
                                             const v1::ListPaymentAssetsRequest*,
                                             v1::ListPaymentAssetsResponse* out) {
  return answer(ctx_, context, out,
                [](const PayFiView& v, const ledger::StateReader& state,
                   uint64_t) -> Result<v1::ListPaymentAssetsResponse> {
                  v1::ListPaymentAssetsResponse r;
                  for (const auto& a : v.assets()) *r.add_assets() = asset_info(v, state, a);
                  return r;
                });
}

grpc::Status PayFiService::GetPaymentAsset(grpc::ServerContext* context,
                                           const v1::GetPaymentAssetRequest* req,
                                           v1::PaymentAssetInfo* out) {
  return answer(ctx_, context, out,
                [req](const PayFiView& v, const ledger::StateReader& state,
                      uint64_t) -> Result<v1::PaymentAssetInfo> {
                  auto a = v.asset(req->asset());
                  if (!a) return missing("no payment asset '" + excerpt(req->asset()) + "'");
                  return asset_info(v, state, *a);
                });
}

grpc::Status PayFiService::ListGatewayFlows(grpc::ServerContext* context,
                                            const v1::ListGatewayFlowsRequest* req,
                                            v1::ListGatewayFlowsResponse* out) {
  return answer(ctx_, context, out,
                [req](const PayFiView& v, const ledger::StateReader&,
                      uint64_t) -> Result<v1::ListGatewayFlowsResponse> {
                  if (!v.asset(req->asset())) {
                    return missing("no payment asset '" + excerpt(req->asset()) + "'");
                  }
                  v1::ListGatewayFlowsResponse r;
                  for (auto& f : v.flows(req->asset())) *r.add_flows() = std::move(f);
                  return r;
                });
}

grpc::Status PayFiService::GetPayee(grpc::ServerContext* context, const v1::GetPayeeRequest* req,
                                    v1::PayeeInfo* out) {
  return answer(ctx_, context, out,
                [req](const PayFiView& v, const ledger::StateReader& state,
                      uint64_t now) -> Result<v1::PayeeInfo> {
                  auto who = request_address(req->payee(), "payee");
                  if (!who) return who.status();
                  auto p = v.payee(*who);
                  if (!p) return missing(req->payee() + " is not a registered payee");
                  v1::PayeeInfo info;
                  *info.mutable_record() = *p;
                  for (const auto& a : ledger::Ledger(state).assets()) {
                    if (uint64_t owed = v.pending(*who, a.asset()); owed > 0) {
                      auto* c = info.add_pending();
                      c->set_asset(a.asset());
                      c->set_amount(owed);
                    }
                  }
                  info.set_volume_30d(v.volume_30d(*who, p->settlement_asset(), now));
                  return info;
                });
}

grpc::Status PayFiService::GetInvoice(grpc::ServerContext* context,
                                      const v1::GetInvoiceRequest* req, v1::InvoiceRecord* out) {
  return answer(ctx_, context, out,
                [req](const PayFiView& v, const ledger::StateReader&,
                      uint64_t now) -> Result<v1::InvoiceRecord> {
                  std::optional<v1::InvoiceRecord> inv;
                  if (req->invoice_id() != 0) {
                    inv = v.invoice(req->invoice_id(), now);
                  } else {
                    auto who = request_address(req->payee(), "payee");
                    if (!who) return who.status();
                    inv = v.invoice_by_reference(*who, req->reference(), now);
                  }
                  if (!inv) return missing("no such invoice");
                  return *inv;
                });
}

grpc::Status PayFiService::GetPayment(grpc::ServerContext* context,
                                      const v1::GetPaymentRequest* req, v1::PaymentInfo* out) {
  return answer(
      ctx_, context, out,
      [req](const PayFiView& v, const ledger::StateReader&, uint64_t) -> Result<v1::PaymentInfo> {
        auto p = v.payment(req->payment_id());
        if (!p) return missing("no payment " + std::to_string(req->payment_id()));
        v1::PaymentInfo info;
        for (auto& r : v.refunds(p->id())) *info.add_refunds() = std::move(r);
        if (p->settled()) info.set_settle_latency_ms(p->settled_ms() - p->time_ms());
        *info.mutable_payment() = std::move(*p);
        return info;
      });
}

grpc::Status PayFiService::ListPayments(grpc::ServerContext* context,
                                        const v1::ListPaymentsRequest* req,
                                        v1::ListPaymentsResponse* out) {
  return answer(ctx_, context, out,
                [req](const PayFiView& v, const ledger::StateReader&,
                      uint64_t) -> Result<v1::ListPaymentsResponse> {
                  auto limit = ledger::page_limit(req->limit());
                  if (!limit) return limit.status();
                  if (req->payee().empty() == req->payer().empty()) {
                    return Status{Code::kInvalidArgument, "give exactly one of payee and payer"};
                  }
                  const bool by_payee = !req->payee().empty();
                  auto who = request_address(by_payee ? req->payee() : req->payer(),
                                             by_payee ? "payee" : "payer");
                  if (!who) return who.status();
                  auto wanted = [&](const v1::PaymentRecord& p) {
                    if (!req->reference().empty() && p.reference() != req->reference())
                      return false;
                    if (req->from_ms() != 0 && p.time_ms() < req->from_ms()) return false;
                    if (req->to_ms() != 0 && p.time_ms() >= req->to_ms()) return false;
                    return true;
                  };
                  v1::ListPaymentsResponse r;
                  uint64_t after = req->after_id();
                  // Filters may skip records: read pages until the answer is full or the index
                  // ends.
                  while (r.payments_size() < static_cast<int>(*limit)) {
                    auto page = by_payee ? v.payments_of_payee(*who, after, *limit)
                                         : v.payments_of_payer(*who, after, *limit);
                    if (page.empty()) {
                      after = 0;
                      break;
                    }
                    for (auto& p : page) {
                      after = p.id();
                      if (wanted(p)) *r.add_payments() = std::move(p);
                      if (r.payments_size() == static_cast<int>(*limit)) break;
                    }
                    if (page.size() < *limit && r.payments_size() < static_cast<int>(*limit)) {
                      after = 0;
                      break;
                    }
                  }
                  r.set_next_after_id(after);
                  return r;
                });
}

grpc::Status PayFiService::GetHold(grpc::ServerContext* context, const v1::GetHoldRequest* req,
                                   v1::HoldRecord* out) {
  return answer(
      ctx_, context, out,
      [req](const PayFiView& v, const ledger::StateReader&, uint64_t) -> Result<v1::HoldRecord> {
        auto h = v.hold(req->hold_id());
        if (!h) return missing("no hold " + std::to_string(req->hold_id()));
        return *h;
      });
}

grpc::Status PayFiService::ListSettlements(grpc::ServerContext* context,
                                           const v1::ListSettlementsRequest* req,
                                           v1::ListSettlementsResponse* out) {
  return answer(ctx_, context, out,
                [req](const PayFiView& v, const ledger::StateReader&,
                      uint64_t) -> Result<v1::ListSettlementsResponse> {
                  auto limit = ledger::page_limit(req->limit());
                  if (!limit) return limit.status();
                  auto who = request_address(req->payee(), "payee");
                  if (!who) return who.status();
                  v1::ListSettlementsResponse r;
                  auto page = v.settlements_of(*who, req->after_id(), *limit);
                  if (page.size() == *limit) r.set_next_after_id(page.back().id());
                  for (auto& s : page) *r.add_settlements() = std::move(s);
                  return r;
                });
}

grpc::Status PayFiService::GetStatement(grpc::ServerContext* context,
                                        const v1::GetStatementRequest* req, v1::Statement* out) {
  return answer(
      ctx_, context, out,
      [req](const PayFiView& v, const ledger::StateReader&, uint64_t now) -> Result<v1::Statement> {
        auto who = request_address(req->payee(), "payee");
        if (!who) return who.status();
        auto p = v.payee(*who);
        if (!p) return missing(req->payee() + " is not a registered payee");
        const uint64_t to = req->to_ms() == 0 ? now + 1 : req->to_ms();
        if (req->from_ms() >= to) {
          return Status{Code::kInvalidArgument, "from_ms must be before to_ms"};
        }
        const std::string asset = req->asset().empty() ? p->settlement_asset() : req->asset();
        return v.statement(*who, asset, req->from_ms(), to);
      });
}

grpc::Status PayFiService::GetPlan(grpc::ServerContext* context, const v1::GetPlanRequest* req,
                                   v1::PlanRecord* out) {
  return answer(
      ctx_, context, out,
      [req](const PayFiView& v, const ledger::StateReader&, uint64_t) -> Result<v1::PlanRecord> {
        auto p = v.plan(req->plan_id());
        if (!p) return missing("no plan " + std::to_string(req->plan_id()));
        return *p;
      });
}

grpc::Status PayFiService::ListPlans(grpc::ServerContext* context, const v1::ListPlansRequest* req,
                                     v1::ListPlansResponse* out) {
  return answer(ctx_, context, out,
                [req](const PayFiView& v, const ledger::StateReader&,
                      uint64_t) -> Result<v1::ListPlansResponse> {
                  auto who = request_address(req->payee(), "payee");
                  if (!who) return who.status();
                  v1::ListPlansResponse r;
                  for (auto& p : v.plans_of(*who)) *r.add_plans() = std::move(p);
                  return r;
                });
}

grpc::Status PayFiService::GetSubscription(grpc::ServerContext* context,
                                           const v1::GetSubscriptionRequest* req,
                                           v1::SubscriptionRecord* out) {
  return answer(ctx_, context, out,
                [req](const PayFiView& v, const ledger::StateReader&,
                      uint64_t) -> Result<v1::SubscriptionRecord> {
                  auto s = v.subscription(req->subscription_id());
                  if (!s) {
                    return missing("no subscription " + std::to_string(req->subscription_id()));
                  }
                  return *s;
                });
}

grpc::Status PayFiService::ListSubscriptions(grpc::ServerContext* context,
                                             const v1::ListSubscriptionsRequest* req,
                                             v1::ListSubscriptionsResponse* out) {
  return answer(
      ctx_, context, out,
      [req](const PayFiView& v, const ledger::StateReader&,
            uint64_t) -> Result<v1::ListSubscriptionsResponse> {
        if (req->payer().empty() == req->payee().empty()) {
          return Status{Code::kInvalidArgument, "give exactly one of payer and payee"};
        }
        const bool by_payer = !req->payer().empty();
        auto who =
            request_address(by_payer ? req->payer() : req->payee(), by_payer ? "payer" : "payee");
        if (!who) return who.status();
        v1::ListSubscriptionsResponse r;
        for (auto& s : by_payer ? v.subscriptions_of_payer(*who) : v.subscriptions_of_payee(*who)) {
          *r.add_subscriptions() = std::move(s);
        }
        return r;
      });
}

grpc::Status PayFiService::QuoteFx(grpc::ServerContext* context, const v1::QuoteFxRequest* req,
                                   v1::FxQuote* out) {
  const auto& locks = ctx_.chain.registry().locks();
  return answer(ctx_, context, out,
                [req, &locks](const PayFiView&, const ledger::StateReader& state,
                              uint64_t now) -> Result<v1::FxQuote> {
                  if (req->amount() == 0) {
                    return Status{Code::kInvalidArgument, "amount must be positive"};
                  }
                  auto q = modules::payfi::quote_fx(state, &locks, req->from_asset(),
                                                    req->to_asset(), req->amount(), now);
                  if (!q) return q.status();
                  v1::FxQuote r;
                  r.set_rate_num(q->rate_num);
                  r.set_rate_den(q->rate_den);
                  r.set_price_posts(q->posts);
                  r.set_converted(q->converted);
                  r.set_fee(q->fee);
                  r.set_delivered(q->delivered);
                  r.set_provider(q->provider.to_string());
                  return r;
                });
}

grpc::Status PayFiService::ListFxOffers(grpc::ServerContext* context,
                                        const v1::ListFxOffersRequest*,
                                        v1::ListFxOffersResponse* out) {
  return answer(ctx_, context, out,
                [](const PayFiView& v, const ledger::StateReader&,
                   uint64_t) -> Result<v1::ListFxOffersResponse> {
                  v1::ListFxOffersResponse r;
                  for (auto& o : v.fx_offers()) *r.add_offers() = std::move(o);
                  return r;
                });
}

grpc::Status PayFiService::StreamPayments(grpc::ServerContext* context,
                                          const v1::StreamPaymentsRequest* req,
                                          grpc::ServerWriter<v1::PayFiEventRecord>* writer) {
  auto who = crypto::Address::parse(req->payee());
  if (!who) return invalid("payee '" + excerpt(req->payee()) + "' is not a btt address");
  const std::string payee = who->to_string();
  auto names_payee = [&](const v1::Event& e) {
    if (e.type().rfind("payfi.", 0) != 0) return false;
    for (const auto& a : e.attributes()) {
      if (a.key() == "payee" && a.value() == payee) return true;
    }
    return false;
  };
  return follow_chain(ctx_, context, req->from_height(), [&](uint64_t height, bool& keep_going) {
    auto result = ctx_.chain.result_at(height);
    if (!result) {
      return grpc::Status(grpc::StatusCode::INTERNAL,
                          "results of block " + std::to_string(height) + " missing");
    }
    auto send = [&](const google::protobuf::RepeatedPtrField<v1::Event>& events,
                    const std::string& tx_id) {
      for (const auto& e : events) {
        if (!keep_going || !names_payee(e)) continue;
        v1::PayFiEventRecord rec;
        rec.set_height(height);
        rec.set_tx_id(tx_id);
        *rec.mutable_event() = e;
        keep_going = writer->Write(rec);
      }
    };
    for (const auto& tx : result->txs()) {
      if (tx.code() == 0) send(tx.events(), tx.tx_id());
    }
    send(result->events(), "");
    return grpc::Status::OK;
  });
}

}  // namespace btt::rpc

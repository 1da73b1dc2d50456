// btt-cli payfi ...: the PayFi txs (doc/payfi.md): payment assets of gateways, payees, invoices,
// payments, refunds and holds; and the queries of btt.v1.PayFi, with a payee's statement as
// text, JSON or CSV.
#include <iostream>
#include <map>

#include "app/cli/commands.h"
#include "btt/v1/payfi_query.grpc.pb.h"

namespace btt::cli {

namespace {

// The string options of one command, by flag name.
using Options = std::map<std::string, std::string>;

struct Flag {
  const char* name;  // "--asset" or a positional "payment_id"
  const char* help;
  bool required;
};

std::shared_ptr<Options> add_flags(CLI::App* sub, const std::vector<Flag>& flags) {
  auto o = std::make_shared<Options>();
  for (const auto& f : flags) {
    auto* opt = sub->add_option(f.name, (*o)[f.name], f.help);
    if (f.required) opt->required();
  }
  return o;
}

const std::string& get(const Options& o, const char* name) {
  static const std::string kEmpty;
  auto it = o.find(name);
  return it == o.end() ? kEmpty : it->second;
}

uint32_t parse_reason(const Options& o) {
  return static_cast<uint32_t>(parse_u64(get(o, "--reason"), "--reason"));
}

// An optional 64-hex hash (empty stays empty).
std::string hash_or_empty(const Options& o, const char* name) {
  const auto& v = get(o, name);
  return v.empty() ? std::string() : parse_hash_hex(v, name);
}

// A tx command whose options are `flags` and whose message `build` makes from them.
void add_payfi_tx(Commands& cmds, CLI::App* g, const char* name, const char* help,
                  const char* message, std::vector<Flag> flags,
                  std::function<v1::Message(const Options&)> build) {
  cmds.add_tx(g, name, help, {message},
              [flags = std::move(flags), build = std::move(build)](
                  CLI::App* sub, const CommonTxOptions&) -> BuildMessages {
                auto o = add_flags(sub, flags);
                return [o, build] { return std::vector<v1::Message>{build(*o)}; };
              });
}

template <typename Request, typename Response>
int query(Context& ctx,
          grpc::Status (v1::PayFi::Stub::*method)(grpc::ClientContext*, const Request&, Response*),
          const Request& req) {
  auto stub = v1::PayFi::NewStub(ctx.client().channel());
  return print_record(ctx, ctx.client().unary(*stub, method, req));
}

void add_query(Commands& cmds, CLI::App* g, const char* name, const char* help,
               std::vector<Flag> flags, std::function<int(Context&, const Options&)> run) {
  cmds.add(g, name, help, CommandKind::kQuery,
           [&cmds, flags = std::move(flags), run = std::move(run)](CLI::App* sub) -> Action {
             auto o = add_flags(sub, flags);
             return [&cmds, o, run] { return run(cmds.ctx(), *o); };
           });
}

uint32_t limit_of(const Options& o) {
  const auto& v = get(o, "--limit");
  return v.empty() ? 0 : static_cast<uint32_t>(parse_u64(v, "--limit"));
}

// The statement as CSV: a header and one line per payment, then the totals as key,value rows.
void print_statement_csv(const v1::Statement& s) {
  std::cout << "payment_id,time_ms,payer,asset,amount,delivered,refunded,reference,invoice_id,"
               "settled,settled_ms\n";
  for (const auto& p : s.lines()) {
    std::cout << p.id() << ',' << p.time_ms() << ',' << p.payer() << ',' << p.asset() << ','
              << p.amount() << ',' << p.delivered() << ',' << p.refunded() << ',' << '"'
              << p.reference() << '"' << ',' << p.invoice_id() << ','
              << (p.settled() ? "true" : "false") << ',' << p.settled_ms() << '\n';
  }
  std::cout << "\ntotal,value\n"
            << "payments," << s.payments() << "\n"
            << "gross," << s.gross() << "\n"
            << "refunded_pending," << s.refunded_pending() << "\n"
            << "refunded_settled," << s.refunded_settled() << "\n"
            << "fees," << s.fees() << "\n"
            << "fx_fees," << s.fx_fees() << "\n"
            << "settled_net," << s.settled_net() << "\n"
            << "net," << s.net() << "\n"
            << "opening_pending," << s.opening_pending() << "\n"
            << "closing_pending," << s.closing_pending() << "\n";
}

// One line per payfi event naming the payee, from a height on, as blocks commit.
int run_watch(Context& ctx, const Options& o) {
  v1::StreamPaymentsRequest req;
  req.set_payee(parse_address(get(o, "payee"), "PAYEE"));
  if (!get(o, "--from").empty()) req.set_from_height(parse_u64(get(o, "--from"), "--from"));
  const uint64_t count = get(o, "--count").empty() ? 0 : parse_u64(get(o, "--count"), "--count");
  auto stub = v1::PayFi::NewStub(ctx.client().channel());
  grpc::ClientContext call;
  auto reader = stub->StreamPayments(&call, req);
  const auto out = ctx.out();
  v1::PayFiEventRecord rec;
  uint64_t seen = 0;
  bool cancelled = false;
  while (reader->Read(&rec)) {
    out.line(proto_json(rec));
    if (count != 0 && ++seen >= count) {
      call.TryCancel();
      cancelled = true;
      break;
    }
  }
  if (cancelled) {
    while (reader->Read(&rec)) {
    }
  }
  const grpc::Status st = reader->Finish();
  if (cancelled && st.error_code() == grpc::StatusCode::CANCELLED) return 0;
  ctx.client().check(st);
  return 0;
}

void register_queries(Commands& cmds, CLI::App* g) {
  cmds.add(g, "watch", "One line per PayFi event of a payee (point of sale), from a height on",
           CommandKind::kStream, [&cmds](CLI::App* sub) -> Action {
             auto o = add_flags(sub, {{"payee", "Payee address", true},
                                      {"--from", "First height (default: the next block)", false},
                                      {"--count", "Stop after this many", false}});
             return [&cmds, o] { return run_watch(cmds.ctx(), *o); };
           });
  add_query(cmds, g, "params", "PayFi params", {}, [](Context& ctx, const Options&) {
    return query(ctx, &v1::PayFi::Stub::GetParams, v1::GetPayFiParamsRequest());
  });
  add_query(cmds, g, "assets", "Payment assets with their supply and frozen holdings", {},
            [](Context& ctx, const Options&) {
              return query(ctx, &v1::PayFi::Stub::ListPaymentAssets,
                           v1::ListPaymentAssetsRequest());
            });
  add_query(cmds, g, "asset", "One payment asset", {{"asset", "Asset name", true}},
            [](Context& ctx, const Options& o) {
              v1::GetPaymentAssetRequest req;
              req.set_asset(get(o, "asset"));
              return query(ctx, &v1::PayFi::Stub::GetPaymentAsset, req);
            });
  add_query(cmds, g, "flows", "A payment asset's deposits, withdrawals and clawbacks",
            {{"asset", "Asset name", true}}, [](Context& ctx, const Options& o) {
              v1::ListGatewayFlowsRequest req;
              req.set_asset(get(o, "asset"));
              return query(ctx, &v1::PayFi::Stub::ListGatewayFlows, req);
            });
  add_query(cmds, g, "payee", "A payee: record, pending balances, 30-day volume",
            {{"payee", "Payee address", true}}, [](Context& ctx, const Options& o) {
              v1::GetPayeeRequest req;
              req.set_payee(parse_address(get(o, "payee"), "PAYEE"));
              return query(ctx, &v1::PayFi::Stub::GetPayee, req);
            });
  add_query(cmds, g, "invoice", "An invoice by id, or by --payee and --reference",
            {{"--id", "Invoice id", false},
             {"--payee", "Payee address", false},
             {"--reference", "Invoice reference", false}},
            [](Context& ctx, const Options& o) {
              v1::GetInvoiceRequest req;
              if (!get(o, "--id").empty()) {
                req.set_invoice_id(parse_u64(get(o, "--id"), "--id"));
              } else {
                if (get(o, "--payee").empty() || get(o, "--reference").empty()) {
                  throw UsageError("give --id, or --payee and --reference");
                }
                req.set_payee(parse_address(get(o, "--payee"), "--payee"));
                req.set_reference(get(o, "--reference"));
              }
              return query(ctx, &v1::PayFi::Stub::GetInvoice, req);
            });
  add_query(cmds, g, "payment", "A payment with its refunds and time to settlement",
            {{"payment_id", "Payment id", true}}, [](Context& ctx, const Options& o) {
              v1::GetPaymentRequest req;
              req.set_payment_id(parse_u64(get(o, "payment_id"), "PAYMENT_ID"));
              return query(ctx, &v1::PayFi::Stub::GetPayment, req);
            });
  add_query(cmds, g, "payments", "Payments of a payee or payer, filtered and paged",
            {{"--payee", "Payee address", false},
             {"--payer", "Payer address", false},
             {"--reference", "Only this reference", false},
             {"--from", "Block time from (ms)", false},
             {"--to", "Block time before (ms)", false},
             {"--after-id", "Ids above this", false},
             {"--limit", "At most this many (default 100, max 1000)", false}},
            [](Context& ctx, const Options& o) {
              v1::ListPaymentsRequest req;
              if (!get(o, "--payee").empty()) {
                req.set_payee(parse_address(get(o, "--payee"), "--payee"));
              }
              if (!get(o, "--payer").empty()) {
                req.set_payer(parse_address(get(o, "--payer"), "--payer"));
              }
              req.set_reference(get(o, "--reference"));
              if (!get(o, "--from").empty()) req.set_from_ms(parse_u64(get(o, "--from"), "--from"));
              if (!get(o, "--to").empty()) req.set_to_ms(parse_u64(get(o, "--to"), "--to"));
              if (!get(o, "--after-id").empty()) {
                req.set_after_id(parse_u64(get(o, "--after-id"), "--after-id"));
              }
              req.set_limit(limit_of(o));
              return query(ctx, &v1::PayFi::Stub::ListPayments, req);
            });
  add_query(cmds, g, "hold", "A hold", {{"hold_id", "Hold id", true}},
            [](Context& ctx, const Options& o) {
              v1::GetHoldRequest req;
              req.set_hold_id(parse_u64(get(o, "hold_id"), "HOLD_ID"));
              return query(ctx, &v1::PayFi::Stub::GetHold, req);
            });
  add_query(cmds, g, "settlements", "A payee's settlements, paged",
            {{"payee", "Payee address", true},
             {"--after-id", "Ids above this", false},
             {"--limit", "At most this many", false}},
            [](Context& ctx, const Options& o) {
              v1::ListSettlementsRequest req;
              req.set_payee(parse_address(get(o, "payee"), "PAYEE"));
              if (!get(o, "--after-id").empty()) {
                req.set_after_id(parse_u64(get(o, "--after-id"), "--after-id"));
              }
              req.set_limit(limit_of(o));
              return query(ctx, &v1::PayFi::Stub::ListSettlements, req);
            });
  add_query(cmds, g, "plan", "A subscription plan", {{"plan_id", "Plan id", true}},
            [](Context& ctx, const Options& o) {
              v1::GetPlanRequest req;
              req.set_plan_id(parse_u64(get(o, "plan_id"), "PLAN_ID"));
              return query(ctx, &v1::PayFi::Stub::GetPlan, req);
            });
  add_query(cmds, g, "plans", "A payee's plans", {{"payee", "Payee address", true}},
            [](Context& ctx, const Options& o) {
              v1::ListPlansRequest req;
              req.set_payee(parse_address(get(o, "payee"), "PAYEE"));
              return query(ctx, &v1::PayFi::Stub::ListPlans, req);
            });
  add_query(cmds, g, "subscription", "A subscription", {{"subscription_id", "Id", true}},
            [](Context& ctx, const Options& o) {
              v1::GetSubscriptionRequest req;
              req.set_subscription_id(parse_u64(get(o, "subscription_id"), "SUBSCRIPTION_ID"));
              return query(ctx, &v1::PayFi::Stub::GetSubscription, req);
            });
  add_query(cmds, g, "subscriptions", "Subscriptions of a payer or payee",
            {{"--payer", "Payer address", false}, {"--payee", "Payee address", false}},
            [](Context& ctx, const Options& o) {
              v1::ListSubscriptionsRequest req;
              if (!get(o, "--payer").empty()) {
                req.set_payer(parse_address(get(o, "--payer"), "--payer"));
              }
              if (!get(o, "--payee").empty()) {
                req.set_payee(parse_address(get(o, "--payee"), "--payee"));
              }
              return query(ctx, &v1::PayFi::Stub::ListSubscriptions, req);
            });
  add_query(cmds, g, "quote", "What a converted payment would deliver now",
            {{"--from", "Asset paid", true},
             {"--to", "Asset delivered", true},
             {"--amount", "Base units paid", true}},
            [](Context& ctx, const Options& o) {
              v1::QuoteFxRequest req;
              req.set_from_asset(get(o, "--from"));
              req.set_to_asset(get(o, "--to"));
              req.set_amount(parse_amount(get(o, "--amount"), "--amount"));
              return query(ctx, &v1::PayFi::Stub::QuoteFx, req);
            });
  add_query(cmds, g, "fx-offers", "Every conversion offer", {}, [](Context& ctx, const Options&) {
    return query(ctx, &v1::PayFi::Stub::ListFxOffers, v1::ListFxOffersRequest());
  });
  cmds.add(g, "statement",
           "A payee's statement over block time [--from, --to): gross, refunds, fees, net, "
           "settled, pending; balances to the base unit",
           CommandKind::kQuery, [&cmds](CLI::App* sub) -> Action {
             auto o = add_flags(sub, {{"payee", "Payee address", true},
                                      {"--asset", "Asset (default: the settlement asset)", false},
                                      {"--from", "Block time from (ms)", false},
                                      {"--to", "Block time before (ms; default now)", false}});
             auto csv = std::make_shared<bool>(false);
             sub->add_flag("--csv", *csv, "CSV: one line per payment, then the totals");
             return [&cmds, o, csv] {
               v1::GetStatementRequest req;
               req.set_payee(parse_address(get(*o, "payee"), "PAYEE"));
               req.set_asset(get(*o, "--asset"));
               if (!get(*o, "--from").empty()) {
                 req.set_from_ms(parse_u64(get(*o, "--from"), "--from"));
               }
               if (!get(*o, "--to").empty()) req.set_to_ms(parse_u64(get(*o, "--to"), "--to"));
               auto& ctx = cmds.ctx();
               auto stub = v1::PayFi::NewStub(ctx.client().channel());
               auto s = ctx.client().unary(*stub, &v1::PayFi::Stub::GetStatement, req);
               if (!*csv) return print_record(ctx, s);
               print_statement_csv(s);
               return 0;
             };
           });
}

void register_txs(Commands& cmds, CLI::App* g) {
  add_payfi_tx(cmds, g, "register-asset", "Register a payment asset you issue (payment_gateway)",
               "register_payment_asset",
               {{"asset", "Asset name", true},
                {"--decimals", "Display decimals (default 2)", false},
                {"--name", "Description, at most 64 bytes", false}},
               [](const Options& o) {
                 v1::Message m;
                 auto* r = m.mutable_register_payment_asset();
                 r->set_asset(get(o, "asset"));
                 const auto& d = get(o, "--decimals");
                 r->set_decimals(d.empty() ? 2 : static_cast<uint32_t>(parse_u64(d, "--decimals")));
                 r->set_name(get(o, "--name"));
                 return m;
               });
  add_payfi_tx(cmds, g, "deposit", "Mint your asset for an off-chain deposit (gateway)",
               "gateway_deposit",
               {{"--asset", "Asset", true},
                {"--to", "Recipient", true},
                {"--amount", "Base units", true},
                {"--ref", "Deposit reference (unique per asset)", true}},
               [](const Options& o) {
                 v1::Message m;
                 auto* d = m.mutable_gateway_deposit();
                 d->set_asset(get(o, "--asset"));
                 d->set_to(parse_address(get(o, "--to"), "--to"));
                 d->set_amount(parse_amount(get(o, "--amount"), "--amount"));
                 d->set_deposit_ref(get(o, "--ref"));
                 return m;
               });
  add_payfi_tx(cmds, g, "withdraw", "Burn your holding for an off-chain payout", "gateway_withdraw",
               {{"--asset", "Asset", true},
                {"--amount", "Base units", true},
                {"--ref", "Payout reference (unique per asset)", true}},
               [](const Options& o) {
                 v1::Message m;
                 auto* w = m.mutable_gateway_withdraw();
                 w->set_asset(get(o, "--asset"));
                 w->set_amount(parse_amount(get(o, "--amount"), "--amount"));
                 w->set_payout_ref(get(o, "--ref"));
                 return m;
               });
  cmds.add_tx(g, "freeze", "Freeze (or --unfreeze) an account's holding of your asset",
              {"freeze_holding"}, [](CLI::App* sub, const CommonTxOptions&) -> BuildMessages {
                auto o = add_flags(sub, {{"--asset", "Asset", true},
                                         {"--account", "Holder", true},
                                         {"--reason", "Reason code (doc/payfi.md)", true}});
                auto unfreeze = std::make_shared<bool>(false);
                sub->add_flag("--unfreeze", *unfreeze, "Lift the freeze");
                return [o, unfreeze] {
                  v1::Message m;
                  auto* f = m.mutable_freeze_holding();
                  f->set_asset(get(*o, "--asset"));
                  f->set_account(parse_address(get(*o, "--account"), "--account"));
                  f->set_reason_code(parse_reason(*o));
                  f->set_unfreeze(*unfreeze);
                  return std::vector<v1::Message>{m};
                };
              });
  add_payfi_tx(cmds, g, "clawback", "Burn part of a frozen holding of your asset", "clawback",
               {{"--asset", "Asset", true},
                {"--account", "Holder", true},
                {"--amount", "Base units", true},
                {"--reason", "Reason code", true}},
               [](const Options& o) {
                 v1::Message m;
                 auto* c = m.mutable_clawback();
                 c->set_asset(get(o, "--asset"));
                 c->set_account(parse_address(get(o, "--account"), "--account"));
                 c->set_amount(parse_amount(get(o, "--amount"), "--amount"));
                 c->set_reason_code(parse_reason(o));
                 return m;
               });
  add_payfi_tx(cmds, g, "register-payee", "Register (or update) yourself as a payee",
               "register_payee",
               {{"--name-hash", "sha256 of the legal name, 64 hex", true},
                {"--category", "[a-z_]{1,32}, e.g. dental_clinic", true},
                {"--settlement-asset", "The asset you accept", true},
                {"--settlement-account", "Where settlements go (default: you)", false}},
               [](const Options& o) {
                 v1::Message m;
                 auto* p = m.mutable_register_payee();
                 p->set_name_hash(parse_hash_hex(get(o, "--name-hash"), "--name-hash"));
                 p->set_category(get(o, "--category"));
                 p->set_settlement_asset(get(o, "--settlement-asset"));
                 if (!get(o, "--settlement-account").empty()) {
                   p->set_settlement_account(
                       parse_address(get(o, "--settlement-account"), "--settlement-account"));
                 }
                 return m;
               });
  add_payfi_tx(cmds, g, "create-invoice", "Create an invoice", "create_invoice",
               {{"--reference", "Unique per payee, 1..64 bytes", true},
                {"--amount", "Base units", true},
                {"--expiry", "Block time (ms) after which it cannot be paid", true},
                {"--asset", "Default: your settlement asset", false},
                {"--memo-hash", "64 hex", false},
                {"--line-items-hash", "64 hex", false}},
               [](const Options& o) {
                 v1::Message m;
                 auto* i = m.mutable_create_invoice();
                 i->set_reference(get(o, "--reference"));
                 i->set_amount(parse_amount(get(o, "--amount"), "--amount"));
                 i->set_expiry_ms(parse_u64(get(o, "--expiry"), "--expiry"));
                 i->set_asset(get(o, "--asset"));
                 i->set_memo_hash(hash_or_empty(o, "--memo-hash"));
                 i->set_line_items_hash(hash_or_empty(o, "--line-items-hash"));
                 return m;
               });
  add_payfi_tx(
      cmds, g, "cancel-invoice", "Cancel your open invoice", "cancel_invoice",
      {{"invoice_id", "Invoice id", true}}, [](const Options& o) {
        v1::Message m;
        m.mutable_cancel_invoice()->set_invoice_id(parse_u64(get(o, "invoice_id"), "INVOICE_ID"));
        return m;
      });
  add_payfi_tx(cmds, g, "pay", "Pay a payee, for an invoice or with a reference", "pay",
               {{"--payee", "Payee", true},
                {"--amount", "Base units", true},
                {"--asset", "Asset", true},
                {"--client-id", "Your idempotency key, 1..64 bytes (a retry reuses it)", true},
                {"--invoice", "Invoice id", false},
                {"--reference", "Required without --invoice", false},
                {"--memo-hash", "64 hex", false},
                {"--deliver-asset", "Convert: the payee receives this asset", false},
                {"--min-delivered", "Convert: refuse if less would arrive", false}},
               [](const Options& o) {
                 v1::Message m;
                 auto* p = m.mutable_pay();
                 p->set_payee(parse_address(get(o, "--payee"), "--payee"));
                 p->set_amount(parse_amount(get(o, "--amount"), "--amount"));
                 p->set_asset(get(o, "--asset"));
                 p->set_client_payment_id(get(o, "--client-id"));
                 if (!get(o, "--invoice").empty()) {
                   p->set_invoice_id(parse_u64(get(o, "--invoice"), "--invoice"));
                 }
                 p->set_reference(get(o, "--reference"));
                 p->set_memo_hash(hash_or_empty(o, "--memo-hash"));
                 p->set_deliver_asset(get(o, "--deliver-asset"));
                 if (!get(o, "--min-delivered").empty()) {
                   p->set_min_delivered(parse_u64(get(o, "--min-delivered"), "--min-delivered"));
                 }
                 return m;
               });
  add_payfi_tx(cmds, g, "refund", "Refund part or all of a payment you received", "refund",
               {{"payment_id", "Payment id", true},
                {"--amount", "Base units", true},
                {"--reason", "Reason code", true}},
               [](const Options& o) {
                 v1::Message m;
                 auto* r = m.mutable_refund();
                 r->set_payment_id(parse_u64(get(o, "payment_id"), "PAYMENT_ID"));
                 r->set_amount(parse_amount(get(o, "--amount"), "--amount"));
                 r->set_reason_code(parse_reason(o));
                 return m;
               });
  add_payfi_tx(cmds, g, "place-hold", "Authorize an amount for a payee until an expiry",
               "place_hold",
               {{"--payee", "Payee", true},
                {"--amount", "Base units", true},
                {"--asset", "Asset", true},
                {"--expiry", "Block time (ms), at most max_hold_duration_ms ahead", true},
                {"--reference", "1..64 bytes", true},
                {"--client-id", "Your idempotency key", true}},
               [](const Options& o) {
                 v1::Message m;
                 auto* h = m.mutable_place_hold();
                 h->set_payee(parse_address(get(o, "--payee"), "--payee"));
                 h->set_amount(parse_amount(get(o, "--amount"), "--amount"));
                 h->set_asset(get(o, "--asset"));
                 h->set_expiry_ms(parse_u64(get(o, "--expiry"), "--expiry"));
                 h->set_reference(get(o, "--reference"));
                 h->set_client_payment_id(get(o, "--client-id"));
                 return m;
               });
  cmds.add_tx(g, "capture", "Capture part of a hold; --final returns the rest", {"capture_hold"},
              [](CLI::App* sub, const CommonTxOptions&) -> BuildMessages {
                auto o = add_flags(sub, {{"hold_id", "Hold id", true},
                                         {"--amount", "Base units (0 with --final)", false}});
                auto final_capture = std::make_shared<bool>(false);
                sub->add_flag("--final", *final_capture, "Complete the hold");
                return [o, final_capture] {
                  v1::Message m;
                  auto* c = m.mutable_capture_hold();
                  c->set_hold_id(parse_u64(get(*o, "hold_id"), "HOLD_ID"));
                  const auto& a = get(*o, "--amount");
                  c->set_amount(a.empty() ? 0 : parse_u64(a, "--amount"));
                  c->set_final(*final_capture);
                  return std::vector<v1::Message>{m};
                };
              });
}

void register_subscription_txs(Commands& cmds, CLI::App* g) {
  cmds.add_tx(g, "offer-fx", "Offer (or --withdraw) conversions FROM -> TO at the oracle price",
              {"offer_fx"}, [](CLI::App* sub, const CommonTxOptions&) -> BuildMessages {
                auto o = add_flags(sub, {{"--from", "Asset payers pay in", true},
                                         {"--to", "Asset you pay out", true}});
                auto withdraw = std::make_shared<bool>(false);
                sub->add_flag("--withdraw", *withdraw, "End the offer");
                return [o, withdraw] {
                  v1::Message m;
                  auto* f = m.mutable_offer_fx();
                  f->set_from_asset(get(*o, "--from"));
                  f->set_to_asset(get(*o, "--to"));
                  f->set_withdraw(*withdraw);
                  return std::vector<v1::Message>{m};
                };
              });
  add_payfi_tx(cmds, g, "create-plan", "Offer a subscription plan (payee)", "create_plan",
               {{"--name", "1..64 bytes", true},
                {"--amount", "Base units per period", true},
                {"--period", "Period in ms (at least min_plan_period_ms)", true},
                {"--asset", "Default: your settlement asset", false}},
               [](const Options& o) {
                 v1::Message m;
                 auto* p = m.mutable_create_plan();
                 p->set_name(get(o, "--name"));
                 p->set_amount(parse_amount(get(o, "--amount"), "--amount"));
                 p->set_period_ms(parse_u64(get(o, "--period"), "--period"));
                 p->set_asset(get(o, "--asset"));
                 return m;
               });
  add_payfi_tx(cmds, g, "subscribe", "Subscribe to a plan with a spending cap per period",
               "subscribe",
               {{"plan_id", "Plan id", true},
                {"--cap", "At most this many base units a period", true},
                {"--start", "First charge at this block time (ms; default now)", false}},
               [](const Options& o) {
                 v1::Message m;
                 auto* s = m.mutable_subscribe();
                 s->set_plan_id(parse_u64(get(o, "plan_id"), "PLAN_ID"));
                 s->set_cap_per_period(parse_amount(get(o, "--cap"), "--cap"));
                 if (!get(o, "--start").empty()) {
                   s->set_start_ms(parse_u64(get(o, "--start"), "--start"));
                 }
                 return m;
               });
  add_payfi_tx(cmds, g, "cancel-subscription", "End a subscription (payer or payee)",
               "cancel_subscription", {{"subscription_id", "Subscription id", true}},
               [](const Options& o) {
                 v1::Message m;
                 m.mutable_cancel_subscription()->set_subscription_id(
                     parse_u64(get(o, "subscription_id"), "SUBSCRIPTION_ID"));
                 return m;
               });
}

void register_payfi(Commands& cmds) {
  auto* g = cmds.group("payfi", "Payments, invoices, holds, refunds, settlements (doc/payfi.md)");
  register_queries(cmds, g);
  register_txs(cmds, g);
  register_subscription_txs(cmds, g);
}

const CommandFile kPayFi{70, &register_payfi};

}  // namespace

}  // namespace btt::cli

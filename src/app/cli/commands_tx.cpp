// send, multisend: build a TxBody, sign it with the key file, simulate or broadcast it.
#include <iostream>

#include "app/cli/commands.h"
#include "btt/chain/tx.h"

namespace btt::cli {

namespace {

struct SendOptions {
  CommonTxOptions common;
  std::string to;
  std::string amount;
  std::string asset = std::string(kBttAsset);
};

struct BurnOptions {
  CommonTxOptions common;
  std::string amount;
};

struct ApproveMilestoneOptions {
  CommonTxOptions common;
  std::string category = "foundation";
  std::string milestone;
  std::string amount;
};

struct MultisendOptions {
  CommonTxOptions common;
  std::vector<std::string> outputs;
};

}  // namespace

void add_common_options(CLI::App* sub, CommonTxOptions& o) {
  sub->add_option("--key", o.key_file, "Key file of the sender")->required();
  sub->add_option("--fee", o.fee, "Fee in BTT base units (default: the node's suggestion)");
  sub->add_option("--nonce", o.nonce, "Nonce (default: the account's next nonce)");
  sub->add_option("--memo", o.memo, "Memo, at most 256 bytes; never personal data");
  sub->add_flag("--wait", o.wait, "Wait until the tx is committed and print its result");
  sub->add_option("--wait-timeout", o.wait_timeout_s, "Seconds to wait with --wait")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
}

namespace {

void print_failure(const std::string& what) {
  std::cerr << "error: " << what << std::endl;
}

}  // namespace

int submit(Context& ctx, const CommonTxOptions& o, const std::vector<v1::Message>& messages) {
  // Check everything local before talking to the node.
  const bool fee_given = !o.fee.empty();
  const bool nonce_given = !o.nonce.empty();
  const uint64_t fee_arg = fee_given ? parse_u64(o.fee, "--fee") : 0;
  const uint64_t nonce_arg = nonce_given ? parse_u64(o.nonce, "--nonce") : 0;
  const auto key = load_key(o.key_file);
  const std::string sender = key.address.to_string();

  auto& client = ctx.client();
  const auto status = client.get_status();

  v1::TxBody body;
  body.set_chain_id(status.chain_id());
  body.set_sender(sender);
  body.set_public_key(std::string(as_view(key.public_key)));
  // The node's pending nonce follows this sender's txs still in its mempool, so several sends in
  // a row each get the next nonce.
  body.set_nonce(nonce_given ? nonce_arg : client.get_account(sender).pending_nonce());
  body.set_fee(fee_given ? fee_arg : client.suggest_fee().suggested());
  body.set_memo(o.memo);
  for (const auto& m : messages) *body.add_messages() = m;

  const v1::Tx tx = chain::sign_tx(body, key.secret_key);
  if (tx.signature().empty())
    throw CommandError("signing failed: the key file's secret is invalid");
  const std::string tx_id = hex(as_view(chain::tx_id_of_body(tx.body())));
  const auto out = ctx.out();

  if (o.dry_run) {
    v1::SimulateTxRequest req;
    *req.mutable_tx() = tx;
    const auto sim = client.simulate_tx(req);
    if (out.json()) {
      out.document(Json{{"dry_run", true},
                        {"tx_id", tx_id},
                        {"sender", sender},
                        {"nonce", body.nonce()},
                        {"fee", sim.fee()},
                        {"min_fee", sim.min_fee()},
                        {"code", sim.code()},
                        {"code_name", code_name_of(sim.code())},
                        {"log", sim.log()},
                        {"height", sim.height()},
                        {"events", events_json(sim.events())}});
    } else {
      Fields f;
      f.add("dry run", "yes (nothing was broadcast)")
          .add("tx id", tx_id)
          .add("sender", sender)
          .add("nonce", body.nonce())
          .add("fee", format_amount(kBttAsset, sim.fee()))
          .add("min fee", format_amount(kBttAsset, sim.min_fee()))
          .add("code", format_code(sim.code()))
          .add("log", sim.log())
          .add("state height", sim.height());
      add_events(f, sim.events());
      out.fields(f);
    }
    if (sim.code() != 0) {
      print_failure("simulation failed: code " + format_code(sim.code()) + ": " + sim.log());
      return kExitFailure;
    }
    return kExitOk;
  }

  v1::BroadcastTxRequest req;
  *req.mutable_tx() = tx;
  req.set_wait_for_commit(o.wait);
  const auto wait_ms = static_cast<int64_t>(o.wait_timeout_s * 1000.0);
  if (o.wait) req.set_timeout_ms(static_cast<uint32_t>(wait_ms));
  // While waiting for a commit the call lasts up to the wait timeout, plus the usual timeout.
  const auto resp = client.broadcast_tx(
      req, o.wait ? std::chrono::milliseconds(wait_ms) : std::chrono::milliseconds(0));
  const std::string resp_id = resp.tx_id().empty() ? tx_id : hex(resp.tx_id());
  const auto& r = resp.result();

  if (out.json()) {
    Json doc{{"tx_id", resp_id},  {"sender", sender},    {"nonce", body.nonce()},
             {"fee", body.fee()}, {"code", resp.code()}, {"code_name", code_name_of(resp.code())},
             {"log", resp.log()}};
    if (o.wait) {
      doc["committed"] = resp.committed();
      if (resp.committed()) {
        doc["height"] = r.height();
        doc["result"] = to_json(r);
      }
    }
    out.document(doc);
  } else {
    Fields f;
    f.add("tx id", resp_id)
        .add("sender", sender)
        .add("nonce", body.nonce())
        .add("fee", format_amount(kBttAsset, body.fee()))
        .add("code", format_code(resp.code()));
    if (!resp.log().empty()) f.add("log", resp.log());
    if (o.wait && resp.code() == 0) {
      f.add("committed", resp.committed() ? "yes" : "no");
      if (resp.committed()) {
        f.add("height", r.height())
            .add("result", format_code(r.code()))
            .add("result log", r.log())
            .add("fee paid", format_amount(kBttAsset, r.fee_paid()));
        add_events(f, r.events());
      }
    }
    out.fields(f);
  }

  if (resp.code() != 0) {
    print_failure("tx rejected: code " + format_code(resp.code()) + ": " + resp.log());
    return kExitFailure;
  }
  if (o.wait && !resp.committed()) {
    print_failure("tx " + resp_id + " was accepted but not committed within " +
                  std::to_string(static_cast<int64_t>(o.wait_timeout_s)) + " s");
    return kExitFailure;
  }
  if (o.wait && r.code() != 0) {
    print_failure("tx failed in block " + std::to_string(r.height()) + ": code " +
                  format_code(r.code()) + ": " + r.log());
    return kExitFailure;
  }
  return kExitOk;
}

namespace {

int run_send(Context& ctx, const SendOptions& o) {
  v1::Message m;
  auto* t = m.mutable_transfer();
  t->set_to(parse_address(o.to, "--to"));
  t->set_amount(parse_amount(o.amount, "--amount"));
  if (o.asset.empty()) throw UsageError("--asset must not be empty");
  t->set_asset(o.asset);
  return submit(ctx, o.common, {m});
}

int run_multisend(Context& ctx, const MultisendOptions& o) {
  v1::Message m;
  auto* mt = m.mutable_multi_transfer();
  for (const auto& spec : o.outputs) {
    // ADDR:UNITS[:ASSET]
    const auto first = spec.find(':');
    if (first == std::string::npos) {
      throw UsageError("--output must be ADDR:UNITS[:ASSET], got '" + spec + "'");
    }
    const auto second = spec.find(':', first + 1);
    const std::string addr = spec.substr(0, first);
    const std::string units = spec.substr(
        first + 1, second == std::string::npos ? std::string::npos : second - first - 1);
    const std::string asset =
        second == std::string::npos ? std::string(kBttAsset) : spec.substr(second + 1);
    if (asset.empty() || asset.find(':') != std::string::npos) {
      throw UsageError("--output must be ADDR:UNITS[:ASSET], got '" + spec + "'");
    }
    auto* out = mt->add_outputs();
    out->set_to(parse_address(addr, "--output address"));
    out->set_amount(parse_amount(units, "--output amount"));
    out->set_asset(asset);
  }
  return submit(ctx, o.common, {m});
}

int run_burn(Context& ctx, const BurnOptions& o) {
  v1::Message m;
  m.mutable_burn()->set_amount(parse_amount(o.amount, "--amount"));
  return submit(ctx, o.common, {m});
}

int run_approve_milestone(Context& ctx, const ApproveMilestoneOptions& o) {
  if (o.milestone.empty()) throw UsageError("--milestone must not be empty");
  v1::Message m;
  auto* a = m.mutable_approve_milestone();
  a->set_category(o.category);
  a->set_milestone(o.milestone);
  a->set_amount(parse_amount(o.amount, "--amount"));
  return submit(ctx, o.common, {m});
}

}  // namespace

void register_tx_commands(CLI::App& app, Context& ctx, Commands& cmds) {
  {
    auto o = std::make_shared<SendOptions>();
    auto* sub = app.add_subcommand("send", "Transfer an amount to an address");
    add_common_options(sub, o->common);
    sub->add_option("--to", o->to, "Recipient address (btt1...)")->required();
    sub->add_option("--amount", o->amount, "Amount in base units (1 BTT = 100000000)")->required();
    sub->add_option("--asset", o->asset, "Asset")->capture_default_str();
    sub->add_flag("--dry-run", o->common.dry_run, "Simulate the tx; broadcast nothing");
    cmds.add(sub, [&ctx, o] { return run_send(ctx, *o); });
  }
  {
    auto o = std::make_shared<MultisendOptions>();
    auto* sub = app.add_subcommand("multisend", "Transfer to several addresses, all or nothing");
    add_common_options(sub, o->common);
    sub->add_option("--output", o->outputs, "ADDR:UNITS[:ASSET] (repeatable)")
        ->required()
        ->allow_extra_args(false);
    sub->add_flag("--dry-run", o->common.dry_run, "Simulate the tx; broadcast nothing");
    cmds.add(sub, [&ctx, o] { return run_multisend(ctx, *o); });
  }
  {
    auto o = std::make_shared<BurnOptions>();
    auto* sub = app.add_subcommand("burn", "Destroy spendable BTT for good (the supply shrinks)");
    add_common_options(sub, o->common);
    sub->add_option("--amount", o->amount, "Amount in base units (1 BTT = 100000000)")->required();
    sub->add_flag("--dry-run", o->common.dry_run, "Simulate the tx; broadcast nothing");
    cmds.add(sub, [&ctx, o] { return run_burn(ctx, *o); });
  }
  {
    auto o = std::make_shared<ApproveMilestoneOptions>();
    auto* sub = app.add_subcommand(
        "approve-milestone", "Approve a Foundation milestone (the milestone authority's key only)");
    add_common_options(sub, o->common);
    sub->add_option("--category", o->category, "Milestones category id")->capture_default_str();
    sub->add_option("--milestone", o->milestone, "Milestone name, unique in the category")
        ->required();
    sub->add_option("--amount", o->amount, "Amount in base units it releases")->required();
    sub->add_flag("--dry-run", o->common.dry_run, "Simulate the tx; broadcast nothing");
    cmds.add(sub, [&ctx, o] { return run_approve_milestone(ctx, *o); });
  }
}

}  // namespace btt::cli

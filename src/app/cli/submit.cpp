// Every tx command ends here: build the TxBody, sign it with the key file, simulate or broadcast
// it.
#include <iostream>

#include "app/cli/commands.h"
#include "btt/chain/tx.h"

namespace btt::cli {

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
                        {"detail", sim.detail()},
                        {"codespace", sim.codespace()},
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
          .add("code", format_code(sim.code(), sim.detail(), sim.codespace()))
          .add("log", sim.log())
          .add("state height", sim.height());
      add_events(f, sim.events());
      out.fields(f);
    }
    if (sim.code() != 0) {
      print_failure("simulation failed: code " +
                    format_code(sim.code(), sim.detail(), sim.codespace()) + ": " + sim.log());
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
    // The top-level code is the tx's outcome: its result in the block once committed (--wait),
    // else the admission answer. admission_code is always the admission answer.
    const bool final_result = o.wait && resp.committed();
    const uint32_t code = final_result ? r.code() : resp.code();
    Json doc{{"tx_id", resp_id},
             {"sender", sender},
             {"nonce", body.nonce()},
             {"fee", body.fee()},
             {"code", code},
             {"code_name", code_name_of(code)},
             {"log", final_result ? r.log() : resp.log()},
             {"admission_code", resp.code()},
             {"admission_log", resp.log()}};
    if (final_result) {
      doc["detail"] = r.detail();
      doc["codespace"] = r.codespace();
    }
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
            .add("result", format_code(r.code(), r.detail(), r.codespace()))
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
                  format_code(r.code(), r.detail(), r.codespace()) + ": " + r.log());
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace btt::cli

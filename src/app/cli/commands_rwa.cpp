// btt-cli rwa ...: one tx command per RWA message and one query per btt.v1.Rwa rpc
// (doc/rwa.md). Each command's options are its message's (or request's) fields, spelled with
// dashes (--total-fractions); a nested message's fields carry its name (--rules-require-kyc);
// bytes are hex; repeated strings are comma-separated; enums take their name or its last part
// (--side sell, --asset-class equipment); bools are flags.
#include <array>
#include <deque>

#include "app/cli/commands.h"
#include "btt/v1/rwa_query.grpc.pb.h"

namespace btt::cli {

namespace {

namespace pb = google::protobuf;

struct FieldOption {
  const pb::FieldDescriptor* field = nullptr;
  std::vector<const pb::FieldDescriptor*> path;  // enclosing message fields, outermost first
  std::string value;
  bool flag = false;
};

std::string dashed(std::string s) {
  for (char& c : s) {
    if (c == '_') c = '-';
  }
  return s;
}

std::string upper(std::string s) {
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c == '-') c = '_';
  }
  return s;
}

// Adds one option per field of `type` (recursing into message fields).
void add_fields(CLI::App* sub, const pb::Descriptor* type,
                std::vector<const pb::FieldDescriptor*> path, const std::string& prefix,
                std::deque<FieldOption>& out) {
  for (int i = 0; i < type->field_count(); ++i) {
    const auto* f = type->field(i);
    const std::string name = prefix + dashed(f->name());
    if (f->type() == pb::FieldDescriptor::TYPE_MESSAGE && !f->is_repeated()) {
      auto inner = path;
      inner.push_back(f);
      add_fields(sub, f->message_type(), inner, name + "-", out);
      continue;
    }
    auto& o = out.emplace_back();
    o.field = f;
    o.path = path;
    if (f->type() == pb::FieldDescriptor::TYPE_BOOL) {
      sub->add_flag("--" + name, o.flag, f->name());
    } else {
      std::string help = f->name();
      if (f->type() == pb::FieldDescriptor::TYPE_BYTES) help += " (hex)";
      if (f->is_repeated()) help += " (comma-separated)";
      if (f->type() == pb::FieldDescriptor::TYPE_ENUM) help += " (enum name)";
      sub->add_option("--" + name, o.value, help);
    }
  }
}

void set_scalar(pb::Message& m, const pb::FieldDescriptor* f, const std::string& v,
                const std::string& opt) {
  const auto* r = m.GetReflection();
  switch (f->type()) {
    case pb::FieldDescriptor::TYPE_STRING:
      if (f->is_repeated()) {
        size_t start = 0;
        while (start <= v.size()) {
          const size_t comma = v.find(',', start);
          const std::string part =
              v.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
          if (!part.empty()) r->AddString(&m, f, part);
          if (comma == std::string::npos) break;
          start = comma + 1;
        }
      } else {
        r->SetString(&m, f, v);
      }
      return;
    case pb::FieldDescriptor::TYPE_BYTES: {
      auto b = from_hex(v);
      if (!b) throw UsageError(opt + ": not hex");
      r->SetString(&m, f, *b);
      return;
    }
    case pb::FieldDescriptor::TYPE_UINT64:
      r->SetUInt64(&m, f, parse_u64(v, opt));
      return;
    case pb::FieldDescriptor::TYPE_UINT32: {
      const uint64_t x = parse_u64(v, opt);
      if (x > UINT32_MAX) throw UsageError(opt + ": at most 4294967295");
      r->SetUInt32(&m, f, static_cast<uint32_t>(x));
      return;
    }
    case pb::FieldDescriptor::TYPE_ENUM: {
      const std::string want = upper(v);
      const auto* e = f->enum_type();
      for (int i = 0; i < e->value_count(); ++i) {
        const std::string& n = e->value(i)->name();
        if (n == want ||
            (n.size() > want.size() &&
             n.compare(n.size() - want.size() - 1, std::string::npos, "_" + want) == 0)) {
          r->SetEnum(&m, f, e->value(i));
          return;
        }
      }
      throw UsageError(opt + ": '" + v + "' is not a value of " + e->name());
    }
    default:
      throw UsageError(opt + ": unsupported field type");
  }
}

// Fills `m` from the parsed options.
void fill(pb::Message& m, const std::deque<FieldOption>& opts) {
  for (const auto& o : opts) {
    const bool given =
        o.field->type() == pb::FieldDescriptor::TYPE_BOOL ? o.flag : !o.value.empty();
    if (!given) continue;
    pb::Message* target = &m;
    for (const auto* p : o.path) target = target->GetReflection()->MutableMessage(target, p);
    if (o.field->type() == pb::FieldDescriptor::TYPE_BOOL) {
      target->GetReflection()->SetBool(target, o.field, true);
    } else {
      set_scalar(*target, o.field, o.value, "--" + dashed(o.field->name()));
    }
  }
}

void add_tx_command(Commands& cmds, CLI::App* g, const std::string& name, const std::string& kind,
                    const std::string& description) {
  cmds.add_tx(g, name, description, {kind},
              [kind](CLI::App* sub, const CommonTxOptions&) -> BuildMessages {
                const auto* field = v1::Message::descriptor()->FindFieldByName(kind);
                auto opts = std::make_shared<std::deque<FieldOption>>();
                add_fields(sub, field->message_type(), {}, "", *opts);
                return [opts, field] {
                  v1::Message m;
                  pb::Message* inner = m.GetReflection()->MutableMessage(&m, field);
                  fill(*inner, *opts);
                  return std::vector<v1::Message>{m};
                };
              });
}

template <typename Request, typename Response>
void add_query(Commands& cmds, CLI::App* g, const std::string& name, const std::string& description,
               grpc::Status (v1::Rwa::Stub::*method)(grpc::ClientContext*, const Request&,
                                                     Response*)) {
  cmds.add(g, name, description, CommandKind::kQuery, [&cmds, method](CLI::App* sub) -> Action {
    auto opts = std::make_shared<std::deque<FieldOption>>();
    add_fields(sub, Request::descriptor(), {}, "", *opts);
    return [&cmds, method, opts] {
      Request req;
      fill(req, *opts);
      auto stub = v1::Rwa::NewStub(cmds.ctx().client().channel());
      return print_record(cmds.ctx(), cmds.ctx().client().unary(*stub, method, req));
    };
  });
}

void register_rwa(Commands& cmds) {
  auto* g = cmds.group("rwa",
                       "Tokenized healthcare assets: claims, issuance, compliance, agents, "
                       "distributions, the exchange (doc/rwa.md)");
  const std::vector<std::array<std::string, 3>> txs = {
      {"set-claim", "set_claim", "Set an account's identity claim (kyc_attester)"},
      {"revoke-claim", "revoke_claim", "Revoke an account's claim (kyc_attester)"},
      {"register", "register_rwa_asset", "Register an asset; pays the minting fee in BTT"},
      {"set-rules", "set_transfer_rules", "Replace an asset's transfer rules (issuer)"},
      {"set-document", "set_document", "Add, update or (--remove) remove a document (issuer)"},
      {"set-agent", "set_agent", "Appoint or change an agent of an asset (issuer)"},
      {"freeze", "freeze_fractions", "Freeze part (--amount) or all (0) of a holding (agent)"},
      {"unfreeze", "unfreeze_fractions", "Release part or all (0) of a freeze (agent)"},
      {"force-transfer", "forced_transfer", "Forced transfer with a reason code (agent)"},
      {"recover", "recover_fractions", "Move a lost account's holding to a new account (agent)"},
      {"pause", "set_asset_paused", "Pause (--paused) or unpause an asset (agent)"},
      {"transfer", "transfer_fractions", "Transfer fractions (compliance checked)"},
      {"revalue", "revalue", "Post a new appraisal; the issuer pays the fee (asset_valuer)"},
      {"deposit-distribution", "deposit_distribution", "Deposit a distribution (issuer)"},
      {"claim-distribution", "claim_distribution", "Claim a distribution's share"},
      {"reclaim-distribution", "reclaim_distribution", "Take back the unclaimed rest (issuer)"},
      {"redeem", "redeem_fractions", "Burn bought-back fractions (issuer)"},
      {"retire", "retire_asset", "Burn every fraction and retire the asset (issuer)"},
      {"place-order", "place_order",
       "Place a limit order: --side, --price per fraction, --time-in-force"},
      {"cancel-order", "cancel_order", "Cancel a resting order (its owner)"},
      {"replace-order", "replace_order",
       "Cancel a resting order and place its new price and amount"},
      {"create-pool", "create_pool", "Create the pair's constant-product pool (you manage it)"},
      {"pool-deposit", "pool_deposit", "Deposit at the pool's ratio for LP shares"},
      {"pool-withdraw", "pool_withdraw", "Burn LP shares for their part of the reserves"},
      {"pool-swap", "pool_swap", "Swap an exact amount in through a pool"},
  };
  for (const auto& [name, kind, description] : txs)
    add_tx_command(cmds, g, name, kind, description);

  using S = v1::Rwa::Stub;
  add_query(cmds, g, "params", "The RWA params in force", &S::GetParams);
  add_query(cmds, g, "assets", "Every asset with its supply and NAV", &S::ListAssets);
  add_query(cmds, g, "asset", "One asset (--asset rwa/SYM or SYM)", &S::GetAsset);
  add_query(cmds, g, "documents", "An asset's documents", &S::ListDocuments);
  add_query(cmds, g, "holders", "An asset's holders, balances and frozen", &S::ListHolders);
  add_query(cmds, g, "claim", "An account's identity claim", &S::GetClaim);
  add_query(cmds, g, "agents", "An asset's agents and freezes", &S::ListAgents);
  add_query(cmds, g, "check", "May --from send --amount of --asset to --to now? (the rule)",
            &S::CheckTransfer);
  add_query(cmds, g, "nav", "An asset's appraisal history", &S::ListNavHistory);
  add_query(cmds, g, "distributions", "An asset's distributions", &S::ListDistributions);
  add_query(cmds, g, "claimable", "What an account's claim of a distribution pays",
            &S::GetClaimable);
  add_query(cmds, g, "book", "Order book depth of a pair (exchange)", &S::GetBookDepth);
  add_query(cmds, g, "orders", "An account's orders (exchange)", &S::ListOrders);
  add_query(cmds, g, "trades", "A pair's trades (exchange)", &S::ListTrades);
  add_query(cmds, g, "pools", "Liquidity pools (exchange)", &S::ListPools);
  add_query(cmds, g, "order", "One resting order (exchange)", &S::GetOrder);
  add_query(cmds, g, "pool", "One pool, by --pool-id or by pair (exchange)", &S::GetPool);
  add_query(cmds, g, "lp-shares", "An account's LP shares of a pool and their value",
            &S::GetLpShares);
  add_query(cmds, g, "quote-swap", "What a swap through a pool pays now", &S::QuoteSwap);
}

const CommandFile kRwa{72, &register_rwa};

}  // namespace

}  // namespace btt::cli

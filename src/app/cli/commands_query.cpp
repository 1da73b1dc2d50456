// status, balance, tx, block, fee, account-txs: read-only queries.
#include "app/cli/commands.h"

namespace btt::cli {

namespace {

struct BalanceOptions {
  std::string address;
  std::string key_file;
  std::string asset;
};

struct TxOptions {
  std::string id;
};

struct BlockOptions {
  std::string which;
};

struct FeeOptions {
  uint32_t blocks = 0;
};

struct AccountTxsOptions {
  std::string address;
  uint32_t limit = 0;
  uint64_t before = 0;
};

int run_peers(Context& ctx) {
  const auto p = ctx.client().get_peers();
  const auto out = ctx.out();
  if (out.json()) {
    Json list = Json::array();
    for (const auto& peer : p.peers()) {
      list.push_back(Json{{"node_id", peer.node_id()},
                          {"remote", peer.remote()},
                          {"outbound", peer.outbound()},
                          {"persistent", peer.persistent()},
                          {"height", peer.height()}});
    }
    out.document(Json{{"node_id", p.node_id()},
                      {"listen_address", p.listen_address()},
                      {"peers", std::move(list)}});
  } else {
    Fields f;
    f.add("node id", p.node_id().empty() ? "(p2p off)" : p.node_id())
        .add("listen address", p.listen_address())
        .add("peers", static_cast<uint64_t>(p.peers_size()));
    for (const auto& peer : p.peers()) {
      f.item(peer.node_id() + " " + peer.remote() + (peer.outbound() ? " out" : " in") +
             " height=" + std::to_string(peer.height()));
    }
    out.fields(f);
  }
  return kExitOk;
}

int run_consensus(Context& ctx) {
  const auto s = ctx.client().get_consensus_state();
  const auto v = ctx.client().get_validators();
  const auto out = ctx.out();
  if (out.json()) {
    Json votes = Json::array();
    for (const auto& c : s.votes()) {
      votes.push_back(
          Json{{"round", c.round()}, {"prevotes", c.prevotes()}, {"precommits", c.precommits()}});
    }
    Json vals = Json::array();
    for (const auto& val : v.validators()) {
      vals.push_back(Json{{"address", val.address()}, {"power", val.power()}});
    }
    out.document(Json{{"mode", s.mode()},
                      {"height", s.height()},
                      {"round", s.round()},
                      {"step", s.step()},
                      {"locked_round", s.locked_round()},
                      {"valid_round", s.valid_round()},
                      {"votes", std::move(votes)},
                      {"validator_address", s.validator_address()},
                      {"validators", std::move(vals)},
                      {"total_power", v.total_power()},
                      {"next_proposer", v.proposer()}});
  } else {
    Fields f;
    f.add("mode", s.mode())
        .add("height", s.height())
        .add("round", s.round())
        .add("step", s.step())
        .add("validator", s.validator_address().empty() ? "(none)" : s.validator_address());
    for (const auto& c : s.votes()) {
      f.item("round " + std::to_string(c.round()) + ": prevotes " + std::to_string(c.prevotes()) +
             ", precommits " + std::to_string(c.precommits()));
    }
    f.add("validators", static_cast<uint64_t>(v.validators_size()))
        .add("total power", v.total_power())
        .add("next proposer", v.proposer());
    out.fields(f);
  }
  return kExitOk;
}

int run_status(Context& ctx) {
  const auto s = ctx.client().get_status();
  show(ctx.out(), s);
  return kExitOk;
}

int run_balance(Context& ctx, const BalanceOptions& o) {
  std::string address;
  if (!o.address.empty() && !o.key_file.empty()) {
    throw UsageError("give either ADDRESS or --key FILE, not both");
  } else if (!o.address.empty()) {
    address = parse_address(o.address, "ADDRESS");
  } else if (!o.key_file.empty()) {
    address = load_key(o.key_file).address.to_string();
  } else {
    throw UsageError("give ADDRESS or --key FILE");
  }
  const auto account = ctx.client().get_account(address);

  std::vector<std::pair<std::string, uint64_t>> balances;
  if (!o.asset.empty()) {
    // Asks the node about this one asset, so an unregistered one is an error, not a 0.
    balances.emplace_back(o.asset, ctx.client().get_balance(address, o.asset).amount());
  } else {
    for (const auto& c : account.balances()) balances.emplace_back(c.asset(), c.amount());
  }

  const auto out = ctx.out();
  if (out.json()) {
    Json list = Json::array();
    for (const auto& [asset, amount] : balances) {
      list.push_back(Json{{"asset", asset}, {"amount", amount}});
    }
    Json doc{{"address", account.address().empty() ? address : account.address()},
             {"height", account.height()},
             {"nonce", account.nonce()}};
    if (!o.asset.empty()) {
      doc["asset"] = o.asset;
      doc["amount"] = balances.front().second;
    }
    doc["balances"] = std::move(list);
    out.document(doc);
  } else {
    Fields f;
    f.add("address", account.address().empty() ? address : account.address())
        .add("height", account.height())
        .add("next nonce", account.nonce());
    if (balances.empty()) f.add("balance", "0");
    for (const auto& [asset, amount] : balances) {
      f.add("balance " + asset, format_amount(asset, amount));
    }
    out.fields(f);
  }
  return kExitOk;
}

int run_tx(Context& ctx, const TxOptions& o) {
  const std::string id = parse_hash_hex(o.id, "tx ID");
  const auto info = ctx.client().get_tx(id);
  show(ctx.out(), info);
  return kExitOk;
}

int run_block(Context& ctx, const BlockOptions& o) {
  v1::GetBlockRequest req;
  // A height has at most 20 digits, so 64 characters are always a hash.
  if (o.which.size() == 64) {
    req.set_hash(parse_hash_hex(o.which, "HASH"));
  } else if (is_all_digits(o.which)) {
    req.set_height(parse_u64(o.which, "HEIGHT"));
  } else {
    throw UsageError("block wants a height (digits) or a block hash (64 hex characters), got '" +
                     o.which + "'");
  }
  const auto info = ctx.client().get_block(req);
  show(ctx.out(), info);
  return kExitOk;
}

int run_fee(Context& ctx, const FeeOptions& o) {
  const auto s = ctx.client().suggest_fee(o.blocks);
  show(ctx.out(), s);
  return kExitOk;
}

int run_account_txs(Context& ctx, const AccountTxsOptions& o) {
  v1::ListAccountTxsRequest req;
  req.set_address(parse_address(o.address, "ADDRESS"));
  req.set_limit(o.limit);
  req.set_before_height(o.before);
  const auto resp = ctx.client().list_account_txs(req);
  const auto out = ctx.out();
  if (out.json()) {
    Json txs = Json::array();
    for (const auto& t : resp.txs()) txs.push_back(to_json(t));
    out.document(Json{{"address", req.address()}, {"txs", std::move(txs)}});
  } else {
    Fields f;
    f.add("address", req.address()).add("txs", static_cast<uint64_t>(resp.txs_size()));
    for (const auto& t : resp.txs()) {
      const auto body = body_of(t);
      const auto& r = t.result();
      std::string line = "height=" + std::to_string(r.height()) +
                         " tx=" + hex(t.tx_id().empty() ? r.tx_id() : t.tx_id()) +
                         " code=" + format_code(r.code()) +
                         " sender=" + (t.sender().empty() ? body.sender() : t.sender()) +
                         " nonce=" + std::to_string(body.nonce());
      for (const auto& m : body.messages()) line += " | " + describe(m);
      f.item(line);
    }
    out.fields(f);
  }
  return kExitOk;
}

}  // namespace

void register_query_commands(CLI::App& app, Context& ctx, Commands& cmds) {
  {
    auto* sub = app.add_subcommand("status", "Show the node's chain, height and latest block");
    cmds.add(sub, [&ctx] { return run_status(ctx); });
  }
  {
    auto* sub = app.add_subcommand("peers", "Show the node's p2p id and connected peers");
    cmds.add(sub, [&ctx] { return run_peers(ctx); });
  }
  {
    auto* sub = app.add_subcommand(
        "consensus", "Show the consensus state (height, round, step, votes) and validators");
    cmds.add(sub, [&ctx] { return run_consensus(ctx); });
  }
  {
    auto o = std::make_shared<BalanceOptions>();
    auto* sub = app.add_subcommand("balance", "Show an account's balances and next nonce");
    sub->add_option("ADDRESS", o->address, "Account address (btt1...)");
    sub->add_option("--key", o->key_file, "Key file whose account to show");
    sub->add_option("--asset", o->asset, "Show only this asset");
    cmds.add(sub, [&ctx, o] { return run_balance(ctx, *o); });
  }
  {
    auto o = std::make_shared<TxOptions>();
    auto* sub = app.add_subcommand("tx", "Show a committed tx and its result");
    sub->add_option("ID", o->id, "Tx id, 64 hex characters")->required();
    cmds.add(sub, [&ctx, o] { return run_tx(ctx, *o); });
  }
  {
    auto o = std::make_shared<BlockOptions>();
    auto* sub = app.add_subcommand("block", "Show a block by height or hash");
    sub->add_option("HEIGHT_OR_HASH", o->which, "Height (digits) or block hash (64 hex)")
        ->required();
    cmds.add(sub, [&ctx, o] { return run_block(ctx, *o); });
  }
  {
    auto o = std::make_shared<FeeOptions>();
    auto* sub = app.add_subcommand("fee", "Suggest a fee from the minimum and recent blocks");
    sub->add_option("--blocks", o->blocks, "Recent blocks to look at (0: the node's default)");
    cmds.add(sub, [&ctx, o] { return run_fee(ctx, *o); });
  }
  {
    auto o = std::make_shared<AccountTxsOptions>();
    auto* sub = app.add_subcommand("account-txs", "List an account's txs, newest first");
    sub->add_option("ADDRESS", o->address, "Account address (btt1...)")->required();
    sub->add_option("--limit", o->limit, "At most this many (0: the node's default, 50)");
    sub->add_option("--before", o->before, "Only txs below this height (0: from the tip)");
    cmds.add(sub, [&ctx, o] { return run_account_txs(ctx, *o); });
  }
}

}  // namespace btt::cli

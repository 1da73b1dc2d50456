// status, peers, consensus, evidence, tx, block, block-result, fee, account-txs: the chain's
// read-only queries (top-level commands; module queries are in commands_<module>.cpp).
#include "app/cli/commands.h"

namespace btt::cli {

namespace {

struct TxOptions {
  std::string id;
};

struct BlockOptions {
  std::string which;
};

struct FeeOptions {
  uint32_t blocks = 0;
};

struct EvidenceOptions {
  uint64_t from = 0;
  uint32_t limit = 0;
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
                         " code=" + format_code(r.code(), r.detail(), r.codespace()) +
                         " sender=" + (t.sender().empty() ? body.sender() : t.sender()) +
                         " nonce=" + std::to_string(body.nonce());
      for (const auto& m : body.messages()) line += " | " + describe(m);
      f.item(line);
    }
    out.fields(f);
  }
  return kExitOk;
}

int run_block_result(Context& ctx, const BlockOptions& o) {
  const auto r = ctx.client().get_block_result(parse_u64(o.which, "HEIGHT"));
  const auto out = ctx.out();
  if (out.json()) {
    Json txs = Json::array();
    for (const auto& t : r.txs()) txs.push_back(to_json(t));
    out.document(
        Json{{"height", r.height()}, {"txs", std::move(txs)}, {"events", events_json(r.events())}});
    return kExitOk;
  }
  Fields f;
  f.add("height", r.height()).add("txs", static_cast<uint64_t>(r.txs_size()));
  for (const auto& t : r.txs()) {
    f.item("index=" + std::to_string(t.index()) + " tx=" + hex(t.tx_id()) +
           " code=" + format_code(t.code(), t.detail(), t.codespace()) + " fee_paid=" +
           std::to_string(t.fee_paid()) + " events=" + std::to_string(t.events_size()));
  }
  add_events(f, r.events());
  out.fields(f);
  return kExitOk;
}

int run_evidence(Context& ctx, const EvidenceOptions& o) {
  return print_record(ctx, ctx.client().get_evidence(o.from, o.limit));
}

void register_node(Commands& cmds) {
  auto* root = &cmds.root();
  auto plain = [&cmds](int (*run)(Context&)) {
    return [&cmds, run](CLI::App*) -> Action { return [&cmds, run] { return run(cmds.ctx()); }; };
  };
  cmds.add(root, "status", "Show the node's chain, height and latest block", CommandKind::kQuery,
           plain(&run_status));
  cmds.add(root, "peers", "Show the node's p2p id and connected peers", CommandKind::kQuery,
           plain(&run_peers));
  cmds.add(root, "consensus",
           "Show the consensus state (height, round, step, votes) and validators",
           CommandKind::kQuery, plain(&run_consensus));
  cmds.add(root, "evidence", "Double-vote evidence: pending here, and committed in blocks",
           CommandKind::kQuery, [&cmds](CLI::App* sub) -> Action {
             auto o = std::make_shared<EvidenceOptions>();
             sub->add_option("--from", o->from, "Committed records from this height");
             sub->add_option("--limit", o->limit, "At most this many committed records");
             return [&cmds, o] { return run_evidence(cmds.ctx(), *o); };
           });
  cmds.add(root, "tx", "Show a committed tx and its result", CommandKind::kQuery,
           [&cmds](CLI::App* sub) -> Action {
             auto o = std::make_shared<TxOptions>();
             sub->add_option("ID", o->id, "Tx id, 64 hex characters")->required();
             return [&cmds, o] { return run_tx(cmds.ctx(), *o); };
           });
  cmds.add(root, "block", "Show a block by height or hash", CommandKind::kQuery,
           [&cmds](CLI::App* sub) -> Action {
             auto o = std::make_shared<BlockOptions>();
             sub->add_option("HEIGHT_OR_HASH", o->which, "Height (digits) or block hash (64 hex)")
                 ->required();
             return [&cmds, o] { return run_block(cmds.ctx(), *o); };
           });
  cmds.add(root, "block-result", "Show what applying a block produced: tx results, block events",
           CommandKind::kQuery, [&cmds](CLI::App* sub) -> Action {
             auto o = std::make_shared<BlockOptions>();
             sub->add_option("HEIGHT", o->which, "Block height")->required();
             return [&cmds, o] { return run_block_result(cmds.ctx(), *o); };
           });
  cmds.add(root, "fee", "Suggest a fee from the minimum and recent blocks", CommandKind::kQuery,
           [&cmds](CLI::App* sub) -> Action {
             auto o = std::make_shared<FeeOptions>();
             sub->add_option("--blocks", o->blocks,
                             "Recent blocks to look at (0: the node's default)");
             return [&cmds, o] { return run_fee(cmds.ctx(), *o); };
           });
  cmds.add(root, "account-txs", "List an account's txs, newest first", CommandKind::kQuery,
           [&cmds](CLI::App* sub) -> Action {
             auto o = std::make_shared<AccountTxsOptions>();
             sub->add_option("ADDRESS", o->address, "Account address (btt1...)")->required();
             sub->add_option("--limit", o->limit, "At most this many (0: the node's default, 50)");
             sub->add_option("--before", o->before, "Only txs below this height (0: from the tip)");
             return [&cmds, o] { return run_account_txs(cmds.ctx(), *o); };
           });
}

const CommandFile kNode{10, &register_node};

}  // namespace

}  // namespace btt::cli

// btt-cli oracle ...: post a price (doc/oracle.md; the sender must hold price_oracle), and the
// queries of btt.v1.Oracle: price, posts, history, pairs.
#include <array>

#include "app/cli/commands.h"
#include "btt/v1/oracle.grpc.pb.h"

namespace btt::cli {

namespace {

struct PostOptions {
  std::string base;
  std::string quote;
  std::string num;
  std::string den;
};

template <typename Request, typename Response>
int query(Context& ctx,
          grpc::Status (v1::Oracle::Stub::*method)(grpc::ClientContext*, const Request&, Response*),
          const Request& req) {
  auto stub = v1::Oracle::NewStub(ctx.client().channel());
  return print_record(ctx, ctx.client().unary(*stub, method, req));
}

// BASE and QUOTE, the two positionals of every pair query.
std::shared_ptr<std::array<std::string, 2>> add_pair(CLI::App* sub) {
  auto pair = std::make_shared<std::array<std::string, 2>>();
  sub->add_option("base", (*pair)[0], "Base asset, e.g. BTT")->required();
  sub->add_option("quote", (*pair)[1], "Quote asset, e.g. CNY (need not be on chain)")->required();
  return pair;
}

void register_oracle(Commands& cmds) {
  auto* g =
      cmds.group("oracle", "Price feeds: post, price in force, posts, history (doc/oracle.md)");
  cmds.add_tx(g, "post",
              "Post a price: amount_quote = floor(amount_base x NUM / DEN) in base units "
              "(price_oracle only)",
              {"post_price"}, [](CLI::App* sub, const CommonTxOptions&) -> BuildMessages {
                auto o = std::make_shared<PostOptions>();
                sub->add_option("--base", o->base, "Base asset, e.g. BTT")->required();
                sub->add_option("--quote", o->quote, "Quote asset, e.g. CNY")->required();
                sub->add_option("--num", o->num, "Numerator (> 0)")->required();
                sub->add_option("--den", o->den, "Denominator (> 0)")->required();
                return [o] {
                  v1::Message m;
                  auto* p = m.mutable_post_price();
                  p->set_base(o->base);
                  p->set_quote(o->quote);
                  p->set_num(parse_u64(o->num, "--num"));
                  p->set_den(parse_u64(o->den, "--den"));
                  return std::vector<v1::Message>{m};
                };
              });
  cmds.add(g, "price", "The price in force: the median of the fresh posts", CommandKind::kQuery,
           [&cmds](CLI::App* sub) -> Action {
             auto pair = add_pair(sub);
             auto at = std::make_shared<std::string>();
             sub->add_option("--at-ms", *at, "At this block time (default: the latest block's)");
             return [&cmds, pair, at] {
               v1::GetPriceRequest req;
               req.set_base((*pair)[0]);
               req.set_quote((*pair)[1]);
               if (!at->empty()) req.set_time_ms(parse_u64(*at, "--at-ms"));
               return query(cmds.ctx(), &v1::Oracle::Stub::GetPrice, req);
             };
           });
  cmds.add(g, "posts", "Every feeder's latest post of a pair (stale ones included)",
           CommandKind::kQuery, [&cmds](CLI::App* sub) -> Action {
             auto pair = add_pair(sub);
             return [&cmds, pair] {
               v1::ListPostsRequest req;
               req.set_base((*pair)[0]);
               req.set_quote((*pair)[1]);
               return query(cmds.ctx(), &v1::Oracle::Stub::ListPosts, req);
             };
           });
  cmds.add(g, "history", "A pair's posts kept (the newest max_history), oldest first, paged",
           CommandKind::kQuery, [&cmds](CLI::App* sub) -> Action {
             auto pair = add_pair(sub);
             auto o = std::make_shared<std::array<std::string, 2>>();
             sub->add_option("--start-after", (*o)[0], "Seqs above this");
             sub->add_option("--limit", (*o)[1], "At most this many (default 100, max 1000)");
             return [&cmds, pair, o] {
               v1::ListHistoryRequest req;
               req.set_base((*pair)[0]);
               req.set_quote((*pair)[1]);
               if (!(*o)[0].empty()) req.set_start_after(parse_u64((*o)[0], "--start-after"));
               if (!(*o)[1].empty()) {
                 const uint64_t limit = parse_u64((*o)[1], "--limit");
                 if (limit > UINT32_MAX) throw UsageError("--limit: at most 1000");
                 req.set_limit(static_cast<uint32_t>(limit));
               }
               return query(cmds.ctx(), &v1::Oracle::Stub::ListHistory, req);
             };
           });
  cmds.add(g, "pairs", "Every pair with at least one post", CommandKind::kQuery,
           [&cmds](CLI::App*) -> Action {
             return [&cmds] {
               return query(cmds.ctx(), &v1::Oracle::Stub::ListPairs, v1::ListPairsRequest());
             };
           });
}

const CommandFile kOracle{67, &register_oracle};

}  // namespace

}  // namespace btt::cli

// watch, events: server streams, one line per item until interrupted or --count items.
#include "app/cli/commands.h"

namespace btt::cli {

namespace {

struct WatchOptions {
  uint64_t from = 0;
  uint64_t count = 0;  // 0: until interrupted
};

struct EventsOptions {
  std::vector<std::string> types;
  std::string address;
  uint64_t from = 0;
  uint64_t count = 0;
};

// Reads until the stream ends or `count` items were handled (0: no limit). A stream that ends
// with an error other than our own cancellation throws RpcError.
template <typename T, typename Handle>
int drain(Client& client, grpc::ClientContext& ctx, grpc::ClientReader<T>& reader, uint64_t count,
          Handle handle) {
  T item;
  uint64_t seen = 0;
  bool cancelled = false;
  while (reader.Read(&item)) {
    handle(item);
    if (count != 0 && ++seen >= count) {
      ctx.TryCancel();
      cancelled = true;
      break;
    }
  }
  if (cancelled) {
    while (reader.Read(&item)) {
    }
  }
  const grpc::Status st = reader.Finish();
  if (cancelled && st.error_code() == grpc::StatusCode::CANCELLED) return kExitOk;
  client.check(st);
  return kExitOk;
}

int run_watch(Context& ctx, const WatchOptions& o) {
  auto& client = ctx.client();
  grpc::ClientContext call;
  v1::StreamBlocksRequest req;
  req.set_from_height(o.from);
  auto reader = client.stream_blocks(call, req);
  const auto out = ctx.out();
  return drain(client, call, *reader, o.count, [&](const v1::BlockInfo& b) {
    const auto h = header_of(b);
    if (out.json()) {
      out.line(Json{{"height", h.height()},
                    {"hash", hex(b.hash())},
                    {"time_ms", h.time_ms()},
                    {"time", format_time_ms(h.time_ms())},
                    {"tx_count", h.tx_count()},
                    {"proposer", h.proposer()}});
    } else {
      out.text_line("height=" + std::to_string(h.height()) + " hash=" + hex(b.hash()) + " time=" +
                    format_time_ms(h.time_ms()) + " txs=" + std::to_string(h.tx_count()));
    }
  });
}

int run_events(Context& ctx, const EventsOptions& o) {
  v1::StreamEventsRequest req;
  for (const auto& t : o.types) req.add_types(t);
  if (!o.address.empty()) req.set_address(parse_address(o.address, "--address"));
  req.set_from_height(o.from);
  auto& client = ctx.client();
  grpc::ClientContext call;
  auto reader = client.stream_events(call, req);
  const auto out = ctx.out();
  return drain(client, call, *reader, o.count, [&](const v1::EventRecord& e) {
    if (out.json()) {
      out.line(to_json(e));
    } else {
      std::string line = "height=" + std::to_string(e.height());
      if (!e.tx_id().empty()) {
        line += " tx=" + hex(e.tx_id()) + " code=" + std::to_string(e.tx_code());
      }
      out.text_line(line + " " +
                    (e.has_balance_change() ? describe(e.balance_change()) : describe(e.event())));
    }
  });
}

void register_streams(Commands& cmds) {
  cmds.add(&cmds.root(), "watch", "Print one line per committed block", CommandKind::kStream,
           [&cmds](CLI::App* sub) -> Action {
             auto o = std::make_shared<WatchOptions>();
             sub->add_option("--from", o->from, "Replay from this height (0: only new blocks)");
             sub->add_option("--count", o->count,
                             "Stop after this many blocks (0: until interrupted)");
             return [&cmds, o] { return run_watch(cmds.ctx(), *o); };
           });
  cmds.add(&cmds.root(), "events", "Print one line per event and balance change",
           CommandKind::kStream, [&cmds](CLI::App* sub) -> Action {
             auto o = std::make_shared<EventsOptions>();
             sub->add_option("--type", o->types,
                             "Only this event type, e.g. bank.transfer, or balance_change for the "
                             "balance changes (repeatable)")
                 ->allow_extra_args(false);
             sub->add_option("--address", o->address,
                             "Only events that name this address and its balance changes");
             sub->add_option("--from", o->from, "Replay from this height (0: only new events)");
             sub->add_option("--count", o->count,
                             "Stop after this many events (0: until interrupted)");
             return [&cmds, o] { return run_events(cmds.ctx(), *o); };
           });
}

const CommandFile kStreams{20, &register_streams};

}  // namespace

}  // namespace btt::cli

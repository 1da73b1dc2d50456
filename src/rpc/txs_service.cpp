#include <algorithm>
#include <chrono>

#include "btt/mempool/admission.h"
#include "services.h"

namespace btt::rpc {
namespace {

constexpr uint32_t kDefaultWaitMs = 30'000;
constexpr uint32_t kMaxWaitMs = 300'000;
constexpr int kMaxBatchTxs = 1000;

void fill_tx(v1::TxInfo* out, const v1::Tx& tx, const Hash32& id) {
  out->set_tx_id(to_bytes(id));
  *out->mutable_tx() = tx;
  if (out->mutable_body()->ParseFromString(tx.body())) out->set_sender(out->body().sender());
}

// The `types` name that selects balance changes in StreamEvents (event types always hold a dot,
// so it names no event).
constexpr std::string_view kBalanceChangeType = "balance_change";

bool type_wanted(const v1::StreamEventsRequest& req, std::string_view type) {
  return req.types().empty() ||
         std::find(req.types().begin(), req.types().end(), type) != req.types().end();
}

// `address` is canonical (lower case), as every address in an event is.
bool event_matches(const v1::Event& e, const v1::StreamEventsRequest& req,
                   const std::string& address) {
  if (!type_wanted(req, e.type())) return false;
  if (address.empty()) return true;
  for (const auto& a : e.attributes()) {
    if (a.value() == address) return true;
  }
  return false;
}

bool change_matches(const v1::BalanceChange& c, const v1::StreamEventsRequest& req,
                    const std::string& address) {
  return type_wanted(req, kBalanceChangeType) && (address.empty() || c.address() == address);
}

// The module detail of a failure into a response's detail and codespace fields.
template <typename Response>
void set_detail(Response* out, const Status& status) {
  if (status.detail() == 0) return;
  out->set_detail(status.detail());
  out->set_codespace(std::string(codespace_name(detail_space(status.detail()))));
}

}  // namespace

std::optional<v1::TxInfo> committed_tx(const chain::Chain& chain, const Hash32& id) {
  auto loc = chain.find_tx(id);
  if (!loc) return std::nullopt;
  auto block = chain.block_at(loc->height);
  auto result = chain.result_at(loc->height);
  if (!block || !result || static_cast<int>(loc->index) >= block->txs_size() ||
      static_cast<int>(loc->index) >= result->txs_size()) {
    return std::nullopt;
  }
  v1::TxInfo info;
  fill_tx(&info, block->txs(static_cast<int>(loc->index)), id);
  *info.mutable_result() = result->txs(static_cast<int>(loc->index));
  return info;
}

grpc::Status TxsService::GetTx(grpc::ServerContext*, const v1::GetTxRequest* req, v1::TxInfo* out) {
  auto id = to_hash32(req->tx_id());
  if (!id) return invalid("tx_id must be 32 bytes");
  if (auto info = committed_tx(ctx_.chain, *id)) {
    *out = std::move(*info);
    return grpc::Status::OK;
  }
  if (auto pending = ctx_.pool.get(*id)) {
    fill_tx(out, pending->tx, *id);
    out->set_pending(true);
    return grpc::Status::OK;
  }
  return not_found("no tx " + to_hex(*id) + " in a block or in the mempool");
}

grpc::Status TxsService::BroadcastTx(grpc::ServerContext* context,
                                     const v1::BroadcastTxRequest* req,
                                     v1::BroadcastTxResponse* out) {
  if (!req->has_tx()) return invalid("tx is missing");
  if (ctx_.hub.closed()) return {grpc::StatusCode::UNAVAILABLE, "node is shutting down"};
  auto admitted = mempool::admit(req->tx(), ctx_.chain, ctx_.pool);
  if (!admitted) return to_grpc(context, admitted.status());
  const Hash32 id = (*admitted)->id;
  if (ctx_.on_tx_admitted) ctx_.on_tx_admitted(req->tx());
  out->set_tx_id(to_bytes(id));
  out->set_code(0);
  if (!req->wait_for_commit()) return grpc::Status::OK;

  uint32_t wait_ms =
      req->timeout_ms() == 0 ? kDefaultWaitMs : std::min(req->timeout_ms(), kMaxWaitMs);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait_ms);
  uint64_t seen = ctx_.chain.tip().height();
  while (!context->IsCancelled() && !ctx_.hub.closed()) {
    if (auto info = committed_tx(ctx_.chain, id)) {
      out->set_committed(true);
      *out->mutable_result() = info->result();
      return grpc::Status::OK;
    }
    if (std::chrono::steady_clock::now() >= deadline) break;
    if (!ctx_.pool.contains(id) && !ctx_.chain.find_tx(id)) {
      // Dropped from the pool after a block (e.g. its fee balance went away).
      return {grpc::StatusCode::ABORTED,
              "tx was admitted but dropped from the mempool before a block"};
    }
    seen = ctx_.hub.wait_beyond(seen, std::chrono::milliseconds(200));
  }
  return {grpc::StatusCode::DEADLINE_EXCEEDED,
          "tx " + to_hex(id) + " was admitted but not committed within " + std::to_string(wait_ms) +
              " ms; query it with GetTx"};
}

grpc::Status TxsService::BroadcastTxs(grpc::ServerContext*, const v1::BroadcastTxsRequest* req,
                                      v1::BroadcastTxsResponse* out) {
  if (req->txs().empty()) return invalid("txs is empty");
  if (req->txs_size() > kMaxBatchTxs) {
    return invalid("at most " + std::to_string(kMaxBatchTxs) + " txs in one call, not " +
                   std::to_string(req->txs_size()));
  }
  if (ctx_.hub.closed()) return {grpc::StatusCode::UNAVAILABLE, "node is shutting down"};
  out->mutable_results()->Reserve(req->txs_size());
  for (const auto& tx : req->txs()) {
    auto* r = out->add_results();
    auto admitted = mempool::admit(tx, ctx_.chain, ctx_.pool);
    if (!admitted) {
      r->set_tx_id(to_bytes(chain::tx_id_of_body(tx.body())));
      r->set_code(static_cast<uint32_t>(admitted.status().code()));
      r->set_log(excerpt(admitted.status().to_string(), 1024));
      set_detail(r, admitted.status());
      continue;
    }
    r->set_tx_id(to_bytes((*admitted)->id));
    r->set_code(0);
    if (ctx_.on_tx_admitted) ctx_.on_tx_admitted(tx);
  }
  return grpc::Status::OK;
}

grpc::Status TxsService::SimulateTx(grpc::ServerContext*, const v1::SimulateTxRequest* req,
                                    v1::SimulateTxResponse* out) {
  if (!req->has_tx()) return invalid("tx is missing");
  const auto params = ctx_.chain.params();
  out->set_min_fee(params.min_fee());
  out->set_height(ctx_.chain.tip().height());
  v1::Tx tx = req->tx();
  if (req->skip_signature() && tx.signature().size() != 64) tx.set_signature(std::string(64, '\0'));
  auto decoded = chain::decode_tx(tx, params.max_tx_bytes());
  if (!decoded) {
    out->set_code(static_cast<uint32_t>(decoded.status().code()));
    out->set_log(decoded.status().message());
    set_detail(out, decoded.status());
    return grpc::Status::OK;
  }
  auto outcome = ctx_.chain.simulate(**decoded, !req->skip_signature());
  out->set_code(static_cast<uint32_t>(outcome.status.code()));
  out->set_log(outcome.status.message());
  set_detail(out, outcome.status);
  out->set_fee(outcome.fee_paid);  // 0 when the tx would not be included
  for (auto& e : outcome.events) *out->add_events() = std::move(e);
  return grpc::Status::OK;
}

grpc::Status TxsService::SuggestFee(grpc::ServerContext*, const v1::SuggestFeeRequest* req,
                                    v1::FeeSuggestion* out) {
  uint32_t blocks = req->blocks() == 0 ? 20 : req->blocks();
  if (blocks > 1000) return invalid("blocks must be at most 1000");
  const uint64_t min_fee = ctx_.chain.params().min_fee();
  const uint64_t tip = ctx_.chain.tip().height();
  const uint64_t from = tip >= blocks ? tip - blocks + 1 : 1;
  std::vector<uint64_t> fees;
  for (uint64_t h = from; h <= tip && h >= 1; ++h) {
    auto r = ctx_.chain.result_at(h);
    if (!r) continue;
    for (const auto& t : r->txs()) fees.push_back(t.fee_paid());
  }
  std::sort(fees.begin(), fees.end());
  out->set_min_fee(min_fee);
  out->set_from_height(tip == 0 ? 0 : from);
  out->set_to_height(tip);
  out->set_recent_txs(fees.size());
  uint64_t median = 0;
  if (!fees.empty()) {
    out->set_recent_min(fees.front());
    out->set_recent_max(fees.back());
    median = fees[fees.size() / 2];
    out->set_recent_median(median);
    out->set_recent_p90(
        fees[(fees.size() * 9) / 10 < fees.size() ? (fees.size() * 9) / 10 : fees.size() - 1]);
  }
  out->set_suggested(std::max(min_fee, median));
  return grpc::Status::OK;
}

grpc::Status TxsService::StreamEvents(grpc::ServerContext* context,
                                      const v1::StreamEventsRequest* req,
                                      grpc::ServerWriter<v1::EventRecord>* writer) {
  std::string address;
  if (!req->address().empty()) {
    auto parsed = crypto::Address::parse(req->address());
    if (!parsed) return invalid("address '" + excerpt(req->address()) + "' is not a btt address");
    address = parsed->to_string();
  }
  if (req->types_size() > 64) return invalid("at most 64 event types");
  return follow_chain(ctx_, context, req->from_height(), [&](uint64_t height, bool& keep_going) {
    auto result = ctx_.chain.result_at(height);
    if (!result) {
      return grpc::Status(grpc::StatusCode::INTERNAL,
                          "results of block " + std::to_string(height) + " missing");
    }
    auto record = [&](const v1::TxResult* tx) {
      v1::EventRecord rec;
      rec.set_height(height);
      if (tx) {
        rec.set_tx_id(tx->tx_id());
        rec.set_tx_index(tx->index());
        rec.set_tx_code(tx->code());
      }
      return rec;
    };
    auto send_events = [&](const google::protobuf::RepeatedPtrField<v1::Event>& events,
                           const v1::TxResult* tx) {
      for (int i = 0; i < events.size() && keep_going; ++i) {
        if (!event_matches(events[i], *req, address)) continue;
        v1::EventRecord rec = record(tx);
        rec.set_event_index(static_cast<uint32_t>(i));
        *rec.mutable_event() = events[i];
        keep_going = writer->Write(rec);
      }
    };
    auto send_changes = [&](const google::protobuf::RepeatedPtrField<v1::BalanceChange>& changes,
                            const v1::TxResult* tx) {
      for (int i = 0; i < changes.size() && keep_going; ++i) {
        if (!change_matches(changes[i], *req, address)) continue;
        v1::EventRecord rec = record(tx);
        rec.set_balance_change_index(static_cast<uint32_t>(i));
        *rec.mutable_balance_change() = changes[i];
        keep_going = writer->Write(rec);
      }
    };
    // Each tx's events then its balance changes, in block order; then the block's own.
    for (const auto& tx : result->txs()) {
      send_events(tx.events(), &tx);
      send_changes(tx.balance_changes(), &tx);
    }
    send_events(result->events(), nullptr);
    send_changes(result->balance_changes(), nullptr);
    return grpc::Status::OK;
  });
}

grpc::Status TxsService::ListAccountTxs(grpc::ServerContext*, const v1::ListAccountTxsRequest* req,
                                        v1::ListAccountTxsResponse* out) {
  auto addr = crypto::Address::parse(req->address());
  if (!addr) return invalid("address '" + excerpt(req->address()) + "' is not a btt address");
  uint32_t limit = req->limit() == 0 ? 50 : req->limit();
  if (limit > 1000) return invalid("limit must be at most 1000");
  for (const auto& loc : ctx_.chain.account_txs(*addr, req->before_height(), limit)) {
    auto block = ctx_.chain.block_at(loc.height);
    auto result = ctx_.chain.result_at(loc.height);
    if (!block || !result || static_cast<int>(loc.index) >= block->txs_size()) continue;
    const auto& tx = block->txs(static_cast<int>(loc.index));
    auto* info = out->add_txs();
    fill_tx(info, tx, chain::tx_id_of_body(tx.body()));
    *info->mutable_result() = result->txs(static_cast<int>(loc.index));
  }
  return grpc::Status::OK;
}

}  // namespace btt::rpc

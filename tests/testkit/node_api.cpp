#include "testkit/node_api.h"

#include <chrono>
#include <stdexcept>
#include <thread>

namespace btt::testkit {
namespace {

void ensure(const grpc::Status& s, const char* what) {
  if (!s.ok()) throw std::runtime_error(std::string(what) + ": " + s.error_message());
}

}  // namespace

void set_deadline(grpc::ClientContext& ctx, int ms) {
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(ms));
}

NodeApi::NodeApi(const std::string& addr)
    : channel_(grpc::CreateCustomChannel(addr, grpc::InsecureChannelCredentials(),
                                         [] {
                                           // As btt-cli: a block of max_block_bytes (8 MiB by
                                           // default) answers with more than gRPC's default 4 MiB
                                           // receive limit.
                                           grpc::ChannelArguments args;
                                           args.SetMaxReceiveMessageSize(64 * 1024 * 1024);
                                           return args;
                                         }())),
      node(v1::Node::NewStub(channel_)),
      blocks(v1::Blocks::NewStub(channel_)),
      txs(v1::Txs::NewStub(channel_)),
      bank(v1::Bank::NewStub(channel_)),
      tokenomics(v1::Tokenomics::NewStub(channel_)) {}

v1::NodeStatus NodeApi::status() {
  grpc::ClientContext ctx;
  set_deadline(ctx);
  v1::NodeStatus out;
  ensure(node->GetStatus(&ctx, {}, &out), "GetStatus");
  return out;
}

v1::AccountInfo NodeApi::account(const std::string& addr) {
  grpc::ClientContext ctx;
  set_deadline(ctx);
  v1::GetAccountRequest req;
  req.set_address(addr);
  v1::AccountInfo out;
  ensure(bank->GetAccount(&ctx, req, &out), "GetAccount");
  return out;
}

uint64_t NodeApi::balance(const std::string& addr, const std::string& asset) {
  const auto info = account(addr);
  for (const auto& c : info.balances()) {
    if (c.asset() == asset) return c.amount();
  }
  return 0;
}

v1::Supply NodeApi::supply() {
  grpc::ClientContext ctx;
  set_deadline(ctx);
  v1::Supply out;
  ensure(bank->GetSupply(&ctx, {}, &out), "GetSupply");
  return out;
}

uint64_t NodeApi::supply_of(const std::string& asset) {
  const auto all = supply();
  for (const auto& c : all.total()) {
    if (c.asset() == asset) return c.amount();
  }
  return 0;
}

grpc::Status NodeApi::broadcast(const v1::Tx& tx, bool wait, v1::BroadcastTxResponse* out) {
  grpc::ClientContext ctx;
  set_deadline(ctx, wait ? 20000 : 5000);
  v1::BroadcastTxRequest req;
  *req.mutable_tx() = tx;
  req.set_wait_for_commit(wait);
  return txs->BroadcastTx(&ctx, req, out);
}

std::optional<v1::TxInfo> NodeApi::tx(const Hash32& id) {
  grpc::ClientContext ctx;
  set_deadline(ctx);
  v1::GetTxRequest req;
  req.set_tx_id(to_bytes(id));
  v1::TxInfo out;
  if (!txs->GetTx(&ctx, req, &out).ok() || out.pending()) return std::nullopt;
  return out;
}

std::optional<v1::BlockInfo> NodeApi::block(uint64_t height) {
  grpc::ClientContext ctx;
  set_deadline(ctx);
  v1::GetBlockRequest req;
  req.set_height(height);
  v1::BlockInfo out;
  if (!blocks->GetBlock(&ctx, req, &out).ok()) return std::nullopt;
  return out;
}

uint64_t height_of(NodeApi& api) {
  try {
    return api.status().height();
  } catch (const std::exception&) {
    return 0;
  }
}

bool wait_height(NodeApi& api, uint64_t height, int timeout_s) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  while (std::chrono::steady_clock::now() < deadline) {
    if (height_of(api) >= height) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

std::string block_hash_at(NodeApi& api, uint64_t height) {
  auto b = api.block(height);
  return b ? b->hash() : std::string();
}

}  // namespace btt::testkit

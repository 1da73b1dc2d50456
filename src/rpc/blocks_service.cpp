#include <chrono>

#include "services.h"

namespace btt::rpc {

v1::BlockInfo block_info(const v1::Block& block) {
  v1::BlockInfo info;
  info.set_hash(to_bytes(chain::block_hash(block.header())));
  info.mutable_header()->ParseFromString(block.header());
  *info.mutable_block() = block;
  for (const auto& tx : block.txs()) info.add_tx_ids(to_bytes(chain::tx_id_of_body(tx.body())));
  return info;
}

grpc::Status BlocksService::GetBlock(grpc::ServerContext*, const v1::GetBlockRequest* req,
                                     v1::BlockInfo* out) {
  uint64_t height = 0;
  switch (req->by_case()) {
    case v1::GetBlockRequest::kHeight:
      height = req->height();
      if (height == 0) return not_found("height 0 is the genesis state; blocks start at 1");
      break;
    case v1::GetBlockRequest::kHash: {
      auto hash = to_hash32(req->hash());
      if (!hash) return invalid("hash must be 32 bytes");
      auto h = ctx_.chain.height_of(*hash);
      if (!h) return not_found("no block with hash " + to_hex(req->hash()));
      height = *h;
      break;
    }
    default:
      return invalid("give a height or a hash");
  }
  auto block = ctx_.chain.block_at(height);
  if (!block) {
    return not_found("no block at height " + std::to_string(height) + " (tip is " +
                     std::to_string(ctx_.chain.tip().height()) + ")");
  }
  *out = block_info(*block);
  return grpc::Status::OK;
}

grpc::Status BlocksService::GetBlockResult(grpc::ServerContext*,
                                           const v1::GetBlockResultRequest* req,
                                           v1::BlockResult* out) {
  auto r = ctx_.chain.result_at(req->height());
  if (!r) return not_found("no block at height " + std::to_string(req->height()));
  *out = std::move(*r);
  return grpc::Status::OK;
}

grpc::Status BlocksService::StreamBlocks(grpc::ServerContext* context,
                                         const v1::StreamBlocksRequest* req,
                                         grpc::ServerWriter<v1::BlockInfo>* writer) {
  return follow_chain(ctx_, context, req->from_height(), [&](uint64_t height, bool& keep_going) {
    auto block = ctx_.chain.block_at(height);
    if (!block) {
      return grpc::Status(grpc::StatusCode::INTERNAL,
                          "block " + std::to_string(height) + " missing");
    }
    keep_going = writer->Write(block_info(*block));
    return grpc::Status::OK;
  });
}

}  // namespace btt::rpc

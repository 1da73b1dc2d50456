#include "services.h"

namespace btt::rpc {

grpc::Status NodeService::GetStatus(grpc::ServerContext*, const v1::GetStatusRequest*,
                                    v1::NodeStatus* out) {
  auto tip = ctx_.chain.tip();
  out->set_chain_id(ctx_.chain.chain_id());
  out->set_version(BTT_VERSION);
  out->set_height(tip.height());
  out->set_latest_block_hash(tip.block_hash());
  out->set_latest_state_hash(tip.state_hash());
  out->set_latest_block_time_ms(tip.time_ms());
  out->set_validator_address(ctx_.validator_address);
  auto stats = ctx_.pool.stats();
  out->set_mempool_txs(stats.txs);
  out->set_mempool_bytes(stats.bytes);
  out->set_genesis_time_ms(ctx_.chain.genesis().genesis_time_ms);
  out->set_min_fee(ctx_.chain.params().min_fee());
  out->set_moniker(ctx_.moniker);
  return grpc::Status::OK;
}

}  // namespace btt::rpc

#include "testkit/rpc_harness.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "btt/ledger/ledger.h"
#include "testkit/genesis_json.h"
#include "testkit/test_env.h"

namespace btt::testkit {

RpcHarness::RpcHarness(const std::vector<std::string>& funded)
    : RpcHarness(RpcHarnessOptions{funded}) {}

RpcHarness::RpcHarness(const RpcHarnessOptions& options)
    : validator_(test_key("validator")), registry_(chain::make_default_registry()) {
  nlohmann::json j = {{"chain_id", kChainId},
                      {"genesis_time", "2026-01-01T00:00:00Z"},
                      {"validators",
                       {{{"public_key", to_hex(validator_.public_key)},
                         {"power", std::to_string(options.validator_power)},
                         {"name", "v0"}}}},
                      {"accounts", nlohmann::json::array()}};
  std::vector<std::string> names = options.funded;
  names.push_back(TestEnv::kRoleAdmin);
  for (const auto& name : names) {
    j["accounts"].push_back(
        {{"address", test_key(name).address.to_string()},
         {"balances", {{{"asset", "BTT"}, {"amount", std::to_string(kFundedUnits)}}}}});
  }
  add_tokenomics(j);
  j["modules"]["roles"] = TestEnv::default_roles_section();
  if (!options.staking.is_null()) j["modules"]["staking"] = options.staking;
  if (!options.governance.is_null()) j["modules"]["governance"] = options.governance;
  if (!options.payfi.is_null()) j["modules"]["payfi"] = options.payfi;
  if (!options.rwa.is_null()) j["modules"]["rwa"] = options.rwa;
  auto genesis = chain::Genesis::parse(j.dump(), *registry_);
  if (!genesis) throw std::runtime_error("rpc harness genesis: " + genesis.status().to_string());
  node_ = std::make_unique<ChainNode>(*genesis, *registry_);
  pool_ = std::make_unique<mempool::Mempool>(mempool::Limits{});
  hub_ = std::make_unique<chain::BlockHub>(node_->chain->tip().height());
  context_ = std::unique_ptr<rpc::RpcContext>(new rpc::RpcContext{
      *node_->chain, *pool_, *hub_, validator_.address.to_string(), "rpc-harness"});
  auto server = rpc::RpcServer::start({"127.0.0.1:0"}, *context_);
  if (!server) throw std::runtime_error("rpc harness server: " + server.status().to_string());
  server_ = std::move(*server);
  channel_ = grpc::CreateChannel(address(), grpc::InsecureChannelCredentials());
}

RpcHarness::RpcHarness(const std::vector<std::string>& funded,
                       const nlohmann::json& module_sections)
    : RpcHarness(RpcHarnessOptions{.funded = funded,
                                   .validator_power = 1,
                                   .staking = module_sections.value("staking", nlohmann::json())}) {
}

nlohmann::json RpcHarness::staking_section(const std::string& operator_name) {
  return {{"staking",
           {{"validators",
             {{{"address", test_key("validator").address.to_string()},
               {"operator", test_key(operator_name).address.to_string()},
               {"self_stake", std::to_string(100'000'000ULL)},
               {"commission_bps", 0},
               {"max_commission_bps", 0},
               {"max_change_bps_per_day", 0},
               {"moniker", "v0"}}}}}}};
}

RpcHarness::~RpcHarness() {
  hub_->close();
  if (server_) server_->shutdown();
}

std::string RpcHarness::address() const {
  return "127.0.0.1:" + std::to_string(server_->port());
}

v1::TxBody RpcHarness::body(const crypto::KeyPair& from, const v1::Message& message,
                            uint64_t fee) const {
  v1::TxBody body;
  body.set_chain_id(kChainId);
  body.set_sender(from.address.to_string());
  body.set_public_key(std::string(as_view(from.public_key)));
  body.set_nonce(ledger::Ledger(node_->chain->state()).next_nonce(from.address));
  body.set_fee(fee);
  *body.add_messages() = message;
  return body;
}

v1::Tx RpcHarness::sign(const crypto::KeyPair& from, const v1::TxBody& body) const {
  return chain::sign_tx(body, from.secret_key);
}

chain::CommittedBlock RpcHarness::commit(const std::vector<v1::Tx>& txs) {
  std::vector<chain::TxPtr> decoded;
  for (const auto& tx : txs) {
    auto d = chain::decode_tx(tx, node_->chain->params().max_tx_bytes());
    EXPECT_TRUE(d.is_ok()) << d.status().to_string();
    if (d) decoded.push_back(*d);
  }
  auto block = commit_next(*node_, {validator_}, decoded);
  if (!block) throw std::runtime_error("rpc harness block: " + block.status().to_string());
  hub_->publish(block->header.height());
  return std::move(*block);
}

std::map<std::string, std::string> btt_trailers(const grpc::ClientContext& ctx) {
  std::map<std::string, std::string> out;
  for (const auto& [key, value] : ctx.GetServerTrailingMetadata()) {
    const std::string k(key.data(), key.size());
    if (k.rfind("btt-", 0) == 0) out[k] = std::string(value.data(), value.size());
  }
  return out;
}

}  // namespace btt::testkit

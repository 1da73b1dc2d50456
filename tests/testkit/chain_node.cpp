#include "testkit/chain_node.h"

#include <algorithm>
#include <stdexcept>

#include "btt/chain/consensus_signing.h"
#include "btt/crypto/hash.h"
#include "testkit/genesis_json.h"
#include "testkit/test_env.h"

namespace btt::testkit {

MultiGenesis make_multi_genesis(const MultiGenesisOptions& options) {
  MultiGenesis out;
  out.registry = chain::make_default_registry();
  if (options.extend) options.extend(*out.registry);
  nlohmann::json j = {{"chain_id", kMultiChainId},
                      {"genesis_time", "2026-01-01T00:00:00Z"},
                      {"validators", nlohmann::json::array()},
                      {"accounts", nlohmann::json::array()}};
  if (!options.params.is_null()) j["params"] = options.params;
  std::vector<crypto::KeyPair> keys;
  for (size_t i = 0; i < options.validators; ++i) {
    keys.push_back(test_key("val" + std::to_string(i)));
    j["validators"].push_back({{"public_key", to_hex(keys.back().public_key)},
                               {"power", std::to_string(options.power)},
                               {"name", "val" + std::to_string(i)}});
  }
  for (const auto& name : options.funded) {
    j["accounts"].push_back(
        {{"address", test_key(name).address.to_string()},
         {"balances", {{{"asset", "BTT"}, {"amount", std::to_string(1000 * 100'000'000ULL)}}}}});
  }
  auto g = chain::Genesis::parse(add_tokenomics(j).dump(), *out.registry);
  if (!g) throw std::runtime_error("test genesis: " + g.status().to_string());
  out.genesis = *g;
  std::sort(keys.begin(), keys.end(), [](const crypto::KeyPair& a, const crypto::KeyPair& b) {
    return a.address.to_string() < b.address.to_string();
  });
  out.validators = keys;
  return out;
}

ChainNode::ChainNode(const chain::Genesis& genesis, const chain::ModuleRegistry& registry) {
  storage::DatabaseOptions options;
  options.sync_writes = false;
  options.block_cache_mb = 8;
  auto d = storage::Database::open(dir.path() / "db", options);
  if (!d) throw std::runtime_error("test db: " + d.status().to_string());
  db = std::move(*d);
  auto c = chain::Chain::open(*db, registry, genesis);
  if (!c) throw std::runtime_error("test chain: " + c.status().to_string());
  chain = std::move(*c);
}

v1::Commit full_commit(std::string_view chain_id, uint64_t height, const std::string& block_id,
                       const std::vector<crypto::KeyPair>& keys, uint64_t timestamp_ms) {
  v1::Commit c;
  c.set_height(height);
  c.set_round(0);
  c.set_block_id(block_id);
  for (const auto& k : keys) {
    v1::Vote v;
    v.set_type(v1::PRECOMMIT);
    v.set_height(height);
    v.set_round(0);
    v.set_block_id(block_id);
    v.set_validator(k.address.to_string());
    v.set_timestamp_ms(timestamp_ms);
    chain::KeySigner signer(k, true);
    if (!signer.sign_vote(chain_id, v)) throw std::runtime_error("cannot sign a precommit");
    auto* cs = c.add_signatures();
    cs->set_validator(v.validator());
    cs->set_timestamp_ms(timestamp_ms);
    cs->set_signature(v.signature());
  }
  return c;
}

Result<chain::CommittedBlock> commit_next(ChainNode& node, const std::vector<crypto::KeyPair>& keys,
                                          const std::vector<chain::TxPtr>& txs,
                                          const std::vector<v1::Evidence>& evidence) {
  const v1::ChainTip tip = node.chain->tip();
  v1::Commit last_commit;
  if (tip.height() > 0) {
    auto stored = node.chain->commit_at(tip.height());
    last_commit = stored ? *stored
                         : full_commit(node.chain->chain_id(), tip.height(), tip.block_hash(), keys,
                                       tip.time_ms());
  }
  auto built = node.chain->build(txs, tip.time_ms() + 1000, keys.at(0), last_commit, evidence);
  if (!built) return built.status();
  const v1::Commit own = full_commit(node.chain->chain_id(), tip.height() + 1,
                                     to_bytes(built->block.hash), keys, tip.time_ms() + 1000);
  return node.chain->commit(std::move(*built), &own);
}

v1::Evidence double_vote(const crypto::KeyPair& key, uint64_t height, uint32_t round,
                         v1::VoteType type, std::string_view chain_id) {
  std::string a = to_bytes(crypto::tagged_hash("btt/test/block", "a"));
  std::string b = to_bytes(crypto::tagged_hash("btt/test/block", "b"));
  if (b < a) std::swap(a, b);
  v1::Evidence e;
  for (const auto& [id, vote] : {std::pair{&a, e.mutable_duplicate_vote()->mutable_vote_a()},
                                 std::pair{&b, e.mutable_duplicate_vote()->mutable_vote_b()}}) {
    vote->set_type(type);
    vote->set_height(height);
    vote->set_round(round);
    vote->set_block_id(*id);
    vote->set_validator(key.address.to_string());
    vote->set_timestamp_ms(1000);
    chain::KeySigner signer(key, true);
    if (!signer.sign_vote(chain_id, *vote)) throw std::runtime_error("cannot sign a vote");
  }
  return e;
}

}  // namespace btt::testkit

// Fuzz target: a block as it arrives from a peer (v1::Block bytes) applied by Chain::apply to a
// fresh chain (RocksDB in a temp dir, opened once per process and reopened fresh only after a
// block commits, so every input meets the same genesis state at height 0).
//
// Input: one mode byte, then the serialized Block. Mode bit 0 set: the header is repaired before
// apply (chain id, height, prev_hash, time, proposer, then signed by the genesis validator), so the
// input reaches tx decoding and execution instead of stopping at the proposer signature; bit 1
// also recomputes tx_root and tx_count from the block's txs and evidence_root from its evidence.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "btt/chain/chain.h"
#include "btt/chain/consensus_signing.h"
#include "btt/chain/evidence.h"
#include "btt/chain/genesis.h"
#include "btt/chain/registry.h"
#include "btt/chain/tx.h"
#include "btt/crypto/keyfile.h"
#include "btt/storage/db.h"
#include "fuzz_check.h"
#include "testkit/genesis_json.h"
#include "testkit/temp_dir.h"
#include "testkit/txs.h"

using namespace btt;

namespace {

constexpr const char* kChainId = "btt-devnet-1";        // the chain of doc/protocol.md's vectors
constexpr uint64_t kGenesisTimeMs = 1'767'225'600'000;  // 2026-01-01T00:00:00Z
const uint8_t kZeroAux[32] = {};

crypto::KeyPair key(uint8_t last_byte) {
  crypto::SecretKey sk{};
  sk[31] = last_byte;
  return *crypto::KeyPair::from_secret(sk);
}

// Validator: secret key 1. Funded: key 3 (doc/protocol.md vector 1's sender) and key 4.
std::string genesis_json() {
  nlohmann::json g;
  g["chain_id"] = kChainId;
  g["genesis_time"] = chain::format_rfc3339_ms(kGenesisTimeMs);
  g["assets"] = {{{"asset", "USD"}, {"decimals", 2}}};
  g["validators"] = {{{"name", "v0"}, {"public_key", to_hex(key(1).public_key)}, {"power", "10"}}};
  g["accounts"] = nlohmann::json::array();
  for (uint8_t k : {3, 4}) {
    g["accounts"].push_back({{"address", key(k).address.to_string()},
                             {"balances",
                              {{{"asset", "BTT"}, {"amount", "100000000000"}},
                               {{"asset", "USD"}, {"amount", "5000"}}}}});
  }
  return testkit::add_tokenomics(g).dump();
}

struct Fixture {
  Fixture()
      : registry(chain::make_default_registry()),
        genesis(*chain::Genesis::parse(genesis_json(), *registry)),
        validator(key(1)) {
    reset();
  }
  // A fresh database and chain at height 0.
  void reset() {
    chain.reset();
    db.reset();
    const auto path = dir.path() / ("db" + std::to_string(generation++));
    std::filesystem::remove_all(dir.path() / ("db" + std::to_string(generation - 2)));
    storage::DatabaseOptions options;
    options.sync_writes = false;
    options.block_cache_mb = 8;
    db = storage::Database::open(path, options).value();
    chain = chain::Chain::open(*db, *registry, genesis).value();
  }

  testkit::TempDir dir{"btt-fuzz-block"};
  std::unique_ptr<chain::ModuleRegistry> registry;
  chain::Genesis genesis;
  crypto::KeyPair validator;
  std::unique_ptr<storage::Database> db;
  std::unique_ptr<chain::Chain> chain;
  int generation = 0;
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

void repair(Fixture& f, v1::Block& block, bool fix_root) {
  v1::BlockHeader h;
  (void)h.ParseFromString(block.header());  // keep what decodes; the rest is set below
  const v1::ChainTip tip = f.chain->tip();
  h.set_chain_id(kChainId);
  h.set_height(tip.height() + 1);
  h.set_prev_hash(tip.block_hash());
  if (h.time_ms() <= tip.time_ms()) h.set_time_ms(tip.time_ms() + 1 + h.time_ms() % 100'000);
  h.set_proposer(f.validator.address.to_string());
  if (fix_root) {
    std::vector<chain::TxPtr> txs;
    for (const auto& tx : block.txs()) {
      auto d = chain::decode_tx(tx, 1u << 20);
      if (d) txs.push_back(*d);
    }
    if (txs.size() == static_cast<size_t>(block.txs_size())) {
      h.set_tx_root(to_bytes(chain::tx_root(txs)));
      h.set_tx_count(static_cast<uint32_t>(txs.size()));
    }
    h.set_evidence_root(
        chain::evidence_root(std::vector<Bytes>(block.evidence().begin(), block.evidence().end())));
  }
  block.set_header(h.SerializeAsString());
  auto sig =
      crypto::schnorr_sign(f.validator.secret_key, chain::block_hash(block.header()), kZeroAux);
  if (sig) block.set_signature(std::string(as_view(*sig)));
}

v1::Tx transfer(const crypto::KeyPair& from, const crypto::KeyPair& to, uint64_t nonce,
                const std::string& asset, uint64_t amount) {
  return testkit::signed_transfer(from,
                                  {.chain_id = kChainId,
                                   .to = to.address.to_string(),
                                   .amount = amount,
                                   .nonce = nonce,
                                   .asset = asset},
                                  kZeroAux);
}

// A tx with one MsgBurn of `amount` BTT.
v1::Tx burn(const crypto::KeyPair& from, uint64_t nonce, uint64_t amount) {
  v1::TxBody body = testkit::transfer_body(
      from, {.chain_id = kChainId, .to = from.address.to_string(), .nonce = nonce});
  body.clear_messages();
  body.add_messages()->mutable_burn()->set_amount(amount);
  return chain::sign_tx(body, from.secret_key, kZeroAux);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  Fixture& f = fixture();
  v1::Block block;
  if (!block.ParseFromArray(data + 1, static_cast<int>(size - 1))) return 0;
  if (data[0] & 1) repair(f, block, (data[0] & 2) != 0);

  const v1::ChainTip before = f.chain->tip();
  auto applied = f.chain->apply(block);
  const v1::ChainTip after = f.chain->tip();
  if (!applied) {
    // A refused block is refused whole, with a reason, and leaves the chain where it was.
    BTT_FUZZ_CHECK(!applied.status().message().empty());
    BTT_FUZZ_CHECK(after.height() == before.height());
    BTT_FUZZ_CHECK(after.block_hash() == before.block_hash());
    BTT_FUZZ_CHECK(after.state_hash() == before.state_hash());
    return 0;
  }
  BTT_FUZZ_CHECK(after.height() == before.height() + 1);
  BTT_FUZZ_CHECK(after.block_hash() == to_bytes(applied->hash));
  BTT_FUZZ_CHECK(f.chain->block_at(after.height()).has_value());
  f.reset();  // the next input meets the genesis state again
  return 0;
}

// Seeds: blocks at height 1 proposed by the genesis validator over the fuzz genesis.
extern "C" int BttFuzzWriteSeeds(const char* dir) {
  Fixture& f = fixture();
  const auto k3 = key(3);
  const auto k4 = key(4);
  struct Seed {
    std::string name;
    std::vector<v1::Tx> txs;
  };
  const std::vector<Seed> seeds = {
      {"empty", {}},
      {"transfer", {transfer(k3, k4, 0, "BTT", 150'000'000)}},
      {"two_senders", {transfer(k3, k4, 0, "BTT", 1), transfer(k4, k3, 0, "USD", 25)}},
      {"chain_of_nonces",
       {transfer(k3, k4, 0, "BTT", 1), transfer(k3, k4, 1, "BTT", 2),
        transfer(k3, k4, 2, "USD", 3)}},
      {"failing_with_fee", {transfer(k3, k4, 0, "USD", 999'999)}},
      {"burns", {burn(k3, 0, 7), burn(k4, 0, 2'000'000'000'000)}},
  };
  for (const auto& seed : seeds) {
    std::vector<chain::TxPtr> txs;
    for (const auto& tx : seed.txs) txs.push_back(*chain::decode_tx(tx, 1u << 20));
    auto committed = f.chain->propose(txs, kGenesisTimeMs + 1000, f.validator);
    if (!committed) {
      std::fprintf(stderr, "seed %s: %s\n", seed.name.c_str(),
                   committed.status().to_string().c_str());
      return 1;
    }
    const std::string bytes = committed->block.SerializeAsString();
    // As produced (applies as is), and the same block to be repaired (reaches execution).
    std::ofstream(std::filesystem::path(dir) / ("valid_" + seed.name), std::ios::binary)
        << '\x00' << bytes;
    std::ofstream(std::filesystem::path(dir) / ("repair_" + seed.name), std::ios::binary)
        << '\x03' << bytes;
    f.reset();
  }
  // Evidence of the validator's double prevote. A block at height 1 cannot carry evidence (it
  // must be of a lower height), so both are refused, after decoding and checking it.
  {
    v1::Evidence e;
    for (auto* v : {e.mutable_duplicate_vote()->mutable_vote_a(),
                    e.mutable_duplicate_vote()->mutable_vote_b()}) {
      v->set_type(v1::PREVOTE);
      v->set_height(1);
      v->set_round(0);
      v->set_validator(f.validator.address.to_string());
      v->set_timestamp_ms(kGenesisTimeMs);
    }
    e.mutable_duplicate_vote()->mutable_vote_a()->set_block_id(std::string(32, '\x01'));
    e.mutable_duplicate_vote()->mutable_vote_b()->set_block_id(std::string(32, '\x02'));
    chain::KeySigner signer(f.validator, /*deterministic_aux=*/true);
    if (!signer.sign_vote(kChainId, *e.mutable_duplicate_vote()->mutable_vote_a()) ||
        !signer.sign_vote(kChainId, *e.mutable_duplicate_vote()->mutable_vote_b())) {
      return 1;
    }
    auto committed = f.chain->propose({}, kGenesisTimeMs + 1000, f.validator);
    if (!committed) return 1;
    v1::Block block = committed->block;
    block.add_evidence(e.SerializeAsString());
    const std::string bytes = block.SerializeAsString();
    std::ofstream(std::filesystem::path(dir) / "refused_evidence_root", std::ios::binary)
        << '\x00' << bytes;
    std::ofstream(std::filesystem::path(dir) / "repair_evidence", std::ios::binary)
        << '\x03' << bytes;
    f.reset();
  }
  return 0;
}

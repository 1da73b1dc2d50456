// btt-bench: throughput of the real block path.
//
// Applies blocks of pre-signed transfers from many senders through Chain::propose, which is what
// the validator runs for every block: parallel BIP340 verification on all cores, sequential
// deterministic apply, and one atomic RocksDB commit per block. Then measures the raw BIP340
// verify rate of this machine on all cores. Prints one figure a line as `name: value`.
//
//   btt-bench [--txs N] [--senders N] [--block-txs N] [--verify-ms N]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench_util.h"
#include "btt/chain/chain.h"
#include "btt/crypto/hash.h"
#include "testkit/genesis_json.h"
#include "testkit/temp_dir.h"
#include "testkit/txs.h"

namespace {

using namespace btt;
using bench::arg;
using bench::Clock;
using bench::parallel_for;
using bench::seconds_since;

crypto::KeyPair bench_key(size_t i) {
  auto h = crypto::sha256("btt-bench-key/" + std::to_string(i));
  crypto::SecretKey sk;
  std::copy(h.begin(), h.end(), sk.begin());
  return *crypto::KeyPair::from_secret(sk);
}

}  // namespace

constexpr const char* kUsage =
    "usage: btt-bench [--txs N] [--senders N] [--block-txs N] [--verify-ms N] [--sync 0|1]\n";

int main(int argc, char** argv) {
  for (int i = 1; i < argc; i += 2) {
    static const std::vector<std::string> kKnown = {"--txs", "--senders", "--block-txs",
                                                    "--verify-ms", "--sync"};
    if (std::find(kKnown.begin(), kKnown.end(), argv[i]) == kKnown.end() || i + 1 >= argc) {
      std::cerr << kUsage;
      return std::strcmp(argv[i], "--help") == 0 ? 0 : 2;
    }
  }
  const size_t total_txs = arg(argc, argv, "--txs", 60000);
  const size_t senders = arg(argc, argv, "--senders", 6000);
  const size_t block_txs = arg(argc, argv, "--block-txs", 5000);
  const size_t verify_ms = arg(argc, argv, "--verify-ms", 3000);
  const size_t per_sender = (total_txs + senders - 1) / senders;

  std::cerr << "btt-bench: " << total_txs << " transfers from " << senders
            << " senders in blocks of " << block_txs << "\n";
  std::vector<crypto::KeyPair> keys(senders);
  parallel_for(senders, [&](size_t i) { keys[i] = bench_key(i); });
  auto validator = bench_key(senders + 1);

  nlohmann::json g;
  g["chain_id"] = "btt-bench-1";
  g["genesis_time"] = "2026-01-01T00:00:00Z";
  g["params"] = {{"max_block_txs", static_cast<uint32_t>(block_txs)},
                 {"max_block_bytes", std::to_string(block_txs * 1024)}};
  g["validators"] = {{{"public_key", to_hex(validator.public_key)}, {"power", "1"}}};
  g["accounts"] = nlohmann::json::array();
  for (const auto& k : keys) {
    g["accounts"].push_back({{"address", k.address.to_string()},
                             {"balances", {{{"asset", "BTT"}, {"amount", "100000000000"}}}}});
  }
  auto registry = chain::make_default_registry();
  auto genesis = chain::Genesis::parse(testkit::add_tokenomics(g).dump(), *registry);
  if (!genesis) {
    std::cerr << genesis.status().to_string() << "\n";
    return 1;
  }

  // Pre-sign: tx j of sender s has nonce j and pays the next sender.
  std::vector<chain::TxPtr> txs(per_sender * senders);
  auto t_sign = Clock::now();
  parallel_for(txs.size(), [&](size_t i) {
    size_t round = i / senders, s = i % senders;
    auto tx = testkit::signed_transfer(keys[s], {.chain_id = "btt-bench-1",
                                                 .to = keys[(s + 1) % senders].address.to_string(),
                                                 .amount = 1 + round,
                                                 .nonce = round});
    txs[i] = *chain::decode_tx(tx, 1 << 20);
  });
  txs.resize(total_txs);
  std::cerr << "btt-bench: signed in " << seconds_since(t_sign) << " s\n";

  testkit::TempDir dir("btt-bench");
  storage::DatabaseOptions db_options;
  db_options.sync_writes = arg(argc, argv, "--sync", 1) != 0;
  auto db = storage::Database::open(dir.path() / "db", db_options);
  if (!db) {
    std::cerr << db.status().to_string() << "\n";
    return 1;
  }
  auto chain = chain::Chain::open(**db, *registry, *genesis);
  if (!chain) {
    std::cerr << chain.status().to_string() << "\n";
    return 1;
  }

  // Apply: blocks in order, each through the full propose path.
  size_t applied = 0;
  uint64_t execute_us = 0, commit_us = 0;
  uint64_t time_ms = genesis->genesis_time_ms;
  auto t_apply = Clock::now();
  for (size_t start = 0; start < txs.size(); start += block_txs) {
    std::vector<chain::TxPtr> block(
        txs.begin() + static_cast<long>(start),
        txs.begin() + static_cast<long>(std::min(txs.size(), start + block_txs)));
    time_ms += 1000;
    auto b = (*chain)->propose(block, time_ms, validator);
    if (!b) {
      std::cerr << b.status().to_string() << "\n";
      return 1;
    }
    for (const auto& r : b->result.txs()) {
      if (r.code() != 0) {
        std::cerr << "tx failed: " << r.log() << "\n";
        return 1;
      }
    }
    applied += b->txs.size();
    execute_us += b->execute_us;
    commit_us += b->commit_us;
  }
  double apply_s = seconds_since(t_apply);
  if (applied != txs.size()) {
    std::cerr << "only " << applied << " of " << txs.size() << " txs were included\n";
    return 1;
  }
  double apply_rate = static_cast<double>(applied) / apply_s;

  // Raw BIP340 verification on all cores.
  std::atomic<uint64_t> verified{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> pool;
  auto t_verify = Clock::now();
  for (unsigned t = 0; t < std::max(1u, std::thread::hardware_concurrency()); ++t) {
    pool.emplace_back([&, t] {
      uint64_t n = 0;
      for (size_t i = t; !stop.load(std::memory_order_relaxed); i = (i + 7) % txs.size()) {
        const auto& tx = *txs[i];
        if (!crypto::schnorr_verify(tx.public_key, tx.sighash, tx.signature)) std::abort();
        ++n;
      }
      verified += n;
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(verify_ms));
  stop = true;
  for (auto& th : pool) th.join();
  double verify_rate = static_cast<double>(verified.load()) / seconds_since(t_verify);

  std::printf("transfer_apply_tx_per_s: %.0f\n", apply_rate);
  std::printf("schnorr_verify_per_s_all_cores: %.0f\n", verify_rate);
  std::printf("apply_to_verify_ratio: %.3f\n", apply_rate / verify_rate);
  std::printf("execute_us_per_tx: %.2f\n", static_cast<double>(execute_us) / applied);
  std::printf("commit_us_per_tx: %.2f\n", static_cast<double>(commit_us) / applied);
  std::printf("cores: %u\n", std::thread::hardware_concurrency());
  std::printf("blocks: %zu\n", (txs.size() + block_txs - 1) / block_txs);
  return 0;
}

// btt-bench-payfi: PayFi payments against plain transfers through the real block path, and what
// settling a cycle of many pending payments costs per block (issue 14 "Benchmark"; doc/payfi.md
// "Benchmark").
//
// Part 1, one chain (RocksDB, fsync per block, Chain::propose as the validator runs it): N
// pre-signed transfers, then N pre-signed MsgPay from the same senders to P payees, with a
// settlement cycle of 10 blocks so cycles close and settle while payments flow. Prints both
// rates and their ratio.
// Part 2, another chain with a one-day cycle: M payments wait in one cycle, then the cycle closes
// and every block's propose is timed until nothing is pending; per block as milliseconds and as a
// ratio to one BIP340 verify on one core measured in the same run.
//
//   btt-bench-payfi [--txs N (default 40000)] [--senders N (4000)] [--payees P (100)]
//                   [--block-txs N (5000)] [--pending M (100000)] [--budget B (2000)]
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
#include "btt/modules/payfi/view.h"
#include "testkit/genesis_json.h"
#include "testkit/temp_dir.h"
#include "testkit/txs.h"
#include "verify_bound.h"

namespace {

using namespace btt;
using bench::arg;
using bench::Clock;
using bench::parallel_for;
using bench::seconds_since;
constexpr const char* kChainId = "btt-bench-payfi";

crypto::KeyPair bench_key(const std::string& tag, size_t i) {
  auto h = crypto::sha256("btt-bench-payfi/" + tag + "/" + std::to_string(i));
  crypto::SecretKey sk;
  std::copy(h.begin(), h.end(), sk.begin());
  return *crypto::KeyPair::from_secret(sk);
}

chain::TxPtr sign(const crypto::KeyPair& from, uint64_t nonce, v1::Message m) {
  v1::TxBody body;
  body.set_chain_id(kChainId);
  body.set_sender(from.address.to_string());
  body.set_public_key(std::string(as_view(from.public_key)));
  body.set_nonce(nonce);
  body.set_fee(1000);
  *body.add_messages() = std::move(m);
  return *chain::decode_tx(chain::sign_tx(body, from.secret_key), 1 << 20);
}

v1::Message pay_msg(const crypto::KeyPair& payee, uint64_t amount, const std::string& id) {
  v1::Message m;
  auto* p = m.mutable_pay();
  p->set_payee(payee.address.to_string());
  p->set_amount(amount);
  p->set_asset("BTT");
  p->set_reference("bench");
  p->set_client_payment_id(id);
  return m;
}

v1::Message payee_msg() {
  v1::Message m;
  m.mutable_register_payee()->set_name_hash(std::string(32, 'b'));
  m.mutable_register_payee()->set_category("bench");
  m.mutable_register_payee()->set_settlement_asset("BTT");
  return m;
}

struct Bench {
  std::vector<crypto::KeyPair> senders;
  std::vector<crypto::KeyPair> payees;
  crypto::KeyPair validator = bench_key("validator", 0);
  testkit::TempDir dir{"btt-bench-payfi"};
  std::unique_ptr<chain::ModuleRegistry> registry = chain::make_default_registry();
  std::unique_ptr<storage::Database> db;
  std::unique_ptr<chain::Chain> chain;
  uint64_t time_ms = 0;

  // A chain whose senders and payees hold BTT, with PayFi on at `cycle_ms`.
  bool open(size_t n_senders, size_t n_payees, size_t block_txs, uint64_t cycle_ms,
            uint64_t budget) {
    senders.resize(n_senders);
    payees.resize(n_payees);
    parallel_for(n_senders, [&](size_t i) { senders[i] = bench_key("sender", i); });
    parallel_for(n_payees, [&](size_t i) { payees[i] = bench_key("payee", i); });
    nlohmann::json g;
    g["chain_id"] = kChainId;
    g["genesis_time"] = "2026-01-01T00:00:00Z";
    g["params"] = {{"max_block_txs", static_cast<uint32_t>(block_txs)},
                   {"max_block_bytes", std::to_string(block_txs * 1024)}};
    g["validators"] = {{{"public_key", to_hex(validator.public_key)}, {"power", "1"}}};
    g["accounts"] = nlohmann::json::array();
    for (const auto* keys : {&senders, &payees}) {
      for (const auto& k : *keys) {
        g["accounts"].push_back({{"address", k.address.to_string()},
                                 {"balances", {{{"asset", "BTT"}, {"amount", "100000000000"}}}}});
      }
    }
    g["modules"]["payfi"] = {{"params",
                              {{"settlement_cycle_ms", std::to_string(cycle_ms)},
                               {"settlement_budget_per_block", budget}}}};
    auto genesis = chain::Genesis::parse(testkit::add_tokenomics(g).dump(), *registry);
    if (!genesis) {
      std::cerr << genesis.status().to_string() << "\n";
      return false;
    }
    storage::DatabaseOptions options;
    options.sync_writes = true;
    auto opened = storage::Database::open(dir.path() / "db", options);
    if (!opened) {
      std::cerr << opened.status().to_string() << "\n";
      return false;
    }
    db = std::move(*opened);
    auto c = chain::Chain::open(*db, *registry, *genesis);
    if (!c) {
      std::cerr << c.status().to_string() << "\n";
      return false;
    }
    chain = std::move(*c);
    time_ms = genesis->genesis_time_ms;
    return true;
  }

  // Proposes blocks of `txs` (every one must succeed); returns the seconds it took.
  double run(const std::vector<chain::TxPtr>& txs, size_t block_txs) {
    const auto t0 = Clock::now();
    for (size_t start = 0; start < txs.size(); start += block_txs) {
      std::vector<chain::TxPtr> block(
          txs.begin() + static_cast<long>(start),
          txs.begin() + static_cast<long>(std::min(txs.size(), start + block_txs)));
      if (!propose(block)) std::exit(1);
    }
    return seconds_since(t0);
  }

  bool propose(const std::vector<chain::TxPtr>& block) {
    time_ms += 1000;
    auto b = chain->propose(block, time_ms, validator);
    if (!b) {
      std::cerr << b.status().to_string() << "\n";
      return false;
    }
    for (const auto& r : b->result.txs()) {
      if (r.code() != 0) {
        std::cerr << "tx failed: " << r.log() << "\n";
        return false;
      }
    }
    if (b->txs.size() != block.size()) {
      std::cerr << "only " << b->txs.size() << " of " << block.size() << " txs were included\n";
      return false;
    }
    return true;
  }

  void register_payees(size_t block_txs) {
    std::vector<chain::TxPtr> txs(payees.size());
    parallel_for(payees.size(), [&](size_t i) { txs[i] = sign(payees[i], 0, payee_msg()); });
    run(txs, block_txs);
  }

  // `count` payments, round-robin over senders (from nonce `first_nonce`) and payees.
  std::vector<chain::TxPtr> payments(size_t count, uint64_t first_nonce) {
    std::vector<chain::TxPtr> txs(count);
    parallel_for(count, [&](size_t i) {
      const size_t s = i % senders.size();
      const uint64_t round = i / senders.size();
      txs[i] = sign(senders[s], first_nonce + round,
                    pay_msg(payees[i % payees.size()], 1'000 + round,
                            "bench-" + std::to_string(first_nonce + round)));
    });
    return txs;
  }
};

}  // namespace

int main(int argc, char** argv) {
  const size_t total = arg(argc, argv, "--txs", 40'000);
  const size_t n_senders = arg(argc, argv, "--senders", 4'000);
  const size_t n_payees = arg(argc, argv, "--payees", 100);
  const size_t block_txs = arg(argc, argv, "--block-txs", 5'000);
  const size_t pending = arg(argc, argv, "--pending", 100'000);
  const uint64_t budget = arg(argc, argv, "--budget", 2'000);

  // --- part 1: payments beside plain transfers, settling every 10 blocks ---
  double transfer_rate = 0;
  double payment_rate = 0;
  uint64_t settled_in_run = 0;
  {
    Bench b;
    if (!b.open(n_senders, n_payees, block_txs, 10'000, budget)) return 1;
    b.register_payees(block_txs);
    std::vector<chain::TxPtr> transfers(total);
    parallel_for(total, [&](size_t i) {
      const size_t s = i % n_senders;
      transfers[i] = *chain::decode_tx(
          testkit::signed_transfer(b.senders[s],
                                   {.chain_id = kChainId,
                                    .to = b.senders[(s + 1) % n_senders].address.to_string(),
                                    .amount = 1,
                                    .nonce = i / n_senders}),
          1 << 20);
    });
    const uint64_t next_nonce = (total + n_senders - 1) / n_senders;
    auto pays = b.payments(total, next_nonce);
    std::cerr << "btt-bench-payfi: " << total << " transfers, then " << total << " payments to "
              << n_payees << " payees, blocks of " << block_txs << "\n";
    transfer_rate = static_cast<double>(total) / b.run(transfers, block_txs);
    payment_rate = static_cast<double>(total) / b.run(pays, block_txs);
    auto view = b.chain->read_view();
    modules::payfi::PayFiView v(*view.state);
    for (const auto& p : b.payees) {
      for (const auto& s : v.settlements_of(p.address, 0, 1000)) settled_in_run += s.payments();
    }
  }

  // --- part 2: one cycle with `pending` payments, then its settlement block by block ---
  std::vector<double> block_ms;
  size_t blocks_to_settle = 0;
  {
    Bench b;
    if (!b.open(n_senders, n_payees, block_txs, 86'400'000, budget)) return 1;
    b.register_payees(block_txs);
    auto pays = b.payments(pending, 0);
    b.run(pays, block_txs);
    b.time_ms += 86'400'000;  // the cycle ends
    for (int guard = 0; guard < 100'000; ++guard) {
      const auto t0 = Clock::now();
      if (!b.propose({})) return 1;
      block_ms.push_back(seconds_since(t0) * 1000);
      ++blocks_to_settle;
      auto view = b.chain->read_view();
      bool any = false;
      view.state->scan("pay/queue/", [&](std::string_view, std::string_view) {
        any = true;
        return false;
      });
      if (!any) break;
    }
  }
  const double verify_us = bench::bip340_verify_us();
  const double max_ms = *std::max_element(block_ms.begin(), block_ms.end());
  double sum_ms = 0;
  for (double ms : block_ms) sum_ms += ms;
  const double avg_ms = sum_ms / static_cast<double>(block_ms.size());

  std::printf("transfer_apply_tx_per_s: %.0f\n", transfer_rate);
  std::printf("payment_apply_tx_per_s: %.0f\n", payment_rate);
  std::printf("payment_to_transfer_ratio: %.3f\n", payment_rate / transfer_rate);
  std::printf("payments_settled_during_run: %llu\n",
              static_cast<unsigned long long>(settled_in_run));
  std::printf("pending_payments: %zu\n", pending);
  std::printf("settlement_budget_per_block: %llu\n", static_cast<unsigned long long>(budget));
  std::printf("settlement_blocks: %zu\n", blocks_to_settle);
  std::printf("settlement_block_max_ms: %.2f\n", max_ms);
  std::printf("settlement_block_avg_ms: %.2f\n", avg_ms);
  std::printf("verify_us_one_core: %.2f\n", verify_us);
  std::printf("settlement_block_max_in_verifies: %.0f\n", max_ms * 1000 / verify_us);
  std::printf("settlement_block_avg_in_verifies: %.0f\n", avg_ms * 1000 / verify_us);
  std::printf("cores: %u\n", std::thread::hardware_concurrency());
  return 0;
}

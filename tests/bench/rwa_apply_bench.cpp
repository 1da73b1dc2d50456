// btt-bench-rwa-apply: RWA order matching through the module's real apply path (issue 15
// "Benchmark"; doc/rwa-exchange.md "Benchmark"): signed MsgPlaceOrder txs decoded, verified,
// prechecked and executed by the executor over the in-memory state (testkit::TestEnv with
// invariants off), with compliance (KYC) checked for both sides of every fill, balances, escrow,
// trades and events written.
//
// Set-up: S sellers (KYC'd) rest R sell orders of 10 fractions at 1,000 price levels. Measured: T
// IOC buy takers from B buyers, each crossing F makers at the top of the book, so the book holds
// R - T x F orders at the end. Prints matches/s (fills per second of the taker txs), taker txs/s,
// and a BIP340 verify on one core measured in the same run (each taker tx verifies one
// signature), per run and as a summary.
//
//   btt-bench-rwa-apply [--resting R (100000)] [--takers T (2000)] [--fills F (8)]
//                       [--block-txs B (500)] [--runs N (3)]
//
// The takers' blocks close every B txs: the makers a block fills are erased in the block's
// overlay, and every later taker's scan of the book steps over those tombstones until the block
// commits (the same holds for RocksDB until compaction), so the cost per fill grows with B.
#include <algorithm>
#include <cstdio>
#include <vector>

#include "bench_util.h"
#include "btt/modules/roles/roles.h"
#include "btt/modules/rwa/rwa.h"
#include "testkit/test_env.h"
#include "unit/modules/rwa_fixture.h"
#include "verify_bound.h"

namespace {

using namespace btt;
using namespace btt::testkit;
using bench::arg;
using bench::Clock;
using bench::seconds_since;

constexpr uint64_t kMakerAmount = 10;
constexpr uint64_t kLevels = 1'000;
constexpr uint64_t kLowAsk = 10'000;
constexpr uint64_t kSellers = 100;
constexpr uint64_t kBuyers = 100;
constexpr uint64_t kTxsPerBlock = 2'000;

v1::Message order(v1::OrderSide side, uint64_t price, uint64_t amount, v1::TimeInForce tif) {
  v1::Message m;
  auto* o = m.mutable_place_order();
  o->set_asset(kDic);
  o->set_quote_asset("BTT");
  o->set_side(side);
  o->set_price(price);
  o->set_amount(amount);
  o->set_time_in_force(tif);
  return m;
}

struct RunFigures {
  double seconds = 0;
  uint64_t fills = 0;
  uint64_t txs = 0;
  uint64_t book_after = 0;
};

RunFigures run(uint64_t resting, uint64_t takers, uint64_t fills, uint64_t block_txs) {
  namespace roles = modules::roles;
  const nlohmann::json params = {{"max_open_orders", resting},
                                 {"max_fills_per_block", 100'000'000},
                                 {"max_fills_per_tx", std::max<uint64_t>(fills, 100)}};
  TestEnv env(rwa_sections(params), staking_validators());
  env.set_check_invariants(false);
  const Account& attester = env.account("attester", 10 * kUnitsPerBtt);
  const Account& valuer = env.account("valuer", 10 * kUnitsPerBtt);
  const Account& feeder = env.account("feeder", 10 * kUnitsPerBtt);
  const Account& clinic = env.account("clinic", 100'000 * kUnitsPerBtt);
  roles::grant_at_genesis(env.ledger_state(), env.direct_events(), roles::kKycAttester,
                          attester.address());
  roles::grant_at_genesis(env.ledger_state(), env.direct_events(), roles::kAssetValuer,
                          valuer.address());
  roles::grant_at_genesis(env.ledger_state(), env.direct_events(), roles::kPriceOracle,
                          feeder.address());
  auto apply = [&](const Account& who, const v1::Message& m) {
    auto out = env.apply(env.tx(who).message(m).sign());
    if (!out.status) {
      std::fprintf(stderr, "set-up tx failed: %s\n", out.status.to_string().c_str());
      std::exit(1);
    }
  };
  apply(feeder, price_msg(kCentInBtt, 1));
  const uint64_t expiry = env.time_ms() + 365ULL * 86'400'000;
  apply(attester, claim_msg(clinic, expiry, "DE"));
  apply(clinic, register_msg(valuer, 1'000'000'000, 1, 1'000'000));
  std::vector<const Account*> sellers;
  std::vector<const Account*> buyers;
  for (uint64_t i = 0; i < kSellers; ++i) {
    sellers.push_back(&env.account("seller-" + std::to_string(i), 10 * kUnitsPerBtt));
  }
  for (uint64_t i = 0; i < kBuyers; ++i) {
    buyers.push_back(&env.account("buyer-" + std::to_string(i), 100 * kUnitsPerBtt));
  }
  for (const Account* a : sellers) {
    apply(attester, claim_msg(*a, expiry, "DE"));
    apply(clinic, transfer_msg(*a, resting / kSellers * kMakerAmount + kMakerAmount));
  }
  for (const Account* a : buyers) apply(attester, claim_msg(*a, expiry, "DE"));
  env.close_block();
  for (uint64_t i = 0; i < resting; ++i) {
    apply(*sellers[i % kSellers],
          order(v1::ORDER_SIDE_SELL, kLowAsk + i % kLevels, kMakerAmount, v1::TIME_IN_FORCE_GTC));
    if (i % kTxsPerBlock == kTxsPerBlock - 1) env.close_block();
  }
  env.close_block();

  // The takers, signed before the clock starts.
  std::vector<chain::TxPtr> txs;
  for (uint64_t t = 0; t < takers; ++t) {
    txs.push_back(env.tx(*buyers[t % kBuyers])
                      .nonce(env.next_nonce(*buyers[t % kBuyers]) + t / kBuyers)
                      .message(order(v1::ORDER_SIDE_BUY, kLowAsk + kLevels, fills * kMakerAmount,
                                     v1::TIME_IN_FORCE_IOC))
                      .sign());
  }
  RunFigures f;
  const auto start = Clock::now();
  for (const auto& tx : txs) {
    auto out = env.apply(tx);
    for (const auto& e : out.events) f.fills += e.type() == "rwa.trade" ? 1 : 0;
    if (++f.txs % block_txs == 0) env.close_block();
  }
  f.seconds = seconds_since(start);
  env.close_block();
  f.book_after = 0;
  const auto depth = modules::rwa::RwaView(env.ledger_state()).depth(kDic, "BTT", 1'000);
  for (const auto& l : depth.asks()) f.book_after += l.orders();
  return f;
}

}  // namespace

int main(int argc, char** argv) {
  const uint64_t resting = arg(argc, argv, "--resting", 100'000);
  const uint64_t takers = arg(argc, argv, "--takers", 2'000);
  const uint64_t fills = std::max<uint64_t>(1, arg(argc, argv, "--fills", 8));
  const uint64_t runs = std::max<uint64_t>(1, arg(argc, argv, "--runs", 3));
  const uint64_t block_txs = std::max<uint64_t>(1, arg(argc, argv, "--block-txs", 500));
  std::printf(
      "btt-bench-rwa-apply: %llu resting sells, %llu IOC buy takers of %llu fills each, blocks of "
      "%llu txs, %llu runs (signed txs through the executor, KYC on both sides, in-memory state, "
      "one thread)\n",
      static_cast<unsigned long long>(resting), static_cast<unsigned long long>(takers),
      static_cast<unsigned long long>(fills), static_cast<unsigned long long>(block_txs),
      static_cast<unsigned long long>(runs));
  std::vector<double> rates;
  for (uint64_t i = 0; i < runs; ++i) {
    const RunFigures f = run(resting, takers, fills, block_txs);
    const double verify_us = bench::bip340_verify_us();
    const double rate = static_cast<double>(f.fills) / f.seconds;
    rates.push_back(rate);
    std::printf(
        "run %llu: %llu fills in %llu txs, %.3f s = %.0f matches/s, %.0f taker txs/s "
        "(%.1f us per tx = %.1f single-core verifies); %llu orders left in the book\n",
        static_cast<unsigned long long>(i + 1), static_cast<unsigned long long>(f.fills),
        static_cast<unsigned long long>(f.txs), f.seconds, rate,
        static_cast<double>(f.txs) / f.seconds, f.seconds * 1e6 / static_cast<double>(f.txs),
        f.seconds * 1e6 / static_cast<double>(f.txs) / verify_us,
        static_cast<unsigned long long>(f.book_after));
  }
  std::sort(rates.begin(), rates.end());
  std::printf("matches/s through the apply path: min %.0f, median %.0f, max %.0f (target 100000)\n",
              rates.front(), rates[rates.size() / 2], rates.back());
  return 0;
}

// btt-bench-rwa: the RWA exchange's matching engine alone (modules/rwa/exchange/book.h) over the
// in-memory book (issue 15 "Benchmark"; doc/rwa-exchange.md "Benchmark"). What it leaves out,
// the module's real apply path (tx decode, compliance, balances, the state overlay), the module's
// own benchmark adds.
//
// A book of R resting orders (half bids below, half asks above the spread, 10 fractions each,
// 1,000 owners, 1,000 price levels a side) takes T crossing IOC takers, alternately buying and
// selling, each sized to fill F makers at the top of the other side; after each taker the F
// filled makers are replaced by new resting orders at random levels, so the book stays at R
// orders. Every fill passes a fill check (allow-all that reads both owners). Prints, per run, the
// matches per second of the taker calls alone and with the replacement orders, and a summary.
//
//   btt-bench-rwa [--resting R (100000)] [--takers T (200000)] [--fills F (1)] [--runs N (5)]
#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

#include "bench_util.h"
#include "modules/rwa/exchange/book.h"

namespace {

using namespace btt;
using namespace btt::modules::rwa::exchange;
using bench::arg;
using bench::Clock;
using bench::seconds_since;

constexpr uint64_t kNow = 1'767'225'600'000;
constexpr uint64_t kMakerAmount = 10;
constexpr uint64_t kLevels = 1000;
constexpr uint64_t kBidTop = 9'999;   // bids at 9,000..9,999
constexpr uint64_t kAskLow = 10'000;  // asks at 10,000..10,999

crypto::Address owner(uint64_t n) {
  std::array<uint8_t, crypto::Address::kSize> b{};
  b[0] = 0xb7;
  b[18] = static_cast<uint8_t>(n >> 8);
  b[19] = static_cast<uint8_t>(n);
  return crypto::Address(b);
}

struct RunFigures {
  double taker_s = 0, total_s = 0;
  uint64_t fills = 0;
};

RunFigures run(uint64_t resting, uint64_t takers, uint64_t fills_per_taker, uint64_t seed) {
  std::mt19937_64 rng(seed);
  InMemoryBookStore store;
  BookConfig config;
  config.max_fills = static_cast<uint32_t>(std::max<uint64_t>(64, fills_per_taker));
  config.max_notional = UINT64_MAX / (uint64_t{config.max_fills} + 1);
  uint64_t next_id = 1;
  auto maker = [&](Side side) {
    const uint64_t level = rng() % kLevels;
    Order o;
    o.id = next_id++;
    o.owner = owner(rng() % 1000);
    o.side = side;
    o.price = side == Side::kBuy ? kBidTop - level : kAskLow + level;
    o.amount = kMakerAmount;
    return o;
  };
  for (uint64_t i = 0; i < resting; ++i) store.insert(maker(i % 2 == 0 ? Side::kBuy : Side::kSell));

  uint64_t checked = 0;
  const FillCheck check = [&checked](const FillProposal& p) {
    checked += p.maker.owner.bytes()[19] + p.taker.owner.bytes()[19];
    return Verdict::kAllow;
  };
  RunFigures f;
  const auto start = Clock::now();
  for (uint64_t t = 0; t < takers; ++t) {
    const Side side = t % 2 == 0 ? Side::kBuy : Side::kSell;
    Order taker;
    taker.id = next_id++;
    taker.owner = owner(1000 + t % 1000);  // never a maker's owner: no self-trade
    taker.side = side;
    taker.price = side == Side::kBuy ? kAskLow + kLevels : 1;
    taker.amount = kMakerAmount * fills_per_taker;
    taker.tif = TimeInForce::kIoc;
    const auto t0 = Clock::now();
    auto r = match(store, config, taker, kNow, check);
    f.taker_s += seconds_since(t0);
    if (!r || r->fills.size() != fills_per_taker) {
      std::fprintf(stderr, "taker %llu: unexpected result\n", static_cast<unsigned long long>(t));
      std::exit(1);
    }
    f.fills += r->fills.size();
    for (uint64_t i = 0; i < fills_per_taker; ++i) store.insert(maker(opposite(side)));
  }
  f.total_s = seconds_since(start);
  if (store.size() != resting || checked == 0) std::exit(1);
  return f;
}

}  // namespace

int main(int argc, char** argv) {
  const uint64_t resting = arg(argc, argv, "--resting", 100'000);
  const uint64_t takers = arg(argc, argv, "--takers", 200'000);
  const uint64_t fills = std::max<uint64_t>(1, arg(argc, argv, "--fills", 1));
  const uint64_t runs = std::max<uint64_t>(1, arg(argc, argv, "--runs", 5));
  std::printf(
      "btt-bench-rwa: %llu resting orders, %llu IOC takers of %llu fill(s) each, "
      "%llu runs (engine + in-memory book, one thread)\n",
      static_cast<unsigned long long>(resting), static_cast<unsigned long long>(takers),
      static_cast<unsigned long long>(fills), static_cast<unsigned long long>(runs));
  std::vector<double> rates;
  for (uint64_t i = 0; i < runs; ++i) {
    const RunFigures f = run(resting, takers, fills, 1000 + i);
    const double rate = static_cast<double>(f.fills) / f.taker_s;
    rates.push_back(rate);
    std::printf(
        "run %llu: %llu fills; takers %.3f s = %.0f matches/s; with the replacement "
        "orders %.3f s = %.0f matches/s\n",
        static_cast<unsigned long long>(i + 1), static_cast<unsigned long long>(f.fills), f.taker_s,
        rate, f.total_s, static_cast<double>(f.fills) / f.total_s);
  }
  std::sort(rates.begin(), rates.end());
  std::printf("matches/s (takers): min %.0f, median %.0f, max %.0f\n", rates.front(),
              rates[rates.size() / 2], rates.back());
  return 0;
}

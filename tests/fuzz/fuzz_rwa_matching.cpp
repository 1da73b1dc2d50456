// Fuzz target: the RWA order book's matching engine (modules/rwa/exchange/book.h) against the
// linear-scan reference model (testkit/rwa_book_model.h) on an order stream decoded from the
// input; aborts on the first difference in a result, the resting book or a balance, and on a
// broken property (a crossed book, work beyond the bounds, totals that do not add up).
//
// Input: two header bytes, then records of 6 bytes (a short tail is ignored).
//   byte 0   price_scale {1, 2, 3, 100}[bits 0-1], max_fills 1 + bits 2-4, max_removed 1 + bits 5-7
//   byte 1   owners 1 + bits 0-2, bit 3: a fill check vetoes some fills, bits 4-7: its salt
//   record   r0: bit 0 side, bits 1-2 time in force (3: cancel an earlier order instead),
//                bits 3-5 owner, bits 6-7 expiry (0: none, else now + 1 + r5 x 50 ms)
//            r1: price - 1 (or, for a cancel, with r2 the order id); r2, r3: amount - 1 (16 bits)
//            r4: block time advance in units of 100 ms
#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <vector>

#include "fuzz_check.h"
#include "modules/rwa/exchange/book.h"
#include "testkit/rwa_book_model.h"

using namespace btt;
using namespace btt::modules::rwa::exchange;

namespace {

crypto::Address owner(uint8_t n) {
  std::array<uint8_t, crypto::Address::kSize> b{};
  b[19] = n;
  return crypto::Address(b);
}

Verdict pseudo_check(const FillProposal& p, uint64_t salt) {
  uint64_t h = p.maker.id * 0x9e3779b97f4a7c15ULL + p.taker.id * 0xc2b2ae3d27d4eb4fULL + p.amount +
               salt * 0x165667b19e3779f9ULL;
  h ^= h >> 31;
  const uint64_t r = h % 16;
  if (r == 0) return Verdict::kCancelMaker;
  if (r == 1) return Verdict::kStopTaker;
  return Verdict::kAllow;
}

// Per owner: (fractions, quote) moved by fills; wrapping arithmetic is fine for a comparison.
using Balances = std::map<crypto::Address, std::pair<uint64_t, uint64_t>>;
void add_fills(Balances& b, const std::vector<Fill>& fills) {
  for (const Fill& f : fills) {
    const bool buy = f.taker_side == Side::kBuy;
    auto& t = b[f.taker_owner];
    auto& m = b[f.maker_owner];
    (buy ? t.first : m.first) += f.amount;
    (buy ? m.first : t.first) -= f.amount;
    (buy ? m.second : t.second) += f.quote;
    (buy ? t.second : m.second) -= f.quote;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  BookConfig config;
  config.price_scale = std::array<uint64_t, 4>{1, 2, 3, 100}[data[0] & 3];
  config.max_fills = 1 + ((data[0] >> 2) & 7);
  config.max_removed = 1 + ((data[0] >> 5) & 7);
  config.max_notional = 1ULL << 40;
  const uint8_t owners = 1 + (data[1] & 7);
  FillCheck check;
  if (data[1] & 8) {
    const uint64_t salt = data[1] >> 4;
    check = [salt](const FillProposal& p) { return pseudo_check(p, salt); };
  }

  InMemoryBookStore store;
  testkit::RwaBookModel model;
  Balances engine_bal, model_bal;
  uint64_t now = 1'767'225'600'000, next_id = 1;
  for (size_t at = 2; at + 6 <= size; at += 6) {
    const uint8_t* r = data + at;
    now += uint64_t{r[4]} * 100;
    const int tif = (r[0] >> 1) & 3;
    if (tif == 3) {  // a cancel
      const uint64_t id = 1 + (uint64_t{r[1]} | uint64_t{r[2]} << 8) % next_id;
      for (Side side : {Side::kBuy, Side::kSell}) {
        for (const Order& o : store.orders(side)) {
          if (o.id == id) store.erase(key_of(o));
        }
      }
      model.erase(id);
      continue;
    }
    Order o;
    o.id = next_id++;
    o.side = (r[0] & 1) ? Side::kSell : Side::kBuy;
    o.tif = static_cast<TimeInForce>(tif);
    o.owner = owner(((r[0] >> 3) & 7) % owners);
    o.expiry_ms = (r[0] >> 6) != 0 ? now + 1 + uint64_t{r[5]} * 50 : 0;
    o.price = 1 + uint64_t{r[1]};
    o.amount = 1 + (uint64_t{r[2]} << 8 | r[3]);
    BTT_FUZZ_CHECK(validate_order(config, o, now).is_ok());

    auto got = match(store, config, o, now, check);
    BTT_FUZZ_CHECK(got.is_ok());
    const MatchResult want = model.match(config, o, now, check);
    BTT_FUZZ_CHECK(*got == want);
    const auto bids = store.orders(Side::kBuy), asks = store.orders(Side::kSell);
    BTT_FUZZ_CHECK(bids == model.orders(Side::kBuy));
    BTT_FUZZ_CHECK(asks == model.orders(Side::kSell));
    add_fills(engine_bal, got->fills);
    add_fills(model_bal, want.fills);
    BTT_FUZZ_CHECK(engine_bal == model_bal);

    BTT_FUZZ_CHECK(bids.empty() || asks.empty() || bids.front().price < asks.front().price);
    BTT_FUZZ_CHECK(got->fills.size() <= config.max_fills);
    BTT_FUZZ_CHECK(got->removed.size() <= config.max_removed);
    BTT_FUZZ_CHECK(got->filled + (got->rested ? got->rested->amount : 0) + got->cancelled ==
                   o.amount);
    uint64_t filled = 0, quote = 0;
    for (const Fill& f : got->fills) {
      BTT_FUZZ_CHECK(f.maker_owner != f.taker_owner);
      BTT_FUZZ_CHECK(o.side == Side::kBuy ? f.price <= o.price : f.price >= o.price);
      filled += f.amount;
      quote += f.quote;
    }
    BTT_FUZZ_CHECK(filled == got->filled && quote == got->quote);
    BTT_FUZZ_CHECK(!got->killed || (got->fills.empty() && got->removed.empty()));
  }
  // Fills move fractions and quote between owners and create none.
  uint64_t fractions = 0, quote = 0;
  for (const auto& [who, b] : engine_bal) {
    fractions += b.first;
    quote += b.second;
  }
  BTT_FUZZ_CHECK(fractions == 0 && quote == 0);
  return 0;
}

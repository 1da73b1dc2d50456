#pragma once
// The RWA exchange's limit order book: a price-time-priority matching engine over an abstract,
// ordered store (doc/rwa-exchange.md). Pure and deterministic: no proto, no ledger state, no
// clock (the caller passes the block time), no floating point, no unordered containers.
//
// One book is one pair: an asset's fractions (the base) against BTT or a payment asset (the
// quote). Amounts are integers: `amount` in fractions, `quote` in the quote asset's base units.
//
// Price. `price` is quote base units per `BookConfig::price_scale` fractions, so a fill of
// `amount` fractions at `price` is worth price x amount / price_scale quote units. With
// price_scale 1 (the default) every quote is exact; with a larger scale a fill's quote that is not
// a whole number rounds in the maker's favour: up when the maker sells (the taker pays more), down
// when the maker buys (the maker pays less). No quote is ever rounded against a maker.
//
// Matching (match()). The taker crosses resting makers of the other side whose price is at or
// better than its limit, best price first, then the oldest (lowest id), each at the maker's price.
// On its way it removes, and reports, resting orders that must not trade:
//   - expired makers (expiry_ms != 0 and expiry_ms <= block time);
//   - makers of the taker's own owner: no self-trade; the resting order is cancelled and the
//     taker goes on (XRPL and Stellar cancel the maker the same way);
//   - makers the fill check vetoes with kCancelMaker (compliance of the maker's side); a vetoed
//     maker is cancelled, not skipped, so it cannot block the top of the book for every later
//     taker. kStopTaker (the taker's side fails) stops the taker: its remainder is cancelled.
// Bounded work: at most `max_fills` fills and `max_removed` removals per call. When a bound stops
// a taker that still crosses the book, its remainder is cancelled (never rested: it would cross
// the book), and the orders beyond the bound stay as they are for later calls.
// Time in force: GTC rests what is left once nothing crosses; IOC cancels it; FOK fills its whole
// amount or changes nothing at all (`killed`, the book untouched, no fill and no removal).
//
// The engine first plans the whole call walking the store read-only (best(), next_after()), then
// applies it (reduce, erase, insert), so a killed FOK writes nothing and a walk never sees its
// own writes. Every order a call can touch is among the first max_fills + max_removed + 1 of the
// other side, in priority order.
#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "btt/common/status.h"
#include "btt/crypto/address.h"

namespace btt::modules::rwa::exchange {

enum class Side : uint8_t {
  kBuy = 0,   // buys fractions, pays quote
  kSell = 1,  // sells fractions, receives quote
};
[[nodiscard]] constexpr Side opposite(Side s) {
  return s == Side::kBuy ? Side::kSell : Side::kBuy;
}

enum class TimeInForce : uint8_t {
  kGtc = 0,  // good till cancelled (or expiry): the remainder rests
  kIoc = 1,  // immediate or cancel: the remainder is cancelled
  kFok = 2,  // fill or kill: the whole amount fills in this call, or nothing happens
};

struct Order {
  uint64_t id = 0;  // > 0; assigned from one increasing counter: the time priority
  crypto::Address owner;
  Side side = Side::kBuy;
  uint64_t price = 0;   // > 0; quote base units per price_scale fractions
  uint64_t amount = 0;  // > 0; fractions still open
  TimeInForce tif = TimeInForce::kGtc;
  uint64_t expiry_ms = 0;  // block time from which the order is dead; 0 = never
  bool operator==(const Order&) const = default;
};

// An order's place in its side: priority order is ascending price for sells, descending price for
// buys, then ascending id in both.
struct OrderKey {
  Side side = Side::kBuy;
  uint64_t price = 0;
  uint64_t id = 0;
  bool operator==(const OrderKey&) const = default;
};
[[nodiscard]] inline OrderKey key_of(const Order& o) {
  return {o.side, o.price, o.id};
}
// True when `a` comes before `b` in their (common) side's priority order.
[[nodiscard]] bool before(const OrderKey& a, const OrderKey& b);
[[nodiscard]] bool is_expired(const Order& o, uint64_t block_time_ms);

// The 17 bytes of a state key whose ascending byte order is the priority order: side, then the
// price big-endian (inverted, UINT64_MAX - price, for buys), then the id big-endian. A RocksDB
// backed store can put it after its pair prefix.
[[nodiscard]] std::string priority_key_bytes(const OrderKey& key);

// Where the resting orders live. The module backs it with its state overlay; InMemoryBookStore
// below is the reference for tests and the bench. Reads return nullopt for "none"; the engine
// only calls reduce/erase on keys it read in the same call.
class BookStore {
 public:
  virtual ~BookStore() = default;
  // The first resting order of `side` in priority order.
  [[nodiscard]] virtual std::optional<Order> best(Side side) const = 0;
  // The resting order right after `key` in key.side's priority order (key itself need not rest).
  [[nodiscard]] virtual std::optional<Order> next_after(const OrderKey& key) const = 0;
  // Adds an order (its key is new).
  virtual void insert(const Order& order) = 0;
  // Sets a resting order's open amount to `amount` (0 < amount < its current amount).
  virtual void reduce(const OrderKey& key, uint64_t amount) = 0;
  // Removes a resting order.
  virtual void erase(const OrderKey& key) = 0;
};

// An ordered in-memory store (std::map per side).
class InMemoryBookStore final : public BookStore {
 public:
  [[nodiscard]] std::optional<Order> best(Side side) const override;
  [[nodiscard]] std::optional<Order> next_after(const OrderKey& key) const override;
  void insert(const Order& order) override;
  void reduce(const OrderKey& key, uint64_t amount) override;
  void erase(const OrderKey& key) override;

  // Every resting order of `side` in priority order.
  [[nodiscard]] std::vector<Order> orders(Side side) const;
  [[nodiscard]] std::optional<Order> find(const OrderKey& key) const;
  [[nodiscard]] size_t size() const { return buys_.size() + sells_.size(); }

 private:
  // (rank, id): rank = price for sells, UINT64_MAX - price for buys, so both ascend.
  using Rank = std::pair<uint64_t, uint64_t>;
  static Rank rank_of(const OrderKey& key);
  std::map<Rank, Order>& side_map(Side s) { return s == Side::kBuy ? buys_ : sells_; }
  const std::map<Rank, Order>& side_map(Side s) const { return s == Side::kBuy ? buys_ : sells_; }
  std::map<Rank, Order> buys_;
  std::map<Rank, Order> sells_;
};

struct BookConfig {
  uint64_t price_scale = 1;   // fractions per quoted price unit; >= 1
  uint32_t max_fills = 64;    // fills per match() call; >= 1
  uint32_t max_removed = 64;  // expired, self-trade and vetoed makers removed per call
  // Largest notional ceil(price x amount / price_scale) an order may have. With
  // (max_notional + 1) x max_fills <= UINT64_MAX (validate_config) no sum of a call overflows.
  uint64_t max_notional = UINT64_MAX / 65;
};
[[nodiscard]] Status validate_config(const BookConfig& config);

// The quote of a fill of `amount` fractions at `price`: rounded up when `round_up` (the maker
// sells), down otherwise. nullopt when it does not fit a uint64 or price_scale is 0.
[[nodiscard]] std::optional<uint64_t> quote_of(uint64_t price, uint64_t amount,
                                               uint64_t price_scale, bool round_up);
// What an order is worth at its limit, rounded up: ceil(price x amount / price_scale). A resting
// buy that escrows this much never runs short: each fill pays floor() of its part.
[[nodiscard]] std::optional<uint64_t> notional_of(const Order& order, uint64_t price_scale);

// Checks a new order: id > 0, price > 0, amount > 0, a known side and time in force, not expired
// at `block_time_ms`, notional within max_notional. kInvalidArgument otherwise.
[[nodiscard]] Status validate_order(const BookConfig& config, const Order& order,
                                    uint64_t block_time_ms);

// What the fill check is asked about one fill before it is planned.
struct FillProposal {
  const Order& maker;  // the resting order as it rests
  const Order& taker;  // the incoming order (amount: as it arrived)
  uint64_t amount;     // fractions of this fill
  uint64_t quote;      // its quote, rounded in the maker's favour
};
enum class Verdict : uint8_t {
  kAllow = 0,
  kCancelMaker = 1,  // the maker's side may not settle: cancel the maker, go on to the next one
  kStopTaker = 2,    // the taker's side may not settle: stop; the taker's remainder is cancelled
};
// Must be a pure function of the proposal and of state the call does not change (it may be
// called for a FOK that is then killed).
using FillCheck = std::function<Verdict(const FillProposal&)>;

struct Fill {
  uint64_t maker_id = 0;
  crypto::Address maker_owner;
  crypto::Address taker_owner;
  Side taker_side = Side::kBuy;
  uint64_t price = 0;       // the maker's price
  uint64_t amount = 0;      // fractions
  uint64_t quote = 0;       // quote units, rounded in the maker's favour
  uint64_t maker_left = 0;  // the maker's open amount after the fill (0: it left the book)
  bool operator==(const Fill&) const = default;
};

enum class RemovalReason : uint8_t {
  kExpired = 0,
  kSelfTrade = 1,  // a resting order of the taker's own owner
  kVetoed = 2,     // the fill check answered kCancelMaker
};
struct Removal {
  Order order;  // as it rested
  RemovalReason reason = RemovalReason::kExpired;
  bool operator==(const Removal&) const = default;
};

// Why matching ended.
enum class Stop : uint8_t {
  kFilled = 0,       // the taker's whole amount filled
  kNoCross = 1,      // no (more) resting order at the taker's limit
  kFillLimit = 2,    // max_fills reached while the book still crosses
  kRemoveLimit = 3,  // max_removed reached with another order to remove
  kTakerVetoed = 4,  // the fill check answered kStopTaker
};

struct MatchResult {
  std::vector<Fill> fills;       // in matching order
  std::vector<Removal> removed;  // in the order met
  uint64_t filled = 0;           // sum of fills' amounts
  uint64_t quote = 0;            // sum of fills' quotes
  std::optional<Order> rested;   // the GTC remainder now resting in the book
  uint64_t cancelled = 0;        // the taker's fractions neither filled nor rested
  bool killed = false;           // a FOK that could not fill: nothing was written
  Stop stop = Stop::kNoCross;
  // filled + rested amount + cancelled == the taker's amount, always.
  bool operator==(const MatchResult&) const = default;
};

// Matches `taker` (validated with validate_order) against `store` at `block_time_ms` and writes
// the outcome into the store. `check` may be empty (every fill allowed). Fails, with nothing
// written, only when the order or the config is invalid.
[[nodiscard]] Result<MatchResult> match(BookStore& store, const BookConfig& config,
                                        const Order& taker, uint64_t block_time_ms,
                                        const FillCheck& check = {});

}  // namespace btt::modules::rwa::exchange

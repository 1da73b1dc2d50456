#include "modules/rwa/exchange/book.h"

#include <limits>

#include "btt/common/checked.h"
#include "btt/common/u128.h"

namespace btt::modules::rwa::exchange {

bool before(const OrderKey& a, const OrderKey& b) {
  if (a.price != b.price) return a.side == Side::kBuy ? a.price > b.price : a.price < b.price;
  return a.id < b.id;
}

bool is_expired(const Order& o, uint64_t block_time_ms) {
  return o.expiry_ms != 0 && o.expiry_ms <= block_time_ms;
}

std::string priority_key_bytes(const OrderKey& key) {
  std::string out(17, '\0');
  out[0] = static_cast<char>(key.side);
  const uint64_t rank = key.side == Side::kBuy ? UINT64_MAX - key.price : key.price;
  for (int i = 0; i < 8; ++i) {
    out[static_cast<size_t>(1 + i)] = static_cast<char>(static_cast<uint8_t>(rank >> (56 - 8 * i)));
    out[static_cast<size_t>(9 + i)] =
        static_cast<char>(static_cast<uint8_t>(key.id >> (56 - 8 * i)));
  }
  return out;
}

// ------------------------------------------------------------------ InMemoryBookStore

InMemoryBookStore::Rank InMemoryBookStore::rank_of(const OrderKey& key) {
  return {key.side == Side::kBuy ? UINT64_MAX - key.price : key.price, key.id};
}

std::optional<Order> InMemoryBookStore::best(Side side) const {
  const auto& m = side_map(side);
  if (m.empty()) return std::nullopt;
  return m.begin()->second;
}

std::optional<Order> InMemoryBookStore::next_after(const OrderKey& key) const {
  const auto& m = side_map(key.side);
  auto it = m.upper_bound(rank_of(key));
  if (it == m.end()) return std::nullopt;
  return it->second;
}

void InMemoryBookStore::insert(const Order& order) {
  side_map(order.side).insert_or_assign(rank_of(key_of(order)), order);
}

void InMemoryBookStore::reduce(const OrderKey& key, uint64_t amount) {
  auto& m = side_map(key.side);
  auto it = m.find(rank_of(key));
  if (it != m.end()) it->second.amount = amount;
}

void InMemoryBookStore::erase(const OrderKey& key) {
  side_map(key.side).erase(rank_of(key));
}

std::vector<Order> InMemoryBookStore::orders(Side side) const {
  std::vector<Order> out;
  out.reserve(side_map(side).size());
  for (const auto& [rank, order] : side_map(side)) out.push_back(order);
  return out;
}

std::optional<Order> InMemoryBookStore::find(const OrderKey& key) const {
  const auto& m = side_map(key.side);
  auto it = m.find(rank_of(key));
  if (it == m.end()) return std::nullopt;
  return it->second;
}

// ------------------------------------------------------------------ amounts and validation

std::optional<uint64_t> quote_of(uint64_t price, uint64_t amount, uint64_t price_scale,
                                 bool round_up) {
  if (price_scale == 0) return std::nullopt;
  const u128 product = static_cast<u128>(price) * amount;
  u128 q = product / price_scale;
  if (round_up && product % price_scale != 0) ++q;
  if (q > UINT64_MAX) return std::nullopt;
  return static_cast<uint64_t>(q);
}

std::optional<uint64_t> notional_of(const Order& order, uint64_t price_scale) {
  return quote_of(order.price, order.amount, price_scale, true);
}

Status validate_config(const BookConfig& config) {
  if (config.price_scale == 0) return {Code::kInvalidArgument, "price_scale must be >= 1"};
  if (config.max_fills == 0) return {Code::kInvalidArgument, "max_fills must be >= 1"};
  if (config.max_removed == 0) return {Code::kInvalidArgument, "max_removed must be >= 1"};
  if (config.max_notional == 0) return {Code::kInvalidArgument, "max_notional must be >= 1"};
  const u128 worst = (static_cast<u128>(config.max_notional) + 1) * config.max_fills;
  if (worst > UINT64_MAX) {
    return {Code::kInvalidArgument, "(max_notional + 1) x max_fills must fit a uint64"};
  }
  return Status::ok();
}

Status validate_order(const BookConfig& config, const Order& order, uint64_t block_time_ms) {
  if (order.id == 0) return {Code::kInvalidArgument, "order id must be > 0"};
  if (order.side != Side::kBuy && order.side != Side::kSell) {
    return {Code::kInvalidArgument, "unknown side"};
  }
  if (order.tif != TimeInForce::kGtc && order.tif != TimeInForce::kIoc &&
      order.tif != TimeInForce::kFok) {
    return {Code::kInvalidArgument, "unknown time in force"};
  }
  if (order.price == 0) return {Code::kInvalidArgument, "price must be > 0"};
  if (order.amount == 0) return {Code::kInvalidAmount, "amount must be > 0"};
  if (is_expired(order, block_time_ms)) {
    return {Code::kInvalidArgument, "order expired at " + std::to_string(order.expiry_ms) +
                                        " <= block time " + std::to_string(block_time_ms)};
  }
  auto notional = notional_of(order, config.price_scale);
  if (!notional || *notional > config.max_notional) {
    return {Code::kLimitExceeded,
            "order notional above max_notional " + std::to_string(config.max_notional)};
  }
  return Status::ok();
}

// ------------------------------------------------------------------ matching

namespace {

bool crosses(const Order& taker, uint64_t maker_price) {
  return taker.side == Side::kBuy ? maker_price <= taker.price : maker_price >= taker.price;
}

}  // namespace

Result<MatchResult> match(BookStore& store, const BookConfig& config, const Order& taker,
                          uint64_t block_time_ms, const FillCheck& check) {
  if (auto s = validate_config(config); !s) return s;
  if (auto s = validate_order(config, taker, block_time_ms); !s) return s;

  MatchResult r;
  uint64_t remaining = taker.amount;
  const Side maker_side = opposite(taker.side);
  const bool maker_sells = maker_side == Side::kSell;
  bool stopped_early = false;  // a bound or a veto ended matching while the book crosses

  // Plan: walk the other side read-only.
  std::optional<Order> maker = store.best(maker_side);
  for (;;) {
    if (!maker || !crosses(taker, maker->price)) {
      r.stop = Stop::kNoCross;
      break;
    }
    std::optional<RemovalReason> remove;
    if (is_expired(*maker, block_time_ms)) {
      remove = RemovalReason::kExpired;
    } else if (maker->owner == taker.owner) {
      remove = RemovalReason::kSelfTrade;
    } else {
      if (r.fills.size() >= config.max_fills) {
        r.stop = Stop::kFillLimit;
        stopped_early = true;
        break;
      }
      const uint64_t amount = std::min(remaining, maker->amount);
      auto quote = quote_of(maker->price, amount, config.price_scale, maker_sells);
      if (!quote) return Status{Code::kInternal, "fill quote overflows"};
      Verdict verdict = Verdict::kAllow;
      if (check) verdict = check(FillProposal{*maker, taker, amount, *quote});
      if (verdict == Verdict::kStopTaker) {
        r.stop = Stop::kTakerVetoed;
        stopped_early = true;
        break;
      }
      if (verdict == Verdict::kCancelMaker) {
        remove = RemovalReason::kVetoed;
      } else {
        auto total = checked_add(r.quote, *quote);
        if (!total) return Status{Code::kInternal, "total quote overflows"};
        r.quote = *total;
        r.filled += amount;  // <= taker.amount
        remaining -= amount;
        r.fills.push_back(Fill{maker->id, maker->owner, taker.owner, taker.side, maker->price,
                               amount, *quote, maker->amount - amount});
        if (remaining == 0) {
          r.stop = Stop::kFilled;
          break;
        }
      }
    }
    if (remove) {
      if (r.removed.size() >= config.max_removed) {
        r.stop = Stop::kRemoveLimit;
        stopped_early = true;
        break;
      }
      r.removed.push_back(Removal{*maker, *remove});
    }
    maker = store.next_after(key_of(*maker));
  }

  if (taker.tif == TimeInForce::kFok && remaining > 0) {
    MatchResult killed;
    killed.killed = true;
    killed.cancelled = taker.amount;
    killed.stop = r.stop;
    return killed;
  }

  // Apply.
  for (const Fill& f : r.fills) {
    const OrderKey key{maker_side, f.price, f.maker_id};
    if (f.maker_left == 0) {
      store.erase(key);
    } else {
      store.reduce(key, f.maker_left);
    }
  }
  for (const Removal& rm : r.removed) store.erase(key_of(rm.order));
  if (remaining > 0) {
    if (taker.tif == TimeInForce::kGtc && !stopped_early) {
      Order rest = taker;
      rest.amount = remaining;
      store.insert(rest);
      r.rested = rest;
    } else {
      r.cancelled = remaining;
    }
  }
  return r;
}

}  // namespace btt::modules::rwa::exchange

#pragma once
// An obviously-correct reference model of the RWA order book (modules/rwa/exchange/book.h), for
// the unit test and the fuzz target: the resting orders in a plain vector, the best crossing maker
// found by a linear scan every step, matching done in place (a FOK on a copy). It shares no code
// with the engine but the types, and computes every quote with its own arithmetic.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

#include "btt/common/u128.h"
#include "modules/rwa/exchange/book.h"

namespace btt::testkit {

class RwaBookModel {
 public:
  using Order = modules::rwa::exchange::Order;
  using Side = modules::rwa::exchange::Side;
  using MatchResult = modules::rwa::exchange::MatchResult;
  using BookConfig = modules::rwa::exchange::BookConfig;
  using FillCheck = modules::rwa::exchange::FillCheck;

  // Every resting order of `side`, sorted best first (what InMemoryBookStore::orders returns).
  [[nodiscard]] std::vector<Order> orders(Side side) const {
    std::vector<Order> out;
    for (const Order& o : orders_) {
      if (o.side == side) out.push_back(o);
    }
    std::sort(out.begin(), out.end(), [](const Order& a, const Order& b) { return better(a, b); });
    return out;
  }

  void erase(uint64_t id) {
    orders_.erase(
        std::remove_if(orders_.begin(), orders_.end(), [&](const Order& o) { return o.id == id; }),
        orders_.end());
  }

  // The taker has been validated (validate_order) by the caller.
  MatchResult match(const BookConfig& config, const Order& taker, uint64_t now,
                    const FillCheck& check) {
    using namespace modules::rwa::exchange;
    const std::vector<Order> saved = orders_;
    MatchResult r;
    uint64_t remaining = taker.amount;
    bool early = false;
    for (;;) {
      // The best maker: a linear scan.
      std::optional<size_t> best;
      for (size_t i = 0; i < orders_.size(); ++i) {
        if (orders_[i].side == taker.side) continue;
        if (!best || better(orders_[i], orders_[*best])) best = i;
      }
      if (!best) {
        r.stop = Stop::kNoCross;
        break;
      }
      Order& m = orders_[*best];
      const bool crossing =
          taker.side == Side::kBuy ? m.price <= taker.price : m.price >= taker.price;
      if (!crossing) {
        r.stop = Stop::kNoCross;
        break;
      }
      std::optional<RemovalReason> why;
      if (m.expiry_ms != 0 && now >= m.expiry_ms) {
        why = RemovalReason::kExpired;
      } else if (m.owner == taker.owner) {
        why = RemovalReason::kSelfTrade;
      } else {
        if (r.fills.size() == config.max_fills) {
          r.stop = Stop::kFillLimit;
          early = true;
          break;
        }
        const uint64_t amount = remaining < m.amount ? remaining : m.amount;
        // The maker sells when the taker buys: round the quote up; else down.
        const u128 whole = static_cast<u128>(m.price) * amount;
        u128 q = whole / config.price_scale;
        if (taker.side == Side::kBuy && q * config.price_scale != whole) q += 1;
        const uint64_t quote = static_cast<uint64_t>(q);
        Verdict v = check ? check(FillProposal{m, taker, amount, quote}) : Verdict::kAllow;
        if (v == Verdict::kStopTaker) {
          r.stop = Stop::kTakerVetoed;
          early = true;
          break;
        }
        if (v == Verdict::kCancelMaker) {
          why = RemovalReason::kVetoed;
        } else {
          m.amount -= amount;
          remaining -= amount;
          r.filled += amount;
          r.quote += quote;
          r.fills.push_back(
              Fill{m.id, m.owner, taker.owner, taker.side, m.price, amount, quote, m.amount});
          if (m.amount == 0) orders_.erase(orders_.begin() + static_cast<std::ptrdiff_t>(*best));
          if (remaining == 0) {
            r.stop = Stop::kFilled;
            break;
          }
          continue;
        }
      }
      if (r.removed.size() == config.max_removed) {
        r.stop = Stop::kRemoveLimit;
        early = true;
        break;
      }
      r.removed.push_back(Removal{m, *why});
      orders_.erase(orders_.begin() + static_cast<std::ptrdiff_t>(*best));
    }
    if (taker.tif == TimeInForce::kFok && remaining != 0) {
      orders_ = saved;
      MatchResult k;
      k.killed = true;
      k.cancelled = taker.amount;
      k.stop = r.stop;
      return k;
    }
    if (remaining != 0) {
      if (taker.tif == TimeInForce::kGtc && !early) {
        Order rest = taker;
        rest.amount = remaining;
        orders_.push_back(rest);
        r.rested = rest;
      } else {
        r.cancelled = remaining;
      }
    }
    return r;
  }

 private:
  // a before b in their side's priority: best price (lowest ask, highest bid), then oldest.
  static bool better(const Order& a, const Order& b) {
    if (a.price == b.price) return a.id < b.id;
    return a.side == Side::kSell ? a.price < b.price : a.price > b.price;
  }

  std::vector<Order> orders_;
};

}  // namespace btt::testkit

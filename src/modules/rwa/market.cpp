// The RWA exchange on chain (doc/rwa-exchange.md "The exchange on chain"): the order book in
// state, order placement, matching and settlement, cancellation and expiry, and the
// constant-product pools. The engine (exchange/book.h) decides the fills; this file moves the
// fractions (through RwaKeeper::move, after check_transfer) and the quote (through the ledger).
#include "market.h"

#include <algorithm>

#include "btt/common/amount.h"
#include "btt/common/checked.h"
#include "btt/modules/payfi/view.h"
#include "btt/modules/rwa/errors.h"
#include "btt/modules/rwa/events.h"
#include "btt/modules/rwa/rwa.h"
#include "btt/modules/staking/staking.h"
#include "keeper.h"
#include "keys.h"
#include "module.h"

namespace btt::modules::rwa {

namespace ex = exchange;

// --- reads -----------------------------------------------------------------------------------

crypto::Address exchange_address() {
  static const crypto::Address kAddr = crypto::Address::for_module("rwa/exchange");
  return kAddr;
}

crypto::Address pools_address() {
  static const crypto::Address kAddr = crypto::Address::for_module("rwa/pools");
  return kAddr;
}

bool is_module_account(const crypto::Address& a) {
  return a == pools_address() || a == exchange_address() || a == distributions_address();
}

bool is_quote_asset(const ledger::StateReader& state, const std::string& asset) {
  if (asset == ledger::kNativeAsset) return true;
  if (is_rwa_asset(asset)) return false;
  return payfi::PayFiView(state).asset(asset).has_value();
}

ex::Side side_of(v1::OrderSide s) {
  return s == v1::ORDER_SIDE_SELL ? ex::Side::kSell : ex::Side::kBuy;
}
v1::OrderSide order_side(ex::Side s) {
  return s == ex::Side::kSell ? v1::ORDER_SIDE_SELL : v1::ORDER_SIDE_BUY;
}
ex::TimeInForce tif_of(v1::TimeInForce t) {
  switch (t) {
    case v1::TIME_IN_FORCE_IOC:
      return ex::TimeInForce::kIoc;
    case v1::TIME_IN_FORCE_FOK:
      return ex::TimeInForce::kFok;
    default:
      return ex::TimeInForce::kGtc;
  }
}
v1::TimeInForce order_tif(ex::TimeInForce t) {
  switch (t) {
    case ex::TimeInForce::kIoc:
      return v1::TIME_IN_FORCE_IOC;
    case ex::TimeInForce::kFok:
      return v1::TIME_IN_FORCE_FOK;
    default:
      return v1::TIME_IN_FORCE_GTC;
  }
}

ex::BookConfig book_config(const v1::RwaParams& p, uint32_t max_fills) {
  ex::BookConfig c;
  c.price_scale = 1;
  c.max_fills = std::max<uint32_t>(1, max_fills);
  c.max_removed = std::max<uint32_t>(1, p.max_fills_per_tx());
  // (max_notional + 1) x max_fills fits a uint64 for every max_fills <= max_fills_per_tx.
  c.max_notional = UINT64_MAX / (uint64_t{std::max<uint32_t>(1, p.max_fills_per_tx())} + 1);
  return c;
}

namespace {

constexpr size_t kEntrySize = 20 + 8 + 1 + 8;

Bytes encode_entry(const ex::Order& o) {
  Bytes out(o.owner.raw());
  put_u64_be(out, o.amount);
  out.push_back(static_cast<char>(o.tif));
  put_u64_be(out, o.expiry_ms);
  return out;
}

// The order of a book key (after the pair prefix) and its entry; throws on corrupt state.
ex::Order decode_entry(std::string_view key_rest, std::string_view value) {
  if (key_rest.size() != 17 || value.size() != kEntrySize) {
    throw std::logic_error("rwa: corrupt order book entry");
  }
  ex::Order o;
  o.side = key_rest[0] == 0 ? ex::Side::kBuy : ex::Side::kSell;
  std::string_view k = key_rest.substr(1);
  uint64_t rank = 0;
  if (!get_u64_be(k, rank) || !get_u64_be(k, o.id)) throw std::logic_error("rwa: corrupt book key");
  o.price = o.side == ex::Side::kBuy ? UINT64_MAX - rank : rank;
  auto owner = crypto::Address::from_bytes(value.substr(0, 20));
  if (!owner) throw std::logic_error("rwa: corrupt book owner");
  o.owner = *owner;
  std::string_view v = value.substr(20);
  if (!get_u64_be(v, o.amount)) throw std::logic_error("rwa: corrupt book amount");
  o.tif = static_cast<ex::TimeInForce>(static_cast<uint8_t>(v[0]));
  v.remove_prefix(1);
  if (!get_u64_be(v, o.expiry_ms)) throw std::logic_error("rwa: corrupt book expiry");
  return o;
}

}  // namespace

StateBookStore::StateBookStore(const ledger::StateReader& reader, ledger::Overlay* writer,
                               std::string asset, std::string quote, size_t window)
    : reader_(reader),
      writer_(writer),
      asset_(std::move(asset)),
      quote_(std::move(quote)),
      prefix_(keys::book(asset_, quote_)),
      window_(std::max<size_t>(1, window)) {}

Bytes StateBookStore::key_of(const ex::OrderKey& key) const {
  return prefix_ + ex::priority_key_bytes(key);
}

void StateBookStore::load(ex::Side side, size_t count) const {
  const int s = static_cast<int>(side);
  // One more than asked tells whether the side goes on past them.
  cached_[s] = orders(side, count + 1);
  complete_[s] = cached_[s].size() <= count;
  if (!complete_[s]) cached_[s].pop_back();
  loaded_[s] = true;
}

std::optional<ex::Order> StateBookStore::best(ex::Side side) const {
  const int s = static_cast<int>(side);
  if (!loaded_[s]) load(side, window_);
  if (cached_[s].empty()) return std::nullopt;
  return cached_[s].front();
}

std::optional<ex::Order> StateBookStore::next_after(const ex::OrderKey& key) const {
  const int s = static_cast<int>(key.side);
  if (!loaded_[s]) load(key.side, window_);
  for (;;) {
    const auto& v = cached_[s];
    auto it = std::upper_bound(v.begin(), v.end(), key, [](const ex::OrderKey& k, const auto& o) {
      return ex::before(k, ex::key_of(o));
    });
    if (it != v.end()) return *it;
    if (complete_[s]) return std::nullopt;
    load(key.side, v.size() * 2);  // past the window: read further (never within one call)
  }
}

void StateBookStore::insert(const ex::Order& order) {
  writer_->put(key_of(ex::key_of(order)), encode_entry(order));
  loaded_[0] = loaded_[1] = false;
}

void StateBookStore::reduce(const ex::OrderKey& key, uint64_t amount) {
  auto o = find(key);
  if (!o) throw std::logic_error("rwa: reduce of an order not in the book");
  o->amount = amount;
  writer_->put(key_of(key), encode_entry(*o));
  loaded_[0] = loaded_[1] = false;
}

void StateBookStore::erase(const ex::OrderKey& key) {
  writer_->erase(key_of(key));
  loaded_[0] = loaded_[1] = false;
}

std::vector<ex::Order> StateBookStore::orders(ex::Side side, size_t limit) const {
  std::vector<ex::Order> out;
  const Bytes side_prefix = prefix_ + Bytes(1, static_cast<char>(side));
  reader_.scan(side_prefix, [&](std::string_view key, std::string_view value) {
    if (out.size() >= limit) return false;
    out.push_back(decode_entry(key.substr(prefix_.size()), value));
    return true;
  });
  return out;
}

std::optional<ex::Order> StateBookStore::find(const ex::OrderKey& key) const {
  const Bytes k = key_of(key);
  auto raw = reader_.get(k);
  if (!raw) return std::nullopt;
  return decode_entry(std::string_view(k).substr(prefix_.size()), *raw);
}

uint64_t on_book(const ledger::StateReader& state, std::string_view asset,
                 const crypto::Address& who) {
  return ledger::read_u64(state, keys::on_book(asset, who));
}

std::optional<v1::OrderRecord> read_order(const ledger::StateReader& state, uint64_t id) {
  auto o = ledger::read_record<v1::OrderRecord>(state, keys::order(id));
  if (!o) return std::nullopt;
  const StateBookStore book(state, nullptr, o->asset(), o->quote_asset(), 1);
  auto entry = book.find({side_of(o->side()), o->price(), o->id()});
  o->set_open(entry ? entry->amount : 0);
  return o;
}

std::vector<uint64_t> order_ids_of(const ledger::StateReader& state, const crypto::Address& who) {
  std::vector<uint64_t> out;
  const Bytes prefix = keys::orders_of(who);
  state.scan(prefix, [&](std::string_view key, std::string_view) {
    ledger::KeyReader r(key.substr(prefix.size()));
    uint64_t id = 0;
    if (r.u64(id)) out.push_back(id);
    return true;
  });
  return out;
}

uint32_t taker_fee_bps(const ledger::StateReader& state, const v1::RwaParams& p,
                       const crypto::Address& taker, uint64_t time_ms) {
  uint32_t bps = p.trading_fee_bps();
  const uint32_t tier = staking::tier_of(state, taker, time_ms);
  if (tier > 0 && p.staker_discount_bps_size() > 0) {
    const int at = std::min<int>(static_cast<int>(tier), p.staker_discount_bps_size()) - 1;
    bps -= std::min(bps, p.staker_discount_bps(at));
  }
  return bps;
}

std::optional<v1::PoolRecord> read_pool(const ledger::StateReader& state, uint64_t id) {
  return ledger::read_record<v1::PoolRecord>(state, keys::pool(id));
}

std::optional<uint64_t> pool_id_of(const ledger::StateReader& state, std::string_view asset,
                                   std::string_view quote) {
  const Bytes key = keys::pool_of(asset, quote);
  if (!state.get(key)) return std::nullopt;
  return ledger::read_u64(state, key);
}

std::vector<uint64_t> pool_ids_of_asset(const ledger::StateReader& state, std::string_view asset) {
  std::vector<uint64_t> out;
  state.scan(keys::pools_of(asset), [&](std::string_view, std::string_view value) {
    uint64_t id = 0;
    if (get_u64_be(value, id)) out.push_back(id);
    return true;
  });
  return out;
}

uint64_t lp_shares(const ledger::StateReader& state, uint64_t pool_id, const crypto::Address& who) {
  return ledger::read_u64(state, keys::lp(pool_id, who));
}

ex::Pool pool_math(const v1::PoolRecord& p) {
  return ex::Pool{p.asset_reserve(), p.quote_reserve(), p.shares(), p.fee_carry()};
}

Result<SwapPlan> plan_swap(const v1::PoolRecord& pool, const std::string& offer_asset,
                           uint64_t amount_in, uint32_t trading_fee_bps, uint64_t min_out) {
  SwapPlan plan;
  plan.asset_in = offer_asset == pool.asset();
  if (!plan.asset_in && offer_asset != pool.quote_asset()) {
    return Status{errors::kBadPair, "pool_swap: pool " + std::to_string(pool.id()) + " trades " +
                                        pool.asset() + " against " + pool.quote_asset() + ", not " +
                                        excerpt(offer_asset)};
  }
  plan.amount_in = amount_in;
  uint64_t into_pool = amount_in;
  if (!plan.asset_in) {
    plan.trading_fee = bps_of(amount_in, trading_fee_bps);
    into_pool = amount_in - plan.trading_fee;
  }
  if (into_pool == 0) return Status{errors::kZeroAmount, "pool_swap: nothing enters the pool"};
  auto s = ex::swap_exact_in(pool_math(pool), plan.asset_in, into_pool, pool.fee_bps(), 1);
  if (!s) return Status{errors::kSlippage, "pool_swap: " + s.status().message()};
  plan.pool_fee = s.value().fee;
  plan.after = s.value().after;
  plan.amount_out = s.value().out;
  if (plan.asset_in) {
    plan.trading_fee = bps_of(plan.amount_out, trading_fee_bps);
    plan.amount_out -= plan.trading_fee;
  }
  if (plan.amount_out == 0 || plan.amount_out < min_out) {
    return Status{errors::kSlippage, "pool_swap: pays " + std::to_string(plan.amount_out) +
                                         ", below min_amount_out " + std::to_string(min_out)};
  }
  return plan;
}

// --- the keeper: orders ----------------------------------------------------------------------

namespace {

// Which side a compliance refusal blames: the seller's holding or the buyer's identity.
bool blames_seller(const Status& s) {
  const uint32_t d = s.detail();
  return d == errors::kFrozen.detail || d == errors::kInsufficientFractions.detail ||
         d == errors::kLockup.detail;
}
bool blames_buyer(const Status& s) {
  const uint32_t d = s.detail();
  return d == errors::kKycRequired.detail || d == errors::kClaimExpired.detail ||
         d == errors::kAccreditedRequired.detail || d == errors::kCountryNotAllowed.detail ||
         d == errors::kCountryDenied.detail || d == errors::kMaxHolding.detail ||
         d == errors::kMaxHolders.detail;
}

const char* removal_reason(ex::RemovalReason r) {
  switch (r) {
    case ex::RemovalReason::kExpired:
      return "expired";
    case ex::RemovalReason::kSelfTrade:
      return "self_trade";
    case ex::RemovalReason::kVetoed:
      return "compliance";
  }
  return "unknown";
}

const char* stop_name(ex::Stop s) {
  switch (s) {
    case ex::Stop::kFilled:
      return "filled";
    case ex::Stop::kNoCross:
      return "no_cross";
    case ex::Stop::kFillLimit:
      return "fill_limit";
    case ex::Stop::kRemoveLimit:
      return "remove_limit";
    case ex::Stop::kTakerVetoed:
      return "compliance";
  }
  return "unknown";
}

const char* side_name(ex::Side s) {
  return s == ex::Side::kBuy ? "buy" : "sell";
}

}  // namespace

uint64_t RwaKeeper::fills_left_in_block() const {
  auto raw = state_.get(keys::block_fills());
  uint64_t height = 0;
  uint64_t used = 0;
  if (raw) {
    std::string_view v = *raw;
    if (!get_u64_be(v, height) || !get_u64_be(v, used)) used = 0;
  }
  if (height != block_.height) used = 0;
  return params_.max_fills_per_block() > used ? params_.max_fills_per_block() - used : 0;
}

void RwaKeeper::end_block_fills() {
  if (state_.get(keys::block_fills())) state_.erase(keys::block_fills());
}

void RwaKeeper::use_fills(uint64_t fills) {
  if (fills == 0) return;
  const uint64_t used = params_.max_fills_per_block() - fills_left_in_block() + fills;
  Bytes v;
  put_u64_be(v, block_.height);
  put_u64_be(v, used);
  state_.put(keys::block_fills(), v);
}

void RwaKeeper::close_order(const v1::OrderRecord& o, uint64_t open, std::string_view reason) {
  const crypto::Address owner = addr_of(o.owner());
  uint64_t refund = 0;
  if (o.side() == v1::ORDER_SIDE_BUY) {
    refund = o.price() * open;  // escrowed at placement: fits (max_notional)
    if (refund > 0) {
      ledger::Ledger ledger(state_, events_);
      if (auto s = ledger.move(exchange_address(), owner, o.quote_asset(), refund, block_.time_ms);
          !s) {
        throw std::logic_error("rwa: the exchange escrow is short: " + s.to_string());
      }
    }
  } else {
    sub_counter(keys::on_book(o.asset(), owner), open);
  }
  StateBookStore(state_, &state_, o.asset(), o.quote_asset(), 1)
      .erase({side_of(o.side()), o.price(), o.id()});
  state_.erase(keys::order(o.id()));
  state_.erase(keys::order_of(owner, o.id()));
  if (o.expiry_ms() != 0) state_.erase(keys::order_expiry(o.expiry_ms(), o.id()));
  events_.emit(events::kOrderClosed)
      .attr("order_id", o.id())
      .attr("owner", o.owner())
      .attr("reason", std::string(reason))
      .attr("open", open)
      .attr("refund", refund);
}

Status RwaKeeper::submit_order(const crypto::Address& owner, v1::OrderRecord o) {
  auto asset = read_asset(state_, o.asset());
  if (!asset) return {errors::kUnknownAsset, "place_order: no rwa asset " + o.asset()};
  v1::RwaAssetRecord& r = *asset;
  const uint64_t id = next_id("order");
  o.set_id(id);
  o.set_height(block_.height);
  o.set_time_ms(block_.time_ms);
  ex::Order taker{id,           owner,      side_of(o.side()),
                  o.price(),    o.amount(), tif_of(o.time_in_force()),
                  o.expiry_ms()};
  const uint64_t budget = fills_left_in_block();
  const auto config =
      book_config(params_, static_cast<uint32_t>(std::min<uint64_t>(
                               params_.max_fills_per_tx(), std::max<uint64_t>(budget, 1))));
  // Most takers touch a few makers: read 16 first, more (doubling) only when the walk needs them.
  StateBookStore book(state_, &state_, o.asset(), o.quote_asset(), kBookReadAhead);
  if (budget == 0) {
    auto best = book.best(ex::opposite(taker.side));
    if (best &&
        (taker.side == ex::Side::kBuy ? best->price <= taker.price : best->price >= taker.price)) {
      return {errors::kBlockFillBudget, "place_order: this block's max_fills_per_block (" +
                                            std::to_string(params_.max_fills_per_block()) +
                                            ") is spent; retry next block"};
    }
  }
  const bool taker_buys = taker.side == ex::Side::kBuy;
  // Each allowed fill's fractions move as it is planned, so every later check sees the balances
  // and the holder count after the fills before it (a killed FOK fails the tx: nothing stays).
  Status settle_error = Status::ok();
  auto check = [&](const ex::FillProposal& f) -> ex::Verdict {
    if (!settle_error) return ex::Verdict::kStopTaker;
    const crypto::Address seller = taker_buys ? f.maker.owner : f.taker.owner;
    const crypto::Address buyer = taker_buys ? f.taker.owner : f.maker.owner;
    const Movement movement = taker_buys ? Movement::kFill : Movement::kTransfer;
    if (auto s =
            check_transfer(state_, r.asset(), seller, buyer, f.amount, block_.time_ms, movement);
        !s) {
      const bool maker_fault = taker_buys ? blames_seller(s) : blames_buyer(s);
      return maker_fault ? ex::Verdict::kCancelMaker : ex::Verdict::kStopTaker;
    }
    if (auto s = move_held(r, seller, buyer, f.amount); !s) {
      settle_error = s;
      return ex::Verdict::kStopTaker;
    }
    return ex::Verdict::kAllow;
  };
  auto matched = ex::match(book, config, taker, block_.time_ms, check);
  if (!matched) return matched.status().prefixed("place_order: ");
  if (!settle_error) return settle_error.prefixed("place_order: ");
  const ex::MatchResult& res = matched.value();
  if (res.killed) {
    return {errors::kKilled, "place_order: fill_or_kill could not fill its " +
                                 std::to_string(o.amount()) + " fractions now"};
  }
  put_asset(r);

  ledger::Ledger ledger(state_, events_, locks_);
  const uint32_t bps = taker_fee_bps(state_, params_, owner, block_.time_ms);
  uint64_t fees = 0;
  uint64_t from_escrow = 0;  // a selling taker's proceeds, fees included
  const uint64_t first_trade = ledger::read_u64(state_, keys::next_id("trade"));
  uint64_t trade_id = first_trade == 0 ? 1 : first_trade;
  for (const ex::Fill& f : res.fills) {
    auto maker = ledger::read_record<v1::OrderRecord>(state_, keys::order(f.maker_id));
    if (!maker) throw std::logic_error("rwa: a book entry without its order record");
    const uint64_t fee = bps_of(f.quote, bps);
    fees += fee;
    if (taker_buys) {
      if (auto s = ledger.move(owner, f.maker_owner, o.quote_asset(), f.quote, block_.time_ms);
          !s) {
        return s.prefixed("place_order: paying maker order " + std::to_string(f.maker_id) + ": ");
      }
      sub_counter(keys::on_book(o.asset(), f.maker_owner), f.amount);
    } else {
      from_escrow += f.quote;
    }
    if (f.maker_left == 0) {
      state_.erase(keys::order(f.maker_id));
      state_.erase(keys::order_of(f.maker_owner, f.maker_id));
      if (maker->expiry_ms() != 0) {
        state_.erase(keys::order_expiry(maker->expiry_ms(), f.maker_id));
      }
    }
    v1::TradeRecord t;
    t.set_id(trade_id);
    t.set_asset(o.asset());
    t.set_quote_asset(o.quote_asset());
    t.set_maker_order_id(f.maker_id);
    t.set_taker_order_id(id);
    t.set_maker(maker->owner());
    t.set_taker(owner.to_string());
    t.set_taker_side(o.side());
    t.set_price(f.price);
    t.set_amount(f.amount);
    t.set_quote(f.quote);
    t.set_fee(fee);
    t.set_height(block_.height);
    t.set_time_ms(block_.time_ms);
    put_record(state_, keys::trade(o.asset(), o.quote_asset(), trade_id), t);
    events_.emit(events::kTrade)
        .attr("trade_id", trade_id)
        .attr("asset", o.asset())
        .attr("quote_asset", o.quote_asset())
        .attr("maker_order_id", f.maker_id)
        .attr("taker_order_id", id)
        .attr("maker", maker->owner())
        .attr("taker", owner.to_string())
        .attr("taker_side", side_name(taker.side))
        .attr("price", f.price)
        .attr("amount", f.amount)
        .attr("quote", f.quote)
        .attr("fee", fee);
    ++trade_id;
  }
  if (!res.fills.empty()) ledger::write_u64(state_, keys::next_id("trade"), trade_id);
  if (from_escrow > 0) {
    if (auto s = ledger.move(exchange_address(), owner, o.quote_asset(), from_escrow - fees,
                             block_.time_ms);
        !s) {
      throw std::logic_error("rwa: the exchange escrow is short: " + s.to_string());
    }
    if (fees > 0) {
      if (auto s = ledger.move(exchange_address(), treasury_address(), o.quote_asset(), fees,
                               block_.time_ms);
          !s) {
        throw std::logic_error("rwa: the exchange escrow is short: " + s.to_string());
      }
    }
  } else if (fees > 0) {
    if (auto s = ledger.move(owner, treasury_address(), o.quote_asset(), fees, block_.time_ms);
        !s) {
      return s.prefixed("place_order: the trading fee: ");
    }
  }
  for (const ex::Removal& rm : res.removed) {
    auto rec = ledger::read_record<v1::OrderRecord>(state_, keys::order(rm.order.id));
    if (!rec) throw std::logic_error("rwa: a book entry without its order record");
    close_order(*rec, rm.order.amount, removal_reason(rm.reason));
  }
  use_fills(res.fills.size());
  if (res.rested) {
    put_record(state_, keys::order(id), o);
    state_.put(keys::order_of(owner, id), "");
    if (o.expiry_ms() != 0) state_.put(keys::order_expiry(o.expiry_ms(), id), "");
    if (taker_buys) {
      if (auto s = ledger.move(owner, exchange_address(), o.quote_asset(),
                               o.price() * res.rested->amount, block_.time_ms);
          !s) {
        return s.prefixed("place_order: escrow of the resting buy: ");
      }
    } else {
      add_counter(keys::on_book(o.asset(), owner), res.rested->amount);
    }
  }
  events_.emit(events::kOrderPlaced)
      .attr("order_id", id)
      .attr("owner", owner.to_string())
      .attr("asset", o.asset())
      .attr("quote_asset", o.quote_asset())
      .attr("side", side_name(taker.side))
      .attr("price", o.price())
      .attr("amount", o.amount())
      .attr("time_in_force", v1::TimeInForce_Name(o.time_in_force()))
      .attr("expiry_ms", o.expiry_ms())
      .attr("filled", res.filled)
      .attr("rested", res.rested ? res.rested->amount : 0)
      .attr("cancelled", res.cancelled)
      .attr("stop", std::string(stop_name(res.stop)));
  return Status::ok();
}

Status RwaKeeper::place_order(const crypto::Address& owner, const v1::MsgPlaceOrder& m) {
  v1::OrderRecord o;
  o.set_owner(owner.to_string());
  o.set_asset(m.asset());
  o.set_quote_asset(m.quote_asset());
  o.set_side(m.side());
  o.set_price(m.price());
  o.set_amount(m.amount());
  o.set_time_in_force(order_tif(tif_of(m.time_in_force())));
  o.set_expiry_ms(m.expiry_ms());
  o.set_client_order_id(m.client_order_id());
  return submit_order(owner, o);
}

Status RwaKeeper::cancel_order(const crypto::Address&, uint64_t id) {
  auto o = read_order(state_, id);
  if (!o) return {errors::kNoOrder, "cancel_order: no resting order " + std::to_string(id)};
  close_order(*o, o->open(), "cancelled");
  return Status::ok();
}

Status RwaKeeper::replace_order(const crypto::Address& owner, const v1::MsgReplaceOrder& m) {
  auto o = read_order(state_, m.order_id());
  if (!o)
    return {errors::kNoOrder, "replace_order: no resting order " + std::to_string(m.order_id())};
  close_order(*o, o->open(), "replaced");
  v1::OrderRecord next = *o;
  next.set_price(m.price());
  next.set_amount(m.amount());
  next.set_open(0);
  next.set_expiry_ms(m.expiry_ms());
  return submit_order(owner, next);
}

void RwaKeeper::close_orders_of(std::string_view asset, const crypto::Address& owner) {
  for (uint64_t id : order_ids_of(state_, owner)) {
    auto o = read_order(state_, id);
    if (o && o->asset() == asset) close_order(*o, o->open(), "recovered");
  }
}

void RwaKeeper::expire_orders() {
  std::vector<std::pair<uint64_t, uint64_t>> due;  // (expiry, id)
  const Bytes prefix = keys::order_expiries();
  state_.scan(prefix, [&](std::string_view key, std::string_view) {
    ledger::KeyReader r(key.substr(prefix.size()));
    uint64_t expiry = 0;
    uint64_t id = 0;
    if (!r.u64(expiry) || !r.u64(id)) return true;
    if (expiry > block_.time_ms || due.size() >= kOrderExpiriesPerBlock) return false;
    due.emplace_back(expiry, id);
    return true;
  });
  for (const auto& [expiry, id] : due) {
    auto o = read_order(state_, id);
    if (!o) {
      state_.erase(keys::order_expiry(expiry, id));
      continue;
    }
    close_order(*o, o->open(), "expired");
  }
}

// --- the keeper: pools -----------------------------------------------------------------------

void RwaKeeper::put_pool(const v1::PoolRecord& p, const ex::Pool& math) {
  v1::PoolRecord out = p;
  out.set_asset_reserve(math.reserve_a);
  out.set_quote_reserve(math.reserve_b);
  out.set_shares(math.shares);
  out.set_fee_carry(math.fee_carry);
  put_record(state_, keys::pool(p.id()), out);
}

void RwaKeeper::add_counter(std::string_view key, uint64_t n) {
  if (n == 0) return;
  ledger::write_u64(state_, key, ledger::read_u64(state_, key) + n);
}

void RwaKeeper::sub_counter(std::string_view key, uint64_t n) {
  const uint64_t held = ledger::read_u64(state_, key);
  if (held <= n) {
    if (held > 0) state_.erase(key);
  } else {
    ledger::write_u64(state_, key, held - n);
  }
}

void RwaKeeper::add_lp(uint64_t pool_id, const crypto::Address& who, uint64_t shares) {
  add_counter(keys::lp(pool_id, who), shares);
}

void RwaKeeper::sub_lp(uint64_t pool_id, const crypto::Address& who, uint64_t shares) {
  sub_counter(keys::lp(pool_id, who), shares);
}

Status RwaKeeper::accrue(v1::PoolRecord& p) {
  const uint64_t elapsed = block_.time_ms > p.accrued_ms() ? block_.time_ms - p.accrued_ms() : 0;
  if (elapsed == 0) return Status::ok();
  auto a =
      ex::accrue_management_fee(pool_math(p), params_.pool_management_fee_bps_per_year(), elapsed);
  if (!a) return a.status();
  p.set_accrued_ms(block_.time_ms);
  p.set_shares(a.value().after.shares);
  p.set_fee_carry(a.value().after.fee_carry);
  if (a.value().minted > 0) {
    add_lp(p.id(), addr_of(p.manager()), a.value().minted);
    p.set_management_shares(p.management_shares() + a.value().minted);
    events_.emit(events::kPoolFeeAccrued)
        .attr("pool_id", p.id())
        .attr("manager", p.manager())
        .attr("shares", a.value().minted)
        .attr("elapsed_ms", elapsed);
  }
  return Status::ok();
}

Status RwaKeeper::pool_in(v1::RwaAssetRecord& r, const v1::PoolRecord& p,
                          const crypto::Address& who, uint64_t fractions, uint64_t quote,
                          const std::string& what) {
  if (fractions > 0) {
    if (auto s = check_transfer(state_, r.asset(), who, pools_address(), fractions, block_.time_ms);
        !s) {
      return s.prefixed(what + ": ");
    }
    if (auto s = move_held(r, who, pools_address(), fractions); !s) return s.prefixed(what + ": ");
  }
  if (quote > 0) {
    ledger::Ledger ledger(state_, events_, locks_);
    if (auto s = ledger.move(who, pools_address(), p.quote_asset(), quote, block_.time_ms); !s) {
      return s.prefixed(what + ": ");
    }
  }
  return Status::ok();
}

Status RwaKeeper::pool_out(v1::RwaAssetRecord& r, const v1::PoolRecord& p,
                           const crypto::Address& who, uint64_t fractions, uint64_t quote,
                           const std::string& what) {
  if (fractions > 0) {
    if (auto s = check_transfer(state_, r.asset(), pools_address(), who, fractions, block_.time_ms);
        !s) {
      return s.prefixed(what + ": ");
    }
    if (auto s = move_held(r, pools_address(), who, fractions); !s) return s.prefixed(what + ": ");
  }
  if (quote > 0) {
    ledger::Ledger ledger(state_, events_, locks_);
    if (auto s = ledger.move(pools_address(), who, p.quote_asset(), quote, block_.time_ms); !s) {
      return s.prefixed(what + ": ");
    }
  }
  return Status::ok();
}

Status RwaKeeper::create_pool(const crypto::Address& creator, const v1::MsgCreatePool& m) {
  auto asset = read_asset(state_, m.asset());
  if (!asset) return {errors::kUnknownAsset, "create_pool: no rwa asset " + m.asset()};
  auto dep = ex::initial_deposit(ex::Pool{}, m.asset_amount(), m.quote_amount(), 1);
  if (!dep) return {errors::kSlippage, "create_pool: " + dep.status().message()};
  v1::PoolRecord p;
  p.set_id(next_id("pool"));
  p.set_asset(m.asset());
  p.set_quote_asset(m.quote_asset());
  p.set_fee_bps(m.fee_bps());
  p.set_manager(creator.to_string());
  p.set_accrued_ms(block_.time_ms);
  p.set_height(block_.height);
  if (auto s = pool_in(*asset, p, creator, dep.value().used_a, dep.value().used_b, "create_pool");
      !s) {
    return s;
  }
  put_asset(*asset);
  put_pool(p, dep.value().after);
  ledger::write_u64(state_, keys::pool_of(m.asset(), m.quote_asset()), p.id());
  add_lp(p.id(), creator, dep.value().shares);
  events_.emit(events::kPoolCreated)
      .attr("pool_id", p.id())
      .attr("asset", m.asset())
      .attr("quote_asset", m.quote_asset())
      .attr("manager", creator.to_string())
      .attr("fee_bps", uint64_t{m.fee_bps()});
  events_.emit(events::kPoolDeposit)
      .attr("pool_id", p.id())
      .attr("account", creator.to_string())
      .attr("asset_amount", dep.value().used_a)
      .attr("quote_amount", dep.value().used_b)
      .attr("shares", dep.value().shares);
  return Status::ok();
}

Status RwaKeeper::pool_deposit(const crypto::Address& who, const v1::MsgPoolDeposit& m) {
  auto p = read_pool(state_, m.pool_id());
  if (!p) return {errors::kNoPool, "pool_deposit: no pool " + std::to_string(m.pool_id())};
  auto asset = read_asset(state_, p->asset());
  if (!asset) return {errors::kUnknownAsset, "pool_deposit: no rwa asset " + p->asset()};
  if (auto s = accrue(*p); !s) return s.prefixed("pool_deposit: ");
  auto dep = p->shares() == 0
                 ? ex::initial_deposit(pool_math(*p), m.max_asset_amount(), m.max_quote_amount(), 1)
                 : ex::deposit(pool_math(*p), m.max_asset_amount(), m.max_quote_amount());
  if (!dep) return {errors::kSlippage, "pool_deposit: " + dep.status().message()};
  if (dep.value().shares < m.min_shares()) {
    return {errors::kSlippage, "pool_deposit: mints " + std::to_string(dep.value().shares) +
                                   " shares, below min_shares " + std::to_string(m.min_shares())};
  }
  if (auto s = pool_in(*asset, *p, who, dep.value().used_a, dep.value().used_b, "pool_deposit");
      !s) {
    return s;
  }
  put_asset(*asset);
  put_pool(*p, dep.value().after);
  add_lp(p->id(), who, dep.value().shares);
  events_.emit(events::kPoolDeposit)
      .attr("pool_id", p->id())
      .attr("account", who.to_string())
      .attr("asset_amount", dep.value().used_a)
      .attr("quote_amount", dep.value().used_b)
      .attr("shares", dep.value().shares);
  return Status::ok();
}

Status RwaKeeper::pool_withdraw(const crypto::Address& who, const v1::MsgPoolWithdraw& m) {
  auto p = read_pool(state_, m.pool_id());
  if (!p) return {errors::kNoPool, "pool_withdraw: no pool " + std::to_string(m.pool_id())};
  auto asset = read_asset(state_, p->asset());
  if (!asset) return {errors::kUnknownAsset, "pool_withdraw: no rwa asset " + p->asset()};
  if (auto s = accrue(*p); !s) return s.prefixed("pool_withdraw: ");
  const uint64_t held = lp_shares(state_, p->id(), who);
  if (held < m.shares()) {
    return {errors::kInsufficientShares, "pool_withdraw: " + who.to_string() + " holds " +
                                             std::to_string(held) + " shares of pool " +
                                             std::to_string(p->id())};
  }
  auto w = ex::withdraw(pool_math(*p), m.shares());
  if (!w) return {errors::kSlippage, "pool_withdraw: " + w.status().message()};
  if (w.value().out_a < m.min_asset_amount() || w.value().out_b < m.min_quote_amount()) {
    return {errors::kSlippage, "pool_withdraw: pays " + std::to_string(w.value().out_a) + " " +
                                   p->asset() + " and " + std::to_string(w.value().out_b) + " " +
                                   p->quote_asset() + ", below the minimums"};
  }
  if (auto s = pool_out(*asset, *p, who, w.value().out_a, w.value().out_b, "pool_withdraw"); !s) {
    return s;
  }
  put_asset(*asset);
  put_pool(*p, w.value().after);
  sub_lp(p->id(), who, m.shares());
  events_.emit(events::kPoolWithdraw)
      .attr("pool_id", p->id())
      .attr("account", who.to_string())
      .attr("asset_amount", w.value().out_a)
      .attr("quote_amount", w.value().out_b)
      .attr("shares", m.shares());
  return Status::ok();
}

Status RwaKeeper::pool_swap(const crypto::Address& who, const v1::MsgPoolSwap& m) {
  auto p = read_pool(state_, m.pool_id());
  if (!p) return {errors::kNoPool, "pool_swap: no pool " + std::to_string(m.pool_id())};
  auto asset = read_asset(state_, p->asset());
  if (!asset) return {errors::kUnknownAsset, "pool_swap: no rwa asset " + p->asset()};
  if (auto s = accrue(*p); !s) return s.prefixed("pool_swap: ");
  const uint32_t bps = taker_fee_bps(state_, params_, who, block_.time_ms);
  auto plan = plan_swap(*p, m.offer_asset(), m.amount_in(), bps, m.min_amount_out());
  if (!plan) return plan.status();
  const SwapPlan& sp = plan.value();
  ledger::Ledger ledger(state_, events_, locks_);
  if (sp.asset_in) {
    if (auto s = pool_in(*asset, *p, who, sp.amount_in, 0, "pool_swap"); !s) return s;
    if (auto s = pool_out(*asset, *p, who, 0, sp.amount_out, "pool_swap"); !s) return s;
    if (sp.trading_fee > 0) {
      if (auto s = ledger.move(pools_address(), treasury_address(), p->quote_asset(),
                               sp.trading_fee, block_.time_ms);
          !s) {
        return s.prefixed("pool_swap: ");
      }
    }
  } else {
    if (sp.trading_fee > 0) {
      if (auto s = ledger.move(who, treasury_address(), p->quote_asset(), sp.trading_fee,
                               block_.time_ms);
          !s) {
        return s.prefixed("pool_swap: the trading fee: ");
      }
    }
    if (auto s = pool_in(*asset, *p, who, 0, sp.amount_in - sp.trading_fee, "pool_swap"); !s) {
      return s;
    }
    if (auto s = pool_out(*asset, *p, who, sp.amount_out, 0, "pool_swap"); !s) return s;
  }
  put_asset(*asset);
  put_pool(*p, sp.after);
  events_.emit(events::kPoolSwap)
      .attr("pool_id", p->id())
      .attr("trader", who.to_string())
      .attr("offer_asset", m.offer_asset())
      .attr("amount_in", sp.amount_in)
      .attr("pool_fee", sp.pool_fee)
      .attr("trading_fee", sp.trading_fee)
      .attr("amount_out", sp.amount_out);
  return Status::ok();
}

void RwaKeeper::move_lp_shares(std::string_view asset, const crypto::Address& from,
                               const crypto::Address& to) {
  for (uint64_t id : pool_ids_of_asset(state_, asset)) {
    const uint64_t shares = lp_shares(state_, id, from);
    if (shares == 0) continue;
    sub_lp(id, from, shares);
    add_lp(id, to, shares);
  }
}

}  // namespace btt::modules::rwa

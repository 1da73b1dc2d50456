// The exchange's queries and its part of the genesis export (doc/rwa-exchange.md "Queries").
#include <map>

#include "btt/ledger/ledger.h"
#include "btt/modules/rwa/errors.h"
#include "btt/modules/rwa/view.h"
#include "keeper.h"
#include "keys.h"
#include "market.h"
#include "module.h"

namespace btt::modules::rwa {
namespace {

v1::OrderInfo info_of(const v1::OrderRecord& o) {
  v1::OrderInfo out;
  out.set_order_id(o.id());
  out.set_owner(o.owner());
  out.set_asset(o.asset());
  out.set_quote_asset(o.quote_asset());
  out.set_side(o.side());
  out.set_price(o.price());
  out.set_amount(o.amount());
  out.set_filled(o.amount() - std::min(o.amount(), o.open()));
  out.set_expiry_ms(o.expiry_ms());
  out.set_open(o.open());
  out.set_time_in_force(o.time_in_force());
  out.set_client_order_id(o.client_order_id());
  out.set_escrow(o.side() == v1::ORDER_SIDE_BUY ? o.price() * o.open() : 0);
  out.set_height(o.height());
  return out;
}

v1::TradeInfo info_of(const v1::TradeRecord& t) {
  v1::TradeInfo out;
  out.set_trade_id(t.id());
  out.set_maker_order_id(t.maker_order_id());
  out.set_taker_order_id(t.taker_order_id());
  out.set_price(t.price());
  out.set_amount(t.amount());
  out.set_fee(t.fee());
  out.set_height(t.height());
  out.set_maker(t.maker());
  out.set_taker(t.taker());
  out.set_taker_side(t.taker_side());
  out.set_quote(t.quote());
  out.set_time_ms(t.time_ms());
  return out;
}

v1::PoolInfo info_of(const v1::PoolRecord& p) {
  v1::PoolInfo out;
  out.set_pool_id(p.id());
  out.set_asset(p.asset());
  out.set_quote_asset(p.quote_asset());
  out.set_asset_reserve(p.asset_reserve());
  out.set_quote_reserve(p.quote_reserve());
  out.set_shares(p.shares());
  out.set_fee_bps(p.fee_bps());
  out.set_manager(p.manager());
  out.set_accrued_ms(p.accrued_ms());
  out.set_management_shares(p.management_shares());
  return out;
}

// Book levels of one side: consecutive orders of one price merged, at most `levels`.
void add_levels(const StateBookStore& book, exchange::Side side, uint32_t levels,
                google::protobuf::RepeatedPtrField<v1::BookLevel>* out) {
  // Read in growing windows until `levels` prices are complete or the side ends.
  size_t window = size_t{levels} * 4 + 1;
  for (;;) {
    out->Clear();
    const auto orders = book.orders(side, window);
    for (const auto& o : orders) {
      if (out->empty() || out->rbegin()->price() != o.price) {
        if (static_cast<uint32_t>(out->size()) == levels) return;
        out->Add()->set_price(o.price);
      }
      auto& l = *out->rbegin();
      l.set_amount(l.amount() + o.amount);
      l.set_orders(l.orders() + 1);
    }
    if (orders.size() < window) return;
    window *= 2;
  }
}

}  // namespace

std::optional<v1::OrderInfo> RwaView::order(uint64_t id) const {
  auto o = read_order(state_, id);
  if (!o) return std::nullopt;
  return info_of(*o);
}

std::vector<v1::OrderInfo> RwaView::orders_of(const crypto::Address& account,
                                              std::string_view asset,
                                              std::string_view quote) const {
  std::vector<v1::OrderInfo> out;
  for (uint64_t id : order_ids_of(state_, account)) {
    auto o = read_order(state_, id);
    if (!o) continue;
    if (!asset.empty() && o->asset() != asset) continue;
    if (!quote.empty() && o->quote_asset() != quote) continue;
    out.push_back(info_of(*o));
  }
  return out;
}

v1::BookDepth RwaView::depth(std::string_view asset, std::string_view quote,
                             uint32_t levels) const {
  v1::BookDepth out;
  const StateBookStore book(state_, nullptr, std::string(asset), std::string(quote), 1);
  add_levels(book, exchange::Side::kBuy, levels, out.mutable_bids());
  add_levels(book, exchange::Side::kSell, levels, out.mutable_asks());
  return out;
}

std::vector<v1::TradeInfo> RwaView::trades(std::string_view asset, std::string_view quote,
                                           uint32_t limit) const {
  std::vector<v1::TradeInfo> out;
  state_.scan(keys::trades(asset, quote), [&](std::string_view, std::string_view value) {
    if (out.size() >= limit) return false;
    v1::TradeRecord t;
    if (!t.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
      throw std::logic_error("rwa: unreadable trade record");
    }
    out.push_back(info_of(t));
    return true;
  });
  return out;
}

std::vector<v1::PoolInfo> RwaView::pools(std::string_view asset) const {
  std::vector<v1::PoolInfo> out;
  for (const auto& p : ledger::read_records<v1::PoolRecord>(state_, keys::pools())) {
    if (asset.empty() || p.asset() == asset) out.push_back(info_of(p));
  }
  return out;
}

std::optional<v1::PoolInfo> RwaView::pool(uint64_t id) const {
  auto p = read_pool(state_, id);
  if (!p) return std::nullopt;
  return info_of(*p);
}

std::optional<uint64_t> RwaView::pool_id(std::string_view asset, std::string_view quote) const {
  return pool_id_of(state_, asset, quote);
}

v1::LpShares RwaView::lp_shares(uint64_t pool_id, const crypto::Address& account) const {
  v1::LpShares out;
  out.set_pool_id(pool_id);
  out.set_account(account.to_string());
  out.set_shares(rwa::lp_shares(state_, pool_id, account));
  auto p = read_pool(state_, pool_id);
  if (p && out.shares() > 0) {
    auto w = exchange::withdraw(pool_math(*p), out.shares());
    if (w) {
      out.set_asset_amount(w.value().out_a);
      out.set_quote_amount(w.value().out_b);
    }
    out.set_frozen(state_.get(keys::freeze(p->asset(), account)).has_value());
  }
  return out;
}

Result<v1::SwapQuote> RwaView::quote_swap(uint64_t pool_id, const std::string& offer_asset,
                                          uint64_t amount_in) const {
  auto p = read_pool(state_, pool_id);
  if (!p) return Status{errors::kNoPool, "no pool " + std::to_string(pool_id)};
  auto plan = plan_swap(*p, offer_asset, amount_in, params().trading_fee_bps(), 1);
  if (!plan) return plan.status();
  v1::SwapQuote out;
  out.set_amount_in(plan.value().amount_in);
  out.set_pool_fee(plan.value().pool_fee);
  out.set_trading_fee(plan.value().trading_fee);
  out.set_amount_out(plan.value().amount_out);
  return out;
}

void RwaView::add_exchange(v1::RwaGenesisState& st) const {
  const Bytes op = keys::orders();
  state_.scan(op, [&](std::string_view key, std::string_view) {
    ledger::KeyReader r(key.substr(op.size()));
    uint64_t id = 0;
    if (!r.u64(id)) return true;
    if (auto o = read_order(state_, id)) *st.add_orders() = std::move(*o);
    return true;
  });
  for (auto& t : ledger::read_records<v1::TradeRecord>(state_, keys::trades_all())) {
    *st.add_trades() = std::move(t);
  }
  for (auto& p : ledger::read_records<v1::PoolRecord>(state_, keys::pools())) {
    *st.add_pools() = std::move(p);
  }
  const Bytes lp = keys::lp_all();
  state_.scan(lp, [&](std::string_view key, std::string_view value) {
    ledger::KeyReader r(key.substr(lp.size()));
    uint64_t id = 0;
    crypto::Address who;
    uint64_t shares = 0;
    std::string_view in = value;
    if (r.u64(id) && r.addr(who) && get_u64_be(in, shares)) {
      auto* l = st.add_lp_positions();
      l->set_pool_id(id);
      l->set_account(who.to_string());
      l->set_shares(shares);
    }
    return true;
  });
  st.set_next_order_id(ledger::read_u64(state_, keys::next_id("order")));
  st.set_next_trade_id(ledger::read_u64(state_, keys::next_id("trade")));
  st.set_next_pool_id(ledger::read_u64(state_, keys::next_id("pool")));
}

}  // namespace btt::modules::rwa

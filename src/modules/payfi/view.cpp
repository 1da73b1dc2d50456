// PayFi queries (doc/payfi.md "Queries"): reads over a committed state, never written.
#include "btt/modules/payfi/view.h"

#include "btt/ledger/keys.h"
#include "keeper.h"
#include "keys.h"
#include "module.h"

namespace btt::modules::payfi {

v1::PayFiParams PayFiView::params() const {
  return params_spec().get(state_);
}

uint64_t PayFiView::cycle() const {
  return ledger::read_u64(state_, keys::cycle());
}

uint64_t PayFiView::cycle_end_ms() const {
  return ledger::read_u64(state_, keys::cycle_end());
}

std::optional<v1::PaymentAssetRecord> PayFiView::asset(std::string_view asset) const {
  return ledger::read_record<v1::PaymentAssetRecord>(state_, keys::asset(asset));
}

std::vector<v1::PaymentAssetRecord> PayFiView::assets() const {
  return ledger::read_records<v1::PaymentAssetRecord>(state_, keys::assets());
}

std::vector<v1::GatewayFlowRecord> PayFiView::flows(std::string_view asset) const {
  return ledger::read_records<v1::GatewayFlowRecord>(state_, keys::flows(asset));
}

std::vector<v1::FreezeRecord> PayFiView::freezes() const {
  return ledger::read_records<v1::FreezeRecord>(state_, keys::frozen_all());
}

std::optional<v1::PayeeRecord> PayFiView::payee(const crypto::Address& payee) const {
  return ledger::read_record<v1::PayeeRecord>(state_, keys::payee(payee));
}

std::optional<v1::InvoiceRecord> PayFiView::invoice(uint64_t id, uint64_t time_ms) const {
  auto inv = ledger::read_record<v1::InvoiceRecord>(state_, keys::invoice(id));
  if (inv) show_status(*inv, time_ms);
  return inv;
}

// State keeps an invoice OPEN, PAID or CANCELLED; EXPIRED and SETTLED are what time and the
// settlement of its payment's group made of it.
void PayFiView::show_status(v1::InvoiceRecord& inv, uint64_t time_ms) const {
  if (inv.status() == v1::INVOICE_STATUS_OPEN && time_ms > inv.expiry_ms()) {
    inv.set_status(v1::INVOICE_STATUS_EXPIRED);
  }
  if (inv.status() == v1::INVOICE_STATUS_PAID) {
    auto p = payment(inv.payment_id());
    if (p && p->settled()) inv.set_status(v1::INVOICE_STATUS_SETTLED);
  }
}

std::optional<v1::InvoiceRecord> PayFiView::invoice_by_reference(const crypto::Address& payee,
                                                                 std::string_view reference,
                                                                 uint64_t time_ms) const {
  const uint64_t id = ledger::read_u64(state_, keys::invoice_ref(payee, reference));
  if (id == 0) return std::nullopt;
  return invoice(id, time_ms);
}

std::optional<v1::PaymentRecord> PayFiView::payment(uint64_t id) const {
  auto p = ledger::read_record<v1::PaymentRecord>(state_, keys::payment(id));
  if (p) fill_settlement(state_, *p);
  return p;
}

template <typename Fn>
void PayFiView::index_ids(const Bytes& prefix, uint64_t after_id, uint32_t limit,
                          const Fn& fn) const {
  Bytes from = prefix;
  put_u64_be(from, after_id + 1);
  uint32_t n = 0;
  state_.scan(prefix, [&](std::string_view key, std::string_view) {
    if (key < std::string_view(from)) return true;
    uint64_t id = 0;
    std::string_view rest = key.substr(prefix.size());
    if (!get_u64_be(rest, id)) return true;
    fn(id);
    return ++n < limit;
  });
}

std::vector<v1::PaymentRecord> PayFiView::payments_of_payee(const crypto::Address& payee,
                                                            uint64_t after_id,
                                                            uint32_t limit) const {
  std::vector<v1::PaymentRecord> out;
  index_ids(keys::by_payee(payee), after_id, limit, [&](uint64_t id) {
    if (auto p = payment(id)) out.push_back(*p);
  });
  return out;
}

std::vector<v1::PaymentRecord> PayFiView::payments_of_payer(const crypto::Address& payer,
                                                            uint64_t after_id,
                                                            uint32_t limit) const {
  std::vector<v1::PaymentRecord> out;
  index_ids(keys::by_payer(payer), after_id, limit, [&](uint64_t id) {
    if (auto p = payment(id)) out.push_back(*p);
  });
  return out;
}

std::vector<v1::PaymentRecord> PayFiView::payments_by_reference(const crypto::Address& payee,
                                                                std::string_view reference) const {
  std::vector<v1::PaymentRecord> out;
  index_ids(keys::by_ref(payee, reference), 0, ledger::kMaxPageLimit, [&](uint64_t id) {
    if (auto p = payment(id)) out.push_back(*p);
  });
  return out;
}

std::vector<v1::RefundRecord> PayFiView::refunds(uint64_t payment_id) const {
  return ledger::read_records<v1::RefundRecord>(state_, keys::refunds(payment_id));
}

std::optional<v1::HoldRecord> PayFiView::hold(uint64_t id) const {
  return ledger::read_record<v1::HoldRecord>(state_, keys::hold(id));
}

std::optional<v1::SettlementRecord> PayFiView::settlement(uint64_t id) const {
  return ledger::read_record<v1::SettlementRecord>(state_, keys::settlement(id));
}

std::vector<v1::SettlementRecord> PayFiView::settlements_of(const crypto::Address& payee,
                                                            uint64_t after_id,
                                                            uint32_t limit) const {
  std::vector<v1::SettlementRecord> out;
  index_ids(keys::settlements_of(payee), after_id, limit, [&](uint64_t id) {
    if (auto s = settlement(id)) out.push_back(*s);
  });
  return out;
}

std::optional<v1::PlanRecord> PayFiView::plan(uint64_t id) const {
  return ledger::read_record<v1::PlanRecord>(state_, keys::plan(id));
}

std::vector<v1::PlanRecord> PayFiView::plans_of(const crypto::Address& payee) const {
  std::vector<v1::PlanRecord> out;
  index_ids(keys::plans_of(payee), 0, UINT32_MAX, [&](uint64_t id) {
    if (auto p = plan(id)) out.push_back(*p);
  });
  return out;
}

std::optional<v1::SubscriptionRecord> PayFiView::subscription(uint64_t id) const {
  return ledger::read_record<v1::SubscriptionRecord>(state_, keys::subscription(id));
}

std::vector<v1::SubscriptionRecord> PayFiView::subscriptions_of_payer(
    const crypto::Address& payer) const {
  std::vector<v1::SubscriptionRecord> out;
  index_ids(keys::subscriptions_of_payer(payer), 0, UINT32_MAX, [&](uint64_t id) {
    if (auto s = subscription(id)) out.push_back(*s);
  });
  return out;
}

std::vector<v1::SubscriptionRecord> PayFiView::subscriptions_of_payee(
    const crypto::Address& payee) const {
  std::vector<v1::SubscriptionRecord> out;
  index_ids(keys::subscriptions_of_payee(payee), 0, UINT32_MAX, [&](uint64_t id) {
    if (auto s = subscription(id)) out.push_back(*s);
  });
  return out;
}

std::vector<v1::FxOfferRecord> PayFiView::fx_offers() const {
  return ledger::read_records<v1::FxOfferRecord>(state_, keys::fx_offers());
}

uint64_t PayFiView::pending(const crypto::Address& payee, std::string_view asset) const {
  return ledger::read_u64(state_, keys::pending(payee, asset));
}

uint64_t PayFiView::volume_30d(const crypto::Address& payee, std::string_view asset,
                               uint64_t time_ms) const {
  const uint64_t day = time_ms / kDayMs;
  uint64_t v = 0;
  for (uint64_t d = day >= kVolumeDays - 1 ? day - (kVolumeDays - 1) : 0; d <= day; ++d) {
    v = saturating_add(v, ledger::read_u64(state_, keys::volume(payee, asset, d)));
  }
  return v;
}

v1::Statement PayFiView::statement(const crypto::Address& payee, std::string_view asset,
                                   uint64_t from_ms, uint64_t to_ms) const {
  constexpr int kMaxLines = 1000;
  v1::Statement st;
  st.set_payee(payee.to_string());
  st.set_asset(std::string(asset));
  st.set_from_ms(from_ms);
  st.set_to_ms(to_ms);
  auto in = [&](uint64_t t) { return t >= from_ms && t < to_ms; };
  // What a payment still owed the payee at time t: paid before t, not settled before t, less
  // the refunds out of pending before t.
  auto pending_at = [&](const v1::PaymentRecord& p, const std::vector<v1::RefundRecord>& refunds,
                        uint64_t t) -> uint64_t {
    if (p.time_ms() >= t || (p.settled() && p.settled_ms() < t)) return 0;
    uint64_t owed = p.delivered();
    for (const auto& r : refunds) {
      if (r.from_pending() && r.time_ms() < t) owed -= r.amount();
    }
    return owed;
  };
  index_ids(keys::by_payee(payee), 0, UINT32_MAX, [&](uint64_t id) {
    auto p = payment(id);
    if (!p || payee_asset(*p) != asset) return;
    const auto rs = p->refunds() > 0 ? refunds(id) : std::vector<v1::RefundRecord>{};
    if (in(p->time_ms())) {
      st.set_fx_fees(st.fx_fees() + p->fx_fee());
      st.set_payments(st.payments() + 1);
      st.set_gross(st.gross() + p->delivered());
      if (st.lines_size() < kMaxLines) *st.add_lines() = *p;
    }
    for (const auto& r : rs) {
      if (!in(r.time_ms())) continue;
      if (r.from_pending()) {
        st.set_refunded_pending(st.refunded_pending() + r.amount());
      } else {
        st.set_refunded_settled(st.refunded_settled() + r.amount());
      }
    }
    st.set_opening_pending(st.opening_pending() + pending_at(*p, rs, from_ms));
    st.set_closing_pending(st.closing_pending() + pending_at(*p, rs, to_ms));
  });
  index_ids(keys::settlements_of(payee), 0, UINT32_MAX, [&](uint64_t id) {
    auto s = settlement(id);
    if (!s || s->asset() != asset || !in(s->time_ms())) return;
    st.set_fees(st.fees() + s->fee());
    st.set_settled_net(st.settled_net() + s->net());
  });
  st.set_net(st.settled_net() > st.refunded_settled() ? st.settled_net() - st.refunded_settled()
                                                      : 0);
  return st;
}

v1::PayFiGenesisState PayFiView::genesis_state() const {
  v1::PayFiGenesisState st;
  *st.mutable_params() = params();
  for (auto& r : assets()) *st.add_assets() = std::move(r);
  for (auto& r : freezes()) *st.add_freezes() = std::move(r);
  for (auto& r : ledger::read_records<v1::PayeeRecord>(state_, keys::payees())) {
    *st.add_payees() = std::move(r);
  }
  for (auto& r : ledger::read_records<v1::InvoiceRecord>(state_, keys::invoices())) {
    *st.add_invoices() = std::move(r);
  }
  for (auto& r : ledger::read_records<v1::PaymentRecord>(state_, keys::payments())) {
    fill_settlement(state_, r);  // what the import recreates the groups and settled keys from
    *st.add_payments() = std::move(r);
  }
  for (auto& r : ledger::read_records<v1::HoldRecord>(state_, keys::holds())) {
    *st.add_holds() = std::move(r);
  }
  for (auto& r : ledger::read_records<v1::RefundRecord>(state_, keys::refunds())) {
    *st.add_refunds() = std::move(r);
  }
  for (auto& r : ledger::read_records<v1::SettlementRecord>(state_, keys::settlements())) {
    *st.add_settlements() = std::move(r);
  }
  for (auto& r : ledger::read_records<v1::GatewayFlowRecord>(state_, keys::flows())) {
    *st.add_flows() = std::move(r);
  }
  const Bytes idem = keys::idempotency_all();
  state_.scan(idem, [&](std::string_view key, std::string_view value) {
    ledger::KeyReader r(key.substr(idem.size()));
    crypto::Address payer;
    if (!r.addr(payer)) throw std::logic_error("payfi: unreadable idempotency key");
    auto* e = st.add_idempotency();
    e->set_payer(payer.to_string());
    auto raw = from_hex(r.rest());
    e->set_client_payment_id(raw ? *raw : std::string());
    if (!e->mutable_record()->ParseFromArray(value.data(), static_cast<int>(value.size()))) {
      throw std::logic_error("payfi: unreadable idempotency record");
    }
    return true;
  });
  const Bytes vol = keys::volumes();
  state_.scan(vol, [&](std::string_view key, std::string_view value) {
    ledger::KeyReader r(key.substr(vol.size()));
    crypto::Address payee;
    std::string asset;
    uint64_t day = 0;
    if (!r.addr(payee) || !r.str(asset) || !r.u64(day)) {
      throw std::logic_error("payfi: unreadable volume key");
    }
    auto* v = st.add_volumes();
    v->set_payee(payee.to_string());
    v->set_asset(asset);
    v->set_day(day);
    std::string_view in = value;
    uint64_t amount = 0;
    (void)get_u64_be(in, amount);
    v->set_volume(amount);
    return true;
  });
  st.set_next_payment_id(ledger::read_u64(state_, keys::next_id("payment")));
  st.set_next_invoice_id(ledger::read_u64(state_, keys::next_id("invoice")));
  st.set_next_hold_id(ledger::read_u64(state_, keys::next_id("hold")));
  st.set_next_settlement_id(ledger::read_u64(state_, keys::next_id("settlement")));
  for (auto& r : ledger::read_records<v1::PlanRecord>(state_, keys::plans())) {
    *st.add_plans() = std::move(r);
  }
  for (auto& r : ledger::read_records<v1::SubscriptionRecord>(state_, keys::subscriptions())) {
    *st.add_subscriptions() = std::move(r);
  }
  for (auto& r : ledger::read_records<v1::FxOfferRecord>(state_, keys::fx_offers())) {
    *st.add_fx_offers() = std::move(r);
  }
  st.set_next_plan_id(ledger::read_u64(state_, keys::next_id("plan")));
  st.set_next_subscription_id(ledger::read_u64(state_, keys::next_id("subscription")));
  st.set_cycle(cycle());
  st.set_cycle_end_ms(cycle_end_ms());
  return st;
}

}  // namespace btt::modules::payfi

// The PayFi keeper (doc/payfi.md): every write of the module's keys. Money moves through the
// ledger's move/credit/debit, so each credit and debit is a recorded BalanceChange.
#include "keeper.h"

#include <algorithm>

#include "btt/common/amount.h"
#include "btt/common/checked.h"
#include "btt/crypto/hash.h"
#include "btt/modules/payfi/errors.h"
#include "btt/modules/payfi/events.h"
#include "btt/modules/staking/staking.h"
#include "btt/modules/tokenomics/tokenomics.h"
#include "keys.h"
#include "module.h"

namespace btt::modules::payfi {
namespace {

crypto::Address addr_of(const std::string& text) {
  auto a = crypto::Address::parse(text);
  if (!a) throw std::logic_error("payfi: stored address '" + text + "' does not parse");
  return *a;
}

template <typename Record>
void put_record(ledger::Overlay& state, std::string_view key, const Record& r) {
  state.put(key, r.SerializeAsString());
}

}  // namespace

std::string sha256_bytes(const std::string& bytes) {
  return to_bytes(crypto::sha256(bytes));
}

Result<Replay> check_idempotency(const ledger::StateReader& state, const crypto::Address& payer,
                                 const std::string& client_id, const std::string& digest,
                                 uint64_t time_ms) {
  auto r = ledger::read_record<v1::IdempotencyRecord>(state,
                                                      keys::idempotency(payer, to_hex(client_id)));
  Replay out;
  if (!r || r->expires_ms() <= time_ms) return out;
  if (r->params_digest() != digest) {
    return Status{errors::kIdempotencyConflict,
                  "client_payment_id " + to_hex(client_id) + " was used by payment " +
                      std::to_string(r->payment_id()) + " / hold " + std::to_string(r->hold_id()) +
                      " with other parameters"};
  }
  out.replay = true;
  out.record = *r;
  return out;
}

Bytes SettlementGroup::encode() const {
  Bytes out;
  put_u64_be(out, gross);
  put_u64_be(out, refunded);
  put_u64_be(out, payments);
  return out;
}

SettlementGroup SettlementGroup::decode(std::string_view bytes) {
  SettlementGroup g;
  std::string_view in = bytes;
  if (!get_u64_be(in, g.gross) || !get_u64_be(in, g.refunded) || !get_u64_be(in, g.payments) ||
      !in.empty()) {
    throw std::logic_error("payfi: unreadable settlement group " + to_hex(bytes));
  }
  return g;
}

uint64_t settlement_id_of(const ledger::StateReader& state, const v1::PaymentRecord& p) {
  return ledger::read_u64(state, keys::settled(addr_of(p.payee()), payee_asset(p), p.cycle()));
}

void fill_settlement(const ledger::StateReader& state, v1::PaymentRecord& p) {
  const uint64_t id = settlement_id_of(state, p);
  if (id == 0) return;
  p.set_settled(true);
  p.set_settlement_id(id);
  if (auto s = ledger::read_record<v1::SettlementRecord>(state, keys::settlement(id))) {
    p.set_settled_ms(s->time_ms());
  }
}

PayFiKeeper::PayFiKeeper(ledger::Overlay& state, ledger::Events& events,
                         const ledger::LockProviders* locks, const ledger::BlockInfo& block)
    : state_(state),
      events_(events),
      locks_(locks),
      block_(block),
      params_(params_spec().get(state)) {}

uint64_t PayFiKeeper::next_id(std::string_view name) {
  return ledger::take_next_id(state_, keys::next_id(name));
}

void PayFiKeeper::init(const v1::PayFiParams& p) {
  params_spec().set(state_, p);
  params_ = p;
  ledger::write_u64(state_, keys::cycle(), 1);
  ledger::write_u64(state_, keys::cycle_end(), block_.time_ms + p.settlement_cycle_ms());
}

// --- payment assets --------------------------------------------------------------------------

void PayFiKeeper::register_asset(const crypto::Address& gateway,
                                 const v1::MsgRegisterPaymentAsset& m) {
  ledger::Ledger ledger(state_, events_, locks_);
  v1::AssetInfo info;
  info.set_asset(m.asset());
  info.set_decimals(m.decimals());
  ledger.set_asset(info);
  ledger.set_supply(m.asset(), 0);
  v1::PaymentAssetRecord r;
  r.set_asset(m.asset());
  r.set_gateway(gateway.to_string());
  r.set_decimals(m.decimals());
  r.set_name(m.name());
  r.set_registered_height(block_.height);
  put_record(state_, keys::asset(m.asset()), r);
  events_.emit(events::kAssetRegistered)
      .attr("asset", m.asset())
      .attr("gateway", r.gateway())
      .attr("decimals", uint64_t{m.decimals()});
}

Status PayFiKeeper::deposit(const v1::MsgGatewayDeposit& m) {
  auto r = ledger::read_record<v1::PaymentAssetRecord>(state_, keys::asset(m.asset()));
  if (!r) return {errors::kUnknownPaymentAsset, "gateway_deposit: no payment asset " + m.asset()};
  ledger::Ledger ledger(state_, events_, locks_);
  const auto supply = checked_add(ledger.supply(m.asset()), m.amount());
  const auto minted = checked_add(r->minted(), m.amount());
  if (!supply || !minted) {
    return {Code::kBalanceOverflow,
            "gateway_deposit: the supply of " + m.asset() + " would overflow"};
  }
  const auto to = addr_of(m.to());
  if (auto s = ledger.credit(to, m.asset(), m.amount()); !s) return s;
  ledger.set_supply(m.asset(), *supply);
  r->set_minted(*minted);
  r->set_deposits(r->deposits() + 1);
  put_record(state_, keys::asset(m.asset()), *r);
  v1::GatewayFlowRecord f;
  f.set_asset(m.asset());
  f.set_kind(v1::GATEWAY_FLOW_DEPOSIT);
  f.set_account(m.to());
  f.set_amount(m.amount());
  f.set_reference(m.deposit_ref());
  f.set_height(block_.height);
  f.set_time_ms(block_.time_ms);
  put_record(state_, keys::flow(m.asset(), v1::GATEWAY_FLOW_DEPOSIT, m.deposit_ref()), f);
  events_.emit(events::kDeposit)
      .attr("asset", m.asset())
      .attr("to", m.to())
      .attr("amount", m.amount())
      .attr("deposit_ref", m.deposit_ref())
      .attr("supply", *supply);
  return Status::ok();
}

Status PayFiKeeper::withdraw(const crypto::Address& holder, const v1::MsgGatewayWithdraw& m) {
  auto r = ledger::read_record<v1::PaymentAssetRecord>(state_, keys::asset(m.asset()));
  if (!r) return {errors::kUnknownPaymentAsset, "gateway_withdraw: no payment asset " + m.asset()};
  ledger::Ledger ledger(state_, events_, locks_);
  if (auto s = ledger.debit(holder, m.asset(), m.amount()); !s) return s;
  const uint64_t supply = ledger.supply(m.asset()) - m.amount();  // supply >= every balance
  ledger.set_supply(m.asset(), supply);
  r->set_withdrawn(r->withdrawn() + m.amount());
  r->set_withdrawals(r->withdrawals() + 1);
  put_record(state_, keys::asset(m.asset()), *r);
  v1::GatewayFlowRecord f;
  f.set_asset(m.asset());
  f.set_kind(v1::GATEWAY_FLOW_WITHDRAWAL);
  f.set_account(holder.to_string());
  f.set_amount(m.amount());
  f.set_reference(m.payout_ref());
  f.set_height(block_.height);
  f.set_time_ms(block_.time_ms);
  put_record(state_, keys::flow(m.asset(), v1::GATEWAY_FLOW_WITHDRAWAL, m.payout_ref()), f);
  events_.emit(events::kWithdrawal)
      .attr("asset", m.asset())
      .attr("from", f.account())
      .attr("amount", m.amount())
      .attr("payout_ref", m.payout_ref())
      .attr("supply", supply);
  return Status::ok();
}

void PayFiKeeper::freeze(const v1::MsgFreezeHolding& m) {
  const auto who = addr_of(m.account());
  if (m.unfreeze()) {
    state_.erase(keys::frozen(m.asset(), who));
    events_.emit(events::kUnfrozen)
        .attr("asset", m.asset())
        .attr("account", m.account())
        .attr("reason_code", uint64_t{m.reason_code()});
    return;
  }
  v1::FreezeRecord f;
  f.set_asset(m.asset());
  f.set_account(m.account());
  f.set_reason_code(m.reason_code());
  f.set_height(block_.height);
  put_record(state_, keys::frozen(m.asset(), who), f);
  events_.emit(events::kFrozen)
      .attr("asset", m.asset())
      .attr("account", m.account())
      .attr("reason_code", uint64_t{m.reason_code()});
}

Status PayFiKeeper::clawback(const v1::MsgClawback& m) {
  auto r = ledger::read_record<v1::PaymentAssetRecord>(state_, keys::asset(m.asset()));
  if (!r) return {errors::kUnknownPaymentAsset, "clawback: no payment asset " + m.asset()};
  ledger::Ledger ledger(state_, events_, locks_);
  // A gateway's power over its own asset: the frozen holding is debited past its freeze lock.
  if (auto s = ledger.debit(addr_of(m.account()), m.asset(), m.amount()); !s) return s;
  const uint64_t supply = ledger.supply(m.asset()) - m.amount();
  ledger.set_supply(m.asset(), supply);
  r->set_clawed_back(r->clawed_back() + m.amount());
  r->set_clawbacks(r->clawbacks() + 1);
  put_record(state_, keys::asset(m.asset()), *r);
  v1::GatewayFlowRecord f;
  f.set_asset(m.asset());
  f.set_kind(v1::GATEWAY_FLOW_CLAWBACK);
  f.set_account(m.account());
  f.set_amount(m.amount());
  f.set_reference("clawback-" + std::to_string(r->clawbacks()));
  f.set_reason_code(m.reason_code());
  f.set_height(block_.height);
  f.set_time_ms(block_.time_ms);
  put_record(state_, keys::flow(m.asset(), v1::GATEWAY_FLOW_CLAWBACK, f.reference()), f);
  events_.emit(events::kClawback)
      .attr("asset", m.asset())
      .attr("account", m.account())
      .attr("amount", m.amount())
      .attr("reason_code", uint64_t{m.reason_code()})
      .attr("supply", supply);
  return Status::ok();
}

// --- payees and invoices --------------------------------------------------------------------

void PayFiKeeper::register_payee(const crypto::Address& payee, const v1::MsgRegisterPayee& m) {
  auto old = ledger::read_record<v1::PayeeRecord>(state_, keys::payee(payee));
  v1::PayeeRecord p;
  p.set_payee(payee.to_string());
  p.set_name_hash(m.name_hash());
  p.set_category(m.category());
  p.set_settlement_account(m.settlement_account().empty() ? payee.to_string()
                                                          : m.settlement_account());
  p.set_settlement_asset(m.settlement_asset());
  p.set_registered_height(old ? old->registered_height() : block_.height);
  put_record(state_, keys::payee(payee), p);
  events_.emit(events::kPayeeRegistered)
      .attr("payee", p.payee())
      .attr("category", p.category())
      .attr("settlement_account", p.settlement_account())
      .attr("settlement_asset", p.settlement_asset());
}

void PayFiKeeper::create_invoice(const crypto::Address& payee, const v1::MsgCreateInvoice& m) {
  const auto p = ledger::read_record<v1::PayeeRecord>(state_, keys::payee(payee));
  v1::InvoiceRecord inv;
  inv.set_id(next_id("invoice"));
  inv.set_payee(payee.to_string());
  inv.set_reference(m.reference());
  inv.set_amount(m.amount());
  inv.set_asset(m.asset().empty() && p ? p->settlement_asset() : m.asset());
  inv.set_memo_hash(m.memo_hash());
  inv.set_expiry_ms(m.expiry_ms());
  inv.set_line_items_hash(m.line_items_hash());
  inv.set_status(v1::INVOICE_STATUS_OPEN);
  inv.set_created_ms(block_.time_ms);
  put_record(state_, keys::invoice(inv.id()), inv);
  ledger::write_u64(state_, keys::invoice_ref(payee, m.reference()), inv.id());
  events_.emit(events::kInvoiceCreated)
      .attr("invoice_id", inv.id())
      .attr("payee", inv.payee())
      .attr("reference", inv.reference())
      .attr("amount", inv.amount())
      .attr("asset", inv.asset())
      .attr("expiry_ms", inv.expiry_ms());
}

void PayFiKeeper::cancel_invoice(uint64_t id) {
  auto inv = ledger::read_record<v1::InvoiceRecord>(state_, keys::invoice(id));
  if (!inv) return;
  inv->set_status(v1::INVOICE_STATUS_CANCELLED);
  put_record(state_, keys::invoice(id), *inv);
  events_.emit(events::kInvoiceCancelled).attr("invoice_id", id).attr("payee", inv->payee());
}

// --- payments -------------------------------------------------------------------------------

void PayFiKeeper::remember(const crypto::Address& payer, const std::string& client_id,
                           const std::string& digest, uint64_t payment_id, uint64_t hold_id) {
  const std::string hex = to_hex(client_id);
  v1::IdempotencyRecord r;
  r.set_payment_id(payment_id);
  r.set_hold_id(hold_id);
  r.set_params_digest(digest);
  r.set_expires_ms(block_.time_ms + params_.idempotency_window_ms());
  put_record(state_, keys::idempotency(payer, hex), r);
  state_.put(keys::idempotency_expiry(r.expires_ms(), payer, hex), "");
}

void PayFiKeeper::replayed(const crypto::Address& payer, const v1::IdempotencyRecord& r) {
  events_.emit(events::kReplayed)
      .attr("payer", payer.to_string())
      .attr("payment_id", r.payment_id())
      .attr("hold_id", r.hold_id());
}

Status PayFiKeeper::add_pending(const crypto::Address& payee, std::string_view asset,
                                uint64_t amount, bool add) {
  const Bytes key = keys::pending(payee, asset);
  const uint64_t now = ledger::read_u64(state_, key);
  if (!add && amount > now) {
    throw std::logic_error("payfi: pending of " + payee.to_string() + " below a debit");
  }
  auto next = add ? checked_add(now, amount) : std::optional<uint64_t>(now - amount);
  if (!next) return {Code::kBalanceOverflow, "payfi: the payee's pending balance would overflow"};
  if (*next == 0) {
    state_.erase(key);
  } else {
    ledger::write_u64(state_, key, *next);
  }
  return Status::ok();
}

Result<uint64_t> PayFiKeeper::record_payment(v1::PaymentRecord p) {
  const auto payee = addr_of(p.payee());
  const auto payer = addr_of(p.payer());
  if (auto s = add_pending(payee, payee_asset(p), p.delivered(), true); !s) return s;
  p.set_id(next_id("payment"));
  p.set_height(block_.height);
  p.set_time_ms(block_.time_ms);
  p.set_cycle(ledger::read_u64(state_, keys::cycle()));
  put_record(state_, keys::payment(p.id()), p);
  state_.put(keys::by_payee(payee, p.id()), "");
  state_.put(keys::by_payer(payer, p.id()), "");
  if (!p.reference().empty()) state_.put(keys::by_ref(payee, p.reference(), p.id()), "");
  add_to_group(p, p.delivered(), 0);
  events_.emit(events::kPayment)
      .attr("payment_id", p.id())
      .attr("payer", p.payer())
      .attr("payee", p.payee())
      .attr("asset", p.asset())
      .attr("amount", p.amount())
      .attr("delivered", p.delivered())
      .attr("delivered_asset", payee_asset(p))
      .attr("invoice_id", p.invoice_id())
      .attr("reference", p.reference())
      .attr("hold_id", p.hold_id());
  return p.id();
}

Status PayFiKeeper::pay(const crypto::Address& payer, const v1::MsgPay& m, const Hash32& tx_id,
                        const std::string& digest) {
  ledger::Ledger ledger(state_, events_, locks_);
  v1::PaymentRecord p;
  p.set_payer(payer.to_string());
  p.set_payee(m.payee());
  p.set_asset(m.asset());
  p.set_amount(m.amount());
  const std::string& out_asset = delivered_asset(m);
  std::optional<FxQuote> fx;
  if (out_asset == m.asset()) {
    if (auto s = ledger.move(payer, pending_address(), m.asset(), m.amount(), block_.time_ms); !s) {
      return s;
    }
    p.set_delivered(m.amount());
  } else {
    // The payer's asset goes to the provider; the provider's delivers into pending and pays the
    // platform's part of the conversion fee.
    auto q = quote_fx(state_, locks_, m.asset(), out_asset, m.amount(), block_.time_ms);
    if (!q) return q.status();
    fx = *q;
    if (auto s = ledger.move(payer, fx->provider, m.asset(), m.amount(), block_.time_ms); !s) {
      return s;
    }
    if (auto s =
            ledger.move(fx->provider, pending_address(), out_asset, fx->delivered, block_.time_ms);
        !s) {
      return s;
    }
    if (auto s = pay_fee(fx->provider, out_asset, fx->platform_fee); !s) return s;
    p.set_delivered(fx->delivered);
    p.set_delivered_asset(out_asset);
    p.set_fx_fee(fx->fee);
    p.set_fx_rate_num(fx->rate_num);
    p.set_fx_rate_den(fx->rate_den);
    p.set_fx_provider(fx->provider.to_string());
  }
  std::optional<v1::InvoiceRecord> inv;
  if (m.invoice_id() != 0) {
    inv = ledger::read_record<v1::InvoiceRecord>(state_, keys::invoice(m.invoice_id()));
  }
  p.set_invoice_id(m.invoice_id());
  p.set_reference(inv && m.reference().empty() ? inv->reference() : m.reference());
  p.set_client_payment_id(m.client_payment_id());
  p.set_memo_hash(m.memo_hash());
  p.set_tx_id(to_bytes(tx_id));
  auto id = record_payment(p);
  if (!id) return id.status();
  if (fx) {
    events_.emit(events::kConverted)
        .attr("payment_id", *id)
        .attr("payee", m.payee())
        .attr("provider", fx->provider.to_string())
        .attr("from_asset", m.asset())
        .attr("amount", m.amount())
        .attr("to_asset", out_asset)
        .attr("converted", fx->converted)
        .attr("fee", fx->fee)
        .attr("delivered", fx->delivered)
        .attr("rate_num", fx->rate_num)
        .attr("rate_den", fx->rate_den);
  }
  if (inv) {
    inv->set_status(v1::INVOICE_STATUS_PAID);
    inv->set_payment_id(*id);
    put_record(state_, keys::invoice(inv->id()), *inv);
  }
  remember(payer, m.client_payment_id(), digest, *id, 0);
  return Status::ok();
}

Status PayFiKeeper::refund(const v1::MsgRefund& m) {
  auto p = ledger::read_record<v1::PaymentRecord>(state_, keys::payment(m.payment_id()));
  if (!p) return {errors::kNoPayment, "refund: no payment " + std::to_string(m.payment_id())};
  const auto payer = addr_of(p->payer());
  const auto payee = addr_of(p->payee());
  ledger::Ledger ledger(state_, events_, locks_);
  // Before settlement the refund comes out of the payee's pending balance; after it, out of the
  // payee's own account (the signer of the refund).
  const bool from_pending = settlement_id_of(state_, *p) == 0;
  const crypto::Address from = from_pending ? pending_address() : payee;
  // In the asset the payment delivered (a converted payment is not converted back).
  const std::string& asset = payee_asset(*p);
  if (auto s = ledger.move(from, payer, asset, m.amount(), block_.time_ms); !s) return s;
  if (from_pending) {
    if (auto s = add_pending(payee, asset, m.amount(), false); !s) return s;
    add_to_group(*p, 0, m.amount());
  }
  p->set_refunded(p->refunded() + m.amount());
  p->set_refunds(p->refunds() + 1);
  put_record(state_, keys::payment(p->id()), *p);
  v1::RefundRecord r;
  r.set_payment_id(p->id());
  r.set_seq(p->refunds());
  r.set_amount(m.amount());
  r.set_reason_code(m.reason_code());
  r.set_from_pending(from_pending);
  r.set_height(block_.height);
  r.set_time_ms(block_.time_ms);
  put_record(state_, keys::refund(p->id(), r.seq()), r);
  events_.emit(events::kRefund)
      .attr("payment_id", p->id())
      .attr("payee", p->payee())
      .attr("amount", m.amount())
      .attr("reason_code", uint64_t{m.reason_code()})
      .attr("refunded", p->refunded())
      .attr("from_pending", from_pending ? "true" : "false");
  return Status::ok();
}

// --- holds ----------------------------------------------------------------------------------

Status PayFiKeeper::place_hold(const crypto::Address& payer, const v1::MsgPlaceHold& m,
                               const std::string& digest) {
  ledger::Ledger ledger(state_, events_, locks_);
  if (auto s = ledger.move(payer, holds_address(), m.asset(), m.amount(), block_.time_ms); !s) {
    return s;
  }
  v1::HoldRecord h;
  h.set_id(next_id("hold"));
  h.set_payer(payer.to_string());
  h.set_payee(m.payee());
  h.set_asset(m.asset());
  h.set_amount(m.amount());
  h.set_expiry_ms(m.expiry_ms());
  h.set_reference(m.reference());
  h.set_client_payment_id(m.client_payment_id());
  h.set_status(v1::HOLD_STATUS_OPEN);
  h.set_created_ms(block_.time_ms);
  put_record(state_, keys::hold(h.id()), h);
  state_.put(keys::hold_expiry(h.expiry_ms(), h.id()), "");
  remember(payer, m.client_payment_id(), digest, 0, h.id());
  events_.emit(events::kHoldPlaced)
      .attr("hold_id", h.id())
      .attr("payer", h.payer())
      .attr("payee", h.payee())
      .attr("asset", h.asset())
      .attr("amount", h.amount())
      .attr("expiry_ms", h.expiry_ms());
  return Status::ok();
}

void PayFiKeeper::release_hold(v1::HoldRecord& h, v1::HoldStatus status) {
  const uint64_t rest = h.amount() - h.captured();
  if (rest > 0) {
    ledger::Ledger ledger(state_, events_, locks_);
    // The holds account holds exactly what open holds reserve (invariant), so this cannot fail.
    if (auto s = ledger.move(holds_address(), addr_of(h.payer()), h.asset(), rest, block_.time_ms);
        !s) {
      throw std::logic_error("payfi: hold " + std::to_string(h.id()) + " return: " + s.to_string());
    }
  }
  h.set_returned(rest);
  h.set_status(status);
  put_record(state_, keys::hold(h.id()), h);
  state_.erase(keys::hold_expiry(h.expiry_ms(), h.id()));
  events_.emit(events::kHoldReleased)
      .attr("hold_id", h.id())
      .attr("payee", h.payee())
      .attr("returned", rest)
      .attr("status", status == v1::HOLD_STATUS_EXPIRED ? "expired" : "captured");
}

Status PayFiKeeper::capture(const v1::MsgCaptureHold& m, const Hash32& tx_id) {
  auto h = ledger::read_record<v1::HoldRecord>(state_, keys::hold(m.hold_id()));
  if (!h) return {errors::kNoHold, "capture_hold: no hold " + std::to_string(m.hold_id())};
  if (m.amount() > 0) {
    ledger::Ledger ledger(state_, events_, locks_);
    if (auto s =
            ledger.move(holds_address(), pending_address(), h->asset(), m.amount(), block_.time_ms);
        !s) {
      return s;
    }
    v1::PaymentRecord p;
    p.set_payer(h->payer());
    p.set_payee(h->payee());
    p.set_asset(h->asset());
    p.set_amount(m.amount());
    p.set_delivered(m.amount());
    p.set_reference(h->reference());
    p.set_hold_id(h->id());
    p.set_tx_id(to_bytes(tx_id));
    auto id = record_payment(p);
    if (!id) return id.status();
    h->set_captured(h->captured() + m.amount());
    h->set_captures(h->captures() + 1);
    put_record(state_, keys::hold(h->id()), *h);
    events_.emit(events::kHoldCaptured)
        .attr("hold_id", h->id())
        .attr("payee", h->payee())
        .attr("payment_id", *id)
        .attr("amount", m.amount())
        .attr("captured", h->captured());
  }
  if (m.final() || h->captured() == h->amount()) release_hold(*h, v1::HOLD_STATUS_CAPTURED);
  return Status::ok();
}

// --- end block ------------------------------------------------------------------------------

void PayFiKeeper::end_block() {
  const uint64_t end = ledger::read_u64(state_, keys::cycle_end());
  if (block_.time_ms >= end) {
    // Cycles are aligned to the genesis boundary; a long gap closes one cycle, not several.
    const uint64_t step = params_.settlement_cycle_ms();
    const uint64_t skipped = (block_.time_ms - end) / step + 1;
    const auto next_end = checked_add(end, *checked_mul(skipped, step));
    ledger::write_u64(state_, keys::cycle(), ledger::read_u64(state_, keys::cycle()) + 1);
    ledger::write_u64(state_, keys::cycle_end(), next_end ? *next_end : UINT64_MAX);
  }
  // Charges first, so a charge due at a cycle's end is paid into the cycle now open.
  charge_subscriptions(params_.subscription_budget_per_block());
  settle(params_.settlement_budget_per_block());
  uint64_t budget = params_.prune_budget_per_block();
  expire_holds(budget);
  prune_ids(budget);
}

Status PayFiKeeper::pay_fee(const crypto::Address& from, const std::string& asset, uint64_t fee) {
  if (fee == 0) return Status::ok();
  ledger::Ledger ledger(state_, events_, locks_);
  // The development share rounds down; the treasury takes the rest of the fee.
  const auto split = bps_share(fee, params_.development_share_bps());
  if (split->part > 0) {
    if (auto s = ledger.move(from, development_address(), asset, split->part, block_.time_ms); !s) {
      return s;
    }
  }
  if (split->remainder > 0) {
    return ledger.move(from, tokenomics::pool_address("treasury"), asset, split->remainder,
                       block_.time_ms);
  }
  return Status::ok();
}

void PayFiKeeper::add_to_group(const v1::PaymentRecord& p, uint64_t delivered, uint64_t refunded) {
  const Bytes key = keys::queued(p.cycle(), addr_of(p.payee()), payee_asset(p));
  auto raw = state_.get(key);
  SettlementGroup g = raw ? SettlementGroup::decode(*raw) : SettlementGroup{};
  // A group's sums stay below the pending balance, which add_pending keeps within a u64.
  g.gross += delivered;
  g.refunded += refunded;
  if (delivered > 0) ++g.payments;
  state_.put(key, g.encode());
}

void PayFiKeeper::settle(uint64_t budget) {
  const uint64_t open_cycle = ledger::read_u64(state_, keys::cycle());
  struct Entry {
    uint64_t cycle;
    crypto::Address payee;
    std::string asset;
    SettlementGroup group;
    Bytes key;
  };
  std::vector<Entry> batch;
  const Bytes prefix = keys::queue();
  state_.scan(prefix, [&](std::string_view key, std::string_view value) {
    if (batch.size() >= budget) return false;
    ledger::KeyReader r(key.substr(prefix.size()));
    Entry e;
    if (!r.u64(e.cycle) || !r.addr(e.payee)) {
      throw std::logic_error("payfi: unreadable settlement queue key " + to_hex(key));
    }
    if (e.cycle >= open_cycle) return false;  // the open cycle and later wait
    e.asset = std::string(r.rest());
    e.group = SettlementGroup::decode(value);
    e.key = Bytes(key);
    batch.push_back(std::move(e));
    return true;
  });
  for (const auto& e : batch) {
    state_.erase(e.key);
    pay_group(e.cycle, e.payee, e.asset, e.group);
  }
}

uint32_t PayFiKeeper::fee_bps(const crypto::Address& payee, const std::string& asset,
                              uint64_t day) const {
  uint64_t volume = 0;
  for (uint64_t d = day >= kVolumeDays - 1 ? day - (kVolumeDays - 1) : 0; d <= day; ++d) {
    volume = saturating_add(volume, ledger::read_u64(state_, keys::volume(payee, asset, d)));
  }
  uint32_t bps = params_.base_fee_bps();
  for (const auto& t : params_.volume_tiers()) {
    if (t.asset() == asset && volume >= t.min_volume()) bps = std::min(bps, t.fee_bps());
  }
  const uint32_t tier = staking::tier_of(state_, payee, block_.time_ms);
  uint32_t discount = 0;
  if (tier > 0 && params_.staker_discount_bps_size() > 0) {
    const int at = std::min<int>(static_cast<int>(tier), params_.staker_discount_bps_size()) - 1;
    discount = params_.staker_discount_bps(at);
  }
  const uint32_t discounted = discount >= bps ? 0 : bps - discount;
  return std::max(discounted, params_.min_fee_bps());
}

void PayFiKeeper::pay_group(uint64_t cycle, const crypto::Address& payee, const std::string& asset,
                            const SettlementGroup& group) {
  v1::SettlementRecord s;
  s.set_id(next_id("settlement"));
  s.set_payee(payee.to_string());
  s.set_asset(asset);
  s.set_cycle(cycle);
  s.set_height(block_.height);
  s.set_time_ms(block_.time_ms);
  const uint64_t gross = group.gross;
  const uint64_t refunded = group.refunded;
  // The group's payments (and their invoices) read as settled from now on: settlement_id_of.
  ledger::write_u64(state_, keys::settled(payee, asset, cycle), s.id());
  const uint64_t owed = gross - refunded;
  const uint64_t day = block_.time_ms / kDayMs;
  const uint32_t bps = fee_bps(payee, asset, day);
  // The fee rounds down: the payee keeps the remainder of the division.
  const uint64_t fee = bps_share(owed, bps)->part;
  const uint64_t net = owed - fee;
  const auto rec = ledger::read_record<v1::PayeeRecord>(state_, keys::payee(payee));
  const crypto::Address to = rec ? addr_of(rec->settlement_account()) : payee;
  ledger::Ledger ledger(state_, events_, locks_);
  auto must = [&](const Status& st) {
    if (!st)
      throw std::logic_error("payfi: settlement " + std::to_string(s.id()) + ": " + st.to_string());
  };
  if (net > 0) must(ledger.move(pending_address(), to, asset, net, block_.time_ms));
  must(pay_fee(pending_address(), asset, fee));
  must(add_pending(payee, asset, owed, false));
  const Bytes vol_key = keys::volume(payee, asset, day);
  ledger::write_u64(state_, vol_key, saturating_add(ledger::read_u64(state_, vol_key), owed));
  if (day >= kVolumeDays) state_.erase(keys::volume(payee, asset, day - kVolumeDays));
  s.set_payments(group.payments);
  s.set_gross(gross);
  s.set_refunded(refunded);
  s.set_fee(fee);
  s.set_net(net);
  s.set_fee_bps(bps);
  s.set_settlement_account(to.to_string());
  put_record(state_, keys::settlement(s.id()), s);
  state_.put(keys::settlement_of(payee, s.id()), "");
  events_.emit(events::kSettled)
      .attr("settlement_id", s.id())
      .attr("payee", s.payee())
      .attr("asset", asset)
      .attr("cycle", cycle)
      .attr("payments", s.payments())
      .attr("gross", gross)
      .attr("refunded", refunded)
      .attr("fee", fee)
      .attr("net", net)
      .attr("fee_bps", uint64_t{bps});
}

// --- conversion offers -----------------------------------------------------------------------

void PayFiKeeper::offer_fx(const crypto::Address& provider, const v1::MsgOfferFx& m) {
  const Bytes key = keys::fx_offer(m.from_asset(), m.to_asset(), provider);
  if (m.withdraw()) {
    state_.erase(key);
  } else {
    v1::FxOfferRecord r;
    r.set_provider(provider.to_string());
    r.set_from_asset(m.from_asset());
    r.set_to_asset(m.to_asset());
    r.set_created_height(block_.height);
    put_record(state_, key, r);
  }
  events_.emit(events::kFxOffered)
      .attr("provider", provider.to_string())
      .attr("from_asset", m.from_asset())
      .attr("to_asset", m.to_asset())
      .attr("withdrawn", m.withdraw() ? "true" : "false");
}

// --- subscriptions ---------------------------------------------------------------------------

void PayFiKeeper::create_plan(const crypto::Address& payee, const v1::MsgCreatePlan& m) {
  const auto p = ledger::read_record<v1::PayeeRecord>(state_, keys::payee(payee));
  v1::PlanRecord plan;
  plan.set_id(next_id("plan"));
  plan.set_payee(payee.to_string());
  plan.set_name(m.name());
  plan.set_amount(m.amount());
  plan.set_asset(m.asset().empty() && p ? p->settlement_asset() : m.asset());
  plan.set_period_ms(m.period_ms());
  plan.set_created_ms(block_.time_ms);
  put_record(state_, keys::plan(plan.id()), plan);
  state_.put(keys::plan_of(payee, plan.id()), "");
  events_.emit(events::kPlanCreated)
      .attr("plan_id", plan.id())
      .attr("payee", plan.payee())
      .attr("name", plan.name())
      .attr("amount", plan.amount())
      .attr("asset", plan.asset())
      .attr("period_ms", plan.period_ms());
}

void PayFiKeeper::put_subscription(const v1::SubscriptionRecord& s, uint64_t old_attempt_ms) {
  if (old_attempt_ms != 0) state_.erase(keys::subscription_due(old_attempt_ms, s.id()));
  put_record(state_, keys::subscription(s.id()), s);
  if (s.status() == v1::SUBSCRIPTION_STATUS_ACTIVE ||
      s.status() == v1::SUBSCRIPTION_STATUS_PAST_DUE) {
    state_.put(keys::subscription_due(s.next_attempt_ms(), s.id()), "");
  }
}

void PayFiKeeper::subscribe(const crypto::Address& payer, const v1::MsgSubscribe& m) {
  auto plan = ledger::read_record<v1::PlanRecord>(state_, keys::plan(m.plan_id()));
  if (!plan) return;  // preclaim found it
  plan->set_subscriptions(plan->subscriptions() + 1);
  put_record(state_, keys::plan(plan->id()), *plan);
  v1::SubscriptionRecord s;
  s.set_id(next_id("subscription"));
  s.set_plan_id(plan->id());
  s.set_payer(payer.to_string());
  s.set_payee(plan->payee());
  s.set_cap_per_period(m.cap_per_period());
  s.set_status(v1::SUBSCRIPTION_STATUS_ACTIVE);
  s.set_due_ms(std::max(m.start_ms(), block_.time_ms));
  s.set_next_attempt_ms(s.due_ms());
  s.set_created_ms(block_.time_ms);
  put_subscription(s, 0);
  state_.put(keys::subscription_of_payer(payer, s.id()), "");
  state_.put(keys::subscription_of_payee(addr_of(plan->payee()), s.id()), "");
  events_.emit(events::kSubscribed)
      .attr("subscription_id", s.id())
      .attr("plan_id", plan->id())
      .attr("payer", s.payer())
      .attr("payee", s.payee())
      .attr("cap_per_period", s.cap_per_period())
      .attr("first_charge_ms", s.due_ms());
}

void PayFiKeeper::cancel_subscription(const crypto::Address& by, uint64_t id) {
  auto s = ledger::read_record<v1::SubscriptionRecord>(state_, keys::subscription(id));
  if (!s) return;
  const uint64_t old = s->next_attempt_ms();
  s->set_status(v1::SUBSCRIPTION_STATUS_CANCELLED);
  s->set_ended_ms(block_.time_ms);
  put_subscription(*s, old);
  events_.emit(events::kSubscriptionCancelled)
      .attr("subscription_id", id)
      .attr("payee", s->payee())
      .attr("by", by.to_string());
}

void PayFiKeeper::charge(v1::SubscriptionRecord& s) {
  const uint64_t old = s.next_attempt_ms();
  const auto plan = ledger::read_record<v1::PlanRecord>(state_, keys::plan(s.plan_id()));
  if (!plan)
    throw std::logic_error("payfi: subscription " + std::to_string(s.id()) + " has no plan");
  const auto payer = addr_of(s.payer());
  Status paid{errors::kCapBelowAmount, "the plan's amount is above the cap"};
  if (plan->amount() <= s.cap_per_period()) {
    // A refused move writes nothing: a failed charge leaves only the past-due state.
    ledger::Ledger ledger(state_, events_, locks_);
    paid = ledger.move(payer, pending_address(), plan->asset(), plan->amount(), block_.time_ms);
  }
  if (paid) {
    v1::PaymentRecord p;
    p.set_payer(s.payer());
    p.set_payee(s.payee());
    p.set_asset(plan->asset());
    p.set_amount(plan->amount());
    p.set_delivered(plan->amount());
    p.set_reference("subscription-" + std::to_string(s.id()) + "-" +
                    std::to_string(s.charges() + 1));
    p.set_subscription_id(s.id());
    auto id = record_payment(p);
    if (!id) throw std::logic_error("payfi: subscription charge: " + id.status().to_string());
    s.set_charges(s.charges() + 1);
    s.set_charged(saturating_add(s.charged(), plan->amount()));
    s.set_last_payment_id(*id);
    s.set_paid_through_ms(saturating_add(s.due_ms(), plan->period_ms()));
    s.set_due_ms(s.paid_through_ms());
    s.set_next_attempt_ms(s.due_ms());
    s.set_status(v1::SUBSCRIPTION_STATUS_ACTIVE);
    s.set_past_due_since_ms(0);
    put_subscription(s, old);
    events_.emit(events::kSubscriptionCharged)
        .attr("subscription_id", s.id())
        .attr("payee", s.payee())
        .attr("payment_id", *id)
        .attr("amount", plan->amount())
        .attr("paid_through_ms", s.paid_through_ms());
    return;
  }
  if (s.status() == v1::SUBSCRIPTION_STATUS_ACTIVE) {
    s.set_status(v1::SUBSCRIPTION_STATUS_PAST_DUE);
    s.set_past_due_since_ms(s.due_ms());
  }
  const uint64_t lapse_ms = saturating_add(s.past_due_since_ms(), params_.subscription_grace_ms());
  if (block_.time_ms >= lapse_ms) {
    s.set_status(v1::SUBSCRIPTION_STATUS_LAPSED);
    s.set_ended_ms(block_.time_ms);
    put_subscription(s, old);
    events_.emit(events::kSubscriptionLapsed)
        .attr("subscription_id", s.id())
        .attr("payee", s.payee())
        .attr("due_ms", s.due_ms());
    return;
  }
  // Retried every subscription_retry_ms, and once more exactly when the grace period ends.
  s.set_next_attempt_ms(
      std::min(saturating_add(block_.time_ms, params_.subscription_retry_ms()), lapse_ms));
  put_subscription(s, old);
  events_.emit(events::kSubscriptionPastDue)
      .attr("subscription_id", s.id())
      .attr("payee", s.payee())
      .attr("due_ms", s.due_ms())
      .attr("error", paid.message());
}

void PayFiKeeper::charge_subscriptions(uint64_t budget) {
  std::vector<uint64_t> due;
  const Bytes prefix = keys::subscriptions_due();
  state_.scan(prefix, [&](std::string_view key, std::string_view) {
    if (due.size() >= budget) return false;
    ledger::KeyReader r(key.substr(prefix.size()));
    uint64_t at = 0;
    uint64_t id = 0;
    if (!r.u64(at) || !r.u64(id)) {
      throw std::logic_error("payfi: unreadable subscription key " + to_hex(key));
    }
    if (at > block_.time_ms) return false;
    due.push_back(id);
    return true;
  });
  for (uint64_t id : due) {
    auto s = ledger::read_record<v1::SubscriptionRecord>(state_, keys::subscription(id));
    if (!s) throw std::logic_error("payfi: due subscription " + std::to_string(id) + " is missing");
    charge(*s);
  }
}

void PayFiKeeper::expire_holds(uint64_t& budget) {
  std::vector<uint64_t> due;
  const Bytes prefix = keys::hold_expiries();
  state_.scan(prefix, [&](std::string_view key, std::string_view) {
    if (due.size() >= budget) return false;
    ledger::KeyReader r(key.substr(prefix.size()));
    uint64_t expiry = 0;
    uint64_t id = 0;
    if (!r.u64(expiry) || !r.u64(id)) {
      throw std::logic_error("payfi: unreadable hold expiry key " + to_hex(key));
    }
    if (expiry >= block_.time_ms) return false;  // valid through its expiry_ms
    due.push_back(id);
    return true;
  });
  budget -= due.size();
  for (uint64_t id : due) {
    auto h = ledger::read_record<v1::HoldRecord>(state_, keys::hold(id));
    if (!h) throw std::logic_error("payfi: expiring hold " + std::to_string(id) + " is missing");
    release_hold(*h, v1::HOLD_STATUS_EXPIRED);
  }
}

void PayFiKeeper::prune_ids(uint64_t& budget) {
  std::vector<std::pair<Bytes, Bytes>> due;  // (index key, record key)
  const Bytes prefix = keys::idempotency_expiries();
  state_.scan(prefix, [&](std::string_view key, std::string_view) {
    if (due.size() >= budget) return false;
    ledger::KeyReader r(key.substr(prefix.size()));
    uint64_t expires = 0;
    crypto::Address payer;
    if (!r.u64(expires) || !r.addr(payer)) {
      throw std::logic_error("payfi: unreadable id expiry key " + to_hex(key));
    }
    if (expires > block_.time_ms) return false;
    due.emplace_back(Bytes(key), keys::idempotency(payer, r.rest()));
    return true;
  });
  budget -= due.size();
  for (const auto& [index, record] : due) {
    state_.erase(index);
    // A reused id after its window wrote a newer record with a later expiry: keep that one.
    auto r = ledger::read_record<v1::IdempotencyRecord>(state_, record);
    if (r && r->expires_ms() <= block_.time_ms) state_.erase(record);
  }
}

}  // namespace btt::modules::payfi

namespace btt::modules::payfi {

void PayFiKeeper::import_state(const v1::PayFiGenesisState& st) {
  params_spec().set(state_, st.params());
  params_ = st.params();
  for (const auto& a : st.assets()) put_record(state_, keys::asset(a.asset()), a);
  for (const auto& f : st.freezes()) {
    put_record(state_, keys::frozen(f.asset(), addr_of(f.account())), f);
  }
  for (const auto& p : st.payees()) put_record(state_, keys::payee(addr_of(p.payee())), p);
  for (const auto& i : st.invoices()) {
    put_record(state_, keys::invoice(i.id()), i);
    ledger::write_u64(state_, keys::invoice_ref(addr_of(i.payee()), i.reference()), i.id());
  }
  for (const auto& p : st.payments()) {
    const auto payee = addr_of(p.payee());
    // State keeps a payment's settlement only in its group's settled key (fill_settlement).
    v1::PaymentRecord stored = p;
    stored.clear_settled();
    stored.clear_settled_ms();
    stored.clear_settlement_id();
    put_record(state_, keys::payment(p.id()), stored);
    state_.put(keys::by_payee(payee, p.id()), "");
    state_.put(keys::by_payer(addr_of(p.payer()), p.id()), "");
    if (!p.reference().empty()) state_.put(keys::by_ref(payee, p.reference(), p.id()), "");
    if (p.settled()) {
      ledger::write_u64(state_, keys::settled(payee, payee_asset(p), p.cycle()), p.settlement_id());
    } else {
      add_to_group(p, p.delivered(), p.refunded());
      (void)add_pending(payee, payee_asset(p), p.delivered() - p.refunded(), true);
    }
  }
  for (const auto& h : st.holds()) {
    put_record(state_, keys::hold(h.id()), h);
    if (h.status() == v1::HOLD_STATUS_OPEN)
      state_.put(keys::hold_expiry(h.expiry_ms(), h.id()), "");
  }
  for (const auto& r : st.refunds()) put_record(state_, keys::refund(r.payment_id(), r.seq()), r);
  for (const auto& s : st.settlements()) {
    put_record(state_, keys::settlement(s.id()), s);
    state_.put(keys::settlement_of(addr_of(s.payee()), s.id()), "");
  }
  for (const auto& f : st.flows()) {
    put_record(state_, keys::flow(f.asset(), f.kind(), f.reference()), f);
  }
  for (const auto& e : st.idempotency()) {
    const auto payer = addr_of(e.payer());
    const std::string hex = to_hex(e.client_payment_id());
    put_record(state_, keys::idempotency(payer, hex), e.record());
    state_.put(keys::idempotency_expiry(e.record().expires_ms(), payer, hex), "");
  }
  for (const auto& v : st.volumes()) {
    ledger::write_u64(state_, keys::volume(addr_of(v.payee()), v.asset(), v.day()), v.volume());
  }
  auto put_next = [&](std::string_view name, uint64_t v) {
    if (v != 0) ledger::write_u64(state_, keys::next_id(name), v);
  };
  put_next("payment", st.next_payment_id());
  put_next("invoice", st.next_invoice_id());
  put_next("hold", st.next_hold_id());
  put_next("settlement", st.next_settlement_id());
  for (const auto& p : st.plans()) {
    put_record(state_, keys::plan(p.id()), p);
    state_.put(keys::plan_of(addr_of(p.payee()), p.id()), "");
  }
  for (const auto& s : st.subscriptions()) {
    put_subscription(s, 0);
    state_.put(keys::subscription_of_payer(addr_of(s.payer()), s.id()), "");
    state_.put(keys::subscription_of_payee(addr_of(s.payee()), s.id()), "");
  }
  for (const auto& o : st.fx_offers()) {
    put_record(state_, keys::fx_offer(o.from_asset(), o.to_asset(), addr_of(o.provider())), o);
  }
  put_next("plan", st.next_plan_id());
  put_next("subscription", st.next_subscription_id());
  ledger::write_u64(state_, keys::cycle(), st.cycle());
  ledger::write_u64(state_, keys::cycle_end(), st.cycle_end_ms());
}

}  // namespace btt::modules::payfi

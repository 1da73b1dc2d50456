// PayFi handlers, one per message (doc/payfi.md "Messages"). Check refuses malformed fields;
// preclaim what the state decides (roles, records and their states, references, idempotency
// ids, expiries, funds); the keeper writes.
#include "handlers.h"

#include "btt/ledger/field_checks.h"
#include "btt/ledger/ledger.h"
#include "btt/modules/payfi/errors.h"
#include "btt/modules/payfi/payfi.h"
#include "btt/modules/roles/roles.h"
#include "keeper.h"
#include "keys.h"
#include "module.h"

namespace btt::modules::payfi {
namespace {

using ledger::MsgContext;
using ledger::ReadContext;

constexpr size_t kMaxRef = 64;
constexpr size_t kMaxName = 64;
constexpr size_t kMaxCategory = 32;
constexpr uint32_t kMaxDecimals = 18;

Status bad(const std::string& what) {
  return {errors::kBadField, what};
}

Status check_address(const std::string& text, const std::string& what) {
  return ledger::check_address_field(text, what, errors::kBadAddress);
}

Status check_asset(const std::string& asset, const std::string& what) {
  if (!ledger::is_valid_asset_name(asset)) {
    return {Code::kInvalidAsset, what + ": '" + excerpt(asset) + "' is not an asset name"};
  }
  return Status::ok();
}

Status check_amount(uint64_t amount, const std::string& what) {
  if (amount == 0) return {errors::kZeroAmount, what + ": amount must be positive"};
  return Status::ok();
}

Status check_ref(const std::string& ref, const std::string& what, bool required) {
  if ((required && ref.empty()) || ref.size() > kMaxRef) {
    return bad(what + " must be " + (required ? "1" : "0") + ".." + std::to_string(kMaxRef) +
               " bytes");
  }
  return Status::ok();
}

Status check_hash(const std::string& h, const std::string& what, bool required) {
  return ledger::check_hash32_field(h, what, required, errors::kBadField);
}

Status check_reason(uint32_t reason, const std::string& what) {
  if (reason == 0) return bad(what + ": reason_code must be positive (doc/payfi.md)");
  return Status::ok();
}

bool category_ok(const std::string& c) {
  if (c.empty() || c.size() > kMaxCategory) return false;
  for (char ch : c) {
    if (!((ch >= 'a' && ch <= 'z') || ch == '_')) return false;
  }
  return true;
}

Status require_enabled(const ReadContext& ctx, const std::string& what) {
  if (!enabled(ctx.state)) {
    return {errors::kNotEnabled,
            what + ": PayFi is not enabled on this chain (no genesis section)"};
  }
  return Status::ok();
}

// The payment asset record `asset`, issued by the sender when `gateway_only`.
Result<v1::PaymentAssetRecord> require_asset(const ReadContext& ctx, const std::string& asset,
                                             const std::string& what, bool gateway_only) {
  auto r = ledger::read_record<v1::PaymentAssetRecord>(ctx.state, keys::asset(asset));
  if (!r) return Status{errors::kUnknownPaymentAsset, what + ": no payment asset " + asset};
  if (gateway_only && r->gateway() != ctx.sender.to_string()) {
    return Status{errors::kNotGateway,
                  what + ": " + asset + " is issued by " + r->gateway() + ", not the sender"};
  }
  return *r;
}

Result<v1::PayeeRecord> require_payee(const ReadContext& ctx, const std::string& payee,
                                      const std::string& what) {
  auto r =
      ledger::read_record<v1::PayeeRecord>(ctx.state, keys::payee(*crypto::Address::parse(payee)));
  if (!r) return Status{errors::kNotPayee, what + ": " + payee + " is not a registered payee"};
  return *r;
}

// An expiry after the block time and at most `max_ms` (the parameter `param`) ahead.
Status check_expiry(const ReadContext& ctx, uint64_t expiry_ms, uint64_t max_ms,
                    const std::string& what, const char* param) {
  if (expiry_ms <= ctx.block.time_ms || expiry_ms - ctx.block.time_ms > max_ms) {
    return {errors::kBadExpiry, what + ": expiry_ms must be after the block time and at most " +
                                    param + " (" + std::to_string(max_ms) + ") ahead"};
  }
  return Status::ok();
}

Status require_registered_asset(const ReadContext& ctx, const std::string& asset,
                                const std::string& what) {
  if (!ctx.ledger().asset(asset)) {
    return {Code::kUnknownAsset, what + ": asset " + asset + " is not registered"};
  }
  return Status::ok();
}

// --- payment assets --------------------------------------------------------------------------

class RegisterAssetHandler final : public ledger::Handler<v1::MsgRegisterPaymentAsset> {
 protected:
  Status check(const v1::MsgRegisterPaymentAsset& m, const v1::LedgerParams&) const override {
    if (auto s = check_asset(m.asset(), "register_payment_asset"); !s) return s;
    if (m.asset() == ledger::kNativeAsset) return bad("register_payment_asset: BTT is native");
    if (m.decimals() > kMaxDecimals) return bad("register_payment_asset: decimals at most 18");
    if (m.name().size() > kMaxName) return bad("register_payment_asset: name at most 64 bytes");
    return Status::ok();
  }
  Status preclaim(const v1::MsgRegisterPaymentAsset& m, const ReadContext& ctx) const override {
    if (auto s = require_enabled(ctx, "register_payment_asset"); !s) return s;
    if (!roles::has_role(ctx.state, roles::kPaymentGateway, ctx.sender)) {
      return {errors::kNotGateway,
              "register_payment_asset: the sender does not hold the payment_gateway role"};
    }
    if (ctx.ledger().asset(m.asset())) {
      return {errors::kAssetExists, "register_payment_asset: asset " + m.asset() + " exists"};
    }
    return Status::ok();
  }
  Status apply(const v1::MsgRegisterPaymentAsset& m, MsgContext& ctx) const override {
    PayFiKeeper(ctx.state, ctx.events, ctx.locks, ctx.block).register_asset(ctx.sender, m);
    return Status::ok();
  }
};

class DepositHandler final : public ledger::Handler<v1::MsgGatewayDeposit> {
 protected:
  Status check(const v1::MsgGatewayDeposit& m, const v1::LedgerParams&) const override {
    if (auto s = check_asset(m.asset(), "gateway_deposit"); !s) return s;
    if (auto s = check_address(m.to(), "gateway_deposit.to"); !s) return s;
    if (auto s = check_amount(m.amount(), "gateway_deposit"); !s) return s;
    return check_ref(m.deposit_ref(), "gateway_deposit.deposit_ref", true);
  }
  Status preclaim(const v1::MsgGatewayDeposit& m, const ReadContext& ctx) const override {
    if (auto s = require_enabled(ctx, "gateway_deposit"); !s) return s;
    auto r = require_asset(ctx, m.asset(), "gateway_deposit", true);
    if (!r) return r.status();
    if (ctx.state.get(keys::flow(m.asset(), v1::GATEWAY_FLOW_DEPOSIT, m.deposit_ref()))) {
      return {errors::kDuplicateReference,
              "gateway_deposit: deposit_ref '" + m.deposit_ref() + "' was recorded already"};
    }
    return Status::ok();
  }
  Status apply(const v1::MsgGatewayDeposit& m, MsgContext& ctx) const override {
    return PayFiKeeper(ctx.state, ctx.events, ctx.locks, ctx.block).deposit(m);
  }
};

class WithdrawHandler final : public ledger::Handler<v1::MsgGatewayWithdraw> {
 protected:
  Status check(const v1::MsgGatewayWithdraw& m, const v1::LedgerParams&) const override {
    if (auto s = check_asset(m.asset(), "gateway_withdraw"); !s) return s;
    if (auto s = check_amount(m.amount(), "gateway_withdraw"); !s) return s;
    return check_ref(m.payout_ref(), "gateway_withdraw.payout_ref", true);
  }
  Status preclaim(const v1::MsgGatewayWithdraw& m, const ReadContext& ctx) const override {
    if (auto s = require_enabled(ctx, "gateway_withdraw"); !s) return s;
    auto r = require_asset(ctx, m.asset(), "gateway_withdraw", false);
    if (!r) return r.status();
    if (ctx.state.get(keys::flow(m.asset(), v1::GATEWAY_FLOW_WITHDRAWAL, m.payout_ref()))) {
      return {errors::kDuplicateReference,
              "gateway_withdraw: payout_ref '" + m.payout_ref() + "' was recorded already"};
    }
    return ledger::require_spendable(ctx.ledger(), ctx.sender, m.asset(), m.amount(),
                                     ctx.block.time_ms);
  }
  Status apply(const v1::MsgGatewayWithdraw& m, MsgContext& ctx) const override {
    return PayFiKeeper(ctx.state, ctx.events, ctx.locks, ctx.block).withdraw(ctx.sender, m);
  }
};

class FreezeHandler final : public ledger::Handler<v1::MsgFreezeHolding> {
 protected:
  Status check(const v1::MsgFreezeHolding& m, const v1::LedgerParams&) const override {
    if (auto s = check_asset(m.asset(), "freeze_holding"); !s) return s;
    if (auto s = check_address(m.account(), "freeze_holding.account"); !s) return s;
    return check_reason(m.reason_code(), "freeze_holding");
  }
  Status preclaim(const v1::MsgFreezeHolding& m, const ReadContext& ctx) const override {
    if (auto s = require_enabled(ctx, "freeze_holding"); !s) return s;
    auto r = require_asset(ctx, m.asset(), "freeze_holding", true);
    if (!r) return r.status();
    const bool frozen = is_frozen(ctx.state, m.asset(), *crypto::Address::parse(m.account()));
    if (m.unfreeze() && !frozen) {
      return {errors::kNotFrozen,
              "freeze_holding: " + m.account() + "'s " + m.asset() + " is not frozen"};
    }
    if (!m.unfreeze() && frozen) {
      return {errors::kAlreadyFrozen,
              "freeze_holding: " + m.account() + "'s " + m.asset() + " is frozen already"};
    }
    return Status::ok();
  }
  Status apply(const v1::MsgFreezeHolding& m, MsgContext& ctx) const override {
    PayFiKeeper(ctx.state, ctx.events, ctx.locks, ctx.block).freeze(m);
    return Status::ok();
  }
};

class ClawbackHandler final : public ledger::Handler<v1::MsgClawback> {
 protected:
  Status check(const v1::MsgClawback& m, const v1::LedgerParams&) const override {
    if (auto s = check_asset(m.asset(), "clawback"); !s) return s;
    if (auto s = check_address(m.account(), "clawback.account"); !s) return s;
    if (auto s = check_amount(m.amount(), "clawback"); !s) return s;
    return check_reason(m.reason_code(), "clawback");
  }
  Status preclaim(const v1::MsgClawback& m, const ReadContext& ctx) const override {
    if (auto s = require_enabled(ctx, "clawback"); !s) return s;
    auto r = require_asset(ctx, m.asset(), "clawback", true);
    if (!r) return r.status();
    const auto who = *crypto::Address::parse(m.account());
    if (!is_frozen(ctx.state, m.asset(), who)) {
      return {errors::kNotFrozen,
              "clawback: only a frozen holding can be clawed back; freeze it first"};
    }
    const uint64_t balance = ctx.ledger().balance(who, m.asset());
    if (balance < m.amount()) {
      return {Code::kInsufficientFunds,
              "clawback: " + m.account() + " holds " + std::to_string(balance) + " " + m.asset()};
    }
    return Status::ok();
  }
  Status apply(const v1::MsgClawback& m, MsgContext& ctx) const override {
    return PayFiKeeper(ctx.state, ctx.events, ctx.locks, ctx.block).clawback(m);
  }
};

// --- payees and invoices --------------------------------------------------------------------

class RegisterPayeeHandler final : public ledger::Handler<v1::MsgRegisterPayee> {
 protected:
  Status check(const v1::MsgRegisterPayee& m, const v1::LedgerParams&) const override {
    if (auto s = check_hash(m.name_hash(), "register_payee.name_hash", true); !s) return s;
    if (!category_ok(m.category())) return bad("register_payee.category must be [a-z_]{1,32}");
    if (!m.settlement_account().empty()) {
      if (auto s = check_address(m.settlement_account(), "register_payee.settlement_account"); !s) {
        return s;
      }
    }
    return check_asset(m.settlement_asset(), "register_payee.settlement_asset");
  }
  Status preclaim(const v1::MsgRegisterPayee& m, const ReadContext& ctx) const override {
    if (auto s = require_enabled(ctx, "register_payee"); !s) return s;
    return require_registered_asset(ctx, m.settlement_asset(), "register_payee");
  }
  Status apply(const v1::MsgRegisterPayee& m, MsgContext& ctx) const override {
    PayFiKeeper(ctx.state, ctx.events, ctx.locks, ctx.block).register_payee(ctx.sender, m);
    return Status::ok();
  }
};

class CreateInvoiceHandler final : public ledger::Handler<v1::MsgCreateInvoice> {
 protected:
  Status check(const v1::MsgCreateInvoice& m, const v1::LedgerParams&) const override {
    if (auto s = check_ref(m.reference(), "create_invoice.reference", true); !s) return s;
    if (auto s = check_amount(m.amount(), "create_invoice"); !s) return s;
    if (!m.asset().empty()) {
      if (auto s = check_asset(m.asset(), "create_invoice"); !s) return s;
    }
    if (auto s = check_hash(m.memo_hash(), "create_invoice.memo_hash", false); !s) return s;
    if (auto s = check_hash(m.line_items_hash(), "create_invoice.line_items_hash", false); !s) {
      return s;
    }
    if (m.expiry_ms() == 0) return bad("create_invoice: expiry_ms is required");
    return Status::ok();
  }
  Status preclaim(const v1::MsgCreateInvoice& m, const ReadContext& ctx) const override {
    if (auto s = require_enabled(ctx, "create_invoice"); !s) return s;
    auto p = require_payee(ctx, ctx.sender.to_string(), "create_invoice");
    if (!p) return p.status();
    const std::string asset = m.asset().empty() ? p->settlement_asset() : m.asset();
    if (auto s = require_registered_asset(ctx, asset, "create_invoice"); !s) return s;
    if (ctx.state.get(keys::invoice_ref(ctx.sender, m.reference()))) {
      return {errors::kDuplicateReference,
              "create_invoice: reference '" + m.reference() + "' is used by another invoice"};
    }
    return check_expiry(ctx, m.expiry_ms(), params_spec().get(ctx.state).max_invoice_duration_ms(),
                        "create_invoice", "max_invoice_duration_ms");
  }
  Status apply(const v1::MsgCreateInvoice& m, MsgContext& ctx) const override {
    PayFiKeeper(ctx.state, ctx.events, ctx.locks, ctx.block).create_invoice(ctx.sender, m);
    return Status::ok();
  }
};

class CancelInvoiceHandler final : public ledger::Handler<v1::MsgCancelInvoice> {
 protected:
  Status check(const v1::MsgCancelInvoice& m, const v1::LedgerParams&) const override {
    if (m.invoice_id() == 0) return bad("cancel_invoice: invoice_id is required");
    return Status::ok();
  }
  Status preclaim(const v1::MsgCancelInvoice& m, const ReadContext& ctx) const override {
    if (auto s = require_enabled(ctx, "cancel_invoice"); !s) return s;
    auto inv = ledger::read_record<v1::InvoiceRecord>(ctx.state, keys::invoice(m.invoice_id()));
    if (!inv) {
      return {errors::kNoInvoice, "cancel_invoice: no invoice " + std::to_string(m.invoice_id())};
    }
    if (inv->payee() != ctx.sender.to_string()) {
      return {errors::kNotPaymentPayee, "cancel_invoice: only its payee cancels an invoice"};
    }
    if (inv->status() != v1::INVOICE_STATUS_OPEN) {
      return {errors::kInvoiceNotOpen,
              "cancel_invoice: invoice " + std::to_string(m.invoice_id()) + " is not open"};
    }
    return Status::ok();
  }
  Status apply(const v1::MsgCancelInvoice& m, MsgContext& ctx) const override {
    PayFiKeeper(ctx.state, ctx.events, ctx.locks, ctx.block).cancel_invoice(m.invoice_id());
    return Status::ok();
  }
};

// --- payments -------------------------------------------------------------------------------

Status check_client_id(const std::string& id, const std::string& what) {
  if (id.empty() || id.size() > kMaxRef) {
    return bad(what + ".client_payment_id must be 1..64 bytes");
  }
  return Status::ok();
}

// The invoice a payment names, as it must be for this payment.
Status preclaim_invoice(const v1::MsgPay& m, const ReadContext& ctx) {
  auto inv = ledger::read_record<v1::InvoiceRecord>(ctx.state, keys::invoice(m.invoice_id()));
  const std::string id = std::to_string(m.invoice_id());
  if (!inv || inv->payee() != m.payee()) {
    return {errors::kNoInvoice, "pay: payee " + m.payee() + " has no invoice " + id};
  }
  if (inv->status() == v1::INVOICE_STATUS_CANCELLED) {
    return {errors::kInvoiceNotOpen, "pay: invoice " + id + " was cancelled"};
  }
  if (inv->status() != v1::INVOICE_STATUS_OPEN) {
    return {errors::kInvoiceNotOpen, "pay: invoice " + id + " was paid already (payment " +
                                         std::to_string(inv->payment_id()) + ")"};
  }
  if (ctx.block.time_ms > inv->expiry_ms()) {
    return {errors::kInvoiceExpired,
            "pay: invoice " + id + " expired at " + std::to_string(inv->expiry_ms())};
  }
  if (delivered_asset(m) != inv->asset()) {
    return {errors::kWrongAsset, "pay: invoice " + id + " is payable in " + inv->asset()};
  }
  // A converted payment delivers at least the invoice's amount (checked with its quote).
  if (delivered_asset(m) == m.asset() && m.amount() != inv->amount()) {
    return {errors::kWrongAmount, "pay: invoice " + id + " is for " +
                                      std::to_string(inv->amount()) + ", not " +
                                      std::to_string(m.amount())};
  }
  return Status::ok();
}

// The apply of a message with a client id: a retry of the same parameters only emits the
// replay; else `first(keeper, digest)` does the work, with the digest computed once.
template <typename Msg, typename Fn>
Status apply_once(const Msg& m, MsgContext& ctx, const Fn& first) {
  PayFiKeeper keeper(ctx.state, ctx.events, ctx.locks, ctx.block);
  const std::string digest = params_digest(m);
  auto replay =
      check_idempotency(ctx.state, ctx.sender, m.client_payment_id(), digest, ctx.block.time_ms);
  if (!replay) return replay.status();
  if (replay->replay) {
    keeper.replayed(ctx.sender, replay->record);
    return Status::ok();
  }
  return first(keeper, digest);
}

class PayHandler final : public ledger::Handler<v1::MsgPay> {
 protected:
  Status check(const v1::MsgPay& m, const v1::LedgerParams&) const override {
    if (auto s = check_address(m.payee(), "pay.payee"); !s) return s;
    if (auto s = check_amount(m.amount(), "pay"); !s) return s;
    if (auto s = check_asset(m.asset(), "pay"); !s) return s;
    if (!m.deliver_asset().empty()) {
      if (auto s = check_asset(m.deliver_asset(), "pay.deliver_asset"); !s) return s;
    }
    if (auto s = check_ref(m.reference(), "pay.reference", m.invoice_id() == 0); !s) return s;
    if (auto s = check_hash(m.memo_hash(), "pay.memo_hash", false); !s) return s;
    return check_client_id(m.client_payment_id(), "pay");
  }
  Status preclaim(const v1::MsgPay& m, const ReadContext& ctx) const override {
    if (auto s = require_enabled(ctx, "pay"); !s) return s;
    auto replay = check_idempotency(ctx.state, ctx.sender, m.client_payment_id(), params_digest(m),
                                    ctx.block.time_ms);
    if (!replay) return replay.status();
    if (replay->replay) return Status::ok();
    auto p = require_payee(ctx, m.payee(), "pay");
    if (!p) return p.status();
    if (m.invoice_id() != 0) {
      if (auto s = preclaim_invoice(m, ctx); !s) return s;
    } else if (delivered_asset(m) != p->settlement_asset()) {
      return {errors::kWrongAsset, "pay: payee " + m.payee() + " accepts " + p->settlement_asset() +
                                       ", not " + delivered_asset(m)};
    }
    if (auto s = ledger::require_spendable(ctx.ledger(), ctx.sender, m.asset(), m.amount(),
                                           ctx.block.time_ms);
        !s) {
      return s;
    }
    if (delivered_asset(m) == m.asset()) return Status::ok();
    auto fx = quote_fx(ctx.state, ctx.locks, m.asset(), delivered_asset(m), m.amount(),
                       ctx.block.time_ms);
    if (!fx) return fx.status();
    return check_min_delivered(m, ctx, *fx);
  }
  Status apply(const v1::MsgPay& m, MsgContext& ctx) const override {
    return apply_once(m, ctx, [&](PayFiKeeper& keeper, const std::string& digest) {
      return keeper.pay(ctx.sender, m, ctx.tx_id, digest);
    });
  }

 private:
  // The invoice's amount is what a converted payment must deliver at least; else min_delivered.
  static Status check_min_delivered(const v1::MsgPay& m, const ReadContext& ctx,
                                    const FxQuote& fx) {
    uint64_t floor = m.min_delivered();
    if (m.invoice_id() != 0) {
      auto inv = ledger::read_record<v1::InvoiceRecord>(ctx.state, keys::invoice(m.invoice_id()));
      if (inv) floor = std::max(floor, inv->amount());
    }
    if (fx.delivered < floor) {
      return {errors::kBelowMinDelivered, "pay: " + std::to_string(m.amount()) + " " + m.asset() +
                                              " delivers " + std::to_string(fx.delivered) + " " +
                                              delivered_asset(m) + " now, below " +
                                              std::to_string(floor)};
    }
    return Status::ok();
  }
};

class RefundHandler final : public ledger::Handler<v1::MsgRefund> {
 protected:
  Status check(const v1::MsgRefund& m, const v1::LedgerParams&) const override {
    if (m.payment_id() == 0) return bad("refund: payment_id is required");
    if (auto s = check_amount(m.amount(), "refund"); !s) return s;
    return check_reason(m.reason_code(), "refund");
  }
  Status preclaim(const v1::MsgRefund& m, const ReadContext& ctx) const override {
    if (auto s = require_enabled(ctx, "refund"); !s) return s;
    auto p = ledger::read_record<v1::PaymentRecord>(ctx.state, keys::payment(m.payment_id()));
    if (!p) return {errors::kNoPayment, "refund: no payment " + std::to_string(m.payment_id())};
    if (p->payee() != ctx.sender.to_string()) {
      return {errors::kNotPaymentPayee, "refund: only the payee " + p->payee() + " refunds"};
    }
    const uint64_t left = p->delivered() - p->refunded();
    if (m.amount() > left) {
      return {errors::kRefundExceeds, "refund: payment " + std::to_string(p->id()) + " has " +
                                          std::to_string(left) + " left to refund of " +
                                          std::to_string(p->delivered()) + " captured"};
    }
    if (p->settled()) {
      return ledger::require_spendable(ctx.ledger(), ctx.sender, payee_asset(*p), m.amount(),
                                       ctx.block.time_ms);
    }
    return Status::ok();
  }
  Status apply(const v1::MsgRefund& m, MsgContext& ctx) const override {
    return PayFiKeeper(ctx.state, ctx.events, ctx.locks, ctx.block).refund(m);
  }
};

// --- holds ----------------------------------------------------------------------------------

class PlaceHoldHandler final : public ledger::Handler<v1::MsgPlaceHold> {
 protected:
  Status check(const v1::MsgPlaceHold& m, const v1::LedgerParams&) const override {
    if (auto s = check_address(m.payee(), "place_hold.payee"); !s) return s;
    if (auto s = check_amount(m.amount(), "place_hold"); !s) return s;
    if (auto s = check_asset(m.asset(), "place_hold"); !s) return s;
    if (auto s = check_ref(m.reference(), "place_hold.reference", true); !s) return s;
    if (m.expiry_ms() == 0) return bad("place_hold: expiry_ms is required");
    return check_client_id(m.client_payment_id(), "place_hold");
  }
  Status preclaim(const v1::MsgPlaceHold& m, const ReadContext& ctx) const override {
    if (auto s = require_enabled(ctx, "place_hold"); !s) return s;
    auto replay = check_idempotency(ctx.state, ctx.sender, m.client_payment_id(), params_digest(m),
                                    ctx.block.time_ms);
    if (!replay) return replay.status();
    if (replay->replay) return Status::ok();
    auto p = require_payee(ctx, m.payee(), "place_hold");
    if (!p) return p.status();
    if (m.asset() != p->settlement_asset()) {
      return {errors::kWrongAsset, "place_hold: payee " + m.payee() + " accepts " +
                                       p->settlement_asset() + ", not " + m.asset()};
    }
    if (auto s =
            check_expiry(ctx, m.expiry_ms(), params_spec().get(ctx.state).max_hold_duration_ms(),
                         "place_hold", "max_hold_duration_ms");
        !s) {
      return s;
    }
    return ledger::require_spendable(ctx.ledger(), ctx.sender, m.asset(), m.amount(),
                                     ctx.block.time_ms);
  }
  Status apply(const v1::MsgPlaceHold& m, MsgContext& ctx) const override {
    return apply_once(m, ctx, [&](PayFiKeeper& keeper, const std::string& digest) {
      return keeper.place_hold(ctx.sender, m, digest);
    });
  }
};

class CaptureHoldHandler final : public ledger::Handler<v1::MsgCaptureHold> {
 protected:
  Status check(const v1::MsgCaptureHold& m, const v1::LedgerParams&) const override {
    if (m.hold_id() == 0) return bad("capture_hold: hold_id is required");
    if (m.amount() == 0 && !m.final()) {
      return {errors::kZeroAmount, "capture_hold: amount must be positive unless final"};
    }
    return Status::ok();
  }
  Status preclaim(const v1::MsgCaptureHold& m, const ReadContext& ctx) const override {
    if (auto s = require_enabled(ctx, "capture_hold"); !s) return s;
    auto h = ledger::read_record<v1::HoldRecord>(ctx.state, keys::hold(m.hold_id()));
    const std::string id = std::to_string(m.hold_id());
    if (!h) return {errors::kNoHold, "capture_hold: no hold " + id};
    if (h->payee() != ctx.sender.to_string()) {
      return {errors::kNotPaymentPayee,
              "capture_hold: only the payee " + h->payee() + " captures hold " + id};
    }
    if (h->status() != v1::HOLD_STATUS_OPEN) {
      return {errors::kHoldNotOpen, "capture_hold: hold " + id + " is complete"};
    }
    if (ctx.block.time_ms > h->expiry_ms()) {
      return {errors::kHoldNotOpen,
              "capture_hold: hold " + id + " expired at " + std::to_string(h->expiry_ms())};
    }
    const uint64_t left = h->amount() - h->captured();
    if (m.amount() > left) {
      return {errors::kCaptureExceeds, "capture_hold: hold " + id + " has " + std::to_string(left) +
                                           " left of " + std::to_string(h->amount())};
    }
    return Status::ok();
  }
  Status apply(const v1::MsgCaptureHold& m, MsgContext& ctx) const override {
    return PayFiKeeper(ctx.state, ctx.events, ctx.locks, ctx.block).capture(m, ctx.tx_id);
  }
};

// --- conversion offers -----------------------------------------------------------------------

class OfferFxHandler final : public ledger::Handler<v1::MsgOfferFx> {
 protected:
  Status check(const v1::MsgOfferFx& m, const v1::LedgerParams&) const override {
    if (auto s = check_asset(m.from_asset(), "offer_fx.from_asset"); !s) return s;
    if (auto s = check_asset(m.to_asset(), "offer_fx.to_asset"); !s) return s;
    if (m.from_asset() == m.to_asset()) return bad("offer_fx: the assets must differ");
    return Status::ok();
  }
  Status preclaim(const v1::MsgOfferFx& m, const ReadContext& ctx) const override {
    if (auto s = require_enabled(ctx, "offer_fx"); !s) return s;
    const bool exists =
        ctx.state.get(keys::fx_offer(m.from_asset(), m.to_asset(), ctx.sender)).has_value();
    if (m.withdraw()) {
      if (!exists) return {errors::kNoFxOffer, "offer_fx: the sender has no such offer"};
      return Status::ok();
    }
    if (auto s = require_registered_asset(ctx, m.from_asset(), "offer_fx"); !s) return s;
    if (auto s = require_registered_asset(ctx, m.to_asset(), "offer_fx"); !s) return s;
    if (!exists) {
      uint32_t n = 0;
      ctx.state.scan(keys::fx_offers(m.from_asset(), m.to_asset()),
                     [&](std::string_view, std::string_view) { return ++n < UINT32_MAX; });
      const uint32_t max = params_spec().get(ctx.state).max_fx_offers_per_pair();
      if (n >= max) {
        return {errors::kTooManyFxOffers, "offer_fx: the pair has " + std::to_string(n) +
                                              " offers, the most max_fx_offers_per_pair allows"};
      }
    }
    return Status::ok();
  }
  Status apply(const v1::MsgOfferFx& m, MsgContext& ctx) const override {
    PayFiKeeper(ctx.state, ctx.events, ctx.locks, ctx.block).offer_fx(ctx.sender, m);
    return Status::ok();
  }
};

// --- subscriptions -------------------------------------------------------------------------

class CreatePlanHandler final : public ledger::Handler<v1::MsgCreatePlan> {
 protected:
  Status check(const v1::MsgCreatePlan& m, const v1::LedgerParams&) const override {
    if (m.name().empty() || m.name().size() > kMaxName) {
      return bad("create_plan: name must be 1..64 bytes");
    }
    if (auto s = check_amount(m.amount(), "create_plan"); !s) return s;
    if (!m.asset().empty()) {
      if (auto s = check_asset(m.asset(), "create_plan"); !s) return s;
    }
    if (m.period_ms() == 0) return bad("create_plan: period_ms is required");
    return Status::ok();
  }
  Status preclaim(const v1::MsgCreatePlan& m, const ReadContext& ctx) const override {
    if (auto s = require_enabled(ctx, "create_plan"); !s) return s;
    auto p = require_payee(ctx, ctx.sender.to_string(), "create_plan");
    if (!p) return p.status();
    const std::string asset = m.asset().empty() ? p->settlement_asset() : m.asset();
    if (auto s = require_registered_asset(ctx, asset, "create_plan"); !s) return s;
    const uint64_t min = params_spec().get(ctx.state).min_plan_period_ms();
    if (m.period_ms() < min) {
      return {errors::kBadPeriod, "create_plan: period_ms must be at least min_plan_period_ms (" +
                                      std::to_string(min) + ")"};
    }
    return Status::ok();
  }
  Status apply(const v1::MsgCreatePlan& m, MsgContext& ctx) const override {
    PayFiKeeper(ctx.state, ctx.events, ctx.locks, ctx.block).create_plan(ctx.sender, m);
    return Status::ok();
  }
};

class SubscribeHandler final : public ledger::Handler<v1::MsgSubscribe> {
 protected:
  Status check(const v1::MsgSubscribe& m, const v1::LedgerParams&) const override {
    if (m.plan_id() == 0) return bad("subscribe: plan_id is required");
    return check_amount(m.cap_per_period(), "subscribe.cap_per_period");
  }
  Status preclaim(const v1::MsgSubscribe& m, const ReadContext& ctx) const override {
    if (auto s = require_enabled(ctx, "subscribe"); !s) return s;
    auto plan = ledger::read_record<v1::PlanRecord>(ctx.state, keys::plan(m.plan_id()));
    if (!plan) return {errors::kNoPlan, "subscribe: no plan " + std::to_string(m.plan_id())};
    if (m.cap_per_period() < plan->amount()) {
      return {errors::kCapBelowAmount,
              "subscribe: cap_per_period " + std::to_string(m.cap_per_period()) +
                  " is below the plan's amount " + std::to_string(plan->amount())};
    }
    if (m.start_ms() > ctx.block.time_ms && m.start_ms() - ctx.block.time_ms > plan->period_ms()) {
      return {errors::kBadPeriod, "subscribe: start_ms must be at most one period ahead"};
    }
    return Status::ok();
  }
  Status apply(const v1::MsgSubscribe& m, MsgContext& ctx) const override {
    PayFiKeeper(ctx.state, ctx.events, ctx.locks, ctx.block).subscribe(ctx.sender, m);
    return Status::ok();
  }
};

class CancelSubscriptionHandler final : public ledger::Handler<v1::MsgCancelSubscription> {
 protected:
  Status check(const v1::MsgCancelSubscription& m, const v1::LedgerParams&) const override {
    if (m.subscription_id() == 0) return bad("cancel_subscription: subscription_id is required");
    return Status::ok();
  }
  Status preclaim(const v1::MsgCancelSubscription& m, const ReadContext& ctx) const override {
    if (auto s = require_enabled(ctx, "cancel_subscription"); !s) return s;
    const std::string id = std::to_string(m.subscription_id());
    auto sub = ledger::read_record<v1::SubscriptionRecord>(ctx.state,
                                                           keys::subscription(m.subscription_id()));
    if (!sub) return {errors::kNoSubscription, "cancel_subscription: no subscription " + id};
    const std::string sender = ctx.sender.to_string();
    if (sub->payer() != sender && sub->payee() != sender) {
      return {errors::kNotSubscriptionParty,
              "cancel_subscription: only its payer or payee cancels subscription " + id};
    }
    if (sub->status() != v1::SUBSCRIPTION_STATUS_ACTIVE &&
        sub->status() != v1::SUBSCRIPTION_STATUS_PAST_DUE) {
      return {errors::kSubscriptionEnded, "cancel_subscription: subscription " + id + " has ended"};
    }
    return Status::ok();
  }
  Status apply(const v1::MsgCancelSubscription& m, MsgContext& ctx) const override {
    PayFiKeeper(ctx.state, ctx.events, ctx.locks, ctx.block)
        .cancel_subscription(ctx.sender, m.subscription_id());
    return Status::ok();
  }
};

}  // namespace

PayFiHandlers::PayFiHandlers() {
  handlers_.push_back(std::make_unique<RegisterAssetHandler>());
  handlers_.push_back(std::make_unique<DepositHandler>());
  handlers_.push_back(std::make_unique<WithdrawHandler>());
  handlers_.push_back(std::make_unique<FreezeHandler>());
  handlers_.push_back(std::make_unique<ClawbackHandler>());
  handlers_.push_back(std::make_unique<RegisterPayeeHandler>());
  handlers_.push_back(std::make_unique<CreateInvoiceHandler>());
  handlers_.push_back(std::make_unique<CancelInvoiceHandler>());
  handlers_.push_back(std::make_unique<PayHandler>());
  handlers_.push_back(std::make_unique<RefundHandler>());
  handlers_.push_back(std::make_unique<PlaceHoldHandler>());
  handlers_.push_back(std::make_unique<CaptureHoldHandler>());
  handlers_.push_back(std::make_unique<CreatePlanHandler>());
  handlers_.push_back(std::make_unique<SubscribeHandler>());
  handlers_.push_back(std::make_unique<CancelSubscriptionHandler>());
  handlers_.push_back(std::make_unique<OfferFxHandler>());
}

PayFiHandlers::~PayFiHandlers() = default;

std::vector<const ledger::MsgHandler*> PayFiHandlers::list() const {
  std::vector<const ledger::MsgHandler*> out;
  for (const auto& h : handlers_) out.push_back(h.get());
  return out;
}

}  // namespace btt::modules::payfi

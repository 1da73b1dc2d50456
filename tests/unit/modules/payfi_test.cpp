// PayFi: gateway assets (mint, burn, freeze, clawback) with their supply, payees and invoices,
// payments with idempotent retries, refunds from pending and settled funds, holds captured in
// part and expired, and the settlement of each cycle with its fee split, to the base unit.
#include <gtest/gtest.h>

#include "btt/chain/params.h"
#include "btt/ledger/ledger.h"
#include "btt/ledger/proto_json.h"
#include "btt/modules/oracle/errors.h"
#include "btt/modules/payfi/errors.h"
#include "btt/modules/payfi/payfi.h"
#include "btt/modules/payfi/view.h"
#include "btt/modules/roles/roles.h"
#include "staking_fixture.h"

namespace btt::testkit {
namespace {

namespace payfi = modules::payfi;
namespace errors = modules::payfi::errors;
constexpr uint64_t kBtt = kUnitsPerBtt;
constexpr uint64_t kHourMs = 3'600'000;
constexpr const char* kCny = "CNYT";

nlohmann::json payfi_sections(const nlohmann::json& params = nlohmann::json::object()) {
  // No community tax: the treasury then receives exactly PayFi's share of fees.
  auto s = staking_section({{"community_tax_bps", 0}});
  s["payfi"] = {{"params", params}};
  return s;
}

v1::Message register_asset(const std::string& asset) {
  v1::Message m;
  m.mutable_register_payment_asset()->set_asset(asset);
  m.mutable_register_payment_asset()->set_decimals(2);
  m.mutable_register_payment_asset()->set_name("CNY token");
  return m;
}
v1::Message deposit(const Account& to, uint64_t amount, const std::string& ref) {
  v1::Message m;
  auto* d = m.mutable_gateway_deposit();
  d->set_asset(kCny);
  d->set_to(to.addr());
  d->set_amount(amount);
  d->set_deposit_ref(ref);
  return m;
}
v1::Message withdraw(uint64_t amount, const std::string& ref) {
  v1::Message m;
  m.mutable_gateway_withdraw()->set_asset(kCny);
  m.mutable_gateway_withdraw()->set_amount(amount);
  m.mutable_gateway_withdraw()->set_payout_ref(ref);
  return m;
}
v1::Message freeze(const Account& who, bool unfreeze = false, uint32_t reason = 7) {
  v1::Message m;
  m.mutable_freeze_holding()->set_asset(kCny);
  m.mutable_freeze_holding()->set_account(who.addr());
  m.mutable_freeze_holding()->set_reason_code(reason);
  m.mutable_freeze_holding()->set_unfreeze(unfreeze);
  return m;
}
v1::Message clawback(const Account& who, uint64_t amount) {
  v1::Message m;
  m.mutable_clawback()->set_asset(kCny);
  m.mutable_clawback()->set_account(who.addr());
  m.mutable_clawback()->set_amount(amount);
  m.mutable_clawback()->set_reason_code(3);
  return m;
}
v1::Message register_payee(const std::string& asset, const std::string& settle_to = "") {
  v1::Message m;
  auto* p = m.mutable_register_payee();
  p->set_name_hash(std::string(32, 'n'));
  p->set_category("dental_clinic");
  p->set_settlement_account(settle_to);
  p->set_settlement_asset(asset);
  return m;
}
v1::Message invoice(const std::string& ref, uint64_t amount, uint64_t expiry_ms,
                    const std::string& asset = "") {
  v1::Message m;
  auto* i = m.mutable_create_invoice();
  i->set_reference(ref);
  i->set_amount(amount);
  i->set_asset(asset);
  i->set_expiry_ms(expiry_ms);
  return m;
}
v1::Message pay(const Account& payee, uint64_t amount, const std::string& asset,
                const std::string& client_id, uint64_t invoice_id = 0,
                const std::string& ref = "walk-in") {
  v1::Message m;
  auto* p = m.mutable_pay();
  p->set_payee(payee.addr());
  p->set_amount(amount);
  p->set_asset(asset);
  p->set_invoice_id(invoice_id);
  if (invoice_id == 0) p->set_reference(ref);
  p->set_client_payment_id(client_id);
  return m;
}
v1::Message refund(uint64_t payment, uint64_t amount) {
  v1::Message m;
  m.mutable_refund()->set_payment_id(payment);
  m.mutable_refund()->set_amount(amount);
  m.mutable_refund()->set_reason_code(1);
  return m;
}
v1::Message hold(const Account& payee, uint64_t amount, uint64_t expiry_ms,
                 const std::string& client_id) {
  v1::Message m;
  auto* h = m.mutable_place_hold();
  h->set_payee(payee.addr());
  h->set_amount(amount);
  h->set_asset("BTT");
  h->set_expiry_ms(expiry_ms);
  h->set_reference("implant-plan");
  h->set_client_payment_id(client_id);
  return m;
}
v1::Message capture(uint64_t id, uint64_t amount, bool final = false) {
  v1::Message m;
  m.mutable_capture_hold()->set_hold_id(id);
  m.mutable_capture_hold()->set_amount(amount);
  m.mutable_capture_hold()->set_final(final);
  return m;
}

class PayFiTest : public StakingTest {
 protected:
  explicit PayFiTest(const nlohmann::json& params = nlohmann::json::object())
      : StakingTest(payfi_sections(params)) {
    modules::roles::grant_at_genesis(env.ledger_state(), env.direct_events(),
                                     modules::roles::kPaymentGateway, gateway.address());
  }

  payfi::PayFiView view() { return payfi::PayFiView(env.ledger_state()); }
  // Applies `m` from `who`, expecting `code` and, for a module refusal, its detail.
  chain::TxOutcome run(const Account& who, const v1::Message& m, Code code = Code::kOk,
                       const ErrorDef* detail = nullptr) {
    auto out = env.apply(env.tx(who).message(m).sign(), code);
    if (detail != nullptr) {
      EXPECT_EQ(out.status.detail(), detail->detail) << out.status.to_string();
    }
    return out;
  }
  void expect_refused(const Account& who, const v1::Message& m, const ErrorDef& e) {
    run(who, m, e.kind, &e);
  }
  // Closes blocks until the cycle open now has closed and settled.
  void settle_cycle() {
    env.advance_time(kHourMs);
    env.close_block();
    env.close_block();
  }
  uint64_t treasury_of(const std::string& asset) {
    return env.balance(modules::tokenomics::pool_address("treasury"), asset);
  }
  const Account& clinic_in(const std::string& asset) {
    const Account& c = env.account("clinic", 100 * kBtt);
    run(c, register_payee(asset));
    return c;
  }

  const Account& gateway = env.account("gateway", 100 * kBtt);
  const Account& patient = env.account("patient", 10'000 * kBtt);
};

TEST_F(PayFiTest, GatewayMintsOnDepositBurnsOnWithdrawalAndSupplyFollows) {
  const Account& other = env.account("other", 10 * kBtt);
  expect_refused(other, register_asset(kCny), errors::kNotGateway);
  env.apply(env.tx(gateway).message(register_asset("BTT")).sign(), Code::kInvalidArgument);
  run(gateway, register_asset(kCny));
  expect_refused(gateway, register_asset(kCny), errors::kAssetExists);

  auto out = run(gateway, deposit(patient, 10'000, "bank-tx-1"));
  EXPECT_EQ(ledger::attribute(out.events.back(), "supply"), "10000");
  EXPECT_EQ(env.balance(patient, kCny), 10'000u);
  expect_refused(gateway, deposit(patient, 5, "bank-tx-1"), errors::kDuplicateReference);
  expect_refused(other, deposit(other, 5, "bank-tx-2"), errors::kNotGateway);
  EXPECT_EQ(env.ledger().supply(kCny), 10'000u);

  run(patient, withdraw(2'500, "payout-1"));
  EXPECT_EQ(env.balance(patient, kCny), 7'500u);
  EXPECT_EQ(env.ledger().supply(kCny), 7'500u);
  expect_refused(patient, withdraw(1, "payout-1"), errors::kDuplicateReference);
  run(patient, withdraw(7'501, "payout-2"), Code::kInsufficientFunds);

  const auto rec = view().asset(kCny);
  ASSERT_TRUE(rec);
  EXPECT_EQ(rec->minted(), 10'000u);
  EXPECT_EQ(rec->withdrawn(), 2'500u);
  EXPECT_EQ(rec->deposits(), 1u);
  EXPECT_EQ(rec->withdrawals(), 1u);
  const auto flows = view().flows(kCny);
  ASSERT_EQ(flows.size(), 2u);
  EXPECT_EQ(flows[0].reference(), "bank-tx-1");
  EXPECT_EQ(flows[1].reference(), "payout-1");
  env.close_block();
  env.expect_supply_conserved();
}

TEST_F(PayFiTest, AFrozenHoldingCannotMoveAndOnlyItCanBeClawedBack) {
  const Account& bob = env.account("bob", 10 * kBtt);
  run(gateway, register_asset(kCny));
  run(gateway, deposit(patient, 5'000, "d1"));
  run(gateway, deposit(bob, 100, "d2"));
  expect_refused(gateway, clawback(bob, 10), errors::kNotFrozen);
  expect_refused(gateway, freeze(patient, true), errors::kNotFrozen);
  env.apply(env.tx(gateway).message(freeze(patient, false, 0)).sign(), Code::kInvalidArgument);
  expect_refused(bob, freeze(patient), errors::kNotGateway);
  run(gateway, freeze(patient));
  expect_refused(gateway, freeze(patient), errors::kAlreadyFrozen);
  EXPECT_TRUE(payfi::is_frozen(env.ledger_state(), kCny, patient.address()));
  // Frozen: nothing of the asset moves; BTT still does.
  env.apply(env.tx(patient).transfer(bob, 1, kCny).sign(), Code::kLockedFunds);
  env.apply(env.tx(patient).transfer(bob, kBtt).sign());
  run(patient, withdraw(1, "p1"), Code::kLockedFunds);
  run(gateway, clawback(patient, 5'001), Code::kInsufficientFunds);
  auto out = run(gateway, clawback(patient, 1'200));
  EXPECT_EQ(ledger::attribute(out.events.back(), "supply"), "3900");
  EXPECT_EQ(env.balance(patient, kCny), 3'800u);
  EXPECT_EQ(env.ledger().supply(kCny), 3'900u);
  EXPECT_EQ(view().asset(kCny)->clawed_back(), 1'200u);
  run(gateway, freeze(patient, true));
  env.apply(env.tx(patient).transfer(bob, 800, kCny).sign());
  EXPECT_EQ(env.balance(bob, kCny), 900u);
  env.close_block();
  env.expect_supply_conserved();
}

TEST_F(PayFiTest, AnInvoiceIsPaidOnceAndSettlesWithTheFeeSplitExactly) {
  const Account& clinic = clinic_in("BTT");
  const uint64_t expiry = env.time_ms() + kHourMs * 24;
  run(clinic, invoice("INV-1", 1'000 * kBtt, expiry));
  expect_refused(clinic, invoice("INV-1", 5, expiry), errors::kDuplicateReference);
  expect_refused(patient, pay(clinic, 999 * kBtt, "BTT", "c1", 1), errors::kWrongAmount);
  expect_refused(patient, pay(clinic, 1'000 * kBtt, kCny, "c2", 1), errors::kWrongAsset);
  expect_refused(patient, pay(clinic, 1'000 * kBtt, "BTT", "c3", 9), errors::kNoInvoice);
  const uint64_t before = env.balance(patient);
  auto out = run(patient, pay(clinic, 1'000 * kBtt, "BTT", "c4", 1));
  EXPECT_EQ(env.balance(patient), before - out.fee_paid - 1'000 * kBtt);
  const auto& ev = out.events.back();
  EXPECT_EQ(ev.type(), "payfi.payment");
  EXPECT_EQ(ledger::attribute(ev, "delivered"), std::to_string(1'000 * kBtt));
  EXPECT_EQ(ledger::attribute(ev, "reference"), "INV-1");
  EXPECT_EQ(view().invoice(1, env.time_ms())->status(), v1::INVOICE_STATUS_PAID);
  expect_refused(patient, pay(clinic, 1'000 * kBtt, "BTT", "c5", 1), errors::kInvoiceNotOpen);
  EXPECT_EQ(view().pending(clinic.address(), "BTT"), 1'000 * kBtt);
  EXPECT_EQ(env.balance(payfi::pending_address()), 1'000 * kBtt);

  const uint64_t clinic_before = env.balance(clinic);
  const uint64_t treasury_before = treasury_of("BTT");
  env.close_block();
  EXPECT_FALSE(view().payment(1)->settled());  // the cycle is still open
  settle_cycle();
  // 0.80% of 1,000 BTT = 8 BTT: 20% (1.6 BTT) to development, 6.4 BTT to the treasury.
  const auto p = view().payment(1);
  ASSERT_TRUE(p->settled());
  EXPECT_EQ(env.balance(clinic), clinic_before + 992 * kBtt);
  EXPECT_EQ(env.balance(payfi::development_address()), 160'000'000u);
  EXPECT_EQ(treasury_of("BTT") - treasury_before, 640'000'000u);
  EXPECT_EQ(view().pending(clinic.address(), "BTT"), 0u);
  EXPECT_EQ(env.balance(payfi::pending_address()), 0u);
  const auto s = view().settlement(p->settlement_id());
  ASSERT_TRUE(s);
  EXPECT_EQ(s->gross(), 1'000 * kBtt);
  EXPECT_EQ(s->fee(), 8 * kBtt);
  EXPECT_EQ(s->net(), 992 * kBtt);
  EXPECT_EQ(s->fee_bps(), 80u);
  EXPECT_EQ(view().invoice(1, env.time_ms())->status(), v1::INVOICE_STATUS_SETTLED);
  EXPECT_EQ(view().volume_30d(clinic.address(), "BTT", env.time_ms()), 1'000 * kBtt);
  env.expect_supply_conserved();
}

TEST_F(PayFiTest, TheFeeRoundsDownAndThePayeeKeepsTheRemainder) {
  const Account& clinic = clinic_in("BTT");
  run(patient, pay(clinic, 12'345, "BTT", "odd"));
  settle_cycle();
  // floor(12345 x 80 / 10000) = 98; the development share floor(98 x 0.2) = 19, treasury 79.
  const auto s = view().settlement(1);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->fee(), 98u);
  EXPECT_EQ(s->net(), 12'247u);
  EXPECT_EQ(env.balance(payfi::development_address()), 19u);
}

TEST_F(PayFiTest, InvoiceRefusals) {
  const Account& clinic = clinic_in("BTT");
  const Account& other = env.account("other", 10 * kBtt);
  const uint64_t now = env.time_ms();
  expect_refused(clinic, invoice("late", kBtt, now), errors::kBadExpiry);
  expect_refused(clinic, invoice("far", kBtt, now + 91 * kDayMs), errors::kBadExpiry);
  expect_refused(other, invoice("x", kBtt, now + kHourMs), errors::kNotPayee);
  run(clinic, invoice("A", kBtt, now + kHourMs));
  run(clinic, invoice("B", kBtt, now + kHourMs));
  env.apply(env.tx(clinic).message(invoice("", kBtt, now + kHourMs)).sign(),
            Code::kInvalidArgument);
  env.apply(env.tx(clinic).message(invoice("C", 0, now + kHourMs)).sign(), Code::kInvalidAmount);
}

TEST_F(PayFiTest, AnExpiredInvoiceAndACancelledOneCannotBePaid) {
  const Account& clinic = clinic_in("BTT");
  const Account& other = env.account("other", 10 * kBtt);
  const uint64_t now = env.time_ms();
  run(clinic, invoice("A", kBtt, now + kHourMs));
  run(clinic, invoice("B", kBtt, now + 10 * kHourMs));
  v1::Message cancel;
  cancel.mutable_cancel_invoice()->set_invoice_id(2);
  expect_refused(other, cancel, errors::kNotPaymentPayee);
  run(clinic, cancel);
  expect_refused(clinic, cancel, errors::kInvoiceNotOpen);
  expect_refused(patient, pay(clinic, kBtt, "BTT", "p2", 2), errors::kInvoiceNotOpen);
  env.advance_time(kHourMs + 1);
  env.close_block();
  EXPECT_EQ(view().invoice(1, env.time_ms())->status(), v1::INVOICE_STATUS_EXPIRED);
  expect_refused(patient, pay(clinic, kBtt, "BTT", "p1", 1), errors::kInvoiceExpired);
  EXPECT_EQ(view().invoice_by_reference(clinic.address(), "B", env.time_ms())->status(),
            v1::INVOICE_STATUS_CANCELLED);
}

TEST_F(PayFiTest, ARetryWithTheSameIdIsANoOpAndOtherParametersConflict) {
  const Account& clinic = clinic_in("BTT");
  run(patient, pay(clinic, 50 * kBtt, "BTT", "order-77"));
  const uint64_t before = env.balance(patient);
  auto again = run(patient, pay(clinic, 50 * kBtt, "BTT", "order-77"));
  EXPECT_EQ(env.balance(patient), before - again.fee_paid);  // only the fee
  EXPECT_EQ(again.events.back().type(), "payfi.payment_replayed");
  EXPECT_EQ(ledger::attribute(again.events.back(), "payment_id"), "1");
  EXPECT_EQ(view().pending(clinic.address(), "BTT"), 50 * kBtt);
  expect_refused(patient, pay(clinic, 51 * kBtt, "BTT", "order-77"), errors::kIdempotencyConflict);
  // Another payer's same id is its own.
  const Account& other = env.account("other", 100 * kBtt);
  run(other, pay(clinic, 50 * kBtt, "BTT", "order-77"));
  EXPECT_EQ(view().payments_of_payee(clinic.address(), 0, 10).size(), 2u);
  // After the 24-hour window the id is pruned and pays again.
  env.advance_time(kDayMs + 1);
  env.close_block();
  env.close_block();
  run(patient, pay(clinic, 51 * kBtt, "BTT", "order-77"));
  EXPECT_EQ(view().payments_of_payer(patient.address(), 0, 10).size(), 2u);
}

TEST_F(PayFiTest, RefundsComeFromPendingThenFromThePayeeAndNeverPassTheDelivered) {
  const Account& clinic = clinic_in("BTT");
  const Account& other = env.account("other", 10 * kBtt);
  run(patient, pay(clinic, 1'000 * kBtt, "BTT", "r1"));
  expect_refused(other, refund(1, kBtt), errors::kNotPaymentPayee);
  expect_refused(clinic, refund(2, kBtt), errors::kNoPayment);
  const uint64_t before = env.balance(patient);
  auto out = run(clinic, refund(1, 300 * kBtt));
  EXPECT_EQ(ledger::attribute(out.events.back(), "from_pending"), "true");
  EXPECT_EQ(env.balance(patient), before + 300 * kBtt);
  EXPECT_EQ(view().pending(clinic.address(), "BTT"), 700 * kBtt);
  expect_refused(clinic, refund(1, 700 * kBtt + 1), errors::kRefundExceeds);
  settle_cycle();
  // The fee is on what is left: 0.80% of 700 BTT = 5.6 BTT.
  const auto s = view().settlement(1);
  EXPECT_EQ(s->gross(), 1'000 * kBtt);
  EXPECT_EQ(s->refunded(), 300 * kBtt);
  EXPECT_EQ(s->fee(), 560'000'000u);
  EXPECT_EQ(s->net(), 69'440'000'000u);
  // After settlement the payee refunds from its own account.
  const uint64_t clinic_before = env.balance(clinic);
  out = run(clinic, refund(1, 200 * kBtt));
  EXPECT_EQ(ledger::attribute(out.events.back(), "from_pending"), "false");
  EXPECT_EQ(env.balance(clinic), clinic_before - out.fee_paid - 200 * kBtt);
  expect_refused(clinic, refund(1, 500 * kBtt + 1), errors::kRefundExceeds);
  EXPECT_EQ(view().payment(1)->refunded(), 500 * kBtt);
  ASSERT_EQ(view().refunds(1).size(), 2u);
  EXPECT_TRUE(view().refunds(1)[0].from_pending());
  EXPECT_FALSE(view().refunds(1)[1].from_pending());
  env.expect_supply_conserved();
}

TEST_F(PayFiTest, AHoldIsCapturedInPartsAndTheRestReturns) {
  const Account& clinic = clinic_in("BTT");
  const uint64_t now = env.time_ms();
  expect_refused(patient, hold(clinic, 5'000 * kBtt, now + 8 * kDayMs, "h0"), errors::kBadExpiry);
  const uint64_t before = env.balance(patient);
  auto out = run(patient, hold(clinic, 5'000 * kBtt, now + kDayMs, "h1"));
  EXPECT_EQ(env.balance(patient), before - out.fee_paid - 5'000 * kBtt);
  EXPECT_EQ(env.balance(payfi::holds_address()), 5'000 * kBtt);
  expect_refused(patient, capture(1, kBtt), errors::kNotPaymentPayee);
  expect_refused(clinic, capture(2, kBtt), errors::kNoHold);
  expect_refused(clinic, capture(1, 5'000 * kBtt + 1), errors::kCaptureExceeds);
  run(clinic, capture(1, 2'000 * kBtt));
  run(clinic, capture(1, 1'000 * kBtt, true));
  auto h = view().hold(1);
  EXPECT_EQ(h->status(), v1::HOLD_STATUS_CAPTURED);
  EXPECT_EQ(h->captured(), 3'000 * kBtt);
  EXPECT_EQ(h->returned(), 2'000 * kBtt);
  EXPECT_EQ(h->captures(), 2u);
  EXPECT_EQ(env.balance(payfi::holds_address()), 0u);
  EXPECT_EQ(view().pending(clinic.address(), "BTT"), 3'000 * kBtt);
  expect_refused(clinic, capture(1, kBtt), errors::kHoldNotOpen);
  // Each capture is a payment; refunds are bounded by what was captured.
  EXPECT_EQ(view().payment(1)->hold_id(), 1u);
  expect_refused(clinic, refund(2, 1'000 * kBtt + 1), errors::kRefundExceeds);
  run(clinic, refund(2, 1'000 * kBtt));
  env.close_block();
  env.expect_supply_conserved();
}

TEST_F(PayFiTest, AnExpiredHoldReturnsEverythingAndCannotBeCaptured) {
  const Account& clinic = clinic_in("BTT");
  const uint64_t expiry = env.time_ms() + kHourMs;
  run(patient, hold(clinic, 700 * kBtt, expiry, "h1"));
  const uint64_t before = env.balance(patient);
  env.advance_time(kHourMs + 1);
  env.close_block();
  expect_refused(clinic, capture(1, kBtt), errors::kHoldNotOpen);
  env.close_block();
  const auto h = view().hold(1);
  EXPECT_EQ(h->status(), v1::HOLD_STATUS_EXPIRED);
  EXPECT_EQ(h->returned(), 700 * kBtt);
  EXPECT_EQ(env.balance(patient), before + 700 * kBtt);
  EXPECT_EQ(env.balance(payfi::holds_address()), 0u);
}

TEST_F(PayFiTest, PaymentsInAGatewayAssetSettleInThatAsset) {
  run(gateway, register_asset(kCny));
  run(gateway, deposit(patient, 100'000, "d1"));
  const Account& clinic = clinic_in(kCny);
  expect_refused(patient, pay(clinic, 10, "BTT", "b1"), errors::kWrongAsset);
  run(patient, pay(clinic, 30'000, kCny, "y1"));
  run(patient, pay(clinic, 20'000, kCny, "y2"));
  settle_cycle();
  // One netted settlement of 50,000: fee 400 (80 to development, 320 to the treasury).
  const auto s = view().settlement(1);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->payments(), 2u);
  EXPECT_EQ(s->fee(), 400u);
  EXPECT_EQ(env.balance(clinic, kCny), 49'600u);
  EXPECT_EQ(env.balance(payfi::development_address(), kCny), 80u);
  EXPECT_EQ(treasury_of(kCny), 320u);
  env.expect_supply_conserved();
}

TEST_F(PayFiTest, RefusedWithoutAPayeeOrWithBadFields) {
  const Account& nobody = env.account("nobody", 10 * kBtt);
  expect_refused(patient, pay(nobody, kBtt, "BTT", "n1"), errors::kNotPayee);
  env.apply(env.tx(patient).message(pay(nobody, 0, "BTT", "n2")).sign(), Code::kInvalidAmount);
  env.apply(env.tx(patient).message(pay(nobody, 1, "BTT", "")).sign(), Code::kInvalidArgument);
  env.apply(env.tx(patient).message(pay(nobody, 1, "BTT", "x", 0, "")).sign(),
            Code::kInvalidArgument);
  env.apply(env.tx(patient).message(pay(nobody, 1, "BTT", std::string(65, 'x'))).sign(),
            Code::kInvalidArgument);
  v1::Message m = register_payee("BTT");
  m.mutable_register_payee()->set_category("Dental");
  env.apply(env.tx(patient).message(m).sign(), Code::kInvalidArgument);
  run(patient, register_payee("NOPE"), Code::kUnknownAsset);
}

class PayFiBudgetTest : public PayFiTest {
 protected:
  PayFiBudgetTest() : PayFiTest({{"settlement_budget_per_block", 2}}) {}
};

// The budget counts settlement groups (cycle, payee, asset): a group of any size is one unit,
// paid without reading its payments.
TEST_F(PayFiBudgetTest, SettlementSpreadsGroupsOverBlocksWithinItsBudget) {
  std::vector<const Account*> clinics;
  for (int c = 0; c < 5; ++c) {
    const Account& clinic = env.account("clinic-" + std::to_string(c), 100 * kBtt);
    run(clinic, register_payee("BTT"));
    clinics.push_back(&clinic);
  }
  // Clinic 0 is paid three times, the others once: five groups, seven payments.
  for (int i = 0; i < 7; ++i) {
    const Account& clinic = *clinics[i < 3 ? 0 : i - 2];
    run(patient, pay(clinic, 100 * kBtt, "BTT", "b" + std::to_string(i)));
  }
  auto settled = [&] {
    size_t n = 0;
    for (const auto* c : clinics) n += view().settlements_of(c->address(), 0, 10).size();
    return n;
  };
  env.advance_time(kHourMs);
  env.close_block();  // closes the cycle and settles 2 groups
  EXPECT_EQ(settled(), 2u);
  EXPECT_EQ(view().settlements_of(clinics[0]->address(), 0, 10).size() +
                view().settlements_of(clinics[1]->address(), 0, 10).size() +
                view().settlements_of(clinics[2]->address(), 0, 10).size(),
            2u);
  env.close_block();
  EXPECT_EQ(settled(), 4u);
  env.close_block();
  EXPECT_EQ(settled(), 5u);
  const auto first = view().settlements_of(clinics[0]->address(), 0, 10);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].payments(), 3u);
  EXPECT_EQ(first[0].gross(), 300 * kBtt);
  // 80 bps of 300 BTT is 2.4 BTT; the clinic gets the rest.
  EXPECT_EQ(first[0].fee(), 240'000'000u);
  EXPECT_EQ(first[0].net(), 300 * kBtt - 240'000'000u);
  for (uint64_t id = 1; id <= 7; ++id) {
    const auto p = view().payment(id);
    ASSERT_TRUE(p);
    EXPECT_TRUE(p->settled()) << id;
    EXPECT_NE(p->settlement_id(), 0u);
  }
  EXPECT_EQ(view().payment(1)->settlement_id(), first[0].id());
  EXPECT_EQ(view().payment(3)->settlement_id(), first[0].id());
  for (const auto* c : clinics) EXPECT_EQ(view().pending(c->address(), "BTT"), 0u);
  env.expect_supply_conserved();
}

class PayFiTierTest : public PayFiTest {
 protected:
  PayFiTierTest()
      : PayFiTest({{"volume_tiers",
                    {{{"asset", "BTT"},
                      {"min_volume", std::to_string(1'000 * kBtt)},
                      {"fee_bps", 60}}}}}) {}
};

TEST_F(PayFiTierTest, VolumeAndAStakeLockLowerTheFeeToItsFloor) {
  const Account& clinic = clinic_in("BTT");
  run(patient, pay(clinic, 1'000 * kBtt, "BTT", "v1"));
  settle_cycle();
  EXPECT_EQ(view().settlement(1)->fee_bps(), 80u);  // no volume yet
  run(patient, pay(clinic, 1'000 * kBtt, "BTT", "v2"));
  settle_cycle();
  EXPECT_EQ(view().settlement(2)->fee_bps(), 60u);  // 1,000 BTT in 30 days
  // A 12-month stake lock (tier 3) takes 20 bps off: 40, the floor.
  v1::Message lock;
  lock.mutable_lock_stake()->set_amount(10 * kBtt);
  lock.mutable_lock_stake()->set_term(2);
  run(clinic, lock);
  run(patient, pay(clinic, 1'000 * kBtt, "BTT", "v3"));
  settle_cycle();
  EXPECT_EQ(view().settlement(3)->fee_bps(), 40u);
  EXPECT_EQ(view().settlement(3)->fee(), 4 * kBtt);
  // 31 days later the volume has aged out of the window.
  env.advance_time(31 * kDayMs);
  env.close_block();
  EXPECT_EQ(view().volume_30d(clinic.address(), "BTT", env.time_ms()), 0u);
}

v1::Message create_plan(uint64_t amount, uint64_t period_ms) {
  v1::Message m;
  m.mutable_create_plan()->set_name("platform-medium");
  m.mutable_create_plan()->set_amount(amount);
  m.mutable_create_plan()->set_period_ms(period_ms);
  return m;
}
v1::Message subscribe(uint64_t plan, uint64_t cap) {
  v1::Message m;
  m.mutable_subscribe()->set_plan_id(plan);
  m.mutable_subscribe()->set_cap_per_period(cap);
  return m;
}
v1::Message cancel_subscription(uint64_t id) {
  v1::Message m;
  m.mutable_cancel_subscription()->set_subscription_id(id);
  return m;
}

constexpr uint64_t kMonthMs = 30 * kDayMs;

TEST_F(PayFiTest, ASubscriptionIsChargedEachPeriodThenPastDueThenLapsed) {
  const Account& platform = clinic_in("BTT");
  const Account& dentist = env.account("dentist", 250 * kBtt);
  const Account& other = env.account("other", 10 * kBtt);
  expect_refused(other, create_plan(100 * kBtt, kMonthMs), errors::kNotPayee);
  expect_refused(platform, create_plan(100 * kBtt, kHourMs - 1), errors::kBadPeriod);
  run(platform, create_plan(100 * kBtt, kMonthMs));
  expect_refused(dentist, subscribe(2, 100 * kBtt), errors::kNoPlan);
  expect_refused(dentist, subscribe(1, 100 * kBtt - 1), errors::kCapBelowAmount);
  const uint64_t before = env.balance(dentist);
  const uint64_t fee = run(dentist, subscribe(1, 120 * kBtt)).fee_paid;
  env.close_block();  // the first charge: at once, in this block's end-block
  EXPECT_EQ(env.balance(dentist), before - fee - 100 * kBtt);
  auto sub = view().subscription(1);
  ASSERT_TRUE(sub);
  EXPECT_EQ(sub->status(), v1::SUBSCRIPTION_STATUS_ACTIVE);
  EXPECT_EQ(sub->charges(), 1u);
  const uint64_t first_due = sub->paid_through_ms() - kMonthMs;
  EXPECT_EQ(view().payment(sub->last_payment_id())->subscription_id(), 1u);
  EXPECT_TRUE(
      payfi::subscription_active(env.ledger_state(), dentist.address(), platform.address()));
  EXPECT_FALSE(payfi::subscription_active(env.ledger_state(), other.address(), platform.address()));

  env.advance_time(kMonthMs);
  env.close_block();
  env.close_block();
  sub = view().subscription(1);
  EXPECT_EQ(sub->charges(), 2u);
  EXPECT_EQ(sub->charged(), 200 * kBtt);
  EXPECT_EQ(sub->paid_through_ms(), first_due + 2 * kMonthMs);

  // The third period finds less than 100 BTT: past due, retried daily, lapsed after 7 days.
  env.advance_time(kMonthMs);
  env.close_block();
  env.close_block();
  sub = view().subscription(1);
  EXPECT_EQ(sub->status(), v1::SUBSCRIPTION_STATUS_PAST_DUE);
  EXPECT_EQ(sub->past_due_since_ms(), first_due + 2 * kMonthMs);
  EXPECT_TRUE(
      payfi::subscription_active(env.ledger_state(), dentist.address(), platform.address()));
  for (int day = 0; day < 8; ++day) {
    env.advance_time(kDayMs);
    env.close_block();
  }
  sub = view().subscription(1);
  EXPECT_EQ(sub->status(), v1::SUBSCRIPTION_STATUS_LAPSED);
  EXPECT_EQ(sub->charges(), 2u);
  EXPECT_FALSE(
      payfi::subscription_active(env.ledger_state(), dentist.address(), platform.address()));
  expect_refused(dentist, cancel_subscription(1), errors::kSubscriptionEnded);
  env.expect_supply_conserved();
}

TEST_F(PayFiTest, APastDueSubscriptionRecoversOnItsScheduleAndCancelStopsIt) {
  const Account& platform = clinic_in("BTT");
  const Account& dentist = env.account("dentist", 50 * kBtt);
  const Account& other = env.account("other", 10 * kBtt);
  run(platform, create_plan(100 * kBtt, kMonthMs));
  run(dentist, subscribe(1, 100 * kBtt));
  env.close_block();
  EXPECT_EQ(view().subscription(1)->status(), v1::SUBSCRIPTION_STATUS_PAST_DUE);
  const uint64_t due = view().subscription(1)->due_ms();
  env.apply(env.tx(faucet_account()).transfer(dentist, 200 * kBtt).sign());
  env.advance_time(kDayMs);
  env.close_block();
  auto sub = view().subscription(1);
  EXPECT_EQ(sub->status(), v1::SUBSCRIPTION_STATUS_ACTIVE);
  EXPECT_EQ(sub->paid_through_ms(), due + kMonthMs);  // the period it was due for
  expect_refused(other, cancel_subscription(1), errors::kNotSubscriptionParty);
  expect_refused(other, cancel_subscription(7), errors::kNoSubscription);
  run(platform, cancel_subscription(1));
  EXPECT_EQ(view().subscription(1)->status(), v1::SUBSCRIPTION_STATUS_CANCELLED);
  const uint64_t balance = env.balance(dentist);
  env.advance_time(kMonthMs);
  env.close_block();
  EXPECT_EQ(env.balance(dentist), balance);  // no charge after the cancel
  EXPECT_EQ(view().subscription(1)->charges(), 1u);
}

v1::Message post_price(uint64_t num, uint64_t den) {
  v1::Message m;
  m.mutable_post_price()->set_base("BTT");
  m.mutable_post_price()->set_quote(kCny);
  m.mutable_post_price()->set_num(num);
  m.mutable_post_price()->set_den(den);
  return m;
}
v1::Message offer_fx(bool withdraw = false) {
  v1::Message m;
  m.mutable_offer_fx()->set_from_asset("BTT");
  m.mutable_offer_fx()->set_to_asset(kCny);
  m.mutable_offer_fx()->set_withdraw(withdraw);
  return m;
}
v1::Message pay_converted(const Account& payee, uint64_t amount, const std::string& id,
                          uint64_t min_delivered = 0, uint64_t invoice = 0) {
  v1::Message m = pay(payee, amount, "BTT", id, invoice);
  m.mutable_pay()->set_deliver_asset(kCny);
  m.mutable_pay()->set_min_delivered(min_delivered);
  return m;
}

class PayFiFxTest : public PayFiTest {
 protected:
  PayFiFxTest() {
    modules::roles::grant_at_genesis(env.ledger_state(), env.direct_events(),
                                     modules::roles::kPriceOracle, feeder.address());
  }
  const Account& feeder = env.account("feeder", 10 * kBtt);
};

TEST_F(PayFiFxTest, AConversionDeliversAtTheOraclePriceLessTheFeeExactly) {
  run(gateway, register_asset(kCny));
  run(gateway, deposit(gateway, 1'000'000, "float"));
  const Account& clinic = clinic_in(kCny);
  // No price yet, then a price but no offer.
  auto out = env.apply(env.tx(patient).message(pay_converted(clinic, 10 * kBtt, "x1")).sign(),
                       Code::kWrongState);
  EXPECT_EQ(out.status.detail(), modules::oracle::errors::kNoPrice.detail)
      << out.status.to_string();
  // 1 BTT = 3.50 CNY: 350 CNYT units per 10^8 BTT units.
  run(feeder, post_price(350, kBtt));
  expect_refused(patient, pay_converted(clinic, 10 * kBtt, "x2"), errors::kNoFxOffer);
  expect_refused(gateway, offer_fx(true), errors::kNoFxOffer);
  run(gateway, offer_fx());
  // 10 BTT: converted 3500, fee floor(3500 x 0.75%) = 26, delivered 3474; of the fee the
  // gateway keeps 13 and pays 13 (development 2, treasury 11).
  expect_refused(patient, pay_converted(clinic, 10 * kBtt, "x3", 3'475),
                 errors::kBelowMinDelivered);
  const uint64_t gw_btt = env.balance(gateway);
  out = run(patient, pay_converted(clinic, 10 * kBtt, "x4", 3'474));
  EXPECT_EQ(ledger::attribute(out.events.back(), "delivered"), "3474");
  EXPECT_EQ(ledger::attribute(out.events.back(), "fee"), "26");
  const auto p = view().payment(1);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->amount(), 10 * kBtt);
  EXPECT_EQ(p->delivered(), 3'474u);
  EXPECT_EQ(p->delivered_asset(), kCny);
  EXPECT_EQ(p->fx_fee(), 26u);
  EXPECT_EQ(p->fx_rate_num(), 350u);
  EXPECT_EQ(p->fx_provider(), gateway.addr());
  EXPECT_EQ(env.balance(gateway), gw_btt + 10 * kBtt);
  EXPECT_EQ(env.balance(gateway, kCny), 1'000'000u - 3'474 - 13);
  EXPECT_EQ(env.balance(payfi::development_address(), kCny), 2u);
  EXPECT_EQ(treasury_of(kCny), 11u);
  EXPECT_EQ(view().pending(clinic.address(), kCny), 3'474u);
  // The refund is in the delivered asset, from pending.
  run(clinic, refund(1, 474));
  EXPECT_EQ(env.balance(patient, kCny), 474u);
  settle_cycle();
  EXPECT_EQ(view().settlement(1)->gross(), 3'474u);
  env.expect_supply_conserved();
}

TEST_F(PayFiFxTest, AStalePriceRefusesAndTheSlippageGuardTrips) {
  run(gateway, register_asset(kCny));
  run(gateway, deposit(gateway, 1'000'000, "float"));
  const Account& clinic = clinic_in(kCny);
  run(gateway, offer_fx());
  run(feeder, post_price(350, kBtt));
  run(patient, pay_converted(clinic, kBtt, "s1", 340));
  // The price falls to 3.00: 300 converted, 298 delivered, below the guard of 340.
  run(feeder, post_price(300, kBtt));
  expect_refused(patient, pay_converted(clinic, kBtt, "s2", 340), errors::kBelowMinDelivered);
  // An invoice of 347 CNYT: a converted payment must deliver at least it.
  run(clinic, invoice("INV-FX", 347, env.time_ms() + kHourMs));
  expect_refused(patient, pay_converted(clinic, kBtt, "s3", 0, 1), errors::kBelowMinDelivered);
  run(patient, pay_converted(clinic, 2 * kBtt, "s4", 0, 1));
  EXPECT_EQ(view().invoice(1, env.time_ms())->status(), v1::INVOICE_STATUS_PAID);
  // Five minutes later the post is stale: no price, no payment.
  env.advance_time(300'001);
  env.close_block();
  auto out = env.apply(env.tx(patient).message(pay_converted(clinic, kBtt, "s5")).sign(),
                       Code::kWrongState);
  EXPECT_EQ(out.status.detail(), modules::oracle::errors::kNoPrice.detail);
}

TEST(PayFiOff, EveryMessageIsRefusedWithoutAGenesisSection) {
  TestEnv env;
  const Account& a = env.account("a", 10 * kBtt);
  auto out = env.apply(env.tx(a).message(register_payee("BTT")).sign(), Code::kWrongState);
  EXPECT_EQ(out.status.detail(), errors::kNotEnabled.detail);
}

TEST_F(PayFiTest, ParamsChangeThroughTheParamsPathAndBadOnesAreRefused) {
  auto s = chain::set_params_json(env.registry(), env.ledger_state(), env.direct_events(), "payfi",
                                  R"({"min_fee_bps": 90})");
  EXPECT_EQ(s.detail(), errors::kBadParams.detail) << s.to_string();
  s = chain::set_params_json(env.registry(), env.ledger_state(), env.direct_events(), "payfi",
                             R"({"settlement_cycle_ms": "0"})");
  EXPECT_EQ(s.detail(), errors::kBadParams.detail) << s.to_string();
  auto p = view().params();
  p.set_base_fee_bps(70);
  auto json = ledger::proto_to_json(p);
  ASSERT_TRUE(json.is_ok());
  s = chain::set_params_json(env.registry(), env.ledger_state(), env.direct_events(), "payfi",
                             json->dump());
  EXPECT_TRUE(s.is_ok()) << s.to_string();
  EXPECT_EQ(view().params().base_fee_bps(), 70u);
}

}  // namespace
}  // namespace btt::testkit

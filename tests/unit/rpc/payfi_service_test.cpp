// btt.v1.PayFi through real gRPC calls over an in-process chain: a payee's payments, a refund
// and a settlement in every query with exact fields, paging, a statement that balances to the
// base unit, the payments stream from a height, and NOT_FOUND / INVALID_ARGUMENT answers.
#include <gtest/gtest.h>

#include "btt/common/amount.h"
#include "btt/modules/roles/roles.h"
#include "btt/v1/payfi_query.grpc.pb.h"
#include "testkit/rpc_harness.h"
#include "testkit/test_env.h"

namespace btt::testkit {
namespace {

constexpr uint64_t kBtt = kUnitsPerBtt;

class PayFiServiceTest : public ::testing::Test {
 protected:
  template <typename Request, typename Response>
  grpc::Status call(grpc::Status (v1::PayFi::Stub::*method)(grpc::ClientContext*, const Request&,
                                                            Response*),
                    const Request& req, Response* out) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    return (stub_.get()->*method)(&ctx, req, out);
  }
  void commit(const crypto::KeyPair& from, const v1::Message& m) {
    const auto block = node_.commit({node_.sign(from, node_.body(from, m))});
    ASSERT_EQ(block.result.txs_size(), 1);
    ASSERT_EQ(block.result.txs(0).code(), 0u) << block.result.txs(0).log();
  }
  v1::Message pay(uint64_t amount, const std::string& id, const std::string& ref) {
    v1::Message m;
    auto* p = m.mutable_pay();
    p->set_payee(clinic_.address.to_string());
    p->set_amount(amount);
    p->set_asset("BTT");
    p->set_reference(ref);
    p->set_client_payment_id(id);
    return m;
  }
  // Registers the clinic, then alice pays 100 BTT (ref A) and 50 BTT (ref B), the clinic refunds
  // 10 BTT of the first, and blocks commit until both are settled.
  void run_day() {
    v1::Message reg;
    reg.mutable_register_payee()->set_name_hash(std::string(32, 'c'));
    reg.mutable_register_payee()->set_category("dental_clinic");
    reg.mutable_register_payee()->set_settlement_asset("BTT");
    commit(clinic_, reg);
    commit(alice_, pay(100 * kBtt, "1", "A"));
    commit(alice_, pay(50 * kBtt, "2", "B"));
    v1::Message refund;
    refund.mutable_refund()->set_payment_id(1);
    refund.mutable_refund()->set_amount(10 * kBtt);
    refund.mutable_refund()->set_reason_code(4);
    commit(clinic_, refund);
    for (int i = 0; i < 7; ++i) node_.commit();
  }

  RpcHarness node_{RpcHarnessOptions{
      .funded = {"alice", "clinic"},
      // Blocks are 1 s apart: the first cycle closes at the 10th block, after the refund.
      .payfi = {{"params", {{"settlement_cycle_ms", "10000"}}}}}};
  std::unique_ptr<v1::PayFi::Stub> stub_ = v1::PayFi::NewStub(node_.channel());
  const crypto::KeyPair alice_ = test_key("alice");
  const crypto::KeyPair clinic_ = test_key("clinic");
};

TEST_F(PayFiServiceTest, PaymentsRefundsAndSettlementsShowInEveryQuery) {
  run_day();
  v1::GetPaymentRequest gp;
  gp.set_payment_id(1);
  v1::PaymentInfo info;
  ASSERT_TRUE(call(&v1::PayFi::Stub::GetPayment, gp, &info).ok());
  EXPECT_EQ(info.payment().delivered(), 100 * kBtt);
  EXPECT_EQ(info.payment().refunded(), 10 * kBtt);
  EXPECT_TRUE(info.payment().settled());
  ASSERT_EQ(info.refunds_size(), 1);
  EXPECT_EQ(info.refunds(0).reason_code(), 4u);
  EXPECT_TRUE(info.refunds(0).from_pending());
  EXPECT_EQ(info.settle_latency_ms(), info.payment().settled_ms() - info.payment().time_ms());
  gp.set_payment_id(9);
  EXPECT_EQ(call(&v1::PayFi::Stub::GetPayment, gp, &info).error_code(),
            grpc::StatusCode::NOT_FOUND);

  v1::ListPaymentsRequest lp;
  lp.set_payee(clinic_.address.to_string());
  lp.set_limit(1);
  v1::ListPaymentsResponse page;
  ASSERT_TRUE(call(&v1::PayFi::Stub::ListPayments, lp, &page).ok());
  ASSERT_EQ(page.payments_size(), 1);
  EXPECT_EQ(page.payments(0).id(), 1u);
  EXPECT_EQ(page.next_after_id(), 1u);
  lp.set_after_id(1);
  ASSERT_TRUE(call(&v1::PayFi::Stub::ListPayments, lp, &page).ok());
  ASSERT_EQ(page.payments_size(), 1);
  EXPECT_EQ(page.payments(0).id(), 2u);
  v1::ListPaymentsRequest by_ref;
  by_ref.set_payer(alice_.address.to_string());
  by_ref.set_reference("B");
  ASSERT_TRUE(call(&v1::PayFi::Stub::ListPayments, by_ref, &page).ok());
  ASSERT_EQ(page.payments_size(), 1);
  EXPECT_EQ(page.payments(0).amount(), 50 * kBtt);
  EXPECT_EQ(page.next_after_id(), 0u);
  v1::ListPaymentsRequest both;
  both.set_payee(clinic_.address.to_string());
  both.set_payer(alice_.address.to_string());
  EXPECT_EQ(call(&v1::PayFi::Stub::ListPayments, both, &page).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  v1::ListSettlementsRequest ls;
  ls.set_payee(clinic_.address.to_string());
  v1::ListSettlementsResponse settlements;
  ASSERT_TRUE(call(&v1::PayFi::Stub::ListSettlements, ls, &settlements).ok());
  uint64_t fees = 0;
  uint64_t net = 0;
  for (const auto& s : settlements.settlements()) {
    fees += s.fee();
    net += s.net();
  }
  // One netted settlement: 0.80% of (100 + 50 - 10) BTT = 1.12 BTT.
  ASSERT_EQ(settlements.settlements_size(), 1);
  EXPECT_EQ(fees, 112'000'000u);
  EXPECT_EQ(net, 140 * kBtt - 112'000'000u);

  v1::GetPayeeRequest gpe;
  gpe.set_payee(clinic_.address.to_string());
  v1::PayeeInfo payee;
  ASSERT_TRUE(call(&v1::PayFi::Stub::GetPayee, gpe, &payee).ok());
  EXPECT_EQ(payee.record().category(), "dental_clinic");
  EXPECT_EQ(payee.pending_size(), 0);
  EXPECT_EQ(payee.volume_30d(), 140 * kBtt);
}

TEST_F(PayFiServiceTest, TheStatementBalancesToTheBaseUnit) {
  run_day();
  v1::GetStatementRequest req;
  req.set_payee(clinic_.address.to_string());
  v1::Statement st;
  ASSERT_TRUE(call(&v1::PayFi::Stub::GetStatement, req, &st).ok());
  EXPECT_EQ(st.asset(), "BTT");
  EXPECT_EQ(st.payments(), 2u);
  EXPECT_EQ(st.gross(), 150 * kBtt);
  EXPECT_EQ(st.refunded_pending(), 10 * kBtt);
  EXPECT_EQ(st.fees(), 112'000'000u);
  EXPECT_EQ(st.opening_pending(), 0u);
  EXPECT_EQ(st.closing_pending(), 0u);
  EXPECT_EQ(
      st.opening_pending() + st.gross() - st.refunded_pending() - st.fees() - st.settled_net(),
      st.closing_pending());
  EXPECT_EQ(st.net(), st.settled_net());
  EXPECT_EQ(st.lines_size(), 2);
  // A window that ends after the payments but before their settlement: still pending there.
  v1::GetPaymentRequest gp;
  gp.set_payment_id(2);
  v1::PaymentInfo second;
  ASSERT_TRUE(call(&v1::PayFi::Stub::GetPayment, gp, &second).ok());
  req.set_to_ms(second.payment().time_ms() + 1);
  ASSERT_TRUE(call(&v1::PayFi::Stub::GetStatement, req, &st).ok());
  EXPECT_EQ(
      st.opening_pending() + st.gross() - st.refunded_pending() - st.fees() - st.settled_net(),
      st.closing_pending());
  req.set_from_ms(5);
  req.set_to_ms(5);
  EXPECT_EQ(call(&v1::PayFi::Stub::GetStatement, req, &st).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  req.set_payee(alice_.address.to_string());
  req.set_to_ms(0);
  EXPECT_EQ(call(&v1::PayFi::Stub::GetStatement, req, &st).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(PayFiServiceTest, ThePaymentsStreamDeliversThePayeesEventsFromAHeight) {
  run_day();
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  v1::StreamPaymentsRequest req;
  req.set_payee(clinic_.address.to_string());
  req.set_from_height(1);
  auto reader = stub_->StreamPayments(&ctx, req);
  std::vector<std::string> types;
  v1::PayFiEventRecord rec;
  while (types.size() < 5 && reader->Read(&rec)) types.push_back(rec.event().type());
  ctx.TryCancel();
  ASSERT_EQ(types.size(), 5u);
  EXPECT_EQ(types[0], "payfi.payee_registered");
  EXPECT_EQ(types[1], "payfi.payment");
  EXPECT_EQ(types[2], "payfi.payment");
  EXPECT_EQ(types[3], "payfi.refund");
  EXPECT_EQ(types[4], "payfi.settled");  // both, netted, when the cycle closes
}

TEST_F(PayFiServiceTest, AssetsAndParamsAnswerAndUnknownsAreNotFound) {
  v1::PayFiParams params;
  ASSERT_TRUE(call(&v1::PayFi::Stub::GetParams, v1::GetPayFiParamsRequest(), &params).ok());
  EXPECT_EQ(params.settlement_cycle_ms(), 10'000u);
  EXPECT_EQ(params.base_fee_bps(), 80u);
  v1::ListPaymentAssetsResponse assets;
  ASSERT_TRUE(
      call(&v1::PayFi::Stub::ListPaymentAssets, v1::ListPaymentAssetsRequest(), &assets).ok());
  EXPECT_EQ(assets.assets_size(), 0);
  v1::GetPaymentAssetRequest ga;
  ga.set_asset("CNYT");
  v1::PaymentAssetInfo info;
  EXPECT_EQ(call(&v1::PayFi::Stub::GetPaymentAsset, ga, &info).error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::GetHoldRequest gh;
  gh.set_hold_id(1);
  v1::HoldRecord hold;
  EXPECT_EQ(call(&v1::PayFi::Stub::GetHold, gh, &hold).error_code(), grpc::StatusCode::NOT_FOUND);
  v1::GetPayeeRequest gp;
  gp.set_payee("not-an-address");
  v1::PayeeInfo payee;
  EXPECT_EQ(call(&v1::PayFi::Stub::GetPayee, gp, &payee).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace btt::testkit

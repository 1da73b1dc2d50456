#pragma once
// Reads of the PayFi state and the answers of its queries (doc/payfi.md "Queries").
#include <optional>
#include <vector>

#include "btt/common/status.h"
#include "btt/crypto/address.h"
#include "btt/ledger/state.h"
#include "btt/v1/payfi.pb.h"
#include "btt/v1/payfi_query.pb.h"

namespace btt::modules::payfi {

class PayFiView {
 public:
  explicit PayFiView(const ledger::StateReader& state) : state_(state) {}

  [[nodiscard]] v1::PayFiParams params() const;
  [[nodiscard]] uint64_t cycle() const;
  [[nodiscard]] uint64_t cycle_end_ms() const;

  [[nodiscard]] std::optional<v1::PaymentAssetRecord> asset(std::string_view asset) const;
  [[nodiscard]] std::vector<v1::PaymentAssetRecord> assets() const;
  // Deposits, withdrawals and clawbacks of one asset, by kind then reference.
  [[nodiscard]] std::vector<v1::GatewayFlowRecord> flows(std::string_view asset) const;
  [[nodiscard]] std::vector<v1::FreezeRecord> freezes() const;

  [[nodiscard]] std::optional<v1::PayeeRecord> payee(const crypto::Address& payee) const;
  // The invoice with its status as of `time_ms`: an open invoice past expiry_ms is EXPIRED.
  [[nodiscard]] std::optional<v1::InvoiceRecord> invoice(uint64_t id, uint64_t time_ms) const;
  [[nodiscard]] std::optional<v1::InvoiceRecord> invoice_by_reference(const crypto::Address& payee,
                                                                      std::string_view reference,
                                                                      uint64_t time_ms) const;

  [[nodiscard]] std::optional<v1::PaymentRecord> payment(uint64_t id) const;
  // A payee's or payer's payments with id > after_id, in id order, at most `limit`.
  [[nodiscard]] std::vector<v1::PaymentRecord> payments_of_payee(const crypto::Address& payee,
                                                                 uint64_t after_id,
                                                                 uint32_t limit) const;
  [[nodiscard]] std::vector<v1::PaymentRecord> payments_of_payer(const crypto::Address& payer,
                                                                 uint64_t after_id,
                                                                 uint32_t limit) const;
  [[nodiscard]] std::vector<v1::PaymentRecord> payments_by_reference(
      const crypto::Address& payee, std::string_view reference) const;
  [[nodiscard]] std::vector<v1::RefundRecord> refunds(uint64_t payment_id) const;
  [[nodiscard]] std::optional<v1::HoldRecord> hold(uint64_t id) const;
  [[nodiscard]] std::optional<v1::SettlementRecord> settlement(uint64_t id) const;
  [[nodiscard]] std::vector<v1::SettlementRecord> settlements_of(const crypto::Address& payee,
                                                                 uint64_t after_id,
                                                                 uint32_t limit) const;
  [[nodiscard]] std::optional<v1::PlanRecord> plan(uint64_t id) const;
  [[nodiscard]] std::vector<v1::PlanRecord> plans_of(const crypto::Address& payee) const;
  [[nodiscard]] std::optional<v1::SubscriptionRecord> subscription(uint64_t id) const;
  [[nodiscard]] std::vector<v1::SubscriptionRecord> subscriptions_of_payer(
      const crypto::Address& payer) const;
  [[nodiscard]] std::vector<v1::SubscriptionRecord> subscriptions_of_payee(
      const crypto::Address& payee) const;
  // Every conversion offer, by (from, to, provider).
  [[nodiscard]] std::vector<v1::FxOfferRecord> fx_offers() const;
  // What the payee is owed in `asset`, not yet settled.
  [[nodiscard]] uint64_t pending(const crypto::Address& payee, std::string_view asset) const;
  // The payee's trailing 30-day settled volume of `asset` as of block time `time_ms`.
  [[nodiscard]] uint64_t volume_30d(const crypto::Address& payee, std::string_view asset,
                                    uint64_t time_ms) const;

  // The payee's statement of `asset` over block time [from_ms, to_ms) (doc/payfi.md
  // "Statements"): reads every payment of the payee, so it is a query, never consensus work.
  [[nodiscard]] v1::Statement statement(const crypto::Address& payee, std::string_view asset,
                                        uint64_t from_ms, uint64_t to_ms) const;

  [[nodiscard]] v1::PayFiGenesisState genesis_state() const;

 private:
  void show_status(v1::InvoiceRecord& inv, uint64_t time_ms) const;
  template <typename Fn>
  void index_ids(const Bytes& prefix, uint64_t after_id, uint32_t limit, const Fn& fn) const;
  const ledger::StateReader& state_;
};

}  // namespace btt::modules::payfi

#pragma once
// The PayFi keeper: the only code that writes the module's keys (keys.h). Handlers, genesis and
// the end-block hook go through it (doc/payfi.md).
#include <optional>
#include <string>

#include "btt/ledger/ledger.h"
#include "btt/ledger/module.h"
#include "btt/modules/payfi/payfi.h"
#include "btt/v1/payfi.pb.h"

namespace btt::modules::payfi {

// What a payment or hold message's client id already recorded.
struct Replay {
  bool replay = false;  // the same id with the same parameters: a no-op
  v1::IdempotencyRecord record;
};

// The idempotency state of (payer, client id) for a message with `digest`: no record, a replay,
// or kIdempotencyConflict (same id, other parameters). Ids past their window are gone.
[[nodiscard]] Result<Replay> check_idempotency(const ledger::StateReader& state,
                                               const crypto::Address& payer,
                                               const std::string& client_id,
                                               const std::string& digest, uint64_t time_ms);
// The 32 bytes of sha256(bytes).
[[nodiscard]] std::string sha256_bytes(const std::string& bytes);
// sha256 of the message bytes with the client id cleared: what a retry must repeat exactly.
template <typename Msg>
[[nodiscard]] std::string params_digest(Msg m) {
  m.clear_client_payment_id();
  return sha256_bytes(m.SerializeAsString());
}

// The asset a payment delivers: deliver_asset, or the asset paid when none is named.
[[nodiscard]] inline const std::string& delivered_asset(const v1::MsgPay& m) {
  return m.deliver_asset().empty() ? m.asset() : m.deliver_asset();
}

// The asset a payment's payee is owed, settled and refunded in: what it delivered.
[[nodiscard]] inline const std::string& payee_asset(const v1::PaymentRecord& p) {
  return p.delivered_asset().empty() ? p.asset() : p.delivered_asset();
}

// The totals of one settlement group, (cycle, payee, asset), while it awaits settlement: stored
// as three u64be at keys::queued, so a payment adds to its group and settlement pays the group
// without reading or rewriting its payments (doc/payfi.md "Settlement").
struct SettlementGroup {
  uint64_t gross = 0;     // delivered by the group's payments
  uint64_t refunded = 0;  // refunded out of pending before settlement
  uint64_t payments = 0;
  [[nodiscard]] Bytes encode() const;
  // Throws std::logic_error on a value that is not three u64be (state is never written so).
  [[nodiscard]] static SettlementGroup decode(std::string_view bytes);
};

// The settlement that paid payment `p`'s group, 0 while it is unsettled.
[[nodiscard]] uint64_t settlement_id_of(const ledger::StateReader& state,
                                        const v1::PaymentRecord& p);
// `p` as queries and exports show it: settled, settled_ms and settlement_id filled in from its
// group's settlement (state keeps them only there).
void fill_settlement(const ledger::StateReader& state, v1::PaymentRecord& p);

class PayFiKeeper {
 public:
  PayFiKeeper(ledger::Overlay& state, ledger::Events& events, const ledger::LockProviders* locks,
              const ledger::BlockInfo& block);

  [[nodiscard]] const v1::PayFiParams& params() const { return params_; }

  // Genesis: params and the first cycle, or an exported state written back (genesis.cpp
  // checked it).
  void init(const v1::PayFiParams& p);
  void import_state(const v1::PayFiGenesisState& st);

  // Payment assets (handlers checked the sender's role and the records).
  void register_asset(const crypto::Address& gateway, const v1::MsgRegisterPaymentAsset& m);
  [[nodiscard]] Status deposit(const v1::MsgGatewayDeposit& m);
  [[nodiscard]] Status withdraw(const crypto::Address& holder, const v1::MsgGatewayWithdraw& m);
  void freeze(const v1::MsgFreezeHolding& m);
  [[nodiscard]] Status clawback(const v1::MsgClawback& m);

  void register_payee(const crypto::Address& payee, const v1::MsgRegisterPayee& m);
  void create_invoice(const crypto::Address& payee, const v1::MsgCreateInvoice& m);
  void cancel_invoice(uint64_t id);

  // A payment (preclaim checked the invoice, the amount and the id); `replay` makes it a no-op.
  // `digest` is params_digest(m), which the handler computed for the idempotency check.
  [[nodiscard]] Status pay(const crypto::Address& payer, const v1::MsgPay& m, const Hash32& tx_id,
                           const std::string& digest);
  [[nodiscard]] Status refund(const v1::MsgRefund& m);
  [[nodiscard]] Status place_hold(const crypto::Address& payer, const v1::MsgPlaceHold& m,
                                  const std::string& digest);
  [[nodiscard]] Status capture(const v1::MsgCaptureHold& m, const Hash32& tx_id);
  void offer_fx(const crypto::Address& provider, const v1::MsgOfferFx& m);
  void create_plan(const crypto::Address& payee, const v1::MsgCreatePlan& m);
  void subscribe(const crypto::Address& payer, const v1::MsgSubscribe& m);
  void cancel_subscription(const crypto::Address& by, uint64_t id);

  // Emits the replay event of an idempotent retry.
  void replayed(const crypto::Address& payer, const v1::IdempotencyRecord& r);

  // end_block: closes the cycle when its time has come, settles closed cycles within the
  // budget, returns expired holds and prunes expired idempotency ids.
  void end_block();

 private:
  [[nodiscard]] uint64_t next_id(std::string_view name);
  void remember(const crypto::Address& payer, const std::string& client_id,
                const std::string& digest, uint64_t payment_id, uint64_t hold_id);
  // Records a payment of `delivered` into the payee's pending balance (the funds are already in
  // the pending account).
  [[nodiscard]] Result<uint64_t> record_payment(v1::PaymentRecord p);
  [[nodiscard]] Status add_pending(const crypto::Address& payee, std::string_view asset,
                                   uint64_t amount, bool add);
  void release_hold(v1::HoldRecord& h, v1::HoldStatus status);
  // Pays the fee split of `fee` of `asset` from `from`: the development share (rounded down),
  // the rest to the treasury.
  [[nodiscard]] Status pay_fee(const crypto::Address& from, const std::string& asset, uint64_t fee);
  // Adds to (or, refunded, takes from) the totals of payment `p`'s group.
  void add_to_group(const v1::PaymentRecord& p, uint64_t delivered, uint64_t refunded);
  void settle(uint64_t budget);
  // Pays one payee's netted group.
  void pay_group(uint64_t cycle, const crypto::Address& payee, const std::string& asset,
                 const SettlementGroup& group);
  [[nodiscard]] uint32_t fee_bps(const crypto::Address& payee, const std::string& asset,
                                 uint64_t day) const;
  void expire_holds(uint64_t& budget);
  // Attempts the subscription charges whose time has come, at most `budget`.
  void charge_subscriptions(uint64_t budget);
  void charge(v1::SubscriptionRecord& s);
  void put_subscription(const v1::SubscriptionRecord& s, uint64_t old_attempt_ms);
  void prune_ids(uint64_t& budget);

  ledger::Overlay& state_;
  ledger::Events& events_;
  const ledger::LockProviders* locks_;
  const ledger::BlockInfo& block_;
  v1::PayFiParams params_;
};

// The trailing window of the volume tiers, in days (doc/payfi.md "Fees").
inline constexpr uint64_t kVolumeDays = 30;
inline constexpr uint64_t kDayMs = 86'400'000;

}  // namespace btt::modules::payfi

// Bank module: moves registered assets between accounts.
//
// Transfer: one asset, one recipient. MultiTransfer: up to max_outputs outputs, all applied or
// none (they run in the tx sandbox, which is dropped whole on any failure). Amounts must be
// positive; self-transfers are allowed and change nothing but the fee and nonce.
#include "btt/modules/bank.h"

#include <map>

#include "btt/common/checked.h"

namespace btt::modules {
namespace {

using ledger::MsgContext;

Status check_output(std::string_view to, std::string_view asset, uint64_t amount,
                    std::string_view where) {
  if (!crypto::Address::parse(to)) {
    return {Code::kInvalidAddress,
            std::string(where) + ": recipient '" + excerpt(to) + "' is not a btt address"};
  }
  if (!ledger::is_valid_asset_name(asset)) {
    return {Code::kInvalidAsset,
            std::string(where) + ": asset '" + excerpt(asset) + "' is not a valid asset name"};
  }
  if (amount == 0) return {Code::kInvalidAmount, std::string(where) + ": amount must be positive"};
  return Status::ok();
}

// Preclaim for a set of debits from the sender: every asset registered, spendable balance covers
// the total per asset, and no recipient balance would overflow.
Status preclaim_outputs(const std::vector<v1::Output>& outputs, MsgContext& ctx) {
  auto ledger = ctx.ledger();
  std::map<std::string, uint64_t> totals;
  for (const auto& o : outputs) {
    if (!ledger.asset(o.asset())) {
      return {Code::kUnknownAsset, "asset '" + o.asset() + "' is not registered"};
    }
    auto sum = checked_add(totals[o.asset()], o.amount());
    if (!sum) return {Code::kBalanceOverflow, "total of outputs in " + o.asset() + " overflows"};
    totals[o.asset()] = *sum;
  }
  for (const auto& [asset, total] : totals) {
    uint64_t have = ledger.balance(ctx.sender, asset);
    if (have < total) {
      return {Code::kInsufficientFunds, ctx.sender.to_string() + " has " + std::to_string(have) +
                                            " units of " + asset + ", needs " +
                                            std::to_string(total)};
    }
    uint64_t free = ledger.spendable(ctx.sender, asset, ctx.block.time_ms);
    if (free < total) {
      return {Code::kLockedFunds,
              ctx.sender.to_string() + " has " + std::to_string(free) + " units of " + asset +
                  " spendable (the rest is locked), needs " + std::to_string(total)};
    }
  }
  return Status::ok();
}

Status apply_output(const v1::Output& o, MsgContext& ctx) {
  auto to = crypto::Address::parse(o.to());
  if (!to) return {Code::kInvalidAddress, "recipient is not a btt address"};
  auto ledger = ctx.ledger();
  if (auto s = ledger.move(ctx.sender, *to, o.asset(), o.amount(), ctx.block.time_ms); !s) return s;
  ctx.events.emit("bank.transfer")
      .attr("from", crypto::Address::canonical(ctx.body.sender()))
      .attr("to", crypto::Address::canonical(o.to()))
      .attr("asset", o.asset())
      .attr("amount", o.amount());
  return Status::ok();
}

v1::Output as_output(const v1::MsgTransfer& t) {
  v1::Output o;
  o.set_to(t.to());
  o.set_asset(t.asset());
  o.set_amount(t.amount());
  return o;
}

class TransferHandler final : public ledger::MsgHandler {
 public:
  Status check(const v1::Message& msg, const v1::LedgerParams&) const override {
    const auto& t = msg.transfer();
    return check_output(t.to(), t.asset(), t.amount(), "transfer");
  }
  Status preclaim(const v1::Message& msg, MsgContext& ctx) const override {
    return preclaim_outputs({as_output(msg.transfer())}, ctx);
  }
  Status apply(const v1::Message& msg, MsgContext& ctx) const override {
    return apply_output(as_output(msg.transfer()), ctx);
  }
};

class MultiTransferHandler final : public ledger::MsgHandler {
 public:
  Status check(const v1::Message& msg, const v1::LedgerParams& params) const override {
    const auto& m = msg.multi_transfer();
    if (m.outputs().empty()) return {Code::kInvalidArgument, "multi_transfer: no outputs"};
    if (static_cast<uint32_t>(m.outputs_size()) > params.max_outputs()) {
      return {Code::kTooManyOutputs, "multi_transfer: " + std::to_string(m.outputs_size()) +
                                         " outputs, at most " +
                                         std::to_string(params.max_outputs())};
    }
    for (int i = 0; i < m.outputs_size(); ++i) {
      const auto& o = m.outputs(i);
      if (auto s = check_output(o.to(), o.asset(), o.amount(),
                                "multi_transfer output " + std::to_string(i));
          !s)
        return s;
    }
    return Status::ok();
  }
  Status preclaim(const v1::Message& msg, MsgContext& ctx) const override {
    const auto& outs = msg.multi_transfer().outputs();
    return preclaim_outputs({outs.begin(), outs.end()}, ctx);
  }
  Status apply(const v1::Message& msg, MsgContext& ctx) const override {
    for (const auto& o : msg.multi_transfer().outputs()) {
      if (auto s = apply_output(o, ctx); !s) return s;
    }
    return Status::ok();
  }
};

class BankModule final : public ledger::Module {
 public:
  std::string_view name() const override { return "bank"; }
  std::vector<std::pair<int, const ledger::MsgHandler*>> handlers() const override {
    return {{v1::Message::kTransfer, &transfer_}, {v1::Message::kMultiTransfer, &multi_}};
  }
  // Every asset's balances sum to its recorded supply.
  std::vector<std::string> check_invariants(const ledger::StateReader& state) const override {
    std::vector<std::string> out;
    ledger::Ledger l(state);
    for (const auto& info : l.assets()) {
      auto sum = l.sum_balances(info.asset());
      uint64_t supply = l.supply(info.asset());
      if (!sum) {
        out.push_back("bank: balances of " + info.asset() + " overflow");
      } else if (*sum != supply) {
        out.push_back("bank: balances of " + info.asset() + " sum to " + std::to_string(*sum) +
                      " but supply is " + std::to_string(supply));
      }
    }
    return out;
  }

 private:
  TransferHandler transfer_;
  MultiTransferHandler multi_;
};

}  // namespace

std::unique_ptr<ledger::Module> make_bank_module() {
  return std::make_unique<BankModule>();
}

}  // namespace btt::modules

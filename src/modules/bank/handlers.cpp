// Bank handlers. Transfer: one asset, one recipient. MultiTransfer: up to max_outputs outputs,
// all applied or none (they run in the tx sandbox, which is dropped whole on any failure).
// Amounts must be positive; self-transfers are allowed and change nothing but the fee and nonce.
#include "handlers.h"

#include <map>

#include "btt/common/checked.h"
#include "btt/modules/bank/errors.h"
#include "keeper.h"

namespace btt::modules::bank {
namespace {

Status check_output(std::string_view to, std::string_view asset, uint64_t amount,
                    std::string_view where) {
  if (!crypto::Address::parse(to)) {
    return {errors::kBadRecipient,
            std::string(where) + ": recipient '" + excerpt(to) + "' is not a btt address"};
  }
  if (!ledger::is_valid_asset_name(asset)) {
    return {errors::kBadAsset,
            std::string(where) + ": asset '" + excerpt(asset) + "' is not a valid asset name"};
  }
  if (amount == 0) return {errors::kZeroAmount, std::string(where) + ": amount must be positive"};
  return Status::ok();
}

// Every asset registered, spendable balance covers the total per asset.
template <typename Outputs>
Status preclaim_outputs(const Outputs& outputs, const ledger::ReadContext& ctx) {
  auto ledger = ctx.ledger();
  std::map<std::string, uint64_t, std::less<>> totals;
  for (const auto& o : outputs) {
    if (!ledger.asset(o.asset())) {
      return {errors::kUnknownAsset, "asset '" + o.asset() + "' is not registered"};
    }
    auto sum = checked_add(totals[o.asset()], o.amount());
    if (!sum) return {errors::kTotalOverflow, "total of outputs in " + o.asset() + " overflows"};
    totals[o.asset()] = *sum;
  }
  for (const auto& [asset, total] : totals) {
    if (auto s = ledger::require_spendable(ledger, ctx.sender, asset, total, ctx.block.time_ms); !s)
      return s;
  }
  return Status::ok();
}

v1::Output as_output(const v1::MsgTransfer& t) {
  v1::Output o;
  o.set_to(t.to());
  o.set_asset(t.asset());
  o.set_amount(t.amount());
  return o;
}

}  // namespace

Status TransferHandler::check(const v1::MsgTransfer& t, const v1::LedgerParams&) const {
  return check_output(t.to(), t.asset(), t.amount(), "transfer");
}

Status TransferHandler::preclaim(const v1::MsgTransfer& t, const ledger::ReadContext& ctx) const {
  return preclaim_outputs(std::vector<v1::Output>{as_output(t)}, ctx);
}

Status TransferHandler::apply(const v1::MsgTransfer& t, ledger::MsgContext& ctx) const {
  return BankKeeper(ctx).send(as_output(t));
}

Status MultiTransferHandler::check(const v1::MsgMultiTransfer& m,
                                   const v1::LedgerParams& params) const {
  if (m.outputs().empty()) return {errors::kNoOutputs, "multi_transfer: no outputs"};
  if (static_cast<uint32_t>(m.outputs_size()) > params.max_outputs()) {
    return {errors::kTooManyOutputs, "multi_transfer: " + std::to_string(m.outputs_size()) +
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

Status MultiTransferHandler::preclaim(const v1::MsgMultiTransfer& m,
                                      const ledger::ReadContext& ctx) const {
  return preclaim_outputs(m.outputs(), ctx);
}

Status MultiTransferHandler::apply(const v1::MsgMultiTransfer& m, ledger::MsgContext& ctx) const {
  BankKeeper keeper(ctx);
  for (const auto& o : m.outputs()) {
    if (auto s = keeper.send(o); !s) return s;
  }
  return Status::ok();
}

}  // namespace btt::modules::bank

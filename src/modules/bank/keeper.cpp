#include "keeper.h"

#include "btt/modules/bank/errors.h"
#include "btt/modules/bank/events.h"

namespace btt::modules::bank {

Status BankKeeper::send(const v1::Output& o) {
  auto to = crypto::Address::parse(o.to());
  if (!to) return {errors::kBadRecipient, "recipient is not a btt address"};
  if (auto s = ctx_.ledger().move(ctx_.sender, *to, o.asset(), o.amount(), ctx_.block.time_ms); !s)
    return s;
  ctx_.events.emit(events::kTransfer)
      .attr("from", crypto::Address::canonical(ctx_.body.sender()))
      .attr("to", crypto::Address::canonical(o.to()))
      .attr("asset", o.asset())
      .attr("amount", o.amount());
  return Status::ok();
}

}  // namespace btt::modules::bank

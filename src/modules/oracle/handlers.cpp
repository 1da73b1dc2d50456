// Oracle handlers: a price_oracle holder posts a price of a pair.
#include "handlers.h"

#include "btt/modules/oracle/errors.h"
#include "btt/modules/oracle/oracle.h"
#include "btt/modules/roles/roles.h"
#include "keeper.h"
#include "module.h"

namespace btt::modules::oracle {

Status check_pair(std::string_view base, std::string_view quote, std::string_view what) {
  if (!ledger::is_valid_asset_name(base) || !ledger::is_valid_asset_name(quote)) {
    return {errors::kBadPair, std::string(what) + ": pair '" + excerpt(base) + "/" +
                                  excerpt(quote) + "' does not name two assets"};
  }
  if (base == quote) {
    return {errors::kBadPair, std::string(what) + ": pair '" + std::string(base) + "/" +
                                  std::string(quote) + "' has the same base and quote"};
  }
  return Status::ok();
}

Status check_price(uint64_t num, uint64_t den, std::string_view what) {
  if (num == 0 || den == 0) {
    return {errors::kBadPrice, std::string(what) + ": price " + std::to_string(num) + "/" +
                                   std::to_string(den) + " needs num > 0 and den > 0"};
  }
  return Status::ok();
}

Status PostPriceHandler::check(const v1::MsgPostPrice& m, const v1::LedgerParams&) const {
  if (auto s = check_pair(m.base(), m.quote(), "post_price"); !s) return s;
  return check_price(m.num(), m.den(), "post_price");
}

Status PostPriceHandler::preclaim(const v1::MsgPostPrice& m, const ledger::ReadContext& ctx) const {
  if (!roles::has_role(ctx.state, roles::kPriceOracle, ctx.sender)) {
    return {errors::kNotPriceOracle, "post_price: " + ctx.sender.to_string() +
                                         " does not hold price_oracle (pair " + m.base() + "/" +
                                         m.quote() + ")"};
  }
  return Status::ok();
}

Status PostPriceHandler::apply(const v1::MsgPostPrice& m, ledger::MsgContext& ctx) const {
  OracleKeeper(ctx.state, ctx.events).post(ctx.sender, m, ctx.block.time_ms, ctx.block.height);
  return Status::ok();
}

}  // namespace btt::modules::oracle

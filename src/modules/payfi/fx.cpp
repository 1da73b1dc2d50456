// PayFi conversion (doc/payfi.md "Conversion"): the oracle's price in force, the fee, and the
// offer that converts.
#include "btt/common/amount.h"
#include "btt/ledger/ledger.h"
#include "btt/modules/oracle/oracle.h"
#include "btt/modules/payfi/errors.h"
#include "keeper.h"
#include "keys.h"
#include "module.h"

namespace btt::modules::payfi {

Result<FxQuote> quote_fx(const ledger::StateReader& state, const ledger::LockProviders* locks,
                         std::string_view from, std::string_view to, uint64_t amount,
                         uint64_t time_ms) {
  auto price = oracle::price_in_force(state, from, to, time_ms);
  if (!price) return price.status();  // no fresh price: the oracle's no_price names the pair
  auto converted = oracle::convert(amount, *price);
  if (!converted) return converted.status();
  const auto params = params_spec().get(state);
  FxQuote q;
  q.rate_num = price->num;
  q.rate_den = price->den;
  q.posts = price->posts;
  q.converted = *converted;
  q.fee = bps_share(q.converted, params.fx_fee_bps())->part;
  q.delivered = q.converted - q.fee;
  q.platform_fee = q.fee - bps_share(q.fee, params.fx_provider_share_bps())->part;
  const uint64_t needed = q.delivered + q.platform_fee;  // <= converted
  const ledger::Ledger ledger(state, locks);
  bool found = false;
  state.scan(keys::fx_offers(from, to), [&](std::string_view, std::string_view value) {
    v1::FxOfferRecord o;
    if (!o.ParseFromArray(value.data(), static_cast<int>(value.size()))) return true;
    auto provider = crypto::Address::parse(o.provider());
    if (provider && ledger.spendable(*provider, to, time_ms) >= needed) {
      q.provider = *provider;
      found = true;
    }
    return !found;
  });
  if (!found) {
    return Status{errors::kNoFxOffer, "no offer converts " + std::string(from) + " into " +
                                          std::string(to) + " with " + std::to_string(needed) +
                                          " available"};
  }
  return q;
}

}  // namespace btt::modules::payfi

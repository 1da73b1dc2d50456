// The oracle keeper (doc/oracle.md "State"): the only writer of "orc/".
#include "keeper.h"

#include "btt/modules/oracle/events.h"
#include "keys.h"
#include "module.h"

namespace btt::modules::oracle {

void OracleKeeper::set_params(const v1::OracleParams& p) {
  params_spec().set(state_, p);
}

void OracleKeeper::import_state(const v1::OracleGenesisState& st) {
  if (st.has_params()) set_params(st.params());
  for (const auto& p : st.pairs()) {
    state_.put(keys::pair(p.base(), p.quote()), p.SerializeAsString());
  }
  for (const auto& p : st.posts()) {
    state_.put(keys::post(p.base(), p.quote(), *crypto::Address::parse(p.feeder())),
               p.SerializeAsString());
  }
  for (const auto& h : st.history()) {
    state_.put(keys::history(h.base(), h.quote(), h.seq()), h.SerializeAsString());
  }
}

void OracleKeeper::post(const crypto::Address& feeder, const v1::MsgPostPrice& m, uint64_t time_ms,
                        uint64_t height) {
  const auto params = params_spec().get(state_);
  auto pair = view().pair(m.base(), m.quote());
  if (!pair) {
    pair.emplace();
    pair->set_base(m.base());
    pair->set_quote(m.quote());
    pair->set_next_seq(1);
    pair->set_oldest_seq(1);
  }
  const uint64_t seq = pair->next_seq();
  v1::PricePost p;
  p.set_base(m.base());
  p.set_quote(m.quote());
  p.set_feeder(feeder.to_string());
  p.set_num(m.num());
  p.set_den(m.den());
  p.set_time_ms(time_ms);
  p.set_height(height);
  p.set_seq(seq);
  const std::string bytes = p.SerializeAsString();
  state_.put(keys::post(m.base(), m.quote(), feeder), bytes);
  state_.put(keys::history(m.base(), m.quote(), seq), bytes);
  pair->set_next_seq(seq + 1);
  // Keep the newest max_history entries: the work is the entries dropped, at most the previous
  // limit (one per post while the limit stays).
  uint64_t pruned = 0;
  uint64_t oldest = pair->oldest_seq();
  while (pair->next_seq() - oldest > params.max_history()) {
    state_.erase(keys::history(m.base(), m.quote(), oldest));
    ++oldest;
    ++pruned;
  }
  pair->set_oldest_seq(oldest);
  pair->set_history_limit(params.max_history());
  state_.put(keys::pair(m.base(), m.quote()), pair->SerializeAsString());
  events_.emit(events::kPricePosted)
      .attr("base", m.base())
      .attr("quote", m.quote())
      .attr("feeder", feeder.to_string())
      .attr("num", m.num())
      .attr("den", m.den())
      .attr("seq", seq)
      .attr("pruned", pruned);
}

}  // namespace btt::modules::oracle

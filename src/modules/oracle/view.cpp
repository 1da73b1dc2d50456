// Reads of the oracle state and the answers of btt.v1.Oracle (doc/oracle.md "Queries").
#include "btt/modules/oracle/view.h"

#include <stdexcept>

#include "btt/modules/oracle/oracle.h"
#include "keys.h"
#include "module.h"

namespace btt::modules::oracle {

v1::OracleParams OracleView::params() const {
  return params_spec().get(state_);
}

std::optional<v1::OraclePair> OracleView::pair(std::string_view base,
                                               std::string_view quote) const {
  return ledger::read_record<v1::OraclePair>(state_, keys::pair(base, quote));
}

std::vector<v1::OraclePair> OracleView::pairs() const {
  return ledger::read_records<v1::OraclePair>(state_, keys::pairs());
}

std::optional<v1::PricePost> OracleView::post(std::string_view base, std::string_view quote,
                                              const crypto::Address& feeder) const {
  return ledger::read_record<v1::PricePost>(state_, keys::post(base, quote, feeder));
}

std::vector<v1::PricePost> OracleView::posts(std::string_view base, std::string_view quote) const {
  return ledger::read_records<v1::PricePost>(state_, keys::posts(base, quote));
}

std::vector<v1::PricePost> OracleView::history(std::string_view base,
                                               std::string_view quote) const {
  return ledger::read_records<v1::PricePost>(state_, keys::history(base, quote));
}

v1::OracleGenesisState OracleView::genesis_state() const {
  v1::OracleGenesisState st;
  if (auto p = ledger::read_record<v1::OracleParams>(state_, keys::params())) {
    *st.mutable_params() = *p;
  }
  for (auto& p : pairs()) *st.add_pairs() = std::move(p);
  for (auto& p : ledger::read_records<v1::PricePost>(state_, keys::all_posts())) {
    *st.add_posts() = std::move(p);
  }
  for (auto& h : ledger::read_records<v1::PricePost>(state_, keys::all_history())) {
    *st.add_history() = std::move(h);
  }
  return st;
}

Result<v1::GetPriceResponse> OracleView::price(std::string_view base, std::string_view quote,
                                               uint64_t time_ms) const {
  auto p = price_in_force(state_, base, quote, time_ms);
  if (!p) return p.status();
  v1::GetPriceResponse r;
  r.set_base(std::string(base));
  r.set_quote(std::string(quote));
  r.set_num(p->num);
  r.set_den(p->den);
  r.set_posts(p->posts);
  r.set_oldest_time_ms(p->oldest_time_ms);
  r.set_newest_time_ms(p->newest_time_ms);
  r.set_median_feeder(p->median_feeder.to_string());
  r.set_time_ms(time_ms);
  return r;
}

Result<v1::ListPostsResponse> OracleView::list_posts(const v1::ListPostsRequest& req) const {
  if (auto s = check_pair(req.base(), req.quote(), "list_posts"); !s) return s;
  v1::ListPostsResponse r;
  for (auto& p : posts(req.base(), req.quote())) *r.add_posts() = std::move(p);
  return r;
}

Result<v1::ListHistoryResponse> OracleView::list_history(const v1::ListHistoryRequest& req) const {
  if (auto s = check_pair(req.base(), req.quote(), "list_history"); !s) return s;
  auto limit = ledger::page_limit(req.limit());
  if (!limit) return limit.status();
  v1::ListHistoryResponse r;
  const Bytes prefix = keys::history(req.base(), req.quote());
  // Seqs above start_after: start the scan there, in seq order.
  state_.scan(prefix, [&](std::string_view key, std::string_view value) {
    ledger::KeyReader k(key.substr(prefix.size()));
    uint64_t seq = 0;
    if (!k.u64(seq) || seq <= req.start_after()) return true;
    if (static_cast<uint32_t>(r.history_size()) == *limit) {
      r.set_next_start_after(r.history(r.history_size() - 1).seq());
      return false;
    }
    if (!r.add_history()->ParseFromArray(value.data(), static_cast<int>(value.size()))) {
      throw std::logic_error("unreadable btt.v1.PricePost under " + to_hex(prefix));
    }
    return true;
  });
  return r;
}

v1::ListPairsResponse OracleView::list_pairs() const {
  v1::ListPairsResponse r;
  for (auto& p : pairs()) *r.add_pairs() = std::move(p);
  return r;
}

}  // namespace btt::modules::oracle

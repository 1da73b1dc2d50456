// Oracle genesis (doc/oracle.md "Genesis"), in two forms. A new chain's section is
// {"params": OracleParams} in protobuf JSON (fields left out take their defaults). A running
// chain's export is {"state": OracleGenesisState}: params (when stored), pairs, posts and
// history, checked as the invariants check the state. Absent: the defaults, no posts.
#include <map>
#include <set>
#include <tuple>

#include <nlohmann/json.hpp>

#include "btt/ledger/genesis_section.h"
#include "btt/ledger/proto_json.h"
#include "btt/modules/oracle/errors.h"
#include "btt/modules/oracle/view.h"
#include "keeper.h"
#include "keys.h"
#include "module.h"

namespace btt::modules::oracle {
namespace {

Status bad(const std::string& what) {
  return {errors::kBadGenesis, "oracle: " + what};
}

Result<v1::OracleParams> parse_params(const nlohmann::json& section) {
  return ledger::parse_params_section(section, default_params(), validate_params, bad);
}

Result<v1::OracleGenesisState> parse_state(const nlohmann::json& section) {
  v1::OracleGenesisState st;
  if (auto s = ledger::parse_state_section(section, st, bad); !s) return s;
  auto problems = state_problems(st);
  if (!problems.empty()) return bad(problems.front());
  return st;
}

}  // namespace

std::vector<std::string> state_problems(const v1::OracleGenesisState& st) {
  std::vector<std::string> out;
  if (st.has_params()) {
    if (auto s = validate_params(st.params()); !s) out.push_back(s.message());
  }
  using PairKey = std::pair<std::string, std::string>;
  std::map<PairKey, const v1::OraclePair*> pairs;
  for (const auto& p : st.pairs()) {
    const std::string name = p.base() + "/" + p.quote();
    if (auto s = check_pair(p.base(), p.quote(), "pair"); !s) {
      out.push_back(s.message());
      continue;
    }
    if (!pairs.emplace(PairKey{p.base(), p.quote()}, &p).second) {
      out.push_back("pair " + name + " twice");
    }
    if (p.oldest_seq() == 0 || p.oldest_seq() > p.next_seq()) {
      out.push_back("pair " + name + " has oldest_seq " + std::to_string(p.oldest_seq()) +
                    " outside 1..next_seq " + std::to_string(p.next_seq()));
    } else if (p.next_seq() - p.oldest_seq() > p.history_limit()) {
      out.push_back("pair " + name + " keeps " + std::to_string(p.next_seq() - p.oldest_seq()) +
                    " history entries, above its limit " + std::to_string(p.history_limit()));
    }
  }
  // A post or history entry: a valid pair with a record, a valid price, a feeder address, and a
  // seq the pair has given out (history: one it still keeps).
  auto check_entry = [&](const v1::PricePost& e, bool history) -> const v1::OraclePair* {
    const std::string what = std::string(history ? "history entry " : "post ") + e.base() + "/" +
                             e.quote() + " #" + std::to_string(e.seq());
    if (auto s = check_pair(e.base(), e.quote(), what); !s) {
      out.push_back(s.message());
      return nullptr;
    }
    if (auto s = check_price(e.num(), e.den(), what); !s) out.push_back(s.message());
    if (!crypto::Address::parse(e.feeder())) out.push_back(what + ": feeder is not an address");
    auto it = pairs.find(PairKey{e.base(), e.quote()});
    if (it == pairs.end()) {
      out.push_back(what + ": no pair record");
      return nullptr;
    }
    const auto& pair = *it->second;
    const uint64_t low = history ? pair.oldest_seq() : 1;
    if (e.seq() < low || e.seq() >= pair.next_seq()) {
      out.push_back(what + ": seq outside " + std::to_string(low) + ".." +
                    std::to_string(pair.next_seq()) + " (exclusive)");
    }
    return &pair;
  };
  std::set<std::tuple<std::string, std::string, std::string>> feeders;
  std::map<PairKey, uint64_t> post_count;
  for (const auto& p : st.posts()) {
    if (!check_entry(p, false)) continue;
    if (!feeders.emplace(p.base(), p.quote(), p.feeder()).second) {
      out.push_back("post " + p.base() + "/" + p.quote() + ": feeder " + p.feeder() + " twice");
    }
    ++post_count[PairKey{p.base(), p.quote()}];
  }
  std::set<std::tuple<std::string, std::string, uint64_t>> seqs;
  std::map<PairKey, uint64_t> history_count;
  for (const auto& h : st.history()) {
    if (!check_entry(h, true)) continue;
    if (!seqs.emplace(h.base(), h.quote(), h.seq()).second) {
      out.push_back("history entry " + h.base() + "/" + h.quote() + " #" + std::to_string(h.seq()) +
                    " twice");
    }
    ++history_count[PairKey{h.base(), h.quote()}];
  }
  for (const auto& [key, pair] : pairs) {
    const std::string name = key.first + "/" + key.second;
    if (post_count[key] == 0) out.push_back("pair " + name + " has no post");
    if (pair->oldest_seq() <= pair->next_seq() &&
        history_count[key] != pair->next_seq() - pair->oldest_seq()) {
      out.push_back("pair " + name + " has " + std::to_string(history_count[key]) +
                    " history entries, its seqs " + std::to_string(pair->oldest_seq()) + ".." +
                    std::to_string(pair->next_seq()) + " (exclusive) need " +
                    std::to_string(pair->next_seq() - pair->oldest_seq()));
    }
  }
  return out;
}

Status OracleModule::validate_genesis(const nlohmann::json& section,
                                      const ledger::GenesisInfo&) const {
  if (section.is_null()) return Status::ok();
  if (!section.is_object()) return bad("the section must be an object");
  if (ledger::is_exported_section(section)) {
    auto st = parse_state(section);
    return st ? Status::ok() : st.status();
  }
  auto p = parse_params(section);
  return p ? Status::ok() : p.status();
}

Status OracleModule::init_genesis(const nlohmann::json& section, const ledger::GenesisInfo&,
                                  ledger::BlockContext& ctx) {
  if (section.is_null()) return Status::ok();
  if (!section.is_object()) return bad("the section must be an object");
  OracleKeeper keeper(ctx.state, ctx.events);
  if (ledger::is_exported_section(section)) {
    auto st = parse_state(section);
    if (!st) return st.status();
    keeper.import_state(*st);
    return Status::ok();
  }
  auto p = parse_params(section);
  if (!p) return p.status();
  keeper.set_params(*p);
  return Status::ok();
}

Result<nlohmann::json> OracleModule::export_genesis(const ledger::StateReader& state) const {
  auto st = OracleView(state).genesis_state();
  if (!st.has_params() && st.pairs_size() == 0 && st.posts_size() == 0 && st.history_size() == 0) {
    return nlohmann::json();
  }
  auto j = ledger::proto_to_json(st);
  if (!j) return j.status();
  return nlohmann::json{{"state", std::move(*j)}};
}

}  // namespace btt::modules::oracle

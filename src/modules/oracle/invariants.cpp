// Oracle invariants (doc/oracle.md "Invariants"), checked after every tx and block: every
// record sits at the key its fields give; every post and history entry has a valid pair with a
// record and a price with num, den > 0; a pair's history is exactly its seqs oldest..next, at
// most the limit applied at its last post; every pair has a post.
#include "btt/modules/oracle/view.h"
#include "keys.h"
#include "module.h"

namespace btt::modules::oracle {

std::vector<std::string> OracleModule::check_invariants(const ledger::StateReader& state) const {
  std::vector<std::string> out;
  const auto st = OracleView(state).genesis_state();
  for (auto& p : state_problems(st)) out.push_back("oracle: " + p);
  // Keys: each record where its fields put it (genesis_state read them in key order).
  auto at = [&](std::string_view prefix, auto key_of) {
    state.scan(prefix, [&](std::string_view key, std::string_view value) {
      v1::PricePost p;
      if (!p.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
        out.push_back("oracle: unreadable record at " + to_hex(key));
      } else if (auto k = key_of(p); !k || *k != key) {
        out.push_back("oracle: record " + p.base() + "/" + p.quote() + " #" +
                      std::to_string(p.seq()) + " is not at its key");
      }
      return true;
    });
  };
  at(keys::all_posts(), [](const v1::PricePost& p) -> std::optional<Bytes> {
    auto feeder = crypto::Address::parse(p.feeder());
    if (!feeder) return std::nullopt;
    return keys::post(p.base(), p.quote(), *feeder);
  });
  at(keys::all_history(), [](const v1::PricePost& p) -> std::optional<Bytes> {
    return keys::history(p.base(), p.quote(), p.seq());
  });
  state.scan(keys::pairs(), [&](std::string_view key, std::string_view value) {
    v1::OraclePair p;
    if (!p.ParseFromArray(value.data(), static_cast<int>(value.size())) ||
        keys::pair(p.base(), p.quote()) != key) {
      out.push_back("oracle: pair record at " + to_hex(key) + " is not at its key");
    }
    return true;
  });
  return out;
}

}  // namespace btt::modules::oracle

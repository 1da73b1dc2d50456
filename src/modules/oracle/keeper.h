#pragma once
// The oracle keeper: the only code that writes the module's keys (keys.h).
#include "btt/ledger/module.h"
#include "btt/modules/oracle/view.h"
#include "btt/v1/oracle.pb.h"

namespace btt::modules::oracle {

class OracleKeeper {
 public:
  OracleKeeper(ledger::Overlay& state, ledger::Events& events) : state_(state), events_(events) {}
  [[nodiscard]] OracleView view() const { return OracleView(state_); }

  // Genesis: params, or an exported state written back (genesis.cpp checked it).
  void set_params(const v1::OracleParams& p);
  void import_state(const v1::OracleGenesisState& st);

  // A checked post of `feeder` at the block's time and height: replaces the feeder's latest
  // post of the pair, appends it to the pair's history and prunes the history to max_history;
  // emits oracle.price_posted.
  void post(const crypto::Address& feeder, const v1::MsgPostPrice& m, uint64_t time_ms,
            uint64_t height);

 private:
  ledger::Overlay& state_;
  ledger::Events& events_;
};

}  // namespace btt::modules::oracle

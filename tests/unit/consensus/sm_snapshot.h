#pragma once
// What a restarted validator must come back to: the round, step, locks and valid value of a
// state machine (for the consensus WAL's replay tests).
#include <string>

#include "btt/consensus/state_machine.h"

namespace btt::consensus {

struct Snapshot {
  uint64_t height;
  chain::Round round;
  chain::Step step;
  chain::Round locked_round;
  Bytes locked_block_id;
  chain::Round valid_round;
  Bytes valid_block_id;
  bool decided;

  explicit Snapshot(const StateMachine& sm)
      : height(sm.height()),
        round(sm.round()),
        step(sm.step()),
        locked_round(sm.locked_round()),
        locked_block_id(sm.locked_block_id()),
        valid_round(sm.valid_round()),
        valid_block_id(sm.valid_block_id()),
        decided(sm.decided()) {}
  bool operator==(const Snapshot&) const = default;

  [[nodiscard]] std::string to_string() const {
    return "h=" + std::to_string(height) + " r=" + std::to_string(round) +
           " step=" + chain::step_name(step) + " locked=" + std::to_string(locked_round) +
           " valid=" + std::to_string(valid_round) + (decided ? " decided" : "");
  }
  friend std::ostream& operator<<(std::ostream& os, const Snapshot& s) {
    return os << s.to_string();
  }
};

}  // namespace btt::consensus

#pragma once
// The Rwa module's message handlers: one ledger::Handler<Msg> per message, defined in
// handlers.cpp (doc/rwa.md has each one's checks).
#include <memory>
#include <vector>

#include "btt/ledger/module.h"

namespace btt::modules::rwa {

class RwaHandlers {
 public:
  RwaHandlers();
  ~RwaHandlers();
  [[nodiscard]] std::vector<const ledger::MsgHandler*> list() const;

 private:
  std::vector<std::unique_ptr<ledger::MsgHandler>> handlers_;
};

}  // namespace btt::modules::rwa

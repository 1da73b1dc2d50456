// This release handles no upgrade plan yet: the chain has had none.
#include "upgrades.h"

namespace btt::app {

std::vector<std::string> handled_upgrades() {
  return {};
}

}  // namespace btt::app

// bttd-next: the same bttd, built for the tests only, that handles the plan "btt-next": the
// "new release" of the upgrade test (tests/integration/governance_net_test.cpp).
#include "upgrades.h"

namespace btt::app {

std::vector<std::string> handled_upgrades() {
  return {"btt-next"};
}

}  // namespace btt::app

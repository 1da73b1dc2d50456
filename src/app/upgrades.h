#pragma once
// The governance software-upgrade plans this bttd binary handles (doc/governance.md "Software
// upgrades"). A node stops before the height of any other plan; a release that upgrades the
// chain adds the plan's name here (and any state migration to the begin-block of that height).
#include <string>
#include <vector>

namespace btt::app {

[[nodiscard]] std::vector<std::string> handled_upgrades();

}  // namespace btt::app

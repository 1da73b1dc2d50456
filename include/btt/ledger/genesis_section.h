#pragma once
// A module's genesis section in its two forms (doc/modules.md "Genesis"): {"params": P} for a
// new chain, the params in protobuf JSON over the module's defaults (fields left out keep their
// default; a list given replaces the default list whole), or {"state": S}, a running chain's
// export. `bad(message)` makes the module's own bad-genesis Status of a message.
#include <string>

#include <nlohmann/json.hpp>

#include "btt/common/json_fields.h"
#include "btt/common/status.h"
#include "btt/ledger/proto_json.h"

namespace btt::ledger {

[[nodiscard]] inline bool is_exported_section(const nlohmann::json& section) {
  return section.is_object() && section.contains("state");
}

// The params of a new chain's section, checked by the module's `validate`.
template <typename P, typename Bad>
[[nodiscard]] Result<P> parse_params_section(const nlohmann::json& section, const P& defaults,
                                             Status (*validate)(const P&), const Bad& bad) {
  if (auto s = json_fields::only_keys(section, "the section", {"params"}); !s) {
    return bad(s.message());
  }
  auto params_json = proto_to_json(defaults);
  if (!params_json) return params_json.status();
  if (section.contains("params")) {
    if (!section["params"].is_object()) return bad("params must be an object");
    params_json->update(section["params"]);
  }
  P p;
  if (auto s = json_to_proto(*params_json, p); !s) return bad("params: " + s.message());
  if (auto s = validate(p); !s) return s;
  return p;
}

// The exported state of a section into `out`; the module checks its records after.
template <typename S, typename Bad>
[[nodiscard]] Status parse_state_section(const nlohmann::json& section, S& out, const Bad& bad) {
  if (auto s = json_fields::only_keys(section, "the exported section", {"state"}); !s) {
    return bad(s.message());
  }
  if (auto s = json_to_proto(section["state"], out); !s) return bad("state: " + s.message());
  return Status::ok();
}

}  // namespace btt::ledger

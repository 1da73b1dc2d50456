#pragma once
// The one path that changes a module's params after genesis (governance calls it): the module
// validates the new message, and a refused change writes nothing.
#include <string_view>

#include "btt/chain/registry.h"
#include "btt/ledger/events.h"
#include "btt/ledger/state.h"

namespace btt::chain {

namespace params_events {
inline constexpr ledger::EventDef kChanged{"params.changed", {"module", "type"}};
}  // namespace params_events

// Replaces module `module`'s params ("ledger" for LedgerParams) with `value`, the serialized
// params message of the module's type. kInvalidArgument when the module has no params, the
// bytes do not parse as that type (unknown fields included) or the module's validate refuses
// them; nothing is written then. On success emits params.changed.
[[nodiscard]] Status set_params(const ModuleRegistry& registry, ledger::Overlay& state,
                                ledger::Events& events, std::string_view module,
                                std::string_view value);

// The same with the params as protobuf JSON (the form btt-cli and proposals show).
[[nodiscard]] Status set_params_json(const ModuleRegistry& registry, ledger::Overlay& state,
                                     ledger::Events& events, std::string_view module,
                                     std::string_view json);

// The params of `module` in force, as protobuf JSON; kNotFound for a module without params.
[[nodiscard]] Result<std::string> params_json(const ModuleRegistry& registry,
                                              const ledger::StateReader& state,
                                              std::string_view module);

}  // namespace btt::chain

#include "btt/chain/params.h"

#include "btt/ledger/proto_json.h"

namespace btt::chain {
namespace {

Result<const ledger::ParamsSpec*> spec_of(const ModuleRegistry& registry, std::string_view module) {
  const auto* spec = registry.params(module);
  if (!spec) {
    return Status(Code::kInvalidArgument,
                  "module '" + excerpt(module) + "' does not exist or has no params");
  }
  return spec;
}

Status validate_and_write(const ModuleRegistry& registry, ledger::Overlay& state,
                          ledger::Events& events, std::string_view module,
                          const ledger::ParamsSpec& spec, const google::protobuf::Message& next) {
  // The module's refusal, its detail kept (bad_params of its space), behind the module name.
  if (auto s = spec.validate(next); !s)
    return s.prefixed(std::string(module) + " params refused: ");
  spec.write(state, next);
  events.emit(params_events::kChanged)
      .attr("module", std::string(module))
      .attr("type", spec.type()->full_name());
  return Status::ok();
}

}  // namespace

Status set_params(const ModuleRegistry& registry, ledger::Overlay& state, ledger::Events& events,
                  std::string_view module, std::string_view value) {
  auto spec = spec_of(registry, module);
  if (!spec) return spec.status();
  auto next = (*spec)->read(state);
  next->Clear();
  if (!next->ParseFromArray(value.data(), static_cast<int>(value.size()))) {
    return {Code::kInvalidArgument,
            "params for " + std::string(module) + " do not parse as " + next->GetTypeName()};
  }
  if (next->GetReflection()->GetUnknownFields(*next).field_count() != 0) {
    return {Code::kInvalidArgument, "params for " + std::string(module) +
                                        " carry fields unknown to " + next->GetTypeName()};
  }
  return validate_and_write(registry, state, events, module, **spec, *next);
}

Status set_params_json(const ModuleRegistry& registry, ledger::Overlay& state,
                       ledger::Events& events, std::string_view module, std::string_view json) {
  auto spec = spec_of(registry, module);
  if (!spec) return spec.status();
  auto next = (*spec)->read(state);
  if (auto parsed = ledger::json_text_to_proto(json, *next); !parsed) {
    return {Code::kInvalidArgument, "params for " + std::string(module) + " are not a " +
                                        next->GetTypeName() + ": " + parsed.message()};
  }
  return validate_and_write(registry, state, events, module, **spec, *next);
}

Result<std::string> params_json(const ModuleRegistry& registry, const ledger::StateReader& state,
                                std::string_view module) {
  const auto* spec = registry.params(module);
  if (!spec) {
    return Status(Code::kNotFound,
                  "module '" + excerpt(module) + "' does not exist or has no params");
  }
  return ledger::proto_to_json_text(*spec->read(state), true);
}

}  // namespace btt::chain

// btt.v1.Params: every module's params in force, as protobuf JSON (chain::params_json), so one
// service serves every module's params type; "ledger" is the chain's own LedgerParams.
#include "btt/chain/params.h"
#include "services.h"

namespace btt::rpc {
namespace {

// "ledger, tokenomics, compute": what a refused name may be instead.
std::string modules_with_params(const chain::ModuleRegistry& registry) {
  std::string out;
  for (const auto& [name, spec] : registry.all_params()) {
    out += (out.empty() ? "" : ", ") + std::string(name);
  }
  return out;
}

Result<v1::ModuleParams> module_params(const chain::ModuleRegistry& registry,
                                       const ledger::StateReader& state, std::string_view module) {
  const auto* spec = registry.params(module);
  if (spec == nullptr) {
    const std::string why = registry.find(module) != nullptr
                                ? "module '" + std::string(module) + "' has no params"
                                : "no module '" + excerpt(module) + "'";
    return Status(Code::kNotFound, why + "; modules with params: " + modules_with_params(registry));
  }
  auto json = chain::params_json(registry, state, module);
  if (!json) return json.status();
  v1::ModuleParams out;
  out.set_module(std::string(module));
  out.set_type(spec->type()->full_name());
  out.set_json(std::move(*json));
  return out;
}

}  // namespace

grpc::Status ParamsService::GetParams(grpc::ServerContext* context, const v1::GetParamsRequest* req,
                                      v1::GetParamsResponse* out) {
  const auto& registry = ctx_.chain.registry();
  if (req->module().empty()) {
    return invalid("module is missing; modules with params: " + modules_with_params(registry));
  }
  auto view = ctx_.chain.read_view();
  auto params = module_params(registry, *view.state, req->module());
  if (!params) {
    if (params.status().code() == Code::kNotFound) return not_found(params.status().message());
    return to_grpc(context, params.status());
  }
  out->set_height(view.tip.height());
  *out->mutable_params() = std::move(*params);
  return grpc::Status::OK;
}

grpc::Status ParamsService::ListParams(grpc::ServerContext* context, const v1::ListParamsRequest*,
                                       v1::ListParamsResponse* out) {
  const auto& registry = ctx_.chain.registry();
  auto view = ctx_.chain.read_view();
  out->set_height(view.tip.height());
  for (const auto& [name, spec] : registry.all_params()) {
    auto params = module_params(registry, *view.state, name);
    if (!params) return to_grpc(context, params.status());
    *out->add_modules() = std::move(*params);
  }
  return grpc::Status::OK;
}

}  // namespace btt::rpc

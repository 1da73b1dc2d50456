// btt-cli params ...: every module's params in force (btt.v1.Params; doc/api.md "btt.v1.Params").
#include <google/protobuf/util/json_util.h>

#include "app/cli/commands.h"
#include "btt/v1/params.grpc.pb.h"

namespace btt::cli {

namespace {

// The params as a message of their own type, so that they print like every other answer (64-bit
// integers as JSON numbers); null for a type this btt-cli does not know (a newer node).
std::unique_ptr<google::protobuf::Message> typed(const v1::ModuleParams& p) {
  const auto* type =
      google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(p.type());
  if (type == nullptr) return nullptr;
  std::unique_ptr<google::protobuf::Message> m(
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(type)->New());
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  if (!google::protobuf::util::JsonStringToMessage(p.json(), m.get(), options).ok()) return nullptr;
  return m;
}

Json params_json(const v1::ModuleParams& p) {
  Json out{{"module", p.module()}, {"type", p.type()}};
  if (auto m = typed(p)) {
    out["params"] = proto_json(*m);
  } else {
    out["params"] = Json::parse(p.json(), nullptr, false);
  }
  return out;
}

// "module.field: value" lines (the node's JSON text as is for an unknown type).
void add_params(Fields& f, const v1::ModuleParams& p) {
  auto m = typed(p);
  if (!m) {
    f.add(p.module(), p.json());
    return;
  }
  for (auto& [key, value] : proto_pairs(*m)) f.add(p.module() + "." + key, std::move(value));
}

std::unique_ptr<v1::Params::Stub> stub(Context& ctx) {
  return v1::Params::NewStub(ctx.client().channel());
}

int run_get(Context& ctx, const std::string& module) {
  v1::GetParamsRequest req;
  req.set_module(module);
  auto s = stub(ctx);
  const auto r = ctx.client().unary(*s, &v1::Params::Stub::GetParams, req);
  const auto out = ctx.out();
  if (out.json()) {
    Json doc = params_json(r.params());
    doc["height"] = r.height();
    out.document(doc);
    return kExitOk;
  }
  Fields f;
  f.add("height", r.height()).add("type", r.params().type());
  add_params(f, r.params());
  out.fields(f);
  return kExitOk;
}

int run_list(Context& ctx) {
  auto s = stub(ctx);
  const auto r = ctx.client().unary(*s, &v1::Params::Stub::ListParams, v1::ListParamsRequest());
  const auto out = ctx.out();
  if (out.json()) {
    Json modules = Json::array();
    for (const auto& p : r.modules()) modules.push_back(params_json(p));
    out.document(Json{{"height", r.height()}, {"modules", std::move(modules)}});
    return kExitOk;
  }
  Fields f;
  f.add("height", r.height());
  for (const auto& p : r.modules()) {
    f.add(p.module() + " type", p.type());
    add_params(f, p);
  }
  out.fields(f);
  return kExitOk;
}

void register_params(Commands& cmds) {
  auto* g = cmds.group("params", "Every module's params in force (doc/api.md)");
  cmds.add(g, "get", "One module's params (\"ledger\" for the chain's own)", CommandKind::kQuery,
           [&cmds](CLI::App* sub) -> Action {
             auto module = std::make_shared<std::string>();
             sub->add_option("module", *module, "ledger, tokenomics, compute, ...")->required();
             return [&cmds, module] { return run_get(cmds.ctx(), *module); };
           });
  cmds.add(g, "list", "The params of every module that has some", CommandKind::kQuery,
           [&cmds](CLI::App*) -> Action { return [&cmds] { return run_list(cmds.ctx()); }; });
}

const CommandFile kParams{70, &register_params};

}  // namespace

}  // namespace btt::cli

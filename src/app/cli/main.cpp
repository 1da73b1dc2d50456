// btt-cli: wallet and command-line client of bttd.
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <optional>

#include "app/cli/commands.h"

namespace {

using btt::cli::Json;

// --json: failures are also reported as one JSON document on stdout, so a script always reads
// exactly one document. `btt`: what the node's trailers said (code, detail, code space).
void report(bool json, std::string_view kind, std::string_view code, std::string message,
            const btt::cli::BttError& btt = {}) {
  // The node's messages end with "[codespace detail]" already; one that does not gets it here.
  const std::string tag =
      btt.detail == 0 ? "" : "[" + btt.codespace + " " + std::to_string(btt.detail) + "]";
  const std::string shown =
      tag.empty() || message.find(tag) != std::string::npos ? message : message + " " + tag;
  std::cerr << "error: " << (code.empty() ? "" : std::string(code) + ": ") << shown << std::endl;
  if (json) {
    Json err{{"kind", kind}, {"message", message}};
    if (!code.empty()) err["code"] = code;
    if (btt.code) err["btt_code"] = *btt.code;
    if (btt.detail != 0) {
      err["btt_detail"] = btt.detail;
      err["codespace"] = btt.codespace;
    }
    std::cout << Json{{"error", std::move(err)}}.dump() << std::endl;
  }
}

}  // namespace

int main(int argc, char** argv) {
  using namespace btt::cli;

  GlobalOptions options;
  const char* env_node = std::getenv("BTT_NODE");
  options.node = (env_node != nullptr && *env_node != '\0') ? env_node : std::string(kDefaultNode);

  CLI::App app{"btt-cli: wallet and command-line client of bttd"};
  app.require_subcommand(1);
  app.fallthrough();  // global options may also follow the subcommand
  app.add_option("--node", options.node, "Node gRPC address HOST:PORT (env BTT_NODE)")
      ->capture_default_str();
  app.add_flag("--json", options.json, "Machine output: one JSON document (streams: one per line)");
  app.add_option("--timeout", options.timeout_s, "Seconds to wait for each call")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();

  Context ctx(options);
  Commands cmds(app, ctx);
  register_all(cmds);

  bool json_hint = false;
  for (int i = 1; i < argc; ++i) json_hint = json_hint || std::strcmp(argv[i], "--json") == 0;

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    if (rc == 0) return kExitOk;  // --help
    if (json_hint)
      std::cout << Json{{"error", {{"kind", "usage"}, {"message", e.what()}}}}.dump() << std::endl;
    return kExitUsage;
  }

  // The deepest parsed subcommand with an action ("compute post" nests one level).
  const Action* action = nullptr;
  for (CLI::App* level = &app; level != nullptr;) {
    CLI::App* next = nullptr;
    for (auto* sub : level->get_subcommands()) {
      if (const Action* a = cmds.find(sub)) action = a;
      next = sub;
    }
    level = next;
  }
  if (action == nullptr) {
    std::cerr << app.help();
    return kExitUsage;
  }

  try {
    return (*action)();
  } catch (const UsageError& e) {
    report(options.json, "usage", "", e.what());
    return kExitUsage;
  } catch (const RpcError& e) {
    report(options.json, e.btt_code() ? "rejected" : "rpc", status_code_name(e.code()),
           e.rpc_message(), e.btt());
    return kExitFailure;
  } catch (const CommandError& e) {
    report(options.json, "failed", "", e.what());
    return kExitFailure;
  } catch (const std::exception& e) {
    report(options.json, "failed", "", e.what());
    return kExitFailure;
  }
}

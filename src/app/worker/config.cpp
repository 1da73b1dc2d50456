#include "app/worker/config.h"

#include <CLI/CLI.hpp>
#include <functional>
#include <limits>
#include <ostream>
#include <toml.hpp>

#include "btt/node/config.h"

namespace btt::worker {
namespace {

namespace fs = std::filesystem;
using Setter = std::function<std::string(const toml::value&)>;  // "" or what is wrong

const char* type_name(const toml::value& v) {
  switch (v.type()) {
    case toml::value_t::boolean:
      return "a boolean";
    case toml::value_t::integer:
      return "an integer";
    case toml::value_t::floating:
      return "a float";
    case toml::value_t::string:
      return "a string";
    case toml::value_t::array:
      return "an array";
    case toml::value_t::table:
      return "a table";
    default:
      return "a date or time";
  }
}

Setter text(std::string& out) {
  return [&out](const toml::value& v) -> std::string {
    if (!v.is_string()) return std::string("must be a string, not ") + type_name(v);
    out = v.as_string().str;
    return "";
  };
}

// A path: relative ones are taken from the config file's directory.
Setter path(std::string& out, const fs::path& base) {
  return [&out, base](const toml::value& v) -> std::string {
    if (!v.is_string()) return std::string("must be a string, not ") + type_name(v);
    const fs::path p(v.as_string().str);
    out = p.empty() || p.is_absolute() ? p.string() : (base / p).string();
    return "";
  };
}

template <typename T>
Setter number(T& out) {
  return [&out](const toml::value& v) -> std::string {
    const uint64_t max = std::numeric_limits<T>::max();
    const std::string range = "an integer in [0, " + std::to_string(max) + "]";
    if (!v.is_integer()) return "must be " + range + ", not " + type_name(v);
    const int64_t n = v.as_integer();
    if (n < 0 || static_cast<uint64_t>(n) > max) {
      return "must be " + range + ", not " + std::to_string(n);
    }
    out = static_cast<T>(n);
    return "";
  };
}

Setter boolean(bool& out) {
  return [&out](const toml::value& v) -> std::string {
    if (!v.is_boolean()) return std::string("must be true or false, not ") + type_name(v);
    out = v.as_boolean();
    return "";
  };
}

// A [kinds] entry: a shell command line, or an array of strings run without a shell.
std::string kind_command(const toml::value& v, KindCommand& out) {
  const char* what = "must be a command line (a string) or a non-empty array of strings";
  if (v.is_string()) {
    if (v.as_string().str.empty()) return what;
    out = KindCommand{true, {v.as_string().str}};
    return "";
  }
  if (!v.is_array() || v.as_array().empty()) return what;
  out = KindCommand{false, {}};
  for (const auto& arg : v.as_array()) {
    if (!arg.is_string()) return std::string(what) + ", not an array holding " + type_name(arg);
    out.argv.push_back(arg.as_string().str);
  }
  if (out.argv[0].empty()) return "the program (first element) must not be empty";
  return "";
}

Status bad(const std::string& where, const std::string& key, const std::string& what) {
  return Status(Code::kInvalidArgument, where + key + ": " + what);
}

}  // namespace

std::vector<std::string> command_argv(const KindCommand& command, const std::string& input,
                                      const std::string& output) {
  std::vector<std::string> argv;
  if (command.shell) {
    const std::string line = command.argv.empty() ? "" : command.argv[0];
    argv = {"/bin/sh", "-c", line + " \"$1\" \"$2\"", "sh"};
  } else {
    argv = command.argv;
  }
  argv.push_back(input);
  argv.push_back(output);
  return argv;
}

Status load_worker_config(const fs::path& file, WorkerOptions& o) {
  const std::string where = "config " + file.string() + ": ";
  toml::value data;
  try {
    data = toml::parse(file.string());
  } catch (const std::exception& e) {
    return Status(Code::kInvalidArgument, where + "cannot read: " + e.what());
  }
  const fs::path base = file.parent_path();
  uint64_t timeout_ms = static_cast<uint64_t>(o.fetch.timeout.count());
  const std::map<std::string, Setter> keys = {
      {"node", text(o.node)},
      {"key", path(o.key_file, base)},
      {"accelerator", text(o.accelerator)},
      {"model", text(o.model)},
      {"memory_gb", number(o.memory_gb)},
      {"count", number(o.count)},
      {"region", text(o.region)},
      {"efficiency", number(o.efficiency)},
      {"price", number(o.price)},
      {"bond", number(o.bond)},
      {"input_dir", path(o.input_dir, base)},
      {"work_dir", path(o.work_dir, base)},
      {"store_dir", path(o.store_dir, base)},
      {"poll_ms", number(o.poll_ms)},
      {"ca_file", path(o.fetch.ca_file, base)},
      {"system_ca", boolean(o.fetch.system_ca)},
      {"fetch_timeout_ms", number(timeout_ms)},
  };
  // In name order, so the first error reported does not depend on hashing.
  const std::map<std::string, toml::value> top(data.as_table().begin(), data.as_table().end());
  for (const auto& [key, value] : top) {
    if (key == "kinds") {
      if (!value.is_table()) {
        return bad(where, key, std::string("must be a table [kinds], not ") + type_name(value));
      }
      const std::map<std::string, toml::value> kinds(value.as_table().begin(),
                                                     value.as_table().end());
      for (const auto& [kind, command] : kinds) {
        if (kind.empty()) return bad(where, "kinds", "a job kind id must not be empty");
        KindCommand c;
        if (auto why = kind_command(command, c); !why.empty()) {
          return bad(where, "kinds." + kind, why);
        }
        o.kinds[kind] = std::move(c);
      }
      continue;
    }
    const auto it = keys.find(key);
    if (it == keys.end()) {
      return bad(where, key, value.is_table() ? "unknown table" : "unknown key");
    }
    if (auto why = it->second(value); !why.empty()) return bad(where, key, why);
  }
  o.fetch.timeout = std::chrono::milliseconds(timeout_ms);
  return Status::ok();
}

Status validate_worker_options(const WorkerOptions& o) {
  auto bad = [](const std::string& key, const std::string& what) {
    return Status(Code::kInvalidArgument, key + ": " + what);
  };
  auto missing = [&](const char* key, const char* flag) {
    return bad(key, std::string("required (") + flag + " or `" + key + "` in the config file)");
  };
  if (!node::is_valid_host_port(o.node)) return bad("node", "'" + o.node + "' is not HOST:PORT");
  if (o.key_file.empty()) return missing("key", "--key");
  if (o.model.empty()) return missing("model", "--model");
  if (o.region.empty()) return missing("region", "--region");
  if (o.price == 0) return bad("price", "required, and must be positive (--price or `price`)");
  if (o.bond == 0) return bad("bond", "required, and must be positive (--bond or `bond`)");
  if (o.kinds.empty()) return missing("kinds", "--kind KIND=COMMAND");
  if (o.count == 0) return bad("count", "must be at least 1");
  if (o.poll_ms < 10 || o.poll_ms > 600'000) return bad("poll_ms", "must be in [10, 600000]");
  const auto timeout = o.fetch.timeout.count();
  if (timeout < 1 || timeout > 3'600'000) return bad("fetch_timeout_ms", "must be in [1, 3600000]");
  if (o.work_dir.empty()) return bad("work_dir", "must not be empty");
  if (!o.fetch.ca_file.empty()) {
    if (auto why = check_ca_file(o.fetch.ca_file); !why.empty()) return bad("ca_file", why);
  } else if (!o.fetch.system_ca) {
    return bad("system_ca", "false needs a CA file (--ca-file or `ca_file`): nothing is trusted");
  }
  return Status::ok();
}

ParsedArgs parse_worker_args(int argc, const char* const* argv, std::ostream& out,
                             std::ostream& err) {
  CLI::App app{"btt-worker: a compute node of the BTT marketplace (doc/compute.md)"};
  WorkerOptions o;
  std::string config;
  std::vector<std::string> kinds;
  uint64_t timeout_ms = static_cast<uint64_t>(o.fetch.timeout.count());
  app.add_option("--config", config, "TOML config file; flags given override its values");
  app.add_option("--node", o.node, "bttd gRPC address")->capture_default_str();
  app.add_option("--key", o.key_file, "Key file of the node operator");
  app.add_option("--accelerator", o.accelerator, "Accelerator kind")->capture_default_str();
  app.add_option("--model", o.model, "Accelerator model");
  app.add_option("--memory-gb", o.memory_gb, "Memory per accelerator (GB)");
  app.add_option("--count", o.count, "Accelerators")->capture_default_str();
  app.add_option("--region", o.region, "ISO 3166-1 alpha-2 region");
  app.add_option("--efficiency", o.efficiency, "Declared energy efficiency");
  app.add_option("--price", o.price, "Asking price per compute unit (base units)");
  app.add_option("--bond", o.bond, "Bond at registration (base units)");
  app.add_option("--kind", kinds,
                 "KIND=COMMAND: run the shell command line COMMAND INPUT OUTPUT for jobs of KIND");
  app.add_option("--input-dir", o.input_dir, "Directory of inputs named by bare-name locators");
  app.add_option("--work-dir", o.work_dir, "Working directory (inputs, outputs, salts)")
      ->capture_default_str();
  app.add_option("--store-dir", o.store_dir, "Publish outputs here as <result hash>.out");
  app.add_option("--poll-ms", o.poll_ms, "Poll interval besides the stream")->capture_default_str();
  app.add_option("--ca-file", o.fetch.ca_file,
                 "PEM CA certificates trusted for https:// inputs (besides the system store "
                 "unless --no-system-ca)");
  app.add_flag("--system-ca,!--no-system-ca", o.fetch.system_ca,
               "Trust the system store for https:// inputs (default on)");
  app.add_option("--fetch-timeout-ms", timeout_ms, "Time limit of one http(s) fetch")
      ->capture_default_str();
  try {
    app.parse(argc, argv);
    if (!config.empty()) {
      // The file first, then the same flags again over its values.
      WorkerOptions from_file;
      if (auto s = load_worker_config(config, from_file); !s) {
        err << "btt-worker: " << s.message() << "\n";
        return {std::nullopt, 1};
      }
      o = std::move(from_file);
      timeout_ms = static_cast<uint64_t>(o.fetch.timeout.count());
      app.clear();
      app.parse(argc, argv);
    }
  } catch (const CLI::ParseError& e) {
    return {std::nullopt, app.exit(e, out, err)};
  }
  o.fetch.timeout = std::chrono::milliseconds(
      std::min<uint64_t>(timeout_ms, std::numeric_limits<int64_t>::max() / 1'000'000));
  for (const auto& k : kinds) {
    const auto eq = k.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == k.size()) {
      err << "btt-worker: --kind must be KIND=COMMAND, not '" << k << "'\n";
      return {std::nullopt, 1};
    }
    o.kinds[k.substr(0, eq)] = KindCommand{true, {k.substr(eq + 1)}};
  }
  if (auto s = validate_worker_options(o); !s) {
    err << "btt-worker: " << s.message() << "\n";
    return {std::nullopt, 1};
  }
  return {std::move(o), 0};
}

std::vector<std::string> registration_drift(const WorkerOptions& o, const v1::NodeRecord& node) {
  std::vector<std::string> out;
  auto differ = [&](const std::string& what, const std::string& chain, const std::string& flag,
                    const std::string& mine) {
    if (chain != mine) out.push_back(what + " " + chain + " on chain, " + flag + " " + mine);
  };
  const auto& hw = node.hardware();
  differ("price", std::to_string(node.price_per_cu()), "--price", std::to_string(o.price));
  differ("accelerator", hw.accelerator_kind(), "--accelerator", o.accelerator);
  differ("model", hw.model(), "--model", o.model);
  differ("memory_gb", std::to_string(hw.memory_gb()), "--memory-gb", std::to_string(o.memory_gb));
  differ("count", std::to_string(hw.count()), "--count", std::to_string(o.count));
  differ("region", node.region(), "--region", o.region);
  differ("efficiency", std::to_string(node.energy_efficiency()), "--efficiency",
         std::to_string(o.efficiency));
  return out;
}

}  // namespace btt::worker

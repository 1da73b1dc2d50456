#pragma once
// btt-worker's options: command-line flags and the TOML config file (`--config PATH`), flags over
// the file. doc/compute.md "Worker configuration" lists every key.
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/worker/fetch.h"
#include "btt/common/status.h"
#include "btt/v1/compute.pb.h"

namespace btt::worker {

// What a job kind runs, with INPUT and OUTPUT appended as two more arguments.
struct KindCommand {
  bool shell = false;             // true: argv[0] is a command line for /bin/sh
  std::vector<std::string> argv;  // else the program and its first arguments, run without a shell
};

struct WorkerOptions {
  std::string node = "127.0.0.1:9740";  // bttd gRPC address
  std::string key_file;
  std::string accelerator = "gpu";
  std::string model;
  uint32_t memory_gb = 0;
  uint32_t count = 1;
  std::string region;
  uint32_t efficiency = 0;
  uint64_t price = 0;
  uint64_t bond = 0;
  std::map<std::string, KindCommand> kinds;  // job kind id -> command
  std::string input_dir;                     // base of bare-name locators
  std::string work_dir = ".";
  std::string store_dir;  // outputs published here as <result hash>.out
  uint32_t poll_ms = 500;
  FetchOptions fetch;
};

// The argv that runs `command` on input and output: for a shell command line,
// {"/bin/sh", "-c", LINE + " \"$1\" \"$2\"", "sh", input, output}, so the paths reach the command
// as two words whatever characters they hold.
[[nodiscard]] std::vector<std::string> command_argv(const KindCommand& command,
                                                    const std::string& input,
                                                    const std::string& output);

// Reads the TOML file at `path` into `o`: only the keys it holds change `o`. Relative paths in it
// (key, input_dir, work_dir, store_dir, ca_file) are taken from the file's directory. An unknown
// key, a wrong type or an out-of-range value is an error that names the key.
[[nodiscard]] Status load_worker_config(const std::filesystem::path& path, WorkerOptions& o);

// The checks on the merged options (required values present, ranges, the CA file loads).
[[nodiscard]] Status validate_worker_options(const WorkerOptions& o);

struct ParsedArgs {
  std::optional<WorkerOptions> options;  // set when the worker should run
  int exit_code = 0;                     // else the process's exit code (0 after --help)
};

// The command line (argv[0] first): the config file of --config if any, then every flag given
// over it; --kind KIND=LINE adds or replaces that kind's command with a shell command line. Help
// goes to `out`, errors to `err`.
[[nodiscard]] ParsedArgs parse_worker_args(int argc, const char* const* argv, std::ostream& out,
                                           std::ostream& err);

// What the options ask for but the node's record on chain does not hold: one line per field that
// differs (price, hardware, region, declared efficiency), naming the chain's value and the flag,
// e.g. "price 40 on chain, --price 45". Empty when they agree. The worker registers with its
// options but never updates a registered node (the chain's record stays what the operator last
// sent, e.g. with `btt-cli compute update`), so it logs these lines instead of acting on them.
[[nodiscard]] std::vector<std::string> registration_drift(const WorkerOptions& o,
                                                          const v1::NodeRecord& node);

}  // namespace btt::worker

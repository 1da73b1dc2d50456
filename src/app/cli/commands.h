#pragma once
// btt-cli's commands. Each src/app/cli/commands_<x>.cpp registers its commands at start-up with
// one `const CommandFile kFile{order, &register_x};` (no other file changes): a module's file
// makes its group (`btt-cli <module> ...`) with Commands::group() and adds its commands with
// Commands::add() (queries, local commands) and Commands::add_tx() (txs: the options every tx
// shares, --dry-run and --wait among them, are added there once). The table of every command
// (`btt-cli help --all`) comes from the same registrations.
#include <CLI/CLI.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "app/cli/client.h"
#include "app/cli/output.h"
#include "btt/crypto/keyfile.h"

namespace btt::cli {

inline constexpr std::string_view kDefaultNode = "127.0.0.1:9740";
inline constexpr double kDefaultTimeoutS = 10.0;
inline constexpr double kDefaultWaitTimeoutS = 30.0;

struct GlobalOptions {
  std::string node;
  bool json = false;
  double timeout_s = kDefaultTimeoutS;
};

// What every command gets: the global options, the printer, and the node client (made on first
// use, so commands that need no node never open a channel).
class Context {
 public:
  explicit Context(const GlobalOptions& options) : options_(options) {}
  [[nodiscard]] const GlobalOptions& options() const { return options_; }
  [[nodiscard]] Output out() const { return Output(options_.json); }
  [[nodiscard]] Client& client();

 private:
  const GlobalOptions& options_;
  std::unique_ptr<Client> client_;
};

// An action returns the process exit code; it throws UsageError / CommandError / RpcError.
using Action = std::function<int()>;

// Options every tx command shares: --key, --fee, --nonce, --memo, --wait, --wait-timeout,
// --dry-run.
struct CommonTxOptions {
  std::string key_file;
  std::string fee;    // empty: Txs.SuggestFee's suggestion
  std::string nonce;  // empty: the account's next nonce
  std::string memo;
  bool wait = false;
  bool dry_run = false;
  double wait_timeout_s = kDefaultWaitTimeoutS;
};

// Builds a tx command's messages from its parsed options (called once parsing succeeded).
using BuildMessages = std::function<std::vector<v1::Message>()>;

enum class CommandKind { kLocal, kQuery, kStream, kTx };
[[nodiscard]] std::string_view kind_name(CommandKind kind);

// Whether a command is also reachable at the top level ("btt-cli send" for "btt-cli bank send").
// Only the top-level commands the README and doc/api.md teach have one.
enum class Alias { kNone, kTopLevel };

// One row of `btt-cli help --all`.
struct CommandInfo {
  std::string path;  // "bank send"
  std::string description;
  CommandKind kind = CommandKind::kQuery;
  std::vector<std::string> messages;  // tx commands: the btt.v1.Message oneof fields they build
  std::string alias_of;               // aliases: the canonical path
};

class Commands {
 public:
  Commands(CLI::App& root, Context& ctx) : root_(root), ctx_(ctx) {}

  [[nodiscard]] CLI::App& root() { return root_; }
  [[nodiscard]] Context& ctx() { return ctx_; }

  // A module's command group, "btt-cli <name> ..." (made on first use).
  CLI::App* group(const std::string& name, const std::string& description);

  // A command under `parent` (the root or a group): `setup` adds its options to the new
  // subcommand and returns its action. With Alias::kTopLevel the same command (its own options
  // and action) is also made at the top level.
  CLI::App* add(CLI::App* parent, const std::string& name, const std::string& description,
                CommandKind kind, const std::function<Action(CLI::App*)>& setup,
                Alias alias = Alias::kNone);

  // A tx command: the common tx options are added here, `setup` adds the command's own options
  // (it may read the common ones, e.g. the key file, when the builder runs) and returns the
  // builder of its messages. `messages` names the btt.v1.Message oneof fields it builds; the
  // builder's output is checked against it.
  CLI::App* add_tx(CLI::App* parent, const std::string& name, const std::string& description,
                   std::vector<std::string> messages,
                   const std::function<BuildMessages(CLI::App*, const CommonTxOptions&)>& setup,
                   Alias alias = Alias::kNone);

  // The action of a parsed subcommand, or nullptr.
  [[nodiscard]] const Action* find(CLI::App* sub) const;
  [[nodiscard]] const std::vector<CommandInfo>& table() const { return table_; }

 private:
  CLI::App* add_with_alias(CLI::App* parent, const std::string& name,
                           const std::string& description, CommandInfo info, Alias alias,
                           const std::function<Action(CLI::App*)>& make_action);
  CLI::App* make(CLI::App* parent, const std::string& name, const std::string& description,
                 CommandInfo info, Action action);
  [[nodiscard]] std::string path_of(CLI::App* parent, const std::string& name) const;

  CLI::App& root_;
  Context& ctx_;
  std::map<CLI::App*, Action> actions_;
  std::map<std::string, CLI::App*> groups_;
  std::vector<CommandInfo> table_;
};

// Self-registration of a commands_<x>.cpp file: its register function runs when main() builds
// the command line, in `order` (the order of `btt-cli --help`).
using RegisterFn = void (*)(Commands&);
struct CommandFile {
  CommandFile(int order, RegisterFn fn);
};
// Runs every registered file's function.
void register_all(Commands& cmds);

// --- tx submission (submit.cpp) ------------------------------------------------------------
// Signs the messages into one tx and simulates (dry run) or broadcasts it; the exit code.
[[nodiscard]] int submit(Context& ctx, const CommonTxOptions& o,
                         const std::vector<v1::Message>& messages);

// --- argument parsing (UsageError on bad input) ------------------------------------------------
// A non-negative decimal integer; `what` names the argument in the message.
[[nodiscard]] uint64_t parse_u64(std::string_view text, std::string_view what);
// An amount in base units: a positive decimal integer (no sign, point or exponent).
[[nodiscard]] uint64_t parse_amount(std::string_view text, std::string_view what);
// A bech32m "btt1..." address; returns its canonical (lower-case) form.
[[nodiscard]] std::string parse_address(std::string_view text, std::string_view what);
// 64 hex characters; returns the 32 raw bytes.
[[nodiscard]] std::string parse_hash_hex(std::string_view text, std::string_view what);
[[nodiscard]] bool is_all_digits(std::string_view text);
// Reads and checks a key file; CommandError if it is missing or invalid.
[[nodiscard]] crypto::KeyPair load_key(const std::filesystem::path& path);

// Prints a record (any API message) with the generic printer: proto_json with --json, else
// proto_fields.
int print_record(Context& ctx, const google::protobuf::Message& m);

}  // namespace btt::cli

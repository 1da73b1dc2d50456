#pragma once
// btt-cli's commands: each commands_*.cpp adds its subcommands to the CLI11 app and registers
// the action main() runs once parsing succeeded.
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

class Commands {
 public:
  void add(CLI::App* sub, Action action) { actions_[sub] = std::move(action); }
  // The action of the parsed subcommand, or nullptr.
  [[nodiscard]] const Action* find(CLI::App* sub) const {
    auto it = actions_.find(sub);
    return it == actions_.end() ? nullptr : &it->second;
  }

 private:
  std::map<CLI::App*, Action> actions_;
};

void register_key_commands(CLI::App& app, Context& ctx, Commands& cmds);
void register_query_commands(CLI::App& app, Context& ctx, Commands& cmds);
void register_tx_commands(CLI::App& app, Context& ctx, Commands& cmds);
void register_stream_commands(CLI::App& app, Context& ctx, Commands& cmds);
void register_tokenomics_commands(CLI::App& app, Context& ctx, Commands& cmds);
void register_compute_commands(CLI::App& app, Context& ctx, Commands& cmds);

// --- tx commands (commands_tx.cpp) ----------------------------------------------------------
inline constexpr double kDefaultWaitTimeoutS = 30.0;

// Options every tx command shares.
struct CommonTxOptions {
  std::string key_file;
  std::string fee;    // empty: Txs.SuggestFee's suggestion
  std::string nonce;  // empty: the account's next nonce
  std::string memo;
  bool wait = false;
  bool dry_run = false;
  double wait_timeout_s = kDefaultWaitTimeoutS;
};

// --key, --fee, --nonce, --memo, --wait, --wait-timeout.
void add_common_options(CLI::App* sub, CommonTxOptions& o);
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

}  // namespace btt::cli

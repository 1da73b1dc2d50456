#pragma once
// Real processes for integration tests: run btt-cli (or anything) and capture its output; start,
// stop and kill bttd nodes on loopback ports. Everything binds 127.0.0.1 only.
#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace btt::testkit {

[[nodiscard]] std::string bttd_path();                           // BTT_BINARY_DIR "/bttd"
[[nodiscard]] std::string btt_cli_path();                        // BTT_BINARY_DIR "/btt-cli"
[[nodiscard]] std::string binary_path(const std::string& name);  // BTT_BINARY_DIR "/" name

// A port that was free a moment ago (bind 127.0.0.1:0, read the port, close).
[[nodiscard]] uint16_t free_port();

struct CommandResult {
  int exit_code = -1;  // the exit status; 128 + signal if killed by a signal
  std::string out;
  std::string err;
  bool timed_out = false;  // killed (SIGKILL) after the timeout; out/err hold what came before
};

// fork/exec of argv (argv[0] is a path or a name looked up in PATH), no shell; stdin is
// /dev/null, stdout and stderr are captured. After timeout_s the process is killed.
[[nodiscard]] CommandResult run_command(std::vector<std::string> argv, int timeout_s = 60);

// `btt-cli --node NODE --json ARGS... [--wait]`: its JSON document. Throws (with the output) if
// btt-cli exits non-zero; a committed tx's own code is the caller's to check.
nlohmann::json cli_json(const std::string& node, std::vector<std::string> args, bool wait = true);

// Runs `bttd init --home HOME --chain-id ID --dev`; returns its stdout. Throws on failure.
std::string init_home(const std::filesystem::path& home, const std::string& chain_id);

// Runs `bttd testnet --dir DIR --validators V --non-validators N --chain-id ID --block-time-ms T`
// (and --staking) (node I's home is DIR/nodeI) and returns each node's gRPC port, in node order.
// Throws on failure.
std::vector<uint16_t> init_testnet(const std::filesystem::path& dir, int validators,
                                   int non_validators, const std::string& chain_id,
                                   uint64_t block_time_ms, bool staking = false,
                                   bool governance = false);

// One bttd process with its home directory, serving gRPC on 127.0.0.1:grpc_port.
class NodeProcess {
 public:
  NodeProcess(std::filesystem::path home, uint16_t grpc_port);
  ~NodeProcess();
  NodeProcess(const NodeProcess&) = delete;
  NodeProcess& operator=(const NodeProcess&) = delete;

  // The bttd binary start() runs (default bttd_path(); the upgrade test runs bttd-next).
  void set_binary(std::string path) { binary_ = std::move(path); }
  // Runs `bttd start --home HOME --grpc-addr 127.0.0.1:PORT --log-level info [extra_args]`, with
  // stdout and stderr appended to HOME/bttd.log, and waits (up to 30 s) until Node.GetStatus
  // answers. Throws std::runtime_error (with the log's tail) if it exits or never answers.
  void start(std::vector<std::string> extra_args = {});
  // SIGTERM, then waits up to 30 s (SIGKILL after that); returns the exit status (128 + signal
  // if it died of a signal). -1 if it was not running.
  int stop();
  // SIGKILL and reap.
  void kill9();
  // Waits up to timeout_ms for the node to exit by itself; its exit status, or -1 if it is
  // still running or was never started.
  int wait_for_exit(int timeout_ms);
  [[nodiscard]] bool running();
  [[nodiscard]] std::string address() const;  // "127.0.0.1:PORT"
  [[nodiscard]] uint16_t port() const { return port_; }
  [[nodiscard]] const std::filesystem::path& home() const { return home_; }
  [[nodiscard]] std::filesystem::path log_path() const { return home_ / "bttd.log"; }
  // The last `max_bytes` of HOME/bttd.log (for failure messages).
  [[nodiscard]] std::string log_tail(size_t max_bytes = 4000) const;

 private:
  // Waits for the child up to timeout_ms; true (and last_status_ set) if it exited.
  bool wait_exit(int timeout_ms);

  std::filesystem::path home_;
  uint16_t port_;
  std::string binary_;
  pid_t pid_ = -1;
  int last_status_ = -1;
};

// Any long-running program (btt-worker) with stdout and stderr appended to a log file; SIGTERM and
// reaped by stop() or the destructor, SIGKILLed if the test process dies.
class ChildProcess {
 public:
  ChildProcess(std::vector<std::string> argv, std::filesystem::path log);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Returns the exit status (128 + signal); -1 if it was not running.
  int stop();
  [[nodiscard]] bool running();
  [[nodiscard]] std::string log_tail(size_t max_bytes = 4000) const;

 private:
  bool wait_exit(int timeout_ms);
  std::filesystem::path log_;
  pid_t pid_ = -1;
  int last_status_ = -1;
};

}  // namespace btt::testkit

#include "testkit/process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <grpcpp/grpcpp.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "btt/v1/node.grpc.pb.h"

namespace btt::testkit {

namespace {

using Clock = std::chrono::steady_clock;

int status_to_exit_code(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// argv as the char* array execvp wants; built before fork (no allocation in the child).
std::vector<char*> c_argv(std::vector<std::string>& argv) {
  std::vector<char*> out;
  out.reserve(argv.size() + 1);
  for (auto& a : argv) out.push_back(a.data());
  out.push_back(nullptr);
  return out;
}

// In the child after fork: only async-signal-safe calls until exec.
[[noreturn]] void exec_child(char* const* argv) {
  execvp(argv[0], argv);
  const char msg[] = "exec failed: ";
  (void)!write(STDERR_FILENO, msg, sizeof(msg) - 1);
  (void)!write(STDERR_FILENO, argv[0], strlen(argv[0]));
  (void)!write(STDERR_FILENO, "\n", 1);
  _exit(127);
}

void redirect_stdin_devnull() {
  int fd = open("/dev/null", O_RDONLY);
  if (fd >= 0) {
    dup2(fd, STDIN_FILENO);
    if (fd != STDIN_FILENO) close(fd);
  }
}

// Starts argv with stdin from /dev/null and stdout and stderr appended to `log`; its pid. The
// child never outlives the test process, even if that crashes before a destructor runs.
pid_t spawn_logged(std::vector<std::string> argv, const std::filesystem::path& log) {
  auto args = c_argv(argv);
  const std::string log_file = log.string();
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(1);
    redirect_stdin_devnull();
    const int fd = open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd >= 0) {
      dup2(fd, STDOUT_FILENO);
      dup2(fd, STDERR_FILENO);
    }
    exec_child(args.data());
  }
  return pid;
}

}  // namespace

std::string bttd_path() {
  return std::string(BTT_BINARY_DIR) + "/bttd";
}
std::string btt_cli_path() {
  return std::string(BTT_BINARY_DIR) + "/btt-cli";
}

uint16_t free_port() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    const std::string err = std::strerror(errno);
    close(fd);
    throw std::runtime_error("bind 127.0.0.1:0: " + err);
  }
  close(fd);
  return ntohs(addr.sin_port);
}

CommandResult run_command(std::vector<std::string> argv, int timeout_s) {
  if (argv.empty()) throw std::invalid_argument("run_command: empty argv");
  int out_pipe[2];
  int err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
  if (pipe2(err_pipe, O_CLOEXEC) != 0) {
    close(out_pipe[0]);
    close(out_pipe[1]);
    throw std::runtime_error("pipe2 failed");
  }
  auto args = c_argv(argv);

  const pid_t pid = fork();
  if (pid < 0) {
    for (int fd : {out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) close(fd);
    throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    redirect_stdin_devnull();
    dup2(out_pipe[1], STDOUT_FILENO);
    dup2(err_pipe[1], STDERR_FILENO);
    exec_child(args.data());
  }
  close(out_pipe[1]);
  close(err_pipe[1]);

  CommandResult result;
  const auto deadline = Clock::now() + std::chrono::seconds(timeout_s);
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open_fds = 2;
  char buf[8192];
  while (open_fds > 0) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      result.timed_out = true;
      kill(pid, SIGKILL);
      break;
    }
    const int n = poll(fds, 2, static_cast<int>(std::min<int64_t>(left, 1000)));
    if (n < 0) {
      if (errno == EINTR) continue;
      kill(pid, SIGKILL);
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      const ssize_t got = read(fds[i].fd, buf, sizeof(buf));
      if (got > 0) {
        sinks[i]->append(buf, static_cast<size_t>(got));
      } else if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  // After a kill, collect whatever is still buffered in the pipes.
  for (auto& p : fds) {
    if (p.fd < 0) continue;
    const int flags = fcntl(p.fd, F_GETFL);
    fcntl(p.fd, F_SETFL, flags | O_NONBLOCK);
    std::string* sink = (&p == &fds[0]) ? &result.out : &result.err;
    ssize_t got;
    while ((got = read(p.fd, buf, sizeof(buf))) > 0) sink->append(buf, static_cast<size_t>(got));
    close(p.fd);
    p.fd = -1;
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = status_to_exit_code(status);
  return result;
}

nlohmann::json cli_json(const std::string& node, std::vector<std::string> args, bool wait) {
  std::vector<std::string> argv = {btt_cli_path(), "--node", node, "--json"};
  argv.insert(argv.end(), args.begin(), args.end());
  if (wait) argv.push_back("--wait");
  auto r = run_command(std::move(argv), 60);
  if (r.exit_code != 0) {
    throw std::runtime_error("btt-cli failed (exit " + std::to_string(r.exit_code) + "): " + r.err +
                             r.out);
  }
  return nlohmann::json::parse(r.out);
}

std::string init_home(const std::filesystem::path& home, const std::string& chain_id) {
  auto r = run_command(
      {bttd_path(), "init", "--home", home.string(), "--chain-id", chain_id, "--dev"}, 60);
  if (r.exit_code != 0) {
    throw std::runtime_error("bttd init failed (exit " + std::to_string(r.exit_code) +
                             "): " + r.err + r.out);
  }
  return r.out;
}

std::vector<uint16_t> init_testnet(const std::filesystem::path& dir, int validators,
                                   int non_validators, const std::string& chain_id,
                                   uint64_t block_time_ms, bool staking, bool governance) {
  std::vector<std::string> argv = {bttd_path(),
                                   "testnet",
                                   "--dir",
                                   dir.string(),
                                   "--validators",
                                   std::to_string(validators),
                                   "--non-validators",
                                   std::to_string(non_validators),
                                   "--chain-id",
                                   chain_id,
                                   "--block-time-ms",
                                   std::to_string(block_time_ms)};
  if (staking) argv.push_back("--staking");
  if (governance) argv.push_back("--governance");
  auto r = run_command(std::move(argv), 60);
  if (r.exit_code != 0) {
    throw std::runtime_error("bttd testnet failed (exit " + std::to_string(r.exit_code) +
                             "): " + r.err + r.out);
  }
  // One HOST:PORT per line.
  std::vector<uint16_t> ports;
  std::istringstream lines(r.out);
  std::string line;
  while (std::getline(lines, line)) {
    ports.push_back(static_cast<uint16_t>(std::stoi(line.substr(line.rfind(':') + 1))));
  }
  return ports;
}

// --- NodeProcess -------------------------------------------------------------------------------

NodeProcess::NodeProcess(std::filesystem::path home, uint16_t grpc_port)
    : home_(std::move(home)), port_(grpc_port), binary_(bttd_path()) {}

NodeProcess::~NodeProcess() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  if (!wait_exit(15'000)) kill9();
}

std::string NodeProcess::address() const {
  return "127.0.0.1:" + std::to_string(port_);
}

std::string NodeProcess::log_tail(size_t max_bytes) const {
  std::ifstream in(log_path(), std::ios::binary);
  if (!in) return "(no log at " + log_path().string() + ")";
  std::stringstream ss;
  ss << in.rdbuf();
  std::string all = ss.str();
  return all.size() <= max_bytes ? all : all.substr(all.size() - max_bytes);
}

namespace {

// Reaps `pid` if it has exited within timeout_ms: sets last_status and pid = -1 and returns true.
bool reap_child(pid_t& pid, int& last_status, int timeout_ms) {
  if (pid <= 0) return true;
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    int status = 0;
    const pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid || (r < 0 && errno == ECHILD)) {
      last_status = r == pid ? status_to_exit_code(status) : -1;
      pid = -1;
      return true;
    }
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

// SIGTERM, up to grace_ms for a clean exit, then SIGKILL; the exit code (-1 if not running).
int stop_child(pid_t& pid, int& last_status, int grace_ms) {
  if (pid <= 0) return -1;
  kill(pid, SIGTERM);
  if (!reap_child(pid, last_status, grace_ms)) {
    kill(pid, SIGKILL);
    while (!reap_child(pid, last_status, 1'000)) {
    }
  }
  return last_status;
}

}  // namespace

bool NodeProcess::wait_exit(int timeout_ms) {
  return reap_child(pid_, last_status_, timeout_ms);
}

bool NodeProcess::running() {
  return pid_ > 0 && !wait_exit(0);
}

void NodeProcess::start(std::vector<std::string> extra_args) {
  if (running()) throw std::logic_error("NodeProcess::start: already running");
  std::filesystem::create_directories(home_);
  std::vector<std::string> argv = {binary_,       "start",   "--home",      home_.string(),
                                   "--grpc-addr", address(), "--log-level", "info"};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  pid_ = spawn_logged(argv, log_path());
  last_status_ = -1;

  // Wait until the gRPC API answers.
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  std::string last_error;
  while (Clock::now() < deadline) {
    if (!running()) {
      throw std::runtime_error("bttd exited during start-up (status " +
                               std::to_string(last_status_) + "); log tail:\n" + log_tail());
    }
    // A fresh channel each try: a channel that failed to connect backs off for seconds.
    auto stub =
        v1::Node::NewStub(grpc::CreateChannel(address(), grpc::InsecureChannelCredentials()));
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(1));
    v1::NodeStatus status;
    const grpc::Status st = stub->GetStatus(&ctx, v1::GetStatusRequest(), &status);
    if (st.ok()) return;
    last_error = st.error_message();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  kill9();
  throw std::runtime_error("bttd did not answer Node.GetStatus at " + address() +
                           " within 30 s (last error: " + last_error + "); log tail:\n" +
                           log_tail());
}

int NodeProcess::stop() {
  return stop_child(pid_, last_status_, 30'000);
}

int NodeProcess::wait_for_exit(int timeout_ms) {
  if (pid_ <= 0) return last_status_;  // reaped already (or never started: -1)
  return wait_exit(timeout_ms) ? last_status_ : -1;
}

void NodeProcess::kill9() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  while (!wait_exit(1'000)) {
  }
}

std::string binary_path(const std::string& name) {
  return std::string(BTT_BINARY_DIR) + "/" + name;
}

ChildProcess::ChildProcess(std::vector<std::string> argv, std::filesystem::path log)
    : log_(std::move(log)) {
  pid_ = spawn_logged(argv, log_);
}

ChildProcess::~ChildProcess() {
  (void)stop();
}

bool ChildProcess::wait_exit(int timeout_ms) {
  return reap_child(pid_, last_status_, timeout_ms);
}

bool ChildProcess::running() {
  return pid_ > 0 && !wait_exit(0);
}

int ChildProcess::stop() {
  return stop_child(pid_, last_status_, 15'000);
}

std::string ChildProcess::log_tail(size_t max_bytes) const {
  std::ifstream in(log_, std::ios::binary);
  if (!in) return "(no log at " + log_.string() + ")";
  std::stringstream ss;
  ss << in.rdbuf();
  std::string all = ss.str();
  return all.size() <= max_bytes ? all : all.substr(all.size() - max_bytes);
}

}  // namespace btt::testkit

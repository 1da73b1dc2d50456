// btt-worker: the reference compute contributor (doc/compute.md "btt-worker"). Registers its
// node, heartbeats, follows its assignments (WatchJobs stream, with a poll as a safety net),
// fetches each job's input by locator and checks its SHA-256, runs the job kind's configured
// command, commits the output's hash with a random salt, reveals once the stage allows it, and
// publishes the output to a store directory.
#include <fcntl.h>
#include <grpcpp/grpcpp.h>
#include <openssl/rand.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "app/worker/config.h"
#include "btt/chain/tx.h"
#include "btt/common/file_io.h"
#include "btt/crypto/hash.h"
#include "btt/crypto/keyfile.h"
#include "btt/modules/compute/compute.h"
#include "btt/v1/bank.grpc.pb.h"
#include "btt/v1/compute.grpc.pb.h"
#include "btt/v1/node.grpc.pb.h"

namespace {

namespace fs = std::filesystem;
using namespace btt;

std::atomic<bool> g_stop{false};

void on_signal(int) {
  g_stop = true;
}

using worker::WorkerOptions;

void log(const std::string& line) {
  std::cerr << "btt-worker: " << line << std::endl;
}

std::optional<std::string> read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Runs argv (no shell, stdin /dev/null, output to this process's) and waits; "" if it exited 0,
// else what happened.
std::string run_command(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  pid_t pid = -1;
  const int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return "cannot start " + argv[0] + ": " + std::strerror(rc);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return "was lost: waitpid failed";
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return "";
  if (WIFEXITED(status)) return "exited with " + std::to_string(WEXITSTATUS(status));
  return "died of signal " + std::to_string(WTERMSIG(status));
}

// What the worker remembers of a job it committed to (also on disk, so a restart can reveal).
struct Work {
  Bytes result;  // 32 bytes
  Bytes salt;    // 32 bytes
};

class Worker {
 public:
  Worker(WorkerOptions o, crypto::KeyPair key)
      : o_(std::move(o)),
        key_(std::move(key)),
        me_(key_.address.to_string()),
        channel_(grpc::CreateChannel(o_.node, grpc::InsecureChannelCredentials())),
        node_(v1::Node::NewStub(channel_)),
        bank_(v1::Bank::NewStub(channel_)),
        txs_(v1::Txs::NewStub(channel_)),
        compute_(v1::Compute::NewStub(channel_)) {
    fs::create_directories(o_.work_dir);
    if (!o_.store_dir.empty()) fs::create_directories(o_.store_dir);
  }

  int run() {
    std::thread watcher([this] { watch(); });
    while (!g_stop) {
      try {
        step();
      } catch (const std::exception& e) {
        log(std::string("step failed: ") + e.what());
      }
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, std::chrono::milliseconds(o_.poll_ms),
                   [this] { return woken_ || g_stop; });
      woken_ = false;
    }
    {
      std::lock_guard lock(mu_);
      if (watch_ctx_) watch_ctx_->TryCancel();
    }
    watcher.join();
    log("stopped");
    return 0;
  }

 private:
  template <typename Stub, typename Req, typename Resp>
  grpc::Status call(Stub& stub,
                    grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&, Resp*),
                    const Req& req, Resp* out, int timeout_ms = 10'000) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(timeout_ms));
    return (stub.*method)(&ctx, req, out);
  }

  // Signs and broadcasts one message, waiting for its block; the tx result code (or 1000+grpc).
  uint32_t send(const v1::Message& m, const std::string& what) {
    v1::NodeStatus status;
    if (auto s = call(*node_, &v1::Node::Stub::GetStatus, v1::GetStatusRequest{}, &status); !s.ok())
      throw std::runtime_error("GetStatus: " + s.error_message());
    v1::GetAccountRequest areq;
    areq.set_address(me_);
    v1::AccountInfo acc;
    if (auto s = call(*bank_, &v1::Bank::Stub::GetAccount, areq, &acc); !s.ok())
      throw std::runtime_error("GetAccount: " + s.error_message());
    v1::FeeSuggestion fee;
    if (auto s = call(*txs_, &v1::Txs::Stub::SuggestFee, v1::SuggestFeeRequest{}, &fee); !s.ok())
      throw std::runtime_error("SuggestFee: " + s.error_message());
    v1::TxBody body;
    body.set_chain_id(status.chain_id());
    body.set_sender(me_);
    body.set_public_key(std::string(as_view(key_.public_key)));
    body.set_nonce(acc.pending_nonce());
    body.set_fee(fee.suggested());
    *body.add_messages() = m;
    v1::BroadcastTxRequest req;
    *req.mutable_tx() = chain::sign_tx(body, key_.secret_key);
    req.set_wait_for_commit(true);
    req.set_timeout_ms(15'000);
    v1::BroadcastTxResponse resp;
    auto s = call(*txs_, &v1::Txs::Stub::BroadcastTx, req, &resp, 20'000);
    if (!s.ok()) {
      log(what + ": refused: " + s.error_message());
      return 1000 + static_cast<uint32_t>(s.error_code());
    }
    const uint32_t code = resp.committed() ? resp.result().code() : resp.code();
    log(what + ": code " + std::to_string(code) +
        (resp.result().log().empty() ? "" : " (" + resp.result().log() + ")"));
    return code;
  }

  void step() {
    v1::NodeStatus status;
    if (auto s = call(*node_, &v1::Node::Stub::GetStatus, v1::GetStatusRequest{}, &status); !s.ok())
      throw std::runtime_error("node unreachable: " + s.error_message());
    const uint64_t height = status.height();
    if (!params_) {
      v1::ComputeParams p;
      if (auto s =
              call(*compute_, &v1::Compute::Stub::GetParams, v1::GetComputeParamsRequest{}, &p);
          !s.ok())
        throw std::runtime_error("GetParams: " + s.error_message());
      params_ = p;
    }
    v1::GetNodeRequest nreq;
    nreq.set_node(me_);
    v1::NodeRecord node;
    auto s = call(*compute_, &v1::Compute::Stub::GetNode, nreq, &node);
    if (s.error_code() == grpc::StatusCode::NOT_FOUND ||
        (s.ok() && node.status() == v1::NODE_STATUS_UNREGISTERED)) {
      // A refused registration still costs its fee: retry only every 20 blocks.
      if (!last_register_ || height >= *last_register_ + 20) {
        last_register_ = height;
        register_node();
      }
      return;
    }
    if (!s.ok()) throw std::runtime_error("GetNode: " + s.error_message());
    report_drift(node);
    if (height + 1 >= node.last_heartbeat_height() + params_->heartbeat_interval_blocks()) {
      v1::Message m;
      m.mutable_heartbeat();
      (void)send(m, "heartbeat");
    }
    for (auto st : {v1::JOB_STATUS_ASSIGNED, v1::JOB_STATUS_AUDITING}) {
      v1::ListJobsRequest req;
      req.set_node(me_);
      req.set_filter_status(true);
      req.set_status(st);
      v1::ListJobsResponse jobs;
      if (auto ls = call(*compute_, &v1::Compute::Stub::ListJobs, req, &jobs); !ls.ok())
        throw std::runtime_error("ListJobs: " + ls.error_message());
      for (const auto& j : jobs.jobs()) handle(j, jobs.height());
    }
  }

  // A registered node keeps its record on chain: the worker never sends MsgUpdateNode (that
  // would undo an operator's `btt-cli compute update` at every restart with an old config), so
  // an option that differs is logged, once per change, instead of being ignored silently.
  void report_drift(const v1::NodeRecord& node) {
    const auto drift = worker::registration_drift(o_, node);
    std::string text;
    for (const auto& line : drift) text += (text.empty() ? "" : "; ") + line;
    if (text == last_drift_) return;
    last_drift_ = text;
    if (text.empty()) {
      log("the node on chain now matches the configuration");
      return;
    }
    log("the node is registered already and keeps its values on chain, not the configuration's: " +
        text + " (the worker does not update a registered node: use `btt-cli compute update`)");
  }

  void register_node() {
    v1::Message m;
    auto* r = m.mutable_register_node();
    r->mutable_hardware()->set_accelerator_kind(o_.accelerator);
    r->mutable_hardware()->set_model(o_.model);
    r->mutable_hardware()->set_memory_gb(o_.memory_gb);
    r->mutable_hardware()->set_count(o_.count);
    r->set_region(o_.region);
    r->set_energy_efficiency(o_.efficiency);
    r->set_price_per_cu(o_.price);
    r->set_bond(o_.bond);
    (void)send(m, "register");
  }

  void handle(const v1::JobRecord& j, uint64_t height) {
    const auto& stage = j.status() == v1::JOB_STATUS_AUDITING ? j.audit_replicas() : j.replicas();
    const v1::Replica* mine = nullptr;
    bool all_committed = true;
    for (const auto& r : stage) {
      if (r.node() == me_) mine = &r;
      if (r.status() == v1::REPLICA_STATUS_ASSIGNED) all_committed = false;
    }
    if (!mine) return;
    const std::string id = std::to_string(j.id());
    if (mine->status() == v1::REPLICA_STATUS_ASSIGNED && height <= j.commit_deadline()) {
      auto work = load_work(j.id());
      if (!work) work = compute(j);
      if (!work) return;
      v1::Message m;
      m.mutable_commit_result()->set_job_id(j.id());
      m.mutable_commit_result()->set_commitment(
          modules::compute::commitment(work->result, key_.address, work->salt));
      (void)send(m, "commit job " + id);
    } else if (mine->status() == v1::REPLICA_STATUS_COMMITTED &&
               (all_committed || height > j.commit_deadline()) && height <= j.reveal_deadline()) {
      auto work = load_work(j.id());
      if (!work) {
        log("job " + id + ": committed but its salt is lost; cannot reveal");
        return;
      }
      v1::Message m;
      m.mutable_reveal_result()->set_job_id(j.id());
      m.mutable_reveal_result()->set_result_hash(work->result);
      m.mutable_reveal_result()->set_salt(work->salt);
      (void)send(m, "reveal job " + id);
    }
  }

  fs::path work_path(uint64_t id) const {
    return fs::path(o_.work_dir) / ("job-" + std::to_string(id) + ".work");
  }

  // Writes job-<id>.work (result hash then salt, 64 bytes) durably and readable by the operator
  // only (read before the reveals, the result hash would let another replica commit to it without
  // computing); "" or what failed.
  std::string save_work(uint64_t id, const Work& w) const {
    const fs::path path = work_path(id);
    const fs::path tmp = path.string() + ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return errno_text(errno);
    const bool ok = write_all(fd, w.result + w.salt) && ::fsync(fd) == 0;
    const int err = errno;
    if (::close(fd) != 0 || !ok) {
      std::error_code ec;
      fs::remove(tmp, ec);
      return errno_text(ok ? errno : err);
    }
    std::error_code ec;
    fs::rename(tmp, path, ec);
    if (ec) return ec.message();
    (void)fsync_parent_dir(path);
    return "";
  }

  std::optional<Work> load_work(uint64_t id) const {
    auto raw = read_file(work_path(id));
    if (!raw || raw->size() != 64) return std::nullopt;
    return Work{raw->substr(0, 32), raw->substr(32)};
  }

  // Fetches, checks, runs; nullopt (and a log line) when the job cannot be computed here.
  std::optional<Work> compute(const v1::JobRecord& j) {
    const std::string id = std::to_string(j.id());
    auto cmd = o_.kinds.find(j.kind());
    if (cmd == o_.kinds.end()) {
      log("job " + id + ": no command for kind " + j.kind());
      return std::nullopt;
    }
    // A failed fetch or a hash mismatch computes nothing, so nothing is committed for it.
    const auto input =
        worker::fetch_input(j.locator(), o_.input_dir, j.input_size(), j.input_hash(), o_.fetch);
    if (!input.ok()) {
      log("job " + id + ": input not used (" + worker::fetch_error_name(input.error) +
          "): " + input.message);
      return std::nullopt;
    }
    const fs::path in = fs::path(o_.work_dir) / ("job-" + id + ".in");
    const fs::path out = fs::path(o_.work_dir) / ("job-" + id + ".out");
    {
      std::ofstream f(in, std::ios::binary | std::ios::trunc);
      f << input.body;
    }
    std::error_code ec;
    fs::remove(out, ec);
    const auto argv = worker::command_argv(cmd->second, in.string(), out.string());
    if (const std::string why = run_command(argv); !why.empty()) {
      log("job " + id + ": the command of kind " + j.kind() + " " + why);
      return std::nullopt;
    }
    auto output = read_file(out);
    if (!output) {
      log("job " + id + ": the command wrote no output");
      return std::nullopt;
    }
    Work w;
    w.result = to_bytes(crypto::sha256(*output));
    w.salt.resize(32);
    if (RAND_bytes(reinterpret_cast<unsigned char*>(w.salt.data()), 32) != 1) {
      log("job " + id + ": no randomness for the salt");
      return std::nullopt;
    }
    // Committing without the salt on disk would make the reveal impossible after a restart (the
    // replica is then missed and slashed), so a work file that cannot be saved means no commit.
    if (const std::string why = save_work(j.id(), w); !why.empty()) {
      log("job " + id + ": cannot save " + work_path(j.id()).string() + ": " + why);
      return std::nullopt;
    }
    if (!o_.store_dir.empty()) {
      std::error_code ec;
      fs::copy_file(out, fs::path(o_.store_dir) / (to_hex(w.result) + ".out"),
                    fs::copy_options::overwrite_existing, ec);
    }
    log("job " + id + ": result " + to_hex(w.result));
    return w;
  }

  // Follows the node's assignments and wakes the main loop on each change.
  void watch() {
    while (!g_stop) {
      auto ctx = std::make_shared<grpc::ClientContext>();
      {
        std::lock_guard lock(mu_);
        watch_ctx_ = ctx;
      }
      v1::WatchJobsRequest req;
      req.set_node(me_);
      auto reader = compute_->WatchJobs(ctx.get(), req);
      v1::JobRecord j;
      while (reader->Read(&j)) {
        std::lock_guard lock(mu_);
        woken_ = true;
        cv_.notify_all();
      }
      (void)reader->Finish();
      for (int i = 0; i < 10 && !g_stop; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
  }

  WorkerOptions o_;
  crypto::KeyPair key_;
  std::string me_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::Node::Stub> node_;
  std::unique_ptr<v1::Bank::Stub> bank_;
  std::unique_ptr<v1::Txs::Stub> txs_;
  std::unique_ptr<v1::Compute::Stub> compute_;
  std::optional<v1::ComputeParams> params_;
  std::optional<uint64_t> last_register_;
  std::string last_drift_;  // the differences last logged by report_drift
  std::mutex mu_;
  std::condition_variable cv_;
  bool woken_ = false;
  std::shared_ptr<grpc::ClientContext> watch_ctx_;
};

}  // namespace

int main(int argc, char** argv) {
  auto parsed = worker::parse_worker_args(argc, argv, std::cout, std::cerr);
  if (!parsed.options) return parsed.exit_code;
  WorkerOptions o = std::move(*parsed.options);
  auto key = crypto::read_key_file(o.key_file);
  if (!key) {
    std::cerr << "btt-worker: cannot read key file " << o.key_file << ": " << key.status().message()
              << std::endl;
    return 1;
  }
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  try {
    log("node " + key->address.to_string() + " on " + o.node);
    Worker worker(std::move(o), std::move(key).value());
    return worker.run();
  } catch (const std::exception& e) {
    std::cerr << "btt-worker: " << e.what() << std::endl;
    return 1;
  }
}

// compute ...: the compute marketplace for operators and providers (doc/compute.md "btt-cli").
#include <fstream>
#include <iostream>
#include <iterator>

#include "app/cli/commands.h"
#include "btt/crypto/hash.h"
#include "btt/modules/compute/compute.h"

namespace btt::cli {

namespace {

struct NodeOptions {
  std::string accelerator = "gpu";
  std::string model;
  uint32_t memory_gb = 0;
  uint32_t count = 1;
  std::string region;
  uint32_t efficiency = 0;
  std::string price;
  std::string bond;  // register: the bond; update: added to it
};

struct PostOptions {
  std::string kind;
  std::string input_file;
  std::string input_hash;
  uint64_t input_size = 0;
  std::string locator;
  std::string accelerator = "gpu";
  std::vector<std::string> models;
  uint32_t min_memory_gb = 0;
  uint32_t min_count = 0;
  uint64_t cu = 0;
  std::string urgency = "standard";
  uint32_t redundancy = 1;
  std::string max_price;
};

struct JobTxOptions {
  uint64_t job_id = 0;
  std::string result;  // 64 hex
  std::string salt;    // 32..128 hex
};

struct NodeTxOptions {
  std::string node;
  uint32_t efficiency = 0;
  bool flag = false;  // pause: --resume; ban: --unban
};

struct NodesQuery {
  std::string accelerator;
  std::string region;
  std::string status;
  uint32_t limit = 0;
  std::string after;
};

struct JobsQuery {
  std::string provider;
  std::string node;
  std::string status;
  uint32_t limit = 0;
  uint64_t after = 0;
};

struct WatchJobsOptions {
  std::string provider;
  std::string node;
  uint64_t from = 0;
  uint64_t count = 0;
};

std::string parse_hex_bytes(const std::string& text, size_t min, size_t max, const char* what) {
  auto b = from_hex(text);
  if (!b || b->size() < min || b->size() > max) {
    throw UsageError(std::string(what) + " must be " + std::to_string(min * 2) + ".." +
                     std::to_string(max * 2) + " hex characters");
  }
  return *b;
}

v1::HardwareClass hardware_of(const NodeOptions& o) {
  v1::HardwareClass hw;
  hw.set_accelerator_kind(o.accelerator);
  hw.set_model(o.model);
  hw.set_memory_gb(o.memory_gb);
  hw.set_count(o.count);
  return hw;
}

v1::Urgency urgency_of(const std::string& text) {
  if (text == "standard") return v1::URGENCY_STANDARD;
  if (text == "priority") return v1::URGENCY_PRIORITY;
  if (text == "urgent") return v1::URGENCY_URGENT;
  throw UsageError("--urgency must be standard, priority or urgent");
}

v1::Message register_of(const NodeOptions& o) {
  v1::Message m;
  auto* r = m.mutable_register_node();
  *r->mutable_hardware() = hardware_of(o);
  r->set_region(o.region);
  r->set_energy_efficiency(o.efficiency);
  r->set_price_per_cu(parse_amount(o.price, "--price"));
  r->set_bond(parse_amount(o.bond, "--bond"));
  return m;
}

v1::Message update_of(const NodeOptions& o) {
  v1::Message m;
  auto* u = m.mutable_update_node();
  *u->mutable_hardware() = hardware_of(o);
  u->set_region(o.region);
  u->set_energy_efficiency(o.efficiency);
  u->set_price_per_cu(parse_amount(o.price, "--price"));
  if (!o.bond.empty()) u->set_add_bond(parse_u64(o.bond, "--add-bond"));
  return m;
}

v1::Message post_of(const PostOptions& o) {
  v1::Message m;
  auto* p = m.mutable_post_job();
  p->set_kind(o.kind);
  if (!o.input_file.empty()) {
    // Hash and size of a local input file: nothing of the file itself goes on chain.
    std::ifstream in(o.input_file, std::ios::binary);
    if (!in) throw CommandError("cannot read " + o.input_file);
    const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    p->set_input_hash(to_bytes(crypto::sha256(data)));
    p->set_input_size(data.size());
  } else {
    if (o.input_hash.empty() || o.input_size == 0) {
      throw UsageError("give --input-file, or --input-hash and --input-size");
    }
    p->set_input_hash(parse_hash_hex(o.input_hash, "--input-hash"));
    p->set_input_size(o.input_size);
  }
  p->set_locator(o.locator);
  auto* req = p->mutable_requirements();
  req->set_accelerator_kind(o.accelerator);
  for (const auto& model : o.models) req->add_models(model);
  req->set_min_memory_gb(o.min_memory_gb);
  req->set_min_count(o.min_count);
  p->set_compute_units(o.cu);
  p->set_urgency(urgency_of(o.urgency));
  p->set_redundancy(o.redundancy);
  p->set_max_price_per_cu(parse_amount(o.max_price, "--max-price"));
  return m;
}

v1::Message commit_of(const JobTxOptions& o, const CommonTxOptions& common) {
  const std::string result = parse_hash_hex(o.result, "--result");
  const std::string salt =
      parse_hex_bytes(o.salt, modules::compute::kMinSalt, modules::compute::kMaxSalt, "--salt");
  const auto key = load_key(common.key_file);
  v1::Message m;
  m.mutable_commit_result()->set_job_id(o.job_id);
  m.mutable_commit_result()->set_commitment(
      modules::compute::commitment(result, key.address, salt));
  return m;
}

v1::Message reveal_of(const JobTxOptions& o) {
  v1::Message m;
  m.mutable_reveal_result()->set_job_id(o.job_id);
  m.mutable_reveal_result()->set_result_hash(parse_hash_hex(o.result, "--result"));
  m.mutable_reveal_result()->set_salt(
      parse_hex_bytes(o.salt, modules::compute::kMinSalt, modules::compute::kMaxSalt, "--salt"));
  return m;
}

template <typename Enum, typename Parse>
Enum parse_enum(const std::string& prefix, const std::string& text, Parse parse) {
  std::string name = prefix;
  for (char c : text)
    name.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  Enum e{};
  if (!parse(name, &e)) throw UsageError("unknown status '" + text + "'");
  return e;
}

int run_nodes(Context& ctx, const NodesQuery& o) {
  v1::ListNodesRequest req;
  req.set_accelerator_kind(o.accelerator);
  req.set_region(o.region);
  if (!o.status.empty()) {
    req.set_filter_status(true);
    req.set_status(
        parse_enum<v1::ComputeNodeStatus>("NODE_STATUS_", o.status, v1::ComputeNodeStatus_Parse));
  }
  req.set_limit(o.limit);
  if (!o.after.empty()) req.set_start_after(parse_address(o.after, "--after"));
  return print_record(ctx, ctx.client().list_nodes(req));
}

int run_jobs(Context& ctx, const JobsQuery& o) {
  v1::ListJobsRequest req;
  if (!o.provider.empty()) req.set_provider(parse_address(o.provider, "--provider"));
  if (!o.node.empty()) req.set_node(parse_address(o.node, "--node"));
  if (!o.status.empty()) {
    req.set_filter_status(true);
    req.set_status(parse_enum<v1::JobStatus>("JOB_STATUS_", o.status, v1::JobStatus_Parse));
  }
  req.set_limit(o.limit);
  req.set_start_after(o.after);
  return print_record(ctx, ctx.client().list_jobs(req));
}

int run_watch_jobs(Context& ctx, const WatchJobsOptions& o) {
  v1::WatchJobsRequest req;
  if (!o.provider.empty()) req.set_provider(parse_address(o.provider, "--provider"));
  if (!o.node.empty()) req.set_node(parse_address(o.node, "--node"));
  if (req.provider().empty() == req.node().empty()) {
    throw UsageError("give exactly one of --provider and --node");
  }
  req.set_from_height(o.from);
  auto& client = ctx.client();
  grpc::ClientContext call;
  auto reader = client.watch_jobs(call, req);
  const auto out = ctx.out();
  v1::JobRecord job;
  uint64_t seen = 0;
  bool cancelled = false;
  while (reader->Read(&job)) {
    out.line(proto_json(job));
    if (o.count != 0 && ++seen >= o.count) {
      call.TryCancel();
      cancelled = true;
      break;
    }
  }
  if (cancelled) {
    while (reader->Read(&job)) {
    }
  }
  const grpc::Status st = reader->Finish();
  if (cancelled && st.error_code() == grpc::StatusCode::CANCELLED) return kExitOk;
  client.check(st);
  return kExitOk;
}

void add_node_fields(CLI::App* sub, NodeOptions& o, bool update) {
  sub->add_option("--accelerator", o.accelerator, "Accelerator kind: cpu, gpu, npu, tpu")
      ->capture_default_str();
  sub->add_option("--model", o.model, "Accelerator model, e.g. H100")->required();
  sub->add_option("--memory-gb", o.memory_gb, "Memory per accelerator in GB");
  sub->add_option("--count", o.count, "Number of accelerators")->capture_default_str();
  sub->add_option("--region", o.region, "ISO 3166-1 alpha-2 region code, e.g. DE")->required();
  sub->add_option("--efficiency", o.efficiency, "Declared energy efficiency (doc/compute.md)");
  sub->add_option("--price", o.price, "Asking price per compute unit in base units")->required();
  if (update) {
    sub->add_option("--add-bond", o.bond, "BTT base units added to the bond");
  } else {
    sub->add_option("--bond", o.bond, "Bond in BTT base units (at least min_bond)")->required();
  }
}

using Messages = std::vector<v1::Message>;

// A tx command whose one message needs no options but the common ones.
std::function<BuildMessages(CLI::App*, const CommonTxOptions&)> plain_tx(v1::Message (*make)()) {
  return [make](CLI::App*, const CommonTxOptions&) -> BuildMessages {
    return [make] { return Messages{make()}; };
  };
}

void register_compute(Commands& cmds) {
  auto* compute = cmds.group("compute", "The compute marketplace (doc/compute.md)");
  for (const bool update : {false, true}) {
    cmds.add_tx(compute, update ? "update" : "register",
                update ? "Replace the node's hardware, region, price"
                       : "Register the key's account as a node",
                {update ? "update_node" : "register_node"},
                [update](CLI::App* sub, const CommonTxOptions&) -> BuildMessages {
                  auto o = std::make_shared<NodeOptions>();
                  add_node_fields(sub, *o, update);
                  return [o, update] { return Messages{update ? update_of(*o) : register_of(*o)}; };
                });
  }
  cmds.add_tx(compute, "pause", "Stop (or with --resume restart) assignments", {"pause_node"},
              [](CLI::App* sub, const CommonTxOptions&) -> BuildMessages {
                auto resume = std::make_shared<bool>(false);
                sub->add_flag("--resume", *resume, "Resume instead");
                return [resume] {
                  v1::Message m;
                  m.mutable_pause_node()->set_paused(!*resume);
                  return Messages{m};
                };
              });
  cmds.add_tx(compute, "unregister", "Start unbonding the node's bond", {"unregister_node"},
              plain_tx([] {
                v1::Message m;
                m.mutable_unregister_node();
                return m;
              }));
  cmds.add_tx(compute, "heartbeat", "Signal that the node is online", {"heartbeat"}, plain_tx([] {
                v1::Message m;
                m.mutable_heartbeat();
                return m;
              }));
  cmds.add_tx(
      compute, "post", "Post a job and escrow its maximum cost", {"post_job"},
      [](CLI::App* sub, const CommonTxOptions&) -> BuildMessages {
        auto o = std::make_shared<PostOptions>();
        sub->add_option("--kind", o->kind, "Registered job kind, e.g. panoramic-caries-v1")
            ->required();
        sub->add_option("--input-file", o->input_file,
                        "Local input: its SHA-256 and size are posted");
        sub->add_option("--input-hash", o->input_hash, "SHA-256 of the input (64 hex)");
        sub->add_option("--input-size", o->input_size, "Input size in bytes");
        sub->add_option("--locator", o->locator, "Where nodes fetch the input (URI)")->required();
        sub->add_option("--accelerator", o->accelerator, "Required accelerator kind")
            ->capture_default_str();
        sub->add_option("--model", o->models, "An acceptable model (repeat for several)");
        sub->add_option("--min-memory-gb", o->min_memory_gb, "Minimum memory per accelerator");
        sub->add_option("--min-count", o->min_count, "Minimum number of accelerators");
        sub->add_option("--cu", o->cu, "Compute-unit estimate")->required();
        sub->add_option("--urgency", o->urgency, "standard, priority or urgent")
            ->capture_default_str();
        sub->add_option("--redundancy", o->redundancy, "Replicas, 1..3")->capture_default_str();
        sub->add_option("--max-price", o->max_price, "Maximum price per compute unit")->required();
        return [o] { return Messages{post_of(*o)}; };
      });
  cmds.add_tx(compute, "cancel", "Cancel a pending job (full refund)", {"cancel_job"},
              [](CLI::App* sub, const CommonTxOptions&) -> BuildMessages {
                auto job = std::make_shared<uint64_t>(0);
                sub->add_option("job", *job, "Job id")->required();
                return [job] {
                  v1::Message m;
                  m.mutable_cancel_job()->set_job_id(*job);
                  return Messages{m};
                };
              });
  for (const bool reveal : {false, true}) {
    cmds.add_tx(
        compute, reveal ? "reveal" : "commit",
        reveal ? "Reveal a committed result" : "Commit to a result (hash of result, node, salt)",
        {reveal ? "reveal_result" : "commit_result"},
        [reveal](CLI::App* sub, const CommonTxOptions& common) -> BuildMessages {
          auto o = std::make_shared<JobTxOptions>();
          sub->add_option("job", o->job_id, "Job id")->required();
          sub->add_option("--result", o->result, "Result hash, 64 hex")->required();
          sub->add_option("--salt", o->salt, "Salt, 32..128 hex; the same for commit and reveal")
              ->required();
          return [o, reveal, &common] {
            return Messages{reveal ? reveal_of(*o) : commit_of(*o, common)};
          };
        });
  }
  cmds.add_tx(compute, "attest", "Attest a node's energy efficiency (attesters)", {"attest_energy"},
              [](CLI::App* sub, const CommonTxOptions&) -> BuildMessages {
                auto o = std::make_shared<NodeTxOptions>();
                sub->add_option("node", o->node, "Node address")->required();
                sub->add_option("--efficiency", o->efficiency, "Attested efficiency")->required();
                return [o] {
                  v1::Message m;
                  m.mutable_attest_energy()->set_node(parse_address(o->node, "NODE"));
                  m.mutable_attest_energy()->set_energy_efficiency(o->efficiency);
                  return Messages{m};
                };
              });
  cmds.add_tx(compute, "ban", "Keep a node off your jobs (--unban to undo)", {"ban_node"},
              [](CLI::App* sub, const CommonTxOptions&) -> BuildMessages {
                auto o = std::make_shared<NodeTxOptions>();
                sub->add_option("node", o->node, "Node address")->required();
                sub->add_flag("--unban", o->flag, "Lift the ban");
                return [o] {
                  v1::Message m;
                  m.mutable_ban_node()->set_node(parse_address(o->node, "NODE"));
                  m.mutable_ban_node()->set_banned(!o->flag);
                  return Messages{m};
                };
              });

  // --- queries ---
  auto query = [&cmds, compute](const char* name, const char* description,
                                const std::function<Action(CLI::App*)>& setup) {
    cmds.add(compute, name, description, CommandKind::kQuery, setup);
  };
  query("params", "The market's parameters", [&cmds](CLI::App*) -> Action {
    return [&cmds] { return print_record(cmds.ctx(), cmds.ctx().client().get_compute_params()); };
  });
  query("nodes", "Nodes by accelerator, region and status", [&cmds](CLI::App* sub) -> Action {
    auto o = std::make_shared<NodesQuery>();
    sub->add_option("--accelerator", o->accelerator, "Accelerator kind");
    sub->add_option("--region", o->region, "Region code");
    sub->add_option("--status", o->status, "active, paused, unbonding or unregistered");
    sub->add_option("--limit", o->limit, "At most this many (default 100, at most 1000)");
    sub->add_option("--after", o->after, "Page after this node address");
    return [&cmds, o] { return run_nodes(cmds.ctx(), *o); };
  });
  query("node", "One node: reputation, bond, counters", [&cmds](CLI::App* sub) -> Action {
    auto node = std::make_shared<std::string>();
    sub->add_option("address", *node, "Node address")->required();
    return [&cmds, node] {
      return print_record(cmds.ctx(),
                          cmds.ctx().client().get_node(parse_address(*node, "ADDRESS")));
    };
  });
  query("jobs", "Jobs by provider or node, and status", [&cmds](CLI::App* sub) -> Action {
    auto o = std::make_shared<JobsQuery>();
    sub->add_option("--provider", o->provider, "Provider address");
    sub->add_option("--node", o->node, "Node address");
    sub->add_option("--status", o->status, "pending, assigned, auditing, accepted, ...");
    sub->add_option("--limit", o->limit, "At most this many (default 100, at most 1000)");
    sub->add_option("--after", o->after, "Page after this job id");
    return [&cmds, o] { return run_jobs(cmds.ctx(), *o); };
  });
  query("job", "One job with its replicas and settlement", [&cmds](CLI::App* sub) -> Action {
    auto id = std::make_shared<uint64_t>(0);
    sub->add_option("id", *id, "Job id")->required();
    return [&cmds, id] { return print_record(cmds.ctx(), cmds.ctx().client().get_job(*id)); };
  });
  query("stats", "Market statistics per hardware class", [&cmds](CLI::App*) -> Action {
    return [&cmds] { return print_record(cmds.ctx(), cmds.ctx().client().get_market_stats()); };
  });
  query("rewards", "An epoch's mining rewards per node", [&cmds](CLI::App* sub) -> Action {
    auto epoch = std::make_shared<uint64_t>(0);
    sub->add_option("epoch", *epoch, "Epoch number")->required();
    return [&cmds, epoch] {
      return print_record(cmds.ctx(), cmds.ctx().client().get_epoch_rewards(*epoch));
    };
  });
  cmds.add(compute, "watch",
           "Stream a provider's jobs or a node's assignments as they change (one per line)",
           CommandKind::kStream, [&cmds](CLI::App* sub) -> Action {
             auto o = std::make_shared<WatchJobsOptions>();
             sub->add_option("--provider", o->provider, "Provider address");
             sub->add_option("--node", o->node, "Node address");
             sub->add_option("--from", o->from, "First height (default: the next block)");
             sub->add_option("--count", o->count, "Stop after this many records (default: never)");
             return [&cmds, o] { return run_watch_jobs(cmds.ctx(), *o); };
           });
}

const CommandFile kCompute{50, &register_compute};

}  // namespace

}  // namespace btt::cli

// compute ...: the compute marketplace for operators and providers (doc/compute.md "btt-cli").
#include <google/protobuf/util/json_util.h>

#include <fstream>
#include <iostream>
#include <iterator>

#include "app/cli/commands.h"
#include "btt/crypto/hash.h"
#include "btt/modules/compute/compute.h"

namespace btt::cli {

namespace {

struct NodeOptions {
  CommonTxOptions common;
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
  CommonTxOptions common;
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
  CommonTxOptions common;
  uint64_t job_id = 0;
  std::string result;  // 64 hex
  std::string salt;    // 32..128 hex
};

struct NodeTxOptions {
  CommonTxOptions common;
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

// Standard base64 (what protobuf's JSON mapping gives bytes fields) to raw bytes.
std::string from_base64(const std::string& in) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+' || c == '-') return 62;
    if (c == '/' || c == '_') return 63;
    return -1;
  };
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    const int v = value(c);
    if (v < 0) continue;  // padding
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  return out;
}

// Bytes fields as lower-case hex, like every other btt-cli document.
void bytes_to_hex(Json& j) {
  if (j.is_object()) {
    for (auto& [key, v] : j.items()) {
      if ((key == "input_hash" || key == "result_hash" || key == "commitment") && v.is_string()) {
        v = hex(from_base64(v.get<std::string>()));
      } else {
        bytes_to_hex(v);
      }
    }
  } else if (j.is_array()) {
    for (auto& v : j) bytes_to_hex(v);
  }
}

Json record_json(const google::protobuf::Message& m) {
  std::string text;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  if (!google::protobuf::util::MessageToJsonString(m, &text, options).ok()) {
    throw CommandError("cannot print the answer as JSON");
  }
  Json j = Json::parse(text);
  bytes_to_hex(j);
  return j;
}

// Records print as the same JSON document with or without --json (they have many fields).
int print_record(Context& ctx, const google::protobuf::Message& m) {
  ctx.out().document(record_json(m));
  return kExitOk;
}

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

int run_register(Context& ctx, const NodeOptions& o) {
  v1::Message m;
  auto* r = m.mutable_register_node();
  *r->mutable_hardware() = hardware_of(o);
  r->set_region(o.region);
  r->set_energy_efficiency(o.efficiency);
  r->set_price_per_cu(parse_amount(o.price, "--price"));
  r->set_bond(parse_amount(o.bond, "--bond"));
  return submit(ctx, o.common, {m});
}

int run_update(Context& ctx, const NodeOptions& o) {
  v1::Message m;
  auto* u = m.mutable_update_node();
  *u->mutable_hardware() = hardware_of(o);
  u->set_region(o.region);
  u->set_energy_efficiency(o.efficiency);
  u->set_price_per_cu(parse_amount(o.price, "--price"));
  if (!o.bond.empty()) u->set_add_bond(parse_u64(o.bond, "--add-bond"));
  return submit(ctx, o.common, {m});
}

int run_post(Context& ctx, const PostOptions& o) {
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
  return submit(ctx, o.common, {m});
}

int run_commit(Context& ctx, const JobTxOptions& o) {
  const std::string result = parse_hash_hex(o.result, "--result");
  const std::string salt =
      parse_hex_bytes(o.salt, modules::compute::kMinSalt, modules::compute::kMaxSalt, "--salt");
  const auto key = load_key(o.common.key_file);
  v1::Message m;
  m.mutable_commit_result()->set_job_id(o.job_id);
  m.mutable_commit_result()->set_commitment(
      modules::compute::commitment(result, key.address, salt));
  return submit(ctx, o.common, {m});
}

int run_reveal(Context& ctx, const JobTxOptions& o) {
  v1::Message m;
  m.mutable_reveal_result()->set_job_id(o.job_id);
  m.mutable_reveal_result()->set_result_hash(parse_hash_hex(o.result, "--result"));
  m.mutable_reveal_result()->set_salt(
      parse_hex_bytes(o.salt, modules::compute::kMinSalt, modules::compute::kMaxSalt, "--salt"));
  return submit(ctx, o.common, {m});
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
    out.line(record_json(job));
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
  add_common_options(sub, o.common);
  sub->add_flag("--dry-run", o.common.dry_run, "Simulate the tx; broadcast nothing");
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

}  // namespace

void register_compute_commands(CLI::App& app, Context& ctx, Commands& cmds) {
  auto* compute = app.add_subcommand("compute", "The compute marketplace (doc/compute.md)");
  compute->require_subcommand(1);
  {
    auto o = std::make_shared<NodeOptions>();
    auto* sub = compute->add_subcommand("register", "Register the key's account as a node");
    add_node_fields(sub, *o, false);
    cmds.add(sub, [&ctx, o] { return run_register(ctx, *o); });
  }
  {
    auto o = std::make_shared<NodeOptions>();
    auto* sub = compute->add_subcommand("update", "Replace the node's hardware, region, price");
    add_node_fields(sub, *o, true);
    cmds.add(sub, [&ctx, o] { return run_update(ctx, *o); });
  }
  {
    auto o = std::make_shared<NodeTxOptions>();
    auto* sub = compute->add_subcommand("pause", "Stop (or with --resume restart) assignments");
    add_common_options(sub, o->common);
    sub->add_flag("--resume", o->flag, "Resume instead");
    cmds.add(sub, [&ctx, o] {
      v1::Message m;
      m.mutable_pause_node()->set_paused(!o->flag);
      return submit(ctx, o->common, {m});
    });
  }
  {
    auto o = std::make_shared<NodeTxOptions>();
    auto* sub = compute->add_subcommand("unregister", "Start unbonding the node's bond");
    add_common_options(sub, o->common);
    cmds.add(sub, [&ctx, o] {
      v1::Message m;
      m.mutable_unregister_node();
      return submit(ctx, o->common, {m});
    });
  }
  {
    auto o = std::make_shared<NodeTxOptions>();
    auto* sub = compute->add_subcommand("heartbeat", "Signal that the node is online");
    add_common_options(sub, o->common);
    cmds.add(sub, [&ctx, o] {
      v1::Message m;
      m.mutable_heartbeat();
      return submit(ctx, o->common, {m});
    });
  }
  {
    auto o = std::make_shared<PostOptions>();
    auto* sub = compute->add_subcommand("post", "Post a job and escrow its maximum cost");
    add_common_options(sub, o->common);
    sub->add_flag("--dry-run", o->common.dry_run, "Simulate the tx; broadcast nothing");
    sub->add_option("--kind", o->kind, "Registered job kind, e.g. panoramic-caries-v1")->required();
    sub->add_option("--input-file", o->input_file, "Local input: its SHA-256 and size are posted");
    sub->add_option("--input-hash", o->input_hash, "SHA-256 of the input (64 hex)");
    sub->add_option("--input-size", o->input_size, "Input size in bytes");
    sub->add_option("--locator", o->locator, "Where nodes fetch the input (URI)")->required();
    sub->add_option("--accelerator", o->accelerator, "Required accelerator kind")
        ->capture_default_str();
    sub->add_option("--model", o->models, "An acceptable model (repeat for several)");
    sub->add_option("--min-memory-gb", o->min_memory_gb, "Minimum memory per accelerator");
    sub->add_option("--min-count", o->min_count, "Minimum number of accelerators");
    sub->add_option("--cu", o->cu, "Compute-unit estimate")->required();
    sub->add_option("--urgency", o->urgency, "standard, priority or urgent")->capture_default_str();
    sub->add_option("--redundancy", o->redundancy, "Replicas, 1..3")->capture_default_str();
    sub->add_option("--max-price", o->max_price, "Maximum price per compute unit")->required();
    cmds.add(sub, [&ctx, o] { return run_post(ctx, *o); });
  }
  {
    auto o = std::make_shared<JobTxOptions>();
    auto* sub = compute->add_subcommand("cancel", "Cancel a pending job (full refund)");
    add_common_options(sub, o->common);
    sub->add_option("job", o->job_id, "Job id")->required();
    cmds.add(sub, [&ctx, o] {
      v1::Message m;
      m.mutable_cancel_job()->set_job_id(o->job_id);
      return submit(ctx, o->common, {m});
    });
  }
  for (const bool reveal : {false, true}) {
    auto o = std::make_shared<JobTxOptions>();
    auto* sub = compute->add_subcommand(
        reveal ? "reveal" : "commit",
        reveal ? "Reveal a committed result" : "Commit to a result (hash of result, node, salt)");
    add_common_options(sub, o->common);
    sub->add_option("job", o->job_id, "Job id")->required();
    sub->add_option("--result", o->result, "Result hash, 64 hex")->required();
    sub->add_option("--salt", o->salt, "Salt, 32..128 hex; the same for commit and reveal")
        ->required();
    cmds.add(sub, [&ctx, o, reveal] { return reveal ? run_reveal(ctx, *o) : run_commit(ctx, *o); });
  }
  {
    auto o = std::make_shared<NodeTxOptions>();
    auto* sub = compute->add_subcommand("attest", "Attest a node's energy efficiency (attesters)");
    add_common_options(sub, o->common);
    sub->add_option("node", o->node, "Node address")->required();
    sub->add_option("--efficiency", o->efficiency, "Attested efficiency")->required();
    cmds.add(sub, [&ctx, o] {
      v1::Message m;
      m.mutable_attest_energy()->set_node(parse_address(o->node, "NODE"));
      m.mutable_attest_energy()->set_energy_efficiency(o->efficiency);
      return submit(ctx, o->common, {m});
    });
  }
  {
    auto o = std::make_shared<NodeTxOptions>();
    auto* sub = compute->add_subcommand("ban", "Keep a node off your jobs (--unban to undo)");
    add_common_options(sub, o->common);
    sub->add_option("node", o->node, "Node address")->required();
    sub->add_flag("--unban", o->flag, "Lift the ban");
    cmds.add(sub, [&ctx, o] {
      v1::Message m;
      m.mutable_ban_node()->set_node(parse_address(o->node, "NODE"));
      m.mutable_ban_node()->set_banned(!o->flag);
      return submit(ctx, o->common, {m});
    });
  }
  // --- queries ---
  {
    auto* sub = compute->add_subcommand("params", "The market's parameters");
    cmds.add(sub, [&ctx] { return print_record(ctx, ctx.client().get_compute_params()); });
  }
  {
    auto o = std::make_shared<NodesQuery>();
    auto* sub = compute->add_subcommand("nodes", "Nodes by accelerator, region and status");
    sub->add_option("--accelerator", o->accelerator, "Accelerator kind");
    sub->add_option("--region", o->region, "Region code");
    sub->add_option("--status", o->status, "active, paused, unbonding or unregistered");
    sub->add_option("--limit", o->limit, "At most this many (default 100, at most 1000)");
    sub->add_option("--after", o->after, "Page after this node address");
    cmds.add(sub, [&ctx, o] { return run_nodes(ctx, *o); });
  }
  {
    auto node = std::make_shared<std::string>();
    auto* sub = compute->add_subcommand("node", "One node: reputation, bond, counters");
    sub->add_option("address", *node, "Node address")->required();
    cmds.add(sub, [&ctx, node] {
      return print_record(ctx, ctx.client().get_node(parse_address(*node, "ADDRESS")));
    });
  }
  {
    auto o = std::make_shared<JobsQuery>();
    auto* sub = compute->add_subcommand("jobs", "Jobs by provider or node, and status");
    sub->add_option("--provider", o->provider, "Provider address");
    sub->add_option("--node", o->node, "Node address");
    sub->add_option("--status", o->status, "pending, assigned, auditing, accepted, ...");
    sub->add_option("--limit", o->limit, "At most this many (default 100, at most 1000)");
    sub->add_option("--after", o->after, "Page after this job id");
    cmds.add(sub, [&ctx, o] { return run_jobs(ctx, *o); });
  }
  {
    auto id = std::make_shared<uint64_t>(0);
    auto* sub = compute->add_subcommand("job", "One job with its replicas and settlement");
    sub->add_option("id", *id, "Job id")->required();
    cmds.add(sub, [&ctx, id] { return print_record(ctx, ctx.client().get_job(*id)); });
  }
  {
    auto* sub = compute->add_subcommand("stats", "Market statistics per hardware class");
    cmds.add(sub, [&ctx] { return print_record(ctx, ctx.client().get_market_stats()); });
  }
  {
    auto epoch = std::make_shared<uint64_t>(0);
    auto* sub = compute->add_subcommand("rewards", "An epoch's mining rewards per node");
    sub->add_option("epoch", *epoch, "Epoch number")->required();
    cmds.add(sub,
             [&ctx, epoch] { return print_record(ctx, ctx.client().get_epoch_rewards(*epoch)); });
  }
  {
    auto o = std::make_shared<WatchJobsOptions>();
    auto* sub = compute->add_subcommand(
        "watch", "Stream a provider's jobs or a node's assignments as they change (one per line)");
    sub->add_option("--provider", o->provider, "Provider address");
    sub->add_option("--node", o->node, "Node address");
    sub->add_option("--from", o->from, "First height (default: the next block)");
    sub->add_option("--count", o->count, "Stop after this many records (default: never)");
    cmds.add(sub, [&ctx, o] { return run_watch_jobs(ctx, *o); });
  }
}

}  // namespace btt::cli

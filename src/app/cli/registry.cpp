// The command registry: groups, the common tx options (added once for every tx command),
// top-level aliases, the table behind `btt-cli help --all`, and the file self-registration.
#include <algorithm>
#include <utility>

#include "app/cli/commands.h"

namespace btt::cli {

namespace {

struct RegisteredFile {
  int order;
  RegisterFn fn;
};

std::vector<RegisteredFile>& registered_files() {
  static std::vector<RegisteredFile> files;
  return files;
}

void add_common_tx_options(CLI::App* sub, CommonTxOptions& o) {
  sub->add_option("--key", o.key_file, "Key file of the sender")->required();
  sub->add_option("--fee", o.fee, "Fee in BTT base units (default: the node's suggestion)");
  sub->add_option("--nonce", o.nonce, "Nonce (default: the account's next nonce)");
  sub->add_option("--memo", o.memo, "Memo, at most 256 bytes; never personal data");
  sub->add_flag("--wait", o.wait, "Wait until the tx is committed and print its result");
  sub->add_option("--wait-timeout", o.wait_timeout_s, "Seconds to wait with --wait")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  sub->add_flag("--dry-run", o.dry_run, "Simulate the tx; broadcast nothing");
}

// The Message oneof field a message sets ("" for none).
std::string kind_of(const v1::Message& m) {
  const auto* oneof = v1::Message::descriptor()->FindOneofByName("msg");
  const auto* field = m.GetReflection()->GetOneofFieldDescriptor(m, oneof);
  return field == nullptr ? std::string() : field->name();
}

}  // namespace

std::string_view kind_name(CommandKind kind) {
  switch (kind) {
    case CommandKind::kLocal:
      return "local";
    case CommandKind::kQuery:
      return "query";
    case CommandKind::kStream:
      return "stream";
    case CommandKind::kTx:
      return "tx";
  }
  return "query";
}

CommandFile::CommandFile(int order, RegisterFn fn) {
  registered_files().push_back({order, fn});
}

void register_all(Commands& cmds) {
  auto files = registered_files();
  std::stable_sort(
      files.begin(), files.end(),
      [](const RegisteredFile& a, const RegisteredFile& b) { return a.order < b.order; });
  for (const auto& f : files) f.fn(cmds);
}

CLI::App* Commands::group(const std::string& name, const std::string& description) {
  auto it = groups_.find(name);
  if (it != groups_.end()) return it->second;
  CLI::App* g = root_.add_subcommand(name, description);
  g->require_subcommand(1);
  groups_.emplace(name, g);
  return g;
}

std::string Commands::path_of(CLI::App* parent, const std::string& name) const {
  std::string path = name;
  for (CLI::App* p = parent; p != nullptr && p != &root_; p = p->get_parent()) {
    path = p->get_name() + " " + path;
  }
  return path;
}

CLI::App* Commands::make(CLI::App* parent, const std::string& name, const std::string& description,
                         CommandInfo info, Action action) {
  CLI::App* sub = parent->add_subcommand(name, description);
  info.path = path_of(parent, name);
  info.description = description;
  table_.push_back(std::move(info));
  actions_[sub] = std::move(action);
  return sub;
}

CLI::App* Commands::add(CLI::App* parent, const std::string& name, const std::string& description,
                        CommandKind kind, const std::function<Action(CLI::App*)>& setup,
                        Alias alias) {
  CommandInfo info;
  info.kind = kind;
  return add_with_alias(parent, name, description, std::move(info), alias, setup);
}

// The command, and with Alias::kTopLevel the same command again at the top level: each gets its
// own options and action from `make_action`.
CLI::App* Commands::add_with_alias(CLI::App* parent, const std::string& name,
                                   const std::string& description, CommandInfo info, Alias alias,
                                   const std::function<Action(CLI::App*)>& make_action) {
  CLI::App* sub = make(parent, name, description, info, nullptr);
  actions_[sub] = make_action(sub);
  if (alias == Alias::kTopLevel && parent != &root_) {
    info.alias_of = path_of(parent, name);
    CLI::App* top = make(&root_, name, description, info, nullptr);
    actions_[top] = make_action(top);
  }
  return sub;
}

CLI::App* Commands::add_tx(
    CLI::App* parent, const std::string& name, const std::string& description,
    std::vector<std::string> messages,
    const std::function<BuildMessages(CLI::App*, const CommonTxOptions&)>& setup, Alias alias) {
  auto make_action = [this, &setup, messages](CLI::App* sub) -> Action {
    auto common = std::make_shared<CommonTxOptions>();
    add_common_tx_options(sub, *common);
    BuildMessages build = setup(sub, *common);
    return [this, common, build = std::move(build), messages] {
      const auto built = build();
      for (const auto& m : built) {
        if (std::find(messages.begin(), messages.end(), kind_of(m)) == messages.end()) {
          throw CommandError("internal: the command built a '" + kind_of(m) +
                             "' message it does not declare");
        }
      }
      return submit(ctx_, *common, built);
    };
  };
  CommandInfo info;
  info.kind = CommandKind::kTx;
  info.messages = messages;
  return add_with_alias(parent, name, description, std::move(info), alias, make_action);
}

const Action* Commands::find(CLI::App* sub) const {
  auto it = actions_.find(sub);
  return it == actions_.end() || !it->second ? nullptr : &it->second;
}

int print_record(Context& ctx, const google::protobuf::Message& m) {
  const auto out = ctx.out();
  if (out.json()) {
    out.document(proto_json(m));
  } else {
    out.fields(proto_fields(m));
  }
  return kExitOk;
}

namespace {

// help [--all]: the usual help, or every command with its kind and messages.
void register_help(Commands& cmds) {
  cmds.add(&cmds.root(), "help", "Show help; --all lists every command (with --json: a table)",
           CommandKind::kLocal, [&cmds](CLI::App* sub) -> Action {
             auto all = std::make_shared<bool>(false);
             sub->add_flag("--all", *all, "List every command, its kind and the messages it sends");
             return [&cmds, all] {
               const auto out = cmds.ctx().out();
               if (!*all) {
                 out.text_line(cmds.root().help());
                 return kExitOk;
               }
               if (out.json()) {
                 Json list = Json::array();
                 for (const auto& c : cmds.table()) {
                   Json row{{"path", c.path},
                            {"kind", kind_name(c.kind)},
                            {"description", c.description}};
                   if (c.kind == CommandKind::kTx) row["messages"] = c.messages;
                   if (!c.alias_of.empty()) row["alias_of"] = c.alias_of;
                   list.push_back(std::move(row));
                 }
                 out.document(Json{{"commands", std::move(list)}});
                 return kExitOk;
               }
               for (const auto& c : cmds.table()) {
                 std::string line = c.path + "  [" + std::string(kind_name(c.kind));
                 for (const auto& m : c.messages) line += " " + m;
                 line += "]";
                 if (!c.alias_of.empty()) line += " (= " + c.alias_of + ")";
                 out.text_line(line + "  " + c.description);
               }
               return kExitOk;
             };
           });
}

const CommandFile kHelp{90, &register_help};

}  // namespace

}  // namespace btt::cli

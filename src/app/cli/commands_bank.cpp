// btt-cli bank ...: balance, send, multisend, supply (doc/bank.md). balance, send and multisend
// are also top-level commands.
#include "app/cli/commands.h"

namespace btt::cli {

namespace {

struct SendOptions {
  std::string to;
  std::string amount;
  std::string asset = std::string(kBttAsset);
};

struct BalanceOptions {
  std::string address;
  std::string key_file;
  std::string asset;
};

v1::Message transfer_of(const SendOptions& o) {
  v1::Message m;
  auto* t = m.mutable_transfer();
  t->set_to(parse_address(o.to, "--to"));
  t->set_amount(parse_amount(o.amount, "--amount"));
  if (o.asset.empty()) throw UsageError("--asset must not be empty");
  t->set_asset(o.asset);
  return m;
}

// --output ADDR:UNITS[:ASSET] ...
v1::Message multi_transfer_of(const std::vector<std::string>& outputs) {
  v1::Message m;
  auto* mt = m.mutable_multi_transfer();
  for (const auto& spec : outputs) {
    const auto first = spec.find(':');
    if (first == std::string::npos) {
      throw UsageError("--output must be ADDR:UNITS[:ASSET], got '" + spec + "'");
    }
    const auto second = spec.find(':', first + 1);
    const std::string addr = spec.substr(0, first);
    const std::string units = spec.substr(
        first + 1, second == std::string::npos ? std::string::npos : second - first - 1);
    const std::string asset =
        second == std::string::npos ? std::string(kBttAsset) : spec.substr(second + 1);
    if (asset.empty() || asset.find(':') != std::string::npos) {
      throw UsageError("--output must be ADDR:UNITS[:ASSET], got '" + spec + "'");
    }
    auto* out = mt->add_outputs();
    out->set_to(parse_address(addr, "--output address"));
    out->set_amount(parse_amount(units, "--output amount"));
    out->set_asset(asset);
  }
  return m;
}

int run_balance(Context& ctx, const BalanceOptions& o) {
  std::string address;
  if (!o.address.empty() && !o.key_file.empty()) {
    throw UsageError("give either ADDRESS or --key FILE, not both");
  } else if (!o.address.empty()) {
    address = parse_address(o.address, "ADDRESS");
  } else if (!o.key_file.empty()) {
    address = load_key(o.key_file).address.to_string();
  } else {
    throw UsageError("give ADDRESS or --key FILE");
  }
  const auto account = ctx.client().get_account(address);

  std::vector<std::pair<std::string, uint64_t>> balances;
  if (!o.asset.empty()) {
    // Asks the node about this one asset, so an unregistered one is an error, not a 0.
    balances.emplace_back(o.asset, ctx.client().get_balance(address, o.asset).amount());
  } else {
    for (const auto& c : account.balances()) balances.emplace_back(c.asset(), c.amount());
  }

  const auto out = ctx.out();
  if (out.json()) {
    Json list = Json::array();
    for (const auto& [asset, amount] : balances) {
      list.push_back(Json{{"asset", asset}, {"amount", amount}});
    }
    Json doc{{"address", account.address().empty() ? address : account.address()},
             {"height", account.height()},
             {"nonce", account.nonce()}};
    if (!o.asset.empty()) {
      doc["asset"] = o.asset;
      doc["amount"] = balances.front().second;
    }
    doc["balances"] = std::move(list);
    out.document(doc);
  } else {
    Fields f;
    f.add("address", account.address().empty() ? address : account.address())
        .add("height", account.height())
        .add("next nonce", account.nonce());
    if (balances.empty()) f.add("balance", "0");
    for (const auto& [asset, amount] : balances) {
      f.add("balance " + asset, format_amount(asset, amount));
    }
    out.fields(f);
  }
  return kExitOk;
}

int run_supply(Context& ctx) {
  const auto s = ctx.client().get_supply();
  const auto out = ctx.out();
  if (out.json()) {
    out.document(proto_json(s));
    return kExitOk;
  }
  Fields f;
  f.add("height", s.height()).add("assets", static_cast<uint64_t>(s.total_size()));
  for (const auto& c : s.total()) f.add("total " + c.asset(), format_amount(c.asset(), c.amount()));
  out.fields(f);
  return kExitOk;
}

void register_bank(Commands& cmds) {
  auto* bank = cmds.group("bank", "Balances, transfers and the supply per asset (doc/bank.md)");
  cmds.add(
      bank, "balance", "Show an account's balances and next nonce", CommandKind::kQuery,
      [&cmds](CLI::App* sub) -> Action {
        auto o = std::make_shared<BalanceOptions>();
        sub->add_option("ADDRESS", o->address, "Account address (btt1...)");
        sub->add_option("--key", o->key_file, "Key file whose account to show");
        sub->add_option("--asset", o->asset, "Show only this asset");
        return [&cmds, o] { return run_balance(cmds.ctx(), *o); };
      },
      Alias::kTopLevel);
  cmds.add(bank, "supply", "The total of every asset (the sum of all balances)",
           CommandKind::kQuery,
           [&cmds](CLI::App*) -> Action { return [&cmds] { return run_supply(cmds.ctx()); }; });
  cmds.add_tx(
      bank, "send", "Transfer an amount to an address", {"transfer"},
      [](CLI::App* sub, const CommonTxOptions&) -> BuildMessages {
        auto o = std::make_shared<SendOptions>();
        sub->add_option("--to", o->to, "Recipient address (btt1...)")->required();
        sub->add_option("--amount", o->amount, "Amount in base units (1 BTT = 100000000)")
            ->required();
        sub->add_option("--asset", o->asset, "Asset")->capture_default_str();
        return [o] { return std::vector<v1::Message>{transfer_of(*o)}; };
      },
      Alias::kTopLevel);
  cmds.add_tx(
      bank, "multisend", "Transfer to several addresses, all or nothing", {"multi_transfer"},
      [](CLI::App* sub, const CommonTxOptions&) -> BuildMessages {
        auto outputs = std::make_shared<std::vector<std::string>>();
        sub->add_option("--output", *outputs, "ADDR:UNITS[:ASSET] (repeatable)")
            ->required()
            ->allow_extra_args(false);
        return [outputs] { return std::vector<v1::Message>{multi_transfer_of(*outputs)}; };
      },
      Alias::kTopLevel);
}

const CommandFile kBank{30, &register_bank};

}  // namespace

}  // namespace btt::cli

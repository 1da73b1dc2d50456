#include "btt/chain/genesis.h"

#include "btt/chain/state_hash.h"
#include "btt/chain/validator_history.h"

#include <ctime>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "btt/common/checked.h"
#include "btt/common/file_io.h"
#include "btt/common/json_fields.h"
#include "btt/crypto/hash.h"
#include "btt/ledger/ledger.h"

namespace btt::chain {
namespace {

using json = nlohmann::json;

Status err(const std::string& field, const std::string& what) {
  return {Code::kInvalidArgument, "genesis: " + field + ": " + what};
}

Status prefixed(const Status& s) {
  return {s.code(), "genesis: " + s.message()};
}

Result<uint64_t> parse_amount(const json& v, const std::string& field) {
  auto r = json_fields::u64(v, field);
  if (!r) return prefixed(r.status());
  return *r;
}

Result<uint32_t> parse_u32(const json& v, const std::string& field) {
  auto r = json_fields::u32(v, field);
  if (!r) return prefixed(r.status());
  return *r;
}

Status check_keys(const json& obj, const std::string& where, const std::set<std::string>& allowed) {
  if (auto s = json_fields::only_keys(obj, where, allowed); !s) return prefixed(s);
  return Status::ok();
}

// The deepest nesting of arrays and objects a genesis file may have. The file itself needs 5
// levels; module sections get room to grow. Far deeper JSON would overflow the stack in the
// (recursive) copies and dumps of nlohmann::json, so it is refused before parsing.
constexpr size_t kMaxJsonDepth = 64;

// Whether arrays/objects in `text` nest deeper than `max` (brackets inside strings do not count).
bool nests_deeper_than(std::string_view text, size_t max) {
  size_t depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max) return true;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return false;
}

// An optional string field: absent means `fallback`; any other type is an error.
Result<std::string> optional_string(const json& obj, const char* key, std::string fallback,
                                    const std::string& field) {
  if (!obj.contains(key)) return fallback;
  if (!obj[key].is_string()) return err(field, "must be a string");
  return obj[key].get<std::string>();
}

bool valid_chain_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

struct U32Field {
  const char* name;
  void (v1::LedgerParams::*set)(uint32_t);
  uint32_t (v1::LedgerParams::*get)() const;
  uint32_t min, max;
};
constexpr U32Field kLedgerU32Fields[] = {
    {"max_tx_bytes", &v1::LedgerParams::set_max_tx_bytes, &v1::LedgerParams::max_tx_bytes, 256,
     1u << 20},
    {"max_messages", &v1::LedgerParams::set_max_messages, &v1::LedgerParams::max_messages, 1, 1024},
    {"max_memo_bytes", &v1::LedgerParams::set_max_memo_bytes, &v1::LedgerParams::max_memo_bytes, 0,
     4096},
    {"max_outputs", &v1::LedgerParams::set_max_outputs, &v1::LedgerParams::max_outputs, 1, 4096},
    {"max_block_txs", &v1::LedgerParams::set_max_block_txs, &v1::LedgerParams::max_block_txs, 1,
     1000000},
    {"max_block_evidence", &v1::LedgerParams::set_max_block_evidence,
     &v1::LedgerParams::max_block_evidence, 1, 1000},
};

Result<v1::LedgerParams> parse_params(const json& j) {
  v1::LedgerParams p = ledger::default_ledger_params();
  if (j.is_null()) return p;
  if (auto s = check_keys(
          j, "params",
          {"min_fee", "max_tx_bytes", "max_messages", "max_memo_bytes", "max_outputs",
           "max_block_txs", "max_block_bytes", "max_evidence_age", "max_block_evidence"});
      !s)
    return s;
  for (const auto& f : kLedgerU32Fields) {
    if (!j.contains(f.name)) continue;
    auto v = parse_u32(j[f.name], std::string("params.") + f.name);
    if (!v) return v.status();
    if (*v < f.min || *v > f.max) {
      return err(std::string("params.") + f.name,
                 "must be in [" + std::to_string(f.min) + ", " + std::to_string(f.max) + "]");
    }
    (p.*f.set)(*v);
  }
  if (j.contains("min_fee")) {
    auto v = parse_amount(j["min_fee"], "params.min_fee");
    if (!v) return v.status();
    p.set_min_fee(*v);
  }
  if (j.contains("max_evidence_age")) {
    auto v = parse_u32(j["max_evidence_age"], "params.max_evidence_age");
    if (!v) return v.status();
    if (*v < 1 || *v > 10'000'000)
      return err("params.max_evidence_age", "must be in [1, 10000000]");
    p.set_max_evidence_age(*v);
  }
  if (j.contains("max_block_bytes")) {
    auto v = parse_amount(j["max_block_bytes"], "params.max_block_bytes");
    if (!v) return v.status();
    if (*v < p.max_tx_bytes() || *v > (256u << 20)) {
      return err("params.max_block_bytes", "must be in [max_tx_bytes, 268435456]");
    }
    p.set_max_block_bytes(*v);
  }
  return p;
}

std::vector<v1::Validator> to_records(const std::vector<GenesisValidator>& validators) {
  std::vector<v1::Validator> out;
  out.reserve(validators.size());
  for (const auto& v : validators) {
    v1::Validator rec;
    rec.set_address(v.address.to_string());
    rec.set_public_key(std::string(as_view(v.public_key)));
    rec.set_power(v.power);
    rec.set_name(v.name);
    out.push_back(std::move(rec));
  }
  return out;
}

Result<std::vector<GenesisValidator>> from_records(const std::vector<v1::Validator>& records) {
  std::vector<GenesisValidator> out;
  for (const auto& v : records) {
    auto pk = crypto::public_key_from_bytes(v.public_key());
    if (!pk) return Status(Code::kStorage, "export: validator " + v.address() + " has no key");
    out.push_back({v.name(), crypto::Address::from_public_key(*pk), *pk, v.power()});
  }
  return out;
}

json validators_json(const std::vector<GenesisValidator>& validators) {
  json out = json::array();
  for (const auto& v : validators) {
    out.push_back({{"name", v.name},
                   {"address", v.address.to_string()},
                   {"public_key", to_hex(v.public_key)},
                   {"power", std::to_string(v.power)}});
  }
  return out;
}

// A validators array (the top level's, or one of validator_sets): the rules of
// doc/genesis.md "validators", messages under `field`.
Result<std::vector<GenesisValidator>> parse_validators(const json& list, const std::string& field) {
  if (!list.is_array() || list.empty()) return err(field, "at least one validator is required");
  if (list.size() > kMaxValidators) {
    return err(field, "at most " + std::to_string(kMaxValidators) + " validators");
  }
  std::vector<GenesisValidator> out;
  std::set<crypto::Address> seen;
  for (size_t i = 0; i < list.size(); ++i) {
    const auto& v = list[i];
    std::string where = field + "[" + std::to_string(i) + "]";
    if (auto s = check_keys(v, where, {"name", "address", "public_key", "power"}); !s) return s;
    GenesisValidator gv;
    auto name = optional_string(v, "name", "", where + ".name");
    if (!name) return name.status();
    gv.name = *name;
    if (gv.name.size() > kMaxValidatorNameBytes) {
      return err(where + ".name", "at most 64 characters");
    }
    if (!v.contains("public_key") || !v["public_key"].is_string()) {
      return err(where + ".public_key", "missing (64 hex characters)");
    }
    auto pk_bytes = from_hex(v["public_key"].get<std::string>());
    auto pk = pk_bytes ? crypto::public_key_from_bytes(*pk_bytes) : std::nullopt;
    if (!pk) return err(where + ".public_key", "not a 32-byte hex x-only public key");
    gv.public_key = *pk;
    gv.address = crypto::Address::from_public_key(*pk);
    if (v.contains("address")) {
      auto addr = v["address"].is_string() ? crypto::Address::parse(v["address"].get<std::string>())
                                           : std::nullopt;
      if (!addr) return err(where + ".address", "not a btt address");
      if (*addr != gv.address) return err(where + ".address", "does not match public_key");
    }
    auto power = parse_amount(v.value("power", json()), where + ".power");
    if (!power) return power.status();
    if (*power == 0) return err(where + ".power", "must be positive");
    gv.power = *power;
    if (!seen.insert(gv.address).second) {
      return err(where, "duplicate validator " + gv.address.to_string());
    }
    out.push_back(gv);
  }
  uint64_t total_power = 0;
  for (const auto& v : out) {
    auto sum = checked_add(total_power, v.power);
    if (!sum || *sum > kMaxTotalPower) return err(field, "total power overflows");
    total_power = *sum;
  }
  return out;
}

// validator_sets: entries of the validator set history (doc/genesis.md), ascending from_height
// in [1, initial_height + 1]; the one in force at initial_height, if any, is `validators`.
Result<std::vector<GenesisValidatorSet>> parse_validator_sets(const json& list, const Genesis& g) {
  if (!list.is_array()) return err("validator_sets", "must be an array");
  std::vector<GenesisValidatorSet> out;
  for (size_t i = 0; i < list.size(); ++i) {
    const auto& e = list[i];
    const std::string where = "validator_sets[" + std::to_string(i) + "]";
    if (auto s = check_keys(e, where, {"from_height", "validators"}); !s) return s;
    auto from = parse_amount(e.value("from_height", json()), where + ".from_height");
    if (!from) return from.status();
    if (*from == 0 || *from > g.initial_height + 1) {
      return err(where + ".from_height", "must be in [1, initial_height + 1]");
    }
    if (!out.empty() && *from <= out.back().from_height) {
      return err(where + ".from_height", "must be above the previous entry's");
    }
    auto validators = parse_validators(e.contains("validators") ? e["validators"] : json(),
                                       where + ".validators");
    if (!validators) return validators.status();
    out.push_back({*from, std::move(*validators)});
  }
  const GenesisValidatorSet* in_force = nullptr;
  for (const auto& e : out) {
    if (e.from_height <= g.initial_height) in_force = &e;
  }
  if (in_force != nullptr &&
      !same_validator_set(to_records(in_force->validators), to_records(g.validators))) {
    return err("validator_sets", "the entry in force at initial_height (from_height " +
                                     std::to_string(in_force->from_height) +
                                     ") is not the set of `validators`");
  }
  return out;
}

}  // namespace

std::optional<uint64_t> parse_rfc3339_ms(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS[.fff]Z
  if (text.size() < 20 || text.back() != 'Z') return std::nullopt;
  auto digits = [&](size_t pos, size_t n, int& out) {
    out = 0;
    for (size_t i = pos; i < pos + n; ++i) {
      if (i >= text.size() || text[i] < '0' || text[i] > '9') return false;
      out = out * 10 + (text[i] - '0');
    }
    return true;
  };
  int y, mo, d, h, mi, s;
  if (!digits(0, 4, y) || text[4] != '-' || !digits(5, 2, mo) || text[7] != '-' ||
      !digits(8, 2, d) || (text[10] != 'T' && text[10] != 't') || !digits(11, 2, h) ||
      text[13] != ':' || !digits(14, 2, mi) || text[16] != ':' || !digits(17, 2, s)) {
    return std::nullopt;
  }
  uint64_t ms = 0;
  std::string_view rest = text.substr(19, text.size() - 20);
  if (!rest.empty()) {
    if (rest[0] != '.' || rest.size() < 2 || rest.size() > 4) return std::nullopt;
    int frac = 0;
    if (!digits(20, rest.size() - 1, frac)) return std::nullopt;
    for (size_t i = rest.size() - 1; i < 3; ++i) frac *= 10;
    ms = static_cast<uint64_t>(frac);
  }
  if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) {
    return std::nullopt;
  }
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  int max_day = kDays[mo - 1] + ((mo == 2 && leap) ? 1 : 0);
  if (d > max_day) return std::nullopt;
  // Days from civil (proleptic Gregorian), exact integer arithmetic.
  int yy = y - (mo <= 2 ? 1 : 0);
  int era = yy / 400;
  int yoe = yy - era * 400;
  int doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  int64_t days = static_cast<int64_t>(era) * 146097 + doe - 719468;
  uint64_t secs = static_cast<uint64_t>(days) * 86400 + static_cast<uint64_t>(h) * 3600 +
                  static_cast<uint64_t>(mi) * 60 + static_cast<uint64_t>(s);
  return secs * 1000 + ms;
}

std::string format_rfc3339_ms(uint64_t ms) {
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
  std::string out(buf);
  if (ms % 1000 != 0) {
    char frac[8];
    std::snprintf(frac, sizeof(frac), ".%03u", static_cast<unsigned>(ms % 1000));
    out += frac;
  }
  return out + "Z";
}

namespace {
Result<Genesis> parse_checked(std::string_view json_text, const ModuleRegistry& registry);
}  // namespace

Result<Genesis> Genesis::parse(std::string_view json_text, const ModuleRegistry& registry) {
  if (nests_deeper_than(json_text, kMaxJsonDepth)) {
    return err("file",
               "arrays and objects nest deeper than " + std::to_string(kMaxJsonDepth) + " levels");
  }
  // Every field is type-checked below; this only turns a check that was missed into an error
  // instead of an exception that would end the node.
  try {
    return parse_checked(json_text, registry);
  } catch (const std::exception& e) {
    return Status(Code::kInvalidArgument,
                  std::string("genesis: unexpected JSON type: ") + e.what());
  }
}

namespace {
Result<Genesis> parse_checked(std::string_view json_text, const ModuleRegistry& registry) {
  json j;
  try {
    j = json::parse(json_text);
  } catch (const json::exception& e) {
    return Status(Code::kInvalidArgument, std::string("genesis: not valid JSON: ") + e.what());
  }
  if (auto s = check_keys(j, "top level",
                          {"chain_id", "genesis_time", "initial_height", "params", "assets",
                           "validators", "validator_sets", "accounts", "modules"});
      !s)
    return s;

  Genesis g;
  g.file_hash = crypto::sha256(json_text);
  if (!j.contains("chain_id") || !j["chain_id"].is_string()) return err("chain_id", "missing");
  g.chain_id = j["chain_id"].get<std::string>();
  if (!valid_chain_id(g.chain_id)) {
    return err("chain_id", "'" + g.chain_id + "' must be 1-64 characters of [a-z0-9._-]");
  }
  if (!j.contains("genesis_time") || !j["genesis_time"].is_string()) {
    return err("genesis_time", "missing (RFC 3339 UTC, e.g. 2026-01-01T00:00:00Z)");
  }
  auto t = parse_rfc3339_ms(j["genesis_time"].get<std::string>());
  if (!t) return err("genesis_time", "not an RFC 3339 UTC time like 2026-01-01T00:00:00Z");
  g.genesis_time_ms = *t;
  if (j.contains("initial_height")) {
    auto h = parse_amount(j["initial_height"], "initial_height");
    if (!h) return h.status();
    if (*h == 0 || *h > (UINT64_MAX >> 1)) return err("initial_height", "must be at least 1");
    g.initial_height = *h;
  }

  auto params = parse_params(j.value("params", json()));
  if (!params) return params.status();
  g.params = *params;

  // Assets: BTT always, plus any listed.
  std::map<std::string, v1::AssetInfo> assets;
  v1::AssetInfo btt;
  btt.set_asset(std::string(ledger::kNativeAsset));
  btt.set_decimals(ledger::kNativeDecimals);
  assets[btt.asset()] = btt;
  if (j.contains("assets")) {
    if (!j["assets"].is_array()) return err("assets", "must be an array");
    for (size_t i = 0; i < j["assets"].size(); ++i) {
      const auto& a = j["assets"][i];
      std::string where = "assets[" + std::to_string(i) + "]";
      if (auto s = check_keys(a, where, {"asset", "decimals"}); !s) return s;
      if (!a.contains("asset") || !a["asset"].is_string()) return err(where, "asset missing");
      std::string name = a["asset"].get<std::string>();
      if (!ledger::is_valid_asset_name(name))
        return err(where, "invalid asset name '" + name + "'");
      auto dec = parse_u32(a.value("decimals", json(0)), where + ".decimals");
      if (!dec) return dec.status();
      if (*dec > 18) return err(where + ".decimals", "at most 18");
      if (name == ledger::kNativeAsset) {
        if (*dec != ledger::kNativeDecimals) return err(where, "BTT has 8 decimals");
        continue;
      }
      if (assets.count(name)) return err(where, "duplicate asset '" + name + "'");
      v1::AssetInfo info;
      info.set_asset(name);
      info.set_decimals(*dec);
      assets[name] = info;
    }
  }
  for (auto& [_, info] : assets) g.assets.push_back(info);

  // Validators: the set of the first block, then (an export) the history entries in state.
  auto validators =
      parse_validators(j.contains("validators") ? j["validators"] : json(), "validators");
  if (!validators) return validators.status();
  g.validators = std::move(*validators);
  if (j.contains("validator_sets")) {
    auto sets = parse_validator_sets(j["validator_sets"], g);
    if (!sets) return sets.status();
    g.validator_sets = std::move(*sets);
  }

  // Accounts.
  std::map<crypto::Address, GenesisAccount> accounts;
  std::map<std::string, uint64_t> supply;
  if (j.contains("accounts")) {
    if (!j["accounts"].is_array()) return err("accounts", "must be an array");
    for (size_t i = 0; i < j["accounts"].size(); ++i) {
      const auto& a = j["accounts"][i];
      std::string where = "accounts[" + std::to_string(i) + "]";
      if (auto s = check_keys(a, where, {"address", "balances", "nonce"}); !s) return s;
      auto addr = a.contains("address") && a["address"].is_string()
                      ? crypto::Address::parse(a["address"].get<std::string>())
                      : std::nullopt;
      if (!addr) return err(where + ".address", "not a btt address");
      if (accounts.count(*addr)) return err(where, "duplicate account " + addr->to_string());
      GenesisAccount ga;
      ga.address = *addr;
      if (a.contains("nonce")) {
        auto nonce = parse_amount(a["nonce"], where + ".nonce");
        if (!nonce) return nonce.status();
        ga.nonce = *nonce;
      }
      std::map<std::string, uint64_t> balances;
      if (!a.contains("balances") || !a["balances"].is_array()) {
        return err(where + ".balances", "must be an array");
      }
      for (size_t k = 0; k < a["balances"].size(); ++k) {
        const auto& b = a["balances"][k];
        std::string bw = where + ".balances[" + std::to_string(k) + "]";
        if (auto s = check_keys(b, bw, {"asset", "amount"}); !s) return s;
        auto asset_name =
            optional_string(b, "asset", std::string(ledger::kNativeAsset), bw + ".asset");
        if (!asset_name) return asset_name.status();
        const std::string asset = *asset_name;
        if (!assets.count(asset)) return err(bw, "asset '" + asset + "' is not registered");
        if (balances.count(asset)) return err(bw, "duplicate asset '" + asset + "'");
        auto amount = parse_amount(b.value("amount", json()), bw + ".amount");
        if (!amount) return amount.status();
        if (*amount == 0) return err(bw + ".amount", "must be positive");
        auto total = checked_add(supply[asset], *amount);
        if (!total) return err(bw + ".amount", "total supply of " + asset + " overflows uint64");
        supply[asset] = *total;
        balances[asset] = *amount;
      }
      for (auto& [asset, amount] : balances) {
        v1::Coin c;
        c.set_asset(asset);
        c.set_amount(amount);
        ga.balances.push_back(c);
      }
      accounts[*addr] = std::move(ga);
    }
  }
  for (auto& [_, ga] : accounts) g.accounts.push_back(std::move(ga));

  if (j.contains("modules")) {
    if (!j["modules"].is_object()) return err("modules", "must be an object");
    for (const auto& [name, _] : j["modules"].items()) {
      if (!registry.find(name)) return err("modules", "no module named '" + name + "'");
    }
    g.modules = j["modules"];
  }
  const ledger::GenesisInfo info = g.info();
  for (const auto& m : registry.modules()) {
    json section =
        g.modules.contains(std::string(m->name())) ? g.modules[std::string(m->name())] : json();
    if (auto s = m->validate_genesis(section, info); !s) {
      return Status(s.code(), "genesis: modules." + std::string(m->name()) + ": " + s.message());
    }
  }
  return g;
}
}  // namespace

Result<Genesis> Genesis::load(const std::filesystem::path& path, const ModuleRegistry& registry) {
  auto text = read_text_file(path);
  if (!text) return Status(text.status().code(), "genesis: " + text.status().message());
  return parse(*text, registry);
}

uint64_t Genesis::total(std::string_view asset) const {
  uint64_t sum = 0;
  for (const auto& a : accounts) {
    for (const auto& c : a.balances) {
      if (c.asset() == asset) sum += c.amount();  // checked at parse time
    }
  }
  return sum;
}

ledger::GenesisInfo Genesis::info() const {
  ledger::GenesisInfo out;
  out.genesis_time_ms = genesis_time_ms;
  out.validators = to_records(validators);
  for (const auto& a : assets) out.account_totals[a.asset()] = total(a.asset());
  for (const auto& a : accounts) {
    for (const auto& c : a.balances) out.balances[a.address][c.asset()] += c.amount();
  }
  return out;
}

json Genesis::to_json() const {
  json j;
  j["chain_id"] = chain_id;
  j["genesis_time"] = format_rfc3339_ms(genesis_time_ms);
  if (initial_height != 1) j["initial_height"] = std::to_string(initial_height);
  j["params"] = {{"min_fee", std::to_string(params.min_fee())},
                 {"max_tx_bytes", params.max_tx_bytes()},
                 {"max_messages", params.max_messages()},
                 {"max_memo_bytes", params.max_memo_bytes()},
                 {"max_outputs", params.max_outputs()},
                 {"max_block_txs", params.max_block_txs()},
                 {"max_block_bytes", std::to_string(params.max_block_bytes())},
                 {"max_evidence_age", params.max_evidence_age()},
                 {"max_block_evidence", params.max_block_evidence()}};
  j["assets"] = json::array();
  for (const auto& a : assets)
    j["assets"].push_back({{"asset", a.asset()}, {"decimals", a.decimals()}});
  j["validators"] = validators_json(validators);
  if (!validator_sets.empty()) {
    j["validator_sets"] = json::array();
    for (const auto& e : validator_sets) {
      j["validator_sets"].push_back({{"from_height", std::to_string(e.from_height)},
                                     {"validators", validators_json(e.validators)}});
    }
  }
  j["accounts"] = json::array();
  for (const auto& a : accounts) {
    json balances = json::array();
    for (const auto& c : a.balances) {
      balances.push_back({{"asset", c.asset()}, {"amount", std::to_string(c.amount())}});
    }
    json account = {{"address", a.address.to_string()}, {"balances", balances}};
    if (a.nonce != 0) account["nonce"] = std::to_string(a.nonce);
    j["accounts"].push_back(std::move(account));
  }
  j["modules"] = modules;
  return j;
}

Status validate_ledger_params(const v1::LedgerParams& p) {
  for (const auto& f : kLedgerU32Fields) {
    const uint32_t v = (p.*f.get)();
    if (v < f.min || v > f.max) {
      return {Code::kInvalidArgument, std::string("ledger params: ") + f.name + " must be in [" +
                                          std::to_string(f.min) + ", " + std::to_string(f.max) +
                                          "]"};
    }
  }
  if (p.max_evidence_age() < 1 || p.max_evidence_age() > 10'000'000) {
    return {Code::kInvalidArgument, "ledger params: max_evidence_age must be in [1, 10000000]"};
  }
  if (p.max_block_bytes() < p.max_tx_bytes() || p.max_block_bytes() > (256u << 20)) {
    return {Code::kInvalidArgument,
            "ledger params: max_block_bytes must be in [max_tx_bytes, 268435456]"};
  }
  return Status::ok();
}

Status init_genesis_state(const Genesis& genesis, ledger::Overlay& state,
                          const ModuleRegistry& registry) {
  // The state before the first block is the state "at" initial_height - 1.
  ledger::BlockInfo info{genesis.chain_id,
                         genesis.initial_height - 1,
                         genesis.genesis_time_ms,
                         genesis.genesis_time_ms,
                         {},
                         {},
                         {},
                         {}};
  ledger::Events events;
  ledger::Ledger ledger(state, events);
  ledger.set_params(genesis.params);
  for (const auto& a : genesis.assets) {
    ledger.set_asset(a);
    ledger.set_supply(a.asset(), genesis.total(a.asset()));
  }
  for (const auto& acc : genesis.accounts) {
    for (const auto& c : acc.balances) {
      if (auto s = ledger.credit(acc.address, c.asset(), c.amount()); !s) return s;
    }
    if (acc.nonce != 0) ledger.set_next_nonce(acc.address, acc.nonce);
  }
  const ledger::GenesisInfo genesis_info = genesis.info();
  // The validator set history (doc/consensus.md, "Validator set changes"): an export's entries,
  // and the set of the first block unless one of them is in force there already.
  bool first_covered = false;
  for (const auto& e : genesis.validator_sets) {
    write_validator_set(state, e.from_height, to_records(e.validators));
    first_covered |= e.from_height <= genesis.initial_height;
  }
  if (!first_covered) {
    write_validator_set(state, genesis.initial_height, genesis_info.validators);
  }
  ledger::BlockContext ctx{info, state, events, &registry.locks()};
  for (const auto& m : registry.modules()) {
    std::string name(m->name());
    json section = genesis.modules.contains(name) ? genesis.modules[name] : json();
    if (auto s = m->init_genesis(section, genesis_info, ctx); !s) {
      return Status(s.code(), "genesis: modules." + name + ": " + s.message());
    }
  }
  return Status::ok();
}

Result<json> export_genesis(const ledger::StateReader& state, const ModuleRegistry& registry,
                            const std::string& chain_id, uint64_t height, uint64_t time_ms) {
  const ledger::Ledger ledger(state);
  Genesis g;
  g.chain_id = chain_id;
  g.genesis_time_ms = time_ms;
  g.initial_height = height + 1;
  g.params = ledger.params();
  g.assets = ledger.assets();
  // The set of the imported chain's first block, height + 1, and every entry of the history in
  // state but one written at exactly height + 1 (which `validators` stands for).
  const auto validators = validators_at(state, height + 1);
  if (!validators) {
    return Status(Code::kStorage,
                  "export: no validator set for height " + std::to_string(height + 1));
  }
  auto first = from_records(*validators);
  if (!first) return first.status();
  g.validators = std::move(*first);
  for (const auto& e : validator_set_history(state)) {
    if (e.from_height == g.initial_height) continue;
    auto entry = from_records(e.validators);
    if (!entry) return entry.status();
    g.validator_sets.push_back({e.from_height, std::move(*entry)});
  }
  for (const auto& addr : ledger.accounts()) {
    GenesisAccount ga;
    ga.address = addr;
    ga.balances = ledger.balances(addr);
    ga.nonce = ledger.next_nonce(addr);
    g.accounts.push_back(std::move(ga));
  }
  for (const auto& m : registry.modules()) {
    auto section = m->export_genesis(state);
    if (!section) {
      return Status(section.status().code(), "export: modules." + std::string(m->name()) + ": " +
                                                 section.status().message());
    }
    if (!section->is_null()) g.modules[std::string(m->name())] = std::move(*section);
  }
  return g.to_json();
}

Hash32 import_state_hash(const ledger::StateReader& state, uint64_t height) {
  WriteSet all;
  state.scan("", [&](std::string_view key, std::string_view value) {
    all.emplace(Bytes(key), Bytes(value));
    return true;
  });
  return make_write_set_commitment()->next(Hash32{}, height, all);
}

}  // namespace btt::chain

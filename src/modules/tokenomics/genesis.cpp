// The tokenomics genesis section in its two forms: the allocation a new chain starts from
// ({"month_seconds", "milestone_authority", "categories"}: parsing, validation, writing, and the
// default allocation), and the whole state of a running chain as `bttd export` writes it
// ({"state": TokenomicsGenesisState}; doc/tokenomics.md "Genesis export").
#include "btt/modules/tokenomics/genesis.h"

#include <map>
#include <set>
#include <stdexcept>

#include "btt/common/checked.h"
#include "btt/common/json_fields.h"
#include "btt/ledger/proto_json.h"
#include "btt/modules/roles/roles.h"
#include "btt/modules/tokenomics/tokenomics.h"
#include "keeper.h"
#include "module.h"

namespace btt::modules::tokenomics {
namespace {

using json = nlohmann::json;

// A month may be shortened for dev nets (a minute-long month shows vesting in an afternoon) but
// never beyond 31 days.
constexpr uint64_t kMaxMonthS = 31 * kDaySeconds;
// Longest cliff or duration in months (the schedule's own limit in seconds applies too).
constexpr uint64_t kMaxMonths = 1200;

Status invalid(const std::string& message) {
  return {Code::kInvalidArgument, message};
}

struct KindName {
  const char* name;
  Category::Kind kind;
};
constexpr KindName kKinds[] = {{"vesting", Category::kVesting},
                               {"milestones", Category::kMilestones},
                               {"emission", Category::kEmission},
                               {"pool", Category::kPool},
                               {"accounts", Category::kAccounts}};

Result<uint64_t> months_field(const json& row, const char* key, const std::string& where) {
  if (auto s = json_fields::required(row, key, where); !s) return s;
  auto v = json_fields::u64(row[key], where + "." + key);
  if (!v) return v.status();
  if (*v > kMaxMonths) {
    return invalid(where + "." + key + ": " + std::to_string(*v) + " months, at most " +
                   std::to_string(kMaxMonths));
  }
  return *v;
}

Result<crypto::Address> address_field(const json& obj, const char* key, const std::string& where) {
  if (auto s = json_fields::required(obj, key, where); !s) return s;
  auto text = json_fields::string(obj[key], where + "." + key);
  if (!text) return text.status();
  auto addr = crypto::Address::parse(*text);
  if (!addr) return invalid(where + "." + key + ": '" + excerpt(*text) + "' is not a btt address");
  return *addr;
}

Result<GenesisRow> parse_row(const json& row, const std::string& where, uint64_t genesis_s,
                             uint64_t month_s) {
  if (!row.is_object()) return invalid(where + ": must be an object");
  for (const char* key : {"id", "name", "share_bps", "amount", "kind"}) {
    if (auto s = json_fields::required(row, key, where); !s) return s;
  }
  auto kind_text = json_fields::string(row["kind"], where + ".kind");
  if (!kind_text) return kind_text.status();
  std::optional<Category::Kind> kind;
  for (const auto& k : kKinds) {
    if (*kind_text == k.name) kind = k.kind;
  }
  if (!kind) {
    return invalid(where + ".kind: '" + excerpt(*kind_text) +
                   "' is not one of vesting, milestones, emission, pool, accounts");
  }
  std::set<std::string> allowed = {"id", "name", "share_bps", "amount", "kind"};
  switch (*kind) {
    case Category::kVesting:
      allowed.insert({"beneficiary", "cliff_months", "duration_months"});
      break;
    case Category::kMilestones:
      allowed.insert({"beneficiary", "duration_months"});
      break;
    case Category::kEmission:
      allowed.insert({"epoch_seconds", "years", "decay_bps"});
      break;
    case Category::kPool:
      allowed.insert("spender");
      break;
    case Category::kAccounts:
      break;
  }
  if (auto s = json_fields::only_keys(row, where, allowed); !s) return s;

  GenesisRow out;
  Category& c = out.category;
  c.kind = *kind;
  auto id = json_fields::string(row["id"], where + ".id");
  if (!id) return id.status();
  c.id = *id;
  auto name = json_fields::string(row["name"], where + ".name");
  if (!name) return name.status();
  c.name = *name;
  auto bps = json_fields::u32(row["share_bps"], where + ".share_bps");
  if (!bps) return bps.status();
  c.share_bps = *bps;
  auto amount = json_fields::u64(row["amount"], where + ".amount");
  if (!amount) return amount.status();
  c.amount = *amount;

  auto seconds = [month_s](uint64_t months) {
    return checked_mul(months, month_s).value_or(UINT64_MAX);
  };
  switch (*kind) {
    case Category::kVesting: {
      auto who = address_field(row, "beneficiary", where);
      if (!who) return who.status();
      out.beneficiary = *who;
      auto cliff = months_field(row, "cliff_months", where);
      if (!cliff) return cliff.status();
      auto duration = months_field(row, "duration_months", where);
      if (!duration) return duration.status();
      out.cliff_months = *cliff;
      out.duration_months = *duration;
      c.vesting = VestingSchedule{c.amount, genesis_s, seconds(*cliff), seconds(*duration)};
      break;
    }
    case Category::kMilestones: {
      auto who = address_field(row, "beneficiary", where);
      if (!who) return who.status();
      out.beneficiary = *who;
      auto duration = months_field(row, "duration_months", where);
      if (!duration) return duration.status();
      out.duration_months = *duration;
      c.milestones = MilestoneCeiling{c.amount, genesis_s, seconds(*duration)};
      break;
    }
    case Category::kEmission: {
      EmissionCurve curve{c.amount,         genesis_s, kDefaultEpochS, kDefaultEmissionYears,
                          kDefaultDecayBps, kYearS};
      if (row.contains("epoch_seconds")) {
        auto v = json_fields::u64(row["epoch_seconds"], where + ".epoch_seconds");
        if (!v) return v.status();
        curve.epoch_s = *v;
      }
      if (row.contains("years")) {
        auto v = json_fields::u32(row["years"], where + ".years");
        if (!v) return v.status();
        curve.years = *v;
      }
      if (row.contains("decay_bps")) {
        auto v = json_fields::u32(row["decay_bps"], where + ".decay_bps");
        if (!v) return v.status();
        curve.decay_bps = *v;
      }
      c.emission = curve;
      break;
    }
    case Category::kPool: {
      if (auto s = json_fields::required(row, "spender", where); !s) return s;
      auto spender = json_fields::string(row["spender"], where + ".spender");
      if (!spender) return spender.status();
      if (*spender != "governance" && *spender != "module") {
        return invalid(where + ".spender: '" + excerpt(*spender) +
                       "' is not 'governance' or 'module'");
      }
      c.governance_controlled = *spender == "governance";
      break;
    }
    case Category::kAccounts:
      break;
  }
  return out;
}

}  // namespace

std::vector<Category> GenesisAllocation::categories() const {
  std::vector<Category> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(r.category);
  return out;
}

Result<GenesisAllocation> parse_genesis(const json& section, uint64_t genesis_s,
                                        uint64_t accounts_btt) {
  if (section.is_null()) {
    return invalid(
        "missing: the tokenomics section allocates the fixed BTT supply and is required");
  }
  if (auto s = json_fields::only_keys(section, "tokenomics",
                                      {"month_seconds", "milestone_authority", "categories"});
      !s)
    return s;
  GenesisAllocation out;
  if (section.contains("month_seconds")) {
    auto v = json_fields::u64(section["month_seconds"], "month_seconds");
    if (!v) return v.status();
    if (*v == 0 || *v > kMaxMonthS) {
      return invalid("month_seconds: " + std::to_string(*v) + " outside 1.." +
                     std::to_string(kMaxMonthS));
    }
    out.month_s = *v;
  }
  if (section.contains("milestone_authority")) {
    auto who = address_field(section, "milestone_authority", "tokenomics");
    if (!who) return who.status();
    out.milestone_authority = *who;
  }
  if (auto s = json_fields::required(section, "categories", "tokenomics"); !s) return s;
  const json& rows = section["categories"];
  if (!rows.is_array()) return invalid("categories: must be an array");
  if (rows.size() > 64) {
    return invalid("categories: " + std::to_string(rows.size()) + " categories, at most 64");
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    auto row = parse_row(rows[i], "categories[" + std::to_string(i) + "]", genesis_s, out.month_s);
    if (!row) return row.status();
    out.rows.push_back(std::move(*row));
  }
  if (auto s = validate_allocation(out.categories(), kFixedSupply, genesis_s); !s) return s;

  // Cross-checks the allocation table alone cannot make.
  size_t accounts_rows = 0;
  size_t milestone_rows = 0;
  size_t emission_rows = 0;
  uint64_t accounts_amount = 0;
  std::map<crypto::Address, uint32_t> schedules_per_account;
  for (const auto& r : out.rows) {
    const Category& c = r.category;
    if (c.kind == Category::kAccounts) {
      ++accounts_rows;
      accounts_amount = c.amount;
    }
    if (c.kind == Category::kMilestones) ++milestone_rows;
    if (c.kind == Category::kEmission) ++emission_rows;
    if (r.beneficiary && ++schedules_per_account[*r.beneficiary] > kMaxSchedulesPerAccount) {
      return invalid("allocation '" + c.id + "': " + r.beneficiary->to_string() +
                     " would be the beneficiary of more than " +
                     std::to_string(kMaxSchedulesPerAccount) + " schedules");
    }
    if (c.kind == Category::kEmission && c.emission->epoch_s > 0 &&
        kYearS % c.emission->epoch_s != 0) {
      // validate_allocation reports it too; kept here so the message names the genesis field.
      return invalid("allocation '" + c.id + "': epoch_seconds must divide a 365-day year");
    }
  }
  if (accounts_rows > 1) return invalid("categories: at most one accounts category");
  if (emission_rows > 1) return invalid("categories: at most one emission category");
  if (accounts_amount != accounts_btt) {
    return invalid("the genesis accounts hold " + std::to_string(accounts_btt) +
                   " BTT units but the accounts category allocates " +
                   std::to_string(accounts_amount) +
                   " (BTT at genesis comes only from this allocation)");
  }
  if (milestone_rows > 0 && !out.milestone_authority) {
    return invalid("milestone_authority: missing (a milestones category needs one)");
  }
  if (milestone_rows == 0 && out.milestone_authority) {
    return invalid("milestone_authority: set but no category is of kind milestones");
  }
  return out;
}

json to_json(const GenesisAllocation& allocation) {
  json j;
  j["month_seconds"] = std::to_string(allocation.month_s);
  if (allocation.milestone_authority) {
    j["milestone_authority"] = allocation.milestone_authority->to_string();
  }
  j["categories"] = json::array();
  for (const auto& r : allocation.rows) {
    const Category& c = r.category;
    json row = {{"id", c.id},
                {"name", c.name},
                {"share_bps", c.share_bps},
                {"amount", std::to_string(c.amount)},
                {"kind", kind_name(c.kind)}};
    switch (c.kind) {
      case Category::kVesting:
        row["beneficiary"] = r.beneficiary ? r.beneficiary->to_string() : "";
        row["cliff_months"] = r.cliff_months;
        row["duration_months"] = r.duration_months;
        break;
      case Category::kMilestones:
        row["beneficiary"] = r.beneficiary ? r.beneficiary->to_string() : "";
        row["duration_months"] = r.duration_months;
        break;
      case Category::kEmission:
        row["epoch_seconds"] = std::to_string(c.emission->epoch_s);
        row["years"] = c.emission->years;
        row["decay_bps"] = c.emission->decay_bps;
        break;
      case Category::kPool:
        row["spender"] = c.governance_controlled ? "governance" : "module";
        break;
      case Category::kAccounts:
        break;
    }
    j["categories"].push_back(std::move(row));
  }
  return j;
}

GenesisAllocation default_genesis(uint64_t genesis_s, const crypto::Address& beneficiary,
                                  const crypto::Address& milestone_authority,
                                  uint64_t accounts_btt) {
  GenesisAllocation out;
  out.milestone_authority = milestone_authority;
  for (Category& c : default_allocation(genesis_s, out.month_s)) {
    GenesisRow row;
    if (c.vesting) {
      row.beneficiary = beneficiary;
      row.cliff_months = c.vesting->cliff_s / out.month_s;
      row.duration_months = c.vesting->duration_s / out.month_s;
    } else if (c.milestones) {
      row.beneficiary = beneficiary;
      row.duration_months = c.milestones->duration_s / out.month_s;
    }
    const bool carve = c.id == "community_incentives" && accounts_btt > 0;
    if (carve && accounts_btt >= c.amount) {
      throw std::invalid_argument(
          "default_genesis: accounts_btt must be below Community Incentives");
    }
    GenesisRow accounts;
    if (carve) {
      // The carved category's share is its amount in whole basis points, rounded down; the
      // community pool keeps the rest, so both stay within a basis point of their shares.
      const auto bps =
          static_cast<uint32_t>(mul_div_floor(accounts_btt, kBpsDenominator, kFixedSupply).value());
      c.amount -= accounts_btt;
      c.share_bps -= bps;
      accounts.category.id = "genesis_accounts";
      accounts.category.name = "Genesis Accounts";
      accounts.category.share_bps = bps;
      accounts.category.amount = accounts_btt;
      accounts.category.kind = Category::kAccounts;
    }
    row.category = std::move(c);
    out.rows.push_back(std::move(row));
    if (carve) out.rows.push_back(std::move(accounts));
  }
  return out;
}

namespace {

v1::CategoryKind to_proto(Category::Kind kind) {
  switch (kind) {
    case Category::kVesting:
      return v1::CATEGORY_KIND_VESTING;
    case Category::kMilestones:
      return v1::CATEGORY_KIND_MILESTONES;
    case Category::kEmission:
      return v1::CATEGORY_KIND_EMISSION;
    case Category::kPool:
      return v1::CATEGORY_KIND_POOL;
    case Category::kAccounts:
      return v1::CATEGORY_KIND_ACCOUNTS;
  }
  return v1::CATEGORY_KIND_UNSPECIFIED;
}

v1::CategoryRecord to_record(const GenesisRow& row) {
  const Category& c = row.category;
  v1::CategoryRecord r;
  r.set_id(c.id);
  r.set_name(c.name);
  r.set_share_bps(c.share_bps);
  r.set_amount(c.amount);
  r.set_kind(to_proto(c.kind));
  r.set_governance_controlled(c.governance_controlled);
  if (row.beneficiary) {
    r.set_holder(row.beneficiary->to_string());
  } else if (c.kind == Category::kEmission || c.kind == Category::kPool) {
    r.set_holder(pool_address(c.id).to_string());
  }
  if (c.vesting) {
    r.mutable_vesting()->set_start_s(c.vesting->start_s);
    r.mutable_vesting()->set_cliff_s(c.vesting->cliff_s);
    r.mutable_vesting()->set_duration_s(c.vesting->duration_s);
  }
  if (c.milestones) {
    r.mutable_milestones()->set_start_s(c.milestones->start_s);
    r.mutable_milestones()->set_duration_s(c.milestones->duration_s);
  }
  if (c.emission) {
    auto* e = r.mutable_emission();
    e->set_start_s(c.emission->start_s);
    e->set_epoch_seconds(c.emission->epoch_s);
    e->set_years(c.emission->years);
    e->set_decay_bps(c.emission->decay_bps);
    e->set_year_seconds(c.emission->year_s);
  }
  return r;
}

}  // namespace

namespace {

// The exported form: a section holding "state" and nothing else.
bool is_state_form(const json& section) {
  return section.is_object() && section.contains("state");
}

Result<v1::TokenomicsGenesisState> parse_state(const json& section,
                                               const ledger::GenesisInfo& info) {
  if (auto s = json_fields::only_keys(section, "tokenomics", {"state"}); !s) return s;
  v1::TokenomicsGenesisState st;
  if (auto s = ledger::json_to_proto(section["state"], st); !s) {
    return invalid("state: " + s.message());
  }
  const v1::TokenomicsParams& p = st.params();
  if (p.fixed_supply() != kFixedSupply) {
    return invalid("state.params.fixed_supply: " + std::to_string(p.fixed_supply()) +
                   ", the fixed supply is " + std::to_string(kFixedSupply));
  }
  if (p.month_s() == 0 || p.month_s() > kMaxMonthS) {
    return invalid("state.params.month_s: " + std::to_string(p.month_s()) + " outside 1.." +
                   std::to_string(kMaxMonthS));
  }
  if (p.mining_escrow() != mining_escrow_address().to_string()) {
    return invalid("state.params.mining_escrow: must be " + mining_escrow_address().to_string());
  }
  if (st.categories_size() != p.categories_size()) {
    return invalid("state.categories: " + std::to_string(st.categories_size()) +
                   " records for the " + std::to_string(p.categories_size()) +
                   " ids of params.categories");
  }
  std::map<std::string, v1::CategoryKind> kinds;
  uint64_t allocated = 0;
  for (int i = 0; i < st.categories_size(); ++i) {
    const auto& c = st.categories(i);
    const std::string where = "state.categories[" + std::to_string(i) + "]";
    if (c.id() != p.categories(i)) {
      return invalid(where + ": id '" + excerpt(c.id()) + "' where params.categories has '" +
                     excerpt(p.categories(i)) + "'");
    }
    if (!is_valid_id(c.id())) return invalid(where + ": '" + excerpt(c.id()) + "' is not an id");
    if (c.kind() == v1::CATEGORY_KIND_UNSPECIFIED || !v1::CategoryKind_IsValid(c.kind())) {
      return invalid(where + ": no kind");
    }
    if (!c.holder().empty() && !crypto::Address::parse(c.holder())) {
      return invalid(where + ".holder: not a btt address");
    }
    if (!kinds.emplace(c.id(), c.kind()).second) {
      return invalid(where + ": category '" + c.id() + "' twice");
    }
    auto sum = checked_add(allocated, c.amount());
    if (!sum) return invalid(where + ".amount: the allocation overflows");
    allocated = *sum;
  }
  if (allocated != kFixedSupply) {
    return invalid("state.categories: allocate " + std::to_string(allocated) +
                   " units, the fixed supply is " + std::to_string(kFixedSupply));
  }
  std::set<std::pair<std::string, std::string>> milestones;
  for (int i = 0; i < st.milestones_size(); ++i) {
    const auto& m = st.milestones(i);
    const std::string where = "state.milestones[" + std::to_string(i) + "]";
    auto kind = kinds.find(m.category());
    if (kind == kinds.end() || kind->second != v1::CATEGORY_KIND_MILESTONES) {
      return invalid(where + ": '" + excerpt(m.category()) + "' is not a milestones category");
    }
    if (m.milestone().empty() || !milestones.emplace(m.category(), m.milestone()).second) {
      return invalid(where + ": empty or repeated milestone name");
    }
  }
  std::set<crypto::Address> locked;
  for (int i = 0; i < st.locks_size(); ++i) {
    const auto& l = st.locks(i);
    const std::string where = "state.locks[" + std::to_string(i) + "]";
    auto addr = crypto::Address::parse(l.address());
    if (!addr) return invalid(where + ".address: not a btt address");
    if (!locked.insert(*addr).second) return invalid(where + ": " + l.address() + " twice");
    if (l.locks().categories_size() > static_cast<int>(kMaxSchedulesPerAccount)) {
      return invalid(where + ": more than " + std::to_string(kMaxSchedulesPerAccount) +
                     " categories");
    }
    for (const auto& id : l.locks().categories()) {
      if (!kinds.count(id)) return invalid(where + ": no category '" + excerpt(id) + "'");
    }
  }
  std::set<std::string> sources;
  uint64_t burned = 0;
  for (int i = 0; i < st.burns_size(); ++i) {
    const auto& b = st.burns(i);
    const std::string where = "state.burns[" + std::to_string(i) + "]";
    if (!is_valid_id(b.source()) || !sources.insert(b.source()).second) {
      return invalid(where + ": '" + excerpt(b.source()) + "' is not a new burn source");
    }
    auto sum = checked_add(burned, b.amount());
    if (b.amount() == 0 || !sum) return invalid(where + ".amount: zero or overflowing");
    burned = *sum;
  }
  // What was burned and what the accounts hold make up the fixed supply (the module invariant).
  const auto total = checked_add(info.account_total(ledger::kNativeAsset), burned);
  if (!total || *total != kFixedSupply) {
    return invalid("the accounts hold " + std::to_string(info.account_total(ledger::kNativeAsset)) +
                   " BTT units and " + std::to_string(burned) +
                   " were burned: together they must be the fixed supply " +
                   std::to_string(kFixedSupply));
  }
  return st;
}

Status init_state(const v1::TokenomicsGenesisState& st, TokenomicsKeeper& keeper) {
  keeper.set_params(st.params());
  for (const auto& c : st.categories()) keeper.put_category(c);
  keeper.set_emission_state(st.emission());
  for (const auto& m : st.milestones()) keeper.put_milestone(m);
  for (const auto& l : st.locks())
    keeper.put_locks(*crypto::Address::parse(l.address()), l.locks());
  uint64_t burned = 0;
  for (const auto& b : st.burns()) {
    keeper.set_burned(b.source(), b.amount());
    burned += b.amount();  // parse_state checked the sum
  }
  if (burned > 0) keeper.set_burned_total(burned);
  return Status::ok();
}

}  // namespace

Status TokenomicsModule::validate_genesis(const nlohmann::json& section,
                                          const ledger::GenesisInfo& info) const {
  if (is_state_form(section)) return parse_state(section, info).status();
  return parse_genesis(section, info.genesis_time_ms / 1000,
                       info.account_total(ledger::kNativeAsset))
      .status();
}

Status TokenomicsModule::init_genesis(const nlohmann::json& section,
                                      const ledger::GenesisInfo& info, ledger::BlockContext& ctx) {
  TokenomicsKeeper keeper(ctx.state, ctx.events, ctx.locks);
  if (is_state_form(section)) {
    auto st = parse_state(section, info);
    if (!st) return st.status();
    return init_state(*st, keeper);
  }
  auto parsed =
      parse_genesis(section, info.genesis_time_ms / 1000, info.account_total(ledger::kNativeAsset));
  if (!parsed) return parsed.status();
  auto l = ctx.ledger();
  v1::TokenomicsParams params;
  params.set_fixed_supply(kFixedSupply);
  params.set_month_s(parsed->month_s);
  params.set_mining_escrow(mining_escrow_address().to_string());
  // The allocation names who approves milestones; the roles registry holds that authority.
  if (parsed->milestone_authority) {
    roles::grant_at_genesis(ctx.state, ctx.events, roles::kMilestoneAuthority,
                            *parsed->milestone_authority);
  }
  std::map<crypto::Address, v1::AccountLocks> locks;
  for (const auto& row : parsed->rows) {
    const Category& c = row.category;
    params.add_categories(c.id);
    keeper.put_category(to_record(row));
    if (c.kind == Category::kAccounts) continue;  // credited from the accounts list already
    const crypto::Address holder = row.beneficiary ? *row.beneficiary : pool_address(c.id);
    if (auto s = l.credit(holder, ledger::kNativeAsset, c.amount); !s) return s;
    auto supply = checked_add(l.supply(ledger::kNativeAsset), c.amount);
    if (!supply) return {Code::kBalanceOverflow, "BTT supply overflows at '" + c.id + "'"};
    l.set_supply(ledger::kNativeAsset, *supply);
    if (row.beneficiary) locks[*row.beneficiary].add_categories(c.id);
  }
  for (const auto& [addr, set] : locks) keeper.put_locks(addr, set);
  keeper.set_params(params);
  keeper.set_emission_state(v1::EmissionState{});
  if (l.supply(ledger::kNativeAsset) != kFixedSupply) {
    return {Code::kInvalidArgument, "BTT supply after genesis is " +
                                        std::to_string(l.supply(ledger::kNativeAsset)) +
                                        ", not the fixed supply " + std::to_string(kFixedSupply)};
  }
  return Status::ok();
}

Result<nlohmann::json> TokenomicsModule::export_genesis(const ledger::StateReader& state) const {
  const TokenomicsView view(state);
  auto params = view.params();
  if (!params) return Status(Code::kInternal, "tokenomics: the state has no params");
  v1::TokenomicsGenesisState st;
  *st.mutable_params() = *params;
  for (auto& c : view.categories()) {
    for (auto& m : view.milestones(c.id())) *st.add_milestones() = std::move(m);
    *st.add_categories() = std::move(c);
  }
  *st.mutable_emission() = view.emission_state();
  for (auto& [addr, locks] : view.all_locks()) {
    auto* entry = st.add_locks();
    entry->set_address(addr.to_string());
    *entry->mutable_locks() = std::move(locks);
  }
  for (auto& b : view.burned_by_source()) *st.add_burns() = std::move(b);
  auto j = ledger::proto_to_json(st);
  if (!j) return j.status();
  return nlohmann::json{{"state", std::move(*j)}};
}

}  // namespace btt::modules::tokenomics

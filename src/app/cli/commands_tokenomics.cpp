// btt-cli tokenomics ...: burn, approve-milestone, supply, allocations, vesting, emission
// (doc/tokenomics.md); each is also a top-level command.
#include "app/cli/commands.h"
#include "btt/chain/genesis.h"

namespace btt::cli {

namespace {

struct AtOptions {
  std::string at;  // RFC 3339 or unix seconds; empty: now
};

struct VestingOptions {
  std::string address;
  AtOptions at;
};

struct ApproveMilestoneOptions {
  std::string category = "foundation";
  std::string milestone;
  std::string amount;
};

struct EmissionOptions {
  uint64_t from = 0;
  uint32_t limit = 0;
};

// --at: "2027-07-01T00:00:00Z" or unix seconds; 0 (now) when absent.
uint64_t parse_at(const std::string& text) {
  if (text.empty()) return 0;
  if (is_all_digits(text)) {
    const uint64_t s = parse_u64(text, "--at");
    if (s == 0 || s > UINT64_MAX / 1000) throw UsageError("--at " + text + " is out of range");
    return s * 1000;
  }
  auto ms = chain::parse_rfc3339_ms(text);
  if (!ms || *ms == 0) {
    throw UsageError("--at must be RFC 3339 UTC (2027-07-01T00:00:00Z) or unix seconds, got '" +
                     text + "'");
  }
  return *ms;
}

std::string kind_of(v1::CategoryKind k) {
  std::string name = v1::CategoryKind_Name(k);  // CATEGORY_KIND_VESTING
  name = name.substr(name.rfind('_') + 1);
  for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

std::string btt(uint64_t units) {
  return format_amount(kBttAsset, units);
}

// One allocation as indented lines under its id.
void add_allocation(Fields& f, const v1::AllocationState& a) {
  f.item(a.id() + " (" + a.name() + ", " + kind_of(a.kind()) + ", " +
         std::to_string(a.share_bps()) + " bps)");
  f.item("  total " + btt(a.total()));
  f.item("  released " + btt(a.released()) + ", locked " + btt(a.locked()));
  if (!a.holder().empty()) f.item("  held by " + a.holder());
  if (a.cliff_ms() != 0) f.item("  cliff " + format_time_ms(a.cliff_ms()));
  if (a.end_ms() != 0) f.item("  fully released " + format_time_ms(a.end_ms()));
  if (a.next_release_ms() != 0) f.item("  next release " + format_time_ms(a.next_release_ms()));
  if (a.kind() == v1::CATEGORY_KIND_MILESTONES) {
    f.item("  approved " + btt(a.approved()) + ", ceiling now " + btt(a.ceiling()));
    for (const auto& m : a.milestones()) {
      f.item("  milestone \"" + m.milestone() + "\" " + btt(m.amount()) + " at height " +
             std::to_string(m.height()));
    }
  }
  if (a.kind() == v1::CATEGORY_KIND_POOL) {
    f.item(std::string("  spent by ") + (a.governance_controlled() ? "governance" : "its module"));
  }
}

int run_supply(Context& ctx) {
  const auto s = ctx.client().get_supply_breakdown();
  const auto out = ctx.out();
  if (out.json()) {
    out.document(proto_json(s));
    return kExitOk;
  }
  Fields f;
  f.add("height", s.height())
      .add("time", format_time_ms(s.time_ms()))
      .add("fixed supply", btt(s.fixed_supply()))
      .add("total supply", btt(s.total_supply()))
      .add("circulating", btt(s.circulating()))
      .add("locked", btt(s.locked()));
  for (const auto& c : s.locked_by_category()) f.item(c.id() + " " + btt(c.amount()));
  f.add("pools", btt(s.pools()));
  for (const auto& p : s.pool_balances()) {
    f.item(p.name() + " " + btt(p.balance()) + " at " + p.address());
  }
  f.add("burned", btt(s.burned()));
  for (const auto& b : s.burned_by_source()) f.item(b.source() + " " + btt(b.amount()));
  out.fields(f);
  return kExitOk;
}

int run_allocations(Context& ctx, const AtOptions& o) {
  const auto a = ctx.client().get_allocations(parse_at(o.at));
  const auto out = ctx.out();
  if (out.json()) {
    out.document(proto_json(a));
    return kExitOk;
  }
  Fields f;
  f.add("height", a.height())
      .add("at", format_time_ms(a.at_time_ms()) + (a.projected() ? " (projected)" : " (now)"));
  f.add("categories", static_cast<uint64_t>(a.categories_size()));
  for (const auto& c : a.categories()) add_allocation(f, c);
  out.fields(f);
  return kExitOk;
}

int run_vesting(Context& ctx, const VestingOptions& o) {
  const auto v = ctx.client().get_vesting(parse_address(o.address, "ADDRESS"), parse_at(o.at.at));
  const auto out = ctx.out();
  if (out.json()) {
    out.document(proto_json(v));
    return kExitOk;
  }
  Fields f;
  f.add("address", v.address())
      .add("height", v.height())
      .add("at", format_time_ms(v.at_time_ms()) + (v.projected() ? " (projected)" : " (now)"))
      .add("balance", btt(v.balance()))
      .add("locked", btt(v.locked()))
      .add("spendable", btt(v.spendable()));
  f.add("schedules", static_cast<uint64_t>(v.schedules_size()));
  for (const auto& s : v.schedules()) add_allocation(f, s);
  out.fields(f);
  return kExitOk;
}

int run_emission(Context& ctx, const EmissionOptions& o) {
  const auto e = ctx.client().get_emission(o.from, o.limit);
  const auto out = ctx.out();
  if (out.json()) {
    out.document(proto_json(e));
    return kExitOk;
  }
  Fields f;
  f.add("height", e.height())
      .add("total", btt(e.total()))
      .add("start", format_time_ms(e.start_ms()))
      .add("epoch length", std::to_string(e.epoch_seconds()) + " s")
      .add("epochs", std::to_string(e.total_epochs()) + " over " + std::to_string(e.years()) +
                         " years, each year " + std::to_string(e.decay_bps()) +
                         " bps of the one before")
      .add("paid", btt(e.paid()) + " (" + std::to_string(e.epochs_paid()) + " epochs)")
      .add("pool", btt(e.pool_balance()))
      .add("escrow", btt(e.escrow_balance()) + " at " + e.escrow());
  f.add("by year", static_cast<uint64_t>(e.by_year_size()));
  for (const auto& y : e.by_year()) {
    f.item("year " + std::to_string(y.year()) + " from " + format_time_ms(y.start_ms()) +
           ": budget " + btt(y.budget()) + ", " + std::to_string(y.epochs()) + " epochs of " +
           btt(y.epoch_amount()) + " (last " + btt(y.last_epoch_amount()) + "), paid " +
           btt(y.paid()));
  }
  if (e.epochs_size() > 0) {
    f.add("epochs listed", static_cast<uint64_t>(e.epochs_size()));
    for (const auto& x : e.epochs()) {
      f.item("epoch " + std::to_string(x.epoch()) + " " + format_time_ms(x.start_ms()) + " " +
             btt(x.amount()) + (x.paid() ? " paid" : ""));
    }
  }
  out.fields(f);
  return kExitOk;
}

void register_tokenomics(Commands& cmds) {
  auto* tk = cmds.group("tokenomics",
                        "Supply, allocations, vesting, emission, burns, milestones "
                        "(doc/tokenomics.md)");
  cmds.add_tx(
      tk, "burn", "Destroy spendable BTT for good (the supply shrinks)", {"burn"},
      [](CLI::App* sub, const CommonTxOptions&) -> BuildMessages {
        auto amount = std::make_shared<std::string>();
        sub->add_option("--amount", *amount, "Amount in base units (1 BTT = 100000000)")
            ->required();
        return [amount] {
          v1::Message m;
          m.mutable_burn()->set_amount(parse_amount(*amount, "--amount"));
          return std::vector<v1::Message>{m};
        };
      },
      Alias::kTopLevel);
  cmds.add_tx(
      tk, "approve-milestone",
      "Approve a Foundation milestone (the milestone authority's key only)", {"approve_milestone"},
      [](CLI::App* sub, const CommonTxOptions&) -> BuildMessages {
        auto o = std::make_shared<ApproveMilestoneOptions>();
        sub->add_option("--category", o->category, "Milestones category id")->capture_default_str();
        sub->add_option("--milestone", o->milestone, "Milestone name, unique in the category")
            ->required();
        sub->add_option("--amount", o->amount, "Amount in base units it releases")->required();
        return [o] {
          if (o->milestone.empty()) throw UsageError("--milestone must not be empty");
          v1::Message m;
          auto* a = m.mutable_approve_milestone();
          a->set_category(o->category);
          a->set_milestone(o->milestone);
          a->set_amount(parse_amount(o->amount, "--amount"));
          return std::vector<v1::Message>{m};
        };
      },
      Alias::kTopLevel);
  cmds.add(
      tk, "supply", "Supply breakdown: total, circulating, locked per category, pools, burned",
      CommandKind::kQuery,
      [&cmds](CLI::App*) -> Action { return [&cmds] { return run_supply(cmds.ctx()); }; },
      Alias::kTopLevel);
  cmds.add(
      tk, "allocations", "Every genesis allocation category: total, released, locked, next release",
      CommandKind::kQuery,
      [&cmds](CLI::App* sub) -> Action {
        auto o = std::make_shared<AtOptions>();
        sub->add_option("--at", o->at, "Project to this time: RFC 3339 UTC or unix seconds");
        return [&cmds, o] { return run_allocations(cmds.ctx(), *o); };
      },
      Alias::kTopLevel);
  cmds.add(
      tk, "vesting", "An account's vesting schedules and locked BTT", CommandKind::kQuery,
      [&cmds](CLI::App* sub) -> Action {
        auto o = std::make_shared<VestingOptions>();
        sub->add_option("address", o->address, "Beneficiary address (btt1...)")->required();
        sub->add_option("--at", o->at.at, "Project to this time: RFC 3339 UTC or unix seconds");
        return [&cmds, o] { return run_vesting(cmds.ctx(), *o); };
      },
      Alias::kTopLevel);
  cmds.add(
      tk, "emission", "The mining emission schedule, by year and epoch", CommandKind::kQuery,
      [&cmds](CLI::App* sub) -> Action {
        auto o = std::make_shared<EmissionOptions>();
        sub->add_option("--from", o->from, "First epoch to list")->capture_default_str();
        sub->add_option("--limit", o->limit, "Epochs to list (at most 1000)")
            ->check(CLI::Range(0u, 1000u))
            ->capture_default_str();
        return [&cmds, o] { return run_emission(cmds.ctx(), *o); };
      },
      Alias::kTopLevel);
}

const CommandFile kTokenomics{40, &register_tokenomics};

}  // namespace

}  // namespace btt::cli

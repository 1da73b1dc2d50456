// Tokenomics module: genesis allocation, vesting locks, milestone approvals, the mining emission
// and burns (doc/tokenomics.md).
#include <algorithm>
#include <map>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "btt/common/checked.h"
#include "btt/ledger/ledger.h"
#include "btt/modules/tokenomics/events.h"
#include "btt/modules/tokenomics/genesis.h"
#include "btt/modules/tokenomics/tokenomics.h"
#include "btt/modules/tokenomics/view.h"

namespace btt::modules::tokenomics {
namespace {

using ledger::MsgContext;

constexpr size_t kMaxMilestoneName = 64;

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

void put(ledger::Overlay& state, const Bytes& key, const google::protobuf::Message& m) {
  state.put(key, m.SerializeAsString());
}

// Milestone names: printable ASCII, no leading or trailing space.
bool valid_milestone_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxMilestoneName) return false;
  if (name.front() == ' ' || name.back() == ' ') return false;
  return std::all_of(name.begin(), name.end(), [](char c) { return c >= 0x20 && c <= 0x7e; });
}

class VestingLocks final : public ledger::LockProvider {
 public:
  uint64_t locked(const ledger::StateReader& state, const crypto::Address& addr,
                  std::string_view asset, uint64_t time_ms) const override {
    if (asset != ledger::kNativeAsset) return 0;
    return TokenomicsView(state).locked(addr, time_ms);
  }
};

class BurnHandler final : public ledger::Handler<v1::MsgBurn> {
 protected:
  Status check(const v1::MsgBurn& m, const v1::LedgerParams&) const override {
    if (m.amount() == 0) return {Code::kInvalidAmount, "burn: amount must be positive"};
    return Status::ok();
  }
  Status preclaim(const v1::MsgBurn& m, const ledger::ReadContext& ctx) const override {
    return ledger::require_spendable(ctx.ledger(), ctx.sender, ledger::kNativeAsset, m.amount(),
                                     ctx.block.time_ms);
  }
  Status apply(const v1::MsgBurn& m, MsgContext& ctx) const override {
    const uint64_t amount = m.amount();
    if (auto s = burn(ctx.state, ctx.events, ctx.locks, ctx.sender, amount, kHolderBurnSource,
                      ctx.block.time_ms);
        !s)
      return s;
    ctx.events.emit(events::kBurn)
        .attr("from", crypto::Address::canonical(ctx.body.sender()))
        .attr("amount", amount)
        .attr("source", std::string(kHolderBurnSource));
    return Status::ok();
  }
};

class ApproveMilestoneHandler final : public ledger::Handler<v1::MsgApproveMilestone> {
 protected:
  Status check(const v1::MsgApproveMilestone& m, const v1::LedgerParams&) const override {
    if (!is_valid_id(m.category())) {
      return {Code::kInvalidArgument, "approve_milestone: category '" + excerpt(m.category()) +
                                          "' must be 2..32 characters of [a-z_]"};
    }
    if (!valid_milestone_name(m.milestone())) {
      return {Code::kInvalidArgument, "approve_milestone: milestone '" + excerpt(m.milestone()) +
                                          "' must be 1..64 printable ASCII characters without "
                                          "leading or trailing spaces"};
    }
    if (m.amount() == 0) {
      return {Code::kInvalidAmount, "approve_milestone: amount must be positive"};
    }
    return Status::ok();
  }
  Status preclaim(const v1::MsgApproveMilestone& m, const ledger::ReadContext& ctx) const override {
    TokenomicsView view(ctx.state);
    auto params = view.params();
    if (!params) return {Code::kUnknownRecord, "this chain has no tokenomics state"};
    if (params->milestone_authority().empty() ||
        crypto::Address::canonical(ctx.body.sender()) != params->milestone_authority()) {
      return {Code::kUnauthorized,
              ctx.sender.to_string() + " is not the milestone authority; only " +
                  (params->milestone_authority().empty() ? std::string("nobody")
                                                         : params->milestone_authority()) +
                  " approves milestones"};
    }
    auto c = view.category(m.category());
    if (!c || c->kind() != v1::CATEGORY_KIND_MILESTONES) {
      return {Code::kUnknownRecord, "no milestones category '" + m.category() + "'"};
    }
    if (view.milestone(m.category(), m.milestone())) {
      return {Code::kAlreadyExists,
              "milestone '" + m.milestone() + "' of '" + m.category() + "' is approved already"};
    }
    if (c->milestones().milestone_count() >= kMaxMilestones) {
      return {Code::kLimitExceeded, "'" + m.category() + "' has " + std::to_string(kMaxMilestones) +
                                        " milestones, the most a category may have"};
    }
    const uint64_t approved = c->milestones().approved();
    const uint64_t room = c->amount() - approved;
    if (m.amount() > room) {
      return {Code::kLimitExceeded, "'" + m.category() + "' has " + std::to_string(room) +
                                        " units left to approve of " + std::to_string(c->amount()) +
                                        ", milestone asks " + std::to_string(m.amount())};
    }
    return Status::ok();
  }
  Status apply(const v1::MsgApproveMilestone& m, MsgContext& ctx) const override {
    TokenomicsView view(ctx.state);
    auto c = view.category(m.category());
    if (!c) return {Code::kUnknownRecord, "no milestones category '" + m.category() + "'"};
    auto* terms = c->mutable_milestones();
    terms->set_approved(terms->approved() + m.amount());  // preclaim: <= amount
    terms->set_milestone_count(terms->milestone_count() + 1);
    put(ctx.state, category_key(c->id()), *c);

    v1::MilestoneRecord rec;
    rec.set_category(m.category());
    rec.set_milestone(m.milestone());
    rec.set_amount(m.amount());
    rec.set_height(ctx.block.height);
    rec.set_time_ms(ctx.block.time_ms);
    put(ctx.state, milestone_key(m.category(), m.milestone()), rec);

    const uint64_t released =
        milestones_of(*c).released(terms->approved(), ctx.block.time_ms / 1000);
    ctx.events.emit(events::kMilestoneApproved)
        .attr("category", m.category())
        .attr("milestone", m.milestone())
        .attr("amount", m.amount())
        .attr("approved", terms->approved())
        .attr("released", released);
    return Status::ok();
  }
};

class TokenomicsModule final : public ledger::Module {
 public:
  std::string_view name() const override { return kModuleName; }
  uint32_t codespace() const override { return kCodespace; }
  std::vector<const ledger::MsgHandler*> handlers() const override { return {&burn_, &approve_}; }
  Result<nlohmann::json> export_genesis(const ledger::StateReader&) const override {
    return Status(Code::kInternal, "tokenomics: genesis export is not built yet");
  }
  const ledger::LockProvider* lock_provider() const override { return &locks_; }

  Status validate_genesis(const nlohmann::json& section,
                          const ledger::GenesisInfo& info) const override {
    auto parsed = parse_genesis(section, info.genesis_time_ms / 1000,
                                info.account_total(ledger::kNativeAsset));
    return parsed ? Status::ok() : parsed.status();
  }

  Status init_genesis(const nlohmann::json& section, const ledger::GenesisInfo& info,
                      ledger::BlockContext& ctx) override {
    auto parsed = parse_genesis(section, info.genesis_time_ms / 1000,
                                info.account_total(ledger::kNativeAsset));
    if (!parsed) return parsed.status();
    auto l = ctx.ledger();
    v1::TokenomicsParams params;
    params.set_fixed_supply(kFixedSupply);
    params.set_month_s(parsed->month_s);
    if (parsed->milestone_authority) {
      params.set_milestone_authority(parsed->milestone_authority->to_string());
    }
    params.set_mining_escrow(mining_escrow_address().to_string());
    std::map<crypto::Address, v1::AccountLocks> locks;
    for (const auto& row : parsed->rows) {
      const Category& c = row.category;
      params.add_categories(c.id);
      put(ctx.state, category_key(c.id), to_record(row));
      if (c.kind == Category::kAccounts) continue;  // credited from the accounts list already
      const crypto::Address holder = row.beneficiary ? *row.beneficiary : pool_address(c.id);
      if (auto s = l.credit(holder, ledger::kNativeAsset, c.amount); !s) return s;
      auto supply = checked_add(l.supply(ledger::kNativeAsset), c.amount);
      if (!supply) return {Code::kBalanceOverflow, "BTT supply overflows at '" + c.id + "'"};
      l.set_supply(ledger::kNativeAsset, *supply);
      if (row.beneficiary) locks[*row.beneficiary].add_categories(c.id);
    }
    for (const auto& [addr, set] : locks) put(ctx.state, lock_key(addr), set);
    put(ctx.state, params_key(), params);
    put(ctx.state, emission_key(), v1::EmissionState{});
    if (l.supply(ledger::kNativeAsset) != kFixedSupply) {
      return {Code::kInvalidArgument, "BTT supply after genesis is " +
                                          std::to_string(l.supply(ledger::kNativeAsset)) +
                                          ", not the fixed supply " + std::to_string(kFixedSupply)};
    }
    return Status::ok();
  }

  // Pays every epoch that has started since the last block from the mining pool to the escrow:
  // a stalled chain catches up in one payment, and nothing is paid after the last epoch.
  void end_block(ledger::BlockContext& ctx) override {
    TokenomicsView view(ctx.state);
    for (const auto& c : view.categories()) {
      if (c.kind() != v1::CATEGORY_KIND_EMISSION) continue;
      const EmissionCurve curve = emission_of(c);
      v1::EmissionState state = view.emission_state();
      const uint64_t due = epochs_due(curve, ctx.block.time_ms / 1000);
      if (due <= state.epochs_paid()) return;
      const uint64_t through = curve.emitted_through(due - 1);
      const uint64_t amount = through - state.paid();
      auto l = ctx.ledger();
      const crypto::Address pool = pool_address(c.id());
      // The pool always holds what is left to pay (an invariant); a debit failure would mean the
      // state is corrupt, and paying less than the curve says is never right.
      if (!l.debit(pool, ledger::kNativeAsset, amount) ||
          !l.credit(mining_escrow_address(), ledger::kNativeAsset, amount)) {
        throw std::logic_error("tokenomics: mining pool cannot pay epochs up to " +
                               std::to_string(due));
      }
      ctx.events.emit(events::kEmission)
          .attr("first_epoch", state.epochs_paid())
          .attr("last_epoch", due - 1)
          .attr("amount", amount)
          .attr("escrow", mining_escrow_address().to_string());
      state.set_epochs_paid(due);
      state.set_paid(through);
      put(ctx.state, emission_key(), state);
      return;
    }
  }

  std::vector<std::string> check_invariants(const ledger::StateReader& state) const override {
    std::vector<std::string> out;
    TokenomicsView view(state);
    auto params = view.params();
    if (!params) return out;  // a chain without tokenomics state (never from a valid genesis)
    ledger::Ledger l(state);
    const uint64_t burned = view.burned();
    const uint64_t supply = l.supply(ledger::kNativeAsset);
    if (checked_add(supply, burned) != params->fixed_supply()) {
      out.push_back("tokenomics: BTT supply " + std::to_string(supply) + " + burned " +
                    std::to_string(burned) + " != fixed supply " +
                    std::to_string(params->fixed_supply()));
    }
    auto balances = l.sum_balances(ledger::kNativeAsset);
    if (!balances || checked_add(*balances, burned) != params->fixed_supply()) {
      out.push_back(
          "tokenomics: BTT balances (pools and escrows included) + burned != fixed "
          "supply " +
          std::to_string(params->fixed_supply()));
    }
    uint64_t by_source = 0;
    for (const auto& b : view.burned_by_source()) {
      by_source = checked_add(by_source, b.amount()).value_or(UINT64_MAX);
    }
    if (by_source != burned) {
      out.push_back("tokenomics: burns by source sum to " + std::to_string(by_source) +
                    ", burned total is " + std::to_string(burned));
    }
    for (const auto& c : view.categories()) {
      if (c.kind() == v1::CATEGORY_KIND_EMISSION) {
        const EmissionCurve curve = emission_of(c);
        const v1::EmissionState e = view.emission_state();
        const uint64_t expected =
            e.epochs_paid() == 0 ? 0 : curve.emitted_through(e.epochs_paid() - 1);
        if (e.paid() != expected || e.paid() > c.amount()) {
          out.push_back("tokenomics: emission paid " + std::to_string(e.paid()) + " for " +
                        std::to_string(e.epochs_paid()) + " epochs, the curve says " +
                        std::to_string(expected));
        }
        if (l.balance(pool_address(c.id()), ledger::kNativeAsset) < c.amount() - e.paid()) {
          out.push_back("tokenomics: mining pool holds less than the emission left to pay");
        }
      }
      if (c.kind() == v1::CATEGORY_KIND_MILESTONES) {
        uint64_t sum = 0;
        uint32_t count = 0;
        for (const auto& m : view.milestones(c.id())) {
          sum = checked_add(sum, m.amount()).value_or(UINT64_MAX);
          ++count;
        }
        if (sum != c.milestones().approved() || count != c.milestones().milestone_count() ||
            sum > c.amount()) {
          out.push_back("tokenomics: milestones of '" + c.id() + "' sum to " + std::to_string(sum) +
                        " over " + std::to_string(count) + ", the category records " +
                        std::to_string(c.milestones().approved()));
        }
      }
    }
    return out;
  }

 private:
  BurnHandler burn_;
  ApproveMilestoneHandler approve_;
  VestingLocks locks_;
};

}  // namespace

crypto::Address pool_address(std::string_view category_id) {
  return crypto::Address::for_module(std::string("tokenomics/").append(category_id));
}

crypto::Address mining_escrow_address() {
  return crypto::Address::for_module(kMiningEscrowModule);
}

namespace {
// The chain's emission category (genesis allows one).
std::optional<EmissionCurve> mining_curve(const TokenomicsView& view) {
  for (const auto& c : view.categories()) {
    if (c.kind() == v1::CATEGORY_KIND_EMISSION) return emission_of(c);
  }
  return std::nullopt;
}
}  // namespace

std::optional<uint64_t> mining_epoch_at(const ledger::StateReader& state, uint64_t time_ms) {
  auto curve = mining_curve(TokenomicsView(state));
  const uint64_t t_s = time_ms / 1000;
  if (!curve || t_s < curve->start_s) return std::nullopt;
  return curve->epoch_at(t_s).value_or(curve->total_epochs());
}

uint64_t mining_distributable(const ledger::StateReader& state, uint64_t epoch) {
  TokenomicsView view(state);
  auto curve = mining_curve(view);
  if (!curve) return 0;
  const uint64_t balance =
      ledger::Ledger(state).balance(mining_escrow_address(), ledger::kNativeAsset);
  const uint64_t paid = view.emission_state().paid();
  const uint64_t later = paid - std::min(paid, curve->emitted_through(epoch));
  return balance - std::min(balance, later);
}

std::unique_ptr<ledger::Module> make_tokenomics_module() {
  return std::make_unique<TokenomicsModule>();
}

Status burn(ledger::Overlay& state, ledger::Events& events, const ledger::LockProviders* locks,
            const crypto::Address& from, uint64_t amount, std::string_view source,
            uint64_t time_ms) {
  if (amount == 0) return {Code::kInvalidAmount, "burn: amount must be positive"};
  if (!is_valid_id(source)) {
    return {Code::kInvalidArgument,
            "burn: source '" + excerpt(source) + "' must be 2..32 characters of [a-z_]"};
  }
  ledger::Ledger l(state, events, locks);
  if (auto s = ledger::require_spendable(l, from, ledger::kNativeAsset, amount, time_ms); !s)
    return s;
  // balance >= amount and supply >= every balance (the bank invariant): no underflow below.
  if (auto s = l.debit(from, ledger::kNativeAsset, amount); !s) return s;
  l.set_supply(ledger::kNativeAsset, l.supply(ledger::kNativeAsset) - amount);
  TokenomicsView view(state);
  const uint64_t burned = view.burned() + amount;  // <= fixed supply
  state.put(burn_key(source), u64_be(ledger::read_u64(state, burn_key(source)) + amount));
  state.put(burned_key(), u64_be(burned));
  return Status::ok();
}

}  // namespace btt::modules::tokenomics

// PayFi genesis (doc/payfi.md "Genesis"), in two forms. A new chain's section is
// {"params": PayFiParams} in protobuf JSON (fields left out take their defaults). A running
// chain's export is {"state": PayFiGenesisState}: every record under "pay/", checked against
// the pending and holds accounts of the file. Absent: PayFi is off.
#include <map>

#include <nlohmann/json.hpp>

#include "btt/ledger/genesis_section.h"
#include "btt/ledger/proto_json.h"
#include "btt/modules/payfi/errors.h"
#include "btt/modules/payfi/view.h"
#include "keeper.h"
#include "keys.h"
#include "module.h"

namespace btt::modules::payfi {
namespace {

Status bad(const std::string& what) {
  return {errors::kBadGenesis, "payfi: " + what};
}

Result<v1::PayFiParams> parse_params(const nlohmann::json& section) {
  return ledger::parse_params_section(section, default_params(), validate_params, bad);
}

bool addr_ok(const std::string& a) {
  return crypto::Address::parse(a).has_value();
}

Result<v1::PayFiGenesisState> parse_state(const nlohmann::json& section,
                                          const ledger::GenesisInfo& info) {
  v1::PayFiGenesisState st;
  if (auto s = ledger::parse_state_section(section, st, bad); !s) return s;
  if (auto s = validate_params(st.params()); !s) return s;
  for (const auto& a : st.assets()) {
    if (!ledger::is_valid_asset_name(a.asset()) || !addr_ok(a.gateway())) {
      return bad("payment asset '" + excerpt(a.asset()) + "' has a bad name or gateway");
    }
  }
  for (const auto& f : st.freezes()) {
    if (!addr_ok(f.account())) return bad("a freeze's account is not an address");
  }
  for (const auto& p : st.payees()) {
    if (!addr_ok(p.payee()) || !addr_ok(p.settlement_account())) {
      return bad("a payee or its settlement account is not an address");
    }
  }
  for (const auto& i : st.invoices()) {
    if (i.id() == 0 || i.id() >= std::max<uint64_t>(1, st.next_invoice_id()) ||
        !addr_ok(i.payee())) {
      return bad("invoice " + std::to_string(i.id()) +
                 " is not below next_invoice_id or has no "
                 "payee");
    }
  }
  // What the module accounts must hold: every unsettled payment's rest, every open hold's rest.
  std::map<std::string, uint64_t> pending;
  std::map<std::string, uint64_t> held;
  for (const auto& p : st.payments()) {
    if (p.id() == 0 || p.id() >= std::max<uint64_t>(1, st.next_payment_id()) ||
        !addr_ok(p.payer()) || !addr_ok(p.payee()) || p.refunded() > p.delivered()) {
      return bad("payment " + std::to_string(p.id()) + " is malformed");
    }
    if (!p.settled()) pending[payee_asset(p)] += p.delivered() - p.refunded();
  }
  for (const auto& h : st.holds()) {
    if (h.id() == 0 || h.id() >= std::max<uint64_t>(1, st.next_hold_id()) || !addr_ok(h.payer()) ||
        !addr_ok(h.payee()) || h.captured() > h.amount()) {
      return bad("hold " + std::to_string(h.id()) + " is malformed");
    }
    if (h.status() == v1::HOLD_STATUS_OPEN) held[h.asset()] += h.amount() - h.captured();
  }
  for (const auto& e : st.idempotency()) {
    if (!addr_ok(e.payer()) || e.client_payment_id().empty()) {
      return bad("an idempotency entry has no payer or id");
    }
  }
  for (const auto& v : st.volumes()) {
    if (!addr_ok(v.payee())) return bad("a volume's payee is not an address");
  }
  for (const auto& s : st.settlements()) {
    if (!addr_ok(s.payee())) return bad("a settlement's payee is not an address");
  }
  std::map<uint64_t, const v1::PlanRecord*> plans;
  for (const auto& p : st.plans()) {
    if (p.id() == 0 || p.id() >= std::max<uint64_t>(1, st.next_plan_id()) || !addr_ok(p.payee()) ||
        !plans.emplace(p.id(), &p).second) {
      return bad("plan " + std::to_string(p.id()) + " is malformed");
    }
  }
  for (const auto& s : st.subscriptions()) {
    if (s.id() == 0 || s.id() >= std::max<uint64_t>(1, st.next_subscription_id()) ||
        !addr_ok(s.payer()) || !addr_ok(s.payee()) || !plans.count(s.plan_id())) {
      return bad("subscription " + std::to_string(s.id()) + " is malformed or has no plan");
    }
  }
  for (const auto& o : st.fx_offers()) {
    if (!addr_ok(o.provider()) || !ledger::is_valid_asset_name(o.from_asset()) ||
        !ledger::is_valid_asset_name(o.to_asset())) {
      return bad("an fx offer is malformed");
    }
  }
  if (st.cycle() == 0) return bad("cycle must be positive");
  auto check_account = [&](const crypto::Address& account,
                           const std::map<std::string, uint64_t>& want,
                           const char* what) -> Status {
    auto it = info.balances.find(account);
    std::map<std::string, uint64_t> have;
    if (it != info.balances.end()) {
      for (const auto& [asset, amount] : it->second) {
        if (amount > 0) have[asset] = amount;
      }
    }
    std::map<std::string, uint64_t> need;
    for (const auto& [asset, amount] : want) {
      if (amount > 0) need[asset] = amount;
    }
    if (have != need) return bad(std::string("the ") + what + " account's balances do not match");
    return Status::ok();
  };
  if (auto s = check_account(pending_address(), pending, "pending"); !s) return s;
  if (auto s = check_account(holds_address(), held, "holds"); !s) return s;
  return st;
}

}  // namespace

Status PayFiModule::validate_genesis(const nlohmann::json& section,
                                     const ledger::GenesisInfo& info) const {
  if (section.is_null()) return Status::ok();
  if (!section.is_object()) return bad("the section must be an object");
  if (ledger::is_exported_section(section)) {
    auto st = parse_state(section, info);
    return st ? Status::ok() : st.status();
  }
  auto p = parse_params(section);
  return p ? Status::ok() : p.status();
}

Status PayFiModule::init_genesis(const nlohmann::json& section, const ledger::GenesisInfo& info,
                                 ledger::BlockContext& ctx) {
  if (section.is_null()) return Status::ok();
  PayFiKeeper keeper(ctx.state, ctx.events, ctx.locks, ctx.block);
  if (ledger::is_exported_section(section)) {
    auto st = parse_state(section, info);
    if (!st) return st.status();
    keeper.import_state(*st);
    return Status::ok();
  }
  auto p = parse_params(section);
  if (!p) return p.status();
  keeper.init(*p);
  return Status::ok();
}

Result<nlohmann::json> PayFiModule::export_genesis(const ledger::StateReader& state) const {
  if (!enabled(state)) return nlohmann::json();
  auto j = ledger::proto_to_json(PayFiView(state).genesis_state());
  if (!j) return j.status();
  return nlohmann::json{{"state", std::move(*j)}};
}

}  // namespace btt::modules::payfi

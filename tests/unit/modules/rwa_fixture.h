#pragma once
// Shared helpers of the RWA tests: a genesis with staking (no community tax, so the treasury
// receives exactly the module's fees), PayFi and RWA on; the KYC attester, the valuer and a
// price feeder granted at genesis; one builder per RWA message; and the RwaTest fixture whose
// refusal helper checks that a refused message changed nothing but the fee and the nonce.
#include <gtest/gtest.h>

#include "btt/ledger/ledger.h"
#include "btt/modules/roles/roles.h"
#include "btt/modules/rwa/errors.h"
#include "btt/modules/rwa/rwa.h"
#include "btt/modules/rwa/view.h"
#include "btt/modules/tokenomics/tokenomics.h"
#include "btt/modules/tokenomics/view.h"
#include "staking_fixture.h"

namespace btt::testkit {

namespace rwa = modules::rwa;
namespace rwa_errors = modules::rwa::errors;

// 1 BTT = 1 USD: one US cent (the currency's base unit) is 10^6 BTT base units.
inline constexpr uint64_t kCentInBtt = 1'000'000;
inline constexpr const char* kUsd = "USD";
inline constexpr const char* kDic = "rwa/DIC";  // the dental imaging centre's fractions

inline nlohmann::json rwa_sections(const nlohmann::json& params = nlohmann::json::object()) {
  auto s = staking_section({{"community_tax_bps", 0}});
  s["payfi"] = {{"params", nlohmann::json::object()}};
  s["rwa"] = {{"params", params}};
  return s;
}

inline v1::Message claim_msg(const Account& who, uint64_t expiry_ms, const std::string& country,
                             bool kyc = true, bool accredited = false) {
  v1::Message m;
  auto* c = m.mutable_set_claim();
  c->set_account(who.addr());
  c->set_kyc(kyc);
  c->set_accredited(accredited);
  c->set_country(country);
  c->set_expiry_ms(expiry_ms);
  c->set_record_hash(std::string(32, 'k'));
  return m;
}
inline v1::Message revoke_claim_msg(const Account& who) {
  v1::Message m;
  m.mutable_revoke_claim()->set_account(who.addr());
  m.mutable_revoke_claim()->set_reason_code(1);
  return m;
}
inline v1::Message register_msg(const Account& valuer, uint64_t fractions, uint32_t tier,
                                uint64_t value_cents, const std::string& symbol = "DIC",
                                bool premium = false) {
  v1::Message m;
  auto* r = m.mutable_register_rwa_asset();
  r->set_asset_class(v1::RWA_ASSET_CLASS_EQUIPMENT);
  r->set_name("Dental imaging centre, CBCT and panoramic suite");
  r->set_symbol(symbol);
  r->set_total_fractions(fractions);
  r->set_tier(tier);
  r->set_appraised_value(value_cents);
  r->set_currency(kUsd);
  r->set_valuer(valuer.addr());
  r->set_appraisal_hash(std::string(32, 'a'));
  r->mutable_rules()->set_require_kyc(true);
  r->set_premium_listing(premium);
  return m;
}
inline v1::Message rules_msg(const v1::TransferRules& rules, const std::string& asset = kDic) {
  v1::Message m;
  m.mutable_set_transfer_rules()->set_asset(asset);
  *m.mutable_set_transfer_rules()->mutable_rules() = rules;
  return m;
}
inline v1::Message transfer_msg(const Account& to, uint64_t amount,
                                const std::string& asset = kDic) {
  v1::Message m;
  m.mutable_transfer_fractions()->set_asset(asset);
  m.mutable_transfer_fractions()->set_to(to.addr());
  m.mutable_transfer_fractions()->set_amount(amount);
  return m;
}
inline v1::Message document_msg(const std::string& name, const std::string& uri,
                                bool remove = false) {
  v1::Message m;
  auto* d = m.mutable_set_document();
  d->set_asset(kDic);
  d->set_name(name);
  if (!remove) {
    d->set_uri(uri);
    d->set_hash(std::string(32, 'd'));
  }
  d->set_remove(remove);
  return m;
}
inline v1::Message agent_msg(const Account& agent, bool freeze, bool force, bool recover,
                             bool pause) {
  v1::Message m;
  auto* a = m.mutable_set_agent();
  a->set_asset(kDic);
  a->set_agent(agent.addr());
  a->set_freeze(freeze);
  a->set_force(force);
  a->set_recover(recover);
  a->set_pause(pause);
  return m;
}
inline v1::Message freeze_msg(const Account& who, uint64_t amount) {
  v1::Message m;
  m.mutable_freeze_fractions()->set_asset(kDic);
  m.mutable_freeze_fractions()->set_account(who.addr());
  m.mutable_freeze_fractions()->set_amount(amount);
  m.mutable_freeze_fractions()->set_reason_code(4);
  return m;
}
inline v1::Message unfreeze_msg(const Account& who, uint64_t amount) {
  v1::Message m;
  m.mutable_unfreeze_fractions()->set_asset(kDic);
  m.mutable_unfreeze_fractions()->set_account(who.addr());
  m.mutable_unfreeze_fractions()->set_amount(amount);
  m.mutable_unfreeze_fractions()->set_reason_code(5);
  return m;
}
inline v1::Message forced_msg(const Account& from, const Account& to, uint64_t amount) {
  v1::Message m;
  auto* f = m.mutable_forced_transfer();
  f->set_asset(kDic);
  f->set_from(from.addr());
  f->set_to(to.addr());
  f->set_amount(amount);
  f->set_reason_code(9);
  return m;
}
inline v1::Message recover_msg(const Account& lost, const Account& to) {
  v1::Message m;
  auto* r = m.mutable_recover_fractions();
  r->set_asset(kDic);
  r->set_lost_account(lost.addr());
  r->set_new_account(to.addr());
  r->set_reason_code(2);
  return m;
}
inline v1::Message pause_msg(bool paused) {
  v1::Message m;
  m.mutable_set_asset_paused()->set_asset(kDic);
  m.mutable_set_asset_paused()->set_paused(paused);
  return m;
}
inline v1::Message revalue_msg(uint64_t value_cents) {
  v1::Message m;
  m.mutable_revalue()->set_asset(kDic);
  m.mutable_revalue()->set_appraised_value(value_cents);
  m.mutable_revalue()->set_report_hash(std::string(32, 'r'));
  return m;
}
inline v1::Message deposit_msg(uint64_t amount, const std::string& pay_asset = "BTT") {
  v1::Message m;
  m.mutable_deposit_distribution()->set_asset(kDic);
  m.mutable_deposit_distribution()->set_pay_asset(pay_asset);
  m.mutable_deposit_distribution()->set_amount(amount);
  return m;
}
inline v1::Message claim_dist_msg(uint64_t id) {
  v1::Message m;
  m.mutable_claim_distribution()->set_distribution_id(id);
  return m;
}
inline v1::Message reclaim_msg(uint64_t id) {
  v1::Message m;
  m.mutable_reclaim_distribution()->set_distribution_id(id);
  return m;
}
inline v1::Message redeem_msg(uint64_t amount) {
  v1::Message m;
  m.mutable_redeem_fractions()->set_asset(kDic);
  m.mutable_redeem_fractions()->set_amount(amount);
  return m;
}
inline v1::Message retire_msg() {
  v1::Message m;
  m.mutable_retire_asset()->set_asset(kDic);
  m.mutable_retire_asset()->set_reason_code(1);
  return m;
}
inline v1::Message price_msg(uint64_t num, uint64_t den) {
  v1::Message m;
  auto* p = m.mutable_post_price();
  p->set_base(kUsd);
  p->set_quote("BTT");
  p->set_num(num);
  p->set_den(den);
  return m;
}

class RwaTest : public StakingTest {
 protected:
  explicit RwaTest(const nlohmann::json& params = nlohmann::json::object())
      : StakingTest(rwa_sections(params)) {
    namespace roles = modules::roles;
    roles::grant_at_genesis(env.ledger_state(), env.direct_events(), roles::kKycAttester,
                            attester.address());
    roles::grant_at_genesis(env.ledger_state(), env.direct_events(), roles::kAssetValuer,
                            valuer.address());
    roles::grant_at_genesis(env.ledger_state(), env.direct_events(), roles::kPriceOracle,
                            feeder.address());
    run(feeder, price_msg(kCentInBtt, 1));
  }

  rwa::RwaView view() { return rwa::RwaView(env.ledger_state()); }
  v1::RwaAssetRecord asset() { return *view().asset(kDic); }
  uint64_t fractions(const Account& a) { return env.balance(a, kDic); }
  uint64_t treasury() { return env.balance(modules::tokenomics::pool_address("treasury"), "BTT"); }
  uint64_t burned_rwa() {
    for (const auto& b :
         modules::tokenomics::TokenomicsView(env.ledger_state()).burned_by_source()) {
      if (b.source() == rwa::kMintBurnSource) return b.amount();
    }
    return 0;
  }
  // A claim valid for a year.
  void verify(const Account& who, const std::string& country = "DE", bool accredited = false) {
    run(attester, claim_msg(who, env.time_ms() + 365 * kDayMs, country, true, accredited));
  }
  // The imaging centre: 1,000,000 fractions, tier 2, appraised at USD 1,000,000 (10^8 cents),
  // KYC required; the minting fee is 2% = 20,000 BTT (10,000 burned, 10,000 to the treasury).
  void issue() {
    verify(clinic);
    run(clinic, register_msg(valuer, 1'000'000, 2, 100'000'000));
  }
  void appoint_agent(bool freeze = true, bool force = true, bool recover = true,
                     bool pause = true) {
    run(clinic, agent_msg(agent, freeze, force, recover, pause));
  }

  chain::TxOutcome run(const Account& who, const v1::Message& m, Code code = Code::kOk) {
    return env.apply(env.tx(who).message(m).sign(), code);
  }
  // Expects `err` (kind and detail) and that nothing but the fee and nonce changed.
  chain::TxOutcome refused(const Account& who, const v1::Message& m, const ErrorDef& err) {
    const std::string before = view().genesis_state().SerializeAsString();
    const uint64_t balance = env.balance(who);
    const uint64_t nonce = env.next_nonce(who);
    auto out = env.apply(env.tx(who).message(m).sign(), err.kind);
    EXPECT_EQ(out.status.detail(), err.detail) << out.status.to_string();
    EXPECT_EQ(view().genesis_state().SerializeAsString(), before) << err.name;
    if (is_failed_with_fee(err.kind)) {
      EXPECT_TRUE(out.included);
      EXPECT_EQ(env.balance(who), balance - out.fee_paid);
      EXPECT_EQ(env.next_nonce(who), nonce + 1);
    } else {
      EXPECT_FALSE(out.included);
      EXPECT_EQ(env.balance(who), balance);
      EXPECT_EQ(env.next_nonce(who), nonce);
    }
    return out;
  }

  const Account& attester = env.account("attester", 10 * kUnitsPerBtt);
  const Account& valuer = env.account("valuer", 10 * kUnitsPerBtt);
  const Account& feeder = env.account("feeder", 10 * kUnitsPerBtt);
  const Account& clinic = env.account("clinic", 100'000 * kUnitsPerBtt);
  const Account& agent = env.account("agent", 10 * kUnitsPerBtt);
  const Account& alice = env.account("alice", 1'000 * kUnitsPerBtt);
  const Account& bob = env.account("bob", 1'000 * kUnitsPerBtt);
};

}  // namespace btt::testkit

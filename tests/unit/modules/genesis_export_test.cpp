// Genesis export and import over every module: a scenario touches each module's state (on a
// staking chain: validators, delegations, entries, a slash, locks, rewards), the export of the
// committed state is a genesis file that parses, and a chain initialised from it holds exactly
// the same keys and values (so its first state hash is the export's).
#include <gtest/gtest.h>

#include "btt/chain/genesis.h"
#include "btt/chain/state_hash.h"
#include "btt/chain/validator_history.h"
#include "btt/ledger/ledger.h"
#include "btt/modules/roles/roles.h"
#include "compute_fixture.h"
#include "modules/governance/keys.h"
#include "staking_fixture.h"

namespace btt::testkit {
namespace {

constexpr uint64_t kDayMs = 86'400'000;
using State = std::map<Bytes, Bytes, std::less<>>;

State all_of(const ledger::StateReader& state) {
  State out;
  state.scan("", [&](std::string_view key, std::string_view value) {
    out.emplace(Bytes(key), Bytes(value));
    return true;
  });
  return out;
}

// The first key where two states differ, for a readable failure.
std::string first_difference(const State& a, const State& b) {
  for (const auto& [k, v] : a) {
    auto it = b.find(k);
    if (it == b.end()) return "only in the source: " + to_hex(k);
    if (it->second != v) return "differs: " + to_hex(k);
  }
  for (const auto& [k, _] : b) {
    if (!a.count(k)) return "only in the import: " + to_hex(k);
  }
  return "";
}

nlohmann::json with_governance(nlohmann::json sections) {
  sections["governance"] = {{"params",
                             {{"min_deposit", std::to_string(100 * kUnitsPerBtt)},
                              {"foundation_sunset_height", "1000000"},
                              {"foundation_veto_period_ms", "1000"}}}};
  sections["payfi"] = {{"params", {{"settlement_budget_per_block", 1}}}};
  sections["rwa"] = {{"params", {{"distribution_expiry_ms", "86400000"}}}};
  return sections;
}

class GenesisExportTest : public ComputeTest {
 protected:
  GenesisExportTest() : ComputeTest(with_governance(staking_section()), staking_validators()) {
    // TestEnv keeps its genesis set outside the state; an exported genesis needs the history
    // entry of height 1 (later sets the staking module chooses are written by the blocks).
    chain::write_validator_set(env.ledger_state(), 1, staking_validators());
  }

  uint64_t committed_height() const { return env.height() - 1; }

  nlohmann::json export_now() {
    auto j = chain::export_genesis(env.ledger_state(), env.registry(), env.chain_id(),
                                   committed_height(), env.time_ms());
    EXPECT_TRUE(j.is_ok()) << j.status().to_string();
    return j.is_ok() ? *j : nlohmann::json();
  }

  // Initialises a fresh state from `file`; the overlay holds every genesis write.
  Result<std::unique_ptr<ledger::Overlay>> import(const nlohmann::json& file, MemoryState& base) {
    auto g = chain::Genesis::parse(file.dump(), env.registry());
    if (!g) return g.status();
    auto overlay = std::make_unique<ledger::Overlay>(base);
    if (auto s = chain::init_genesis_state(*g, *overlay, env.registry()); !s) return s;
    return overlay;
  }

  // Importing `file` fails with a message holding each of `expected`.
  void expect_refused(const nlohmann::json& file, const std::vector<std::string>& expected) {
    MemoryState base;
    auto r = import(file, base);
    ASSERT_FALSE(r.is_ok()) << "accepted: " << expected.back();
    for (const auto& e : expected) {
      EXPECT_NE(r.status().message().find(e), std::string::npos) << r.status().to_string();
    }
  }

  // A bit of everything: bank, roles, tokenomics and compute state, with jobs in several stages.
  const Account* alice = nullptr;
  const Account* admin = nullptr;

  void run_scenario() {
    alice = &env.account("alice");
    const Account& bob = env.account("bob", 0);
    env.mint("USDX", *alice, 12'345, 2);
    env.apply(env.tx(*alice).transfer(bob, 7 * kBtt).transfer(bob, 45, "USDX").sign());
    env.close_block();

    // Roles: the admin grants an attester.
    v1::Message grant;
    grant.mutable_grant_role()->set_role(std::string(modules::roles::kComputeAttester));
    grant.mutable_grant_role()->set_address(bob.addr());
    admin = &env.account(TestEnv::kRoleAdmin);
    env.apply(env.tx(*admin).message(grant).sign());

    // Tokenomics: a burn, and a milestone a day in (a Foundation act: governance is on, so
    // after its one-second veto window).
    v1::Message burn;
    burn.mutable_burn()->set_amount(3 * kBtt);
    env.apply(env.tx(*alice).message(burn).sign());
    env.advance_time(kDayMs);
    v1::Message ms;
    auto* approval = ms.mutable_foundation_act()->mutable_milestone_approval();
    approval->set_category("foundation");
    approval->set_milestone("testnet-live");
    approval->set_amount(1'000 * kBtt);
    env.apply(env.tx(env.account(TestEnv::kAuthority)).message(ms).sign());
    env.close_block();
    env.advance_time(1'000);
    env.close_block();

    // Compute: nodes, one accepted job, one still open, a ban, an unbonding node, an epoch closed.
    const Account& n1 = node("n1", 10);
    const Account& n2 = node("n2", 20, "NG");
    const Account& n3 = node("n3", 30, "IN", "cpu");
    const Account& clinic = env.account("clinic", 1'000 * kBtt);
    const uint64_t done = post(clinic, JobSpec{});
    env.close_block();
    const auto first = job(done).replicas(0).node();
    const Account& worker = first == n1.addr() ? n1 : n2;
    commit(worker, done, "ok");
    env.close_block();
    reveal(worker, done, "ok");
    env.close_block();
    env.close_block();
    EXPECT_EQ(job(done).status(), v1::JOB_STATUS_ACCEPTED);
    const uint64_t open = post(clinic, JobSpec{});
    EXPECT_EQ(job(open).status(), v1::JOB_STATUS_ASSIGNED);
    v1::Message ban;
    ban.mutable_ban_node()->set_node(n3.addr());
    ban.mutable_ban_node()->set_banned(true);
    env.apply(env.tx(clinic).message(ban).sign());
    env.advance_time(kDayMs);
    env.close_block();
    env.close_block();
    governance_scenario();
    oracle_scenario();
    payfi_scenario();
    rwa_scenario();
    consent_scenario();
    staking_scenario();
    // Last, so its unbonding (10 blocks) is still pending at the export.
    v1::Message unregister;
    unregister.mutable_unregister_node();
    env.apply(env.tx(n3).message(unregister).sign());
  }

  // Consent: a delegate; grants active, revoked and expired (end_block); a declared access.
  void consent_scenario() {
    const Account& clinic = env.account("consent-clinic", 10 * kBtt);
    const Account& helper = env.account("consent-helper", 10 * kBtt);
    v1::Message m;
    m.mutable_set_consent_delegate()->set_patient(alice->addr());
    m.mutable_set_consent_delegate()->set_delegate(helper.addr());
    env.apply(env.tx(*alice).message(m).sign());
    auto grant = [&](char record, uint64_t lasts_ms) {
      v1::Message g;
      auto* p = g.mutable_grant_consent();
      p->set_patient(alice->addr());
      p->set_grantee(clinic.addr());
      p->set_record_hash(std::string(32, record));
      p->set_custodian(clinic.addr());
      p->set_scope(v1::RECORD_SCOPE_FULL);
      p->add_purposes(v1::CONSENT_PURPOSE_TREATMENT);
      p->set_expiry_ms(env.time_ms() + lasts_ms);
      return g;
    };
    env.apply(env.tx(*alice).message(grant('a', 30 * kDayMs)).sign());  // 1: active
    env.apply(env.tx(helper).message(grant('b', 1'500)).sign());        // 2: expires
    env.apply(env.tx(*alice).message(grant('c', kDayMs)).sign());       // 3: revoked
    m.Clear();
    m.mutable_declare_access()->set_grant_id(1);
    m.mutable_declare_access()->set_purpose(v1::CONSENT_PURPOSE_TREATMENT);
    env.apply(env.tx(clinic).message(m).sign());
    m.Clear();
    m.mutable_revoke_consent()->set_grant_id(3);
    env.apply(env.tx(*alice).message(m).sign());
    env.close_block();
    env.close_block();
  }

  // Oracle: a feeder's posts of two pairs, one replaced (history of two).
  void oracle_scenario() {
    modules::roles::grant_at_genesis(env.ledger_state(), env.direct_events(),
                                     modules::roles::kPriceOracle, alice->address());
    auto post = [](const char* quote, uint64_t num) {
      v1::Message m;
      m.mutable_post_price()->set_base("BTT");
      m.mutable_post_price()->set_quote(quote);
      m.mutable_post_price()->set_num(num);
      m.mutable_post_price()->set_den(kUnitsPerBtt);
      return m;
    };
    env.apply(env.tx(*alice).message(post("CNY", 35)).sign());
    env.apply(env.tx(*alice).message(post("USD", 5)).sign());
    env.close_block();
    env.apply(env.tx(*alice).message(post("CNY", 36)).sign());
    env.close_block();
  }

  // PayFi: a gateway asset with a deposit, a withdrawal and a frozen holding; a payee with an
  // invoice paid, payments settled and one still pending (the budget settles one a block), a
  // refund, an open hold and an idempotency id.
  void payfi_scenario() {
    const Account& gw = env.account("gateway", 10 * kBtt);
    modules::roles::grant_at_genesis(env.ledger_state(), env.direct_events(),
                                     modules::roles::kPaymentGateway, gw.address());
    const Account& dentist = env.account("dentist", 10 * kBtt);
    v1::Message m;
    m.mutable_register_payment_asset()->set_asset("CNYT");
    env.apply(env.tx(gw).message(m).sign());
    m.Clear();
    m.mutable_gateway_deposit()->set_asset("CNYT");
    m.mutable_gateway_deposit()->set_to(alice->addr());
    m.mutable_gateway_deposit()->set_amount(9'000);
    m.mutable_gateway_deposit()->set_deposit_ref("dep-1");
    env.apply(env.tx(gw).message(m).sign());
    m.Clear();
    m.mutable_gateway_withdraw()->set_asset("CNYT");
    m.mutable_gateway_withdraw()->set_amount(1'000);
    m.mutable_gateway_withdraw()->set_payout_ref("out-1");
    env.apply(env.tx(*alice).message(m).sign());
    m.Clear();
    m.mutable_register_payee()->set_name_hash(std::string(32, 'd'));
    m.mutable_register_payee()->set_category("dental_clinic");
    m.mutable_register_payee()->set_settlement_asset("CNYT");
    env.apply(env.tx(dentist).message(m).sign());
    m.Clear();
    m.mutable_create_invoice()->set_reference("INV-9");
    m.mutable_create_invoice()->set_amount(2'000);
    m.mutable_create_invoice()->set_expiry_ms(env.time_ms() + kDayMs);
    env.apply(env.tx(dentist).message(m).sign());
    auto pay = [&](uint64_t amount, uint64_t invoice, const std::string& id) {
      v1::Message p;
      p.mutable_pay()->set_payee(dentist.addr());
      p.mutable_pay()->set_amount(amount);
      p.mutable_pay()->set_asset("CNYT");
      p.mutable_pay()->set_invoice_id(invoice);
      if (invoice == 0) p.mutable_pay()->set_reference("walk-in");
      p.mutable_pay()->set_client_payment_id(id);
      env.apply(env.tx(*alice).message(p).sign());
    };
    pay(2'000, 1, "a");
    pay(500, 0, "b");
    pay(700, 0, "c");
    m.Clear();
    m.mutable_refund()->set_payment_id(2);
    m.mutable_refund()->set_amount(100);
    m.mutable_refund()->set_reason_code(1);
    env.apply(env.tx(dentist).message(m).sign());
    m.Clear();
    m.mutable_place_hold()->set_payee(dentist.addr());
    m.mutable_place_hold()->set_amount(1'500);
    m.mutable_place_hold()->set_asset("CNYT");
    m.mutable_place_hold()->set_expiry_ms(env.time_ms() + kDayMs);
    m.mutable_place_hold()->set_reference("crown");
    m.mutable_place_hold()->set_client_payment_id("h");
    env.apply(env.tx(*alice).message(m).sign());
    m.Clear();
    m.mutable_capture_hold()->set_hold_id(1);
    m.mutable_capture_hold()->set_amount(400);
    env.apply(env.tx(dentist).message(m).sign());
    m.Clear();
    m.mutable_freeze_holding()->set_asset("CNYT");
    m.mutable_freeze_holding()->set_account(alice->addr());
    m.mutable_freeze_holding()->set_reason_code(2);
    env.apply(env.tx(gw).message(m).sign());
    env.advance_time(3'600'000);
    env.close_block();  // closes the cycle; settles one payment (budget 1)
    env.close_block();  // and another: two stay queued at the export
  }

  // RWA: a claim, an asset valued in BTT with a document, an agent and rules; fractions
  // transferred and partly frozen; a distribution claimed by one holder, open for the other.
  void rwa_scenario() {
    namespace roles = modules::roles;
    const Account& kyc = env.account("kyc", 10 * kBtt);
    const Account& investor = env.account("investor", 10 * kBtt);
    roles::grant_at_genesis(env.ledger_state(), env.direct_events(), roles::kKycAttester,
                            kyc.address());
    roles::grant_at_genesis(env.ledger_state(), env.direct_events(), roles::kAssetValuer,
                            kyc.address());
    for (const Account* who : {alice, &investor}) {
      v1::Message m;
      m.mutable_set_claim()->set_account(who->addr());
      m.mutable_set_claim()->set_kyc(true);
      m.mutable_set_claim()->set_country("DE");
      m.mutable_set_claim()->set_expiry_ms(env.time_ms() + kDayMs);
      m.mutable_set_claim()->set_record_hash(std::string(32, 'k'));
      env.apply(env.tx(kyc).message(m).sign());
    }
    v1::Message m;
    auto* r = m.mutable_register_rwa_asset();
    r->set_asset_class(v1::RWA_ASSET_CLASS_EQUIPMENT);
    r->set_name("imaging suite");
    r->set_symbol("IMG");
    r->set_total_fractions(1'000);
    r->set_tier(1);
    r->set_appraised_value(100 * kBtt);
    r->set_currency("BTT");
    r->set_valuer(kyc.addr());
    r->set_appraisal_hash(std::string(32, 'a'));
    r->mutable_rules()->set_require_kyc(true);
    env.apply(env.tx(*alice).message(m).sign());
    m.Clear();
    m.mutable_set_document()->set_asset("rwa/IMG");
    m.mutable_set_document()->set_name("appraisal");
    m.mutable_set_document()->set_uri("ipfs://x");
    m.mutable_set_document()->set_hash(std::string(32, 'd'));
    env.apply(env.tx(*alice).message(m).sign());
    m.Clear();
    m.mutable_set_agent()->set_asset("rwa/IMG");
    m.mutable_set_agent()->set_agent(alice->addr());
    m.mutable_set_agent()->set_freeze(true);
    env.apply(env.tx(*alice).message(m).sign());
    m.Clear();
    m.mutable_transfer_fractions()->set_asset("rwa/IMG");
    m.mutable_transfer_fractions()->set_to(investor.addr());
    m.mutable_transfer_fractions()->set_amount(300);
    env.apply(env.tx(*alice).message(m).sign());
    m.Clear();
    m.mutable_freeze_fractions()->set_asset("rwa/IMG");
    m.mutable_freeze_fractions()->set_account(investor.addr());
    m.mutable_freeze_fractions()->set_amount(100);
    m.mutable_freeze_fractions()->set_reason_code(1);
    env.apply(env.tx(*alice).message(m).sign());
    m.Clear();
    m.mutable_deposit_distribution()->set_asset("rwa/IMG");
    m.mutable_deposit_distribution()->set_pay_asset("BTT");
    m.mutable_deposit_distribution()->set_amount(7 * kBtt + 1);
    env.apply(env.tx(*alice).message(m).sign());
    m.Clear();
    m.mutable_claim_distribution()->set_distribution_id(1);
    env.apply(env.tx(investor).message(m).sign());
    // The exchange: a partly filled resting sell, a resting buy (its escrow), a pool.
    auto order = [](v1::OrderSide side, uint64_t price, uint64_t amount) {
      v1::Message o;
      o.mutable_place_order()->set_asset("rwa/IMG");
      o.mutable_place_order()->set_quote_asset("BTT");
      o.mutable_place_order()->set_side(side);
      o.mutable_place_order()->set_price(price);
      o.mutable_place_order()->set_amount(amount);
      return o;
    };
    env.apply(env.tx(investor).message(order(v1::ORDER_SIDE_SELL, 1'000, 50)).sign());
    env.apply(env.tx(*alice).message(order(v1::ORDER_SIDE_BUY, 1'000, 20)).sign());
    env.apply(env.tx(*alice).message(order(v1::ORDER_SIDE_BUY, 500, 10)).sign());
    m.Clear();
    m.mutable_create_pool()->set_asset("rwa/IMG");
    m.mutable_create_pool()->set_quote_asset("BTT");
    m.mutable_create_pool()->set_asset_amount(100);
    m.mutable_create_pool()->set_quote_amount(100'000);
    m.mutable_create_pool()->set_fee_bps(30);
    env.apply(env.tx(*alice).message(m).sign());
  }

  // Governance: a proposal voting with a vote cast, another still in its deposit period.
  void governance_scenario() {
    auto submit = [](uint64_t deposit) {
      v1::Message m;
      m.mutable_submit_proposal()->set_title("export me");
      m.mutable_submit_proposal()->add_actions()->set_text("signal");
      m.mutable_submit_proposal()->set_initial_deposit(deposit);
      return m;
    };
    env.apply(env.tx(*alice).message(submit(100 * kBtt)).sign());
    env.apply(env.tx(*alice).message(submit(30 * kBtt)).sign());
    v1::Message vote;
    vote.mutable_vote()->set_proposal_id(1);
    vote.mutable_vote()->set_option(v1::VOTE_OPTION_YES);
    env.apply(env.tx(*alice).message(vote).sign());
    // An upgrade applied earlier (its name may never be planned again), written as the
    // begin-block of its height does.
    v1::AppliedUpgrade done;
    done.set_name("btt-0");
    done.set_height(1);
    done.set_proposal_id(0);
    env.ledger_state().put(modules::governance::keys::applied_upgrade("btt-0"),
                           done.SerializeAsString());
    env.close_block();
  }

  // Staking: a new validator, delegations, an unbonding and a redelegation still open, a stake
  // lock, a missed block, a double sign (slash, jail, tombstone) and rewards from every block's
  // fees; the last delegation leaves a power change pending at the export.
  void staking_scenario() {
    const auto val_a = test_key("val-a").address;
    const auto val_b = test_key("val-b").address;
    const auto val_c = test_key("val-c").address;
    const Account& carol = env.account("carol", 3'000 * kBtt);
    env.apply(env.tx(carol).message(create_msg("val-c", 1'000 * kBtt)).sign());
    env.apply(env.tx(*alice).message(delegate_msg(val_b, 100 * kBtt)).sign());
    for (int i = 0; i < 3; ++i) env.close_block();
    const uint64_t infraction = env.height();
    uint64_t power = 0;
    for (const auto& v : env.validators_at(infraction)) {
      if (v.address() == val_b.to_string()) power = v.power();
    }
    EXPECT_EQ(power, 600u);
    env.close_block();
    env.apply(env.tx(*alice).message(undelegate_msg(val_b, 30 * kBtt)).sign());
    env.apply(env.tx(*alice).message(redelegate_msg(val_b, val_a, 20 * kBtt)).sign());
    env.apply(env.tx(*alice).message(lock_msg(10 * kBtt, 1)).sign());
    env.set_absent({val_c});
    env.close_block();
    env.set_absent({});
    env.set_next_misbehaviour({{val_b, infraction, 0, power}});
    env.close_block();
    env.apply(env.tx(*alice).message(withdraw_msg(val_a, false)).sign());
    env.apply(env.tx(carol).message(delegate_msg(val_c, 5 * kBtt)).sign());
    env.close_block();
  }
};

TEST_F(GenesisExportTest, ImportHoldsExactlyTheExportedState) {
  run_scenario();
  ASSERT_TRUE(env.invariant_violations().empty());
  const nlohmann::json file = export_now();
  ASSERT_TRUE(file.is_object());
  EXPECT_EQ(file["initial_height"], std::to_string(committed_height() + 1));
  for (const char* m : {"roles", "tokenomics", "compute", "staking", "governance", "oracle",
                        "payfi", "rwa", "consent"}) {
    EXPECT_TRUE(file["modules"].contains(m)) << m;
  }
  EXPECT_FALSE(file["modules"].contains("bank"));  // the bank's state is the accounts list

  MemoryState base;
  auto imported = import(file, base);
  ASSERT_TRUE(imported.is_ok()) << imported.status().to_string();
  const State source = all_of(env.ledger_state());
  const State copy = all_of(**imported);
  EXPECT_EQ(source.size(), copy.size());
  EXPECT_EQ(first_difference(source, copy), "");
  EXPECT_TRUE(source == copy);

  // The imported chain's first state hash is what export announces for the source.
  const Hash32 announced = chain::import_state_hash(env.ledger_state(), committed_height());
  const Hash32 genesis_hash =
      chain::make_write_set_commitment()->next(Hash32{}, committed_height(), (*imported)->writes());
  EXPECT_EQ(to_hex(announced), to_hex(genesis_hash));

  // Exporting the import again gives the same file: nothing is lost or added on the way.
  auto again = chain::export_genesis(**imported, env.registry(), env.chain_id(), committed_height(),
                                     env.time_ms());
  ASSERT_TRUE(again.is_ok());
  EXPECT_EQ(again->dump(), file.dump());
}

TEST_F(GenesisExportTest, ExportKeepsNoncesBalancesAndOpenWork) {
  run_scenario();
  const nlohmann::json file = export_now();
  bool found = false;
  for (const auto& a : file["accounts"]) {
    if (a["address"] != alice->addr()) continue;
    found = true;
    EXPECT_EQ(a["nonce"], std::to_string(env.next_nonce(*alice)));
    EXPECT_EQ(a["balances"].size(), 4u);  // BTT, USDX, CNYT (PayFi) and rwa/IMG (RWA)
  }
  EXPECT_TRUE(found);
  const auto& compute = file["modules"]["compute"]["state"];
  EXPECT_EQ(compute["jobs"].size(), 2u);
  EXPECT_EQ(compute["bans"].size(), 1u);
  ASSERT_TRUE(compute.contains("unbonds")) << compute.dump(1);  // const [] of a missing key is UB
  EXPECT_EQ(compute["unbonds"].size(), 1u);
  EXPECT_FALSE(compute.contains("params") && compute["params"].contains("attesters"));
  const auto& tokenomics = file["modules"]["tokenomics"]["state"];
  ASSERT_EQ(tokenomics["burns"].size(), 3u);
  EXPECT_EQ(tokenomics["burns"][0]["source"], "holder");
  EXPECT_EQ(tokenomics["burns"][0]["amount"], std::to_string(3 * kBtt));
  // Half of the 1 BTT minting fee of rwa/IMG (1% of its 100 BTT appraisal).
  EXPECT_EQ(tokenomics["burns"][1]["source"], "rwa_mint");
  EXPECT_EQ(tokenomics["burns"][1]["amount"], std::to_string(kBtt / 2));
  // 5% of b's 600 BTT at the infraction.
  EXPECT_EQ(tokenomics["burns"][2]["source"], "staking_slash");
  EXPECT_EQ(tokenomics["burns"][2]["amount"], std::to_string(30 * kBtt));
  ASSERT_EQ(tokenomics["milestones"].size(), 1u);
  // RWA: every record; the holder index is rebuilt from the balances.
  const auto& rwa = file["modules"]["rwa"]["state"];
  EXPECT_EQ(rwa["assets"].size(), 1u);
  EXPECT_EQ(rwa["claims"].size(), 2u);
  EXPECT_EQ(rwa["distributions"].size(), 1u);
  EXPECT_EQ(rwa["claimed"].size(), 1u);
  EXPECT_EQ(rwa["freezes"].size(), 1u);
  EXPECT_EQ(rwa["next_distribution_id"], "2");
  EXPECT_EQ(rwa["orders"].size(), 2u);
  EXPECT_EQ(rwa["orders"][0]["open"], "30");
  EXPECT_EQ(rwa["trades"].size(), 1u);
  EXPECT_EQ(rwa["pools"].size(), 1u);
  EXPECT_EQ(rwa["lp_positions"].size(), 1u);
  EXPECT_EQ(rwa["next_order_id"], "4");
  const auto& consent = file["modules"]["consent"]["state"];
  ASSERT_EQ(consent["grants"].size(), 3u);
  EXPECT_EQ(consent["grants"][0].value("status", "GRANT_STATUS_ACTIVE"), "GRANT_STATUS_ACTIVE");
  EXPECT_EQ(consent["grants"][1]["status"], "GRANT_STATUS_EXPIRED");
  EXPECT_EQ(consent["grants"][2]["status"], "GRANT_STATUS_REVOKED");
  EXPECT_EQ(consent["accesses"].size(), 1u);
  EXPECT_EQ(consent["delegates"].size(), 1u);
  EXPECT_EQ(consent["next_grant_id"], "4");
  // Staking: every record, and none of the derived queues or indexes.
  const auto& staking = file["modules"]["staking"]["state"];
  EXPECT_EQ(staking["validators"].size(), 3u);
  EXPECT_EQ(staking["unbonding"].size(), 1u);
  EXPECT_EQ(staking["redelegations"].size(), 1u);
  EXPECT_EQ(staking["locks"].size(), 1u);
  EXPECT_EQ(staking["next_lock"], "2");
  EXPECT_FALSE(staking["misses"].empty());
  EXPECT_FALSE(staking["power_changes"].empty());
  EXPECT_EQ(staking["chosen_set"]["validators"].size(), 2u);  // b is jailed for good
  EXPECT_FALSE(staking["distribution"]["total_outstanding"].get<std::string>().empty());
  // The unbonding entry from b was created after the infraction: 5% of its 30 BTT burned.
  EXPECT_EQ(staking["unbonding"][0]["balance"], std::to_string(285 * kBtt / 10));
  bool tombstoned = false;
  for (const auto& v : staking["validators"]) tombstoned |= v.value("tombstoned", false);
  EXPECT_TRUE(tombstoned);
}

TEST_F(GenesisExportTest, TamperedStakingExportsAreRefusedWithTheField) {
  run_scenario();
  const nlohmann::json file = export_now();
  auto refused = [&](const nlohmann::json& changed, const std::string& expected) {
    expect_refused(changed, {"genesis: modules.staking: staking: ", expected});
  };
  auto add = [](nlohmann::json& field, int64_t delta) {
    field = std::to_string(static_cast<int64_t>(std::stoull(field.get<std::string>())) + delta);
  };
  const std::string nobody = test_key("nobody").address.to_string();
  auto state = [](nlohmann::json& f) -> nlohmann::json& {
    return f["modules"]["staking"]["state"];
  };
  {
    auto f = file;
    state(f)["delegations"][0]["validator"] = nobody;
    refused(f, "state.delegations[0].validator: no validator " + nobody);
  }
  {
    auto f = file;
    auto& d = state(f)["delegations"][0]["delegator"];
    std::string upper = d.get<std::string>();
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    d = upper;
    refused(f, "state.delegations[0].delegator: not a canonical btt address");
  }
  {
    // More tokens than the bonded pool holds.
    auto f = file;
    add(state(f)["validators"][0]["tokens"], 1);
    refused(f, "state.validators: their tokens sum to");
  }
  {
    auto f = file;
    add(state(f)["validators"][0]["shares"], 1);
    refused(f, "state.validators[0].shares");
  }
  {
    auto f = file;
    add(state(f)["unbonding"][0]["balance"], -1);
    refused(f, "state.unbonding: the entries hold");
  }
  {
    auto f = file;
    state(f)["redelegations"][0]["to_validator"] = nobody;
    refused(f, "state.redelegations[0].to_validator: no validator");
  }
  {
    auto f = file;
    state(f)["locks"][0]["id"] = "2";
    refused(f, "state.locks[0].id: 2 is zero, repeated or not below next_lock 2");
  }
  {
    auto f = file;
    state(f)["misses"].erase(0);
    refused(f, ".missed_blocks");
  }
  {
    auto f = file;
    add(state(f)["distribution"]["total_outstanding"], 1);
    refused(f, "state.distribution.total_outstanding");
  }
  {
    // Rewards that do not add up (the pools still do): the invariants refuse the imported state.
    auto f = file;
    bool changed = false;
    for (auto& v : state(f)["validators"]) {
      if (v.contains("commission") && !changed) {
        add(v["commission"], 1);
        changed = true;
      }
    }
    ASSERT_TRUE(changed);
    refused(f, "is not owed + commission + dust exactly");
  }
  {
    auto f = file;
    state(f)["validators"][0]["consensus_key"] = state(f)["validators"][1]["consensus_key"];
    refused(f, "state.validators[0].consensus_key: not the key of");
  }
  {
    auto f = file;
    state(f)["no_such_field"] = 1;
    refused(f, "staking: state");
  }
  {
    auto f = file;
    f["modules"]["staking"]["params"] = nlohmann::json::object();
    refused(f, "unknown field 'params'");
  }
}

TEST_F(GenesisExportTest, TamperedExportsAreRefusedWithTheField) {
  run_scenario();
  const nlohmann::json file = export_now();
  auto refused = [&](const nlohmann::json& changed, const std::string& expected) {
    expect_refused(changed, {expected});
  };
  {
    // Burned and held no longer add up to the fixed supply.
    auto f = file;
    f["modules"]["tokenomics"]["state"]["burns"][0]["amount"] = std::to_string(2 * kBtt);
    refused(f, "fixed supply");
  }
  {
    auto f = file;
    f["modules"]["tokenomics"]["state"]["milestones"][0]["category"] = "treasury";
    refused(f, "is not a milestones category");
  }
  {
    auto f = file;
    f["modules"]["tokenomics"]["categories"] = nlohmann::json::array();
    refused(f, "tokenomics");
  }
  {
    auto f = file;
    f["modules"]["compute"]["state"]["due"].push_back({{"height", "99"}, {"job", "77"}});
    refused(f, "due: no job 77");
  }
  {
    auto f = file;
    f["modules"]["compute"]["state"]["next_job"] = "1";
    refused(f, "not below next_job");
  }
  {
    auto f = file;
    f["modules"]["compute"]["state"]["params"]["attesters"] =
        nlohmann::json::array({alice->addr()});
    refused(f, "attesters are roles");
  }
  {
    auto f = file;
    f["modules"]["compute"]["state"]["no_such_field"] = 1;
    refused(f, "compute.state");
  }
  {
    auto f = file;
    f["accounts"][0]["nonce"] = "-1";
    refused(f, "nonce");
  }
  {
    auto f = file;
    f["initial_height"] = "0";
    refused(f, "initial_height");
  }
}

}  // namespace
}  // namespace btt::testkit

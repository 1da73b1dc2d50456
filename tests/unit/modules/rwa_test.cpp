// RWA: identity claims, issuance with the minting fee and its burn, transfers under every
// compliance rule (each refusal names its rule), agents (freeze, forced transfer, recovery,
// pause), documents, revaluation and NAV, distributions at a record point with exact shares,
// redemption and retirement, and the life cycle of a tokenized dental imaging centre.
#include <gtest/gtest.h>

#include "btt/chain/params.h"
#include "btt/ledger/proto_json.h"
#include "btt/modules/oracle/errors.h"
#include "btt/modules/rwa/events.h"
#include "rwa_fixture.h"

namespace btt::testkit {
namespace {

namespace errors = modules::rwa::errors;
constexpr uint64_t kBtt = kUnitsPerBtt;
constexpr uint64_t kMintFee = 20'000 * kBtt;  // 2% of USD 1,000,000 at 1 BTT = 1 USD

const ledger::Module& rwa_module(const TestEnv& env) {
  for (const auto& m : env.registry().modules()) {
    if (m->name() == rwa::kModuleName) return *m;
  }
  throw std::logic_error("no rwa module");
}

// --- identity ------------------------------------------------------------------------------

TEST_F(RwaTest, AttestersSetReplaceAndRevokeClaims) {
  const uint64_t expiry = env.time_ms() + kDayMs;
  auto out = run(attester, claim_msg(alice, expiry, "DE", true, true));
  EXPECT_EQ(ledger::attribute(out.events.back(), "country"), "DE");
  auto c = view().claim(alice.address());
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->kyc());
  EXPECT_TRUE(c->accredited());
  EXPECT_EQ(c->expiry_ms(), expiry);
  EXPECT_EQ(c->attester(), attester.addr());
  EXPECT_EQ(c->record_hash(), std::string(32, 'k'));
  // A new claim replaces the old one whole.
  run(attester, claim_msg(alice, expiry + 1, "FR", true, false));
  EXPECT_EQ(view().claim(alice.address())->country(), "FR");
  EXPECT_FALSE(view().claim(alice.address())->accredited());

  refused(alice, claim_msg(bob, expiry, "DE"), errors::kNotAttester);
  refused(attester, claim_msg(bob, env.time_ms(), "DE"), errors::kClaimExpired);
  refused(attester, claim_msg(bob, expiry, "de"), errors::kBadField);
  auto bad_hash = claim_msg(bob, expiry, "DE");
  bad_hash.mutable_set_claim()->set_record_hash("short");
  refused(attester, bad_hash, errors::kBadField);
  auto bad_addr = claim_msg(bob, expiry, "DE");
  bad_addr.mutable_set_claim()->set_account("btt1nope");
  refused(attester, bad_addr, errors::kBadAddress);

  refused(alice, revoke_claim_msg(alice), errors::kNotAttester);
  run(attester, revoke_claim_msg(alice));
  EXPECT_FALSE(view().claim(alice.address()));
  refused(attester, revoke_claim_msg(alice), errors::kNoClaim);
}

// --- issuance ------------------------------------------------------------------------------

TEST_F(RwaTest, IssuancePaysTheMintingFeeBurnsItsShareAndMintsEveryFraction) {
  verify(clinic);
  const uint64_t btt_before = env.balance(clinic);
  const uint64_t treasury_before = treasury();
  const uint64_t supply_before = env.ledger().supply("BTT");
  auto out = run(clinic, register_msg(valuer, 1'000'000, 2, 100'000'000));
  // 2% of 10^8 cents = 2,000,000 cents = 20,000 BTT; half burned, half to the treasury.
  EXPECT_EQ(env.balance(clinic), btt_before - out.fee_paid - kMintFee);
  EXPECT_EQ(treasury(), treasury_before + kMintFee / 2);
  EXPECT_EQ(burned_rwa(), kMintFee / 2);
  EXPECT_EQ(env.ledger().supply("BTT"), supply_before - kMintFee / 2);
  EXPECT_EQ(fractions(clinic), 1'000'000u);
  EXPECT_EQ(env.ledger().supply(kDic), 1'000'000u);
  const auto r = asset();
  EXPECT_EQ(r.issuer(), clinic.addr());
  EXPECT_EQ(r.mint_fee(), kMintFee);
  EXPECT_EQ(r.mint_burned(), kMintFee / 2);
  EXPECT_EQ(r.listing_fee(), 0u);
  EXPECT_EQ(r.holders(), 0u);  // the issuer is not counted
  EXPECT_EQ(r.valuer(), valuer.addr());
  ASSERT_EQ(view().appraisals(kDic).size(), 1u);
  EXPECT_EQ(view().appraisals(kDic)[0].appraised_value(), 100'000'000u);
  const auto& ev = out.events.back();
  EXPECT_EQ(ev.type(), "rwa.asset_registered");
  EXPECT_EQ(ledger::attribute(ev, "burned"), std::to_string(kMintFee / 2));

  // Tier 3 with a premium listing: 3% = 30,000 BTT plus the 1,000 BTT listing fee.
  const uint64_t before = env.balance(clinic);
  out = run(clinic, register_msg(valuer, 500, 3, 100'000'000, "DIC2", true));
  EXPECT_EQ(env.balance(clinic), before - out.fee_paid - 31'000 * kBtt);
  EXPECT_EQ(treasury(), treasury_before + kMintFee / 2 + 15'000 * kBtt + 1'000 * kBtt);
  EXPECT_EQ(view().asset("DIC2")->listing_fee(), 1'000 * kBtt);
  EXPECT_EQ(view().assets().size(), 2u);
}

TEST_F(RwaTest, IssuanceRefusals) {
  refused(clinic, register_msg(valuer, 1'000, 1, 1'000), errors::kKycRequired);
  run(attester, claim_msg(clinic, env.time_ms() + 5'000, "DE"));
  env.advance_time(10'000);
  env.close_block();
  refused(clinic, register_msg(valuer, 1'000, 1, 1'000), errors::kClaimExpired);
  verify(clinic);
  refused(clinic, register_msg(alice, 1'000, 1, 1'000), errors::kNotValuer);
  refused(clinic, register_msg(valuer, 0, 1, 1'000), errors::kZeroAmount);
  refused(clinic, register_msg(valuer, 1'000, 0, 1'000), errors::kBadField);
  refused(clinic, register_msg(valuer, 1'000, 1, 1'000, "dic"), errors::kBadField);
  refused(clinic, register_msg(valuer, 1'000'000'000'001, 1, 1'000), errors::kTooManyFractions);
  auto no_valuer = register_msg(valuer, 1'000, 1, 1'000);
  no_valuer.mutable_register_rwa_asset()->set_valuer("x");
  refused(clinic, no_valuer, errors::kBadAddress);
  // A fee the issuer cannot pay: 1% of USD 10^9 = 10^7 BTT.
  refused(clinic, register_msg(valuer, 1'000, 1, 100'000'000'000),
          ErrorDef{0, Code::kInsufficientFunds, ""});
  run(clinic, register_msg(valuer, 1'000, 1, 1'000));
  refused(clinic, register_msg(valuer, 1'000, 1, 1'000), errors::kAssetExists);
  // A stale price refuses (the oracle's max_age_ms is 5 minutes).
  env.advance_time(301'000);
  env.close_block();
  refused(clinic, register_msg(valuer, 1'000, 1, 1'000, "DIC3"), modules::oracle::errors::kNoPrice);
}

class RwaSmallLimits : public RwaTest {
 protected:
  RwaSmallLimits()
      : RwaTest({{"max_countries", 1},
                 {"max_documents", 1},
                 {"distribution_expiry_ms", "60000"},
                 {"premium_listing_fee", "18446744073709551615"}}) {}
};

TEST_F(RwaSmallLimits, CountryListsDocumentsAndFeeOverflowAreBounded) {
  verify(clinic);
  auto two = register_msg(valuer, 1'000, 1, 1'000);
  two.mutable_register_rwa_asset()->mutable_rules()->add_deny_countries("FR");
  two.mutable_register_rwa_asset()->mutable_rules()->add_deny_countries("IT");
  refused(clinic, two, errors::kTooManyCountries);
  refused(clinic, register_msg(valuer, 1'000, 1, 1'000, "DIC", true), errors::kFeeOverflow);
  run(clinic, register_msg(valuer, 1'000, 1, 1'000));
  v1::TransferRules rules;
  rules.add_allow_countries("DE");
  rules.add_allow_countries("AT");
  refused(clinic, rules_msg(rules), errors::kTooManyCountries);
  run(clinic, document_msg("appraisal", "ipfs://a"));
  refused(clinic, document_msg("lease", "ipfs://l"), errors::kTooManyDocuments);
  run(clinic, document_msg("appraisal", "ipfs://a2"));  // an update is no new document
}

TEST(RwaDisabled, MessagesAreRefusedWithoutTheGenesisSection) {
  TestEnv env;
  const Account& a = env.account("a", 10 * kBtt);
  auto out = env.apply(env.tx(a).message(transfer_msg(a, 1)).sign(), errors::kNotEnabled.kind);
  EXPECT_EQ(out.status.detail(), errors::kNotEnabled.detail);
}

// --- transfers and compliance ----------------------------------------------------------------

TEST_F(RwaTest, TransfersPassEveryRuleAndARefusalNamesIt) {
  issue();
  verify(alice, "DE");
  auto out = run(clinic, transfer_msg(alice, 1'000));
  EXPECT_EQ(out.events.back().type(), "rwa.transfer");
  EXPECT_EQ(fractions(alice), 1'000u);
  EXPECT_EQ(fractions(clinic), 999'000u);
  EXPECT_EQ(asset().holders(), 1u);

  // No claim, an expired claim.
  refused(alice, transfer_msg(bob, 10), errors::kKycRequired);
  run(attester, claim_msg(bob, env.time_ms() + 2'000, "FR"));
  env.advance_time(5'000);
  env.close_block();
  refused(alice, transfer_msg(bob, 10), errors::kClaimExpired);
  verify(bob, "FR");
  // The compliance query answers with the rule, before and after a rules change.
  EXPECT_TRUE(view().check(kDic, alice.address(), bob.address(), 10, env.time_ms()).allowed());

  v1::TransferRules rules;
  rules.set_require_kyc(true);
  rules.set_require_accredited(true);
  run(clinic, rules_msg(rules));
  refused(alice, transfer_msg(bob, 10), errors::kAccreditedRequired);
  const auto answer = view().check(kDic, alice.address(), bob.address(), 10, env.time_ms());
  EXPECT_FALSE(answer.allowed());
  EXPECT_EQ(answer.rule(), "compliance_accredited_required");
  EXPECT_EQ(answer.detail(), 9016u);

  rules.set_require_accredited(false);
  rules.add_allow_countries("DE");
  run(clinic, rules_msg(rules));
  refused(alice, transfer_msg(bob, 10), errors::kCountryNotAllowed);
  rules.clear_allow_countries();
  rules.add_deny_countries("FR");
  run(clinic, rules_msg(rules));
  refused(alice, transfer_msg(bob, 10), errors::kCountryDenied);
  rules.clear_deny_countries();
  rules.set_max_holding(1'500);
  run(clinic, rules_msg(rules));
  refused(clinic, transfer_msg(alice, 501), errors::kMaxHolding);
  run(clinic, transfer_msg(alice, 500));  // exactly the limit
  rules.set_max_holding(0);
  rules.set_max_holders(1);
  run(clinic, rules_msg(rules));
  refused(clinic, transfer_msg(bob, 10), errors::kMaxHolders);
  // Alice leaving makes room: a transfer of her whole holding to bob keeps one holder.
  run(alice, transfer_msg(bob, 1'500));
  EXPECT_EQ(asset().holders(), 1u);
  rules.set_max_holders(0);
  rules.set_lockup_until_ms(env.time_ms() + 10'000);
  run(clinic, rules_msg(rules));
  refused(bob, transfer_msg(alice, 10), errors::kLockup);
  run(clinic, transfer_msg(alice, 10));  // the issuer places fractions during the lock-up
  env.advance_time(10'000);
  env.close_block();
  run(bob, transfer_msg(alice, 10));

  refused(bob, transfer_msg(bob, 1), errors::kSelfTransfer);
  refused(bob, transfer_msg(alice, 1'491), errors::kInsufficientFractions);
  refused(bob, transfer_msg(alice, 0), errors::kZeroAmount);
  auto wrong = transfer_msg(alice, 1);
  wrong.mutable_transfer_fractions()->set_asset("rwa/NOPE");
  refused(bob, wrong, errors::kUnknownAsset);
  // Bank cannot move fractions: the module's lock holds every rwa balance back (303).
  env.apply(env.tx(bob).transfer(alice, 1, kDic).sign(), Code::kLockedFunds);
  EXPECT_EQ(fractions(bob), 1'490u);
}

// --- agents ----------------------------------------------------------------------------------

TEST_F(RwaTest, AgentsFreezeWholeOrPartHoldingsAndFreezesHold) {
  issue();
  verify(alice);
  verify(bob);
  run(clinic, transfer_msg(alice, 1'000));
  refused(agent, freeze_msg(alice, 100), errors::kNotAgent);
  refused(alice, agent_msg(agent, true, false, false, false), errors::kNotIssuer);
  refused(clinic, agent_msg(agent, false, false, false, false), errors::kNoChange);
  run(clinic, agent_msg(agent, true, false, false, false));

  auto out = run(agent, freeze_msg(alice, 400));
  EXPECT_EQ(ledger::attribute(out.events.back(), "frozen"), "400");
  EXPECT_EQ(rwa::frozen_fractions(env.ledger_state(), kDic, alice.address()), 400u);
  refused(alice, transfer_msg(bob, 601), errors::kFrozen);
  run(alice, transfer_msg(bob, 600));
  refused(agent, freeze_msg(alice, 1), errors::kFreezeExceeds);  // 400 of 400 frozen
  refused(agent, unfreeze_msg(alice, 401), errors::kFreezeExceeds);
  refused(agent, unfreeze_msg(bob, 0), errors::kNotFrozen);
  run(agent, unfreeze_msg(alice, 150));
  EXPECT_EQ(rwa::frozen_fractions(env.ledger_state(), kDic, alice.address()), 250u);
  run(alice, transfer_msg(bob, 150));
  // A whole freeze holds what arrives later too.
  run(agent, freeze_msg(bob, 0));
  refused(agent, freeze_msg(bob, 0), errors::kNoChange);
  run(clinic, transfer_msg(bob, 50));
  EXPECT_EQ(rwa::frozen_fractions(env.ledger_state(), kDic, bob.address()), 800u);
  refused(bob, transfer_msg(alice, 1), errors::kFrozen);
  refused(agent, unfreeze_msg(bob, 10), errors::kFreezeExceeds);  // a whole freeze lifts whole
  run(agent, unfreeze_msg(bob, 0));
  run(bob, transfer_msg(alice, 1));
  EXPECT_FALSE(view().freezes(kDic).empty());  // alice's partial freeze remains
}

TEST_F(RwaTest, ForcedTransfersCheckTheReceiverAndNeverUnfreezeOnTheirOwn) {
  issue();
  verify(alice);
  verify(bob);
  const Account& carol = env.account("carol", 10 * kBtt);
  run(clinic, transfer_msg(alice, 1'000));
  run(clinic, agent_msg(agent, false, true, false, false));  // force only
  refused(alice, forced_msg(alice, bob, 1), errors::kNotAgent);
  // To oneself: refused, it could only unfreeze (ERCs #1778).
  refused(agent, forced_msg(alice, alice, 1), errors::kSelfTransfer);
  // The receiver's identity is still checked (T-REX #240).
  refused(agent, forced_msg(alice, carol, 10), errors::kKycRequired);
  // Forced transfers work while paused and during a lock-up.
  const Account& pauser = env.account("pauser", 10 * kBtt);
  run(clinic, agent_msg(pauser, false, false, false, true));
  run(pauser, pause_msg(true));
  refused(pauser, pause_msg(true), errors::kNoChange);
  refused(alice, transfer_msg(bob, 1), errors::kPaused);
  auto out = run(agent, forced_msg(alice, bob, 100));
  EXPECT_EQ(ledger::attribute(out.events.back(), "frozen_moved"), "0");
  EXPECT_EQ(fractions(bob), 100u);
  run(pauser, pause_msg(false));

  // Frozen fractions move only with the freeze role too, and stay frozen at the receiver.
  const Account& freezer = env.account("freezer", 10 * kBtt);
  run(clinic, agent_msg(freezer, true, false, false, false));
  run(freezer, freeze_msg(alice, 800));  // alice: 900, 800 frozen
  refused(agent, forced_msg(alice, bob, 101), errors::kFrozen);
  run(agent, forced_msg(alice, bob, 100));  // the free part
  run(clinic, agent_msg(agent, true, true, false, false));
  out = run(agent, forced_msg(alice, bob, 300));
  EXPECT_EQ(ledger::attribute(out.events.back(), "frozen_moved"), "300");
  EXPECT_EQ(rwa::frozen_fractions(env.ledger_state(), kDic, alice.address()), 500u);
  EXPECT_EQ(rwa::frozen_fractions(env.ledger_state(), kDic, bob.address()), 300u);
  EXPECT_EQ(fractions(alice), 500u);
  EXPECT_EQ(fractions(bob), 500u);
  refused(agent, forced_msg(bob, alice, 501), errors::kInsufficientFractions);
}

TEST_F(RwaTest, RecoveryMovesHoldingsFreezesAndEntitlementsToAVerifiedAccount) {
  issue();
  verify(alice);
  const Account& fresh = env.account("alice-new", 10 * kBtt);
  run(clinic, transfer_msg(alice, 100'000));
  run(clinic, agent_msg(agent, true, false, true, false));
  run(agent, freeze_msg(alice, 40'000));
  run(clinic, deposit_msg(1'000 * kBtt));  // alice is owed 100,000 / 1,000,000 of it
  refused(agent, recover_msg(alice, fresh), errors::kKycRequired);
  refused(agent, recover_msg(alice, alice), errors::kSelfTransfer);
  refused(bob, recover_msg(alice, fresh), errors::kNotAgent);
  verify(fresh);
  const uint64_t fresh_btt = env.balance(fresh);
  auto out = run(agent, recover_msg(alice, fresh));
  EXPECT_EQ(out.events.back().type(), "rwa.recovered");
  EXPECT_EQ(fractions(alice), 0u);
  EXPECT_EQ(fractions(fresh), 100'000u);
  EXPECT_EQ(rwa::frozen_fractions(env.ledger_state(), kDic, fresh.address()), 40'000u);
  EXPECT_EQ(env.balance(fresh), fresh_btt + 100 * kBtt);  // the unclaimed share, paid over
  refused(alice, claim_dist_msg(1), errors::kAlreadyClaimed);
  refused(agent, recover_msg(alice, fresh), errors::kNothingToRecover);
  EXPECT_EQ(asset().holders(), 1u);
}

// --- documents and valuation -----------------------------------------------------------------

TEST_F(RwaTest, DocumentsAreVersionedAddUpdateRemove) {
  issue();
  auto out = run(clinic, document_msg("appraisal", "ipfs://bafy-appraisal-1"));
  EXPECT_EQ(ledger::attribute(out.events.back(), "version"), "1");
  out = run(clinic, document_msg("appraisal", "ipfs://bafy-appraisal-2"));
  EXPECT_EQ(ledger::attribute(out.events.back(), "version"), "2");
  run(clinic, document_msg("lease", "https://clinic.example/lease.pdf"));
  auto docs = view().documents(kDic, false);
  ASSERT_EQ(docs.size(), 2u);
  EXPECT_EQ(docs[0].uri(), "ipfs://bafy-appraisal-2");
  out = run(clinic, document_msg("lease", "", true));
  EXPECT_EQ(ledger::attribute(out.events.back(), "removed"), "true");
  EXPECT_EQ(view().documents(kDic, false).size(), 1u);
  EXPECT_EQ(view().documents(kDic, true).size(), 2u);
  EXPECT_EQ(view().documents(kDic, true)[1].version(), 2u);
  refused(clinic, document_msg("lease", "", true), errors::kNoDocument);
  refused(alice, document_msg("x", "ipfs://x"), errors::kNotIssuer);
  refused(clinic, document_msg("", "ipfs://x"), errors::kBadField);
}

TEST_F(RwaTest, RevaluationChargesTheIssuerKeepsHistoryAndNav) {
  issue();
  refused(alice, revalue_msg(120'000'000), errors::kNotValuer);
  const uint64_t clinic_btt = env.balance(clinic);
  const uint64_t treasury_before = treasury();
  run(valuer, revalue_msg(120'000'000));
  // 0.25% of USD 1,200,000 = USD 3,000 = 3,000 BTT, from the issuer to the treasury.
  EXPECT_EQ(env.balance(clinic), clinic_btt - 3'000 * kBtt);
  EXPECT_EQ(treasury(), treasury_before + 3'000 * kBtt);
  const auto history = view().appraisals(kDic);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[1].seq(), 2u);
  EXPECT_EQ(history[1].fee(), 3'000 * kBtt);
  const auto info = view().info(asset());
  EXPECT_EQ(info.nav_per_fraction(), 120u);  // cents per fraction
  EXPECT_EQ(info.nav_num(), 120'000'000u);
  EXPECT_EQ(info.nav_den(), 1'000'000u);
  // An issuer that cannot pay the fee: the valuer's message fails with 300.
  refused(valuer, revalue_msg(100'000'000'000'000), ErrorDef{0, Code::kInsufficientFunds, ""});
}

// --- distributions ---------------------------------------------------------------------------

TEST_F(RwaSmallLimits, DistributionsPayTheRecordHoldersExactlyAndReturnTheRest) {
  verify(clinic);
  run(clinic, register_msg(valuer, 1'000'000, 2, 100'000'000));
  verify(alice);
  verify(bob);
  const Account& carol = env.account("carol", 10 * kBtt);
  run(clinic, transfer_msg(alice, 300'000));
  run(clinic, transfer_msg(bob, 100'000));
  refused(alice, deposit_msg(10), errors::kNotIssuer);
  refused(clinic, deposit_msg(10, "XYZ"), errors::kBadPayAsset);
  const uint64_t amount = 10 * kBtt + 7;
  auto out = run(clinic, deposit_msg(amount));
  EXPECT_EQ(ledger::attribute(out.events.back(), "record_supply"), "1000000");
  EXPECT_EQ(env.balance(rwa::distributions_address()), amount);
  // Balances after the record point do not change the shares.
  run(alice, transfer_msg(bob, 100'000));
  const uint64_t alice_btt = env.balance(alice);
  out = run(alice, claim_dist_msg(1));
  // floor(300,000 x 1,000,000,007 / 1,000,000) = 300,000,002.
  EXPECT_EQ(env.balance(alice), alice_btt - out.fee_paid + 300'000'002);
  refused(alice, claim_dist_msg(1), errors::kAlreadyClaimed);
  EXPECT_EQ(view().claimable(*view().distribution(1), bob.address()).amount(), 100'000'000u);
  const uint64_t bob_btt = env.balance(bob);
  out = run(bob, claim_dist_msg(1));
  EXPECT_EQ(env.balance(bob), bob_btt - out.fee_paid + 100'000'000);
  refused(carol, claim_dist_msg(1), errors::kNothingToClaim);
  refused(carol, claim_dist_msg(9), errors::kNoDistribution);
  refused(carol, claim_dist_msg(0), errors::kBadField);
  refused(clinic, reclaim_msg(1), errors::kNotExpired);
  refused(alice, reclaim_msg(1), errors::kNotIssuer);

  // The second distribution sees the new balances: alice 200,000, bob 200,000.
  run(clinic, deposit_msg(4 * kBtt));
  EXPECT_EQ(view().claimable(*view().distribution(2), alice.address()).amount(), 80'000'000u);
  // A holder whose claim lapsed cannot claim until it is renewed.
  run(attester, claim_msg(bob, env.time_ms() + 2'000, "DE"));
  env.advance_time(3'000);
  env.close_block();
  refused(bob, claim_dist_msg(2), errors::kClaimExpired);
  verify(bob);
  run(bob, claim_dist_msg(2));

  // After the expiry: claims close, the issuer takes back the unclaimed rest and the dust, by
  // itself in the block or at the end-block for what it left.
  env.advance_time(60'000);
  refused(alice, claim_dist_msg(2), errors::kDistributionExpired);
  const uint64_t clinic_btt = env.balance(clinic);
  out = run(clinic, reclaim_msg(1));
  EXPECT_EQ(env.balance(clinic), clinic_btt - out.fee_paid + amount - 400'000'002);
  refused(clinic, reclaim_msg(1), errors::kAlreadyReclaimed);
  const uint64_t before_end = env.balance(clinic);
  env.close_block();
  EXPECT_EQ(env.balance(clinic), before_end + 4 * kBtt - 80'000'000);
  EXPECT_TRUE(view().distribution(2)->reclaimed());
  EXPECT_EQ(view().distribution(2)->reclaimed_amount(), 4 * kBtt - 80'000'000);
  EXPECT_EQ(env.balance(rwa::distributions_address()), 0u);
  bool returned = false;
  for (const auto& e : env.block_events()) {
    returned = returned || (e.type() == "rwa.distribution_reclaimed" &&
                            ledger::attribute(e, "distribution_id") == "2");
  }
  EXPECT_TRUE(returned);
  refused(clinic, reclaim_msg(2), errors::kAlreadyReclaimed);
}

TEST_F(RwaTest, DistributionsPayInAPaymentAsset) {
  issue();
  verify(alice);
  run(clinic, transfer_msg(alice, 250'000));
  const Account& gateway = env.account("gateway", 10 * kBtt);
  modules::roles::grant_at_genesis(env.ledger_state(), env.direct_events(),
                                   modules::roles::kPaymentGateway, gateway.address());
  v1::Message m;
  m.mutable_register_payment_asset()->set_asset("CNYT");
  m.mutable_register_payment_asset()->set_decimals(2);
  run(gateway, m);
  m.Clear();
  m.mutable_gateway_deposit()->set_asset("CNYT");
  m.mutable_gateway_deposit()->set_to(clinic.addr());
  m.mutable_gateway_deposit()->set_amount(1'000'003);
  m.mutable_gateway_deposit()->set_deposit_ref("rent-q1");
  run(gateway, m);
  run(clinic, deposit_msg(1'000'003, "CNYT"));
  EXPECT_EQ(env.balance(rwa::distributions_address(), "CNYT"), 1'000'003u);
  run(alice, claim_dist_msg(1));
  EXPECT_EQ(env.balance(alice, "CNYT"), 250'000u);  // floor(250,000 x 1,000,003 / 10^6)
  EXPECT_EQ(view().distribution(1)->claimed(), 250'000u);
}

// The exchange settles fills with check_transfer then move_fractions: the snapshots and the
// holder index follow, so distributions see fills like transfers.
TEST_F(RwaTest, MoveFractionsKeepsHoldersAndSnapshotsForTheExchange) {
  issue();
  verify(alice);
  ASSERT_TRUE(rwa::check_transfer(env.ledger_state(), kDic, clinic.address(), alice.address(),
                                  2'000, env.time_ms()));
  ASSERT_TRUE(rwa::move_fractions(env.ledger_state(), env.direct_events(), kDic, clinic.address(),
                                  alice.address(), 2'000));
  EXPECT_EQ(fractions(alice), 2'000u);
  EXPECT_EQ(asset().holders(), 1u);
  EXPECT_EQ(rwa::free_fractions(env.ledger_state(), kDic, alice.address()), 2'000u);
  EXPECT_FALSE(rwa::move_fractions(env.ledger_state(), env.direct_events(), kDic, alice.address(),
                                   clinic.address(), 2'001));
  run(clinic, deposit_msg(kBtt));
  EXPECT_EQ(view().claimable(*view().distribution(1), alice.address()).amount(),
            kBtt * 2'000 / 1'000'000);
  env.close_block();
}

// --- redemption ------------------------------------------------------------------------------

TEST_F(RwaTest, RedemptionBurnsIssuerFractionsAndRetirementEndsTheAsset) {
  issue();
  verify(alice);
  run(clinic, transfer_msg(alice, 1'000));
  refused(alice, redeem_msg(10), errors::kNotIssuer);
  refused(clinic, redeem_msg(1'000'000), errors::kWholeSupply);
  refused(clinic, redeem_msg(999'001), errors::kInsufficientFractions);
  run(clinic, agent_msg(agent, true, false, false, false));
  run(agent, freeze_msg(clinic, 998'000));
  refused(clinic, redeem_msg(1'001), errors::kFrozen);
  run(agent, unfreeze_msg(clinic, 0));
  auto out = run(clinic, redeem_msg(9'000));
  EXPECT_EQ(ledger::attribute(out.events.back(), "supply"), "991000");
  EXPECT_EQ(asset().supply(), 991'000u);
  EXPECT_EQ(asset().redeemed(), 9'000u);
  EXPECT_EQ(env.ledger().supply(kDic), 991'000u);
  EXPECT_EQ(view().info(asset()).nav_den(), 991'000u);

  refused(clinic, retire_msg(), errors::kNotAllHeld);
  run(alice, transfer_msg(clinic, 1'000));
  run(clinic, deposit_msg(kBtt));
  refused(clinic, retire_msg(), errors::kDistributionsOpen);
  run(clinic, claim_dist_msg(1));  // the issuer, sole holder, claims all of it
  out = run(clinic, retire_msg());
  EXPECT_EQ(ledger::attribute(out.events.back(), "amount"), "991000");
  EXPECT_TRUE(asset().retired());
  EXPECT_EQ(asset().supply(), 0u);
  EXPECT_EQ(fractions(clinic), 0u);
  EXPECT_EQ(env.ledger().supply(kDic), 0u);
  refused(clinic, retire_msg(), errors::kRetired);
  refused(clinic, redeem_msg(1), errors::kRetired);
}

// --- params and genesis ----------------------------------------------------------------------

TEST_F(RwaTest, ParamsAndGenesisAreValidated) {
  auto s = chain::set_params_json(env.registry(), env.ledger_state(), env.direct_events(), "rwa",
                                  R"({"mint_fee_bps": [100, 200]})");
  EXPECT_EQ(s.detail(), errors::kBadParams.detail) << s.to_string();
  auto j = ledger::proto_to_json(view().params());
  ASSERT_TRUE(j);
  (*j)["mint_fee_bps"] = {100, 150, 250};
  s = chain::set_params_json(env.registry(), env.ledger_state(), env.direct_events(), "rwa",
                             j->dump());
  EXPECT_TRUE(s) << s.to_string();
  EXPECT_EQ(view().params().mint_fee_bps(1), 150u);
  const auto& m = rwa_module(env);
  ledger::GenesisInfo info;
  s = m.validate_genesis(nlohmann::json{{"params", {{"distribution_expiry_ms", "0"}}}}, info);
  EXPECT_EQ(s.detail(), errors::kBadParams.detail);
  s = m.validate_genesis(nlohmann::json{{"nonsense", 1}}, info);
  EXPECT_EQ(s.detail(), errors::kBadGenesis.detail);
  s = m.validate_genesis(nlohmann::json::array(), info);
  EXPECT_EQ(s.detail(), errors::kBadGenesis.detail);
  EXPECT_TRUE(m.validate_genesis(nlohmann::json(), info));
}

// --- the life cycle ----------------------------------------------------------------------------

// A dental imaging centre (CBCT and panoramic suite) tokenized into 1,000,000 fractions,
// appraised at USD 1,000,000: KYC, issuance with the fee and its burn, investors, revaluation,
// a quarter's imaging revenue distributed and claimed, a court-ordered forced transfer, a lost
// key recovered, a buy-back redeemed, and the asset retired at the end.
TEST_F(RwaTest, DentalImagingCentreLifeCycle) {
  issue();
  EXPECT_EQ(burned_rwa(), 10'000 * kBtt);
  run(clinic, document_msg("appraisal", "ipfs://bafy-appraisal"));
  run(clinic, agent_msg(agent, true, true, true, true));
  verify(alice, "DE", true);
  verify(bob, "AT", true);
  v1::TransferRules rules;
  rules.set_require_kyc(true);
  rules.add_allow_countries("DE");
  rules.add_allow_countries("AT");
  rules.set_max_holding(500'000);
  run(clinic, rules_msg(rules));
  run(clinic, transfer_msg(alice, 250'000));
  // Bob buys his 150,000 through the order book: the clinic rests a sell at 100 base units a
  // fraction; Bob's first buy fills 100,000 of it, an IOC the other 50,000 at the maker's price.
  v1::Message sell;
  auto* o = sell.mutable_place_order();
  o->set_asset(kDic);
  o->set_quote_asset("BTT");
  o->set_side(v1::ORDER_SIDE_SELL);
  o->set_price(100);
  o->set_amount(150'000);
  run(clinic, sell);
  v1::Message buy = sell;
  buy.mutable_place_order()->set_side(v1::ORDER_SIDE_BUY);
  buy.mutable_place_order()->set_amount(100'000);
  const uint64_t clinic_btt = env.balance(clinic);
  const uint64_t treasury_btt = treasury();
  run(bob, buy);
  EXPECT_EQ(view().order(1)->open(), 50'000u);  // partly filled
  buy.mutable_place_order()->set_price(120);
  buy.mutable_place_order()->set_amount(50'000);
  buy.mutable_place_order()->set_time_in_force(v1::TIME_IN_FORCE_IOC);
  run(bob, buy);
  EXPECT_FALSE(view().order(1));
  EXPECT_EQ(fractions(bob), 150'000u);
  EXPECT_EQ(env.balance(clinic), clinic_btt + 15'000'000);  // 150,000 x 100
  EXPECT_EQ(treasury(), treasury_btt + 50'000 + 25'000);    // 0.5% of each fill
  run(alice, transfer_msg(bob, 50'000));
  EXPECT_EQ(asset().holders(), 2u);

  run(valuer, revalue_msg(110'000'000));  // fee 0.25% of USD 1.1M = 2,750 BTT
  EXPECT_EQ(view().appraisals(kDic).back().fee(), 2'750 * kBtt);

  // Revenue of the quarter: 5,000 BTT to the holders of record.
  run(clinic, deposit_msg(5'000 * kBtt));
  const uint64_t alice_btt = env.balance(alice);
  auto out = run(alice, claim_dist_msg(1));
  EXPECT_EQ(env.balance(alice), alice_btt - out.fee_paid + 1'000 * kBtt);  // 200,000 of 1M

  // A court order moves 20,000 of bob's fractions to alice.
  run(agent, forced_msg(bob, alice, 20'000));
  EXPECT_EQ(fractions(alice), 220'000u);
  EXPECT_EQ(fractions(bob), 180'000u);

  // Bob loses his key: his fractions and his unclaimed share go to his new account.
  const Account& bob2 = env.account("bob-new", 10 * kBtt);
  verify(bob2, "AT", true);
  const uint64_t bob2_btt = env.balance(bob2);
  run(agent, recover_msg(bob, bob2));
  EXPECT_EQ(fractions(bob2), 180'000u);
  EXPECT_EQ(env.balance(bob2), bob2_btt + 1'000 * kBtt);  // 200,000 of 1M at the record

  // The clinic buys everything back and retires the asset.
  run(alice, transfer_msg(clinic, 220'000));
  run(bob2, transfer_msg(clinic, 180'000));
  run(clinic, redeem_msg(100'000));
  run(clinic, claim_dist_msg(1));  // its own 600,000 share
  EXPECT_EQ(view().distribution(1)->claimed(), 5'000 * kBtt);
  run(clinic, retire_msg());
  EXPECT_TRUE(asset().retired());
  EXPECT_EQ(asset().redeemed(), 1'000'000u);
  env.close_block();
}

// Every ErrorDef of errors.h is produced by a test above (this list names them; the test fails
// when errors.h gains one that is not here).
const std::set<uint32_t> kProducedByATest = {
    9001, 9002, 9003, 9004, 9005, 9006, 9007, 9008, 9009, 9010, 9011, 9012, 9013, 9014, 9015, 9016,
    9017, 9018, 9019, 9020, 9021, 9022, 9023, 9024, 9025, 9026, 9027, 9028, 9029, 9030, 9031, 9032,
    9033, 9034, 9035, 9036, 9037, 9038, 9039, 9040, 9041, 9042, 9043, 9044, 9045,
    // the exchange: rwa_market_test.cpp
    9046, 9047, 9048, 9049, 9050, 9051, 9052, 9053, 9054, 9055, 9056, 9057, 9058};

TEST_F(RwaTest, EveryErrorIsProducedByATest) {
  std::set<uint32_t> declared;
  for (const auto* e : rwa_module(env).errors()) {
    declared.insert(e->detail);
    EXPECT_TRUE(kProducedByATest.count(e->detail)) << e->name << " has no refusal test";
  }
  EXPECT_EQ(declared, kProducedByATest);
}

}  // namespace
}  // namespace btt::testkit

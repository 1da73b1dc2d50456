// Consent module: a patient grants, a delegate grants and revokes for the patient, the grantee
// and the custodian declare accesses, end_block marks expired grants; every refusal of every
// handler with its detail and nothing written but the fee; may_read's answers and denials; the
// queries and their paging; params through the generic path; genesis export round trip.
#include <gtest/gtest.h>

#include "btt/chain/params.h"
#include "btt/common/amount.h"
#include "btt/modules/consent/consent.h"
#include "btt/modules/consent/errors.h"
#include "btt/modules/consent/view.h"
#include "testkit/test_env.h"

namespace btt::testkit {
namespace {

namespace cns = modules::consent;
namespace err = modules::consent::errors;
constexpr uint64_t kBtt = kUnitsPerBtt;
constexpr uint64_t kDay = 86'400'000;

std::string record(char c) {
  return std::string(32, c);
}

struct GrantArgs {
  std::string patient;
  std::string grantee;
  std::string hash = record('r');
  std::string custodian;
  int scope = v1::RECORD_SCOPE_FULL;
  std::vector<int> purposes = {v1::CONSENT_PURPOSE_TREATMENT};
  uint64_t expiry_ms = 0;
};

v1::Message grant_msg(const GrantArgs& a) {
  v1::Message m;
  auto* g = m.mutable_grant_consent();
  g->set_patient(a.patient);
  g->set_grantee(a.grantee);
  g->set_record_hash(a.hash);
  g->set_custodian(a.custodian);
  g->set_scope(static_cast<v1::RecordScope>(a.scope));
  for (int p : a.purposes) g->add_purposes(static_cast<v1::ConsentPurpose>(p));
  g->set_expiry_ms(a.expiry_ms);
  return m;
}

v1::Message revoke_msg(uint64_t id) {
  v1::Message m;
  m.mutable_revoke_consent()->set_grant_id(id);
  return m;
}

v1::Message declare_msg(uint64_t id, int purpose = v1::CONSENT_PURPOSE_TREATMENT,
                        int scope = v1::RECORD_SCOPE_UNSPECIFIED) {
  v1::Message m;
  auto* d = m.mutable_declare_access();
  d->set_grant_id(id);
  d->set_purpose(static_cast<v1::ConsentPurpose>(purpose));
  d->set_scope(static_cast<v1::RecordScope>(scope));
  return m;
}

v1::Message delegate_msg(bool set, const std::string& patient, const std::string& delegate) {
  v1::Message m;
  if (set) {
    m.mutable_set_consent_delegate()->set_patient(patient);
    m.mutable_set_consent_delegate()->set_delegate(delegate);
  } else {
    m.mutable_remove_consent_delegate()->set_patient(patient);
    m.mutable_remove_consent_delegate()->set_delegate(delegate);
  }
  return m;
}

class ConsentTest : public ::testing::Test {
 protected:
  ConsentTest() { env.close_block(); }

  GrantArgs args() {
    GrantArgs a;
    a.patient = patient.addr();
    a.grantee = clinic.addr();
    a.custodian = custodian.addr();
    a.expiry_ms = env.time_ms() + 30 * kDay;
    return a;
  }
  chain::TxOutcome send(const Account& from, v1::Message m, Code expected = Code::kOk) {
    return env.apply(env.tx(from).message(std::move(m)).sign(), expected);
  }
  // A refused message: the detail, and nothing written but the fee and the nonce.
  void refused(const Account& from, v1::Message m, const ErrorDef& error) {
    const auto before = cns::ConsentView(env.ledger_state()).genesis_state().SerializeAsString();
    auto out = send(from, std::move(m), error.kind);
    EXPECT_EQ(out.status.detail(), error.detail) << out.status.to_string();
    EXPECT_EQ(cns::ConsentView(env.ledger_state()).genesis_state().SerializeAsString(), before);
  }
  uint64_t grant(const GrantArgs& a, const Account* signer = nullptr) {
    auto out = send(signer ? *signer : patient, grant_msg(a));
    return std::stoull(std::string(ledger::attribute(out.events.back(), "grant_id")));
  }
  cns::ConsentView view() { return cns::ConsentView(env.ledger_state()); }
  cns::AccessCheck may_read(int purpose = v1::CONSENT_PURPOSE_TREATMENT,
                            int scope = v1::RECORD_SCOPE_UNSPECIFIED,
                            const std::string& hash = record('r')) {
    cns::AccessQuery q;
    q.patient = patient.address();
    q.record_hash = hash;
    q.grantee = clinic.address();
    q.purpose = static_cast<v1::ConsentPurpose>(purpose);
    q.scope = static_cast<v1::RecordScope>(scope);
    q.time_ms = env.time_ms();
    return cns::may_read(env.ledger_state(), q);
  }

  TestEnv env;
  const Account& patient = env.account("patient", 10 * kBtt);
  const Account& clinic = env.account("clinic", 10 * kBtt);
  const Account& custodian = env.account("custodian", 10 * kBtt);
  const Account& insurer = env.account("insurer", 10 * kBtt);
  const Account& helper = env.account("helper", 10 * kBtt);
  const Account& stranger = env.account("stranger", 10 * kBtt);
};

TEST_F(ConsentTest, APatientGrantsAndTheGrantIsRecordedIndexedAndAnnounced) {
  auto a = args();
  a.purposes = {v1::CONSENT_PURPOSE_TREATMENT, v1::CONSENT_PURPOSE_SECOND_OPINION};
  auto out = send(patient, grant_msg(a));
  ASSERT_EQ(out.events.size(), 2u);  // the fee, then the grant
  const auto& e = out.events[1];
  EXPECT_EQ(e.type(), "consent.granted");
  EXPECT_EQ(ledger::attribute(e, "grant_id"), "1");
  EXPECT_EQ(ledger::attribute(e, "patient"), patient.addr());
  EXPECT_EQ(ledger::attribute(e, "grantee"), clinic.addr());
  EXPECT_EQ(ledger::attribute(e, "record_hash"), to_hex(record('r')));
  EXPECT_EQ(ledger::attribute(e, "custodian"), custodian.addr());
  EXPECT_EQ(ledger::attribute(e, "scope"), "full");
  EXPECT_EQ(ledger::attribute(e, "purposes"), "treatment,second_opinion");
  EXPECT_EQ(ledger::attribute(e, "expiry_ms"), std::to_string(a.expiry_ms));
  EXPECT_EQ(ledger::attribute(e, "signer"), patient.addr());
  auto g = view().grant(1);
  ASSERT_TRUE(g.has_value());
  EXPECT_EQ(g->status(), v1::GRANT_STATUS_ACTIVE);
  EXPECT_EQ(g->granted_by(), patient.addr());
  EXPECT_EQ(g->granted_ms(), env.time_ms());
  EXPECT_EQ(g->granted_height(), env.height());
  EXPECT_EQ(g->purposes_size(), 2);
  EXPECT_EQ(view().active_grant_ids(patient.address()), std::vector<uint64_t>{1});
  auto ok = may_read(v1::CONSENT_PURPOSE_SECOND_OPINION, v1::RECORD_SCOPE_IMAGING);
  EXPECT_TRUE(ok.allowed) << ok.message;
  EXPECT_EQ(ok.grant_id, 1u);
  EXPECT_EQ(ok.denial, v1::CONSENT_DENIAL_NONE);
  EXPECT_EQ(ok.expiry_ms, a.expiry_ms);
  // The second grant takes the next id.
  a.grantee = insurer.addr();
  EXPECT_EQ(grant(a), 2u);
  env.close_block();
}

TEST_F(ConsentTest, GrantRefusalsOfCheckAreMalformed) {
  auto with = [&](auto change) {
    auto a = args();
    change(a);
    return grant_msg(a);
  };
  struct Case {
    v1::Message m;
    const ErrorDef& error;
  };
  const Case cases[] = {
      {with([](GrantArgs& a) { a.patient = "btt1nope"; }), err::kBadAddress},
      {with([](GrantArgs& a) { a.grantee = ""; }), err::kBadAddress},
      {with([](GrantArgs& a) { a.custodian = "x"; }), err::kBadAddress},
      {with([](GrantArgs& a) { a.hash = std::string(31, 'h'); }), err::kBadRecordHash},
      {with([](GrantArgs& a) { a.hash = ""; }), err::kBadRecordHash},
      {with([](GrantArgs& a) { a.scope = v1::RECORD_SCOPE_UNSPECIFIED; }), err::kBadScope},
      {with([](GrantArgs& a) { a.scope = 99; }), err::kBadScope},
      {with([](GrantArgs& a) { a.purposes = {}; }), err::kBadPurpose},
      {with([](GrantArgs& a) { a.purposes = {0}; }), err::kBadPurpose},
      {with([](GrantArgs& a) {
         a.purposes = {1, 42};
       }),
       err::kBadPurpose},
      {with([](GrantArgs& a) {
         a.purposes = {1, 2, 1};
       }),
       err::kBadPurpose},
      {with([](GrantArgs& a) { a.purposes = {1, 2, 3, 4, 5, 1}; }), err::kBadPurpose},
      {with([](GrantArgs& a) { a.expiry_ms = 0; }), err::kBadExpiry},
      {with([this](GrantArgs& a) { a.grantee = patient.addr(); }), err::kSelfGrant},
  };
  for (const auto& c : cases) {
    auto out = send(patient, c.m, c.error.kind);
    EXPECT_FALSE(out.included);
    EXPECT_EQ(out.status.detail(), c.error.detail) << out.status.to_string();
  }
  EXPECT_FALSE(view().grant(1).has_value());
}

TEST_F(ConsentTest, GrantRefusalsOfPreclaimPayTheFeeAndWriteNothing) {
  // Only the patient or a delegate signs.
  refused(stranger, grant_msg(args()), err::kNotPatientOrDelegate);
  refused(clinic, grant_msg(args()), err::kNotPatientOrDelegate);
  // The expiry must be in the future and within max_grant_duration_ms (default two years).
  auto a = args();
  a.expiry_ms = env.time_ms();
  refused(patient, grant_msg(a), err::kExpiryOutOfRange);
  a.expiry_ms = env.time_ms() + 2 * 365 * kDay + 1;
  refused(patient, grant_msg(a), err::kExpiryOutOfRange);
  a.expiry_ms = env.time_ms() + 2 * 365 * kDay;
  EXPECT_EQ(grant(a), 1u);
  // max_grants_per_patient counts the active grants; a revoked one frees its place.
  ASSERT_TRUE(chain::set_params_json(env.registry(), env.ledger_state(), env.direct_events(),
                                     "consent", R"({"max_grant_duration_ms": "63072000000",
                                       "max_grants_per_patient": 2, "max_delegates": 5})")
                  .is_ok());
  EXPECT_EQ(grant(args()), 2u);
  refused(patient, grant_msg(args()), err::kTooManyGrants);
  send(patient, revoke_msg(1));
  EXPECT_EQ(grant(args()), 3u);
  env.close_block();
}

TEST_F(ConsentTest, ADelegateGrantsAndRevokesButCannotNameDelegates) {
  auto out = send(patient, delegate_msg(true, patient.addr(), helper.addr()));
  EXPECT_EQ(out.events[1].type(), "consent.delegate_set");
  EXPECT_EQ(ledger::attribute(out.events[1], "delegate"), helper.addr());
  ASSERT_TRUE(cns::is_delegate(env.ledger_state(), patient.address(), helper.address()));
  const uint64_t id = grant(args(), &helper);
  EXPECT_EQ(view().grant(id)->granted_by(), helper.addr());
  EXPECT_EQ(view().grant(id)->patient(), patient.addr());
  // A delegate cannot name further delegates, nor can anyone but the patient.
  refused(helper, delegate_msg(true, patient.addr(), stranger.addr()), err::kNotPatient);
  refused(stranger, delegate_msg(true, patient.addr(), stranger.addr()), err::kNotPatient);
  refused(patient, delegate_msg(true, patient.addr(), helper.addr()), err::kDelegateExists);
  auto self =
      send(patient, delegate_msg(true, patient.addr(), patient.addr()), err::kSelfDelegate.kind);
  EXPECT_EQ(self.status.detail(), err::kSelfDelegate.detail);
  auto revoked = send(helper, revoke_msg(id));
  EXPECT_EQ(ledger::attribute(revoked.events[1], "signer"), helper.addr());
  EXPECT_EQ(view().grant(id)->revoked_by(), helper.addr());
  // Removed, the delegate signs for the patient no more.
  out = send(patient, delegate_msg(false, patient.addr(), helper.addr()));
  EXPECT_EQ(out.events[1].type(), "consent.delegate_removed");
  EXPECT_EQ(ledger::attribute(out.events[1], "signer"), patient.addr());
  refused(helper, grant_msg(args()), err::kNotPatientOrDelegate);
  refused(patient, delegate_msg(false, patient.addr(), helper.addr()), err::kNoDelegate);
  env.close_block();
}

TEST_F(ConsentTest, DelegatesAreCappedAndADelegateMayStepDown) {
  ASSERT_TRUE(chain::set_params_json(env.registry(), env.ledger_state(), env.direct_events(),
                                     "consent", R"({"max_grant_duration_ms": "63072000000",
                                       "max_grants_per_patient": 10, "max_delegates": 1})")
                  .is_ok());
  send(patient, delegate_msg(true, patient.addr(), helper.addr()));
  refused(patient, delegate_msg(true, patient.addr(), clinic.addr()), err::kTooManyDelegates);
  refused(stranger, delegate_msg(false, patient.addr(), helper.addr()), err::kNotDelegateParty);
  auto out = send(helper, delegate_msg(false, patient.addr(), helper.addr()));
  EXPECT_EQ(ledger::attribute(out.events[1], "signer"), helper.addr());
  EXPECT_TRUE(view().delegates(patient.address()).empty());
  send(patient, delegate_msg(true, patient.addr(), clinic.addr()));
  ASSERT_EQ(view().delegates(patient.address()).size(), 1u);
  auto bad = send(patient, delegate_msg(false, patient.addr(), "btt1bad"), err::kBadAddress.kind);
  EXPECT_EQ(bad.status.detail(), err::kBadAddress.detail);
  env.close_block();
}

TEST_F(ConsentTest, RevocationEndsTheGrantAndItsRefusals) {
  const uint64_t id = grant(args());
  auto bad = send(patient, revoke_msg(0), err::kBadField.kind);
  EXPECT_EQ(bad.status.detail(), err::kBadField.detail);
  refused(patient, revoke_msg(7), err::kNoGrant);
  refused(stranger, revoke_msg(id), err::kNotPatientOrDelegate);
  refused(clinic, revoke_msg(id), err::kNotPatientOrDelegate);  // the grantee cannot revoke
  auto out = send(patient, revoke_msg(id));
  ASSERT_EQ(out.events.size(), 2u);
  EXPECT_EQ(out.events[1].type(), "consent.revoked");
  EXPECT_EQ(ledger::attribute(out.events[1], "grant_id"), std::to_string(id));
  EXPECT_EQ(ledger::attribute(out.events[1], "grantee"), clinic.addr());
  auto g = view().grant(id);
  EXPECT_EQ(g->status(), v1::GRANT_STATUS_REVOKED);
  EXPECT_EQ(g->revoked_ms(), env.time_ms());
  EXPECT_EQ(g->revoked_height(), env.height());
  EXPECT_TRUE(view().active_grant_ids(patient.address()).empty());
  refused(patient, revoke_msg(id), err::kGrantRevoked);
  auto no = may_read();
  EXPECT_FALSE(no.allowed);
  EXPECT_EQ(no.denial, v1::CONSENT_DENIAL_REVOKED);
  EXPECT_EQ(no.grant_id, id);
  refused(clinic, declare_msg(id), err::kGrantRevoked);
  env.close_block();
}

TEST_F(ConsentTest, TheGranteeAndTheCustodianDeclareAccesses) {
  auto a = args();
  a.scope = v1::RECORD_SCOPE_IMAGING;
  a.purposes = {v1::CONSENT_PURPOSE_TREATMENT};
  const uint64_t id = grant(a);
  auto out = send(clinic, declare_msg(id));
  ASSERT_EQ(out.events.size(), 2u);
  const auto& e = out.events[1];
  EXPECT_EQ(e.type(), "consent.access_declared");
  EXPECT_EQ(ledger::attribute(e, "access_id"), "1");
  EXPECT_EQ(ledger::attribute(e, "grant_id"), std::to_string(id));
  EXPECT_EQ(ledger::attribute(e, "reader"), clinic.addr());
  EXPECT_EQ(ledger::attribute(e, "declared_by"), clinic.addr());
  EXPECT_EQ(ledger::attribute(e, "purpose"), "treatment");
  EXPECT_EQ(ledger::attribute(e, "scope"), "imaging");  // unspecified: the grant's
  out = send(custodian, declare_msg(id, v1::CONSENT_PURPOSE_TREATMENT, v1::RECORD_SCOPE_IMAGING));
  EXPECT_EQ(ledger::attribute(out.events[1], "declared_by"), custodian.addr());
  EXPECT_EQ(ledger::attribute(out.events[1], "reader"), clinic.addr());
  EXPECT_EQ(view().grant(id)->accesses(), 2u);
  v1::ListAccessesRequest req;
  req.set_record_hash(record('r'));
  auto list = view().list_accesses(req);
  ASSERT_TRUE(list.is_ok());
  ASSERT_EQ(list->accesses_size(), 2);
  EXPECT_EQ(list->accesses(0).access_id(), 1u);
  EXPECT_EQ(list->accesses(0).time_ms(), env.time_ms());
  EXPECT_EQ(list->accesses(1).declared_by(), custodian.addr());

  // Refusals: who, which grant, what for, which scope.
  refused(stranger, declare_msg(id), err::kNotGranteeOrCustodian);
  refused(patient, declare_msg(id), err::kNotGranteeOrCustodian);
  refused(clinic, declare_msg(99), err::kNoGrant);
  refused(clinic, declare_msg(id, v1::CONSENT_PURPOSE_RESEARCH), err::kPurposeNotCovered);
  refused(clinic, declare_msg(id, v1::CONSENT_PURPOSE_TREATMENT, v1::RECORD_SCOPE_LAB_RESULTS),
          err::kScopeNotCovered);
  for (auto [m, error] : {std::pair{declare_msg(0), &err::kBadField},
                          std::pair{declare_msg(id, 0), &err::kBadPurpose},
                          std::pair{declare_msg(id, 77), &err::kBadPurpose},
                          std::pair{declare_msg(id, 1, 77), &err::kBadScope}}) {
    auto r = send(clinic, m, error->kind);
    EXPECT_FALSE(r.included);
    EXPECT_EQ(r.status.detail(), error->detail) << r.status.to_string();
  }
  env.close_block();
}

TEST_F(ConsentTest, EndBlockMarksExpiredGrantsAndFreesTheirPlaces) {
  auto a = args();
  a.expiry_ms = env.time_ms() + 5'000;
  const uint64_t id = grant(a);
  a.expiry_ms = env.time_ms() + 60'000;
  const uint64_t later = grant(a);
  env.close_block();
  env.advance_time(4'000);  // the open block's time is the first grant's expiry_ms
  EXPECT_EQ(view().grant(id)->status(), v1::GRANT_STATUS_ACTIVE);  // end_block has not run
  auto no = may_read();  // at the open block's time the first grant is expired
  EXPECT_TRUE(no.allowed);
  EXPECT_EQ(no.grant_id, later);
  // In the open block, before its end_block, the grant is expired all the same.
  refused(clinic, declare_msg(id), err::kGrantExpired);
  refused(patient, revoke_msg(id), err::kGrantExpired);
  env.close_block();
  auto g = view().grant(id);
  EXPECT_EQ(g->status(), v1::GRANT_STATUS_EXPIRED);
  bool seen = false;
  for (const auto& e : env.block_events()) {
    if (e.type() == "consent.expired") {
      seen = true;
      EXPECT_EQ(ledger::attribute(e, "grant_id"), std::to_string(id));
      EXPECT_EQ(ledger::attribute(e, "expiry_ms"), std::to_string(g->expiry_ms()));
    }
  }
  EXPECT_TRUE(seen);
  EXPECT_EQ(view().active_grant_ids(patient.address()), std::vector<uint64_t>{later});
  refused(clinic, declare_msg(id), err::kGrantExpired);
  env.close_block();
}

TEST_F(ConsentTest, MayReadNamesTheClosestDenial) {
  auto no = may_read();
  EXPECT_FALSE(no.allowed);
  EXPECT_EQ(no.denial, v1::CONSENT_DENIAL_NO_GRANT);
  EXPECT_EQ(no.grant_id, 0u);
  auto a = args();
  a.scope = v1::RECORD_SCOPE_LAB_RESULTS;
  a.purposes = {v1::CONSENT_PURPOSE_INSURANCE_CLAIM};
  const uint64_t lab = grant(a);
  no = may_read(v1::CONSENT_PURPOSE_TREATMENT);
  EXPECT_EQ(no.denial, v1::CONSENT_DENIAL_PURPOSE_NOT_COVERED);
  EXPECT_EQ(no.grant_id, lab);
  no = may_read(v1::CONSENT_PURPOSE_INSURANCE_CLAIM, v1::RECORD_SCOPE_IMAGING);
  EXPECT_EQ(no.denial, v1::CONSENT_DENIAL_SCOPE_NOT_COVERED);
  EXPECT_TRUE(may_read(v1::CONSENT_PURPOSE_INSURANCE_CLAIM, v1::RECORD_SCOPE_LAB_RESULTS).allowed);
  EXPECT_TRUE(may_read(v1::CONSENT_PURPOSE_INSURANCE_CLAIM).allowed);
  // Another record, another grantee, another patient: no grant.
  EXPECT_EQ(may_read(v1::CONSENT_PURPOSE_INSURANCE_CLAIM, 0, record('s')).denial,
            v1::CONSENT_DENIAL_NO_GRANT);
  cns::AccessQuery q;
  q.patient = stranger.address();
  q.record_hash = record('r');
  q.grantee = clinic.address();
  q.purpose = v1::CONSENT_PURPOSE_INSURANCE_CLAIM;
  q.time_ms = env.time_ms();
  EXPECT_EQ(cns::may_read(env.ledger_state(), q).denial, v1::CONSENT_DENIAL_NO_GRANT);
  // A custodian filter counts only grants naming it.
  q.patient = patient.address();
  q.custodian = stranger.address();
  EXPECT_EQ(cns::may_read(env.ledger_state(), q).denial, v1::CONSENT_DENIAL_NO_GRANT);
  q.custodian = custodian.address();
  EXPECT_TRUE(cns::may_read(env.ledger_state(), q).allowed);
  // Later than the expiry: expired; a revoked grant ranks below an expired one.
  q.time_ms = a.expiry_ms;
  EXPECT_EQ(cns::may_read(env.ledger_state(), q).denial, v1::CONSENT_DENIAL_EXPIRED);
  send(patient, revoke_msg(lab));
  EXPECT_EQ(may_read(v1::CONSENT_PURPOSE_INSURANCE_CLAIM).denial, v1::CONSENT_DENIAL_REVOKED);
  a.purposes = {v1::CONSENT_PURPOSE_RESEARCH};
  const uint64_t research = grant(a);
  auto r = may_read(v1::CONSENT_PURPOSE_INSURANCE_CLAIM);
  EXPECT_EQ(r.denial, v1::CONSENT_DENIAL_PURPOSE_NOT_COVERED);
  EXPECT_EQ(r.grant_id, research);
  env.close_block();
}

TEST_F(ConsentTest, QueriesAnswerAndPage) {
  for (int i = 0; i < 5; ++i) {
    auto a = args();
    a.hash = record(static_cast<char>('a' + i));
    if (i % 2 == 1) a.grantee = insurer.addr();
    grant(a);
  }
  send(patient, revoke_msg(2));
  v1::ListGrantsRequest req;
  req.set_patient(patient.addr());
  req.set_limit(2);
  auto page = view().list_grants(req, env.time_ms());
  ASSERT_TRUE(page.is_ok()) << page.status().to_string();
  ASSERT_EQ(page->grants_size(), 2);
  EXPECT_EQ(page->grants(0).grant().grant_id(), 1u);
  EXPECT_EQ(page->next_start_after(), 2u);
  EXPECT_FALSE(page->grants(1).in_force());
  req.set_start_after(4);
  page = view().list_grants(req, env.time_ms());
  ASSERT_EQ(page->grants_size(), 1);
  EXPECT_EQ(page->next_start_after(), 0u);
  req.set_start_after(0);
  req.set_limit(0);
  req.set_in_force_only(true);
  page = view().list_grants(req, env.time_ms());
  EXPECT_EQ(page->grants_size(), 4);
  v1::ListGrantsRequest by_grantee;
  by_grantee.set_grantee(insurer.addr());
  page = view().list_grants(by_grantee, env.time_ms());
  ASSERT_EQ(page->grants_size(), 2);
  EXPECT_EQ(page->grants(0).grant().grant_id(), 2u);
  EXPECT_EQ(page->grants(1).grant().grant_id(), 4u);
  // Exactly one of patient and grantee; an address; a limit up to 1000.
  by_grantee.set_patient(patient.addr());
  EXPECT_EQ(view().list_grants(by_grantee, 0).status().detail(), err::kBadField.detail);
  v1::ListGrantsRequest bad;
  bad.set_patient("nope");
  EXPECT_EQ(view().list_grants(bad, 0).status().detail(), err::kBadAddress.detail);
  bad.set_patient(patient.addr());
  bad.set_limit(1001);
  EXPECT_FALSE(view().list_grants(bad, 0).is_ok());

  auto info = view().get_grant(3, env.time_ms());
  ASSERT_TRUE(info.is_ok());
  EXPECT_TRUE(info->in_force());
  EXPECT_FALSE((*view().get_grant(3, info->grant().expiry_ms())).in_force());
  EXPECT_EQ(view().get_grant(42, 0).status().code(), Code::kNotFound);

  v1::CheckAccessRequest check;
  check.set_patient(patient.addr());
  check.set_grantee(clinic.addr());
  check.set_record_hash(record('c'));
  check.set_purpose(v1::CONSENT_PURPOSE_TREATMENT);
  auto yes = view().check_access(check, env.time_ms());
  ASSERT_TRUE(yes.is_ok()) << yes.status().to_string();
  EXPECT_TRUE(yes->allowed());
  EXPECT_EQ(yes->grant_id(), 3u);
  EXPECT_EQ(yes->time_ms(), env.time_ms());
  check.set_time_ms(yes->expiry_ms());
  EXPECT_EQ(view().check_access(check, env.time_ms())->denial(), v1::CONSENT_DENIAL_EXPIRED);
  check.set_purpose(v1::CONSENT_PURPOSE_UNSPECIFIED);
  EXPECT_EQ(view().check_access(check, 0).status().detail(), err::kBadPurpose.detail);
  check.set_purpose(v1::CONSENT_PURPOSE_TREATMENT);
  check.set_record_hash("short");
  EXPECT_EQ(view().check_access(check, 0).status().detail(), err::kBadRecordHash.detail);
  check.set_record_hash(record('c'));
  check.set_custodian("nope");
  EXPECT_EQ(view().check_access(check, 0).status().detail(), err::kBadAddress.detail);

  send(patient, delegate_msg(true, patient.addr(), helper.addr()));
  v1::ListDelegatesRequest d;
  d.set_patient(patient.addr());
  auto delegates = view().list_delegates(d);
  ASSERT_TRUE(delegates.is_ok());
  ASSERT_EQ(delegates->delegates_size(), 1);
  EXPECT_EQ(delegates->delegates(0).delegate(), helper.addr());
  EXPECT_EQ(delegates->delegates(0).since_ms(), env.time_ms());

  const uint64_t id = 3;
  for (int i = 0; i < 3; ++i) send(clinic, declare_msg(id));
  v1::ListAccessesRequest acc;
  acc.set_record_hash(record('c'));
  acc.set_limit(2);
  auto accesses = view().list_accesses(acc);
  ASSERT_EQ(accesses->accesses_size(), 2);
  EXPECT_EQ(accesses->next_start_after(), 2u);
  acc.set_start_after(2);
  EXPECT_EQ(view().list_accesses(acc)->accesses_size(), 1);
  acc.set_patient(stranger.addr());
  EXPECT_EQ(view().list_accesses(acc)->accesses_size(), 0);
  env.close_block();
}

TEST_F(ConsentTest, ParamsChangeThroughTheGenericPathAndBadValuesAreRefused) {
  auto set = [&](const std::string& json) {
    return chain::set_params_json(env.registry(), env.ledger_state(), env.direct_events(),
                                  "consent", json);
  };
  EXPECT_EQ(view().params().max_grant_duration_ms(), 2 * 365 * kDay);
  EXPECT_EQ(view().params().max_grants_per_patient(), 1'000u);
  EXPECT_EQ(view().params().max_delegates(), 5u);
  for (
      const char* bad :
      {R"({"max_grant_duration_ms": "0", "max_grants_per_patient": 1, "max_delegates": 1})",
       R"({"max_grant_duration_ms": "315360000001", "max_grants_per_patient": 1})",
       R"({"max_grant_duration_ms": "1000", "max_grants_per_patient": 0})",
       R"({"max_grant_duration_ms": "1000", "max_grants_per_patient": 100001})",
       R"({"max_grant_duration_ms": "1000", "max_grants_per_patient": 1, "max_delegates": 101})"}) {
    auto s = set(bad);
    EXPECT_EQ(s.code(), Code::kInvalidArgument) << bad;
    EXPECT_NE(s.message().find("consent params: "), std::string::npos) << s.message();
  }
  // max_delegates 0 turns delegation off.
  ASSERT_TRUE(set(R"({"max_grant_duration_ms": "1000", "max_grants_per_patient": 1,
                      "max_delegates": 0})")
                  .is_ok());
  refused(patient, delegate_msg(true, patient.addr(), helper.addr()), err::kTooManyDelegates);
  auto a = args();
  a.expiry_ms = env.time_ms() + 1'001;
  refused(patient, grant_msg(a), err::kExpiryOutOfRange);
  a.expiry_ms = env.time_ms() + 1'000;
  grant(a);
  env.close_block();
}

TEST_F(ConsentTest, GenesisExportReimportsToTheSameBytes) {
  const auto* module = env.registry().find("consent");
  ASSERT_NE(module, nullptr);
  auto empty_export = module->export_genesis(env.ledger_state());
  ASSERT_TRUE(empty_export.is_ok());
  EXPECT_TRUE(empty_export->is_null());
  send(patient, delegate_msg(true, patient.addr(), helper.addr()));
  auto a = args();
  const uint64_t one = grant(a);
  a.expiry_ms = env.time_ms() + 2'000;
  a.grantee = insurer.addr();
  grant(a, &helper);
  a.hash = record('z');
  const uint64_t three = grant(a);
  send(clinic, declare_msg(one));
  send(patient, revoke_msg(three));
  env.close_block();
  env.advance_time(5'000);
  env.close_block();  // grant 2 expires
  auto exported = module->export_genesis(env.ledger_state());
  ASSERT_TRUE(exported.is_ok()) << exported.status().to_string();
  ASSERT_TRUE(exported->contains("state"));
  EXPECT_EQ((*exported)["state"]["grants"].size(), 3u);
  EXPECT_EQ((*exported)["state"]["accesses"].size(), 1u);
  EXPECT_EQ((*exported)["state"]["delegates"].size(), 1u);

  MemoryState empty;
  ledger::Overlay fresh(empty);
  ledger::Events events;
  ledger::BlockInfo block{"btt-test", 0, 0, 0, {}, {}, {}, {}};
  ledger::BlockContext ctx{block, fresh, events, nullptr};
  auto copy = cns::make_consent_module();
  ASSERT_TRUE(copy->validate_genesis(*exported, {}).is_ok())
      << copy->validate_genesis(*exported, {}).to_string();
  ASSERT_TRUE(copy->init_genesis(*exported, {}, ctx).is_ok());
  auto under = [](const ledger::StateReader& state) {
    std::map<Bytes, Bytes> out;
    state.scan("cns/", [&](std::string_view k, std::string_view v) {
      out.emplace(Bytes(k), Bytes(v));
      return true;
    });
    return out;
  };
  EXPECT_EQ(under(env.ledger_state()), under(fresh));
  EXPECT_TRUE(copy->check_invariants(fresh).empty());
  auto again = copy->export_genesis(fresh);
  ASSERT_TRUE(again.is_ok());
  EXPECT_EQ(again->dump(), exported->dump());
}

TEST(ConsentGenesis, RefusesBadSectionsWithTheField) {
  auto m = cns::make_consent_module();
  auto refused = [&](const nlohmann::json& s, const std::string& what) {
    auto st = m->validate_genesis(s, {});
    EXPECT_FALSE(st.is_ok()) << s.dump();
    EXPECT_TRUE(st.detail() == err::kBadGenesis.detail || st.detail() == err::kBadParams.detail)
        << st.to_string();
    EXPECT_NE(st.message().find(what), std::string::npos) << st.to_string();
  };
  EXPECT_TRUE(m->validate_genesis(nlohmann::json(), {}).is_ok());
  EXPECT_TRUE(m->validate_genesis({{"params", {{"max_delegates", 2}}}}, {}).is_ok());
  refused({{"params", {{"max_grants_per_patient", 0}}}}, "max_grants_per_patient");
  refused({{"params", {{"max_grants", 1}}}}, "max_grants");
  refused({{"other", 1}}, "other");
  const std::string p = test_key("p").address.to_string();
  const std::string g = test_key("g").address.to_string();
  nlohmann::json grant = {
      {"grant_id", "1"},
      {"patient", p},
      {"grantee", g},
      {"record_hash", "cnJycnJycnJycnJycnJycnJycnJycnJycnJycnJycnI="},  // 32 bytes, base64
      {"custodian", g},
      {"scope", "RECORD_SCOPE_FULL"},
      {"purposes", {"CONSENT_PURPOSE_TREATMENT"}},
      {"expiry_ms", "100"},
      {"granted_by", p}};
  nlohmann::json good = {{"state", {{"grants", {grant}}, {"next_grant_id", "2"}}}};
  EXPECT_TRUE(m->validate_genesis(good, {}).is_ok()) << m->validate_genesis(good, {}).to_string();
  auto with = [&](const char* field, const nlohmann::json& v) {
    auto s = good;
    s["state"]["grants"][0][field] = v;
    return s;
  };
  refused(with("grantee", p), "the grantee is the patient");
  refused(with("patient", "nope"), "patient is not an address");
  refused(with("record_hash", "AAAA"), "record_hash");
  refused(with("grant_id", "2"), "next_grant_id");
  refused(with("purposes", nlohmann::json::array()), "purposes");
  refused(with("expiry_ms", "0"), "expiry_ms");
  auto twice = good;
  twice["state"]["grants"].push_back(grant);
  twice["state"]["next_grant_id"] = "5";
  refused(twice, "twice");
  auto orphan = good;
  orphan["state"]["accesses"] = {{{"access_id", "1"}, {"grant_id", "9"}}};
  orphan["state"]["next_access_id"] = "2";
  refused(orphan, "no grant 9");
}

}  // namespace
}  // namespace btt::testkit

// btt-cli consent ...: one tx command per consent message and one query per btt.v1.Consent rpc
// (doc/consent.md). Record hashes are 64 hex characters; scopes and purposes take their short
// name (imaging, insurance_claim) or the full enum name; --patient defaults to the key's account.
#include <array>

#include "app/cli/commands.h"
#include "btt/v1/consent_query.grpc.pb.h"

namespace btt::cli {

namespace {

namespace pb = google::protobuf;

template <typename Request, typename Response>
int query(Context& ctx,
          grpc::Status (v1::Consent::Stub::*method)(grpc::ClientContext*, const Request&,
                                                    Response*),
          const Request& req) {
  auto stub = v1::Consent::NewStub(ctx.client().channel());
  return print_record(ctx, ctx.client().unary(*stub, method, req));
}

// An enum value by its short name ("imaging"), its full name ("RECORD_SCOPE_IMAGING") or its
// number; UsageError listing the names otherwise. UNSPECIFIED (0) is never taken by name.
int parse_enum(const pb::EnumDescriptor* type, std::string_view prefix, std::string text,
               std::string_view what) {
  for (char& c : text) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c == '-') c = '_';
  }
  std::string names;
  for (int i = 0; i < type->value_count(); ++i) {
    const auto* v = type->value(i);
    if (v->number() == 0) continue;
    const std::string short_name = v->name().substr(prefix.size());
    if (text == v->name() || text == short_name) return v->number();
    std::string lower = short_name;
    for (char& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    names += (names.empty() ? "" : ", ") + lower;
  }
  throw UsageError(std::string(what) + ": '" + text + "' is not one of " + names);
}

v1::RecordScope parse_scope(const std::string& text) {
  return static_cast<v1::RecordScope>(
      parse_enum(v1::RecordScope_descriptor(), "RECORD_SCOPE_", text, "--scope"));
}

v1::ConsentPurpose parse_purpose(const std::string& text) {
  return static_cast<v1::ConsentPurpose>(
      parse_enum(v1::ConsentPurpose_descriptor(), "CONSENT_PURPOSE_", text, "--purpose"));
}

// --patient, or the account of the tx's key.
std::string patient_or_key(const std::string& patient, const CommonTxOptions& common) {
  if (!patient.empty()) return parse_address(patient, "--patient");
  return load_key(common.key_file).address.to_string();
}

uint32_t parse_limit(const std::string& text) {
  const uint64_t limit = parse_u64(text, "--limit");
  if (limit > UINT32_MAX) throw UsageError("--limit: at most 1000");
  return static_cast<uint32_t>(limit);
}

struct GrantOptions {
  std::string patient;
  std::string grantee;
  std::string record;
  std::string custodian;
  std::string scope;
  std::vector<std::string> purposes;
  std::string expiry_ms;
};

struct PageOptions {
  std::string start_after;
  std::string limit;
};

void add_page(CLI::App* sub, PageOptions& o, const char* what) {
  sub->add_option("--start-after", o.start_after, std::string(what) + " ids above this");
  sub->add_option("--limit", o.limit, "At most this many (default 100, max 1000)");
}

void register_consent(Commands& cmds) {
  auto* g = cmds.group("consent",
                       "Patient consent: grants of record pointers, revocation, declared "
                       "accesses, delegates (doc/consent.md)");
  cmds.add_tx(g, "grant",
              "Grant a provider or insurer access to a record pointer (patient or delegate)",
              {"grant_consent"}, [](CLI::App* sub, const CommonTxOptions& common) -> BuildMessages {
                auto o = std::make_shared<GrantOptions>();
                sub->add_option("--patient", o->patient, "The patient (default: the key's)");
                sub->add_option("--grantee", o->grantee, "Who may read")->required();
                sub->add_option("--record", o->record, "Record content hash (64 hex)")->required();
                sub->add_option("--custodian", o->custodian, "Who holds the record")->required();
                sub->add_option("--scope", o->scope, "full, summary, imaging, lab_results, ...")
                    ->required();
                sub->add_option("--purpose", o->purposes,
                                "treatment, insurance_claim, research, second_opinion, "
                                "care_coordination (repeat or comma-separate)")
                    ->required()
                    ->delimiter(',');
                sub->add_option("--expiry-ms", o->expiry_ms,
                                "Block time (ms) the grant ends; within max_grant_duration_ms")
                    ->required();
                return [o, &common] {
                  v1::Message m;
                  auto* p = m.mutable_grant_consent();
                  p->set_patient(patient_or_key(o->patient, common));
                  p->set_grantee(parse_address(o->grantee, "--grantee"));
                  p->set_record_hash(parse_hash_hex(o->record, "--record"));
                  p->set_custodian(parse_address(o->custodian, "--custodian"));
                  p->set_scope(parse_scope(o->scope));
                  for (const auto& purpose : o->purposes) p->add_purposes(parse_purpose(purpose));
                  p->set_expiry_ms(parse_u64(o->expiry_ms, "--expiry-ms"));
                  return std::vector<v1::Message>{m};
                };
              });
  cmds.add_tx(g, "revoke", "Revoke a grant (patient or delegate); data already read stays read",
              {"revoke_consent"}, [](CLI::App* sub, const CommonTxOptions&) -> BuildMessages {
                auto id = std::make_shared<std::string>();
                sub->add_option("grant_id", *id, "The grant")->required();
                return [id] {
                  v1::Message m;
                  m.mutable_revoke_consent()->set_grant_id(parse_u64(*id, "grant_id"));
                  return std::vector<v1::Message>{m};
                };
              });
  cmds.add_tx(g, "declare-access",
              "Declare that the grantee read the record (the grantee or the custodian signs)",
              {"declare_access"}, [](CLI::App* sub, const CommonTxOptions&) -> BuildMessages {
                auto o = std::make_shared<std::array<std::string, 3>>();
                sub->add_option("grant_id", (*o)[0], "The grant read under")->required();
                sub->add_option("--purpose", (*o)[1], "What for (one of the grant's)")->required();
                sub->add_option("--scope", (*o)[2], "What part (default: the grant's scope)");
                return [o] {
                  v1::Message m;
                  auto* d = m.mutable_declare_access();
                  d->set_grant_id(parse_u64((*o)[0], "grant_id"));
                  d->set_purpose(parse_purpose((*o)[1]));
                  if (!(*o)[2].empty()) d->set_scope(parse_scope((*o)[2]));
                  return std::vector<v1::Message>{m};
                };
              });
  for (bool set : {true, false}) {
    cmds.add_tx(g, set ? "set-delegate" : "remove-delegate",
                set ? "Name a delegate who may grant and revoke for the patient (the patient signs)"
                    : "Remove a delegate (the patient signs, or the delegate steps down)",
                {set ? "set_consent_delegate" : "remove_consent_delegate"},
                [set](CLI::App* sub, const CommonTxOptions& common) -> BuildMessages {
                  auto o = std::make_shared<std::array<std::string, 2>>();
                  sub->add_option("delegate", (*o)[0], "The delegate's address")->required();
                  sub->add_option("--patient", (*o)[1], "The patient (default: the key's)");
                  return [o, set, &common] {
                    v1::Message m;
                    const std::string delegate = parse_address((*o)[0], "delegate");
                    const std::string patient = patient_or_key((*o)[1], common);
                    if (set) {
                      m.mutable_set_consent_delegate()->set_patient(patient);
                      m.mutable_set_consent_delegate()->set_delegate(delegate);
                    } else {
                      m.mutable_remove_consent_delegate()->set_patient(patient);
                      m.mutable_remove_consent_delegate()->set_delegate(delegate);
                    }
                    return std::vector<v1::Message>{m};
                  };
                });
  }

  cmds.add(g, "check", "May GRANTEE read the patient's record for a purpose now? (custodians)",
           CommandKind::kQuery, [&cmds](CLI::App* sub) -> Action {
             auto o = std::make_shared<std::array<std::string, 7>>();
             sub->add_option("--patient", (*o)[0], "Whose record")->required();
             sub->add_option("--record", (*o)[1], "Record content hash (64 hex)")->required();
             sub->add_option("--grantee", (*o)[2], "Who asks to read")->required();
             sub->add_option("--purpose", (*o)[3], "What for")->required();
             sub->add_option("--scope", (*o)[4], "What part (default: any)");
             sub->add_option("--custodian", (*o)[5], "Count only grants naming this custodian");
             sub->add_option("--at-ms", (*o)[6], "At this block time (default: the latest)");
             return [&cmds, o] {
               v1::CheckAccessRequest req;
               req.set_patient(parse_address((*o)[0], "--patient"));
               req.set_record_hash(parse_hash_hex((*o)[1], "--record"));
               req.set_grantee(parse_address((*o)[2], "--grantee"));
               req.set_purpose(parse_purpose((*o)[3]));
               if (!(*o)[4].empty()) req.set_scope(parse_scope((*o)[4]));
               if (!(*o)[5].empty()) req.set_custodian(parse_address((*o)[5], "--custodian"));
               if (!(*o)[6].empty()) req.set_time_ms(parse_u64((*o)[6], "--at-ms"));
               return query(cmds.ctx(), &v1::Consent::Stub::CheckAccess, req);
             };
           });
  cmds.add(g, "get", "A grant by id, and whether it is in force", CommandKind::kQuery,
           [&cmds](CLI::App* sub) -> Action {
             auto id = std::make_shared<std::string>();
             sub->add_option("grant_id", *id, "The grant")->required();
             return [&cmds, id] {
               v1::GetGrantRequest req;
               req.set_grant_id(parse_u64(*id, "grant_id"));
               return query(cmds.ctx(), &v1::Consent::Stub::GetGrant, req);
             };
           });
  cmds.add(g, "grants", "A patient's grants, or the grants to a grantee, by id, paged",
           CommandKind::kQuery, [&cmds](CLI::App* sub) -> Action {
             auto o = std::make_shared<std::array<std::string, 2>>();
             auto page = std::make_shared<PageOptions>();
             auto in_force = std::make_shared<bool>(false);
             auto* patient = sub->add_option("--patient", (*o)[0], "The patient's grants");
             auto* grantee = sub->add_option("--grantee", (*o)[1], "The grants to a grantee");
             patient->excludes(grantee);
             sub->add_flag("--in-force", *in_force, "Only grants in force now");
             add_page(sub, *page, "Grant");
             return [&cmds, o, page, in_force] {
               v1::ListGrantsRequest req;
               if ((*o)[0].empty() == (*o)[1].empty()) {
                 throw UsageError("give one of --patient, --grantee");
               }
               if (!(*o)[0].empty()) req.set_patient(parse_address((*o)[0], "--patient"));
               if (!(*o)[1].empty()) req.set_grantee(parse_address((*o)[1], "--grantee"));
               req.set_in_force_only(*in_force);
               if (!page->start_after.empty()) {
                 req.set_start_after(parse_u64(page->start_after, "--start-after"));
               }
               if (!page->limit.empty()) req.set_limit(parse_limit(page->limit));
               return query(cmds.ctx(), &v1::Consent::Stub::ListGrants, req);
             };
           });
  cmds.add(g, "accesses", "The declared accesses of a record, oldest first, paged",
           CommandKind::kQuery, [&cmds](CLI::App* sub) -> Action {
             auto o = std::make_shared<std::array<std::string, 2>>();
             auto page = std::make_shared<PageOptions>();
             sub->add_option("record", (*o)[0], "Record content hash (64 hex)")->required();
             sub->add_option("--patient", (*o)[1], "Only this patient's declarations");
             add_page(sub, *page, "Access");
             return [&cmds, o, page] {
               v1::ListAccessesRequest req;
               req.set_record_hash(parse_hash_hex((*o)[0], "record"));
               if (!(*o)[1].empty()) req.set_patient(parse_address((*o)[1], "--patient"));
               if (!page->start_after.empty()) {
                 req.set_start_after(parse_u64(page->start_after, "--start-after"));
               }
               if (!page->limit.empty()) req.set_limit(parse_limit(page->limit));
               return query(cmds.ctx(), &v1::Consent::Stub::ListAccesses, req);
             };
           });
  cmds.add(g, "delegates", "A patient's delegates", CommandKind::kQuery,
           [&cmds](CLI::App* sub) -> Action {
             auto patient = std::make_shared<std::string>();
             sub->add_option("patient", *patient, "The patient")->required();
             return [&cmds, patient] {
               v1::ListDelegatesRequest req;
               req.set_patient(parse_address(*patient, "patient"));
               return query(cmds.ctx(), &v1::Consent::Stub::ListDelegates, req);
             };
           });
  cmds.add(g, "params", "The consent params in force", CommandKind::kQuery,
           [&cmds](CLI::App*) -> Action {
             return [&cmds] {
               return query(cmds.ctx(), &v1::Consent::Stub::GetParams,
                            v1::GetConsentParamsRequest());
             };
           });
}

const CommandFile kConsent{74, &register_consent};

}  // namespace

}  // namespace btt::cli

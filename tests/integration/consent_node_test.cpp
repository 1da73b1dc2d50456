// Consent on a real bttd (bttd init --dev), all of it through btt-cli: a patient grants a clinic
// access to an imaging record, the custodian's check says yes, the clinic declares its read,
// the patient revokes, the check says no (revoked) and a further declaration is refused; a
// delegate the patient named grants in the patient's name and cannot name delegates itself.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "testkit/process.h"
#include "testkit/temp_dir.h"

namespace btt::testkit {
namespace {

using Json = nlohmann::json;

constexpr const char* kChainId = "btt-consent-e2e";
constexpr uint64_t kBtt = 100'000'000;

class ConsentNodeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ = dir_.path() / "node";
    auto r = run_command(
        {bttd_path(), "init", "--home", home_.string(), "--chain-id", kChainId, "--dev"});
    ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
    dev_key_ = (home_ / "keys" / "dev.json").string();
    node_ = std::make_unique<NodeProcess>(home_, free_port());
    node_->start();
  }
  void TearDown() override {
    if (HasFailure() && node_) std::cerr << "bttd log tail:\n" << node_->log_tail() << "\n";
  }

  // btt-cli --json; `ok`: expect exit code 0.
  Json cli(std::vector<std::string> args, bool ok = true) {
    args.push_back("--json");
    std::vector<std::string> argv = {btt_cli_path(), "--node", node_->address()};
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = run_command(argv, 60);
    std::string line;
    for (const auto& a : args) line += a + " ";
    if (ok) {
      EXPECT_EQ(r.exit_code, 0) << line << "\n" << r.out << r.err;
    }
    try {
      return Json::parse(r.out);
    } catch (const std::exception&) {
      ADD_FAILURE() << "not JSON: " << line << "\n" << r.out << r.err;
      return Json::object();
    }
  }
  // A tx command with --key and --wait; expects it committed with `code` (and `detail`).
  Json tx(const std::string& key, std::vector<std::string> args, uint32_t code = 0,
          uint32_t detail = 0) {
    args.insert(args.end(), {"--key", key, "--wait"});
    Json out = cli(args, code == 0);
    EXPECT_EQ(out.value("code", 99u), code) << out.dump(2);
    if (detail != 0) {
      EXPECT_EQ(out.value("detail", 0u), detail) << out.dump(2);
    }
    return out;
  }
  std::pair<std::string, std::string> new_key(const std::string& name) {
    const std::string path = (dir_.path() / (name + ".json")).string();
    const Json k = cli({"keygen", "--out", path});
    return {path, k.value("address", "")};
  }
  static uint64_t num(const Json& j, const char* key) {
    if (!j.contains(key)) return 0;
    const auto& v = j[key];
    return v.is_string() ? std::stoull(v.get<std::string>()) : v.get<uint64_t>();
  }
  uint64_t head_time_ms() { return num(cli({"status"}), "latest_block_time_ms"); }

  TempDir dir_{"btt-consent"};
  std::filesystem::path home_;
  std::string dev_key_;
  std::unique_ptr<NodeProcess> node_;
};

TEST_F(ConsentNodeTest, GrantCheckDeclareRevokeAndTheCheckRefuses) {
  const auto [patient_key, patient] = new_key("patient");
  const auto [clinic_key, clinic] = new_key("clinic");
  const auto [archive_key, archive] = new_key("archive");
  const auto [family_key, family] = new_key("family");
  for (const auto& a : {patient, clinic, archive, family}) {
    tx(dev_key_, {"send", "--to", a, "--amount", std::to_string(10 * kBtt)});
  }
  const std::string record(64, 'c');  // the content hash of the encrypted record
  const std::string expiry = std::to_string(head_time_ms() + 3'600'000);
  tx(patient_key,
     {"consent", "grant", "--grantee", clinic, "--record", record, "--custodian", archive,
      "--scope", "imaging", "--purpose", "treatment,second_opinion", "--expiry-ms", expiry});
  const Json g = cli({"consent", "get", "1"});
  EXPECT_TRUE(g.value("in_force", false)) << g.dump(2);
  EXPECT_EQ(g["grant"].value("patient", ""), patient);
  EXPECT_EQ(g["grant"].value("scope", ""), "RECORD_SCOPE_IMAGING");

  // The custodian asks before it releases the record.
  const std::vector<std::string> check = {"consent",   "check",    "--patient", patient,
                                          "--record",  record,     "--grantee", clinic,
                                          "--purpose", "treatment"};
  Json yes = cli(check);
  EXPECT_TRUE(yes.value("allowed", false)) << yes.dump(2);
  EXPECT_EQ(num(yes, "grant_id"), 1u);
  auto research = check;
  research.back() = "research";
  Json no = cli(research);
  EXPECT_FALSE(no.value("allowed", true));
  EXPECT_EQ(no.value("denial", ""), "CONSENT_DENIAL_PURPOSE_NOT_COVERED") << no.dump(2);

  // The clinic declares its read; the record's access trail shows it.
  Json declared = tx(clinic_key, {"consent", "declare-access", "1", "--purpose", "treatment"});
  bool seen = false;
  for (const auto& e : declared["result"]["events"]) {
    if (e.value("type", "") == "consent.access_declared") seen = true;
  }
  EXPECT_TRUE(seen) << declared.dump(2);
  Json trail = cli({"consent", "accesses", record});
  ASSERT_EQ(trail["accesses"].size(), 1u) << trail.dump(2);
  EXPECT_EQ(trail["accesses"][0].value("reader", ""), clinic);
  EXPECT_EQ(trail["accesses"][0].value("purpose", ""), "CONSENT_PURPOSE_TREATMENT");

  // The patient revokes: the check refuses, naming the grant, and so does a declaration.
  tx(patient_key, {"consent", "revoke", "1"});
  no = cli(check);
  EXPECT_FALSE(no.value("allowed", true)) << no.dump(2);
  EXPECT_EQ(no.value("denial", ""), "CONSENT_DENIAL_REVOKED");
  EXPECT_EQ(num(no, "grant_id"), 1u);
  tx(clinic_key, {"consent", "declare-access", "1", "--purpose", "treatment"}, 308, 11014);

  // A delegate grants for the patient, and cannot name delegates itself.
  tx(patient_key, {"consent", "set-delegate", family});
  Json delegates = cli({"consent", "delegates", patient});
  ASSERT_EQ(delegates["delegates"].size(), 1u) << delegates.dump(2);
  tx(family_key,
     {"consent", "grant", "--patient", patient, "--grantee", clinic, "--record", record,
      "--custodian", archive, "--scope", "full", "--purpose", "treatment", "--expiry-ms", expiry});
  yes = cli(check);
  EXPECT_TRUE(yes.value("allowed", false)) << yes.dump(2);
  EXPECT_EQ(num(yes, "grant_id"), 2u);
  tx(family_key, {"consent", "set-delegate", clinic, "--patient", patient}, 304, 11010);
  const Json grants = cli({"consent", "grants", "--patient", patient, "--in-force"});
  ASSERT_EQ(grants["grants"].size(), 1u) << grants.dump(2);
  EXPECT_EQ(grants["grants"][0]["grant"].value("granted_by", ""), family);
  const Json params = cli({"consent", "params"});
  EXPECT_EQ(num(params, "max_grants_per_patient"), 1000u) << params.dump(2);
}

}  // namespace
}  // namespace btt::testkit

#pragma once
// Consent state keys (prefix "cns/"; doc/consent.md "State"). Record hashes are keyed by their
// lower-case hex (64 characters), so a key field never holds a NUL byte.
//   "cns/params"                                      -> ConsentParams (absent: the defaults)
//   "cns/next/grant", "cns/next/access"               -> u64be, the next id (absent: 1)
//   "cns/grant/" id                                   -> ConsentGrant
//   "cns/pg/" patient20 id                            -> u64be id: the patient's grants
//   "cns/gg/" grantee20 id                            -> u64be id: the grantee's grants
//   "cns/rec/" patient20 hex(hash) NUL grantee20 id   -> u64be id: grants of one record to one
//                                                        grantee (may_read)
//   "cns/act/" patient20 id                           -> u64be expiry_ms: active grants
//   "cns/exp/" expiry_ms id                           -> u64be id: active grants by expiry
//   "cns/acc/" hex(hash) NUL access_id                -> AccessRecord
//   "cns/dlg/" patient20 delegate20                   -> ConsentDelegate
#include <string>

#include "btt/common/bytes.h"
#include "btt/ledger/keys.h"

namespace btt::modules::consent::keys {

inline constexpr std::string_view kPrefix = "cns/";

inline ledger::StateKey key() {
  return ledger::StateKey(kPrefix);
}
[[nodiscard]] inline std::string hash_hex(std::string_view hash) {
  return to_hex(hash);
}

[[nodiscard]] inline Bytes params() {
  return key().last_str("params");
}
[[nodiscard]] inline Bytes next_grant() {
  return key().table("next").last_str("grant");
}
[[nodiscard]] inline Bytes next_access() {
  return key().table("next").last_str("access");
}
[[nodiscard]] inline Bytes grants() {
  return key().table("grant");
}
[[nodiscard]] inline Bytes grant(uint64_t id) {
  return key().table("grant").u64(id);
}
[[nodiscard]] inline Bytes all_by_patient() {
  return key().table("pg");
}
[[nodiscard]] inline Bytes by_patient(const crypto::Address& patient) {
  return key().table("pg").addr(patient);
}
[[nodiscard]] inline Bytes by_patient(const crypto::Address& patient, uint64_t id) {
  return key().table("pg").addr(patient).u64(id);
}
[[nodiscard]] inline Bytes all_by_grantee() {
  return key().table("gg");
}
[[nodiscard]] inline Bytes by_grantee(const crypto::Address& grantee) {
  return key().table("gg").addr(grantee);
}
[[nodiscard]] inline Bytes by_grantee(const crypto::Address& grantee, uint64_t id) {
  return key().table("gg").addr(grantee).u64(id);
}
[[nodiscard]] inline Bytes all_by_record() {
  return key().table("rec");
}
[[nodiscard]] inline Bytes by_record(const crypto::Address& patient, std::string_view hash,
                                     const crypto::Address& grantee) {
  return key().table("rec").addr(patient).str(hash_hex(hash)).addr(grantee);
}
[[nodiscard]] inline Bytes by_record(const crypto::Address& patient, std::string_view hash,
                                     const crypto::Address& grantee, uint64_t id) {
  return key().table("rec").addr(patient).str(hash_hex(hash)).addr(grantee).u64(id);
}
[[nodiscard]] inline Bytes all_active() {
  return key().table("act");
}
[[nodiscard]] inline Bytes active(const crypto::Address& patient) {
  return key().table("act").addr(patient);
}
[[nodiscard]] inline Bytes active(const crypto::Address& patient, uint64_t id) {
  return key().table("act").addr(patient).u64(id);
}
[[nodiscard]] inline Bytes all_expiries() {
  return key().table("exp");
}
[[nodiscard]] inline Bytes expiry(uint64_t expiry_ms, uint64_t id) {
  return key().table("exp").u64(expiry_ms).u64(id);
}
[[nodiscard]] inline Bytes all_accesses() {
  return key().table("acc");
}
[[nodiscard]] inline Bytes accesses(std::string_view hash) {
  return key().table("acc").str(hash_hex(hash));
}
[[nodiscard]] inline Bytes access(std::string_view hash, uint64_t id) {
  return key().table("acc").str(hash_hex(hash)).u64(id);
}
[[nodiscard]] inline Bytes all_delegates() {
  return key().table("dlg");
}
[[nodiscard]] inline Bytes delegates(const crypto::Address& patient) {
  return key().table("dlg").addr(patient);
}
[[nodiscard]] inline Bytes delegate(const crypto::Address& patient, const crypto::Address& d) {
  return key().table("dlg").addr(patient).addr(d);
}

}  // namespace btt::modules::consent::keys

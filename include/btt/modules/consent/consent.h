#pragma once
// Consent module (doc/consent.md): a patient grants a grantee (a provider, an insurer) access to
// a record pointer (the content hash of an encrypted record held off chain, and its custodian)
// for a scope and purposes until an expiry, and revokes at any time; the grantee or the
// custodian declares each access. Only the patient, or a delegate the patient named, grants or
// revokes. Custodians enforce the answer of may_read; other modules read it through this header,
// never through the keys. No PHI is ever on chain: addresses, hashes and enums only.
//
// State keys: src/modules/consent/keys.h (doc/consent.md "State").
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "btt/crypto/address.h"
#include "btt/ledger/module.h"
#include "btt/ledger/state.h"
#include "btt/v1/consent.pb.h"

namespace btt::modules::consent {

inline constexpr std::string_view kModuleName = "consent";
inline constexpr uint32_t kCodespace = 11;

// "May `grantee` read `patient`'s record `record_hash` for `purpose` (and `scope`) at
// `time_ms`?" A null custodian counts every grant; else only grants naming it.
struct AccessQuery {
  crypto::Address patient;
  std::string record_hash;  // 32 bytes
  crypto::Address grantee;
  v1::ConsentPurpose purpose = v1::CONSENT_PURPOSE_UNSPECIFIED;
  v1::RecordScope scope = v1::RECORD_SCOPE_UNSPECIFIED;  // UNSPECIFIED: any scope
  std::optional<crypto::Address> custodian;
  uint64_t time_ms = 0;
};

struct AccessCheck {
  bool allowed = false;
  // The allowing grant (the lowest id that allows), or the grant the denial is about (0 for
  // no_grant).
  uint64_t grant_id = 0;
  v1::ConsentDenial denial = v1::CONSENT_DENIAL_NO_GRANT;
  std::string message;
  uint64_t expiry_ms = 0;  // of grant_id
};

// The answer over the patient's grants of the record to the grantee. Among grants that do not
// allow, the denial is the one that came closest, in the order no_grant < revoked < expired <
// purpose_not_covered < scope_not_covered. Revocation is as of `state`; expiry is judged at
// time_ms (a grant is expired once time_ms >= expiry_ms).
[[nodiscard]] AccessCheck may_read(const ledger::StateReader& state, const AccessQuery& q);

// Whether a grant of `granted` covers a read of `asked` (UNSPECIFIED asks for any; FULL covers
// every scope; else the same scope).
[[nodiscard]] bool scope_covers(v1::RecordScope granted, v1::RecordScope asked);
[[nodiscard]] bool purpose_covered(const v1::ConsentGrant& grant, v1::ConsentPurpose purpose);

// Whether `delegate` is a delegate the patient named (and has not removed).
[[nodiscard]] bool is_delegate(const ledger::StateReader& state, const crypto::Address& patient,
                               const crypto::Address& delegate);

[[nodiscard]] std::unique_ptr<ledger::Module> make_consent_module();

}  // namespace btt::modules::consent

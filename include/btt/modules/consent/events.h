#pragma once
// The consent module's events (doc/consent.md "Events"). Attributes carry addresses, hex hashes
// and enum names only: never PHI.
#include "btt/ledger/events.h"

namespace btt::modules::consent::events {

// A grant: who gave whom access to which record pointer, for what, until when; `signer` is the
// patient or the delegate who signed.
inline constexpr ledger::EventDef kGranted{
    "consent.granted",
    {"grant_id", "patient", "grantee", "record_hash", "custodian", "scope", "purposes", "expiry_ms",
     "signer"}};
// A revocation by the patient or a delegate (`signer`).
inline constexpr ledger::EventDef kRevoked{
    "consent.revoked", {"grant_id", "patient", "grantee", "record_hash", "signer"}};
// An active grant that reached its expiry (end_block of the first block at or past expiry_ms).
inline constexpr ledger::EventDef kExpired{
    "consent.expired", {"grant_id", "patient", "grantee", "record_hash", "expiry_ms"}};
// A declared access: `reader` (the grantee) read the record for `purpose`; `declared_by` is the
// grantee or the custodian.
inline constexpr ledger::EventDef kAccessDeclared{
    "consent.access_declared",
    {"access_id", "grant_id", "patient", "record_hash", "custodian", "reader", "declared_by",
     "purpose", "scope"}};
inline constexpr ledger::EventDef kDelegateSet{"consent.delegate_set", {"patient", "delegate"}};
// `signer` is the patient, or the delegate stepping down.
inline constexpr ledger::EventDef kDelegateRemoved{"consent.delegate_removed",
                                                   {"patient", "delegate", "signer"}};

}  // namespace btt::modules::consent::events

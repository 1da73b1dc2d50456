// Consent module (doc/consent.md): wiring, the end_block expiry, and the enums' short names.
#include "module.h"

#include <cctype>

#include "btt/modules/consent/errors.h"
#include "btt/modules/consent/events.h"
#include "keeper.h"

namespace btt::modules::consent {
namespace {

std::string short_name(const std::string& full, std::string_view prefix) {
  std::string out = full.substr(full.rfind(prefix, 0) == 0 ? prefix.size() : 0);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::string purpose_name(v1::ConsentPurpose p) {
  if (!v1::ConsentPurpose_IsValid(p)) return std::to_string(static_cast<int>(p));
  return short_name(v1::ConsentPurpose_Name(p), "CONSENT_PURPOSE_");
}

std::string scope_name(v1::RecordScope s) {
  if (!v1::RecordScope_IsValid(s)) return std::to_string(static_cast<int>(s));
  return short_name(v1::RecordScope_Name(s), "RECORD_SCOPE_");
}

std::string purposes_text(const google::protobuf::RepeatedField<int>& purposes) {
  std::string out;
  for (int p : purposes) {
    if (!out.empty()) out += ",";
    out += purpose_name(static_cast<v1::ConsentPurpose>(p));
  }
  return out;
}

std::vector<const ledger::EventDef*> ConsentModule::events() const {
  return {&events::kGranted,        &events::kRevoked,     &events::kExpired,
          &events::kAccessDeclared, &events::kDelegateSet, &events::kDelegateRemoved};
}

std::vector<const ErrorDef*> ConsentModule::errors() const {
  return {&errors::kBadField,          &errors::kBadAddress,       &errors::kBadRecordHash,
          &errors::kBadScope,          &errors::kBadPurpose,       &errors::kBadExpiry,
          &errors::kSelfGrant,         &errors::kSelfDelegate,     &errors::kNotPatientOrDelegate,
          &errors::kNotPatient,        &errors::kExpiryOutOfRange, &errors::kTooManyGrants,
          &errors::kNoGrant,           &errors::kGrantRevoked,     &errors::kGrantExpired,
          &errors::kPurposeNotCovered, &errors::kScopeNotCovered,  &errors::kNotGranteeOrCustodian,
          &errors::kDelegateExists,    &errors::kNoDelegate,       &errors::kTooManyDelegates,
          &errors::kNotDelegateParty,  &errors::kBadParams,        &errors::kBadGenesis};
}

void ConsentModule::end_block(ledger::BlockContext& ctx) {
  ConsentKeeper(ctx.state, ctx.events).expire(ctx.block.time_ms);
}

std::unique_ptr<ledger::Module> make_consent_module() {
  return std::make_unique<ConsentModule>();
}

}  // namespace btt::modules::consent

#pragma once
// Stateless checks of a message's fields that many handlers make, each refusing with the
// module's own ErrorDef so the detail names the module ("... [payfi 8002]").
#include <cstdint>
#include <string>

#include "btt/common/status.h"
#include "btt/crypto/address.h"

namespace btt::ledger {

// `text` must be a btt address.
[[nodiscard]] inline Status check_address_field(const std::string& text, const std::string& what,
                                                const ErrorDef& error) {
  if (!crypto::Address::parse(text)) {
    return {error, what + ": '" + excerpt(text) + "' is not a btt address"};
  }
  return Status::ok();
}

// `h` must be 32 bytes, or empty when not `required`.
[[nodiscard]] inline Status check_hash32_field(const std::string& h, const std::string& what,
                                               bool required, const ErrorDef& error) {
  if ((required || !h.empty()) && h.size() != 32) {
    return {error, what + " must be " + (required ? "" : "empty or ") + "32 bytes"};
  }
  return Status::ok();
}

}  // namespace btt::ledger

#include "btt/ledger/keys.h"

namespace btt::ledger {

bool KeyReader::addr(crypto::Address& a) {
  if (in_.size() < crypto::Address::kSize) return false;
  auto parsed = crypto::Address::from_bytes(in_.substr(0, crypto::Address::kSize));
  if (!parsed) return false;
  a = *parsed;
  in_.remove_prefix(crypto::Address::kSize);
  return true;
}

bool KeyReader::str(std::string& s) {
  const size_t end = in_.find('\0');
  if (end == std::string_view::npos) return false;
  s.assign(in_.substr(0, end));
  in_.remove_prefix(end + 1);
  return true;
}

}  // namespace btt::ledger

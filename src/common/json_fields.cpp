#include "btt/common/json_fields.h"

#include "btt/common/checked.h"

namespace btt::json_fields {
namespace {

Status err(const std::string& field, const std::string& what) {
  return {Code::kInvalidArgument, field + ": " + what};
}

}  // namespace

Result<uint64_t> u64(const nlohmann::json& v, const std::string& field) {
  if (v.is_number_unsigned()) return v.get<uint64_t>();
  if (v.is_number_integer()) {
    // Parsed text gives non-negative numbers the unsigned type; built JSON may not.
    const int64_t i = v.get<int64_t>();
    if (i < 0) return err(field, "must not be negative");
    return static_cast<uint64_t>(i);
  }
  if (!v.is_string()) return err(field, "must be a decimal string of base units");
  const auto& s = v.get_ref<const std::string&>();
  if (s.empty() || s.size() > 20) return err(field, "'" + excerpt(s) + "' is not a uint64");
  uint64_t out = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return err(field, "'" + excerpt(s) + "' is not a decimal integer");
    auto m = checked_mul(out, 10);
    auto a = m ? checked_add(*m, static_cast<uint64_t>(c - '0')) : std::nullopt;
    if (!a) return err(field, "'" + s + "' exceeds 2^64-1");
    out = *a;
  }
  return out;
}

Result<uint32_t> u32(const nlohmann::json& v, const std::string& field) {
  auto r = u64(v, field);
  if (!r) return r.status();
  if (*r > UINT32_MAX) return err(field, "exceeds 2^32-1");
  return static_cast<uint32_t>(*r);
}

Result<std::string> string(const nlohmann::json& v, const std::string& field) {
  if (!v.is_string()) return err(field, "must be a string");
  return v.get<std::string>();
}

Result<bool> boolean(const nlohmann::json& v, const std::string& field) {
  if (!v.is_boolean()) return err(field, "must be true or false");
  return v.get<bool>();
}

Status only_keys(const nlohmann::json& obj, const std::string& where,
                 const std::set<std::string>& allowed) {
  if (!obj.is_object()) return err(where, "must be an object");
  for (const auto& [key, _] : obj.items()) {
    if (!allowed.count(key)) return err(where, "unknown field '" + excerpt(key) + "'");
  }
  return Status::ok();
}

Status required(const nlohmann::json& obj, const std::string& key, const std::string& where) {
  if (!obj.contains(key)) return err(where, "missing field '" + key + "'");
  return Status::ok();
}

}  // namespace btt::json_fields

#pragma once
// Typed fields of JSON documents (the genesis file and its module sections), each refusal naming
// the field: "<field>: <what is wrong>", code kInvalidArgument.
#include <cstdint>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "btt/common/status.h"

namespace btt::json_fields {

// A uint64: a decimal string (JSON numbers lose precision above 2^53) or a non-negative integer.
[[nodiscard]] Result<uint64_t> u64(const nlohmann::json& v, const std::string& field);
[[nodiscard]] Result<uint32_t> u32(const nlohmann::json& v, const std::string& field);
[[nodiscard]] Result<std::string> string(const nlohmann::json& v, const std::string& field);
[[nodiscard]] Result<bool> boolean(const nlohmann::json& v, const std::string& field);
// `obj` is an object whose keys are all in `allowed`.
[[nodiscard]] Status only_keys(const nlohmann::json& obj, const std::string& where,
                               const std::set<std::string>& allowed);
// `obj` has `key` (an object's field that must be present).
[[nodiscard]] Status required(const nlohmann::json& obj, const std::string& key,
                              const std::string& where);

}  // namespace btt::json_fields

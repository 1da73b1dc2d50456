#pragma once
// Protobuf messages as JSON (proto3 JSON mapping, field names as in the .proto file), for genesis
// sections, exports and params: the one place that configures the printer and the parser.
#include <google/protobuf/message.h>

#include <nlohmann/json.hpp>

#include "btt/common/status.h"

namespace btt::ledger {

// Fields at their default value are left out; 64-bit integers print as strings.
[[nodiscard]] Result<nlohmann::json> proto_to_json(const google::protobuf::Message& message);
[[nodiscard]] Result<std::string> proto_to_json_text(const google::protobuf::Message& message,
                                                     bool with_defaults);
// Replaces `out` with what `json` describes; an unknown field or a wrong type is an error
// (kInvalidArgument, the parser's message), and `out` is then unspecified.
[[nodiscard]] Status json_to_proto(const nlohmann::json& json, google::protobuf::Message& out);
[[nodiscard]] Status json_text_to_proto(std::string_view json, google::protobuf::Message& out);

}  // namespace btt::ledger

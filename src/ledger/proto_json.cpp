#include "btt/ledger/proto_json.h"

#include <google/protobuf/util/json_util.h>

namespace btt::ledger {

Result<std::string> proto_to_json_text(const google::protobuf::Message& message,
                                       bool with_defaults) {
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = with_defaults;
  auto printed = google::protobuf::util::MessageToJsonString(message, &out, options);
  if (!printed.ok()) return Status(Code::kInternal, printed.ToString());
  return out;
}

Result<nlohmann::json> proto_to_json(const google::protobuf::Message& message) {
  auto text = proto_to_json_text(message, false);
  if (!text) return text.status();
  return nlohmann::json::parse(*text);
}

Status json_text_to_proto(std::string_view json, google::protobuf::Message& out) {
  out.Clear();
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  auto parsed = google::protobuf::util::JsonStringToMessage(std::string(json), &out, options);
  if (!parsed.ok()) return {Code::kInvalidArgument, std::string(parsed.message())};
  return Status::ok();
}

Status json_to_proto(const nlohmann::json& json, google::protobuf::Message& out) {
  return json_text_to_proto(json.dump(), out);
}

}  // namespace btt::ledger

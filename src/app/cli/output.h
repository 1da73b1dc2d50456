#pragma once
// Printing for btt-cli: aligned "key: value" lines for people, JSON for scripts (--json: one
// document per command on stdout; streaming commands print one compact object per line).
#include <nlohmann/json.hpp>

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "btt/v1/bank.pb.h"
#include "btt/v1/block.pb.h"
#include "btt/v1/node.pb.h"
#include "btt/v1/tx.pb.h"

namespace btt::cli {

using Json = nlohmann::ordered_json;

inline constexpr std::string_view kBttAsset = "BTT";
inline constexpr uint64_t kUnitsPerBtt = 100'000'000;

// Aligned "key: value" lines, with free-form indented lines (list items) in between.
class Fields {
 public:
  Fields& add(std::string key, std::string value);
  Fields& add(std::string key, uint64_t value);
  // An indented line printed as is (after the preceding key).
  Fields& item(std::string text);
  void print(std::ostream& os) const;

 private:
  struct Entry {
    std::string key;
    std::string value;
    bool is_item = false;
  };
  std::vector<Entry> entries_;
};

class Output {
 public:
  explicit Output(bool json) : json_(json) {}
  [[nodiscard]] bool json() const { return json_; }

  // Unary commands: one document, indented.
  void document(const Json& doc) const;
  // Streaming commands: one compact object per line, flushed at once.
  void line(const Json& doc) const;
  void fields(const Fields& fields) const;
  void text_line(std::string_view text) const;

 private:
  bool json_;
};

// --- formatting ------------------------------------------------------------------------------
[[nodiscard]] std::string hex(std::string_view bytes);
// Unix milliseconds as "2024-05-01T12:00:00.000Z"; "-" for 0.
[[nodiscard]] std::string format_time_ms(uint64_t ms);
// "1.50000000" for 150000000 base units.
[[nodiscard]] std::string format_btt(uint64_t units);
// "150000000 (1.50000000 BTT)" for BTT, "42 USDC" otherwise.
[[nodiscard]] std::string format_amount(std::string_view asset, uint64_t amount);
// "0 (OK)", "300 (INSUFFICIENT_FUNDS)".
[[nodiscard]] std::string format_code(uint32_t code);
// "304 (UNAUTHORIZED) [roles 4003]": with the module detail when there is one.
[[nodiscard]] std::string format_code(uint32_t code, uint32_t detail, std::string_view codespace);
[[nodiscard]] std::string code_name_of(uint32_t code);

// --- the generic printer: any API message, through its descriptor ------------------------------
// JSON: every field under its proto name, defaults included (unset sub-messages and unset oneof
// members are left out); bytes fields (found by type) as lower-case hex; every integer, 64-bit
// ones included, a JSON number (doc/api.md "btt-cli"); enums by name; repeated fields as arrays.
[[nodiscard]] Json proto_json(const google::protobuf::Message& m);
// The same as "key: value" lines: nested fields as "a.b", repeated ones as "a[0].b", repeated
// scalars comma-separated.
[[nodiscard]] Fields proto_fields(const google::protobuf::Message& m);
// The same flattened pairs ("a.b", value), for one-line views.
[[nodiscard]] std::vector<std::pair<std::string, std::string>> proto_pairs(
    const google::protobuf::Message& m);

// --- JSON views of API messages (bytes as lower-case hex, amounts as integers) -----------------
[[nodiscard]] Json to_json(const v1::NodeStatus& s);
[[nodiscard]] Json to_json(const v1::Event& e);
// {"type": <the Message oneof field>, <its fields as proto_json>}: every message kind, from the
// descriptor of the oneof.
[[nodiscard]] Json to_json(const v1::Message& m);
[[nodiscard]] Json to_json(const v1::TxResult& r);
[[nodiscard]] Json to_json(const v1::TxInfo& t);
[[nodiscard]] Json to_json(const v1::BlockInfo& b);
[[nodiscard]] Json to_json(const v1::EventRecord& e);
[[nodiscard]] Json to_json(const v1::FeeSuggestion& f);
[[nodiscard]] Json events_json(const google::protobuf::RepeatedPtrField<v1::Event>& events);

// --- human views ---------------------------------------------------------------------------------
[[nodiscard]] std::string describe(const v1::Event& e);  // "bank.transfer from=.. to=.."
// "balance_change address=.. asset=BTT amount=.. direction=credit"
[[nodiscard]] std::string describe(const v1::BalanceChange& c);
// "transfer to=.. asset=.. amount=..": the oneof field, then proto_pairs of its message.
[[nodiscard]] std::string describe(const v1::Message& m);
[[nodiscard]] Fields fields_of(const v1::NodeStatus& s);
[[nodiscard]] Fields fields_of(const v1::TxInfo& t);
[[nodiscard]] Fields fields_of(const v1::BlockInfo& b);
[[nodiscard]] Fields fields_of(const v1::FeeSuggestion& f);
void add_events(Fields& f, const google::protobuf::RepeatedPtrField<v1::Event>& events);

// A unary command's answer: its JSON view with --json, else its "key: value" lines.
template <typename Message>
void show(const Output& out, const Message& m) {
  if (out.json()) {
    out.document(to_json(m));
  } else {
    out.fields(fields_of(m));
  }
}

// The header of a BlockInfo: its decoded copy, else parsed from the block's header bytes.
[[nodiscard]] v1::BlockHeader header_of(const v1::BlockInfo& b);
// The body of a TxInfo: its decoded copy, else parsed from the tx's body bytes.
[[nodiscard]] v1::TxBody body_of(const v1::TxInfo& t);

}  // namespace btt::cli

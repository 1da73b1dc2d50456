#include "app/cli/output.h"

#include <algorithm>
#include <ctime>
#include <iostream>
#include <utility>

#include "btt/common/bytes.h"
#include "btt/common/status.h"

namespace btt::cli {

// --- Fields ------------------------------------------------------------------------------------

Fields& Fields::add(std::string key, std::string value) {
  entries_.push_back({std::move(key), std::move(value), false});
  return *this;
}

Fields& Fields::add(std::string key, uint64_t value) {
  return add(std::move(key), std::to_string(value));
}

Fields& Fields::item(std::string text) {
  entries_.push_back({{}, std::move(text), true});
  return *this;
}

void Fields::print(std::ostream& os) const {
  size_t width = 0;
  for (const auto& e : entries_) {
    if (!e.is_item) width = std::max(width, e.key.size());
  }
  for (const auto& e : entries_) {
    if (e.is_item) {
      os << "  " << e.value << '\n';
      continue;
    }
    os << e.key << ':';
    if (!e.value.empty()) os << std::string(width - e.key.size() + 1, ' ') << e.value;
    os << '\n';
  }
}

// --- Output ------------------------------------------------------------------------------------

void Output::document(const Json& doc) const {
  std::cout << doc.dump(2) << std::endl;
}

void Output::line(const Json& doc) const {
  std::cout << doc.dump() << std::endl;
}

void Output::fields(const Fields& fields) const {
  fields.print(std::cout);
  std::cout.flush();
}

void Output::text_line(std::string_view text) const {
  std::cout << text << std::endl;
}

// --- formatting --------------------------------------------------------------------------------

std::string hex(std::string_view bytes) {
  return to_hex(bytes);
}

std::string format_time_ms(uint64_t ms) {
  if (ms == 0) return "-";
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  if (gmtime_r(&secs, &tm) == nullptr) return std::to_string(ms);
  char buf[64];
  size_t n = std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
  char frac[8];
  std::snprintf(frac, sizeof(frac), ".%03uZ", static_cast<unsigned>(ms % 1000));
  return std::string(buf, n) + frac;
}

std::string format_btt(uint64_t units) {
  std::string frac = std::to_string(units % kUnitsPerBtt);
  frac.insert(0, 8 - frac.size(), '0');
  return std::to_string(units / kUnitsPerBtt) + "." + frac;
}

std::string format_amount(std::string_view asset, uint64_t amount) {
  if (asset == kBttAsset) return std::to_string(amount) + " (" + format_btt(amount) + " BTT)";
  return std::to_string(amount) + " " + std::string(asset);
}

std::string code_name_of(uint32_t code) {
  return code_name(static_cast<Code>(code));
}

std::string format_code(uint32_t code) {
  return std::to_string(code) + " (" + code_name_of(code) + ")";
}

std::string format_code(uint32_t code, uint32_t detail, std::string_view codespace) {
  if (detail == 0) return format_code(code);
  return format_code(code) + " [" + std::string(codespace) + " " + std::to_string(detail) + "]";
}

v1::BlockHeader header_of(const v1::BlockInfo& b) {
  if (b.has_header()) return b.header();
  v1::BlockHeader h;
  if (!h.ParseFromString(b.block().header())) h.Clear();
  return h;
}

v1::TxBody body_of(const v1::TxInfo& t) {
  if (t.has_body()) return t.body();
  v1::TxBody body;
  if (!body.ParseFromString(t.tx().body())) body.Clear();
  return body;
}

// --- JSON ----------------------------------------------------------------------------------------

Json to_json(const v1::NodeStatus& s) {
  return Json{{"chain_id", s.chain_id()},
              {"version", s.version()},
              {"height", s.height()},
              {"latest_block_hash", hex(s.latest_block_hash())},
              {"latest_state_hash", hex(s.latest_state_hash())},
              {"latest_block_time_ms", s.latest_block_time_ms()},
              {"latest_block_time", format_time_ms(s.latest_block_time_ms())},
              {"validator_address", s.validator_address()},
              {"mempool_txs", s.mempool_txs()},
              {"mempool_bytes", s.mempool_bytes()},
              {"genesis_time_ms", s.genesis_time_ms()},
              {"min_fee", s.min_fee()},
              {"moniker", s.moniker()}};
}

Json to_json(const v1::Event& e) {
  // Attributes as an object; a key that repeats within one event collects its values in an array.
  Json attrs = Json::object();
  for (const auto& a : e.attributes()) {
    auto it = attrs.find(a.key());
    if (it == attrs.end()) {
      attrs[a.key()] = a.value();
    } else if (it->is_array()) {
      it->push_back(a.value());
    } else {
      *it = Json::array({*it, a.value()});
    }
  }
  return Json{{"type", e.type()}, {"attributes", std::move(attrs)}};
}

Json events_json(const google::protobuf::RepeatedPtrField<v1::Event>& events) {
  Json out = Json::array();
  for (const auto& e : events) out.push_back(to_json(e));
  return out;
}

namespace {

using google::protobuf::FieldDescriptor;

const FieldDescriptor* message_kind(const v1::Message& m) {
  const auto* oneof = v1::Message::descriptor()->FindOneofByName("msg");
  return oneof == nullptr ? nullptr : m.GetReflection()->GetOneofFieldDescriptor(m, oneof);
}

// Fields printed for `m`: all fields in number order, but unset sub-messages and oneof members.
std::vector<const FieldDescriptor*> printed_fields(const google::protobuf::Message& m) {
  const auto* d = m.GetDescriptor();
  const auto* r = m.GetReflection();
  std::vector<const FieldDescriptor*> out;
  for (int i = 0; i < d->field_count(); ++i) {
    const auto* f = d->field(i);
    if (!f->is_repeated() &&
        (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE || f->containing_oneof() != nullptr) &&
        !r->HasField(m, f)) {
      continue;
    }
    out.push_back(f);
  }
  std::sort(out.begin(), out.end(), [](const FieldDescriptor* a, const FieldDescriptor* b) {
    return a->number() < b->number();
  });
  return out;
}

// One scalar value (index -1: singular) as JSON.
Json scalar_json(const google::protobuf::Message& m, const FieldDescriptor* f, int i) {
  const auto* r = m.GetReflection();
  const bool rep = i >= 0;
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      return rep ? r->GetRepeatedInt32(m, f, i) : r->GetInt32(m, f);
    case FieldDescriptor::CPPTYPE_INT64:
      return rep ? r->GetRepeatedInt64(m, f, i) : r->GetInt64(m, f);
    case FieldDescriptor::CPPTYPE_UINT32:
      return rep ? r->GetRepeatedUInt32(m, f, i) : r->GetUInt32(m, f);
    case FieldDescriptor::CPPTYPE_UINT64:
      return rep ? r->GetRepeatedUInt64(m, f, i) : r->GetUInt64(m, f);
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return rep ? r->GetRepeatedDouble(m, f, i) : r->GetDouble(m, f);
    case FieldDescriptor::CPPTYPE_FLOAT:
      return rep ? r->GetRepeatedFloat(m, f, i) : r->GetFloat(m, f);
    case FieldDescriptor::CPPTYPE_BOOL:
      return rep ? r->GetRepeatedBool(m, f, i) : r->GetBool(m, f);
    case FieldDescriptor::CPPTYPE_ENUM: {
      const int v = rep ? r->GetRepeatedEnumValue(m, f, i) : r->GetEnumValue(m, f);
      const auto* e = f->enum_type()->FindValueByNumber(v);
      return e == nullptr ? Json(v) : Json(e->name());
    }
    case FieldDescriptor::CPPTYPE_STRING: {
      std::string v = rep ? r->GetRepeatedString(m, f, i) : r->GetString(m, f);
      return f->type() == FieldDescriptor::TYPE_BYTES ? Json(hex(v)) : Json(std::move(v));
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
      return proto_json(rep ? r->GetRepeatedMessage(m, f, i) : r->GetMessage(m, f));
  }
  return nullptr;
}

std::string scalar_text(const Json& j) {
  return j.is_string() ? j.get<std::string>() : j.dump();
}

void flatten(const google::protobuf::Message& m, const std::string& prefix,
             std::vector<std::pair<std::string, std::string>>& out) {
  const auto* r = m.GetReflection();
  for (const auto* f : printed_fields(m)) {
    const std::string key = prefix + f->name();
    const bool is_msg = f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE;
    if (!f->is_repeated()) {
      if (is_msg) {
        flatten(r->GetMessage(m, f), key + ".", out);
      } else {
        out.emplace_back(key, scalar_text(scalar_json(m, f, -1)));
      }
      continue;
    }
    const int n = r->FieldSize(m, f);
    if (is_msg) {
      if (n == 0) out.emplace_back(key, "(none)");
      for (int i = 0; i < n; ++i) {
        flatten(r->GetRepeatedMessage(m, f, i), key + "[" + std::to_string(i) + "].", out);
      }
      continue;
    }
    std::string joined;
    for (int i = 0; i < n; ++i) joined += (i == 0 ? "" : ",") + scalar_text(scalar_json(m, f, i));
    out.emplace_back(key, joined);
  }
}

}  // namespace

Json proto_json(const google::protobuf::Message& m) {
  const auto* r = m.GetReflection();
  Json out = Json::object();
  for (const auto* f : printed_fields(m)) {
    if (f->is_map()) {
      // Maps as objects keyed by their key's text.
      Json obj = Json::object();
      for (int i = 0; i < r->FieldSize(m, f); ++i) {
        Json entry = proto_json(r->GetRepeatedMessage(m, f, i));
        obj[scalar_text(entry["key"])] = std::move(entry["value"]);
      }
      out[f->name()] = std::move(obj);
    } else if (f->is_repeated()) {
      Json arr = Json::array();
      for (int i = 0; i < r->FieldSize(m, f); ++i) arr.push_back(scalar_json(m, f, i));
      out[f->name()] = std::move(arr);
    } else {
      out[f->name()] = scalar_json(m, f, -1);
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> proto_pairs(const google::protobuf::Message& m) {
  std::vector<std::pair<std::string, std::string>> out;
  flatten(m, "", out);
  return out;
}

Fields proto_fields(const google::protobuf::Message& m) {
  Fields f;
  for (auto& [key, value] : proto_pairs(m)) f.add(std::move(key), std::move(value));
  return f;
}

Json to_json(const v1::Message& m) {
  const auto* kind = message_kind(m);
  if (kind == nullptr) return Json{{"type", "none"}};
  Json out{{"type", kind->name()}};
  Json fields = proto_json(m.GetReflection()->GetMessage(m, kind));
  for (auto it = fields.begin(); it != fields.end(); ++it) out[it.key()] = std::move(it.value());
  return out;
}

Json to_json(const v1::TxResult& r) {
  return Json{{"tx_id", hex(r.tx_id())},
              {"height", r.height()},
              {"index", r.index()},
              {"code", r.code()},
              {"code_name", code_name_of(r.code())},
              {"log", r.log()},
              {"detail", r.detail()},
              {"codespace", r.codespace()},
              {"fee_paid", r.fee_paid()},
              {"events", events_json(r.events())}};
}

Json to_json(const v1::TxInfo& t) {
  const v1::TxBody body = body_of(t);
  Json messages = Json::array();
  for (const auto& m : body.messages()) messages.push_back(to_json(m));
  const auto& r = t.result();
  const std::string& id = t.tx_id().empty() ? r.tx_id() : t.tx_id();
  return Json{{"tx_id", hex(id)},
              {"height", r.height()},
              {"index", r.index()},
              {"code", r.code()},
              {"code_name", code_name_of(r.code())},
              {"log", r.log()},
              {"detail", r.detail()},
              {"codespace", r.codespace()},
              {"sender", t.sender().empty() ? body.sender() : t.sender()},
              {"chain_id", body.chain_id()},
              {"public_key", hex(body.public_key())},
              {"nonce", body.nonce()},
              {"fee", body.fee()},
              {"fee_paid", r.fee_paid()},
              {"memo", body.memo()},
              {"messages", std::move(messages)},
              {"events", events_json(r.events())},
              {"signature", hex(t.tx().signature())}};
}

Json to_json(const v1::BlockInfo& b) {
  const v1::BlockHeader h = header_of(b);
  Json ids = Json::array();
  for (const auto& id : b.tx_ids()) ids.push_back(hex(id));
  return Json{{"height", h.height()},
              {"hash", hex(b.hash())},
              {"chain_id", h.chain_id()},
              {"time_ms", h.time_ms()},
              {"time", format_time_ms(h.time_ms())},
              {"prev_hash", hex(h.prev_hash())},
              {"tx_root", hex(h.tx_root())},
              {"state_hash", hex(h.state_hash())},
              {"results_hash", hex(h.results_hash())},
              {"proposer", h.proposer()},
              {"tx_count", h.tx_count()},
              {"signature", hex(b.block().signature())},
              {"tx_ids", std::move(ids)}};
}

Json to_json(const v1::EventRecord& e) {
  if (e.has_balance_change()) {
    return Json{{"height", e.height()},
                {"tx_id", hex(e.tx_id())},
                {"tx_index", e.tx_index()},
                {"balance_change_index", e.balance_change_index()},
                {"tx_code", e.tx_code()},
                {"type", "balance_change"},
                {"balance_change", proto_json(e.balance_change())}};
  }
  Json out{{"height", e.height()},
           {"tx_id", hex(e.tx_id())},
           {"tx_index", e.tx_index()},
           {"event_index", e.event_index()},
           {"tx_code", e.tx_code()}};
  Json ev = to_json(e.event());
  out["type"] = ev["type"];
  out["attributes"] = ev["attributes"];
  return out;
}

Json to_json(const v1::FeeSuggestion& f) {
  return proto_json(f);
}

// --- human ---------------------------------------------------------------------------------------

std::string describe(const v1::Event& e) {
  std::string out = e.type();
  for (const auto& a : e.attributes()) out += " " + a.key() + "=" + a.value();
  return out;
}

std::string describe(const v1::BalanceChange& c) {
  const char* direction = c.direction() == v1::BALANCE_DIRECTION_CREDIT  ? "credit"
                          : c.direction() == v1::BALANCE_DIRECTION_DEBIT ? "debit"
                                                                         : "unspecified";
  return "balance_change address=" + c.address() + " asset=" + c.asset() +
         " amount=" + std::to_string(c.amount()) + " direction=" + direction;
}

std::string describe(const v1::Message& m) {
  const auto* kind = message_kind(m);
  if (kind == nullptr) return "none";
  std::string out = kind->name();
  for (const auto& [key, value] : proto_pairs(m.GetReflection()->GetMessage(m, kind))) {
    out += " " + key + "=" + value;
  }
  return out;
}

void add_events(Fields& f, const google::protobuf::RepeatedPtrField<v1::Event>& events) {
  f.add("events", static_cast<uint64_t>(events.size()));
  for (const auto& e : events) f.item(describe(e));
}

Fields fields_of(const v1::NodeStatus& s) {
  Fields f;
  f.add("chain id", s.chain_id())
      .add("version", s.version())
      .add("height", s.height())
      .add("latest block hash", hex(s.latest_block_hash()))
      .add("latest state hash", hex(s.latest_state_hash()))
      .add("latest block time", format_time_ms(s.latest_block_time_ms()))
      .add("validator", s.validator_address().empty() ? "-" : s.validator_address())
      .add("mempool", std::to_string(s.mempool_txs()) + " txs, " +
                          std::to_string(s.mempool_bytes()) + " bytes")
      .add("min fee", format_amount(kBttAsset, s.min_fee()))
      .add("moniker", s.moniker().empty() ? "-" : s.moniker());
  return f;
}

Fields fields_of(const v1::TxInfo& t) {
  const v1::TxBody body = body_of(t);
  const auto& r = t.result();
  const std::string& id = t.tx_id().empty() ? r.tx_id() : t.tx_id();
  Fields f;
  f.add("tx id", hex(id))
      .add("height", r.height())
      .add("index", r.index())
      .add("code", format_code(r.code(), r.detail(), r.codespace()))
      .add("log", r.log())
      .add("sender", t.sender().empty() ? body.sender() : t.sender())
      .add("nonce", body.nonce())
      .add("fee", format_amount(kBttAsset, body.fee()))
      .add("fee paid", format_amount(kBttAsset, r.fee_paid()))
      .add("memo", body.memo())
      .add("messages", static_cast<uint64_t>(body.messages_size()));
  for (const auto& m : body.messages()) f.item(describe(m));
  add_events(f, r.events());
  return f;
}

Fields fields_of(const v1::BlockInfo& b) {
  const v1::BlockHeader h = header_of(b);
  Fields f;
  f.add("height", h.height())
      .add("hash", hex(b.hash()))
      .add("chain id", h.chain_id())
      .add("time", format_time_ms(h.time_ms()))
      .add("prev hash", hex(h.prev_hash()))
      .add("tx root", hex(h.tx_root()))
      .add("state hash", hex(h.state_hash()))
      .add("results hash", hex(h.results_hash()))
      .add("proposer", h.proposer())
      .add("tx count", h.tx_count())
      .add("txs", static_cast<uint64_t>(b.tx_ids_size()));
  for (const auto& id : b.tx_ids()) f.item(hex(id));
  return f;
}

Fields fields_of(const v1::FeeSuggestion& s) {
  Fields f;
  f.add("suggested", format_amount(kBttAsset, s.suggested()))
      .add("min fee", format_amount(kBttAsset, s.min_fee()))
      .add("recent txs", s.recent_txs())
      .add("recent min", s.recent_min())
      .add("recent median", s.recent_median())
      .add("recent p90", s.recent_p90())
      .add("recent max", s.recent_max())
      .add("blocks", std::to_string(s.from_height()) + ".." + std::to_string(s.to_height()));
  return f;
}

}  // namespace btt::cli

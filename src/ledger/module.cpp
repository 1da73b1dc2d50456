#include "btt/ledger/module.h"

#include <stdexcept>

namespace btt::ledger {

const google::protobuf::FieldDescriptor& message_field(const google::protobuf::Descriptor* type) {
  const auto* msg = v1::Message::descriptor();
  const google::protobuf::FieldDescriptor* found = nullptr;
  for (int i = 0; i < msg->field_count(); ++i) {
    const auto* f = msg->field(i);
    if (f->message_type() != type) continue;
    if (found) {
      throw std::logic_error("btt.v1.Message has two members of type " + type->full_name());
    }
    found = f;
  }
  if (!found || !found->containing_oneof()) {
    throw std::logic_error("btt.v1.Message has no oneof member of type " + type->full_name());
  }
  return *found;
}

}  // namespace btt::ledger

#include "btt/ledger/module.h"

namespace btt::ledger {

Events::Builder& Events::Builder::attr(std::string key, std::string value) {
  auto* a = event_->add_attributes();
  a->set_key(std::move(key));
  a->set_value(std::move(value));
  return *this;
}

Events::Builder Events::emit(std::string type) {
  events_.emplace_back();
  events_.back().set_type(std::move(type));
  return Builder(&events_.back());
}

}  // namespace btt::ledger

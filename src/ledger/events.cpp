#include "btt/ledger/events.h"

#include <stdexcept>

#include "btt/crypto/address.h"

namespace btt::ledger {

Events::Builder& Events::Builder::attr(std::string_view key, std::string value) {
  if (!def_.declares(key)) {
    throw std::logic_error("event " + std::string(def_.type) + " does not declare attribute " +
                           std::string(key));
  }
  auto* a = event_->add_attributes();
  a->set_key(std::string(key));
  a->set_value(std::move(value));
  return *this;
}

Events::Builder Events::emit(const EventDef& def) {
  events_.emplace_back();
  events_.back().set_type(std::string(def.type));
  return Builder(&events_.back(), def);
}

void Events::balance_change(const crypto::Address& account, std::string_view asset, uint64_t amount,
                            v1::BalanceDirection direction) {
  auto& c = changes_.emplace_back();
  c.set_address(account.to_string());
  c.set_asset(std::string(asset));
  c.set_amount(amount);
  c.set_direction(direction);
}

void Events::append(Events&& other) {
  for (auto& e : other.events_) events_.push_back(std::move(e));
  for (auto& c : other.changes_) changes_.push_back(std::move(c));
  other.clear();
}

std::string_view attribute(const v1::Event& event, std::string_view key) {
  for (const auto& a : event.attributes()) {
    if (a.key() == key) return a.value();
  }
  return {};
}

}  // namespace btt::ledger

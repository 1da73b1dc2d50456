#pragma once
// Events: what a tx or a block hook tells the outside world (DESIGN.md "events").
//
// Each module declares its event types once, in its events.h, as EventDefs naming every
// attribute; emit() takes a declaration, and an attribute it does not declare is a wiring bug
// (std::logic_error, caught by every test). Beside them, every balance change made through
// ledger::Ledger is recorded as a v1::BalanceChange (account, asset, amount, direction): an
// account's changes replay exactly to its balance.
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "btt/v1/ledger.pb.h"
#include "btt/v1/tx.pb.h"

namespace btt::crypto {
class Address;
}

namespace btt::ledger {

struct EventDef {
  static constexpr size_t kMaxAttributes = 16;
  std::string_view type;  // "<module>.<what>", e.g. "bank.transfer"
  std::array<std::string_view, kMaxAttributes> attributes{};  // in emission order

  [[nodiscard]] constexpr bool declares(std::string_view key) const {
    for (auto a : attributes) {
      if (a == key) return true;
    }
    return false;
  }
  [[nodiscard]] constexpr size_t attribute_count() const {
    size_t n = 0;
    while (n < kMaxAttributes && !attributes[n].empty()) ++n;
    return n;
  }
};

// Collects the events and balance changes of one tx (or of a block hook). Dropped with the
// sandbox on failure.
class Events {
 public:
  class Builder {
   public:
    Builder& attr(std::string_view key, std::string value);
    Builder& attr(std::string_view key, uint64_t value) { return attr(key, std::to_string(value)); }

   private:
    friend class Events;
    Builder(v1::Event* e, const EventDef& def) : event_(e), def_(def) {}
    v1::Event* event_;
    const EventDef& def_;
  };
  Builder emit(const EventDef& def);

  // Called by ledger::Ledger for every credit and debit it writes.
  void balance_change(const crypto::Address& account, std::string_view asset, uint64_t amount,
                      v1::BalanceDirection direction);

  [[nodiscard]] const std::vector<v1::Event>& list() const { return events_; }
  [[nodiscard]] std::vector<v1::Event> take() { return std::move(events_); }
  [[nodiscard]] const std::vector<v1::BalanceChange>& balance_changes() const { return changes_; }
  [[nodiscard]] std::vector<v1::BalanceChange> take_balance_changes() {
    return std::move(changes_);
  }
  // Appends everything `other` collected (a sandbox's events once it is kept).
  void append(Events&& other);
  void clear() {
    events_.clear();
    changes_.clear();
  }

 private:
  std::vector<v1::Event> events_;
  std::vector<v1::BalanceChange> changes_;
};

// The value of attribute `key` of `event`, or "" when absent (tests and clients read attributes by
// name, never by position).
[[nodiscard]] std::string_view attribute(const v1::Event& event, std::string_view key);

// The events every tx carries, emitted by the chain's pipeline rather than a module.
namespace tx_events {
inline constexpr EventDef kFee{"tx.fee", {"payer", "amount"}};
}  // namespace tx_events

}  // namespace btt::ledger

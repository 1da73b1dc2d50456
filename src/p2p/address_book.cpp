#include "address_book.h"

#include <algorithm>

#include "btt/v1/p2p.pb.h"

namespace btt::p2p {

void AddressBook::add(const PeerAddress& addr, bool persistent, bool verified) {
  const std::string key = addr.endpoint();
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    if (!persistent && entries_.size() >= limits_.max_entries) return;
    Entry e;
    e.addr = addr;
    e.persistent = persistent;
    e.verified = verified;
    e.pinned_id = addr.id.has_value();
    entries_.emplace(key, std::move(e));
    return;
  }
  Entry& e = it->second;
  e.persistent = e.persistent || persistent;
  // A learned id never overrides one the operator configured or a handshake verified.
  if (!e.pinned_id && addr.id && !e.addr.id) {
    e.addr.id = addr.id;
    e.pinned_id = true;
  }
}

std::vector<AddressBook::Dial> AddressBook::take_dials(Clock::time_point now, uint32_t outbound,
                                                       uint32_t max_outbound,
                                                       const IdCheck& connected,
                                                       const IdCheck& banned) {
  std::vector<Dial> out;
  auto dialable = [&](const Entry& e) {
    if (e.dialing || e.self || now < e.next_dial) return false;
    if (e.addr.id && (connected(*e.addr.id) || banned(*e.addr.id))) return false;
    return true;
  };
  auto take = [&](const std::string& key, Entry& e) {
    e.dialing = true;
    ++outbound;
    out.push_back({key, e.addr, e.persistent, e.pinned_id ? e.addr.id : std::nullopt});
  };
  // Persistent peers first; they always get a slot (validate() keeps them within max_outbound).
  uint32_t persistent_waiting = 0;
  for (auto& [key, e] : entries_) {
    if (!e.persistent) continue;
    if (dialable(e)) {
      take(key, e);
    } else if (!e.dialing && !(e.addr.id && connected(*e.addr.id))) {
      ++persistent_waiting;
    }
  }
  // Then learned addresses and seeds, leaving room for persistent peers that are backing off.
  for (auto& [key, e] : entries_) {
    if (outbound + persistent_waiting >= max_outbound) break;
    if (e.persistent || !e.addr.id || !dialable(e)) continue;
    take(key, e);
  }
  return out;
}

void AddressBook::on_connected(const std::string& key, const NodeId& id) {
  auto it = entries_.find(key);
  if (it == entries_.end()) return;
  it->second.verified = true;
  it->second.failures = 0;
  // HOST:PORT without an id: remember who answered (for PEX) without pinning it, so a node that
  // changes its key there is still accepted.
  if (!it->second.pinned_id) it->second.addr.id = id;
}

void AddressBook::on_closed(const std::string& key, bool was_established, Clock::time_point now) {
  auto it = entries_.find(key);
  if (it == entries_.end()) return;
  Entry& e = it->second;
  e.dialing = false;
  if (was_established) {
    e.failures = 0;
    e.next_dial = now + limits_.dial_backoff_min;
  } else {
    ++e.failures;
    e.next_dial = now + backoff(e.failures);
  }
  // A learned address that keeps failing is forgotten; configured ones are kept forever.
  if (!e.persistent && !e.verified && !e.self && e.failures >= kMaxLearnedFailures) {
    entries_.erase(it);
  }
}

void AddressBook::mark_self(const std::string& key) {
  if (auto it = entries_.find(key); it != entries_.end()) it->second.self = true;
}

std::vector<std::string> AddressBook::pex_answer(const NodeId& asker, const IdCheck& connected,
                                                 const IdCheck& banned) const {
  std::vector<std::string> out;
  for (const auto& [key, e] : entries_) {
    if (out.size() >= limits_.max_pex_addrs) break;
    if (!e.addr.id || e.self || *e.addr.id == asker) continue;
    // Addresses this node reached itself, or of peers connected now.
    if (!e.verified && !connected(*e.addr.id)) continue;
    if (banned(*e.addr.id)) continue;
    out.push_back(e.addr.to_string());
  }
  return out;
}

Status AddressBook::merge_pex(const v1::PexAddrs& addrs, const NodeId& self) {
  if (static_cast<size_t>(addrs.addrs_size()) > limits_.max_pex_addrs) {
    return Status(Code::kMalformed, "PexAddrs with more than " +
                                        std::to_string(limits_.max_pex_addrs) + " addresses");
  }
  for (const auto& text : addrs.addrs()) {
    auto a = PeerAddress::parse(text);
    if (!a || !a->id || *a->id == self) continue;
    add(*a, false, false);
  }
  return Status::ok();
}

std::chrono::milliseconds AddressBook::backoff(uint32_t failures) {
  auto d = limits_.dial_backoff_min;
  for (uint32_t i = 1; i < failures && d < limits_.dial_backoff_max; ++i) d *= 2;
  d = std::min(d, limits_.dial_backoff_max);
  // Up to +25% jitter, so two nodes that refused each other do not redial in lockstep.
  std::uniform_int_distribution<int64_t> jitter(0, d.count() / 4);
  return d + std::chrono::milliseconds(jitter(rng_));
}

const AddressBook::Entry* AddressBook::find(const std::string& key) const {
  auto it = entries_.find(key);
  return it == entries_.end() ? nullptr : &it->second;
}

}  // namespace btt::p2p

#pragma once
// The transport's address book (doc/p2p.md, "Peer discovery"): the addresses it may dial
// (persistent peers, seeds, addresses learned by peer exchange), each with its dial state and
// backoff; which of them to dial now; and what a PexRequest is answered with and a PexAddrs adds.
// The transport owns the sockets and asks the book; io thread only.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "btt/common/status.h"
#include "btt/p2p/peer_address.h"

namespace btt::v1 {
class PexAddrs;
}

namespace btt::p2p {

// Failed dials after which a learned (not configured, never reached) address is dropped.
inline constexpr uint32_t kMaxLearnedFailures = 8;

struct AddressBookLimits {
  size_t max_entries = 1000;  // learned addresses beyond it are not kept (configured ones are)
  std::chrono::milliseconds dial_backoff_min{1'000};
  std::chrono::milliseconds dial_backoff_max{60'000};
  size_t max_pex_addrs = 100;  // in one PexAddrs, either way
};

class AddressBook {
 public:
  using Clock = std::chrono::steady_clock;
  // A dialable address and its dial state.
  struct Entry {
    PeerAddress addr;
    bool persistent = false;
    bool pinned_id = false;  // addr.id came with the address: the dialer refuses any other node
    bool verified = false;   // this node completed a handshake with it
    bool self = false;       // leads back to this node: never dialed
    bool dialing = false;    // a connection from this entry is open (handshaking or established)
    uint32_t failures = 0;
    Clock::time_point next_dial{};
  };
  // An entry chosen to dial (take_dials marks it dialing).
  struct Dial {
    std::string key;  // the entry's endpoint: on_connected / on_closed take it back
    PeerAddress addr;
    bool persistent = false;
    std::optional<NodeId> expected;  // the node id the dialer insists on
  };
  using IdCheck = std::function<bool(const NodeId&)>;

  // `rng` jitters the backoff; it must outlive the book.
  AddressBook(AddressBookLimits limits, std::mt19937_64& rng) : limits_(limits), rng_(rng) {}

  // Keyed by endpoint; a known endpoint may become persistent or learn an id, never lose one.
  void add(const PeerAddress& addr, bool persistent, bool verified);
  // The entries to dial now, in order, each marked dialing: every dialable persistent entry,
  // then learned ones (with a node id) while `outbound` plus the persistent entries still
  // backing off leave room under `max_outbound`. Not dialable: dialing, self, backing off, or
  // with an id that is `connected` or `banned`.
  [[nodiscard]] std::vector<Dial> take_dials(Clock::time_point now, uint32_t outbound,
                                             uint32_t max_outbound, const IdCheck& connected,
                                             const IdCheck& banned);
  // The handshake of a dial from `key` reached node `id`.
  void on_connected(const std::string& key, const NodeId& id);
  // A dial from `key` closed: the next dial after backoff (the least one if it had connected);
  // a learned address that keeps failing is forgotten.
  void on_closed(const std::string& key, bool was_established, Clock::time_point now);
  // The dial from `key` reached this node itself.
  void mark_self(const std::string& key);

  // A PexRequest's answer for `asker`: addresses with an id this node reached itself or is
  // connected to now (not the asker's, not banned), at most max_pex_addrs.
  [[nodiscard]] std::vector<std::string> pex_answer(const NodeId& asker, const IdCheck& connected,
                                                    const IdCheck& banned) const;
  // Adds a PexAddrs' addresses with node ids (not `self`'s). kMalformed if it holds more than
  // max_pex_addrs (nothing added).
  [[nodiscard]] Status merge_pex(const v1::PexAddrs& addrs, const NodeId& self);

  // Exponential from dial_backoff_min up to dial_backoff_max, plus up to 25% jitter.
  [[nodiscard]] std::chrono::milliseconds backoff(uint32_t failures);

  [[nodiscard]] const Entry* find(const std::string& key) const;
  [[nodiscard]] size_t size() const { return entries_.size(); }

 private:
  AddressBookLimits limits_;
  std::mt19937_64& rng_;
  std::map<std::string, Entry> entries_;  // by endpoint
};

}  // namespace btt::p2p

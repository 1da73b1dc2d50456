#pragma once
// Block sync (doc/consensus.md, "Block sync"): peers' reported heights, a pipelined window of
// block requests spread over the peers that have each height, answers assembled from chunks,
// applied in order once their commits verify; a per-peer budget keeps what is asked under the
// peers' receive rate limits, and a peer that sent a bad block is not asked for a while. It also
// answers peers' requests from the chain.
//
// Owned by the reactor and called on its thread only; on_applied (after each block applied)
// may call back into fill().
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "btt/chain/chain.h"
#include "btt/p2p/transport.h"
#include "btt/v1/block.pb.h"
#include "btt/v1/p2p.pb.h"

namespace btt::node {

// Heights asked for at once, beyond the tip.
inline constexpr uint64_t kSyncWindow = 16;
// A block request unanswered for this long (ms) is sent again (to another peer that has it).
inline constexpr uint64_t kSyncRetryMs = 2000;
// A peer that sent a bad block is not asked again for this long (ms), unless no other peer has
// the height (then for one height at a time).
inline constexpr uint64_t kSyncCooldownMs = 30'000;
// Answers come in chunks of this many bytes of the BlockWithCommit.
inline constexpr uint64_t kSyncChunkBytes = 1u << 20;
// What block sync asks of one peer: at most kSyncBytesPerS on average and kSyncBurstBytes at once
// (a token bucket per peer, charged with the expected size of each answer). Half of the default
// receive rate limit (8 MiB/s, burst 16 MiB), leaving the rest to consensus gossip.
inline constexpr uint64_t kSyncBytesPerS = 4u << 20;
inline constexpr uint64_t kSyncBurstBytes = 8u << 20;
// The smallest size block sync expects of an answer, and how many recent sizes it remembers.
inline constexpr uint64_t kSyncMinEstimate = 64u << 10;
inline constexpr size_t kSyncRecentSizes = 16;

class BlockSync {
 public:
  using Now = std::function<uint64_t()>;  // milliseconds of the reactor's timer clock
  using OnApplied = std::function<void(const chain::CommittedBlock&)>;

  // One height of the window: asked of one peer with its own deadline, and its answer once it
  // came, until it applies.
  struct Request {
    std::string peer;                          // node id asked
    uint64_t deadline = 0;                     // now() after which another peer is asked
    std::optional<v1::BlockWithCommit> block;  // the answer, once it came
    uint64_t estimate = 0;                     // bytes charged to the peer's budget
    Bytes chunks;                              // the answer's chunks so far, in order
    uint32_t next_chunk = 0;
    uint32_t total_chunks = 0;
  };

  // network: null for no network (nothing is asked). initial_block_estimate: the guess of a
  // block's size before any was synced (0: max_block_bytes + the envelope, the safe guess).
  BlockSync(chain::Chain& chain, p2p::Network* network, chain::Chain::KnownTx known_tx, Now now,
            uint64_t initial_block_estimate, OnApplied on_applied);

  // A peer's StatusMessage height; its leaving.
  void set_peer_height(const std::string& peer, uint64_t height);
  void remove_peer(const std::string& peer);
  [[nodiscard]] const std::map<std::string, uint64_t>& peer_heights() const {
    return peer_heights_;
  }
  // Whether a peer reported a height above `height`.
  [[nodiscard]] bool peer_ahead(uint64_t height) const;
  // Nothing asked and nothing buffered.
  [[nodiscard]] bool idle() const { return window_.empty(); }

  // Answers a peer's request from the chain, in chunks (an empty answer: not there).
  void on_request(const p2p::NodeId& from, const v1::BlockRequest& req);
  // Keeps a chunk of an answer to a request of the window, from the peer asked; a complete block
  // is applied if it follows the tip (apply()). A bad answer penalizes the peer.
  void on_response(const p2p::NodeId& from, const v1::BlockResponse& resp);
  // Applies the window's blocks that follow the tip, in order (on_applied after each); then
  // fills the window again.
  void apply();
  // Fills the window with requests (round-robin over the peers that have each height), asking
  // again those that timed out or whose peer left. Never applies anything.
  void fill();

  // Bytes an answer is expected to carry: the largest of the recent blocks, or the initial guess
  // before any.
  [[nodiscard]] uint64_t block_estimate() const;
  // Whether `peer` may be asked for `bytes` more now without its answers exceeding what its
  // budget allows; charge() takes them.
  [[nodiscard]] bool has_budget(const std::string& peer, uint64_t bytes) const;
  void charge(const std::string& peer, uint64_t bytes);
  [[nodiscard]] const std::map<uint64_t, Request>& window() const { return window_; }

 private:
  // A peer sent a bad block: it is not asked again for a while, and what it was asked goes to
  // other peers.
  void penalize(const std::string& peer);

  chain::Chain& chain_;
  p2p::Network* network_;
  chain::Chain::KnownTx known_tx_;
  Now now_;
  uint64_t initial_block_estimate_;
  OnApplied on_applied_;

  std::map<std::string, uint64_t> peer_heights_;  // node id -> last reported height
  std::map<uint64_t, Request> window_;            // by height
  std::map<std::string, uint64_t> cooldown_;      // node id -> until (now()): sent a bad block
  size_t rotation_ = 0;
  std::deque<uint64_t> recent_sizes_;        // of the last blocks synced
  std::map<std::string, uint64_t> free_at_;  // node id -> when its budget is full again
};

}  // namespace btt::node

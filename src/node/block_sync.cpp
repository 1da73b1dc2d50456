#include "btt/node/block_sync.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <vector>

#include "btt/chain/part_set.h"
#include "btt/chain/vote_set.h"
#include "btt/common/checked.h"
#include "transfer.h"

namespace btt::node {

BlockSync::BlockSync(chain::Chain& chain, p2p::Network* network, chain::Chain::KnownTx known_tx,
                     Now now, uint64_t initial_block_estimate, OnApplied on_applied)
    : chain_(chain),
      network_(network),
      known_tx_(std::move(known_tx)),
      now_(std::move(now)),
      initial_block_estimate_(initial_block_estimate),
      on_applied_(std::move(on_applied)) {}

void BlockSync::set_peer_height(const std::string& peer, uint64_t height) {
  peer_heights_[peer] = height;
}

void BlockSync::remove_peer(const std::string& peer) {
  peer_heights_.erase(peer);
}

bool BlockSync::peer_ahead(uint64_t height) const {
  return std::any_of(peer_heights_.begin(), peer_heights_.end(),
                     [&](const auto& p) { return p.second > height; });
}

void BlockSync::on_request(const p2p::NodeId& from, const v1::BlockRequest& req) {
  auto block = chain_.block_at(req.height());
  auto commit = chain_.commit_at(req.height());
  if (!block || !commit) {
    // An empty answer: this node does not have the height.
    v1::P2pMessage msg;
    msg.mutable_block_response()->set_height(req.height());
    network_->send(from, msg);
    return;
  }
  v1::BlockWithCommit bwc;
  *bwc.mutable_block() = std::move(*block);
  *bwc.mutable_commit() = std::move(*commit);
  const Bytes bytes = bwc.SerializeAsString();
  const uint64_t total = ceil_div(bytes.size(), kSyncChunkBytes);
  for (uint64_t i = 0; i < total; ++i) {
    v1::P2pMessage msg;
    auto* resp = msg.mutable_block_response();
    resp->set_height(req.height());
    resp->set_part(static_cast<uint32_t>(i));
    resp->set_total(static_cast<uint32_t>(total));
    resp->set_block(bytes.substr(i * kSyncChunkBytes, kSyncChunkBytes));
    if (!network_->send(from, msg)) return;
  }
}

void BlockSync::on_response(const p2p::NodeId& from, const v1::BlockResponse& resp) {
  // Only an answer to a request of the window, from the peer asked, is kept (the window bounds
  // what is buffered); anything else is dropped.
  const std::string peer = from.to_string();
  auto it = window_.find(resp.height());
  if (it == window_.end() || it->second.peer != peer || it->second.block) {
    spdlog::debug("peer {}: unsolicited block response for height {}", peer, resp.height());
    return;
  }
  // It does not have the block: the request times out and goes to another peer.
  if (resp.block().empty()) return;
  Request& req = it->second;
  // Chunks come in order 0..total-1, each of kSyncChunkBytes but the last, for a block no larger
  // than max_block_bytes allows; anything else is a bad answer.
  const uint64_t max_total =
      (chain_.params().max_block_bytes() + chain::kBlockEnvelopeBytes) / kSyncChunkBytes + 1;
  const bool last = resp.total() > 0 && resp.part() + 1 == resp.total();
  std::string bad;
  if (resp.total() == 0 || resp.total() > max_total) {
    bad = "a block of " + std::to_string(resp.total()) + " chunks";
  } else if (resp.part() != req.next_chunk ||
             (req.next_chunk > 0 && resp.total() != req.total_chunks)) {
    bad = "chunk " + std::to_string(resp.part()) + "/" + std::to_string(resp.total()) +
          " out of order";
  } else if (resp.block().size() > kSyncChunkBytes ||
             (!last && resp.block().size() != kSyncChunkBytes)) {
    bad = "a chunk of " + std::to_string(resp.block().size()) + " bytes";
  }
  if (!bad.empty()) {
    spdlog::warn("peer {}: block response for height {} refused: {}", peer, resp.height(), bad);
    penalize(peer);
    fill();
    return;
  }
  req.total_chunks = resp.total();
  req.chunks.append(resp.block());
  ++req.next_chunk;
  req.deadline = now_() + kSyncRetryMs;  // it is answering: give it time for the rest
  if (!last) return;
  v1::BlockWithCommit bwc;
  const Bytes bytes = std::exchange(req.chunks, {});
  if (!bwc.ParseFromString(bytes)) {
    spdlog::warn("peer {}: block response for height {} does not decode", peer, resp.height());
    penalize(peer);
    fill();
    return;
  }
  if (bytes.size() > req.estimate) charge(peer, bytes.size() - req.estimate);
  recent_sizes_.push_back(bytes.size());
  if (recent_sizes_.size() > kSyncRecentSizes) recent_sizes_.pop_front();
  req.block = std::move(bwc);
  apply();
}

uint64_t BlockSync::block_estimate() const {
  if (recent_sizes_.empty()) {
    if (initial_block_estimate_ > 0) return initial_block_estimate_;
    return chain_.params().max_block_bytes() + chain::kBlockEnvelopeBytes;
  }
  return std::max(kSyncMinEstimate, *std::max_element(recent_sizes_.begin(), recent_sizes_.end()));
}

bool BlockSync::has_budget(const std::string& peer, uint64_t bytes) const {
  const uint64_t now = now_();
  auto it = free_at_.find(peer);
  const uint64_t debt = it != free_at_.end() && it->second > now ? it->second - now : 0;
  // At least one request when nothing is owed, even one larger than the burst.
  return debt == 0 ||
         debt + transfer_ms(bytes, kSyncBytesPerS) <= transfer_ms(kSyncBurstBytes, kSyncBytesPerS);
}

void BlockSync::charge(const std::string& peer, uint64_t bytes) {
  const uint64_t now = now_();
  free_at_[peer] = std::max(free_at_[peer], now) + transfer_ms(bytes, kSyncBytesPerS);
}

void BlockSync::apply() {
  while (true) {
    const v1::ChainTip tip = chain_.tip();
    auto it = window_.find(tip.height() + 1);
    if (it == window_.end() || !it->second.block) break;
    const uint64_t height = it->first;
    const std::string peer = it->second.peer;
    const v1::BlockWithCommit bwc = std::move(*it->second.block);
    window_.erase(it);
    // The commit is verified against the validator set of its height, which the chain knows
    // from the blocks before it (a set changes two heights after the block that changed it).
    auto validators = chain_.validators_at(height);
    if (!validators) break;
    auto set = chain::ValidatorSet::create(*validators);
    if (!set) break;
    const Hash32 hash = chain::block_hash(bwc.block().header());
    if (auto s =
            chain::verify_commit(*set, chain_.chain_id(), height, to_bytes(hash), bwc.commit());
        !s) {
      spdlog::warn("peer {}: block {} with a bad commit: {}", peer, height, s.message());
      penalize(peer);
      continue;
    }
    auto applied = chain_.apply(bwc.block(), &bwc.commit(), known_tx_);
    if (!applied) {
      spdlog::warn("peer {}: synced block {} refused: {}", peer, height,
                   applied.status().to_string());
      penalize(peer);
      continue;
    }
    spdlog::info("synced block height={} txs={} hash={}", applied->header.height(),
                 applied->txs.size(), to_hex(applied->hash).substr(0, 16));
    // (The reactor joins consensus at the new tip once no peer is ahead.)
    on_applied_(*applied);
  }
  fill();
}

void BlockSync::penalize(const std::string& peer) {
  cooldown_[peer] = now_() + kSyncCooldownMs;
  // Everything it was asked for, and answered but not applied yet, is asked of others.
  for (auto& [height, req] : window_) {
    if (req.peer == peer) {
      req.block.reset();
      req.chunks.clear();
      req.next_chunk = 0;
      req.total_chunks = 0;
      req.deadline = 0;
    }
  }
}

void BlockSync::fill() {
  if (!network_) return;
  const uint64_t tip = chain_.tip().height();
  const uint64_t now = now_();
  // Heights the chain has (block sync or consensus) leave the window.
  window_.erase(window_.begin(), window_.upper_bound(tip));
  std::erase_if(cooldown_, [&](const auto& c) { return c.second <= now; });
  std::erase_if(free_at_, [&](const auto& c) { return c.second <= now; });
  // Requests that timed out, or whose peer left, no longer has the height or sent a bad block,
  // are asked again (of another peer if there is one).
  std::map<uint64_t, std::string> previous;
  for (auto it = window_.begin(); it != window_.end();) {
    const Request& req = it->second;
    auto peer = peer_heights_.find(req.peer);
    if (!req.block && (now >= req.deadline || peer == peer_heights_.end() ||
                       peer->second < it->first || cooldown_.count(req.peer))) {
      previous[it->first] = req.peer;
      it = window_.erase(it);
    } else {
      ++it;
    }
  }
  std::map<std::string, size_t> outstanding;  // requests without an answer, by peer
  for (const auto& [height, req] : window_) {
    if (!req.block) ++outstanding[req.peer];
  }
  for (uint64_t height = tip + 1; height <= tip + kSyncWindow; ++height) {
    if (window_.count(height)) continue;
    const std::string& last = previous[height];
    // Round-robin over the peers that have the height and have not sent a bad block lately,
    // preferring one that was not just asked; failing those, a penalized peer with nothing
    // outstanding.
    std::vector<std::string> good, other, penalized;
    for (const auto& [id, h] : peer_heights_) {
      if (h < height) continue;
      if (cooldown_.count(id)) {
        if (outstanding[id] == 0) penalized.push_back(id);
      } else {
        (id == last ? other : good).push_back(id);
      }
    }
    // Only peers whose sync budget takes one more block of the expected size.
    const uint64_t estimate = block_estimate();
    for (auto* list : {&good, &other, &penalized}) {
      std::erase_if(*list, [&](const std::string& id) { return !has_budget(id, estimate); });
    }
    const std::vector<std::string>& pick = !good.empty()    ? good
                                           : !other.empty() ? other
                                                            : penalized;
    if (pick.empty()) continue;
    const std::string id = pick[rotation_++ % pick.size()];
    auto node = crypto::Address::parse(id);
    if (!node) continue;
    charge(id, estimate);
    v1::P2pMessage req;
    req.mutable_block_request()->set_height(height);
    network_->send(*node, req);
    Request& entry = window_[height];
    entry = Request{};
    entry.peer = id;
    entry.deadline = now + kSyncRetryMs;
    entry.estimate = estimate;
    ++outstanding[id];
  }
}

}  // namespace btt::node

#include "btt/node/evidence_pool.h"

#include <spdlog/spdlog.h>

#include "btt/chain/evidence.h"
#include "btt/chain/validator_set.h"

namespace btt::node {

std::optional<v1::Evidence> EvidencePool::add(const v1::Evidence& verified) {
  const v1::Evidence evidence = chain::canonical_evidence(verified);
  const auto& vote = evidence.duplicate_vote().vote_a();
  auto address = crypto::Address::parse(vote.validator());
  if (!address) return std::nullopt;
  const Bytes key = chain::evidence_key(vote.height(), *address);
  if (chain_.state().get(key)) return std::nullopt;  // committed already
  std::lock_guard lock(mu_);
  if (evidence_.count(key) || evidence_.size() >= kMaxEvidence) return std::nullopt;
  evidence_.emplace(key, evidence);
  return evidence;
}

std::optional<v1::Evidence> EvidencePool::verify(const v1::Evidence& evidence) const {
  if (Status s = chain::check_evidence_form(evidence, /*allow_any_order=*/true); !s) {
    spdlog::debug("evidence refused: {}", s.message());
    return std::nullopt;
  }
  // Against the set of the votes' height: known down to max_evidence_age below the next height,
  // and up to tip + 2 (a later height's votes cannot be checked yet).
  const uint64_t height = evidence.duplicate_vote().vote_a().height();
  auto validators = chain_.validators_at(height);
  if (!validators) {
    spdlog::debug("evidence refused: no validator set for height {}", height);
    return std::nullopt;
  }
  auto set = chain::ValidatorSet::create(*validators);
  if (!set) return std::nullopt;
  chain::Bip340Verifier verifier;
  auto verified = chain::verify_evidence(*set, chain_.chain_id(), evidence, verifier,
                                         /*allow_any_order=*/true);
  if (!verified) {
    spdlog::debug("evidence refused: {}", verified.status().message());
    return std::nullopt;
  }
  const uint64_t next = chain_.tip().height() + 1;
  if (verified->height < next &&
      !chain::check_evidence_height(verified->height, next, chain_.params())) {
    return std::nullopt;
  }
  return std::move(verified->evidence);
}

void EvidencePool::prune() {
  const uint64_t next = chain_.tip().height() + 1;
  const auto params = chain_.params();
  // Only the reactor's thread changes evidence_, so what is read here is still there below.
  std::vector<Bytes> gone;
  for (const auto& e : pending()) {
    const uint64_t h = e.duplicate_vote().vote_a().height();
    const bool too_old = h < next && !chain::check_evidence_height(h, next, params);
    auto address = crypto::Address::parse(e.duplicate_vote().vote_a().validator());
    if (!address) continue;
    Bytes key = chain::evidence_key(h, *address);
    if (too_old || chain_.state().get(key)) gone.push_back(std::move(key));
  }
  std::lock_guard lock(mu_);
  for (const auto& key : gone) evidence_.erase(key);
}

bool EvidencePool::has_up_to(uint64_t height) const {
  std::lock_guard lock(mu_);
  for (const auto& [key, e] : evidence_) {
    if (e.duplicate_vote().vote_a().height() <= height) return true;
  }
  return false;
}

std::vector<v1::Evidence> EvidencePool::pending() const {
  std::lock_guard lock(mu_);
  std::vector<v1::Evidence> out;
  out.reserve(evidence_.size());
  for (const auto& [key, e] : evidence_) out.push_back(e);
  return out;
}

}  // namespace btt::node

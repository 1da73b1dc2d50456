#include "btt/chain/evidence.h"
#include "btt/chain/validator_history.h"
#include "btt/chain/validator_set.h"
#include "services.h"

namespace btt::rpc {

grpc::Status ConsensusService::GetPeers(grpc::ServerContext*, const v1::GetPeersRequest*,
                                        v1::Peers* out) {
  if (ctx_.consensus) *out = ctx_.consensus->peers();
  return grpc::Status::OK;
}

grpc::Status ConsensusService::GetConsensusState(grpc::ServerContext*,
                                                 const v1::GetConsensusStateRequest*,
                                                 v1::ConsensusState* out) {
  if (ctx_.consensus) {
    *out = ctx_.consensus->consensus_state();
  } else {
    out->set_mode("single-validator");
    out->set_height(ctx_.chain.tip().height() + 1);
    out->set_validator_address(ctx_.validator_address);
  }
  return grpc::Status::OK;
}

grpc::Status ConsensusService::GetValidators(grpc::ServerContext*,
                                             const v1::GetValidatorsRequest* req,
                                             v1::Validators* out) {
  auto view = ctx_.chain.read_view();
  const uint64_t height = req->height() != 0 ? req->height() : view.tip.height() + 1;
  // Sets are fixed two heights ahead; a later one is not known yet.
  if (height > view.tip.height() + 2) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND, "the validator set of height " +
                                                         std::to_string(height) +
                                                         " is not known yet (the chain is at " +
                                                         std::to_string(view.tip.height()) + ")");
  }
  auto validators = chain::validators_at(*view.state, height);
  if (!validators) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND,
                        "no validator set is kept for height " + std::to_string(height));
  }
  out->set_height(view.tip.height());
  out->set_set_height(height);
  uint64_t total = 0;
  for (const auto& v : *validators) {
    total += v.power();
    *out->add_validators() = v;
  }
  out->set_total_power(total);
  if (auto set = chain::ValidatorSet::create(*validators)) {
    out->set_proposer(set->proposer(height, 0).address);
  }
  return grpc::Status::OK;
}

grpc::Status ConsensusService::GetEvidence(grpc::ServerContext*, const v1::GetEvidenceRequest* req,
                                           v1::EvidenceList* out) {
  constexpr uint32_t kDefaultLimit = 100;
  constexpr uint32_t kMaxLimit = 1000;
  if (req->limit() > kMaxLimit) return invalid("limit: at most 1000");
  const size_t limit = req->limit() == 0 ? kDefaultLimit : req->limit();
  auto view = ctx_.chain.read_view();
  bool truncated = false;
  for (auto& r : chain::list_committed_evidence(*view.state, req->from_height(), limit, &truncated))
    *out->add_committed() = std::move(r);
  out->set_height(view.tip.height());
  out->set_truncated(truncated);
  if (ctx_.consensus) {
    for (const auto& e : ctx_.consensus->evidence()) {
      // Pending is pruned just after a commit; a piece the snapshot has committed is not pending.
      const auto& vote = e.duplicate_vote().vote_a();
      auto address = crypto::Address::parse(vote.validator());
      if (address && view.state->get(chain::evidence_key(vote.height(), *address))) continue;
      *out->add_pending() = e;
    }
  }
  return grpc::Status::OK;
}

}  // namespace btt::rpc

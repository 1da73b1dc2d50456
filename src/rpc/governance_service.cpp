// btt.v1.Governance: a thin adapter over modules::governance::GovernanceView
// (doc/governance.md "Queries").
#include "btt/modules/governance/governance.h"
#include "btt/modules/governance/view.h"
#include "services.h"

namespace btt::rpc {
namespace {

using modules::governance::GovernanceView;

// Answers from one committed snapshot.
template <typename T, typename Fn>
grpc::Status answer(RpcContext& ctx, grpc::ServerContext* context, T* out, const Fn& fn) {
  return answer_snapshot(ctx, context, out, [&](const chain::ReadView& v) -> Result<T> {
    return fn(GovernanceView(*v.state), *v.state);
  });
}

Result<uint64_t> existing(const GovernanceView& v, uint64_t id) {
  if (!v.proposal(id)) return Status{Code::kNotFound, "no proposal " + std::to_string(id)};
  return id;
}

}  // namespace

grpc::Status GovernanceService::ListProposals(grpc::ServerContext* context,
                                              const v1::ListProposalsRequest* req,
                                              v1::ListProposalsResponse* out) {
  return answer(ctx_, context, out, [req](const GovernanceView& v, const ledger::StateReader&) {
    return v.list_proposals(*req);
  });
}

grpc::Status GovernanceService::GetProposal(grpc::ServerContext* context,
                                            const v1::GetProposalRequest* req,
                                            v1::ProposalRecord* out) {
  return answer(ctx_, context, out, [req](const GovernanceView& v, const ledger::StateReader&) {
    return v.get_proposal(req->proposal_id());
  });
}

grpc::Status GovernanceService::GetVotes(grpc::ServerContext* context,
                                         const v1::GetVotesRequest* req,
                                         v1::GetVotesResponse* out) {
  return answer(
      ctx_, context, out,
      [req](const GovernanceView& v, const ledger::StateReader&) -> Result<v1::GetVotesResponse> {
        if (auto id = existing(v, req->proposal_id()); !id) return id.status();
        v1::GetVotesResponse r;
        for (auto& vote : v.votes(req->proposal_id())) *r.add_votes() = std::move(vote);
        return r;
      });
}

grpc::Status GovernanceService::GetDeposits(grpc::ServerContext* context,
                                            const v1::GetDepositsRequest* req,
                                            v1::GetDepositsResponse* out) {
  return answer(ctx_, context, out,
                [req](const GovernanceView& v,
                      const ledger::StateReader&) -> Result<v1::GetDepositsResponse> {
                  if (auto id = existing(v, req->proposal_id()); !id) return id.status();
                  v1::GetDepositsResponse r;
                  for (auto& d : v.deposits(req->proposal_id())) *r.add_deposits() = std::move(d);
                  return r;
                });
}

grpc::Status GovernanceService::GetTally(grpc::ServerContext* context,
                                         const v1::GetTallyRequest* req, v1::TallyResult* out) {
  return answer(ctx_, context, out, [req](const GovernanceView& v, const ledger::StateReader&) {
    return v.tally(req->proposal_id(), 0);
  });
}

grpc::Status GovernanceService::GetParams(grpc::ServerContext* context,
                                          const v1::GetGovernanceParamsRequest*,
                                          v1::GovernanceParams* out) {
  return answer(
      ctx_, context, out,
      [](const GovernanceView& v, const ledger::StateReader&) -> Result<v1::GovernanceParams> {
        return v.params();
      });
}

grpc::Status GovernanceService::GetUpgradePlan(grpc::ServerContext* context,
                                               const v1::GetUpgradePlanRequest*,
                                               v1::UpgradePlanRecord* out) {
  return answer(
      ctx_, context, out,
      [](const GovernanceView&, const ledger::StateReader& state) -> Result<v1::UpgradePlanRecord> {
        auto plan = modules::governance::upgrade_plan(state);
        return plan ? *plan : v1::UpgradePlanRecord();
      });
}

grpc::Status GovernanceService::GetStreams(grpc::ServerContext* context,
                                           const v1::GetStreamsRequest*,
                                           v1::GetStreamsResponse* out) {
  return answer(
      ctx_, context, out,
      [](const GovernanceView& v, const ledger::StateReader&) -> Result<v1::GetStreamsResponse> {
        v1::GetStreamsResponse r;
        for (auto& s : v.streams()) *r.add_streams() = std::move(s);
        return r;
      });
}

grpc::Status GovernanceService::ListAppliedUpgrades(grpc::ServerContext* context,
                                                    const v1::ListAppliedUpgradesRequest*,
                                                    v1::ListAppliedUpgradesResponse* out) {
  return answer(ctx_, context, out,
                [](const GovernanceView& v,
                   const ledger::StateReader&) -> Result<v1::ListAppliedUpgradesResponse> {
                  v1::ListAppliedUpgradesResponse r;
                  for (auto& u : v.applied_upgrades()) *r.add_upgrades() = std::move(u);
                  return r;
                });
}

}  // namespace btt::rpc

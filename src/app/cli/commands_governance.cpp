// btt-cli gov ...: the governance txs (doc/governance.md): submit a proposal described in a JSON
// file, deposit, vote (one option or weighted), cancel, and the Foundation's direct act; and the
// queries of btt.v1.Governance.
#include <array>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "app/cli/commands.h"
#include "btt/ledger/proto_json.h"
#include "btt/v1/governance.grpc.pb.h"

namespace btt::cli {

namespace {

// The file as a message of type M in protobuf JSON: unknown fields are refused, naming them.
template <typename M>
M read_json_file(const std::string& path, std::string_view what) {
  std::ifstream in(path);
  if (!in) throw UsageError(std::string(what) + ": cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json j = nlohmann::json::parse(text.str(), nullptr, false);
  if (j.is_discarded()) throw UsageError(std::string(what) + ": " + path + " is not JSON");
  M m;
  if (auto s = ledger::json_to_proto(j, m); !s) {
    throw UsageError(std::string(what) + ": " + path + ": " + s.message());
  }
  return m;
}

v1::VoteOption parse_option(std::string_view text) {
  if (text == "yes") return v1::VOTE_OPTION_YES;
  if (text == "no") return v1::VOTE_OPTION_NO;
  if (text == "abstain") return v1::VOTE_OPTION_ABSTAIN;
  if (text == "no_with_veto" || text == "veto") return v1::VOTE_OPTION_NO_WITH_VETO;
  throw UsageError("--option: '" + std::string(text) + "' is not yes, no, abstain or no_with_veto");
}

struct IdOptions {
  std::string proposal_id;
  std::string amount;
  std::string option;
  std::string file;
};

template <typename Request, typename Response>
int query(Context& ctx,
          grpc::Status (v1::Governance::Stub::*method)(grpc::ClientContext*, const Request&,
                                                       Response*),
          const Request& req) {
  auto stub = v1::Governance::NewStub(ctx.client().channel());
  return print_record(ctx, ctx.client().unary(*stub, method, req));
}

// A query taking one proposal id.
template <typename Request, typename Response>
void add_id_query(Commands& cmds, CLI::App* g, const char* name, const char* help,
                  grpc::Status (v1::Governance::Stub::*method)(grpc::ClientContext*, const Request&,
                                                               Response*)) {
  cmds.add(g, name, help, CommandKind::kQuery, [&cmds, method](CLI::App* sub) -> Action {
    auto id = std::make_shared<std::string>();
    sub->add_option("proposal_id", *id, "Proposal id")->required();
    return [&cmds, id, method] {
      Request req;
      req.set_proposal_id(parse_u64(*id, "PROPOSAL_ID"));
      return query(cmds.ctx(), method, req);
    };
  });
}

void register_queries(Commands& cmds, CLI::App* g) {
  cmds.add(g, "proposals", "Proposals, filtered and paged", CommandKind::kQuery,
           [&cmds](CLI::App* sub) -> Action {
             auto o = std::make_shared<std::array<std::string, 4>>();
             sub->add_option("--status", (*o)[0], "e.g. PROPOSAL_STATUS_VOTING_PERIOD");
             sub->add_option("--proposer", (*o)[1], "Proposer (btt1...)");
             sub->add_option("--start-after", (*o)[2], "Ids above this");
             sub->add_option("--limit", (*o)[3], "At most this many (default 100, max 1000)");
             return [&cmds, o] {
               v1::ListProposalsRequest req;
               if (!(*o)[0].empty()) {
                 v1::ProposalStatus st;
                 if (!v1::ProposalStatus_Parse((*o)[0], &st)) {
                   throw UsageError("--status: '" + (*o)[0] + "' is not a proposal status");
                 }
                 req.set_status(st);
               }
               if (!(*o)[1].empty()) req.set_proposer(parse_address((*o)[1], "--proposer"));
               if (!(*o)[2].empty()) req.set_start_after(parse_u64((*o)[2], "--start-after"));
               if (!(*o)[3].empty()) {
                 req.set_limit(static_cast<uint32_t>(parse_u64((*o)[3], "--limit")));
               }
               return query(cmds.ctx(), &v1::Governance::Stub::ListProposals, req);
             };
           });
  add_id_query<v1::GetProposalRequest, v1::ProposalRecord>(
      cmds, g, "proposal", "One proposal: actions, status, tally, error",
      &v1::Governance::Stub::GetProposal);
  add_id_query<v1::GetVotesRequest, v1::GetVotesResponse>(cmds, g, "votes", "A proposal's votes",
                                                          &v1::Governance::Stub::GetVotes);
  add_id_query<v1::GetDepositsRequest, v1::GetDepositsResponse>(
      cmds, g, "deposits", "A proposal's deposits", &v1::Governance::Stub::GetDeposits);
  add_id_query<v1::GetTallyRequest, v1::TallyResult>(cmds, g, "tally",
                                                     "The tally: live during voting, final after",
                                                     &v1::Governance::Stub::GetTally);
  cmds.add(g, "params", "Governance params", CommandKind::kQuery, [&cmds](CLI::App*) -> Action {
    return [&cmds] {
      return query(cmds.ctx(), &v1::Governance::Stub::GetParams, v1::GetGovernanceParamsRequest());
    };
  });
  cmds.add(g, "upgrade-plan", "The software upgrade plan in force", CommandKind::kQuery,
           [&cmds](CLI::App*) -> Action {
             return [&cmds] {
               return query(cmds.ctx(), &v1::Governance::Stub::GetUpgradePlan,
                            v1::GetUpgradePlanRequest());
             };
           });
  cmds.add(g, "applied-upgrades", "Software upgrades applied at their height, by name",
           CommandKind::kQuery, [&cmds](CLI::App*) -> Action {
             return [&cmds] {
               return query(cmds.ctx(), &v1::Governance::Stub::ListAppliedUpgrades,
                            v1::ListAppliedUpgradesRequest());
             };
           });
  cmds.add(g, "streams", "Running treasury streams", CommandKind::kQuery,
           [&cmds](CLI::App*) -> Action {
             return [&cmds] {
               return query(cmds.ctx(), &v1::Governance::Stub::GetStreams, v1::GetStreamsRequest());
             };
           });
}

void register_governance(Commands& cmds) {
  auto* g = cmds.group("gov", "Proposals, deposits and votes (doc/governance.md)");
  register_queries(cmds, g);
  cmds.add_tx(g, "submit", "Submit a proposal described in a JSON file (MsgSubmitProposal)",
              {"submit_proposal"}, [](CLI::App* sub, const CommonTxOptions&) -> BuildMessages {
                auto o = std::make_shared<IdOptions>();
                sub->add_option("--file", o->file,
                                "Proposal JSON: {title, summary, actions, initial_deposit, "
                                "expedited} (doc/governance.md)")
                    ->required();
                return [o] {
                  v1::Message m;
                  *m.mutable_submit_proposal() =
                      read_json_file<v1::MsgSubmitProposal>(o->file, "--file");
                  return std::vector<v1::Message>{m};
                };
              });
  cmds.add_tx(g, "deposit", "Add to a proposal's deposit", {"deposit"},
              [](CLI::App* sub, const CommonTxOptions&) -> BuildMessages {
                auto o = std::make_shared<IdOptions>();
                sub->add_option("proposal_id", o->proposal_id, "Proposal id")->required();
                sub->add_option("--amount", o->amount, "Amount in base units")->required();
                return [o] {
                  v1::Message m;
                  m.mutable_deposit()->set_proposal_id(parse_u64(o->proposal_id, "PROPOSAL_ID"));
                  m.mutable_deposit()->set_amount(parse_amount(o->amount, "--amount"));
                  return std::vector<v1::Message>{m};
                };
              });
  cmds.add_tx(
      g, "vote", "Vote on a proposal (changeable until the voting period ends)", {"vote"},
      [](CLI::App* sub, const CommonTxOptions&) -> BuildMessages {
        auto o = std::make_shared<IdOptions>();
        sub->add_option("proposal_id", o->proposal_id, "Proposal id")->required();
        sub->add_option("--option", o->option, "yes | no | abstain | no_with_veto")->required();
        return [o] {
          v1::Message m;
          m.mutable_vote()->set_proposal_id(parse_u64(o->proposal_id, "PROPOSAL_ID"));
          m.mutable_vote()->set_option(parse_option(o->option));
          return std::vector<v1::Message>{m};
        };
      });
  cmds.add_tx(
      g, "weighted-vote", "A split vote: --weights yes=6000,no=4000 (bps, sum 10000)",
      {"weighted_vote"}, [](CLI::App* sub, const CommonTxOptions&) -> BuildMessages {
        auto o = std::make_shared<IdOptions>();
        sub->add_option("proposal_id", o->proposal_id, "Proposal id")->required();
        sub->add_option("--weights", o->option, "option=bps,...")->required();
        return [o] {
          v1::Message m;
          auto* w = m.mutable_weighted_vote();
          w->set_proposal_id(parse_u64(o->proposal_id, "PROPOSAL_ID"));
          std::stringstream in(o->option);
          std::string part;
          while (std::getline(in, part, ',')) {
            const auto eq = part.find('=');
            if (eq == std::string::npos) {
              throw UsageError("--weights: '" + part + "' is not option=bps");
            }
            auto* opt = w->add_options();
            opt->set_option(parse_option(part.substr(0, eq)));
            opt->set_weight_bps(static_cast<uint32_t>(parse_u64(part.substr(eq + 1), "--weights")));
          }
          return std::vector<v1::Message>{m};
        };
      });
  cmds.add_tx(
      g, "cancel", "Cancel your proposal (cancel_burn_ratio_bps of deposits burned)",
      {"cancel_proposal"}, [](CLI::App* sub, const CommonTxOptions&) -> BuildMessages {
        auto o = std::make_shared<IdOptions>();
        sub->add_option("proposal_id", o->proposal_id, "Proposal id")->required();
        return [o] {
          v1::Message m;
          m.mutable_cancel_proposal()->set_proposal_id(parse_u64(o->proposal_id, "PROPOSAL_ID"));
          return std::vector<v1::Message>{m};
        };
      });
  cmds.add_tx(g, "foundation-act",
              "The Foundation's direct treasury spend or milestone approval, before the sunset "
              "height (JSON file: MsgFoundationAct)",
              {"foundation_act"}, [](CLI::App* sub, const CommonTxOptions&) -> BuildMessages {
                auto o = std::make_shared<IdOptions>();
                sub->add_option("--file", o->file, "MsgFoundationAct JSON")->required();
                return [o] {
                  v1::Message m;
                  *m.mutable_foundation_act() =
                      read_json_file<v1::MsgFoundationAct>(o->file, "--file");
                  return std::vector<v1::Message>{m};
                };
              });
}

const CommandFile kGovernance{65, &register_governance};

}  // namespace

}  // namespace btt::cli

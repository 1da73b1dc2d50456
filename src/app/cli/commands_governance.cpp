// btt-cli gov ...: the governance txs (doc/governance.md): submit a proposal described in a JSON
// file, deposit, vote (one option or weighted), cancel, and the Foundation's direct act. The
// queries (proposals, proposal, votes, tally, params) wait for the btt.v1.Governance adapter.
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "app/cli/commands.h"
#include "btt/ledger/proto_json.h"

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

void register_governance(Commands& cmds) {
  auto* g = cmds.group("gov", "Proposals, deposits and votes (doc/governance.md)");
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

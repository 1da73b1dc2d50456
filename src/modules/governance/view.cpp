// Reads of the governance state and the answers of btt.v1.Governance (doc/governance.md).
#include "btt/modules/governance/view.h"

#include "btt/common/amount.h"
#include "btt/ledger/keys.h"
#include "keys.h"
#include "module.h"
#include "tally.h"

namespace btt::modules::governance {

v1::GovernanceParams GovernanceView::params() const {
  return params_spec().get(state_);
}

std::optional<v1::ProposalRecord> GovernanceView::proposal(uint64_t id) const {
  return ledger::read_record<v1::ProposalRecord>(state_, keys::proposal(id));
}

std::vector<v1::DepositRecord> GovernanceView::deposits(uint64_t id) const {
  return ledger::read_records<v1::DepositRecord>(state_, keys::deposits(id));
}

std::optional<v1::VoteRecord> GovernanceView::vote(uint64_t id,
                                                   const crypto::Address& voter) const {
  return ledger::read_record<v1::VoteRecord>(state_, keys::vote(id, voter));
}

std::vector<v1::VoteRecord> GovernanceView::votes(uint64_t id) const {
  return ledger::read_records<v1::VoteRecord>(state_, keys::votes(id));
}

std::vector<v1::TreasuryStream> GovernanceView::streams() const {
  return ledger::read_records<v1::TreasuryStream>(state_, keys::streams());
}

std::optional<v1::FoundationActRecord> GovernanceView::foundation_act(uint64_t id) const {
  return ledger::read_record<v1::FoundationActRecord>(state_, keys::foundation_act(id));
}

std::vector<v1::AppliedUpgrade> GovernanceView::applied_upgrades() const {
  return ledger::read_records<v1::AppliedUpgrade>(state_, keys::applied_upgrades());
}

std::vector<v1::FoundationActRecord> GovernanceView::foundation_acts() const {
  return ledger::read_records<v1::FoundationActRecord>(state_, keys::foundation_acts());
}

uint64_t GovernanceView::active_count() const {
  uint64_t n = 0;
  state_.scan(keys::active(), [&](std::string_view, std::string_view) {
    ++n;
    return true;
  });
  return n;
}

v1::GovernanceGenesisState GovernanceView::genesis_state() const {
  v1::GovernanceGenesisState st;
  *st.mutable_params() = params();
  st.set_next_proposal_id(ledger::read_u64(state_, keys::next_proposal()));
  for (auto& p : ledger::read_records<v1::ProposalRecord>(state_, keys::proposals())) {
    *st.add_proposals() = std::move(p);
  }
  for (auto& d : ledger::read_records<v1::DepositRecord>(state_, keys::all_deposits())) {
    *st.add_deposits() = std::move(d);
  }
  for (auto& v : ledger::read_records<v1::VoteRecord>(state_, keys::all_votes())) {
    *st.add_votes() = std::move(v);
  }
  for (auto& t : ledger::read_records<v1::TallyProgress>(state_, keys::tallies())) {
    *st.add_tallies() = std::move(t);
  }
  state_.scan(keys::all_deductions(), [&](std::string_view key, std::string_view value) {
    ledger::KeyReader r(key.substr(keys::all_deductions().size()));
    uint64_t id = 0;
    crypto::Address v;
    std::string_view in = value;
    uint64_t shares = 0;
    if (!r.u64(id) || !r.addr(v) || !get_u64_be(in, shares)) {
      throw std::logic_error("governance: unreadable tally deduction");
    }
    auto* d = st.add_deductions();
    d->set_proposal_id(id);
    d->set_validator(v.to_string());
    d->set_shares(shares);
    return true;
  });
  for (auto& s : streams()) *st.add_streams() = std::move(s);
  st.set_next_stream_id(ledger::read_u64(state_, keys::next_stream()));
  for (auto& a : foundation_acts()) *st.add_foundation_acts() = std::move(a);
  st.set_next_act_id(ledger::read_u64(state_, keys::next_act()));
  if (auto u = upgrade_plan(state_)) *st.mutable_upgrade() = *u;
  for (auto& u : applied_upgrades()) *st.add_applied_upgrades() = std::move(u);
  return st;
}

v1::TallyResult GovernanceView::live_tally(uint64_t id, uint64_t time_ms) const {
  auto p = proposal(id);
  if (p && p->has_final_tally() && p->status() != v1::PROPOSAL_STATUS_VOTING_PERIOD &&
      p->status() != v1::PROPOSAL_STATUS_TALLYING) {
    return p->final_tally();
  }
  const uint64_t end = p ? p->voting_end_ms() : time_ms;
  v1::TallyResult t;
  std::map<crypto::Address, uint64_t> deducted;
  for (const auto& v : votes(id)) {
    auto voter = crypto::Address::parse(v.voter());
    if (!voter) continue;
    auto power = direct_power(state_, *voter, end);
    add_vote(t, v, power.power);
    for (const auto& [val, shares] : power.deducted) deducted[val] += shares;
  }
  add_validators(
      state_, t,
      [&](const crypto::Address& v) {
        auto it = deducted.find(v);
        return it == deducted.end() ? 0 : it->second;
      },
      [&](const crypto::Address& op) { return vote(id, op); });
  return t;
}

Result<v1::ListProposalsResponse> GovernanceView::list_proposals(
    const v1::ListProposalsRequest& req) const {
  auto limit = ledger::page_limit(req.limit());
  if (!limit) return limit.status();
  std::optional<crypto::Address> proposer;
  if (!req.proposer().empty()) {
    proposer = crypto::Address::parse(req.proposer());
    if (!proposer) {
      return Status{Code::kInvalidArgument,
                    "proposer '" + excerpt(req.proposer()) + "' is not a btt address"};
    }
  }
  v1::ListProposalsResponse out;
  const Bytes prefix = keys::proposals();
  state_.scan(prefix, [&](std::string_view key, std::string_view value) {
    ledger::KeyReader r(key.substr(prefix.size()));
    uint64_t id = 0;
    if (!r.u64(id) || id <= req.start_after()) return true;
    v1::ProposalRecord p;
    if (!p.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
      throw std::logic_error("governance: unreadable proposal record");
    }
    if (req.status() != v1::PROPOSAL_STATUS_UNSPECIFIED && p.status() != req.status()) return true;
    if (proposer && p.proposer() != proposer->to_string()) return true;
    if (static_cast<uint32_t>(out.proposals_size()) == *limit) {
      out.set_next_start_after(out.proposals(out.proposals_size() - 1).id());
      return false;
    }
    *out.add_proposals() = std::move(p);
    return true;
  });
  return out;
}

Result<v1::ProposalRecord> GovernanceView::get_proposal(uint64_t id) const {
  auto p = proposal(id);
  if (!p) return Status{Code::kNotFound, "no proposal " + std::to_string(id)};
  return *p;
}

Result<v1::TallyResult> GovernanceView::tally(uint64_t id, uint64_t time_ms) const {
  if (!proposal(id)) return Status{Code::kNotFound, "no proposal " + std::to_string(id)};
  return live_tally(id, time_ms);
}

}  // namespace btt::modules::governance

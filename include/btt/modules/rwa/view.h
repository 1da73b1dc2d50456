#pragma once
// Reads of the RWA state and the answers of its queries (doc/rwa.md "Queries").
#include <optional>
#include <string_view>
#include <vector>

#include "btt/common/status.h"
#include "btt/crypto/address.h"
#include "btt/ledger/state.h"
#include "btt/v1/rwa.pb.h"
#include "btt/v1/rwa_query.pb.h"

namespace btt::modules::rwa {

class RwaView {
 public:
  explicit RwaView(const ledger::StateReader& state) : state_(state) {}

  [[nodiscard]] v1::RwaParams params() const;
  // `asset` is "rwa/" symbol or the symbol alone.
  [[nodiscard]] std::optional<v1::RwaAssetRecord> asset(std::string_view asset) const;
  [[nodiscard]] std::vector<v1::RwaAssetRecord> assets() const;
  // The asset with its ledger supply and NAV per fraction.
  [[nodiscard]] v1::RwaAssetInfo info(const v1::RwaAssetRecord& r) const;
  [[nodiscard]] std::vector<v1::DocumentRecord> documents(std::string_view asset,
                                                          bool include_removed) const;
  // Every account with fractions, by address bytes.
  [[nodiscard]] std::vector<v1::Holding> holders(std::string_view asset) const;
  [[nodiscard]] std::optional<v1::ClaimRecord> claim(const crypto::Address& account) const;
  [[nodiscard]] std::vector<v1::ClaimRecord> claims() const;
  [[nodiscard]] std::vector<v1::AgentRecord> agents(std::string_view asset) const;
  [[nodiscard]] std::optional<v1::AgentRecord> agent(std::string_view asset,
                                                     const crypto::Address& agent) const;
  [[nodiscard]] std::vector<v1::RwaFreezeRecord> freezes(std::string_view asset) const;
  [[nodiscard]] std::vector<v1::AppraisalRecord> appraisals(std::string_view asset) const;
  [[nodiscard]] std::optional<v1::DistributionRecord> distribution(uint64_t id) const;
  [[nodiscard]] std::vector<v1::DistributionRecord> distributions(std::string_view asset) const;
  // The account's fractions at the distribution's record point.
  [[nodiscard]] uint64_t record_balance(const v1::DistributionRecord& d,
                                        const crypto::Address& account) const;
  [[nodiscard]] bool claimed(uint64_t distribution_id, const crypto::Address& account) const;
  // What a claim of the distribution pays the account now.
  [[nodiscard]] v1::Claimable claimable(const v1::DistributionRecord& d,
                                        const crypto::Address& account) const;
  // The compliance query: "may `from` send `amount` of `asset` to `to` at `time_ms`?"
  [[nodiscard]] v1::CheckTransferResponse check(std::string_view asset, const crypto::Address& from,
                                                const crypto::Address& to, uint64_t amount,
                                                uint64_t time_ms) const;

  [[nodiscard]] v1::RwaGenesisState genesis_state() const;

 private:
  const ledger::StateReader& state_;
};

}  // namespace btt::modules::rwa

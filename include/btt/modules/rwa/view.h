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

  // --- the exchange (market_view.cpp) ---
  [[nodiscard]] std::optional<v1::OrderInfo> order(uint64_t id) const;
  // Resting orders of `account`, ascending id; of one pair when `asset` is set.
  [[nodiscard]] std::vector<v1::OrderInfo> orders_of(const crypto::Address& account,
                                                     std::string_view asset,
                                                     std::string_view quote) const;
  // The best `levels` prices of each side, their open fractions and order counts.
  [[nodiscard]] v1::BookDepth depth(std::string_view asset, std::string_view quote,
                                    uint32_t levels) const;
  // The pair's latest `limit` trades, newest first.
  [[nodiscard]] std::vector<v1::TradeInfo> trades(std::string_view asset, std::string_view quote,
                                                  uint32_t limit) const;
  // Every pool, or the pools of `asset`.
  [[nodiscard]] std::vector<v1::PoolInfo> pools(std::string_view asset) const;
  [[nodiscard]] std::optional<v1::PoolInfo> pool(uint64_t id) const;
  [[nodiscard]] std::optional<uint64_t> pool_id(std::string_view asset,
                                                std::string_view quote) const;
  [[nodiscard]] v1::LpShares lp_shares(uint64_t pool_id, const crypto::Address& account) const;
  // A swap now at the base trading fee (no staker discount); the error a swap would get.
  [[nodiscard]] Result<v1::SwapQuote> quote_swap(uint64_t pool_id, const std::string& offer_asset,
                                                 uint64_t amount_in) const;

  [[nodiscard]] v1::RwaGenesisState genesis_state() const;

 private:
  void add_exchange(v1::RwaGenesisState& st) const;
  const ledger::StateReader& state_;
};

}  // namespace btt::modules::rwa

#pragma once
// Reads of the oracle state and the answers of its queries (doc/oracle.md "Queries").
#include <optional>
#include <string_view>
#include <vector>

#include "btt/common/status.h"
#include "btt/crypto/address.h"
#include "btt/ledger/state.h"
#include "btt/v1/oracle.pb.h"

namespace btt::modules::oracle {

class OracleView {
 public:
  explicit OracleView(const ledger::StateReader& state) : state_(state) {}

  [[nodiscard]] v1::OracleParams params() const;
  [[nodiscard]] std::optional<v1::OraclePair> pair(std::string_view base,
                                                   std::string_view quote) const;
  // Every pair with at least one post, by (base, quote).
  [[nodiscard]] std::vector<v1::OraclePair> pairs() const;
  [[nodiscard]] std::optional<v1::PricePost> post(std::string_view base, std::string_view quote,
                                                  const crypto::Address& feeder) const;
  // The latest post of every feeder of the pair, by feeder address bytes (stale ones included).
  [[nodiscard]] std::vector<v1::PricePost> posts(std::string_view base,
                                                 std::string_view quote) const;
  // The pair's history kept, oldest first.
  [[nodiscard]] std::vector<v1::PricePost> history(std::string_view base,
                                                   std::string_view quote) const;
  [[nodiscard]] v1::OracleGenesisState genesis_state() const;

  // Query answers: INVALID_ARGUMENT (bad_pair) for an invalid pair; GetPrice no_price.
  [[nodiscard]] Result<v1::GetPriceResponse> price(std::string_view base, std::string_view quote,
                                                   uint64_t time_ms) const;
  [[nodiscard]] Result<v1::ListPostsResponse> list_posts(const v1::ListPostsRequest& req) const;
  [[nodiscard]] Result<v1::ListHistoryResponse> list_history(
      const v1::ListHistoryRequest& req) const;
  [[nodiscard]] v1::ListPairsResponse list_pairs() const;

 private:
  const ledger::StateReader& state_;
};

}  // namespace btt::modules::oracle

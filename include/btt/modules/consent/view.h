#pragma once
// Reads of the consent state and the answers of its queries (doc/consent.md "Queries").
#include <cstdint>
#include <optional>
#include <vector>

#include "btt/common/status.h"
#include "btt/crypto/address.h"
#include "btt/ledger/state.h"
#include "btt/v1/consent.pb.h"
#include "btt/v1/consent_query.pb.h"

namespace btt::modules::consent {

class ConsentView {
 public:
  explicit ConsentView(const ledger::StateReader& state) : state_(state) {}

  [[nodiscard]] v1::ConsentParams params() const;
  [[nodiscard]] std::optional<v1::ConsentGrant> grant(uint64_t grant_id) const;
  [[nodiscard]] std::optional<v1::ConsentDelegate> delegate(const crypto::Address& patient,
                                                            const crypto::Address& d) const;
  // The patient's delegates, by delegate address bytes.
  [[nodiscard]] std::vector<v1::ConsentDelegate> delegates(const crypto::Address& patient) const;
  // The patient's active grants (revoked and expired-marked ones left out), by id.
  [[nodiscard]] std::vector<uint64_t> active_grant_ids(const crypto::Address& patient) const;
  [[nodiscard]] v1::ConsentGenesisState genesis_state() const;

  // Query answers at block time `now` (the latest block's): INVALID_ARGUMENT for a malformed
  // request, NOT_FOUND for an unknown grant.
  [[nodiscard]] Result<v1::CheckAccessResponse> check_access(const v1::CheckAccessRequest& req,
                                                             uint64_t now) const;
  [[nodiscard]] Result<v1::GrantInfo> get_grant(uint64_t grant_id, uint64_t now) const;
  [[nodiscard]] Result<v1::ListGrantsResponse> list_grants(const v1::ListGrantsRequest& req,
                                                           uint64_t now) const;
  [[nodiscard]] Result<v1::ListAccessesResponse> list_accesses(
      const v1::ListAccessesRequest& req) const;
  [[nodiscard]] Result<v1::ListDelegatesResponse> list_delegates(
      const v1::ListDelegatesRequest& req) const;

 private:
  const ledger::StateReader& state_;
};

// Whether a grant is in force at `now`: active and now < expiry_ms.
[[nodiscard]] bool in_force(const v1::ConsentGrant& g, uint64_t now);

}  // namespace btt::modules::consent

#pragma once
// Compute marketplace module (doc/compute.md): bonded compute nodes, clinics' jobs with escrow,
// deterministic assignment, commit-reveal with majority and audits, settlement 70/15/10/5,
// slashing, and the per-epoch distribution of the mining emission by score.
//
// State keys: src/modules/compute/keys.h (doc/compute.md "State").
#include <memory>
#include <string_view>

#include "btt/common/amount.h"
#include "btt/common/bytes.h"
#include "btt/crypto/address.h"
#include "btt/ledger/module.h"

namespace btt::modules::compute {

inline constexpr std::string_view kModuleName = "compute";
inline constexpr uint32_t kCodespace = 3;
inline constexpr uint32_t kMaxRedundancy = 3;
inline constexpr uint64_t kMaxComputeUnits = 1'000'000'000;
inline constexpr size_t kMaxLocator = 512;
inline constexpr size_t kMinSalt = 16;
inline constexpr size_t kMaxSalt = 64;
inline constexpr size_t kMaxModels = 16;
inline constexpr size_t kMaxName = 64;
// Burn source of slashed bonds (tokenomics burn record).
inline constexpr std::string_view kSlashBurnSource = "compute_slash";
inline constexpr std::string_view kCommitTag = "btt/compute/commit";
inline constexpr std::string_view kEntropyTag = "btt/compute/entropy";

// Module accounts (the three funds may be replaced by genesis addresses).
[[nodiscard]] crypto::Address escrow_address();
[[nodiscard]] crypto::Address bonds_address();
[[nodiscard]] crypto::Address development_fund_address();
[[nodiscard]] crypto::Address foundation_address();
[[nodiscard]] crypto::Address operational_reserve_address();

// tagged_hash(kCommitTag, result_hash || node address || salt): what MsgCommitResult carries
// (doc/compute.md "Commitments").
[[nodiscard]] Bytes commitment(std::string_view result_hash, const crypto::Address& node,
                               std::string_view salt);

[[nodiscard]] std::unique_ptr<ledger::Module> make_compute_module();

}  // namespace btt::modules::compute

#pragma once
// Roles module (doc/roles.md): the one registry of authorities. Other modules ask it whether an
// account holds a role (the milestone authority approves milestones, attesters attest energy
// figures); they never read its keys.
#include <memory>
#include <string_view>
#include <vector>

#include "btt/crypto/address.h"
#include "btt/ledger/module.h"

namespace btt::modules::roles {

inline constexpr std::string_view kModuleName = "roles";
inline constexpr uint32_t kCodespace = 4;

// The known roles. A new role is a new constant here and a row in doc/roles.md.
inline constexpr std::string_view kRoleAdmin = "role_admin";  // grants and revokes
inline constexpr std::string_view kMilestoneAuthority = "milestone_authority";  // tokenomics
inline constexpr std::string_view kComputeAttester = "compute_attester";        // compute energy
inline constexpr std::string_view kKycAttester = "kyc_attester";                // rwa (next)
inline constexpr std::string_view kAssetValuer = "asset_valuer";                // rwa (next)
inline constexpr std::string_view kPriceOracle = "price_oracle";                // oracle (next)
inline constexpr std::string_view kPaymentGateway = "payment_gateway";          // payfi (next)
inline constexpr std::string_view kProviderRegistrar = "provider_registrar";    // incentives (next)

// Every known role, in name order.
[[nodiscard]] const std::vector<std::string_view>& known_roles();
[[nodiscard]] bool is_known_role(std::string_view role);

// Whether `account` holds `role` in `state`.
[[nodiscard]] bool has_role(const ledger::StateReader& state, std::string_view role,
                            const crypto::Address& account);
// The holders of `role`, in address byte order.
[[nodiscard]] std::vector<crypto::Address> holders(const ledger::StateReader& state,
                                                   std::string_view role);

// A grant made by another module's genesis (tokenomics names the milestone authority in its
// allocation): the same record and event as a genesis "grants" entry. Granting a role already
// held rewrites the same record.
void grant_at_genesis(ledger::Overlay& state, ledger::Events& events, std::string_view role,
                      const crypto::Address& account);

// Governance's grant and revoke (the registry's admin is governance): the same records, checks
// and events as MsgGrantRole / MsgRevokeRole with `by` the governance account. Refuses an unknown
// role, a grant of a role held, a revoke of one not held and the last role_admin (roles errors);
// nothing is written then.
[[nodiscard]] Status grant_by_governance(ledger::Overlay& state, ledger::Events& events,
                                         std::string_view role, const crypto::Address& account,
                                         uint64_t height, std::string_view by);
[[nodiscard]] Status revoke_by_governance(ledger::Overlay& state, ledger::Events& events,
                                          std::string_view role, const crypto::Address& account,
                                          std::string_view by);

[[nodiscard]] std::unique_ptr<ledger::Module> make_roles_module();

}  // namespace btt::modules::roles

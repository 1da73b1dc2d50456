#include "btt/modules/roles/view.h"

#include "btt/modules/roles/errors.h"
#include "btt/modules/roles/roles.h"
#include "keys.h"

namespace btt::modules::roles {

const std::vector<std::string_view>& known_roles() {
  static const std::vector<std::string_view> kRoles = {
      kAssetValuer,    kComputeAttester, kKycAttester,       kMilestoneAuthority,
      kPaymentGateway, kPriceOracle,     kProviderRegistrar, kRoleAdmin};
  return kRoles;
}

bool is_known_role(std::string_view role) {
  for (auto r : known_roles()) {
    if (r == role) return true;
  }
  return false;
}

bool has_role(const ledger::StateReader& state, std::string_view role,
              const crypto::Address& account) {
  return state.get(keys::grant(role, account)).has_value();
}

std::vector<crypto::Address> holders(const ledger::StateReader& state, std::string_view role) {
  std::vector<crypto::Address> out;
  for (const auto& g : RolesView(state).grants(role)) {
    if (auto a = crypto::Address::parse(g.address())) out.push_back(*a);
  }
  return out;
}

std::optional<v1::RoleGrant> RolesView::grant(std::string_view role,
                                              const crypto::Address& account) const {
  return ledger::read_record<v1::RoleGrant>(state_, keys::grant(role, account));
}

namespace {
std::vector<v1::RoleGrant> scan_grants(const ledger::StateReader& state, const Bytes& prefix) {
  std::vector<v1::RoleGrant> out;
  state.scan(prefix, [&](std::string_view, std::string_view value) {
    v1::RoleGrant g;
    if (g.ParseFromArray(value.data(), static_cast<int>(value.size()))) out.push_back(g);
    return true;
  });
  return out;
}
}  // namespace

std::vector<v1::RoleGrant> RolesView::grants(std::string_view role) const {
  return scan_grants(state_, keys::grants_of(role));
}

std::vector<v1::RoleGrant> RolesView::all_grants() const {
  return scan_grants(state_, keys::all_grants());
}

std::vector<std::string> RolesView::roles_of(const crypto::Address& account) const {
  std::vector<std::string> out;
  for (auto role : known_roles()) {
    if (has_role(state_, role, account)) out.emplace_back(role);
  }
  return out;
}

v1::ListRolesResponse RolesView::list_roles(uint64_t height) const {
  v1::ListRolesResponse out;
  out.set_height(height);
  for (auto role : known_roles()) {
    auto* r = out.add_roles();
    r->set_role(std::string(role));
    for (const auto& g : grants(role)) r->add_addresses(g.address());
  }
  return out;
}

Result<v1::GetRoleResponse> RolesView::get_role(std::string_view role, uint64_t height) const {
  if (!is_known_role(role)) {
    return Status(errors::kUnknownRole, "'" + excerpt(role) + "' is not a known role");
  }
  v1::GetRoleResponse out;
  out.set_height(height);
  out.mutable_role()->set_role(std::string(role));
  for (const auto& g : grants(role)) {
    out.mutable_role()->add_addresses(g.address());
    *out.add_grants() = g;
  }
  return out;
}

Result<v1::GetAccountRolesResponse> RolesView::account_roles(std::string_view address,
                                                             uint64_t height) const {
  auto a = crypto::Address::parse(address);
  if (!a) return Status(errors::kBadAddress, "'" + excerpt(address) + "' is not a btt address");
  v1::GetAccountRolesResponse out;
  out.set_height(height);
  for (auto& r : roles_of(*a)) out.add_roles(std::move(r));
  return out;
}

}  // namespace btt::modules::roles

#include "services.h"

#include "btt/ledger/ledger.h"

namespace btt::rpc {

grpc::Status BankService::GetAccount(grpc::ServerContext*, const v1::GetAccountRequest* req,
                                     v1::AccountInfo* out) {
  auto addr = crypto::Address::parse(req->address());
  if (!addr) return invalid("address '" + excerpt(req->address()) + "' is not a btt address");
  auto view = ctx_.chain.read_view();
  ledger::Ledger l(*view.state);
  out->set_address(addr->to_string());
  out->set_nonce(l.next_nonce(*addr));
  out->set_pending_nonce(ctx_.pool.pending_next_nonce(*addr, out->nonce()));
  for (auto& c : l.balances(*addr)) *out->add_balances() = std::move(c);
  out->set_height(view.tip.height());
  return grpc::Status::OK;
}

grpc::Status BankService::GetBalance(grpc::ServerContext*, const v1::GetBalanceRequest* req,
                                     v1::Balance* out) {
  auto addr = crypto::Address::parse(req->address());
  if (!addr) return invalid("address '" + excerpt(req->address()) + "' is not a btt address");
  std::string asset = req->asset().empty() ? std::string(ledger::kNativeAsset) : req->asset();
  if (!ledger::is_valid_asset_name(asset))
    return invalid("'" + excerpt(asset) + "' is not an asset name");
  auto view = ctx_.chain.read_view();
  ledger::Ledger l(*view.state);
  if (!l.asset(asset)) return not_found("asset '" + asset + "' is not registered");
  out->set_address(addr->to_string());
  out->set_asset(asset);
  out->set_height(view.tip.height());
  out->set_amount(l.balance(*addr, asset));
  return grpc::Status::OK;
}

grpc::Status BankService::GetSupply(grpc::ServerContext*, const v1::GetSupplyRequest*,
                                    v1::Supply* out) {
  auto view = ctx_.chain.read_view();
  out->set_height(view.tip.height());
  ledger::Ledger l(*view.state);
  for (const auto& info : l.assets()) {
    auto* c = out->add_total();
    c->set_asset(info.asset());
    c->set_amount(l.supply(info.asset()));
  }
  return grpc::Status::OK;
}

}  // namespace btt::rpc

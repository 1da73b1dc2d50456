#pragma once
// Reads of the bank's state for queries: balances, assets and supply, all kept by the ledger.
#include <vector>

#include "btt/ledger/ledger.h"
#include "btt/ledger/state.h"

namespace btt::modules::bank {

class BankView {
 public:
  explicit BankView(const ledger::StateReader& state) : ledger_(state) {}
  [[nodiscard]] uint64_t balance(const crypto::Address& addr, std::string_view asset) const {
    return ledger_.balance(addr, asset);
  }
  [[nodiscard]] std::vector<v1::Coin> balances(const crypto::Address& addr) const {
    return ledger_.balances(addr);
  }
  [[nodiscard]] std::vector<v1::AssetInfo> assets() const { return ledger_.assets(); }
  [[nodiscard]] uint64_t supply(std::string_view asset) const { return ledger_.supply(asset); }

 private:
  ledger::Ledger ledger_;
};

}  // namespace btt::modules::bank

#include "btt/ledger/ledger.h"

#include <set>

#include "btt/common/checked.h"

namespace btt::ledger {
namespace {
constexpr std::string_view kAccountPrefix = "acc/";
constexpr std::string_view kBalancePrefix = "bal/";
constexpr std::string_view kAssetPrefix = "ast/";
constexpr std::string_view kSupplyPrefix = "sup/";

}  // namespace

bool is_valid_asset_name(std::string_view asset) {
  if (asset.size() < 2 || asset.size() > 32) return false;
  auto alpha = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); };
  if (!alpha(asset[0])) return false;
  for (char c : asset) {
    if (!(alpha(c) || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '/' || c == '-'))
      return false;
  }
  return true;
}

v1::LedgerParams default_ledger_params() {
  v1::LedgerParams p;
  p.set_min_fee(1000);  // 0.00001 BTT
  p.set_max_tx_bytes(16 * 1024);
  p.set_max_messages(16);
  p.set_max_memo_bytes(256);
  p.set_max_outputs(64);
  p.set_max_block_txs(10000);
  p.set_max_block_bytes(8u << 20);
  // Evidence limits (chain/evidence.h: kDefaultMaxEvidenceAge, kDefaultMaxBlockEvidence).
  p.set_max_evidence_age(100'000);
  p.set_max_block_evidence(64);
  return p;
}

Bytes account_key(const crypto::Address& addr) {
  Bytes k(kAccountPrefix);
  k.append(addr.raw());
  return k;
}

Bytes balance_key(const crypto::Address& addr, std::string_view asset) {
  Bytes k(kBalancePrefix);
  k.append(addr.raw());
  k.append(asset);
  return k;
}

Overlay& Ledger::writer() const {
  if (!writer_ || !events_) throw std::logic_error("ledger: write through a read-only view");
  return *writer_;
}

uint64_t Ledger::next_nonce(const crypto::Address& addr) const {
  auto v = reader_.get(account_key(addr));
  if (!v) return 0;
  v1::Account acc;
  if (!acc.ParseFromString(*v)) return 0;
  return acc.nonce();
}

void Ledger::set_next_nonce(const crypto::Address& addr, uint64_t nonce) {
  v1::Account acc;
  acc.set_nonce(nonce);
  writer().put(account_key(addr), acc.SerializeAsString());
}

uint64_t Ledger::balance(const crypto::Address& addr, std::string_view asset) const {
  return read_u64(reader_, balance_key(addr, asset));
}

uint64_t Holds::held_back() const {
  return checked_add(vesting_held(), locked).value_or(UINT64_MAX);
}

Holds Ledger::holds(const crypto::Address& addr, std::string_view asset, uint64_t time_ms,
                    bool always_staked) const {
  Holds h;
  h.balance = balance(addr, asset);
  if (!locks_) return h;
  auto sum = [](uint64_t a, uint64_t b) { return checked_add(a, b).value_or(UINT64_MAX); };
  for (const LockProvider* p : *locks_) {
    h.locked = sum(h.locked, p->locked(reader_, addr, asset, time_ms));
    h.unvested = sum(h.unvested, p->unvested(reader_, addr, asset, time_ms));
  }
  // The stake is read only when it can change the answer: most accounts vest nothing.
  if (h.unvested > 0 || always_staked) {
    for (const LockProvider* p : *locks_) h.staked = sum(h.staked, p->staked(reader_, addr, asset));
  }
  return h;
}

Holds Ledger::holds(const crypto::Address& addr, std::string_view asset, uint64_t time_ms) const {
  return holds(addr, asset, time_ms, true);
}

uint64_t Ledger::spendable(const crypto::Address& addr, std::string_view asset,
                           uint64_t time_ms) const {
  return holds(addr, asset, time_ms, false).spendable();
}

uint64_t Ledger::bondable(const crypto::Address& addr, std::string_view asset,
                          uint64_t time_ms) const {
  return holds(addr, asset, time_ms, false).bondable();
}

std::vector<v1::Coin> Ledger::balances(const crypto::Address& addr) const {
  std::vector<v1::Coin> out;
  Bytes prefix(kBalancePrefix);
  prefix.append(addr.raw());
  reader_.scan(prefix, [&](std::string_view key, std::string_view value) {
    std::string_view in = value;
    uint64_t amount = 0;
    if (get_u64_be(in, amount) && amount > 0) {
      v1::Coin c;
      c.set_asset(std::string(key.substr(prefix.size())));
      c.set_amount(amount);
      out.push_back(std::move(c));
    }
    return true;
  });
  return out;
}

std::vector<crypto::Address> Ledger::accounts() const {
  std::set<crypto::Address> seen;
  for (std::string_view prefix : {kAccountPrefix, kBalancePrefix}) {
    reader_.scan(prefix, [&](std::string_view key, std::string_view) {
      if (key.size() < prefix.size() + crypto::Address::kSize) return true;
      if (auto a = crypto::Address::from_bytes(key.substr(prefix.size(), crypto::Address::kSize))) {
        seen.insert(*a);
      }
      return true;
    });
  }
  return {seen.begin(), seen.end()};
}

Status Ledger::credit(const crypto::Address& addr, std::string_view asset, uint64_t amount) {
  if (amount == 0) return Status::ok();
  auto key = balance_key(addr, asset);
  auto next = checked_add(read_u64(reader_, key), amount);
  if (!next) {
    return {Code::kBalanceOverflow, "balance of " + addr.to_string() + " in " + std::string(asset) +
                                        " would exceed 2^64-1"};
  }
  writer().put(key, u64_be(*next));
  events_->balance_change(addr, asset, amount, v1::BALANCE_DIRECTION_CREDIT);
  return Status::ok();
}

Status Ledger::debit(const crypto::Address& addr, std::string_view asset, uint64_t amount) {
  if (amount == 0) return Status::ok();
  auto key = balance_key(addr, asset);
  uint64_t have = read_u64(reader_, key);
  auto next = checked_sub(have, amount);
  if (!next) {
    return {Code::kInsufficientFunds, addr.to_string() + " has " + std::to_string(have) +
                                          " units of " + std::string(asset) + ", needs " +
                                          std::to_string(amount)};
  }
  if (*next == 0) {
    writer().erase(key);
  } else {
    writer().put(key, u64_be(*next));
  }
  events_->balance_change(addr, asset, amount, v1::BALANCE_DIRECTION_DEBIT);
  return Status::ok();
}

namespace {

// 300 when the balance is short of `amount`, 303 when `available` (what the locks leave for this
// use, `what` describes it) is.
Status require_available(const Ledger& ledger, const crypto::Address& account,
                         std::string_view asset, uint64_t amount, uint64_t available,
                         std::string_view what) {
  const uint64_t have = ledger.balance(account, asset);
  if (have < amount) {
    return {Code::kInsufficientFunds, account.to_string() + " has " + std::to_string(have) +
                                          " units of " + std::string(asset) + ", needs " +
                                          std::to_string(amount)};
  }
  if (available < amount) {
    return {Code::kLockedFunds, account.to_string() + " has " + std::to_string(available) +
                                    " units of " + std::string(asset) + " " + std::string(what) +
                                    ", needs " + std::to_string(amount)};
  }
  return Status::ok();
}

}  // namespace

Status require_spendable(const Ledger& ledger, const crypto::Address& account,
                         std::string_view asset, uint64_t amount, uint64_t time_ms) {
  return require_available(ledger, account, asset, amount,
                           ledger.spendable(account, asset, time_ms),
                           "spendable (the rest is locked)");
}

Status require_bondable(const Ledger& ledger, const crypto::Address& account,
                        std::string_view asset, uint64_t amount, uint64_t time_ms) {
  return require_available(ledger, account, asset, amount, ledger.bondable(account, asset, time_ms),
                           "it may bond (the rest is under stake locks)");
}

Status Ledger::transfer(const crypto::Address& from, const crypto::Address& to,
                        std::string_view asset, uint64_t amount) {
  if (from == to) return Status::ok();
  // Check the credit before writing anything so a failure leaves no partial write.
  if (!checked_add(balance(to, asset), amount)) {
    return {Code::kBalanceOverflow,
            "balance of " + to.to_string() + " in " + std::string(asset) + " would exceed 2^64-1"};
  }
  if (auto s = debit(from, asset, amount); !s) return s;
  return credit(to, asset, amount);
}

Status Ledger::move(const crypto::Address& from, const crypto::Address& to, std::string_view asset,
                    uint64_t amount, uint64_t time_ms) {
  if (auto s = require_spendable(*this, from, asset, amount, time_ms); !s) return s;
  return transfer(from, to, asset, amount);
}

Status Ledger::bond(const crypto::Address& from, const crypto::Address& pool,
                    std::string_view asset, uint64_t amount, uint64_t time_ms) {
  if (auto s = require_bondable(*this, from, asset, amount, time_ms); !s) return s;
  return transfer(from, pool, asset, amount);
}

std::optional<v1::AssetInfo> Ledger::asset(std::string_view asset) const {
  Bytes key(kAssetPrefix);
  key.append(asset);
  auto v = reader_.get(key);
  if (!v) return std::nullopt;
  v1::AssetInfo info;
  if (!info.ParseFromString(*v)) return std::nullopt;
  return info;
}

void Ledger::set_asset(const v1::AssetInfo& info) {
  Bytes key(kAssetPrefix);
  key.append(info.asset());
  writer().put(key, info.SerializeAsString());
}

uint64_t Ledger::supply(std::string_view asset) const {
  Bytes key(kSupplyPrefix);
  key.append(asset);
  return read_u64(reader_, key);
}

void Ledger::set_supply(std::string_view asset, uint64_t amount) {
  Bytes key(kSupplyPrefix);
  key.append(asset);
  writer().put(key, u64_be(amount));
}

std::vector<v1::AssetInfo> Ledger::assets() const {
  std::vector<v1::AssetInfo> out;
  reader_.scan(kAssetPrefix, [&](std::string_view, std::string_view value) {
    v1::AssetInfo info;
    if (info.ParseFromArray(value.data(), static_cast<int>(value.size())))
      out.push_back(std::move(info));
    return true;
  });
  return out;
}

v1::LedgerParams Ledger::params() const {
  auto v = reader_.get(kLedgerParamsKey);
  v1::LedgerParams p;
  if (!v || !p.ParseFromString(*v)) return default_ledger_params();
  return p;
}

void Ledger::set_params(const v1::LedgerParams& params) {
  writer().put(kLedgerParamsKey, params.SerializeAsString());
}

std::optional<uint64_t> Ledger::sum_balances(std::string_view asset) const {
  uint64_t total = 0;
  bool overflow = false;
  reader_.scan(kBalancePrefix, [&](std::string_view key, std::string_view value) {
    if (key.size() != kBalancePrefix.size() + crypto::Address::kSize + asset.size()) return true;
    if (key.substr(kBalancePrefix.size() + crypto::Address::kSize) != asset) return true;
    std::string_view in = value;
    uint64_t amount = 0;
    if (!get_u64_be(in, amount)) return true;
    auto next = checked_add(total, amount);
    if (!next) {
      overflow = true;
      return false;
    }
    total = *next;
    return true;
  });
  if (overflow) return std::nullopt;
  return total;
}

}  // namespace btt::ledger

#pragma once
// `bttd init`: a new node home with a config file, a genesis and a validator key.
#include <filesystem>
#include <optional>
#include <string>

#include "btt/common/status.h"

namespace btt::node {

struct InitOptions {
  std::filesystem::path home;
  std::string chain_id = "btt-devnet-1";
  bool dev = false;              // also a funded dev account key (keys/dev.json)
  uint64_t genesis_time_ms = 0;  // 0: now, rounded down to the second
  std::optional<std::string> grpc_addr;
};

struct InitResult {
  std::filesystem::path config;
  std::filesystem::path genesis;
  std::filesystem::path validator_key;
  std::optional<std::filesystem::path> dev_key;
  std::string validator_address;
  std::string dev_address;
};

// The dev account's genesis balance: 2,100,000 BTT (1% of the supply), spendable at once. The dev
// genesis carves it out of Community Incentives as a "genesis_accounts" category; the rest of
// the allocation is the default one (doc/tokenomics.md), so a dev net's totals are the real
// chain's.
inline constexpr uint64_t kDevAccountBalance = 2'100'000ULL * 100'000'000ULL;

// Refuses to touch a home that already has a genesis or config file.
[[nodiscard]] Result<InitResult> init_home(const InitOptions& options);

}  // namespace btt::node

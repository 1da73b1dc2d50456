#pragma once
// `bttd init`: a new node home with a config file, a genesis and a validator key.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "btt/common/status.h"

namespace btt::node {

struct InitOptions {
  std::filesystem::path home;
  std::string chain_id = "btt-devnet-1";
  bool dev = false;              // also a funded dev account key (keys/dev.json)
  uint64_t genesis_time_ms = 0;  // 0: now, rounded down to the second
  std::optional<std::string> grpc_addr;
  // An existing genesis file (e.g. from `bttd export`) to copy byte for byte instead of a new
  // one; chain_id, dev and genesis_time_ms then do not apply.
  std::optional<std::filesystem::path> genesis_file;
  // An existing validator key file to copy instead of a new key (a validator moving its key to
  // the chain started from an export).
  std::optional<std::filesystem::path> validator_key_file;
  // A staking section in the new genesis: the validator operates itself with kDevSelfStake of
  // genesis self stake (doc/staking.md "Dev and test nets").
  bool staking = false;
  // A governance section with dev periods (kDevGov* below); implies staking, whose bonded stake
  // is the voting power (doc/governance.md "Dev and test nets").
  bool governance = false;
  // A PayFi section with a dev settlement cycle (kDevPayFiCycleMs); the dev key (else the
  // validator) holds payment_gateway (doc/payfi.md "Dev and test nets").
  bool payfi = false;
  // An RWA section (default params); the dev key (else the validator) holds kyc_attester,
  // asset_valuer and price_oracle (doc/rwa.md "Dev and test nets").
  bool rwa = false;
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
// With --staking, each genesis validator's self stake: 100 BTT (power 100), a spendable genesis
// balance of its own address moved into the bonded pool at genesis, carved out of Community
// Incentives with the dev balance. Unbonding there takes 10 minutes of block time, not 21 days.
inline constexpr uint64_t kDevSelfStake = 100ULL * 100'000'000ULL;
// ... and 10 BTT beside it, spendable, so the operator can pay the fees of its staking txs.
inline constexpr uint64_t kDevFeeFloat = 10ULL * 100'000'000ULL;
inline constexpr uint64_t kDevUnbondingTimeMs = 600'000;
// With --governance: a proposal's deposit is 10 BTT, deposits may come for 10 minutes, votes for
// 1 minute (expedited: 20 s), and the Foundation acts directly (with a 1-minute veto window)
// until height 100,000.
inline constexpr uint64_t kDevGovMinDeposit = 10ULL * 100'000'000ULL;
inline constexpr uint64_t kDevGovDepositPeriodMs = 600'000;
inline constexpr uint64_t kDevGovVotingPeriodMs = 60'000;
inline constexpr uint64_t kDevGovFoundationSunsetHeight = 100'000;
// With --payfi: payees' pending balances settle every minute instead of every hour.
inline constexpr uint64_t kDevPayFiCycleMs = 60'000;

// Refuses to touch a home that already has a genesis or config file. Also writes the p2p node
// key (keys/node.json).
[[nodiscard]] Result<InitResult> init_home(const InitOptions& options);

// `bttd testnet`: homes DIR/node0..node{N+M-1} for a local network on 127.0.0.1 (doc/operator.md):
// one genesis listing the first N nodes as validators with equal power and a funded dev account
// (DIR/dev.json), each home with its own keys and a config with free gRPC and p2p ports, every
// validator as a persistent peer of every node, ban_ips off.
struct TestnetOptions {
  std::filesystem::path dir;
  uint32_t validators = 4;
  uint32_t non_validators = 0;
  std::string chain_id = "btt-testnet-1";
  uint32_t block_time_ms = 200;
  uint64_t timeout_propose_ms = 1000;
  uint64_t timeout_vote_ms = 500;  // prevote and precommit
  bool staking = false;            // as InitOptions::staking, for every validator
  bool governance = false;         // as InitOptions::governance
  bool payfi = false;              // as InitOptions::payfi
  bool rwa = false;                // as InitOptions::rwa
};

struct TestnetNode {
  std::filesystem::path home;
  std::string grpc_addr;
  std::string p2p_addr;           // NODE_ID@127.0.0.1:PORT
  std::string validator_address;  // empty for a non-validator
};

[[nodiscard]] Result<std::vector<TestnetNode>> init_testnet(const TestnetOptions& options);

}  // namespace btt::node

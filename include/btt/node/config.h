#pragma once
// The node's configuration: HOME/config.toml (doc/operator.md lists every key), overridden by
// command-line flags.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "btt/common/status.h"

namespace btt::node {

inline constexpr std::string_view kDefaultGrpcAddr = "127.0.0.1:9740";

struct Config {
  std::filesystem::path home;
  std::string moniker = "bttd";

  std::string grpc_addr = std::string(kDefaultGrpcAddr);
  uint32_t grpc_max_message_bytes = 4u << 20;
  uint32_t grpc_max_streams = 64;  // concurrent block/event streams

  uint32_t block_time_ms = 1000;
  bool create_empty_blocks = true;
  // With create_empty_blocks = false: a block anyway once this long has passed since the last
  // one (0: never). doc/consensus.md, "Empty blocks".
  uint64_t create_empty_blocks_interval_ms = 0;
  std::string validator_key_file = "keys/validator.json";  // relative to home
  // Step timeouts of multi-validator consensus: base + round * delta (doc/consensus.md).
  uint64_t timeout_propose_ms = 3000;
  uint64_t timeout_propose_delta_ms = 500;
  uint64_t timeout_prevote_ms = 1000;
  uint64_t timeout_prevote_delta_ms = 500;
  uint64_t timeout_precommit_ms = 1000;
  uint64_t timeout_precommit_delta_ms = 500;

  // [p2p]: off while listen_addr is empty (a single validator producing alone).
  std::string p2p_listen_addr;
  std::vector<std::string> p2p_persistent_peers;  // NODE_ID@HOST:PORT
  uint32_t p2p_max_inbound = 40;
  uint32_t p2p_max_outbound = 10;
  bool p2p_ban_ips = true;
  bool p2p_pex = true;
  std::string node_key_file = "keys/node.json";  // relative to home

  size_t mempool_max_txs = 20000;
  size_t mempool_max_bytes = 64u << 20;
  uint64_t mempool_max_nonce_gap = 64;

  bool storage_sync_writes = true;
  size_t storage_block_cache_mb = 256;

  std::string log_level = "info";
  // Command line only (bttd start --wal-discard-corrupt): open a consensus WAL that is corrupt in
  // the middle by keeping the records before the corruption (doc/operator.md).
  bool wal_discard_corrupt = false;
  // Software upgrades (doc/governance.md "Software upgrades"). The plan names the binary handles
  // (compiled in, never from the config file), and those the operator skips by
  // `bttd start --unsafe-skip-upgrade NAME`: the node then applies the plan's height with this
  // binary, as every other node must, or the chain forks.
  std::vector<std::string> handled_upgrades;
  std::vector<std::string> skipped_upgrades;

  [[nodiscard]] std::filesystem::path genesis_path() const { return home / "genesis.json"; }
  [[nodiscard]] std::filesystem::path data_dir() const { return home / "data"; }
  [[nodiscard]] std::filesystem::path config_path() const { return home / "config.toml"; }
  [[nodiscard]] std::filesystem::path validator_key_path() const;
  [[nodiscard]] std::filesystem::path node_key_path() const;
  [[nodiscard]] std::filesystem::path signer_state_path() const {
    return data_dir() / "signer_state";
  }
  [[nodiscard]] std::filesystem::path consensus_wal_path() const { return data_dir() / "cs.wal"; }
  // Written when the node stops for an upgrade: {"name", "height", "info"} of the plan.
  [[nodiscard]] std::filesystem::path upgrade_info_path() const {
    return data_dir() / "upgrade-info.json";
  }
  [[nodiscard]] bool p2p_enabled() const { return !p2p_listen_addr.empty(); }

  // Reads HOME/config.toml; a missing file gives the defaults. Unknown keys and bad values are
  // refused with the key's name.
  [[nodiscard]] static Result<Config> load(const std::filesystem::path& home);
  [[nodiscard]] std::string to_toml() const;
  [[nodiscard]] Status validate() const;
};

// "HOST:PORT" with a numeric port 1..65535.
[[nodiscard]] bool is_valid_host_port(std::string_view addr);

}  // namespace btt::node

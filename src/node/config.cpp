#include "btt/node/config.h"

#include <charconv>
#include <cstdint>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <type_traits>

#include <toml.hpp>

namespace btt::node {

bool is_valid_host_port(std::string_view addr) {
  auto colon = addr.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  auto port = addr.substr(colon + 1);
  unsigned value = 0;
  auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  return ec == std::errc() && p == port.data() + port.size() && value >= 1 && value <= 65535;
}

std::filesystem::path Config::validator_key_path() const {
  std::filesystem::path p(validator_key_file);
  return p.is_absolute() ? p : home / p;
}

std::filesystem::path Config::node_key_path() const {
  std::filesystem::path p(node_key_file);
  return p.is_absolute() ? p : home / p;
}

Status Config::validate() const {
  auto bad = [](const std::string& key, const std::string& what) {
    return Status(Code::kInvalidArgument, "config: " + key + ": " + what);
  };
  if (!is_valid_host_port(grpc_addr))
    return bad("grpc.addr", "'" + grpc_addr + "' is not HOST:PORT");
  if (block_time_ms < 10 || block_time_ms > 600000)
    return bad("consensus.block_time_ms", "must be in [10, 600000]");
  if (create_empty_blocks_interval_ms > 86'400'000)
    return bad("consensus.create_empty_blocks_interval_ms", "must be in [0, 86400000]");
  if (validator_key_file.empty()) return bad("consensus.validator_key_file", "must not be empty");
  if (node_key_file.empty()) return bad("p2p.node_key_file", "must not be empty");
  if (mempool_max_txs < 1 || mempool_max_txs > 10'000'000) {
    return bad("mempool.max_txs", "must be in [1, 10000000]");
  }
  if (mempool_max_bytes < 1024 || mempool_max_bytes > (uint64_t{16} << 30)) {
    return bad("mempool.max_bytes", "must be in [1024, 17179869184]");
  }
  if (grpc_max_message_bytes < 65536 || grpc_max_message_bytes > (256u << 20)) {
    return bad("grpc.max_message_bytes", "must be in [65536, 268435456]");
  }
  if (grpc_max_streams < 1 || grpc_max_streams > 10000)
    return bad("grpc.max_streams", "must be in [1, 10000]");
  if (mempool_max_nonce_gap < 1 || mempool_max_nonce_gap > 100000) {
    return bad("mempool.max_nonce_gap", "must be in [1, 100000]");
  }
  if (storage_block_cache_mb < 8 || storage_block_cache_mb > (1u << 20)) {
    return bad("storage.block_cache_mb", "must be in [8, 1048576]");
  }
  for (auto [name, v] : {std::pair{"consensus.timeout_propose_ms", timeout_propose_ms},
                         {"consensus.timeout_prevote_ms", timeout_prevote_ms},
                         {"consensus.timeout_precommit_ms", timeout_precommit_ms}}) {
    if (v < 10 || v > 600000) return bad(name, "must be in [10, 600000]");
  }
  for (auto [name, v] : {std::pair{"consensus.timeout_propose_delta_ms", timeout_propose_delta_ms},
                         {"consensus.timeout_prevote_delta_ms", timeout_prevote_delta_ms},
                         {"consensus.timeout_precommit_delta_ms", timeout_precommit_delta_ms}}) {
    if (v > 600000) return bad(name, "must be in [0, 600000]");
  }
  if (!p2p_listen_addr.empty() && !is_valid_host_port(p2p_listen_addr) &&
      !(p2p_listen_addr.size() > 2 && p2p_listen_addr.ends_with(":0"))) {
    return bad("p2p.listen_addr", "'" + p2p_listen_addr + "' is not HOST:PORT");
  }
  for (const auto& peer : p2p_persistent_peers) {
    auto at = peer.find('@');
    if (at == std::string::npos || !is_valid_host_port(std::string_view(peer).substr(at + 1))) {
      return bad("p2p.persistent_peers", "'" + peer + "' is not NODE_ID@HOST:PORT");
    }
  }
  if (p2p_max_inbound > 1000) return bad("p2p.max_inbound", "must be in [0, 1000]");
  if (p2p_max_outbound > 1000) return bad("p2p.max_outbound", "must be in [0, 1000]");
  if (moniker.empty() || moniker.size() > 64) return bad("node.moniker", "must be 1-64 characters");
  static const std::set<std::string> kLevels = {"trace", "debug",    "info", "warn",
                                                "error", "critical", "off"};
  if (!kLevels.count(log_level))
    return bad("log.level",
               "'" + log_level + "' is not one of trace, debug, info, warn, error, critical, off");
  return Status::ok();
}

namespace {
// A value of the wrong type or range in the file; the message names the key.
struct KeyError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

template <typename T>
const char* type_name() {
  if constexpr (std::is_same_v<T, bool>) {
    return "true or false";
  } else if constexpr (std::is_integral_v<T>) {
    return "an integer";
  } else if constexpr (std::is_same_v<T, std::string>) {
    return "a string";
  } else {
    return "an array of strings";
  }
}

// A present key must have the right type (KeyError naming it otherwise); an absent key keeps
// the default.
template <typename T>
T get_or(const toml::value& data, const char* table, const char* key, T fallback) {
  if (!data.contains(table)) return fallback;
  const auto& t = toml::find(data, table);
  if (!t.contains(key)) return fallback;
  const std::string name = std::string(table) + "." + key;
  if constexpr (std::is_integral_v<T> && std::is_unsigned_v<T> && !std::is_same_v<T, bool>) {
    if (!toml::find(t, key).is_integer()) throw KeyError(name + ": must be " + type_name<T>());
    // toml11 would wrap a negative integer into a huge unsigned one.
    const auto v = toml::find<std::int64_t>(t, key);
    if (v < 0 || static_cast<uint64_t>(v) > std::numeric_limits<T>::max()) {
      throw KeyError(name + " = " + std::to_string(v) + " is out of range");
    }
    return static_cast<T>(v);
  } else {
    try {
      return toml::find<T>(t, key);
    } catch (const std::exception&) {
      throw KeyError(name + ": must be " + type_name<T>());
    }
  }
}
}  // namespace

Result<Config> Config::load(const std::filesystem::path& home) {
  Config c;
  c.home = home;
  std::error_code ec;
  if (!std::filesystem::exists(c.config_path(), ec)) return c;
  try {
    const auto data = toml::parse(c.config_path().string());
    static const std::map<std::string, std::set<std::string>> kKnown = {
        {"node", {"moniker"}},
        {"grpc", {"addr", "max_message_bytes", "max_streams"}},
        {"consensus",
         {"block_time_ms", "create_empty_blocks", "create_empty_blocks_interval_ms",
          "validator_key_file", "timeout_propose_ms", "timeout_propose_delta_ms",
          "timeout_prevote_ms", "timeout_prevote_delta_ms", "timeout_precommit_ms",
          "timeout_precommit_delta_ms"}},
        {"p2p",
         {"listen_addr", "persistent_peers", "max_inbound", "max_outbound", "ban_ips", "pex",
          "node_key_file"}},
        {"mempool", {"max_txs", "max_bytes", "max_nonce_gap"}},
        {"storage", {"sync_writes", "block_cache_mb"}},
        {"log", {"level"}},
    };
    for (const auto& [table, value] : data.as_table()) {
      auto it = kKnown.find(table);
      if (it == kKnown.end() || !value.is_table()) {
        return Status(Code::kInvalidArgument, "config: unknown section [" + table + "]");
      }
      for (const auto& [key, _] : value.as_table()) {
        if (!it->second.count(key)) {
          return Status(Code::kInvalidArgument, "config: unknown key " + table + "." + key);
        }
      }
    }
    c.moniker = get_or<std::string>(data, "node", "moniker", c.moniker);
    c.grpc_addr = get_or<std::string>(data, "grpc", "addr", c.grpc_addr);
    c.grpc_max_message_bytes =
        get_or<uint32_t>(data, "grpc", "max_message_bytes", c.grpc_max_message_bytes);
    c.grpc_max_streams = get_or<uint32_t>(data, "grpc", "max_streams", c.grpc_max_streams);
    c.block_time_ms = get_or<uint32_t>(data, "consensus", "block_time_ms", c.block_time_ms);
    c.create_empty_blocks =
        get_or<bool>(data, "consensus", "create_empty_blocks", c.create_empty_blocks);
    c.create_empty_blocks_interval_ms = get_or<uint64_t>(
        data, "consensus", "create_empty_blocks_interval_ms", c.create_empty_blocks_interval_ms);
    c.validator_key_file =
        get_or<std::string>(data, "consensus", "validator_key_file", c.validator_key_file);
    c.timeout_propose_ms =
        get_or<uint64_t>(data, "consensus", "timeout_propose_ms", c.timeout_propose_ms);
    c.timeout_propose_delta_ms =
        get_or<uint64_t>(data, "consensus", "timeout_propose_delta_ms", c.timeout_propose_delta_ms);
    c.timeout_prevote_ms =
        get_or<uint64_t>(data, "consensus", "timeout_prevote_ms", c.timeout_prevote_ms);
    c.timeout_prevote_delta_ms =
        get_or<uint64_t>(data, "consensus", "timeout_prevote_delta_ms", c.timeout_prevote_delta_ms);
    c.timeout_precommit_ms =
        get_or<uint64_t>(data, "consensus", "timeout_precommit_ms", c.timeout_precommit_ms);
    c.timeout_precommit_delta_ms = get_or<uint64_t>(data, "consensus", "timeout_precommit_delta_ms",
                                                    c.timeout_precommit_delta_ms);
    c.p2p_listen_addr = get_or<std::string>(data, "p2p", "listen_addr", c.p2p_listen_addr);
    c.p2p_persistent_peers =
        get_or<std::vector<std::string>>(data, "p2p", "persistent_peers", c.p2p_persistent_peers);
    c.p2p_max_inbound = get_or<uint32_t>(data, "p2p", "max_inbound", c.p2p_max_inbound);
    c.p2p_max_outbound = get_or<uint32_t>(data, "p2p", "max_outbound", c.p2p_max_outbound);
    c.p2p_ban_ips = get_or<bool>(data, "p2p", "ban_ips", c.p2p_ban_ips);
    c.p2p_pex = get_or<bool>(data, "p2p", "pex", c.p2p_pex);
    c.node_key_file = get_or<std::string>(data, "p2p", "node_key_file", c.node_key_file);
    c.mempool_max_txs = get_or<size_t>(data, "mempool", "max_txs", c.mempool_max_txs);
    c.mempool_max_bytes = get_or<size_t>(data, "mempool", "max_bytes", c.mempool_max_bytes);
    c.mempool_max_nonce_gap =
        get_or<uint64_t>(data, "mempool", "max_nonce_gap", c.mempool_max_nonce_gap);
    c.storage_sync_writes = get_or<bool>(data, "storage", "sync_writes", c.storage_sync_writes);
    c.storage_block_cache_mb =
        get_or<size_t>(data, "storage", "block_cache_mb", c.storage_block_cache_mb);
    c.log_level = get_or<std::string>(data, "log", "level", c.log_level);
  } catch (const KeyError& e) {
    return Status(Code::kInvalidArgument, std::string("config: ") + e.what());
  } catch (const std::exception& e) {
    return Status(Code::kInvalidArgument,
                  "config: cannot read " + c.config_path().string() + ": " + e.what());
  }
  if (auto s = c.validate(); !s) return s;
  return c;
}

std::string Config::to_toml() const {
  std::ostringstream o;
  o << "# bttd configuration (doc/operator.md). Command-line flags override these values.\n\n"
    << "[node]\nmoniker = \"" << moniker << "\"\n\n"
    << "[grpc]\n# Address of the gRPC API. Keep it on 127.0.0.1 unless a proxy guards it.\n"
    << "addr = \"" << grpc_addr << "\"\nmax_message_bytes = " << grpc_max_message_bytes
    << "\nmax_streams = " << grpc_max_streams << "\n\n"
    << "[consensus]\nblock_time_ms = " << block_time_ms
    << "\n# false: no block while the mempool is empty (doc/consensus.md, \"Empty blocks\");\n"
    << "# then an empty block anyway every create_empty_blocks_interval_ms (0: never).\n"
    << "create_empty_blocks = " << (create_empty_blocks ? "true" : "false")
    << "\ncreate_empty_blocks_interval_ms = " << create_empty_blocks_interval_ms
    << "\nvalidator_key_file = \"" << validator_key_file << "\"\n"
    << "# Step timeouts of multi-validator consensus: base + round * delta.\n"
    << "timeout_propose_ms = " << timeout_propose_ms
    << "\ntimeout_propose_delta_ms = " << timeout_propose_delta_ms
    << "\ntimeout_prevote_ms = " << timeout_prevote_ms
    << "\ntimeout_prevote_delta_ms = " << timeout_prevote_delta_ms
    << "\ntimeout_precommit_ms = " << timeout_precommit_ms
    << "\ntimeout_precommit_delta_ms = " << timeout_precommit_delta_ms << "\n\n"
    << "[p2p]\n# Empty: no networking (a single validator producing alone).\nlisten_addr = \""
    << p2p_listen_addr << "\"\n# NODE_ID@HOST:PORT of peers to keep connected to.\n"
    << "persistent_peers = [";
  for (size_t i = 0; i < p2p_persistent_peers.size(); ++i) {
    o << (i ? ", " : "") << "\"" << p2p_persistent_peers[i] << "\"";
  }
  o << "]\nmax_inbound = " << p2p_max_inbound << "\nmax_outbound = " << p2p_max_outbound
    << "\n# Ban a misbehaving peer's IP too (false when several nodes share one host).\nban_ips = "
    << (p2p_ban_ips ? "true" : "false") << "\npex = " << (p2p_pex ? "true" : "false")
    << "\nnode_key_file = \"" << node_key_file << "\"\n\n"
    << "[mempool]\nmax_txs = " << mempool_max_txs << "\nmax_bytes = " << mempool_max_bytes
    << "\nmax_nonce_gap = " << mempool_max_nonce_gap << "\n\n"
    << "[storage]\n# fsync the write-ahead log at every block commit.\nsync_writes = "
    << (storage_sync_writes ? "true" : "false") << "\nblock_cache_mb = " << storage_block_cache_mb
    << "\n\n"
    << "[log]\n# trace, debug, info, warn, error, critical, off\nlevel = \"" << log_level << "\"\n";
  return o.str();
}

}  // namespace btt::node

#include "btt/node/init.h"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstring>

#include <nlohmann/json.hpp>

#include "btt/chain/genesis.h"
#include "btt/crypto/keyfile.h"
#include "btt/ledger/ledger.h"
#include "btt/modules/tokenomics/genesis.h"
#include "btt/node/config.h"

namespace btt::node {
namespace {

Status write_new_file(const std::filesystem::path& path, const std::string& content, int mode) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0)
    return Status(Code::kInvalidArgument,
                  "cannot create " + path.string() + ": " + std::strerror(errno));
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n <= 0) {
      ::close(fd);
      return Status(Code::kStorage, "cannot write " + path.string());
    }
    done += static_cast<size_t>(n);
  }
  ::fsync(fd);
  ::close(fd);
  return Status::ok();
}

}  // namespace

Result<InitResult> init_home(const InitOptions& options) {
  Config config;
  config.home = options.home;
  if (options.grpc_addr) config.grpc_addr = *options.grpc_addr;
  if (auto s = config.validate(); !s) return s;
  std::error_code ec;
  for (const auto& p : {config.genesis_path(), config.config_path()}) {
    if (std::filesystem::exists(p, ec)) {
      return Status(Code::kInvalidArgument, options.home.string() + " is already initialized (" +
                                                p.string() + " exists); use another --home");
    }
  }
  InitResult out;
  out.config = config.config_path();
  out.genesis = config.genesis_path();
  out.validator_key = config.validator_key_path();
  if (options.dev) out.dev_key = options.home / "keys" / "dev.json";
  for (const auto& p : {std::optional(out.validator_key), out.dev_key}) {
    if (p && std::filesystem::exists(*p, ec)) {
      return Status(Code::kInvalidArgument, options.home.string() + " already holds " +
                                                p->string() + "; use another --home");
    }
  }

  // Everything is generated and validated first, so a refused init writes nothing.
  auto validator = crypto::KeyPair::generate();
  out.validator_address = validator.address.to_string();
  std::optional<crypto::KeyPair> dev;
  if (options.dev) {
    dev = crypto::KeyPair::generate();
    out.dev_address = dev->address.to_string();
  }

  uint64_t time_ms = options.genesis_time_ms;
  if (time_ms == 0) {
    auto now = std::chrono::duration_cast<std::chrono::seconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
    time_ms = static_cast<uint64_t>(now) * 1000;
  }

  nlohmann::json g;
  g["chain_id"] = options.chain_id;
  g["genesis_time"] = chain::format_rfc3339_ms(time_ms);
  g["params"] = {{"min_fee", std::to_string(ledger::default_ledger_params().min_fee())}};
  g["validators"] = {{{"name", "validator-0"},
                      {"address", validator.address.to_string()},
                      {"public_key", to_hex(validator.public_key)},
                      {"power", "10"}}};
  g["accounts"] = nlohmann::json::array();
  if (dev) {
    g["accounts"].push_back(
        {{"address", dev->address.to_string()},
         {"balances", {{{"asset", "BTT"}, {"amount", std::to_string(kDevAccountBalance)}}}}});
  }
  // Vesting and Foundation tokens go to the validator's address (a real network replaces the
  // beneficiaries before it starts); on a dev net the dev key approves milestones.
  g["modules"]["tokenomics"] = modules::tokenomics::to_json(modules::tokenomics::default_genesis(
      time_ms / 1000, validator.address, dev ? dev->address : validator.address,
      dev ? kDevAccountBalance : 0));
  std::string genesis_text = g.dump(2) + "\n";
  // Validate what we write exactly as `bttd start` will read it.
  auto registry = chain::make_default_registry();
  if (auto parsed = chain::Genesis::parse(genesis_text, *registry); !parsed) return parsed.status();

  std::filesystem::create_directories(options.home / "keys", ec);
  if (ec)
    return Status(Code::kStorage, "cannot create " + options.home.string() + ": " + ec.message());
  std::filesystem::permissions(options.home / "keys", std::filesystem::perms::owner_all, ec);
  if (auto s = crypto::write_key_file(out.validator_key, validator); !s) return s;
  if (dev) {
    if (auto s = crypto::write_key_file(*out.dev_key, *dev); !s) return s;
  }
  if (auto s = write_new_file(out.genesis, genesis_text, 0644); !s) return s;
  if (auto s = write_new_file(out.config, config.to_toml(), 0644); !s) return s;
  return out;
}

}  // namespace btt::node

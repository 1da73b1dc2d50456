// Argument parsing shared by the commands, and Context.
#include <charconv>

#include "app/cli/commands.h"
#include "btt/common/bytes.h"
#include "btt/crypto/address.h"

namespace btt::cli {

Client& Context::client() {
  if (!client_) {
    auto ms = static_cast<int64_t>(options_.timeout_s * 1000.0);
    client_ = std::make_unique<Client>(options_.node, std::chrono::milliseconds(ms));
  }
  return *client_;
}

bool is_all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

uint64_t parse_u64(std::string_view text, std::string_view what) {
  if (!is_all_digits(text)) {
    throw UsageError(std::string(what) + " must be a non-negative integer, got '" +
                     std::string(text) + "'");
  }
  uint64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size()) {
    throw UsageError(std::string(what) + " '" + std::string(text) + "' is out of range");
  }
  return v;
}

uint64_t parse_amount(std::string_view text, std::string_view what) {
  if (!is_all_digits(text)) {
    throw UsageError(std::string(what) + " must be a positive integer number of base units " +
                     "(1 BTT = 100000000 units), got '" + std::string(text) + "'");
  }
  uint64_t v = parse_u64(text, what);
  if (v == 0) throw UsageError(std::string(what) + " must be positive, got 0");
  return v;
}

std::string parse_address(std::string_view text, std::string_view what) {
  auto addr = crypto::Address::parse(text);
  if (!addr) {
    throw UsageError(std::string(what) + " '" + std::string(text) +
                     "' is not a valid btt address (bech32m, btt1...)");
  }
  return addr->to_string();
}

std::string parse_hash_hex(std::string_view text, std::string_view what) {
  auto raw = text.size() == 64 ? from_hex(text) : std::nullopt;
  if (!raw) {
    throw UsageError(std::string(what) + " must be 64 hex characters, got '" + std::string(text) +
                     "'");
  }
  return *raw;
}

crypto::KeyPair load_key(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    throw CommandError("key file " + path.string() + " does not exist");
  }
  auto key = crypto::read_key_file(path);
  if (!key) {
    throw CommandError("cannot read key file " + path.string() + ": " + key.status().message());
  }
  return std::move(key).value();
}

}  // namespace btt::cli

#pragma once
// Key files for validators and wallets: JSON, written with mode 0600.
//   {"type": "bip340-secp256k1", "secret_key": "<64 hex>", "public_key": "<64 hex>",
//    "address": "btt1..."}
// Reading checks that public key and address match the secret key.
#include <filesystem>
#include <string>

#include "btt/common/status.h"
#include "btt/crypto/address.h"
#include "btt/crypto/keys.h"

namespace btt::crypto {

struct KeyPair {
  SecretKey secret_key;
  XOnlyPublicKey public_key;
  Address address;

  [[nodiscard]] static KeyPair generate();
  // nullopt if the secret key is invalid.
  [[nodiscard]] static std::optional<KeyPair> from_secret(const SecretKey& sk);
};

// Refuses to overwrite an existing file. Creates parent directories. The file is created with
// mode 0600 (never readable by others, even briefly).
[[nodiscard]] Status write_key_file(const std::filesystem::path& path, const KeyPair& key);
[[nodiscard]] Result<KeyPair> read_key_file(const std::filesystem::path& path);

}  // namespace btt::crypto

#pragma once
// bech32m (BIP350) and bttd addresses: bech32m with HRP "btt" over the first 20 bytes of
// SHA-256 of the 32-byte x-only public key.
#include <array>
#include <compare>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "btt/common/bytes.h"
#include "btt/crypto/keys.h"

namespace btt::crypto {

inline constexpr std::string_view kAddressHrp = "btt";

struct Bech32Decoded {
  std::string hrp;             // lower case
  std::vector<uint8_t> data5;  // 5-bit groups, checksum removed
};

// Encodes 5-bit groups with a bech32m checksum; the result is lower case. Returns an empty string
// for input bech32m_decode would refuse (empty HRP, HRP character outside 33..126, a value > 31,
// or a result longer than 90 characters).
[[nodiscard]] std::string bech32m_encode(std::string_view hrp, const std::vector<uint8_t>& data5);
// Full BIP350 validation: length <= 90, HRP characters 33..126, no mixed case, valid charset,
// bech32m checksum. nullopt on any failure.
[[nodiscard]] std::optional<Bech32Decoded> bech32m_decode(std::string_view str);
// Regroups bits (8 -> 5 with padding, 5 -> 8 without); nullopt on invalid padding.
[[nodiscard]] std::optional<std::vector<uint8_t>> convert_bits(const std::vector<uint8_t>& in,
                                                               int from_bits, int to_bits,
                                                               bool pad);

class Address {
 public:
  static constexpr size_t kSize = 20;
  Address() { bytes_.fill(0); }
  explicit Address(const std::array<uint8_t, kSize>& b) : bytes_(b) {}

  [[nodiscard]] static Address from_public_key(const XOnlyPublicKey& pk);
  // A module account's address: first 20 bytes of tagged_hash(kTagModuleAccount, name). No key
  // exists for it, so only module code can move its funds.
  [[nodiscard]] static Address for_module(std::string_view name);
  // Parses "btt1..." (lower or upper case, not mixed); nullopt for any other HRP, length,
  // checksum or payload size.
  [[nodiscard]] static std::optional<Address> parse(std::string_view text);
  // Exactly 20 raw bytes.
  [[nodiscard]] static std::optional<Address> from_bytes(std::string_view raw);

  [[nodiscard]] std::string to_string() const;  // bech32m, lower case
  // The canonical (lower-case) spelling of an address string that parse() accepted; cheaper than
  // parse(text)->to_string() on hot paths.
  [[nodiscard]] static std::string canonical(std::string_view parsed_text);
  // Decodes the payload of a canonical address string this node produced itself (an event
  // attribute written from a parsed Address) without re-checking its checksum. nullopt for any
  // string that does not have the shape of one. Never use it on outside input: use parse().
  [[nodiscard]] static std::optional<Address> from_own_canonical(std::string_view text);
  [[nodiscard]] std::string_view raw() const { return as_view(bytes_); }
  [[nodiscard]] const std::array<uint8_t, kSize>& bytes() const { return bytes_; }
  auto operator<=>(const Address&) const = default;

 private:
  std::array<uint8_t, kSize> bytes_;
};

}  // namespace btt::crypto

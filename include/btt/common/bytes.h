#pragma once
// Byte strings, hex and big-endian integer codecs used by every layer.
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace btt {

using Bytes = std::string;  // raw bytes; std::string so protobuf and RocksDB take them as they are
using Hash32 = std::array<uint8_t, 32>;

[[nodiscard]] std::string to_hex(std::string_view bytes);
[[nodiscard]] std::string to_hex(std::span<const uint8_t> bytes);
// Accepts upper or lower case; refuses odd length and non-hex characters.
[[nodiscard]] std::optional<Bytes> from_hex(std::string_view hex);

[[nodiscard]] inline std::string_view as_view(std::span<const uint8_t> b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}
[[nodiscard]] inline Bytes to_bytes(const Hash32& h) {
  return Bytes(as_view(h));
}
// Copies exactly 32 bytes; nullopt for any other size.
[[nodiscard]] std::optional<Hash32> to_hash32(std::string_view b);

void put_u32_be(Bytes& out, uint32_t v);
void put_u64_be(Bytes& out, uint64_t v);
// Reads from the front of `in` and advances it; false if too short.
[[nodiscard]] bool get_u32_be(std::string_view& in, uint32_t& v);
[[nodiscard]] bool get_u64_be(std::string_view& in, uint64_t& v);
[[nodiscard]] Bytes u64_be(uint64_t v);

}  // namespace btt

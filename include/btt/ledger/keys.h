#pragma once
// The one state key codec (DESIGN.md "State keys are big-endian and prefixed per module"). A key
// is the module's prefix ("cmp/"), a table name ending in '/' ("job/"), then typed fields:
//   u64      8 bytes big-endian, so byte order is numeric order
//   addr     the 20 raw address bytes
//   str      the bytes, then a NUL terminator (names never hold NUL), so "a" sorts before "ab"
//            and a shorter name is never a prefix match of a longer one's key
//   last_str the bytes without terminator, only as a key's final field
// RocksDB's byte order is then the canonical order of every table. Keepers build every key with
// it; nobody concatenates key bytes by hand.
#include <string_view>

#include "btt/common/bytes.h"
#include "btt/crypto/address.h"

namespace btt::ledger {

class StateKey {
 public:
  // `prefix` is the module's, with its slash: "cmp/".
  explicit StateKey(std::string_view prefix) : bytes_(prefix) {}
  // A table: "job" becomes "job/".
  StateKey& table(std::string_view name) {
    bytes_.append(name);
    bytes_.push_back('/');
    return *this;
  }
  StateKey& u64(uint64_t v) {
    put_u64_be(bytes_, v);
    return *this;
  }
  StateKey& addr(const crypto::Address& a) {
    bytes_.append(a.raw());
    return *this;
  }
  StateKey& str(std::string_view s) {
    bytes_.append(s);
    bytes_.push_back('\0');
    return *this;
  }
  StateKey& last_str(std::string_view s) {
    bytes_.append(s);
    return *this;
  }
  [[nodiscard]] const Bytes& bytes() const { return bytes_; }
  operator Bytes() const { return bytes_; }  // NOLINT(google-explicit-constructor)

 private:
  Bytes bytes_;
};

// Reads fields back from a key found by a prefix scan, in the order they were written.
class KeyReader {
 public:
  // `key` without the prefix the scan was given.
  explicit KeyReader(std::string_view rest) : in_(rest) {}
  [[nodiscard]] bool u64(uint64_t& v) { return get_u64_be(in_, v); }
  [[nodiscard]] bool addr(crypto::Address& a);
  [[nodiscard]] bool str(std::string& s);
  [[nodiscard]] std::string_view rest() const { return in_; }
  [[nodiscard]] bool done() const { return in_.empty(); }

 private:
  std::string_view in_;
};

}  // namespace btt::ledger

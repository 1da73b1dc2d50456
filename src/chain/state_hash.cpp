#include "btt/chain/state_hash.h"

#include "btt/crypto/hash.h"

namespace btt::chain {
namespace {

class WriteSetCommitment final : public StateCommitment {
 public:
  Hash32 next(const Hash32& prev, uint64_t height, const WriteSet& writes) const override {
    Bytes buf;
    size_t size = 40;
    for (const auto& [k, v] : writes) size += 9 + k.size() + (v ? v->size() : 0);
    buf.reserve(size);
    buf.append(as_view(prev));
    put_u64_be(buf, height);
    for (const auto& [key, value] : writes) {
      put_u32_be(buf, static_cast<uint32_t>(key.size()));
      buf.append(key);
      if (!value) {
        buf.push_back('\x00');
      } else {
        buf.push_back('\x01');
        put_u32_be(buf, static_cast<uint32_t>(value->size()));
        buf.append(*value);
      }
    }
    return crypto::tagged_hash(crypto::kTagState, buf);
  }
};

}  // namespace

std::unique_ptr<StateCommitment> make_write_set_commitment() {
  return std::make_unique<WriteSetCommitment>();
}

}  // namespace btt::chain

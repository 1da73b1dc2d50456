#include "btt/node/part_collector.h"

namespace btt::node {

Status PartCollector::add_header(const v1::Proposal& header, bool checked) {
  if (!header.block().empty()) {
    return Status(Code::kInvalidArgument, "proposal header carries its block inline");
  }
  const uint64_t h = header.height();
  if (checked ? h != height_ : h != height_ + 1) {
    return Status(Code::kInvalidArgument, "proposal header for height " + std::to_string(h) +
                                              " (collecting " + std::to_string(height_) + ")");
  }
  Key key{h, header.round(), header.parts().root()};
  if (entries_.count(key)) {
    return Status(Code::kAlreadyExists, "proposal header known already");
  }
  auto parts = chain::PartAssembler::create(header.parts(), limits_.max_parts);
  if (!parts) return parts.status();
  const uint64_t declared = uint64_t{header.parts().total()} * chain::kBlockPartBytes;
  size_t in_round = 0;
  for (auto it = entries_.lower_bound({h, header.round(), Bytes()});
       it != entries_.end() && std::get<0>(it->first) == h &&
       std::get<1>(it->first) == header.round();
       ++it) {
    ++in_round;
  }
  if (in_round >= limits_.max_per_round) {
    return Status(Code::kLimitExceeded, "round " + std::to_string(header.round()) + " holds " +
                                            std::to_string(in_round) + " proposal headers");
  }
  if (entries_.size() >= limits_.max_entries) {
    return Status(Code::kLimitExceeded, "proposal headers full");
  }
  if (!checked && unchecked_ >= limits_.max_unchecked) {
    return Status(Code::kLimitExceeded, "next-height proposal headers full");
  }
  if (declared_bytes_ + declared > limits_.max_bytes) {
    return Status(Code::kLimitExceeded, "proposal parts buffer full");
  }
  Entry entry{header, std::move(*parts), declared, checked};
  entries_.emplace(std::move(key), std::move(entry));
  declared_bytes_ += declared;
  if (!checked) ++unchecked_;
  return Status::ok();
}

Result<std::optional<v1::Proposal>> PartCollector::add_part(const v1::BlockPart& part) {
  bool any = false;
  Status last(Code::kNotFound, "no proposal header for the part");
  for (auto it = entries_.lower_bound({part.height(), part.round(), Bytes()});
       it != entries_.end() && std::get<0>(it->first) == part.height() &&
       std::get<1>(it->first) == part.round();
       ++it) {
    any = true;
    Entry& entry = it->second;
    if (!entry.parts) {
      last = Status(Code::kAlreadyExists, "proposal assembled already");
      continue;
    }
    Status s = entry.parts->add_part(part);
    if (s.code() == Code::kAlreadyExists) {
      last = s;
      continue;
    }
    if (!s) {
      if (last.code() != Code::kAlreadyExists) last = s;
      continue;
    }
    // Held by the first header it verifies against (another header with the same root is
    // another key only if the root differs, so the part cannot verify there too).
    if (entry.parts->complete() && entry.checked && part.height() == height_) {
      return hand_out(entry);
    }
    return std::optional<v1::Proposal>();
  }
  if (!any) return Status(Code::kNotFound, "no proposal header for the part");
  return last;
}

std::vector<v1::Proposal> PartCollector::start_height(
    uint64_t height, const std::function<bool(const v1::Proposal&)>& check) {
  height_ = height;
  std::vector<v1::Proposal> complete;
  for (auto it = entries_.begin(); it != entries_.end();) {
    const uint64_t h = std::get<0>(it->first);
    Entry& entry = it->second;
    if (h < height) {
      erase(it++);
      continue;
    }
    if (h == height && !entry.checked) {
      if (!check(entry.header)) {
        erase(it++);
        continue;
      }
      entry.checked = true;
      --unchecked_;
    }
    if (h == height && entry.parts && entry.parts->complete()) {
      if (auto p = hand_out(entry)) complete.push_back(std::move(*p));
    }
    ++it;
  }
  return complete;
}

void PartCollector::erase(std::map<Key, Entry>::iterator it) {
  declared_bytes_ -= it->second.declared_bytes;
  if (!it->second.checked) --unchecked_;
  entries_.erase(it);
}

std::optional<v1::Proposal> PartCollector::hand_out(Entry& entry) {
  auto block = entry.parts->assembled();
  if (!block) return std::nullopt;
  v1::Proposal p = entry.header;
  p.set_block(std::move(*block));
  // The entry stays (so re-gossiped headers and parts are known), without its data.
  entry.parts.reset();
  declared_bytes_ -= entry.declared_bytes;
  entry.declared_bytes = 0;
  return p;
}

}  // namespace btt::node

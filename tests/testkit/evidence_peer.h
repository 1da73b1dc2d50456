#pragma once
// Double-vote evidence handed to a running node over p2p, as a byzantine validator's peer would
// (integration tests of evidence and slashing).
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "btt/crypto/keyfile.h"
#include "btt/p2p/transport.h"
#include "btt/v1/consensus.pb.h"

namespace btt::testkit {

// PREVOTE(height, round 3) of `key` for a block id made from `name`, signed for `chain_id`.
[[nodiscard]] v1::Vote signed_prevote(const crypto::KeyPair& key, const std::string& chain_id,
                                      uint64_t height, const std::string& name);

// Connects to the node of `home` (its config's p2p address and node key) as a new peer on
// 127.0.0.1 and sends it two different prevotes of `key` for `height`. Returns the peer: keep it
// until the evidence is seen (stopping it may drop what is still queued). Throws when it cannot
// connect within 20 s or send.
[[nodiscard]] std::unique_ptr<p2p::Transport> send_double_vote(const std::filesystem::path& home,
                                                               const std::string& chain_id,
                                                               const crypto::KeyPair& key,
                                                               uint64_t height);

}  // namespace btt::testkit

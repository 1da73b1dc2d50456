#include "testkit/evidence_peer.h"

#include <chrono>
#include <stdexcept>
#include <thread>

#include "btt/chain/consensus_signing.h"
#include "btt/crypto/hash.h"
#include "btt/node/config.h"
#include "btt/v1/p2p.pb.h"

namespace btt::testkit {

v1::Vote signed_prevote(const crypto::KeyPair& key, const std::string& chain_id, uint64_t height,
                        const std::string& name) {
  v1::Vote v;
  v.set_type(v1::PREVOTE);
  v.set_height(height);
  v.set_round(3);
  v.set_block_id(to_bytes(crypto::tagged_hash("btt/test/block", name)));
  v.set_validator(key.address.to_string());
  v.set_timestamp_ms(1);
  chain::KeySigner signer(key);
  if (!signer.sign_vote(chain_id, v)) throw std::runtime_error("cannot sign");
  return v;
}

std::unique_ptr<p2p::Transport> send_double_vote(const std::filesystem::path& home,
                                                 const std::string& chain_id,
                                                 const crypto::KeyPair& key, uint64_t height) {
  auto config = node::Config::load(home);
  if (!config) throw std::runtime_error(config.status().to_string());
  auto node_key = crypto::read_key_file(config->node_key_path());
  if (!node_key) throw std::runtime_error(node_key.status().to_string());
  v1::ConsensusEnvelope env;
  *env.mutable_evidence()->mutable_duplicate_vote()->mutable_vote_a() =
      signed_prevote(key, chain_id, height, "x");
  *env.mutable_evidence()->mutable_duplicate_vote()->mutable_vote_b() =
      signed_prevote(key, chain_id, height, "y");
  v1::P2pMessage msg;
  msg.mutable_consensus()->set_payload(env.SerializeAsString());

  p2p::TransportConfig tc;
  tc.chain_id = chain_id;
  tc.listen_addr = "127.0.0.1:0";
  tc.persistent_peers = {node_key->address.to_string() + "@" + config->p2p_listen_addr};
  tc.pex = false;
  auto peer = std::make_unique<p2p::Transport>(tc, crypto::KeyPair::generate());
  if (!peer->start().is_ok()) throw std::runtime_error("evidence peer: cannot start");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!peer->is_connected(node_key->address) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (!peer->send(node_key->address, msg)) {
    throw std::runtime_error("evidence peer: cannot reach " + config->p2p_listen_addr);
  }
  return peer;
}

}  // namespace btt::testkit

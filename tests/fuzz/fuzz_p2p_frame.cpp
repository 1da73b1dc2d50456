// Fuzz target: the P2P decoders a peer's bytes reach (doc/p2p.md). The first byte picks the mode:
//   bit 0 clear: the rest is a stream of frames for a FrameCodec with fixed session keys; every
//                frame that decodes goes to the P2pMessage parser. Bit 2 lowers the frame limit
//                to 64 bytes so the oversize path is reachable.
//   bit 0 set, bit 1 clear: the rest is a P2pMessage payload, sealed with the fixed keys so it
//                authenticates, then decoded and parsed (reaches the parser with any bytes).
//   bits 0 and 1 set: the rest is a peer hello (39 bytes) for a Handshake, then the payload of
//                its P2pAuth frame (reaches read_hello and read_auth).
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "btt/chain/part_set.h"
#include "btt/p2p/frame.h"
#include "btt/p2p/handshake.h"
#include "btt/p2p/transport.h"
#include "btt/v1/consensus.pb.h"
#include "btt/v1/p2p.pb.h"
#include "fuzz_check.h"

using namespace btt;
using namespace btt::p2p;

namespace {

// Fixed keys: the peer's send key is our receive key.
FrameCodec receiver(uint32_t max_payload) {
  SessionKeys k;
  for (size_t i = 0; i < 32; ++i) {
    k.recv[i] = static_cast<uint8_t>(i);
    k.send[i] = static_cast<uint8_t>(0xa0 + i);
  }
  return FrameCodec(k, max_payload);
}
FrameCodec sender(uint32_t max_payload) {
  SessionKeys k;
  for (size_t i = 0; i < 32; ++i) {
    k.send[i] = static_cast<uint8_t>(i);
    k.recv[i] = static_cast<uint8_t>(0xa0 + i);
  }
  return FrameCodec(k, max_payload);
}

// A block of three parts whose header the part checks run against; the seeds carry its parts.
const chain::PartSet& fixed_parts() {
  static const chain::PartSet set =
      *chain::make_part_set(std::string(2 * chain::kBlockPartBytes + 5, 'p'), 3, 1);
  return set;
}

// A consensus payload: a block part goes to an assembler of the fixed header, which either
// keeps it (then it is that header's part, byte for byte) or refuses it and holds nothing.
void check_consensus(const std::string& payload) {
  v1::ConsensusEnvelope env;
  if (!env.ParseFromString(payload) || !env.has_block_part()) return;
  auto assembler = chain::PartAssembler::create(fixed_parts().header, 3);
  BTT_FUZZ_CHECK(assembler.is_ok());
  const v1::BlockPart& part = env.block_part();
  Status s = assembler->add_part(part);
  if (s) {
    BTT_FUZZ_CHECK(assembler->received() == 1 && part.index() < 3);
    BTT_FUZZ_CHECK(part.data() == fixed_parts().parts[part.index()].data());
  } else {
    BTT_FUZZ_CHECK(s.code() == Code::kInvalidArgument);
    BTT_FUZZ_CHECK(assembler->received() == 0);
  }
}

void check_message(std::string_view payload) {
  v1::P2pMessage msg;
  if (!msg.ParseFromArray(payload.data(), static_cast<int>(payload.size()))) return;
  // What parses serializes and parses again to the same message kind and channel.
  v1::P2pMessage again;
  BTT_FUZZ_CHECK(again.ParseFromString(msg.SerializeAsString()));
  BTT_FUZZ_CHECK(again.msg_case() == msg.msg_case());
  BTT_FUZZ_CHECK(channel_of(again) == channel_of(msg));
  if (msg.has_consensus()) check_consensus(msg.consensus().payload());
  if (msg.has_block_response()) {
    BTT_FUZZ_CHECK(again.block_response().part() == msg.block_response().part());
    BTT_FUZZ_CHECK(again.block_response().total() == msg.block_response().total());
  }
  if (msg.has_pex_addrs()) {
    for (const auto& a : msg.pex_addrs().addrs()) {
      auto parsed = PeerAddress::parse(a);
      if (parsed) BTT_FUZZ_CHECK(PeerAddress::parse(parsed->to_string()).is_ok());
    }
  }
}

void fuzz_stream(std::string_view in, uint32_t max_payload) {
  FrameCodec rx = receiver(max_payload);
  FrameCodec tx = sender(kMaxFramePayload);
  for (;;) {
    const std::string_view before = in;
    auto out = rx.decode(in);
    if (!out) {
      BTT_FUZZ_CHECK(out.status().code() == Code::kMalformed);
      BTT_FUZZ_CHECK(rx.failed());
      BTT_FUZZ_CHECK(in == before);  // nothing consumed on failure
      return;
    }
    if (!out->has_value()) {
      BTT_FUZZ_CHECK(in == before);
      return;
    }
    const Bytes& payload = **out;
    BTT_FUZZ_CHECK(payload.size() <= max_payload);
    // Only the exact frame the key holder made authenticates: sealing the payload again at the
    // same counter gives the bytes that were consumed.
    const size_t used = before.size() - in.size();
    auto expected = tx.encode(payload);
    BTT_FUZZ_CHECK(expected.is_ok());
    BTT_FUZZ_CHECK(*expected == before.substr(0, used));
    BTT_FUZZ_CHECK(rx.recv_counter() == tx.send_counter());
    check_message(payload);
  }
}

void fuzz_sealed_payload(std::string_view payload) {
  FrameCodec tx = sender(kMaxFramePayload);
  FrameCodec rx = receiver(kMaxFramePayload);
  auto frame = tx.encode(payload);
  BTT_FUZZ_CHECK(frame.is_ok());
  std::string_view in = *frame;
  auto out = rx.decode(in);
  BTT_FUZZ_CHECK(out.is_ok() && out->has_value() && **out == payload && in.empty());
  check_message(payload);
}

void fuzz_handshake(std::string_view in) {
  static const LocalNode local = [] {
    LocalNode n;
    crypto::SecretKey sk{};
    sk[31] = 7;
    n.key = *crypto::KeyPair::from_secret(sk);
    n.chain_id = "btt-fuzz-1";
    return n;
  }();
  Handshake hs(Role::kResponder, local);
  const std::string_view hello = in.substr(0, std::min(in.size(), kHelloSize));
  Status st = hs.read_hello(hello);
  if (!st) {
    BTT_FUZZ_CHECK(st.code() == Code::kMalformed);
    return;
  }
  auto peer = hs.read_auth(in.substr(hello.size()));
  if (!peer) {
    const Code c = peer.status().code();
    BTT_FUZZ_CHECK(c == Code::kMalformed || c == Code::kBadSignature || c == Code::kWrongChainId ||
                   c == Code::kInvalidArgument);
    BTT_FUZZ_CHECK(!peer.status().message().empty());
  }
  // A signature over a fresh random transcript cannot be forged by the fuzzer.
  BTT_FUZZ_CHECK(!peer.is_ok());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t mode = data[0];
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  if ((mode & 1) == 0) {
    fuzz_stream(rest, (mode & 4) != 0 ? 64 : kMaxFramePayload);
  } else if ((mode & 2) == 0) {
    fuzz_sealed_payload(rest);
  } else {
    fuzz_handshake(rest);
  }
  return 0;
}

// Seeds: frames sealed with the fixed keys, plain messages, and a hello with an auth payload.
extern "C" int BttFuzzWriteSeeds(const char* dir) {
  auto write = [&](const std::string& name, char mode, const std::string& bytes) {
    std::ofstream(std::filesystem::path(dir) / name, std::ios::binary) << mode << bytes;
  };
  v1::P2pMessage ping;
  ping.mutable_ping()->set_nonce(42);
  v1::P2pMessage txs;
  txs.mutable_tx_gossip()->add_txs("tx-one");
  txs.mutable_tx_gossip()->add_txs("tx-two");
  v1::P2pMessage pex;
  pex.mutable_pex_addrs()->add_addrs(crypto::KeyPair::generate().address.to_string() +
                                     "@127.0.0.1:26656");
  pex.mutable_pex_addrs()->add_addrs("[::1]:26656");
  v1::P2pMessage block;
  block.mutable_block_response()->set_height(12);
  block.mutable_block_response()->set_block(std::string(40, 'b'));
  v1::P2pMessage status;
  status.mutable_status()->set_height(99);
  status.mutable_status()->set_chain_id("btt-fuzz-1");

  {
    FrameCodec tx = sender(kMaxFramePayload);
    write("stream_ping", 0, *tx.encode(ping.SerializeAsString()));
  }
  {
    FrameCodec tx = sender(kMaxFramePayload);
    std::string s = *tx.encode(txs.SerializeAsString());
    s += *tx.encode(pex.SerializeAsString());
    s += *tx.encode(block.SerializeAsString());
    write("stream_three_frames", 0, s);
  }
  {
    FrameCodec tx = sender(kMaxFramePayload);
    write("stream_small_limit", 4, *tx.encode(block.SerializeAsString()));
  }
  write("stream_oversize_prefix", 0, std::string("\xff\xff\xff\xff", 4));
  write("sealed_status", 1, status.SerializeAsString());
  write("sealed_pex", 1, pex.SerializeAsString());
  {
    // A proposal header and a block part of the fixed header, as the reactor sends them.
    v1::ConsensusEnvelope header;
    header.mutable_proposal()->set_height(3);
    header.mutable_proposal()->set_round(1);
    header.mutable_proposal()->set_pol_round(-1);
    header.mutable_proposal()->set_block_id(std::string(32, 'i'));
    *header.mutable_proposal()->mutable_parts() = fixed_parts().header;
    header.mutable_proposal()->set_signature(std::string(64, 's'));
    v1::P2pMessage msg;
    msg.mutable_consensus()->set_payload(header.SerializeAsString());
    write("sealed_proposal_header", 1, msg.SerializeAsString());
    v1::ConsensusEnvelope part;
    *part.mutable_block_part() = fixed_parts().parts[2];
    msg.mutable_consensus()->set_payload(part.SerializeAsString());
    write("sealed_block_part", 1, msg.SerializeAsString());
    v1::P2pMessage chunk;
    chunk.mutable_block_response()->set_height(12);
    chunk.mutable_block_response()->set_part(1);
    chunk.mutable_block_response()->set_total(3);
    chunk.mutable_block_response()->set_block(std::string(40, 'c'));
    write("sealed_block_response_chunk", 1, chunk.SerializeAsString());
  }
  {
    LocalNode peer;
    peer.key = crypto::KeyPair::generate();
    peer.chain_id = "btt-fuzz-1";
    Handshake hs(Role::kInitiator, peer);
    v1::P2pAuth auth;
    auth.set_node_key(Bytes(as_view(peer.key.public_key)));
    auth.set_signature(std::string(64, 's'));
    auth.set_chain_id("btt-fuzz-1");
    auth.set_protocol_version(kProtocolVersion);
    auth.set_listen_port(26656);
    write("handshake_hello_auth", 3, hs.hello() + auth.SerializeAsString());
  }
  return 0;
}

// btt-load: feeds signed transfers from many senders to a running network through gRPC and
// measures what commits (used by tests/bench/testnet_bench.sh).
//
//   btt-load --nodes A,B,C,D --dev KEYFILE --chain-id ID [--senders N] [--txs-per-sender K]
//            [--rate TX_PER_S (0: as fast as possible)] [--threads T]
//
// Funds N fresh senders from the dev key, pre-signs K transfers each, then broadcasts them round
// robin over the nodes (at most 20000 in flight), follows
// node A's committed blocks, and prints `name: value` lines: committed_tx_per_s,
// broadcast_to_commit_p50_ms, broadcast_to_commit_p99_ms, blocks_per_s, committed_txs.
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "btt/chain/tx.h"
#include "btt/crypto/keyfile.h"
#include "btt/v1/node.grpc.pb.h"
#include "testkit/txs.h"

namespace {

using namespace btt;
using SteadyClock = std::chrono::steady_clock;

std::string arg(int argc, char** argv, const char* name, const std::string& fallback) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], name) == 0) return argv[i + 1];
  }
  return fallback;
}

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

struct NodeStubs {
  std::unique_ptr<v1::Txs::Stub> txs;
  std::unique_ptr<v1::Node::Stub> node;
  std::unique_ptr<v1::Blocks::Stub> blocks;
};

NodeStubs connect(const std::string& addr) {
  auto channel = grpc::CreateChannel(addr, grpc::InsecureChannelCredentials());
  return {v1::Txs::NewStub(channel), v1::Node::NewStub(channel), v1::Blocks::NewStub(channel)};
}

bool broadcast(NodeStubs& n, const v1::Tx& tx, bool wait) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(wait ? 30 : 5));
  v1::BroadcastTxRequest req;
  *req.mutable_tx() = tx;
  req.set_wait_for_commit(wait);
  v1::BroadcastTxResponse resp;
  return n.txs->BroadcastTx(&ctx, req, &resp).ok();
}

}  // namespace

int main(int argc, char** argv) {
  const auto nodes_arg = split(arg(argc, argv, "--nodes", ""));
  const std::string dev_file = arg(argc, argv, "--dev", "");
  const std::string chain_id = arg(argc, argv, "--chain-id", "btt-testnet-1");
  const size_t senders = std::stoul(arg(argc, argv, "--senders", "200"));
  const size_t per_sender = std::stoul(arg(argc, argv, "--txs-per-sender", "50"));
  const uint64_t rate = std::stoull(arg(argc, argv, "--rate", "0"));
  const size_t threads = std::stoul(arg(argc, argv, "--threads", "8"));
  const uint64_t dev_nonce_start = std::stoull(arg(argc, argv, "--dev-nonce", "0"));
  if (nodes_arg.empty() || dev_file.empty()) {
    std::cerr << "usage: btt-load --nodes A,B,.. --dev KEYFILE --chain-id ID [--senders N] "
                 "[--txs-per-sender K] [--rate R] [--threads T] [--dev-nonce N]\n";
    return 2;
  }
  auto dev = crypto::read_key_file(dev_file);
  if (!dev) {
    std::cerr << "cannot read " << dev_file << "\n";
    return 1;
  }
  std::vector<NodeStubs> nodes;
  for (const auto& a : nodes_arg) nodes.push_back(connect(a));

  // Fund the senders, 50 txs at a time (under the nonce gap), waiting for the last of each batch.
  std::vector<crypto::KeyPair> keys;
  for (size_t i = 0; i < senders; ++i) keys.push_back(crypto::KeyPair::generate());
  uint64_t nonce = dev_nonce_start;
  for (size_t i = 0; i < senders; i += 50) {
    const size_t end = std::min(senders, i + 50);
    for (size_t j = i; j < end; ++j) {
      auto tx = testkit::signed_transfer(*dev, {.chain_id = chain_id,
                                                .to = keys[j].address.to_string(),
                                                .amount = 100'000'000,
                                                .nonce = nonce++});
      if (!broadcast(nodes[0], tx, j + 1 == end)) {
        std::cerr << "funding tx " << j << " failed\n";
        return 1;
      }
    }
  }
  std::cerr << "funded " << senders << " senders\n";

  // Pre-sign everything.
  struct Pending {
    v1::Tx tx;
    Hash32 id{};
  };
  std::vector<std::vector<Pending>> txs(senders);
  const auto burn = crypto::KeyPair::generate().address.to_string();
  for (size_t s = 0; s < senders; ++s) {
    for (size_t k = 0; k < per_sender; ++k) {
      Pending p;
      p.tx = testkit::signed_transfer(keys[s],
                                      {.chain_id = chain_id, .to = burn, .amount = 1, .nonce = k});
      p.id = chain::tx_id_of_body(p.tx.body());
      txs[s].push_back(std::move(p));
    }
  }
  const size_t total = senders * per_sender;
  std::cerr << "signed " << total << " txs\n";

  std::mutex mu;
  std::map<Hash32, SteadyClock::time_point> sent_at;
  std::vector<double> latencies_ms;
  std::atomic<size_t> committed{0};
  std::atomic<bool> done{false};
  uint64_t first_height = 0, last_height = 0;
  SteadyClock::time_point first_commit{}, last_commit{};

  // Follow committed blocks on node 0.
  std::thread follower([&] {
    grpc::ClientContext ctx;
    v1::StreamBlocksRequest req;
    auto reader = nodes[0].blocks->StreamBlocks(&ctx, req);
    v1::BlockInfo info;
    while (!done && reader->Read(&info)) {
      const auto now = SteadyClock::now();
      std::lock_guard lock(mu);
      size_t mine = 0;
      for (const auto& id : info.tx_ids()) {
        auto h = to_hash32(id);
        if (!h) continue;
        auto it = sent_at.find(*h);
        if (it == sent_at.end()) continue;
        latencies_ms.push_back(
            static_cast<double>(
                std::chrono::duration_cast<std::chrono::microseconds>(now - it->second).count()) /
            1000.0);
        sent_at.erase(it);
        ++mine;
      }
      if (mine > 0) {
        if (first_height == 0) {
          first_height = info.header().height();
          first_commit = now;
        }
        last_height = info.header().height();
        last_commit = now;
        committed += mine;
      }
      if (committed >= total) break;
    }
    ctx.TryCancel();
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));

  // Senders are split over the threads; each thread sends its senders' txs in nonce order.
  const auto start = SteadyClock::now();
  std::atomic<size_t> sent{0};
  std::vector<std::thread> workers;
  for (size_t t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      std::vector<NodeStubs> mine;
      for (const auto& a : nodes_arg) mine.push_back(connect(a));
      std::vector<size_t> next(senders, 0);
      size_t rr = t;
      bool progress = true;
      while (progress) {
        progress = false;
        for (size_t s = t; s < senders; s += threads) {
          if (next[s] >= per_sender) continue;
          progress = true;
          const auto& p = txs[s][next[s]];
          if (rate > 0) {
            const auto due = start + std::chrono::microseconds(sent.load() * 1'000'000 / rate);
            std::this_thread::sleep_until(due);
          }
          {
            std::lock_guard lock(mu);
            if (sent_at.size() > 20000) {
              progress = true;
              continue;
            }
            sent_at[p.id] = SteadyClock::now();
          }
          if (broadcast(mine[rr++ % mine.size()], p.tx, false)) {
            ++next[s];
            ++sent;
          } else {
            std::lock_guard lock(mu);
            sent_at.erase(p.id);
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
          }
        }
      }
    });
  }
  for (auto& w : workers) w.join();
  const auto sent_done = SteadyClock::now();
  // Wait for the tail to commit (at most 60 s).
  while (committed < total && SteadyClock::now() - sent_done < std::chrono::seconds(60)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  done = true;
  follower.join();

  std::lock_guard lock(mu);
  std::sort(latencies_ms.begin(), latencies_ms.end());
  auto pct = [&](double q) {
    if (latencies_ms.empty()) return 0.0;
    return latencies_ms[std::min(
        latencies_ms.size() - 1,
        static_cast<size_t>(q * static_cast<double>(latencies_ms.size())))];
  };
  const double secs =
      static_cast<double>(
          std::chrono::duration_cast<std::chrono::milliseconds>(last_commit - start).count()) /
      1000.0;
  const double block_secs =
      static_cast<double>(
          std::chrono::duration_cast<std::chrono::milliseconds>(last_commit - first_commit)
              .count()) /
      1000.0;
  std::cout << "committed_txs: " << committed.load() << "\n";
  std::cout << "committed_tx_per_s: "
            << static_cast<uint64_t>(secs > 0 ? static_cast<double>(committed) / secs : 0) << "\n";
  std::cout << "broadcast_to_commit_p50_ms: " << static_cast<uint64_t>(pct(0.50)) << "\n";
  std::cout << "broadcast_to_commit_p99_ms: " << static_cast<uint64_t>(pct(0.99)) << "\n";
  std::cout << "blocks_per_s: "
            << (block_secs > 0 ? static_cast<double>(last_height - first_height) / block_secs : 0)
            << "\n";
  return 0;
}

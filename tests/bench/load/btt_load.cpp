// btt-load: feeds signed transfers (PayFi payments, RWA orders) from many senders to a running
// network through gRPC and measures what commits (used by tests/bench/testnet_bench.sh,
// tests/bench/payfi_node_bench.sh and tests/bench/rwa_node_bench.sh).
//
//   btt-load --nodes A,B,C,D --dev KEYFILE --chain-id ID [--senders N] [--txs-per-sender K]
//            [--rate TX_PER_S (0: as fast as possible)] [--threads T] [--dev-nonce N]
//            [--max-pending N] [--timeout-s S] [--batch B] [--kind transfer|pay] [--payees P]
//            [--settle-wait-s S]
//
// With --kind order (RWA on in the genesis, the dev key a kyc_attester and asset_valuer) the dev
// key also sets a KYC claim for every sender and for a fresh issuer, the issuer registers the
// asset rwa/LOAD and rests one sell order of 10 fractions per tx of the run at price 1, and the
// txs are IOC buys of 10 fractions at 1: each is one match against that maker. After the run it
// prints orders_filled (the maker's filled fractions / 10). The dev key's txs: N + 1 fundings and
// N + 1 claims.
//
// With --kind pay (PayFi on in the genesis) it also funds P fresh payees (default 50), has each
// register as a payee settling in BTT, and the txs are MsgPay of 1 unit to the payees in turn,
// each with a reference and its own client_payment_id; after the run it waits S seconds
// (--settle-wait-s, default 0) and prints settlements and settled_payments of its payees. The
// dev key's txs: N (+ P) fundings.
//
// Funds N fresh senders from the dev key, pre-signs K transfers each, then broadcasts them with
// asynchronous gRPC calls (T threads, each with its own completion queue and its own share of
// the senders; each sender talks to one node, in nonce order, one call in flight; schedule.h has
// the retry rules; with --batch B > 1, up to B ready txs for one node go in one BroadcastTxs
// call instead of one BroadcastTx each), keeps at most --max-pending sent but uncommitted, follows
// node A's committed blocks, and prints `name: value` lines: committed_txs, committed_tx_per_s,
// broadcast_to_commit_p50_ms, broadcast_to_commit_p99_ms, blocks_per_s.
// It never hangs: past --timeout-s (default 300) it says what was left and exits 1; a refused tx
// that is not worth a retry also ends it with exit 1.
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>
#include <unordered_map>

#include "bench/load/schedule.h"
#include "btt/chain/tx.h"
#include "btt/crypto/keyfile.h"
#include "btt/v1/node.grpc.pb.h"
#include "btt/v1/payfi_query.grpc.pb.h"
#include "btt/v1/rwa_query.grpc.pb.h"
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

struct HashOf {
  size_t operator()(const Hash32& h) const {
    size_t v;
    std::memcpy(&v, h.data(), sizeof(v));
    return v;
  }
};

std::optional<uint32_t> btt_code_of(const grpc::ClientContext& ctx) {
  const auto& md = ctx.GetServerTrailingMetadata();
  auto it = md.find("btt-code");
  if (it == md.end()) return std::nullopt;
  try {
    return static_cast<uint32_t>(std::stoul(std::string(it->second.data(), it->second.size())));
  } catch (...) {
    return std::nullopt;
  }
}

// gRPC takes deadlines on the system clock.
std::chrono::system_clock::time_point wall(SteadyClock::time_point t) {
  return std::chrono::system_clock::now() +
         std::chrono::duration_cast<std::chrono::system_clock::duration>(t - SteadyClock::now());
}

[[noreturn]] void die(const std::string& why) {
  std::cerr << "btt-load: " << why << std::endl;
  std::_Exit(1);
}

// Everything the threads share: send times of txs not yet seen in a block, and the results.
struct Shared {
  std::mutex mu;
  std::unordered_map<Hash32, SteadyClock::time_point, HashOf> sent_at;
  std::vector<double> latencies_ms;
  uint64_t first_height = 0, last_height = 0;
  SteadyClock::time_point first_commit{}, last_commit{};
  std::atomic<size_t> committed{0};
  std::atomic<size_t> sent{0};  // calls started (pacing)
  std::atomic<size_t> pending{0};
};

// One BroadcastTx call (one send) or BroadcastTxs call (several).
struct Call {
  grpc::ClientContext ctx;
  grpc::Status status;
  v1::BroadcastTxResponse resp;
  v1::BroadcastTxsResponse batch_resp;
  std::unique_ptr<grpc::ClientAsyncResponseReader<v1::BroadcastTxResponse>> reader;
  std::unique_ptr<grpc::ClientAsyncResponseReader<v1::BroadcastTxsResponse>> batch_reader;
  std::vector<load::Schedule::Send> sends;  // senders are local indices in the thread's schedule
};

}  // namespace

int main(int argc, char** argv) {
  const auto nodes_arg = split(arg(argc, argv, "--nodes", ""));
  const std::string dev_file = arg(argc, argv, "--dev", "");
  const std::string chain_id = arg(argc, argv, "--chain-id", "btt-testnet-1");
  const size_t senders = std::stoul(arg(argc, argv, "--senders", "200"));
  const size_t per_sender = std::stoul(arg(argc, argv, "--txs-per-sender", "50"));
  const uint64_t rate = std::stoull(arg(argc, argv, "--rate", "0"));
  const size_t threads = std::max<size_t>(1, std::stoul(arg(argc, argv, "--threads", "2")));
  const uint64_t dev_nonce_start = std::stoull(arg(argc, argv, "--dev-nonce", "0"));
  const size_t max_pending = std::stoul(arg(argc, argv, "--max-pending", "20000"));
  const auto timeout = std::chrono::seconds(std::stoul(arg(argc, argv, "--timeout-s", "300")));
  const size_t batch = std::clamp<size_t>(std::stoul(arg(argc, argv, "--batch", "1")), 1, 1000);
  const std::string kind = arg(argc, argv, "--kind", "transfer");
  const bool pay = kind == "pay";
  const bool order = kind == "order";
  const size_t n_payees =
      pay ? std::max<size_t>(1, std::stoul(arg(argc, argv, "--payees", "50"))) : 0;
  const auto settle_wait =
      std::chrono::seconds(std::stoul(arg(argc, argv, "--settle-wait-s", "0")));
  if (kind != "transfer" && !pay && !order) {
    std::cerr << "btt-load: --kind is transfer, pay or order, not " << kind << "\n";
    return 2;
  }
  if (nodes_arg.empty() || dev_file.empty()) {
    std::cerr << "usage: btt-load --nodes A,B,.. --dev KEYFILE --chain-id ID [--senders N] "
                 "[--txs-per-sender K] [--rate R] [--threads T] [--dev-nonce N] "
                 "[--max-pending N] [--timeout-s S] [--batch B] [--kind transfer|pay|order] "
                 "[--payees P]\n";
    return 2;
  }
  const auto deadline = SteadyClock::now() + timeout;
  auto dev = crypto::read_key_file(dev_file);
  if (!dev) die("cannot read " + dev_file);

  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (const auto& a : nodes_arg) {
    channels.push_back(grpc::CreateChannel(a, grpc::InsecureChannelCredentials()));
  }
  auto txs0 = v1::Txs::NewStub(channels[0]);
  auto blocks0 = v1::Blocks::NewStub(channels[0]);

  // Broadcasts `txs` through node A, 50 at a time (under the nonce gap), waiting for the last of
  // each group to commit.
  auto broadcast_waiting = [&](const std::vector<v1::Tx>& txs, const std::string& what) {
    for (size_t j = 0; j < txs.size(); ++j) {
      v1::BroadcastTxRequest req;
      *req.mutable_tx() = txs[j];
      req.set_wait_for_commit(j + 1 == txs.size() || j % 50 == 49);
      for (uint32_t attempt = 0;; ++attempt) {
        grpc::ClientContext ctx;
        ctx.set_deadline(wall(std::min(deadline, SteadyClock::now() + std::chrono::seconds(30))));
        v1::BroadcastTxResponse resp;
        const auto st = txs0->BroadcastTx(&ctx, req, &resp);
        const auto what_now = load::classify(st.error_code(), btt_code_of(ctx), attempt > 0);
        if (what_now == load::Outcome::kAccepted) break;
        if (what_now == load::Outcome::kFatal || SteadyClock::now() >= deadline) {
          die(what + " tx " + std::to_string(j) + " refused: " + st.error_message());
        }
        std::this_thread::sleep_for(load::Schedule::backoff(attempt + 1));
      }
    }
  };

  // Fund the senders (and payees).
  std::vector<crypto::KeyPair> keys;
  for (size_t i = 0; i < senders; ++i) keys.push_back(crypto::KeyPair::generate());
  std::vector<crypto::KeyPair> payees;
  for (size_t i = 0; i < n_payees; ++i) payees.push_back(crypto::KeyPair::generate());
  // --kind order: the asset's issuer, funded with the senders.
  if (order) payees.push_back(crypto::KeyPair::generate());
  uint64_t dev_nonce = dev_nonce_start;
  {
    std::vector<v1::Tx> fundings;
    for (const auto* group : {&keys, &payees}) {
      for (const auto& k : *group) {
        fundings.push_back(testkit::signed_transfer(*dev, {.chain_id = chain_id,
                                                           .to = k.address.to_string(),
                                                           .amount = 100'000'000,
                                                           .nonce = dev_nonce++}));
      }
    }
    broadcast_waiting(fundings, "funding");
  }
  // One asset per run (a bench runs several against one network).
  const std::string kLoadSymbol = "LOAD" + std::to_string(dev_nonce_start);
  const std::string kLoadAsset = "rwa/" + kLoadSymbol;
  const uint64_t kLot = 10;
  if (order) {
    const auto& issuer = payees.back();
    std::vector<v1::Tx> claims;
    for (const auto* group : {&keys, &payees}) {
      for (const auto& k : *group) {
        v1::Message c;
        auto* claim = c.mutable_set_claim();
        claim->set_account(k.address.to_string());
        claim->set_kyc(true);
        claim->set_country("DE");
        claim->set_expiry_ms(UINT64_MAX / 2);
        claim->set_record_hash(std::string(32, 'k'));
        claims.push_back(
            testkit::signed_message(*dev, {.chain_id = chain_id, .nonce = dev_nonce++}, c));
      }
    }
    broadcast_waiting(claims, "claim");
    const uint64_t lots = senders * per_sender;
    v1::Message reg;
    auto* r = reg.mutable_register_rwa_asset();
    r->set_asset_class(v1::RWA_ASSET_CLASS_EQUIPMENT);
    r->set_name("load");
    r->set_symbol(kLoadSymbol);
    r->set_total_fractions(lots * kLot);
    r->set_tier(1);
    r->set_appraised_value(100'000);
    r->set_currency("BTT");
    r->set_valuer(dev->address.to_string());
    r->set_appraisal_hash(std::string(32, 'a'));
    r->mutable_rules()->set_require_kyc(true);
    v1::Message sell;
    auto* o = sell.mutable_place_order();
    o->set_asset(kLoadAsset);
    o->set_quote_asset("BTT");
    o->set_side(v1::ORDER_SIDE_SELL);
    o->set_price(1);
    o->set_amount(lots * kLot);
    broadcast_waiting({testkit::signed_message(issuer, {.chain_id = chain_id, .nonce = 0}, reg),
                       testkit::signed_message(issuer, {.chain_id = chain_id, .nonce = 1}, sell)},
                      "issuance");
    std::cerr << "issued " << kLoadAsset << " and rested " << lots << " lots\n";
  }
  if (pay) {
    v1::Message reg;
    reg.mutable_register_payee()->set_name_hash(std::string(32, 'l'));
    reg.mutable_register_payee()->set_category("load");
    reg.mutable_register_payee()->set_settlement_asset("BTT");
    std::vector<v1::Tx> registrations;
    for (const auto& p : payees) {
      registrations.push_back(testkit::signed_message(p, {.chain_id = chain_id, .nonce = 0}, reg));
    }
    broadcast_waiting(registrations, "payee registration");
    std::cerr << "registered " << n_payees << " payees\n";
  }
  std::cerr << "funded " << senders << " senders\n";

  // Pre-sign everything, as ready-to-send requests.
  const auto burn = crypto::KeyPair::generate().address.to_string();
  std::vector<std::vector<v1::BroadcastTxRequest>> reqs(senders);
  std::vector<std::vector<Hash32>> ids(senders);
  {
    std::vector<std::thread> signers;
    for (size_t t = 0; t < threads; ++t) {
      signers.emplace_back([&, t] {
        for (size_t s = t; s < senders; s += threads) {
          for (size_t k = 0; k < per_sender; ++k) {
            v1::BroadcastTxRequest req;
            if (order) {
              v1::Message m;
              auto* o = m.mutable_place_order();
              o->set_asset(kLoadAsset);
              o->set_quote_asset("BTT");
              o->set_side(v1::ORDER_SIDE_BUY);
              o->set_price(1);
              o->set_amount(kLot);
              o->set_time_in_force(v1::TIME_IN_FORCE_IOC);
              *req.mutable_tx() =
                  testkit::signed_message(keys[s], {.chain_id = chain_id, .nonce = k}, m);
            } else if (pay) {
              v1::Message m;
              auto* p = m.mutable_pay();
              p->set_payee(payees[(s + k) % n_payees].address.to_string());
              p->set_amount(1);
              p->set_asset("BTT");
              p->set_reference("load");
              p->set_client_payment_id("load-" + std::to_string(k));
              *req.mutable_tx() =
                  testkit::signed_message(keys[s], {.chain_id = chain_id, .nonce = k}, m);
            } else {
              *req.mutable_tx() = testkit::signed_transfer(
                  keys[s], {.chain_id = chain_id, .to = burn, .amount = 1, .nonce = k});
            }
            ids[s].push_back(chain::tx_id_of_body(req.tx().body()));
            reqs[s].push_back(std::move(req));
          }
        }
      });
    }
    for (auto& t : signers) t.join();
  }
  const size_t total = senders * per_sender;
  std::cerr << "signed " << total << " txs\n";

  Shared sh;
  std::atomic<bool> done{false};
  grpc::ClientContext follow_ctx;

  // Follow committed blocks on node 0.
  std::thread follower([&] {
    v1::StreamBlocksRequest req;
    auto reader = blocks0->StreamBlocks(&follow_ctx, req);
    v1::BlockInfo info;
    while (!done && reader->Read(&info)) {
      const auto now = SteadyClock::now();
      std::lock_guard lock(sh.mu);
      size_t mine = 0;
      for (const auto& id : info.tx_ids()) {
        auto h = to_hash32(id);
        if (!h) continue;
        auto it = sh.sent_at.find(*h);
        if (it == sh.sent_at.end()) continue;
        sh.latencies_ms.push_back(
            static_cast<double>(
                std::chrono::duration_cast<std::chrono::microseconds>(now - it->second).count()) /
            1000.0);
        sh.sent_at.erase(it);
        ++mine;
      }
      if (mine > 0) {
        if (sh.first_height == 0) {
          sh.first_height = info.header().height();
          sh.first_commit = now;
        }
        sh.last_height = info.header().height();
        sh.last_commit = now;
        sh.committed += mine;
        sh.pending -= mine;
      }
      if (sh.committed >= total) break;
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));

  // Sender s belongs to thread s % threads and talks to node s % nodes.
  const auto start = SteadyClock::now();
  std::atomic<bool> failed{false};
  std::string failure;
  std::mutex failure_mu;
  std::vector<std::thread> workers;
  for (size_t t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      std::vector<size_t> mine;  // local index -> global sender
      for (size_t s = t; s < senders; s += threads) mine.push_back(s);
      std::vector<std::unique_ptr<v1::Txs::Stub>> stubs;
      for (const auto& ch : channels) stubs.push_back(v1::Txs::NewStub(ch));
      load::Schedule schedule(mine.size(), per_sender);
      grpc::CompletionQueue cq;
      size_t in_flight = 0;
      auto fail = [&](const std::string& why) {
        std::lock_guard lock(failure_mu);
        if (!failed.exchange(true)) failure = why;
      };
      while (!failed && (!schedule.done() || in_flight > 0)) {
        auto now = SteadyClock::now();
        if (now >= deadline) {
          fail("deadline of " + std::to_string(timeout.count()) + " s passed with " +
               std::to_string(sh.committed.load()) + " of " + std::to_string(total) +
               " txs committed");
          break;
        }
        // Start every call that may go now: ready txs grouped by node, up to `batch` a call.
        auto issue = [&](size_t node, std::vector<load::Schedule::Send>& group) {
          if (group.empty()) return;
          auto* call = new Call;
          call->ctx.set_deadline(wall(now + std::chrono::seconds(10)));
          call->sends.swap(group);
          if (batch == 1) {
            const auto& one = call->sends.front();
            call->reader = stubs[node]->PrepareAsyncBroadcastTx(
                &call->ctx, reqs[mine[one.sender]][one.nonce], &cq);
            call->reader->StartCall();
            call->reader->Finish(&call->resp, &call->status, call);
          } else {
            v1::BroadcastTxsRequest req;
            for (const auto& one : call->sends) {
              *req.add_txs() = reqs[mine[one.sender]][one.nonce].tx();
            }
            call->batch_reader = stubs[node]->PrepareAsyncBroadcastTxs(&call->ctx, req, &cq);
            call->batch_reader->StartCall();
            call->batch_reader->Finish(&call->batch_resp, &call->status, call);
          }
          ++in_flight;
        };
        std::vector<std::vector<load::Schedule::Send>> groups(stubs.size());
        auto wake = now + std::chrono::milliseconds(20);
        while (true) {
          if (rate > 0) {
            const auto due = start + std::chrono::microseconds(sh.sent.load() * 1'000'000 / rate);
            if (due > now) {
              wake = std::min(wake, due);
              break;
            }
          }
          if (sh.pending.load() >= max_pending) {
            wake = std::min(wake, now + std::chrono::milliseconds(5));
            break;
          }
          auto send = schedule.next(now);
          if (!send) break;
          const size_t g = mine[send->sender];
          {
            std::lock_guard lock(sh.mu);
            if (sh.sent_at.insert_or_assign(ids[g][send->nonce], now).second) ++sh.pending;
          }
          ++sh.sent;
          const size_t node = g % stubs.size();
          groups[node].push_back(*send);
          if (groups[node].size() >= batch) issue(node, groups[node]);
        }
        for (size_t node = 0; node < groups.size(); ++node) issue(node, groups[node]);
        if (auto r = schedule.next_retry()) wake = std::min(wake, *r);
        void* tag = nullptr;
        bool ok = false;
        auto got = cq.AsyncNext(&tag, &ok, wall(std::max(wake, now)));
        while (got == grpc::CompletionQueue::GOT_EVENT) {
          std::unique_ptr<Call> call(static_cast<Call*>(tag));
          --in_flight;
          const auto at = SteadyClock::now();
          for (size_t i = 0; i < call->sends.size(); ++i) {
            const auto& one = call->sends[i];
            load::Outcome what;
            std::string why = call->status.error_message();
            if (!call->status.ok() || batch == 1) {
              what = load::classify(call->status.error_code(), btt_code_of(call->ctx), one.retried);
            } else if (static_cast<int>(i) < call->batch_resp.results_size()) {
              const auto& r = call->batch_resp.results(static_cast<int>(i));
              what = load::classify_code(r.code(), one.retried);
              why = r.log();
            } else {
              what = load::Outcome::kFatal;
              why = "BroadcastTxs answered fewer results than txs";
            }
            if (what == load::Outcome::kAccepted) {
              schedule.accepted(one.sender);
            } else if (what == load::Outcome::kRetry) {
              schedule.retry(one.sender, at);
            } else {
              fail("tx of sender " + std::to_string(mine[one.sender]) + " refused (grpc " +
                   std::to_string(call->status.error_code()) + "): " + why);
            }
          }
          got = cq.AsyncNext(&tag, &ok, std::chrono::system_clock::now());  // drain what is ready
        }
      }
      // Calls still in flight (only after a failure or the deadline): cancel and drain.
      cq.Shutdown();
      void* tag = nullptr;
      bool ok = false;
      while (cq.Next(&tag, &ok)) delete static_cast<Call*>(tag);
    });
  }
  for (auto& w : workers) w.join();
  if (failed) {
    done = true;
    follow_ctx.TryCancel();
    follower.join();
    die(failure);
  }
  const auto sent_done = SteadyClock::now();
  // Wait for the tail to commit (at most 60 s, and never past the deadline).
  while (sh.committed < total && SteadyClock::now() - sent_done < std::chrono::seconds(60) &&
         SteadyClock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  done = true;
  follow_ctx.TryCancel();
  follower.join();

  std::lock_guard lock(sh.mu);
  std::sort(sh.latencies_ms.begin(), sh.latencies_ms.end());
  auto pct = [&](double q) {
    if (sh.latencies_ms.empty()) return 0.0;
    return sh.latencies_ms[std::min(
        sh.latencies_ms.size() - 1,
        static_cast<size_t>(q * static_cast<double>(sh.latencies_ms.size())))];
  };
  const double secs =
      static_cast<double>(
          std::chrono::duration_cast<std::chrono::milliseconds>(sh.last_commit - start).count()) /
      1000.0;
  const double block_secs =
      static_cast<double>(
          std::chrono::duration_cast<std::chrono::milliseconds>(sh.last_commit - sh.first_commit)
              .count()) /
      1000.0;
  const size_t committed = sh.committed.load();
  std::cout << "committed_txs: " << committed << "\n";
  std::cout << "committed_tx_per_s: "
            << static_cast<uint64_t>(secs > 0 ? static_cast<double>(committed) / secs : 0) << "\n";
  std::cout << "broadcast_to_commit_p50_ms: " << static_cast<uint64_t>(pct(0.50)) << "\n";
  std::cout << "broadcast_to_commit_p99_ms: " << static_cast<uint64_t>(pct(0.99)) << "\n";
  std::cout << "blocks_per_s: "
            << (block_secs > 0 ? static_cast<double>(sh.last_height - sh.first_height) / block_secs
                               : 0)
            << std::endl;
  if (order) {
    auto rwa = v1::Rwa::NewStub(channels[0]);
    grpc::ClientContext ctx;
    v1::ListOrdersRequest req;
    req.set_account(payees.back().address.to_string());
    v1::ListOrdersResponse resp;
    const auto st = rwa->ListOrders(&ctx, req, &resp);
    if (!st.ok()) die("ListOrders: " + st.error_message());
    const uint64_t lots = senders * per_sender;
    const uint64_t open = resp.orders_size() > 0 ? resp.orders(0).open() : 0;
    std::cout << "orders_filled: " << (lots * kLot - open) / kLot << std::endl;
  }
  if (pay) {
    std::this_thread::sleep_for(settle_wait);
    auto payfi = v1::PayFi::NewStub(channels[0]);
    uint64_t settlements = 0, settled = 0;
    for (const auto& p : payees) {
      v1::ListSettlementsRequest req;
      req.set_payee(p.address.to_string());
      for (;;) {
        grpc::ClientContext ctx;
        v1::ListSettlementsResponse resp;
        if (!payfi->ListSettlements(&ctx, req, &resp).ok()) die("PayFi.ListSettlements failed");
        for (const auto& st : resp.settlements()) {
          ++settlements;
          settled += st.payments();
        }
        if (resp.next_after_id() == 0) break;
        req.set_after_id(resp.next_after_id());
      }
    }
    std::cout << "settlements: " << settlements << "\n";
    std::cout << "settled_payments: " << settled << std::endl;
  }
  if (committed < total) {
    die("only " + std::to_string(committed) + " of " + std::to_string(total) +
        " txs committed within 60 s of the last broadcast");
  }
  return 0;
}

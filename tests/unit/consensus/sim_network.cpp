#include "sim_network.h"
#include "btt/chain/part_set.h"

#include <memory>
#include <random>
#include <sstream>
#include <variant>

#include "btt/consensus/signer_guard.h"
#include "btt/consensus/wal.h"
#include "btt/crypto/hash.h"
#include "sm_snapshot.h"
#include "testkit/test_env.h"

namespace btt::consensus::sim {
namespace {

constexpr std::string_view kSimChainId = "btt-sim-1";
constexpr std::string_view kSimBlockTag = "btt/sim/block";

struct CommitMsg {
  v1::Commit commit;
  Bytes block;
};
struct StatusMsg {
  uint64_t height = 0;
};
using Message = std::variant<v1::Proposal, v1::Vote, CommitMsg, StatusMsg>;

struct Deliver {
  size_t from;
  Message message;
};
struct Timeout {
  uint64_t height;
  chain::Round round;
  chain::Step step;
};
struct StartHeight {
  uint64_t height;
};
struct GossipTick {};
struct Heal {};
struct CrashNow {
  Crash::Loss loss;
  uint64_t down_ms;
};
struct Restart {};
using EventBody = std::variant<Deliver, Timeout, StartHeight, GossipTick, Heal, CrashNow, Restart>;
struct Event {
  size_t node;
  EventBody body;
  uint64_t incarnation = 0;  // of the node when scheduled: its timers die with a crash
};

class SimClock final : public Clock {
 public:
  explicit SimClock(const uint64_t& now) : now_(now) {}
  uint64_t now_ms() const override { return now_; }

 private:
  const uint64_t& now_;
};

Bytes block_id_of(const Bytes& block) {
  return to_bytes(crypto::tagged_hash(kSimBlockTag, block));
}

// Blocks are "h=<height>;r=<round>;by=<node>;v=<variant>"; valid when the id matches and the
// height is the one being decided.
class SimSource final : public ProposalSource {
 public:
  explicit SimSource(size_t node) : node_(node) {}
  Result<ProposedBlock> propose(uint64_t height, chain::Round round) override {
    return make(height, round, 0);
  }
  bool validate(uint64_t height, const Bytes& block_id, const Bytes& block) override {
    const std::string prefix = "h=" + std::to_string(height) + ";";
    return block.rfind(prefix, 0) == 0 && block_id_of(block) == block_id;
  }
  [[nodiscard]] ProposedBlock make(uint64_t height, chain::Round round, int variant) const {
    ProposedBlock b;
    b.block = "h=" + std::to_string(height) + ";r=" + std::to_string(round) +
              ";by=" + std::to_string(node_) + ";v=" + std::to_string(variant);
    b.block_id = block_id_of(b.block);
    return b;
  }

 private:
  size_t node_;
};

class Simulation;

class NodeActions final : public Actions {
 public:
  NodeActions(Simulation& sim, size_t node) : sim_(sim), node_(node) {}
  void broadcast_proposal(const v1::Proposal& proposal) override;
  void broadcast_vote(const v1::Vote& vote) override;
  void schedule_timeout(uint64_t duration_ms, uint64_t height, chain::Round round,
                        chain::Step step) override;
  void decide(uint64_t height, chain::Round round, const Bytes& block_id, const Bytes& block,
              const v1::Commit& commit) override;
  void report_evidence(const v1::Evidence& evidence) override;

 private:
  Simulation& sim_;
  size_t node_;
};

struct Decision {
  Bytes block_id;
  Bytes block;
  v1::Commit commit;
};

// What an honest node sent at one (height, round, step).
struct Sent {
  Bytes block_id;
  int64_t pol_round;
};

struct Node {
  crypto::KeyPair key;
  bool byzantine = false;
  std::unique_ptr<chain::KeySigner> signer;
  std::unique_ptr<SimSource> source;
  std::unique_ptr<NodeActions> actions;
  std::unique_ptr<StateMachine> sm;
  std::map<uint64_t, Decision> decided;
  std::map<std::tuple<uint64_t, chain::Round, int>, Sent> sent;
  // Crash-restart: files in `dir`, the guard signs, the WAL records.
  std::filesystem::path dir;
  std::unique_ptr<SignerGuard> guard;
  std::unique_ptr<Wal> wal;
  bool down = false;
  uint64_t incarnation = 0;
  std::optional<Snapshot> before_crash;
};

class Simulation {
 public:
  explicit Simulation(const SimConfig& config) : config_(config), rng_(config.seed), clock_(now_) {
    std::vector<v1::Validator> vals;
    std::vector<crypto::KeyPair> keys;
    for (size_t i = 0; i < config.validators; ++i) {
      crypto::KeyPair k = testkit::test_key("sim-validator-" + std::to_string(i));
      v1::Validator v;
      v.set_address(k.address.to_string());
      v.set_public_key(Bytes(as_view(k.public_key)));
      v.set_power(1);
      vals.push_back(v);
      keys.push_back(k);
    }
    validators_ = *chain::ValidatorSet::create(vals);
    smc_.chain_id = std::string(kSimChainId);
    smc_.timeouts = config.timeouts;
    std::set<size_t> crashing;
    for (const auto& c : config.crashes) crashing.insert(c.node);
    for (size_t i = 0; i < validators_.size(); ++i) {
      auto node = std::make_unique<Node>();
      for (const auto& k : keys) {
        if (k.address.to_string() == validators_.validators()[i].address) node->key = k;
      }
      node->byzantine = config.byzantine.count(i) != 0;
      node->signer = std::make_unique<chain::KeySigner>(node->key, true);
      node->source = std::make_unique<SimSource>(i);
      node->actions = std::make_unique<NodeActions>(*this, i);
      nodes_.push_back(std::move(node));
      if (crashing.count(i) != 0 && !nodes_[i]->byzantine) {
        nodes_[i]->dir = config.data_dir / ("node" + std::to_string(i));
        std::filesystem::create_directories(nodes_[i]->dir);
        (void)open_files(i);  // a refusal is a violation; the node then runs without files
      }
      build_state_machine(i);
    }
    result_.decisions.resize(nodes_.size());
    result_.signed_heights.resize(nodes_.size());
    for (const auto& n : nodes_) {
      result_.honest.push_back(!n->byzantine);
      result_.addresses.push_back(n->key.address.to_string());
    }
  }

  SimResult run() {
    for (size_t i = 0; i < nodes_.size(); ++i) {
      push(0, i, StartHeight{1});
      push(config_.gossip_interval_ms + i, i, GossipTick{});
    }
    push(config_.heal_ms, 0, Heal{});
    for (const auto& c : config_.crashes) {
      if (c.node < nodes_.size()) push(c.at_ms, c.node, CrashNow{c.loss, c.down_ms});
    }
    while (!queue_.empty()) {
      auto handle = queue_.extract(queue_.begin());
      now_ = handle.key().first;
      if (now_ > config_.max_time_ms) break;
      ++result_.events;
      process(handle.mapped());
      if (!result_.live && healed_ && all_reached_target()) {
        result_.live = true;
        live_at_ = now_;
      }
      // Past liveness, a run with Byzantine nodes goes on until their equivocation is caught
      // (evidence is eventual: it needs gossip to bring both versions to one honest node).
      if (result_.live && (config_.byzantine.empty() || !result_.equivocators.empty() ||
                           now_ > live_at_ + config_.evidence_grace_ms)) {
        break;
      }
    }
    result_.end_time_ms = now_;
    for (size_t i = 0; i < nodes_.size(); ++i) {
      for (const auto& [h, d] : nodes_[i]->decided) result_.decisions[i][h] = d.block_id;
    }
    return result_;
  }

  // --- called by NodeActions -----------------------------------------------------------------

  void broadcast_proposal(size_t from, const v1::Proposal& p) {
    Node& n = *nodes_[from];
    if (!n.byzantine) {
      note_sent(from, p.height(), p.round(), chain::Step::kPropose, p.block_id(), p.pol_round());
      send_all(from, p);
      return;
    }
    // A second, conflicting block for odd-indexed peers.
    ProposedBlock alt = n.source->make(p.height(), p.round(), 1 + static_cast<int>(from));
    v1::Proposal p2 = p;
    p2.set_block_id(alt.block_id);
    p2.set_block(alt.block);
    p2.set_pol_round(chain::kNoRound);
    auto parts = chain::part_set_header(alt.block);
    if (!parts) return;
    *p2.mutable_parts() = *parts;
    if (!n.signer->sign_proposal(kSimChainId, p2)) return;
    alt_block_[{from, p.height(), p.round()}] = alt.block_id;
    split_send(from, p, p2);
  }

  void broadcast_vote(size_t from, const v1::Vote& v) {
    Node& n = *nodes_[from];
    if (!n.byzantine) {
      note_sent(from, v.height(), v.round(), *chain::vote_step(v.type()), v.block_id(), 0);
      send_all(from, v);
      return;
    }
    v1::Vote v2 = v;
    if (v.block_id().empty()) {
      v2.set_block_id(to_bytes(crypto::tagged_hash(
          "btt/sim/fake", std::to_string(from) + "/" + std::to_string(v.height()) + "/" +
                              std::to_string(v.round()))));
    } else {
      auto it = alt_block_.find({from, v.height(), v.round()});
      v2.set_block_id(it != alt_block_.end() && it->second != v.block_id() ? it->second : Bytes());
    }
    if (!n.signer->sign_vote(kSimChainId, v2)) return;
    split_send(from, v, v2);
  }

  void schedule_timeout(size_t node, uint64_t duration_ms, uint64_t height, chain::Round round,
                        chain::Step step) {
    push(sat_add(now_, duration_ms), node, Timeout{height, round, step});
  }

  void decide(size_t node, uint64_t height, const Bytes& block_id, const Bytes& block,
              const v1::Commit& commit) {
    Node& n = *nodes_[node];
    const std::string who = "node " + std::to_string(node) + (n.byzantine ? " (byzantine)" : "");
    if (n.decided.count(height) != 0) {
      violation(who + " decided height " + std::to_string(height) + " twice");
    }
    n.decided[height] = {block_id, block, commit};
    if (!n.byzantine) {
      if (Status s = chain::verify_commit(set_at(height), kSimChainId, height, block_id, commit,
                                          verifier_);
          !s) {
        violation(who + " decided with a bad commit: " + s.message());
      }
      auto [it, fresh] = first_decision_.emplace(height, std::make_pair(block_id, node));
      if (!fresh && it->second.first != block_id) {
        violation("SAFETY: height " + std::to_string(height) + ": node " +
                  std::to_string(it->second.second) + " decided " + to_hex(it->second.first) +
                  ", " + who + " decided " + to_hex(block_id));
      }
    }
    push(now_ + config_.commit_wait_ms, node, StartHeight{height + 1});
  }

  void report_evidence(size_t node, const v1::Evidence& ev) {
    if (nodes_[node]->byzantine) return;
    ++result_.evidence_reports;
    const auto& dv = ev.duplicate_vote();
    // Evidence must hold two validly signed, conflicting votes of one validator.
    const chain::ValidatorSet& set = set_at(dv.vote_a().height());
    Status a = chain::verify_vote(set, kSimChainId, dv.vote_a(), verifier_);
    Status b = chain::verify_vote(set, kSimChainId, dv.vote_b(), verifier_);
    if (!a || !b || dv.vote_a().validator() != dv.vote_b().validator() ||
        dv.vote_a().block_id() == dv.vote_b().block_id()) {
      violation("node " + std::to_string(node) + " reported bad evidence");
    }
    result_.equivocators.insert(dv.vote_a().validator());
  }

 private:
  static uint64_t sat_add(uint64_t a, uint64_t b) {
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
  }

  void push(uint64_t at, size_t node, EventBody body) {
    queue_.emplace(std::make_pair(at, seq_++),
                   Event{node, std::move(body), nodes_.empty() ? 0 : nodes_[node]->incarnation});
  }

  // --- crash-restart -----------------------------------------------------------------------

  [[nodiscard]] std::filesystem::path wal_path(size_t i) const { return nodes_[i]->dir / "cs.wal"; }

  void build_state_machine(size_t i) {
    Node& n = *nodes_[i];
    chain::Signer* signer = n.guard ? static_cast<chain::Signer*>(n.guard.get()) : n.signer.get();
    n.sm = std::make_unique<StateMachine>(smc_, signer, *n.source, *n.actions, clock_, &verifier_);
    if (n.wal) n.sm->set_wal(n.wal.get());
  }

  // Opens node i's WAL and signer guard as bttd does at start (the WAL without fsync: the
  // simulation decides what a crash loses). False, with a violation, if either is refused.
  bool open_files(size_t i) {
    Node& n = *nodes_[i];
    auto wal = Wal::open(wal_path(i), {.sync = false});
    if (!wal) {
      violation("node " + std::to_string(i) + ": WAL refused: " + wal.status().message());
      return false;
    }
    if ((*wal)->report().torn_at) ++result_.torn_tails;
    auto guard =
        SignerGuard::open(n.dir / "signer_state", std::make_unique<chain::KeySigner>(n.key, true));
    if (!guard) {
      violation("node " + std::to_string(i) + ": guard refused: " + guard.status().message());
      return false;
    }
    n.wal = std::move(*wal);
    n.guard = std::move(*guard);
    return true;
  }

  // An honest node sends one thing per (height, round, step), crashes or not.
  void note_sent(size_t from, uint64_t height, chain::Round round, chain::Step step,
                 const Bytes& block_id, int64_t pol_round) {
    Node& n = *nodes_[from];
    result_.signed_heights[from].insert(height);
    auto [it, fresh] =
        n.sent.try_emplace({height, round, static_cast<int>(step)}, Sent{block_id, pol_round});
    if (!fresh && (it->second.block_id != block_id || it->second.pol_round != pol_round)) {
      violation("EQUIVOCATION: node " + std::to_string(from) + " sent two different " +
                chain::step_name(step) + " messages at height " + std::to_string(height) +
                " round " + std::to_string(round));
    }
  }

  void crash(size_t i, Crash::Loss loss, uint64_t down_ms) {
    Node& n = *nodes_[i];
    if (n.down || !n.wal) return;
    n.before_crash.reset();
    if (!n.sm->decided() && loss == Crash::Loss::kNone) n.before_crash.emplace(*n.sm);
    const uint64_t size = n.wal->size();
    const uint64_t synced = n.wal->synced_size();
    const uint64_t last_own = n.wal->last_own_offset();
    n.sm.reset();
    n.wal.reset();
    n.guard.reset();
    uint64_t keep = size;
    if (loss == Crash::Loss::kUnsynced) {
      keep = synced + rng_() % (size - synced + 1);
    } else if (loss == Crash::Loss::kLastOwn) {
      const uint64_t from = last_own > 0 ? last_own : synced;
      keep = from + rng_() % (size - from + 1);
    }
    // Any byte offset: the cut may fall inside a record (a torn write).
    if (keep < size) std::filesystem::resize_file(wal_path(i), keep);
    n.down = true;
    ++n.incarnation;
    push(sat_add(now_, down_ms), i, Restart{});
  }

  void restart(size_t i) {
    Node& n = *nodes_[i];
    ++result_.restarts;
    if (!open_files(i)) return;  // stays down; the violation says why
    const std::string who = "node " + std::to_string(i);
    // The guard file holds at least the last thing the node sent, with the same block.
    if (!n.sent.empty()) {
      const auto& [hrs, what] = *n.sent.rbegin();
      const auto& last = n.guard->last();
      const std::tuple<uint64_t, chain::Round, int> guard_hrs =
          last ? std::make_tuple(last->height(), static_cast<chain::Round>(last->round()),
                                 static_cast<int>(last->step()))
               : std::make_tuple(uint64_t{0}, chain::Round{0}, 0);
      if (!last || guard_hrs < hrs) {
        violation(who + ": its signer guard is behind the last message it sent");
      } else if (guard_hrs == hrs && last->block_id() != what.block_id) {
        violation(who + ": its signer guard records another block than it sent");
      }
    }
    n.down = false;
    build_state_machine(i);
    const uint64_t tip = n.decided.empty() ? 0 : n.decided.rbegin()->first;
    const auto records = n.wal->take_records();
    const bool resume = std::any_of(records.begin(), records.end(), [&](const auto& r) {
      return !r.has_committed() && Wal::height_of(r) == tip + 1;
    });
    if (resume) {
      const auto stats = n.sm->replay(tip + 1, set_at(tip + 1), records, set_at(tip + 2));
      ++result_.replays;
      result_.replayed_inputs += stats.inputs;
      result_.own_resent += stats.own_reused;
      if (n.before_crash && n.before_crash->height == tip + 1) {
        const Snapshot now(*n.sm);
        if (now == *n.before_crash) {
          ++result_.exact_resumes;
        } else {
          result_.replay_mismatches.push_back(who + " at " + std::to_string(now_) + " ms: before " +
                                              n.before_crash->to_string() + ", after " +
                                              now.to_string());
        }
      }
    } else {
      if (Status s = n.wal->rotate(tip); !s) violation(who + ": " + s.message());
      n.sm->start_height(tip + 1, set_at(tip + 1), set_at(tip + 2));
    }
    note_round(i);
  }

  // The set of `height` (SimConfig::powers_from over the nodes in validators_' order).
  const chain::ValidatorSet& set_at(uint64_t height) {
    auto entry = config_.powers_from.upper_bound(height);
    if (entry == config_.powers_from.begin()) return validators_;
    --entry;
    auto it = sets_.find(entry->first);
    if (it == sets_.end()) {
      std::vector<v1::Validator> vals;
      for (size_t i = 0; i < nodes_.size(); ++i) {
        const uint64_t power = i < entry->second.size() ? entry->second[i] : 0;
        if (power == 0) continue;
        v1::Validator v;
        v.set_address(nodes_[i]->key.address.to_string());
        v.set_public_key(Bytes(as_view(nodes_[i]->key.public_key)));
        v.set_power(power);
        vals.push_back(v);
      }
      it = sets_.emplace(entry->first, *chain::ValidatorSet::create(vals)).first;
    }
    return it->second;
  }

  void violation(std::string what) { result_.safety_violations.push_back(std::move(what)); }

  [[nodiscard]] bool partitioned(size_t a, size_t b) const {
    if (now_ >= config_.heal_ms) return false;
    for (const auto& p : config_.partitions) {
      if (now_ >= p.start_ms && now_ < p.end_ms && p.side[a] != p.side[b]) return true;
    }
    return false;
  }

  void send(size_t from, size_t to, Message m) {
    if (from == to) return;
    ++result_.messages_sent;
    const NetworkConditions& c = now_ < config_.heal_ms ? config_.before_heal : config_.after_heal;
    if (partitioned(from, to) || rng_() % 1000 < c.loss_per_mille) {
      ++result_.messages_lost;
      return;
    }
    const uint64_t delay = c.min_delay_ms + rng_() % (c.max_delay_ms - c.min_delay_ms + 1);
    push(now_ + delay, to, Deliver{from, std::move(m)});
  }

  void send_all(size_t from, const Message& m) {
    for (size_t to = 0; to < nodes_.size(); ++to) send(from, to, m);
  }

  void split_send(size_t from, const Message& even, const Message& odd) {
    for (size_t to = 0; to < nodes_.size(); ++to) send(from, to, to % 2 == 0 ? even : odd);
  }

  void process(Event& ev) {
    Node& n = *nodes_[ev.node];
    const bool timer =
        std::holds_alternative<Timeout>(ev.body) || std::holds_alternative<StartHeight>(ev.body);
    if ((timer && ev.incarnation != n.incarnation) ||
        (n.down && (timer || std::holds_alternative<Deliver>(ev.body)))) {
      return;  // died with the process, or lost while it is down
    }
    if (auto* c = std::get_if<CrashNow>(&ev.body)) {
      crash(ev.node, c->loss, c->down_ms);
    } else if (std::holds_alternative<Restart>(ev.body)) {
      restart(ev.node);
    } else if (n.down && std::holds_alternative<GossipTick>(ev.body)) {
      push(now_ + config_.gossip_interval_ms, ev.node, GossipTick{});
    } else if (auto* d = std::get_if<Deliver>(&ev.body)) {
      deliver(ev.node, d->from, d->message);
    } else if (auto* t = std::get_if<Timeout>(&ev.body)) {
      n.sm->on_timeout(t->height, t->round, t->step);
      note_round(ev.node);
    } else if (auto* s = std::get_if<StartHeight>(&ev.body)) {
      // As the reactor: a height started afresh rotates the WAL first.
      if (n.wal && s->height > n.sm->height()) {
        if (Status st = n.wal->rotate(s->height - 1); !st) violation(st.message());
      }
      n.sm->start_height(s->height, set_at(s->height), set_at(s->height + 1));
      note_round(ev.node);
    } else if (std::holds_alternative<GossipTick>(ev.body)) {
      gossip(ev.node);
      push(now_ + config_.gossip_interval_ms, ev.node, GossipTick{});
    } else if (std::holds_alternative<Heal>(ev.body)) {
      healed_ = true;
      for (size_t i = 0; i < nodes_.size(); ++i) {
        if (nodes_[i]->byzantine || nodes_[i]->decided.empty()) continue;
        result_.heal_height = std::max(result_.heal_height, nodes_[i]->decided.rbegin()->first);
      }
      result_.target_height =
          std::max(result_.heal_height + config_.heights_after_heal, config_.min_target_height);
    }
  }

  void deliver(size_t to, size_t from, const Message& m) {
    Node& n = *nodes_[to];
    if (const auto* p = std::get_if<v1::Proposal>(&m)) {
      (void)n.sm->on_proposal(*p);
    } else if (const auto* v = std::get_if<v1::Vote>(&m)) {
      (void)n.sm->on_vote(*v);
    } else if (const auto* c = std::get_if<CommitMsg>(&m)) {
      (void)n.sm->on_commit(c->commit, c->block);
    } else if (const auto* s = std::get_if<StatusMsg>(&m)) {
      // A peer behind us: send it the commit of its height, as block sync will.
      if (n.byzantine) return;
      auto it = n.decided.find(s->height);
      if (it != n.decided.end()) send(to, from, CommitMsg{it->second.commit, it->second.block});
    }
    note_round(to);
  }

  void gossip(size_t node) {
    Node& n = *nodes_[node];
    if (nodes_.size() < 2) return;
    size_t peer = rng_() % (nodes_.size() - 1);
    if (peer >= node) ++peer;
    // Byzantine nodes catch up too (to keep equivocating at the tip) but relay nothing.
    send(node, peer, StatusMsg{n.sm->height()});
    if (n.byzantine) return;
    auto msgs = n.sm->messages();
    for (auto& p : msgs.proposals) send(node, peer, std::move(p));
    for (auto& v : msgs.votes) send(node, peer, std::move(v));
  }

  void note_round(size_t node) {
    if (nodes_[node]->byzantine || nodes_[node]->down) return;
    result_.max_round =
        std::max(result_.max_round, static_cast<uint64_t>(nodes_[node]->sm->round()));
  }

  [[nodiscard]] bool all_reached_target() const {
    for (const auto& n : nodes_) {
      if (n->down) return false;
    }
    for (const auto& n : nodes_) {
      if (n->byzantine) continue;
      if (n->decided.empty() || n->decided.rbegin()->first < result_.target_height) return false;
    }
    for (const auto& n : nodes_) {
      if (n->byzantine) continue;
      for (uint64_t h = 1; h <= result_.target_height; ++h) {
        if (n->decided.count(h) == 0) return false;
      }
    }
    return true;
  }

  const SimConfig& config_;
  StateMachineConfig smc_;
  std::mt19937_64 rng_;
  uint64_t now_ = 0;
  uint64_t seq_ = 0;
  SimClock clock_;
  chain::CachingVerifier verifier_;
  chain::ValidatorSet validators_;                // every node, power 1: fixes their order
  std::map<uint64_t, chain::ValidatorSet> sets_;  // by powers_from entry
  std::vector<std::unique_ptr<Node>> nodes_;
  std::map<std::pair<uint64_t, uint64_t>, Event> queue_;  // (time, sequence): a stable order
  std::map<std::tuple<size_t, uint64_t, uint64_t>, Bytes> alt_block_;
  std::map<uint64_t, std::pair<Bytes, size_t>> first_decision_;
  bool healed_ = false;
  uint64_t live_at_ = 0;
  SimResult result_;
};

void NodeActions::broadcast_proposal(const v1::Proposal& proposal) {
  sim_.broadcast_proposal(node_, proposal);
}
void NodeActions::broadcast_vote(const v1::Vote& vote) {
  sim_.broadcast_vote(node_, vote);
}
void NodeActions::schedule_timeout(uint64_t duration_ms, uint64_t height, chain::Round round,
                                   chain::Step step) {
  sim_.schedule_timeout(node_, duration_ms, height, round, step);
}
void NodeActions::decide(uint64_t height, chain::Round round, const Bytes& block_id,
                         const Bytes& block, const v1::Commit& commit) {
  sim_.decide(node_, height, block_id, block, commit);
}
void NodeActions::report_evidence(const v1::Evidence& evidence) {
  sim_.report_evidence(node_, evidence);
}

}  // namespace

SimConfig SimConfig::random(size_t validators, size_t byzantine, uint64_t seed) {
  // A stream of its own, so the scenario does not depend on how the run uses the seed.
  std::mt19937_64 rng(seed * 0x9E3779B97F4A7C15ULL + 17);
  auto pick = [&](uint64_t lo, uint64_t hi) { return lo + rng() % (hi - lo + 1); };
  SimConfig c;
  c.validators = validators;
  c.seed = seed;
  // Byzantine validators at fixed spread-out indices, so both parities of peers are present.
  for (size_t i = 0; i < byzantine; ++i) c.byzantine.insert((1 + i * 3) % validators);
  c.before_heal.min_delay_ms = pick(0, 20);
  c.before_heal.max_delay_ms = pick(c.before_heal.min_delay_ms + 10, 600);
  c.before_heal.loss_per_mille = static_cast<uint32_t>(pick(0, 300));
  c.heal_ms = pick(4'000, 12'000);
  const uint64_t partitions = pick(0, 2);
  for (uint64_t i = 0; i < partitions; ++i) {
    Partition p;
    p.start_ms = pick(0, c.heal_ms - 1'000);
    p.end_ms = pick(p.start_ms + 500, c.heal_ms);
    for (size_t n = 0; n < validators; ++n) p.side.push_back(static_cast<int>(rng() % 2));
    c.partitions.push_back(std::move(p));
  }
  c.after_heal.min_delay_ms = pick(1, 10);
  c.after_heal.max_delay_ms = pick(c.after_heal.min_delay_ms, 100);
  c.after_heal.loss_per_mille = static_cast<uint32_t>(pick(0, 50));
  return c;
}

SimConfig SimConfig::random_with_crashes(size_t validators, size_t byzantine, uint64_t seed,
                                         std::filesystem::path dir) {
  SimConfig c = random(validators, byzantine, seed);
  c.data_dir = std::move(dir);
  std::mt19937_64 rng(seed * 0xD1B54A32D192ED03ULL + 5);
  std::vector<size_t> honest;
  for (size_t i = 0; i < validators; ++i) {
    if (c.byzantine.count(i) == 0) honest.push_back(i);
  }
  const uint64_t crashes = 1 + rng() % 3;
  for (uint64_t k = 0; k < crashes; ++k) {
    Crash cr;
    cr.node = honest[rng() % honest.size()];
    cr.at_ms = 200 + rng() % (c.heal_ms + 1'800);
    cr.down_ms = rng() % 2'501;
    cr.loss = static_cast<Crash::Loss>(rng() % 3);
    c.crashes.push_back(cr);
  }
  return c;
}

std::string SimResult::summary() const {
  std::ostringstream s;
  s << "heal_height=" << heal_height << " target=" << target_height << " live=" << live
    << " end_ms=" << end_time_ms << " events=" << events << " sent=" << messages_sent
    << " lost=" << messages_lost << " max_round=" << max_round << " evidence=" << evidence_reports;
  if (restarts > 0) {
    s << " restarts=" << restarts << " replays=" << replays
      << " replayed_inputs=" << replayed_inputs << " own_resent=" << own_resent
      << " torn=" << torn_tails << " exact=" << exact_resumes;
  }
  s << " decided=[";
  for (size_t i = 0; i < decisions.size(); ++i) {
    s << (i ? " " : "") << (honest[i] ? "" : "B:")
      << (decisions[i].empty() ? 0 : decisions[i].rbegin()->first);
  }
  s << "]";
  for (const auto& v : safety_violations) s << "\n  " << v;
  for (const auto& m : replay_mismatches) s << "\n  replay: " << m;
  return s.str();
}

std::string SimResult::fingerprint() const {
  std::ostringstream s;
  s << summary();
  for (size_t i = 0; i < decisions.size(); ++i) {
    for (const auto& [h, id] : decisions[i]) s << "\n" << i << "@" << h << "=" << to_hex(id);
  }
  return s.str();
}

SimResult run_simulation(const SimConfig& config) {
  Simulation sim(config);
  return sim.run();
}

}  // namespace btt::consensus::sim

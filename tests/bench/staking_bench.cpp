// btt-bench-staking: what staking's block hooks cost with 150 validators and many delegators
// (issue 12 "Benchmark"; doc/staking.md "Benchmark").
//
// The chain's state is built in memory from a real genesis (150 staking validators), then N
// delegators spread over the validators delegate through the real MsgDelegate handler
// (chain::execute_tx; set-up txs carry no signature, the only shortcut). From then on every block
// goes through chain::execute_block, what Chain::build and Chain::prepare run: begin_block hooks,
// the block's txs (signature checked), end_block hooks and the validator set history, with a
// last_commit of the previous height's set and a proposer rotating over the set. The staking
// module sits in the registry behind a wrapper that times its begin_block (fee distribution,
// double-sign slashing, liveness) and end_block (matured unbondings, locks, the set), and runs
// each hook over its own overlay layer to count the keys it writes and reads.
//
// Scenarios of B blocks each, every block with fee-paying transfers: all 150 sign; a few are
// absent; some delegations change in every block; and all sign again once 10,000 blocks have
// passed. Then one MsgWithdrawRewards of delegators whose rewards last moved 10 blocks ago and of
// delegators untouched since they delegated (10,000 blocks ago), each measured alone over the
// committed state. Times are also given in units of one BIP340 verify measured in the same run
// (one core). Prints one figure a line as `name: value`.
//
//   btt-bench-staking [--delegators N (default: 10000 then 100000)] [--blocks B] [--absent A]
//                     [--changes C] [--fee-txs F] [--withdrawers W] [--withdraw-after H]
#include <algorithm>
#include <chrono>
#include <cstring>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "btt/chain/executor.h"
#include "btt/chain/genesis.h"
#include "btt/chain/registry.h"
#include "btt/chain/validator_history.h"
#include "btt/crypto/hash.h"
#include "btt/ledger/events.h"
#include "btt/modules/bank/bank.h"
#include "btt/modules/compute/compute.h"
#include "btt/modules/roles/roles.h"
#include "btt/modules/staking/staking.h"
#include "btt/modules/tokenomics/tokenomics.h"
#include "testkit/genesis_json.h"
#include "testkit/test_env.h"
#include "testkit/txs.h"
#include "verify_bound.h"

namespace {

using namespace btt;
using Clock = std::chrono::steady_clock;

constexpr uint64_t kBtt = 100'000'000;
constexpr size_t kValidators = 150;
constexpr size_t kPayers = 20;
constexpr const char* kChainId = "btt-bench-staking-1";
constexpr const char* kGenesisTime = "2026-01-01T00:00:00Z";

double micros_since(Clock::time_point t) {
  return std::chrono::duration<double, std::micro>(Clock::now() - t).count();
}

size_t arg(int argc, char** argv, const char* name, size_t fallback) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], name) == 0) return std::stoul(argv[i + 1]);
  }
  return fallback;
}

crypto::KeyPair bench_key(const std::string& name) {
  auto h = crypto::sha256("btt-bench-staking-key/" + name);
  crypto::SecretKey sk;
  std::copy(h.begin(), h.end(), sk.begin());
  return *crypto::KeyPair::from_secret(sk);
}

// Delegators beyond the few that sign txs need no key: only an address.
crypto::Address keyless_address(size_t i) {
  const auto h = crypto::sha256("btt-bench-staking-delegator/" + std::to_string(i));
  return *crypto::Address::from_bytes(as_view(h).substr(0, crypto::Address::kSize));
}

// What a hook (or a tx) reads from the state below it: gets, and keys visited by scans.
class CountingReader final : public ledger::StateReader {
 public:
  explicit CountingReader(const ledger::StateReader& base) : base_(base) {}
  [[nodiscard]] std::optional<Bytes> get(std::string_view key) const override {
    ++reads_;
    return base_.get(key);
  }
  void scan(std::string_view prefix, const ledger::ScanFn& fn) const override {
    base_.scan(prefix, [&](std::string_view k, std::string_view v) {
      ++reads_;
      return fn(k, v);
    });
  }
  void scan_back(std::string_view prefix, std::string_view from,
                 const ledger::ScanFn& fn) const override {
    base_.scan_back(prefix, from, [&](std::string_view k, std::string_view v) {
      ++reads_;
      return fn(k, v);
    });
  }
  [[nodiscard]] uint64_t reads() const { return reads_; }

 private:
  const ledger::StateReader& base_;
  mutable uint64_t reads_ = 0;
};

struct HookCost {
  double us = 0;
  size_t written = 0;  // distinct keys put or erased
  uint64_t read = 0;
};

// The staking module as the registry holds it, with its block hooks timed. Each hook runs over
// its own overlay layer (committed into the block overlay right after), so its write set is
// exactly what it wrote.
class MeasuredModule final : public ledger::Module {
 public:
  explicit MeasuredModule(std::unique_ptr<ledger::Module> inner) : inner_(std::move(inner)) {}

  [[nodiscard]] std::string_view name() const override { return inner_->name(); }
  [[nodiscard]] uint32_t codespace() const override { return inner_->codespace(); }
  [[nodiscard]] std::vector<const ledger::MsgHandler*> handlers() const override {
    return inner_->handlers();
  }
  [[nodiscard]] std::vector<const ledger::EventDef*> events() const override {
    return inner_->events();
  }
  [[nodiscard]] std::vector<const ErrorDef*> errors() const override { return inner_->errors(); }
  [[nodiscard]] const ledger::ParamsSpec* params() const override { return inner_->params(); }
  [[nodiscard]] const ledger::LockProvider* lock_provider() const override {
    return inner_->lock_provider();
  }
  [[nodiscard]] std::vector<std::string_view> hooks_after() const override {
    return inner_->hooks_after();
  }
  [[nodiscard]] Status validate_genesis(const nlohmann::json& section,
                                        const ledger::GenesisInfo& info) const override {
    return inner_->validate_genesis(section, info);
  }
  [[nodiscard]] Status init_genesis(const nlohmann::json& section, const ledger::GenesisInfo& info,
                                    ledger::BlockContext& ctx) override {
    return inner_->init_genesis(section, info, ctx);
  }
  [[nodiscard]] Result<nlohmann::json> export_genesis(
      const ledger::StateReader& state) const override {
    return inner_->export_genesis(state);
  }
  void begin_block(ledger::BlockContext& ctx) override {
    begin_ = measure(ctx, [&](ledger::BlockContext& c) { inner_->begin_block(c); });
  }
  void end_block(ledger::BlockContext& ctx) override {
    end_ = measure(ctx, [&](ledger::BlockContext& c) { inner_->end_block(c); });
  }
  [[nodiscard]] std::vector<std::string> check_invariants(
      const ledger::StateReader& state) const override {
    return inner_->check_invariants(state);
  }
  [[nodiscard]] uint32_t tx_priority(const ledger::StateReader& state,
                                     const crypto::Address& sender,
                                     uint64_t time_ms) const override {
    return inner_->tx_priority(state, sender, time_ms);
  }

  [[nodiscard]] const HookCost& last_begin() const { return begin_; }
  [[nodiscard]] const HookCost& last_end() const { return end_; }

 private:
  static HookCost measure(ledger::BlockContext& ctx,
                          const std::function<void(ledger::BlockContext&)>& hook) {
    CountingReader counting(ctx.state);
    ledger::Overlay layer(counting);
    ledger::BlockContext inner{ctx.block, layer, ctx.events, ctx.locks, ctx.next_validators};
    const auto t0 = Clock::now();
    hook(inner);
    HookCost cost{micros_since(t0), layer.writes().size(), counting.reads()};
    layer.commit_to(ctx.state);
    return cost;
  }

  std::unique_ptr<ledger::Module> inner_;
  HookCost begin_;
  HookCost end_;
};

// The default registry, module for module in chain::default_module_order(), with staking
// wrapped.
std::unique_ptr<chain::ModuleRegistry> measured_registry(MeasuredModule** staking) {
  const std::map<std::string_view, std::function<std::unique_ptr<ledger::Module>()>> make = {
      {"bank", modules::bank::make_bank_module},
      {"roles", modules::roles::make_roles_module},
      {"tokenomics", modules::tokenomics::make_tokenomics_module},
      {"compute", modules::compute::make_compute_module},
      {"staking", modules::staking::make_staking_module}};
  auto registry = std::make_unique<chain::ModuleRegistry>();
  for (const auto name : chain::default_module_order()) {
    auto it = make.find(name);
    if (it == make.end()) {
      throw std::logic_error("btt-bench-staking: add module " + std::string(name) + " here");
    }
    if (name == modules::staking::kModuleName) {
      auto wrapped = std::make_unique<MeasuredModule>(it->second());
      *staking = wrapped.get();
      registry->add(std::move(wrapped));
    } else {
      registry->add(it->second());
    }
  }
  return registry;
}

struct Summary {
  double mean = 0, p50 = 0, p99 = 0, max = 0;
};

Summary stats_of(std::vector<double> v) {
  Summary s;
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  for (double x : v) s.mean += x;
  s.mean /= static_cast<double>(v.size());
  s.p50 = v[v.size() / 2];
  s.p99 = v[std::min(v.size() - 1, v.size() * 99 / 100)];
  s.max = v.back();
  return s;
}

// The per-block figures of one scenario.
struct Samples {
  std::vector<double> hooks_us, begin_us, end_us, execute_us, written, read;
};

// One BIP340 verify on one core, in microseconds (the bound the figures are given against).
double verify_us() {
  return bench::bip340_verify_us();
}

struct Options {
  size_t delegators = 0;
  size_t blocks = 1000;
  size_t absent = 5;
  size_t changes = 10;
  size_t fee_txs = 5;
  size_t withdrawers = 50;
  size_t withdraw_after = 10'000;
};

class Bench {
 public:
  Bench(const Options& o, double verify_us) : o_(o), verify_us_(verify_us) {
    registry_ = measured_registry(&staking_);
  }

  int run() {
    std::cout << "delegators: " << o_.delegators << "\n";
    const auto t0 = Clock::now();
    if (!genesis() || !delegate_all()) return 1;
    std::cout << "setup_s: " << micros_since(t0) / 1e6 << "\n";
    // How big the state is that every read of the hooks looks up in.
    uint64_t keys = 0;
    committed_.scan("", [&](std::string_view, std::string_view) {
      ++keys;
      return true;
    });
    std::cout << "state_keys: " << keys << "\n";
    // Warm-up: the set the delegations chose is in force at 3 and earns from 4's rewards.
    for (int i = 0; i < 5; ++i) {
      if (!block(Mode::kAllSign, nullptr)) return 1;
    }
    for (auto [mode, name] :
         {std::pair{Mode::kAllSign, "all_signed"}, std::pair{Mode::kAbsent, "absent"},
          std::pair{Mode::kChanges, "delegation_changes"}}) {
      Samples s;
      for (size_t i = 0; i < o_.blocks; ++i) {
        if (!block(mode, &s)) return 1;
      }
      report(name, s);
    }
    // On to withdraw_after blocks since the delegations; the recent group withdraws 10 before.
    const uint64_t measure_at = genesis_.initial_height + o_.withdraw_after - 1;
    Samples late;
    while (height_ < measure_at) {
      const bool last_stretch = height_ + o_.blocks >= measure_at;
      if (!block(height_ + 10 == measure_at ? Mode::kRecentWithdraw : Mode::kAllSign,
                 last_stretch ? &late : nullptr)) {
        return 1;
      }
    }
    report("all_signed_late", late);
    return withdraws() ? 0 : 1;
  }

 private:
  enum class Mode { kAllSign, kAbsent, kChanges, kRecentWithdraw };

  bool genesis() {
    nlohmann::json g;
    g["chain_id"] = kChainId;
    g["genesis_time"] = kGenesisTime;
    g["validators"] = nlohmann::json::array();
    g["accounts"] = nlohmann::json::array();
    nlohmann::json rows = nlohmann::json::array();
    const auto op = bench_key("operator");
    uint64_t self_stakes = 0;
    for (size_t i = 0; i < kValidators; ++i) {
      const auto k = bench_key("validator-" + std::to_string(i));
      const uint64_t power = 10'000 + i;  // distinct stakes: a set order without ties
      self_stakes += power * kBtt;
      validators_.push_back(k.address);
      g["validators"].push_back({{"public_key", to_hex(k.public_key)},
                                 {"power", std::to_string(power)},
                                 {"name", "v" + std::to_string(i)}});
      rows.push_back({{"address", k.address.to_string()},
                      {"operator", op.address.to_string()},
                      {"self_stake", std::to_string(power * kBtt)},
                      {"commission_bps", 500},
                      {"max_commission_bps", 2'000},
                      {"max_change_bps_per_day", 100},
                      {"moniker", "v" + std::to_string(i)}});
    }
    auto account = [&](const crypto::Address& a, uint64_t units) {
      g["accounts"].push_back(
          {{"address", a.to_string()},
           {"balances", {{{"asset", "BTT"}, {"amount", std::to_string(units)}}}}});
    };
    account(op.address, self_stakes);
    funder_ = bench_key("funder");
    account(funder_.address, 10'000'000 * kBtt);  // every delegator's stake comes from here
    for (size_t i = 0; i < kPayers; ++i) {
      payers_.push_back(bench_key("payer-" + std::to_string(i)));
      account(payers_.back().address, 10'000 * kBtt);
    }
    for (size_t i = 0; i < o_.changes; ++i) {
      movers_.push_back(bench_key("mover-" + std::to_string(i)));
      account(movers_.back().address, 100'000 * kBtt);
    }
    g["modules"]["staking"] = {{"params", {{"max_validators", kValidators}}}, {"validators", rows}};
    auto parsed = chain::Genesis::parse(testkit::add_tokenomics(g).dump(), *registry_);
    if (!parsed) {
      std::cerr << parsed.status().to_string() << "\n";
      return false;
    }
    genesis_ = std::move(*parsed);
    sets_[genesis_.initial_height] = chain::sorted_by_address(genesis_.info().validators);
    ledger::Overlay overlay(committed_);
    if (auto s = chain::init_genesis_state(genesis_, overlay, *registry_); !s) {
      std::cerr << s.to_string() << "\n";
      return false;
    }
    committed_.apply(overlay.writes());
    return true;
  }

  ledger::BlockInfo block_info(uint64_t height, const std::set<crypto::Address>& absent) const {
    ledger::BlockInfo info;
    info.chain_id = kChainId;
    info.height = height;
    info.time_ms = genesis_.genesis_time_ms + height * 1000;
    info.genesis_time_ms = genesis_.genesis_time_ms;
    info.prev_hash = to_bytes(crypto::sha256("btt-bench-staking-block/" + std::to_string(height)));
    if (height > genesis_.initial_height) {
      for (const auto& v : set_at(height - 1)) {
        const auto addr = *crypto::Address::parse(v.address());
        info.last_commit.push_back({addr, v.power(), !absent.count(addr)});
      }
    }
    // Round robin over the set (the chain's rotation is weighted by power; the powers here are
    // within 1% of each other).
    const auto& set = set_at(height);
    info.proposer = *crypto::Address::parse(set[height % set.size()].address());
    return info;
  }

  const std::vector<v1::Validator>& set_at(uint64_t height) const {
    return std::prev(sets_.upper_bound(height))->second;
  }

  // Delegator i: keyed (it signs a withdraw later) for the first 2 x withdrawers.
  crypto::Address delegator(size_t i) const {
    return i < withdrawers_.size() ? withdrawers_[i].address : keyless_address(i);
  }
  static uint64_t stake_of(size_t i) { return (1 + i % 100) * kBtt; }
  const crypto::Address& validator_of(size_t i) const { return validators_[i % kValidators]; }

  // Block 1: the funder pays each delegator its stake and a fee, and each delegates through the
  // MsgDelegate handler (chain::execute_tx, what a block runs for every tx; no signature).
  bool delegate_all() {
    for (size_t i = 0; i < 2 * o_.withdrawers && i < o_.delegators; ++i) {
      withdrawers_.push_back(bench_key("delegator-" + std::to_string(i)));
    }
    const uint64_t height = genesis_.initial_height;
    const auto info = block_info(height, {});
    const v1::LedgerParams params = ledger::Ledger(committed_).params();
    ledger::BlockOverlay overlay(committed_);
    ledger::Events funding;
    for (size_t i = 0; i < o_.delegators; ++i) {
      const crypto::Address d = delegator(i);
      ledger::Ledger l(overlay, funding, &registry_->locks());
      if (auto s = l.move(funder_.address, d, ledger::kNativeAsset,
                          stake_of(i) + params.min_fee() * 10, info.time_ms);
          !s) {
        std::cerr << "funding: " << s.to_string() << "\n";
        return false;
      }
      funding.clear();
      chain::DecodedTx tx;
      tx.sender = d;
      tx.body.set_chain_id(kChainId);
      tx.body.set_sender(d.to_string());
      tx.body.set_fee(params.min_fee());
      auto* m = tx.body.add_messages()->mutable_delegate();
      m->set_validator(validator_of(i).to_string());
      m->set_amount(stake_of(i));
      tx.id = chain::tx_id_of_body(tx.body.SerializeAsString());
      const auto out = chain::execute_tx(tx, overlay, info, params, *registry_);
      if (!out.status) {
        std::cerr << "delegation " << i << ": " << out.status.to_string() << "\n";
        return false;
      }
    }
    for (const auto& w : withdrawers_) nonces_[w.address] = 1;  // their delegation's tx
    return finish_block(overlay, info, {}, nullptr);
  }

  chain::TxPtr sign(const crypto::KeyPair& from, v1::TxBody body) {
    body.set_chain_id(kChainId);
    body.set_sender(from.address.to_string());
    body.set_public_key(std::string(as_view(from.public_key)));
    body.set_nonce(nonces_[from.address]++);
    uint8_t aux[32] = {};
    return *chain::decode_tx(chain::sign_tx(body, from.secret_key, aux), 1 << 20);
  }

  v1::TxBody withdraw_body(size_t i) const {
    v1::TxBody body;
    body.set_fee(1000);
    auto* w = body.add_messages()->mutable_withdraw_rewards();
    w->set_validator(validator_of(i).to_string());
    return body;
  }

  // The next block: fee-paying transfers, and what the mode adds.
  bool block(Mode mode, Samples* samples) {
    std::vector<chain::TxPtr> txs;
    for (size_t i = 0; i < o_.fee_txs; ++i) {
      const auto& from = payers_[(height_ * o_.fee_txs + i) % kPayers];
      auto spec = testkit::TransferSpec{.chain_id = kChainId,
                                        .to = payers_[(i + 1) % kPayers].address.to_string(),
                                        .amount = 1,
                                        .fee = 10'000 + height_ % 1'000};
      txs.push_back(sign(from, testkit::transfer_body(from, spec)));
    }
    if (mode == Mode::kChanges) {
      for (size_t i = 0; i < movers_.size(); ++i) {
        v1::TxBody body;
        body.set_fee(1000);
        auto* m = body.add_messages()->mutable_delegate();
        m->set_validator(validators_[(height_ * movers_.size() + i) % kValidators].to_string());
        m->set_amount(2 * kBtt);  // two units of power
        txs.push_back(sign(movers_[i], std::move(body)));
      }
    }
    if (mode == Mode::kRecentWithdraw) {
      for (size_t i = o_.withdrawers; i < withdrawers_.size(); ++i) {
        txs.push_back(sign(withdrawers_[i], withdraw_body(i)));
      }
    }
    std::set<crypto::Address> absent;
    if (mode == Mode::kAbsent) {
      const auto& prev = set_at(height_);
      for (size_t i = 0; i < o_.absent && i < prev.size(); ++i) {
        absent.insert(*crypto::Address::parse(prev[i].address()));
      }
    }
    const uint64_t height = height_ + 1;
    const auto info = block_info(height, absent);
    ledger::BlockOverlay overlay(committed_);
    return finish_block(overlay, info, txs, samples);
  }

  bool finish_block(ledger::BlockOverlay& overlay, const ledger::BlockInfo& info,
                    const std::vector<chain::TxPtr>& txs, Samples* samples) {
    const auto t0 = Clock::now();
    auto executed = chain::execute_block(txs, overlay, info, *registry_, chain::ExecMode::kVerify);
    const double execute_us = micros_since(t0);
    if (!executed) {
      std::cerr << "block " << info.height << ": " << executed.status().to_string() << "\n";
      return false;
    }
    for (const auto& r : executed->result.txs()) {
      if (r.code() != 0) {
        std::cerr << "block " << info.height << ": tx failed: " << r.log() << "\n";
        return false;
      }
    }
    if (executed->next_validators) sets_[info.height + 2] = *executed->next_validators;
    committed_.apply(overlay.writes());
    height_ = info.height;
    if (samples) {
      const auto& b = staking_->last_begin();
      const auto& e = staking_->last_end();
      samples->hooks_us.push_back(b.us + e.us);
      samples->begin_us.push_back(b.us);
      samples->end_us.push_back(e.us);
      samples->execute_us.push_back(execute_us);
      samples->written.push_back(static_cast<double>(b.written + e.written));
      samples->read.push_back(static_cast<double>(b.read + e.read));
    }
    return true;
  }

  // One MsgWithdrawRewards of each withdrawer, each alone over the committed state at the next
  // height (what the block would run for it; the signature check is left out), then dropped.
  // The two groups alternate, and every tx runs once unmeasured first, so neither group gets
  // the cold caches.
  bool withdraws() {
    const uint64_t height = height_ + 1;
    const auto info = block_info(height, {});
    const v1::LedgerParams params = ledger::Ledger(committed_).params();
    std::vector<chain::TxPtr> txs;
    for (size_t i = 0; i < withdrawers_.size(); ++i) {
      txs.push_back(sign(withdrawers_[i], withdraw_body(i)));
    }
    struct Group {
      std::vector<double> us, read, written;
      uint64_t paid = 0;
    };
    Group groups[2];  // long (untouched since block 1), short (withdrew 10 blocks ago)
    constexpr int kRounds = 5;
    for (int round = 0; round <= kRounds; ++round) {
      for (size_t i = 0; i < o_.withdrawers; ++i) {
        for (size_t g = 0; g < 2; ++g) {
          const size_t w = g * o_.withdrawers + i;
          if (w >= txs.size()) continue;
          CountingReader counting(committed_);
          ledger::Overlay overlay(counting);
          const auto t0 = Clock::now();
          auto out = chain::execute_tx(*txs[w], overlay, info, params, *registry_);
          const double us = micros_since(t0);
          if (!out.status) {
            std::cerr << "withdraw " << w << ": " << out.status.to_string() << "\n";
            return false;
          }
          if (round == 0) continue;  // warm-up
          Group& group = groups[g];
          group.us.push_back(us);
          group.read.push_back(static_cast<double>(counting.reads()));
          group.written.push_back(static_cast<double>(overlay.writes().size()));
          for (const auto& e : out.events) {
            if (e.type() == "staking.rewards_withdrawn" && round == 1) {
              group.paid += std::stoull(std::string(ledger::attribute(e, "amount")));
            }
          }
        }
      }
    }
    for (size_t g = 0; g < 2; ++g) {
      const Group& group = groups[g];
      const auto t = stats_of(group.us);
      const std::string p = g == 0 ? "withdraw_long" : "withdraw_short";
      std::cout << p << "_blocks_since: " << (height - last_moved(g * o_.withdrawers)) << "\n"
                << p << "_us_mean: " << t.mean << "\n"
                << p << "_us_p50: " << t.p50 << "\n"
                << p << "_in_verifies_p50: " << t.p50 / verify_us_ << "\n"
                << p << "_keys_read_mean: " << stats_of(group.read).mean << "\n"
                << p << "_keys_written_mean: " << stats_of(group.written).mean << "\n"
                << p << "_rewards_mean: " << group.paid / std::max<size_t>(o_.withdrawers, 1)
                << "\n";
    }
    return true;
  }
  // The height a withdrawer's rewards last moved: its delegation (1) or the recent withdraw.
  uint64_t last_moved(size_t i) const {
    return i < o_.withdrawers ? genesis_.initial_height
                              : genesis_.initial_height + o_.withdraw_after - 10;
  }

  void report(const std::string& name, const Samples& s) const {
    const auto hooks = stats_of(s.hooks_us);
    std::cout << name << "_blocks: " << s.hooks_us.size() << "\n"
              << name << "_hooks_us_mean: " << hooks.mean << "\n"
              << name << "_hooks_us_p50: " << hooks.p50 << "\n"
              << name << "_hooks_us_p99: " << hooks.p99 << "\n"
              << name << "_hooks_in_verifies_p50: " << hooks.p50 / verify_us_ << "\n"
              << name << "_begin_block_us_p50: " << stats_of(s.begin_us).p50 << "\n"
              << name << "_end_block_us_p50: " << stats_of(s.end_us).p50 << "\n"
              << name << "_keys_written_mean: " << stats_of(s.written).mean << "\n"
              << name << "_keys_written_max: " << stats_of(s.written).max << "\n"
              << name << "_keys_read_mean: " << stats_of(s.read).mean << "\n"
              << name << "_execute_block_us_p50: " << stats_of(s.execute_us).p50 << "\n";
  }

  Options o_;
  double verify_us_;
  MeasuredModule* staking_ = nullptr;
  std::unique_ptr<chain::ModuleRegistry> registry_;
  testkit::MemoryState committed_;
  chain::Genesis genesis_;
  std::map<uint64_t, std::vector<v1::Validator>> sets_;  // from height -> set, by address
  std::vector<crypto::Address> validators_;              // by genesis index
  crypto::KeyPair funder_;
  std::vector<crypto::KeyPair> payers_;
  std::vector<crypto::KeyPair> movers_;
  std::vector<crypto::KeyPair> withdrawers_;  // [0, W): long group; [W, 2W): short group
  std::map<crypto::Address, uint64_t> nonces_;
  uint64_t height_ = 0;
};

constexpr const char* kUsage =
    "usage: btt-bench-staking [--delegators N] [--blocks B] [--absent A] [--changes C]\n"
    "                         [--fee-txs F] [--withdrawers W] [--withdraw-after H]\n";

}  // namespace

int main(int argc, char** argv) {
  static const std::vector<std::string> kKnown = {"--delegators",    "--blocks",  "--absent",
                                                  "--changes",       "--fee-txs", "--withdrawers",
                                                  "--withdraw-after"};
  for (int i = 1; i < argc; i += 2) {
    if (std::find(kKnown.begin(), kKnown.end(), argv[i]) == kKnown.end() || i + 1 >= argc) {
      std::cerr << kUsage;
      return std::strcmp(argv[i], "--help") == 0 ? 0 : 2;
    }
  }
  Options o;
  o.blocks = arg(argc, argv, "--blocks", o.blocks);
  o.absent = arg(argc, argv, "--absent", o.absent);
  o.changes = arg(argc, argv, "--changes", o.changes);
  o.fee_txs = arg(argc, argv, "--fee-txs", o.fee_txs);
  o.withdrawers = arg(argc, argv, "--withdrawers", o.withdrawers);
  o.withdraw_after = arg(argc, argv, "--withdraw-after", o.withdraw_after);
  std::vector<size_t> counts = {10'000, 100'000};
  if (const size_t n = arg(argc, argv, "--delegators", 0); n > 0) counts = {n};
  if (o.withdraw_after < 3 * o.blocks + 20 || o.fee_txs == 0) {
    std::cerr << "--withdraw-after must leave room for the three scenarios (3 x blocks + 20), "
                 "and --fee-txs be at least 1\n";
    return 2;
  }

  const double verify = verify_us();
  std::cout << "validators: " << kValidators << "\n"
            << "bip340_verify_us: " << verify << "\n";
  for (size_t n : counts) {
    o.delegators = n;
    if (Bench(o, verify).run() != 0) return 1;
  }
  return 0;
}

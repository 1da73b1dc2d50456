#include "testkit/test_env.h"

#include <nlohmann/json.hpp>

#include "btt/modules/tokenomics/genesis.h"

#include "btt/chain/validator_history.h"
#include "btt/crypto/hash.h"

namespace btt::testkit {

std::optional<Bytes> MemoryState::get(std::string_view key) const {
  auto it = data_.find(key);
  if (it == data_.end()) return std::nullopt;
  return it->second;
}

void MemoryState::scan(std::string_view prefix, const ledger::ScanFn& fn) const {
  for (auto it = data_.lower_bound(prefix); it != data_.end(); ++it) {
    if (it->first.compare(0, prefix.size(), prefix) != 0) break;
    if (!fn(it->first, it->second)) break;
  }
}

void MemoryState::scan_back(std::string_view prefix, std::string_view from,
                            const ledger::ScanFn& fn) const {
  for (auto it = data_.upper_bound(from); it != data_.begin();) {
    --it;
    if (it->first.compare(0, prefix.size(), prefix) != 0) break;
    if (!fn(it->first, it->second)) break;
  }
}

void MemoryState::apply(const std::map<Bytes, std::optional<Bytes>, std::less<>>& writes) {
  for (const auto& [k, v] : writes) {
    if (v) {
      data_[k] = *v;
    } else {
      data_.erase(k);
    }
  }
}

crypto::KeyPair test_key(const std::string& name) {
  auto h = crypto::sha256("btt-test-key/" + name);
  crypto::SecretKey sk;
  std::copy(h.begin(), h.end(), sk.begin());
  auto kp = crypto::KeyPair::from_secret(sk);
  if (!kp) throw std::runtime_error("test key is invalid");
  return *kp;
}

TxBuilder::TxBuilder(TestEnv& env, const Account& from) : env_(env), from_(from) {
  body_.set_chain_id(env.chain_id());
  body_.set_sender(from.addr());
  body_.set_public_key(std::string(as_view(from.key.public_key)));
  body_.set_fee(env.params().min_fee());
}

TxBuilder& TxBuilder::transfer(const Account& to, uint64_t amount, std::string asset) {
  return transfer_to(to.addr(), amount, std::move(asset));
}

TxBuilder& TxBuilder::transfer_to(std::string to, uint64_t amount, std::string asset) {
  v1::Message m;
  auto* t = m.mutable_transfer();
  t->set_to(std::move(to));
  t->set_asset(std::move(asset));
  t->set_amount(amount);
  return message(std::move(m));
}

TxBuilder& TxBuilder::multi(std::vector<std::tuple<std::string, std::string, uint64_t>> outputs) {
  v1::Message m;
  auto* mt = m.mutable_multi_transfer();
  for (auto& [to, asset, amount] : outputs) {
    auto* o = mt->add_outputs();
    o->set_to(to);
    o->set_asset(asset);
    o->set_amount(amount);
  }
  return message(std::move(m));
}

TxBuilder& TxBuilder::message(v1::Message msg) {
  *body_.add_messages() = std::move(msg);
  return *this;
}

TxBuilder& TxBuilder::fee(uint64_t fee) {
  body_.set_fee(fee);
  return *this;
}

TxBuilder& TxBuilder::nonce(uint64_t nonce) {
  body_.set_nonce(nonce);
  nonce_set_ = true;
  return *this;
}

TxBuilder& TxBuilder::memo(std::string memo) {
  body_.set_memo(std::move(memo));
  return *this;
}

TxBuilder& TxBuilder::chain_id(std::string id) {
  body_.set_chain_id(std::move(id));
  return *this;
}

v1::TxBody TxBuilder::body() const {
  v1::TxBody b = body_;
  if (!nonce_set_) b.set_nonce(env_.next_nonce(from_));
  return b;
}

chain::TxPtr TxBuilder::sign() const {
  uint8_t aux[32] = {};
  auto tx = chain::sign_tx(body(), from_.key.secret_key, aux);
  auto decoded = chain::decode_tx(tx, 1u << 20);
  if (!decoded)
    throw std::runtime_error("test tx does not decode: " + decoded.status().to_string());
  return *decoded;
}

TestEnv::TestEnv() : TestEnv(nlohmann::json::object()) {}

TestEnv::TestEnv(const nlohmann::json& module_sections) : TestEnv(module_sections, {}) {}

TestEnv::TestEnv(const nlohmann::json& module_sections,
                 std::vector<v1::Validator> genesis_validators)
    : registry_(chain::make_default_registry()) {
  if (!genesis_validators.empty()) sets_[1] = genesis_validators;
  params_ = ledger::default_ledger_params();
  overlay_ = std::make_unique<ledger::Overlay>(committed_);
  auto l = ledger();
  l.set_params(params_);
  v1::AssetInfo btt;
  btt.set_asset("BTT");
  btt.set_decimals(8);
  l.set_asset(btt);
  // Genesis as a real chain has it: the whole fixed supply allocated by the tokenomics module,
  // with the faucet account's BTT carved out of Community Incentives as the genesis accounts.
  const crypto::Address faucet = test_key(kFaucet).address;
  EXPECT_TRUE(l.credit(faucet, "BTT", kFaucetUnits).is_ok());
  l.set_supply("BTT", kFaucetUnits);
  ledger::GenesisInfo info;
  info.genesis_time_ms = kGenesisTimeMs;
  info.account_totals["BTT"] = kFaucetUnits;
  info.validators = genesis_validators;
  const auto section = modules::tokenomics::to_json(
      modules::tokenomics::default_genesis(kGenesisTimeMs / 1000, test_key(kBeneficiary).address,
                                           test_key(kAuthority).address, kFaucetUnits));
  ledger::BlockInfo genesis_block{chain_id_, 0, kGenesisTimeMs, kGenesisTimeMs, {}, {}, {}, {}};
  ledger::Events events;
  ledger::BlockContext ctx{genesis_block, *overlay_, events, &registry_->locks()};
  for (const auto& m : registry_->modules()) {
    const std::string name(m->name());
    const nlohmann::json other =
        module_sections.contains(name) ? module_sections[name] : nlohmann::json();
    nlohmann::json chosen = name == "tokenomics" ? section : other;
    if (name == "roles" && chosen.is_null()) chosen = default_roles_section();
    const auto s = m->init_genesis(chosen, info, ctx);
    if (!s) throw std::logic_error("test genesis: " + s.to_string());
  }
  // Genesis balances are where every account's balance changes start from.
  direct_events_.clear();
  replayed_ = balances_in_state();
  begin_block();
}

nlohmann::json TestEnv::default_roles_section() {
  return {
      {"grants",
       {{{"role", "role_admin"}, {"address", test_key(kRoleAdmin).address.to_string()}},
        {{"role", "milestone_authority"}, {"address", test_key(kAuthority).address.to_string()}}}}};
}

std::map<std::pair<std::string, std::string>, uint64_t> TestEnv::balances_in_state() const {
  std::map<std::pair<std::string, std::string>, uint64_t> out;
  constexpr std::string_view kPrefix = "bal/";
  overlay_->scan(kPrefix, [&](std::string_view key, std::string_view value) {
    auto addr = crypto::Address::from_bytes(key.substr(kPrefix.size(), crypto::Address::kSize));
    std::string_view in = value;
    uint64_t amount = 0;
    if (addr && get_u64_be(in, amount) && amount > 0) {
      out[{addr->to_string(), std::string(key.substr(kPrefix.size() + crypto::Address::kSize))}] =
          amount;
    }
    return true;
  });
  return out;
}

void TestEnv::replay(const std::vector<v1::BalanceChange>& changes) {
  if (!check_invariants_) return;  // benchmarks: the replay is a check like the invariants
  for (const auto& c : changes) {
    auto& held = replayed_[{c.address(), c.asset()}];
    EXPECT_GT(c.amount(), 0u) << "a balance change of nothing for " << c.address();
    if (c.direction() == v1::BALANCE_DIRECTION_CREDIT) {
      held += c.amount();
    } else {
      EXPECT_EQ(c.direction(), v1::BALANCE_DIRECTION_DEBIT);
      EXPECT_GE(held, c.amount()) << "replayed debit below zero for " << c.address();
      held -= c.amount();
    }
    ++balance_changes_seen_;
  }
}

void TestEnv::expect_balances_replay() {
  replay(direct_events_.take_balance_changes());
  auto actual = balances_in_state();
  for (auto it = replayed_.begin(); it != replayed_.end();) {
    it = it->second == 0 ? replayed_.erase(it) : std::next(it);
  }
  EXPECT_EQ(replayed_, actual) << "following every balance change does not give the balances";
}

void TestEnv::set_params(const v1::LedgerParams& p) {
  params_ = p;
  ledger().set_params(p);
}

std::vector<v1::Validator> TestEnv::validators_at(uint64_t height) const {
  auto it = sets_.upper_bound(height);
  if (it == sets_.begin()) return {};
  return std::prev(it)->second;
}

ledger::BlockInfo TestEnv::block_info() const {
  // A stand-in for the previous block's hash: deterministic, different at every height.
  const auto prev = crypto::sha256("btt-test-block/" + std::to_string(height_ - 1));
  ledger::BlockInfo info{chain_id_, height_, time_ms_, kGenesisTimeMs, to_bytes(prev), {}, {}, {}};
  if (height_ > 1) {
    for (const auto& v : validators_at(height_ - 1)) {
      const auto addr = *crypto::Address::parse(v.address());
      info.last_commit.push_back({addr, v.power(), !absent_.count(addr)});
    }
  }
  const auto set = validators_at(height_);
  if (proposer_) {
    info.proposer = *proposer_;
  } else if (!set.empty()) {
    info.proposer = *crypto::Address::parse(set.front().address());
  }
  return info;
}

const Account& TestEnv::account(const std::string& name, uint64_t btt_units) {
  if (accounts_.count(name)) throw std::logic_error("account " + name + " exists");
  Account a{name, test_key(name)};
  auto l = ledger();
  if (btt_units > 0) {
    const crypto::Address faucet = test_key(kFaucet).address;
    if (l.balance(faucet, "BTT") < btt_units) {
      throw std::logic_error("test faucet cannot fund " + name + " with " +
                             std::to_string(btt_units) + " units");
    }
    EXPECT_TRUE(l.debit(faucet, "BTT", btt_units).is_ok());
    EXPECT_TRUE(l.credit(a.address(), "BTT", btt_units).is_ok());
  }
  return accounts_.emplace(name, std::move(a)).first->second;
}

void TestEnv::mint(const std::string& asset, const Account& to, uint64_t amount,
                   uint32_t decimals) {
  auto l = ledger();
  if (!l.asset(asset)) {
    v1::AssetInfo info;
    info.set_asset(asset);
    info.set_decimals(decimals);
    l.set_asset(info);
  }
  EXPECT_TRUE(l.credit(to.address(), asset, amount).is_ok());
  l.set_supply(asset, l.supply(asset) + amount);
}

chain::TxOutcome TestEnv::apply(const chain::TxPtr& tx, Code expected) {
  chain::TxOutcome out;
  if (!chain::verify_tx_signature(*tx)) {
    out.status = {Code::kBadSignature, "signature does not verify"};
  } else if (auto s = chain::check_tx(*tx, chain_id_, params_, *registry_); !s) {
    out.status = s;
  } else {
    out = chain::execute_tx(*tx, *overlay_, block_info(), params_, *registry_);
  }
  EXPECT_EQ(out.status.code(), expected) << out.status.to_string();
  replay(direct_events_.take_balance_changes());  // set-up came first
  replay(out.balance_changes);
  if (!check_invariants_) return out;
  for (const auto& v : invariant_violations()) ADD_FAILURE() << "invariant: " << v;
  return out;
}

std::vector<std::string> TestEnv::invariant_violations() const {
  std::vector<std::string> out;
  for (const auto& m : registry_->modules()) {
    for (auto& v : m->check_invariants(*overlay_)) out.push_back(std::move(v));
  }
  return out;
}

void TestEnv::expect_supply_conserved() const {
  ledger::Ledger l(overlay_->reader());
  for (const auto& info : l.assets()) {
    auto sum = l.sum_balances(info.asset());
    ASSERT_TRUE(sum.has_value()) << info.asset();
    EXPECT_EQ(*sum, l.supply(info.asset())) << "supply of " << info.asset() << " not conserved";
  }
}

void TestEnv::begin_block() {
  ledger::Events events;
  auto info = block_info();
  info.misbehaviour = std::move(misbehaviour_);
  misbehaviour_.clear();
  ledger::BlockContext ctx{info, *overlay_, events, &registry_->locks()};
  for (const auto& m : registry_->modules()) m->begin_block(ctx);
  replay(events.balance_changes());
}

void TestEnv::close_block() {
  replay(direct_events_.take_balance_changes());
  ledger::Events events;
  auto info = block_info();
  ledger::BlockContext ctx{info, *overlay_, events, &registry_->locks()};
  // As the executor: a set an end_block hook proposes is validated and written for height + 2.
  std::optional<std::vector<v1::Validator>> next_validators;
  ctx.next_validators = &next_validators;
  for (const auto& m : registry_->modules()) m->end_block(ctx);
  ctx.next_validators = nullptr;
  if (next_validators && !sets_.empty()) sets_[height_ + 2] = *next_validators;
  const auto changed =
      chain::end_block_validator_sets(*overlay_, height_, next_validators, params_);
  EXPECT_TRUE(changed.is_ok()) << changed.status().to_string();
  replay(events.balance_changes());
  block_events_ = events.take();
  if (check_invariants_) {
    expect_supply_conserved();
    expect_balances_replay();
    for (const auto& v : invariant_violations()) ADD_FAILURE() << "invariant: " << v;
  }
  committed_.apply(overlay_->writes());
  overlay_ = std::make_unique<ledger::Overlay>(committed_);
  ++height_;
  time_ms_ += kBlockTimeMs;
  begin_block();
}

uint64_t TestEnv::balance(const Account& a, std::string_view asset) const {
  return balance(a.address(), asset);
}

uint64_t TestEnv::balance(const crypto::Address& a, std::string_view asset) const {
  return ledger::Ledger(overlay_->reader()).balance(a, asset);
}

uint64_t TestEnv::next_nonce(const Account& a) const {
  return ledger::Ledger(overlay_->reader()).next_nonce(a.address());
}

uint64_t TestEnv::fee_pool() const {
  return balance(crypto::Address::for_module(ledger::kFeePoolModule));
}

}  // namespace btt::testkit
